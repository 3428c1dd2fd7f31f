"""Writes for case-example workshops: case examples and their review, groups, group results, purging.

Case texts are never logged, and never put into exception messages.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
from collections.abc import Mapping

from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from events.enums import EventFormat, TeamRole
from events.models import EventTeamMember
from kokportal.roles import acts_as_staff
from participants.enums import RegistrationStatus

from . import errors
from .anonymisation import Finding, check_text
from .enums import CaseStatus
from .grouping import Member, assign_groups
from .models import (
    CaseExample,
    CaseExampleVersion,
    FindingDismissal,
    SmallGroup,
    Workshop,
    WorkshopParticipant,
)
from .permissions import can_record_results, may_edit_case, may_write_cases

logger = logging.getLogger(__name__)

FindingKey = tuple[str, int, int]  # category, start, end


def text_hash(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def finding_key(finding: Finding) -> FindingKey:
    return (finding.category.value, finding.start, finding.end)


@transaction.atomic
def case_example_create(*, workshop: Workshop, author, title: str, text: str) -> CaseExample:
    if not may_write_cases(author, workshop):
        raise errors.NotAllowed()
    return CaseExample.objects.create(workshop=workshop, author=author, title=title.strip(), text=text)


@transaction.atomic
def case_example_update(*, case: CaseExample, by, title: str, text: str) -> CaseExample:
    """Change title and text. While in review, the previous text is kept as a version; an approved case
    that is changed goes back into review, because the approval was for the old text."""
    case = CaseExample.objects.select_for_update().get(pk=case.pk)
    if case.status == CaseStatus.WITHDRAWN or case.purged_at:
        raise errors.InvalidCaseTransition()
    if not may_edit_case(by, case):
        raise errors.NotAllowed()
    if title == case.title and text == case.text:
        return case
    if case.status in (CaseStatus.IN_REVIEW, CaseStatus.APPROVED):
        number = (case.versions.aggregate(n=Max("number"))["n"] or 0) + 1
        CaseExampleVersion.objects.create(case=case, number=number, title=case.title, text=case.text, created_by=by)
    if case.status == CaseStatus.APPROVED:
        case.status = CaseStatus.IN_REVIEW
        case.approved_by = None
        case.approved_at = None
    case.title = title.strip()
    case.text = text
    case.save()
    return case


@transaction.atomic
def case_example_submit(*, case: CaseExample, by) -> CaseExample:
    case = CaseExample.objects.select_for_update().get(pk=case.pk)
    if case.status != CaseStatus.DRAFT:
        raise errors.InvalidCaseTransition()
    if not may_edit_case(by, case):
        raise errors.NotAllowed()
    case.status = CaseStatus.IN_REVIEW
    case.submitted_at = timezone.now()
    case.save(update_fields=["status", "submitted_at", "modified"])
    return case


def open_blocking_findings(case: CaseExample, extra_reasons: Mapping[FindingKey, str] | None = None) -> list[Finding]:
    """Blocking findings of the current text that nobody has judged a false alarm (with a reason)."""
    current_hash = text_hash(case.text)
    dismissed = {
        (d.category, d.start, d.end) for d in FindingDismissal.objects.filter(case=case, text_hash=current_hash)
    }
    dismissed |= {key for key, reason in (extra_reasons or {}).items() if reason.strip()}
    return [f for f in check_text(case.text) if f.is_blocking and finding_key(f) not in dismissed]


@transaction.atomic
def case_example_approve(*, case: CaseExample, by, reasons: Mapping[FindingKey, str] | None = None) -> CaseExample:
    """Approve a case in review: only staff, never the author, and only when every blocking finding of the
    anonymisation check is gone or has a recorded reason why it is a false alarm."""
    case = CaseExample.objects.select_for_update().get(pk=case.pk)
    if case.status != CaseStatus.IN_REVIEW:
        raise errors.InvalidCaseTransition()
    if not acts_as_staff(by):
        raise errors.NotAllowed()
    if case.author_id == by.pk:
        raise errors.SecondPersonRequired()
    reasons = {key: reason for key, reason in (reasons or {}).items() if reason and reason.strip()}
    remaining = open_blocking_findings(case, reasons)
    if remaining:
        raise errors.BlockingFindings(remaining)
    current_hash = text_hash(case.text)
    blocking_keys = {finding_key(f) for f in check_text(case.text) if f.is_blocking}
    for key, reason in reasons.items():
        if key in blocking_keys:
            FindingDismissal.objects.get_or_create(
                case=case,
                text_hash=current_hash,
                category=key[0],
                start=key[1],
                end=key[2],
                defaults={"reason": reason.strip(), "decided_by": by},
            )
    case.status = CaseStatus.APPROVED
    case.approved_by = by
    case.approved_at = timezone.now()
    case.save(update_fields=["status", "approved_by", "approved_at", "modified"])
    # The review is over: earlier versions are no longer needed (data minimisation).
    case.versions.all().delete()
    logger.info("case example approved", extra={"event_id": case.workshop.event_id, "count": len(reasons)})
    return case


@transaction.atomic
def case_example_withdraw(*, case: CaseExample, by) -> CaseExample:
    case = CaseExample.objects.select_for_update().get(pk=case.pk)
    if case.status == CaseStatus.WITHDRAWN or case.purged_at:
        raise errors.InvalidCaseTransition()
    # Taking a case back is always allowed to staff and to its author, whatever its status or window.
    if not (acts_as_staff(by) or case.author_id == by.pk):
        raise errors.NotAllowed()
    case.status = CaseStatus.WITHDRAWN
    case.withdrawn_at = timezone.now()
    case.save(update_fields=["status", "withdrawn_at", "modified"])
    return case


@transaction.atomic
def case_texts_purge(*, today: dt.date | None = None) -> int:
    """Delete the texts (and earlier versions and review notes) of all case examples whose workshop's
    visibility window has ended; keep title and the fact that they existed. For a daily timer."""
    today = today or timezone.localdate()
    purged = 0
    candidates = (
        CaseExample.objects.select_for_update(of=("self",))
        .filter(purged_at__isnull=True)
        .select_related("workshop__event")
    )
    now = timezone.now()
    for case in candidates:
        workshop = case.workshop
        if today <= workshop.event.date + dt.timedelta(days=workshop.case_visible_days_after):
            continue
        case.text = ""
        case.purged_at = now
        case.save(update_fields=["text", "purged_at", "modified"])
        case.versions.all().delete()
        case.dismissals.all().delete()
        purged += 1
    return purged


# --- participants and groups -------------------------------------------------------------------------------


@transaction.atomic
def workshop_participants_sync(*, workshop: Workshop) -> tuple[int, int]:
    """Assign the event's confirmed participants who are in no workshop yet to this one, and remove people
    whose registration no longer takes part. Returns (added, removed)."""
    workshop = Workshop.objects.select_for_update().get(pk=workshop.pk)
    participating = RegistrationStatus.participating()
    removed, _ = (
        WorkshopParticipant.objects.filter(workshop=workshop).exclude(registration__status__in=participating).delete()
    )
    taken = WorkshopParticipant.objects.filter(workshop__event=workshop.event_id).values("registration_id")
    new = workshop.event.registrations.filter(status__in=participating).exclude(pk__in=taken)
    added = WorkshopParticipant.objects.bulk_create(
        WorkshopParticipant(workshop=workshop, registration=registration) for registration in new
    )
    return len(added), removed


@transaction.atomic
def groups_assign(*, workshop: Workshop, force: bool = False) -> list[SmallGroup]:
    """(Re)divide the workshop's participants into mixed small groups (see casework.grouping)."""
    workshop = Workshop.objects.select_for_update().select_related("event").get(pk=workshop.pk)
    groups = list(workshop.groups.all())
    if not force and any(g.results or g.agreements for g in groups):
        raise errors.GroupsHaveResults()
    participants = list(
        workshop.participants.select_related("registration").filter(
            registration__status__in=RegistrationStatus.participating()
        )
    )
    members = [
        Member(
            id=p.pk,
            organisation_type=p.registration.organisation_type_id,
            organisation=p.registration.organisation_id,
            federal_state=p.registration.federal_state or None,
        )
        for p in participants
    ]
    assignment = assign_groups(
        members, group_size=workshop.group_size, keep_states_together=workshop.event.format == EventFormat.REGIONAL
    )
    needed = len(assignment.groups)
    existing = {g.number: g for g in groups}
    for number in range(1, needed + 1):
        if number not in existing:
            existing[number] = SmallGroup.objects.create(workshop=workshop, number=number)
    by_participant = {
        member_id: existing[index + 1] for index, group in enumerate(assignment.groups) for member_id in group
    }
    for participant in participants:
        participant.group = by_participant[participant.pk]
    WorkshopParticipant.objects.bulk_update(participants, ["group"])
    SmallGroup.objects.filter(workshop=workshop, number__gt=needed).delete()
    return [existing[n] for n in range(1, needed + 1)]


