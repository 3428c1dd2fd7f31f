"""Street addresses and postcodes."""

from __future__ import annotations

import re
from collections.abc import Iterator

from .findings import Category, _Candidate
from .lexicon import fold, german_toponyms, german_words, places
from .names import _is_capitalised
from .vocabulary import _CITY_RE, _has_noun_suffix, _word_set

_STREET_SUFFIXES = "|".join(
    sorted(
        _word_set(
            r"straße strasse str\. weg gasse allee platz ring damm ufer chaussee steig pfad graben wall "
            "stieg promenade zeile"
        )
    )
)
_STREET_WORDS = "|".join(
    sorted(
        _word_set(
            r"Straße Strasse Str\. Weg Allee Platz Ring Damm Ufer Chaussee Gasse Landstraße Steig Pfad "
            "Markt Brücke",
        ),
    ),
)
_HOUSE_NUMBER = (
    r"\s*(?P<number>\d{1,3}(?:\s?[a-zA-Z](?!\w))?(?:\s?[-–/]\s?\d{1,3}(?:[a-zA-Z](?!\w))?)?)(?![\d.,:]?\d)"
    r"(?!\s*(?:Jahre|Jahren|Monate|Monaten|Wochen|Tage|Tagen|Stunden|Minuten|Personen|Euro|€|%|Prozent|"
    r"Uhr|Frauen|Männer|Kinder|Mal|km|Kilometer|Meter|m\b))"
)
_STREET_RE = re.compile(
    # "Lützowstr. 102", "Karl-Marx-Straße 5"
    rf"(?<![\w-])(?P<street>[^\W\d_][\w-]*?(?i:{_STREET_SUFFIXES})"
    # "Frankfurter Allee 12", "Alte Landstraße 3b"
    rf"|[^\W\d_][\w-]*(?:er|e|es|en)\s+(?:{_STREET_WORDS})"
    # "Straße des 17. Juni 112", "Platz der Republik 1"
    rf"|(?:{_STREET_WORDS})\s+(?:des|der)\s+(?:\d{{1,2}}\.\s+)?[A-ZÄÖÜ][\wäöüß-]*(?:\s+[A-ZÄÖÜ][\wäöüß-]*)?)"
    rf"{_HOUSE_NUMBER}"
)
# "Am Gutshof 7", "An der Kirche 2": without a street suffix such a name is only recognisable when
# a postcode follows or when the capitalised preposition stands in the middle of a sentence.
_PREPOSITIONAL_STREET_RE = re.compile(
    r"\b(?P<street>Am|An der|An den|Auf der|Auf dem|Im|In der|In den|Zum|Zur|Unter den|Hinter der|Vor dem)"
    rf"\s+[A-ZÄÖÜ][\wäöüß-]+{_HOUSE_NUMBER}(?P<postcode>,?\s+(?:D-)?\d{{5}}\s)?"
)
_MID_SENTENCE_RE = re.compile(r"[a-zäöüß,]\s$|\($")  # "in der Straße Am Feldrain 4", "(Zum Heidhof 3)"
_NOT_STREETS = tuple(
    _word_set(
        "arbeitsplatz schlafplatz stellplatz parkplatz spielplatz ausbildungsplatz studienplatz "
        "therapieplatz kitaplatz wohnheimplatz rechtsweg fluchtweg arbeitsweg lebensweg schulweg heimweg "
        "ausweg umweg"
    )
)
# Streets without a house number in a sentence ("in der Ringstraße", "am Rosenplatz", "auf der Reeperbahn-Meile"):
# a street name narrows a place down as much as an address. Compounds in -straße, -allee, -gasse, -meile, -damm
# and -chaussee are street names; compounds in -weg, -platz, -ring or -ufer only when they are no common noun
# ("Arbeitsplatz", "Marktplatz", "Heimweg").
_STREET_CONTEXT = (
    r"(?:in\s+der|an\s+der|auf\s+der|nahe\s+der|entlang\s+der|Ecke|am|im|in|zur|zum|vom|über\s+den|über\s+die)"
)
_ALWAYS_STREETS = r"straße|strasse|str\.|allee|gasse|meile|damm|chaussee|promenade|zeile|landstraße"
_MAYBE_STREETS = r"weg|platz|ring|ufer|steig|pfad|graben|wall|stieg|markt|brücke|kai|twiete|berg|hof"
_STREET_WITHOUT_NUMBER_RE = re.compile(
    rf"\b{_STREET_CONTEXT}\s+(?P<street>[A-ZÄÖÜ][\wäöüß-]+?(?i:(?P<always>{_ALWAYS_STREETS})|{_MAYBE_STREETS}))"
    r"(?![\wäöüß])"
)
# Streets abroad: "Strada Florilor nr. 12", "ul. Długa 5", "Rue de la Paix 3", "Kossuth utca 12".
_FOREIGN_STREET_RE = re.compile(
    r"\b(?:Strada|Str\.|Calea|Bulevardul|Bd\.|Aleea|Ulica|ul\.|Rue|Avenue|Via|Viale|Piazza|Calle|Avenida|Rua|"
    r"Ulitsa|ulitsa|vulytsia|Vulytsia|Rruga|Rr\.)"
    r"\s+(?:(?:de|del|la|le|des|di|da|do|dos)\s+)*[A-ZÄÖÜÀ-Þ][\wÀ-ž'’-]+(?:\s+[A-ZÄÖÜÀ-Þ][\wÀ-ž'’-]+){0,2}"
    r"(?:,?\s+(?:nr\.|Nr\.|no\.|No\.|n°|Nº)?\s*\d{1,4}[a-zA-Z]?)?"
    r"|\b[A-ZÁÉÍÓÖŐÚÜŰ][\wáéíóöőúüű-]+\s+(?:utca|út|tér|ulica|ulice|sokak|sokağı|caddesi)\s+\d{1,4}[a-zA-Z]?"
)
_POSTCODE_RE = re.compile(
    r"(?<![\w.,/-])(?:D-)?(?P<code>\d{5})\s+(?P<place>[^\W\d_][\w-]*)"
    r"|\bPLZ\s*:?\s*(?P<plz>\d{5})\b"
)
_NOT_PLACES = _word_set(
    "Euro EUR Dollar USD Naira Lei Lewa Lew Zloty Złoty Forint Hrywnja Menschen Personen Frauen Männer "
    "Kinder Fälle Betroffene Opfer Stunden Tage Kilometer Km Mitarbeiter Mitarbeiterinnen Beschäftigte "
    "Anträge Asylanträge Verfahren Einwohner Einwohnerinnen Mal Stück Exemplare Seiten Zeichen"
)


