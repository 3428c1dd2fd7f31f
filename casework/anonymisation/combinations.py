"""Details that identify in combination: an exact age, being "the only one" of a group in a place.

An exact age narrows the circle of people a great deal (in a shelter, a school class, a village), and for minors
the youth welfare office knows every case: every exact age is flagged, with "Anfang 20" or "jugendlich" as the
generalisation. Age ranges ("Anfang 20", "zwischen 14 und 17 Jahre alt", "Mitte 30") are not flagged. Neither are
durations ("seit 15 Jahren", "dreijährige Ausbildung").

"die einzige Äthiopierin im Ort", "der einzige Kurde im Dorf", "die einzige Objektleiterin der Firma" single a
person out by itself. A former or learnt profession ("die frühere Hebamme", "gelernter Zahnarzt") narrows the circle
like an exact age. Whether a word names a person is read from the noun list: a feminine form in -in
("Lehrer"/"Lehrerin", "Ärztin"/"Arzt").
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from .findings import Category, _Candidate
from .lexicon import fold, german_nouns
from .vocabulary import _NATIONALITY_RE, _word_set

_AGE_WORD = (
    r"(?:(?:ein|zwei|drei|vier|fünf|sechs|sieben|acht|neun)und)?"
    r"(?:zwanzig|dreißig|dreissig|vierzig|fünfzig|sechzig|siebzig|achtzig|neunzig)"
    r"|zehn|elf|zwölf|dreizehn|vierzehn|fünfzehn|sechzehn|siebzehn|achtzehn|neunzehn"
)
_AGE_RE = re.compile(
    # Ages in words from ten upwards; "dreijährige Ausbildung" is a duration, not an age.
    rf"\b(?i:(?P<word1>{_AGE_WORD})\s?-?jährige?[nmrs]?)\b(?!\s+(?:Ausbildung|Aufenthalt|Haft|Haftstrafe|Tätigkeit))"
    rf"|\b(?i:(?P<word2>{_AGE_WORD}))\s+Jahre\s+alt(?:e[nmrs]?)?\b"
    r"|\b(?P<n1>\d{1,2})\s?-?\s?[jJ]ährige?[nmrs]?\b(?!\s+(?:Ausbildung|Aufenthalt|Haft|Haftstrafe|Tätigkeit))"
    r"|\b(?P<n2>\d{1,2})\s+Jahre\s+alt(?:e[nmrs]?)?\b"
    r"|\b[Ii]m\s+Alter\s+von\s+(?P<n3>\d{1,2})\s+Jahren\b"
    r"|\b[Mm]it\s+(?P<n4>\d{1,2})\s+Jahren\b"
    # "Mit 19 kam sie nach Deutschland", "mit 16 heiratete sie"
    r"|\b[Mm]it\s+(?P<n12>\d{1,2})(?=\s+(?:kam|ging|zog|reiste|floh|heiratete|begann|musste|wurde|verließ|lernte)\b)"
    r"|\bAlter\s*:\s*(?P<n5>\d{1,2})\b"
    r"|\b(?:Jahrgang|Geburtsjahr|geboren|geb\.)\s+(?:19|20)\d{2}\b"
    # "Hodan A., 16 Jahre, wurde ...", "Frau M. (17)", "Frau M., 34,"
    r"|(?<=,\s)(?P<n6>\d{1,2})\s+Jahre(?=\s*[,;)])"
    r"|(?<=\b[A-ZÄÖÜ]\.\s)\((?P<n7>\d{1,2})\)|(?<=\b[A-ZÄÖÜ]\.)\((?P<n9>\d{1,2})\)"
    r"|(?<=\b[A-ZÄÖÜ]\.,\s)(?P<n10>\d{1,2})(?=\s?[,;)])"
    # "ich bin 58 und arbeite ..." (not "ich bin 2019 gekommen", "bin 58 Stunden")
    r"|(?<=\b[Ii]ch\sbin\s)(?P<n11>\d{2})\b(?=\s*(?:[,.;)]|und\b|Jahre\b))"
)
# The first number of a range ("zwischen 14 und 17 Jahre alt", "16 bis 18 Jahre", "14- bis 17-Jährige").
_RANGE_BEFORE_RE = re.compile(r"(?:\d{1,2}-?\s*(?:und|bis|oder|–|-)\s*|zwischen\s+|ab\s+|unter\s+|über\s+)$")
_RANGE_AFTER_RE = re.compile(r"^(?:-?\s*(?:bis|und|oder|–)\s*\d{1,2})")
# "die einzige Äthiopierin im Ort", "der einzige Kurde", "als einzige Frau aus Eritrea"
_ONLY_ONE_RE = re.compile(
    r"\b(?:der|die|das|als)\s+einzigen?\s+(?P<group>[A-ZÄÖÜ][\wäöüß]+)(?:\s+(?:im|in\s+der|in\s+dem|aus|am)\s+"
    r"(?:Ort|Dorf|Stadt|Stadtteil|Kreis|Landkreis|Gemeinde|Betrieb|Hof|Unterkunft|Heim|Klasse|Schule|"
    r"[A-ZÄÖÜ][\wäöüß]+))?"
)
# Groups other than nationalities that make one person stand out in a small place.
_GROUPS_RE = re.compile(
    r"(?:Kurd|Roma|Rom|Sinti|Jesid|Yezid|Tamil|Uigur|Afrikaner|Asiat|Araber|Muslim|Christ|Schwarz|Transfrau|"
    r"Transmann|Trans\*?person|Ausländer|Migrant|Geflüchtet|Flüchtling)\w*"
)
_NOT_GROUPS = frozenset({"Mal", "Weg", "Möglichkeit", "Chance", "Ausweg", "Grund", "Person", "Ansprechpartnerin"})
# "die einzige Objektleiterin der Firma", "der einzige Vorarbeiter auf dem Hof": a role in a named or small place.
_ONLY_ROLE_RE = re.compile(
    r"\b(?:der|die|als)\s+einzigen?\s+(?P<role>[A-ZÄÖÜ][\wäöüß]+)\s+"
    r"(?P<where>(?:der|des|im|in\s+der|in\s+dem|auf\s+dem|auf\s+der|am)\s+[A-ZÄÖÜ][\wäöüß]+)"
)
# "die frühere Hebamme", "ein gelernter Zahnarzt", "als ehemalige Polizistin"
_PROFESSION_RE = re.compile(r"\b(?:frühere|ehemalige|gelernte|ausgebildete)[nrs]?\s+(?P<role>[A-ZÄÖÜ][\wäöüß]+)")
# People who stand in a relation to the person, not a profession of hers ("ihre frühere Freundin", "der ehemalige
# Arbeitgeber"); and people of the counselling side.
_RELATIONS = frozenset(
    fold(word)
    for word in _word_set(
        "Freund Partner Arbeitgeber Chef Kollege Mitbewohner Nachbar Ehemann Ehefrau Zuhälter Täter Betreiber "
        "Vermieter Besitzer Inhaber Klient Betroffener Bekannter Lebensgefährte Verlobter Schwager Vermittler "
        "Anwalt Rechtsanwalt Berater Mitarbeiter Kunde Gast Begleiter Ansprechpartner Vormund Betreuer "
        "Dolmetscher Übersetzer Sozialarbeiter Zeuge Beschuldigter Angeklagter Mandant Nebenkläger"
    )
)
_PERSON_ENDINGS = ("hebamme", "schwester", "frau", "mann", "leute", "kraft")


def is_person_noun(word: str) -> bool:
    """A noun for a person, read from the noun list: its feminine form in -in is a noun too ("Lehrer"), or it is that
    form ("Ärztin" from "Arzt"); "Hebamme", "Krankenschwester", "Kauffrau" by their ending."""
    key, nouns = fold(word), german_nouns()
    if key.endswith(_PERSON_ENDINGS):
        return True
    # the word or its last part in a compound ("Objektleiterin": "leiterin")
    for tail in (key[cut:] for cut in range(0, max(1, len(key) - 4))):
        if (tail.endswith("in") and tail[:-2] in nouns and len(tail) > 5) or (tail in nouns and f"{tail}in" in nouns):
            return True
    return False


def _relation(word: str) -> bool:
    key = fold(word)
    stem = key[:-2] if key.endswith("in") else key
    return any(stem.endswith(relation) or key.endswith(relation) for relation in _RELATIONS)


def _age(match: re.Match[str]) -> int | None:
    for group, value in match.groupdict().items():
        if value and group.startswith("n"):
            return int(value)
    return None


# Every age expression contains one of these; the full pattern runs only on the lines around them (fast on long
# texts).
_AGE_ANCHOR_RE = re.compile(r"(?i:ährig|jahre|alter|jahrgang|geburtsjahr|geb|ich\sbin\s\d|mit\s\d)|\(\d|,\s\d")


def _age_matches(text: str) -> Iterator[re.Match[str]]:
    seen: set[tuple[int, int]] = set()
    for anchor in _AGE_ANCHOR_RE.finditer(text):
        start = max(0, anchor.start() - 60)
        for match in _AGE_RE.finditer(text, start, min(len(text), anchor.end() + 40)):
            if match.start() <= anchor.end() and anchor.start() <= match.end() and match.span() not in seen:
                seen.add(match.span())
                yield match


def _find_quasi_identifiers(text: str) -> Iterator[_Candidate]:
    for match in sorted(_age_matches(text), key=lambda m: m.start()):
        if _RANGE_BEFORE_RE.search(text[max(0, match.start() - 12) : match.start()]):
            continue
        if _RANGE_AFTER_RE.match(text[match.end() : match.end() + 12]):
            continue
        age = _age(match)
        if age is not None and age < 10 and "ährig" not in match.group() and "Jahre" not in match.group():
            continue  # "Frau M. (3)" is a footnote or a count rather than an age
        yield _Candidate(Category.QUASI_IDENTIFIER, *match.span())
    for match in _ONLY_ONE_RE.finditer(text):
        group = match.group("group")
        if group in _NOT_GROUPS or not (_NATIONALITY_RE.fullmatch(group) or _GROUPS_RE.fullmatch(group)):
            continue
        start = match.start() + len(match.group().split()[0]) + 1
        yield _Candidate(Category.QUASI_IDENTIFIER, start, match.end())
    for match in _ONLY_ROLE_RE.finditer(text):
        role = match.group("role")
        if role in _NOT_GROUPS or not is_person_noun(role) or _relation(role):
            continue
        start = match.start() + len(match.group().split()[0]) + 1
        yield _Candidate(Category.QUASI_IDENTIFIER, start, match.end())
    for match in _PROFESSION_RE.finditer(text):
        role = match.group("role")
        if is_person_noun(role) and not _relation(role):
            yield _Candidate(Category.QUASI_IDENTIFIER, *match.span())


def is_role(excerpt: str) -> bool:
    """A profession or a role finding ("frühere Hebamme", "einzige Objektleiterin der Firma"), not a group's."""
    if _PROFESSION_RE.match(excerpt):
        return True
    match = re.match(r"einzigen?\s+(?P<role>\S+)", excerpt)
    return bool(match) and not (
        _NATIONALITY_RE.fullmatch(match.group("role")) or _GROUPS_RE.fullmatch(match.group("role"))
    )


