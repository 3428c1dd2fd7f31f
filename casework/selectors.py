"""Reads for workshops, case examples and small groups, for the people casework.permissions lets in."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.db.models import Case, Count, Exists, OuterRef, Prefetch, Q, Subquery, Value, When
from django.db.models.functions import Coalesce
from django.http import Http404
from django.utils import timezone

from kokportal.roles import acts_as_staff
from participants.enums import RegistrationStatus
from participants.models import Registration

from .enums import CaseStatus
from .models import CaseExample, CaseExampleReturn, FindingDismissal, SmallGroup, Workshop, WorkshopParticipant
from .permissions import (
    can_read_case,
    can_record_results,
    in_visibility_window,
    is_workshop_facilitator,
    may_place_participants,
    may_see_review_comments,
    participant_place,
    visibility_window,
    workshops_facilitated_by,
)


def _members():
    """Members of small groups as pages and lists show them: with organisation, by name."""
    return WorkshopParticipant.objects.select_related(
        "registration__organisation", "registration__organisation_type"
    ).order_by("registration__last_name", "registration__first_name")


def approved_case_examples(*, event) -> list[CaseExample]:
    """One query: the approved case examples of ``event`` whose text has not been purged (never drafts, never
    withdrawn), in programme order. Only for readers who may read all of them (see readable_case_examples)."""
    return list(
        CaseExample.objects.filter(workshop__event=event, status=CaseStatus.APPROVED, purged_at__isnull=True)
        .exclude(text="")
        .select_related("workshop__event", "workshop__programme_item")
        .order_by("workshop__programme_item__start", "workshop__title", "title", "pk")
    )


def readable_case_examples(*, user, event) -> list[CaseExample]:
    """The approved, unpurged case examples of ``event`` that ``user`` may read, by the rule of the case pages
    (``can_read_case``): all for staff; inside each workshop's window, those of the workshops the user
    facilitates or takes part in. One query, plus two per workshop with cases for people who are not staff."""
    cases = approved_case_examples(event=event)
    if not cases or acts_as_staff(user):
        return cases
    if not user or not user.is_authenticated:
        return []
    allowed: dict[int, bool] = {}
    for case in cases:
        if case.workshop_id not in allowed:
            workshop = case.workshop
            allowed[case.workshop_id] = in_visibility_window(workshop) and (
                is_workshop_facilitator(user, workshop) or participant_place(user, workshop) is not None
            )
    return [case for case in cases if allowed[case.workshop_id]]


def case_for_reader(*, user, pk: int) -> CaseExample:
    case = CaseExample.objects.select_related("workshop__event", "author").filter(pk=pk).first()
    if case is None or not can_read_case(user, case):
        raise Http404
    return case


def latest_return_for(*, user, case: CaseExample) -> CaseExampleReturn | None:
    """The latest comment with which the case was sent back for revision, for its author and staff while the case
    is a draft or in review again (one query; none for anyone else)."""
    if case.status not in (CaseStatus.DRAFT, CaseStatus.IN_REVIEW) or not may_see_review_comments(user, case):
        return None
    return CaseExampleReturn.objects.filter(case=case).order_by("-created", "-pk").first()


def case_review_record(case: CaseExample) -> tuple[list[FindingDismissal], list[CaseExampleReturn]]:
    """For the office: the findings judged a false alarm (with reason, who and when) and the returns for revision
    (with comment, who and when), newest first. Two queries."""
    dismissals = list(
        FindingDismissal.objects.filter(case=case).select_related("decided_by").order_by("-created", "start")
    )
    returns = list(
        CaseExampleReturn.objects.filter(case=case).select_related("returned_by").order_by("-created", "-pk")
    )
    return dismissals, returns


# --- participants in no small group ---------------------------------------------------------------------------


def _in_no_group(workshop, event) -> Q:
    """Condition on Registration: in ``workshop`` without a small group, or in no workshop of ``event`` at all (the
    confirmation came after the participants were assigned). ``workshop`` and ``event`` are ids or OuterRefs."""
    return Q(
        Exists(WorkshopParticipant.objects.filter(registration=OuterRef("pk"), workshop=workshop, group__isnull=True))
    ) | ~Q(Exists(WorkshopParticipant.objects.filter(registration=OuterRef("pk"), workshop__event=event)))


def unassigned_participants(*, workshop: Workshop) -> list[Registration]:
    """The people who should be in one of the workshop's small groups but are in none: registrations of its event
    that take part (confirmed, attended) and are in this workshop without a group or in no workshop of the event.
    Nobody while the workshop has no groups yet (forming them places everyone). By name; one query."""
    return list(
        Registration.objects.filter(event=workshop.event_id, status__in=RegistrationStatus.participating())
        .filter(Exists(SmallGroup.objects.filter(workshop=workshop.pk)))
        .filter(_in_no_group(workshop.pk, workshop.event_id))
        .select_related("organisation", "organisation_type")
        .order_by("last_name", "first_name", "pk")
    )


def unassigned_count():
    """Annotation for Workshop querysets: how many people ``unassigned_participants`` lists, in the same query."""
    registrations = (
        Registration.objects.filter(event=OuterRef("event_id"), status__in=RegistrationStatus.participating())
        .filter(_in_no_group(OuterRef(OuterRef("pk")), OuterRef(OuterRef("event_id"))))
        .order_by()
        .values("event")
        .annotate(count=Count("pk"))
        .values("count")
    )
    return Case(
        When(Exists(SmallGroup.objects.filter(workshop=OuterRef("pk"))), then=Coalesce(Subquery(registrations), 0)),
        default=Value(0),
    )


@dataclass(frozen=True)
class WorkshopPage:
    workshop: Workshop
    role: str  # "staff", "facilitator" or "participant"
    cases: list[CaseExample]
    groups: list[SmallGroup]
    my_group: SmallGroup | None
    cases_visible: bool
    window: tuple[dt.date, dt.date]
    unassigned: list[Registration] = field(default_factory=list)  # for staff and facilitators only
    own_cases: list[CaseExample] = field(default_factory=list)  # the viewer's drafts and cases in review (team)
    approved_count: int = 0  # approved cases, also while their texts are outside the window

    @property
    def is_team(self) -> bool:
        return self.role in ("staff", "facilitator")


def workshop_page(*, user, pk: int) -> WorkshopPage:
    """The workshop page: staff and facilitators see all groups with their members; a participant sees
    their own group (names only of those who agreed to the contact list) and the approved cases."""
    workshop = Workshop.objects.select_related("event", "programme_item").filter(pk=pk).first()
    if workshop is None or not user.is_authenticated:
        raise Http404
    if acts_as_staff(user):
        role = "staff"
    elif is_workshop_facilitator(user, workshop):
        role = "facilitator"
    else:
        role = "participant"
    place = participant_place(user, workshop) if role == "participant" else None
    if role == "participant" and place is None:
        raise Http404
    visible = role == "staff" or in_visibility_window(workshop)
    cases = (
        list(workshop.case_examples.filter(status=CaseStatus.APPROVED, purged_at__isnull=True).order_by("title"))
        if visible
        else []
    )
    groups_qs = workshop.groups.prefetch_related(Prefetch("members", queryset=_members()))
    if role == "participant":
        groups_qs = groups_qs.filter(pk=place.group_id) if place.group_id else groups_qs.none()
    groups = list(groups_qs)
    own_cases, approved_count = [], len(cases)
    if role != "participant":
        # The facilitator's own unfinished cases (they may open them at any time, like the start page), and how many
        # approved cases wait for the window (a count, never a title or text).
        own_cases = list(
            workshop.case_examples.filter(
                author=user.pk, status__in=[CaseStatus.DRAFT, CaseStatus.IN_REVIEW], purged_at__isnull=True
            ).order_by("title", "pk")
        )
        if not visible:
            approved_count = workshop.case_examples.filter(status=CaseStatus.APPROVED, purged_at__isnull=True).count()
    return WorkshopPage(
        workshop=workshop,
        role=role,
        cases=cases,
        groups=groups,
        my_group=groups[0] if role == "participant" and groups else None,
        cases_visible=visible,
        window=visibility_window(workshop),
        unassigned=unassigned_participants(workshop=workshop) if role != "participant" else [],
        own_cases=own_cases,
        approved_count=approved_count,
    )


def group_for_viewer(*, user, pk: int) -> tuple[SmallGroup, bool]:
    """A small group for its members (read) and the workshop's facilitators and staff (read and write).
    Returns the group and whether the viewer may record results."""
    group = SmallGroup.objects.select_related("workshop__event").filter(pk=pk).first()
    if group is None or not user.is_authenticated:
        raise Http404
    if can_record_results(user, group.workshop):
        return group, True
    place = participant_place(user, group.workshop)
    if place is None or place.group_id != group.pk:
        raise Http404
    return group, False


def group_members(group: SmallGroup) -> list[WorkshopParticipant]:
    return list(_members().filter(group=group))


def unassigned_for_viewer(*, user, workshop: Workshop) -> list[Registration]:
    """``unassigned_participants`` for those who may place them (permissions.may_place_participants); nobody for
    anyone else."""
    return unassigned_participants(workshop=workshop) if may_place_participants(user, workshop) else []


def workshops_for_registration(registration) -> list[WorkshopParticipant]:
    return list(WorkshopParticipant.objects.filter(registration=registration).select_related("workshop", "group"))


def printable_groups(*, workshop: Workshop) -> list[SmallGroup]:
    return list(workshop.groups.prefetch_related(Prefetch("members", queryset=_members())).order_by("number"))


def personal_data_of(user) -> list[dict]:
    """The person's workshop places for their data export (participants.privacy): workshop and small group."""
    places = WorkshopParticipant.objects.filter(registration__user=user).select_related("workshop", "group")
    return [{"workshop": p.workshop.title, "small_group": p.group.number if p.group else None} for p in places]


