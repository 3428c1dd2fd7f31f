"""Quality figures of the anonymisation check, measured per planted detail.

The corpora are folders of fictional German case texts with a ``labels.json`` (file name -> planted details:
category and exact text; every occurrence of a label's text is one planted detail):

- ``tests/casework/corpus/``: the first corpus, written together with the first rules;
- ``tests/casework/corpus/blind/``: 66 texts written by someone who saw only the list of categories, never the
  rules (``blind/README.md``). This is the set the targets are measured on.

Figures:

- **recall per category, span level**: a planted detail counts as found only when one finding of a compatible
  category covers all of it (a finding on "Okafor" does not find "Blessing Okafor");
- **precision**: the share of findings that overlap a planted detail;
- **blocking findings and warnings on clean texts** (texts without planted details);
- **leaks after edit**: the editor blanks every flagged span and checks again; a text "leaks" when it then passes
  (no blocking finding) while a planted detail is still in it.

Run ``python -m tests.casework.corpus.metrics [blind|first|holdout|all]`` from the project root to print them.
"""

from __future__ import annotations

import json
import sys
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from casework.anonymisation import Category, Finding, check_text

CORPUS_DIR = Path(__file__).resolve().parent
BLIND_DIR = CORPUS_DIR / "blind"
HOLDOUT_DIR = CORPUS_DIR / "holdout"

# Detectors may name an identifier differently from the label without it mattering for privacy: a date of birth
# reported as a date is still blocked, a counselling centre reported as an organisation is still marked.
_COMPATIBLE_GROUPS = (
    {Category.DATE, Category.DATE_OF_BIRTH},
    {Category.IBAN, Category.ACCOUNT_NUMBER},
    {Category.ADDRESS, Category.POSTCODE},
    {Category.URL, Category.SOCIAL_HANDLE, Category.EMAIL},
    {Category.FILE_NUMBER, Category.ID_DOCUMENT, Category.ACCOUNT_NUMBER},
    {Category.ORGANISATION, Category.INSTITUTION},
    {Category.PLACE, Category.INSTITUTION, Category.ORGANISATION, Category.POSTCODE, Category.ADDRESS},
    {Category.QUASI_IDENTIFIER, Category.DATE_OF_BIRTH},
)


@dataclass(frozen=True)
class PlantedIdentifier:
    """One occurrence of a labelled identifier in a corpus text."""

    filename: str
    category: Category
    start: int
    end: int
    text: str


@dataclass
class CorpusText:
    filename: str
    text: str
    planted: list[PlantedIdentifier]

    @property
    def is_clean(self) -> bool:
        return not self.planted


@dataclass
class CorpusMetrics:
    planted_texts: int = 0
    clean_texts: int = 0
    planted_per_category: Counter[Category] = field(default_factory=Counter)
    found_per_category: Counter[Category] = field(default_factory=Counter)
    missed: list[PlantedIdentifier] = field(default_factory=list)
    findings: int = 0
    true_positive_findings: int = 0
    false_positives: list[tuple[str, Finding]] = field(default_factory=list)
    blocking_clean: list[tuple[str, Finding]] = field(default_factory=list)
    warnings_clean: list[tuple[str, Finding]] = field(default_factory=list)
    leaks_after_edit: list[tuple[str, list[PlantedIdentifier]]] = field(default_factory=list)
    # Findings left after the author took every suggestion ("Frau O.", "im Frühjahr 2019"): a suggestion must pass.
    findings_after_suggestions: list[tuple[str, Finding]] = field(default_factory=list)

    @property
    def planted(self) -> int:
        return sum(self.planted_per_category.values())

    @property
    def found(self) -> int:
        return sum(self.found_per_category.values())

    @property
    def recall(self) -> float:
        return self.found / self.planted if self.planted else 1.0

    @property
    def precision(self) -> float:
        return self.true_positive_findings / self.findings if self.findings else 1.0

    def category_recall(self, category: Category) -> float:
        planted = self.planted_per_category[category]
        return self.found_per_category[category] / planted if planted else 1.0

    @property
    def warnings_per_clean_text(self) -> float:
        return len(self.warnings_clean) / self.clean_texts if self.clean_texts else 0.0


def compatible(label: Category, finding: Category) -> bool:
    return label == finding or any(label in group and finding in group for group in _COMPATIBLE_GROUPS)


def load_corpus(directory: Path = CORPUS_DIR) -> list[CorpusText]:
    """Read all texts of ``directory`` with their labels; every occurrence of a label text is one planted detail."""
    labels = json.loads((directory / "labels.json").read_text(encoding="utf-8"))
    texts = []
    for path in sorted(directory.glob("*.txt")):
        text = path.read_text(encoding="utf-8")
        planted = []
        for label in labels[path.name]:
            category = Category(label["category"])
            position = text.find(label["text"])
            if position < 0:
                raise ValueError(f"{path.name}: label {label['text']!r} does not occur in the text")
            while position >= 0:
                end = position + len(label["text"])
                planted.append(PlantedIdentifier(path.name, category, position, end, label["text"]))
                position = text.find(label["text"], end)
        texts.append(CorpusText(path.name, text, planted))
    unlabelled = set(labels) - {text.filename for text in texts}
    if unlabelled:
        raise ValueError(f"labels.json names missing files: {sorted(unlabelled)}")
    return texts


def covers(finding: Finding, planted: PlantedIdentifier) -> bool:
    return finding.start <= planted.start and planted.end <= finding.end


