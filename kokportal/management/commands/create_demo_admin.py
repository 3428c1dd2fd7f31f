"""Create (or reset) the local demo administrator and print its login.

For development machines only: refuses to run when DEBUG is off, so it can never create a known
account in production.
"""

import secrets

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand, CommandError

from kokportal.roles import ADMINISTRATION


class Command(BaseCommand):
    help = "Legt die lokale Demo-Administration an und gibt die Zugangsdaten aus (nur mit DEBUG)."

    def handle(self, *args, **options):
        if not settings.DEBUG:
            raise CommandError("create_demo_admin runs only with DJANGO_DEBUG=1 (never in production).")
        email = settings.KOKPORTAL["DEMO_ADMIN_EMAIL"]
        password = secrets.token_urlsafe(12)
        user, _ = get_user_model().objects.get_or_create(
            email=email,
            defaults={"first_name": "Demo", "last_name": "Geschäftsstelle", "is_staff": True, "is_superuser": True},
        )
        user.is_staff = user.is_superuser = user.is_active = True
        user.groups.set(Group.objects.filter(name=ADMINISTRATION))
        user.set_password(password)
        user.save()
        self._verify_email(user)
        secret, codes = self._second_factor(user)
        self.stdout.write("")
        self.stdout.write(self.style.SUCCESS("Demo-Administration / demo admin"))
        self.stdout.write(f"  URL:           {settings.SITE_URL}/admin/")
        self.stdout.write(f"  E-Mail:        {email}")
        self.stdout.write(f"  Passwort:      {password}")
        self.stdout.write(
            f"  TOTP-Secret:   {secret}   (in eine Authenticator-App eintragen / add to an authenticator app)"
        )
        self.stdout.write("  Aktueller Code / current code:  .venv/bin/python manage.py totp_code")
        self.stdout.write(f"  Wiederherstellungscodes / recovery codes (je einmal / once each): {' '.join(codes[:5])}")
        self.stdout.write("")

    @staticmethod
    def _second_factor(user) -> tuple[str, list[str]]:
        """Staff need a second factor; the demo admin gets a fresh TOTP secret and recovery codes."""
        from allauth.mfa.models import Authenticator
        from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
        from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret

        Authenticator.objects.filter(
            user=user, type__in=[Authenticator.Type.TOTP, Authenticator.Type.RECOVERY_CODES]
        ).delete()
        secret = generate_totp_secret()
        TOTP.activate(user, secret)
        return secret, RecoveryCodes.activate(user).get_unused_codes()

    @staticmethod
    def _verify_email(user) -> None:
        from allauth.account.models import EmailAddress

        EmailAddress.objects.update_or_create(user=user, email=user.email, defaults={"verified": True, "primary": True})
