"""The participant's main journeys in a real browser: log in by e-mail code, register, cancel; waitlist."""

import re

import pytest
from django.core import mail

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


def _code_from_last_mail() -> str:
    return re.search(r"^\s*([A-Z0-9]{4}-[A-Z0-9]{4})\s*$", mail.outbox[-1].body, re.MULTILINE).group(1)


def sign_up_with_code(page, email: str, next_url: str) -> None:
    page.goto(f"/konto/signup/?next={next_url}")
    page.fill("input[name=email]", email)
    page.click("#main form button[type=submit]")
    page.wait_for_url("**/konto/confirm-email/**")
    page.fill("input[name=code]", _code_from_last_mail())
    page.click("#main form button[type=submit]")
    page.wait_for_url(f"**{next_url}")


def login_by_code(page, email: str, next_url: str) -> None:
    page.goto(f"/konto/login/code/?next={next_url}")
    page.fill("input[name=email]", email)
    page.click("#main form button[type=submit]")
    page.wait_for_url("**/konto/login/code/confirm/**")
    page.fill("input[name=code]", _code_from_last_mail())
    page.click("#main form button[type=submit]")
    page.wait_for_url(f"**{next_url}")


def fill_registration(page, organisation) -> None:
    page.fill("#id_first_name", "Aylin")
    page.fill("#id_last_name", "Weber")
    page.check(f"input[name=organisation_type][value='{organisation.organisation_type_id}']")
    page.select_option("#id_organisation", str(organisation.pk))
    page.fill("#id_function", "Beraterin")
    page.select_option("#id_federal_state", "HH")
    page.check("#id_privacy_consent")
    page.click("form[data-registration-form] button[type=submit], form[data-registration-form] input[type=submit]")


@pytest.fixture
def fbs():
    return organisation_type("fachberatungsstelle")


def test_journey_sign_up_by_code_register_and_cancel(page, fbs, tmp_path):
    event = EventFactory(title="Vernetzungstreffen Niedersachsen", invited=[fbs, organisation_type("bamf")])
    organisation = OrganisationFactory(name="Fachberatungsstelle Horizont", organisation_type=fbs, city="Hannover")
    register_url = f"/praxisfachtage/{event.slug}/anmelden/"

    page.goto(event.get_absolute_url())
    page.get_by_role("link", name="Jetzt anmelden").click()
    page.wait_for_url("**/konto/login/**")
    sign_up_with_code(page, "aylin.weber@example.org", register_url)

    # Choosing a type filters the organisations (static script, no inline JS).
    page.check(f"input[name=organisation_type][value='{organisation_type('bamf').pk}']")
    assert page.locator(f"#id_organisation option[value='{organisation.pk}']").count() == 0
    fill_registration(page, organisation)
    page.wait_for_url("**/meine-anmeldungen/*/")
    assert page.get_by_text("Ihre Anmeldung ist bestätigt.").is_visible()
    assert page.locator(".status-badge").inner_text() == "bestätigt"
    page.screenshot(path=str(tmp_path / "confirmed.png"), full_page=True)
    registration = Registration.objects.get(email="aylin.weber@example.org")
    assert registration.status == RegistrationStatus.CONFIRMED

    page.get_by_role("button", name="Anmeldung stornieren").click()
    assert page.get_by_text("Ihre Anmeldung ist storniert.").first.is_visible()
    registration.refresh_from_db()
    assert registration.status == RegistrationStatus.CANCELLED


def test_journey_full_type_goes_to_waitlist(page, fbs):
    event = EventFactory(title="Praxisfachtag 2027", invited=[fbs])
    QuotaFactory(event=event, organisation_type=fbs, seats=1)
    RegistrationFactory(event=event, organisation__organisation_type=fbs)
    organisation = OrganisationFactory(name="Beratungsstelle Kompass", organisation_type=fbs, city="Köln")
    verified_user("jonas.koch@example.org")

    page.goto(event.get_absolute_url())
    page.get_by_role("link", name="Auf die Warteliste").click()
    page.wait_for_url("**/konto/login/**")
    login_by_code(page, "jonas.koch@example.org", f"/praxisfachtage/{event.slug}/anmelden/")
    assert page.get_by_text("Die Veranstaltung ist ausgebucht.").is_visible()
    fill_registration(page, organisation)
    page.wait_for_url("**/meine-anmeldungen/*/")
    assert page.locator(".status-badge").inner_text() == "Warteliste"
    assert "Sie stehen auf Platz 1 der Warteliste" in page.locator("#main").inner_text()
