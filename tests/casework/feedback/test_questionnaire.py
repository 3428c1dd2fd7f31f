import pytest

from casework.feedback import services
from casework.feedback.enums import QuestionKind as K
from casework.feedback.enums import RatingScale as S
from casework.feedback.models import Question, Questionnaire
from tests.factories import EventFactory

pytestmark = pytest.mark.django_db

DEFAULT_KEYS = [
    "overall",
    "exchange",
    "inputs",
    "case_work",
    "organisation",
    "format",
    "contacts",
    "regional_meetings",
    "helped",
    "improve",
    "topics",
]


def test_questionnaire_ensure_default_creates_the_default_questions_in_order():
    event = EventFactory()
    questionnaire = services.questionnaire_ensure_default(event=event)
    questions = list(questionnaire.questions.order_by("position"))
    assert [q.key for q in questions] == DEFAULT_KEYS
    assert [q.position for q in questions] == [10, 20, 30, 40, 50, 60, 70, 80, 90, 100, 110]
    assert [q.kind for q in questions] == [K.RATING] * 7 + [K.YES_NO] + [K.TEXT] * 3
    # Each rating question on the scale its wording asks for ("Wie hilfreich …?": gar nicht – sehr hilfreich).
    assert [q.scale for q in questions if q.kind == K.RATING] == [
        S.QUALITY,
        S.VALUE,
        S.HELPFULNESS,
        S.HELPFULNESS,
        S.SATISFACTION,
        S.SUITABILITY,
        S.AGREEMENT,
    ]
    assert [q.key for q in questions if q.required] == ["overall"]
    assert all(q.text and q.text_en and q.choices == [] for q in questions)
    assert (questionnaire.open_days, questionnaire.reminder_after_days) == (21, 7)


def test_questionnaire_ensure_default_asks_about_the_event_format():
    virtual = services.questionnaire_ensure_default(event=EventFactory(virtual=True))
    in_person = services.questionnaire_ensure_default(event=EventFactory())
    assert (
        virtual.questions.get(key="format").text == "Wie gut hat sich das virtuelle Format für den Austausch geeignet?"
    )
    assert (
        in_person.questions.get(key="format").text == "Wie gut hat sich das Präsenzformat für den Austausch geeignet?"
    )


def test_questionnaire_ensure_default_twice_keeps_staff_edits():
    event = EventFactory()
    questionnaire = services.questionnaire_ensure_default(event=event)
    questionnaire.questions.filter(key="topics").delete()
    questionnaire.questions.filter(key="overall").update(text="Wie war der Tag?")
    again = services.questionnaire_ensure_default(event=event)
    assert again.pk == questionnaire.pk
    assert Questionnaire.objects.count() == 1
    assert list(again.questions.values_list("key", flat=True)) == DEFAULT_KEYS[:-1]
    assert again.questions.get(key="overall").text == "Wie war der Tag?"


def test_questionnaire_add_default_questions_adds_only_missing_keys():
    questionnaire = services.questionnaire_ensure_default(event=EventFactory())
    Question.objects.filter(questionnaire=questionnaire, key__in=["helped", "improve"]).delete()
    added = services.questionnaire_add_default_questions(questionnaire=questionnaire)
    assert sorted(q.key for q in added) == ["helped", "improve"]
    assert questionnaire.questions.count() == 11


def test_question_display_text_follows_the_language():
    from django.utils import translation

    question = services.questionnaire_ensure_default(event=EventFactory()).questions.get(key="overall")
    assert question.display_text == "Wie bewerten Sie den Praxisfachtag insgesamt?"
    with translation.override("en"):
        assert question.display_text == "How would you rate the practice day overall?"
