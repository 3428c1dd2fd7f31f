"""Each role's way from logging in to what they need, in a real browser at desktop and phone width: everyone lands on
the start page "Meine Praxisfachtage"; the facilitator goes on to their workshop, a case example, a person in no
small group and a group's result; the co-organiser to the event's documents; the participant sees their
registration."""

import datetime as dt
import re

import pytest
from django.core import mail
from django.utils import timezone

from casework.models import WorkshopParticipant
from events.enums import TeamRole
from tests.casework.factories import CLEAN_TEXT, CaseExampleFactory, SmallGroupFactory, WorkshopFactory
from tests.factories import EventFactory, EventTeamMemberFactory, RegistrationFactory, verified_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

VIEWPORTS = [pytest.param(1280, id="desktop"), pytest.param(390, id="phone")]
START = "/meine-praxisfachtage/"


def _code_from_last_mail() -> str:
    return re.search(r"^\s*([A-Z0-9]{4}-[A-Z0-9]{4})\s*$", mail.outbox[-1].body, re.MULTILINE).group(1)


def log_in(page, email: str) -> None:
    """Log in the one way in (e-mail address, code from the mail), without a ``next``: where the portal sends
    everyone after logging in."""
    page.goto("/konto/login/code/")
    page.fill("input[name=email]", email)
    page.click("#main form button[type=submit]")
    page.wait_for_url("**/konto/login/code/confirm/**")
    page.fill("input[name=code]", _code_from_last_mail())
    page.click("#main form button[type=submit]")
    page.wait_for_url(f"**{START}")


def assert_fits(page) -> None:
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


@pytest.fixture
def practice_day():
    """An upcoming regional meeting (inside the case examples' window) with a workshop, its facilitator, an
    approved case, two small groups with members and a result, a co-organiser and a participant."""
    event = EventFactory(
        title="Vernetzungstreffen Niedersachsen und Bremen", date=timezone.localdate() + dt.timedelta(days=5)
    )
    workshop = WorkshopFactory(event=event, title="Fallbeispiele in gemischten Kleingruppen", group_size=3)
    facilitator = verified_user("moderation@example.org", first_name="Miriam", last_name="Hartmann")
    workshop.facilitators.add(facilitator)
    EventTeamMemberFactory(event=event, user=facilitator, role=TeamRole.FACILITATOR)
    co_organiser = verified_user("ecpat@example.org", first_name="Nora", last_name="Schulz")
    EventTeamMemberFactory(event=event, user=co_organiser, role=TeamRole.CO_ORGANISER)
    case = CaseExampleFactory(
        workshop=workshop, approved=True, title="Fallbeispiel 1: Arbeitsausbeutung in der Gastronomie"
    )
    groups = [
        SmallGroupFactory(workshop=workshop, number=1, results="Feste Ansprechpersonen in der Außenstelle."),
        SmallGroupFactory(workshop=workshop, number=2),
    ]
    participant = verified_user("aylin.weber@example.org", first_name="Aylin", last_name="Weber")
    registrations = [RegistrationFactory(event=event, user=participant)]
    registrations += [RegistrationFactory(event=event) for _ in range(3)]
    for index, registration in enumerate(registrations):
        WorkshopParticipant.objects.create(workshop=workshop, registration=registration, group=groups[index % 2])
    late = RegistrationFactory(event=event, first_name="Jonas", last_name="Becker")  # confirmed after the groups
    return {
        "event": event,
        "workshop": workshop,
        "case": case,
        "groups": groups,
        "facilitator": facilitator,
        "co_organiser": co_organiser,
        "participant": participant,
        "late": late,
    }


