import datetime as dt
import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.db import connection
from django.utils import timezone

from casework.feedback import errors, services
from casework.feedback.enums import QuestionKind as K
from casework.feedback.models import Answer, FeedbackInvitation, FeedbackResponse, Question
from tests.casework.feedback.factories import answers_by_key, ended_event, invitation_with_token

pytestmark = pytest.mark.django_db


def _stored() -> tuple[int, int]:
    return FeedbackResponse.objects.count(), Answer.objects.count()


def test_submit_stores_answers_and_marks_the_invitation_answered(questionnaire):
    invitation, token = invitation_with_token(questionnaire)
    response = services.feedback_submit(
        token=token,
        answers=answers_by_key(
            questionnaire,
            overall=5,
            exchange=4,
            regional_meetings=True,
            helped="  Der Austausch mit den Sonderbeauftragten.\r\nUnd die Pausen.  ",
            improve="",
            topics=None,
        ),
    )
    assert response.submitted_on == timezone.localdate()
    assert response.questionnaire == questionnaire
    stored = {
        a.question.key: (a.rating, a.yes_no, a.choice, a.text) for a in response.answers.select_related("question")
    }
    assert stored == {
        "overall": (5, None, "", ""),
        "exchange": (4, None, "", ""),
        "regional_meetings": (None, True, "", ""),
        "helped": (None, None, "", "Der Austausch mit den Sonderbeauftragten.\nUnd die Pausen."),
    }
    invitation.refresh_from_db()
    assert invitation.answered is True


def test_submit_single_choice_stores_the_choice_text(questionnaire):
    question = Question.objects.create(
        questionnaire=questionnaire, key="role", kind=K.SINGLE_CHOICE, text="Ihre Rolle", choices=["FBS", "BAMF"]
    )
    _invitation, token = invitation_with_token(questionnaire)
    services.feedback_submit(token=token, answers={**answers_by_key(questionnaire, overall=4), question.pk: "BAMF"})
    assert Answer.objects.get(question=question).choice == "BAMF"


def test_submit_twice_with_the_same_link_stores_once(questionnaire):
    _invitation, token = invitation_with_token(questionnaire)
    answers = answers_by_key(questionnaire, overall=4)
    services.feedback_submit(token=token, answers=answers)
    with pytest.raises(errors.LinkUsed):
        services.feedback_submit(token=token, answers=answers)
    assert _stored() == (1, 1)


def test_submit_unknown_link_is_refused(questionnaire):
    with pytest.raises(errors.InvalidLink):
        services.feedback_submit(token=services.new_token(), answers=answers_by_key(questionnaire, overall=4))
    assert _stored() == (0, 0)


@pytest.mark.parametrize(
    ("days_ago", "error"),
    [(22, errors.FeedbackClosed), (-1, errors.FeedbackNotYetOpen)],
)
def test_submit_outside_the_window_is_refused(days_ago, error):
    event = ended_event(days_ago=max(days_ago, 1))
    questionnaire = services.questionnaire_ensure_default(event=event)
    _invitation, token = invitation_with_token(questionnaire)
    now = event.ends_at - dt.timedelta(hours=1) if days_ago < 0 else None
    with pytest.raises(error):
        services.feedback_submit(token=token, answers=answers_by_key(questionnaire, overall=4), now=now)
    assert _stored() == (0, 0)


def test_submit_on_the_last_day_of_the_window_is_accepted():
    questionnaire = services.questionnaire_ensure_default(event=ended_event(days_ago=21))
    _invitation, token = invitation_with_token(questionnaire)
    services.feedback_submit(token=token, answers=answers_by_key(questionnaire, overall=4))
    assert _stored() == (1, 1)


def test_submit_to_a_cancelled_event_is_refused(questionnaire):
    _invitation, token = invitation_with_token(questionnaire)
    questionnaire.event.status = "cancelled"
    questionnaire.event.save()
    with pytest.raises(errors.FeedbackClosed):
        services.feedback_submit(token=token, answers=answers_by_key(questionnaire, overall=4))


