"""The speaker journey, in Chromium, as its people walk it:

1. staff (second factor passed) name a speaker record in a programme item of the event's admin page (autocomplete)
   and send the invitations from "Referent*innen einladen" with a deadline;
2. the speaker opens the link of the mail (a real SMTP server, tests/smtp.py), edits the biography, gives consent
   and confirms;
3. the speaker uploads their slides for the programme item, for registered participants (nothing uploaded through
   a personal link goes public by itself); a wrong file is refused with its reason;
4. the public event page then shows the speaker's name, organisation and biography, and not the slides.

Screenshots of every step land in the test's tmp_path (``--basetemp`` to keep them)."""

import datetime as dt
import re
from urllib.parse import urlsplit

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from events.models import Material, ProgrammeItemSpeaker, Speaker, SpeakerInvitation
from events.speakers import hash_token
from tests.auth import login
from tests.factories import TINY_PDF, EventFactory, ProgrammeItemFactory, SpeakerFactory, StaffFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

BIO = "Alex Beispiel berät seit 2012 Betroffene von Menschenhandel in einer Fachberatungsstelle."


def _context(browser, live_server):
    context = browser.new_context(locale="de-DE", base_url=live_server.url, viewport={"width": 1400, "height": 900})
    context.set_default_timeout(15_000)
    errors: list[str] = []
    context.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    return context, errors


@pytest.fixture
def shot(tmp_path):
    taken = []

    def take(page, name: str) -> None:
        taken.append(name)
        page.screenshot(path=str(tmp_path / f"{len(taken):02d}-{name}.png"), full_page=True)

    return take


def test_staff_invite_a_speaker_who_confirms_and_appears_on_the_event_page(
    browser, live_server, smtp_server, shot, tmp_path
):
    event = EventFactory(title="Praxisfachtag mit Referierenden", date=timezone.localdate() + dt.timedelta(days=30))
    item = ProgrammeItemFactory(event=event, title="Identifizierung im Asylverfahren")
    speaker = SpeakerFactory(
        name="Alex Beispiel", organisation="Fachberatungsstelle Nord", bio="", email="alex@beispiel.example"
    )
    staff = StaffFactory(is_superuser=True)

    # 1. Staff name the speaker in the programme and invite.
    office, office_errors = _context(browser, live_server)
    session = login(Client(), staff).cookies[settings.SESSION_COOKIE_NAME].value
    office.add_cookies([{"name": settings.SESSION_COOKIE_NAME, "value": session, "url": live_server.url}])
    admin = office.new_page()
    admin.goto(reverse("admin:events_event_change", args=[event.pk]))
    admin.locator("td.field-speaker_list .select2-selection").first.click()
    admin.locator(".select2-search__field").last.fill("Alex")
    admin.locator(".select2-results__option", has_text="Alex Beispiel").click()
    shot(admin, "programme-speaker")
    with admin.expect_navigation():
        admin.locator('input[name="_continue"]').first.click()
    assert list(ProgrammeItemSpeaker.objects.values_list("programme_item", "speaker")) == [(item.pk, speaker.pk)]

    admin.get_by_role("link", name="Referent*innen einladen").click()
    admin.wait_for_url(f"**{reverse('admin:events_event_speakers_invite', args=[event.pk])}")
    deadline = timezone.localtime(event.starts_at - dt.timedelta(days=7)).replace(minute=0)
    admin.get_by_label("Frist für Zusage und Angaben").fill(deadline.strftime("%Y-%m-%dT%H:%M"))
    with admin.expect_navigation():
        admin.get_by_role("button", name="Einladungen senden").click()
    assert admin.get_by_text("1 Einladung an Referent*innen wird per E-Mail versandt.").is_visible()
    shot(admin, "invitations-sent")
    office.close()
    assert office_errors == []

    # 2. The speaker opens the link of the mail, edits the biography, consents and confirms.
    [invitation_mail] = smtp_server.messages_to("alex@beispiel.example")
    text = smtp_server.text_part(invitation_mail)
    assert text.startswith("Guten Tag Alex Beispiel,")
    link = re.search(r"^Zu Ihrer Seite: (\S+)$", text, re.MULTILINE).group(1)
    token = urlsplit(link).path.split("/")[-2]
    invitation = SpeakerInvitation.objects.get(event=event, speaker=speaker)
    assert invitation.token_hash == hash_token(token)

    person, person_errors = _context(browser, live_server)
    page = person.new_page()
    page.goto(urlsplit(link).path)
    assert page.get_by_role("heading", name="Ihr Beitrag zum Praxisfachtag").is_visible()
    assert (
        page.locator("section[aria-labelledby=event-heading]")
        .get_by_text("Identifizierung im Asylverfahren")
        .is_visible()
    )
    shot(page, "speaker-page")
    page.get_by_label("Kurzbiografie (deutsch)").fill(BIO)
    page.get_by_label(
        "Name, Organisation und Kurzbiografie dürfen auf der Veranstaltungsseite, im Kalendereintrag und in der "
        "Dokumentation erscheinen"
    ).check()
    with page.expect_navigation():
        page.get_by_role("button", name="Zusagen und speichern").click()
    assert page.get_by_text("Vielen Dank! Ihre Zusage und Ihre Angaben sind gespeichert.").is_visible()
    shot(page, "confirmed")
    speaker = Speaker.objects.get(pk=speaker.pk)
    assert (speaker.bio, speaker.consent_to_publish) == (BIO, True)
    invitation.refresh_from_db()
    assert invitation.confirmed_at is not None

    # 3. The speaker uploads their slides: first a file that only pretends to be a PDF, then the real one.
    fake = tmp_path / "folien.pdf"
    fake.write_bytes(b"<html><script>alert(1)</script></html>")
    real = tmp_path / "Folien Identifizierung.pdf"
    real.write_bytes(TINY_PDF)
    page.get_by_label("Titel").fill("Folien zum Input")
    page.get_by_label("Zu welchem Programmpunkt?").select_option(label="10:00–11:00 Identifizierung im Asylverfahren")
    page.get_by_label("angemeldete Teilnehmer*innen (auf der Veranstaltungsseite)").check()
    page.locator("input[type=file][name=upload]").set_input_files(str(fake))
    with page.expect_navigation():
        page.get_by_role("button", name="Datei hochladen").click()
    assert page.get_by_text("Diese Art von Datei ist nicht erlaubt.", exact=False).is_visible()
    shot(page, "upload-refused")
    page.locator("input[type=file][name=upload]").set_input_files(str(real))
    with page.expect_navigation():
        page.get_by_role("button", name="Datei hochladen").click()
    assert page.get_by_text("Die Datei ist hochgeladen.").is_visible()
    shot(page, "uploaded")
    material = Material.objects.get(event=event)
    assert (material.title, material.uploaded_by_speaker_id, material.visibility) == (
        "Folien zum Input",
        speaker.pk,
        "registered",
    )

    # 4. The public page shows name, organisation and (in a <details>) the biography, and the slides.
    visitor = person.new_page()
    visitor.goto(event.get_absolute_url())
    programme = visitor.locator(".programme-speakers")
    assert programme.get_by_text("Alex Beispiel", exact=True).is_visible()
    assert programme.get_by_text("Fachberatungsstelle Nord").is_visible()
    visitor.get_by_text("Über Alex Beispiel").click()
    assert visitor.get_by_text(BIO).is_visible()
    # The slides are for registered participants: an anonymous visitor does not see them.
    assert visitor.get_by_text("Folien zum Input").count() == 0
    shot(visitor, "event-page")
    person.close()
    assert person_errors == []
