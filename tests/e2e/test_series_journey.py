"""The series journey of issue 15 ("Run the series year after year"), one practice day from registration to the
verified certificate, in Chromium, as its people walk it:

1. a published event with seat quotas and two questions of its own;
2. a person opens the registration page (``_open_registration``), logs in by code, answers the questions and is
   confirmed; the answers are stored;
3. staff (second factor passed) write to the confirmed people through the admin's mailing page: preview, send;
4. on the event's day the badge's signed QR link checks the person in;
5. staff send the certificates with the admin action and its confirmation page;
6. the person downloads the certificate from the start page, and the verification URL printed on it confirms it.

Every mail goes through Django's SMTP backend to a real SMTP server (tests/smtp.py), as in the mailing journey.
Screenshots of every step land in the test's tmp_path (``--basetemp`` to keep them)."""

import datetime as dt
import io
import re
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from events.enums import QuestionKind as K
from events.models import Event
from participants.check_in_links import check_in_path
from participants.enums import DeliveryState
from participants.enums import RegistrationStatus as S
from participants.models import (
    AttendanceCertificate,
    Invitation,
    InvitationBatch,
    InvitationConsent,
    Mailing,
    Registration,
    RegistrationAnswer,
)
from tests.auth import login
from tests.events.factories import EventQuestionFactory
from tests.factories import (
    EventFactory,
    OrganisationFactory,
    QuotaFactory,
    RegistrationFactory,
    StaffFactory,
    organisation_type,
    verified_user,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

CODE_RE = re.compile(r"^\s*([A-Z0-9]{4}-[A-Z0-9]{4})\s*$", re.MULTILINE)
TITLE = "Regionaler Praxisfachtag Nord"
TRAVEL = "Benötigen Sie eine Reisekostenerstattung?"
WORKSHOP = "Welchen Workshop möchten Sie besuchen?"


def _open_registration(page, live_server, event, *, person, smtp_server, shot) -> None:
    """The person opens the link of their personal invitation (the mail staff just sent them), logs in by code on
    the way and arrives at the event's registration form."""
    [invitation_mail] = smtp_server.messages_to(person.email)
    text = smtp_server.text_part(invitation_mail)
    link = re.search(r"^Zur Anmeldung: (\S+)$", text, re.MULTILINE).group(1)
    invitation = Invitation.objects.get(email=person.email, event=event)
    assert urlsplit(link).path == reverse("participants:invitation_open", kwargs={"token": invitation.token})
    page.goto(urlsplit(link).path)
    page.wait_for_url("**/konto/login/**")
    shot(page, "login")
    page.get_by_label("E-Mail-Adresse", exact=True).first.fill(person.email)
    page.get_by_role("button", name="Code anfordern").click()
    page.wait_for_url("**/konto/login/code/confirm/**")
    assert page.get_by_text(f"Wir haben einen Code an {person.email} geschickt.").is_visible()
    code_mail = smtp_server.messages_to(person.email)[-1]
    page.get_by_label("Code").fill(CODE_RE.search(smtp_server.text_part(code_mail)).group(1))
    page.get_by_role("button", name="Einloggen").click()
    page.wait_for_url(f"**{reverse('participants:register', kwargs={'slug': event.slug})}")
    invitation.refresh_from_db()
    assert invitation.opened_at is not None


def _context(browser, live_server, width: int):
    """A fresh browser context at ``width`` with the list of its console errors (none is acceptable)."""
    context = browser.new_context(
        locale="de-DE", base_url=live_server.url, viewport={"width": width, "height": 900 if width > 500 else 844}
    )
    context.set_default_timeout(15_000)
    errors: list[str] = []
    context.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    return context, errors


def _staff_session(context, live_server, staff) -> None:
    """The context gets the session of a staff login that passed the second factor (tests/auth.py)."""
    session = login(Client(), staff).cookies[settings.SESSION_COOKIE_NAME].value
    context.add_cookies([{"name": settings.SESSION_COOKIE_NAME, "value": session, "url": live_server.url}])


def _pdf_text(content: bytes) -> str:
    reader = PdfReader(io.BytesIO(content))
    return " ".join(" ".join(p.extract_text() for p in reader.pages).split())


@pytest.fixture
def shot(tmp_path):
    """Screenshot of a step (``shot(page, name)``); every page is checked not to scroll sideways."""
    taken = []

    def take(page, name: str) -> None:
        width = page.viewport_size["width"]
        taken.append(name)
        page.screenshot(path=str(tmp_path / f"{len(taken):02d}-{width}-{name}.png"), full_page=True)
        assert page.evaluate("document.documentElement.scrollWidth") <= width, name

    return take


def test_series_journey_from_registration_to_the_verified_certificate(browser, live_server, smtp_server, shot):
    # 1. A published practice day with seat quotas and two questions of its own; a second person is confirmed already.
    fbs, bamf = organisation_type("fachberatungsstelle"), organisation_type("bamf")
    event = EventFactory(
        title=TITLE,
        invited=[fbs, bamf],
        date=timezone.localdate() + dt.timedelta(days=30),
        venue_name="Frauenhaus Kiel",
        venue_city="Kiel",
    )
    QuotaFactory(event=event, organisation_type=fbs, seats=10)
    QuotaFactory(event=event, organisation_type=bamf, seats=5)
    EventQuestionFactory(event=event, position=1, kind=K.YES_NO, text=TRAVEL, required=True)
    EventQuestionFactory(
        event=event,
        position=2,
        kind=K.SINGLE_CHOICE,
        text=WORKSHOP,
        options="Arbeitsausbeutung\nSexuelle Ausbeutung\nMinderjährige",
    )
    organisation = OrganisationFactory(
        name="Fachberatungsstelle Horizont", organisation_type=fbs, city="Kiel", contact_email="info@horizont.example"
    )
    # A BAMF branch office with a functional address, outside the segment staff choose below.
    OrganisationFactory(name="BAMF – Außenstelle Lübeck", organisation_type=bamf, contact_email="sb@bamf.example")
    other = RegistrationFactory(
        event=event,
        organisation=OrganisationFactory(name="BAMF – Außenstelle Kiel", organisation_type=bamf),
        first_name="Jonas",
        last_name="Zimmermann",
        email="jonas.zimmermann@example.org",
    )
    person = verified_user("aylin.weber@example.org", first_name="Aylin", last_name="Weber", password=None)
    staff = StaffFactory(is_superuser=True)
    # Aylin took part last year and agreed to hear about future practice days.
    last_year = EventFactory(past=True, title="Praxisfachtag Nord 2025")
    consent = InvitationConsent.objects.create(
        email=person.email,
        user=person,
        first_name="Aylin",
        last_name="Weber",
        organisation_type=fbs,
        organisation=organisation,
        federal_state="SH",
        consent_version="2026-11",
        consented_at=timezone.now() - dt.timedelta(days=300),
    )
    consent.events.add(last_year)

    visitor, visitor_errors = _context(browser, live_server, 390)
    office, office_errors = _context(browser, live_server, 1280)
    stranger, stranger_errors = _context(browser, live_server, 390)
    _staff_session(office, live_server, staff)
    try:
        # 1b. Staff invite a segment (counselling centres: their offices and the people who consented), in the admin:
        # preview with the count, confirmation, send. Each address gets its own mail with its own link.
        admin = office.new_page()
        admin.goto(f"/admin/events/event/{event.pk}/change/")
        admin.get_by_role("link", name="Einladen", exact=True).click()
        admin.wait_for_url(f"**/admin/participants/invitationbatch/praxisfachtag/{event.pk}/einladen/")
        admin.get_by_role("checkbox", name=fbs.display_name).check()
        admin.get_by_label("Persönlicher Zusatz (optional)").fill("Wir freuen uns auf den Austausch in Kiel.")
        admin.get_by_role("button", name="Vorschau").click()
        preview = admin.locator(".kok-preview").inner_text()
        assert "Geht an 2 Adressen, jede einzeln." in preview
        assert f"Einladung: {TITLE}" in preview
        assert "Wir freuen uns auf den Austausch in Kiel." in preview
        shot(admin, "invitation-preview")
        admin.get_by_role("button", name="Einladen …").click()
        admin.get_by_role("button", name="Jetzt 2 Adressen einladen").click()
        batch = InvitationBatch.objects.get(event=event)
        admin.wait_for_url(f"**/admin/participants/invitationbatch/{batch.pk}/change/")
        assert (
            "Die Einladungen sind an 2 Adressen unterwegs, an jede einzeln."
            in admin.locator(".messagelist").inner_text()
        )
        assert sorted(a for m in smtp_server.messages for a in m.envelope_to) == [
            "aylin.weber@example.org",
            "info@horizont.example",
        ]
        [invitation_mail] = smtp_server.messages_to(person.email)
        assert invitation_mail["List-Unsubscribe"].strip().startswith("<http")
        assert smtp_server.text_part(invitation_mail).startswith("Guten Tag Aylin Weber,")
        shot(admin, "invitations-sent")

        # 2. The person registers through the personal link and answers the event's questions; the invitation's
        # organisation type is preset.
        page = visitor.new_page()
        _open_registration(page, live_server, event, person=person, smtp_server=smtp_server, shot=shot)
        assert page.get_by_role("heading", name="Anmeldung", level=1).is_visible()
        assert page.locator(f"input[name=organisation_type][value='{fbs.pk}']").is_checked()
        seats = page.locator(".seats-list li")
        assert [" ".join(text.split()) for text in seats.all_inner_texts()] == [
            f"{fbs.display_name} 10 Plätze frei",
            f"{bamf.display_name} 4 Plätze frei",
        ]
        page.get_by_label("Vorname").fill("Aylin")
        page.get_by_label("Nachname").fill("Weber")
        page.check(f"input[name=organisation_type][value='{fbs.pk}']")
        page.select_option("#id_organisation", str(organisation.pk))
        page.get_by_label("Funktion / Rolle").fill("Beraterin")
        page.select_option("#id_federal_state", "SH")
        travel = page.locator(".event-question").filter(has_text=TRAVEL)
        travel.get_by_role("radio", name="Ja", exact=True).check()
        workshop = page.locator(".event-question").filter(has_text=WORKSHOP)
        workshop.get_by_role("radio", name="Sexuelle Ausbeutung", exact=True).check()
        page.check("#id_privacy_consent")
        shot(page, "registration-form")
        page.get_by_role("button", name="Verbindlich anmelden").click()

        page.wait_for_url("**/meine-anmeldungen/*/")
        registration = Registration.objects.get(user=person)
        assert page.url.endswith(f"/meine-anmeldungen/{registration.pk}/")
        assert (registration.event_id, registration.status, registration.organisation_id) == (
            event.pk,
            S.CONFIRMED,
            organisation.pk,
        )
        answers = page.locator(".registration-answers")
        assert list(
            zip(answers.locator("dt").all_inner_texts(), answers.locator("dd").all_inner_texts(), strict=True)
        ) == [(TRAVEL, "ja"), (WORKSHOP, "Sexuelle Ausbeutung")]
        assert sorted(
            RegistrationAnswer.objects.filter(registration=registration).values_list(
                "question__position", "yes", "choices", "text", "number", "date"
            )
        ) == [(1, True, [], "", None, None), (2, None, [1], "", None, None)]
        shot(page, "registered")
        # The invitation's figures: both sent, one link opened, one registration through it.
        assert registration.invitation == Invitation.objects.get(email=person.email)
        admin.reload()
        assert (
            "versendet: 2, fehlgeschlagen: 0, Link geöffnet: 1, darüber angemeldet: 1."
            in admin.get_by_text("versendet:").inner_text()
        )

        # 3. Staff write to the confirmed people: preview, confirmation, send; the person gets exactly that mail.
        admin = office.new_page()
        admin.goto(f"/admin/events/event/{event.pk}/change/")
        admin.get_by_role("link", name="E-Mail an Teilnehmer*innen", exact=True).click()
        admin.wait_for_url(f"**/admin/participants/mailing/praxisfachtag/{event.pk}/schreiben/")
        assert admin.get_by_role("checkbox", name="bestätigt (2)").is_checked()
        admin.get_by_label("Betreff").fill("Ablauf: {veranstaltung}")
        admin.get_by_label("Text").fill("Guten Tag {vorname} {nachname},\n\nwir treffen uns in {ort}.")
        admin.get_by_role("button", name="Vorschau").click()
        preview = admin.locator(".kok-preview").inner_text()
        assert "Geht an 2 Personen, jede einzeln. So bekommt sie Aylin Weber:" in preview
        assert f"Ablauf: {TITLE}" in preview
        assert "Guten Tag Aylin Weber,\n\nwir treffen uns in Frauenhaus Kiel, Kiel." in preview
        shot(admin, "mailing-preview")
        admin.get_by_role("button", name="Senden …").click()
        assert "Die E-Mail geht jetzt an 2 Personen, an jede einzeln." in admin.locator(".kok-confirm").inner_text()
        before = len(smtp_server.messages)
        admin.get_by_role("button", name="Jetzt an 2 Personen senden").click()
        admin.wait_for_url(re.compile(r"/admin/participants/mailing/\d+/change/$"))
        mailing = Mailing.objects.get()
        assert admin.url.endswith(f"/admin/participants/mailing/{mailing.pk}/change/")
        assert admin.locator(".messagelist").inner_text().strip() == (
            "Die E-Mail ist an 2 Personen unterwegs, an jede einzeln."
        )
        sent = smtp_server.messages[before:]
        assert sorted(m.envelope_to for m in sent) == [[person.email], [other.email]]
        [to_person] = [m for m in sent if m.envelope_to == [person.email]]
        assert to_person["Subject"] == f"[KOK-Praxisfachtag] Ablauf: {TITLE}"
        assert to_person.get_all("To") == [person.email]
        assert smtp_server.text_part(to_person).startswith(
            "Guten Tag Aylin Weber,\n\nwir treffen uns in Frauenhaus Kiel, Kiel.\n\n"
            f"Sie erhalten diese E-Mail von der KOK-Geschäftsstelle, weil Sie für den Praxisfachtag „{TITLE}“ "
            "angemeldet sind.\n"
            f"Ihre Anmeldung ansehen: {settings.SITE_URL}/meine-anmeldungen/{registration.pk}/\n"
        )
        assert sorted(mailing.deliveries.values_list("registration_id", "state")) == sorted(
            [(registration.pk, DeliveryState.SENT), (other.pk, DeliveryState.SENT)]
        )

        # 4. The event's day (as in the check-in journey: the event takes place today). The QR code on the person's
        # badge, opened by staff, shows their card with one button.
        Event.objects.filter(pk=event.pk).update(date=timezone.localdate())
        door = office.new_page()
        door.set_viewport_size({"width": 390, "height": 844})
        door.goto(check_in_path(registration))
        card = door.locator("[data-check-in-row]")
        assert card.count() == 1
        assert card.inner_text().startswith("Weber, Aylin")
        shot(door, "check-in-card")
        card.get_by_role("button", name="Anwesend").click()
        card.locator("[data-check-in-badge]", has_text="anwesend").wait_for()
        assert [door.locator(f"[data-count-total='{n}']").inner_text() for n in ("attended", "expected")] == ["1", "2"]
        assert Registration.objects.get(pk=registration.pk).status == S.ATTENDED
        assert Registration.objects.get(pk=other.pk).status == S.CONFIRMED
        shot(door, "checked-in")

        # 5. Staff send the certificates with the admin action, through its confirmation page.
        admin.goto("/admin/events/event/")
        admin.locator(f"#result_list input.action-select[value='{event.pk}']").check()
        admin.locator("select[name=action]").select_option("send_certificates")
        admin.get_by_role("button", name="Ausführen").click()
        admin.get_by_role("heading", name="Teilnahmebescheinigungen senden", level=1).wait_for()
        assert admin.locator("#content li").all_inner_texts() == [
            f"{TITLE} ({timezone.localdate():%d.%m.%Y}): 1 Person"
        ]
        assert AttendanceCertificate.objects.count() == 0
        shot(admin, "certificates-confirm")
        before = len(smtp_server.messages)
        admin.get_by_role("button", name="Jetzt senden").click()
        # The changelist again, with the message (the confirmation page has the same address and no message).
        assert admin.locator(".messagelist").inner_text().strip() == (
            f"„{TITLE}“: 1 Teilnahmebescheinigung wird per E-Mail versandt."
        )
        certificate = AttendanceCertificate.objects.get()
        assert (certificate.registration_id, certificate.issued_by_id, certificate.revoked_at) == (
            registration.pk,
            staff.pk,
            None,
        )
        assert certificate.sent_at is not None
        [certificate_mail] = smtp_server.messages[before:]
        assert certificate_mail.envelope_to == [person.email]
        assert certificate_mail["Subject"] == f"[KOK-Praxisfachtag] Ihre Teilnahmebescheinigung: {TITLE}"
        [attachment] = list(certificate_mail.message.iter_attachments())
        assert attachment.get_content_type() == "application/pdf"
        assert f"Prüfcode: {certificate.code}" in _pdf_text(attachment.get_content())
        assert f"{settings.SITE_URL}/bescheinigung/{certificate.code}/" in smtp_server.text_part(certificate_mail)

        # 6. The person downloads the certificate from the start page; its verification URL confirms it.
        page.goto("/meine-praxisfachtage/")
        link = page.get_by_role("link", name=f"Teilnahmebescheinigung (PDF) {TITLE}")
        shot(page, "start-page")
        with page.expect_download() as download:
            link.click()
        assert download.value.suggested_filename == f"teilnahmebescheinigung-{event.slug}.pdf"
        content = Path(download.value.path()).read_bytes()
        assert content.startswith(b"%PDF-")
        text = _pdf_text(content)
        assert "Aylin Weber Fachberatungsstelle Horizont" in text
        assert TITLE in text
        assert f"Prüfcode: {certificate.code}" in text
        verify_path = reverse("participants:certificate_verify", kwargs={"code": certificate.code})
        [url] = re.findall(r"https?://\S+/bescheinigung/\S+/", text)
        assert urlsplit(url).path == verify_path
        assert AttendanceCertificate.objects.count() == 1  # the download gave the certificate the mail had

        check = stranger.new_page()
        check.goto(verify_path)
        assert check.get_by_role("heading", name="Gültige Teilnahmebescheinigung").is_visible()
        assert check.locator("[data-field=name]").inner_text() == "Aylin Weber"
        assert check.locator("[data-field=event]").inner_text() == TITLE
        assert check.locator("dl dt").all_inner_texts() == ["Name", "Praxisfachtag", "Datum", "Prüfcode"]
        assert check.locator("dl dd time").get_attribute("datetime") == timezone.localdate().isoformat()
        assert check.locator("dl dd").last.inner_text() == certificate.code
        main = check.locator("#main").inner_text()
        for private in ("Fachberatungsstelle Horizont", person.email, "Beraterin", "Sexuelle Ausbeutung", "Kiel"):
            assert private not in main, private
        assert check.locator('meta[name="robots"]').get_attribute("content") == "noindex, nofollow"
        shot(check, "verified")
    finally:
        for context in (visitor, office, stranger):
            context.close()
    assert (visitor_errors, office_errors, stranger_errors) == ([], [], [])
