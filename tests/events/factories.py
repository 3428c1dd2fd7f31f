"""Factories for the event's own questions (events.models.EventQuestion)."""

import factory

from events.enums import QuestionKind
from events.models import EventQuestion
from tests.factories import EventFactory


class EventQuestionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = EventQuestion
        skip_postgeneration_save = True

    event = factory.SubFactory(EventFactory)
    position = factory.Sequence(lambda n: n)
    kind = QuestionKind.TEXT
    text = factory.Sequence(lambda n: f"Frage {n}")
    text_en = factory.Sequence(lambda n: f"Question {n}")

    @factory.post_generation
    def types(self, create, extracted, **kwargs):
        if create and extracted:
            self.organisation_types.set(extracted)
