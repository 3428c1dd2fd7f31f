"""``manage.py check_case_text PATH``: check a case text for identifying details.

Editors and the preparation group use it before a case example ("Fallbeispiel") is uploaded,
and scripts can use the exit code: 0 = no blocking finding, 1 = blocking findings,
2 = usage error. Findings go to stdout, one per line::

    <start>-<end>\\t<severity>\\t<category>\\t<excerpt>

Privacy: the text and the excerpts are only printed to stdout, which the caller asked for.
They are never passed to the logging module and never appear in error messages.
"""

import sys

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from casework.anonymisation import check_text, has_blocking

EXIT_BLOCKING = 1
EXIT_USAGE = 2
STDIN = "-"
# Line breaks and tabs inside an excerpt would break the one-finding-per-line format.
_FLATTEN_WHITESPACE = str.maketrans({"\r": " ", "\n": " ", "\t": " "})


class Command(BaseCommand):
    help = gettext_lazy(
        "Prüft einen Fallbeispiel-Text (UTF-8) auf identifizierende Angaben. "
        "Exit-Code 0: keine blockierende Fundstelle, 1: blockierende Fundstellen, 2: Aufruffehler."
    )
    # A pure text check: system checks (and with them the database) are not needed.
    requires_system_checks = []

    def add_arguments(self, parser: CommandParser) -> None:
        # Arity is checked in handle() rather than by argparse so that a missing or extra path
        # gives the same exit code 2 and a German message with call_command() as on the shell.
        parser.add_argument(
            "paths",
            nargs="*",
            metavar="PATH",
            help=gettext_lazy("Pfad der Textdatei oder „-“ für die Standardeingabe"),
        )

    def handle(self, *args: str, paths: list[str], **options: object) -> None:
        if len(paths) != 1:
            raise CommandError(
                _("Bitte genau einen Pfad angeben (oder „-“ für die Standardeingabe)."),
                returncode=EXIT_USAGE,
            )
        findings = check_text(self._read(paths[0]))
        for finding in findings:
            excerpt = finding.excerpt.translate(_FLATTEN_WHITESPACE)
            self.stdout.write(
                f"{finding.start}-{finding.end}\t{finding.severity.value}\t{finding.category.value}\t{excerpt}"
            )
        if has_blocking(findings):
            count = sum(finding.is_blocking for finding in findings)
            message = ngettext(
                "Der Text enthält %(count)d blockierende Fundstelle.",
                "Der Text enthält %(count)d blockierende Fundstellen.",
                count,
            )
            raise CommandError(message % {"count": count}, returncode=EXIT_BLOCKING)

    def _read(self, path: str) -> str:
        """Return the decoded text; a byte order mark (as written by some Windows editors) is dropped."""
        try:
            if path == STDIN:
                data = sys.stdin.buffer.read()
            else:
                with open(path, "rb") as file:
                    data = file.read()
        except OSError as error:
            raise CommandError(
                _("Die Datei %(path)s kann nicht gelesen werden: %(reason)s")
                % {"path": path, "reason": error.strerror or error},
                returncode=EXIT_USAGE,
            ) from error
        try:
            return data.decode("utf-8-sig")
        except UnicodeDecodeError as error:
            raise CommandError(
                _("Der Text ist nicht UTF-8-kodiert (ungültiges Byte an Position %(position)d).")
                % {"position": error.start},
                returncode=EXIT_USAGE,
            ) from error
