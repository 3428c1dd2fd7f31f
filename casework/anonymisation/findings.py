"""What the check reports: categories, severities, findings, and how overlapping hits are merged."""

from __future__ import annotations

import enum
from dataclasses import dataclass
from typing import NamedTuple

from django.utils.translation import gettext_lazy


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
                Category.INSTITUTION,
                Category.ORGANISATION,
                Category.PLACE,
                Category.NAME,
                Category.QUASI_IDENTIFIER,
            ]
        )
    )
}


def merge(text: str, candidates: list[_Candidate]) -> list[Finding]:
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
        start = cluster[0].start
        end = max(c.end for c in cluster)
        # The hit that spans the whole passage names it ("Jugendamt Diepholz" is an institution, although
        # "Diepholz" alone is a place); among equals the most specific category.
        best = max(cluster, key=lambda c: (c.start == start and c.end == end, _PRIORITY[c.category]))
        severity = Severity.BLOCKING if any(c.severity is Severity.BLOCKING for c in cluster) else Severity.WARNING
        findings.append(Finding(best.category, start, end, text[start:end], severity))
    return findings
