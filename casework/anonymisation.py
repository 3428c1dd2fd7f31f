"""Anonymisation check for German case texts ("Fallbeispiele").

Case examples come from real counselling practice with people affected by human
trafficking. A text that lets a reader identify a victim must never reach the
participants of a practice day, so every text is checked before it is shown.

Design decisions:

* The check is rule based and runs without a network, a model or the database, so it can be
  used in forms, in the admin and from the ``check_case_text`` management command alike and
  behaves the same everywhere. It is deliberately biased towards reporting: a false alarm
  costs an editor a minute, a missed identifier can endanger a person.
* Findings are either *blocking* (a direct identifier: name, number, address, exact date)
  or *warnings* (a combination of details that may identify someone, e.g. an exact age
  together with the nationality and a German city).
* Names are recognised with a first-name list (``data/first_names.txt``) covering German names and
  names common in the countries of origin seen in trafficking cases, plus titles ("Frau X").
  Names that are also German words (``data/ambiguous_first_names.txt``: "Mai", "Rose", "Gift")
  only count in a name context.
* The text itself and the excerpts are never logged: case texts must not end up in log files.
"""

from __future__ import annotations

import enum
import functools
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import NamedTuple

import phonenumbers
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString
from django.utils.translation import gettext_lazy

__all__ = [
    "HARD_CATEGORIES",
    "Category",
    "Finding",
    "Severity",
    "category_label",
    "check_text",
    "has_blocking",
    "highlight_html",
]

_DATA_DIR = Path(__file__).resolve().parent / "data"


class Category(str, enum.Enum):  # noqa: UP042 - the public API promises a (str, Enum) subclass
    """Kind of identifying detail; the value is stable and used in HTML, CLI output and tests."""

    NAME = "name"
    PHONE = "phone"
    EMAIL = "email"
    URL = "url"
    SOCIAL_HANDLE = "social_handle"
    IBAN = "iban"
    ACCOUNT_NUMBER = "account_number"
    DATE = "date"
    DATE_OF_BIRTH = "date_of_birth"
    ADDRESS = "address"
    POSTCODE = "postcode"
    FILE_NUMBER = "file_number"
    ID_DOCUMENT = "id_document"
    NUMBER_PLATE = "number_plate"
    PLACE = "place"
    ORGANISATION = "organisation"
    INSTITUTION = "institution"
    QUASI_IDENTIFIER = "quasi_identifier"


class Severity(str, enum.Enum):  # noqa: UP042 - the public API promises a (str, Enum) subclass
    """Blocking findings must be removed before publication; warnings need a human decision."""

    BLOCKING = "blocking"
    WARNING = "warning"


_CATEGORY_LABELS = {
    Category.NAME: gettext_lazy("Personenname"),
    Category.PHONE: gettext_lazy("Telefonnummer"),
    Category.EMAIL: gettext_lazy("E-Mail-Adresse"),
    Category.URL: gettext_lazy("Internetadresse"),
    Category.SOCIAL_HANDLE: gettext_lazy("Social-Media-Konto"),
    Category.IBAN: gettext_lazy("IBAN"),
    Category.ACCOUNT_NUMBER: gettext_lazy("Kontonummer"),
    Category.DATE: gettext_lazy("Genaues Datum"),
    Category.DATE_OF_BIRTH: gettext_lazy("Geburtsdatum"),
    Category.ADDRESS: gettext_lazy("Anschrift"),
    Category.POSTCODE: gettext_lazy("Postleitzahl"),
    Category.FILE_NUMBER: gettext_lazy("Aktenzeichen"),
    Category.ID_DOCUMENT: gettext_lazy("Ausweis- oder Passnummer"),
    Category.NUMBER_PLATE: gettext_lazy("Kfz-Kennzeichen"),
    Category.PLACE: gettext_lazy("Ort"),
    Category.ORGANISATION: gettext_lazy("Arbeitgeber oder Betrieb"),
    Category.INSTITUTION: gettext_lazy("Einrichtung oder Behörde"),
    Category.QUASI_IDENTIFIER: gettext_lazy("Identifizierende Merkmalskombination"),
}


def category_label(category: Category) -> str:
    """Return the translated German label of *category* for display to editors."""
    return str(_CATEGORY_LABELS[Category(category)])


# Hard identifiers can only be removed, never dismissed as a false alarm: a phone number is a phone number.
HARD_CATEGORIES = frozenset(
    {
        Category.PHONE,
        Category.EMAIL,
        Category.URL,
        Category.SOCIAL_HANDLE,
        Category.IBAN,
        Category.ACCOUNT_NUMBER,
        Category.DATE_OF_BIRTH,
        Category.DATE,
        Category.ADDRESS,
        Category.POSTCODE,
        Category.FILE_NUMBER,
        Category.ID_DOCUMENT,
        Category.NUMBER_PLATE,
    }
)


@dataclass(frozen=True)
class Finding:
    """One suspicious passage: ``excerpt == text[start:end]`` of the checked text.

    ``suggestion`` is a generalisation the author may put in its place with one click ("Frau G.", "im Frühjahr
    2019", "eine Kleinstadt in Niedersachsen"); empty when the passage should simply go.
    """

    category: Category
    start: int
    end: int
    excerpt: str
    severity: Severity
    suggestion: str = ""

    @property
    def is_blocking(self) -> bool:
        """A blocking finding prevents publication until the passage is changed (or, when dismissable, until a
        second person has justified why it is a false alarm)."""
        return self.severity is Severity.BLOCKING

    @property
    def dismissable(self) -> bool:
        """Softer findings (a name, a place, an organisation, a combination) may be judged a false alarm by the
        second person, with a reason; hard identifiers (numbers, addresses, dates, contacts) only removed."""
        return self.category not in HARD_CATEGORIES

    @property
    def label(self) -> str:
        return category_label(self.category)


class _Candidate(NamedTuple):
    """Raw hit of a single detector before overlapping hits are merged."""

    category: Category
    start: int
    end: int
    severity: Severity = Severity.BLOCKING


