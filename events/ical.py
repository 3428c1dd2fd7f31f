"""iCalendar files for events."""

from __future__ import annotations

from django.conf import settings
from django.utils.translation import gettext as _
from icalendar import Calendar
from icalendar import Event as ICalEvent

from .models import Event, ProgrammeItem
from .speakers import published_speakers_of, published_speakers_prefetch


def speakers_description(event: Event) -> str:
    """The programme items that name speakers who consented to publication, with those speakers (name and
    organisation), one item per paragraph; empty when there are none. Two queries."""
    items = (
        ProgrammeItem.objects.filter(event=event)
        .order_by("day", "start", "id")
        .prefetch_related(published_speakers_prefetch())
    )
    paragraphs = []
    for item in items:
        speakers = published_speakers_of(item)
        if speakers:
            names = "; ".join(str(speaker) for speaker in speakers)
            when = item.with_day(f"{item.start_display}–{item.end_display}", multi_day=event.is_multi_day)
            paragraphs.append(f"{when} {item.title}\n{names}")
    if not paragraphs:
        return ""
    return _("Referent*innen") + ":\n\n" + "\n\n".join(paragraphs)


def event_ical(event: Event, *, method: str = "PUBLISH", include_access: bool = False) -> bytes:
    calendar = Calendar()
    calendar.add("prodid", "-//KOK e.V.//Praxisfachtage//DE")
    calendar.add("version", "2.0")
    calendar.add("method", method)
    entry = ICalEvent()
    entry.add("uid", f"event-{event.pk}@kokportal")
    entry.add("summary", event.title)
    entry.add("dtstart", event.starts_at)
    entry.add("dtend", event.ends_at)
    entry.add("dtstamp", event.modified)
    entry.add("url", settings.SITE_URL + event.get_absolute_url())
    # One entry from the start on the first day to the end on the last (a multi-day event is one span in the
    # calendar); the access data only for people who take part online.
    description = []
    if include_access and event.has_online_access and event.online_access:
        description.append(event.online_access)
    if event.is_virtual or (include_access and event.is_hybrid):
        # Online: at a hybrid event the calendar entry of someone taking part online says so, not the venue.
        entry.add("location", str(_("online")) if event.is_hybrid else event.place_display)
    else:
        entry.add(
            "location",
            ", ".join(
                p
                for p in (event.venue_name, event.venue_street, f"{event.venue_postcode} {event.venue_city}".strip())
                if p
            ),
        )
    speakers = speakers_description(event)
    if speakers:
        description.append(speakers)
    if description:
        entry.add("description", "\n\n".join(description))
    if event.status == "cancelled":
        entry.add("status", "CANCELLED")
    calendar.add_component(entry)
    # RFC 5545: every TZID used needs its VTIMEZONE, or calendar programs may shift the time
    calendar.add_missing_timezones()
    return calendar.to_ical()
