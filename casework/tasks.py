"""Background task of the case-example review: the mail to the author when a case is sent back for revision.

The task takes the case's id, never the object, and reads it fresh when it runs. The mail names the case by its
title and links to it; it never carries the case text or the reviewer's comment (the author reads both in the
portal). Sending is retried with a growing pause when the mail server fails (where the task backend can defer
work); failures are logged with the case id only, never with an address or the mail's content.
"""

from __future__ import annotations

import logging

from django.conf import settings
from django.urls import reverse
from django_tasks import task

from kokportal.mail import send_mail_now
from kokportal.tasks import MAX_ATTEMPTS, enqueue_attempt, retry_later

logger = logging.getLogger(__name__)


def enqueue_case_returned_mail(*, case_id: int, attempt: int = 1) -> None:
    enqueue_attempt(
        send_case_returned_mail,
        attempt=attempt,
        log_extra={"case_id": case_id, "kind": "case_returned"},
        case_id=case_id,
    )


@task()
def send_case_returned_mail(*, case_id: int, attempt: int = 1) -> bool:
    from .enums import CaseStatus
    from .models import CaseExample

    case = CaseExample.objects.select_related("author").filter(pk=case_id).first()
    if case is None or case.status != CaseStatus.DRAFT or case.purged_at is not None:
        return False
    author = case.author
    if author is None or not author.is_active or not author.email:
        return False
    try:
        send_mail_now(
            template="casework/email/case_returned",
            context={
                "user": author,
                "title": case.title,
                "link": settings.SITE_URL + reverse("casework:case", kwargs={"pk": case.pk}),
            },
            to=author.email,
            language=author.language or "de",
        )
    except Exception:
        logger.warning(
            "case returned mail failed (attempt %d of %d)",
            attempt,
            MAX_ATTEMPTS,
            extra={"case_id": case_id},
            exc_info=True,
        )
        retry_later(
            lambda next_attempt: enqueue_case_returned_mail(case_id=case_id, attempt=next_attempt), attempt=attempt
        )
        return False
    logger.info("case returned mail sent", extra={"case_id": case_id})
    return True
