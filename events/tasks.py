"""Background task of the events floor: the invitation mail to a speaker with their personal link.

The task takes the invitation's id and draws a fresh random secret for the link it sends, storing only its hash
(as the feedback mails do): the secret never reaches the database or the task queue, only the mail. The hash is
replaced and the mail sent in one transaction: when sending fails, nothing changes and the task is retried.
Failures are logged with the event id only, never with an address, a name or a link.
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


def enqueue_speaker_invitation(*, invitation_id: int, attempt: int = 1) -> None:
    enqueue_attempt(
        send_speaker_invitation,
        attempt=attempt,
        log_extra={"kind": "speaker_invitation"},
        invitation_id=invitation_id,
    )


@task()
def send_speaker_invitation(*, invitation_id: int, attempt: int = 1) -> bool:
    from .models import SpeakerInvitation
    from .speakers import hash_token, new_token, speaker_items

    failure: Exception | None = None
    with transaction.atomic():
        invitation = (
            SpeakerInvitation.objects.select_for_update(of=("self",))
            .select_related("speaker", "event")
            .filter(pk=invitation_id)
            .first()
        )
        if invitation is None or not invitation.speaker.email or invitation.deadline <= timezone.now():
            return False
        event_id = invitation.event_id
        token = new_token()
        invitation.token_hash = hash_token(token)
        invitation.sent_at = timezone.now()
        invitation.save(update_fields=["token_hash", "sent_at", "modified"])
        try:
            send_mail_now(
                template="events/email/speaker_invitation",
                context={
                    "speaker": invitation.speaker,
                    "event": invitation.event,
                    "deadline": timezone.localtime(invitation.deadline),
                    "items": speaker_items(invitation=invitation),
                    "link": settings.SITE_URL + reverse("events:speaker_invitation", kwargs={"token": token}),
                },
                to=invitation.speaker.email,
                language="de",
            )
        except Exception as exc:
            failure = exc
            transaction.set_rollback(True)
    if failure is not None:
        logger.warning(
            "speaker invitation mail failed (attempt %d of %d)",
            attempt,
            MAX_ATTEMPTS,
            extra={"event_id": event_id, "kind": "speaker_invitation"},
            exc_info=failure,
        )
        retry_later(
            lambda next_attempt: enqueue_speaker_invitation(invitation_id=invitation_id, attempt=next_attempt),
            attempt=attempt,
        )
        return False
    logger.info("speaker invitation mail sent", extra={"event_id": event_id, "kind": "speaker_invitation"})
    return True
