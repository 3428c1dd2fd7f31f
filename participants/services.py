"""Writes for registrations: booking, waiting list, moderation, cancellation, attendance.

Seat booking is serialised per event: every service that takes or frees a seat first locks the event row
(``SELECT ... FOR UPDATE``) inside its transaction, then counts the seats afresh. Counting with
``select_for_update().count()`` would lock nothing; locking the one event row is what makes two
concurrent bookings wait for each other (see pretix' ``doc/development/implementation/locking.rst``).
The lock is held for milliseconds, so events do not block one another and one event's bookings queue
up fairly.

Every service runs in ``transaction.atomic()``, takes keyword-only arguments and raises a
``RegistrationError`` with a translatable message. Mails are enqueued after commit.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings
from django.db import IntegrityError, OperationalError, transaction
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from events.enums import EventStatus, QuestionKind, RegistrationMode, RegistrationState
from events.models import ANSWER_LONG_TEXT_MAX_LENGTH, ANSWER_TEXT_MAX_LENGTH, Event, Organisation, OrganisationType
from events.selectors import registration_phase
from kokportal.audit import audit_actions_register, audit_log_record
from kokportal.images import ImageInvalid, image_to_small_png
from kokportal.models import User
from kokportal.roles import acts_as_staff

from . import errors
from .enums import RegistrationStatus
from .models import (
    AttendanceCertificate,
    CertificateSignature,
    Invitation,
    Profile,
    Registration,
    RegistrationAnswer,
)
from .permissions import attendance_recordable, cancellation_refusal, check_in_refusal, may_get_certificate
from .selectors import (
    event_availability,
    seat_counts,
    upcoming_cancellable_registrations,
    waiting_list,
    waiting_who_fit,
)
from .tasks import enqueue_registration_mail

S = RegistrationStatus
LOCK_NOT_AVAILABLE = "55P03"  # PostgreSQL's SQLSTATE when lock_timeout expires

# Test-only switches to prove the concurrency test can fail (pretix does the same): with the lock off and a
# pause between counting and inserting, parallel bookings overbook. Never changed outside tests.
BOOKING_LOCK_ENABLED = True
after_seat_check: Callable[[], None] | None = None

audit_actions_register(
    {
        "check_in": gettext_lazy("Eingecheckt (Teilnahme vermerkt)"),
        "check_in_undo": gettext_lazy("Check-in zurückgenommen"),
    }
)


def _lock_event(event_id: int) -> Event:
    """Lock the event row for this transaction; raise EventBusy when the lock is not free within the connection's
    ``lock_timeout`` (settings: KOKPORTAL_LOCK_TIMEOUT, 3 s, as pretix gives up on its locks) instead of waiting
    forever. The lock is normally held for milliseconds; only a stuck transaction holds it longer, and it must not
    hang every booking of the event with it."""
    queryset = Event.objects.all()
    if not BOOKING_LOCK_ENABLED:
        return queryset.get(pk=event_id)
    try:
        return queryset.select_for_update(of=("self",)).get(pk=event_id)
    except OperationalError as error:
        if getattr(error.__cause__, "sqlstate", None) == LOCK_NOT_AVAILABLE:
            raise errors.EventBusy() from None
        raise


def _queue_mail(registration: Registration, kind: str, **facts) -> None:
    """Mail ``kind`` to the person after commit. ``facts`` are what the mail says about the change that the
    registration itself no longer shows (e.g. whether a cancelled seat went to someone waiting)."""
    # After commit, not inside the transaction: the database task backend would allow the latter, but it
    # keeps the event lock longer and measured worse p95 latency than a second, lock-free commit.
    transaction.on_commit(lambda: enqueue_registration_mail(registration_id=registration.pk, kind=kind, facts=facts))


@dataclass(frozen=True)
class RegistrationData:
    """What the registration form collected (already validated)."""

    first_name: str
    last_name: str
    organisation_type: OrganisationType
    organisation: Organisation | None
    new_organisation_name: str
    new_organisation_city: str
    function: str
    federal_state: str
    phone: str = ""
    accessibility_needs: str = ""
    dietary_needs: str = ""
    contact_list_consent: bool = False
    language: str = "de"
    # The answers to the event's own questions: (question, value) with the value as the form parsed it (str, int,
    # date, bool, or the option positions as a list of int); see answers_build.
    answers: tuple = ()
    # "Inform me about future practice days" (participants.invitations.consent_give); unticking the box of a person
    # who had consented withdraws it.
    future_events_consent: bool = False
    future_events_consent_withdraw: bool = False
    # At a hybrid event: online rather than at the venue (a virtual event: always online; in person: never).
    attends_online: bool = False


def _check_registration_open(event: Event, now) -> None:
    """Refuse unless events.selectors.registration_phase calls the event open, saying why."""
    phase = registration_phase(event, now)
    if phase == RegistrationState.OPEN:
        return
    if phase == RegistrationState.CANCELLED:
        raise errors.RegistrationClosed(_("Diese Veranstaltung wurde abgesagt."))
    if phase == RegistrationState.NOT_YET_OPEN:
        opens = timezone.localtime(event.registration_opens)
        raise errors.RegistrationClosed(
            _("Die Anmeldung öffnet am %(date)s um %(time)s Uhr.")
            % {"date": formats.date_format(opens, "DATE_FORMAT"), "time": opens.strftime("%H:%M")}
        )
    if event.status != EventStatus.PUBLISHED:
        raise errors.RegistrationClosed()
    raise errors.RegistrationClosed(_("Die Anmeldung ist geschlossen."))


def _resolve_organisation(data: RegistrationData) -> Organisation:
    if data.organisation is not None:
        if data.organisation.organisation_type_id != data.organisation_type.pk:
            raise errors.RegistrationError()
        return data.organisation
    organisation = Organisation.objects.filter(
        name__iexact=data.new_organisation_name,
        organisation_type=data.organisation_type,
        city__iexact=data.new_organisation_city,
    ).first()
    if organisation:
        return organisation
    return Organisation.objects.create(
        name=data.new_organisation_name,
        organisation_type=data.organisation_type,
        city=data.new_organisation_city,
        federal_state=data.federal_state,
        is_reviewed=False,
    )


def _update_profile(user: User, data: RegistrationData, organisation: Organisation) -> None:
    """Remember what the person entered: their name and language on the account, the rest in their profile,
    so the next form is prefilled."""
    if (user.first_name, user.last_name, user.language) != (data.first_name, data.last_name, data.language):
        user.first_name = data.first_name
        user.last_name = data.last_name
        user.language = data.language
        user.save(update_fields=["first_name", "last_name", "language"])
    profile = Profile(
        user=user,
        phone=data.phone,
        organisation_type=data.organisation_type,
        organisation=organisation,
        function=data.function,
        federal_state=data.federal_state,
    )
    # One statement (INSERT … ON CONFLICT DO UPDATE): the booking path is measured (benchmarks/README.md).
    Profile.objects.bulk_create(
        [profile],
        update_conflicts=True,
        unique_fields=["user"],
        update_fields=["phone", "organisation_type", "organisation", "function", "federal_state", "modified"],
    )


def answers_build(*, registration: Registration, answers) -> list[RegistrationAnswer]:
    """Unsaved answers of ``registration`` to its event's questions, checked once more here (the form checks them
    for the person): each question belongs to the event and is asked of the registration's organisation type, at
    most one answer per question, every chosen option exists, texts and numbers within their limits. Empty answers
    are left out."""
    built, seen = [], set()
    for question, value in answers:
        if question.event_id != registration.event_id or not question.applies_to(registration.organisation_type_id):
            raise errors.InvalidAnswer()
        if question.pk in seen:
            raise errors.InvalidAnswer()
        seen.add(question.pk)
        answer = RegistrationAnswer(registration=registration, question=question)
        kind = question.kind
        if value in (None, "", []):
            continue
        if kind in QuestionKind.with_options():
            positions = sorted({value} if isinstance(value, int) else set(value))
            if kind == QuestionKind.SINGLE_CHOICE and len(positions) != 1:
                raise errors.InvalidAnswer()
            if any(not isinstance(p, int) or p < 0 or p >= len(question.option_list) for p in positions):
                raise errors.InvalidAnswer()
            answer.choices = positions
        elif kind == QuestionKind.YES_NO:
            answer.yes = bool(value)
        elif kind == QuestionKind.NUMBER:
            if (question.min_value is not None and value < question.min_value) or (
                question.max_value is not None and value > question.max_value
            ):
                raise errors.InvalidAnswer()
            answer.number = value
        elif kind == QuestionKind.DATE:
            answer.date = value
        else:
            limit = ANSWER_TEXT_MAX_LENGTH if kind == QuestionKind.TEXT else ANSWER_LONG_TEXT_MAX_LENGTH
            if len(value) > limit:
                raise errors.InvalidAnswer()
            answer.text = value
        built.append(answer)
    return built


def registration_create(
    *, event: Event, user: User, data: RegistrationData, invitation: Invitation | None = None
) -> Registration:
    """Register ``user`` for ``event``: confirmed (open events) or pending approval (moderated events) when
    a seat of their organisation type is free, otherwise on the waiting list. ``invitation`` is the personal
    invitation whose link the person opened (participants.invitations): an invitation-only event needs one.

    The event row is locked only for counting and inserting; the organisation and the profile are written
    before, so concurrent bookings of one event wait for each other as briefly as possible.
    """
    invited_type_ids = {t.pk for t in event.invited_types.all()}  # prefetched by registration_event()
    if data.organisation_type.pk not in invited_type_ids:
        raise errors.TypeNotInvited()
    if invitation is not None and invitation.event_id != event.pk:
        invitation = None
    if event.invitation_only and invitation is None:
        raise errors.InvitationRequired()
    try:
        with transaction.atomic():
            organisation = _resolve_organisation(data)
            _update_profile(user, data, organisation)
            event = _lock_event(event.pk)
            now = timezone.now()  # after the lock, so times follow the order of booking
            _check_registration_open(event, now)
            availability = event_availability(event, invited_type_ids=invited_type_ids)
            attends_online = event.is_virtual or (event.is_hybrid and data.attends_online)
            has_seat = availability.seat_for(data.organisation_type.pk, online=attends_online)
            if after_seat_check is not None:
                after_seat_check()
            if has_seat:
                status = S.PENDING if event.registration_mode == RegistrationMode.MODERATED else S.CONFIRMED
            else:
                status = S.WAITLISTED
            registration = Registration.objects.create(
                event=event,
                user=user,
                status=status,
                organisation_type=data.organisation_type,
                organisation=organisation,
                first_name=data.first_name,
                last_name=data.last_name,
                email=user.email,
                phone=data.phone,
                function=data.function,
                federal_state=data.federal_state,
                accessibility_needs=data.accessibility_needs,
                dietary_needs="" if attends_online else data.dietary_needs,
                attends_online=attends_online,
                language=data.language,
                privacy_consent_version=settings.KOKPORTAL["PRIVACY_NOTICE_VERSION"],
                privacy_consented_at=now,
                contact_list_consent=data.contact_list_consent,
                contact_list_consented_at=now if data.contact_list_consent else None,
                confirmed_at=now if status == S.CONFIRMED else None,
                waitlisted_at=now if status == S.WAITLISTED else None,
                invitation=invitation,
            )
            if data.future_events_consent:
                from .invitations import consent_give

                consent_give(user=user, registration=registration)
            elif data.future_events_consent_withdraw:
                from .invitations import consent_of, consent_withdraw

                consent = consent_of(user)
                if consent is not None:
                    consent_withdraw(consent=consent, by=user)
            if data.answers:
                RegistrationAnswer.objects.bulk_create(answers_build(registration=registration, answers=data.answers))
            _queue_mail(registration, {S.CONFIRMED: "confirmed", S.PENDING: "received"}.get(status, "waitlisted"))
    except IntegrityError as exc:
        # One active registration per person and event is a database constraint: it catches a double
        # submit without an extra query inside the lock.
        if "registration_one_active" in str(exc):
            raise errors.AlreadyRegistered() from None
        raise
    return registration


_PROMOTED_FIELDS = ["status", "confirmed_at", "waitlisted_at", "decided_by", "modified"]


def _mark_promoted(registration: Registration, event: Event, *, by: User | None = None) -> None:
    """Set what moving up changes (not saved): moderated events move people up into "pending" unless staff
    promote them by hand."""
    now = timezone.now()
    if event.registration_mode == RegistrationMode.MODERATED and by is None:
        registration.status = S.PENDING
    else:
        registration.status = S.CONFIRMED
        registration.confirmed_at = now
    registration.waitlisted_at = None
    registration.decided_by = by
    registration.modified = now


def _promote(registration: Registration, event: Event, *, by: User | None = None) -> None:
    _mark_promoted(registration, event, by=by)
    registration.save(update_fields=_PROMOTED_FIELDS)
    _queue_mail(registration, "promoted")


def waitlist_promote(*, event: Event) -> list[Registration]:
    """Move waitlisted people up while seats of their type are free, in the order they registered.

    Called inside the transaction of every change that frees or adds seats (cancellation, rejection,
    raised quota or capacity); the caller holds the event lock.

    The seats are counted once; who fits is then worked out in memory (selectors.waiting_who_fit), and everybody
    who moves up is saved in one statement: a constant number of queries inside the lock, however long the
    waiting list.
    """
    waiting = waiting_list(event)
    if not waiting:
        return []
    counts, quotas = seat_counts(event)
    promoted = waiting_who_fit(
        event=event,
        waiting=waiting,
        counts=counts,
        quotas=quotas,
        invited_type_ids=event.invited_types.values_list("pk", flat=True),
    )
    for registration in promoted:
        _mark_promoted(registration, event)
    Registration.objects.bulk_update(promoted, _PROMOTED_FIELDS)
    for registration in promoted:
        _queue_mail(registration, "promoted")
    return promoted


def _locked_registration(registration_id: int) -> tuple[Registration, Event]:
    event_id = Registration.objects.values_list("event_id", flat=True).get(pk=registration_id)
    event = _lock_event(event_id)
    registration = Registration.objects.select_for_update().get(pk=registration_id)
    registration.event = event
    return registration, event


def _require(registration: Registration, allowed: list[str]) -> None:
    if registration.status not in allowed:
        raise errors.InvalidTransition()


@transaction.atomic
def registration_cancel(*, registration: Registration, by: User) -> Registration:
    """Cancel a registration. Participants may cancel their own until the event's deadline; staff always.
    The freed seat goes to the next person on the waiting list in the same transaction."""
    registration, event = _locked_registration(registration.pk)
    refusal = cancellation_refusal(registration, by)
    if refusal is not None:
        raise refusal
    _cancel_locked(registration, event, by_office=by.pk != registration.user_id)
    return registration


def _cancel_locked(registration: Registration, event: Event, *, by_office: bool = False) -> None:
    """The cancellation itself, with the event locked by the caller: the seat is freed, the next person waiting
    moves up in the same transaction (and is mailed), and the "cancelled" mail says whether that happened and
    whether the office cancelled rather than the person."""
    was_waitlisted = registration.status == S.WAITLISTED
    registration.status = S.CANCELLED
    registration.cancelled_at = timezone.now()
    registration.waitlisted_at = None
    registration.save(update_fields=["status", "cancelled_at", "waitlisted_at", "modified"])
    promoted = waitlist_promote(event=event)
    _queue_mail(
        registration,
        "cancelled",
        was_waitlisted=was_waitlisted,
        seat_passed_on=bool(promoted),
        by_office=by_office,
    )


@transaction.atomic
def registrations_cancel_for_account_deletion(*, user: User) -> list[Registration]:
    """Cancel the upcoming registrations of a person who deletes their account, before it is anonymised.

    The same transition as ``registration_cancel`` (``_cancel_locked`` with the event row locked), but without the
    participants' cancellation deadline: the right to erasure does not end at the deadline, and an anonymised
    registration must not keep a seat nobody can claim. Events are locked in id order, one at a time.
    (The "cancelled" mail itself is skipped by the mail task, because the registration is anonymised by then.)
    """
    cancelled = []
    ids = list(upcoming_cancellable_registrations(user=user).order_by("event_id", "pk").values_list("pk", flat=True))
    for registration_id in ids:
        registration, event = _locked_registration(registration_id)
        if registration.status not in S.cancellable():
            continue  # changed by staff since it was read
        _cancel_locked(registration, event)
        cancelled.append(registration)
    return cancelled


@transaction.atomic
def registration_approve(*, registration: Registration, by: User) -> Registration:
    """Staff confirm a pending registration of a moderated event (its seat is already held)."""
    registration, event = _locked_registration(registration.pk)
    _require(registration, [S.PENDING])
    registration.status = S.CONFIRMED
    registration.confirmed_at = timezone.now()
    registration.decided_by = by
    registration.save(update_fields=["status", "confirmed_at", "decided_by", "modified"])
    _queue_mail(registration, "confirmed")
    return registration


@transaction.atomic
def registration_reject(*, registration: Registration, by: User) -> Registration:
    registration, event = _locked_registration(registration.pk)
    _require(registration, [S.PENDING, S.WAITLISTED])
    registration.status = S.REJECTED
    registration.decided_by = by
    registration.waitlisted_at = None
    registration.save(update_fields=["status", "decided_by", "waitlisted_at", "modified"])
    _queue_mail(registration, "rejected")
    waitlist_promote(event=event)
    return registration


@transaction.atomic
def registration_promote(*, registration: Registration, by: User) -> Registration:
    """Staff move a waitlisted person up by hand, out of turn; only into a free seat, never overbooking."""
    registration, event = _locked_registration(registration.pk)
    _require(registration, [S.WAITLISTED])
    availability = event_availability(event)
    if registration.attends_online and availability.online is not None:
        has_seat = availability.online.free > 0
    else:
        has_seat = availability.has_seat_for(registration.organisation_type_id)
    if not has_seat:
        raise errors.NoSeatAvailable()
    _promote(registration, event, by=by)
    return registration


@transaction.atomic
def registration_mark_attended(*, registration: Registration, by: User) -> Registration:
    """Staff record attendance in the admin, at any time (e.g. afterwards from the signed sheet). On the day the
    event's team and staff use the check-in (``registration_check_in``)."""
    if not acts_as_staff(by):
        raise errors.CheckInNotAllowed()
    registration, event = _locked_registration(registration.pk)
    _require(registration, [S.CONFIRMED, S.ATTENDED])
    if not attendance_recordable(event):
        raise errors.AttendanceTooEarly()
    _set_attendance(registration, S.ATTENDED, by=by)
    return registration


