"""Background tasks of the participants app: registration mails and the warning before an unused account is
deleted.

Tasks take ids, never objects, and read fresh data when they run. Sending is retried with a growing
pause when the mail server fails (where the task backend can defer work); every failure is logged with the
registration id only, never with an address or the mail's content.
"""

from __future__ import annotations

import logging
import smtplib

from django.utils import translation
from django_tasks import task

from kokportal.mail import Attachment, send_mail_now
from kokportal.tasks import MAX_ATTEMPTS, enqueue_attempt, retry_later, retry_possible

from .enums import RegistrationStatus
from .permissions import may_see_online_access

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
# The mails right after registering list the answers to the event's questions (issue 15, part 3).
ANSWERS_IN_MAIL = ("received", "confirmed", "waitlisted")


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
    from participants.selectors import registration_answers, waitlist_position

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
            Attachment(
                "praxisfachtag.ics",
                event_ical(registration.event, include_access=may_see_online_access(registration)),
                "text/calendar",
            )
        )
    try:
        send_mail_now(
            template=f"participants/email/registration_{kind}",
            context={
                **(facts or {}),
                "registration": registration,
                "event": registration.event,
                "position": waitlist_position(registration),
                # The person's answers to the event's questions, in the mails that confirm what they sent.
                "answers": registration_answers(registration=registration) if kind in ANSWERS_IN_MAIL else [],
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


# --- mails from staff to an event's people (participants.mailings) ------------------------------------------------


def enqueue_mailing_delivery(*, delivery_id: int, attempt: int = 1) -> None:
    enqueue_attempt(
        send_mailing_delivery,
        attempt=attempt,
        log_extra={"delivery_id": delivery_id, "kind": "mailing"},
        delivery_id=delivery_id,
    )


def _permanently_refused(exc: Exception) -> bool:
    """The mail server refused the address for good (5xx), as opposed to "try again later" (4xx)."""
    return isinstance(exc, smtplib.SMTPRecipientsRefused) and all(
        500 <= code < 600 for code, _message in exc.recipients.values()
    )


def _delivery_failed(exc: Exception, *, what: str, attempt: int, log_extra: dict, finish, enqueue_next) -> None:
    """One mail of a mailing or of an invitation round failed: an address the mail server refuses for good is recorded
    as refused at once (``finish(failure)``); other failures are tried again later (``enqueue_next(attempt)``) while
    attempts are left, and recorded as an error after the last. Logged without exc_info: the SMTP error quotes the
    refused address."""
    from .enums import DeliveryFailure

    refused = _permanently_refused(exc)
    logger.warning(
        "%s failed (attempt %d of %d, %s)",
        what,
        attempt,
        MAX_ATTEMPTS,
        "refused" if refused else type(exc).__name__,
        extra=log_extra,
    )
    if refused or not retry_possible(attempt=attempt):
        finish(DeliveryFailure.REFUSED if refused else DeliveryFailure.ERROR)
    else:
        retry_later(enqueue_next, attempt=attempt)


def _send_mailing_message(*, registration, subject: str, body: str, to: str) -> None:
    from .mailings import render_for

    rendered_subject, rendered_body = render_for(registration=registration, subject=subject, body=body)
    send_mail_now(
        template="participants/email/mailing",
        context={
            "subject": rendered_subject,
            "body": rendered_body,
            "event": registration.event,
            "registration": registration,
        },
        to=to,
        language=registration.language,
    )


@task()
def send_mailing_delivery(*, delivery_id: int, attempt: int = 1) -> bool:
    """Send one mail of a mailing to its registration, read afresh, and record the outcome. An address the mail
    server refuses for good is recorded as failed at once; other failures are tried again like the registration
    mails and recorded as failed after the last attempt. Logs name the delivery and mailing ids only."""
    from .enums import DeliveryFailure, DeliveryState
    from .mailings import mailing_delivery_finish, mailing_delivery_started
    from .models import MailingDelivery

    delivery = MailingDelivery.objects.select_related("mailing", "registration__event").filter(pk=delivery_id).first()
    if delivery is None or delivery.state != DeliveryState.QUEUED:
        return False
    log_extra = {"delivery_id": delivery_id, "mailing_id": delivery.mailing_id}
    registration = delivery.registration
    if registration is None or registration.anonymised_at is not None:
        mailing_delivery_finish(delivery_id=delivery_id, failure=DeliveryFailure.GONE)
        logger.info("mailing delivery skipped: registration gone", extra=log_extra)
        return False
    mailing_delivery_started(delivery_id=delivery_id)
    try:
        _send_mailing_message(
            registration=registration,
            subject=delivery.mailing.subject,
            body=delivery.mailing.body,
            to=registration.email,
        )
    except Exception as exc:
        _delivery_failed(
            exc,
            what="mailing delivery",
            attempt=attempt,
            log_extra=log_extra,
            finish=lambda failure: mailing_delivery_finish(delivery_id=delivery_id, failure=failure),
            enqueue_next=lambda next_attempt: enqueue_mailing_delivery(delivery_id=delivery_id, attempt=next_attempt),
        )
        return False
    mailing_delivery_finish(delivery_id=delivery_id)
    logger.info("mailing delivery sent", extra=log_extra)
    return True


@task()
def send_mailing_test(*, user_id: int, registration_id: int, subject: str, body: str, attempt: int = 1) -> bool:
    """The mail of a mailing as registration ``registration_id`` would get it, sent to the staff member ``user_id``
    who asked for it, with "[Test]" before the subject. Called directly after commit (never queued, so the draft's
    text does not stay in the task table); one attempt: staff see whether it arrives and can ask again."""
    from django.utils.translation import gettext

    from kokportal.models import User

    from .models import Registration

    user = User.objects.filter(pk=user_id, is_active=True).first()
    registration = (
        Registration.objects.select_related("event").filter(pk=registration_id, anonymised_at__isnull=True).first()
    )
    if user is None or registration is None:
        return False
    with translation.override(registration.language):
        marker = gettext("[Test]")
    try:
        _send_mailing_message(registration=registration, subject=f"{marker} {subject}", body=body, to=user.email)
    except Exception as exc:
        logger.warning(
            "mailing test failed (%s)",
            type(exc).__name__,
            extra={"user_id": user_id, "registration_id": registration_id},
        )
        return False
    logger.info("mailing test sent", extra={"user_id": user_id, "registration_id": registration_id})
    return True


# --- invitations to an event (participants.invitations) --------------------------------------------------------------


@task()
def queue_invitation_batch(*, batch_id: int, attempt: int = 1) -> int:
    """Enqueue one mail task per queued invitation of a batch (the admin's request enqueues only this one)."""
    from .enums import DeliveryState
    from .models import Invitation

    ids = list(
        Invitation.objects.filter(batch_id=batch_id, state=DeliveryState.QUEUED)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    for invitation_id in ids:
        enqueue_invitation(invitation_id=invitation_id)
    logger.info("invitation batch queued", extra={"batch_id": batch_id, "count": len(ids)})
    return len(ids)


def enqueue_invitation(*, invitation_id: int, attempt: int = 1) -> None:
    enqueue_attempt(
        send_invitation,
        attempt=attempt,
        log_extra={"invitation_id": invitation_id, "kind": "invitation"},
        invitation_id=invitation_id,
    )


@task()
def send_invitation(*, invitation_id: int, attempt: int = 1) -> bool:
    """Send one invitation, read afresh: not when its consent was withdrawn or its organisation stopped invitations
    meanwhile (recorded as such). Every invitation carries List-Unsubscribe (with one-click, RFC 8058) to the same
    link as the one in the text. Logs name ids only."""
    from .enums import DeliveryFailure, DeliveryState
    from .invitations import (
        invitation_delivery_finish,
        invitation_delivery_started,
        invitation_still_wanted,
        mail_context,
        unsubscribe_link,
    )
    from .models import Invitation

    invitation = Invitation.objects.select_related("event", "organisation", "batch").filter(pk=invitation_id).first()
    if invitation is None or invitation.state != DeliveryState.QUEUED:
        return False
    log_extra = {"invitation_id": invitation_id, "batch_id": invitation.batch_id}
    if not invitation_still_wanted(invitation):
        invitation_delivery_finish(invitation_id=invitation_id, failure=DeliveryFailure.WITHDRAWN)
        logger.info("invitation not sent: consent withdrawn or stopped", extra=log_extra)
        return False
    invitation_delivery_started(invitation_id=invitation_id)
    try:
        send_mail_now(
            template="participants/email/invitation",
            context=mail_context(
                event=invitation.event,
                note=invitation.batch.note,
                name=invitation.name,
                source=invitation.source,
                token=invitation.token,
            ),
            to=invitation.email,
            language=invitation.language,
            headers={
                "List-Unsubscribe": f"<{unsubscribe_link(invitation.token)}>",
                "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
            },
        )
    except Exception as exc:
        _delivery_failed(
            exc,
            what="invitation",
            attempt=attempt,
            log_extra=log_extra,
            finish=lambda failure: invitation_delivery_finish(invitation_id=invitation_id, failure=failure),
            enqueue_next=lambda next_attempt: enqueue_invitation(invitation_id=invitation_id, attempt=next_attempt),
        )
        return False
    invitation_delivery_finish(invitation_id=invitation_id)
    logger.info("invitation sent", extra=log_extra)
    return True
