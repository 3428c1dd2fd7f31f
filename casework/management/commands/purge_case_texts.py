"""Delete the texts of case examples whose visibility window has ended. Meant for a daily timer."""

from django.core.management.base import BaseCommand

from casework.services import case_texts_purge


class Command(BaseCommand):
    help = "Löscht die Texte von Fallbeispielen nach Ablauf ihres Sichtbarkeitszeitraums (täglich ausführen)."

    def handle(self, *args, **options):
        purged = case_texts_purge()
        self.stdout.write(f"{purged} case text(s) purged.")
