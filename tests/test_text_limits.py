"""Free texts people submit have a length limit that is checked on the server, in the form and in the database.

An oversized text gives a form error (never a 500) and nothing is stored; a 1 MB case text is refused before
the anonymisation check runs over it.
"""

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse

from casework.feedback.models import Answer, FeedbackResponse
from casework.models import CaseExample, CaseExampleVersion, FindingDismissal
from participants.models import Registration
from tests.auth import login
from tests.casework.factories import CLEAN_TEXT, CaseExampleFactory, SmallGroupFactory, WorkshopFactory
from tests.casework.feedback.factories import ended_event, invitation_with_token
from tests.factories import EventFactory, OrganisationFactory, RegistrationFactory, StaffFactory, UserFactory

pytestmark = pytest.mark.django_db


def too_long(limit: int, length: int) -> str:
    return f"Der Text ist zu lang: höchstens {limit} Zeichen, Ihr Text hat {length} Zeichen. Bitte kürzen Sie ihn."


@pytest.fixture
def facilitator_client(client):
    workshop = WorkshopFactory()
    facilitator = UserFactory()
    workshop.facilitators.add(facilitator)
    login(client, facilitator)
    client.workshop = workshop
    return client


@pytest.mark.parametrize("length", [20001, 30000, 1_000_000])
@pytest.mark.parametrize("action", ["check", "save", "submit"])
def test_case_form_refuses_oversized_text(facilitator_client, length, action):
    url = reverse("casework:case_create", kwargs={"workshop_pk": facilitator_client.workshop.pk})
    response = facilitator_client.post(url, {"title": "Fall 1", "text": "a" * length, "action": action})
    assert response.status_code == 200
    assert response.context["form"].errors == {"text": [too_long(20000, length)]}
    assert response.context["findings"] is None
    assert CaseExample.objects.count() == 0


