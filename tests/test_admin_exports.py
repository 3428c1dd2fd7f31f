"""The participant lists staff export from the admin (issue 13, point 12): the event and the registration date in
every row, a filter row in Excel, phone numbers without a visible apostrophe while no cell is ever a formula, and two
lines that say which event and which statuses the list contains. Exports stay audited."""

import csv
import datetime as dt
import io
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from kokportal.exports import csv_bytes, spreadsheet_safe, xlsx_bytes
from kokportal.models import AuditLogEntry
from participants.enums import RegistrationStatus as S
from participants.models import Registration
from tests.factories import EventFactory, RegistrationFactory

pytestmark = pytest.mark.django_db

BERLIN = ZoneInfo("Europe/Berlin")
CHANGELIST = "admin:participants_registration_changelist"


@pytest.fixture
def registrations():
    event = EventFactory(title="Vernetzungstreffen Nord", date=dt.date(2027, 3, 26))
    weber = RegistrationFactory(
        event=event, last_name="Weber", first_name="Aylin", phone="+49 30 1234567", status=S.CONFIRMED
    )
    zorn = RegistrationFactory(event=event, last_name="Zorn", first_name='=HYPERLINK("x")', status=S.WAITLISTED)
    abel = RegistrationFactory(event=event, last_name="Abel", phone="-0176 55", status=S.CONFIRMED)
    Registration.objects.filter(pk=weber.pk).update(created=dt.datetime(2027, 1, 5, 14, 30, tzinfo=BERLIN))
    return event, [abel, weber, zorn]


def _export(client, action):
    return client.post(
        reverse(CHANGELIST),
        {"action": action, "_selected_action": list(Registration.objects.values_list("pk", flat=True))},
    )


def test_csv_export_says_what_it_contains_and_keeps_the_formula_guard(staff_client, registrations):
    response = _export(staff_client, "export_csv")

    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    assert rows[0] == ["Teilnehmendenliste: Vernetzungstreffen Nord (26.03.2027)"]
    assert rows[1][0].startswith("Enthaltene Status: bestätigt (2), Warteliste (1); 3 Anmeldungen, exportiert am ")
    header = rows[2]
    assert header[8:11] == ["Status", "Angemeldet am", "Praxisfachtag"]
    weber = rows[4]
    assert weber[:2] == ["Weber", "Aylin"]
    assert weber[7:11] == ["'+49 30 1234567", "bestätigt", "05.01.2027 14:30", "Vernetzungstreffen Nord (26.03.2027)"]
    assert rows[5][1] == '\'=HYPERLINK("x")'
    assert AuditLogEntry.objects.get().action == "export_registrations_csv"


def test_xlsx_export_has_a_filter_typed_cells_and_no_visible_apostrophe(staff_client, registrations):
    response = _export(staff_client, "export_xlsx")

    sheet = load_workbook(io.BytesIO(response.content)).active
    assert sheet.title == "Teilnehmende"
    assert sheet["A1"].value == "Teilnehmendenliste: Vernetzungstreffen Nord (26.03.2027)"
    assert sheet["A2"].value.startswith("Enthaltene Status: bestätigt (2), Warteliste (1); 3 Anmeldungen")
    assert [cell.value for cell in sheet[4]][:3] == ["Nachname", "Vorname", "Organisation"]
    assert sheet.auto_filter.ref == "A4:N7"
    assert sheet.freeze_panes == "A5"
    abel, weber, zorn = sheet[5], sheet[6], sheet[7]
    phone = weber[7]
    assert (phone.value, phone.data_type, phone.quotePrefix) == ("+49 30 1234567", "s", True)
    assert (abel[7].value, abel[7].data_type) == ("-0176 55", "s")
    formula_like = zorn[1]
    assert (formula_like.value, formula_like.data_type) == ('=HYPERLINK("x")', "s")  # text, never calculated
    assert weber[9].value == dt.datetime(2027, 1, 5, 14, 30)  # a date cell, local time
    assert weber[9].number_format == "DD.MM.YYYY HH:MM"
    assert weber[10].value == "Vernetzungstreffen Nord (26.03.2027)"
    assert AuditLogEntry.objects.get().action == "export_registrations_xlsx"


def test_export_of_several_events_names_their_number(staff_client, registrations):
    RegistrationFactory(event=EventFactory(), status=S.PENDING)

    rows = list(csv.reader(io.StringIO(_export(staff_client, "export_csv").content.decode("utf-8-sig")), delimiter=";"))

    assert rows[0] == ["Teilnehmendenliste: 2 Praxisfachtage"]
    assert rows[1][0].startswith("Enthaltene Status: wartet auf Freigabe (1), bestätigt (2), Warteliste (1); 4 ")


def test_spreadsheet_helpers_write_dates_and_guard_formulas():
    moment = dt.datetime(2027, 7, 1, 8, 5, tzinfo=dt.UTC)
    assert spreadsheet_safe(moment) == "01.07.2027 10:05"  # local time (summer)
    assert spreadsheet_safe(dt.date(2027, 7, 1)) == "01.07.2027"
    assert spreadsheet_safe("@SUM(A1)") == "'@SUM(A1)"
    assert csv_bytes(["a"], [["1"]], preamble=["=x"]).decode("utf-8-sig") == "'=x\r\na\r\n1\r\n"
    sheet = load_workbook(io.BytesIO(xlsx_bytes(["Wert"], [["=1+1"], [None]], sheet_title="T"))).active
    assert (sheet["A2"].value, sheet["A2"].data_type, sheet["A3"].value) == ("=1+1", "s", None)
    assert sheet.auto_filter.ref == "A1:A3"
    assert timezone.is_aware(moment)
