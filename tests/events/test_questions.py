"""The event's own questions in the admin and the services (issue 15, part 3): what may change once a question is
answered, the inline on the event saved through events.services, answers in the registration admin and in the
exports, and "copy as draft"."""

import csv
import datetime as dt
import io

import pytest
from django.db import IntegrityError
from django.urls import reverse
from openpyxl import load_workbook

from events import services
from events.enums import QuestionKind as K
from events.models import EventQuestion
from participants.models import RegistrationAnswer
from tests.events.factories import EventQuestionFactory
from tests.factories import EventFactory, RegistrationFactory, organisation_type
from tests.test_admin_writes import _form, _post_data

pytestmark = pytest.mark.django_db


@pytest.fixture
def fbs():
    return organisation_type("fachberatungsstelle")


@pytest.fixture
def event(fbs):
    return EventFactory(title="Vernetzungstreffen Nord", date=dt.date(2027, 3, 26), invited=[fbs])


@pytest.fixture
def choice(event):
    return EventQuestionFactory(
        event=event, position=1, kind=K.SINGLE_CHOICE, text="Verdolmetschung", options="Nein\nEnglisch"
    )


@pytest.fixture
def answered(choice):
    registration = RegistrationFactory(event=choice.event)
    RegistrationAnswer.objects.create(registration=registration, question=choice, choices=[1])
    return choice


def _edited(question, **changes) -> EventQuestion:
    question = EventQuestion.objects.get(pk=question.pk)
    for field, value in changes.items():
        setattr(question, field, value)
    return question


# --- what may change ------------------------------------------------------------------------------------------


def test_unanswered_question_may_change_in_every_way(choice):
    services.event_question_save(question=_edited(choice, kind=K.TEXT, options=""))
    assert EventQuestion.objects.get(pk=choice.pk).kind == K.TEXT


def test_answered_question_keeps_its_kind(answered):
    with pytest.raises(services.QuestionChangeRefused) as refused:
        services.event_question_save(question=_edited(answered, kind=K.MULTIPLE_CHOICE))
    assert str(refused.value.message) == "Die Frage ist schon beantwortet; ihre Art kann nicht mehr geändert werden."
    assert EventQuestion.objects.get(pk=answered.pk).kind == K.SINGLE_CHOICE


@pytest.mark.parametrize("options", ["Nein", "Englisch\nNein", "Nein\nEnglish", "Nein\nEnglisch ", "Nein\n\nEnglisch"])
def test_answered_question_keeps_its_options_or_adds_at_the_end(answered, options):
    """Removing, renaming or reordering is refused; blank lines and spaces do not count; appending is fine."""
    question = _edited(answered, options=options)
    if options.split() == ["Nein", "Englisch"]:
        services.event_question_save(question=question)
        assert EventQuestion.objects.get(pk=answered.pk).options == "Nein\nEnglisch"
    else:
        with pytest.raises(services.QuestionChangeRefused):
            services.event_question_save(question=question)
        assert EventQuestion.objects.get(pk=answered.pk).options == "Nein\nEnglisch"


def test_answered_question_may_get_new_options_and_new_wording(answered):
    services.event_question_save(
        question=_edited(
            answered, options="Nein\nEnglisch\nArabisch", text="Brauchen Sie Verdolmetschung?", required=True
        )
    )
    stored = EventQuestion.objects.get(pk=answered.pk)
    assert (stored.options, stored.text, stored.required) == (
        "Nein\nEnglisch\nArabisch",
        "Brauchen Sie Verdolmetschung?",
        True,
    )
    # The answer still reads as it was given.
    assert RegistrationAnswer.objects.get().display_value == "Englisch"


def test_answered_question_cannot_be_deleted_an_unanswered_one_can(answered, event):
    with pytest.raises(services.QuestionChangeRefused):
        services.event_question_delete(question=answered)
    other = EventQuestionFactory(event=event)
    services.event_question_delete(question=other)
    assert list(EventQuestion.objects.values_list("pk", flat=True)) == [answered.pk]


def test_deleting_the_event_deletes_questions_and_answers(answered, event):
    event.delete()
    assert not EventQuestion.objects.exists()
    assert not RegistrationAnswer.objects.exists()


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        (
            {"kind": K.MULTIPLE_CHOICE, "options": " \n "},
            "Eine Auswahlfrage braucht mindestens eine Antwortmöglichkeit.",
        ),
        ({"kind": K.TEXT, "options": "a"}, "Antwortmöglichkeiten gibt es nur bei Auswahlfragen."),
        ({"kind": K.DATE, "min_value": 1}, "Kleinste und größte Zahl gibt es nur bei Zahlenfragen."),
        ({"kind": K.NUMBER, "min_value": 5, "max_value": 1}, "Die kleinste Zahl ist größer als die größte."),
    ],
)
def test_question_rules_are_checked_by_the_service(event, changes, message):
    with pytest.raises(services.QuestionChangeRefused) as refused:
        services.event_question_save(question=EventQuestion(event=event, text="Frage", **changes))
    assert str(refused.value.message) == message
    assert not EventQuestion.objects.exists()


