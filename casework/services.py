"""Writes for case-example workshops: case examples and their review, groups, group results, purging.

Case texts are never logged, and never put into exception messages.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
import re
from collections.abc import Mapping

from django.db import OperationalError, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from events.enums import EventReach, TeamRole
from events.models import EventTeamMember
from kokportal.roles import acts_as_staff
from participants.enums import RegistrationStatus

from . import anonymisation, errors
from .anonymisation import HARD_CATEGORIES, Finding
from .anonymisation.lexicon import fold, german_words
from .enums import CaseStatus
from .grouping import Member, assign_groups, place_members
from .models import (
    CASE_TEXT_MAX_LENGTH,
    RETURN_COMMENT_MAX_LENGTH,
    CaseExample,
    CaseExampleReturn,
    CaseExampleVersion,
    FindingDismissal,
    SmallGroup,
    Workshop,
    WorkshopParticipant,
)
from .permissions import can_record_results, may_edit_case, may_place_participants, may_write_cases
from .selectors import unassigned_participants
from .tasks import enqueue_case_returned_mail

logger = logging.getLogger(__name__)

FindingKey = tuple[str, int, int]  # category, start, end

LOCK_NOT_AVAILABLE = "55P03"  # PostgreSQL's SQLSTATE when the connection's lock_timeout expires

_HARD_CATEGORY_VALUES = frozenset(category.value for category in HARD_CATEGORIES)

# A reason why a finding is a false alarm is at least one full sentence.
REASON_MIN_WORDS = 6
REASON_MIN_LENGTH = 30
_REASON_WORD_RE = re.compile(r"\S*[^\W\d_]\S*")  # a word has at least one letter
_REASON_END_RE = re.compile(r"[.!?][\"'“”„»«›‹)\]]*$")  # a closing quote or bracket may follow the end mark

# What "Entfernen" puts in place of a passage that has no suggestion.
REMOVED_PASSAGE = "[…]"


def text_hash(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def finding_key(finding: Finding) -> FindingKey:
    return (finding.category.value, finding.start, finding.end)


def review_hash(case: CaseExample) -> str:
    """What a reviewer saw: title and text. Approval refuses when they changed since the review page was shown."""
    return text_hash(f"{case.title}\x00{case.text}")


def title_findings(title: str) -> list[Finding]:
    """Findings of the anonymisation check in a title. A title appears in lists, page titles, mails and the
    documentation, outside the rules that protect the text, so every finding counts, warnings included."""
    return anonymisation.check_text(title)


def _check_title(title: str) -> str:
    title = title.strip()
    if findings := title_findings(title):
        raise errors.TitleIdentifies(findings)
    return title


@transaction.atomic
def case_example_create(*, workshop: Workshop, author, title: str, text: str) -> CaseExample:
    if not may_write_cases(author, workshop):
        raise errors.NotAllowed()
    return CaseExample.objects.create(
        workshop=workshop, author=author, last_edited_by=author, title=_check_title(title), text=text
    )


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
    title = _check_title(title)
    if case.status in (CaseStatus.IN_REVIEW, CaseStatus.APPROVED):
        number = (case.versions.aggregate(n=Max("number"))["n"] or 0) + 1
        CaseExampleVersion.objects.create(case=case, number=number, title=case.title, text=case.text, created_by=by)
    if case.status == CaseStatus.APPROVED:
        case.status = CaseStatus.IN_REVIEW
        case.approved_by = None
        case.approved_at = None
    case.title = title
    case.text = text
    case.last_edited_by = by
    case.save()
    return case


@transaction.atomic
def case_example_submit(*, case: CaseExample, by) -> CaseExample:
    case = CaseExample.objects.select_for_update().get(pk=case.pk)
    if case.status != CaseStatus.DRAFT:
        raise errors.InvalidCaseTransition()
    if not may_edit_case(by, case):
        raise errors.NotAllowed()
    _check_title(case.title)
    case.status = CaseStatus.IN_REVIEW
    case.submitted_at = timezone.now()
    case.save(update_fields=["status", "submitted_at", "modified"])
    return case


def _dismissed_keys(case: CaseExample) -> set[FindingKey]:
    dismissals = FindingDismissal.objects.filter(case=case, text_hash=text_hash(case.text))
    return set(dismissals.values_list("category", "start", "end"))


def open_blocking_findings(
    case: CaseExample,
    extra_reasons: Mapping[FindingKey, str] | None = None,
    *,
    findings: list[Finding] | None = None,
) -> list[Finding]:
    """Blocking findings of the current text that still stand in the way of approval: every hard identifier
    (only removing it helps, a recorded reason does not count), and every softer finding that nobody has judged
    a false alarm with a reason. ``findings`` are those of ``check_text(case.text)``, when already at hand."""
    if findings is None:
        findings = anonymisation.check_text(case.text)
    dismissed = _dismissed_keys(case)
    dismissed |= {key for key, reason in (extra_reasons or {}).items() if reason and reason.strip()}
    return [f for f in findings if f.is_blocking and (not f.dismissable or finding_key(f) not in dismissed)]


def validate_dismissal_reason(reason: str) -> str:
    """The reason why a finding is a false alarm, stripped, when it is at least one full sentence (at least
    ``REASON_MIN_WORDS`` words and ``REASON_MIN_LENGTH`` characters, ending with . ! or ?); otherwise
    ReasonNotASentence. The one definition of the rule, for the approval form and the service."""
    reason = (reason or "").strip()
    words = _REASON_WORD_RE.findall(reason)
    if (
        len(reason) < REASON_MIN_LENGTH
        or len(words) < REASON_MIN_WORDS
        or not _REASON_END_RE.search(reason)
        # a sentence, not six strings of letters ("asdf qwer zxcv uiop hjkl yxcvb."): at least three German words
        or sum(len(word) > 2 and fold(word) in german_words() for word in words) < 3
    ):
        raise errors.ReasonNotASentence()
    return reason


@transaction.atomic
def case_example_approve(
    *,
    case: CaseExample,
    by,
    reasons: Mapping[FindingKey, str] | None = None,
    reviewed: str | None = None,
) -> CaseExample:
    """Approve a case in review: only staff, never the author, and only when every blocking finding of the
    anonymisation check is gone or, for softer findings (names, places, organisations, combinations), has a
    recorded reason of at least one full sentence why it is a false alarm. Hard identifiers (numbers, contacts,
    addresses, exact dates) can only be removed: a reason given for one is refused. Warnings need no reason.
    Whoever last changed the text may not approve it; ``reviewed`` is the ``review_hash`` of what the reviewer saw
    (the review page sends it): a text changed since then is not approved. The title must pass the check."""
    case = CaseExample.objects.select_for_update().get(pk=case.pk)
    if case.status != CaseStatus.IN_REVIEW:
        raise errors.InvalidCaseTransition()
    if not acts_as_staff(by):
        raise errors.NotAllowed()
    if case.author_id == by.pk:
        raise errors.SecondPersonRequired()
    if case.last_edited_by_id == by.pk:
        raise errors.EditorMayNotApprove()
    if case.purged_at is not None or not case.text.strip():
        raise errors.NothingToApprove()
    if reviewed is not None and reviewed != review_hash(case):
        raise errors.TextChangedSinceOpened()
    _check_title(case.title)
    given = {key: reason.strip() for key, reason in (reasons or {}).items() if reason and reason.strip()}
    findings = anonymisation.check_text(case.text)
    by_key = {finding_key(f): f for f in findings}
    for key in given:
        finding = by_key.get(key)
        if key[0] in _HARD_CATEGORY_VALUES or (finding is not None and not finding.dismissable):
            raise errors.HardFindingNotDismissable()
    # Reasons for warnings, or for findings no longer in the text, have nothing to decide.
    reasons = {
        key: validate_dismissal_reason(reason)
        for key, reason in given.items()
        if key in by_key and by_key[key].is_blocking
    }
    remaining = open_blocking_findings(case, reasons, findings=findings)
    if remaining:
        hard = any(not f.dismissable for f in remaining)
        raise errors.BlockingFindings(remaining, errors.BlockingFindings.hard_message if hard else None)
    current_hash = text_hash(case.text)
    for key, reason in reasons.items():
        FindingDismissal.objects.get_or_create(
            case=case,
            text_hash=current_hash,
            category=key[0],
            start=key[1],
            end=key[2],
            defaults={"reason": reason, "decided_by": by},
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
def case_example_return(*, case: CaseExample, by, comment: str) -> CaseExampleReturn:
    """Send a case in review back to its author for revision: only staff, never the author, with a comment.
    The case becomes a draft again; the comment is kept with who and when, and the author gets a mail (after
    commit) with the title and a link only, never the case text or the comment."""
    case = CaseExample.objects.select_for_update().get(pk=case.pk)
    if case.status != CaseStatus.IN_REVIEW:
        raise errors.InvalidCaseTransition()
    if not acts_as_staff(by):
        raise errors.NotAllowed()
    if case.author_id == by.pk:
        raise errors.NotAllowed(
            _(
                "Wer ein Fallbeispiel verfasst hat, kann es nicht selbst zur Überarbeitung zurückgeben. "
                "Das übernimmt eine zweite Person."
            )
        )
    comment = (comment or "").replace("\r\n", "\n").strip()
    if not comment:
        raise errors.CommentRequired()
    if len(comment) > RETURN_COMMENT_MAX_LENGTH:
        raise errors.CommentTooLong(
            _("Der Kommentar ist zu lang: höchstens %(limit)d Zeichen, er hat %(length)d Zeichen.")
            % {"limit": RETURN_COMMENT_MAX_LENGTH, "length": len(comment)}
        )
    case.status = CaseStatus.DRAFT
    case.submitted_at = None
    case.save(update_fields=["status", "submitted_at", "modified"])
    note = CaseExampleReturn.objects.create(case=case, comment=comment, returned_by=by)
    if case.author_id is not None:
        case_id = case.pk
        transaction.on_commit(lambda: enqueue_case_returned_mail(case_id=case_id))
    logger.info("case example returned for revision", extra={"event_id": case.workshop.event_id})
    return note


def case_text_apply_suggestion(*, text: str, start: int, end: int, excerpt: str, suggestion: str) -> str:
    """The author's ``text`` with exactly the passage ``text[start:end]`` replaced: by ``suggestion``, or by
    "[…]" when there is none. Refused (FindingChanged, the text stays as it is) when ``excerpt`` no longer stands
    at that position, e.g. because the text was edited after the check. Stores nothing: the author saves."""
    if not (0 <= start < end <= len(text)) or text[start:end] != excerpt:
        raise errors.FindingChanged()
    replaced = text[:start] + (suggestion.strip() or REMOVED_PASSAGE) + text[end:]
    if len(replaced) > CASE_TEXT_MAX_LENGTH:
        raise errors.TextTooLong()
    return replaced


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
        case.returns.all().delete()
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


def _member(participant: WorkshopParticipant) -> Member:
    """A workshop place as the grouping sees it (casework.grouping)."""
    registration = participant.registration
    return Member(
        id=participant.pk,
        organisation_type=registration.organisation_type_id,
        organisation=registration.organisation_id,
        federal_state=registration.federal_state or None,
    )


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
    members = [_member(p) for p in participants]
    assignment = assign_groups(
        members, group_size=workshop.group_size, keep_states_together=workshop.event.reach == EventReach.REGIONAL
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
def unassigned_participants_place(*, workshop: Workshop, by) -> list[WorkshopParticipant]:
    """Put everyone who should be in one of the workshop's small groups but is in none
    (selectors.unassigned_participants: confirmed after the groups were formed, or left without a group) into the
    smallest group that fits them best by the mixing rules (casework.grouping.place_members). Nobody already in a
    group moves, so recorded results stay with their people. Staff and the workshop's facilitators only.

    Locks the event's workshops, then this workshop's groups, so two placements, a placement and a new division
    into groups or the assignment of participants, and the deletion of a group cannot interleave. When another
    transaction holds one of these locks longer than the connection's ``lock_timeout`` (recording a group's results
    locks its group), GroupsBusy is raised and nothing changes. Returns the new places, by group and name."""
    if not may_place_participants(by, workshop):
        raise errors.NotAllowed()
    try:
        list(Workshop.objects.select_for_update().filter(event=workshop.event_id).order_by("pk").values_list("pk"))
        groups = list(SmallGroup.objects.select_for_update().filter(workshop=workshop.pk).order_by("number"))
    except OperationalError as error:
        if getattr(error.__cause__, "sqlstate", None) == LOCK_NOT_AVAILABLE:
            raise errors.GroupsBusy() from None
        raise
    workshop = Workshop.objects.select_related("event").get(pk=workshop.pk)
    if not groups:
        raise errors.NoGroupsYet()
    registrations = unassigned_participants(workshop=workshop)
    if not registrations:
        return []
    by_registration = {registration.pk: registration for registration in registrations}
    places = list(WorkshopParticipant.objects.filter(workshop=workshop, registration__in=registrations))
    placed_ids = {place.registration_id for place in places}
    places += WorkshopParticipant.objects.bulk_create(
        WorkshopParticipant(workshop=workshop, registration=registration)
        for registration in registrations
        if registration.pk not in placed_ids
    )
    for place in places:
        place.registration = by_registration[place.registration_id]
    group_index = {group.pk: index for index, group in enumerate(groups)}
    members: list[list[Member]] = [[] for _ in groups]
    for participant in workshop.participants.filter(
        group__in=groups, registration__status__in=RegistrationStatus.participating()
    ).select_related("registration"):
        members[group_index[participant.group_id]].append(_member(participant))
    placement = place_members(
        members,
        [_member(place) for place in places],
        keep_states_together=workshop.event.reach == EventReach.REGIONAL,
    )
    now = timezone.now()
    for place in places:
        place.group = groups[placement[place.pk]]
        place.modified = now
    WorkshopParticipant.objects.bulk_update(places, ["group", "modified"])
    logger.info("participants placed into small groups", extra={"event_id": workshop.event_id, "count": len(places)})
    return sorted(places, key=lambda p: (p.group.number, p.registration.last_name, p.registration.first_name, p.pk))


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
