"""Speakers (Referent*innen): records, personal invitations, consent and where consenting speakers appear."""

import datetime as dt
import re

import pytest
from django.core import mail
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar

from events import speakers
from events.documents import pdfs
from events.documents import selectors as pdfs_selectors
from events.ical import event_ical
from events.models import ProgrammeItemSpeaker, Speaker, SpeakerInvitation
from events.services import event_copy_as_draft
from kokportal.models import AuditLogEntry
from tests.factories import (
    EventFactory,
    ProgrammeItemFactory,
    SpeakerFactory,
    StaffFactory,
    speaker_invitation,
    speaker_on,
)

pytestmark = pytest.mark.django_db

LINK = re.compile(r"https?://[^\s\"<>]+/referierende/([A-Za-z0-9_-]{43})/")


@pytest.fixture
def event():
    return EventFactory(title="Praxisfachtag Referierende", date=timezone.localdate() + dt.timedelta(days=30))


@pytest.fixture
def item(event):
    return ProgrammeItemFactory(event=event, title="Identifizierung im Asylverfahren")


@pytest.fixture
def deadline(event):
    return event.starts_at - dt.timedelta(days=7)


def _invite(event, speaker, deadline, capture, by=None):
    with capture(execute=True):
        invitation = speakers.speaker_invite(event=event, speaker=speaker, deadline=deadline, by=by)
    (token,) = LINK.findall(mail.outbox[-1].body)
    return invitation, token


# --- services -------------------------------------------------------------------------------------------------


def test_invite_sends_one_mail_with_a_link_whose_secret_is_not_stored(
    event, item, deadline, django_capture_on_commit_callbacks
):
    staff = StaffFactory()
    speaker = speaker_on(item, name="Alex Beispiel", email="Alex@Beispiel.example")
    Speaker.objects.filter(pk=speaker.pk).update(email="alex@beispiel.example")
    speaker.refresh_from_db()

    invitation, token = _invite(event, speaker, deadline, django_capture_on_commit_callbacks, by=staff)

    (message,) = mail.outbox
    assert message.to == ["alex@beispiel.example"]
    assert "Identifizierung im Asylverfahren" in message.body
    invitation.refresh_from_db()
    assert invitation.token_hash == speakers.hash_token(token)
    assert token not in str(SpeakerInvitation.objects.values_list().get(pk=invitation.pk))
    assert invitation.sent_at is not None
    assert invitation.deadline == deadline
    assert speakers.speaker_invitation_by_token(token) == invitation
    entry = AuditLogEntry.objects.get(action="speaker_invited")
    assert (entry.actor, entry.subject_id, entry.detail["speaker_id"], entry.detail["renewed"]) == (
        staff,
        event.pk,
        speaker.pk,
        False,
    )
    assert "alex@beispiel.example" not in str(entry.detail)


def test_invite_again_renews_the_link_and_keeps_one_invitation(
    event, item, deadline, django_capture_on_commit_callbacks
):
    speaker = speaker_on(item)
    first, old = _invite(event, speaker, deadline, django_capture_on_commit_callbacks)
    later = deadline + dt.timedelta(days=2)

    second, new = _invite(event, speaker, later, django_capture_on_commit_callbacks)

    assert second.pk == first.pk
    assert SpeakerInvitation.objects.filter(event=event, speaker=speaker).count() == 1
    assert new != old
    assert speakers.speaker_invitation_by_token(old) is None
    assert speakers.speaker_invitation_by_token(new).deadline == later
    assert len(mail.outbox) == 2
    assert AuditLogEntry.objects.filter(action="speaker_invited").order_by("pk").last().detail["renewed"] is True


