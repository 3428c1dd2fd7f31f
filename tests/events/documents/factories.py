"""Factories for the casework and feedback rows the event documents read (kept here, independent of the
casework app's own test factories)."""

import datetime as dt

import factory

from casework.enums import CaseStatus
from casework.feedback.enums import QuestionKind
from casework.feedback.models import Answer, FeedbackInvitation, FeedbackResponse, Question, Questionnaire
from casework.models import CaseExample, SmallGroup, Workshop, WorkshopParticipant
from events.enums import ProgrammeItemKind
from tests.factories import EventFactory, ProgrammeItemFactory, RegistrationFactory, StaffFactory, UserFactory


class DocWorkshopFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Workshop
        skip_postgeneration_save = True

    event = factory.SubFactory(EventFactory)
    programme_item = factory.LazyAttribute(
        lambda o: ProgrammeItemFactory(
            event=o.event,
            kind=ProgrammeItemKind.WORKSHOP,
            start=dt.time(13, 30),
            end=dt.time(15, 0),
            title="Arbeit an Fallbeispielen",
        )
    )
    title = factory.Sequence(lambda n: f"Arbeitsgruppen an Fallbeispielen {n}")


class DocSmallGroupFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SmallGroup

    workshop = factory.SubFactory(DocWorkshopFactory)
    number = factory.Sequence(lambda n: n + 1)
    results = factory.Sequence(lambda n: f"Ergebnis der Gruppe {n}: Ansprechpersonen geklärt.")
    agreements = factory.Sequence(lambda n: f"Absprache {n}: Rückruf innerhalb einer Woche.")


class DocWorkshopParticipantFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = WorkshopParticipant

    workshop = factory.SubFactory(DocWorkshopFactory)
    registration = factory.LazyAttribute(lambda o: RegistrationFactory(event=o.workshop.event))


class DocCaseExampleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CaseExample

    workshop = factory.SubFactory(DocWorkshopFactory)
    title = factory.Sequence(lambda n: f"Fallbeispiel {n}")
    text = "Frau A., Anfang zwanzig, kam mit falschen Versprechungen nach Deutschland."
    author = factory.SubFactory(UserFactory)
    status = CaseStatus.APPROVED
    approved_by = factory.SubFactory(StaffFactory)
    approved_at = factory.LazyFunction(lambda: dt.datetime(2026, 1, 1, tzinfo=dt.UTC))


class QuestionnaireFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Questionnaire

    event = factory.SubFactory(EventFactory)


class QuestionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Question

    questionnaire = factory.SubFactory(QuestionnaireFactory)
    key = factory.Sequence(lambda n: f"frage-{n}")
    position = factory.Sequence(lambda n: n)
    kind = QuestionKind.RATING
    text = factory.Sequence(lambda n: f"Frage {n}")
    text_en = factory.Sequence(lambda n: f"Question {n}")


class FeedbackResponseFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = FeedbackResponse

    questionnaire = factory.SubFactory(QuestionnaireFactory)
    submitted_on = dt.date(2026, 1, 2)


class AnswerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Answer

    question = factory.SubFactory(QuestionFactory)
    response = factory.LazyAttribute(lambda o: FeedbackResponseFactory(questionnaire=o.question.questionnaire))


class FeedbackInvitationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = FeedbackInvitation

    questionnaire = factory.SubFactory(QuestionnaireFactory)
    registration = factory.LazyAttribute(lambda o: RegistrationFactory(event=o.questionnaire.event))
    token_hash = factory.Sequence(lambda n: f"{n:064x}")
