"""Questions per event on the registration form (issue 15, part 3): the form by organisation type, each kind of
question parsed and stored through registration_create, bad input, the person's page, the data export, retention
and the query counts."""

import datetime as dt

import pytest
from django.db import IntegrityError
from django.urls import reverse
from django.utils import translation

from events.enums import QuestionKind as K
from participants import errors, privacy, services
from participants.models import Registration, RegistrationAnswer
from tests.events.factories import EventQuestionFactory
from tests.factories import EventFactory, OrganisationFactory, RegistrationFactory, UserFactory, organisation_type

pytestmark = pytest.mark.django_db


@pytest.fixture
def fbs():
    return organisation_type("fachberatungsstelle")


@pytest.fixture
def bamf():
    return organisation_type("bamf")


@pytest.fixture
def event(fbs, bamf):
    return EventFactory(slug="vernetzungstreffen-fragen", invited=[fbs, bamf], capacity=20)


@pytest.fixture
def questions(event, fbs, bamf):
    """One question of every kind; some for one type only."""
    return {
        "text": EventQuestionFactory(event=event, position=1, kind=K.TEXT, text="Ihr Kürzel", required=True),
        "long": EventQuestionFactory(
            event=event, position=2, kind=K.LONG_TEXT, text="Ihr Fallbeispiel in Stichworten", types=[fbs]
        ),
        "single": EventQuestionFactory(
            event=event,
            position=3,
            kind=K.SINGLE_CHOICE,
            text="Verdolmetschung",
            text_en="Interpreter",
            options="Nein\nEnglisch\nFranzösisch",
            options_en="No\nEnglish\nFrench",
        ),
        "multi": EventQuestionFactory(
            event=event,
            position=4,
            kind=K.MULTIPLE_CHOICE,
            text="Themenwünsche",
            options="Identifizierung\nAufenthaltsrecht\nMinderjährige",
            types=[fbs],
        ),
        "yes": EventQuestionFactory(
            event=event, position=5, kind=K.YES_NO, text="Reisekosten erstatten?", required=True, types=[bamf]
        ),
        "number": EventQuestionFactory(
            event=event, position=6, kind=K.NUMBER, text="Wie viele Kolleg*innen?", min_value=0, max_value=10
        ),
        "date": EventQuestionFactory(event=event, position=7, kind=K.DATE, text="Anreise am"),
    }


def name(question) -> str:
    return f"question_{question.pk}"


