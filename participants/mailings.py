"""Mails from staff to the people of an event ("E-Mail an Teilnehmer*innen"), like pretix' sendmail and Indico's
"email registrants".

Staff choose the statuses (confirmed, waitlisted, pending, attended), write a subject and a text with placeholders
(``PLACEHOLDERS``), look at the preview for the first recipient, may send a test mail to themselves, and send.
``mailing_send`` stores the mailing with one delivery row per registration and, after commit, enqueues one task per
delivery: every person gets a mail of their own (one address in To:, no Cc or Bcc, no open list of recipients),
rendered for them and in their language. Each task records whether its mail went out; a refused address is recorded
and does not stop the others.

The audit log gets who, when, the event, the statuses and how many; never the subject or the text, which may name
people. Logs name ids only.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Count, F
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from kokportal.audit import audit_actions_register, audit_log_record

from . import errors
from .enums import DeliveryFailure, DeliveryState, MailingStatus
from .models import MAILING_BODY_MAX_LENGTH, MAILING_SUBJECT_MAX_LENGTH, Mailing, MailingDelivery, Registration
from .permissions import may_write_to_event_people

# The placeholders of a mailing's subject and text, with what each stands for (shown on the form).
PLACEHOLDERS = {
    "vorname": gettext_lazy("Vorname der Person"),
    "nachname": gettext_lazy("Nachname der Person"),
    "veranstaltung": gettext_lazy("Titel des Praxisfachtags"),
    "datum": gettext_lazy("Datum des Praxisfachtags, in der Sprache der Person"),
    "ort": gettext_lazy("Ort des Praxisfachtags (oder „virtuell“)"),
    "link_anmeldung": gettext_lazy("Link zur eigenen Anmeldung im Portal"),
}
# Anything in curly braces on one line counts as a placeholder, so a typo such as {Vorname} or {name} is an error
# instead of a mail that says "{name}" to every recipient.
_PLACEHOLDER = re.compile(r"\{([^{}\n]{0,60})\}")

audit_actions_register(
    {
        "mailing_sent": gettext_lazy("E-Mail an Teilnehmer*innen gesendet"),
        "mailing_test_sent": gettext_lazy("Testmail an sich selbst gesendet"),
    }
)


def placeholder_list() -> str:
    return ", ".join(f"{{{name}}}" for name in PLACEHOLDERS)


def unknown_placeholders(text: str) -> list[str]:
    """The placeholders in ``text`` that the portal does not know, each once, in order."""
    unknown: list[str] = []
    for match in _PLACEHOLDER.finditer(text):
        if match.group(1) not in PLACEHOLDERS and match.group(0) not in unknown:
            unknown.append(match.group(0))
    return unknown


def validate_mailing_text(*, subject: str, body: str) -> tuple[str, str]:
    """The subject and text as they are stored, or MailingInvalid saying what is wrong: a subject of one line,
    both within their limits and not empty, only known placeholders."""
    if "\n" in subject or "\r" in subject:
        raise errors.MailingInvalid(_("Der Betreff darf keinen Zeilenumbruch enthalten."))
    subject = subject.strip()
    body = body.replace("\r\n", "\n").replace("\r", "\n").strip()
    if not subject or not body:
        raise errors.MailingInvalid(_("Betreff und Text dürfen nicht leer sein."))
    if len(subject) > MAILING_SUBJECT_MAX_LENGTH or len(body) > MAILING_BODY_MAX_LENGTH:
        raise errors.MailingInvalid(
            _("Der Betreff hat höchstens %(subject)d Zeichen, der Text höchstens %(body)d.")
            % {"subject": MAILING_SUBJECT_MAX_LENGTH, "body": MAILING_BODY_MAX_LENGTH}
        )
    unknown = unknown_placeholders(subject + "\n" + body)
    if unknown:
        raise errors.MailingInvalid(unknown_placeholders_message(unknown))
    return subject, body


def unknown_placeholders_message(unknown: list[str]) -> str:
    return _("Unbekannte Platzhalter: %(unknown)s. Möglich sind: %(known)s.") % {
        "unknown": ", ".join(unknown),
        "known": placeholder_list(),
    }


def validate_statuses(statuses: Iterable[str]) -> list[str]:
    """The chosen statuses in a fixed order, or MailingInvalid when none or an unknown one is chosen."""
    chosen = set(statuses)
    known = [s.value for s in MailingStatus]
    if not chosen or chosen - set(known):
        raise errors.MailingInvalid(_("Bitte wählen Sie mindestens einen Status der Anmeldungen."))
    return [s for s in known if s in chosen]


# --- reads -----------------------------------------------------------------------------------------------------


def mailing_recipients(*, event, statuses: Iterable[str]):
    """The registrations a mailing to ``statuses`` reaches: not anonymised, in a fixed order (the first one is the
    preview's)."""
    return Registration.objects.filter(event=event, status__in=list(statuses), anonymised_at__isnull=True).order_by(
        "last_name", "first_name", "id"
    )


def recipient_counts(*, event) -> dict[str, int]:
    """How many people a mailing reaches in each status (one query), for the labels of the form."""
    rows = (
        Registration.objects.filter(event=event, status__in=MailingStatus.values, anonymised_at__isnull=True)
        .values("status")
        .annotate(count=Count("id"))
        .order_by()
    )
    counts = dict.fromkeys(MailingStatus.values, 0)
    counts.update({row["status"]: row["count"] for row in rows})
    return counts


@dataclass(frozen=True)
class Preview:
    recipient_count: int
    recipient: Registration | None
    subject: str
    body: str


def mailing_preview(*, event, statuses: Iterable[str], subject: str, body: str) -> Preview:
    """The mail as its first recipient would get it, and how many would get it (two queries)."""
    recipients = mailing_recipients(event=event, statuses=statuses)
    count = recipients.count()
    first = recipients.select_related("event").first() if count else None
    if first is None:
        return Preview(recipient_count=0, recipient=None, subject=subject, body=body)
    rendered_subject, rendered_body = render_for(registration=first, subject=subject, body=body)
    return Preview(recipient_count=count, recipient=first, subject=rendered_subject, body=rendered_body)


def render_for(*, registration: Registration, subject: str, body: str) -> tuple[str, str]:
    """Subject and text with the placeholders filled in for ``registration``, in the person's language (the date
    and "virtuell"). The result is plain text; the HTML part escapes it."""
    event = registration.event
    with translation.override(registration.language):
        values = {
            "vorname": registration.first_name,
            "nachname": registration.last_name,
            "veranstaltung": event.title,
            "datum": date_format(event.date, "DATE_FORMAT"),
            "ort": event.place_display,
            "link_anmeldung": settings.SITE_URL + registration.get_absolute_url(),
        }

    def fill(text: str) -> str:
        return _PLACEHOLDER.sub(lambda m: str(values.get(m.group(1), m.group(0))), text)

    # A subject is one line, whatever a name holds.
    return " ".join(fill(subject).split()), fill(body)


# --- writes ----------------------------------------------------------------------------------------------------


def mailing_send(
    *,
    event,
    statuses: Iterable[str],
    subject: str,
    body: str,
    by,
    expected_count: int | None = None,
    send_key: str | None = None,
) -> Mailing:
    """Store the mailing and queue one mail per recipient (after commit). ``expected_count`` is the number staff
    confirmed; when it no longer holds, nothing is sent (MailingRecipientsChanged). ``send_key`` is the one-time key
    of that confirmation: a second use (a resubmitted form, a retried request) sends nothing (MailingAlreadySent)."""
    if not may_write_to_event_people(by):
        raise errors.MailingNotAllowed()
    statuses = validate_statuses(statuses)
    subject, body = validate_mailing_text(subject=subject, body=body)
    with transaction.atomic():
        registration_ids = list(mailing_recipients(event=event, statuses=statuses).values_list("pk", flat=True))
        if not registration_ids:
            raise errors.MailingNoRecipients()
        if expected_count is not None and expected_count != len(registration_ids):
            raise errors.MailingRecipientsChanged()
        if send_key is not None:
            # The usual case of a replay; two requests at the same moment are decided by the unique constraint below.
            earlier = Mailing.objects.filter(send_key=send_key).first()
            if earlier is not None:
                raise errors.MailingAlreadySent(earlier)
        try:
            with transaction.atomic():
                mailing = Mailing.objects.create(
                    event=event,
                    statuses=statuses,
                    subject=subject,
                    body=body,
                    sent_by=by,
                    recipient_count=len(registration_ids),
                    send_key=send_key,
                )
        except IntegrityError:
            raise errors.MailingAlreadySent(Mailing.objects.filter(send_key=send_key).first()) from None
        deliveries = MailingDelivery.objects.bulk_create(
            [MailingDelivery(mailing=mailing, registration_id=pk) for pk in registration_ids]
        )
        audit_log_record(
            actor=by,
            action="mailing_sent",
            event=event,
            mailing=mailing.pk,
            statuses=statuses,
            count=len(registration_ids),
        )
        delivery_ids = [delivery.pk for delivery in deliveries]
        transaction.on_commit(lambda: _enqueue_deliveries(delivery_ids))
    return mailing


def _enqueue_deliveries(delivery_ids: list[int]) -> None:
    from .tasks import enqueue_mailing_delivery

    for delivery_id in delivery_ids:
        enqueue_mailing_delivery(delivery_id=delivery_id)


def mailing_send_test(*, event, statuses: Iterable[str], subject: str, body: str, by) -> Registration:
    """Queue the mail as the first recipient would get it, to ``by``'s own address (marked as a test in the
    subject). Returns that first recipient."""
    if not may_write_to_event_people(by):
        raise errors.MailingNotAllowed()
    statuses = validate_statuses(statuses)
    subject, body = validate_mailing_text(subject=subject, body=body)
    first = mailing_recipients(event=event, statuses=statuses).first()
    if first is None:
        raise errors.MailingNoRecipients()
    with transaction.atomic():
        audit_log_record(actor=by, action="mailing_test_sent", event=event, statuses=statuses, count=1)
        transaction.on_commit(lambda: _enqueue_test(by.pk, first.pk, subject, body))
    return first


def _enqueue_test(user_id: int, registration_id: int, subject: str, body: str) -> None:
    """One mail, sent right after commit in the request rather than through the queue: a queued task would keep
    the unsent draft's subject and text in the task table."""
    from .tasks import send_mailing_test

    send_mailing_test.call(user_id=user_id, registration_id=registration_id, subject=subject, body=body)


def mailing_delivery_started(*, delivery_id: int) -> None:
    MailingDelivery.objects.filter(pk=delivery_id).update(attempts=F("attempts") + 1)


def mailing_delivery_finish(*, delivery_id: int, failure: str = "") -> bool:
    """Record that a queued delivery was sent (no ``failure``) or failed (a DeliveryFailure), and count it on the
    mailing. A delivery is finished once: a second report (a task run twice) changes nothing and returns False."""
    if failure and failure not in DeliveryFailure.values:
        raise ValueError(failure)
    with transaction.atomic():
        delivery = MailingDelivery.objects.select_for_update().filter(pk=delivery_id).first()
        if delivery is None or delivery.state != DeliveryState.QUEUED:
            return False
        delivery.state = DeliveryState.FAILED if failure else DeliveryState.SENT
        delivery.failure = failure
        delivery.finished_at = timezone.now()
        delivery.save(update_fields=["state", "failure", "finished_at"])
        counter = "failed_count" if failure else "sent_count"
        Mailing.objects.filter(pk=delivery.mailing_id).update(**{counter: F(counter) + 1})
    return True


def event_mailings(*, event) -> list[Mailing]:
    """The earlier mailings of an event with their counts, newest first (one query)."""
    return list(Mailing.objects.filter(event=event).select_related("sent_by").order_by("-created", "-id"))


def personal_data_of(user) -> list[dict]:
    """For the person's data export: each mail staff wrote to them, as it was sent to them (placeholders filled)
    and what became of it."""
    deliveries = (
        MailingDelivery.objects.filter(registration__user=user)
        .select_related("mailing", "registration__event")
        .order_by("mailing__created", "id")
    )
    result = []
    for delivery in deliveries:
        subject, body = render_for(
            registration=delivery.registration, subject=delivery.mailing.subject, body=delivery.mailing.body
        )
        result.append(
            {
                "event": delivery.registration.event.title,
                "written_at": delivery.mailing.created.isoformat(),
                "subject": subject,
                "text": body,
                "state": delivery.state,
                "sent_at": delivery.finished_at.isoformat() if delivery.state == DeliveryState.SENT else None,
            }
        )
    return result