def _set_attendance(registration: Registration, status: str, *, by: User) -> None:
    """Mark attended or take it back; taking it back revokes every certificate of attendance issued for the
    registration in the same transaction (its verification link stops confirming it)."""
    registration.status = status
    registration.decided_by = by
    registration.save(update_fields=["status", "decided_by", "modified"])
    if status != S.ATTENDED:
        certificates_revoke(registration=registration)


@transaction.atomic
def registration_check_in(*, registration: Registration, by: User, now=None) -> Registration:
    """Check a person in on the day (CONFIRMED -> ATTENDED), by staff or the event's team inside the check-in window
    (permissions.check_in_refusal). Checking in someone already checked in changes nothing (a retried tap), so the
    audit log records only real changes (ids only)."""
    registration, _event = _locked_registration(registration.pk)
    refusal = check_in_refusal(registration, by, now=now)
    if refusal is not None:
        raise refusal
    if registration.status != S.ATTENDED:
        _set_attendance(registration, S.ATTENDED, by=by)
        audit_log_record(actor=by, action="check_in", event=registration.event, registration_id=registration.pk)
    return registration


@transaction.atomic
def registration_check_in_undo(*, registration: Registration, by: User, now=None) -> Registration:
    """Take a check-in back (ATTENDED -> CONFIRMED: a wrong tap), by the same people in the same window as the
    check-in. The seat stays held throughout, so nobody moves up. Undoing where nobody was checked in changes
    nothing (a retried tap). Recorded in the audit log (ids only)."""
    registration, _event = _locked_registration(registration.pk)
    refusal = check_in_refusal(registration, by, undo=True, now=now)
    if refusal is not None:
        raise refusal
    if registration.status != S.CONFIRMED:
        _set_attendance(registration, S.CONFIRMED, by=by)
        audit_log_record(actor=by, action="check_in_undo", event=registration.event, registration_id=registration.pk)
    return registration


