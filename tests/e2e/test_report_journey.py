"""The report across events as the office uses it, in Chromium: staff (second factor passed) open the report from the
list of events, choose the project, see the figures and the charts, and download the PDF and the XLSX for the
project's period. Screenshots of every step land in the test's tmp_path (``--basetemp`` to keep them)."""

import datetime as dt
import io
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.auth.models import Group
from django.test import Client
from openpyxl import load_workbook
from pypdf import PdfReader

from events.enums import EventKind, PresenceMode
from events.models import Project
from events.services import project_save
from kokportal.federal_states import FederalState
from kokportal.roles import OFFICE, sync_staff_groups
from participants.enums import RegistrationStatus as S
from tests.auth import login
from tests.factories import EventFactory, OrganisationFactory, RegistrationFactory, StaffFactory, organisation_type

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def shot(tmp_path):
    taken = []

    def take(page, name: str) -> None:
        taken.append(name)
        page.screenshot(path=str(tmp_path / f"{len(taken):02d}-{name}.png"), full_page=True)

    return take


def _pdf_text(content: bytes) -> str:
    reader = PdfReader(io.BytesIO(content))
    return " ".join(" ".join(p.extract_text() for p in reader.pages).split())


def test_staff_download_the_report_for_the_project_period(page, live_server, shot):
    project = project_save(
        project=Project(
            title="Flucht & Menschenhandel",
            starts_on=dt.date(2016, 5, 1),
            ends_on=dt.date(2017, 11, 30),
            funder="Die Beauftragte der Bundesregierung für Migration, Flüchtlinge und Integration",
            credit_line="Gefördert durch die Beauftragte der Bundesregierung für Migration.",
        )
    )
    hamburg = EventFactory(
        past=True,
        title="Praxisfachtag Hamburg 2016",
        project=project,
        kind=EventKind.PRACTICE_DAY,
        date=dt.date(2016, 9, 14),
        federal_state=FederalState.HH,
        outcomes="Regionale Vernetzung in Hamburg vereinbart.",
    )
    online = EventFactory(
        past=True,
        virtual=True,
        title="Fachgespräch online 2017",
        project=project,
        kind=EventKind.EXPERT_TALK,
        date=dt.date(2017, 5, 17),
    )
    EventFactory(
        past=True, title="Regionaltreffen ohne Projekt", presence=PresenceMode.HYBRID, date=dt.date(2017, 6, 1)
    )
    fbs = OrganisationFactory(organisation_type=organisation_type("fachberatungsstelle"))
    for event, count in ((hamburg, 4), (online, 3)):
        for _ in range(count):
            RegistrationFactory(event=event, organisation=fbs, status=S.ATTENDED, federal_state=FederalState.BE)
    RegistrationFactory(event=hamburg, organisation=fbs, status=S.CANCELLED)

    sync_staff_groups()
    staff = StaffFactory()
    staff.groups.add(Group.objects.get(name=OFFICE))
    session = login(Client(), staff).cookies[settings.SESSION_COOKIE_NAME].value
    page.context.add_cookies([{"name": settings.SESSION_COOKIE_NAME, "value": session, "url": live_server.url}])

    # From the list of events to the report.
    page.goto("/admin/events/event/")
    page.get_by_role("link", name="Bericht über mehrere Veranstaltungen").click()
    page.wait_for_url("**/admin/events/event/report/")
    shot(page, "report-default")

    # Choose the project, leave the period empty: the project's period applies.
    page.get_by_label("Projekt").select_option(label="Flucht & Menschenhandel")
    page.get_by_role("button", name="Bericht anzeigen").click()
    page.wait_for_url(f"**/admin/events/event/report/?*project={project.pk}*")
    assert page.get_by_role("heading", name="Berichtszeitraum 1. Mai 2016 – 30. November 2017").is_visible()
    rows = page.locator("#report-events tbody tr")
    assert rows.count() == 2
    assert rows.nth(0).locator("th").inner_text() == "Praxisfachtag Hamburg 2016"
    assert rows.nth(1).locator("th").inner_text() == "Fachgespräch online 2017"
    assert [rows.nth(0).locator("td").nth(n).inner_text() for n in range(5, 10)] == ["5", "4", "4", "1", "0"]
    charts = page.locator("figure.kok-report-chart svg[role=img]")
    assert charts.count() == 4
    assert charts.first.is_visible()
    assert page.get_by_text("Regionaltreffen ohne Projekt").count() == 0
    shot(page, "report-project")

    # The PDF for the project's period.
    with page.expect_download() as download:
        page.get_by_role("link", name="Bericht als PDF herunterladen").click()
    assert download.value.suggested_filename == "bericht-2016-05-01-2017-11-30.pdf"
    content = Path(download.value.path()).read_bytes()
    assert content.startswith(b"%PDF")
    text = _pdf_text(content)
    for expected in (
        "Flucht & Menschenhandel",
        "Gefördert durch die Beauftragte der Bundesregierung für Migration.",
        "Berichtszeitraum 1. Mai 2016 – 30. November 2017",
        "Praxisfachtag Hamburg 2016",
        "Fachgespräch online 2017",
    ):
        assert expected in text, expected
    assert "Regionaltreffen ohne Projekt" not in text

    # The XLSX for the same filter.
    with page.expect_download() as download:
        page.get_by_role("link", name="Bericht als Tabelle (XLSX) herunterladen").click()
    assert download.value.suggested_filename == "bericht-2016-05-01-2017-11-30.xlsx"
    workbook = load_workbook(io.BytesIO(Path(download.value.path()).read_bytes()))
    events = [row for row in workbook["Veranstaltungen"].iter_rows(values_only=True) if isinstance(row[8], int)]
    assert [(row[0], row[1], row[8], row[10]) for row in events] == [
        ("Praxisfachtag Hamburg 2016", dt.datetime(2016, 9, 14), 5, 4),
        ("Fachgespräch online 2017", dt.datetime(2017, 5, 17), 3, 3),
    ]
    shot(page, "after-downloads")