# When several detectors hit the same passage, the most specific category wins. Context-driven
# detectors (IBAN, date of birth, ID documents) are more specific than shape-driven ones (phone
# numbers, names), which frequently see a fragment of the same identifier.
_PRIORITY = {
    category: rank
    for rank, category in enumerate(
        reversed(
            [
                Category.EMAIL,
                Category.SOCIAL_HANDLE,
                Category.URL,
                Category.IBAN,
                Category.DATE_OF_BIRTH,
                Category.ID_DOCUMENT,
                Category.FILE_NUMBER,
                Category.ACCOUNT_NUMBER,
                Category.NUMBER_PLATE,
                Category.PHONE,
                Category.ADDRESS,
                Category.POSTCODE,
                Category.DATE,
                Category.NAME,
                Category.INSTITUTION,
                Category.ORGANISATION,
                Category.PLACE,
                Category.QUASI_IDENTIFIER,
            ]
        )
    )
}

# ---------------------------------------------------------------------------------------------
# Shared vocabulary
# ---------------------------------------------------------------------------------------------


def _word_set(words: str) -> frozenset[str]:
    """Word lists are written as one space-separated string to keep them compact and readable."""
    return frozenset(words.split())


_MONTHS = "Januar|Jänner|Februar|März|Maerz|April|Mai|Juni|Juli|August|September|Oktober|November|Dezember"
_MONTH_ABBREVIATIONS = r"(?:Jan|Feb|Mär|Mrz|Apr|Jun|Jul|Aug|Sept|Sep|Okt|Nov|Dez)\."
_MONTH_WORDS = frozenset(_MONTHS.split("|")) | {"Jan", "Feb", "Mär", "Apr", "Jun", "Jul", "Aug", "Sep", "Okt"}

# The ~80 largest German cities plus all state capitals. Only used for the quasi-identifier
# warning; "Essen", "Halle" and "Siegen" are also ordinary words and need a preposition.
_GERMAN_CITIES = (
    "Berlin|Hamburg|München|Köln|Frankfurt|Stuttgart|Düsseldorf|Leipzig|Dortmund|Bremen|Dresden|"
    "Hannover|Nürnberg|Duisburg|Bochum|Wuppertal|Bielefeld|Bonn|Münster|Mannheim|Karlsruhe|Augsburg|"
    "Wiesbaden|Mönchengladbach|Gelsenkirchen|Aachen|Braunschweig|Kiel|Chemnitz|Magdeburg|Freiburg|"
    "Krefeld|Mainz|Lübeck|Erfurt|Oberhausen|Rostock|Kassel|Hagen|Potsdam|Saarbrücken|Hamm|"
    "Ludwigshafen|Mülheim|Oldenburg|Osnabrück|Leverkusen|Darmstadt|Heidelberg|Solingen|Herne|"
    "Regensburg|Neuss|Paderborn|Ingolstadt|Offenbach|Fürth|Würzburg|Ulm|Heilbronn|Pforzheim|Wolfsburg|"
    "Göttingen|Bottrop|Reutlingen|Koblenz|Erlangen|Bremerhaven|Remscheid|Recklinghausen|Jena|Trier|"
    "Salzgitter|Moers|Hildesheim|Cottbus|Gütersloh|Kaiserslautern|Schwerin|Witten|Gera|Iserlohn|"
    "Zwickau|Flensburg|Hanau|Gießen|Konstanz|Worms|Bamberg|Marburg|Lüneburg|Wilhelmshaven"
)
_CITY_RE = re.compile(rf"\b(?:{_GERMAN_CITIES})\b|\b(?:in|aus|nach|bei|von)\s+(?:Essen|Halle|Siegen)\b")

_COUNTRIES = (
    "Nigeria|Rumänien|Bulgarien|Ungarn|Polen|Ukraine|Moldau|Moldawien|Moldova|Albanien|Kosovo|Serbien|"
    "Vietnam|China|Thailand|Philippinen|Eritrea|Äthiopien|Somalia|Afghanistan|Syrien|Irak|Iran|Ghana|"
    "Kamerun|Guinea|Sierra Leone|Brasilien|Türkei|Marokko|Gambia|Senegal|Elfenbeinküste|Sudan|"
    "Tschechien|Slowakei|Litauen|Lettland|Russland|Belarus|Georgien|Armenien|Mazedonien|Nordmazedonien|"
    "Bosnien|Kroatien|Montenegro|Indien|Pakistan|Bangladesch|Sri Lanka|Indonesien|Kolumbien|Venezuela|"
    "Dominikanische Republik|Ägypten|Tunesien|Algerien|Libyen|Benin|Togo|Mali|Kenia|Uganda"
)
_DEMONYM_STEMS = (
    "nigerian|rumän|bulgar|ungar|poln|pol|ukrain|moldau|moldaw|alban|kosovar|serb|vietnames|chines|"
    "thailänd|thai|philippin|filipin|eritre|äthiop|somal|afghan|syr|irak|iran|ghana|kamerun|guine|"
    "sierra-leon|brasilian|türk|marokkan|gambi|senegales|sudanes|tschech|slowak|litau|lett|russ|belarus|"
    "armen|mazedon|bosn|kroat|montenegr|ind|pakistan|bangladesch|indones|kolumbian|venezolan|dominikan|"
    "ägypt|tunes|alger|liby|kenian|ugand|deutsch"
)
# Inflected demonyms ("nigerianische", "Rumänin", "Vietnamesen") and country names.
_NATIONALITY_RE = re.compile(
    rf"\b(?i:(?:{_DEMONYM_STEMS})(?:isch|ier|er|e|a|o)?(?:in|innen|e|en|er|em|es|n|s)?)\b"
    rf"|\b(?:{_COUNTRIES})\b"
)

_DETERMINERS = _word_set(
    "der die das den dem des ein eine einer einem einen eines jede jeder jedem jeden diese dieser "
    "diesem diesen jene jener keine keiner keinem ihre ihrer ihrem ihren seine seiner seinem seinen "
    "unsere unserer unserem welche welcher welchem"
)
_ADJECTIVE_ENDINGS = ("e", "en", "er", "em", "es")
# Words before "Mai", "Rose" & Co. that show the common-word reading ("im Mai", "seit Mai").
_CONTRACTIONS = _word_set("im am vom zum zur beim ins ans seit bis ab anfang mitte ende")
_COMMON_WORD_CONTEXT = _DETERMINERS | _CONTRACTIONS
# Ambiguous first names that start many German sentences ("Nur wenige", "Haben Sie").
_FUNCTION_WORD_NAMES = _word_set("Nur Haben Long Van Jan Jun")

