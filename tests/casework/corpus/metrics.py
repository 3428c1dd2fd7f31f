"""Quality figures of the anonymisation check on the labelled corpus.

The corpus in this folder consists of fictional German case texts: some with planted
identifiers (listed in ``labels.json``), some anonymised the way practice-day texts should be
(initials, age ranges, regions, month and year). The figures tell whether a change to
``casework.anonymisation`` lets identifiers through (recall) or blocks clean texts (false alarms).

Run ``python -m tests.casework.corpus.metrics`` from the project root to print them.
"""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from casework.anonymisation import Category, Finding, Severity, check_text

CORPUS_DIR = Path(__file__).resolve().parent

# Detectors may name an identifier differently from the label without it mattering for
# privacy: a date of birth reported as a date is still blocked.
_COMPATIBLE_GROUPS = (
    {Category.DATE, Category.DATE_OF_BIRTH},
    {Category.IBAN, Category.ACCOUNT_NUMBER},
    {Category.ADDRESS, Category.POSTCODE},
    {Category.URL, Category.SOCIAL_HANDLE},
    {Category.FILE_NUMBER, Category.ID_DOCUMENT},
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
    labels_per_category: Counter[Category] = field(default_factory=Counter)
    planted_per_category: Counter[Category] = field(default_factory=Counter)
    found_per_category: Counter[Category] = field(default_factory=Counter)
    missed: list[PlantedIdentifier] = field(default_factory=list)
    findings: int = 0
    true_positive_findings: int = 0
    false_positives: list[tuple[str, Finding]] = field(default_factory=list)
    blocking_false_alarms_clean: list[tuple[str, Finding]] = field(default_factory=list)
    warnings_clean: list[tuple[str, Finding]] = field(default_factory=list)

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


def compatible(label: Category, finding: Category) -> bool:
    return label == finding or any(label in group and finding in group for group in _COMPATIBLE_GROUPS)


def load_corpus(directory: Path = CORPUS_DIR) -> list[CorpusText]:
    """Read all texts with their labels; every occurrence of a label text is one planted identifier."""
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


def _detected(planted: PlantedIdentifier, findings: list[Finding]) -> bool:
    for finding in findings:
        overlaps = finding.start < planted.end and planted.start < finding.end
        if not overlaps or not compatible(planted.category, finding.category):
            continue
        if planted.category is Category.QUASI_IDENTIFIER or finding.severity is Severity.BLOCKING:
            return True
    return False


def evaluate_corpus(texts: list[CorpusText] | None = None) -> CorpusMetrics:
    """Recall over planted identifiers, precision over all findings, false alarms on clean texts."""
    metrics = CorpusMetrics()
    for corpus_text in load_corpus() if texts is None else texts:
        findings = check_text(corpus_text.text)
        if corpus_text.is_clean:
            metrics.clean_texts += 1
        else:
            metrics.planted_texts += 1
        labels = {(p.category, p.text) for p in corpus_text.planted}
        metrics.labels_per_category.update(category for category, _ in labels)
        for planted in corpus_text.planted:
            metrics.planted_per_category[planted.category] += 1
            if _detected(planted, findings):
                metrics.found_per_category[planted.category] += 1
            else:
                metrics.missed.append(planted)
        for finding in findings:
            metrics.findings += 1
            if any(p.start < finding.end and finding.start < p.end for p in corpus_text.planted):
                metrics.true_positive_findings += 1
            else:
                metrics.false_positives.append((corpus_text.filename, finding))
            if corpus_text.is_clean and finding.is_blocking:
                metrics.blocking_false_alarms_clean.append((corpus_text.filename, finding))
            elif corpus_text.is_clean:
                metrics.warnings_clean.append((corpus_text.filename, finding))
    return metrics


def format_report(metrics: CorpusMetrics) -> str:
    """Human-readable summary; shows only excerpts of the fictional corpus, never real case texts."""
    lines = [
        f"Texte: {metrics.planted_texts} mit eingebauten Identifikatoren, {metrics.clean_texts} bereinigt",
        "",
        f"{'Kategorie':<18} {'Labels':>6} {'Fundst.':>7} {'gefunden':>8} {'Recall':>7}",
    ]
    for category in Category:
        lines.append(
            f"{category.value:<18} {metrics.labels_per_category[category]:>6} "
            f"{metrics.planted_per_category[category]:>7} {metrics.found_per_category[category]:>8} "
            f"{metrics.category_recall(category):>7.3f}"
        )
    lines += [
        "",
        f"Recall gesamt:    {metrics.recall:.3f} ({metrics.found}/{metrics.planted})",
        f"Precision gesamt: {metrics.precision:.3f} ({metrics.true_positive_findings}/{metrics.findings})",
        f"Blockierende Fehlalarme in bereinigten Texten: {len(metrics.blocking_false_alarms_clean)}",
        f"Warnungen in bereinigten Texten: {len(metrics.warnings_clean)}",
    ]
    if metrics.missed:
        lines.append("")
        lines.append("Nicht gefunden:")
        lines += [f"  {p.filename}: {p.category.value} {p.text!r}" for p in metrics.missed]
    unlabelled = metrics.false_positives
    if unlabelled:
        lines.append("")
        lines.append("Fundstellen ohne Label:")
        lines += [f"  {name}: {f.severity.value} {f.category.value} {f.excerpt!r}" for name, f in unlabelled]
    return "\n".join(lines)


if __name__ == "__main__":
    print(format_report(evaluate_corpus()))
