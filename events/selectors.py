"""Reads of events for the public pages, in a fixed number of queries whatever the number of events; and the one
rule of when registration is open (``registration_phase``). The seat figures on those pages come from the floor
above (participants.selectors.public_home_page / public_event_page)."""

from __future__ import annotations

import datetime as dt
from itertools import groupby

from django.db.models import Prefetch, QuerySet
from django.http import Http404
from django.utils import timezone

from .enums import EventStatus, RegistrationState
from .models import Event, ProgrammeItem, Quota


def with_related(queryset: QuerySet[Event]) -> QuerySet[Event]:
    """What every event card and page shows: co-organisers, invited types and quotas, prefetched."""
    return queryset.prefetch_related(
        "co_organisers",
        "invited_types",
        Prefetch("quotas", queryset=Quota.objects.select_related("organisation_type")),
    )


def registration_phase(event: Event, now: dt.datetime | None = None) -> str:
    """Where an event stands in its registration window, by time and status alone (seats are the booking's
    business): cancelled, past, not yet open, closed or open. The one place this rule lives; the booking
    service refuses what it does not call open, the pages show it."""
    now = now or timezone.now()
    if event.status == EventStatus.CANCELLED:
        return RegistrationState.CANCELLED
    if event.date < timezone.localdate(now):
        return RegistrationState.PAST
    if event.status != EventStatus.PUBLISHED:
        return RegistrationState.CLOSED
    if event.registration_opens and now < event.registration_opens:
        return RegistrationState.NOT_YET_OPEN
    if (event.registration_closes and now >= event.registration_closes) or now >= event.starts_at:
        return RegistrationState.CLOSED
    return RegistrationState.OPEN


def upcoming_events(*, today: dt.date | None = None) -> list[Event]:
    """Published events from today on, soonest first, with what their cards show."""
    today = today or timezone.localdate()
    return list(with_related(Event.objects.published().upcoming(today).order_by("date", "start_time")))


def past_events_by_year(*, today: dt.date | None = None) -> list[tuple[int, list[Event]]]:
    """Published events before today, newest first, grouped by year (the archive)."""
    today = today or timezone.localdate()
    past = Event.objects.published().past(today).order_by("-date").prefetch_related("co_organisers")
    return [(year, list(items)) for year, items in groupby(past, key=lambda e: e.date.year)]


def public_event(*, slug: str) -> Event:
    """A published (or cancelled) event with its programme; drafts and unknown slugs raise Http404."""
    event = (
        with_related(Event.objects.published())
        .prefetch_related(Prefetch("programme", queryset=ProgrammeItem.objects.order_by("start", "id")))
        .filter(slug=slug)
        .first()
    )
    if event is None:
        raise Http404
    return event


def registration_event(*, slug: str) -> Event:
    """A published (or cancelled) event with its invited types, for the registration form and service."""
    event = Event.objects.published().prefetch_related("invited_types").filter(slug=slug).first()
    if event is None:
        raise Http404
    return event