def _found(planted: PlantedIdentifier, findings: list[Finding]) -> bool:
    return any(covers(f, planted) and compatible(planted.category, f.category) for f in findings)


def blank(text: str, findings: list[Finding], *, suggestions: bool = False) -> str:
    """The text as an editor leaves it who removes every flagged span (replaced by a neutral placeholder), or with
    *suggestions* who takes every suggestion (and removes what has none)."""
    pieces, position = [], 0
    for finding in sorted(findings, key=lambda f: f.start):
        if finding.start < position:
            continue
        pieces += [text[position : finding.start], (finding.suggestion if suggestions else "") or "[…]"]
        position = finding.end
    pieces.append(text[position:])
    return "".join(pieces)


def evaluate_corpus(texts: list[CorpusText] | None = None) -> CorpusMetrics:
    """Span-level recall per category, precision over all findings, clean-text alarms and leaks after edit."""
    metrics = CorpusMetrics()
    for corpus_text in load_corpus() if texts is None else texts:
        findings = check_text(corpus_text.text)
        if corpus_text.is_clean:
            metrics.clean_texts += 1
        else:
            metrics.planted_texts += 1
        for planted in corpus_text.planted:
            metrics.planted_per_category[planted.category] += 1
            if _found(planted, findings):
                metrics.found_per_category[planted.category] += 1
            else:
                metrics.missed.append(planted)
        for finding in findings:
            metrics.findings += 1
            if any(p.start < finding.end and finding.start < p.end for p in corpus_text.planted):
                metrics.true_positive_findings += 1
            else:
                metrics.false_positives.append((corpus_text.filename, finding))
            if corpus_text.is_clean:
                (metrics.blocking_clean if finding.is_blocking else metrics.warnings_clean).append(
                    (corpus_text.filename, finding)
                )
        if corpus_text.planted:
            edited = blank(corpus_text.text, findings)
            remaining = [p for p in corpus_text.planted if p.text in edited]
            if remaining and not any(f.is_blocking for f in check_text(edited)):
                metrics.leaks_after_edit.append((corpus_text.filename, remaining))
            suggested = blank(corpus_text.text, findings, suggestions=True)
            metrics.findings_after_suggestions += [(corpus_text.filename, f) for f in check_text(suggested)]
    return metrics


def format_report(metrics: CorpusMetrics, *, title: str = "") -> str:
    """Human-readable summary; shows only excerpts of the fictional corpus, never real case texts."""
    lines = [title] if title else []
    lines += [
        f"Texte: {metrics.planted_texts} mit eingebauten Details, {metrics.clean_texts} bereinigt",
        "",
        f"{'Kategorie':<18} {'Details':>7} {'gefunden':>8} {'Recall':>7}",
    ]
    for category in Category:
        if metrics.planted_per_category[category]:
            lines.append(
                f"{category.value:<18} {metrics.planted_per_category[category]:>7} "
                f"{metrics.found_per_category[category]:>8} {metrics.category_recall(category):>7.3f}"
            )
    lines += [
        "",
        f"Recall gesamt:    {metrics.recall:.3f} ({metrics.found}/{metrics.planted})",
        f"Precision gesamt: {metrics.precision:.3f} ({metrics.true_positive_findings}/{metrics.findings})",
        f"Blockierende Fundstellen in bereinigten Texten: {len(metrics.blocking_clean)}",
        f"Warnungen in bereinigten Texten: {len(metrics.warnings_clean)} "
        f"({metrics.warnings_per_clean_text:.2f} je Text)",
        f"Lecks nach Bearbeitung: {len(metrics.leaks_after_edit)} von {metrics.planted_texts} Texten",
        f"Fundstellen nach Übernahme aller Vorschläge: {len(metrics.findings_after_suggestions)}",
    ]
    if metrics.missed:
        lines += ["", "Nicht (ganz) gefunden:"]
        lines += [f"  {p.filename}: {p.category.value} {p.text!r}" for p in metrics.missed]
    if metrics.leaks_after_edit:
        lines += ["", "Lecks nach Bearbeitung (bestanden, obwohl noch enthalten):"]
        lines += [f"  {name}: {', '.join(repr(p.text) for p in rest)}" for name, rest in metrics.leaks_after_edit]
    if metrics.findings_after_suggestions:
        lines += ["", "Fundstellen nach Übernahme aller Vorschläge:"]
        lines += [f"  {name}: {f.category.value} {f.excerpt!r}" for name, f in metrics.findings_after_suggestions]
    alarms = metrics.blocking_clean + metrics.warnings_clean
    if alarms:
        lines += ["", "Fundstellen in bereinigten Texten:"]
        lines += [f"  {name}: {f.severity.value} {f.category.value} {f.excerpt!r}" for name, f in alarms]
    return "\n".join(lines)


def corpora(which: str) -> list[tuple[str, Path]]:
    return {
        "first": [("Erster Korpus", CORPUS_DIR)],
        "blind": [("Blinder Korpus", BLIND_DIR)],
        "holdout": [("Zurückgehaltener Korpus", HOLDOUT_DIR)],
        "all": [("Erster Korpus", CORPUS_DIR), ("Blinder Korpus", BLIND_DIR)],
    }[which]


if __name__ == "__main__":
    import os

    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tests.settings")
    django.setup()
    for title, directory in corpora(sys.argv[1] if len(sys.argv) > 1 else "blind"):
        print(format_report(evaluate_corpus(load_corpus(directory)), title=f"== {title} ==="))
        print()
