"""Places that narrow down who someone is: German towns and villages from the gazetteer, districts, villages
abroad named as such. Cities of 100,000 or more inhabitants are not flagged (a case "in einer Großstadt wie Köln"
identifies nobody); neither are countries or federal states.

A place name that is also a German word ("Essen", "Halle", "Hof", "Weil") counts only after a place word or a
preposition of place ("in Halle", "aus Weil am Rhein", "Landkreis Hof").
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from .findings import Category, _Candidate
from .lexicon import fold, folded_words, german_words, place_first_words, places

_PLACE_WORD = r"[A-ZÄÖÜ][\wäöüßÄÖÜ'’-]+"
# "Bad Bentheim", "Haren (Ems)", "Neustadt an der Weinstraße", "Frankfurt (Oder)", "Sankt Augustin"
_PLACE_RE = re.compile(
    rf"(?<![\w-]){_PLACE_WORD}(?:\s+(?:{_PLACE_WORD}|an\s+der|am|im|bei|ob\s+der|vor\s+der)){{0,3}}"
    r"(?:\s*\((?:[A-ZÄÖÜ][\wäöü. ]+)\))?"
)
# Words that introduce a place ("in Wietmarschen", "Landkreis Vechta", "ein Dorf namens Ostrhauderfehn").
_PLACE_CONTEXT_RE = re.compile(
    r"(?:\b(?:in|aus|nach|bei|von|nahe|nahe\s+bei|im\s+Raum|Raum|Umgebung\s+von|Ortsteil|Stadtteil|Dorf|Ort|"
    r"Gemeinde|Stadt|Kleinstadt|Kreisstadt|Landkreis|Kreis|Amt|Samtgemeinde|Verbandsgemeinde|Region|Provinz|"
    r"Bezirk|Bundesstaat|Distrikt|District|Village|namens|genannt)\s+(?:der\s+Nähe\s+von\s+)?)$"
)
# A district or an area abroad named by its kind, whatever the name: "Landkreis Vechta", "ein Dorf namens Ugbegun".
_NAMED_AREA_RE = re.compile(
    r"\b(?P<kind>Landkreis|Kreis|Samtgemeinde|Verbandsgemeinde|Ortsteil|Stadtteil|Gemeinde|Dorf\s+namens|"
    r"Ort\s+namens|Ortschaft|Village|Region\s+um|Bezirk)\s+"
    rf"(?P<name>{_PLACE_WORD}(?:[ -](?:{_PLACE_WORD}|an\s+der|am)){{0,2}})"
)
# "aus Ugbegun in Edo State", "in Dolna Banya bei Sofia": an unknown capitalised word named as the place within a
# known region.
_PLACE_IN_REGION_RE = re.compile(
    rf"\b(?:aus|in|nach)\s+(?P<name>{_PLACE_WORD}(?:\s+{_PLACE_WORD})?)\s+"
    r"(?:\((?:[A-ZÄÖÜ][\w ]+)\)|(?:in|bei|nahe|im)\s+(?:der\s+|dem\s+)?(?:Region\s+|Provinz\s+|Bundesstaat\s+)?"
    rf"{_PLACE_WORD}(?:\s+State|\s+Province)?)"
)
_NOT_A_PLACE = folded_words(
    """
    Deutschland Europa Afrika Asien Bundesrepublik Bayern Berlin Hamburg Bremen Sachsen Hessen Thüringen
    Brandenburg Niedersachsen Nordrhein-Westfalen Rheinland-Pfalz Saarland Schleswig-Holstein Mecklenburg
    Vorpommern Baden-Württemberg Sachsen-Anhalt Süddeutschland Norddeutschland Ostdeutschland Westdeutschland
    Frau Herr Herrn Januar Februar März April Mai Juni Juli August September Oktober November Dezember Montag
    Dienstag Mittwoch Donnerstag Freitag Samstag Sonntag
"""
)


def _known(candidate: str) -> tuple[str, object] | None:
    """The longest gazetteer entry at the start of ``candidate`` ("Bad Bentheim" in "Bad Bentheim und ...")."""
    words = candidate.split()
    table = places()
    for length in range(len(words), 0, -1):
        name = " ".join(words[:length])
        place = table.get(fold(name))
        if place is not None:
            return name, place
    return None


def _is_german_word(word: str) -> bool:
    return fold(word) in german_words()


def find_places(text: str) -> Iterator[_Candidate]:
    first_words = place_first_words()
    for match in _PLACE_RE.finditer(text):
        head = match.group().split()[0]
        if fold(head) not in first_words:
            continue
        found = _known(match.group())
        if found is None:
            continue
        name, place = found
        start = match.start()
        end = start + match.group().index(name) + len(name) if name in match.group() else match.end()
        # Include a bracketed qualifier that belongs to the name: "Haren (Ems)".
        qualifier = re.match(r"\s*\([A-ZÄÖÜ][\wäöü. ]+\)", text[end:])
        if qualifier and _known(f"{name}{qualifier.group()}"):
            end += qualifier.end()
        if place.is_big_city or fold(name) in _NOT_A_PLACE:
            continue
        context = bool(_PLACE_CONTEXT_RE.search(text[max(0, start - 40) : start]))
        common_word = " " not in name and _is_german_word(name)
        if common_word and not context:
            continue
        yield _Candidate(Category.PLACE, start, end)
    for match in _NAMED_AREA_RE.finditer(text):
        name = match.group("name")
        if fold(name) in _NOT_A_PLACE:
            continue
        found = _known(name)
        if found is not None and found[1].is_big_city and match.group("kind") not in ("Landkreis", "Kreis"):
            continue
        yield _Candidate(Category.PLACE, match.start("name"), match.end("name"))
    for match in _PLACE_IN_REGION_RE.finditer(text):
        name = match.group("name")
        found = _known(name)
        if found is not None and found[1].is_big_city:
            continue
        if fold(name) in _NOT_A_PLACE or (" " not in name and _is_german_word(name)):
            continue
        yield _Candidate(Category.PLACE, match.start("name"), match.end("name"))