def form_data(org, **overrides):
    data = {
        "first_name": "Aylin",
        "last_name": "Weber",
        "organisation_type": org.organisation_type_id,
        "organisation": org.pk,
        "function": "Beraterin",
        "federal_state": "HH",
        "privacy_consent": "on",
        "website": "",
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


def url(event):
    return reverse("participants:register", kwargs={"slug": event.slug})


def full_answers(q) -> dict:
    return {
        name(q["text"]): "AW",
        name(q["long"]): "Eine junge Frau aus\nder Beratung",
        name(q["single"]): "1",
        name(q["multi"]): ["0", "2"],
        name(q["yes"]): "yes",
        name(q["number"]): "7",
        name(q["date"]): "2027-03-25",
    }


def stored(registration) -> dict[str, dict]:
    return {
        answer.question.text: {
            "text": answer.text,
            "number": answer.number,
            "date": answer.date,
            "yes": answer.yes,
            "choices": answer.choices,
        }
        for answer in RegistrationAnswer.objects.filter(registration=registration).select_related("question")
    }


def blank(**values) -> dict:
    return {"text": "", "number": None, "date": None, "yes": None, "choices": [], **values}


# --- the form --------------------------------------------------------------------------------------------------


def test_form_shows_every_question_with_the_types_it_is_for(user_client, event, questions, fbs, bamf):
    response = user_client.get(url(event))
    assert response.status_code == 200
    text = response.text
    assert "Fragen zu diesem Praxisfachtag" in text
    assert list(response.context["form"].fields)[-7:] == [name(q) for q in questions.values()]
    assert text.count('class="event-question"') == 7
    assert text.count('class="event-questions"') == 1
    assert f'data-question-types="{fbs.pk}"' in text
    assert f'data-question-types="{bamf.pk}"' in text
    assert text.count('data-question-types=""') == 4
    assert 'type="date"' in text
    assert "registration_questions.js" in text


def test_form_of_an_event_without_questions_has_no_question_fieldset(user_client, event):
    response = user_client.get(url(event))
    assert "Fragen zu diesem Praxisfachtag" not in response.text
    assert not [f for f in response.context["form"].fields if f.startswith("question_")]


def test_form_in_english_shows_english_questions_and_options(user, event, questions):
    from participants.forms import RegistrationForm

    with translation.override("en"):
        form = RegistrationForm(event=event, user=user)
        field = form.fields[name(questions["single"])]
        assert field.label == "Interpreter"
        assert list(field.choices) == [("0", "No"), ("1", "English"), ("2", "French")]
        # Without an English text the German one is shown.
        assert form.fields[name(questions["multi"])].choices[0] == ("0", "Identifizierung")


def test_register_stores_every_kind_of_answer_for_the_chosen_type(user_client, user, event, questions, fbs):
    org = OrganisationFactory(organisation_type=fbs)
    response = user_client.post(url(event), form_data(org, **full_answers(questions)))
    registration = Registration.objects.get(user=user)
    assert response.status_code == 302
    assert stored(registration) == {
        "Ihr Kürzel": blank(text="AW"),
        "Ihr Fallbeispiel in Stichworten": blank(text="Eine junge Frau aus\nder Beratung"),
        "Verdolmetschung": blank(choices=[1]),
        "Themenwünsche": blank(choices=[0, 2]),
        # "Reisekosten erstatten?" is for BAMF only: the answer sent for it is dropped.
        "Wie viele Kolleg*innen?": blank(number=7),
        "Anreise am": blank(date=dt.date(2027, 3, 25)),
    }


def test_register_for_the_other_type_stores_only_its_questions(user_client, user, event, questions, bamf):
    org = OrganisationFactory(organisation_type=bamf)
    data = form_data(org, **{name(questions["text"]): "XY", name(questions["yes"]): "no"})
    data[name(questions["long"])] = "not asked of BAMF"
    response = user_client.post(url(event), data)
    assert response.status_code == 302
    assert stored(Registration.objects.get(user=user)) == {
        "Ihr Kürzel": blank(text="XY"),
        "Reisekosten erstatten?": blank(yes=False),
    }


def test_register_accepts_a_german_date_and_leaves_optional_questions_empty(user_client, user, event, questions, fbs):
    org = OrganisationFactory(organisation_type=fbs)
    data = form_data(org, **{name(questions["text"]): "AW", name(questions["date"]): "25.03.2027"})
    assert user_client.post(url(event), data).status_code == 302
    assert stored(Registration.objects.get(user=user)) == {
        "Ihr Kürzel": blank(text="AW"),
        "Anreise am": blank(date=dt.date(2027, 3, 25)),
    }


def test_register_without_a_required_answer_of_the_chosen_type_is_refused(user_client, event, questions, bamf):
    org = OrganisationFactory(organisation_type=bamf)
    response = user_client.post(url(event), form_data(org, **{name(questions["text"]): "XY"}))
    assert response.status_code == 200
    assert response.context["form"].errors == {name(questions["yes"]): ["Dieses Feld ist zwingend erforderlich."]}
    assert not Registration.objects.exists()


def test_a_required_question_of_another_type_is_not_required(user_client, event, questions, fbs):
    # "Reisekosten erstatten?" is required, but only for BAMF.
    org = OrganisationFactory(organisation_type=fbs)
    response = user_client.post(url(event), form_data(org, **{name(questions["text"]): "AW"}))
    assert response.status_code == 302
    assert Registration.objects.count() == 1


def test_bad_input_of_a_question_of_another_type_is_ignored(user_client, event, questions, bamf):
    org = OrganisationFactory(organisation_type=bamf)
    data = form_data(org, **{name(questions["text"]): "XY", name(questions["yes"]): "yes"})
    data[name(questions["multi"])] = ["9"]  # for counselling centres only
    assert user_client.post(url(event), data).status_code == 302


@pytest.mark.parametrize(
    ("key", "value", "message"),
    [
        ("single", "3", "Bitte eine gültige Auswahl treffen. 3 ist keine gültige Auswahl."),
        ("single", "-1", "Bitte eine gültige Auswahl treffen. -1 ist keine gültige Auswahl."),
        ("multi", ["0", "7"], "Bitte eine gültige Auswahl treffen. 7 ist keine gültige Auswahl."),
        ("yes", "maybe", "Bitte eine gültige Auswahl treffen. maybe ist keine gültige Auswahl."),
        ("number", "11", "Dieser Wert muss kleiner oder gleich 10 sein."),
        ("number", "-1", "Dieser Wert muss größer oder gleich 0 sein."),
        ("number", "sieben", "Bitte eine ganze Zahl eingeben."),
        ("date", "31.02.2027", "Bitte geben Sie ein Datum an, z. B. 24.12.2026."),
        ("date", "2027/03/25", "Bitte geben Sie ein Datum an, z. B. 24.12.2026."),
        (
            "text",
            "x" * 151,
            "Der Text ist zu lang: höchstens 150 Zeichen, Ihr Text hat 151 Zeichen. Bitte kürzen Sie ihn.",
        ),
        (
            "long",
            "x" * 2001,
            "Der Text ist zu lang: höchstens 2000 Zeichen, Ihr Text hat 2001 Zeichen. Bitte kürzen Sie ihn.",
        ),
    ],
)
def test_register_with_a_bad_answer_is_refused_with_its_message(
    user_client, event, questions, fbs, bamf, key, value, message
):
    org = OrganisationFactory(organisation_type=bamf if key == "yes" else fbs)
    data = form_data(org, **full_answers(questions))
    data[name(questions[key])] = value
    response = user_client.post(url(event), data)
    assert response.status_code == 200
    assert response.context["form"].errors == {name(questions[key]): [message]}
    assert not Registration.objects.exists()
    assert not RegistrationAnswer.objects.exists()


def test_register_form_query_count_does_not_grow_with_the_questions(user_client, event, fbs, django_assert_num_queries):
    EventQuestionFactory(event=event, types=[fbs])
    # the same number with one question and with seven (the questions and their types are two queries; one more
    # asks whether the person consented to invitations, for the form's tick)
    with django_assert_num_queries(10) as one:
        assert user_client.get(url(event)).status_code == 200
    for position in range(10, 16):
        EventQuestionFactory(event=event, position=position, types=[fbs], kind=K.SINGLE_CHOICE, options="a\nb")
    with django_assert_num_queries(len(one.captured_queries)):
        response = user_client.get(url(event))
    assert response.text.count('class="event-question"') == 7


# --- the service -------------------------------------------------------------------------------------------------


def test_service_refuses_answers_the_form_would_not_send(user, event, questions, fbs, data_for):
    other_event = EventFactory(invited=[fbs])
    foreign = EventQuestionFactory(event=other_event, kind=K.TEXT)
    org = OrganisationFactory(organisation_type=fbs)
    bad = [
        ((foreign, "x"),),  # a question of another event
        ((questions["yes"], True),),  # a question for BAMF only
        ((questions["single"], 3),),  # no fourth option
        ((questions["single"], [0, 1]),),  # two answers to a single choice
        ((questions["number"], 11),),  # out of range
        ((questions["text"], "x" * 151),),  # too long
        ((questions["text"], "a"), (questions["text"], "b")),  # twice
    ]
    for answers in bad:
        with pytest.raises(errors.InvalidAnswer):
            services.registration_create(event=event, user=user, data=data_for(organisation=org, answers=answers))
    assert not Registration.objects.exists()


def test_database_keeps_one_answer_per_question_and_registration(event, questions):
    registration = RegistrationFactory(event=event)
    RegistrationAnswer.objects.create(registration=registration, question=questions["text"], text="a")
    with pytest.raises(IntegrityError, match="registrationanswer_one_per_question"):
        RegistrationAnswer.objects.create(registration=registration, question=questions["text"], text="b")


def test_database_refuses_two_kinds_of_value_in_one_answer(event, questions):
    registration = RegistrationFactory(event=event)
    with pytest.raises(IntegrityError, match="registrationanswer_one_kind_of_value"):
        RegistrationAnswer.objects.create(registration=registration, question=questions["text"], text="a", number=1)


# --- the person's page, data export, retention --------------------------------------------------------------------


@pytest.fixture
def answered(event, questions, fbs):
    user = UserFactory(email="aylin.weber@example.org")
    registration = RegistrationFactory(event=event, user=user, organisation=OrganisationFactory(organisation_type=fbs))
    RegistrationAnswer.objects.bulk_create(
        [
            RegistrationAnswer(registration=registration, question=questions["text"], text="AW"),
            RegistrationAnswer(registration=registration, question=questions["single"], choices=[1]),
            RegistrationAnswer(registration=registration, question=questions["multi"], choices=[0, 2]),
            RegistrationAnswer(registration=registration, question=questions["number"], number=3),
            RegistrationAnswer(registration=registration, question=questions["date"], date=dt.date(2027, 3, 25)),
            RegistrationAnswer(registration=registration, question=questions["long"], text="Fall\nzwei"),
        ]
    )
    return registration


def test_registration_page_shows_the_person_their_answers(client, answered):
    from tests.auth import login

    login(client, answered.user)
    response = client.get(answered.get_absolute_url())
    assert response.status_code == 200
    assert [(a.question.text, a.display_value) for a in response.context["answers"]] == [
        ("Ihr Kürzel", "AW"),
        ("Ihr Fallbeispiel in Stichworten", "Fall\nzwei"),
        ("Verdolmetschung", "Englisch"),
        ("Themenwünsche", "Identifizierung, Minderjährige"),
        ("Wie viele Kolleg*innen?", "3"),
        ("Anreise am", "25.03.2027"),
    ]
    assert "Fall<br>zwei" in response.text


def test_registration_page_of_someone_else_does_not_show_their_answers(user_client, answered):
    assert user_client.get(answered.get_absolute_url()).status_code == 404


def test_data_export_contains_the_answers(answered):
    data = privacy.personal_data_export(user=answered.user)
    assert data["registrations"][0]["answers"] == [
        {"question": "Ihr Kürzel", "answer": "AW"},
        {"question": "Ihr Fallbeispiel in Stichworten", "answer": "Fall\nzwei"},
        {"question": "Verdolmetschung", "answer": "Englisch"},
        {"question": "Themenwünsche", "answer": "Identifizierung, Minderjährige"},
        {"question": "Wie viele Kolleg*innen?", "answer": "3"},
        {"question": "Anreise am", "answer": "25.03.2027"},
    ]


def test_retention_deletes_the_answers_with_the_registration(answered, event):
    other = RegistrationFactory(event=EventFactory(date=dt.date.today() + dt.timedelta(days=60)))
    RegistrationAnswer.objects.create(
        registration=other, question=EventQuestionFactory(event=other.event, kind=K.TEXT), text="bleibt"
    )
    Registration.objects.filter(pk=answered.pk).update()
    event.date = dt.date.today() - dt.timedelta(days=400)
    event.save(update_fields=["date"])
    assert privacy.retention_purge(months=6) == 1
    assert list(RegistrationAnswer.objects.values_list("registration_id", "text")) == [(other.pk, "bleibt")]
    # The questions stay (the next edition may be copied from the event).
    assert event.questions.count() == 7


def test_account_deletion_deletes_the_answers(answered):
    privacy.account_delete(user=answered.user)
    assert not RegistrationAnswer.objects.exists()
    assert Registration.objects.get(pk=answered.pk).anonymised_at is not None


def test_required_questions_are_marked_and_a_missing_type_still_checks_the_questions_for_everyone(
    user_client, event, questions
):
    response = user_client.get(url(event))
    form = response.context["form"]
    assert [n for n, f in form.fields.items() if n.startswith("question_") and f.required] == [
        name(questions["text"]),
        name(questions["yes"]),
    ]
    data = form_data(OrganisationFactory(), **{name(questions["number"]): "99"})
    del data["organisation_type"]
    errors = user_client.post(url(event), data).context["form"].errors
    assert errors[name(questions["text"])] == ["Dieses Feld ist zwingend erforderlich."]
    assert errors[name(questions["number"])] == ["Dieser Wert muss kleiner oder gleich 10 sein."]
    assert name(questions["yes"]) not in errors  # for BAMF only: not asked while no type is chosen


def test_confirmation_mail_lists_the_answers_in_both_parts(
    user_client, user, event, questions, fbs, django_capture_on_commit_callbacks
):
    from django.core import mail

    org = OrganisationFactory(organisation_type=fbs)
    data = form_data(org, **{name(questions["text"]): "<b>AW</b>", name(questions["multi"]): ["0", "2"]})
    with django_capture_on_commit_callbacks(execute=True):
        assert user_client.post(url(event), data).status_code == 302
    (message,) = mail.outbox
    assert (
        "Ihre Antworten auf die Fragen zu diesem Praxisfachtag:\n"
        "- Ihr Kürzel: <b>AW</b>\n"
        "- Themenwünsche: Identifizierung, Minderjährige\n"
    ) in message.body
    html = message.alternatives[0][0]
    assert "<li>Ihr Kürzel: &lt;b&gt;AW&lt;/b&gt;</li><li>Themenwünsche: Identifizierung, Minderjährige</li>" in html


def test_mail_without_answers_has_no_answer_section(user_client, event, fbs, django_capture_on_commit_callbacks):
    from django.core import mail

    with django_capture_on_commit_callbacks(execute=True):
        user_client.post(url(event), form_data(OrganisationFactory(organisation_type=fbs)))
    assert "Ihre Antworten" not in mail.outbox[0].body
