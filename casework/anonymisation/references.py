"""File numbers, ID and residence-permit numbers, number plates."""

from __future__ import annotations

import re
from collections.abc import Iterator

from .contacts import _digit_count, _strip_span
from .findings import Category, _Candidate
from .vocabulary import _MONTH_WORDS, _word_set

_REFERENCE_PART = r"(?:[A-Za-zÄÖÜ]{0,6}[/.-]?\d[\w./-]*|[A-ZÄÖÜ][A-Za-zäöü]{0,3}\b\.?)"
_REFERENCE = rf"(?P<ref>{_REFERENCE_PART}(?:[ ]{_REFERENCE_PART}){{0,5}})"
_FILE_KEYWORD_RE = re.compile(
    r"\b(?:Az\.?|AZ\.?|Aktenz\.|Aktenzeichen|Gz\.|GZ\.?|Geschäftszeichen|Gesch\.-Z\.|Vorgangsnummer|"
    r"Vorgangs-Nr\.|Vorgangsnr\.|Tagebuchnummer|Tgb\.-Nr\.|Kassenzeichen|Fallnummer|Verfahrensnummer|"
    rf"Js-Nummer|Vorgang(?=\s*:))(?![a-zäöü])"
    # "Az. Jugendamt: 51.2-2025-0347", "Aktenzeichen Versorgungsverwaltung: 54 SER 2025 011873"
    r"(?:[ \t]+[A-ZÄÖÜ][\wäöüß-]*(?=\s*:))?"
    rf"\s*[:.]?\s*(?:Nr\.\s*)?{_REFERENCE}"
)
_COURT_FILE_RE = re.compile(
    r"\b\d{1,4}\s(?P<register>[A-Z][A-Za-z]{0,3})\s\d{1,6}[/.]\d{2,4}(?:\s?\.?[A-Z]{1,2}\b)?",
)
_NOT_REGISTERS = _word_set("Abs Art Nr Nrn S Satz Ziff Rn Tz Bd Uhr Mal Euro") | _MONTH_WORDS
_BAMF_NUMBER_RE = re.compile(r"\b\d{7,8}\s?-\s?\d{3}\b")
# Any "<Kürzel>-Nr." with a number of six or more digits ("VG-Nr. 230418-1127-044512", "BG-Nr. 4711/2023"),
# and a bare "Nr." right after a document or an account ("Pass (Nr. P4829105A)", "Account No. 0045-1873-2290").
_ABBREVIATED_NUMBER_RE = re.compile(
    r"\b[A-ZÄÖÜ][A-Za-zÄÖÜäöü]{0,5}-(?:Nr\.|Nummer)\s*:?\s*(?P<ref>[A-Z]{0,3}\d[\d/ .-]{4,24}\d)"
)
_DOCUMENT_CONTEXT_RE = re.compile(
    r"(?P<kind>Reisepass|Pass|Passport|Personalausweis|Ausweis|ID-Karte|Identitätskarte|ID card|Aufenthaltstitel|"
    r"Aufenthaltserlaubnis|Führerschein|Visum|Geburtsurkunde|Konto|Bankkonto|Account|Kontonummer|Karte|"
    # compounds: "Protokollausweis", "Dienstpass"
    r"(?<=[a-zäöüß])(?:ausweis|pass))"
    r"[^.\n]{0,40}?[(:]\s*(?:(?:Nr|No|Nummer)\.?\s*:?\s*)?(?P<ref>[A-Z]{0,3} ?\d[A-Z0-9/ -]{4,24}[A-Z0-9])\b"
    r"|\b(?:Account|Acct)\.?\s*(?:No|Number|Nr)\.?\s*:?\s*(?P<account>\d[\d -]{5,30}\d)"
    # "auf das Firmenkonto Nr. 1140 2004 0000 3102 7598"
    r"|(?:Konto|konto)(?:nummer)?\s+(?:Nr\.?|No\.?)\s*:?\s*(?P<konto>\d[\d -]{5,30}\d)"
)
# Number plates abroad after "Kennzeichen": "(CT 07 KRM)", "B-123-XYZ", "PB 1234 AB".
_FOREIGN_PLATE_RE = re.compile(
    r"Kennzeichen[^.\n]{0,25}?"
    r"(?P<plate>\b[A-Z]{1,3}[ -]?\d{2,4}[ -]?[A-Z]{1,3}\b|\b[A-Z]{1,3}[ -]\d{3,4}[ -][A-Z]{2}\b)"
)

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
    for match in _ABBREVIATED_NUMBER_RE.finditer(text):
        if _digit_count(match.group("ref")) >= 6:
            yield _Candidate(Category.FILE_NUMBER, *_strip_span(text, *match.span("ref")))
    for match in _DOCUMENT_CONTEXT_RE.finditer(text):
        if match.group("account") or match.group("konto"):
            group = "account" if match.group("account") else "konto"
            yield _Candidate(Category.ACCOUNT_NUMBER, *match.span(group))
            continue
        span = _trim_reference(text, *match.span("ref"), keep_letter=False)
        if span and _digit_count(text[span[0] : span[1]]) >= 5:
            category = (
                Category.ACCOUNT_NUMBER
                if match.group("kind").startswith(("Konto", "Bank", "Acc"))
                else (Category.ID_DOCUMENT)
            )
            yield _Candidate(category, *span)
    for match in _FOREIGN_PLATE_RE.finditer(text):
        yield _Candidate(Category.NUMBER_PLATE, *match.span("plate"))
    for match in _ID_SHAPE_RE.finditer(text):
        if _digit_count(match.group()) >= 2:
            yield _Candidate(Category.ID_DOCUMENT, *match.span())
    for match in _NUMBER_PLATE_RE.finditer(text):
        if match.group("district") in _NOT_DISTRICTS or match.group("letters") in _ROMAN_NUMERALS:
            continue
        yield _Candidate(Category.NUMBER_PLATE, *match.span())
