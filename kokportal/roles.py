"""Who acts as staff, and the staff roles as Django groups with model permissions.

Acting as staff (``acts_as_staff``) is the one definition every permission check of the portal uses: an active
account with ``is_staff`` whose *current session* passed a second factor (TOTP, a security key or a recovery
code, recorded by django-allauth). ``StaffSecondFactorMiddleware`` works that out once per request and sends
staff without it to set up or enter their second factor before the admin; everywhere else such an account has
no more rights than any participant.

- KOK-Geschäftsstelle (office staff): run events, registrations, workshops, case examples and feedback;
  see accounts but not change them; no deleting of registrations (they are cancelled or anonymised
  through the services, so figures stay right).
- KOK-Administration: everything, including accounts, groups and the audit log.

Co-organisers and facilitators are not groups: they are per event (events.EventTeamMember, workshop
facilitators) and see only their event's pages in the portal, never the admin.
"""

from __future__ import annotations

from django.contrib.auth.models import Group, Permission
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from .errors import DomainError

OFFICE = "KOK-Geschäftsstelle"
ADMINISTRATION = "KOK-Administration"

OFFICE_APPS = ("events", "participants", "casework", "feedback")
# Of the base app, office staff may look at accounts and the audit log; changing accounts is administration.
OFFICE_BASE_PERMISSIONS = ("view_user", "view_auditlogentry")
OFFICE_EXCLUDED = {"participants.delete_registration"}

# Set on request.user by StaffSecondFactorMiddleware; absent (False) on users loaded any other way.
SECOND_FACTOR_PASSED = "second_factor_passed"


def acts_as_staff(user) -> bool:
    """Staff powers: an active staff account whose session passed a second factor."""
    return bool(
        user is not None
        and user.is_authenticated
        and user.is_active
        and user.is_staff
        and getattr(user, SECOND_FACTOR_PASSED, False)
    )


def has_second_factor(user) -> bool:
    """The account has a TOTP app or a security key (recovery codes alone are no second factor)."""
    from allauth.mfa.models import Authenticator
    from allauth.mfa.utils import is_mfa_enabled

    return is_mfa_enabled(user, [Authenticator.Type.TOTP, Authenticator.Type.WEBAUTHN])


def session_passed_second_factor(request) -> bool:
    """django-allauth records every authentication step of a session; "mfa" is a second factor (TOTP, security
    key or recovery code), at login, on re-authentication or when the authenticator was just set up."""
    from allauth.account.internal.flows.login import get_authentication_records

    return any(record.get("method") == "mfa" for record in get_authentication_records(request, request.user))


def record_second_factor_setup(sender, request=None, user=None, authenticator=None, **kwargs) -> None:
    """Setting up a TOTP app or a security key proves the second factor: count it for this session, so staff
    are not asked for a second code right after the first (allauth's ``authenticator_added`` signal)."""
    from allauth.account.internal.flows.login import record_authentication

    if (
        request is not None
        and user is not None
        and authenticator is not None
        and authenticator.type != "recovery_codes"
    ):
        record_authentication(request, user, "mfa", type=authenticator.type, id=authenticator.pk, setup=True)


def forget_second_factor(sender, request=None, user=None, authenticator=None, **kwargs) -> None:
    """A removed TOTP app or security key no longer vouches for this session: the staff member passes a second
    factor again (allauth's ``authenticator_removed`` signal)."""
    from allauth.account.internal.flows.login import AUTHENTICATION_METHODS_SESSION_KEY

    if request is None or authenticator is None or authenticator.type == "recovery_codes":
        return
    records = request.session.get(AUTHENTICATION_METHODS_SESSION_KEY)
    if isinstance(records, list):
        request.session[AUTHENTICATION_METHODS_SESSION_KEY] = [r for r in records if r.get("method") != "mfa"]


def fresh_login_counts_as_reauthentication(request) -> bool:
    """A staff account without a second factor is sent to set one up right after logging in; allauth asks for a
    re-authentication before a factor is added (password, or a mailed code without one), which meant entering the
    password or a code twice in a row. The login itself proves the same a moment later: while it is younger than
    ``ACCOUNT_REAUTHENTICATION_TIMEOUT`` it counts as the re-authentication (marked on the login's own record, so
    the window still runs from the login). Returns whether it did."""
    import time

    from allauth.account import app_settings as account_settings
    from allauth.account.internal.flows.login import AUTHENTICATION_METHODS_SESSION_KEY

    records = request.session.get(AUTHENTICATION_METHODS_SESSION_KEY)
    if not isinstance(records, list) or not records or any(r.get("reauthenticated") for r in records):
        return False
    login = records[-1]
    if time.time() - login.get("at", 0) >= account_settings.REAUTHENTICATION_TIMEOUT:
        return False
    request.session[AUTHENTICATION_METHODS_SESSION_KEY] = [*records[:-1], {**login, "reauthenticated": True}]
    return True


class OwnSecondFactorReset(DomainError):
    default_message = _(
        "Ihren eigenen zweiten Faktor ändern Sie in Ihrem Konto unter „Zwei-Faktor-Authentifizierung“ (mit erneuter "
        "Bestätigung), nicht hier."
    )


def second_factor_reset(*, user, by) -> int:
    """Remove an account's authenticator app, security keys and recovery codes, e.g. after a lost phone: a staff
    account then sets up a new factor at its next login (``StaffSecondFactorMiddleware``). Not for one's own account,
    whose factors are changed on the account pages after a re-authentication. Returns how many were removed."""
    from allauth.mfa.models import Authenticator

    if user.pk == by.pk:
        raise OwnSecondFactorReset()
    with transaction.atomic():
        removed, _per_model = Authenticator.objects.filter(user=user).delete()
    return removed


def sync_staff_groups() -> dict[str, int]:
    office, _ = Group.objects.get_or_create(name=OFFICE)
    administration, _ = Group.objects.get_or_create(name=ADMINISTRATION)
    portal = Permission.objects.select_related("content_type").filter(content_type__app_label__in=OFFICE_APPS)
    office_perms = [p for p in portal if f"{p.content_type.app_label}.{p.codename}" not in OFFICE_EXCLUDED] + list(
        Permission.objects.filter(content_type__app_label="kokportal", codename__in=OFFICE_BASE_PERMISSIONS)
    )
    office.permissions.set(office_perms)
    administration.permissions.set(Permission.objects.all())
    return {OFFICE: len(office_perms), ADMINISTRATION: administration.permissions.count()}


def sync_staff_groups_after_migrate(sender, app_config=None, using="default", **kwargs) -> None:
    """After the last app's post_migrate, when the permissions of every app exist."""
    from django.apps import apps

    if app_config is not None and app_config is list(apps.get_app_configs())[-1]:
        sync_staff_groups()
