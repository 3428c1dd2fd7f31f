"""Print the current TOTP code of the local demo administrator (development only)."""

from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value, yield_hotp_counters_from_time
from allauth.mfa.utils import decrypt
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError


class Command(BaseCommand):
    help = "Zeigt den aktuellen TOTP-Code der lokalen Demo-Administration (nur mit DEBUG)."

    def handle(self, *args, **options):
        if not settings.DEBUG:
            raise CommandError("totp_code runs only with DJANGO_DEBUG=1 (never in production).")
        authenticator = Authenticator.objects.filter(
            user__email=settings.KOKPORTAL["DEMO_ADMIN_EMAIL"], type=Authenticator.Type.TOTP
        ).first()
        if authenticator is None:
            raise CommandError("No demo admin with TOTP; run `make run` or `manage.py create_demo_admin` first.")
        counters = list(yield_hotp_counters_from_time())
        current = counters[len(counters) // 2]
        self.stdout.write(format_hotp_value(hotp_value(decrypt(authenticator.data["secret"]), current)))
