"""Who may do what with workshops, case examples and small groups. The one place of these rules.

Roles: staff (kokportal.roles.acts_as_staff); the workshop's facilitators (``is_workshop_facilitator``); the
event's team (events.permissions); confirmed participants assigned to the workshop (``participant_place``).
Who may read an approved case text: staff; the workshop's facilitators and its participants, the latter two
only inside the workshop's visibility window around the event. Everyone else gets a 404, which does not even
confirm that the case exists.
"""

from __future__ import annotations

import datetime as dt

from django.db.models import Q, QuerySet
from django.utils import timezone

from events.enums import TeamRole
from events.models import EventTeamMember
from events.permissions import is_event_team, is_team_facilitator
from kokportal.roles import acts_as_staff
from participants.enums import RegistrationStatus

from .enums import CaseStatus
from .models import CaseExample, Workshop, WorkshopParticipant


def visibility_window(workshop: Workshop) -> tuple[dt.date, dt.date]:
    date = workshop.event.date
    return (
        date - dt.timedelta(days=workshop.case_visible_days_before),
        date + dt.timedelta(days=workshop.case_visible_days_after),
    )


def in_visibility_window(workshop: Workshop, today: dt.date | None = None) -> bool:
    start, end = visibility_window(workshop)
    return start <= (today or timezone.localdate()) <= end


def is_workshop_facilitator(user, workshop: Workshop) -> bool:
    """Assigned to the workshop, or a facilitator in the event's team. The one definition of the role."""
    if not user or not user.is_authenticated:
        return False
    return workshop.facilitators.filter(pk=user.pk).exists() or is_team_facilitator(user, workshop.event)


def workshops_facilitated_by(user) -> QuerySet[Workshop]:
    """Every workshop ``user`` facilitates, by the rule of ``is_workshop_facilitator`` as one query: assigned to
    the workshop, or a facilitator in its event's team."""
    if not user or not user.is_authenticated:
        return Workshop.objects.none()
    return Workshop.objects.filter(
        Q(pk__in=Workshop.facilitators.through.objects.filter(user=user).values("workshop_id"))
        | Q(event__in=EventTeamMember.objects.filter(user=user, role=TeamRole.FACILITATOR).values("event_id"))
    )


def participant_place(user, workshop: Workshop) -> WorkshopParticipant | None:
    """The user's place in the workshop, if they are a confirmed participant assigned to it."""
    if not user or not user.is_authenticated:
        return None
    return (
        WorkshopParticipant.objects.select_related("group")
        .filter(
            workshop=workshop,
            registration__user=user,
            registration__status__in=RegistrationStatus.participating(),
        )
        .first()
    )


def may_write_cases(user, workshop: Workshop) -> bool:
    """Staff, the event's team (co-organisers, facilitators) and the workshop's facilitators write case examples."""
    return acts_as_staff(user) or is_event_team(user, workshop.event) or is_workshop_facilitator(user, workshop)


def may_edit_case(user, case: CaseExample, today: dt.date | None = None) -> bool:
    """Staff may change any case that is neither withdrawn nor purged (an approved case they change goes back
    into review). Its author, while on the event's team, changes only drafts and cases in review, and only
    until the workshop's visibility window closes; an approved text is read by the rule of ``can_read_case``."""
    if case.purged_at is not None or case.status == CaseStatus.WITHDRAWN or not user or not user.is_authenticated:
        return False
    if acts_as_staff(user):
        return True
    return (
        case.status in (CaseStatus.DRAFT, CaseStatus.IN_REVIEW)
        and case.author_id == user.pk
        and (today or timezone.localdate()) <= visibility_window(case.workshop)[1]
        and may_write_cases(user, case.workshop)
    )


def can_record_results(user, workshop: Workshop) -> bool:
    return acts_as_staff(user) or is_workshop_facilitator(user, workshop)


def may_place_participants(user, workshop: Workshop) -> bool:
    """Who sees the participants in no small group (with their names) and puts them into groups: the people who
    look after the groups, staff and the workshop's facilitators."""
    return can_record_results(user, workshop)


def can_read_case(user, case: CaseExample, today: dt.date | None = None, *, reader: bool | None = None) -> bool:
    """``reader``: whether ``user`` facilitates or takes part in the case's workshop, when the caller knows it
    already (lists of many cases); otherwise it is looked up."""
    if case.purged_at is not None or not user or not user.is_authenticated:
        return False
    if acts_as_staff(user):
        return True
    workshop = case.workshop
    if case.status != CaseStatus.APPROVED:
        # Authors see their own drafts while they work on them.
        return case.author_id == user.pk and case.status != CaseStatus.WITHDRAWN
    if not in_visibility_window(workshop, today):
        return False
    if reader is not None:
        return reader
    return is_workshop_facilitator(user, workshop) or participant_place(user, workshop) is not None


def may_see_review_comments(user, case: CaseExample) -> bool:
    """The reviewer's comments on a case (sent back for revision) are for staff and the case's author only, never
    for the workshop's readers."""
    if case.purged_at is not None or not user or not user.is_authenticated:
        return False
    return acts_as_staff(user) or case.author_id == user.pk
