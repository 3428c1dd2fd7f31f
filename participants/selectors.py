"""Reads for registrations: seat availability, the public event pages with their seats, waiting-list positions,
a person's registrations."""

from __future__ import annotations

import datetime as dt
import functools
import unicodedata
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from itertools import groupby

from django.db import connection
from django.db.models import Count, Min, Q
from django.http import Http404
from django.utils import timezone, translation

from events.enums import EventStatus, PresenceMode, RegistrationState
from events.models import Event, OrganisationType, ProgrammeItem, Quota, over_before
from events.selectors import PublicEvent, public_events, quote_column, registration_phase

from .enums import RegistrationStatus
from .models import AttendanceCertificate, CertificateSignature, Registration, RegistrationAnswer


@dataclass(frozen=True)
class TypeSeats:
    """Seat figures of one organisation type at one event."""

    organisation_type_id: int
    quota: int | None  # None: the type has no quota and shares the seats the quotas leave
    confirmed: int
    pending: int
    waitlisted: int
    free: int | None  # None: unlimited

    @property
    def holding(self) -> int:
        return self.confirmed + self.pending


# In seat counts, the registrations for the separately counted online seats of a hybrid event stand under this key in
# place of an organisation type id (no type has the id 0): (ONLINE_POOL, status) -> number.
ONLINE_POOL = 0


@dataclass(frozen=True)
class OnlineSeats:
    """The separately counted online seats of a hybrid event (``Event.online_capacity``): one pool for every
    organisation type, with its own waiting list."""

    capacity: int
    holding: int
    waitlisted: int

    @property
    def free(self) -> int:
        return max(self.capacity - self.holding, 0)

    @property
    def has_seat(self) -> bool:
        """A newcomer gets a seat: one is free and nobody waits for it already."""
        return self.free > 0 and self.waitlisted == 0


@dataclass(frozen=True)
class Availability:
    """Seats of one event, per invited organisation type and in total.

    Seat rule (documented in README): a type with a quota may fill exactly its quota; types without a quota
    share what the total capacity leaves after all quotas are reserved; no type may push the event over its
    total capacity. Pending registrations of moderated events hold their seat until staff decide.
    """

    capacity: int | None
    by_type: Mapping[int, TypeSeats]
    total_holding: int = 0
    total_waitlisted: int = 0
    invited_type_ids: frozenset[int] = field(default_factory=frozenset)
    shared_waitlisted: int = 0  # waitlisted people of types without quota that are not invited (any more)
    online: OnlineSeats | None = None  # a hybrid event's separately counted online seats

    def seat_for(self, organisation_type_id: int, *, online: bool = False) -> bool:
        """Whether a newcomer of that type gets a seat now (in the online pool when ``online`` and the event counts
        it apart), without overtaking anyone waiting for the same seats."""
        if online and self.online is not None:
            return self.online.has_seat
        return self.has_seat_for(organisation_type_id) and not self.has_waiting_for(organisation_type_id)

    def free_for(self, organisation_type_id: int) -> int | None:
        seats = self.by_type.get(organisation_type_id)
        if seats is None:
            return 0
        return seats.free

    def has_waiting_for(self, organisation_type_id: int) -> bool:
        """Whether someone already waits for the same seats (the type's quota, or the shared seats of the
        types without a quota), so that a newcomer queues behind them instead of overtaking."""
        seats = self.by_type.get(organisation_type_id)
        if seats is None:
            return False
        if seats.quota is not None:
            return seats.waitlisted > 0
        return any(s.waitlisted > 0 for s in self.by_type.values() if s.quota is None) or self.shared_waitlisted > 0

    def has_seat_for(self, organisation_type_id: int) -> bool:
        free = self.free_for(organisation_type_id)
        return free is None or free > 0

    @property
    def is_full(self) -> bool:
        """True when no invited type can get a seat any more (at the venue nor, where counted apart, online)."""
        if self.online is not None and self.online.free > 0:
            return False
        return bool(self.invited_type_ids) and not any(self.has_seat_for(t) for t in self.invited_type_ids)