def test_case_form_accepts_text_at_the_limit(facilitator_client):
    url = reverse("casework:case_create", kwargs={"workshop_pk": facilitator_client.workshop.pk})
    text = (CLEAN_TEXT + " ") * (20000 // (len(CLEAN_TEXT) + 1))
    text += "a" * (20000 - len(text))
    response = facilitator_client.post(url, {"title": "Fall 1", "text": text, "action": "save"})
    assert response.status_code == 302
    assert len(CaseExample.objects.get().text) == 20000


def test_case_form_marks_the_limit_in_the_textarea(facilitator_client):
    url = reverse("casework:case_create", kwargs={"workshop_pk": facilitator_client.workshop.pk})
    assert 'maxlength="20000"' in facilitator_client.get(url).content.decode()


def test_case_edit_with_oversized_text_keeps_the_stored_text(client):
    case = CaseExampleFactory()
    case.workshop.facilitators.add(case.author)
    login(client, case.author)
    response = client.post(
        reverse("casework:case_edit", kwargs={"pk": case.pk}), {"title": case.title, "text": "b" * 20001}
    )
    assert response.status_code == 200
    assert response.context["form"].errors == {"text": [too_long(20000, 20001)]}
    case.refresh_from_db()
    assert case.text == CLEAN_TEXT


def test_case_form_refuses_oversized_title(facilitator_client):
    url = reverse("casework:case_create", kwargs={"workshop_pk": facilitator_client.workshop.pk})
    response = facilitator_client.post(url, {"title": "T" * 201, "text": CLEAN_TEXT, "action": "save"})
    assert response.context["form"].errors == {"title": [too_long(200, 201)]}
    assert CaseExample.objects.count() == 0


@pytest.mark.parametrize(
    ("field", "limit"),
    [("results", 10000), ("agreements", 5000)],
)
def test_group_results_refuse_oversized_text(client, field, limit):
    group = SmallGroupFactory(results="Bisher", agreements="Bisher")
    facilitator = UserFactory()
    group.workshop.facilitators.add(facilitator)
    login(client, facilitator)
    data = {"results": "Ergebnis", "agreements": "Absprache", field: "x" * (limit + 1)}
    response = client.post(reverse("casework:group", kwargs={"pk": group.pk}), data)
    assert response.status_code == 200
    assert response.context["form"].errors == {field: [too_long(limit, limit + 1)]}
    group.refresh_from_db()
    assert (group.results, group.agreements) == ("Bisher", "Bisher")


def test_feedback_free_text_refuses_oversized_answer(client):
    from casework.feedback import services

    questionnaire = services.questionnaire_ensure_default(event=ended_event())
    invitation, token = invitation_with_token(questionnaire)
    overall = f"q_{questionnaire.questions.get(key='overall').pk}"
    helped = f"q_{questionnaire.questions.get(key='helped').pk}"
    response = client.post(reverse("feedback:answer", kwargs={"token": token}), {overall: "5", helped: "z" * 5001})
    assert response.status_code == 200
    assert response.context["form"].errors == {helped: [too_long(5000, 5001)]}
    assert (FeedbackResponse.objects.count(), Answer.objects.count()) == (0, 0)
    invitation.refresh_from_db()
    assert invitation.answered is False


@pytest.mark.parametrize(
    ("field", "limit"),
    [("accessibility_needs", 1000), ("dietary_needs", 300), ("function", 150), ("new_organisation_name", 250)],
)
def test_registration_form_refuses_oversized_free_text(client, field, limit):
    event = EventFactory()
    organisation = OrganisationFactory()
    login(client, UserFactory())
    data = {
        "first_name": "Aylin",
        "last_name": "Weber",
        "organisation_type": organisation.organisation_type_id,
        "organisation": organisation.pk,
        "function": "Beraterin",
        "federal_state": "HH",
        "privacy_consent": "on",
        field: "y" * (limit + 1),
    }
    response = client.post(reverse("participants:register", kwargs={"slug": event.slug}), data)
    assert response.status_code == 200
    assert response.context["form"].errors[field] == [too_long(limit, limit + 1)]
    assert Registration.objects.count() == 0


# --- model validation and database constraints --------------------------------------------------------------


def test_case_example_model_validation_refuses_oversized_text():
    case = CaseExampleFactory.build(workshop=WorkshopFactory(), author=UserFactory(), text="a" * 20001)
    with pytest.raises(ValidationError) as exc:
        case.full_clean()
    assert exc.value.message_dict == {"text": [too_long(20000, 20001)]}


@pytest.mark.parametrize(
    ("factory", "field", "limit", "constraint"),
    [
        (lambda: CaseExampleFactory(), "text", 20000, "caseexample_text_max_length"),
        (lambda: SmallGroupFactory(), "results", 10000, "smallgroup_results_max_length"),
        (lambda: SmallGroupFactory(), "agreements", 5000, "smallgroup_agreements_max_length"),
        (lambda: RegistrationFactory(), "accessibility_needs", 1000, "registration_accessibility_needs_max_length"),
    ],
)
def test_database_refuses_oversized_text_written_around_the_forms(factory, field, limit, constraint):
    instance = factory()
    model = type(instance)
    model.objects.filter(pk=instance.pk).update(**{field: "a" * limit})
    with pytest.raises(IntegrityError, match=constraint), transaction.atomic():
        model.objects.filter(pk=instance.pk).update(**{field: "a" * (limit + 1)})


def test_database_refuses_oversized_case_version_dismissal_and_answer():
    from casework.feedback import services

    case = CaseExampleFactory()
    with pytest.raises(IntegrityError, match="caseexampleversion_text_max_length"), transaction.atomic():
        CaseExampleVersion.objects.create(case=case, number=1, title="v1", text="a" * 20001)
    with pytest.raises(IntegrityError, match="findingdismissal_reason_max_length"), transaction.atomic():
        FindingDismissal.objects.create(
            case=case, text_hash="0" * 64, category="phone", start=0, end=1, reason="r" * 501, decided_by=StaffFactory()
        )
    questionnaire = services.questionnaire_ensure_default(event=ended_event())
    response = FeedbackResponse.objects.create(questionnaire=questionnaire, submitted_on=questionnaire.event.date)
    question = questionnaire.questions.get(key="helped")
    with pytest.raises(IntegrityError, match="answer_text_max_length"), transaction.atomic():
        Answer.objects.create(response=response, question=question, text="t" * 5001)
    assert Answer.objects.count() == 0
