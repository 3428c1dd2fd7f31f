"""Every participant journey as its user walks it, in Chromium at 1280 and 390 px (issue 13, points 1-4).

- a first-time participant: event page -> e-mail -> code (read from the mail) -> registration form, prefilled ->
  confirmed (open event) or pending (moderated event), in one flow;
- a waitlisted participant who moves up when someone cancels (with the confirmation step) and gets the mail;
- cancelling with the confirmation step, and after the deadline;
- downloading one's data and deleting the account.

Mails go to django.core.mail.outbox: the live server runs in this process. Screenshots of every step land in the
test's tmp_path (``--basetemp`` to keep them).
"""

import datetime as dt
import json
import re
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from django.core import mail
from django.utils import timezone

from events.enums import RegistrationMode
from kokportal.models import User
from participants.enums import RegistrationStatus
from participants.models import Registration
from tests.factories import (
    EventFactory,
    OrganisationFactory,
    QuotaFactory,
    RegistrationFactory,
    organisation_type,
    verified_user,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WIDTHS = [1280, 390]
CODE_RE = re.compile(r"^\s*([A-Z0-9]{4}-[A-Z0-9]{4})\s*$", re.MULTILINE)


@pytest.fixture(params=WIDTHS, ids=lambda width: f"{width}px")
def page(request, browser, live_server):
    """A fresh browser (no session) at the width of the test; the conftest's page, narrowed."""
    context = new_context(browser, live_server, request.param)
    page = context.new_page()
    console_errors: list[str] = []
    page.on("console", lambda msg: console_errors.append(msg.text) if msg.type == "error" else None)
    yield page
    context.close()
    assert console_errors == []


def new_context(browser, live_server, width: int):
    context = browser.new_context(
        locale="de-DE", base_url=live_server.url, viewport={"width": width, "height": 900 if width > 500 else 844}
    )
    context.set_default_timeout(15_000)
    return context


@pytest.fixture
def shot(tmp_path):
    """Screenshot of a step (``shot(page, name)``); every page is checked not to scroll sideways."""
    taken = []

    def take(page, name: str) -> None:
        width = page.viewport_size["width"]
        taken.append(name)
        page.screenshot(path=str(tmp_path / f"{width}-{len(taken):02d}-{name}.png"), full_page=True)
        assert page.evaluate("document.documentElement.scrollWidth") <= width, name

    return take


@pytest.fixture
def fbs():
    return organisation_type("fachberatungsstelle")


def mails_to(address: str) -> list:
    return [m for m in mail.outbox if address in m.to]


def code_for(address: str) -> str:
    return CODE_RE.search(mails_to(address)[-1].body).group(1)


def log_in_by_code(page, address: str, shot) -> None:
    """On the login page (where the event page or a protected page sent the person): address, code, logged in."""
    page.wait_for_url("**/konto/login/**")
    shot(page, "login")
    assert page.get_by_role("heading", name="Einloggen", level=1).is_visible()
    page.get_by_label("E-Mail-Adresse", exact=True).first.fill(address)
    page.get_by_role("button", name="Code anfordern").click()
    page.wait_for_url("**/konto/login/code/confirm/**")
    assert page.get_by_text(f"Wir haben einen Code an {address} geschickt.").is_visible()
    shot(page, "code")
    page.get_by_label("Code").fill(code_for(address))
    page.get_by_role("button", name="Einloggen").click()


def fill_registration(page, organisation, *, first_name: str, last_name: str) -> None:
    page.get_by_label("Vorname").fill(first_name)
    page.get_by_label("Nachname").fill(last_name)
    page.check(f"input[name=organisation_type][value='{organisation.organisation_type_id}']")
    page.select_option("#id_organisation", str(organisation.pk))
    page.get_by_label("Funktion / Rolle").fill("Beraterin")
    page.select_option("#id_federal_state", "NI")
    page.check("#id_privacy_consent")
    page.check("#id_contact_list_consent")
    page.get_by_role("button", name="Verbindlich anmelden").click()


def open_link_from_mail(page, message) -> None:
    """Follow the "Ihre Anmeldung ansehen" link of a mail (its address is the live server's, SITE_URL aside)."""
    link = re.search(r"Ihre Anmeldung ansehen: (\S+)", message.body).group(1)
    page.goto(urlsplit(link).path)


@pytest.mark.parametrize(
    "mode, status, status_text",
    [
        (RegistrationMode.OPEN, "bestätigt", "Ihre Teilnahme ist bestätigt."),
        (RegistrationMode.MODERATED, "wartet auf Freigabe", "Ihr Platz ist reserviert."),
    ],
    ids=["open event", "moderated event"],
)
def test_first_time_participant_from_event_page_to_registration(page, shot, fbs, mode, status, status_text):
    event = EventFactory(
        title="Vernetzungstreffen Niedersachsen", invited=[fbs, organisation_type("bamf")], registration_mode=mode
    )
    organisation = OrganisationFactory(name="Fachberatungsstelle Horizont", organisation_type=fbs, city="Hannover")
    address = f"aylin.oconnor.{page.viewport_size['width']}@example.org"

    page.goto(event.get_absolute_url())
    shot(page, "event")
    page.get_by_role("link", name="Jetzt anmelden").click()
    log_in_by_code(page, address, shot)

    # Back on the registration form of that event, logged in, with the new account's address filled in.
    page.wait_for_url(f"**/praxisfachtage/{event.slug}/anmelden/")
    assert page.get_by_role("heading", name="Anmeldung", level=1).is_visible()
    assert page.get_by_label("E-Mail-Adresse", exact=True).input_value() == address
    assert page.get_by_text(f"Sie sind als {address} eingeloggt.").is_visible()
    # Choosing a type filters the organisations (static script, no inline JS).
    page.check(f"input[name=organisation_type][value='{organisation_type('bamf').pk}']")
    assert page.locator(f"#id_organisation option[value='{organisation.pk}']").count() == 0
    shot(page, "form")
    fill_registration(page, organisation, first_name="Aylin", last_name="O'Connor")

    page.wait_for_url("**/meine-anmeldungen/*/")
    assert page.locator(".status-badge").inner_text() == status
    assert page.get_by_text(status_text).is_visible()
    shot(page, "registered")
    registration = Registration.objects.get(email=address)
    assert registration.user == User.objects.get(email=address)
    assert registration.status == {RegistrationMode.OPEN: "confirmed", RegistrationMode.MODERATED: "pending"}[mode]
    code_mail, message = mails_to(address)  # the code (no "unknown account"), then the registration's mail
    assert code_mail.subject == "[KOK-Praxisfachtag] Ihr Code zum Einloggen"
    assert "Guten Tag Aylin O'Connor," in message.body  # plain text, not HTML-escaped


def test_waitlisted_participant_moves_up_when_someone_cancels(page, shot, browser, live_server, fbs):
    event = EventFactory(title="Praxisfachtag Hamburg", invited=[fbs], capacity=10)
    QuotaFactory(event=event, organisation_type=fbs, seats=1)
    holder = verified_user("holder@example.org", first_name="Mara", last_name="Schulz")
    seat = RegistrationFactory(event=event, user=holder, organisation__organisation_type=fbs)
    organisation = OrganisationFactory(name="Beratungsstelle Kompass", organisation_type=fbs, city="Kiel")
    waiting_address = f"jonas.koch.{page.viewport_size['width']}@example.org"

    # Jonas finds the day full and goes on the waiting list.
    page.goto(event.get_absolute_url())
    page.get_by_role("link", name="Auf die Warteliste").click()
    log_in_by_code(page, waiting_address, shot)
    page.wait_for_url(f"**/praxisfachtage/{event.slug}/anmelden/")
    assert page.get_by_text("Die Veranstaltung ist ausgebucht.").is_visible()
    fill_registration(page, organisation, first_name="Jonas", last_name="Koch")
    page.wait_for_url("**/meine-anmeldungen/*/")
    assert page.locator(".status-badge").inner_text() == "Warteliste"
    assert "Sie stehen auf Platz 1 der Warteliste" in page.locator("#main").inner_text()
    assert page.get_by_role("link", name="In den Kalender (iCal)").count() == 0
    shot(page, "waitlisted")

    # Mara cancels, in her own browser, and is told first that her seat goes to the next person waiting.
    other = new_context(browser, live_server, page.viewport_size["width"]).new_page()
    other.goto(seat.get_absolute_url())
    log_in_by_code(other, "holder@example.org", shot)
    other.wait_for_url(f"**{seat.get_absolute_url()}")
    other.get_by_role("link", name="Anmeldung stornieren …").click()
    assert other.get_by_role("heading", name="Anmeldung stornieren?").is_visible()
    assert other.get_by_text("Ihr Platz geht an die nächste Person auf der Warteliste").is_visible()
    shot(other, "holder-confirms")
    other.get_by_role("button", name="Ja, Anmeldung stornieren").click()
    other.wait_for_url(f"**{seat.get_absolute_url()}")
    assert other.locator(".status-badge").inner_text() == "storniert"
    other.context.close()

    # Jonas gets the mail and, following its link, finds his seat confirmed.
    (promoted,) = [m for m in mails_to(waiting_address) if "Ein Platz ist frei geworden" in m.subject]
    assert "Ihre Teilnahme ist damit bestätigt." in promoted.body
    (cancelled,) = [m for m in mails_to("holder@example.org") if "storniert" in m.subject]
    assert "Ihr Platz ist an die nächste Person auf der Warteliste gegangen." in cancelled.body
    open_link_from_mail(page, promoted)
    assert page.locator(".status-badge").inner_text() == "bestätigt"
    assert page.get_by_role("link", name="In den Kalender (iCal)").is_visible()
    shot(page, "moved-up")


def test_cancelling_asks_first_and_then_shows_what_happened(page, shot, fbs):
    event = EventFactory(title="Praxisfachtag Berlin", invited=[fbs])
    person = verified_user(f"aylin.{page.viewport_size['width']}@example.org", first_name="Aylin", last_name="Weber")
    registration = RegistrationFactory(
        event=event, user=person, contact_list_consent=True, contact_list_consented_at=timezone.now()
    )

    page.goto(registration.get_absolute_url())
    log_in_by_code(page, person.email, shot)
    page.wait_for_url(f"**{registration.get_absolute_url()}")
    assert page.get_by_text("Sie stehen in der Kontaktliste dieser Veranstaltung.").is_visible()
    page.get_by_role("link", name="Anmeldung stornieren …").click()
    assert page.get_by_text("Ihr Platz wird frei und kann neu vergeben werden.").is_visible()
    shot(page, "confirm")

    # Changing one's mind changes nothing.
    page.get_by_role("link", name="Nein, angemeldet bleiben").click()
    page.wait_for_url(f"**{registration.get_absolute_url()}")
    registration.refresh_from_db()
    assert registration.status == RegistrationStatus.CONFIRMED

    page.get_by_role("link", name="Anmeldung stornieren …").click()
    page.get_by_role("button", name="Ja, Anmeldung stornieren").click()
    page.wait_for_url(f"**{registration.get_absolute_url()}")
    assert page.get_by_text("Ihre Anmeldung ist storniert. Sie erhalten eine Bestätigung per E-Mail.").is_visible()
    assert page.locator(".status-badge").inner_text() == "storniert"
    main = page.locator("#main").inner_text()
    assert "Kontaktliste" not in main and "iCal" not in main and "stornieren …" not in main
    shot(page, "cancelled")
    registration.refresh_from_db()
    assert registration.status == RegistrationStatus.CANCELLED
    (message,) = [m for m in mails_to(person.email) if "storniert" in m.subject]
    assert "Warteliste" not in message.body  # nobody was waiting


def test_after_the_deadline_the_page_says_why_there_is_no_button(page, shot, fbs):
    event = EventFactory(title="Praxisfachtag Köln", invited=[fbs])
    event.cancellation_deadline = timezone.now() - dt.timedelta(hours=2)
    event.save(update_fields=["cancellation_deadline"])
    person = verified_user(f"spaet.{page.viewport_size['width']}@example.org")
    registration = RegistrationFactory(event=event, user=person)

    page.goto(registration.get_absolute_url())
    log_in_by_code(page, person.email, shot)
    page.wait_for_url(f"**{registration.get_absolute_url()}")
    assert page.get_by_role("link", name="Anmeldung stornieren …").count() == 0
    assert page.get_by_text("Die Frist für eine Stornierung ist am").is_visible()
    shot(page, "deadline")


def test_participant_downloads_their_data_and_deletes_the_account(page, shot, fbs):
    event = EventFactory(title="Praxisfachtag Bremen", invited=[fbs], capacity=10)
    QuotaFactory(event=event, organisation_type=fbs, seats=1)
    person = verified_user(
        f"loeschen.{page.viewport_size['width']}@example.org", first_name="Aylin", last_name="O'Connor", password=None
    )
    registration = RegistrationFactory(event=event, user=person)
    waiting = RegistrationFactory(event=event, status=RegistrationStatus.WAITLISTED)

    page.goto("/konto/meine-daten/")
    log_in_by_code(page, person.email, shot)
    page.wait_for_url("**/konto/meine-daten/")
    shot(page, "my-data")
    with page.expect_download() as download:
        page.get_by_role("link", name="Meine Daten herunterladen").click()
    data = json.loads(Path(download.value.path()).read_text(encoding="utf-8"))
    assert data["account"]["email"] == person.email
    assert [(r["event"], r["status"], r["last_name"]) for r in data["registrations"]] == [
        ("Praxisfachtag Bremen", "confirmed", "O'Connor")
    ]

    page.get_by_role("link", name="Konto löschen …").click()
    # Confirming it is really them: a code by mail (the account has no password).
    page.wait_for_url("**/konto/bestaetigen/code/**")
    page.get_by_label("Code").fill(code_for(person.email))
    page.get_by_role("button", name="Bestätigen").click()
    page.wait_for_url("**/konto/loeschen/")
    assert page.locator("#main li", has_text="Praxisfachtag Bremen").is_visible()  # the seat that will be given up
    shot(page, "delete")
    page.get_by_role("button", name="Konto endgültig löschen").click()
    page.wait_for_url(re.compile(r"^https?://[^/]+/$"))
    assert page.get_by_text("Ihr Konto ist gelöscht.").is_visible()
    # Logged out: the menu offers "Einloggen" again (collapsed on phones).
    assert page.get_by_role("link", name="Einloggen", include_hidden=True).count() == 1
    shot(page, "deleted")

    assert not User.objects.filter(email=person.email).exists()
    registration.refresh_from_db()
    waiting.refresh_from_db()
    assert (registration.status, registration.user_id, registration.last_name) == ("cancelled", None, "")
    assert waiting.status == RegistrationStatus.CONFIRMED
    assert [m.subject for m in mails_to(waiting.email)] == [
        "[KOK-Praxisfachtag] Ein Platz ist frei geworden: Praxisfachtag Bremen"
    ]
