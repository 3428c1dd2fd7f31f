"""Create (or reset) the local demo administrator and print its login.

For development machines only: refuses to run when DEBUG is off, so it can never create a known
account in production.
"""

import secrets

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError


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
        user.set_password(password)
        user.save()
        self._verify_email(user)
        self.stdout.write("")
        self.stdout.write(self.style.SUCCESS("Demo-Administration / demo admin"))
        self.stdout.write(f"  URL:       {settings.SITE_URL}/admin/")
        self.stdout.write(f"  E-Mail:    {email}")
        self.stdout.write(f"  Passwort:  {password}")
        self.stdout.write("")

    @staticmethod
    def _verify_email(user) -> None:
        from allauth.account.models import EmailAddress

        EmailAddress.objects.update_or_create(user=user, email=user.email, defaults={"verified": True, "primary": True})
