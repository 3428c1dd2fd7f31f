"""One rounding rule for every figure the portal shows: pages, CSV exports and PDFs.

Django's ``number_format`` cuts digits off (21.6 shows as "21"); the portal rounds half up first, then formats in
the current language ("21,6" in German, "21.6" in English), so a page and a PDF never disagree.
"""

from __future__ import annotations

import datetime as dt
from decimal import ROUND_HALF_UP, Decimal

from django.utils import formats


def round_half_up(value: float | Decimal, places: int) -> Decimal:
    """``value`` rounded to ``places`` decimals, halves away from zero (2.25 -> 2.3, 21.5 -> 22)."""
    return Decimal(str(value)).quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)


def format_decimal(value: float | Decimal, places: int) -> str:
    """``value`` rounded half up to ``places`` decimals, in the current language's number format."""
    return formats.number_format(round_half_up(value, places), places)


def format_percent(part: int, whole: int) -> str:
    """``part`` of ``whole`` as a whole percentage ("22 %"); "–" when there is nothing to divide by."""
    if not whole:
        return "–"
    return f"{format_decimal(100 * part / whole, 0)} %"


def format_date_span(first: dt.date, last: dt.date | None = None) -> str:
    """The date of an event, or its first and last day, in the current language: "17. Mai 2017", "16.–17. Mai 2017",
    "31. Mai – 1. Juni 2017", "30. Dezember 2025 – 2. Januar 2026"."""
    if last is None or last == first:
        return formats.date_format(first, "DATE_FORMAT")
    if (first.year, first.month) == (last.year, last.month) and formats.get_format("DATE_FORMAT").startswith("j"):
        # Day first (German "j. F Y", the portal's English "j F Y"): "16.–17. Mai 2017", "16–17 May 2017".
        separator = "." if formats.get_format("DATE_FORMAT").startswith("j.") else ""
        return f"{first.day}{separator}–{formats.date_format(last, 'DATE_FORMAT')}"
    if first.year == last.year:
        start = formats.date_format(first, "MONTH_DAY_FORMAT")
    else:
        start = formats.date_format(first, "DATE_FORMAT")
    return f"{start} – {formats.date_format(last, 'DATE_FORMAT')}"


def format_event_when(first: dt.date, last: dt.date | None, start: dt.time, end: dt.time) -> str:
    """When an event takes place, with weekdays and times: "Dienstag, 16. Mai 2017, 10:00–16:00 Uhr", or for several
    days "Dienstag, 16. Mai 2017, 10:00 Uhr bis Mittwoch, 17. Mai 2017, 16:00 Uhr"."""
    from django.utils.translation import gettext

    def day(value: dt.date) -> str:
        return f"{formats.date_format(value, 'l')}, {formats.date_format(value, 'DATE_FORMAT')}"

    if last is None or last == first:
        return gettext("%(day)s, %(start)s–%(end)s Uhr") % {
            "day": day(first),
            "start": f"{start:%H:%M}",
            "end": f"{end:%H:%M}",
        }
    return gettext("%(first)s, %(start)s Uhr bis %(last)s, %(end)s Uhr") % {
        "first": day(first),
        "start": f"{start:%H:%M}",
        "last": day(last),
        "end": f"{end:%H:%M}",
    }


def in_current_language(german: str, english: str) -> str:
    """The English text of an admin-maintained pair on English pages, where staff gave one; the German otherwise."""
    from django.utils import translation

    return english if translation.get_language() == "en" and english else german