@transaction.atomic
def registration_unmark_attended(*, registration: Registration, by: User) -> Registration:
    """Undo a recorded attendance (marked by mistake): back to confirmed. Every certificate of attendance issued
    for the registration is revoked in the same transaction, so its verification link stops confirming it."""
    registration, _event = _locked_registration(registration.pk)
    _require(registration, [S.ATTENDED])
    _set_attendance(registration, S.CONFIRMED, by=by)
    return registration


# What staff may correct in a registration (a typo, the right organisation of the same type). Event, person,
# organisation type and status change only through booking, cancellation and moderation; consent only by the
# person.
DETAILS_STAFF_MAY_CORRECT = (
    "first_name",
    "last_name",
    "email",
    "phone",
    "language",
    "organisation",
    "function",
    "federal_state",
    "accessibility_needs",
    "dietary_needs",
)


@transaction.atomic
def registration_details_update(*, registration: Registration, by: User, changes: dict) -> Registration:
    """Staff correct what a person entered. Anonymised registrations stay as they are; the organisation must be
    of the registration's type (the seat was taken for that type)."""
    if not acts_as_staff(by):
        raise errors.InvalidTransition()
    unknown = set(changes) - set(DETAILS_STAFF_MAY_CORRECT)
    if unknown:
        raise ValueError(f"not correctable in a registration: {sorted(unknown)}")
    registration = Registration.objects.select_for_update().get(pk=registration.pk)
    if registration.anonymised_at is not None:
        raise errors.InvalidTransition()
    organisation = changes.get("organisation")
    if organisation is not None and organisation.organisation_type_id != registration.organisation_type_id:
        raise errors.OrganisationTypeMismatch()
    if not changes:
        return registration
    for field, value in changes.items():
        setattr(registration, field, value)
    registration.save(update_fields=[*changes, "modified"])
    return registration


