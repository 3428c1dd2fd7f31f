"""The results as CSV for staff: one row per possible answer (rating value, yes / no, choice) and one row per
free text. The same rule as on the results page: below the minimum number of answers a question's
distribution is left out."""

from __future__ import annotations

import csv
import io

from django.utils import formats
from django.utils.translation import gettext as _

from casework.enums import QuestionKind

from .selectors import MIN_ANSWERS, FeedbackResults

K = QuestionKind
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def _safe(value) -> str:
    """Neutralise spreadsheet formulas (CSV injection): a cell never starts with =, +, -, @."""
    value = "" if value is None else str(value)
    return "'" + value if value.startswith(FORMULA_PREFIXES) else value


def results_rows(results: FeedbackResults) -> tuple[list[str], list[list[str]]]:
    header = [
        _("Schlüssel"),
        _("Frage"),
        _("Art"),
        _("Antworten"),
        _("Mittelwert"),
        _("Antwort"),
        _("Anzahl"),
        _("Anteil"),
        _("für die Dokumentation ausgewählt"),
    ]
    rows = []
    for result in results.questions:
        question = result.question
        base = [question.key, question.display_text, question.get_kind_display(), str(result.count)]
        mean = formats.number_format(result.mean, 2) if result.mean is not None else ""
        if result.kind == K.TEXT:
            for answer in result.texts:
                rows.append(
                    [*base, "", answer.text, "1", "", _("ja") if answer.selected_for_documentation else _("nein")]
                )
        elif result.hidden:
            rows.append(
                [*base, "", _("weniger als %(min)d Antworten: nicht ausgewertet") % {"min": MIN_ANSWERS}, "", "", ""]
            )
        else:
            for label, number, share in result.distribution:
                rows.append([*base, mean, label, str(number), share, ""])
    return header, [[_safe(cell) for cell in row] for row in rows]


def results_csv(results: FeedbackResults) -> bytes:
    header, rows = results_rows(results)
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";")
    writer.writerow(header)
    writer.writerows(rows)
    # BOM so that spreadsheet programs read the umlauts correctly.
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")
