"""The materials journey in Chromium: staff (second factor passed) upload a handout for registered participants on
the event's admin page; a participant with a confirmed registration sees it on the event page and downloads it
(the same bytes); an anonymous visitor does not see it and gets 404 at its address. Screenshots land in the test's
tmp_path."""

import datetime as dt
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client
from django.utils import timezone

from events.models import Material
from participants.enums import RegistrationStatus as S
from tests.auth import login
from tests.factories import TINY_PDF, EventFactory, ProgrammeItemFactory, RegistrationFactory, StaffFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

TITLE = "Handout Erstgespräch"


def _context(browser, live_server, user=None):
    context = browser.new_context(locale="de-DE", base_url=live_server.url, viewport={"width": 1280, "height": 900})
    context.set_default_timeout(15_000)
    errors: list[str] = []
    context.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    if user is not None:
        session = login(Client(), user).cookies[settings.SESSION_COOKIE_NAME].value
        context.add_cookies([{"name": settings.SESSION_COOKIE_NAME, "value": session, "url": live_server.url}])
    return context, errors


def test_materials_journey_upload_see_download_and_404(browser, live_server, tmp_path):
    event = EventFactory(title="Praxisfachtag Leipzig", date=timezone.localdate() + dt.timedelta(days=20))
    ProgrammeItemFactory(event=event, start=dt.time(10), end=dt.time(11), title="Input Erstgespräch")
    participant = RegistrationFactory(event=event, status=S.CONFIRMED).user
    staff = StaffFactory(is_superuser=True)
    handout = tmp_path / "Handout Erstgespräch.pdf"
    handout.write_bytes(TINY_PDF)

    office, office_errors = _context(browser, live_server, staff)
    person, person_errors = _context(browser, live_server, participant)
    anonymous, anonymous_errors = _context(browser, live_server)
    try:
        # 1. Staff add a row to the materials inline and upload the handout.
        admin = office.new_page()
        admin.goto(f"/admin/events/event/{event.pk}/change/")
        admin.locator(".materials-inline .add-row a").click()
        admin.locator('[name="materials-0-title"]').fill(TITLE)
        admin.locator('[name="materials-0-programme_item"]').select_option(label="10:00 Input Erstgespräch")
        admin.locator('[name="materials-0-visibility"]').select_option("registered")
        admin.locator('[name="materials-0-upload"]').set_input_files(str(handout))
        admin.screenshot(path=str(tmp_path / "01-admin-upload.png"), full_page=True)
        with admin.expect_navigation():
            admin.locator('input[name="_continue"]').first.click()
        assert admin.locator(".errornote").count() == 0
        material = Material.objects.get(event=event)
        assert (material.title, material.visibility, material.file_name) == (
            TITLE,
            "registered",
            "Handout Erstgespräch.pdf",
        )
        assert material.programme_item.title == "Input Erstgespräch"

        # 2. The participant sees it on the event page and downloads it.
        page = person.new_page()
        page.goto(event.get_absolute_url())
        link = page.locator(".event-materials").get_by_role("link", name=TITLE)
        assert link.is_visible()
        assert "(PDF, " in page.locator(".event-materials").inner_text()
        assert page.locator(".item-materials").get_by_role("link", name=TITLE).count() == 1
        page.screenshot(path=str(tmp_path / "02-participant-event-page.png"), full_page=True)
        with page.expect_download() as download_info:
            link.click()
        download = download_info.value
        assert download.suggested_filename == "Handout Erstgespräch.pdf"
        assert Path(download.path()).read_bytes() == TINY_PDF

        # 3. An anonymous visitor sees no trace of it, and its address answers 404.
        visitor = anonymous.new_page()
        visitor.goto(event.get_absolute_url())
        assert TITLE not in visitor.content()
        assert visitor.locator(".event-materials").count() == 0
        response = visitor.request.get(material.get_absolute_url())
        assert response.status == 404
        visitor.screenshot(path=str(tmp_path / "03-anonymous-event-page.png"), full_page=True)
    finally:
        office.close()
        person.close()
        anonymous.close()
    assert (office_errors, person_errors, anonymous_errors) == ([], [], [])
