"""Second factor for staff, no account enumeration, rate limits, security headers and deploy checks."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.core import mail
from django.test import Client
from django.urls import reverse

from tests.auth import login
from tests.factories import EventFactory, StaffFactory, UserFactory, verified_user

pytestmark = pytest.mark.django_db
ROOT = Path(__file__).resolve().parent.parent


def test_staff_without_second_factor_is_sent_to_set_it_up(client):
    staff = StaffFactory(mfa=False, is_superuser=True)
    login(client, staff)
    response = client.get(reverse("admin:events_event_changelist"))
    assert response.status_code == 302
    assert response["Location"] == reverse("mfa_activate_totp") + "?next=%2Fadmin%2Fevents%2Fevent%2F"
    assert client.get(reverse("admin:index")).status_code == 302


def test_staff_with_second_factor_reaches_admin(client):
    login(client, StaffFactory(is_superuser=True))
    assert client.get(reverse("admin:index")).status_code == 200


def test_participant_pages_do_not_need_second_factor(client):
    login(client, UserFactory())
    assert client.get(reverse("my_practice_days")).status_code == 200


def test_staff_login_asks_for_second_factor(client):
    staff = StaffFactory(email="office@kok-buero.example.org", password="a-long-password-42")
    from allauth.account.models import EmailAddress

    EmailAddress.objects.create(user=staff, email=staff.email, verified=True, primary=True)
    response = client.post(reverse("account_login"), {"login": staff.email, "password": "a-long-password-42"})
    assert response.status_code == 302
    assert response["Location"] == reverse("mfa_authenticate")
    assert "_auth_user_id" not in client.session


def test_login_messages_do_not_reveal_accounts(client):
    verified_user("known@example.org", password="right-password-123")
    known = client.post(reverse("account_login"), {"login": "known@example.org", "password": "wrong-password"})
    unknown = client.post(reverse("account_login"), {"login": "unknown@example.org", "password": "wrong-password"})
    assert known.status_code == unknown.status_code == 200
    assert known.context["form"].errors == unknown.context["form"].errors


def test_login_code_request_does_not_reveal_accounts(client):
    verified_user("known@example.org")
    known = client.post(reverse("account_request_login_code"), {"email": "known@example.org"})
    unknown = Client().post(reverse("account_request_login_code"), {"email": "unknown@example.org"})
    assert (known.status_code, known["Location"]) == (unknown.status_code, unknown["Location"])


def test_password_reset_does_not_reveal_accounts(client):
    verified_user("known@example.org", password="right-password-123")
    known = client.post(reverse("account_reset_password"), {"email": "known@example.org"})
    unknown = Client().post(reverse("account_reset_password"), {"email": "unknown@example.org"})
    assert (known.status_code, known["Location"]) == (unknown.status_code, unknown["Location"])


def test_login_code_for_new_address_looks_the_same_as_for_existing_account(client):
    """One way in: a new address gets its account with the code, so both answers and both mails are alike."""
    verified_user("known@example.org")
    known = client.post(reverse("account_request_login_code"), {"email": "known@example.org"})
    new = Client().post(reverse("account_request_login_code"), {"email": "new@example.org"})
    assert known.status_code == new.status_code == 302
    assert known["Location"] == new["Location"]
    assert sorted((m.to, m.subject) for m in mail.outbox) == [
        (["known@example.org"], "[KOK-Praxisfachtag] Ihr Code zum Einloggen"),
        (["new@example.org"], "[KOK-Praxisfachtag] Ihr Code zum Einloggen"),
    ]


def test_failed_logins_are_rate_limited(client):
    verified_user("known@example.org", password="right-password-123")
    errors = [
        client.post(reverse("account_login"), {"login": "known@example.org", "password": f"wrong-{i}"})
        .context["form"]
        .non_field_errors()
        for i in range(6)
    ]
    assert "Zu viele gescheiterte Versuche, sich einzuloggen" not in str(errors[4])
    assert "Zu viele gescheiterte Versuche, sich einzuloggen" in str(errors[5])
    # Even the right password is refused now, for this address.
    right = client.post(reverse("account_login"), {"login": "known@example.org", "password": "right-password-123"})
    assert right.status_code == 200
    assert "_auth_user_id" not in client.session


def test_login_code_requests_are_rate_limited(client):
    verified_user("known@example.org")
    responses = [Client().post(reverse("account_request_login_code"), {"email": "known@example.org"}) for _ in range(4)]
    assert [r.status_code for r in responses] == [302, 302, 302, 200]
    assert "Zu viele gescheiterte Versuche, sich einzuloggen" in str(responses[3].context["form"].errors["email"])
    assert len(mail.outbox) == 3


@pytest.mark.parametrize("path", ["/", "/konto/login/", "/datenschutz/"])
def test_security_headers_on_pages(client, path):
    response = client.get(path)
    csp = response["Content-Security-Policy"]
    assert "default-src 'self'" in csp
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp
    assert "frame-ancestors 'none'" in csp
    assert response["X-Frame-Options"] == "DENY"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"


def test_security_headers_on_event_page(client):
    event = EventFactory()
    response = client.get(event.get_absolute_url())
    assert "style-src 'self'" in response["Content-Security-Policy"]
    assert 'style="' not in response.text
    assert "<script>" not in response.text


def test_no_inline_scripts_or_styles_in_templates():
    """A strict CSP forbids inline scripts and style attributes; e-mail templates are exempt."""
    offenders = []
    for path in (ROOT / "templates").rglob("*.html"):
        if "email" in path.parts or path.parts[-2:] == ("pdf",) or "pdf" in path.parts:
            continue
        text = path.read_text()
        if "<script>" in text or ' style="' in text or "<style" in text:
            offenders.append(str(path.relative_to(ROOT)))
    assert offenders == []


def _deploy_env(**extra) -> dict[str, str]:
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("DJANGO_", "KOKPORTAL_", "GUNICORN_")) and k != "CACHE_URL"
    }
    env.update(
        {
            "DJANGO_SECRET_KEY": "k" * 60 + "-production-like-secret-key-with-enough-entropy",
            "DJANGO_ALLOWED_HOSTS": "praxisfachtag.example.org",
            "DJANGO_DEBUG": "0",
            "KOKPORTAL_TESTING": "0",
            "DJANGO_ENV_FILE": "/nonexistent",
            # Production shares one cache between its gunicorn workers (rate limits); this worker's Redis database.
            "CACHE_URL": django_settings.CACHES["default"]["LOCATION"],
            **extra,
        }
    )
    return env


def test_check_deploy_is_clean_with_production_settings():
    """Production settings with CACHE_URL=redis://… (the default cores + 1 workers need a shared cache)."""
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=_deploy_env(),
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


def test_production_cookies_are_secure():
    code = (
        "import django; django.setup(); from django.conf import settings as s; "
        "print(s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE, s.SESSION_COOKIE_HTTPONLY, s.CSRF_COOKIE_HTTPONLY, "
        "s.SESSION_COOKIE_SAMESITE, s.SECURE_HSTS_SECONDS, s.SECURE_SSL_REDIRECT, s.DEBUG)"
    )
    result = subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env={**_deploy_env(), "DJANGO_SETTINGS_MODULE": "kokportal.settings"},
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.stdout.split() == ["True", "True", "True", "True", "Lax", "31536000", "True", "False"], result.stderr
