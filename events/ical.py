"""iCalendar files for events."""

from __future__ import annotations

from django.conf import settings
from icalendar import Calendar
from icalendar import Event as ICalEvent

from .models import Event


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
    if include_access and event.has_online_access and event.online_access:
        entry.add("description", event.online_access)
    if event.is_virtual:
        entry.add("location", event.place_display)
    else:
        entry.add(
            "location",
            ", ".join(
                p
                for p in (event.venue_name, event.venue_street, f"{event.venue_postcode} {event.venue_city}".strip())
                if p
            ),
        )
    if event.status == "cancelled":
        entry.add("status", "CANCELLED")
    calendar.add_component(entry)
    # RFC 5545: every TZID used needs its VTIMEZONE, or calendar programs may shift the time
    calendar.add_missing_timezones()
    return calendar.to_ical()
