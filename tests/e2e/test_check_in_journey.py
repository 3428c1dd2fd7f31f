"""Check-in on the day, on a phone (390 px): a team member goes from "Meine Praxisfachtage" to the check-in, searches,
taps a person in and sees the counts change without a reload, undoes it, loses the connection for one tap (pending,
then saved once online again), and opens a badge's QR link."""

import pytest
from django.utils import timezone

from events.enums import TeamRole
from participants.check_in_links import check_in_path
from participants.enums import RegistrationStatus
from participants.models import Registration
from tests.factories import (
    EventFactory,
    EventTeamMemberFactory,
    OrganisationFactory,
    RegistrationFactory,
    organisation_type,
    verified_user,
)

from .test_role_journeys import assert_fits, log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def door():
    event = EventFactory(title="Regionaler Praxisfachtag Berlin und Brandenburg", date=timezone.localdate())
    team = verified_user("einlass@example.org", first_name="Nora", last_name="Schulz")
    EventTeamMemberFactory(event=event, user=team, role=TeamRole.CO_ORGANISER)
    fbs = OrganisationFactory(name="Ban Ying e.V.", organisation_type=organisation_type("fachberatungsstelle"))
    bamf = OrganisationFactory(name="BAMF – Außenstelle Berlin", organisation_type=organisation_type("bamf"))
    aylin = RegistrationFactory(event=event, organisation=fbs, first_name="Aylin", last_name="Weber")
    jonas = RegistrationFactory(event=event, organisation=bamf, first_name="Jonas", last_name="Becker")
    RegistrationFactory(event=event, organisation=fbs, first_name="Lea", last_name="Özdemir")
    RegistrationFactory(
        event=event, organisation=fbs, first_name="Ole", last_name="Adam", status=RegistrationStatus.WAITLISTED
    )
    return {"event": event, "team": team, "aylin": aylin, "jonas": jonas}


OFFLINE_ERROR = "Failed to load resource: net::ERR_INTERNET_DISCONNECTED"


@pytest.fixture
def phone(browser, live_server):
    """A phone-sized page like tests/e2e/conftest.py's ``page``: no console error is acceptable except the browser's
    report of the request that fails while the test has switched the connection off."""
    context = browser.new_context(locale="de-DE", base_url=live_server.url, viewport={"width": 390, "height": 844})
    page = context.new_page()
    page.set_default_timeout(15_000)
    errors: list[str] = []
    page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    yield page
    context.close()
    assert [error for error in errors if error != OFFLINE_ERROR] == []
    assert errors.count(OFFLINE_ERROR) >= 1


def _row(page, name: str):
    return page.locator("[data-check-in-row]", has_text=name)


def test_team_member_checks_people_in_on_the_phone(phone, door):
    page = phone
    log_in(page, "einlass@example.org")
    page.get_by_role("link", name="Zum Einlass").click()
    page.wait_for_url(f"**/praxisfachtage/{door['event'].slug}/check-in/")
    assert_fits(page)
    total = page.locator("[data-count-total='attended']")
    fbs_attended = page.locator(
        f"[data-count-type='{door['aylin'].organisation_type_id}'][data-count-field='attended']"
    )
    assert (total.inner_text(), page.locator("[data-count-total='expected']").inner_text()) == ("0", "3")
    # The waiting person is listed, without a button.
    assert _row(page, "Adam, Ole").locator("button").count() == 0
    page.evaluate("window.checkInWithoutReload = true")

    # Search as you type: accents and case do not matter.
    page.fill("#check-in-q", "ozdem")
    assert page.locator("[data-check-in-row]:visible").all_inner_texts()[0].startswith("Özdemir, Lea")
    assert page.locator("[data-check-in-row]:visible").count() == 1
    page.fill("#check-in-q", "ban ying we")
    assert page.locator("[data-check-in-row]:visible").count() == 1

    # One tap: checked in, counts updated, no reload.
    weber = _row(page, "Weber, Aylin")
    weber.get_by_role("button", name="Anwesend").click()
    weber.locator("[data-check-in-badge]", has_text="anwesend").wait_for()
    assert (total.inner_text(), fbs_attended.inner_text()) == ("1", "1")
    assert weber.locator("[data-check-in-feedback]").inner_text() == "Als anwesend vermerkt: Weber, Aylin"
    assert page.evaluate("window.checkInWithoutReload") is True
    assert Registration.objects.get(pk=door["aylin"].pk).status == RegistrationStatus.ATTENDED

    # Undo.
    weber.get_by_role("button", name="Rückgängig").click()
    weber.locator("[data-check-in-badge]", has_text="bestätigt").wait_for()
    assert (total.inner_text(), fbs_attended.inner_text()) == ("0", "0")
    assert Registration.objects.get(pk=door["aylin"].pk).status == RegistrationStatus.CONFIRMED

    # A tap without a connection waits, is shown as pending, and is sent once the connection is back.
    page.fill("#check-in-q", "")
    becker = _row(page, "Becker, Jonas")
    page.context.set_offline(True)
    becker.get_by_role("button", name="Anwesend").click()
    becker.locator("[data-check-in-feedback]", has_text="Keine Verbindung").wait_for()
    assert becker.get_by_role("button").is_disabled()
    assert page.locator("[data-check-in-queue]").inner_text() == "Änderungen warten auf Verbindung: 1"
    assert Registration.objects.get(pk=door["jonas"].pk).status == RegistrationStatus.CONFIRMED
    page.context.set_offline(False)
    becker.locator("[data-check-in-badge]", has_text="anwesend").wait_for()
    assert total.inner_text() == "1"
    assert page.locator("[data-check-in-queue]").inner_text() == ""
    assert page.evaluate("window.checkInWithoutReload") is True
    assert Registration.objects.get(pk=door["jonas"].pk).status == RegistrationStatus.ATTENDED

    # The QR code on Aylin Weber's badge opens her card with one button.
    page.goto(check_in_path(door["aylin"]))
    assert_fits(page)
    card = _row(page, "Weber, Aylin")
    assert page.locator("[data-check-in-row]").count() == 1
    card.get_by_role("button", name="Anwesend").click()
    card.locator("[data-check-in-badge]", has_text="anwesend").wait_for()
    assert page.locator("[data-count-total='attended']").inner_text() == "2"
    assert Registration.objects.get(pk=door["aylin"].pk).status == RegistrationStatus.ATTENDED


def test_check_in_works_without_javascript(browser, live_server, door):
    context = browser.new_context(locale="de-DE", base_url=live_server.url, java_script_enabled=False)
    page = context.new_page()
    try:
        log_in(page, "einlass@example.org")
        page.goto(f"/praxisfachtage/{door['event'].slug}/check-in/?q=Weber")
        assert page.locator("[data-check-in-row]").count() == 1
        _row(page, "Weber, Aylin").get_by_role("button", name="Anwesend").click()
        page.wait_for_url("**/check-in/?q=Weber")
        assert "Aylin Weber ist als anwesend vermerkt." in page.locator(".messages").inner_text()
        assert page.locator("[data-count-total='attended']").inner_text() == "1"
    finally:
        context.close()
