import pytest
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from casework.feedback import services
from casework.feedback.enums import QuestionKind as K
from casework.feedback.models import Answer, FeedbackResponse, Question
from tests.casework.feedback.factories import ended_event, invitation_with_token

pytestmark = pytest.mark.django_db


def url(token: str) -> str:
    return reverse("feedback:answer", kwargs={"token": token})


def field(questionnaire, key: str) -> str:
    return f"q_{questionnaire.questions.get(key=key).pk}"


def test_answer_page_shows_the_questions_accessibly(client, questionnaire):
    _invitation, token = invitation_with_token(questionnaire)
    response = client.get(url(token))
    assert response.status_code == 200
    html = " ".join(response.content.decode().split())
    assert "<h1>Ihre Rückmeldung</h1>" in html
    assert html.count("<fieldset") == 8  # seven ratings and the yes / no question
    assert html.count("<legend") == 8
    assert 'Wie bewerten Sie den Praxisfachtag insgesamt?<span class="asteriskField">*</span>' in html
    overall = field(questionnaire, "overall")
    assert f'<label for="id_{overall}_0" class="form-check-label"> 1 – sehr schlecht </label>' in html
    # Each rating question is labelled on the scale its wording asks for.
    inputs = field(questionnaire, "inputs")
    assert f'<label for="id_{inputs}_0" class="form-check-label"> 1 – gar nicht hilfreich </label>' in html
    assert f'<label for="id_{inputs}_4" class="form-check-label"> 5 – sehr hilfreich </label>' in html
    contacts = field(questionnaire, "contacts")
    assert f'<label for="id_{contacts}_0" class="form-check-label"> 1 – trifft gar nicht zu </label>' in html
    assert "sehr schlecht“, 5 bedeutet" not in html
    helped = field(questionnaire, "helped")
    assert f'<label for="id_{helped}" class="form-label"> Was war für Ihre Arbeit besonders hilfreich? </label>' in html
    assert '<meta name="robots" content="noindex, nofollow">' in html
    assert "style=" not in html
    assert response["Cache-Control"] == "max-age=0, no-cache, no-store, must-revalidate, private"


def test_answer_page_in_english(client, questionnaire):
    _invitation, token = invitation_with_token(questionnaire)
    client.cookies["django_language"] = "en"
    response = client.get(url(token))
    assert "How would you rate the practice day overall?" in response.content.decode()


def test_answer_submit_stores_once_and_thanks(client, questionnaire):
    invitation, token = invitation_with_token(questionnaire)
    data = {
        field(questionnaire, "overall"): "5",
        field(questionnaire, "exchange"): "4",
        field(questionnaire, "regional_meetings"): "yes",
        field(questionnaire, "helped"): "Die Kleingruppe am Fallbeispiel.",
    }
    response = client.post(url(token), data)
    assert response.status_code == 302
    assert response["Location"] == reverse("feedback:thanks")
    assert "Vielen Dank für Ihre Rückmeldung!" in client.get(response["Location"]).content.decode()
    answers = {a.question.key: (a.rating, a.yes_no, a.text) for a in Answer.objects.select_related("question")}
    assert answers == {
        "overall": (5, None, ""),
        "exchange": (4, None, ""),
        "regional_meetings": (None, True, ""),
        "helped": (None, None, "Die Kleingruppe am Fallbeispiel."),
    }
    # A second visit and a second submit say the link was used; nothing is stored twice.
    again = client.get(url(token))
    assert again.status_code == 200
    assert "Mit diesem Link wurde bereits eine Rückmeldung abgegeben." in again.content.decode()
    resubmitted = client.post(url(token), data)
    assert resubmitted.status_code == 200
    assert "Mit diesem Link wurde bereits eine Rückmeldung abgegeben." in resubmitted.content.decode()
    assert (FeedbackResponse.objects.count(), Answer.objects.count()) == (1, 4)


def test_answer_unknown_link_is_404_with_a_clear_message(client):
    response = client.get(url(services.new_token()))
    assert response.status_code == 404
    assert "Dieser Link ist ungültig." in response.content.decode()


def test_answer_malformed_link_is_404(client):
    assert client.get("/rueckmeldung/kurz/").status_code == 404
    assert client.get("/rueckmeldung/" + "a" * 43 + "%27%3B/").status_code == 404