def test_invite_refuses_a_speaker_without_address_and_a_past_event(item, deadline):
    without = speaker_on(item, email="", name="Sam Ohneadresse")
    with pytest.raises(speakers.SpeakerError) as refused:
        speakers.speaker_invite(event=item.event, speaker=without, deadline=deadline, by=None)
    assert str(refused.value.message) == "Sam Ohneadresse hat keine E-Mail-Adresse; eine Einladung ist nicht möglich."

    past = EventFactory(past=True)
    with pytest.raises(speakers.SpeakerError) as refused:
        speakers.speaker_invite(event=past, speaker=SpeakerFactory(), deadline=deadline, by=None)
    assert str(refused.value.message) == (
        "Der Praxisfachtag liegt in der Vergangenheit; Einladungen an Referent*innen sind nicht mehr möglich."
    )
    with pytest.raises(speakers.SpeakerError) as refused:
        speakers.speaker_invite(
            event=item.event, speaker=SpeakerFactory(), deadline=timezone.now() - dt.timedelta(hours=1), by=None
        )
    assert str(refused.value.message) == "Die Frist muss in der Zukunft liegen."
    assert SpeakerInvitation.objects.count() == 0


def test_speakers_invite_reaches_those_with_an_address_and_names_the_others(
    event, item, deadline, django_capture_on_commit_callbacks
):
    with_address = speaker_on(item, name="Kim Adresse")
    without = speaker_on(ProgrammeItemFactory(event=event), name="Lou Ohne", email="")
    SpeakerFactory()  # in no programme

    with django_capture_on_commit_callbacks(execute=True):
        result = speakers.speakers_invite(event=event, deadline=deadline, by=None)

    assert (result.invited, result.without_email) == ([with_address], [without])
    assert [m.to for m in mail.outbox] == [[with_address.email]]


def test_token_lookup_refuses_wrong_altered_and_malformed_tokens(event, item):
    token = speakers.new_token()
    invitation = speaker_invitation(speaker_on(item), event, token=token)
    assert speakers.speaker_invitation_by_token(token) == invitation
    altered = token[:-1] + ("A" if token[-1] != "A" else "B")
    assert speakers.speaker_invitation_by_token(altered) is None
    assert speakers.speaker_invitation_by_token(speakers.new_token()) is None
    assert speakers.speaker_invitation_by_token("") is None
    assert speakers.speaker_invitation_by_token("x" * 200) is None


def test_confirm_stores_bio_organisation_and_consent_with_its_time(event, item):
    invitation = speaker_invitation(speaker_on(item, organisation="Alt", bio=""), event)
    now = timezone.now()

    speakers.speaker_confirm(
        invitation=invitation,
        bio=" Beraterin seit 2010. ",
        bio_en="Counsellor since 2010.",
        organisation="Fachberatungsstelle Nord",
        consent_to_publish=True,
        now=now,
    )

    invitation.refresh_from_db()
    speaker = invitation.speaker
    speaker.refresh_from_db()
    assert (invitation.confirmed_at, invitation.declined_at, invitation.last_edited_at) == (now, None, now)
    assert (speaker.bio, speaker.bio_en, speaker.organisation) == (
        "Beraterin seit 2010.",
        "Counsellor since 2010.",
        "Fachberatungsstelle Nord",
    )
    assert (speaker.consent_to_publish, speaker.consent_given_at) == (True, now)
    entry = AuditLogEntry.objects.get(action="speaker_confirmed")
    assert entry.detail == {"speaker_id": speaker.pk, "consent": True}

    later = now + dt.timedelta(minutes=5)
    speakers.speaker_confirm(
        invitation=invitation, bio="", bio_en="", organisation="", consent_to_publish=False, now=later
    )
    speaker.refresh_from_db()
    invitation.refresh_from_db()
    assert (speaker.consent_to_publish, speaker.consent_given_at) == (False, None)
    assert (invitation.confirmed_at, invitation.last_edited_at) == (now, later)


def test_decline_then_confirm_never_holds_both(event, item):
    invitation = speaker_invitation(speaker_on(item), event)
    speakers.speaker_decline(invitation=invitation)
    invitation.refresh_from_db()
    assert invitation.state == "declined"
    assert invitation.confirmed_at is None
    speakers.speaker_confirm(invitation=invitation, bio="", bio_en="", organisation="", consent_to_publish=False)
    invitation.refresh_from_db()
    assert (invitation.state, invitation.declined_at) == ("confirmed", None)
    assert list(AuditLogEntry.objects.order_by("pk").values_list("action", flat=True)) == [
        "speaker_declined",
        "speaker_confirmed",
    ]


