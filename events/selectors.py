"""Reads of events for the public pages, in a fixed number of queries whatever the number of events; and the one
rule of when registration is open (``registration_phase``). The seat figures on those pages come from the floor
above (participants.selectors.public_home_page / public_event_page)."""

from __future__ import annotations

import base64
import datetime as dt
import functools
import json
from dataclasses import dataclass, field

from django.db import connection
from django.http import Http404
from django.utils import timezone

from .enums import EventStatus, MaterialVisibility, ProgrammeItemKind, RegistrationState, TeamRole
from .models import (
    Event,
    EventQuestion,
    EventTeamMember,
    Material,
    Organisation,
    OrganisationType,
    ProgrammeItem,
    ProgrammeItemSpeaker,
    Project,
    Quota,
    Speaker,
    SpeakerInvitation,
    StoredFile,
)


def registration_phase(event: Event, now: dt.datetime | None = None) -> str:
    """Where an event stands in its registration window, by time and status alone (seats are the booking's
    business): cancelled, past, not yet open, closed or open. The one place this rule lives; the booking
    service refuses what it does not call open, the pages show it."""
    now = now or timezone.now()
    if event.status == EventStatus.CANCELLED:
        return RegistrationState.CANCELLED
    if event.is_over(timezone.localdate(now)):
        return RegistrationState.PAST
    if event.status != EventStatus.PUBLISHED:
        return RegistrationState.CLOSED
    if event.registration_opens and now < event.registration_opens:
        return RegistrationState.NOT_YET_OPEN
    if (event.registration_closes and now >= event.registration_closes) or now >= event.starts_at:
        return RegistrationState.CLOSED
    return RegistrationState.OPEN


@dataclass(frozen=True)
class PublicEvent:
    """An event as the public pages show it, read in one query (``public_events``)."""

    event: Event
    invited_types: list[OrganisationType]  # in their order (position, name)
    quotas: dict[int, int]  # organisation type id -> seats
    co_organisers: list[str] = field(default_factory=list)  # names, alphabetically (with ``details``)
    programme: list[ProgrammeItem] = field(default_factory=list)  # by start (with ``details``)
    # every material of the event, whatever its visibility, in their order (with ``details``); pages show only
    # those the visitor may see (``materials_shown``)
    materials: list[Material] = field(default_factory=list)
    extra: tuple = ()  # the values of the caller's ``extra_columns``

    @property
    def invited_type_ids(self) -> list[int]:
        return [t.pk for t in self.invited_types]


def _m2m(model, name: str) -> tuple[str, str, str]:
    """Table of the many-to-many field ``name`` and its two columns (this side, the other side)."""
    field_ = model._meta.get_field(name)
    return field_.m2m_db_table(), field_.m2m_column_name(), field_.m2m_reverse_name()


