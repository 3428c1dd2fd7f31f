"""Names of persons: known first names with their surnames, names after titles, ambiguous names in context."""

from __future__ import annotations

import re
from collections.abc import Iterator

from .findings import Category, _Candidate
from .lexicon import (
    ambiguous_names,
    family_names,
    fold,
    folded_words,
    function_words,
    german_nouns,
    german_toponyms,
    german_words,
    given_names,
    places,
    world_cities,
)
from .vocabulary import (
    _ABBREVIATED_TITLES,
    _ACADEMIC_TITLES,
    _ADJECTIVE_ENDINGS,
    _CITY_RE,
    _COMMON_WORD_CONTEXT,
    _DETERMINERS,
    _FOREIGN_LETTERS_RE,
    _FUNCTION_WORD_NAMES,
    _MONTH_WORDS,
    _NAME_PARTICLES,
    _NATIONALITY_RE,
    _NOT_SURNAMES,
    _RANK_TITLES,
    _ROLE_SUFFIXES,
    _SOFT_TITLES,
    _TITLE_FOLLOWER_STOPWORDS,
    _TITLES,
    _has_noun_suffix,
)

_WORD_RE = re.compile(r"[^\W\d_]+(?:[-'’][^\W\d_]+)*")
# An age right after a name: "Valbona Krasniqi (27)", "Mahmoud Al-Hassan, 34, syrischer ...".
# Family names recognisable by their ending although no list has them ("Petrescu", "Kovačević", "Tkachenko",
# "Beridze", "Wiśniewska", "Hovhannisyan"); a genitive "s" may follow.
_SURNAME_ENDING_RE = re.compile(
    r"(?:escu|eanu|ovic|evic|enko|shvili|schwili|idze|dze|oglu|owski|owska|ewski|ewska|inski|inska|wicz|czyk|"
    r"yan|jan)s?$"
)  # matched on the accent-folded word ("Kovačević" -> "kovacevic")
# A name introduced as one: "ein Priester namens Ohen Igbinedion", "genannt Bulibașa Nelu", 'die sich „Madrinha
# Rosa“ nennen lässt'.
_INTRODUCED_NAME_RE = re.compile(
    r"\b(?:namens|genannt|heißt|heisst|mit\s+Namen|Spitzname|Spitznamen|nennt\s+sich|nannte\s+sich)\s+[„\"»]?"
    r"(?P<name>[A-ZÀ-ÞĀ-Ž][^\W\d_]+(?:[-'’][^\W\d_]+)*(?:[ ][A-ZÀ-ÞĀ-Ž][^\W\d_]+(?:[-'’][^\W\d_]+)*){0,2})"
    r"|[„\"»](?P<quoted>[A-ZÀ-ÞĀ-Ž][^\W\d_]+(?:[ ][A-ZÀ-ÞĀ-Ž][^\W\d_]+){0,2})[“\"«]\s+"
    r"(?:nennen|nennt|nannte|nannten|rufen|ruft|genannt)\b"
)
_ARTICLES = frozenset({"der", "die", "das", "den", "dem", "des", "ein", "eine", "einer", "sie", "er", "es", "wir"})
_PREPOSITIONS = frozenset({"laut", "dank", "gemass", "trotz", "wegen", "seitens", "zufolge", "mittels", "per", "via"})
_AGE_AFTER_NAME_RE = re.compile(r"\s?(\(\d{1,2}\))|,\s(\d{1,2})(?=\s?[,;)])")
_INLINE_SPACE_RE = re.compile(r"[ \t\u00a0]+")
# Hard-wrapped e-mail text may break between title and name ("Frau\nOkafor"), but a name does
# not continue over a line break ("Frau Okafor\nTel. ...").
_WRAPPED_SPACE_RE = re.compile(r"[ \t\u00a0]*\n?[ \t\u00a0]*")