def test_confirm_and_decline_are_refused_after_the_deadline(event, item):
    invitation = speaker_invitation(speaker_on(item), event, deadline=timezone.now() - dt.timedelta(minutes=1))
    with pytest.raises(speakers.SpeakerError) as refused:
        speakers.speaker_confirm(invitation=invitation, bio="X", bio_en="", organisation="", consent_to_publish=True)
    assert str(refused.value.message).startswith("Die Frist ist am ")
    assert str(refused.value.message).endswith(
        "abgelaufen. Bitte wenden Sie sich für Änderungen an die KOK-Geschäftsstelle."
    )
    with pytest.raises(speakers.SpeakerError):
        speakers.speaker_decline(invitation=invitation)
    invitation.refresh_from_db()
    assert (invitation.confirmed_at, invitation.declined_at, invitation.speaker.consent_to_publish) == (
        None,
        None,
        False,
    )


def test_a_speaker_in_a_programme_or_with_consent_is_not_deleted(item):
    named = speaker_on(item)
    consenting = SpeakerFactory(consented=True)
    free = SpeakerFactory()
    for speaker in (named, consenting):
        with pytest.raises(speakers.SpeakerError):
            speakers.speaker_delete(speaker=speaker)
    speakers.speaker_delete(speaker=free)
    assert set(Speaker.objects.values_list("pk", flat=True)) == {named.pk, consenting.pk}


def test_programme_item_speakers_set_keeps_the_chosen_order(item):
    a, b, c = SpeakerFactory(), SpeakerFactory(), SpeakerFactory()
    assert speakers.programme_item_speakers_set(item=item, speakers=[b, a]) is True
    assert speakers.programme_item_speakers_set(item=item, speakers=[b, a]) is False
    speakers.programme_item_speakers_set(item=item, speakers=[c, b])
    links = ProgrammeItemSpeaker.objects.filter(programme_item=item).order_by("position")
    assert [(link.speaker, link.position) for link in links] == [(c, 0), (b, 1)]
    assert AuditLogEntry.objects.filter(action="speaker_linked").count() == 2


# --- the speaker's page -------------------------------------------------------------------------------------


def test_speaker_page_confirms_with_consent(client, event, item):
    token = speakers.new_token()
    invitation = speaker_invitation(speaker_on(item, name="Alex Beispiel"), event, token=token)
    url = reverse("events:speaker_invitation", kwargs={"token": token})

    page = client.get(url)
    assert page.status_code == 200
    assert page["Referrer-Policy"] == "no-referrer"
    assert page["Cache-Control"] == "max-age=0, no-cache, no-store, must-revalidate, private"
    assert "Praxisfachtag Referierende" in page.text
    assert "Identifizierung im Asylverfahren" in page.text
    assert (
        "Name, Organisation und Kurzbiografie dürfen auf der Veranstaltungsseite, im Kalendereintrag und in der "
        "Dokumentation erscheinen" in page.text
    )
    assert invitation.speaker.email not in page.text

    response = client.post(
        url,
        {
            "action": "confirm",
            "organisation": "KOK e.V.",
            "bio": "Referentin in der Geschäftsstelle.",
            "bio_en": "",
            "consent_to_publish": "on",
        },
    )
    assert (response.status_code, response["Location"]) == (302, url)
    speaker = Speaker.objects.get(pk=invitation.speaker_id)
    assert (speaker.organisation, speaker.bio, speaker.consent_to_publish) == (
        "KOK e.V.",
        "Referentin in der Geschäftsstelle.",
        True,
    )
    assert "Vielen Dank! Ihre Zusage und Ihre Angaben sind gespeichert." in client.get(url).text


def test_speaker_page_declines(client, event, item):
    token = speakers.new_token()
    invitation = speaker_invitation(speaker_on(item), event, token=token)
    client.post(reverse("events:speaker_invitation", kwargs={"token": token}), {"action": "decline"})
    invitation.refresh_from_db()
    assert invitation.state == "declined"


