"""Send the feedback invitations and the due reminders, for a daily timer.

Covers every published event whose feedback window is open (from the end of the event until ``open_days``
after it), or the events named with ``--event``. Prints counts per event, never names or addresses.
"""

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from casework.feedback import selectors, services
from casework.feedback.errors import FeedbackError
from casework.feedback.models import Questionnaire


class Command(BaseCommand):
    help = "Verschickt Einladungen zur Rückmeldung und fällige Erinnerungen (für einen täglichen Timer)."

    def add_arguments(self, parser):
        parser.add_argument("--event", action="append", default=[], metavar="SLUG", help="nur diese Veranstaltung(en)")
        parser.add_argument("--skip-reminders", action="store_true", help="keine Erinnerungen verschicken")
        parser.add_argument("--dry-run", action="store_true", help="nur zählen, nichts verschicken")

    def handle(self, *args, event, skip_reminders, dry_run, **options):
        now = timezone.now()
        if event:
            known = set(Questionnaire.objects.filter(event__slug__in=event).values_list("event__slug", flat=True))
            missing = sorted(set(event) - known)
            if missing:
                raise CommandError(f"Kein Fragebogen für: {', '.join(missing)}")
        questionnaires = selectors.questionnaires_in_window(now=now, slugs=event)
        if event and len(questionnaires) < len(set(event)):
            open_slugs = {q.event.slug for q in questionnaires}
            for slug in sorted(set(event) - open_slugs):
                self.stderr.write(f"{slug}: Der Zeitraum für Rückmeldungen ist nicht offen.")
        total_invited = total_reminded = 0
        for questionnaire in questionnaires:
            slug = questionnaire.event.slug
            try:
                if dry_run:
                    invited = (
                        selectors.invitation_recipients(questionnaire.event)
                        .filter(feedback_invitation__isnull=True)
                        .count()
                    )
                    reminded = 0 if skip_reminders else selectors.reminders_due(questionnaire, now).count()
                else:
                    # Reminders first, so nobody invited in this run is reminded at once.
                    reminded = 0 if skip_reminders else services.reminders_send(questionnaire=questionnaire, now=now)
                    invited = services.invitations_send(questionnaire=questionnaire, now=now)
            except FeedbackError as exc:
                self.stderr.write(f"{slug}: {exc.message}")
                continue
            total_invited += invited
            total_reminded += reminded
            self.stdout.write(f"{slug}: {invited} Einladungen, {reminded} Erinnerungen")
        prefix = "Probelauf: " if dry_run else ""
        self.stdout.write(
            self.style.SUCCESS(
                f"{prefix}{total_invited} Einladungen und {total_reminded} Erinnerungen "
                f"für {len(questionnaires)} Veranstaltungen."
            )
        )
