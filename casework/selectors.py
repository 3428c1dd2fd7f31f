"""Reads for workshops, case examples and small groups, for the people casework.permissions lets in."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Prefetch
from django.http import Http404

from kokportal.roles import acts_as_staff

from .enums import CaseStatus
from .models import CaseExample, CaseExampleReturn, FindingDismissal, SmallGroup, Workshop, WorkshopParticipant
from .permissions import (
    can_read_case,
    can_record_results,
    in_visibility_window,
    is_workshop_facilitator,
    may_see_review_comments,
    participant_place,
    visibility_window,
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


@dataclass(frozen=True)
class WorkshopPage:
    workshop: Workshop
    role: str  # "staff", "facilitator" or "participant"
    cases: list[CaseExample]
    groups: list[SmallGroup]
    my_group: SmallGroup | None
    cases_visible: bool
    window: tuple[dt.date, dt.date]

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
    return WorkshopPage(
        workshop=workshop,
        role=role,
        cases=cases,
        groups=groups,
        my_group=groups[0] if role == "participant" and groups else None,
        cases_visible=visible,
        window=visibility_window(workshop),
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


def workshops_for_registration(registration) -> list[WorkshopParticipant]:
    return list(WorkshopParticipant.objects.filter(registration=registration).select_related("workshop", "group"))


def printable_groups(*, workshop: Workshop) -> list[SmallGroup]:
    return list(workshop.groups.prefetch_related(Prefetch("members", queryset=_members())).order_by("number"))


def personal_data_of(user) -> list[dict]:
    """The person's workshop places for their data export (participants.privacy): workshop and small group."""
    places = WorkshopParticipant.objects.filter(registration__user=user).select_related("workshop", "group")
    return [{"workshop": p.workshop.title, "small_group": p.group.number if p.group else None} for p in places]
