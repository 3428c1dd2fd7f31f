"""Who may do what with registrations. The one place of these rules; the services enforce them, the pages show
them (a button appears exactly when the action would succeed)."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

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


def may_write_to_event_people(user) -> bool:
    """Who may write a mail to the people of an event (participants.mailings): staff with the admin permission to
    add such mails (both KOK groups have it)."""
    return acts_as_staff(user) and user.has_perm("participants.add_mailing")


def may_get_certificate(registration: Registration) -> bool:
    """A certificate of attendance exists only for a registration marked attended (and not anonymised). The person
    gets their own (views check ownership through selectors.registration_of_user); staff send them."""
    return registration.status == RegistrationStatus.ATTENDED and registration.anonymised_at is None