@transaction.atomic
def seats_changed(*, event: Event) -> list[Registration]:
    """Call after staff raised a quota or the capacity: promotes whoever now fits."""
    event = _lock_event(event.pk)
    return waitlist_promote(event=event)


# --- certificates of attendance -------------------------------------------------------------------------------------

# 32 letters and digits without the look-alikes 0/O and 1/I: 16 of them are 80 random bits, printed in four groups.
CERTIFICATE_CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
CERTIFICATE_CODE_LENGTH = 16


def certificate_code_new() -> str:
    """A new random verification code, e.g. ``K7QM-2XHD-P9RA-WC4T`` (secrets: unguessable, not derived from ids)."""
    raw = "".join(secrets.choice(CERTIFICATE_CODE_ALPHABET) for _ in range(CERTIFICATE_CODE_LENGTH))
    return "-".join(raw[i : i + 4] for i in range(0, CERTIFICATE_CODE_LENGTH, 4))


def _new_certificate(registration: Registration, *, by: User | None, now) -> AttendanceCertificate:
    return AttendanceCertificate(
        registration=registration, code=certificate_code_new(), issued_at=now, issued_by=by if by else None
    )


@transaction.atomic
def certificate_issue(*, registration: Registration, by: User | None = None) -> AttendanceCertificate:
    """The valid certificate of ``registration``, issued now if it has none yet (idempotent: the person's download
    and the office's mail give the same code). Refused unless the registration is marked attended."""
    registration = Registration.objects.select_for_update().select_related("event").get(pk=registration.pk)
    if not may_get_certificate(registration):
        raise errors.NotAttended()
    existing = AttendanceCertificate.objects.filter(registration=registration, revoked_at__isnull=True).first()
    if existing is not None:
        return existing
    certificate = _new_certificate(registration, by=by, now=timezone.now())
    certificate.save()
    return certificate