def test_answer_closed_window_is_410_with_a_clear_message(client):
    questionnaire = services.questionnaire_ensure_default(event=ended_event(days_ago=30))
    _invitation, token = invitation_with_token(questionnaire)
    response = client.get(url(token))
    assert response.status_code == 410
    assert "Rückmeldungen zu dieser Veranstaltung sind nicht mehr möglich." in response.content.decode()


def test_answer_missing_required_shows_the_error_and_stores_nothing(client, questionnaire):
    invitation, token = invitation_with_token(questionnaire)
    response = client.post(url(token), {field(questionnaire, "exchange"): "4"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "Bitte wählen Sie einen Wert von 1 bis 5." in html
    assert FeedbackResponse.objects.count() == 0
    invitation.refresh_from_db()
    assert invitation.answered is False
    # The answer already given is kept in the form.
    assert f'name="{field(questionnaire, "exchange")}" value="4"' in html.replace(" checked", "")


@pytest.mark.parametrize("value", ["0", "6", "-1", "4.5", "fünf", ""])
def test_answer_rating_out_of_range_is_a_form_error(client, questionnaire, value):
    _invitation, token = invitation_with_token(questionnaire)
    response = client.post(url(token), {field(questionnaire, "overall"): value})
    assert response.status_code == 200
    assert "Bitte wählen Sie einen Wert von 1 bis 5." in response.content.decode()
    assert FeedbackResponse.objects.count() == 0


def test_answer_tampered_question_id_is_refused_with_a_clear_message(client, questionnaire):
    other = services.questionnaire_ensure_default(event=ended_event(slug="anderer-tag"))
    _invitation, token = invitation_with_token(questionnaire)
    response = client.post(
        url(token), {field(questionnaire, "overall"): "5", field(other, "overall"): "1", "q_999999": "1"}
    )
    assert response.status_code == 200
    assert (
        "Der Fragebogen wurde inzwischen geändert oder die Antworten passen nicht zu ihm." in response.content.decode()
    )
    assert FeedbackResponse.objects.count() == 0


def test_answer_single_choice_by_index(client, questionnaire):
    question = Question.objects.create(
        questionnaire=questionnaire, key="role", kind=K.SINGLE_CHOICE, text="Ihre Rolle", choices=["FBS", "BAMF"]
    )
    _invitation, token = invitation_with_token(questionnaire)
    bad = client.post(url(token), {field(questionnaire, "overall"): "4", f"q_{question.pk}": "2"})
    assert "Bitte wählen Sie eine der Antworten." in bad.content.decode()
    client.post(url(token), {field(questionnaire, "overall"): "4", f"q_{question.pk}": "1"})
    assert Answer.objects.get(question=question).choice == "BAMF"


def test_answer_text_too_long_is_a_form_error(client, questionnaire):
    _invitation, token = invitation_with_token(questionnaire)
    response = client.post(
        url(token), {field(questionnaire, "overall"): "4", field(questionnaire, "helped"): "x" * 5001}
    )
    assert "höchstens 5000 Zeichen" in response.content.decode()
    assert FeedbackResponse.objects.count() == 0


def test_answer_window_closing_between_page_and_submit(client, questionnaire, monkeypatch):
    _invitation, token = invitation_with_token(questionnaire)
    assert client.get(url(token)).status_code == 200
    questionnaire.open_days = 0
    questionnaire.save()
    response = client.post(url(token), {field(questionnaire, "overall"): "4"})
    assert response.status_code == 410
    assert FeedbackResponse.objects.count() == 0


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    data=st.dictionaries(
        st.one_of(st.sampled_from(["q_1", "q_999", "q_x", "q_", "csrfmiddlewaretoken"]), st.text(max_size=8)),
        st.one_of(st.text(max_size=30), st.sampled_from(["1", "5", "yes", "no", "0", "99999999999999999999"])),
        max_size=6,
    )
)
def test_answer_any_post_never_fails_with_500(client, questionnaire, data):
    _invitation, token = invitation_with_token(questionnaire)
    response = client.post(url(token), data)
    assert response.status_code in (200, 302)
