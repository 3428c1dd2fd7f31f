"""Invitations to a practice day (participants.invitations, issue 15 part 1): the address book (organisations'
functional addresses, people who consented), segments, personal links, invitation-only events, withdrawal, the
figures, and the mails as a real SMTP server receives them (tests/smtp.py)."""

from __future__ import annotations

import datetime as dt
import logging

import pytest
from django.db import IntegrityError, transaction
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from events.enums import EventStatus
from kokportal.models import AuditLogEntry
from participants import invitations, privacy
from participants.enums import DeliveryFailure, DeliveryState, InvitationSource
from participants.errors import (
    InvitationEventNotOpen,
    InvitationNoRecipients,
    InvitationNotAllowed,
    InvitationRecipientsChanged,
    InvitationRequired,
    InvitationsAlreadySent,
)
from participants.invitations import Segment
from participants.models import Invitation, InvitationBatch, InvitationConsent, Registration
from participants.services import registration_create
from tests.auth import login
from tests.factories import (
    EventFactory,
    OrganisationFactory,
    RegistrationFactory,
    StaffFactory,
    UserFactory,
    organisation_type,
)
from tests.participants.conftest import make_data

pytestmark = pytest.mark.django_db


def acting_staff(**kwargs):
    return StaffFactory(is_superuser=True, **kwargs)


@pytest.fixture
def event():
    fbs, bamf = organisation_type("fachberatungsstelle"), organisation_type("bamf")
    return EventFactory(
        title="Praxisfachtag Nord 2027",
        slug="praxisfachtag-nord-2027",
        date=timezone.localdate() + dt.timedelta(days=60),
        invited=[fbs, bamf],
    )


@pytest.fixture
def book():
    """The address book: three organisations with functional addresses (one in Bavaria, one a KOK member), one
    without, one unreviewed, one that stopped invitations, one with an invalid address; two people who consented."""
    fbs, bamf, jugend = (organisation_type(s) for s in ("fachberatungsstelle", "bamf", "jugendhilfe"))
    past = EventFactory(past=True, title="Praxisfachtag 2026")
    orgs = {
        "hamburg": OrganisationFactory(
            name="Beratungsstelle Hafen", organisation_type=fbs, federal_state="HH", contact_email="Info@Hafen.example"
        ),
        "muenchen": OrganisationFactory(
            name="Beratung Isar",
            organisation_type=fbs,
            federal_state="BY",
            contact_email="kontakt@isar.example",
            is_kok_member=True,
        ),
        "bamf": OrganisationFactory(
            name="BAMF Außenstelle", organisation_type=bamf, federal_state="BE", contact_email="sb@bamf.example"
        ),
        "no_address": OrganisationFactory(name="Ohne Adresse", organisation_type=fbs, federal_state="HH"),
        "unreviewed": OrganisationFactory(
            name="Neu", organisation_type=fbs, federal_state="HH", contact_email="neu@neu.example", is_reviewed=False
        ),
        "stopped": OrganisationFactory(
            name="Abbestellt",
            organisation_type=fbs,
            federal_state="HH",
            contact_email="stop@stop.example",
            invitations_stopped_at=timezone.now(),
        ),
        "invalid": OrganisationFactory(
            name="Kaputt", organisation_type=fbs, federal_state="HH", contact_email="kaputt@"
        ),
        "jugend": OrganisationFactory(
            name="Jugendamt", organisation_type=jugend, federal_state="HH", contact_email="ja@jugend.example"
        ),
    }
    # EmailField does not check on save: the invalid one is stored as it came in (an import, an old record).
    anna = InvitationConsent.objects.create(
        email="anna@example.org",
        first_name="Anna",
        last_name="Becker",
        organisation_type=fbs,
        federal_state="HH",
        consent_version="2026-11",
        consented_at=timezone.now(),
    )
    anna.events.add(past)
    omar = InvitationConsent.objects.create(
        email="omar@example.org",
        first_name="Omar",
        last_name="Yılmaz",
        organisation_type=bamf,
        federal_state="BE",
        language="en",
        consent_version="2026-11",
        consented_at=timezone.now(),
    )
    return {"orgs": orgs, "anna": anna, "omar": omar, "past": past}


