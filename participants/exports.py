"""Participant lists for organisers, as CSV and XLSX: only the fields organisers need.

Both start with two lines saying what the list is: which event (or how many events) and which statuses it
contains with their counts, so a list of confirmed people is not mistaken for one that also holds the waiting list.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Sequence

from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from events.models import EventQuestion
from kokportal.exports import csv_bytes, spreadsheet_safe, xlsx_bytes

from .enums import RegistrationStatus
from .models import Registration
from .selectors import answers_by_registration


def _columns() -> list[tuple[str, Callable]]:
    return [
        (_("Nachname"), lambda r: r.last_name),
        (_("Vorname"), lambda r: r.first_name),
        (_("Organisation"), lambda r: r.organisation.name),
        (_("Art der Organisation"), lambda r: r.organisation_type.display_name),
        (_("Funktion / Rolle"), lambda r: r.function),
        (_("Bundesland"), lambda r: r.get_federal_state_display()),
        (_("E-Mail-Adresse"), lambda r: r.email),
        (_("Telefon"), lambda r: r.phone),
        (_("Status"), lambda r: r.get_status_display()),
        (_("Angemeldet am"), lambda r: timezone.localtime(r.created)),
        (_("Praxisfachtag"), lambda r: str(r.event)),
        (_("Barrierefreiheit"), lambda r: r.accessibility_needs),
        (_("Verpflegung"), lambda r: r.dietary_needs),
        (_("Kontaktliste"), lambda r: _("ja") if r.contact_list_consent else _("nein")),
    ]


def export_preamble(registrations: Sequence[Registration]) -> list[str]:
    """What the list is: the event (or the number of events), and the statuses it contains with their counts."""
    events = {r.event_id: r.event for r in registrations}
    if len(events) == 1:
        title = _("Teilnehmendenliste: %(event)s") % {"event": next(iter(events.values()))}
    else:
        title = ngettext(
            "Teilnehmendenliste: %(count)d Praxisfachtag", "Teilnehmendenliste: %(count)d Praxisfachtage", len(events)
        ) % {"count": len(events)}
    counts = Counter(r.status for r in registrations)
    statuses = ", ".join(
        f"{label} ({counts[value]})" for value, label in RegistrationStatus.choices if counts[value]
    ) or _("keine")
    summary = ngettext(
        "Enthaltene Status: %(statuses)s; %(count)d Anmeldung, exportiert am %(when)s",
        "Enthaltene Status: %(statuses)s; %(count)d Anmeldungen, exportiert am %(when)s",
        len(registrations),
    ) % {
        "statuses": statuses,
        "count": len(registrations),
        "when": date_format(timezone.localtime(), "d.m.Y H:i"),
    }
    return [title, summary]


def _question_columns(registrations: Sequence[Registration]) -> list[tuple[str, Callable]]:
    """One column per question of the events in the list (events by date, then the questions' order), each with the
    person's answer as they read it; the title names the event too when the list spans several (two queries)."""
    events = sorted({r.event_id: r.event for r in registrations}.values(), key=lambda e: (e.date, e.pk))
    event_ids = [e.pk for e in events]
    if not event_ids:
        return []
    questions = sorted(
        EventQuestion.objects.filter(event_id__in=event_ids).select_related("event"),
        key=lambda q: (event_ids.index(q.event_id), q.position, q.pk),
    )
    if not questions:
        return []
    answers = answers_by_registration(registration_ids=[r.pk for r in registrations])

    def getter(question):
        def value(registration):
            answer = answers.get(registration.pk, {}).get(question.pk)
            if answer is None:
                return ""
            answer.question = question  # the same object: no query for its text and options
            return answer.display_value

        return value

    several = len(event_ids) > 1
    return [(f"{q.event.title}: {q.display_text}" if several else q.display_text, getter(q)) for q in questions]


def export_rows(registrations: Sequence[Registration]) -> tuple[list[str], list[list]]:
    """The header and the rows with their values as they are (texts, dates); each format writes them safely."""
    columns = _columns() + _question_columns(registrations)
    header = [title for title, _getter in columns]
    rows = [[getter(r) for _title, getter in columns] for r in registrations]
    return header, rows


def registrations_csv(registrations: Sequence[Registration]) -> bytes:
    header, rows = export_rows(registrations)
    return csv_bytes(
        [spreadsheet_safe(title) for title in header],
        [[spreadsheet_safe(value) for value in row] for row in rows],
        preamble=export_preamble(registrations),
    )


def registrations_xlsx(registrations: Sequence[Registration]) -> bytes:
    header, rows = export_rows(registrations)
    return xlsx_bytes(header, rows, sheet_title=_("Teilnehmende"), preamble=export_preamble(registrations))