@pytest.mark.parametrize("width", VIEWPORTS)
def test_journey_facilitator_from_start_page_to_case_and_group_result(page, practice_day, width, tmp_path):
    page.set_viewport_size({"width": width, "height": 900})
    log_in(page, "moderation@example.org")
    assert page.get_by_role("heading", name="Meine Praxisfachtage", level=1).is_visible()
    day = page.get_by_role("article", name="Vernetzungstreffen Niedersachsen und Bremen")
    assert "Ihre Rolle: Moderation" in day.inner_text()
    assert "noch zu keiner" not in page.locator("#main").inner_text()
    assert day.get_by_role("link", name="1 Person ist in keiner Kleingruppe").is_visible()
    assert_fits(page)
    page.screenshot(path=str(tmp_path / f"facilitator-start-{width}.png"), full_page=True)

    day.get_by_role("link", name="Fallbeispiele in gemischten Kleingruppen", exact=True).click()
    page.wait_for_url(f"**{practice_day['workshop'].get_absolute_url()}")
    assert page.get_by_role("heading", name="Fallbeispiele in gemischten Kleingruppen", level=1).is_visible()
    unassigned = page.get_by_role("region", name="1 Person ist in keiner Kleingruppe")
    assert "Jonas Becker" in unassigned.inner_text()
    assert_fits(page)
    unassigned.get_by_role("button", name="In Kleingruppen einteilen").click()
    assert page.get_by_text("1 Person ist jetzt in einer Kleingruppe.").is_visible()
    assert page.get_by_text("in keiner Kleingruppe").count() == 0
    assert WorkshopParticipant.objects.get(registration=practice_day["late"]).group == practice_day["groups"][0]

    page.get_by_role("link", name="Fallbeispiel 1: Arbeitsausbeutung in der Gastronomie").click()
    page.wait_for_url(f"**{practice_day['case'].get_absolute_url()}")
    assert page.get_by_role("heading", name="Fallbeispiel 1: Arbeitsausbeutung in der Gastronomie").is_visible()
    assert CLEAN_TEXT[:40] in page.locator("#main").inner_text()
    assert_fits(page)

    page.go_back()
    page.get_by_role("link", name="Gruppe 1", exact=True).click()
    page.wait_for_url(f"**{practice_day['groups'][0].get_absolute_url()}")
    assert page.get_by_role("heading", name="Gruppe 1", level=1).is_visible()
    assert page.get_by_role("textbox", name="Ergebnisse").input_value() == "Feste Ansprechpersonen in der Außenstelle."
    assert_fits(page)
    page.screenshot(path=str(tmp_path / f"facilitator-group-{width}.png"), full_page=True)


@pytest.mark.parametrize("width", VIEWPORTS)
def test_journey_co_organiser_from_start_page_to_documents(page, practice_day, width):
    page.set_viewport_size({"width": width, "height": 900})
    log_in(page, "ecpat@example.org")
    day = page.get_by_role("article", name="Vernetzungstreffen Niedersachsen und Bremen")
    assert "Ihre Rolle: Mitveranstalter*in" in day.inner_text()
    assert_fits(page)
    day.get_by_role("link", name="Dokumente").click()
    page.wait_for_url(f"**/praxisfachtage/{practice_day['event'].slug}/dokumente/")
    assert page.get_by_role("heading", name="Dokumente", level=1).is_visible()
    assert "Vernetzungstreffen Niedersachsen und Bremen" in page.locator("#main .lead").inner_text()
    assert_fits(page)


@pytest.mark.parametrize("width", VIEWPORTS)
def test_journey_participant_sees_registration_on_start_page(page, practice_day, width):
    page.set_viewport_size({"width": width, "height": 900})
    log_in(page, "aylin.weber@example.org")
    day = page.get_by_role("article", name="Vernetzungstreffen Niedersachsen und Bremen")
    assert day.locator(".status-badge").inner_text() == "bestätigt"
    assert day.get_by_role("link", name="Ihre Kleingruppe: Gruppe 1").is_visible()
    assert day.get_by_role("link", name="Dokumente").count() == 0
    assert_fits(page)
    day.get_by_role("link", name="Details zur Anmeldung").click()
    page.wait_for_url("**/meine-anmeldungen/*/")
    assert page.get_by_role("heading", name="Vernetzungstreffen Niedersachsen und Bremen", level=1).is_visible()
    assert_fits(page)