# --- a person's workshops, for the start page "Meine Praxisfachtage" ------------------------------------------------


@dataclass(frozen=True)
class FacilitatedWorkshop:
    """A workshop as its facilitator's start page lists it."""

    workshop: Workshop
    cases: list[CaseExample]  # those the facilitator may open: approved inside the window, their own drafts
    groups: list[SmallGroup]
    unassigned: int  # participants in no small group
    cases_visible: bool
    window: tuple[dt.date, dt.date]
    window_over: bool  # the case texts are no longer visible (and purged by the daily job)
    approved_count: int  # approved cases, counted also while their texts are outside the window


def facilitated_workshops(*, user, today: dt.date | None = None) -> list[FacilitatedWorkshop]:
    """The workshops ``user`` facilitates (permissions.workshops_facilitated_by), in programme order, with the case
    examples they may open by the rule of the case pages (permissions.can_read_case), the small groups and how
    many participants are in none. Three queries whatever the number of workshops, cases and groups."""
    cases = (
        CaseExample.objects.filter(purged_at__isnull=True)
        .filter(Q(status=CaseStatus.APPROVED) | Q(author=user.pk, status__in=[CaseStatus.DRAFT, CaseStatus.IN_REVIEW]))
        .order_by("title", "pk")
    )
    workshops = (
        workshops_facilitated_by(user)
        .select_related("event", "programme_item")
        .annotate(unassigned=unassigned_count())
        .prefetch_related(
            Prefetch("case_examples", queryset=cases, to_attr="listed_cases"),
            Prefetch("groups", queryset=SmallGroup.objects.order_by("number"), to_attr="listed_groups"),
        )
        .order_by("event__date", "programme_item__start", "title", "pk")
    )
    today = today or timezone.localdate()
    result = []
    for workshop in workshops:
        window = visibility_window(workshop)
        result.append(
            FacilitatedWorkshop(
                workshop=workshop,
                cases=[case for case in workshop.listed_cases if can_read_case(user, case, today, reader=True)],
                groups=workshop.listed_groups,
                unassigned=workshop.unassigned,
                cases_visible=in_visibility_window(workshop, today),
                window=window,
                window_over=today > window[1],
                approved_count=sum(1 for case in workshop.listed_cases if case.status == CaseStatus.APPROVED),
            )
        )
    return result


