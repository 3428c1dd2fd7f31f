"""Anonymisation check for German case texts ("Fallbeispiele").

Case examples come from real counselling practice with people affected by human
trafficking. A text that lets a reader identify a victim must never reach the
participants of a practice day, so every text is checked before it is shown.

Design decisions:

* The check is rule based and runs without a network, a model or the database, so it can be
  used in forms, in the admin and from the ``check_case_text`` management command alike and
  behaves the same everywhere. It is deliberately biased towards reporting: a false alarm
  costs an editor a minute, a missed identifier can endanger a person.
* One module per detector family: ``names`` (given and family names of many countries, titles, names introduced
  as names, family-name-first orders), ``places`` (German municipalities and districts with their federal state,
  small places abroad after a preposition), ``organisations`` (companies by legal form or business noun, named
  shelters, counselling centres, youth welfare offices, police, courts), ``addresses``, ``contacts`` (phone,
  e-mail, URL, handles, IBAN), ``dates``, ``references`` (file, document, account numbers, plates) and
  ``combinations`` (exact ages, "the only one" of a group, a former profession). ``findings.merge`` joins
  overlapping candidates; ``suggestions`` proposes a generalisation for each finding ("Frau O.", "im Frühjahr
  2019", "einer Kleinstadt in Niedersachsen", "Anfang 20").
* Findings are *blocking* (a direct identifier, and the hard categories of ``Category.is_hard`` can only be
  removed, never dismissed) or *warnings* (an adult's exact age, a profession or a role without a place in the
  text).
* The word lists come from maintained datasets, reduced at build time by ``scripts/build_anonymisation_data.py``
  to compact files in ``data/`` (sources, versions and licences: ``lexicon.py`` and the README). Accents are
  folded ("Ionuț" = "Ionut"); a name that is a German word too ("Rose", "Wolf") counts only in a name context.
* Quality is measured per planted detail on corpora written blind (``tests/casework/corpus/``, figures in
  ``RESULTS.md``); speed in ``benchmarks/anonymisation.py``.
* The text itself and the excerpts are never logged: case texts must not end up in log files.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable

from .addresses import _find_addresses
from .bank import _find_bank_data
from .combinations import _find_quasi_identifiers, age_of, is_role
from .contacts import _find_online_contacts, _find_phone_numbers
from .dates import _find_dates
from .findings import HARD_CATEGORIES, Category, Finding, Severity, category_label, merge
from .html import highlight_html
from .names import _find_names
from .organisations import find_organisations
from .places import find_places
from .references import _find_references
from .suggestions import suggest
from .vocabulary import _CITY_RE

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

_DETECTORS = (
    _find_names,
    _find_phone_numbers,
    _find_online_contacts,
    _find_bank_data,
    _find_dates,
    _find_addresses,
    _find_references,
    find_places,
    find_organisations,
    _find_quasi_identifiers,
)


def check_text(text: str) -> list[Finding]:
    """Return the findings in *text*, sorted by position and without overlaps."""
    candidates = [candidate for detector in _DETECTORS for candidate in detector(text)]
    findings = _weigh_ages(
        text, merge(text, [candidate for candidate in candidates if candidate.end > candidate.start])
    )
    return [dataclasses.replace(finding, suggestion=suggest(finding, text)) for finding in findings]


_PLACE_CATEGORIES = frozenset({Category.PLACE, Category.ADDRESS, Category.POSTCODE, Category.INSTITUTION})


def _weigh_ages(text: str, findings: list[Finding]) -> list[Finding]:
    """An adult's exact age, a former profession or a role ("die einzige Objektleiterin der Firma") alone is a
    warning; with a place in the text (a town, an address, a named institution or a German city) it blocks. A
    minor's exact age always blocks: the youth welfare office knows every case."""
    located = any(finding.category in _PLACE_CATEGORIES for finding in findings) or bool(_CITY_RE.search(text))
    weighed = []
    for finding in findings:
        if finding.category is Category.QUASI_IDENTIFIER and not located:
            age = age_of(finding.excerpt)
            if (age is not None and age >= 18) or is_role(finding.excerpt):
                finding = dataclasses.replace(finding, severity=Severity.WARNING)
        weighed.append(finding)
    return weighed


def has_blocking(findings: Iterable[Finding]) -> bool:
    """True when at least one finding must be fixed before the text may be published."""
    return any(finding.is_blocking for finding in findings)
