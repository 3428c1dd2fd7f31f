"""Logging a test client in the way a person logs in, second factor included."""

from django.test import Client, RequestFactory

from kokportal.roles import has_second_factor


def pass_second_factor(client: Client, user) -> None:
    """Record in the client's session that it passed the second factor, as allauth does after a TOTP code."""
    from allauth.account.internal.flows.login import record_authentication

    request = RequestFactory().get("/")
    request.session = client.session
    request.user = user
    record_authentication(request, user, "mfa", type="totp")
    request.session.save()


def login(client: Client, user) -> Client:
    """Log ``user`` in; staff with an authenticator also pass their second factor (as at a real login)."""
    client.force_login(user)
    if user.is_staff and has_second_factor(user):
        pass_second_factor(client, user)
    return client


def office_client() -> Client:
    """A client logged in as a member of the group KOK-Geschäftsstelle, second factor passed."""
    from django.contrib.auth.models import Group

    from kokportal.roles import OFFICE, sync_staff_groups
    from tests.factories import StaffFactory

    sync_staff_groups()
    staff = StaffFactory()
    staff.groups.add(Group.objects.get(name=OFFICE))
    return login(Client(), staff)