def workshop_places_of(*, user) -> list[WorkshopParticipant]:
    """The user's places as a participant (registration taking part, the rule of permissions.participant_place),
    with workshop, event and small group. One query."""
    if not user or not user.is_authenticated:
        return []
    return list(
        WorkshopParticipant.objects.filter(
            registration__user=user, registration__status__in=RegistrationStatus.participating()
        )
        .select_related("workshop__event", "group")
        .order_by("workshop__event__date", "workshop__programme_item__start", "workshop__title", "pk")
    )


# --- the staff's start page in the admin ----------------------------------------------------------------------


@dataclass(frozen=True)
class CasesToReview:
    """An event with case examples submitted for review (the four-eyes approval in the admin)."""

    event_id: int
    title: str
    date: dt.date
    count: int


def cases_to_review() -> list[CasesToReview]:
    """Events with case examples waiting for review, soonest first. One query."""
    rows = (
        CaseExample.objects.filter(status=CaseStatus.IN_REVIEW)
        .values("workshop__event_id", "workshop__event__title", "workshop__event__date")
        .annotate(count=Count("pk"))
        .order_by("workshop__event__date", "workshop__event_id")
    )
    return [
        CasesToReview(
            event_id=row["workshop__event_id"],
            title=row["workshop__event__title"],
            date=row["workshop__event__date"],
            count=row["count"],
        )
        for row in rows
    ]
