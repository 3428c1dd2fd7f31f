import datetime as dt

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from casework.feedback import services
from casework.feedback.enums import QuestionKind as K
from casework.feedback.enums import RatingScale
from casework.feedback.models import FeedbackInvitation, Question, Questionnaire
from participants.enums import RegistrationStatus as S
from tests.casework.feedback.factories import ended_event, submit
from tests.factories import EventFactory, RegistrationFactory

pytestmark = pytest.mark.django_db

CHANGELIST = "admin:feedback_questionnaire_changelist"


def change_url(questionnaire) -> str:
    return reverse("admin:feedback_questionnaire_change", args=[questionnaire.pk])


def form_data(response) -> dict:
    """The POST data of an admin change form as the browser would send it unchanged."""
    data = {}

    def add(form):
        for name in form.fields:
            value = form[name].value()
            if isinstance(value, bool):
                if value:
                    data[form.add_prefix(name)] = "on"
            elif value is not None:
                data[form.add_prefix(name)] = value

    add(response.context["adminform"].form)
    for inline in response.context["inline_admin_formsets"]:
        formset = inline.formset
        for key, value in formset.management_form.initial.items():
            data[f"{formset.prefix}-{key}"] = value
        for form in formset.forms:
            add(form)
    return data


def _action(client, action, questionnaires):
    return client.post(
        reverse(CHANGELIST), {"action": action, "_selected_action": [q.pk for q in questionnaires]}, follow=True
    )


def test_admin_changelist_shows_counts_and_window(staff_client, questionnaire):
    submit(questionnaire, overall=4)
    response = staff_client.get(reverse(CHANGELIST))
    assert response.status_code == 200
    html = response.content.decode()
    closes = (questionnaire.event.date + dt.timedelta(days=21)).strftime("%d.%m.%Y")
    assert f"offen bis {closes}" in html
    assert '<td class="field-question_count">11</td>' in html
    assert '<td class="field-invited_count">1</td><td class="field-answered_count">1</td>' in html
    assert f'href="/rueckmeldung/auswertung/{questionnaire.event.slug}/"' in html


def test_admin_changelist_query_count(staff_client, django_assert_num_queries):
    services.questionnaire_ensure_default(event=ended_event(slug="eins"))
    with django_assert_num_queries(7) as one:
        staff_client.get(reverse(CHANGELIST))
    for n in range(8):
        questionnaire = services.questionnaire_ensure_default(event=ended_event(slug=f"tag-{n}"))
        submit(questionnaire, overall=3)
    with django_assert_num_queries(len(one.captured_queries)):
        staff_client.get(reverse(CHANGELIST))


def test_admin_add_questionnaire_without_questions_gets_the_defaults(staff_client):
    event = EventFactory()
    add_url = reverse("admin:feedback_questionnaire_add")
    data = form_data(staff_client.get(add_url))
    data.update({"event": event.pk, "open_days": 14, "reminder_after_days": 5})
    response = staff_client.post(add_url, data, follow=True)
    assert response.status_code == 200
    questionnaire = Questionnaire.objects.get(event=event)
    assert (questionnaire.open_days, questionnaire.reminder_after_days) == (14, 5)
    assert questionnaire.questions.count() == 11
    assert "Die Standardfragen wurden angelegt." in response.content.decode()