@pytest.mark.parametrize(
    ("values", "message"),
    [
        ({"exchange": 4}, "Bitte beantworten Sie die Pflichtfrage „Wie bewerten Sie den Praxisfachtag insgesamt?“."),
        ({"overall": "  "}, "Bitte beantworten Sie die Pflichtfrage „Wie bewerten Sie den Praxisfachtag insgesamt?“."),
        (
            {"overall": 0},
            "Bitte bewerten Sie „Wie bewerten Sie den Praxisfachtag insgesamt?“ mit einem Wert von 1 bis 5.",
        ),
        (
            {"overall": 6},
            "Bitte bewerten Sie „Wie bewerten Sie den Praxisfachtag insgesamt?“ mit einem Wert von 1 bis 5.",
        ),
        (
            {"overall": True},
            "Bitte bewerten Sie „Wie bewerten Sie den Praxisfachtag insgesamt?“ mit einem Wert von 1 bis 5.",
        ),
        (
            {"overall": "5"},
            "Bitte bewerten Sie „Wie bewerten Sie den Praxisfachtag insgesamt?“ mit einem Wert von 1 bis 5.",
        ),
        (
            {"overall": 4, "regional_meetings": "ja"},
            "Bitte antworten Sie auf „Wünschen Sie sich regelmäßige regionale Vernetzungstreffen in Ihrem "
            "Bundesland?“ mit Ja oder Nein.",
        ),
        (
            {"overall": 4, "helped": "x" * 5001},
            "Ihre Antwort auf „Was war für Ihre Arbeit besonders hilfreich?“ ist zu lang (höchstens 5000 Zeichen).",
        ),
        (
            {"overall": 4, "helped": 42},
            "Ihre Antworten passen nicht zu diesem Fragebogen. Bitte laden Sie die Seite neu und füllen Sie den "
            "Fragebogen noch einmal aus.",
        ),
    ],
)
def test_submit_invalid_answers_store_nothing(questionnaire, values, message):
    invitation, token = invitation_with_token(questionnaire)
    with pytest.raises(errors.InvalidAnswers) as exc:
        services.feedback_submit(token=token, answers=answers_by_key(questionnaire, **values))
    assert str(exc.value.message) == message
    assert _stored() == (0, 0)
    invitation.refresh_from_db()
    assert invitation.answered is False


def test_submit_choice_not_offered_is_refused(questionnaire):
    question = Question.objects.create(
        questionnaire=questionnaire, key="role", kind=K.SINGLE_CHOICE, text="Ihre Rolle", choices=["FBS", "BAMF"]
    )
    _invitation, token = invitation_with_token(questionnaire)
    with pytest.raises(errors.InvalidAnswers, match="eine der angebotenen Antworten"):
        services.feedback_submit(token=token, answers={**answers_by_key(questionnaire, overall=4), question.pk: "LKA"})
    assert _stored() == (0, 0)


def test_submit_question_of_another_questionnaire_is_refused(questionnaire):
    other = services.questionnaire_ensure_default(event=ended_event(slug="anderer-tag"))
    _invitation, token = invitation_with_token(questionnaire)
    foreign = other.questions.get(key="exchange").pk
    with pytest.raises(errors.InvalidAnswers):
        services.feedback_submit(token=token, answers={**answers_by_key(questionnaire, overall=4), foreign: 5})
    with pytest.raises(errors.InvalidAnswers):
        services.feedback_submit(token=token, answers={**answers_by_key(questionnaire, overall=4), 999_999: 5})
    assert _stored() == (0, 0)


def test_submit_with_nothing_answered_is_refused(questionnaire):
    questionnaire.questions.update(required=False)
    _invitation, token = invitation_with_token(questionnaire)
    with pytest.raises(errors.InvalidAnswers, match="Bitte beantworten Sie mindestens eine Frage."):
        services.feedback_submit(token=token, answers={})
    assert _stored() == (0, 0)


@pytest.mark.concurrency
@pytest.mark.django_db(transaction=True)
def test_submit_in_parallel_with_the_same_link_stores_exactly_once():
    """Ten parallel submits of one link (double clicks, several tabs): the locked invitation row lets one
    through; the others wait, then see the link used. Each thread commits for real."""
    questionnaire = services.questionnaire_ensure_default(event=ended_event())
    _invitation, token = invitation_with_token(questionnaire)
    answers = answers_by_key(questionnaire, overall=5, helped="Der Austausch.")
    barrier = threading.Barrier(10)

    def submit(_):
        try:
            barrier.wait(timeout=30)
            services.feedback_submit(token=token, answers=answers)
            return "stored"
        except errors.LinkUsed:
            return "used"
        finally:
            connection.close()

    with ThreadPoolExecutor(max_workers=10) as pool:
        outcomes = sorted(pool.map(submit, range(10)))
    assert outcomes == ["stored"] + ["used"] * 9
    assert _stored() == (1, 2)
    assert FeedbackInvitation.objects.get().answered is True
