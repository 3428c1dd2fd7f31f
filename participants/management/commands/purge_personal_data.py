"""Anonymise the registrations of past events after the retention period. Meant for a daily timer."""

from django.core.management.base import BaseCommand

from participants.privacy import retention_purge


class Command(BaseCommand):
    help = "Anonymisiert Anmeldungen vergangener Veranstaltungen nach Ablauf der Aufbewahrungsfrist (täglich)."

    def add_arguments(self, parser):
        parser.add_argument("--months", type=int, default=None, help="Aufbewahrungsfrist in Monaten.")

    def handle(self, *args, **options):
        count = retention_purge(months=options["months"])
        self.stdout.write(f"{count} registration(s) anonymised.")