@transaction.atomic
def certificates_issue_for_event(*, event: Event, by: User) -> list[AttendanceCertificate]:
    """The valid certificates of everyone marked attended at ``event``, issuing the missing ones, in a fixed number
    of queries: the attended registrations are locked (an attendance undone meanwhile waits), the existing
    certificates read once, the new ones inserted in one statement. Ordered by name. Refused before the event's
    day and for drafts and cancelled events (CertificatesTooEarly)."""
    if event.status != EventStatus.PUBLISHED or event.date > timezone.localdate():
        raise errors.CertificatesTooEarly()
    registrations = list(
        Registration.objects.select_for_update(of=("self",))
        .filter(event=event, status=S.ATTENDED, anonymised_at__isnull=True)
        .order_by("last_name", "first_name", "pk")
    )
    existing = {
        c.registration_id: c
        for c in AttendanceCertificate.objects.filter(registration__in=registrations, revoked_at__isnull=True)
    }
    now = timezone.now()
    missing = [_new_certificate(r, by=by, now=now) for r in registrations if r.pk not in existing]
    AttendanceCertificate.objects.bulk_create(missing)
    created = {c.registration_id: c for c in missing}
    certificates = []
    for registration in registrations:
        certificate = existing.get(registration.pk) or created[registration.pk]
        certificate.registration = registration
        certificates.append(certificate)
    return certificates


