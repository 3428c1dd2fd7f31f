"""Background task of the feedback flow: the invitation and reminder mails with the personal link.

The task takes the invitation's id and draws a fresh random token for the link it sends, storing only the
token's hash: the raw token never reaches the database or the task queue, only the mail. A reminder
therefore carries a new link; the link of the earlier mail keeps working (its hash moves to
``earlier_token_hashes``) until the person has answered. The token is replaced and the mail sent in one
transaction: when sending fails, the old hashes (and the old links) stay as they were.

Sending is retried with a growing pause when the mail server fails (where the task backend can defer work);
failures are logged with the event id and the kind of mail only, never with an address or a token.
"""

from __future__ import annotations

import logging

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django_tasks import task

from kokportal.mail import send_mail_now
from kokportal.tasks import MAX_ATTEMPTS, enqueue_attempt, retry_later

logger = logging.getLogger(__name__)

MAIL_KINDS = ("invitation", "reminder")


def enqueue_feedback_mail(*, invitation_id: int, kind: str, attempt: int = 1) -> None:
    if kind not in MAIL_KINDS:
        raise ValueError(kind)
    enqueue_attempt(
        send_feedback_mail, attempt=attempt, log_extra={"kind": kind}, invitation_id=invitation_id, kind=kind
    )


@task()
def send_feedback_mail(*, invitation_id: int, kind: str, attempt: int = 1) -> bool:
    from casework.feedback.models import FeedbackInvitation

    from . import selectors
    from .enums import FeedbackWindow
    from .services import hash_token, new_token

    failure: Exception | None = None
    with transaction.atomic():
        invitation = (
            FeedbackInvitation.objects.select_for_update(of=("self",))
            .select_related("registration", "questionnaire__event")
            .filter(pk=invitation_id)
            .first()
        )
        if invitation is None or invitation.answered:
            return False
        registration = invitation.registration
        questionnaire = invitation.questionnaire
        event_id = questionnaire.event_id
        if registration.anonymised_at is not None or not registration.email:
            return False
        if selectors.window_state(questionnaire) != FeedbackWindow.OPEN:
            return False
        token = new_token()
        if invitation.sent_at is not None:
            # The current link went out with an earlier mail: it keeps working. (Before the first mail the hash
            # belongs to a token nobody ever received.)
            invitation.earlier_token_hashes = [*invitation.earlier_token_hashes, invitation.token_hash]
        invitation.token_hash = hash_token(token)
        if kind == "invitation":
            invitation.sent_at = timezone.now()
        else:
            invitation.reminded_at = timezone.now()
        invitation.save(update_fields=["token_hash", "earlier_token_hashes", "sent_at", "reminded_at"])
        try:
            send_mail_now(
                template=f"feedback/email/{kind}",
                context={
                    "registration": registration,
                    "event": questionnaire.event,
                    "questionnaire": questionnaire,
                    "closes_on": selectors.closes_on(questionnaire),
                    "link": settings.SITE_URL + reverse("feedback:answer", kwargs={"token": token}),
                },
                to=registration.email,
                language=registration.language or "de",
            )
        except Exception as exc:
            # Keep the old token hash and times: the mail did not go out.
            failure = exc
            transaction.set_rollback(True)
    if failure is not None:
        logger.warning(
            "feedback mail failed (attempt %d of %d)",
            attempt,
            MAX_ATTEMPTS,
            extra={"event_id": event_id, "kind": kind},
            exc_info=failure,
        )
        retry_later(
            lambda next_attempt: enqueue_feedback_mail(invitation_id=invitation_id, kind=kind, attempt=next_attempt),
            attempt=attempt,
        )
        return False
    logger.info("feedback mail sent", extra={"event_id": event_id, "kind": kind})
    return True