@functools.cache
def _public_events_sql(*, where: str, details: bool, extra_columns: tuple[str, ...]) -> str:
    """The events matching ``where`` (a condition on ``e``, values as parameters) with their invited types and
    quotas as JSON, with ``details`` their co-organisers and programme too, and the caller's ``extra_columns``
    (SQL expressions on ``e``), in one query.

    The public pages are rendered for every logged-in visitor; the ORM's prefetches cost five queries and most of
    the page's time (benchmarks/README.md), this costs one. Table and column names come from the models, so the
    SQL follows them; each variant is built once per process.
    """
    quote = connection.ops.quote_name
    col = quote_column
    event_columns = ", ".join(f"e.{quote(f.column)}" for f in Event._meta.concrete_fields)
    types_table, types_event, types_type = _m2m(Event, "invited_types")
    co_table, co_event, co_organisation = _m2m(Event, "co_organisers")
    organisation_type, organisation = OrganisationType._meta.db_table, Organisation._meta.db_table
    quota, item = Quota._meta.db_table, ProgrammeItem._meta.db_table
    material, stored = Material._meta.db_table, StoredFile._meta.db_table
    speaker, speaker_link = Speaker._meta.db_table, ProgrammeItemSpeaker._meta.db_table
    speaker_invitation = SpeakerInvitation._meta.db_table
    # Identifiers come from the models, ``where`` and ``extra_columns`` from the portal's code; every value is a
    # parameter.
    parts = [
        f"""(SELECT COALESCE(json_agg(json_build_object(
                'id', t.id, 'slug', t.{col(OrganisationType, "slug")}, 'name', t.{col(OrganisationType, "name")},
                'name_en', t.{col(OrganisationType, "name_en")}, 'position', t.{col(OrganisationType, "position")})
                ORDER BY t.{col(OrganisationType, "position")}, t.{col(OrganisationType, "name")}), '[]')
             FROM {quote(types_table)} it JOIN {quote(organisation_type)} t ON t.id = it.{quote(types_type)}
             WHERE it.{quote(types_event)} = e.id)""",  # noqa: S608
        f"""(SELECT COALESCE(json_object_agg(q.{col(Quota, "organisation_type")}, q.{col(Quota, "seats")}), '{{}}')
             FROM {quote(quota)} q WHERE q.{col(Quota, "event")} = e.id)""",  # noqa: S608
    ]
    if details:
        parts += [
            f"""(SELECT COALESCE(json_agg(o.{col(Organisation, "name")} ORDER BY o.{col(Organisation, "name")}), '[]')
                 FROM {quote(co_table)} co JOIN {quote(organisation)} o ON o.id = co.{quote(co_organisation)}
                 WHERE co.{quote(co_event)} = e.id)""",  # noqa: S608
            f"""(SELECT COALESCE(json_agg(json_build_object(
                    'id', p.id, 'day', p.{col(ProgrammeItem, "day")}, 'start', p.{col(ProgrammeItem, "start")},
                    'end', p.{col(ProgrammeItem, "end")},
                    'kind', p.{col(ProgrammeItem, "kind")}, 'title', p.{col(ProgrammeItem, "title")},
                    'speakers', p.{col(ProgrammeItem, "speakers")},
                    'description', p.{col(ProgrammeItem, "description")},
                    'published_speakers', (SELECT COALESCE(json_agg(json_build_object(
                        'name', s.{col(Speaker, "name")}, 'organisation', s.{col(Speaker, "organisation")},
                        'bio', s.{col(Speaker, "bio")}, 'bio_en', s.{col(Speaker, "bio_en")})
                        ORDER BY sl.{col(ProgrammeItemSpeaker, "position")}, sl.id), '[]')
                     FROM {quote(speaker_link)} sl
                     JOIN {quote(speaker)} s ON s.id = sl.{col(ProgrammeItemSpeaker, "speaker")}
                     WHERE sl.{col(ProgrammeItemSpeaker, "programme_item")} = p.id
                       AND s.{col(Speaker, "consent_to_publish")}
                       -- and confirmed this event (events.speakers.published_links)
                       AND EXISTS (SELECT 1 FROM {quote(speaker_invitation)} si
                                    WHERE si.{col(SpeakerInvitation, "speaker")} = s.id
                                      AND si.{col(SpeakerInvitation, "event")} = e.id
                                      AND si.{col(SpeakerInvitation, "confirmed_at")} IS NOT NULL)))
                    ORDER BY p.{col(ProgrammeItem, "day")}, p.{col(ProgrammeItem, "start")}, p.id), '[]')
                 FROM {quote(item)} p WHERE p.{col(ProgrammeItem, "event")} = e.id)""",  # noqa: S608
            f"""(SELECT COALESCE(json_agg(json_build_object(
                    'id', m.id, 'title', m.{col(Material, "title")}, 'title_en', m.{col(Material, "title_en")},
                    'file_name', m.{col(Material, "file_name")}, 'visibility', m.{col(Material, "visibility")},
                    'position', m.{col(Material, "position")},
                    'programme_item_id', m.{col(Material, "programme_item")},
                    'stored_file_id', s.id, 'extension', s.{col(StoredFile, "extension")},
                    'size', s.{col(StoredFile, "size")}, 'content_type', s.{col(StoredFile, "content_type")})
                    ORDER BY m.{col(Material, "position")}, m.id), '[]')
                 FROM {quote(material)} m JOIN {quote(stored)} s ON s.id = m.{col(Material, "stored_file")}
                 WHERE m.{col(Material, "event")} = e.id)""",  # noqa: S608
        ]
    parts += extra_columns
    table = quote(Event._meta.db_table)
    status = col(Event, "status")
    published = f"e.{status} IN (%(_published)s, %(_cancelled)s)"
    return f"SELECT {event_columns}, {', '.join(parts)} FROM {table} e WHERE {published} AND ({where})"  # noqa: S608