def test_admin_edit_questions_text_order_required_and_a_single_choice(staff_client, questionnaire):
    response = staff_client.get(change_url(questionnaire))
    data = form_data(response)
    forms = {form.instance.key: form.prefix for form in response.context["inline_admin_formsets"][0].formset.forms}
    data[f"{forms['overall']}-text"] = "Wie war der Tag insgesamt?"
    data[f"{forms['overall']}-position"] = 200
    data[f"{forms['exchange']}-required"] = "on"
    prefix = response.context["inline_admin_formsets"][0].formset.prefix
    data[f"{prefix}-TOTAL_FORMS"] = 12
    data.update(
        {
            f"{prefix}-11-position": 5,
            f"{prefix}-11-key": "role",
            f"{prefix}-11-kind": K.SINGLE_CHOICE,
            f"{prefix}-11-scale": RatingScale.QUALITY,  # preselected in the form; used by rating questions only
            f"{prefix}-11-text": "In welcher Rolle waren Sie dabei?",
            f"{prefix}-11-text_en": "",
            f"{prefix}-11-choices_lines": "Fachberatungsstelle\n\n BAMF \nJugendhilfe",
        }
    )
    response = staff_client.post(change_url(questionnaire), data)
    assert response.status_code == 302, response.context["inline_admin_formsets"][0].formset.errors
    keys = list(questionnaire.questions.order_by("position", "id").values_list("key", flat=True))
    assert keys[0] == "role"
    assert keys[-1] == "overall"
    assert questionnaire.questions.get(key="overall").text == "Wie war der Tag insgesamt?"
    assert questionnaire.questions.get(key="exchange").required is True
    assert questionnaire.questions.get(key="role").choices == ["Fachberatungsstelle", "BAMF", "Jugendhilfe"]


@pytest.mark.parametrize(
    ("kind", "lines", "error"),
    [
        (K.SINGLE_CHOICE, "nur eine", "Eine Auswahlfrage braucht mindestens zwei verschiedene Antworten."),
        (K.SINGLE_CHOICE, "gleich\ngleich", "Eine Auswahlfrage braucht mindestens zwei verschiedene Antworten."),
        (K.RATING, "a\nb", "Antwortmöglichkeiten gibt es nur bei Auswahlfragen."),
    ],
)
def test_admin_question_choices_are_checked(staff_client, questionnaire, kind, lines, error):
    response = staff_client.get(change_url(questionnaire))
    data = form_data(response)
    prefix = response.context["inline_admin_formsets"][0].formset.prefix
    data[f"{prefix}-TOTAL_FORMS"] = 12
    data.update(
        {
            f"{prefix}-11-position": 5,
            f"{prefix}-11-key": "neu",
            f"{prefix}-11-kind": kind,
            f"{prefix}-11-scale": RatingScale.QUALITY,
            f"{prefix}-11-text": "Neue Frage",
            f"{prefix}-11-choices_lines": lines,
        }
    )
    response = staff_client.post(change_url(questionnaire), data)
    assert response.status_code == 200
    assert error in response.content.decode()
    assert not Question.objects.filter(key="neu").exists()


def test_admin_question_with_answers_keeps_its_kind_and_cannot_be_deleted(staff_client, questionnaire):
    submit(questionnaire, overall=4)
    response = staff_client.get(change_url(questionnaire))
    forms = {form.instance.key: form.prefix for form in response.context["inline_admin_formsets"][0].formset.forms}
    data = form_data(response)
    data[f"{forms['overall']}-kind"] = K.YES_NO
    changed = staff_client.post(change_url(questionnaire), data)
    assert "Diese Frage hat schon Antworten; ihre Art lässt sich nicht mehr ändern." in changed.content.decode()
    data = form_data(response)
    data[f"{forms['overall']}-DELETE"] = "on"
    deleted = staff_client.post(change_url(questionnaire), data)
    assert "hat schon Antworten und kann nicht gelöscht werden" in deleted.content.decode()
    assert questionnaire.questions.get(key="overall").kind == K.RATING
    # A question nobody answered can go.
    data[f"{forms['overall']}-DELETE"] = ""
    del data[f"{forms['overall']}-DELETE"]
    data[f"{forms['topics']}-DELETE"] = "on"
    assert staff_client.post(change_url(questionnaire), data).status_code == 302
    assert not questionnaire.questions.filter(key="topics").exists()


def test_admin_question_scale_is_set_per_question_and_kept_once_answered(staff_client, questionnaire):
    response = staff_client.get(change_url(questionnaire))
    forms = {form.instance.key: form.prefix for form in response.context["inline_admin_formsets"][0].formset.forms}
    data = form_data(response)
    assert data[f"{forms['inputs']}-scale"] == RatingScale.HELPFULNESS
    data[f"{forms['overall']}-scale"] = RatingScale.SATISFACTION
    assert staff_client.post(change_url(questionnaire), data).status_code == 302
    assert questionnaire.questions.get(key="overall").scale == RatingScale.SATISFACTION
    # Once answered on a scale, the answers mean what that scale said: it cannot change any more.
    submit(questionnaire, overall=4)
    response = staff_client.get(change_url(questionnaire))
    data = form_data(response)
    data[f"{forms['overall']}-scale"] = RatingScale.QUALITY
    changed = staff_client.post(change_url(questionnaire), data)
    assert changed.status_code == 200
    assert "Diese Frage hat schon Antworten auf ihrer bisherigen Skala" in changed.content.decode()
    assert questionnaire.questions.get(key="overall").scale == RatingScale.SATISFACTION