@pytest.mark.parametrize(
    ("fields", "constraint"),
    [
        ({"kind": K.SINGLE_CHOICE, "options": ""}, "eventquestion_choices_have_options"),
        ({"kind": K.TEXT, "options": "a"}, "eventquestion_options_only_for_choices"),
        ({"kind": K.DATE, "max_value": 3}, "eventquestion_range_only_for_numbers"),
        ({"kind": K.NUMBER, "min_value": 3, "max_value": 2}, "eventquestion_range_ordered"),
        ({"kind": "essay"}, "eventquestion_kind_valid"),
    ],
)
def test_question_rules_are_constraints_in_the_database(event, fields, constraint):
    with pytest.raises(IntegrityError, match=constraint):
        EventQuestion.objects.create(event=event, text="Frage", **fields)


# --- copy as draft --------------------------------------------------------------------------------------------------


def test_copy_as_draft_copies_the_questions_not_the_answers(answered, event, fbs):
    EventQuestionFactory(
        event=event,
        position=2,
        kind=K.NUMBER,
        text="Personen",
        text_en="",
        min_value=1,
        max_value=3,
        required=True,
        types=[fbs],
    )
    copy = services.event_copy_as_draft(event=event, today=dt.date(2026, 11, 27))
    copied = list(copy.questions.prefetch_related("organisation_types"))
    assert [
        (
            q.position,
            q.kind,
            q.text,
            q.text_en,
            q.options,
            q.required,
            q.min_value,
            q.max_value,
            list(q.organisation_types.all()),
        )
        for q in copied
    ] == [
        (1, K.SINGLE_CHOICE, "Verdolmetschung", answered.text_en, "Nein\nEnglisch", False, None, None, []),
        (2, K.NUMBER, "Personen", "", "", True, 1, 3, [fbs]),
    ]
    assert not RegistrationAnswer.objects.filter(question__event=copy).exists()
    assert event.questions.count() == 2


# --- the admin --------------------------------------------------------------------------------------------------


def _event_form(staff_client, event):
    return _post_data(_form(staff_client, reverse("admin:events_event_change", args=[event.pk])))


def test_admin_adds_a_question_for_some_types_through_the_inline(staff_client, event, fbs):
    data = _event_form(staff_client, event)
    data.update(
        {
            "questions-TOTAL_FORMS": ["1"],
            "questions-0-position": ["1"],
            "questions-0-kind": [K.MULTIPLE_CHOICE],
            "questions-0-text": ["Themenwünsche"],
            "questions-0-text_en": ["Topics"],
            "questions-0-options": ["Aufenthaltsrecht\r\n\r\nMinderjährige\r\n"],
            "questions-0-options_en": ["Residence law\r\nMinors"],
            "questions-0-organisation_types": [str(fbs.pk)],
            "questions-0-event": [str(event.pk)],
        }
    )
    response = staff_client.post(reverse("admin:events_event_change", args=[event.pk]), data)
    assert response.status_code == 302, response.context["inline_admin_formsets"][-1].formset.errors
    question = EventQuestion.objects.get()
    assert (question.kind, question.options, question.options_en) == (
        K.MULTIPLE_CHOICE,
        "Aufenthaltsrecht\nMinderjährige",
        "Residence law\nMinors",
    )
    assert list(question.organisation_types.all()) == [fbs]


def test_admin_refuses_to_change_the_kind_of_an_answered_question(staff_client, event, answered):
    data = _event_form(staff_client, event)
    assert data["questions-0-kind"] == [K.SINGLE_CHOICE]
    data["questions-0-kind"] = [K.MULTIPLE_CHOICE]
    response = staff_client.post(reverse("admin:events_event_change", args=[event.pk]), data)
    assert response.status_code == 200
    formset = response.context["inline_admin_formsets"][-1].formset
    assert formset.errors == [
        {"__all__": ["Die Frage ist schon beantwortet; ihre Art kann nicht mehr geändert werden."]}
    ]
    assert EventQuestion.objects.get().kind == K.SINGLE_CHOICE


def test_admin_refuses_to_delete_an_answered_question(staff_client, event, answered):
    data = _event_form(staff_client, event)
    data["questions-0-DELETE"] = ["on"]
    response = staff_client.post(reverse("admin:events_event_change", args=[event.pk]), data)
    assert response.status_code == 200
    assert list(response.context["inline_admin_formsets"][-1].formset.non_form_errors()) == [
        "Die Frage ist schon beantwortet und kann nicht gelöscht werden. Sie können sie umformulieren."
    ]
    assert EventQuestion.objects.count() == 1