def public_events(
    *, where: str, params: dict, details: bool = False, extra_columns: tuple[str, ...] = ()
) -> list[PublicEvent]:
    """Published (and cancelled) events matching ``where``, read in one query (see ``_public_events_sql``).
    ``extra_columns`` lets the floor above add what it counts per event (participants: the registrations)."""
    attnames = [f.attname for f in Event._meta.concrete_fields]
    params = {**params, "_published": EventStatus.PUBLISHED, "_cancelled": EventStatus.CANCELLED}
    sql = _public_events_sql(where=where, details=details, extra_columns=extra_columns)
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    events = []
    for row in rows:
        event = Event.from_db(connection.alias, attnames, row[: len(attnames)])
        types_json, quotas_json, *rest = row[len(attnames) :]
        co_organisers, programme, materials = [], [], []
        if details:
            co_json, programme_json, materials_json, *rest = rest
            co_organisers = list(_json(co_json))
            programme = [_programme_item(event, values) for values in _json(programme_json)]
            items = {item.pk: item for item in programme}
            materials = [_material(event, items, values) for values in _json(materials_json)]
        events.append(
            PublicEvent(
                event=event,
                invited_types=[OrganisationType(**values) for values in _json(types_json)],
                quotas={int(type_id): seats for type_id, seats in _json(quotas_json).items()},
                co_organisers=co_organisers,
                programme=programme,
                materials=materials,
                extra=tuple(rest),
            )
        )
    return events


def _material(event: Event, items: dict[int, ProgrammeItem], values: dict) -> Material:
    stored = StoredFile(
        pk=values.pop("stored_file_id"),
        extension=values.pop("extension"),
        size=values.pop("size"),
        content_type=values.pop("content_type"),
    )
    item = items.get(values.pop("programme_item_id"))
    return Material(event=event, stored_file=stored, programme_item=item, **values)


@dataclass(frozen=True)
class MaterialsShown:
    """The materials a visitor may see on an event's page: all of them, those of each programme item, the public
    ones (for the review)."""

    all: list[Material]
    by_item: dict[int, list[Material]]
    public: list[Material]

    def programme(self, programme: list[ProgrammeItem]) -> list[tuple[ProgrammeItem, list[Material]]]:
        return [(item, self.by_item.get(item.pk, [])) for item in programme]


def materials_shown(materials: list[Material], visibilities) -> MaterialsShown:
    """Of an event's materials (``PublicEvent.materials``), those of the given visibilities
    (events.permissions.material_visibilities). No query."""
    shown = [m for m in materials if m.visibility in visibilities]
    by_item: dict[int, list[Material]] = {}
    for material in shown:
        if material.programme_item_id is not None:
            by_item.setdefault(material.programme_item_id, []).append(material)
    public = [m for m in shown if m.visibility == MaterialVisibility.PUBLIC]
    return MaterialsShown(all=shown, by_item=by_item, public=public)


def _programme_item(event: Event, values: dict) -> ProgrammeItem:
    """A programme item from the page's JSON, with its consenting speakers as ``published_speakers`` (name,
    organisation and biographies only: nothing else of theirs is read)."""
    speakers = values.pop("published_speakers", None) or []
    item = ProgrammeItem(event=event, **{**values, "start": _time(values["start"]), "end": _time(values["end"])})
    item.published_speakers = [Speaker(**speaker) for speaker in speakers]
    return item


def _time(value: str) -> dt.time:
    return dt.time.fromisoformat(value)


def _json(value):
    # psycopg decodes json columns already; a driver that does not would hand over the text.
    return json.loads(value) if isinstance(value, str) else value


def quote_column(model, name: str) -> str:
    return connection.ops.quote_name(model._meta.get_field(name).column)


def registration_event(*, slug: str) -> Event:
    """A published (or cancelled) event with its invited types, for the registration form and service."""
    event = Event.objects.published().prefetch_related("invited_types").filter(slug=slug).first()
    if event is None:
        raise Http404
    return event


def registration_questions(*, event: Event) -> list:
    """The questions of ``event``'s registration form in their order, with the organisation types they are asked
    of (two queries)."""
    return list(EventQuestion.objects.filter(event=event).prefetch_related("organisation_types"))


