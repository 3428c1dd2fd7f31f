"""Reads for the event documents, each in a fixed number of queries whatever the number of participants.

The documentation holds figures, texts written by staff and anonymous feedback only: no query here reads
a participant's name, e-mail address or other personal field. The printables (participant list, sign-in
sheet, badges) do read names; their selectors are separate and say so.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db.models import Count, Prefetch, Q, prefetch_related_objects
from django.shortcuts import get_object_or_404

from casework.feedback.selectors import FeedbackResults, documentation_results
from casework.models import CaseExample, SmallGroup, Workshop
from casework.selectors import readable_case_examples
from events.models import OrganisationType
from kokportal.federal_states import FederalState
from participants.enums import RegistrationStatus
from participants.models import Registration

from ..materials import materials_titles_for_documentation
from ..models import Event, Material, ProgrammeItem, Speaker
from ..speakers import published_speakers_of, published_speakers_prefetch
from .permissions import events_with_documents_for_team

# Below MIN_ANSWERS a question's distribution (and mean) is not shown: with one or two answers the figures
# would tell who answered what. One rule for the results page and the documentation.


# --- participation in numbers ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class CountRow:
    """Registered / confirmed / attended for one organisation type or federal state (or in total)."""

    label: str
    registered: int = 0
    confirmed: int = 0
    attended: int = 0


@dataclass(frozen=True)
class Participation:
    by_type: list[CountRow]
    by_state: list[CountRow]
    total: CountRow

    @property
    def attendance_recorded(self) -> bool:
        return self.total.attended > 0

    @property
    def participants_figure(self) -> str:
        """Which figure the charts show: attended when attendance was recorded, else confirmed."""
        return "attended" if self.attendance_recorded else "confirmed"


def _count_rows(counts: dict, keys: list, label_for) -> list[CountRow]:
    rows = []
    for key in keys:
        by_status = counts.get(key)
        if not by_status:
            continue
        rows.append(
            CountRow(
                label=label_for(key),
                registered=sum(by_status.values()),
                confirmed=sum(by_status[s] for s in RegistrationStatus.participating()),
                attended=by_status[RegistrationStatus.ATTENDED],
            )
        )
    return rows


def participation(event: Event) -> Participation:
    """One query: registrations counted per organisation type, federal state and status.

    Registered counts every registration received (also those cancelled, rejected or still waiting);
    confirmed counts confirmed and attended ones; attended those marked as present. Anonymised registrations
    count too: retention blanks the names, not the figures."""
    rows = (
        Registration.objects.filter(event=event)
        .values(
            "organisation_type_id",
            "organisation_type__name",
            "organisation_type__name_en",
            "organisation_type__position",
            "federal_state",
            "status",
        )
        .annotate(n=Count("id"))
        .order_by()
    )
    by_type: dict[int, Counter] = defaultdict(Counter)
    by_state: dict[str, Counter] = defaultdict(Counter)
    total: Counter = Counter()
    types: dict[int, OrganisationType] = {}
    for row in rows:
        type_id = row["organisation_type_id"]
        types[type_id] = OrganisationType(
            pk=type_id,
            name=row["organisation_type__name"],
            name_en=row["organisation_type__name_en"],
            position=row["organisation_type__position"],
        )
        by_type[type_id][row["status"]] += row["n"]
        by_state[row["federal_state"]][row["status"]] += row["n"]
        total[row["status"]] += row["n"]
    type_keys = sorted(types, key=lambda pk: (types[pk].position, types[pk].name))
    state_keys = [state.value for state in FederalState] + sorted(set(by_state) - set(FederalState.values))
    state_labels = dict(FederalState.choices)
    return Participation(
        by_type=_count_rows(by_type, type_keys, lambda pk: types[pk].display_name),
        by_state=_count_rows(by_state, state_keys, lambda code: str(state_labels.get(code, code or "–"))),
        total=_count_rows({"total": total}, ["total"], lambda _key: "")[0] if total else CountRow(label=""),
    )


# --- small groups -----------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class GroupResult:
    number: int
    member_count: int
    results: str
    agreements: str


@dataclass(frozen=True)
class WorkshopResults:
    title: str
    description: str
    programme_item: ProgrammeItem
    groups: list[GroupResult]  # only groups that recorded results or agreements
    group_count: int


def _workshop_results(workshops: list[Workshop]) -> list[WorkshopResults]:
    result = []
    for workshop in workshops:
        groups = list(workshop.groups.all())
        result.append(
            WorkshopResults(
                title=workshop.title,
                description=workshop.description,
                programme_item=workshop.programme_item,
                group_count=len(groups),
                groups=[
                    GroupResult(
                        number=g.number,
                        member_count=g.member_count,
                        results=g.results.strip(),
                        agreements=g.agreements.strip(),
                    )
                    for g in groups
                    if g.results.strip() or g.agreements.strip()
                ],
            )
        )
    return result


# --- case examples ----------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class CaseExampleText:
    workshop: str
    title: str
    text: str


def case_example_texts(cases: Iterable[CaseExample]) -> list[CaseExampleText]:
    return [CaseExampleText(workshop=c.workshop.title, title=c.title, text=c.text) for c in cases]


# --- the documentation ------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class EventDocumentation:
    event: Event
    co_organisers: list
    programme: list[ProgrammeItem]
    participation: Participation
    workshops: list[WorkshopResults]
    feedback: FeedbackResults | None  # feedback.selectors.documentation_results: the one computation
    case_examples: list[CaseExampleText] | None  # None: not asked for
    # the public and participants' materials (titles only; the files stay in the portal)
    materials: list[Material] = field(default_factory=list)
    # Speakers who consented to publication, in the order the programme names them (each once); the programme's
    # items carry theirs as ``published_speaker_links`` (events.speakers.published_speakers_of).
    speakers: list[Speaker] = field(default_factory=list)

    @property
    def has_group_results(self) -> bool:
        return any(w.groups for w in self.workshops)


def event_for_documents(*, slug: str) -> Event:
    """The event by slug, any status (the team prepares drafts too); unknown slugs raise Http404."""
    return get_object_or_404(Event, slug=slug)


def event_documentation(*, event: Event, case_examples: Iterable[CaseExample] | None = None) -> EventDocumentation:
    """Everything the documentation PDF shows, in a fixed number of queries whatever the number of participants,
    groups, answers, materials or speakers: 11 (3 fewer without a questionnaire, 1 fewer without workshops, 1 fewer
    without a programme). Speakers appear only with their consent; never their address.

    ``case_examples``: the case texts to include, chosen by the caller for the person who asked, by the rule of
    the case pages (``casework.selectors.readable_case_examples``); None leaves the chapter out."""
    prefetch_related_objects(
        [event],
        "co_organisers",
        Prefetch(
            "programme",
            queryset=ProgrammeItem.objects.order_by("day", "start", "id").prefetch_related(
                published_speakers_prefetch()
            ),
        ),
    )
    workshops = list(
        Workshop.objects.filter(event=event)
        .select_related("programme_item")
        .prefetch_related(
            Prefetch("groups", queryset=SmallGroup.objects.annotate(member_count=Count("members")).order_by("number"))
        )
        .order_by("programme_item__day", "programme_item__start", "title", "pk")
    )
    programme = list(event.programme.all())
    speakers = {speaker.pk: speaker for item in programme for speaker in published_speakers_of(item)}
    return EventDocumentation(
        event=event,
        co_organisers=sorted(event.co_organisers.all(), key=lambda o: o.name),
        programme=programme,
        speakers=list(speakers.values()),
        participation=participation(event),
        workshops=_workshop_results(workshops),
        feedback=documentation_results(event=event),
        case_examples=case_example_texts(case_examples) if case_examples is not None else None,
        materials=materials_titles_for_documentation(event=event),
    )


# --- printables (personal data: callers record the download in the audit log) ----------------------------------


def participating_registrations(*, event: Event) -> list[Registration]:
    """One query: confirmed and attended participants (not anonymised) who come to the venue, by name, for the
    sign-in sheet and the badges (at a hybrid event those who take part online need neither). These carry names:
    only the event team and staff get them."""
    return list(
        Registration.objects.filter(
            event=event,
            status__in=RegistrationStatus.participating(),
            anonymised_at__isnull=True,
            attends_online=False,
        )
        .select_related("organisation", "organisation_type")
        .order_by("last_name", "first_name", "pk")
    )


@dataclass(frozen=True)
class DocumentsOverview:
    """What the organiser page shows about one event's documents (counts only)."""

    event: Event
    participating: int
    on_contact_list: int
    readable_case_examples: int  # approved case texts the viewer may read (and so may get in the PDF)

    @property
    def in_person(self) -> bool:
        return not self.event.is_virtual


def documents_overview(*, event: Event, user) -> DocumentsOverview:
    """The participant counts (one query) and the number of case examples ``user`` may read."""
    participating = Q(status__in=RegistrationStatus.participating(), anonymised_at__isnull=True)
    counts = Registration.objects.filter(event=event).aggregate(
        participating=Count("id", filter=participating),
        on_contact_list=Count("id", filter=participating & Q(contact_list_consent=True)),
    )
    return DocumentsOverview(
        event=event,
        participating=counts["participating"],
        on_contact_list=counts["on_contact_list"],
        readable_case_examples=len(readable_case_examples(user=user, event=event)),
    )


def events_with_documents(*, user) -> list[Event]:
    """The events whose documents page ``user`` may open as a member of the team or a workshop facilitator
    (permissions.events_with_documents_for_team), by date. One query."""
    return list(events_with_documents_for_team(user).order_by("date", "start_time", "pk"))
