"""Helpers for feedback tests: events that have just ended, invitations with a known token, answers."""

from __future__ import annotations

import datetime as dt
import re

from django.core import mail
from django.utils import timezone

from casework.feedback import services
from casework.feedback.models import FeedbackInvitation, Questionnaire
from participants.enums import RegistrationStatus
from tests.factories import EventFactory, RegistrationFactory

LINK_RE = re.compile(r"/rueckmeldung/([A-Za-z0-9_-]{43})/")


def ended_event(days_ago: int = 2, **kwargs):
    """An event that ended ``days_ago`` days ago (at least 1, so it is over whatever the time of day)."""
    date = timezone.localdate() - dt.timedelta(days=days_ago)
    kwargs.setdefault("registration_opens", timezone.now() - dt.timedelta(days=days_ago + 60))
    kwargs.setdefault("registration_closes", timezone.now() - dt.timedelta(days=days_ago + 5))
    return EventFactory(date=date, **kwargs)


def invitation_with_token(questionnaire: Questionnaire, registration=None, **fields) -> tuple[FeedbackInvitation, str]:
    """An invitation whose personal link token the test knows (as if its mail had been sent)."""
    if registration is None:
        registration = RegistrationFactory(event=questionnaire.event, status=RegistrationStatus.ATTENDED)
    token = services.new_token()
    fields.setdefault("sent_at", timezone.now() - dt.timedelta(days=1))
    invitation = FeedbackInvitation.objects.create(
        questionnaire=questionnaire, registration=registration, token_hash=services.hash_token(token), **fields
    )
    return invitation, token


def answers_by_key(questionnaire: Questionnaire, **values) -> dict[int, object]:
    questions = {q.key: q.pk for q in questionnaire.questions.all()}
    return {questions[key]: value for key, value in values.items()}


def submit(questionnaire: Questionnaire, **values):
    """One anonymous response through the service, from a new invited participant."""
    _invitation, token = invitation_with_token(questionnaire)
    return services.feedback_submit(token=token, answers=answers_by_key(questionnaire, **values))


def tokens_in_outbox() -> list[str]:
    return [LINK_RE.search(message.body).group(1) for message in mail.outbox]