# Terms of the field that are surnames somewhere too ("Dublin", "Schengen", "Juju"): never a person here.
_FIELD_TERMS = folded_words(
    """
    Dublin Schengen Eurodac Europol Interpol Frontex Juju Voodoo Loverboy Lover Escort Flatrate Cash Sugar
    WhatsApp Facebook Instagram Telegram Signal TikTok Snapchat Google Western Union MoneyGram PayPal Uber
    Corona Covid Hotline Chat Online Offline Team Coach Job Jobs Boss Manager Madame Madam Auntie Mama Papa Baby
    Pastor Prophet Bishop Oba Chief
    St Nr Abs Art Az Str Tel Fax Bzw Ggf Usw Vgl Ca Inkl Zzgl Kto BLZ Mobil Handy Whatsapp
    Nigeria Ghana Benin Togo Edo Lagos Dubai Libyen Lampedusa
    Italien Spanien Balkan
    Roma Sinti Islam Christ Christen Allah Jesus Gott Ramadan Weihnachten Ostern
"""
)
# Family names of two letters (Vietnamese, Chinese, Korean) that count only next to another name.
_SHORT_FAMILY_NAMES = frozenset({"le", "ly", "vu", "vo", "do", "ho", "ha", "ma", "li", "wu", "xu", "hu", "he", "yu"})


def _is_capitalised(word: str) -> bool:
    return word[0].isupper() and not word.isupper()