# Capitalised words that follow "Frau"/"Herr" without being a name: roles, age descriptions.
_TITLE_FOLLOWER_STOPWORDS = _word_set(
    "Anfang Mitte Ende Doktor Professor Professorin Kollegin Kollege Ministerin Minister Richterin "
    "Richter Staatsanwältin Staatsanwalt Rechtsanwältin Rechtsanwalt Anwältin Anwalt Vorsitzende "
    "Vorsitzender Präsidentin Präsident Bürgermeisterin Bürgermeister Botschafterin Botschafter "
    "Konsulin Konsul Abgeordnete Abgeordneter Sonderbeauftragte Sonderbeauftragter Beraterin Berater "
    "Dolmetscherin Dolmetscher Sachbearbeiterin Sachbearbeiter Entscheiderin Entscheider Vormund "
    "Betreuerin Betreuer Nachbarin Nachbar Pfarrerin Pfarrer Schwester Kommissarin Kommissar "
    "Direktorin Direktor Leiterin Leiter Gott Jesus Sie Ihr Ihre"
)
# Letters that occur in names from the countries of origin but hardly in German nouns.
_FOREIGN_LETTERS_RE = re.compile("[ąćęłńśźżčďěňřšťůžđğışșţțăâîőűãõñçøåĄĆĘŁŃŚŹŻČĎĚŇŘŠŤŮŽĐĞŞȘŢȚĂÂÎŐŰÃÕÑÇØÅİ]")
_ROLE_SUFFIXES = ("kommissar", "kommissarin", "anwalt", "anwältin", "beauftragte", "beauftragter")
# "Madame", "Mama" and "Auntie" are how victims name the women who control them, often
# followed by a real first name ("Mama Rose").
_TITLES = _word_set("Frau Herr Herrn Madame Madam Mama Auntie Aunty")
_ABBREVIATED_TITLES = frozenset({"Fr", "Hr"})
_ACADEMIC_TITLES = frozenset({"Dr", "Prof", "Dipl", "med", "phil", "jur", "rer", "nat", "habil"})
_NAME_PARTICLES = frozenset({"al", "el", "bin", "ibn", "ben", "van", "von", "de", "da", "dos", "du"})

# Common capitalised nouns and place words that must not be taken for a surname after an
# ambiguous first name ("im Mai Kontakt", "Nur Frauen", "Gift Drogen").
_NOT_SURNAMES = (
    _word_set(
        "Frau Frauen Herr Mann Männer Kind Kinder Familie Geld Hilfe Arbeit Schutz Polizei Beratung "
        "Kontakt Termin Termine Unterkunft Wohnung Schulden Angst Gewalt Zeit Jahr Jahre Monat Monate "
        "Woche Wochen Tag Tage Euro Lei Naira Prozent Uhr Deutschland Europa Afrika Asien Asyl Pass "
        "Papiere Dokumente Drogen Alkohol Essen Menschen Personen Betroffene Opfer Täter Täterin Kunden "
        "Freier Bordell Baustelle Restaurant Küche Pflege Landwirtschaft Ernte Verfahren Anhörung "
        "Ausländerbehörde Jugendamt Fachberatungsstelle Gericht Staatsanwaltschaft Zoll Kong Covid "
        "Dhabi Frühjahr Sommer Herbst Winter"
    )
    | _MONTH_WORDS
    | _TITLE_FOLLOWER_STOPWORDS
)
# Endings of German abstract nouns; a capitalised word with one of them is no surname or place.
_NOUN_SUFFIXES = tuple(
    _word_set("ung ungen heit keit schaft tion sion ität nis tum ling chen lein ment ismus ik ei ie ien")
)


def _has_noun_suffix(word: str) -> bool:
    """True for "Beratung", "Polizei", "Mädchen"; not for short names like "Chen" or "Wei"."""
    lower = word.lower()
    return any(lower.endswith(suffix) and len(lower) >= len(suffix) + 3 for suffix in _NOUN_SUFFIXES)


@functools.cache
def _load_word_list(filename: str) -> frozenset[str]:
    """Read a word list from ``casework/data`` once per process (comments start with ``#``)."""
    lines = (_DATA_DIR / filename).read_text(encoding="utf-8").splitlines()
    return frozenset(line.strip() for line in lines if line.strip() and not line.startswith("#"))


def _first_names() -> frozenset[str]:
    return _load_word_list("first_names.txt")


def _ambiguous_first_names() -> frozenset[str]:
    return _load_word_list("ambiguous_first_names.txt")


@functools.cache
def _unambiguous_first_names() -> frozenset[str]:
    return _first_names() - _ambiguous_first_names()


# ---------------------------------------------------------------------------------------------
# Names
# ---------------------------------------------------------------------------------------------

_WORD_RE = re.compile(r"[^\W\d_]+(?:[-'’][^\W\d_]+)*")
_INLINE_SPACE_RE = re.compile(r"[ \t\u00a0]+")
# Hard-wrapped e-mail text may break between title and name ("Frau\nOkafor"), but a name does
# not continue over a line break ("Frau Okafor\nTel. ...").
_WRAPPED_SPACE_RE = re.compile(r"[ \t\u00a0]*\n?[ \t\u00a0]*")


class _Token(NamedTuple):
    start: int
    end: int
    word: str


def _is_capitalised(word: str) -> bool:
    return word[0].isupper() and not word.isupper()


