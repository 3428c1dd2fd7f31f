import datetime as dt

import pytest
from django.core.management import call_command
from django.db import IntegrityError, transaction
from django.utils import timezone

from casework import errors, services
from casework.enums import CaseStatus
from casework.models import CaseExample, CaseExampleVersion, FindingDismissal, WorkshopParticipant
from events.enums import TeamRole
from participants.enums import RegistrationStatus as S
from tests.casework.factories import (
    BLOCKED_TEXT,
    CLEAN_TEXT,
    CaseExampleFactory,
    SmallGroupFactory,
    WorkshopFactory,
    WorkshopParticipantFactory,
)
from tests.factories import (
    EventTeamMemberFactory,
    OrganisationFactory,
    RegistrationFactory,
    StaffFactory,
    UserFactory,
    organisation_type,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def workshop():
    return WorkshopFactory()


@pytest.fixture
def facilitator(workshop):
    user = UserFactory()
    workshop.facilitators.add(user)
    EventTeamMemberFactory(event=workshop.event, user=user, role=TeamRole.FACILITATOR)
    return user


def test_case_lifecycle_draft_review_approved_withdrawn(workshop, facilitator):
    case = services.case_example_create(workshop=workshop, author=facilitator, title="Fall 1", text=CLEAN_TEXT)
    assert case.status == CaseStatus.DRAFT
    services.case_example_submit(case=case, by=facilitator)
    reviewer = StaffFactory()
    services.case_example_approve(case=case, by=reviewer)
    case.refresh_from_db()
    assert (case.status, case.approved_by) == (CaseStatus.APPROVED, reviewer)
    services.case_example_withdraw(case=case, by=reviewer)
    case.refresh_from_db()
    assert case.status == CaseStatus.WITHDRAWN


def test_case_create_refused_for_outsiders(workshop):
    with pytest.raises(errors.NotAllowed):
        services.case_example_create(workshop=workshop, author=UserFactory(), title="x", text=CLEAN_TEXT)


def test_case_approval_never_by_author(workshop):
    staff_author = StaffFactory()
    case = CaseExampleFactory(workshop=workshop, author=staff_author, status=CaseStatus.IN_REVIEW)
    with pytest.raises(errors.SecondPersonRequired):
        services.case_example_approve(case=case, by=staff_author)


def test_case_approval_constraint_in_database(workshop):
    author = StaffFactory()
    with pytest.raises(IntegrityError) as excinfo, transaction.atomic():
        CaseExampleFactory(workshop=workshop, author=author, status=CaseStatus.APPROVED, approved_by=author)
    assert "caseexample_approved_by_second_person" in str(excinfo.value)


def test_case_approval_needs_staff(workshop, facilitator):
    case = CaseExampleFactory(workshop=workshop, status=CaseStatus.IN_REVIEW)
    with pytest.raises(errors.NotAllowed):
        services.case_example_approve(case=case, by=facilitator)


def test_case_approval_blocked_by_findings(workshop):
    case = CaseExampleFactory(workshop=workshop, text=BLOCKED_TEXT, status=CaseStatus.IN_REVIEW)
    with pytest.raises(errors.BlockingFindings) as excinfo:
        services.case_example_approve(case=case, by=StaffFactory())
    assert {f.category.value for f in excinfo.value.findings} >= {"name", "address", "phone"}
    case.refresh_from_db()
    assert case.status == CaseStatus.IN_REVIEW


def test_case_approval_with_reason_for_each_false_alarm(workshop):
    text = CLEAN_TEXT + " Die Beraterin Frau Rose Weber begleitet sie."
    case = CaseExampleFactory(workshop=workshop, text=text, status=CaseStatus.IN_REVIEW)
    findings = services.open_blocking_findings(case)
    assert [f.excerpt for f in findings] == ["Frau Rose Weber"]
    reviewer = StaffFactory()
    with pytest.raises(errors.BlockingFindings):
        services.case_example_approve(case=case, by=reviewer, reasons={services.finding_key(findings[0]): "  "})
    services.case_example_approve(
        case=case,
        by=reviewer,
        reasons={services.finding_key(findings[0]): "Name der Beraterin ist erfunden und betrifft nicht die Klientin."},
    )
    case.refresh_from_db()
    assert case.status == CaseStatus.APPROVED
    dismissal = FindingDismissal.objects.get()
    assert (dismissal.category, dismissal.decided_by) == ("name", reviewer)


def test_case_edit_in_review_keeps_previous_version(workshop, facilitator):
    case = CaseExampleFactory(workshop=workshop, author=facilitator, status=CaseStatus.IN_REVIEW, text="Alter Text.")
    services.case_example_update(case=case, by=facilitator, title=case.title, text="Neuer Text.")
    assert list(CaseExampleVersion.objects.values_list("number", "text")) == [(1, "Alter Text.")]


def test_case_edit_after_approval_goes_back_to_review(workshop):
    case = CaseExampleFactory(workshop=workshop, approved=True)
    staff = StaffFactory()
    services.case_example_update(case=case, by=staff, title=case.title, text=CLEAN_TEXT + " Ergänzung.")
    case.refresh_from_db()
    assert (case.status, case.approved_by) == (CaseStatus.IN_REVIEW, None)


def test_case_versions_deleted_on_approval(workshop, facilitator):
    case = CaseExampleFactory(workshop=workshop, author=facilitator, status=CaseStatus.IN_REVIEW)
    services.case_example_update(case=case, by=facilitator, title=case.title, text=CLEAN_TEXT + " Mehr.")
    services.case_example_approve(case=case, by=StaffFactory())
    assert CaseExampleVersion.objects.count() == 0


def test_purge_removes_text_after_window_and_keeps_title(workshop):
    workshop.event.date = timezone.localdate() - dt.timedelta(days=workshop.case_visible_days_after + 1)
    workshop.event.registration_opens = timezone.now() - dt.timedelta(days=60)
    workshop.event.registration_closes = timezone.now() - dt.timedelta(days=40)
    workshop.event.save()
    old = CaseExampleFactory(workshop=workshop, approved=True, title="Fall aus der Gastronomie")
    FindingDismissal.objects.create(
        case=old, text_hash="x", category="name", start=0, end=3, reason="r", decided_by=StaffFactory()
    )
    current = CaseExampleFactory(approved=True)
    call_command("purge_case_texts")
    old.refresh_from_db()
    current.refresh_from_db()
    assert (old.title, old.text, old.purged_at is not None) == ("Fall aus der Gastronomie", "", True)
    assert old.dismissals.count() == 0
    assert current.text == CLEAN_TEXT


def test_purge_keeps_text_on_last_day_of_window(workshop):
    workshop.event.date = timezone.localdate() - dt.timedelta(days=workshop.case_visible_days_after)
    workshop.event.registration_opens = timezone.now() - dt.timedelta(days=60)
    workshop.event.registration_closes = timezone.now() - dt.timedelta(days=40)
    workshop.event.save()
    case = CaseExampleFactory(workshop=workshop, approved=True)
    assert services.case_texts_purge() == 0
    case.refresh_from_db()
    assert case.text == CLEAN_TEXT


def test_participants_sync_adds_confirmed_and_removes_cancelled(workshop):
    confirmed = RegistrationFactory(event=workshop.event)
    RegistrationFactory(event=workshop.event, status=S.WAITLISTED)
    leaving = WorkshopParticipantFactory(workshop=workshop)
    leaving.registration.status = S.CANCELLED
    leaving.registration.save()
    assert services.workshop_participants_sync(workshop=workshop) == (1, 1)
    assert list(WorkshopParticipant.objects.values_list("registration", flat=True)) == [confirmed.pk]


def test_groups_assign_mixes_types_and_sizes(workshop):
    fbs, bamf = organisation_type("fachberatungsstelle"), organisation_type("bamf")
    for i in range(5):
        RegistrationFactory(event=workshop.event, organisation=OrganisationFactory(organisation_type=fbs))
        RegistrationFactory(
            event=workshop.event, organisation=OrganisationFactory(organisation_type=bamf, name=f"BAMF {i}")
        )
    services.workshop_participants_sync(workshop=workshop)
    groups = services.groups_assign(workshop=workshop)
    sizes = sorted(g.members.count() for g in groups)
    assert sizes == [3, 3, 4]
    for group in groups:
        types = sorted(group.members.values_list("registration__organisation_type__slug", flat=True))
        assert "bamf" in types and "fachberatungsstelle" in types


def test_groups_rerun_refused_when_results_exist(workshop):
    WorkshopParticipantFactory.create_batch(3, workshop=workshop)
    services.groups_assign(workshop=workshop)
    group = workshop.groups.first()
    group.results = "Ergebnis"
    group.save()
    with pytest.raises(errors.GroupsHaveResults):
        services.groups_assign(workshop=workshop)


def test_group_results_by_facilitator_and_not_by_participant(workshop, facilitator):
    group = SmallGroupFactory(workshop=workshop)
    services.group_results_record(group=group, by=facilitator, results=" Absprache A ", agreements="B")
    group.refresh_from_db()
    assert (group.results, group.agreements, group.results_recorded_by) == ("Absprache A", "B", facilitator)
    participant = WorkshopParticipantFactory(workshop=workshop, group=group).registration.user
    with pytest.raises(errors.NotAllowed):
        services.group_results_record(group=group, by=participant, results="x", agreements="")


def test_group_member_move_only_within_workshop(workshop):
    participant = WorkshopParticipantFactory(workshop=workshop)
    with pytest.raises(errors.NotAllowed):
        services.group_member_move(participant=participant, group=SmallGroupFactory())
    target = SmallGroupFactory(workshop=workshop)
    services.group_member_move(participant=participant, group=target)
    participant.refresh_from_db()
    assert participant.group == target


def test_case_text_never_logged(workshop, caplog):
    case = CaseExampleFactory(workshop=workshop, text=BLOCKED_TEXT, status=CaseStatus.IN_REVIEW)
    with pytest.raises(errors.BlockingFindings) as excinfo:
        services.case_example_approve(case=case, by=StaffFactory())
    assert "Okafor" not in str(excinfo.value)
    assert "Okafor" not in caplog.text
    assert CaseExample.objects.get(pk=case.pk).status == CaseStatus.IN_REVIEW
