"""The results as CSV for staff: one row per possible answer (rating value, yes / no, choice) and one row per
free text. The same rule as on the results page: below the minimum number of answers a question's
distribution is left out."""

from __future__ import annotations

from django.utils.translation import gettext as _

from casework.feedback.enums import QuestionKind
from kokportal.exports import csv_bytes, spreadsheet_safe

from .selectors import MIN_ANSWERS, FeedbackResults

K = QuestionKind


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
        mean = result.mean_display
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
    return header, [[spreadsheet_safe(cell) for cell in row] for row in rows]


def results_csv(results: FeedbackResults) -> bytes:
    return csv_bytes(*results_rows(results))