def certificates_revoke(*, registration: Registration) -> int:
    """Revoke the valid certificates of ``registration`` (called inside the transaction that undoes the
    attendance). Returns how many were revoked."""
    return AttendanceCertificate.objects.filter(registration=registration, revoked_at__isnull=True).update(
        revoked_at=timezone.now(), modified=timezone.now()
    )


def certificate_mark_sent(*, certificate_id: int) -> None:
    """Record that the certificate went out by mail (the send task, after sending)."""
    AttendanceCertificate.objects.filter(pk=certificate_id).update(sent_at=timezone.now(), modified=timezone.now())


# The signature image: checked by its content (Pillow reads it; only PNG and JPEG), never by its name or the type the
# browser claims; at most SIGNATURE_MAX_BYTES uploaded and SIGNATURE_MAX_PIXELS decoded (no decompression bomb);
# re-encoded as a PNG of at most SIGNATURE_BOX pixels and SIGNATURE_PNG_MAX_BYTES (the PDF renderer's limit for
# embedded images), so nothing of the uploaded file but its pixels reaches a PDF.
SIGNATURE_MAX_BYTES = 2 * 1024 * 1024
SIGNATURE_MAX_PIXELS = 25_000_000
SIGNATURE_BOX = (900, 300)
SIGNATURE_PNG_MAX_BYTES = 60 * 1024