def emails(selection) -> list[str]:
    return [r.email for r in selection.recipients]


# --- segments ---------------------------------------------------------------------------------------------------


def test_the_whole_segment_reaches_reviewed_organisations_with_an_address_and_consents_of_invited_types(event, book):
    selection = invitations.segment_select(event=event, segment=Segment())
    # Organisations first (by name), then people (by name); the youth office's type is not invited to the event.
    assert emails(selection) == [
        "sb@bamf.example",
        "kontakt@isar.example",
        "info@hafen.example",
        "anna@example.org",
        "omar@example.org",
    ]
    assert selection.skipped_invalid == 1
    assert selection.skipped_already_invited == 0
    assert selection.skipped_duplicate == 0
    assert selection.skipped_stopped == 1


def test_segments_by_type_state_membership_and_past_events(event, book):
    fbs = organisation_type("fachberatungsstelle")
    by_type = invitations.segment_select(event=event, segment=Segment(organisation_types=(fbs.pk,)))
    assert emails(by_type) == ["kontakt@isar.example", "info@hafen.example", "anna@example.org"]
    by_state = invitations.segment_select(event=event, segment=Segment(federal_states=("BY", "BE")))
    assert emails(by_state) == ["sb@bamf.example", "kontakt@isar.example", "omar@example.org"]
    members = invitations.segment_select(event=event, segment=Segment(kok_members_only=True, consents=False))
    assert emails(members) == ["kontakt@isar.example"]
    past = invitations.segment_select(event=event, segment=Segment(organisations=False, past_events=(book["past"].pk,)))
    assert emails(past) == ["anna@example.org"]


def test_an_address_in_both_lists_is_invited_once(event, book):
    book["anna"].email = "info@hafen.example"
    book["anna"].save()
    selection = invitations.segment_select(event=event, segment=Segment())
    assert emails(selection).count("info@hafen.example") == 1
    assert selection.skipped_duplicate == 1


# --- sending ----------------------------------------------------------------------------------------------------


def test_sending_stores_one_invitation_per_address_and_audits_counts_only(
    event, book, django_capture_on_commit_callbacks
):
    staff = acting_staff()
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        batch = invitations.invitations_send(event=event, segment=Segment(), note="Bitte weitergeben.", by=staff)
    assert len(callbacks) == 1  # one task for the whole batch
    assert batch.invited_count == 5
    assert batch.skipped_invalid == 1
    rows = list(batch.invitations.order_by("id").values_list("email", "source", "state"))
    assert rows == [
        ("sb@bamf.example", InvitationSource.ORGANISATION, DeliveryState.SENT),
        ("kontakt@isar.example", InvitationSource.ORGANISATION, DeliveryState.SENT),
        ("info@hafen.example", InvitationSource.ORGANISATION, DeliveryState.SENT),
        ("anna@example.org", InvitationSource.SUBSCRIBER, DeliveryState.SENT),
        ("omar@example.org", InvitationSource.SUBSCRIBER, DeliveryState.SENT),
    ]
    tokens = set(batch.invitations.values_list("token", flat=True))
    assert len(tokens) == 5 and all(len(t) == 43 for t in tokens)
    entry = AuditLogEntry.objects.get(action="invitations_sent")
    assert entry.actor == staff
    assert entry.detail["count"] == 5
    assert entry.detail["skipped_invalid"] == 1
    assert "@" not in str(entry.detail)


def test_the_same_address_is_not_invited_twice_to_one_event(event, book, django_capture_on_commit_callbacks):
    staff = acting_staff()
    with django_capture_on_commit_callbacks(execute=True):
        invitations.invitations_send(event=event, segment=Segment(consents=False), note="", by=staff)
    second = invitations.segment_select(event=event, segment=Segment())
    assert emails(second) == ["anna@example.org", "omar@example.org"]
    assert second.skipped_already_invited == 3
    with django_capture_on_commit_callbacks(execute=True):
        invitations.invitations_send(event=event, segment=Segment(), note="", by=staff)
    with pytest.raises(InvitationNoRecipients):
        invitations.invitations_send(event=event, segment=Segment(), note="", by=staff)
    # The database refuses it too, whatever the letter case.
    batch = InvitationBatch.objects.first()
    with pytest.raises(IntegrityError), transaction.atomic():
        Invitation.objects.create(
            batch=batch, event=event, email="INFO@hafen.example", source=InvitationSource.ORGANISATION, token="x" * 43
        )