def test_speaker_page_after_the_deadline_is_read_only(client, event, item):
    token = speakers.new_token()
    invitation = speaker_invitation(
        speaker_on(item, bio="Alte Biografie"), event, token=token, deadline=timezone.now() - dt.timedelta(days=1)
    )
    url = reverse("events:speaker_invitation", kwargs={"token": token})
    page = client.get(url)
    assert page.status_code == 200
    assert "die Angaben können hier nicht mehr geändert werden" in page.text
    assert '<form method="post"' not in page.text
    client.post(url, {"action": "confirm", "bio": "Neu", "consent_to_publish": "on"})
    speaker = Speaker.objects.get(pk=invitation.speaker_id)
    assert (speaker.bio, speaker.consent_to_publish) == ("Alte Biografie", False)


def test_unknown_or_altered_link_answers_404(client, event, item):
    token = speakers.new_token()
    speaker_invitation(speaker_on(item), event, token=token)
    altered = token[:-1] + ("A" if token[-1] != "A" else "B")
    assert client.get(reverse("events:speaker_invitation", kwargs={"token": altered})).status_code == 404
    assert client.get("/referierende/kurz/").status_code == 404


# --- where consenting speakers appear -----------------------------------------------------------------------


@pytest.fixture
def programme(item):
    """One consenting speaker and one who has not consented, in the same item (the free text stays)."""
    item.speakers = "Fachberatungsstelle Nord"
    item.save()
    speaker_on(
        item,
        name="Alex Einverstanden",
        organisation="BAMF, Außenstelle Beispiel",
        bio="Sonderbeauftragter seit 2015.",
        bio_en="Special officer since 2015.",
        consented=True,
    )
    speaker_on(item, name="Sam Nichteinverstanden", organisation="Geheime Stelle", bio="Nicht öffentlich.")
    return item


def test_event_page_shows_only_consenting_speakers(client, event, programme):
    text = client.get(event.get_absolute_url()).text
    assert "Alex Einverstanden" in text
    assert "BAMF, Außenstelle Beispiel" in text
    assert "<summary>Über Alex Einverstanden</summary>" in text
    assert "Sonderbeauftragter seit 2015." in text
    assert "Fachberatungsstelle Nord" in text
    for hidden in ("Sam Nichteinverstanden", "Geheime Stelle", "Nicht öffentlich.", "@beispiel.example"):
        assert hidden not in text
    cache.clear()
    english = client.get(event.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="en").text
    assert "Special officer since 2015." in english


def test_event_page_stays_one_query_whatever_the_number_of_speakers(
    client, event, programme, django_assert_num_queries
):
    for index in range(10):
        hour = 12 + index % 4
        item = ProgrammeItemFactory(event=event, start=dt.time(hour), end=dt.time(hour, 45))
        speaker_on(item, consented=bool(index % 2))
    with django_assert_num_queries(1):
        response = client.get(event.get_absolute_url() + "?uncached=1")
    assert sum(len(item.published_speakers) for item in response.context["page"].programme) == 6


def test_ical_names_consenting_speakers_by_programme_item(event, programme):
    calendar = Calendar.from_ical(event_ical(event))
    (entry,) = calendar.walk("VEVENT")
    assert str(entry["DESCRIPTION"]) == (
        "Referent*innen:\n\n10:00–11:00 Identifizierung im Asylverfahren\n"
        "Alex Einverstanden (BAMF, Außenstelle Beispiel)"
    )
    assert "Sam Nichteinverstanden" not in event_ical(event).decode()


def test_ical_without_consenting_speakers_has_no_description(event, item):
    speaker_on(item, name="Sam Nichteinverstanden")
    (entry,) = Calendar.from_ical(event_ical(event)).walk("VEVENT")
    assert "DESCRIPTION" not in entry


def test_documentation_names_consenting_speakers_with_bios(event, programme):
    html = pdfs.documentation_html(event=event, lang="de")
    assert '<span class="speaker">Alex Einverstanden, BAMF, Außenstelle Beispiel</span>' in html
    assert '<section class="chapter" id="speakers">' in html
    assert "<p>Sonderbeauftragter seit 2015.</p>" in html
    for hidden in ("Sam Nichteinverstanden", "Geheime Stelle", "Nicht öffentlich.", "@beispiel.example"):
        assert hidden not in html
    english = pdfs.documentation_html(event=event, lang="en")
    assert "<p>Special officer since 2015.</p>" in english