def age_of(excerpt: str) -> int | None:
    """The age in years an age finding states, for the generalisation ("17-Jährige" -> 17); None if unknown."""
    if excerpt.isdigit():
        return int(excerpt)
    bracketed = re.fullmatch(r"\((\d{1,2})\)", excerpt)
    if bracketed:
        return int(bracketed.group(1))
    match = _AGE_RE.search(excerpt)
    if match is None:
        # Forms recognised by their context only (", 16 Jahre,"): the first number.
        number = re.search(r"\d{1,2}", excerpt)
        return int(number.group()) if number else None
    age = _age(match)
    if age is not None:
        return age
    word = match.group("word1") or match.group("word2")
    return _WORD_AGES.get(word.lower()) if word else None


_UNITS = {"ein": 1, "zwei": 2, "drei": 3, "vier": 4, "fünf": 5, "sechs": 6, "sieben": 7, "acht": 8, "neun": 9}
_TENS = {"zwanzig": 20, "dreißig": 30, "dreissig": 30, "vierzig": 40, "fünfzig": 50, "sechzig": 60}
_TENS |= {"siebzig": 70, "achtzig": 80, "neunzig": 90}
_TEENS = {"zehn": 10, "elf": 11, "zwölf": 12, "dreizehn": 13, "vierzehn": 14, "fünfzehn": 15, "sechzehn": 16}
_TEENS |= {"siebzehn": 17, "achtzehn": 18, "neunzehn": 19}
_WORD_AGES = dict(_TEENS) | dict(_TENS)
_WORD_AGES |= {f"{unit}und{tens}": u + t for unit, u in _UNITS.items() for tens, t in _TENS.items()}
