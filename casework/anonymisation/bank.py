"""Bank data: IBANs (with checksum), account and card numbers."""

from __future__ import annotations

import re
from collections.abc import Iterator

from .contacts import _digit_count, _strip_span
from .findings import Category, _Candidate

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
