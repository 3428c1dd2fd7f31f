"""Office staff walk their day in the admin, on a desktop and on a phone: from the start page to the registration that
waits for approval and approve it; copy the event as a draft for next year and land on the draft with its date moved;
download the documentation PDF (issue 13: staff journey)."""

import datetime as dt
import re

import pytest
from django.conf import settings
from django.test import Client
from django.utils import timezone

from events.enums import RegistrationMode
from events.models import Event
from events.services import next_edition_date
from participants.enums import RegistrationStatus
from participants.models import Registration
from tests.auth import login
from tests.factories import EventFactory, ProgrammeItemFactory, QuotaFactory, RegistrationFactory, StaffFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _log_in(page, live_server, staff) -> None:
    """The browser gets the session of a staff login that passed the second factor (tests/auth.py)."""
    session = login(Client(), staff).cookies[settings.SESSION_COOKIE_NAME].value
    page.context.add_cookies([{"name": settings.SESSION_COOKIE_NAME, "value": session, "url": live_server.url}])


@pytest.mark.parametrize("width", [1280, 390])
def test_journey_staff_approve_copy_as_draft_and_download_the_documentation(page, live_server, width):
    page.set_viewport_size({"width": width, "height": 900})
    event = EventFactory(
        title="Vernetzungstreffen Niedersachsen und Bremen",
        date=timezone.localdate() + dt.timedelta(days=30),
        registration_mode=RegistrationMode.MODERATED,
        capacity=20,
    )
    ProgrammeItemFactory(event=event, title="Begrüßung")
    QuotaFactory(event=event, seats=10)
    waiting = RegistrationFactory(
        event=event, status=RegistrationStatus.PENDING, confirmed_at=None, first_name="Aylin", last_name="Weber"
    )
    _log_in(page, live_server, StaffFactory(is_superuser=True))

    # The start page says what needs doing and leads to exactly that.
    page.goto("/admin/")
    page.get_by_role("link", name="Anmeldungen warten auf Freigabe: 1", exact=True).click()
    page.wait_for_url("**/admin/participants/registration/?status=pending&zeitraum=kommend")
    assert page.locator("#result_list tbody tr").count() == 1

    # Approve it with the list's action.
    page.locator("#result_list tbody input.action-select").check()
    page.locator("select[name=action]").select_option("approve")
    page.get_by_role("button", name="Ausführen").click()
    assert page.locator(".messagelist").inner_text().strip() == "1 Anmeldung bestätigt."
    waiting.refresh_from_db()
    assert waiting.status == RegistrationStatus.CONFIRMED

    # The event, copied as a draft for next year: the draft opens with its date moved.
    page.goto("/admin/")
    page.locator('#content-main a[href$="/admin/events/event/"]').first.click()
    page.get_by_role("link", name=event.title, exact=True).click()
    page.wait_for_url(f"**/admin/events/event/{event.pk}/change/")
    page.get_by_role("button", name="Als Entwurf kopieren").click()
    page.wait_for_url(re.compile(rf"/admin/events/event/(?!{event.pk}/)\d+/change/$"))
    copy = Event.objects.exclude(pk=event.pk).get()
    new_date = next_edition_date(event.date, today=timezone.localdate())
    assert page.url.endswith(f"/admin/events/event/{copy.pk}/change/")
    assert "ist als Entwurf angelegt" in page.locator(".messagelist").inner_text()
    assert page.locator("#id_date").input_value() == new_date.strftime("%d.%m.%Y")
    assert page.locator("#id_status").input_value() == "draft"
    assert copy.registrations.count() == 0

    # The documentation of the event, as a PDF.
    page.goto(f"/admin/events/event/{event.pk}/change/")
    with page.expect_download(timeout=60_000) as download:
        page.get_by_role("link", name="Dokumentation (PDF)", exact=True).click()
    with open(download.value.path(), "rb") as pdf:
        assert pdf.read(5) == b"%PDF-"
    assert Registration.objects.get(pk=waiting.pk).decided_by is not None