class _NameScanner:
    """Token-based name detection.

    Names cannot be recognised with one regular expression: whether "Frau Geld" or "Mai" is a
    name depends on the neighbouring words (article before "Frau", month context before "Mai").
    """

    def __init__(self, text: str) -> None:
        self.text = text
        self.tokens = [_Token(m.start(), m.end(), m.group()) for m in _WORD_RE.finditer(text)]
        self.names = _first_names()
        self.ambiguous = _ambiguous_first_names()
        self.unambiguous = _unambiguous_first_names()

    def gap(self, index: int) -> str:
        """Text between token *index* and the next one."""
        return self.text[self.tokens[index].end : self.tokens[index + 1].start]

    def spaced(self, index: int, *, wrapped: bool = False) -> bool:
        """True when token *index* and the next one are separated by spaces (or one line break)."""
        if index + 1 >= len(self.tokens):
            return False
        gap = self.gap(index)
        return bool(gap) and bool((_WRAPPED_SPACE_RE if wrapped else _INLINE_SPACE_RE).fullmatch(gap))

    def is_initial(self, index: int) -> bool:
        word = self.tokens[index].word
        return len(word) == 1 and word.isupper()

    def is_known(self, word: str) -> bool:
        if word in self.names:
            return True
        if "-" in word:
            return all(part in self.names for part in word.split("-"))
        # Genitive ("Blessings Pass"); not for ambiguous names ("Mais" is maize).
        return len(word) > 3 and word.endswith("s") and word[:-1] in self.unambiguous

    def is_unambiguous_name(self, word: str) -> bool:
        return self.is_known(word) and word not in self.ambiguous

    def in_determiner_context(self, index: int) -> bool:
        """An article before the title makes the next word an object: "der (jungen) Frau Geld geben".

        Only inflected adjectives may stand between article and title. A determiner right after a
        comma is a relative pronoun (", das Frau W. eröffnet hatte") and starts a new clause.
        """
        for back in range(index - 1, max(index - 4, -1), -1):
            if not self.spaced(back):
                return False
            word = self.tokens[back].word
            if word.lower() in _DETERMINERS:
                return not (back > 0 and self.gap(back - 1).strip() == ",")
            if not (word.islower() and word.endswith(_ADJECTIVE_ENDINGS)):
                return False
        return False

    def surname_like(self, index: int) -> bool:
        word = self.tokens[index].word
        return (
            _is_capitalised(word)
            and len(word) > 2
            and word not in _NOT_SURNAMES
            and not _has_noun_suffix(word)
            and not _CITY_RE.fullmatch(word)
            and not _NATIONALITY_RE.fullmatch(word)
        )

    def extend(self, index: int) -> int:
        """Index of the last token of the full name starting at *index* ("Blessing Okafor")."""
        last = index
        for _ in range(3):
            if not self.spaced(last):
                break
            nxt = last + 1
            word = self.tokens[nxt].word
            current_known = self.is_known(self.tokens[last].word)
            if self.is_initial(nxt) and current_known:
                last = nxt
            elif current_known and word in _NAME_PARTICLES and self.particle_joins(nxt):
                last = nxt + 1
            elif self.is_unambiguous_name(word) or self.surname_like(nxt) and current_known:
                last = nxt
            else:
                break
        return last

    def particle_joins(self, index: int) -> bool:
        """A particle followed by a surname continues the name: "Ahmad al Hassan", "Fernanda da Silva"."""
        return self.spaced(index) and self.surname_like(index + 1)

    def title_at(self, index: int) -> int | None:
        """Index of the first token after a title ("Frau", "Herrn", "Fr.", "Frau Prof. Dr.", "Mama")."""
        word = self.tokens[index].word
        if word in _TITLES:
            if not self.spaced(index, wrapped=True):
                return None
        elif word not in _ABBREVIATED_TITLES or not self.gap_is_dot(index):
            return None
        nxt = index + 1
        while self.tokens[nxt].word in _ACADEMIC_TITLES and self.gap_is_dot(nxt):
            nxt += 1
        return nxt

    def gap_is_dot(self, index: int) -> bool:
        if index + 1 >= len(self.tokens):
            return False
        gap = self.gap(index)
        return gap.startswith(".") and bool(_INLINE_SPACE_RE.fullmatch(gap[1:]))

    def titled_name(self, title_index: int, index: int) -> int | None:
        """Last token of the name after a title, or None for initials and role nouns."""
        word = self.tokens[index].word
        if (
            self.is_initial(index)
            or not _is_capitalised(word)
            or word in _TITLE_FOLLOWER_STOPWORDS
            or word in _ACADEMIC_TITLES
            or word in _MONTH_WORDS
            or word.endswith(_ROLE_SUFFIXES)
        ):
            return None
        looks_like_name = self.is_known(word) or _FOREIGN_LETTERS_RE.search(word)
        if self.in_determiner_context(title_index) and not looks_like_name:
            return None
        # "Fr." is also Friday ("Mo.–Fr. Beratung"): after the abbreviation require a surname shape.
        abbreviated = self.tokens[title_index].word in _ABBREVIATED_TITLES
        if abbreviated and not (looks_like_name or self.surname_like(index)):
            return None
        last = index
        for _ in range(2):
            if self.spaced(last) and self.surname_like(last + 1) and not self.is_initial(last + 1):
                last += 1
            else:
                break
        return last

    def ambiguous_in_name_context(self, index: int) -> bool:
        """An ambiguous first name ("Rose", "Mai") counts only before a surname or an initial.

        Not after an article or a preposition ("die Rose", "im Mai"), and names that are German
        function words ("Nur", "Haben") not at the start of a sentence, where they are common.
        """
        if not self.spaced(index):
            return False
        nxt = index + 1
        if self.is_initial(nxt) and self.gap_is_dot(nxt):
            return True
        if self.is_unambiguous_name(self.tokens[nxt].word):
            return True
        previous = self.tokens[index - 1].word if index > 0 and self.spaced(index - 1) else None
        if previous is None:
            return self.tokens[index].word not in _FUNCTION_WORD_NAMES and self.surname_like(nxt)
        return previous.lower() not in _COMMON_WORD_CONTEXT and self.surname_like(nxt)

    def scan(self) -> Iterator[_Candidate]:
        index = 0
        while index < len(self.tokens):
            word = self.tokens[index].word
            first = self.title_at(index)
            last = None
            if first is not None:
                last = self.titled_name(index, first)
                if last is not None:
                    last = max(last, self.extend(first))
            elif (
                _is_capitalised(word)
                and self.is_known(word)
                and not self.after_saint(index)
                and (word not in self.ambiguous or self.ambiguous_in_name_context(index))
            ):
                first = index
                last = self.extend(index)
            if first is not None and last is not None:
                yield _Candidate(Category.NAME, self.tokens[first].start, self.tokens[last].end)
                index = last + 1
            else:
                index += 1

    def after_saint(self, index: int) -> bool:
        """Church and hospital names such as "St. Anna" or "Sankt Georg" are not persons."""
        return index > 0 and self.tokens[index - 1].word in {"St", "Sankt", "Santa", "San"}


