"""Retention: anonymise the registrations of past events, warn about and delete unused accounts, delete
orphaned participant-entered organisations, anonymise old admin log entries. Meant for a daily timer."""

from django.core.management.base import BaseCommand

from participants.privacy import retention_run


class Command(BaseCommand):
    help = (
        "Anonymisiert Anmeldungen vergangener Veranstaltungen, erinnert an und löscht ungenutzte Konten, löscht "
        "nicht mehr verwendete neu eingetragene Organisationen und anonymisiert alte Einträge des "
        "Änderungsprotokolls, jeweils nach Ablauf der Aufbewahrungsfrist (täglich)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--months", type=int, default=None, help="Aufbewahrungsfrist in Monaten.")

    def handle(self, *args, **options):
        report = retention_run(months=options["months"])
        self.stdout.write(f"{report.registrations_anonymised} registration(s) anonymised.")
        self.stdout.write(f"{report.accounts_warned} account(s) warned of deletion.")
        self.stdout.write(f"{report.accounts_deleted} inactive account(s) deleted.")
        self.stdout.write(f"{report.organisations_deleted} organisation(s) deleted.")
        self.stdout.write(f"{report.log_entries_anonymised} admin log entry(ies) anonymised.")
