"""Combinations that may identify someone: an exact age with a nationality and a place."""

from __future__ import annotations

import re
from collections.abc import Iterator

from .findings import Category, Severity, _Candidate
from .vocabulary import _CITY_RE, _NATIONALITY_RE

_AGE_WORD = (
    r"(?:(?:ein|zwei|drei|vier|fünf|sechs|sieben|acht|neun)und)?"
    r"(?:zwanzig|dreißig|dreissig|vierzig|fünfzig|sechzig|siebzig|achtzig|neunzig)"
    r"|zehn|elf|zwölf|dreizehn|vierzehn|fünfzehn|sechzehn|siebzehn|achtzehn|neunzehn"
)
_AGE_RE = re.compile(
    # Ages in words from ten upwards; "dreijährige Ausbildung" is a duration, not an age.
    rf"\b(?i:(?:{_AGE_WORD})\s?-?jährige?[nmrs]?)\b|\b(?i:{_AGE_WORD})\s+Jahre\s+alt(?:e[nmrs]?)?\b"
    r"|\b\d{1,2}\s?-?\s?[jJ]ährige?[nmrs]?\b"
    r"|\b\d{1,2}\s+Jahre\s+alt(?:e[nmrs]?)?\b"
    r"|\b[Ii]m\s+Alter\s+von\s+\d{1,2}\s+Jahren\b"
    r"|\bmit\s+\d{1,2}\s+Jahren\b"
    r"|\bAlter\s*:\s*\d{1,2}\b"
    r"|\b(?:Jahrgang|Geburtsjahr|geboren|geb\.)\s+(?:19|20)\d{2}\b"
    r"|(?<=[^\W\d_]\.\s)\(\d{1,2}\)|(?<=[^\W\d_]\s)\(\d{1,2}\)|(?<=[^\W\d_]\.)\(\d{1,2}\)"
    r"|(?<=\b[A-ZÄÖÜ]\.,\s)\d{1,2}(?=\s?[,;)])"
)


def _find_quasi_identifiers(text: str) -> Iterator[_Candidate]:
    """Exact age + nationality + German city together can single out one person."""
    if not (_NATIONALITY_RE.search(text) and _CITY_RE.search(text)):
        return
    for match in _AGE_RE.finditer(text):
        yield _Candidate(Category.QUASI_IDENTIFIER, *match.span(), Severity.WARNING)