def _find_names(text: str) -> Iterator[_Candidate]:
    yield from _NameScanner(text).scan()


# ---------------------------------------------------------------------------------------------
# Contact data: phone, e-mail, URLs, social media
# ---------------------------------------------------------------------------------------------

_PHONE_CONTEXT_RE = re.compile(
    r"\b(?:Tel\.-Nr\.|Telefonnummer|Telefon|Tel\.|Tel|Handynummer|Handy|Mobilnummer|Mobiltelefon|Mobil|"
    r"Rufnummer|Festnetznummer|Festnetz|Fax|WhatsApp|Whatsapp|Signal|Telegram|Viber|Nummer)"
    r"(?:\s*[:.]\s*|\s+)(?:(?:ist|lautet|unter|war)\s+)?(?:die\s+)?"
    r"(?P<number>\+?\(?\d[\d \t/()-]{4,}\d)"
)
# Phone-shaped numbers that phonenumbers' strict validation rejects (e.g. fictional ranges).
_PHONE_SHAPE_RE = re.compile(
    r"(?<![\w+.,/])(?:(?:\+|00)[1-9]\d{0,2}[ /-]?(?:\(0\)\s?)?|0[1-9]\d{1,4}\s?[/-]?\s?)"
    r"\d(?:[ -]?\d){4,12}(?![\w.,/]?\d)"
)
_MIN_PHONE_DIGITS = 7


def _digit_count(value: str) -> int:
    return sum(char.isdigit() for char in value)


def _find_phone_numbers(text: str) -> Iterator[_Candidate]:
    for match in phonenumbers.PhoneNumberMatcher(text, "DE", leniency=phonenumbers.Leniency.VALID):
        # "08.03.2023" is also a valid German number (0803 ...), but written like this it is a date.
        if not _DATE_RE.fullmatch(match.raw_string):
            yield _Candidate(Category.PHONE, match.start, match.end)
    for match in _PHONE_CONTEXT_RE.finditer(text):
        if _digit_count(match.group("number")) >= 6:
            yield _Candidate(Category.PHONE, *_strip_span(text, *match.span("number")))
    for match in _PHONE_SHAPE_RE.finditer(text):
        if _digit_count(match.group()) < _MIN_PHONE_DIGITS:
            continue
        try:
            number = phonenumbers.parse(match.group(), "DE")
        except phonenumbers.NumberParseException:
            continue
        if phonenumbers.is_possible_number(number):
            yield _Candidate(Category.PHONE, *_strip_span(text, *match.span()))


_EMAIL_RE = re.compile(
    r"(?<![\w.+-])[A-Za-z0-9][\w.+-]*@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,24}\b"
    r"|(?<![\w.+-])[\w.+-]+\s?[\[({]\s?(?:at|ät|@)\s?[\])}]\s?[\w-]+"
    r"(?:\s?(?:\.|[\[(](?:dot|punkt)[\])])\s?[\w-]+)+"
)
_SOCIAL_DOMAINS = (
    r"instagram\.com|facebook\.com|fb\.com|fb\.me|m\.facebook\.com|tiktok\.com|t\.me|telegram\.me|wa\.me|"
    r"twitter\.com|x\.com|snapchat\.com|vk\.com|ok\.ru|onlyfans\.com|youtube\.com|linkedin\.com"
)
_SOCIAL_URL_RE = re.compile(rf"(?:https?://)?(?:www\.)?(?:{_SOCIAL_DOMAINS})/[^\s<>\"“”]+", re.IGNORECASE)
_SOCIAL_HANDLE_RE = re.compile(r"(?<![\w@.])@[A-Za-z0-9_](?:[A-Za-z0-9_.]{0,28}[A-Za-z0-9_])?")
_SOCIAL_CONTEXT_RE = re.compile(
    r"\b(?:Instagram|Facebook|TikTok|Tiktok|Snapchat|Telegram|Twitter|OnlyFans|Onlyfans|VK|WeChat|"
    r"Profil|Account|Nutzername|Benutzername|Username|Profilname)"
    r"(?:-(?:Account|Profil|Name|Nutzername|Kanal))?\b[^\n.!?]{0,60}?"
    r"(?:[„\"‚»'](?P<quoted>[^\"“”'‘«»\n]{2,40})[“\"'‘«]"
    r"|(?<![\w@])(?P<handle>[A-Za-z0-9]*[_.\d][A-Za-z0-9_.]*[A-Za-z0-9]))"
)
# Top-level domains recognised without "www." or "http": common ones and those of the countries of
# origin. Not ".md" (Moldova), which mostly appears in file names such as "README.md".
_TLDS = (
    "de|com|org|net|info|eu|io|ng|ro|bg|pl|ua|al|rs|vn|cn|th|ph|gh|cm|br|tr|uk|ch|fr|it|nl|be|ru|"
    "tv|app|online|biz|gov|edu"
)
_URL_SHORTENERS = r"bit\.ly|t\.co|goo\.gl|ow\.ly|is\.gd|cutt\.ly|rb\.gy|tiny\.cc|shorturl\.at"
_URL_RE = re.compile(
    r"\b(?:https?://|www\.)[^\s<>\"“”]+"
    rf"|(?<![\w.@-])(?:{_URL_SHORTENERS})/[^\s<>\"“”]+"
    rf"|(?<![\w.@-])(?:[A-Za-z0-9](?:[A-Za-z0-9-]{{0,61}}[A-Za-z0-9])?\.)+(?:{_TLDS})\b(?:/[^\s<>\"“”]*)?"
)
_TRAILING_PUNCTUATION = ".,;:!?)]}\"'“”»«›"


