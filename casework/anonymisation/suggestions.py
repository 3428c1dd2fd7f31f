"""Generalisations the author can put in place of a finding with one click.

The replacement keeps the sentence readable and the case usable for a workshop while removing what identifies:
"Frau Okafor" -> "Frau O.", "am 12.03.2019" -> "im Frühjahr 2019", "in Soltau" -> "in einer Kleinstadt in
Niedersachsen", "die 17-Jährige" -> "die Jugendliche", "34 Jahre alt" -> "Mitte 30", "Erdbeerhof Gerdes" ->
"Erdbeerhof". Suggestions are German whatever the interface language, because the case text is German. Where no
generalisation makes sense (a phone number, an IBAN, an address), the suggestion is empty and the passage should
simply go.
"""

from __future__ import annotations

import re

from django.utils import translation

from kokportal.federal_states import FederalState

from .combinations import age_of
from .findings import Category, Finding
from .lexicon import Place, fold, places
from .organisations import business_kind, institution_kind
from .vocabulary import _MONTH_ABBREVIATIONS, _MONTHS, _RANK_TITLES, _SOFT_TITLES

_TITLE_RE = re.compile(
    r"^(?P<title>(?:Frau|Herrn?|Familie|Schwester|Bruder|Tante|Onkel|Madame|Madam|Mama|Auntie|Aunty|Pastor|Pastorin|"
    r"Fr\.|Hr\.)"
    r"(?:\s+(?:Dr\.|Prof\.))*|Dr\.|Prof\.)\s+"
)
_SEASONS = {12: "Winter", 1: "Winter", 2: "Winter", 3: "Frühjahr", 4: "Frühjahr", 5: "Frühjahr"}
_SEASONS |= {6: "Sommer", 7: "Sommer", 8: "Sommer", 9: "Herbst", 10: "Herbst", 11: "Herbst"}
_MONTH_NUMBERS = {
    name: number
    for number, names in enumerate(
        [
            ("Januar", "Jänner", "Jan"),
            ("Februar", "Feb"),
            ("März", "Mär", "Mrz"),
            ("April", "Apr"),
            ("Mai",),
            ("Juni", "Jun"),
            ("Juli", "Jul"),
            ("August", "Aug"),
            ("September", "Sep", "Sept"),
            ("Oktober", "Okt"),
            ("November", "Nov"),
            ("Dezember", "Dez"),
        ],
        start=1,
    )
    for name in names
}
_NUMERIC_DATE_RE = re.compile(r"(?P<day>\d{1,2})\.\s?(?P<month>\d{1,2})\.(?:\s?(?P<year>(?:19|20)?\d{2}))?")
_ISO_DATE_RE = re.compile(r"(?P<year>(?:19|20)\d{2})-(?P<month>\d{1,2})-\d{1,2}")
_WORD_DATE_RE = re.compile(
    rf"\d{{1,2}}\.?\s+(?P<month>{_MONTHS}|{_MONTH_ABBREVIATIONS})\.?(?:\s+(?P<year>(?:19|20)\d{{2}}))?"
)
_SLASH_DATE_RE = re.compile(r"\d{1,2}/(?P<month>\d{1,2})/(?P<year>(?:19|20)?\d{2})")


def suggest(finding: Finding, text: str) -> str:
    """The generalisation for *finding* in *text*, or "" when the passage should be removed."""
    handler = _HANDLERS.get(finding.category)
    return handler(finding, text) if handler else ""


def _name(finding: Finding, text: str) -> str:
    """ "Frau Okafor" -> "Frau O.", "Blessing Okafor" -> "B. O.", "Efosa" -> "E."."""
    excerpt = finding.excerpt
    title = _TITLE_RE.match(excerpt)
    first = excerpt.split(maxsplit=1)[0] if excerpt.split() else ""
    if not title and (first in _RANK_TITLES or first in _SOFT_TITLES) and " " in excerpt:
        # "KHK Thomas Rieke" -> "KHK R.", "Onkel Dragan" -> "Onkel D."
        title = re.match(rf"^(?P<title>{re.escape(first)})\s+", excerpt)
    rest = excerpt[title.end() :] if title else excerpt
    words = [word for word in re.split(r"\s+", rest) if word and word[0].isalpha()]
    if not words:
        return ""
    if title:
        return f"{title.group('title')} {words[-1][0].upper()}."
    return " ".join(f"{word[0].upper()}." for word in words[:2])