def test_admin_action_sends_invitations(staff_client, questionnaire, django_capture_on_commit_callbacks):
    RegistrationFactory.create_batch(2, event=questionnaire.event, status=S.CONFIRMED)
    closed = services.questionnaire_ensure_default(event=ended_event(days_ago=40, slug="vorbei", title="Vorbei"))
    with django_capture_on_commit_callbacks(execute=True):
        response = _action(staff_client, "send_invitations", [questionnaire, closed])
    html = response.content.decode()
    assert f"{questionnaire.event}: 2 Einladungen werden verschickt." in html
    assert f"{closed.event}: Der Zeitraum für Rückmeldungen ist am" in html
    assert len(mail.outbox) == 2
    assert FeedbackInvitation.objects.filter(sent_at__isnull=False).count() == 2


def test_admin_action_sends_due_reminders(staff_client, django_capture_on_commit_callbacks):
    questionnaire = services.questionnaire_ensure_default(event=ended_event(days_ago=10))
    FeedbackInvitation.objects.create(
        questionnaire=questionnaire,
        registration=RegistrationFactory(event=questionnaire.event, status=S.ATTENDED),
        token_hash="a" * 64,
        sent_at=timezone.now() - dt.timedelta(days=8),
    )
    with django_capture_on_commit_callbacks(execute=True):
        response = _action(staff_client, "send_reminders", [questionnaire])
    assert f"{questionnaire.event}: 1 Erinnerung wird verschickt." in response.content.decode()
    assert mail.outbox[0].subject.startswith("[KOK-Praxisfachtag] Erinnerung:")


def test_admin_change_page_links_results_and_invitations(staff_client, questionnaire):
    html = staff_client.get(change_url(questionnaire)).content.decode()
    assert "0 eingeladen, 0 geantwortet; Zeitraum: offen bis" in html
    assert f'href="/rueckmeldung/auswertung/{questionnaire.event.slug}/">Auswertung ansehen</a>' in html
    assert f"?questionnaire__id__exact={questionnaire.pk}" in html


def test_admin_invitations_are_read_only(staff_client, questionnaire):
    invitation = FeedbackInvitation.objects.create(
        questionnaire=questionnaire,
        registration=RegistrationFactory(event=questionnaire.event, first_name="Aylin", last_name="Weber"),
        token_hash="b" * 64,
    )
    listing = staff_client.get(reverse("admin:feedback_feedbackinvitation_changelist"))
    assert "Aylin Weber" in listing.content.decode()
    assert staff_client.get(reverse("admin:feedback_feedbackinvitation_add")).status_code == 403
    detail = staff_client.get(reverse("admin:feedback_feedbackinvitation_change", args=[invitation.pk]))
    assert detail.status_code == 200
    assert "token_hash" not in detail.content.decode()
    assert 'name="answered"' not in detail.content.decode()
    assert (
        staff_client.get(reverse("admin:feedback_feedbackinvitation_delete", args=[invitation.pk])).status_code == 403
    )


def test_admin_has_no_page_for_answers():
    from django.contrib import admin

    from casework.feedback.models import Answer, FeedbackResponse

    assert not admin.site.is_registered(Answer)
    assert not admin.site.is_registered(FeedbackResponse)


def test_admin_questionnaire_with_answers_cannot_be_deleted(staff_client, questionnaire):
    delete_url = reverse("admin:feedback_questionnaire_delete", args=[questionnaire.pk])
    assert staff_client.get(delete_url).status_code == 200
    submit(questionnaire, overall=4)
    assert staff_client.get(delete_url).status_code == 403
    assert "deletelink" not in staff_client.get(change_url(questionnaire)).content.decode()