def _strip_span(text: str, start: int, end: int) -> tuple[int, int]:
    """Drop trailing punctuation and whitespace that a greedy pattern swallowed."""
    while end > start and (text[end - 1] in _TRAILING_PUNCTUATION or text[end - 1].isspace()):
        end -= 1
    return start, end


def _find_online_contacts(text: str) -> Iterator[_Candidate]:
    for match in _EMAIL_RE.finditer(text):
        yield _Candidate(Category.EMAIL, *_strip_span(text, *match.span()))
    for match in _SOCIAL_URL_RE.finditer(text):
        yield _Candidate(Category.SOCIAL_HANDLE, *_strip_span(text, *match.span()))
    for match in _SOCIAL_HANDLE_RE.finditer(text):
        yield _Candidate(Category.SOCIAL_HANDLE, *match.span())
    for match in _SOCIAL_CONTEXT_RE.finditer(text):
        group = "quoted" if match.group("quoted") else "handle"
        if any(char.isalpha() for char in match.group(group)):
            yield _Candidate(Category.SOCIAL_HANDLE, *match.span(group))
    for match in _URL_RE.finditer(text):
        yield _Candidate(Category.URL, *_strip_span(text, *match.span()))


# ---------------------------------------------------------------------------------------------
# Bank data
# ---------------------------------------------------------------------------------------------

_IBAN_LENGTHS = {
    "AL": 28, "AT": 20, "BE": 16, "BG": 22, "CH": 21, "CY": 28, "CZ": 24, "DE": 22, "DK": 18, "EE": 20,
    "ES": 24, "FI": 18, "FR": 27, "GB": 22, "GR": 27, "HR": 21, "HU": 28, "IE": 22, "IT": 27, "LT": 20,
    "LU": 20, "LV": 21, "MD": 24, "ME": 22, "MK": 19, "MT": 31, "NL": 18, "NO": 15, "PL": 28, "PT": 25,
    "RO": 24, "RS": 22, "SE": 24, "SI": 19, "SK": 24, "TR": 26, "UA": 29, "XK": 20,
}  # fmt: skip
_IBAN_RE = re.compile(r"\b[A-Z]{2}\d{2}(?:[ ]?[A-Z0-9]){11,30}")
_ACCOUNT_RE = re.compile(
    r"\b(?:Kontonummer|Kontonr\.|Konto-Nr\.|Konto\s+Nr\.|Kto\.-Nr\.|Kto\.\s?Nr\.|Kto-Nr\.|Kto\.|"
    r"Bankleitzahl|BLZ|MTCN|Transaktionsnummer|Überweisungsnummer|Kartennummer|IBAN)"
    r"\s*[:.]?(?P<filler>(?:\s+[a-zäöüß]+){0,3})\s*(?P<number>[A-Z]{0,2}\d[\d ]{3,30}\d)"
)
_CARD_RE = re.compile(r"\b\d{4}(?:[ -]?\d{4}){3}\b")


def _iban_checksum_ok(compact: str) -> bool:
    rearranged = compact[4:] + compact[:4]
    return int("".join(str(int(char, 36)) for char in rearranged)) % 97 == 1


def _luhn_ok(digits: str) -> bool:
    total = 0
    for position, char in enumerate(reversed(digits)):
        value = int(char) * (2 if position % 2 else 1)
        total += value - 9 if value > 9 else value
    return total % 10 == 0


def _find_bank_data(text: str) -> Iterator[_Candidate]:
    for match in _IBAN_RE.finditer(text):
        raw = match.group()
        positions = [i for i, char in enumerate(raw) if char != " "]
        country = raw[:2]
        if country in _IBAN_LENGTHS:
            length = _IBAN_LENGTHS[country]
            if len(positions) < length:
                continue
            # IBAN-shaped strings are flagged even when the checksum is wrong: a typo does not
            # make an account number anonymous.
            yield _Candidate(Category.IBAN, match.start(), match.start() + positions[length - 1] + 1)
            continue
        for length in range(min(len(positions), 34), 14, -1):
            end = positions[length - 1] + 1
            if _iban_checksum_ok(raw[:end].replace(" ", "")):
                yield _Candidate(Category.IBAN, match.start(), match.start() + end)
                break
    for match in _ACCOUNT_RE.finditer(text):
        # "Kontonummer war dort 4410 ...": words in between are fine, but then a year
        # ("Konto seit 2019") must not count, so require a longer number.
        if not match.group("filler") or _digit_count(match.group("number")) >= 6:
            yield _Candidate(Category.ACCOUNT_NUMBER, *_strip_span(text, *match.span("number")))
    for match in _CARD_RE.finditer(text):
        if _luhn_ok(re.sub(r"\D", "", match.group())):
            yield _Candidate(Category.ACCOUNT_NUMBER, *match.span())


# ---------------------------------------------------------------------------------------------
# Dates
# ---------------------------------------------------------------------------------------------

_DATE_RE = re.compile(
    rf"\b(?P<day>[0-3]?\d)\.\s?(?:(?:{_MONTHS})\b|{_MONTH_ABBREVIATIONS}|(?P<month>[01]?\d)\.)"
    r"(?:\s?(?P<year>(?:19|20)\d{2}\b|(?<=\.)\d{2}\b(?![.,]\d)))?"
    rf"|\b(?P<day2>[0-3]?\d)\s+(?:{_MONTHS})\s+(?P<year2>(?:19|20)\d{{2}})\b"
    r"|\b(?P<iso>(?:19|20)\d{2}-(?:0?[1-9]|1[0-2])-(?:0?[1-9]|[12]\d|3[01]))\b"
    r"|\b(?P<day3>[0-3]?\d)/(?P<month3>[01]?\d)/(?P<year3>(?:19|20)?\d{2})\b"
)
# Numbered paragraphs and headings look like dates without a year ("Ziffer 3.1.", "2.1. Ausgangslage").
_NUMBERING_CONTEXT_RE = re.compile(
    r"(?:§|Nr\.|Ziff\.|Ziffer|Abs\.|Punkt|Kapitel|Abschnitt|Tz\.|Rn\.|Seite|S\.)\s*$",
)
_DOB_BEFORE_RE = re.compile(
    r"(?:\bgeb(?:oren)?\.?(?:\s+am)?|\bGeburtsdatum\s*:?|\bGeb\.-?Datum\s*:?|\bGeburtstag\s*(?:am|:)?"
    r"|\bDOB\s*:?|\bdate of birth\s*:?|\*)\s*$",
    re.IGNORECASE,
)
_DOB_AFTER_RE = re.compile(r"^\s+(?:in\s+[\w ]{2,30}?\s+)?geboren\b")