class _NameScanner:
    """Token-based name detection.

    Names cannot be recognised with one regular expression: whether "Frau Geld" or "Mai" is a
    name depends on the neighbouring words (article before "Frau", month context before "Mai").
    """

    def __init__(self, text: str) -> None:
        self.text = text
        # The words with their positions, as three parallel lists (cheaper to build than a tuple per word).
        matches = list(_WORD_RE.finditer(text))
        self.words = [match.group() for match in matches]
        self.starts = [match.start() for match in matches]
        self.ends = [match.end() for match in matches]
        self.given = given_names()
        self.family = family_names()
        self.german = german_words()
        self.ambiguous_names = ambiguous_names()
        self.places = places()
        self.toponyms = german_toponyms()
        self.nouns = german_nouns()
        self.function_words = function_words()
        self.cities = world_cities()

    def gap(self, index: int) -> str:
        """Text between token *index* and the next one."""
        return self.text[self.ends[index] : self.starts[index + 1]]

    def spaced(self, index: int, *, wrapped: bool = False) -> bool:
        """True when token *index* and the next one are separated by spaces (or one line break)."""
        if index + 1 >= len(self.words):
            return False
        gap = self.gap(index)
        return bool(gap) and bool((_WRAPPED_SPACE_RE if wrapped else _INLINE_SPACE_RE).fullmatch(gap))

    def is_initial(self, index: int) -> bool:
        word = self.words[index]
        return len(word) == 1 and word.isupper()

    def is_name_word(self, word: str) -> bool:
        """A given or family name of the lists (accent-folded; hyphenated names part by part)."""
        key = fold(word)
        if key in self.given or key in self.family:
            return True
        if "-" in word:
            parts = [fold(part) for part in word.split("-")]
            return all(
                len(part) > 1 and part not in _FIELD_TERMS and (part in self.given or part in self.family)
                for part in parts
            )
        if len(key) > 5 and _SURNAME_ENDING_RE.search(key) and not self.is_german(word):
            return True
        # Genitive ("Blessings Pass", "Ionuțs Schwester").
        return (
            len(key) > 3
            and key.endswith("s")
            and not self.is_german(word)
            and (key[:-1] in self.given or key[:-1] in self.family)
        )

    def is_german(self, word: str) -> bool:
        """A German word (common noun in any form, function word, frequent word), a place or a term of the field."""
        key = fold(word)
        return (
            key in self.german
            or key in self.toponyms
            or key in _FIELD_TERMS
            or key in self.places
            or bool(_NATIONALITY_RE.fullmatch(word))
        )

    def is_known(self, word: str) -> bool:
        return self.is_name_word(word)

    def is_ambiguous(self, word: str) -> bool:
        """A name that is a German word too ("Rose", "Mai", "Hoffnung", "Wolf"): a name only in a name context."""
        return fold(word) in self.ambiguous_names or self.is_german(word)

    def is_unambiguous_name(self, word: str) -> bool:
        return _is_capitalised(word) and self.is_known(word) and not self.is_ambiguous(word)

    def in_determiner_context(self, index: int) -> bool:
        """An article before the title makes the next word an object: "der (jungen) Frau Geld geben".

        Only inflected adjectives may stand between article and title. A determiner right after a
        comma is a relative pronoun (", das Frau W. eröffnet hatte") and starts a new clause.
        """
        for back in range(index - 1, max(index - 4, -1), -1):
            if not self.spaced(back):
                return False
            word = self.words[back]
            if word.lower() in _DETERMINERS:
                return not (back > 0 and self.gap(back - 1).strip() == ",")
            if not (word.islower() and word.endswith(_ADJECTIVE_ENDINGS)):
                return False
        return False

    def surname_like(self, index: int, *, strict: bool = False) -> bool:
        """A capitalised word that may be a surname: a known family name, or a word that is no German word."""
        word = self.words[index]
        return (
            _is_capitalised(word)
            and (len(word) > 2 or fold(word) in _SHORT_FAMILY_NAMES)
            and word not in _NOT_SURNAMES
            and not _has_noun_suffix(word)
            and not _CITY_RE.fullmatch(word)
            and not _NATIONALITY_RE.fullmatch(word)
            and not self.is_german(word)
            # Without a name before it, a capitalised word is more likely a German compound ("Der Amtsvormund")
            # than a surname; next to a name, "Wübbenhorst" is a surname although it ends in "Horst".
            and not (strict and self.is_compound(word))
        )

    def listed_name_part(self, index: int) -> bool:
        """A capitalised word of the name lists, also when it is a German word ("Köhler", "Tran", "Wolf"): part of
        a name only right after a title or a name."""
        word = self.words[index]
        key = fold(word)
        return (
            _is_capitalised(word)
            and (key in self.family or key in self.given)
            and key not in self.function_words
            and key not in _FIELD_TERMS
            and word not in _NOT_SURNAMES
            and word not in _MONTH_WORDS
            and not _NATIONALITY_RE.fullmatch(word)
        )

    def is_compound(self, word: str) -> bool:
        """A German compound noun ("Amtsvormund", "Hauptangeklagte"): ends in a known noun of five or more
        letters. Known family names are exempt ("Brinkmann" ends in "mann", but is a name)."""
        key = fold(word)
        if key in self.family:
            return False
        return any(key[cut:] in self.nouns for cut in range(3, len(key) - 4))

    def extend(self, index: int) -> int:
        """Index of the last token of the full name starting at *index* ("Blessing Okafor")."""
        last = index
        for _ in range(3):
            if not self.spaced(last):
                break
            nxt = last + 1
            word = self.words[nxt]
            current_known = self.is_known(self.words[last])
            if self.is_initial(nxt) and current_known:
                last = nxt
            elif current_known and word in _NAME_PARTICLES and self.particle_joins(nxt):
                last = nxt + 1
            elif self.is_unambiguous_name(word) or self.surname_like(nxt) and current_known:
                last = nxt
            elif self.listed_name_part(nxt) and self.is_unambiguous_name(self.words[last]):
                # A name that is a German word too after a first name: "Jana Köhler", "Anna Wolf", "Trần Văn".
                last = nxt
            else:
                break
        return last

    def particle_joins(self, index: int) -> bool:
        """A particle followed by a surname continues the name: "Ahmad al Hassan", "Fernanda da Silva"."""
        return self.spaced(index) and self.surname_like(index + 1)

    def title_at(self, index: int) -> int | None:
        """Index of the first token after a title ("Frau", "Herrn", "Fr.", "Frau Prof. Dr.", "Mama")."""
        word = self.words[index]
        if word in _TITLES or word in _RANK_TITLES or word in _SOFT_TITLES:
            if not self.spaced(index, wrapped=True):
                return None
        elif word not in _ABBREVIATED_TITLES or not self.gap_is_dot(index):
            return None
        nxt = index + 1
        while self.words[nxt] in _ACADEMIC_TITLES and self.gap_is_dot(nxt):
            nxt += 1
        return nxt

    def gap_is_dot(self, index: int) -> bool:
        if index + 1 >= len(self.words):
            return False
        gap = self.gap(index)
        return gap.startswith(".") and bool(_INLINE_SPACE_RE.fullmatch(gap[1:]))

    def titled_name(self, title_index: int, index: int) -> int | None:
        """Last token of the name after a title, or None for initials and role nouns."""
        word = self.words[index]
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
        # "der Frau Schutz gewähren": after an article only a name that is no German word ("der Frau Okafor").
        if self.in_determiner_context(title_index) and not (
            _FOREIGN_LETTERS_RE.search(word) or self.is_known(word) and not self.is_german(word)
        ):
            return None
        # "Fr." is also Friday ("Mo.–Fr. Beratung"): after the abbreviation require a surname shape.
        title = self.words[title_index]
        if title in _ABBREVIATED_TITLES and not (looks_like_name or self.surname_like(index)):
            return None
        # "Schwester Abena", but not "Schwester Oberin" or "Familie Geld".
        if title in _SOFT_TITLES and not (self.is_unambiguous_name(word) or self.surname_like(index, strict=True)):
            return None
        last = index
        for _ in range(2):
            if (
                self.spaced(last)
                and not self.is_initial(last + 1)
                and (self.surname_like(last + 1) or self.listed_name_part(last + 1))
            ):
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
        if fold(self.words[index]) in _PREPOSITIONS | _ARTICLES:  # "Laut Kamau war es so", "Die Madam"
            return False
        nxt = index + 1
        if self.is_initial(nxt) and self.gap_is_dot(nxt):
            return True
        if _is_capitalised(self.words[nxt]) and self.is_unambiguous_name(self.words[nxt]):
            return True
        previous = self.words[index - 1] if index > 0 and self.spaced(index - 1) else None
        if previous is None:
            word = self.words[index]
            return (
                word not in _FUNCTION_WORD_NAMES
                and fold(word) not in self.function_words
                and self.surname_like(nxt, strict=True)
            )
        return previous.lower() not in _COMMON_WORD_CONTEXT and self.surname_like(nxt, strict=True)

    def scan(self) -> Iterator[_Candidate]:
        index = 0
        count = len(self.words)
        while index < count:
            word = self.words[index]
            if not word[0].isupper():  # names and titles are capitalised; most words are not
                index += 1
                continue
            first = self.title_at(index)
            last = None
            title_start = None
            if first is not None:
                last = self.titled_name(index, first)
                if last is not None:
                    last = max(last, self.extend(first))
                    title_start = self.starts[index]
            elif (
                _is_capitalised(word)
                and self.is_known(word)
                and not self.after_saint(index)
                and (not self.is_ambiguous(word) or self.ambiguous_in_name_context(index))
            ):
                first = index
                last = self.extend(index)
            if first is not None and last is not None:
                first = self.extend_left(first)
                # The title belongs to the span ("Frau Okafor"): the author replaces both ("Frau O.").
                start = title_start if title_start is not None else self.starts[first]
                end = self.ends[last]
                # The dot of a final initial belongs to it ("Florentina D.").
                if self.is_initial(last) and self.text[end : end + 1] == ".":
                    end += 1
                # "Hai Phong", "Bad Homburg": a city under its name is no person.
                if title_start is None and last > first and fold(self.text[start:end]) in self.cities:
                    index = last + 1
                    continue
                yield _Candidate(Category.NAME, start, end)
                # An age after the name.
                if age := _AGE_AFTER_NAME_RE.match(self.text, end):
                    group = 1 if age.group(1) else 2
                    yield _Candidate(Category.QUASI_IDENTIFIER, age.start(group), age.end(group))
                index = last + 1
            else:
                index += 1

    def extend_left(self, index: int) -> int:
        """Family names written first ("Nguyen Thi Lan", "Popescu Ionuț"): known name words before the name."""
        first = index
        while first > 0 and self.spaced(first - 1):
            word = self.words[first - 1]
            known = _is_capitalised(word) and self.is_unambiguous_name(word)
            # An unknown given name before a known family name: "Wanjiru Kamau".
            if not known and not (first == index and self.surname_like(first - 1, strict=True)):
                break
            # Not across the start of a sentence: a capitalised word there may be any word.
            first -= 1
        return first

    def after_saint(self, index: int) -> bool:
        """Church and hospital names such as "St. Anna" or "Sankt Georg" are not persons."""
        return index > 0 and self.words[index - 1] in {"St", "Sankt", "Santa", "San"}


def _find_names(text: str) -> Iterator[_Candidate]:
    scanner = _NameScanner(text)
    yield from scanner.scan()
    for match in _INTRODUCED_NAME_RE.finditer(text):
        group = "name" if match.group("name") else "quoted"
        words = match.group(group).split(" ")
        # "namens Ohen Igbinedion den Schwur": the name ends before the first German word.
        while words and group == "name" and scanner.is_german(words[-1]) and not scanner.is_name_word(words[-1]):
            words.pop()
        # „Madame“, „Boss“, „Prinzessin“: a title or a word, not a name
        if len(words) == 1 and (words[0] in _TITLES or words[0] in _SOFT_TITLES or scanner.is_german(words[0])):
            continue
        if words:
            start = match.start(group)
            yield _Candidate(Category.NAME, start, start + len(" ".join(words)))
