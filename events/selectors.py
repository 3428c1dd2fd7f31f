"""Reads for the public event pages, in a fixed number of queries whatever the number of events."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from itertools import groupby

from django.db.models import Prefetch, QuerySet
from django.http import Http404
from django.utils import timezone

from participants.selectors import Availability, availability_for_events

from .enums import EventStatus, RegistrationState
from .models import Event, ProgrammeItem, Quota


def _with_related(queryset: QuerySet[Event]) -> QuerySet[Event]:
    return queryset.prefetch_related(
        "co_organisers",
        "invited_types",
        Prefetch("quotas", queryset=Quota.objects.select_related("organisation_type")),
    )


def registration_state(event: Event, availability: Availability, now: dt.datetime | None = None) -> str:
    now = now or timezone.now()
    if event.status == EventStatus.CANCELLED:
        return RegistrationState.CANCELLED
    if event.date < timezone.localdate(now):
        return RegistrationState.PAST
    if event.registration_opens and now < event.registration_opens:
        return RegistrationState.NOT_YET_OPEN
    if (event.registration_closes and now >= event.registration_closes) or now >= event.starts_at:
        return RegistrationState.CLOSED
    if availability.is_full:
        return RegistrationState.WAITLIST
    return RegistrationState.OPEN


@dataclass(frozen=True)
class EventCard:
    event: Event
    availability: Availability
    state: str

    @property
    def state_label(self) -> str:
        return RegistrationState(self.state).label


@dataclass(frozen=True)
class HomePage:
    upcoming: list[EventCard]
    past_by_year: list[tuple[int, list[Event]]]


def home_page(*, today: dt.date | None = None) -> HomePage:
    today = today or timezone.localdate()
    published = Event.objects.published()
    upcoming = list(_with_related(published.upcoming(today).order_by("date", "start_time")))
    availability = availability_for_events(upcoming)
    now = timezone.now()
    cards = [EventCard(e, availability[e.pk], registration_state(e, availability[e.pk], now)) for e in upcoming]
    past = published.past(today).order_by("-date").prefetch_related("co_organisers")
    past_by_year = [(year, list(items)) for year, items in groupby(past, key=lambda e: e.date.year)]
    return HomePage(upcoming=cards, past_by_year=past_by_year)


@dataclass(frozen=True)
class EventPage:
    event: Event
    programme: list[ProgrammeItem]
    availability: Availability
    state: str

    @property
    def state_label(self) -> str:
        return RegistrationState(self.state).label

    @property
    def seat_rows(self) -> list[tuple]:
        """(organisation type, its seat figures) for every invited type, in the types' order."""
        return [
            (organisation_type, self.availability.by_type[organisation_type.pk])
            for organisation_type in sorted(self.event.invited_types.all(), key=lambda t: (t.position, t.name))
            if organisation_type.pk in self.availability.by_type
        ]

    @property
    def registration_possible(self) -> bool:
        return self.state in (RegistrationState.OPEN, RegistrationState.WAITLIST)


def public_event_page(*, slug: str) -> EventPage:
    """The public page of a published (or cancelled) event; drafts and unknown slugs raise Http404."""
    event = (
        _with_related(Event.objects.published())
        .prefetch_related(Prefetch("programme", queryset=ProgrammeItem.objects.order_by("start", "id")))
        .filter(slug=slug)
        .first()
    )
    if event is None:
        raise Http404
    availability = availability_for_events([event])[event.pk]
    return EventPage(
        event=event,
        programme=list(event.programme.all()),
        availability=availability,
        state=registration_state(event, availability),
    )


def registration_event(*, slug: str) -> Event:
    """A published (or cancelled) event with its invited types, for the registration form and service."""
    event = Event.objects.published().prefetch_related("invited_types").filter(slug=slug).first()
    if event is None:
        raise Http404
    return event
