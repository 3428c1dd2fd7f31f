"""Data protection (DSGVO): a person's data export, account deletion, and retention.

Registrations are anonymised, never deleted: the personal fields are blanked while organisation,
organisation type, federal state and status stay, so the figures of past events (and their
documentation) remain right.

Retention (``retention_run``, daily through ``manage.py purge_personal_data``) covers, after
``KOKPORTAL["RETENTION_MONTHS"]``:

- registrations of past events (anonymised); their certificates of attendance are deleted with them (a
  certificate names the person, and its verification link answers 404 from then on);
- accounts without activity: no login (or, never logged in, created) and no registration or team role for an
  event in the period. Staff and superusers are never included. The person is warned by mail
  ``KOKPORTAL["INACTIVE_ACCOUNT_WARNING_DAYS"]`` days before; logging in keeps the account. Deactivated accounts
  (which cannot log in) are deleted without a warning. Deletion goes through ``account_delete``, as when the
  person deletes the account themselves;
- organisations participants entered (not reviewed, not a KOK member) that no registration, account or event
  refers to any more (deleted);
- the admin's change log (``django_admin_log``): object names and change messages of older entries are replaced
  by the object's id, so names and e-mail addresses do not outlive the objects.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass

from django.conf import settings
from django.contrib.admin.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.db.models import CharField, Exists, F, OuterRef, Prefetch, Q, TextField, Value
from django.db.models.functions import Coalesce, Concat
from django.utils import timezone

from events.models import EventTeamMember, Organisation
from kokportal.models import User

from . import invitations, services
from .models import AttendanceCertificate, Profile, Registration, RegistrationAnswer
from .tasks import enqueue_account_deletion_warning

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
    """Blank the personal fields of the given registrations and delete their certificates of attendance and their
    answers to the event's questions (idempotent)."""
    AttendanceCertificate.objects.filter(registration__in=queryset.values("pk")).delete()
    RegistrationAnswer.objects.filter(registration__in=queryset.values("pk")).delete()
    return queryset.filter(anonymised_at__isnull=True).update(**PERSONAL_FIELDS, anonymised_at=timezone.now())


# What the floors above keep about a person (workshop places, whether they gave feedback) goes into the export
# through these sections, which those apps register when they start (their AppConfig.ready): the export needs
# them, but this floor must not import from above (docs/architecture.md).
_EXPORT_SECTIONS: dict[str, Callable[[User], object]] = {}


def register_export_section(name: str, build: Callable[[User], object]) -> None:
    """Add ``name`` to every personal data export, built by ``build(user)`` (JSON-serialisable)."""
    _EXPORT_SECTIONS[name] = build


def personal_data_export(*, user: User) -> dict:
    """Everything the portal holds about ``user``, as JSON-serialisable data (Art. 15 and 20 DSGVO): the account,
    the profile, every registration and team role, and the sections of the apps above (register_export_section).
    """
    from allauth.account.models import EmailAddress

    from events.models import EventTeamMember

    def iso(value):
        return value.isoformat() if value else None

    registrations = (
        Registration.objects.filter(user=user)
        .select_related("event", "organisation", "organisation_type")
        .prefetch_related(
            Prefetch(
                "answers",
                queryset=RegistrationAnswer.objects.select_related("question").order_by(
                    "question__position", "question_id"
                ),
            )
        )
    )
    profile = Profile.objects.filter(user=user).select_related("organisation", "organisation_type").first()
    return {
        "exported_at": timezone.now().isoformat(),
        "account": {
            "email": user.email,
            "first_name": user.first_name,
            "last_name": user.last_name,
            "language": user.language,
            "date_joined": iso(user.date_joined),
            "last_login": iso(user.last_login),
            "profile": (
                {
                    "phone": profile.phone,
                    "organisation_type": str(profile.organisation_type) if profile.organisation_type else None,
                    "organisation": str(profile.organisation) if profile.organisation else None,
                    "function": profile.function,
                    "federal_state": profile.federal_state,
                }
                if profile
                else None
            ),
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
                "answers": [{"question": a.question.text, "answer": a.display_value} for a in r.answers.all()],
            }
            for r in registrations
        ],
        "certificates_of_attendance": [
            {
                "event": c.registration.event.title,
                "event_date": c.registration.event.date.isoformat(),
                "code": c.code,
                "issued_at": iso(c.issued_at),
                "sent_at": iso(c.sent_at),
                "revoked_at": iso(c.revoked_at),
            }
            for c in AttendanceCertificate.objects.filter(registration__user=user)
            .select_related("registration__event")
            .order_by("issued_at", "pk")
        ],
        "event_roles": [
            {"event": m.event.title, "role": m.role}
            for m in EventTeamMember.objects.filter(user=user).select_related("event")
        ],
        **{name: build(user) for name, build in sorted(_EXPORT_SECTIONS.items())},
    }


