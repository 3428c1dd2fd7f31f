"""Participant lists for organisers, as CSV and XLSX: only the fields organisers need."""

from __future__ import annotations

import io
from collections.abc import Iterable

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font

from kokportal.exports import csv_bytes, spreadsheet_safe

from .models import Registration


def _columns() -> list[tuple[str, callable]]:
    return [
        (_("Nachname"), lambda r: r.last_name),
        (_("Vorname"), lambda r: r.first_name),
        (_("Organisation"), lambda r: r.organisation.name),
        (_("Art der Organisation"), lambda r: r.organisation_type.display_name),
        (_("Funktion / Rolle"), lambda r: r.function),
        (_("Bundesland"), lambda r: r.get_federal_state_display()),
        (_("E-Mail-Adresse"), lambda r: r.email),
        (_("Telefon"), lambda r: r.phone),
        (_("Status"), lambda r: r.get_status_display()),
        (_("Barrierefreiheit"), lambda r: r.accessibility_needs),
        (_("Verpflegung"), lambda r: r.dietary_needs),
        (_("Kontaktliste"), lambda r: _("ja") if r.contact_list_consent else _("nein")),
    ]


def export_rows(registrations: Iterable[Registration]) -> tuple[list[str], list[list[str]]]:
    columns = _columns()
    header = [title for title, _getter in columns]
    rows = [[spreadsheet_safe(getter(r)) for _title, getter in columns] for r in registrations]
    return header, rows


def registrations_csv(registrations: Iterable[Registration]) -> bytes:
    return csv_bytes(*export_rows(registrations))


def registrations_xlsx(registrations: Iterable[Registration]) -> bytes:
    header, rows = export_rows(registrations)
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = _("Teilnehmende")[:31]
    sheet.append(header)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in rows:
        sheet.append(row)
    for index, title in enumerate(header, start=1):
        width = max([len(title)] + [len(r[index - 1]) for r in rows[:200]]) + 2
        sheet.column_dimensions[sheet.cell(row=1, column=index).column_letter].width = min(width, 50)
    sheet.freeze_panes = "A2"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