def test_only_staff_with_a_second_factor_may_invite(event, book):
    # A participant, and a staff account whose session has not passed a second factor.
    for person in (UserFactory(), UserFactory(is_staff=True)):
        with pytest.raises(InvitationNotAllowed):
            invitations.invitations_send(event=event, segment=Segment(), note="", by=person)
    assert not Invitation.objects.exists()


@pytest.mark.parametrize("change", ["draft", "past", "cancelled", "registration closed"])
def test_invitations_only_to_a_published_upcoming_event(event, book, change):
    if change == "draft":
        event.status = EventStatus.DRAFT
    elif change == "cancelled":
        event.status = EventStatus.CANCELLED
    elif change == "registration closed":
        event.registration_closes = timezone.now() - dt.timedelta(minutes=1)
    else:
        event.date = timezone.localdate() - dt.timedelta(days=1)
    event.save()
    assert invitations.may_invite_to(event) is False
    with pytest.raises(InvitationEventNotOpen):
        invitations.invitations_send(event=event, segment=Segment(), note="", by=acting_staff())


def test_invitations_before_registration_opens_say_when_it_opens(
    event, book, mailoutbox, django_capture_on_commit_callbacks
):
    from django.utils import translation
    from django.utils.formats import date_format

    event.registration_opens = timezone.make_aware(dt.datetime.combine(event.date - dt.timedelta(days=20), dt.time(9)))
    event.registration_closes = event.registration_opens + dt.timedelta(days=10)
    event.save()
    assert invitations.may_invite_to(event) is True
    with django_capture_on_commit_callbacks(execute=True):
        invitations.invitations_send(event=event, segment=Segment(organisations=False), note="", by=acting_staff())
    [anna] = [m for m in mailoutbox if m.to == ["anna@example.org"]]
    with translation.override("de"):
        opens = date_format(timezone.localtime(event.registration_opens), "DATETIME_FORMAT")
    assert f"Die Anmeldung öffnet am {opens} Uhr; der Link führt Sie dann dorthin.\n" in anna.body


def test_a_confirmation_sends_once_and_only_for_the_confirmed_count(event, book, django_capture_on_commit_callbacks):
    staff = acting_staff()
    with pytest.raises(InvitationRecipientsChanged):
        invitations.invitations_send(event=event, segment=Segment(), note="", by=staff, expected_count=4)
    key = "k" * 43
    with django_capture_on_commit_callbacks(execute=True):
        batch = invitations.invitations_send(
            event=event, segment=Segment(consents=False), note="", by=staff, expected_count=3, send_key=key
        )
    with pytest.raises(InvitationsAlreadySent) as refused:
        invitations.invitations_send(event=event, segment=Segment(), note="", by=staff, send_key=key)
    assert refused.value.batch == batch
    assert Invitation.objects.count() == 3


def test_one_thousand_invitations_are_stored_in_a_constant_number_of_queries_and_one_task(
    event, django_capture_on_commit_callbacks, django_assert_max_num_queries
):
    fbs = organisation_type("fachberatungsstelle")
    OrganisationFactory.create_batch(1000, organisation_type=fbs, contact_email=factory_address(), federal_state="HH")
    staff = acting_staff()
    with django_capture_on_commit_callbacks(execute=False) as callbacks, django_assert_max_num_queries(20):
        batch = invitations.invitations_send(event=event, segment=Segment(), note="", by=staff)
    assert len(callbacks) == 1
    assert batch.invited_count == 1000
    assert Invitation.objects.filter(batch=batch, state=DeliveryState.QUEUED).count() == 1000


