import pytest
from django.utils import translation

from casework.selectors import approved_case_examples
from events.documents import selectors
from kokportal.federal_states import FederalState
from participants.enums import RegistrationStatus
from tests.factories import EventFactory, RegistrationFactory, speaker_on

from .factories import (
    AnswerFactory,
    DocSmallGroupFactory,
    DocWorkshopFactory,
    FeedbackResponseFactory,
    QuestionFactory,
    QuestionnaireFactory,
)

pytestmark = pytest.mark.django_db


def test_participation_counts_by_type_state_and_status(documented):
    figures = selectors.participation(documented.event)

    assert [(r.label, r.registered, r.confirmed, r.attended) for r in figures.by_type] == [
        ("Fachberatungsstelle", 3, 2, 2),
        ("BAMF-Sonderbeauftragte", 3, 2, 1),
    ]
    assert [(r.label, r.registered, r.confirmed, r.attended) for r in figures.by_state] == [
        ("Bayern", 2, 2, 1),
        ("Berlin", 2, 1, 1),
        ("Hamburg", 2, 1, 1),
    ]
    assert (figures.total.registered, figures.total.confirmed, figures.total.attended) == (6, 4, 3)
    assert figures.participants_figure == "attended"


def test_participation_type_labels_follow_the_language(documented):
    with translation.override("en"):
        figures = selectors.participation(documented.event)

    assert [r.label for r in figures.by_type] == ["Specialist counselling centre", "BAMF special officer"]


def test_participation_without_attendance_charts_confirmed(db):
    event = EventFactory()
    RegistrationFactory(event=event, status=RegistrationStatus.CONFIRMED, federal_state=FederalState.NW)

    figures = selectors.participation(event)

    assert figures.attendance_recorded is False
    assert figures.participants_figure == "confirmed"
    assert [(r.label, r.registered, r.confirmed, r.attended) for r in figures.by_state] == [
        ("Nordrhein-Westfalen", 1, 1, 0)
    ]


def test_documentation_feedback_is_the_results_selector_with_selected_texts(documented):
    """The PDF shows the figures of feedback.selectors.feedback_results, as the results page does."""
    feedback = selectors.event_documentation(event=documented.event).feedback

    assert (feedback.responses, feedback.invited, feedback.response_rate) == (4, 5, "80 %")
    assert (feedback.comparison_columns, feedback.comparison_rows) == ([], [])
    overall, again, technik, takeaway = feedback.questions
    assert (overall.question.text, overall.count, overall.mean_display, overall.hidden) == (
        "Wie zufrieden waren Sie insgesamt?",
        4,
        "4,0",
        False,
    )
    assert [(n, share) for _label, n, share in overall.distribution] == [
        (0, "0 %"),
        (0, "0 %"),
        (1, "25 %"),
        (2, "50 %"),
        (1, "25 %"),
    ]
    assert again.distribution == [("ja", 2, "67 %"), ("nein", 1, "33 %")]
    assert (technik.count, technik.hidden) == (2, True)
    assert [a.text for a in takeaway.texts] == ["Der persönliche Austausch war wertvoll."]


def test_documentation_feedback_without_questionnaire_is_none(db):
    assert selectors.event_documentation(event=EventFactory()).feedback is None


def test_approved_case_examples_only_approved_and_not_purged(documented):
    cases = selectors.case_example_texts(approved_case_examples(event=documented.event))

    assert [(c.title, c.text) for c in cases] == [("Fallbeispiel Gastronomie", "Herr T. arbeitete im Restaurant.")]


def test_event_documentation_without_workshops_or_feedback(db):
    event = EventFactory()

    documentation = selectors.event_documentation(event=event)

    assert documentation.workshops == []
    assert documentation.feedback is None
    assert documentation.case_examples is None
    assert documentation.has_group_results is False
    assert documentation.participation.total.registered == 0


def test_event_documentation_lists_only_groups_with_results(documented):
    documentation = selectors.event_documentation(
        event=documented.event, case_examples=approved_case_examples(event=documented.event)
    )

    (workshop,) = documentation.workshops
    assert (workshop.title, workshop.group_count) == ("Arbeitsgruppen an Fallbeispielen", 2)
    assert [(g.number, g.member_count, g.results, g.agreements) for g in workshop.groups] == [
        (1, 2, "Die Gruppe hat Indikatoren gesammelt.", "Feste Ansprechpersonen in der Außenstelle.")
    ]
    assert [c.title for c in documentation.case_examples] == ["Fallbeispiel Gastronomie"]


def _grow(event, *, registrations: int, groups: int, responses: int) -> None:
    workshop = DocWorkshopFactory(event=event)
    for index in range(groups):  # as many speakers as groups, every other one consenting
        speaker_on(workshop.programme_item, consented=bool(index % 2))
    for _ in range(groups):
        DocSmallGroupFactory(workshop=workshop)
    for _ in range(registrations):
        RegistrationFactory(event=event, status=RegistrationStatus.ATTENDED)
    questionnaire = QuestionnaireFactory(event=event)
    rating = QuestionFactory(questionnaire=questionnaire)
    text = QuestionFactory(questionnaire=questionnaire, kind="text")
    for index in range(responses):
        response = FeedbackResponseFactory(questionnaire=questionnaire)
        AnswerFactory(response=response, question=rating, rating=1 + index % 5)
        AnswerFactory(response=response, question=text, text=f"Text {index}", selected_for_documentation=index % 2)


# 2 prefetches on the event and 1 of the programme's consenting speakers, workshops + groups, participation,
# questionnaire + questions, answer counts, selected texts, materials (the case examples are read by the caller,
# casework.selectors).
DOCUMENTATION_QUERIES = 11


@pytest.mark.parametrize("size", [1, 40])
def test_event_documentation_query_count_does_not_grow(db, django_assert_num_queries, size):
    event = EventFactory()
    _grow(event, registrations=size, groups=size, responses=size)

    cases = approved_case_examples(event=event)
    with django_assert_num_queries(DOCUMENTATION_QUERIES):
        documentation = selectors.event_documentation(event=event, case_examples=cases)

    assert documentation.participation.total.registered == size
    assert documentation.feedback.responses == size
    assert len(documentation.speakers) == size // 2


def test_event_documentation_without_questionnaire_query_count(db, django_assert_num_queries):
    event = EventFactory()
    RegistrationFactory(event=event)
    DocSmallGroupFactory(workshop=DocWorkshopFactory(event=event))

    with django_assert_num_queries(DOCUMENTATION_QUERIES - 3):
        selectors.event_documentation(event=event)