def _find_dates(text: str) -> Iterator[_Candidate]:
    for match in _DATE_RE.finditer(text):
        start, end = match.span()
        if text[end - 1] == "." and not match.group("year"):
            end -= 1
        day = match.group("day") or match.group("day2") or match.group("day3")
        month = match.group("month") or match.group("month3")
        if day is not None and not 1 <= int(day) <= 31 or month is not None and not 1 <= int(month) <= 12:
            continue
        has_year = any(match.group(group) for group in ("year", "year2", "iso", "year3"))
        before = text[max(0, start - 30) : start]
        line_start = text.rfind("\n", 0, start) + 1
        if not has_year and (_NUMBERING_CONTEXT_RE.search(before) or not text[line_start:start].strip()):
            continue
        if _DOB_BEFORE_RE.search(before) or _DOB_AFTER_RE.match(text[end : end + 45]):
            yield _Candidate(Category.DATE_OF_BIRTH, start, end)
        else:
            # Also without a year: the year is usually given elsewhere in the text.
            yield _Candidate(Category.DATE, start, end)


# ---------------------------------------------------------------------------------------------
# Addresses
# ---------------------------------------------------------------------------------------------

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
_MID_SENTENCE_RE = re.compile(r"[a-zäöüß,]\s$")
_NOT_STREETS = tuple(
    _word_set(
        "arbeitsplatz schlafplatz stellplatz parkplatz spielplatz ausbildungsplatz studienplatz "
        "therapieplatz kitaplatz wohnheimplatz rechtsweg fluchtweg arbeitsweg lebensweg schulweg heimweg "
        "ausweg umweg"
    )
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


def _find_addresses(text: str) -> Iterator[_Candidate]:
    for match in _STREET_RE.finditer(text):
        street = match.group("street")
        if not street[0].isupper() or street.lower().endswith(_NOT_STREETS):
            continue
        yield _Candidate(Category.ADDRESS, match.start(), match.end("number"))
    for match in _PREPOSITIONAL_STREET_RE.finditer(text):
        before = text[max(0, match.start() - 2) : match.start()]
        if match.group("postcode") or _MID_SENTENCE_RE.search(before):
            yield _Candidate(Category.ADDRESS, match.start(), match.end("number"))
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


# ---------------------------------------------------------------------------------------------
# File numbers, ID documents, number plates
# ---------------------------------------------------------------------------------------------

_REFERENCE_PART = r"(?:[A-Za-zÄÖÜ]{0,6}[/.-]?\d[\w./-]*|[A-ZÄÖÜ][A-Za-zäöü]{0,3}\b\.?)"
_REFERENCE = rf"(?P<ref>{_REFERENCE_PART}(?:[ ]{_REFERENCE_PART}){{0,5}})"
_FILE_KEYWORD_RE = re.compile(
    r"\b(?:Az\.?|AZ\.?|Aktenz\.|Aktenzeichen|Gz\.|GZ\.?|Geschäftszeichen|Gesch\.-Z\.|Vorgangsnummer|"
    r"Vorgangs-Nr\.|Vorgangsnr\.|Tagebuchnummer|Tgb\.-Nr\.|Kassenzeichen|Fallnummer|Verfahrensnummer|"
    rf"Js-Nummer)(?![a-zäöü])\s*[:.]?\s*(?:Nr\.\s*)?{_REFERENCE}"
)
_COURT_FILE_RE = re.compile(
    r"\b\d{1,4}\s(?P<register>[A-Z][A-Za-z]{0,3})\s\d{1,6}[/.]\d{2,4}(?:\s?\.?[A-Z]{1,2}\b)?",
)
_NOT_REGISTERS = _word_set("Abs Art Nr Nrn S Satz Ziff Rn Tz Bd Uhr Mal Euro") | _MONTH_WORDS
_BAMF_NUMBER_RE = re.compile(r"\b\d{7,8}\s?-\s?\d{3}\b")

_ID_KEYWORD_RE = re.compile(
    r"\b(?:(?:Reisepass|Pass|Passport|Personalausweis|Ausweis|Ausweisersatz|Aufenthaltstitel|"
    r"Aufenthaltserlaubnis|Führerschein|Geburtsurkunde|Ankunftsnachweis|Duldung|NIN|CNP|Steuer-ID)"
    r"(?:s?-?[Nn]ummer|-?Nr\.|nr\.|\s+No\.?|\s+Number)?"
    r"|(?:eAT|AKN|AZR|SV|Dokumenten|Sozialversicherungs|Rentenversicherungs|Versicherten|"
    r"Krankenversicherten|Identifikations|Steueridentifikations|Steuer-Identifikations)"
    r"(?:-?[Nn]ummer|-?Nr\.))"
    r"\s*[:.]?\s*(?:Nr\.\s*|No\.\s*)?(?P<ref>[A-Z0-9](?:[A-Z0-9]|[ -](?=[A-Z0-9])){4,24})"
)
_ID_SHAPE_RE = re.compile(
    # German ID card / passport serial (no vowels, so it never spells a word).
    r"\b[CFGHJKLMNPRTVWXYZ][CFGHJKLMNPRTVWXYZ0-9]{8}\b"
    # Passport numbers of many countries: one or two letters and 7-8 digits.
    r"|\b[A-Z]\d{8}\b|\b[A-Z]{2}\d{7}\b"
    # Romanian personal numeric code (CNP) with its embedded birth date.
    r"|\b[1-8]\d{2}(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01])\d{6}\b"
    # German social insurance number, e.g. "12 150380 A 123".
    r"|\b\d{2}\s?(?:0[1-9]|[12]\d|3[01])(?:0[1-9]|1[0-2])\d{2}\s?[A-Z]\s?\d{3}\b"
)
_NUMBER_PLATE_RE = re.compile(
    r"(?<![\w-])(?P<district>[A-ZÄÖÜ]{1,3})(?:[-–]|\s)(?P<letters>[A-Z]{1,2})[\s-]?"
    r"(?P<digits>[1-9]\d{0,3})[EH]?(?![\w-])"
)
_NOT_DISTRICTS = _word_set(
    "SGB EU GG BGB KOK UN ILO NRW ID IT OK TV PC HIV USA UK DE AG EG EWG AufenthG StGB StPO OEG",
)
_ROMAN_NUMERALS = frozenset({"I", "II", "V", "X", "IV", "VI", "IX", "XI", "XII"})


def _trim_reference(text: str, start: int, end: int, *, keep_letter: bool) -> tuple[int, int] | None:
    """Cut trailing words without digits ("8123456-438 Die ...") from a captured reference.

    With *keep_letter* a single trailing capital letter stays, because court file numbers end
    in one ("12 K 345/19 A"). Returns None when the reference contains no digit at all.
    """
    parts = list(re.finditer(r"\S+", text[start:end]))
    while parts and not any(char.isdigit() for char in parts[-1].group()):
        if keep_letter and len(parts[-1].group()) == 1:
            break
        parts.pop()
    if not parts or not any(char.isdigit() for part in parts for char in part.group()):
        return None
    return _strip_span(text, start, start + parts[-1].end())


def _find_references(text: str) -> Iterator[_Candidate]:
    for match in _FILE_KEYWORD_RE.finditer(text):
        span = _trim_reference(text, *match.span("ref"), keep_letter=True)
        if span:
            yield _Candidate(Category.FILE_NUMBER, *span)
    for match in _COURT_FILE_RE.finditer(text):
        if match.group("register") not in _NOT_REGISTERS:
            yield _Candidate(Category.FILE_NUMBER, *match.span())
    for match in _BAMF_NUMBER_RE.finditer(text):
        yield _Candidate(Category.FILE_NUMBER, *match.span())
    for match in _ID_KEYWORD_RE.finditer(text):
        span = _trim_reference(text, *match.span("ref"), keep_letter=False)
        # Years ("Pass 2019 verlängert") are too short to be document numbers.
        if span and span[1] - span[0] >= 6 and _digit_count(text[span[0] : span[1]]) >= 4:
            yield _Candidate(Category.ID_DOCUMENT, *span)
    for match in _ID_SHAPE_RE.finditer(text):
        if _digit_count(match.group()) >= 2:
            yield _Candidate(Category.ID_DOCUMENT, *match.span())
    for match in _NUMBER_PLATE_RE.finditer(text):
        if match.group("district") in _NOT_DISTRICTS or match.group("letters") in _ROMAN_NUMERALS:
            continue
        yield _Candidate(Category.NUMBER_PLATE, *match.span())


# ---------------------------------------------------------------------------------------------
# Quasi-identifiers
# ---------------------------------------------------------------------------------------------

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


# ---------------------------------------------------------------------------------------------
# Public API
# ---------------------------------------------------------------------------------------------

_DETECTORS = (
    _find_names,
    _find_phone_numbers,
    _find_online_contacts,
    _find_bank_data,
    _find_dates,
    _find_addresses,
    _find_references,
    _find_quasi_identifiers,
)


def _merge(text: str, candidates: list[_Candidate]) -> list[Finding]:
    """Merge overlapping candidates into one finding covering all of them.

    The union keeps every character any detector flagged inside the finding, so nothing
    identifying is left unmarked; the most severe and most specific category names it.
    """
    clusters: list[list[_Candidate]] = []
    cluster_end = -1
    for candidate in sorted(candidates, key=lambda c: (c.start, -c.end)):
        if candidate.start >= cluster_end:
            clusters.append([])
        clusters[-1].append(candidate)
        cluster_end = max(cluster_end, candidate.end)
    findings = []
    for cluster in clusters:
        best = max(cluster, key=lambda c: (c.severity is Severity.BLOCKING, _PRIORITY[c.category]))
        start = cluster[0].start
        end = max(c.end for c in cluster)
        findings.append(Finding(best.category, start, end, text[start:end], best.severity))
    return findings


def check_text(text: str) -> list[Finding]:
    """Return the findings in *text*, sorted by position and without overlaps."""
    candidates = [candidate for detector in _DETECTORS for candidate in detector(text)]
    return _merge(text, [candidate for candidate in candidates if candidate.end > candidate.start])


def has_blocking(findings: Iterable[Finding]) -> bool:
    """True when at least one finding must be fixed before the text may be published."""
    return any(finding.is_blocking for finding in findings)


def _escaped_with_breaks(text: str) -> SafeString:
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    return format_html_join(SafeString("<br>"), "{}", ((line,) for line in lines))


def highlight_html(text: str, findings: Iterable[Finding]) -> SafeString:
    """Escape *text* completely and wrap each finding in a ``<mark>`` for the editor view.

    Case texts are pasted from e-mails and office documents and may contain markup, so every
    character is escaped; the marks carry only classes and data attributes (no inline styles,
    which the Content Security Policy forbids). Overlapping findings after the first are skipped.
    """
    pieces: list[SafeString] = []
    position = 0
    for finding in sorted(findings, key=lambda f: (f.start, -f.end)):
        if finding.start < position:
            continue
        pieces.append(_escaped_with_breaks(text[position : finding.start]))
        pieces.append(
            format_html(
                '<mark class="anon-finding anon-{}" data-category="{}" title="{}">{}</mark>',
                finding.severity.value,
                finding.category.value,
                category_label(finding.category),
                _escaped_with_breaks(text[finding.start : finding.end]),
            )
        )
        position = finding.end
    pieces.append(_escaped_with_breaks(text[position:]))
    return format_html_join("", "{}", ((piece,) for piece in pieces))