def factory_address():
    import factory

    return factory.Sequence(lambda n: f"stelle{n}@beratung.example")


# --- the mails over SMTP ----------------------------------------------------------------------------------------


def test_invitations_over_smtp_personal_links_both_parts_and_list_unsubscribe(
    event, book, smtp_server, settings, django_capture_on_commit_callbacks
):
    settings.SITE_URL = "https://praxisfachtage.example.org"
    with django_capture_on_commit_callbacks(execute=True):
        invitations.invitations_send(
            event=event, segment=Segment(), note="Bitte leiten Sie die Einladung weiter.", by=acting_staff()
        )
    assert sorted(a for m in smtp_server.messages for a in m.envelope_to) == [
        "anna@example.org",
        "info@hafen.example",
        "kontakt@isar.example",
        "omar@example.org",
        "sb@bamf.example",
    ]
    [anna] = smtp_server.messages_to("anna@example.org")
    invitation = Invitation.objects.get(email="anna@example.org")
    link = f"https://praxisfachtage.example.org/einladung/{invitation.token}/"
    unsubscribe = f"https://praxisfachtage.example.org/einladung/{invitation.token}/abbestellen/"
    assert anna.get_all("To") == ["anna@example.org"]
    assert anna["Subject"] == "[KOK-Praxisfachtag] Einladung: Praxisfachtag Nord 2027"
    # (A long header is folded; the receiver unfolds it with its leading space.)
    assert anna["List-Unsubscribe"].strip() == f"<{unsubscribe}>"
    assert anna["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert [p.get_content_type() for p in anna.message.iter_parts()] == ["text/plain", "text/html"]
    text = smtp_server.text_part(anna)
    assert text.startswith("Guten Tag Anna Becker,\n\nSie hatten uns gebeten, Sie über künftige Praxisfachtage")
    assert "Bitte leiten Sie die Einladung weiter." in text
    assert f"Zur Anmeldung: {link}\n" in text
    assert unsubscribe in text
    html = smtp_server.html_part(anna)
    assert f'href="{link}"' in html and f'href="{unsubscribe}"' in html
    # An organisation's office is greeted as an office and asked to pass the invitation on.
    [office] = smtp_server.messages_to("info@hafen.example")
    office_text = smtp_server.text_part(office)
    assert office_text.startswith("Guten Tag,\n\nder KOK lädt Ihre Stelle herzlich")
    # Omar reads English; every other invitation has its own link.
    [omar] = smtp_server.messages_to("omar@example.org")
    assert smtp_server.text_part(omar).startswith(
        "Dear Omar Yılmaz,\n\nYou asked us to tell you about future practice days."
    )
    assert len({m["List-Unsubscribe"] for m in smtp_server.messages}) == 5


def test_a_refused_address_is_recorded_and_the_others_arrive(
    event, book, smtp_server, django_capture_on_commit_callbacks, caplog
):
    smtp_server.refuse("kontakt@isar.example")
    with (
        caplog.at_level(logging.INFO, logger="participants.tasks"),
        django_capture_on_commit_callbacks(execute=True),
    ):
        batch = invitations.invitations_send(event=event, segment=Segment(), note="", by=acting_staff())
    assert len(smtp_server.messages) == 4
    refused = Invitation.objects.get(email="kontakt@isar.example")
    assert (refused.state, refused.failure) == (DeliveryState.FAILED, DeliveryFailure.REFUSED)
    assert batch.invitations.filter(state=DeliveryState.SENT).count() == 4
    assert "isar" not in caplog.text


def test_a_withdrawal_stops_every_later_mail_at_once(event, book, django_capture_on_commit_callbacks, mailoutbox):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        batch = invitations.invitations_send(event=event, segment=Segment(), note="", by=acting_staff())
    # Before the queue runs, Anna withdraws (another invitation's link) and the Hamburg office stops invitations.
    invitations.consent_withdraw(consent=book["anna"])
    invitations.organisation_invitations_stop(organisation=book["orgs"]["hamburg"])
    for callback in callbacks:
        callback()
    assert sorted(m.to[0] for m in mailoutbox) == ["kontakt@isar.example", "omar@example.org", "sb@bamf.example"]
    stopped = batch.invitations.filter(failure=DeliveryFailure.WITHDRAWN)
    assert stopped.count() == 2
    # Anna's address is gone from the invitation; the row stays for the figures.
    assert sorted(str(e) for e in stopped.values_list("email", flat=True)) == ["None", "info@hafen.example"]
    assert not InvitationConsent.objects.filter(email="anna@example.org").exists()


# --- the link, the registration and the figures ------------------------------------------------------------------


def _one_invitation(event, book, callbacks, address="anna@example.org") -> Invitation:
    with callbacks(execute=True):
        invitations.invitations_send(event=event, segment=Segment(), note="", by=acting_staff())
    return Invitation.objects.get(email=address)


def test_the_link_opens_the_registration_with_the_type_preset_and_counts(
    event, book, django_capture_on_commit_callbacks
):
    invitation = _one_invitation(event, book, django_capture_on_commit_callbacks, address="sb@bamf.example")
    person = UserFactory(email="sonderbeauftragte@bamf.example")
    client = login(Client(), person)
    response = client.get(reverse("participants:invitation_open", kwargs={"token": invitation.token}))
    assert response.status_code == 302
    assert response["Location"] == reverse("participants:register", kwargs={"slug": event.slug})
    invitation.refresh_from_db()
    assert invitation.opened_at is not None
    page = client.get(response["Location"])
    assert page.context["form"].initial["organisation_type"] == organisation_type("bamf").pk
    # Opening again keeps the first time.
    first = invitation.opened_at
    client.get(reverse("participants:invitation_open", kwargs={"token": invitation.token}))
    invitation.refresh_from_db()
    assert invitation.opened_at == first

    bamf_org = book["orgs"]["bamf"]
    response = client.post(
        reverse("participants:register", kwargs={"slug": event.slug}),
        {
            "first_name": "Sina",
            "last_name": "Roth",
            "organisation_type": bamf_org.organisation_type_id,
            "organisation": bamf_org.pk,
            "function": "Sonderbeauftragte",
            "federal_state": "BE",
            "privacy_consent": "on",
            "website": "",
        },
    )
    assert response.status_code == 302
    registration = Registration.objects.get(email="sonderbeauftragte@bamf.example")
    assert registration.invitation == invitation
    [figures] = invitations.batch_figures(event=event)
    assert (figures.invited, figures.sent, figures.failed, figures.opened, figures.registered) == (5, 5, 0, 1, 1)


def test_a_forged_or_altered_link_answers_404(event, book, django_capture_on_commit_callbacks):
    invitation = _one_invitation(event, book, django_capture_on_commit_callbacks)
    client = Client()
    for token in ("x" * 43, invitation.token[:-1] + ("A" if invitation.token[-1] != "A" else "B"), "a" * 200):
        assert client.get(reverse("participants:invitation_open", kwargs={"token": token})).status_code == 404
        assert client.get(reverse("participants:invitation_unsubscribe", kwargs={"token": token})).status_code == 404
    assert Invitation.objects.filter(opened_at__isnull=False).count() == 0


def test_an_invitation_only_event_needs_the_link(event, book, django_capture_on_commit_callbacks):
    event.invitation_only = True
    event.save()
    person = UserFactory(email="ohne-link@example.org")
    client = login(Client(), person)
    page = client.get(reverse("participants:register", kwargs={"slug": event.slug}))
    assert page.status_code == 200
    assert "über den Link Ihrer persönlichen Einladung" in page.content.decode()
    assert "form" not in page.context
    home = client.get("/").content.decode()
    card = home[home.index(event.title) - 1500 : home.index(event.title)]
    assert '<span class="badge text-bg-light border invitation-only-badge">nur mit Einladung</span>' in card
    event_page = client.get(event.get_absolute_url()).content.decode()
    assert "Anmeldung nur mit persönlicher Einladung: Bitte öffnen Sie den Link aus Ihrer Einladungs-E-Mail." in (
        event_page
    )
    data = make_data(organisation=book["orgs"]["hamburg"])
    with pytest.raises(InvitationRequired):
        registration_create(event=event, user=person, data=data)
    invitation = _one_invitation(event, book, django_capture_on_commit_callbacks)
    other_event = EventFactory()
    with pytest.raises(InvitationRequired):  # a link to another event does not open this one
        registration_create(event=event, user=person, data=data, invitation=_other_invitation(other_event))
    registration = registration_create(event=event, user=person, data=data, invitation=invitation)
    assert registration.invitation == invitation


def _other_invitation(other_event) -> Invitation:
    batch = InvitationBatch.objects.create(event=other_event, invited_count=1)
    return Invitation.objects.create(
        batch=batch, event=other_event, email="x@example.org", source=InvitationSource.ORGANISATION, token="o" * 43
    )


# --- withdrawing: the link, one click, the account ---------------------------------------------------------------


def test_unsubscribe_asks_first_and_one_click_post_withdraws_without_csrf(
    event, book, django_capture_on_commit_callbacks
):
    invitation = _one_invitation(event, book, django_capture_on_commit_callbacks)
    url = reverse("participants:invitation_unsubscribe", kwargs={"token": invitation.token})
    client = Client(enforce_csrf_checks=True)
    page = client.get(url)
    assert page.status_code == 200
    assert "Keine Einladungen mehr" in page.content.decode()
    assert InvitationConsent.objects.filter(email="anna@example.org").exists()
    # What a mail program sends for List-Unsubscribe-Post (RFC 8058): no cookie, no token.
    response = client.post(url, {"List-Unsubscribe": "One-Click"})
    assert response.status_code == 200
    assert "Ihre Einwilligung ist widerrufen und gelöscht" in response.content.decode()
    assert not InvitationConsent.objects.filter(email="anna@example.org").exists()
    invitation.refresh_from_db()
    assert (invitation.email, invitation.consent_id, invitation.state) == (None, None, DeliveryState.SENT)
    # Again: nothing left to stop, and it says so.
    assert "bereits keine Einladungen mehr" in client.post(url).content.decode()


def test_unticking_the_box_of_a_given_consent_withdraws_it(event, book):
    person = UserFactory(email="anna@example.org", first_name="Anna", last_name="Becker")
    client = login(Client(), person)
    form = client.get(reverse("participants:register", kwargs={"slug": event.slug})).context["form"]
    assert (form.initial["future_events_consent"], form.initial["future_events_consent_before"]) == (True, True)
    assert (
        "Nehmen Sie den Haken heraus, widerrufen Sie die Einwilligung."
        in form.fields["future_events_consent"].help_text
    )
    hamburg = book["orgs"]["hamburg"]
    response = client.post(
        reverse("participants:register", kwargs={"slug": event.slug}),
        {
            "first_name": "Anna",
            "last_name": "Becker",
            "organisation_type": hamburg.organisation_type_id,
            "organisation": hamburg.pk,
            "function": "Beraterin",
            "federal_state": "HH",
            "privacy_consent": "on",
            "future_events_consent_before": "True",
            "website": "",
        },
    )
    assert response.status_code == 302
    assert not InvitationConsent.objects.filter(email="anna@example.org").exists()


def test_an_office_stops_invitations_to_its_functional_address(event, book, django_capture_on_commit_callbacks):
    invitation = _one_invitation(event, book, django_capture_on_commit_callbacks, address="info@hafen.example")
    url = reverse("participants:invitation_unsubscribe", kwargs={"token": invitation.token})
    assert "An diese Funktionsadresse gehen keine Einladungen mehr." in Client().post(url).content.decode()
    hamburg = book["orgs"]["hamburg"]
    hamburg.refresh_from_db()
    assert hamburg.invitations_stopped_at is not None
    next_event = EventFactory(date=timezone.localdate() + dt.timedelta(days=90))
    selection = invitations.segment_select(event=next_event, segment=Segment())
    assert "info@hafen.example" not in emails(selection)
    assert selection.skipped_stopped == 2
    # Opened again, the link says at once that nothing is left to stop.
    assert "An diese Adresse gehen bereits keine Einladungen mehr." in Client().get(url).content.decode()
    # A new functional address entered by staff starts afresh.
    staff_client = login(Client(), acting_staff())
    change = reverse("admin:events_organisation_change", args=[hamburg.pk])
    form = staff_client.get(change).context["adminform"].form
    data = {k: v for k, v in form.initial.items() if v is not None}
    data.update({"contact_email": "buero@hafen.example", "is_reviewed": "on"})
    data = {k: (v.pk if hasattr(v, "pk") else v) for k, v in data.items() if k in form.fields}
    data["contact_email"] = "buero@hafen.example"
    assert staff_client.post(change, data).status_code == 302
    hamburg.refresh_from_db()
    assert (hamburg.contact_email, hamburg.invitations_stopped_at) == ("buero@hafen.example", None)
    assert "buero@hafen.example" in emails(invitations.segment_select(event=next_event, segment=Segment()))


def test_consent_on_the_registration_form_and_in_the_account(event, book):
    person = UserFactory(email="lea@example.org", first_name="Lea", last_name="Sommer")
    client = login(Client(), person)
    hamburg = book["orgs"]["hamburg"]
    response = client.post(
        reverse("participants:register", kwargs={"slug": event.slug}),
        {
            "first_name": "Lea",
            "last_name": "Sommer",
            "organisation_type": hamburg.organisation_type_id,
            "organisation": hamburg.pk,
            "function": "Beraterin",
            "federal_state": "HH",
            "privacy_consent": "on",
            "future_events_consent": "on",
            "website": "",
        },
    )
    assert response.status_code == 302
    consent = InvitationConsent.objects.get(email="lea@example.org")
    assert (consent.user, consent.first_name, consent.organisation, consent.federal_state) == (
        person,
        "Lea",
        hamburg,
        "HH",
    )
    assert consent.consent_version == invitations.CONSENT_VERSION
    assert list(consent.events.all()) == [event]
    # The next form shows the consent as given.
    other = EventFactory()
    form = client.get(reverse("participants:register", kwargs={"slug": other.slug})).context["form"]
    assert form.initial["future_events_consent"] is True
    # The account page shows it and withdraws it.
    page = client.get(reverse("participants:privacy")).content.decode()
    assert "Einwilligung widerrufen" in page
    export = privacy.personal_data_export(user=person)
    assert export["invitation_consent"]["email"] == "lea@example.org"
    assert export["invitation_consent"]["events"] == [event.title]
    client.post(reverse("participants:invitation_consent"), {"consent": "no"})
    assert not InvitationConsent.objects.filter(email="lea@example.org").exists()
    assert privacy.personal_data_export(user=person)["invitation_consent"] is None
    client.post(reverse("participants:invitation_consent"), {"consent": "yes"})
    consent = InvitationConsent.objects.get(email="lea@example.org")
    assert (consent.organisation, consent.federal_state) == (hamburg, "HH")  # from the profile


def test_account_deletion_withdraws_the_consent(book):
    person = UserFactory(email="anna@example.org")
    book["anna"].user = person
    book["anna"].save()
    privacy.account_delete(user=person)
    assert not InvitationConsent.objects.filter(email="anna@example.org").exists()


def test_retention_removes_the_addresses_of_old_invitations(event, book, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        invitations.invitations_send(event=event, segment=Segment(), note="", by=acting_staff())
    privacy.retention_purge(months=6, today=event.date + dt.timedelta(days=200))
    assert set(Invitation.objects.values_list("email", "name")) == {(None, "")}
    assert Invitation.objects.count() == 5


def test_the_registration_service_ignores_a_consent_of_someone_else(event, book):
    """Ticking the box records the consent of the account's own address, not of any other."""
    person = UserFactory(email="neu@example.org")
    RegistrationFactory(event=EventFactory(past=True), user=person, email="neu@example.org")
    registration_create(
        event=event,
        user=person,
        data=make_data(organisation=book["orgs"]["hamburg"], future_events_consent=True),
    )
    assert InvitationConsent.objects.filter(user=person).values_list("email", flat=True).get() == "neu@example.org"