def test_registration_admin_shows_the_answers_read_only(staff_client, answered):
    registration = RegistrationAnswer.objects.get().registration
    response = staff_client.get(reverse("admin:participants_registration_change", args=[registration.pk]))
    assert response.status_code == 200
    assert '<dl class="registration-answers"><dt>Verdolmetschung</dt><dd>Englisch</dd></dl>' in response.text
    assert "answers" not in response.context["adminform"].form.fields


def test_registration_admin_list_query_count_does_not_grow_with_answers(
    staff_client, event, answered, django_assert_num_queries
):
    url = reverse("admin:participants_registration_changelist")
    with django_assert_num_queries(9) as one:
        staff_client.get(url)
    for position in range(2, 6):
        question = EventQuestionFactory(event=event, position=position)
        for registration in RegistrationFactory.create_batch(3, event=event):
            RegistrationAnswer.objects.create(registration=registration, question=question, text="x")
    with django_assert_num_queries(len(one.captured_queries)):
        staff_client.get(url)


# --- exports ----------------------------------------------------------------------------------------------------


@pytest.fixture
def exported(event, fbs):
    text = EventQuestionFactory(event=event, position=1, kind=K.TEXT, text="Kürzel")
    multi = EventQuestionFactory(
        event=event, position=2, kind=K.MULTIPLE_CHOICE, text="=Themen", options="Recht\nKinder\nBehörden"
    )
    yes = EventQuestionFactory(event=event, position=3, kind=K.YES_NO, text="Fotos")
    weber = RegistrationFactory(event=event, last_name="Weber", first_name="Aylin")
    zorn = RegistrationFactory(event=event, last_name="Zorn", first_name="Kim")
    RegistrationAnswer.objects.bulk_create(
        [
            RegistrationAnswer(registration=weber, question=text, text='=HYPERLINK("http://x")'),
            RegistrationAnswer(registration=weber, question=multi, choices=[0, 2]),
            RegistrationAnswer(registration=weber, question=yes, yes=True),
            RegistrationAnswer(registration=zorn, question=yes, yes=False),
        ]
    )
    return weber, zorn


def _export(staff_client, action):
    from participants.models import Registration

    return staff_client.post(
        reverse("admin:participants_registration_changelist"),
        {"action": action, "_selected_action": list(Registration.objects.values_list("pk", flat=True))},
    )


def test_csv_export_has_one_column_per_question_and_keeps_the_formula_guard(staff_client, exported):
    rows = list(csv.reader(io.StringIO(_export(staff_client, "export_csv").content.decode("utf-8-sig")), delimiter=";"))
    header = rows[2]
    assert header[-3:] == ["Kürzel", "'=Themen", "Fotos"]
    assert rows[3][:2] == ["Weber", "Aylin"]
    assert rows[3][-3:] == ['\'=HYPERLINK("http://x")', "Recht, Behörden", "ja"]
    assert rows[4][:2] == ["Zorn", "Kim"]
    assert rows[4][-3:] == ["", "", "nein"]


def test_xlsx_export_has_one_column_per_question_as_text_cells(staff_client, exported):
    sheet = load_workbook(io.BytesIO(_export(staff_client, "export_xlsx").content)).active
    header = [cell.value for cell in sheet[4]]
    assert header[-3:] == ["Kürzel", "=Themen", "Fotos"]
    weber = sheet[5]
    assert [cell.value for cell in weber[-3:]] == ['=HYPERLINK("http://x")', "Recht, Behörden", "ja"]
    assert weber[-3].data_type == "s"
    assert weber[-3].quotePrefix is True
    assert [cell.value for cell in sheet[6][-3:]] == [None, None, "nein"]


def test_export_of_several_events_names_the_event_of_each_question(staff_client, exported, fbs):
    other = EventFactory(title="Fachtag Süd", invited=[fbs])
    EventQuestionFactory(event=other, kind=K.NUMBER, text="Personen")
    RegistrationFactory(event=other, last_name="Abel")
    rows = list(csv.reader(io.StringIO(_export(staff_client, "export_csv").content.decode("utf-8-sig")), delimiter=";"))
    # Events by date: the one in 30 days first, then 26 March 2027.
    assert rows[2][-4:] == [
        "Fachtag Süd: Personen",
        "Vernetzungstreffen Nord: Kürzel",
        "Vernetzungstreffen Nord: =Themen",
        "Vernetzungstreffen Nord: Fotos",
    ]


def test_admin_event_page_lists_the_questions_with_their_types_to_tick(staff_client, event, answered, fbs):
    response = staff_client.get(reverse("admin:events_event_change", args=[event.pk]))
    assert response.status_code == 200
    form = response.context["inline_admin_formsets"][-1].formset.forms[0]
    assert form.instance == answered
    assert f'name="questions-0-organisation_types" value="{fbs.pk}"' in response.text
    assert "add_id_questions-0-organisation_types" not in response.text
