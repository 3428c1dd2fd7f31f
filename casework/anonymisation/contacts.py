"""Contact data: phone numbers, e-mail addresses, URLs and social-media handles."""

from __future__ import annotations

import re
from collections.abc import Iterator

import phonenumbers

from .dates import _DATE_RE
from .findings import Category, _Candidate

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


# Stretches of text that may hold a phone number (six or more digits with separators); phonenumbers' matcher, which
# is slow on long texts, only looks at these with a few characters around them.
_DIGIT_RUN_RE = re.compile(r"[+(]?\d[\d \t/().-]{4,}\d")


def _find_phone_numbers(text: str) -> Iterator[_Candidate]:
    for run in _DIGIT_RUN_RE.finditer(text):
        if _digit_count(run.group()) < 6:
            continue
        offset = max(0, run.start() - 3)
        window = text[offset : run.end() + 3]
        for match in phonenumbers.PhoneNumberMatcher(window, "DE", leniency=phonenumbers.Leniency.VALID):
            # "08.03.2023" is also a valid German number (0803 ...), but written like this it is a date.
            if not _DATE_RE.fullmatch(match.raw_string):
                yield _Candidate(Category.PHONE, offset + match.start, offset + match.end)
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
_SOCIAL_URL_RE = re.compile(rf"(?<![\w./])(?:https?://)?(?:www\.)?(?:{_SOCIAL_DOMAINS})/[^\s<>\"“”]+", re.IGNORECASE)
_SOCIAL_DOMAIN_LIST = tuple(domain.replace("\\", "") + "/" for domain in _SOCIAL_DOMAINS.split("|"))
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
    # Profile links: found by their domain with str.find (a case-insensitive pattern over the whole text is slow).
    lowered = text.lower()
    for domain in _SOCIAL_DOMAIN_LIST:
        position = lowered.find(domain)
        while position >= 0:
            for start in range(max(0, position - 12), position + 1):
                match = _SOCIAL_URL_RE.match(text, start)
                if match:
                    yield _Candidate(Category.SOCIAL_HANDLE, *_strip_span(text, *match.span()))
                    break
            position = lowered.find(domain, position + len(domain))
    for match in _SOCIAL_HANDLE_RE.finditer(text):
        yield _Candidate(Category.SOCIAL_HANDLE, *match.span())
    for match in _SOCIAL_CONTEXT_RE.finditer(text):
        group = "quoted" if match.group("quoted") else "handle"
        if any(char.isalpha() for char in match.group(group)):
            yield _Candidate(Category.SOCIAL_HANDLE, *match.span(group))
    for match in _URL_RE.finditer(text):
        yield _Candidate(Category.URL, *_strip_span(text, *match.span()))
