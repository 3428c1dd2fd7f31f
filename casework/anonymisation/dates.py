"""Exact dates and dates of birth (a month and a year, or a season, are not identifying)."""

from __future__ import annotations

import re
from collections.abc import Iterator

from .findings import Category, _Candidate
from .vocabulary import _MONTH_ABBREVIATIONS, _MONTHS

_DATE_RE = re.compile(
    rf"\b(?P<day>[0-3]?\d)\.\s?(?:(?:{_MONTHS})\b|{_MONTH_ABBREVIATIONS}|(?P<month>[01]?\d)\.)"
    r"(?:\s?(?P<year>(?:19|20)\d{2}\b|(?<=\.)\d{2}\b(?![.,]\d)))?"
    rf"|\b(?P<day2>[0-3]?\d)\s+(?:{_MONTHS})\s+(?P<year2>(?:19|20)\d{{2}})\b"
    r"|\b(?P<iso>(?:19|20)\d{2}-(?:0?[1-9]|1[0-2])-(?:0?[1-9]|[12]\d|3[01]))\b"
    r"|\b(?P<day3>[0-3]?\d)/(?P<month3>[01]?\d)/(?P<year3>(?:19|20)?\d{2})\b"
    # Hungarian and East Asian order, year first: "2004. 06. 15.", "2004.06.15"
    r"|\b(?P<ymd>(?:19|20)\d{2}\.\s?(?:0?[1-9]|1[0-2])\.\s?(?:0?[1-9]|[12]\d|3[01])\.?)(?!\d)"
)
# Numbered paragraphs and headings look like dates without a year ("Ziffer 3.1.", "2.1. Ausgangslage").
_NUMBERING_CONTEXT_RE = re.compile(
    r"(?:§|Nr\.|Ziff\.|Ziffer|Abs\.|Punkt|Kapitel|Abschnitt|Tz\.|Rn\.|Seite|S\.)\s*$",
)
_DOB_BEFORE_RE = re.compile(
    r"(?:\bgeb(?:oren)?\.?(?:\s+am)?|\bGeburtsdatum\s*:?|\bGeb\.-?Datum\s*:?|\bGeburtstag\s*(?:am|:)?"
    r"|\bDOB\s*:?|\bdate of birth\s*:?|\bszül\.?|\bnăscut[ăa]?|\burodzon[ya]|\bnarozen[aá]?|\*)\s*$",
    re.IGNORECASE,
)
_DOB_AFTER_RE = re.compile(r"^\s+(?:in\s+[\w ]{2,30}?\s+)?geboren\b")


def _find_dates(text: str) -> Iterator[_Candidate]:
    for match in _DATE_RE.finditer(text):
        start, end = match.span()
        day = match.group("day") or match.group("day2") or match.group("day3")
        month = match.group("month") or match.group("month3")
        if day is not None and not 1 <= int(day) <= 31 or month is not None and not 1 <= int(month) <= 12:
            continue
        has_year = any(match.group(group) for group in ("year", "year2", "iso", "year3", "ymd"))
        before = text[max(0, start - 30) : start]
        line_start = text.rfind("\n", 0, start) + 1
        if not has_year and (_NUMBERING_CONTEXT_RE.search(before) or not text[line_start:start].strip()):
            continue
        if _DOB_BEFORE_RE.search(before) or _DOB_AFTER_RE.match(text[end : end + 45]):
            # "*05.09.2007": the asterisk marks the date as a birth date and goes with it.
            yield _Candidate(Category.DATE_OF_BIRTH, start - 1 if before.endswith("*") else start, end)
        else:
            # Also without a year: the year is usually given elsewhere in the text. A leading "am" goes with
            # the date, so that the generalisation can say "im Frühjahr 2019".
            if re.search(r"\b[Aa]m\s$", before):
                start -= 3
            yield _Candidate(Category.DATE, start, end)