def _date(finding: Finding, text: str) -> str:
    """ "12.03.2019" -> "Frühjahr 2019"; "im" goes before it when "am" stood there ("am" is part of the finding)."""
    excerpt = finding.excerpt
    month = year = None
    for pattern in (_NUMERIC_DATE_RE, _ISO_DATE_RE, _SLASH_DATE_RE, _WORD_DATE_RE):
        match = pattern.search(excerpt)
        if match:
            raw_month = match.group("month")
            month = int(raw_month) if raw_month.isdigit() else _MONTH_NUMBERS.get(raw_month.rstrip("."))
            year = match.group("year")
            break
    if month is None or not 1 <= month <= 12:
        return ""
    if year and len(year) == 2:
        year = f"20{year}" if int(year) <= 40 else f"19{year}"
    season = f"{_SEASONS[month]} {year}" if year else _SEASONS[month]
    if excerpt.startswith(("am ", "Am ")):
        return f"{excerpt[0].replace('a', 'i').replace('A', 'I')}m {season}"
    return season


def _place(finding: Finding, text: str) -> str:
    """ "Soltau" -> "einer Kleinstadt in Niedersachsen" (dative: the place mostly follows "in", "aus", "bei")."""
    before = text[max(0, finding.start - 40) : finding.start]
    # The generalisation is a dative phrase; it fits only after a preposition ("aus Soltau", "in Wilsum"). After
    # "Kreis", "Provinz" or as a subject the author rewrites the passage (no suggestion is better than a wrong one).
    preposition = re.search(r"\b(?:in|aus|bei|von|nach|nahe|um|zu|im\s+Raum)\s+$", before)
    if preposition is None:
        return ""
    place: Place | None = places().get(fold(finding.excerpt))
    if place is None:
        return "einem Ort im Herkunftsland" if _abroad(before) else "einem kleineren Ort"
    if place.population < 5_000:
        kind = "einem Dorf"  # the gazetteer counts only the main place of a municipality
    elif place.population < 20_000:
        kind = "einer Kleinstadt"
    else:
        kind = "einer mittelgroßen Stadt"
    if not place.state:
        return kind
    with translation.override("de"):
        state = str(FederalState(place.state).label)
    return f"{kind} in {state}"


def _abroad(before: str) -> bool:
    """The words right before a place say it lies abroad ("stammt aus", "Herkunft:", "im Heimatland bei")."""
    return bool(re.search(r"\b(?:Herkunftsland|Heimatland|stammt|stammen|Heimat\w*|Herkunft\w*)\b", before))


def _organisation(finding: Finding, text: str) -> str:
    """The kind of business without its name: "Erdbeerhof Gerdes" -> "Erdbeerhof", "Bau Kowalski GmbH" -> "Firma"."""
    kind = business_kind(finding.excerpt)
    if kind:
        return kind
    before = text[max(0, finding.start - 5) : finding.start].split()
    article = before[-1].lower() if before else ""
    if article in ("die", "der"):
        return "Firma"
    if article in ("dem", "das", "des", "im", "vom", "beim"):
        return "Unternehmen"
    return "einem Unternehmen"


def _institution(finding: Finding, text: str) -> str:
    """The kind of institution without its town or name: "Jugendamt Diepholz" -> "Jugendamt"."""
    return institution_kind(finding.excerpt) or "Fachberatungsstelle"


def _age(finding: Finding, text: str) -> str:
    """ "17-Jährige" -> "Jugendliche", "58-Jährige" -> "Betroffene", "34 Jahre alt" -> "Mitte 30"."""
    excerpt = finding.excerpt
    age = age_of(excerpt)
    if age is None:
        return ""
    ending = re.search(r"ährige?([nmrs]?)\b", excerpt, re.IGNORECASE)
    if ending:
        suffix = ending.group(1)
        noun = "Jugendliche" if 14 <= age < 18 else "Minderjährige" if age < 14 else "Betroffene"
        return noun + suffix
    with_number = re.fullmatch(r"([Mm])it\s+\d{1,2}", excerpt)  # "Mit 19 kam sie", "mit 16 heiratete sie"
    if with_number:
        capital = with_number.group(1) == "M"
        if age < 18:
            return "Als Jugendliche" if capital else "als Jugendliche"
        return f"{'M' if capital else 'm'}it {_age_span(age)}"
    if age < 18:
        return "minderjährig"
    span = _age_span(age)
    if excerpt.startswith("("):
        return f"({span})"
    if re.match(r"(?i)im Alter von", excerpt):
        return f"im Alter von {span}"
    if excerpt.startswith("mit "):
        return f"mit {span}"
    if excerpt.startswith("Alter"):
        return f"Alter: {span}"
    return span


def _age_span(age: int) -> str:
    """34 -> "Mitte 30", 21 -> "Anfang 20", 58 -> "Ende 50"."""
    if age in (18, 19):
        return "knapp 20"
    decade, unit = divmod(age, 10)
    part = "Anfang" if unit <= 3 else "Mitte" if unit <= 6 else "Ende"
    return f"{part} {decade * 10}"


_HANDLERS = {
    Category.NAME: _name,
    Category.DATE: _date,
    Category.PLACE: _place,
    Category.ORGANISATION: _organisation,
    Category.INSTITUTION: _institution,
    Category.QUASI_IDENTIFIER: _age,
}
