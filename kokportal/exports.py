"""Spreadsheet exports shared by the apps: CSV that Excel reads, XLSX with a filter row, and no formula injection.

A cell that starts with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return could be run as a formula when the
file is opened. CSV has no cell types, so such a value gets a leading apostrophe (``spreadsheet_safe``). XLSX has
them: every text is written as a string cell (never a formula), and a formula-like text is marked as text for
Excel's editor as well (``quotePrefix``), so a phone number "+49 30 …" shows without an apostrophe and stays text.
"""

import csv
import datetime as dt
import io
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal

from django.utils import timezone
from django.utils.formats import date_format
from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
DATETIME_FORMAT = "DD.MM.YYYY HH:MM"
DATE_FORMAT = "DD.MM.YYYY"
SHEET_TITLE_FORBIDDEN = frozenset("[]:*?/\\")


def spreadsheet_safe(value) -> str:
    """Neutralise spreadsheet formulas (CSV injection): a cell never starts with =, +, -, @. Dates and times
    are written as dd.mm.yyyy (hh:mm, local time)."""
    if isinstance(value, dt.datetime):
        return date_format(timezone.localtime(value) if timezone.is_aware(value) else value, "d.m.Y H:i")
    if isinstance(value, dt.date):
        return date_format(value, "d.m.Y")
    value = "" if value is None else str(value)
    return "'" + value if value.startswith(FORMULA_PREFIXES) else value


def csv_bytes(header: Sequence[str], rows: Iterable[Sequence[str]], *, preamble: Sequence[str] = ()) -> bytes:
    """Semicolon-separated CSV with a byte order mark, so spreadsheet programs read the umlauts correctly.

    ``preamble`` lines (e.g. what the list contains) come first, one cell each, before the header."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";")
    writer.writerows([spreadsheet_safe(line)] for line in preamble)
    writer.writerow(header)
    writer.writerows(rows)
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def xlsx_bytes(
    header: Sequence[str], rows: Iterable[Sequence], *, sheet_title: str, preamble: Sequence[str] = ()
) -> bytes:
    """One sheet: the ``preamble`` lines (bold first line), then the header with a filter on every column, frozen
    below it. Texts are string cells (a formula-like one marked as text, see the module); dates and times are
    date cells, so the filter sorts them by time; numbers are number cells."""
    return xlsx_workbook_bytes([Sheet(title=sheet_title, header=header, rows=rows, preamble=preamble)])


@dataclass(frozen=True)
class Sheet:
    """One sheet of a workbook (``xlsx_workbook_bytes``)."""

    title: str
    header: Sequence[str]
    rows: Iterable[Sequence]
    preamble: Sequence[str] = ()


def xlsx_workbook_bytes(sheets: Sequence[Sheet]) -> bytes:
    """A workbook with one sheet per ``Sheet``, in order, each laid out as ``xlsx_bytes`` lays out its one sheet.
    Sheet titles are cut to Excel's 31 characters, without the characters Excel forbids in them."""
    workbook = Workbook()
    workbook.remove(workbook.active)
    for sheet in sheets:
        _fill_sheet(workbook.create_sheet(_sheet_title(sheet.title)), sheet)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _sheet_title(title: str) -> str:
    title = "".join(" " if char in SHEET_TITLE_FORBIDDEN else char for char in str(title)).strip()
    return title[:31] or "Sheet"


def _fill_sheet(sheet, data: Sheet) -> None:
    header, preamble = data.header, data.preamble
    for number, line in enumerate(preamble):
        sheet.append([None])
        _set(sheet.cell(row=sheet.max_row, column=1), line)
        if number == 0:
            sheet.cell(row=sheet.max_row, column=1).font = Font(bold=True)
    if preamble:
        sheet.append([None])  # an empty row between what the list is and the list
    header_row = sheet.max_row + 1 if preamble else 1
    rows = [list(row) for row in data.rows]
    for column, title in enumerate(header, start=1):
        cell = sheet.cell(row=header_row, column=column)
        _set(cell, title)
        cell.font = Font(bold=True)
    for offset, row in enumerate(rows, start=1):
        for column, value in enumerate(row, start=1):
            _set(sheet.cell(row=header_row + offset, column=column), value)
    last_column = get_column_letter(max(len(header), 1))
    sheet.auto_filter.ref = f"A{header_row}:{last_column}{header_row + len(rows)}"
    sheet.freeze_panes = f"A{header_row + 1}"
    for column, title in enumerate(header, start=1):
        width = max([len(title)] + [_width(row[column - 1]) for row in rows[:200]]) + 2
        sheet.column_dimensions[get_column_letter(column)].width = min(width, 50)


def _set(cell, value) -> None:
    """Write one value: datetimes and dates as dates (aware times in local time), numbers as numbers (not
    booleans), everything else as text."""
    if isinstance(value, dt.datetime):
        cell.value = (timezone.localtime(value) if timezone.is_aware(value) else value).replace(tzinfo=None)
        cell.number_format = DATETIME_FORMAT
        return
    if isinstance(value, dt.date):
        cell.value = value
        cell.number_format = DATE_FORMAT
        return
    if isinstance(value, int | float | Decimal) and not isinstance(value, bool):
        cell.value = value
        return
    text = "" if value is None else str(value)
    cell.value = text
    # openpyxl would store a text starting with "=" as a formula; a string cell is never calculated.
    cell.data_type = "s"
    if text.startswith(FORMULA_PREFIXES):
        cell.quotePrefix = True  # Excel shows the text as it is and keeps it text when the cell is edited


def _width(value) -> int:
    if isinstance(value, dt.datetime):
        return 16
    if isinstance(value, dt.date):
        return 10
    return len("" if value is None else str(value))
