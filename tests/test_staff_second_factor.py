"""Staff powers need a session that passed a second factor, on every page (security review, item 1).

A staff account without an authenticator, or a session that did not pass the second factor, has no more
rights than any participant outside the admin, and the admin sends it to set up or enter the second factor.
"""

import datetime as dt
import re

import pytest
from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value, yield_hotp_counters_from_time
from allauth.mfa.utils import decrypt
from django.conf import settings
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode

from casework.feedback.services import questionnaire_ensure_default
from kokportal.roles import acts_as_staff
from tests.auth import login, pass_second_factor
from tests.casework.factories import CaseExampleFactory, WorkshopFactory
from tests.factories import EventFactory, RegistrationFactory, StaffFactory

pytestmark = pytest.mark.django_db


def _login_by_code(client: Client, email: str):
    """The real flow: request a code, read it from the mail, enter it."""
    client.post(reverse("account_request_login_code"), {"email": email})
    code = re.search(r"\n([A-Z0-9]{4}-[A-Z0-9]{4})\n", mail.outbox[-1].body).group(1)
    return client.post(reverse("account_confirm_login_code"), {"code": code})


def _current_code(secret: str) -> str:
    counters = list(yield_hotp_counters_from_time())
    return format_hotp_value(hotp_value(secret, counters[len(counters) // 2]))


def _verified(staff):
    EmailAddress.objects.create(user=staff, email=staff.email, verified=True, primary=True)
    return staff


@pytest.fixture
def staff_urls():
    """Pages only staff (or the event's team) may open, for events outside any case window."""
    past = EventFactory(date=timezone.localdate() - dt.timedelta(days=40), past=True)
    future = EventFactory(date=timezone.localdate() + dt.timedelta(days=60))
    past_case = CaseExampleFactory(workshop=WorkshopFactory(event=past), approved=True)
    future_case = CaseExampleFactory(workshop=WorkshopFactory(event=future), approved=True)
    RegistrationFactory(event=future)
    questionnaire_ensure_default(event=past)
    return {
        "case 40 days after the event": reverse("casework:case", args=[past_case.pk]),
        "case before its window opens": reverse("casework:case", args=[future_case.pk]),
        "edit an approved case": reverse("casework:case_edit", args=[future_case.pk]),
        "contact list": reverse("documents:participant_list", args=[future.slug]),
        "sign-in sheet": reverse("documents:sign_in_sheet", args=[future.slug]),
        "badges": reverse("documents:badges", args=[future.slug]),
        "documentation with cases": reverse("documents:documentation", args=[past.slug]) + "?fallbeispiele=1",
        "feedback CSV with free texts": reverse("feedback:results_csv", args=[past.slug]),
        "feedback results": reverse("feedback:results", args=[past.slug]),
    }


def _answers(client: Client, urls: dict[str, str]) -> dict[str, int]:
    return {name: client.get(url).status_code for name, url in urls.items()}


def _redirects(client: Client, urls: dict[str, str]) -> dict[str, str]:
    """Where each page sends the client (the target without its ``next`` value); the status when it does not."""
    answers = {}
    for name, url in urls.items():
        response = client.get(url)
        answers[name] = (
            response["Location"].split("?next=")[0] + "?next=" if response.status_code == 302 else response.status_code
        )
    return answers


def test_staff_without_authenticator_logged_in_by_code_has_no_staff_powers(client, staff_urls):
    staff = _verified(StaffFactory(mfa=False, is_superuser=True, email="neu@kok-buero.example.org"))

    response = _login_by_code(client, staff.email)

    # Logged in, and sent to set up the second factor at once.
    assert client.session["_auth_user_id"] == str(staff.pk)
    # (after logging in, everyone would land on the page settings.LOGIN_REDIRECT_URL names)
    start = urlencode({"next": reverse(settings.LOGIN_REDIRECT_URL)})
    assert (response.status_code, response["Location"]) == (302, reverse("mfa_activate_totp") + "?" + start)
    # Every page but the account pages sends them to set up the second factor first.
    setup = reverse("mfa_activate_totp") + "?next="
    assert _redirects(client, staff_urls) == dict.fromkeys(staff_urls, setup)
    admin = client.get(reverse("admin:index"))
    assert (admin.status_code, admin["Location"]) == (302, reverse("mfa_activate_totp") + "?next=%2Fadmin%2F")
    assert client.get(reverse("mfa_activate_totp")).status_code in (200, 302)  # the setup itself stays open


def test_staff_with_authenticator_but_session_without_second_factor_has_no_staff_powers(client, staff_urls):
    staff = StaffFactory(is_superuser=True)  # has TOTP, but this session never passed it
    client.force_login(staff)

    assert _redirects(client, staff_urls) == dict.fromkeys(staff_urls, reverse("mfa_reauthenticate") + "?next=")
    admin = client.get(reverse("admin:events_event_changelist"))
    assert admin.status_code == 302
    assert admin["Location"] == reverse("mfa_reauthenticate") + "?next=%2Fadmin%2Fevents%2Fevent%2F"


def test_staff_session_with_second_factor_has_staff_powers(client, staff_urls):
    login(client, StaffFactory(is_superuser=True))

    answers = _answers(client, staff_urls)

    assert answers.pop("edit an approved case") == 200  # staff may change it; it goes back into review
    assert answers == dict.fromkeys(answers, 200)
    assert client.get(reverse("admin:index")).status_code == 200


def test_staff_login_by_code_asks_for_the_second_factor(client):
    staff = _verified(StaffFactory(email="buero@kok-buero.example.org"))

    response = _login_by_code(client, staff.email)

    assert (response.status_code, response["Location"]) == (302, reverse("mfa_authenticate"))
    assert "_auth_user_id" not in client.session


def test_totp_code_at_login_gives_staff_powers(client):
    staff = _verified(StaffFactory(email="buero@kok-buero.example.org"))
    _login_by_code(client, staff.email)
    secret = decrypt(Authenticator.objects.get(user=staff, type=Authenticator.Type.TOTP).data["secret"])

    response = client.post(reverse("mfa_authenticate"), {"code": _current_code(secret)})

    assert response.status_code == 302
    assert client.get(reverse("admin:index")).status_code == 200


@pytest.mark.django_db(transaction=True)  # allauth sends authenticator_added on commit, as in production
def test_setting_up_totp_counts_as_the_second_factor_for_this_session(client):
    staff = _verified(StaffFactory(mfa=False, is_superuser=True, email="neu@kok-buero.example.org"))
    _login_by_code(client, staff.email)
    # The login a moment ago counts as the re-authentication allauth asks for before a factor is added: no password
    # or second mailed code right after the first (tests/test_admin_second_factor.py).
    page = client.get(reverse("mfa_activate_totp"))
    assert page.status_code == 200
    secret = page.context["form"].secret

    response = client.post(reverse("mfa_activate_totp"), {"code": _current_code(secret)})

    assert response.status_code == 302
    assert Authenticator.objects.filter(user=staff, type=Authenticator.Type.TOTP).exists()
    # No second code in a row: the admin opens at once.
    assert client.get(reverse("admin:index")).status_code == 200


def test_acts_as_staff_needs_active_staff_and_the_flag():
    staff = StaffFactory()
    assert acts_as_staff(staff) is True
    staff.is_active = False
    assert acts_as_staff(staff) is False
    assert acts_as_staff(StaffFactory(mfa=False)) is False
    assert acts_as_staff(None) is False


def test_pass_second_factor_helper_records_it_like_allauth(client):
    staff = StaffFactory()
    client.force_login(staff)
    assert client.get(reverse("admin:index")).status_code == 302
    pass_second_factor(client, staff)
    assert client.get(reverse("admin:index")).status_code == 200


def test_staff_who_is_also_facilitator_is_sent_to_the_second_factor_first(client, staff_urls):
    """Team rights do not bypass it: a staff account is protected whatever else the person is (probe A1)."""
    staff = StaffFactory(mfa=False)
    event = EventFactory(date=timezone.localdate() + dt.timedelta(days=3))
    case = CaseExampleFactory(workshop=WorkshopFactory(event=event), approved=True)
    case.workshop.facilitators.add(staff)
    login(client, staff)

    response = client.get(reverse("casework:case", args=[case.pk]))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("mfa_activate_totp"))


@pytest.mark.django_db(transaction=True)
def test_removing_the_totp_app_ends_the_second_factor_of_the_session(client):
    """Probe A2: after deactivating TOTP the same session must not keep staff powers."""
    staff = _verified(StaffFactory(email="buero@kok-buero.example.org", is_superuser=True))
    _login_by_code(client, staff.email)
    secret = decrypt(Authenticator.objects.get(user=staff, type=Authenticator.Type.TOTP).data["secret"])
    client.post(reverse("mfa_authenticate"), {"code": _current_code(secret)})
    assert client.get(reverse("admin:index")).status_code == 200
    client.post(reverse("account_reauthenticate"), {"password": "correct-horse-battery-staple"})

    response = client.post(reverse("mfa_deactivate_totp"), {})

    assert response.status_code == 302
    assert not Authenticator.objects.filter(user=staff, type=Authenticator.Type.TOTP).exists()
    assert client.get(reverse("admin:index"))["Location"].startswith(reverse("mfa_activate_totp"))


def test_office_group_has_its_permissions_after_migrate():
    """The groups are synced once every app's permissions exist, at the last app's post_migrate (probe A4: the
    group had only one permission, synced when the first app's signal came)."""
    from django.apps import apps
    from django.contrib.auth.models import Group

    from kokportal.roles import OFFICE, sync_staff_groups_after_migrate

    Group.objects.filter(name=OFFICE).delete()
    sync_staff_groups_after_migrate(sender=None, app_config=apps.get_app_config("kokportal"))
    assert not Group.objects.filter(name=OFFICE).exists()
    sync_staff_groups_after_migrate(sender=None, app_config=list(apps.get_app_configs())[-1])
    codenames = set(Group.objects.get(name=OFFICE).permissions.values_list("codename", flat=True))
    assert {"change_registration", "change_caseexample", "change_questionnaire", "view_user"} <= codenames
    assert {"delete_registration", "change_user"} & codenames == set()
