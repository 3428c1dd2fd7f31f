"""Who may do what with registrations. The one place of these rules; the services enforce them, the pages show
them (a button appears exactly when the action would succeed)."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from events.enums import EventStatus
from events.permissions import is_event_team, material_visibilities
from kokportal.roles import acts_as_staff

from . import errors
from .enums import RegistrationStatus
from .models import Registration


def cancellation_refusal(
    registration: Registration, by, now: dt.datetime | None = None
) -> errors.RegistrationError | None:
    """Why ``by`` may not cancel ``registration`` now, or None when they may. Staff may cancel any pending,
    confirmed or waitlisted registration; participants their own until the event's cancellation deadline."""
    if registration.status not in RegistrationStatus.cancellable():
        return errors.InvalidTransition()
    if acts_as_staff(by):
        return None
    if registration.user_id != by.pk:
        return errors.InvalidTransition()
    if (now or timezone.now()) >= registration.event.effective_cancellation_deadline:
        return errors.CancellationDeadlinePassed()
    return None


def may_cancel(registration: Registration, by, now: dt.datetime | None = None) -> bool:
    return cancellation_refusal(registration, by, now) is None


def may_download_ical(registration: Registration) -> bool:
    """A calendar entry is offered once the person is expected on the day: confirmed (as the confirmation mail
    carries it); not while the registration awaits approval, not on the waiting list, not after a cancellation or
    rejection, not once attendance is recorded."""
    return registration.status == RegistrationStatus.CONFIRMED


def may_see_contact_list(*, user, event) -> bool:
    """Only confirmed participants who are on the list themselves may see it (give and take)."""
    if not user or not user.is_authenticated:
        return False
    return Registration.objects.filter(
        event=event, user=user, status__in=RegistrationStatus.participating(), contact_list_consent=True
    ).exists()


def material_visibilities_of(user, event) -> frozenset[str]:
    """Which materials of ``event`` ``user`` may see (events.permissions.material_visibilities), with "registered"
    meaning a registration taking part: confirmed, or attended after the day (not pending, waiting, cancelled or
    rejected). At most two queries (team, registration), none for anonymous visitors."""
    participant = bool(
        user
        and user.is_authenticated
        and Registration.objects.filter(event=event, user=user, status__in=RegistrationStatus.participating()).exists()
    )
    return material_visibilities(user, event, participant=participant)


# --- check-in on the day -----------------------------------------------------------------------------------------
#
# The window: the day before the event (setting up, arrivals the evening before), the day itself and the day after
# (corrections), in local calendar days: from 0:00 on the day before until 24:00 on the day after. Outside it the
# check-in page shows the list without buttons; attendance afterwards is recorded by staff in the admin (from the
# sign-in sheet, services.registration_mark_attended).
CHECK_IN_DAYS_BEFORE = 1
CHECK_IN_DAYS_AFTER = 1


def may_run_check_in(user, event) -> bool:
    """The check-in page and the badges' check-in links: staff and the event's team (co-organisers, facilitators)."""
    return acts_as_staff(user) or is_event_team(user, event)


def check_in_window(event) -> tuple[dt.datetime, dt.datetime]:
    """When people can be checked in: [opens, closes) in local time (see CHECK_IN_DAYS_BEFORE/AFTER)."""
    opens = dt.datetime.combine(event.date - dt.timedelta(days=CHECK_IN_DAYS_BEFORE), dt.time.min)
    closes = dt.datetime.combine(event.last_date + dt.timedelta(days=CHECK_IN_DAYS_AFTER + 1), dt.time.min)
    return timezone.make_aware(opens), timezone.make_aware(closes)


def check_in_open(event, now: dt.datetime | None = None) -> bool:
    """A published event inside its check-in window."""
    opens, closes = check_in_window(event)
    return event.status == EventStatus.PUBLISHED and opens <= (now or timezone.now()) < closes


def check_in_refusal(
    registration: Registration, by, *, undo: bool = False, now: dt.datetime | None = None
) -> errors.RegistrationError | None:
    """Why ``by`` may not check ``registration`` in (or, with ``undo``, take the check-in back) now, or None.

    Staff and the event's team, while the check-in is open; only people with a seat (confirmed, or attended
    already: a repeated tap, e.g. a retry after a lost answer, changes nothing). Undo the same way back."""
    if not may_run_check_in(by, registration.event):
        return errors.CheckInNotAllowed()
    if not check_in_open(registration.event, now):
        return errors.CheckInClosed()
    if registration.status not in (RegistrationStatus.CONFIRMED, RegistrationStatus.ATTENDED):
        return errors.CheckInNotExpected() if not undo else errors.InvalidTransition()
    if registration.anonymised_at is not None:
        return errors.InvalidTransition()
    return None


def may_write_to_event_people(user) -> bool:
    """Who may write a mail to the people of an event (participants.mailings): staff with the admin permission to
    add such mails (both KOK groups have it)."""
    return acts_as_staff(user) and user.has_perm("participants.add_mailing")


def attendance_recordable(event, now: dt.datetime | None = None) -> bool:
    """Attendance can be recorded for a published event from the opening of its check-in (the day before) on, and
    at any time after it (staff from the signed sheet); never for a draft, a cancelled or a future event."""
    return event.status == EventStatus.PUBLISHED and (now or timezone.now()) >= check_in_window(event)[0]


def may_get_certificate(registration: Registration, today: dt.date | None = None) -> bool:
    """A certificate of attendance exists only for a registration marked attended (and not anonymised) of a
    published event whose (last) day has come. The person gets their own (views check ownership through
    selectors.registration_of_user); staff send them."""
    event = registration.event
    return (
        registration.status == RegistrationStatus.ATTENDED
        and registration.anonymised_at is None
        and event.status == EventStatus.PUBLISHED
        # A multi-day event is attended once its last day has come.
        and event.last_date <= (today or timezone.localdate())
    )


def may_see_online_access(registration: Registration) -> bool:
    """The online access data (link and code) go to people who take part and take part online: everybody at a
    virtual event, at a hybrid one those who chose online."""
    event = registration.event
    return registration.status in RegistrationStatus.participating() and (
        event.is_virtual or (event.is_hybrid and registration.attends_online)
    )
