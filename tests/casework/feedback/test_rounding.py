"""One rounding rule for every figure of the feedback: the results page, the CSV export and the documentation PDF
show the same numbers, rounded half up (kokportal.formatting), never cut off and never rounded half to even."""

import csv
import io
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import translation

from casework.feedback import services
from casework.feedback.models import FeedbackInvitation
from events.documents import pdfs
from kokportal.formatting import format_decimal, format_percent, round_half_up
from participants.enums import RegistrationStatus
from tests.casework.feedback.factories import ended_event, submit
from tests.events.documents.conftest import pdf_text
from tests.factories import RegistrationFactory

pytestmark = pytest.mark.django_db

# Eight answers to "overall": one 1, one 2, two 3, three 4, one 5 -> sum 26, mean 3.25.
OVERALL = [1, 2, 3, 3, 4, 4, 4, 5]
# Three "yes" of eight: 37.5 % and 62.5 %.
REGIONAL = [True, True, True, False, False, False, False, False]


@pytest.mark.parametrize(
    ("value", "places", "expected"),
    [
        (3.25, 1, Decimal("3.3")),  # half up; half to even would give 3.2, cutting off 3.2
        (3.35, 1, Decimal("3.4")),  # the float 3.35 is 3.34999…: rounded from its shortest repr, not its binary value
        (12.5, 0, Decimal("13")),
        (62.5, 0, Decimal("63")),
        (21.6, 0, Decimal("22")),
        (4.0, 1, Decimal("4.0")),
    ],
)
def test_round_half_up(value, places, expected):
    assert round_half_up(value, places) == expected


def test_format_in_the_current_language():
    with translation.override("de"):
        assert (format_decimal(3.25, 1), format_percent(1, 8), format_percent(0, 0)) == ("3,3", "13 %", "–")
    with translation.override("en"):
        assert (format_decimal(3.25, 1), format_percent(5, 8)) == ("3.3", "63 %")


@pytest.fixture
def rounded(db):
    """Eight anonymous answers from eleven invited people: every figure has a half to round."""
    event = ended_event(title="Praxisfachtag Rundung", slug="rundung")
    questionnaire = services.questionnaire_ensure_default(event=event)
    for overall, regional in zip(OVERALL, REGIONAL, strict=True):
        submit(questionnaire, overall=overall, regional_meetings=regional)
    for _ in range(3):  # invited, not answered
        FeedbackInvitation.objects.create(
            questionnaire=questionnaire,
            registration=RegistrationFactory(event=event, status=RegistrationStatus.ATTENDED),
            token_hash=services.hash_token(services.new_token()),
        )
    return questionnaire


# The figures and how each of them is rounded: mean 26 / 8 = 3.25 -> 3,3; shares 1/8 = 12.5 % -> 13 %,
# 2/8 = 25 %, 3/8 = 37.5 % -> 38 %, 5/8 = 62.5 % -> 63 %; response rate 8/11 = 72.7 % -> 73 %.
MEAN = "3,3"
OVERALL_ROWS = [
    ("1 – sehr schlecht", "1", "13 %"),
    ("2", "1", "13 %"),
    ("3", "2", "25 %"),
    ("4", "3", "38 %"),
    ("5 – sehr gut", "1", "13 %"),
]
REGIONAL_ROWS = [("ja", "3", "38 %"), ("nein", "5", "63 %")]


def test_rounding_page_csv_and_pdf_show_the_same_figures(staff_client, rounded):
    event = rounded.event
    page = " ".join(staff_client.get(reverse("feedback:results", kwargs={"slug": event.slug})).text.split())
    export = staff_client.get(reverse("feedback:results_csv", kwargs={"slug": event.slug})).content.decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(export), delimiter=";"))
    document = pdf_text(pdfs.documentation_pdf(event=event, lang="de").content)

    # The page.
    overall = page.split('data-key="overall"')[1].split("</article>")[0]
    assert f'8 Antworten · Mittelwert <strong class="feedback-mean">{MEAN}</strong>' in overall
    for label, number, share in OVERALL_ROWS:
        assert f">{label}</text>" in overall
        assert f">{number} ({share})</text>" in overall
    regional = page.split('data-key="regional_meetings"')[1].split("</article>")[0]
    assert "Ja: <strong>38 %</strong> (3) · Nein: <strong>63 %</strong> (5)" in regional
    assert '<dd class="col-sm-8" data-figure="answered">8 (73 %)</dd>' in page

    # The CSV: key, question, kind, answers, mean, answer, number, share.
    by_key = {}
    for row in rows[1:]:
        by_key.setdefault(row[0], []).append(row)
    assert [(r[4], r[5], r[6], r[7]) for r in by_key["overall"]] == [(MEAN, *row) for row in OVERALL_ROWS]
    assert [(r[5], r[6], r[7]) for r in by_key["regional_meetings"]] == REGIONAL_ROWS

    # The documentation PDF.
    assert "8 Rückmeldungen von 11 eingeladenen Teilnehmer*innen (73 %)." in document
    assert f"8 Antworten · Durchschnitt {MEAN} auf einer Skala von 1 (sehr schlecht) bis 5 (sehr gut)" in document
    for label, number, share in OVERALL_ROWS:
        assert f"{label} {number} ({share})" in document
    assert "ja 3 (38 %) nein 5 (63 %)" in document


def test_rounding_comparison_uses_the_same_rule(staff_client, rounded):
    earlier = services.questionnaire_ensure_default(event=ended_event(days_ago=400, slug="frueher", title="Früher"))
    earlier.open_days = 401
    earlier.save()
    for overall in (3, 3, 4, 3):  # 13 / 4 = 3.25
        submit(earlier, overall=overall)
    page = " ".join(staff_client.get(reverse("feedback:results", kwargs={"slug": "rundung"})).text.split())
    row = page.split('<tr data-key="overall">')[1].split("</tr>")[0]
    cells = [cell.split("</td>")[0] for cell in row.split("<td>")[1:]]
    assert cells == [
        f'{MEAN} <span class="small text-body-secondary">(n = 4)</span>',
        f'{MEAN} <span class="small text-body-secondary">(n = 8)</span>',
    ]
