"""Anonymity by design: no answer can be joined back to a person.

Structural checks on the models (no foreign-key path from an answer to a registration, an account or an
invitation; random UUIDs; no time finer than a day), and a data check that what a submission stores carries
nothing that matches the invitation it came from.
"""

import uuid

import pytest
from django.db import models

from casework.feedback.models import Answer, FeedbackInvitation, FeedbackResponse, Question, Questionnaire
from kokportal.models import User
from participants.models import Registration
from tests.casework.feedback.factories import answers_by_key, invitation_with_token

pytestmark = pytest.mark.django_db

PERSONAL = {Registration, User, FeedbackInvitation}


def _forward_reachable(model, seen=None) -> set:
    """Every model reachable from ``model`` by following foreign keys, one-to-one and many-to-many fields
    forwards (what a join from an answer row can reach without going through a set of many rows)."""
    seen = set() if seen is None else seen
    for field in model._meta.get_fields():
        if field.is_relation and not field.auto_created and field.related_model is not None:
            target = field.related_model
            if target not in seen:
                seen.add(target)
                _forward_reachable(target, seen)
    return seen


def test_anonymity_no_foreign_key_path_from_answers_to_a_person():
    for model in (Answer, FeedbackResponse):
        reachable = _forward_reachable(model)
        assert reachable & PERSONAL == set(), model
    assert _forward_reachable(Answer) >= {FeedbackResponse, Question, Questionnaire}


def test_anonymity_answer_and_response_fields_are_exactly_these():
    """A guard against adding a field that could identify someone (a time, a person, a counter)."""
    assert [f.name for f in FeedbackResponse._meta.concrete_fields] == ["id", "questionnaire", "submitted_on"]
    assert [f.name for f in Answer._meta.concrete_fields] == [
        "id",
        "response",
        "question",
        "rating",
        "yes_no",
        "choice",
        "text",
        "selected_for_documentation",
    ]


def test_anonymity_ids_are_random_uuids_and_no_time_finer_than_a_day():
    for model in (FeedbackResponse, Answer):
        pk = model._meta.pk
        assert isinstance(pk, models.UUIDField)
        assert pk.default is uuid.uuid4
        assert not [f for f in model._meta.concrete_fields if isinstance(f, models.DateTimeField | models.TimeField)]
    assert isinstance(FeedbackResponse._meta.get_field("submitted_on"), models.DateField)
    # The invitation records whether, never when, someone answered.
    assert "answered_at" not in {f.name for f in FeedbackInvitation._meta.get_fields()}
    assert isinstance(FeedbackInvitation._meta.get_field("answered"), models.BooleanField)


def test_anonymity_submissions_cannot_be_matched_to_invitations_by_their_rows(questionnaire):
    from casework.feedback import services

    tokens = [invitation_with_token(questionnaire)[1] for _ in range(5)]
    responses = [
        services.feedback_submit(token=token, answers=answers_by_key(questionnaire, overall=1 + i))
        for i, token in enumerate(tokens)
    ]
    invitations = list(FeedbackInvitation.objects.order_by("pk"))
    assert all(i.answered for i in invitations)
    response_values = [
        set(FeedbackResponse.objects.filter(pk=r.pk).values_list("id", "submitted_on").get()) for r in responses
    ]
    # Apart from the questionnaire, which all share, nothing in a response equals a value of any
    # invitation or its registration (ids, hashes, times).
    personal_values = set()
    for invitation in invitations:
        personal_values |= {invitation.pk, invitation.registration_id, invitation.token_hash, invitation.sent_at}
        personal_values |= {invitation.registration.user_id, invitation.registration.email}
    for values in response_values:
        assert values & personal_values == set()
    # Random ids: the order of the ids says nothing about the order of submission.
    ids = [r.pk for r in responses]
    assert all(isinstance(i, uuid.UUID) and i.version == 4 for i in ids)
    assert len({r.submitted_on for r in responses}) == 1


def test_anonymity_deleting_a_registration_keeps_the_answers(questionnaire):
    from casework.feedback import services

    invitation, token = invitation_with_token(questionnaire)
    services.feedback_submit(token=token, answers=answers_by_key(questionnaire, overall=4))
    invitation.registration.delete()
    assert (FeedbackInvitation.objects.count(), FeedbackResponse.objects.count(), Answer.objects.count()) == (0, 1, 1)