def team_roles_by_event(*, user) -> dict[int, list[str]]:
    """The roles ``user`` has in the teams of events (events.permissions), by event id, as their labels in the
    order of TeamRole. One query."""
    if not user or not user.is_authenticated:
        return {}
    held: dict[int, set[str]] = {}
    for event_id, role in EventTeamMember.objects.filter(user=user).values_list("event_id", "role"):
        held.setdefault(event_id, set()).add(role)
    return {event_id: [str(role.label) for role in TeamRole if role in roles] for event_id, roles in held.items()}


# --- the staff's start page in the admin ----------------------------------------------------------------------

# How far ahead the admin's start page looks for registration windows that open or close.
SOON_DAYS = 14


def registration_closes_at(event: Event) -> dt.datetime:
    """When registration ends: at ``registration_closes``, at the latest when the event begins
    (``registration_phase`` closes it then)."""
    if event.registration_closes is None:
        return event.starts_at
    return min(event.registration_closes, event.starts_at)


@dataclass(frozen=True)
class RegistrationWindows:
    """Published events whose registration opens within the next days, and those open now that close within them."""

    opening: list[Event]
    closing: list[Event]


def registration_windows_soon(*, now: dt.datetime | None = None, days: int = SOON_DAYS) -> RegistrationWindows:
    """The events whose registration opens, or closes, within ``days`` (by ``registration_phase``), earliest
    first. One query."""
    now = now or timezone.now()
    horizon = now + dt.timedelta(days=days)
    events = list(
        Event.objects.filter(status=EventStatus.PUBLISHED, date__gte=timezone.localdate(now)).order_by(
            "date", "start_time", "pk"
        )
    )
    opening = [
        e
        for e in events
        if registration_phase(e, now) == RegistrationState.NOT_YET_OPEN and e.registration_opens <= horizon
    ]
    closing = [
        e
        for e in events
        if registration_phase(e, now) == RegistrationState.OPEN and registration_closes_at(e) <= horizon
    ]
    opening.sort(key=lambda e: e.registration_opens)
    closing.sort(key=registration_closes_at)
    return RegistrationWindows(opening=opening, closing=closing)


def organisations_to_review_count() -> int:
    """Organisations participants entered themselves that the office has not checked yet. One query."""
    return Organisation.objects.filter(is_reviewed=False).count()


@dataclass(frozen=True)
class CertifiedProgramme:
    """What a certificate of attendance says about the day's programme."""

    minutes: int
    topics: list[str]

    @property
    def hours(self) -> float:
        return self.minutes / 60


# Programme items that do not count as time of learning (breaks), and those that are no topic of their own.
NOT_COUNTED_KINDS = frozenset({ProgrammeItemKind.BREAK})
NO_TOPIC_KINDS = frozenset({ProgrammeItemKind.BREAK, ProgrammeItemKind.WELCOME, ProgrammeItemKind.CLOSING})


def certified_programme(event: Event) -> CertifiedProgramme:
    """The hours and topics certified for attending ``event`` (one query): the programme items without breaks, added
    up (an event without a programme counts from its start to its end); the titles of the talks, examples,
    discussions and workshops in order."""
    items = list(ProgrammeItem.objects.filter(event=event).order_by("day", "start", "pk"))

    def minutes(start: dt.time, end: dt.time) -> int:
        return max(0, (end.hour * 60 + end.minute) - (start.hour * 60 + start.minute))

    if items:
        total = sum(minutes(item.start, item.end) for item in items if item.kind not in NOT_COUNTED_KINDS)
    else:
        total = minutes(event.start_time, event.end_time)
    return CertifiedProgramme(minutes=total, topics=[item.title for item in items if item.kind not in NO_TOPIC_KINDS])


def project_of(event: Event) -> Project | None:
    """The event's project for its page and documents (without the logo's bytes; one query, none without project)."""
    if event.project_id is None:
        return None
    return Project.objects.defer("logo_png").filter(pk=event.project_id).first()


def project_logo_png(*, pk: int) -> bytes | None:
    logo = Project.objects.filter(pk=pk).values_list("logo_png", flat=True).first()
    return bytes(logo) if logo else None


def project_logo_data_uri(project: Project | None) -> str | None:
    """The logo as a data URI for the PDFs (WeasyPrint embeds it; nothing is fetched)."""
    if project is None or not project.has_logo:
        return None
    logo = project_logo_png(pk=project.pk)
    return "data:image/png;base64," + base64.b64encode(logo).decode("ascii") if logo else None
