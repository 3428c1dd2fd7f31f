"""Write the documentation PDF of one event, for batch publishing:

python manage.py event_documentation SLUG OUTPUT.pdf [--lang en] [--with-cases]
"""

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from casework.selectors import approved_case_examples
from events.documents.pdfs import documentation_pdf
from events.models import Event


class Command(BaseCommand):
    help = "Schreibt die Dokumentation eines Praxisfachtags als PDF (ohne Namen von Teilnehmer*innen)."

    def add_arguments(self, parser):
        parser.add_argument("slug", help="Kurzname der Veranstaltung (aus der Adresse)")
        parser.add_argument("output", help="Zieldatei, z. B. dokumentation.pdf")
        parser.add_argument(
            "--lang", default=settings.LANGUAGE_CODE, choices=[code for code, _name in settings.LANGUAGES]
        )
        parser.add_argument(
            "--with-cases", action="store_true", help="freigegebene Fallbeispiele aufnehmen (nur freigegebene)"
        )

    def handle(self, *args, slug: str, output: str, lang: str, with_cases: bool, **options):
        event = Event.objects.filter(slug=slug).first()
        if event is None:
            raise CommandError(f"Keine Veranstaltung mit dem Kurznamen {slug!r}.")
        pdf = documentation_pdf(
            event=event, lang=lang, case_examples=approved_case_examples(event=event) if with_cases else None
        )
        Path(output).write_bytes(pdf.content)
        self.stdout.write(f"{output}: {pdf.page_count} Seiten, {len(pdf.content) // 1024} KB")