def compute_availability(
    *,
    capacity: int | None,
    invited_type_ids: Iterable[int],
    quotas: Mapping[int, int],
    counts: Mapping[tuple[int, str], int],
    online_capacity: int | None = None,
) -> Availability:
    """Pure seat arithmetic; ``counts`` maps (organisation type id, status) to a number of registrations, and
    (ONLINE_POOL, status) for the online seats of a hybrid event that counts them apart (``online_capacity``)."""
    invited = frozenset(invited_type_ids)
    per_type: dict[int, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    online_by_status: dict[str, int] = defaultdict(int)
    for (type_id, status), number in counts.items():
        if type_id == ONLINE_POOL:
            online_by_status[status] += number
        else:
            per_type[type_id][status] += number
    online = None
    if online_capacity is not None:
        online = OnlineSeats(
            capacity=online_capacity,
            holding=sum(online_by_status[s] for s in RegistrationStatus.holding_seat()),
            waitlisted=online_by_status[RegistrationStatus.WAITLISTED],
        )

    def holding(type_id: int) -> int:
        by_status = per_type[type_id]
        return sum(by_status[s] for s in RegistrationStatus.holding_seat())

    total_holding = sum(holding(t) for t in per_type)
    total_waitlisted = sum(per_type[t][RegistrationStatus.WAITLISTED] for t in per_type)
    capacity_left = None if capacity is None else capacity - total_holding
    shared_left = None
    if capacity is not None:
        reserved = sum(quotas.values())
        shared_holding = sum(holding(t) for t in per_type if t not in quotas)
        shared_left = capacity - reserved - shared_holding

    by_type: dict[int, TypeSeats] = {}
    for type_id in invited | set(quotas):
        quota = quotas.get(type_id)
        free = quota - holding(type_id) if quota is not None else shared_left
        if capacity_left is not None:
            free = capacity_left if free is None else min(free, capacity_left)
        by_status = per_type[type_id]
        by_type[type_id] = TypeSeats(
            organisation_type_id=type_id,
            quota=quota,
            confirmed=by_status[RegistrationStatus.CONFIRMED] + by_status[RegistrationStatus.ATTENDED],
            pending=by_status[RegistrationStatus.PENDING],
            waitlisted=by_status[RegistrationStatus.WAITLISTED],
            free=None if free is None else max(free, 0),
        )
    return Availability(
        capacity=capacity,
        by_type=by_type,
        total_holding=total_holding,
        total_waitlisted=total_waitlisted,
        invited_type_ids=invited,
        shared_waitlisted=sum(
            per_type[t][RegistrationStatus.WAITLISTED] for t in per_type if t not in by_type and t not in quotas
        ),
        online=online,
    )


@functools.cache
def _counts_column() -> str:
    """An SQL expression on an event ``e``: its active registrations counted per type and status, as JSON
    ([[type id, status, number], ...]); added to the events' own query of the public pages."""
    quote = connection.ops.quote_name

    def column(name: str) -> str:
        return quote(Registration._meta.get_field(name).column)

    online_pool = _separate_online_sql("e")
    return f"""(SELECT COALESCE(json_agg(json_build_array(c.t, c.s, c.n)), '[]') FROM (
                  SELECT CASE WHEN {column("attends_online")} AND {online_pool} THEN {ONLINE_POOL}
                              ELSE {column("organisation_type")} END AS t,
                         {column("status")} AS s, COUNT(*) AS n
                    FROM {quote(Registration._meta.db_table)}
                   WHERE {column("event")} = e.id AND {column("status")} = ANY(%(_active)s)
                   GROUP BY 1, 2) c)"""  # noqa: S608 - identifiers from the model, values as parameters


def _separate_online_sql(alias: str) -> str:
    """SQL: the event ``alias`` is hybrid and counts its online seats apart (Event.separate_online_seats)."""
    quote = connection.ops.quote_name
    presence = quote(Event._meta.get_field("presence").column)
    online_capacity = quote(Event._meta.get_field("online_capacity").column)
    return f"({alias}.{presence} = '{PresenceMode.HYBRID.value}' AND {alias}.{online_capacity} IS NOT NULL)"


def _events_with_availability(where: str, params: dict, *, details: bool) -> list[tuple[PublicEvent, Availability]]:
    """Published events with their seats, in one query: the events' own (events.selectors.public_events) with
    the registrations counted per event added as a column."""
    events = public_events(
        where=where,
        params={**params, "_active": list(RegistrationStatus.active())},
        details=details,
        extra_columns=(_counts_column(),),
    )
    result = []
    for public in events:
        (counts_json,) = public.extra
        counts = {(type_id, status): number for type_id, status, number in counts_json}
        availability = compute_availability(
            capacity=public.event.capacity,
            invited_type_ids=public.invited_type_ids,
            quotas=public.quotas,
            counts=counts,
            online_capacity=public.event.online_capacity if public.event.separate_online_seats else None,
        )
        result.append((public, availability))
    return result


def _seats_sql() -> str:
    """Counts of active registrations per type and status, and the quotas, in one round trip: this runs inside
    the booking lock, where every round trip makes the other bookings of the event wait longer. Table and
    column names come from the models."""
    quote = connection.ops.quote_name

    def column(model, field: str) -> str:
        return quote(model._meta.get_field(field).column)

    return f"""
        SELECT CASE WHEN {column(Registration, "attends_online")} AND %(separate_online)s THEN {ONLINE_POOL}
                    ELSE {column(Registration, "organisation_type")} END,
               {column(Registration, "status")}, COUNT(*)
          FROM {quote(Registration._meta.db_table)}
         WHERE {column(Registration, "event")} = %(event)s AND {column(Registration, "status")} = ANY(%(active)s)
         GROUP BY 1, 2
        UNION ALL
        SELECT {column(Quota, "organisation_type")}, 'quota', {column(Quota, "seats")}
          FROM {quote(Quota._meta.db_table)}
         WHERE {column(Quota, "event")} = %(event)s
    """  # noqa: S608 - identifiers from the models, values as parameters


def seat_counts(event) -> tuple[dict[tuple[int, str], int], dict[int, int]]:
    """Read fresh (inside the booking lock): active registrations per (type, status), and the quotas by type."""
    counts: dict[tuple[int, str], int] = {}
    quotas: dict[int, int] = {}
    with connection.cursor() as cursor:
        cursor.execute(
            _seats_sql(),
            {
                "event": event.pk,
                "active": list(RegistrationStatus.active()),
                "separate_online": event.separate_online_seats,
            },
        )
        for type_id, status, number in cursor.fetchall():
            if status == "quota":
                quotas[type_id] = number
            else:
                counts[(type_id, status)] = number
    return counts, quotas


def event_availability(event, *, invited_type_ids: Iterable[int] | None = None) -> Availability:
    """Availability of one event, read fresh from the database (use inside the booking lock). Counts and
    quotas are always read afresh; the invited types may be passed in when the caller has them."""
    counts, quotas = seat_counts(event)
    if invited_type_ids is None:
        invited_type_ids = event.invited_types.values_list("pk", flat=True)
    return compute_availability(
        capacity=event.capacity,
        invited_type_ids=invited_type_ids,
        quotas=quotas,
        counts=counts,
        online_capacity=event.online_capacity if event.separate_online_seats else None,
    )


def waiting_list(event) -> list[Registration]:
    """The waitlisted registrations of ``event`` in the order they move up (who came first)."""
    return list(
        Registration.objects.filter(event=event, status=RegistrationStatus.WAITLISTED).order_by("waitlisted_at", "pk")
    )


def waiting_who_fit(
    *,
    event,
    waiting: list[Registration],
    counts: Mapping[tuple[int, str], int],
    quotas: Mapping[int, int],
    invited_type_ids: Iterable[int],
) -> list[Registration]:
    """Who of ``waiting`` (in order) gets a seat with the seats ``counts`` and ``quotas`` leave, seat by seat.

    Nobody moves up for an event that is not published or already over. Pure arithmetic on the figures given:
    the waiting list itself moves up with it (participants.services.waitlist_promote, inside the event lock), and
    the cancellation page uses it to say whether the seat goes to someone waiting.
    """
    if event.status != EventStatus.PUBLISHED or event.is_over():
        return []
    counts = dict(counts)
    invited = list(invited_type_ids)
    online_capacity = event.online_capacity if event.separate_online_seats else None
    fit = []
    for registration in waiting:
        availability = compute_availability(
            capacity=event.capacity,
            invited_type_ids=invited,
            quotas=quotas,
            counts=counts,
            online_capacity=online_capacity,
        )
        if online_capacity is not None and registration.attends_online:
            type_id = ONLINE_POOL
            if availability.online.free <= 0:
                continue
        else:
            type_id = registration.organisation_type_id
            if not availability.has_seat_for(type_id):
                continue
        # Moving up turns a waiting place into a held seat (pending or confirmed count alike).
        for status, change in ((RegistrationStatus.WAITLISTED, -1), (RegistrationStatus.CONFIRMED, +1)):
            counts[(type_id, status)] = counts.get((type_id, status), 0) + change
        fit.append(registration)
    return fit


def cancellation_passes_seat_on(registration: Registration) -> bool:
    """Whether cancelling ``registration`` now would move someone up from the waiting list: it holds a seat, and
    with that seat free the waiting list has someone who fits. Read for the confirmation page (three queries);
    the cancellation itself decides afresh under the event lock."""
    if registration.status not in RegistrationStatus.holding_seat():
        return False
    event = registration.event
    waiting = waiting_list(event)
    if not waiting:
        return False
    counts, quotas = seat_counts(event)
    pool = ONLINE_POOL if registration.attends_online and event.separate_online_seats else None
    key = (pool if pool is not None else registration.organisation_type_id, registration.status)
    counts[key] = counts.get(key, 0) - 1
    return bool(
        waiting_who_fit(
            event=event,
            waiting=waiting,
            counts=counts,
            quotas=quotas,
            invited_type_ids=event.invited_types.values_list("pk", flat=True),
        )
    )


def waitlist_position(registration: Registration) -> int | None:
    """1-based position among the waitlisted registrations of the same organisation type (for the separately
    counted online seats of a hybrid event: among those waiting for them)."""
    if registration.status != RegistrationStatus.WAITLISTED:
        return None
    same_seats = Q(organisation_type_id=registration.organisation_type_id)
    if registration.event.separate_online_seats:
        same_seats = (
            Q(attends_online=True)
            if registration.attends_online
            else Q(attends_online=False, organisation_type_id=registration.organisation_type_id)
        )
    ahead = Registration.objects.filter(
        same_seats,
        event_id=registration.event_id,
        status=RegistrationStatus.WAITLISTED,
    ).filter(
        Q(waitlisted_at__lt=registration.waitlisted_at)
        | Q(waitlisted_at=registration.waitlisted_at, pk__lt=registration.pk)
    )
    return ahead.count() + 1


def registrations_of_user(user) -> list[Registration]:
    """A person's own registrations, newest event first, with what the overview shows."""
    return list(
        Registration.objects.filter(user=user)
        .select_related("event", "organisation", "organisation_type")
        .order_by("-event__date", "-created")
    )


def active_registration_of(*, user, event) -> Registration | None:
    """The registration of ``user`` for ``event`` that still counts (at most one, a database constraint), or None.
    One query; none for anonymous visitors."""
    if not getattr(user, "is_authenticated", False):
        return None
    return Registration.objects.filter(event=event, user=user, status__in=RegistrationStatus.active()).first()


def upcoming_cancellable_registrations(*, user):
    """The registrations account deletion cancels: to events from today on, pending, confirmed or waiting.
    One queryset for the deletion page and the deletion service, so the page lists exactly what happens."""
    return Registration.objects.filter(user=user, status__in=RegistrationStatus.cancellable()).exclude(
        over_before(timezone.localdate(), prefix="event__")
    )


def registrations_cancelled_by_account_deletion(*, user) -> list[Registration]:
    return list(upcoming_cancellable_registrations(user=user).select_related("event").order_by("event__date", "pk"))


def registration_of_user(*, user, pk: int) -> Registration:
    """One registration of ``user``; another person's id raises Http404 (never 403, which would confirm
    that the id exists)."""
    from django.shortcuts import get_object_or_404

    return get_object_or_404(
        Registration.objects.select_related("event", "organisation", "organisation_type"), pk=pk, user=user
    )


def registration_answers(*, registration: Registration) -> list[RegistrationAnswer]:
    """The answers of one registration to its event's questions, in the questions' order (one query)."""
    return list(
        RegistrationAnswer.objects.filter(registration=registration)
        .select_related("question")
        .order_by("question__position", "question_id")
    )


def answers_by_registration(*, registration_ids: Iterable[int]) -> dict[int, dict[int, RegistrationAnswer]]:
    """The answers of many registrations: {registration id: {question id: answer}} (one query)."""
    result: dict[int, dict[int, RegistrationAnswer]] = defaultdict(dict)
    for answer in RegistrationAnswer.objects.filter(registration_id__in=list(registration_ids)).select_related(
        "question"
    ):
        result[answer.registration_id][answer.question_id] = answer
    return result


def contact_list(*, event) -> list[Registration]:
    """Participants of ``event`` who consented to appear in its contact list (and nobody else)."""
    return list(
        Registration.objects.filter(
            event=event,
            status__in=RegistrationStatus.participating(),
            contact_list_consent=True,
            anonymised_at__isnull=True,
        )
        .select_related("organisation", "organisation_type")
        .order_by("last_name", "first_name")
    )


# --- the public event pages: events with their seats ----------------------------------------------------------


def registration_state(event, availability: Availability, now: dt.datetime | None = None) -> str:
    """What the public pages say about registration: the event's phase (events.selectors.registration_phase),
    and "full, waiting list open" when an open event has no free seat."""
    phase = registration_phase(event, now)
    if phase == RegistrationState.OPEN and availability.is_full:
        return RegistrationState.WAITLIST
    return phase


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


def public_home_page(*, today: dt.date | None = None) -> HomePage:
    """The home page: upcoming events with their seats and registration state, soonest first, and the archive by
    year, newest first. One query whatever the number of events."""
    today = today or timezone.localdate()
    now = timezone.now()
    upcoming, past = [], []
    for public, availability in _events_with_availability("TRUE", {}, details=False):
        event = public.event
        if not event.is_over(today):
            upcoming.append(EventCard(event, availability, registration_state(event, availability, now)))
        elif event.status == EventStatus.PUBLISHED:
            past.append(event)
    upcoming.sort(key=lambda card: (card.event.date, card.event.start_time))
    past.sort(key=lambda event: event.date, reverse=True)
    past_by_year = [(year, list(events)) for year, events in groupby(past, key=lambda event: event.date.year)]
    return HomePage(upcoming=upcoming, past_by_year=past_by_year)


@dataclass(frozen=True)
class EventPage:
    public: PublicEvent
    availability: Availability
    state: str

    @property
    def event(self) -> Event:
        return self.public.event

    @property
    def programme(self) -> list[ProgrammeItem]:
        return self.public.programme

    @property
    def co_organisers(self) -> list[str]:
        return self.public.co_organisers

    @property
    def invited_types(self) -> list[OrganisationType]:
        return self.public.invited_types

    @property
    def state_label(self) -> str:
        return RegistrationState(self.state).label

    @property
    def seat_rows(self) -> list[tuple]:
        """(organisation type, its seat figures) for every invited type, in the types' order."""
        return [
            (organisation_type, self.availability.by_type[organisation_type.pk])
            for organisation_type in self.public.invited_types
            if organisation_type.pk in self.availability.by_type
        ]

    @property
    def registration_possible(self) -> bool:
        return self.state in (RegistrationState.OPEN, RegistrationState.WAITLIST)


def public_event_page(*, slug: str) -> EventPage:
    """The public page of a published (or cancelled) event with its seats; drafts and unknown slugs: Http404.
    One query."""
    found = _events_with_availability(f"e.{quote_column(Event, 'slug')} = %(slug)s", {"slug": slug}, details=True)
    if not found:
        raise Http404
    ((public, availability),) = found
    return EventPage(public=public, availability=availability, state=registration_state(public.event, availability))


@dataclass(frozen=True)
class SeatsOverviewRow:
    organisation_type: OrganisationType
    seats: TypeSeats


def seats_overview(*, event, availability: Availability | None = None) -> list[SeatsOverviewRow]:
    """Per organisation type: quota, confirmed, pending, waitlisted and free seats (for staff); ``availability``: the
    event's, when the caller has read it already."""
    availability = availability or event_availability(event)
    types = {t.pk: t for t in OrganisationType.objects.filter(pk__in=list(availability.by_type))}
    return [
        SeatsOverviewRow(organisation_type=types[type_id], seats=seats)
        for type_id, seats in sorted(availability.by_type.items(), key=lambda kv: (types[kv[0]].position, kv[0]))
    ]


# --- the staff's start page in the admin ----------------------------------------------------------------------


@dataclass(frozen=True)
class RegistrationsToHandle:
    """An upcoming event with registrations waiting for the office: for approval, or on the waiting list."""

    event_id: int
    title: str
    date: dt.date
    pending: int
    waitlisted: int


def registrations_to_handle(*, today: dt.date | None = None) -> list[RegistrationsToHandle]:
    """Upcoming events (from ``today``) with pending or waitlisted registrations, soonest first. One query."""
    today = today or timezone.localdate()
    rows = (
        Registration.objects.filter(status__in=[RegistrationStatus.PENDING, RegistrationStatus.WAITLISTED])
        .exclude(over_before(today, prefix="event__"))
        .values("event_id", "event__title", "event__date")
        .annotate(
            pending=Count("pk", filter=Q(status=RegistrationStatus.PENDING)),
            waitlisted=Count("pk", filter=Q(status=RegistrationStatus.WAITLISTED)),
        )
        .order_by("event__date", "event_id")
    )
    return [
        RegistrationsToHandle(
            event_id=row["event_id"],
            title=row["event__title"],
            date=row["event__date"],
            pending=row["pending"],
            waitlisted=row["waitlisted"],
        )
        for row in rows
    ]


# --- certificates of attendance -------------------------------------------------------------------------------------


def certificate_by_code(*, code: str) -> AttendanceCertificate:
    """The certificate with verification code ``code`` (as printed; letters in either case), with its registration
    and event, in one query. An unknown, altered or malformed code raises Http404, as does the code of a certificate
    whose registration was anonymised (its row is deleted then)."""
    normalised = (code or "").strip().upper()
    certificate = (
        AttendanceCertificate.objects.select_related("registration__event")
        .filter(code=normalised, registration__anonymised_at__isnull=True)
        .first()
    )
    if certificate is None:
        raise Http404
    return certificate


def certificate_signature() -> CertificateSignature | None:
    """KOK's signature block for the certificates, or None while staff have not set one."""
    return CertificateSignature.objects.filter(id=CertificateSignature.SINGLETON_ID).first()


# --- check-in on the day -------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class CheckInCount:
    """Checked in (attended) of expected (confirmed or attended) for one organisation type, or in total."""

    organisation_type_id: int | None
    label: str
    attended: int
    expected: int

    def as_json(self) -> dict:
        return {"type": self.organisation_type_id, "attended": self.attended, "expected": self.expected}


@dataclass(frozen=True)
class CheckInCounts:
    by_type: list[CheckInCount]
    total: CheckInCount

    def as_json(self) -> dict:
        return {"types": [row.as_json() for row in self.by_type], "total": self.total.as_json()}


def check_in_counts(*, event) -> CheckInCounts:
    """One query: per organisation type (of everyone registered, in the types' order) how many are checked in of
    how many are expected. Waiting, cancelled and rejected people are not expected."""
    participating = Q(status__in=RegistrationStatus.participating())
    rows = (
        Registration.objects.filter(event=event)
        .values("organisation_type_id", "organisation_type__name", "organisation_type__name_en")
        .annotate(
            attended=Count("id", filter=Q(status=RegistrationStatus.ATTENDED)),
            expected=Count("id", filter=participating),
            position=Min("organisation_type__position"),
        )
        .order_by("position", "organisation_type__name")
    )
    by_type = [
        CheckInCount(
            organisation_type_id=row["organisation_type_id"],
            label=OrganisationType(
                name=row["organisation_type__name"], name_en=row["organisation_type__name_en"]
            ).display_name,
            attended=row["attended"],
            expected=row["expected"],
        )
        for row in rows
    ]
    total = CheckInCount(
        organisation_type_id=None,
        label="",
        attended=sum(row.attended for row in by_type),
        expected=sum(row.expected for row in by_type),
    )
    return CheckInCounts(by_type=by_type, total=total)


def check_in_registrations(*, event, query: str = "") -> list[Registration]:
    """One query: everyone registered for ``event`` (not anonymised), by name, with organisation and type; those
    without a seat too, so the door can tell them why. ``query``: words that must each occur in the first or last
    name or the organisation (the search of the check-in page without JavaScript, and for long lists)."""
    registrations = Registration.objects.filter(event=event, anonymised_at__isnull=True)
    for word in query.split()[:5]:
        registrations = registrations.filter(
            Q(first_name__icontains=word) | Q(last_name__icontains=word) | Q(organisation__name__icontains=word)
        )
    # Sorted here, not by the database's collation: "Köhler" next to "Koch", whatever the server's locale.
    return sorted(
        registrations.select_related("organisation", "organisation_type"),
        key=lambda r: (_sort_key(r.last_name), _sort_key(r.first_name), r.pk),
    )


def _sort_key(text: str) -> str:
    """Letters without their accents, case-folded: the order of a German list of names (ä as a, ß as ss)."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(char for char in decomposed if not unicodedata.combining(char))


# --- the public review of a past event (issue 16, part 5) -----------------------------------------------------------

# No figure on a public page stands for fewer people than this: smaller groups are combined, or left out.
REVIEW_MIN_GROUP = 3


@dataclass(frozen=True)
class ReviewFigures:
    total: int | None  # None when a small group is left out
    by_type: list[tuple[str, int]]  # (organisation type, people), each >= REVIEW_MIN_GROUP
    others: int  # the smaller types combined (0 when not shown)
    small_groups_hidden: bool  # some people are in no figure of by_type and others (groups below the minimum)


def review_figures(*, event) -> ReviewFigures | None:
    """Who took part (marked attended), by organisation type, for the public review: no names, and nothing that
    stands for fewer than REVIEW_MIN_GROUP people. Types below it are combined into "others" when those reach it
    together; otherwise they are left out (and the page says so). None when fewer than the minimum took part."""
    rows = (
        Registration.objects.filter(event=event, status=RegistrationStatus.ATTENDED)
        .values("organisation_type__name", "organisation_type__name_en", "organisation_type__position")
        .annotate(n=Count("id"))
        .order_by("organisation_type__position", "organisation_type__name")
    )
    english = translation.get_language() == "en"
    counts = [
        ((r["organisation_type__name_en"] if english else "") or r["organisation_type__name"], r["n"]) for r in rows
    ]
    total = sum(n for _label, n in counts)
    if total < REVIEW_MIN_GROUP:
        return None
    shown = [(label, n) for label, n in counts if n >= REVIEW_MIN_GROUP]
    small = sum(n for _label, n in counts if n < REVIEW_MIN_GROUP)
    others = small if small >= REVIEW_MIN_GROUP else 0
    hidden = 0 < small < REVIEW_MIN_GROUP
    # With a group left out, the total would give it away (total minus the figures shown): then no total.
    return ReviewFigures(total=None if hidden else total, by_type=shown, others=others, small_groups_hidden=hidden)
