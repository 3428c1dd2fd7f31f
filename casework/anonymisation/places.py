"""Places that narrow down who someone is.

- German towns and villages from the gazetteer (GeoNames, every place with 500 or more inhabitants). Cities of
  100,000 or more inhabitants are not flagged (a case "in einer Großstadt wie Köln" identifies nobody); neither are
  countries or federal states. A place name that is also a German word ("Essen", "Halle", "Hof", "Weil") counts
  only after a place word or a preposition of place ("in Halle", "aus Weil am Rhein", "Landkreis Hof").
- Districts and areas named by their kind, whatever the name: "Landkreis Vechta", "ein Dorf namens Ugbegun".
- Villages and small towns abroad, which no gazetteer of ours lists: a capitalised word after "aus", "in", "nach",
  "bei" or "Heimatstadt" that is no German word, no country or region, no big city abroad and no first name
  ("aus Akwatia", "in Nyírbátor", "nach Castel Volturno").
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from .findings import Category, _Candidate
from .lexicon import (
    Place,
    family_names,
    fold,
    folded_words,
    german_nouns,
    german_toponyms,
    german_words,
    given_names,
    place_first_words,
    places,
    world_cities,
)
from .vocabulary import _NATIONALITY_RE

_CAPITALISED_RE = re.compile(r"(?<![\w-])[A-ZÄÖÜ][\wäöüßÄÖÜ'’-]*")
# The words of a place name: capitalised words, the connecting words of "Weil am Rhein" or "Neustadt an der
# Weinstraße", a river in brackets ("Haren (Ems)", "Frankfurt (Oder)").
_NAME_PART_RE = re.compile(
    r"[^\S\n]*(?:\([A-ZÄÖÜ][\wäöü. ]*\)|an[^\S\n]+der|am|im|ob[^\S\n]+der|vor[^\S\n]+der|[A-ZÄÖÜ][\wäöüßÄÖÜ'’-]*)"
)
# Words that introduce a place ("in Wietmarschen", "Landkreis Vechta", "ein Dorf namens Ostrhauderfehn").
_PLACE_CONTEXT_RE = re.compile(
    r"(?:\b(?:in|aus|nach|bei|von|nahe|nahe[^\S\n]+bei|im[^\S\n]+Raum|Raum|Umgebung[^\S\n]+von|Ortsteil|Stadtteil|Dorf|Ort|"
    r"Gemeinde|Stadt|Kleinstadt|Kreisstadt|Landkreis|Kreis|Amt|Samtgemeinde|Verbandsgemeinde|Region|Provinz|"
    r"Bezirk|Bundesstaat|Distrikt|District|Village|namens|genannt|Heimatstadt|Heimatdorf|Heimatort)[^\S\n]+"
    r"(?:der[^\S\n]+Nähe[^\S\n]+von[^\S\n]+)?)$"
)
# A district or an area abroad named by its kind, whatever the name: "Landkreis Vechta", "ein Dorf namens Ugbegun".
# [^\S\n]: white space within a line (a place name does not continue over a line break).
# Capitals of Latin-1 and Latin Extended-A and Romanian "Ș", "Ț" ("Țăndărei", "Łódź"); the lower-case letters
# among them are sorted out by the capitalisation check.
_UPPER = r"[A-ZÀ-ÖØ-ÞĀ-ſȘȚ]"
_PLACE_WORD = rf"{_UPPER}[\w'’-]+"
_NAMED_AREA_RE = re.compile(
    r"\b(?P<kind>Landkreis|Kreis|Samtgemeinde|Verbandsgemeinde|Ortsteil|Stadtteil|Gemeinde|Dorf[^\S\n]+namens|"
    r"Ort[^\S\n]+namens|Ortschaft|Village|Region[^\S\n]+um|Bezirk|Heimatstadt|Heimatdorf|Heimatort|Dorf|Kleinstadt)[^\S\n]+"
    rf"(?P<name>{_PLACE_WORD}(?:[ -](?:{_PLACE_WORD}|an[^\S\n]+der|am)){{0,2}})"
)
# A place abroad after a preposition of place: "aus Akwatia", "nach Castel Volturno", "in Dolna Banya".
_FOREIGN_PLACE_RE = re.compile(
    rf"(?:\b(?:aus|in|nach|bei|rund[^\S\n]+um|nahe|nähe[^\S\n]+von|Nähe[^\S\n]+von)[^\S\n]+(?:dem[^\S\n]+Dorf[^\S\n]+|der[^\S\n]+Stadt[^\S\n]+)?"
    rf"|\b(?:Herkunft|Herkunftsort|Geburtsort|Wohnort|Heimatort|Heimatdorf|Heimatstadt)[^\S\n]*:[^\S\n]*)"
    rf"(?P<name>{_PLACE_WORD}(?:[^\S\n]+{_PLACE_WORD})?)"
)
_NOT_A_PLACE = folded_words(
    """
    Deutschland Europa Afrika Asien Amerika Bundesrepublik Bayern Berlin Hamburg Bremen Sachsen Hessen Thüringen
    Brandenburg Niedersachsen Nordrhein-Westfalen Rheinland-Pfalz Saarland Schleswig-Holstein Mecklenburg
    Vorpommern Mecklenburg-Vorpommern Baden-Württemberg Sachsen-Anhalt Süddeutschland Norddeutschland
    Ostdeutschland Westdeutschland Frau Herr Herrn Januar Februar März April Mai Juni Juli August September
    Oktober November Dezember Montag Dienstag Mittwoch Donnerstag Freitag Samstag Sonntag
    """
)
_STATES_ABROAD_SUFFIX_RE = re.compile(r"[^\S\n]+(?:State|Province|Region|County|District)$")


def _gazetteer_name(text: str, start: int) -> tuple[int, Place] | None:
    """The end and the place of the longest gazetteer name starting at *start* ("Bad Bentheim", "Haren (Ems)")."""
    table = places()
    parts: list[int] = []
    position = start
    for _ in range(5):
        part = _NAME_PART_RE.match(text, position)
        if part is None or part.end() == position:
            break
        position = part.end()
        parts.append(position)
    for end in reversed(parts):
        place = table.get(fold(re.sub(r"\s+", " ", text[start:end])))
        if place is not None:
            return end, place
    return None


def _context(text: str, start: int) -> bool:
    return bool(_PLACE_CONTEXT_RE.search(text[max(0, start - 40) : start]))


def _is_word(name: str) -> bool:
    return " " not in name and fold(name) in german_words()


def _find_gazetteer_places(text: str) -> Iterator[_Candidate]:
    first_words = place_first_words()
    position = 0
    while match := _CAPITALISED_RE.search(text, position):
        position = match.end()
        if fold(match.group()) not in first_words:
            continue
        found = _gazetteer_name(text, match.start())
        if found is None:
            continue
        end, place = found
        name = text[match.start() : end]
        if place.is_big_city or fold(name) in _NOT_A_PLACE:
            continue
        # A place name that is a German word, or a saint ("Sankt Georg" is a church as often as a place), needs a
        # preposition or place word before it.
        if (_is_word(name) or name.startswith(("Sankt ", "St. "))) and not _context(text, match.start()):
            continue
        position = end
        yield _Candidate(Category.PLACE, match.start(), end)


def _is_unknown_place(name: str) -> bool:
    """A capitalised name that is no German word, country, region, big city abroad, nationality or first name."""
    key = fold(_STATES_ABROAD_SUFFIX_RE.sub("", name))
    words = key.split()
    return name[0].isupper() and not (
        key in _NOT_A_PLACE
        or key in german_toponyms()
        or key in world_cities()
        or (key in places() and places()[key].is_big_city)
        or any(word in german_words() or word in german_toponyms() for word in words)
        or _NATIONALITY_RE.fullmatch(name)
        # an abbreviation with inner capitals is a law or a body ("ProstSchG", "AufenthG", "BAMF"), not a place
        or re.search(r"[a-zäöü][A-ZÄÖÜ]|^[A-ZÄÖÜ]{2,}$", name) is not None
        or any(_is_compound(word) for word in words)
    )


def _is_compound(key: str) -> bool:
    """A German compound ("Arbeitsausbeutung", "Schutzwohnungen") or a part of a country or region
    ("Nordalbanien", "Westafrika"): ends in a known noun or toponym of four or more letters."""
    nouns, toponyms, words = german_nouns(), german_toponyms(), german_words()
    return any(
        (key[cut:] in nouns or key[cut:] in toponyms) and _is_first_part(key[:cut], words)
        for cut in range(2, len(key) - 3)
    )


_ADMINISTRATIVE_KINDS = frozenset({"Landkreis", "Ortsteil", "Stadtteil", "Samtgemeinde", "Verbandsgemeinde"})
_DIRECTIONS = frozenset({"nord", "sud", "ost", "west", "zentral", "mittel", "inner", "ober", "unter"})


def _is_first_part(part: str, words: frozenset[str]) -> bool:
    """The first part of a compound is a word itself, perhaps with a linking letter ("Arbeits-", "Nord-")."""
    return part in _DIRECTIONS or part in words or part[:-1] in words or part.removesuffix("en") in words


def find_places(text: str) -> Iterator[_Candidate]:
    yield from _find_gazetteer_places(text)
    for match in _NAMED_AREA_RE.finditer(text):
        name, kind = match.group("name"), match.group("kind")
        # After an administrative kind a name of the gazetteer ("Landkreis Harburg": "harburg" is a frequent word
        # of wordfreq) or one that is a word only without its accents ("Ortsteil Hüsten", folded "husten").
        first = name.split()[0]
        administrative = kind in _ADMINISTRATIVE_KINDS and (fold(first) in places() or first.lower() != fold(first))
        if fold(name) in _NOT_A_PLACE or len(name) < 3 or name.startswith("St"):
            continue
        if _is_word(first) and not administrative:
            continue
        known = places().get(fold(name))
        if known is not None and known.is_big_city and match.group("kind") not in ("Landkreis", "Kreis"):
            continue
        yield _Candidate(Category.PLACE, match.start("name"), match.end("name"))
    for match in _FOREIGN_PLACE_RE.finditer(text):
        name = match.group("name")
        # "bei Efosa" is a person as often as a place: a first name after "bei" is left to the name detector.
        if match.group().startswith("bei") and fold(name) in given_names():
            continue
        # "in Cash", "nach Jay": a word that is a person's name but no place's is left to the name detector.
        single = " " not in name
        is_person = fold(name) in given_names() or fold(name) in family_names()
        if single and is_person and not match.group().startswith(("aus", "Herk")):
            continue
        # "aus Akwatia Eastern Region": the second word only when it is unknown too.
        first = name.split()[0]
        if " " in name and not _is_unknown_place(name):
            name = first
        if _is_unknown_place(name):
            yield _Candidate(Category.PLACE, match.start("name"), match.start("name") + len(name))