def test_documentation_without_consenting_speakers_has_no_speaker_chapter(event, item):
    speaker_on(item, name="Sam Nichteinverstanden")
    html = pdfs.documentation_html(event=event, lang="de")
    assert 'id="speakers"' not in html
    assert "Sam Nichteinverstanden" not in html


def test_copy_as_draft_keeps_speakers_of_items_not_invitations(event, programme):
    # The consenting speaker confirmed the event (speaker_on); the copy names both, invites nobody, so it names
    # nobody publicly until they confirm the new event.
    copy = event_copy_as_draft(event=event)
    (copied_item,) = copy.programme.all()
    assert [link.speaker.name for link in copied_item.speaker_links.order_by("position")] == [
        "Alex Einverstanden",
        "Sam Nichteinverstanden",
    ]
    assert SpeakerInvitation.objects.filter(event=copy).count() == 0
    assert SpeakerInvitation.objects.filter(event=event).count() == 1
    assert speakers.published_links().filter(programme_item__event=copy).count() == 0
    assert list(
        speakers.published_links().filter(programme_item__event=event).values_list("speaker__name", flat=True)
    ) == ["Alex Einverstanden"]


def test_admin_invitation_page_lists_speakers_and_sends(
    staff_client, event, item, deadline, django_capture_on_commit_callbacks
):
    speaker = speaker_on(item, name="Kim Eingeladen")
    speaker_on(item, name="Lou Ohneadresse", email="")
    url = reverse("admin:events_event_speakers_invite", args=[event.pk])
    page = staff_client.get(url)
    assert page.status_code == 200
    assert "Kim Eingeladen" in page.text
    assert "nicht eingeladen" in page.text

    with django_capture_on_commit_callbacks(execute=True):
        response = staff_client.post(url, {"deadline": timezone.localtime(deadline).strftime("%Y-%m-%dT%H:%M")})
    assert (response.status_code, response["Location"]) == (302, url)
    assert [m.to for m in mail.outbox] == [[speaker.email]]
    invitation = SpeakerInvitation.objects.get(event=event)
    assert invitation.speaker == speaker
    page = staff_client.get(url).text
    assert "Ohne E-Mail-Adresse und daher nicht eingeladen: Lou Ohneadresse" in page
    assert "offen" in page


def test_speaker_page_form_posts_without_referrer_or_csrf_cookie(event, item):
    """The page sends no referrer, so the browser posts with ``Origin: null``; the link's secret is the proof."""
    from django.test import Client

    token = speakers.new_token()
    invitation = speaker_invitation(speaker_on(item), event, token=token)
    client = Client(enforce_csrf_checks=True)
    response = client.post(
        reverse("events:speaker_invitation", kwargs={"token": token}), {"action": "decline"}, HTTP_ORIGIN="null"
    )
    assert response.status_code == 302
    invitation.refresh_from_db()
    assert invitation.state == "declined"


def test_a_speaker_is_named_only_once_they_confirmed_this_event_and_never_after_declining(event, item, deadline):
    """Consent is the person's, the confirmation is per event: a speaker who consented earlier is named on an event
    only once they confirm it through their invitation, never when staff merely attached them (a copied programme),
    and no longer once they decline (outside walks)."""
    from django.test import Client

    speaker = speaker_on(
        item, name="Robin Beispiel", consent_to_publish=True, consent_given_at=timezone.now(), confirmed=False
    )

    def named() -> tuple[bool, bool, bool]:
        cache.clear()
        page = "Robin Beispiel" in Client().get(event.get_absolute_url()).content.decode()
        ical = "Robin Beispiel" in event_ical(event).decode()
        fresh = type(event).objects.get(pk=event.pk)  # as each request reads it (the prefetch is per instance)
        documentation = [s.name for s in pdfs_selectors.event_documentation(event=fresh, case_examples=[]).speakers]
        return page, ical, documentation == ["Robin Beispiel"]

    assert named() == (False, False, False)  # named in the programme by staff, with consent, never asked
    invitation = speaker_invitation(speaker, event, deadline=deadline)
    assert named() == (False, False, False)  # invited: not before answering
    speakers.speaker_confirm(
        invitation=invitation, organisation="", bio="", bio_en="", consent_to_publish=True, now=timezone.now()
    )
    assert named() == (True, True, True)
    invitation.refresh_from_db()
    speakers.speaker_decline(invitation=invitation)
    assert named() == (False, False, False)


