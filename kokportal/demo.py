"""Demo accounts as a real sign-up leaves them: no password (login by e-mail code), a verified address."""

from __future__ import annotations

from django.contrib.auth.hashers import make_password

from .models import User


def demo_account(email: str, **fields) -> User:
    """The demo account for ``email`` (created once; a second run changes nothing)."""
    from allauth.account.models import EmailAddress

    user, _ = User.objects.get_or_create(email=email, defaults={**fields, "password": make_password(None)})
    EmailAddress.objects.get_or_create(user=user, email=user.email, defaults={"verified": True, "primary": True})
    return user