# Every street with a number has a street word before the number; the full pattern runs only around them.
_STREET_ANCHOR_RE = re.compile(
    r"(?:straße|strasse|str\.|weg|gasse|allee|platz|ring|damm|ufer|chaussee|steig|pfad|graben|wall|stieg|"
    r"promenade|zeile|markt|brücke)\s*\d"
    r"|(?:straße|strasse|platz|weg|allee|ring|ufer|damm|markt|brücke)\s+(?:des|der)\s"
)


def _street_matches(text: str) -> Iterator[re.Match[str]]:
    lowered = text.lower()
    seen: set[tuple[int, int]] = set()
    for anchor in _STREET_ANCHOR_RE.finditer(lowered):
        for match in _STREET_RE.finditer(text, max(0, anchor.start() - 80), min(len(text), anchor.end() + 20)):
            if match.start() <= anchor.start() < match.end() and match.span() not in seen:
                seen.add(match.span())
                yield match


def _find_addresses(text: str) -> Iterator[_Candidate]:
    for match in _street_matches(text):
        street = match.group("street")
        if not street[0].isupper() or street.lower().endswith(_NOT_STREETS):
            continue
        yield _Candidate(Category.ADDRESS, match.start(), match.end("number"))
    for match in _PREPOSITIONAL_STREET_RE.finditer(text):
        before = text[max(0, match.start() - 2) : match.start()]
        if match.group("postcode") or _MID_SENTENCE_RE.search(before):
            yield _Candidate(Category.ADDRESS, match.start(), match.end("number"))
    for match in _STREET_WITHOUT_NUMBER_RE.finditer(text):
        street = match.group("street")
        if street.lower().endswith(_NOT_STREETS) or (not match.group("always") and fold(street) in german_words()):
            continue
        # "in Baden-Württemberg", "in Heidelberg": a region or a town, for the place detector.
        if not match.group("always") and (fold(street) in german_toponyms() or fold(street) in places()):
            continue
        yield _Candidate(Category.ADDRESS, *match.span("street"))
    for match in _FOREIGN_STREET_RE.finditer(text):
        yield _Candidate(Category.ADDRESS, *match.span())
    for match in _POSTCODE_RE.finditer(text):
        if match.group("plz"):
            yield _Candidate(Category.POSTCODE, *match.span("plz"))
            continue
        place = match.group("place")
        if (
            _is_capitalised(place)
            and place not in _NOT_PLACES
            and (bool(_CITY_RE.fullmatch(place)) or not _has_noun_suffix(place))
        ):
            yield _Candidate(Category.POSTCODE, match.start(), match.end("place"))