def test_speakers_invite_skips_those_invited_before_unless_asked_to_invite_again(
    event, item, deadline, django_capture_on_commit_callbacks
):
    """Outside walk: a second round re-invited everyone, resetting links and dates of people who had answered."""
    answered = speaker_on(item, name="Alex Beantwortet")
    old = speaker_invitation(answered, event, deadline=deadline, declined_at=timezone.now())
    new = speaker_on(ProgrammeItemFactory(event=event), name="Kim Neu")

    with django_capture_on_commit_callbacks(execute=True):
        result = speakers.speakers_invite(event=event, deadline=deadline, by=None)
    assert (result.invited, result.skipped) == ([new], [answered])
    assert [m.to for m in mail.outbox] == [[new.email]]
    assert SpeakerInvitation.objects.get(pk=old.pk).token_hash == old.token_hash  # the old link still works

    with pytest.raises(speakers.SpeakerError, match="schon eingeladen"):
        speakers.speakers_invite(event=event, deadline=deadline, by=None)

    with django_capture_on_commit_callbacks(execute=True):
        again = speakers.speakers_invite(event=event, deadline=deadline, by=None, again=True)
    assert again.invited == [answered, new]
    assert SpeakerInvitation.objects.get(pk=old.pk).declined_at is not None  # the answer is kept


def test_staff_record_a_confirmation_given_by_phone(staff_client, event, item, django_capture_on_commit_callbacks):
    """A speaker who consented earlier and confirmed by phone: staff record it on the invitation page, no mail goes
    out, the speaker is named publicly; one without consent is not, and the page says why."""
    consenting = speaker_on(
        item, name="Kim Telefon", consent_to_publish=True, consent_given_at=timezone.now(), confirmed=False
    )
    without_consent = speaker_on(item, name="Lou Ohne Einwilligung")
    url = reverse("admin:events_event_speakers_invite", args=[event.pk])
    assert 'name="record_confirmation"' in staff_client.get(url).text

    with django_capture_on_commit_callbacks(execute=True):
        response = staff_client.post(url, {"record_confirmation": str(consenting.pk)})
    assert (response.status_code, response["Location"]) == (302, url)
    page = staff_client.get(url).text
    assert "Die Zusage von Kim Telefon ist erfasst." in page
    invitation = SpeakerInvitation.objects.get(event=event, speaker=consenting)
    assert (invitation.confirmed_at is not None, invitation.sent_at, mail.outbox) == (True, None, [])
    assert list(
        AuditLogEntry.objects.filter(action="speaker_confirmation_recorded").values_list("detail", flat=True)
    ) == [{"speaker_id": consenting.pk}]
    assert list(
        speakers.published_links().filter(programme_item__event=event).values_list("speaker__name", flat=True)
    ) == ["Kim Telefon"]

    staff_client.post(url, {"record_confirmation": str(without_consent.pk)})
    assert "Ohne ihre Einwilligung erscheint sie nicht öffentlich." in staff_client.get(url).text
    assert speakers.published_links().filter(speaker=without_consent).count() == 0

    # Someone not in this programme, or a made-up id: refused.
    stranger = SpeakerFactory(name="Nicht im Programm")
    staff_client.post(url, {"record_confirmation": str(stranger.pk)})
    staff_client.post(url, {"record_confirmation": "x"})
    assert SpeakerInvitation.objects.filter(speaker=stranger).count() == 0
    assert "Diese Person steht nicht im Programm dieser Veranstaltung." in staff_client.get(url).text


def test_record_confirmation_replaces_a_decline(event, item, deadline):
    speaker = speaker_on(item, name="Robin Umentschieden")
    invitation = speaker_invitation(speaker, event, deadline=deadline, declined_at=timezone.now())
    speakers.speaker_confirmation_record(event=event, speaker=speaker, by=None)
    invitation.refresh_from_db()
    assert (invitation.confirmed_at is not None, invitation.declined_at) == (True, None)
