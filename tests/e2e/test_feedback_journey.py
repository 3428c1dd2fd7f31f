"""A participant answers the feedback questionnaire once through the personal link in a real browser; a
second visit says the link was used."""

import re

import pytest
from django.core import mail

from casework.feedback import services
from casework.feedback.models import Answer, FeedbackResponse
from participants.enums import RegistrationStatus
from tests.casework.feedback.factories import ended_event
from tests.factories import RegistrationFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_journey_answer_feedback_once_through_the_personal_link(page, live_server, tmp_path):
    event = ended_event(days_ago=2, title="Regionales Vernetzungstreffen Niedersachsen und Bremen", virtual=True)
    questionnaire = services.questionnaire_ensure_default(event=event)
    RegistrationFactory(event=event, status=RegistrationStatus.ATTENDED, first_name="Aylin", last_name="Weber")
    assert services.invitations_send(questionnaire=questionnaire) == 1
    link = re.search(r"http://127\.0\.0\.1:8000(/rueckmeldung/[A-Za-z0-9_-]{43}/)", mail.outbox[0].body).group(1)

    page.goto(link)
    assert page.get_by_role("heading", name="Ihre Rückmeldung").is_visible()
    # Sending without the required question shows the error next to it and stores nothing.
    page.get_by_role("button", name="Rückmeldung absenden").click()
    assert page.get_by_text("Bitte wählen Sie einen Wert von 1 bis 5.").is_visible()
    assert FeedbackResponse.objects.count() == 0

    page.get_by_role("group", name="Wie bewerten Sie den Praxisfachtag insgesamt?").get_by_label("4").check()
    page.get_by_role("group", name="Wie wertvoll waren für Sie der Austausch").get_by_label("5 – sehr wertvoll").check()
    page.get_by_role("group", name="Wünschen Sie sich regelmäßige regionale Vernetzungstreffen").get_by_label(
        "Ja"
    ).check()
    page.get_by_label("Was war für Ihre Arbeit besonders hilfreich?").fill(
        "Die Ansprechpartner*innen im BAMF kennenzulernen."
    )
    page.screenshot(path=str(tmp_path / "feedback-form.png"), full_page=True)
    page.get_by_role("button", name="Rückmeldung absenden").click()
    page.wait_for_url("**/rueckmeldung/danke/")
    assert page.get_by_role("heading", name="Vielen Dank für Ihre Rückmeldung!").is_visible()

    stored = {a.question.key: (a.rating, a.yes_no, a.text) for a in Answer.objects.select_related("question")}
    assert stored == {
        "overall": (4, None, ""),
        "exchange": (5, None, ""),
        "regional_meetings": (None, True, ""),
        "helped": (None, None, "Die Ansprechpartner*innen im BAMF kennenzulernen."),
    }

    page.goto(link)
    assert page.get_by_text("Mit diesem Link wurde bereits eine Rückmeldung abgegeben.").is_visible()
    assert page.get_by_role("button", name="Rückmeldung absenden").count() == 0
    assert FeedbackResponse.objects.count() == 1
