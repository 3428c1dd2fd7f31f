"""Background tasks of the participants app: registration mails and the warning before an unused account is
deleted.

Tasks take ids, never objects, and read fresh data when they run. Sending is retried with a growing
pause when the mail server fails (where the task backend can defer work); every failure is logged with the
registration id only, never with an address or the mail's content.
"""

from __future__ import annotations

import logging

from django_tasks import task

from kokportal.mail import Attachment, send_mail_now
from kokportal.tasks import MAX_ATTEMPTS, enqueue_attempt, retry_later

from .enums import RegistrationStatus

logger = logging.getLogger(__name__)

# Each mail and the statuses in which it is still true when it is sent: a mail that the registration has
# overtaken meanwhile (say "confirmed" for a registration cancelled since) is not sent.
S = RegistrationStatus
MAIL_KINDS = {
    "received": (S.PENDING,),
    "confirmed": (S.CONFIRMED,),
    "waitlisted": (S.WAITLISTED,),
    "promoted": (S.PENDING, S.CONFIRMED),
    "cancelled": (S.CANCELLED,),
    "rejected": (S.REJECTED,),
}


def enqueue_registration_mail(*, registration_id: int, kind: str, facts: dict | None = None, attempt: int = 1) -> None:
    if kind not in MAIL_KINDS:
        raise ValueError(kind)
    enqueue_attempt(
        send_registration_mail,
        attempt=attempt,
        log_extra={"registration_id": registration_id, "kind": kind},
        registration_id=registration_id,
        kind=kind,
        facts=facts or {},
    )


@task()
def send_registration_mail(*, registration_id: int, kind: str, facts: dict | None = None, attempt: int = 1) -> bool:
    """Send mail ``kind`` about a registration, read afresh. ``facts`` (JSON) are what the mail says about the
    change that the registration no longer shows: for "cancelled", ``was_waitlisted`` and ``seat_passed_on``."""
    from events.ical import event_ical
    from participants.models import Registration
    from participants.selectors import waitlist_position

    registration = (
        Registration.objects.select_related("event", "organisation", "organisation_type")
        .filter(pk=registration_id)
        .first()
    )
    if registration is None or registration.anonymised_at is not None:
        return False
    if registration.status not in MAIL_KINDS[kind]:
        logger.info("registration mail overtaken", extra={"registration_id": registration_id, "kind": kind})
        return False
    attachments = []
    if kind in ("confirmed", "promoted") and registration.status in RegistrationStatus.participating():
        attachments.append(
            Attachment("praxisfachtag.ics", event_ical(registration.event, include_access=True), "text/calendar")
        )
    try:
        send_mail_now(
            template=f"participants/email/registration_{kind}",
            context={
                **(facts or {}),
                "registration": registration,
                "event": registration.event,
                "position": waitlist_position(registration),
            },
            to=registration.email,
            language=registration.language,
            attachments=attachments,
        )
    except Exception:
        logger.warning(
            "registration mail failed (attempt %d of %d)",
            attempt,
            MAX_ATTEMPTS,
            extra={"registration_id": registration_id, "kind": kind},
            exc_info=True,
        )
        retry_later(
            lambda next_attempt: enqueue_registration_mail(
                registration_id=registration_id, kind=kind, facts=facts, attempt=next_attempt
            ),
            attempt=attempt,
        )
        return False
    logger.info("registration mail sent", extra={"registration_id": registration_id, "kind": kind})
    return True


def enqueue_account_deletion_warning(*, user_id: int, deletion_day: str, attempt: int = 1) -> None:
    enqueue_attempt(
        send_account_deletion_warning,
        attempt=attempt,
        log_extra={"user_id": user_id, "kind": "account_deletion_warning"},
        user_id=user_id,
        deletion_day=deletion_day,
    )


@task()
def send_account_deletion_warning(*, user_id: int, deletion_day: str, attempt: int = 1) -> bool:
    """Tell a person that their unused account will be deleted on ``deletion_day`` (ISO date) unless they log in
    (participants.privacy.inactive_accounts_warn)."""
    import datetime as dt

    from django.conf import settings
    from django.urls import reverse

    from kokportal.models import User

    user = User.objects.filter(pk=user_id, is_active=True).first()
    if user is None:
        return False
    try:
        send_mail_now(
            template="participants/email/account_deletion_warning",
            context={
                "user": user,
                "deletion_day": dt.date.fromisoformat(deletion_day),
                "login_url": settings.SITE_URL + reverse("account_login"),
            },
            to=user.email,
            language=user.language,
        )
    except Exception:
        logger.warning(
            "account deletion warning failed (attempt %d of %d)",
            attempt,
            MAX_ATTEMPTS,
            extra={"user_id": user_id},
            exc_info=True,
        )
        retry_later(
            lambda next_attempt: enqueue_account_deletion_warning(
                user_id=user_id, deletion_day=deletion_day, attempt=next_attempt
            ),
            attempt=attempt,
        )
        return False
    logger.info("account deletion warning sent", extra={"user_id": user_id})
    return True