class AccountDeletionRefused(Exception):
    pass


@transaction.atomic
def account_delete(*, user: User) -> int:
    """Delete a person's account. Their upcoming registrations are cancelled first (the next person waiting
    moves up and is mailed), then all their registrations are anonymised so the counts stay; the admin log
    forgets their name, and an organisation only they referred to (entered by a participant, unreviewed) goes.

    Staff accounts are deactivated by an administrator instead (their approvals must stay attributable).
    """
    if user.is_staff:
        raise AccountDeletionRefused()
    cancelled = services.registrations_cancel_for_account_deletion(user=user)
    consent = invitations.consent_of(user)
    if consent is not None:
        invitations.consent_withdraw(consent=consent, by=user)
    registrations = Registration.objects.filter(user=user)
    registration_ids = list(registrations.values_list("pk", flat=True))
    anonymised = registrations_anonymise(registrations)
    admin_log_anonymise(_log_entries_about(User, [user.pk]) | _log_entries_about(Registration, registration_ids))
    organisation_id = Profile.objects.filter(user=user).values_list("organisation_id", flat=True).first()
    user.delete()
    if organisation_id is not None:
        organisations_purge_orphaned(ids=[organisation_id])
    logger.info("account deleted", extra={"count": anonymised, "cancelled": len(cancelled)})
    return anonymised


