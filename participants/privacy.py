"""Data protection (DSGVO): a person's data export, account deletion, and retention.

Registrations are anonymised, never deleted: the personal fields are blanked while organisation,
organisation type, federal state and status stay, so the figures of past events (and their
documentation) remain right.
"""

from __future__ import annotations

import datetime as dt
import logging

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from .models import Registration, User

logger = logging.getLogger(__name__)

PERSONAL_FIELDS = {
    "first_name": "",
    "last_name": "",
    "email": "",
    "phone": "",
    "function": "",
    "accessibility_needs": "",
    "dietary_needs": "",
    "contact_list_consent": False,
    "contact_list_consented_at": None,
    "user": None,
}


def registrations_anonymise(queryset) -> int:
    """Blank the personal fields of the given registrations (idempotent)."""
    return queryset.filter(anonymised_at__isnull=True).update(**PERSONAL_FIELDS, anonymised_at=timezone.now())


def personal_data_export(*, user: User) -> dict:
    """Everything the portal holds about ``user``, as JSON-serialisable data (Art. 15 and 20 DSGVO).

    Feedback answers are stored without any link to a person, so they cannot be included; the export
    says whether the person has answered.
    """
    from allauth.account.models import EmailAddress

    from casework.models import WorkshopParticipant
    from events.models import EventTeamMember

    def iso(value):
        return value.isoformat() if value else None

    registrations = Registration.objects.filter(user=user).select_related("event", "organisation", "organisation_type")
    places = WorkshopParticipant.objects.filter(registration__user=user).select_related("workshop", "group")
    return {
        "exported_at": timezone.now().isoformat(),
        "account": {
            "email": user.email,
            "first_name": user.first_name,
            "last_name": user.last_name,
            "language": user.language,
            "date_joined": iso(user.date_joined),
            "last_login": iso(user.last_login),
            "phone": user.phone,
            "organisation_type": str(user.organisation_type) if user.organisation_type else None,
            "organisation": str(user.organisation) if user.organisation else None,
            "function": user.function,
            "federal_state": user.federal_state,
            "email_addresses": [
                {"email": a.email, "verified": a.verified, "primary": a.primary}
                for a in EmailAddress.objects.filter(user=user)
            ],
            "second_factors": list(user.authenticator_set.values_list("type", flat=True)),
        },
        "registrations": [
            {
                "event": r.event.title,
                "event_date": r.event.date.isoformat(),
                "status": r.status,
                "first_name": r.first_name,
                "last_name": r.last_name,
                "email": r.email,
                "phone": r.phone,
                "organisation": r.organisation.name,
                "organisation_type": r.organisation_type.name,
                "function": r.function,
                "federal_state": r.federal_state,
                "accessibility_needs": r.accessibility_needs,
                "dietary_needs": r.dietary_needs,
                "language": r.language,
                "privacy_consent_version": r.privacy_consent_version,
                "privacy_consented_at": iso(r.privacy_consented_at),
                "contact_list_consent": r.contact_list_consent,
                "contact_list_consented_at": iso(r.contact_list_consented_at),
                "registered_at": iso(r.created),
                "confirmed_at": iso(r.confirmed_at),
                "waitlisted_at": iso(r.waitlisted_at),
                "cancelled_at": iso(r.cancelled_at),
                "feedback_given": bool(getattr(r, "feedback_invitation", None) and r.feedback_invitation.answered),
            }
            for r in registrations
        ],
        "workshops": [
            {"workshop": p.workshop.title, "small_group": p.group.number if p.group else None} for p in places
        ],
        "event_roles": [
            {"event": m.event.title, "role": m.role}
            for m in EventTeamMember.objects.filter(user=user).select_related("event")
        ],
    }


class AccountDeletionRefused(Exception):
    pass


@transaction.atomic
def account_delete(*, user: User) -> int:
    """Delete a person's account; their registrations are anonymised so the counts stay. Staff accounts
    are deactivated by an administrator instead (their approvals must stay attributable)."""
    if user.is_staff:
        raise AccountDeletionRefused()
    anonymised = registrations_anonymise(Registration.objects.filter(user=user))
    user.delete()
    logger.info("account deleted", extra={"count": anonymised})
    return anonymised


def months_before(day: dt.date, months: int) -> dt.date:
    """The same day ``months`` months earlier (the month's last day where that day does not exist)."""
    index = day.year * 12 + day.month - 1 - months
    year, month = divmod(index, 12)
    month += 1
    next_month = dt.date(year + month // 12, month % 12 + 1, 1)
    return dt.date(year, month, min(day.day, (next_month - dt.timedelta(days=1)).day))


@transaction.atomic
def retention_purge(*, months: int | None = None, today: dt.date | None = None) -> int:
    """Anonymise the registrations of events that ended more than ``months`` months ago (daily timer)."""
    months = settings.KOKPORTAL["RETENTION_MONTHS"] if months is None else months
    cutoff = months_before(today or timezone.localdate(), months)
    return registrations_anonymise(Registration.objects.filter(event__date__lt=cutoff))