def signature_image_to_png(data: bytes) -> tuple[bytes, int, int]:
    """``data`` (an uploaded PNG or JPEG) as a small PNG with its width and height; SignatureImageInvalid else. A
    signature is a few colours on white: 64 colours keep it sharp and the file small."""
    try:
        return image_to_small_png(
            data,
            max_bytes=SIGNATURE_MAX_BYTES,
            max_pixels=SIGNATURE_MAX_PIXELS,
            box=SIGNATURE_BOX,
            png_max_bytes=SIGNATURE_PNG_MAX_BYTES,
        )
    except ImageInvalid as exc:
        raise errors.SignatureImageInvalid() from exc


@transaction.atomic
def certificate_signature_update(
    *, by: User, name: str, role: str, role_en: str, image: bytes | None = None, remove_image: bool = False
) -> CertificateSignature:
    """Staff set KOK's signature block (name and role lines, the signature image). ``image`` replaces the image
    (checked and re-encoded, see signature_image_to_png); ``remove_image`` removes it."""
    if not acts_as_staff(by):
        raise errors.CertificateError()
    signature, _created = CertificateSignature.objects.select_for_update().get_or_create(
        id=CertificateSignature.SINGLETON_ID
    )
    signature.name, signature.role, signature.role_en = name.strip(), role.strip(), role_en.strip()
    if image is not None:
        signature.image_png, signature.image_width, signature.image_height = signature_image_to_png(image)
    elif remove_image:
        signature.image_png = signature.image_width = signature.image_height = None
    signature.save()
    return signature