def months_before(day: dt.date, months: int) -> dt.date:
    """The same day ``months`` months earlier (the month's last day where that day does not exist)."""
    index = day.year * 12 + day.month - 1 - months
    year, month = divmod(index, 12)
    month += 1
    next_month = dt.date(year + month // 12, month % 12 + 1, 1)
    return dt.date(year, month, min(day.day, (next_month - dt.timedelta(days=1)).day))


def _start_of(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


@transaction.atomic
def retention_purge(*, months: int | None = None, today: dt.date | None = None) -> int:
    """Anonymise the registrations of events that ended more than ``months`` months ago (daily timer)."""
    months = settings.KOKPORTAL["RETENTION_MONTHS"] if months is None else months
    cutoff = months_before(today or timezone.localdate(), months)
    invitations.retention_purge(cutoff=cutoff)
    return registrations_anonymise(Registration.objects.filter(event__date__lt=cutoff))


# --- inactive accounts -------------------------------------------------------------------------------------------


def inactive_accounts(*, since: dt.date):
    """Participants' accounts without activity since ``since``: last login (or, never logged in, creation)
    before it, and no registration or team role for an event on or after it. Never staff or superusers."""
    return (
        User.objects.filter(is_staff=False, is_superuser=False)
        .alias(last_seen=Coalesce("last_login", "date_joined"))
        .filter(last_seen__lt=_start_of(since))
        .exclude(Exists(Registration.objects.filter(user=OuterRef("pk"), event__date__gte=since)))
        .exclude(Exists(EventTeamMember.objects.filter(user=OuterRef("pk"), event__date__gte=since)))
    )


@transaction.atomic
def inactive_accounts_warn(*, months: int, warning_days: int, now: dt.datetime) -> int:
    """Tell people whose account will be inactive ``warning_days`` days from now that it will be deleted then,
    unless they log in. Each period of inactivity is warned about once (a login starts a new one)."""
    deletion_day = timezone.localdate(now) + dt.timedelta(days=warning_days)
    ids = list(
        inactive_accounts(since=months_before(deletion_day, months))
        .filter(is_active=True)
        .exclude(inactivity_warned_at__gte=F("last_seen"))
        .values_list("pk", flat=True)
    )
    User.objects.filter(pk__in=ids).update(inactivity_warned_at=now)
    for user_id in ids:
        transaction.on_commit(
            lambda user_id=user_id: enqueue_account_deletion_warning(
                user_id=user_id, deletion_day=deletion_day.isoformat()
            )
        )
    return len(ids)


def inactive_accounts_delete(*, months: int, warning_days: int, now: dt.datetime) -> int:
    """Delete inactive accounts whose owners were warned at least ``warning_days`` days ago (and have not
    logged in since), and deactivated accounts, through ``account_delete``; each in its own transaction."""
    today = timezone.localdate(now)
    due = inactive_accounts(since=months_before(today, months)).filter(
        Q(is_active=False)
        | Q(
            inactivity_warned_at__gte=F("last_seen"),
            inactivity_warned_at__date__lte=today - dt.timedelta(days=warning_days),
        )
    )
    deleted = 0
    for user in due.order_by("pk"):
        account_delete(user=user)
        deleted += 1
    return deleted


# --- organisations and the admin log -------------------------------------------------------------------------------


def organisations_purge_orphaned(*, ids: Iterable[int] | None = None) -> int:
    """Delete organisations participants entered (unreviewed, not KOK members) that no registration, account or
    event refers to any more; only those of ``ids`` when given."""
    queryset = Organisation.objects.filter(is_reviewed=False, is_kok_member=False)
    if ids is not None:
        queryset = queryset.filter(pk__in=list(ids))
    queryset = (
        queryset.exclude(Exists(Registration.objects.filter(organisation=OuterRef("pk"))))
        .exclude(Exists(Profile.objects.filter(organisation=OuterRef("pk"))))
        .exclude(co_organised_events__isnull=False)
    )
    _total, per_model = queryset.delete()
    return per_model.get(Organisation._meta.label, 0)


def _anonymised_log_repr():
    return Concat(Value("#"), Coalesce("object_id", Value(""), output_field=TextField()), output_field=CharField())


def _log_entries_about(model, ids: Iterable[int]):
    return LogEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(model), object_id__in=[str(pk) for pk in ids]
    )


def admin_log_anonymise(queryset) -> int:
    """Replace the object name (a person's name or e-mail address for accounts and registrations) by the
    object's id and blank the change message (idempotent). Who did what and when stays."""
    anonymised = _anonymised_log_repr()
    return (
        queryset.alias(anonymised_repr=anonymised)
        .exclude(object_repr=F("anonymised_repr"), change_message="")
        .update(object_repr=anonymised, change_message="")
    )


def admin_log_purge(*, months: int, today: dt.date) -> int:
    """Anonymise the admin log entries older than ``months`` months."""
    return admin_log_anonymise(LogEntry.objects.filter(action_time__lt=_start_of(months_before(today, months))))


# --- the daily run ---------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class RetentionReport:
    registrations_anonymised: int
    accounts_deleted: int
    accounts_warned: int
    organisations_deleted: int
    log_entries_anonymised: int


def retention_run(*, months: int | None = None, now: dt.datetime | None = None) -> RetentionReport:
    """Everything retention does, in order (daily timer). Counts only are logged, never names or addresses."""
    months = settings.KOKPORTAL["RETENTION_MONTHS"] if months is None else months
    warning_days = settings.KOKPORTAL["INACTIVE_ACCOUNT_WARNING_DAYS"]
    now = now or timezone.now()
    today = timezone.localdate(now)
    registrations = retention_purge(months=months, today=today)
    deleted = inactive_accounts_delete(months=months, warning_days=warning_days, now=now)
    warned = inactive_accounts_warn(months=months, warning_days=warning_days, now=now)
    with transaction.atomic():
        organisations = organisations_purge_orphaned()
        log_entries = admin_log_purge(months=months, today=today)
    report = RetentionReport(
        registrations_anonymised=registrations,
        accounts_deleted=deleted,
        accounts_warned=warned,
        organisations_deleted=organisations,
        log_entries_anonymised=log_entries,
    )
    logger.info("retention run", extra=asdict(report))
    return report
