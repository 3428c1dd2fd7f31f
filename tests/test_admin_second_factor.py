"""Setting up the second factor for the admin (issue 13, point 13): staff created in the admin log in and set up their
authenticator app with one code each, without being asked for the password or a mailed code again right after
logging in; the pages say what happens and that recovery codes follow, and show the way on to the admin."""

import re
import time

import pytest
from allauth.account import app_settings as account_settings
from allauth.account.internal.flows.login import AUTHENTICATION_METHODS_SESSION_KEY
from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value, yield_hotp_counters_from_time
from django.core import mail
from django.test import Client
from django.urls import reverse

from tests.factories import StaffFactory, UserFactory

pytestmark = pytest.mark.django_db(transaction=True)  # allauth sends authenticator_added on commit


def _login_by_code(client: Client, email: str):
    client.post(reverse("account_request_login_code"), {"email": email})
    code = re.search(r"\n([A-Z0-9]{4}-[A-Z0-9]{4})\n", mail.outbox[-1].body).group(1)
    return client.post(reverse("account_confirm_login_code"), {"code": code})


def _code(secret: str) -> str:
    counters = list(yield_hotp_counters_from_time())
    return format_hotp_value(hotp_value(secret, counters[len(counters) // 2]))


def _created_in_the_admin(staff_client, email: str):
    """An office account as staff create it: in the admin, without a password, then given staff rights."""
    staff_client.post(reverse("admin:kokportal_user_add"), {"email": email, "usable_password": "false"})
    from kokportal.models import User

    user = User.objects.get(email=email)
    user.is_staff = True
    user.save()
    return user


def test_staff_created_in_the_admin_set_up_their_app_with_one_code_and_land_in_the_admin(staff_client):
    new = _created_in_the_admin(staff_client, "neu@kok-buero.example.org")
    client = Client()

    login = _login_by_code(client, new.email)
    assert login["Location"].startswith(reverse("mfa_activate_totp"))
    setup = client.get(login["Location"])

    # No re-authentication (a second mailed code) right after the login: the setup page opens at once.
    assert setup.status_code == 200
    outbox = len(mail.outbox)
    done = client.post(reverse("mfa_activate_totp"), {"code": _code(setup.context["form"].secret)})

    assert done["Location"] == reverse("mfa_view_recovery_codes")
    codes = client.get(done["Location"])
    assert len(codes.context["unused_codes"]) == 10
    assert f'href="{reverse("admin:index")}">Weiter zum Verwaltungsbereich</a>' in codes.text
    # One code set up the app; it counts as the second factor of this session: the admin opens.
    assert client.get(reverse("admin:index")).status_code == 200
    assert len(mail.outbox) == outbox  # no further code was mailed
    assert Authenticator.objects.filter(user=new, type=Authenticator.Type.TOTP).exists()


def test_a_login_older_than_the_reauthentication_timeout_does_not_count(client):
    staff = StaffFactory(mfa=False, email="spaet@kok-buero.example.org")
    EmailAddress.objects.create(user=staff, email=staff.email, verified=True, primary=True)
    _login_by_code(client, staff.email)
    session = client.session
    records = session[AUTHENTICATION_METHODS_SESSION_KEY]
    records[-1]["at"] = time.time() - account_settings.REAUTHENTICATION_TIMEOUT - 1
    session[AUTHENTICATION_METHODS_SESSION_KEY] = records
    session.save()

    response = client.get(reverse("mfa_activate_totp"))

    assert response["Location"].startswith(reverse("account_reauthenticate"))


def test_participants_still_confirm_before_adding_a_second_factor(client):
    """The shortcut is for staff, whom the portal sends to set up a factor right after logging in."""
    person = UserFactory(email="teilnehmerin@beratung.example.org")
    EmailAddress.objects.create(user=person, email=person.email, verified=True, primary=True)
    _login_by_code(client, person.email)

    response = client.get(reverse("mfa_activate_totp"))

    assert response["Location"].startswith(reverse("account_reauthenticate"))


def test_setup_page_explains_the_steps_and_the_recovery_codes(client):
    staff = StaffFactory(mfa=False, email="erklaert@kok-buero.example.org")
    EmailAddress.objects.create(user=staff, email=staff.email, verified=True, primary=True)
    _login_by_code(client, staff.email)

    text = client.get(reverse("mfa_activate_totp")).text

    assert "<h1>Authenticator-App einrichten</h1>" in text
    assert "Damit ist der zweite Faktor für diese Sitzung bestätigt: Sie geben jetzt keinen weiteren Code ein." in text
    assert "Gleich danach zeigt das Portal Ihnen zehn Wiederherstellungscodes." in text
    assert "Schlüssel zum Abtippen" in text


def test_login_step_of_the_second_factor_says_which_code_is_meant(client):
    staff = StaffFactory(email="zweiter.schritt@kok-buero.example.org")
    EmailAddress.objects.create(user=staff, email=staff.email, verified=True, primary=True)

    response = _login_by_code(client, staff.email)
    text = client.get(response["Location"]).text

    assert "Zweiter Schritt: der Code aus Ihrer Authenticator-App" in text
    assert "(nicht den Code aus der E-Mail)" in text