@transaction.atomic
def workshop_facilitators_join_team(*, workshop: Workshop) -> int:
    """Everyone facilitating the workshop belongs to the event's team as a facilitator (the one definition of
    the team, events.permissions): they see the event's documents and feedback like the rest of the team.
    Returns how many joined."""
    present = set(workshop.event.team.filter(role=TeamRole.FACILITATOR).values_list("user_id", flat=True))
    joining = [user for user in workshop.facilitators.all() if user.pk not in present]
    EventTeamMember.objects.bulk_create(
        [EventTeamMember(event=workshop.event, user=user, role=TeamRole.FACILITATOR) for user in joining],
        ignore_conflicts=True,
    )
    return len(joining)


@transaction.atomic
def group_member_move(*, participant: WorkshopParticipant, group: SmallGroup | None) -> WorkshopParticipant:
    if group is not None and group.workshop_id != participant.workshop_id:
        raise errors.NotAllowed()
    participant.group = group
    participant.save(update_fields=["group", "modified"])
    return participant


@transaction.atomic
def group_results_record(*, group: SmallGroup, by, results: str, agreements: str) -> SmallGroup:
    """Facilitators of the workshop (and staff) record what a group worked out."""
    group = SmallGroup.objects.select_for_update().select_related("workshop__event").get(pk=group.pk)
    if not can_record_results(by, group.workshop):
        raise errors.NotAllowed()
    group.results = results.strip()
    group.agreements = agreements.strip()
    group.results_recorded_by = by
    group.save(update_fields=["results", "agreements", "results_recorded_by", "modified"])
    return group
