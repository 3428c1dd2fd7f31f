"""Participants in no small group (confirmed after the groups were formed, or left without one): who is listed, who
sees them, and the service that places them into the smallest fitting group (casework.grouping.place_members)."""

import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.db import connection, transaction
from django.urls import reverse

from casework import errors, selectors, services
from casework.models import SmallGroup, Workshop, WorkshopParticipant
from events.enums import EventReach, TeamRole
from participants.enums import RegistrationStatus as S
from tests.auth import login
from tests.casework.factories import WorkshopFactory, WorkshopParticipantFactory
from tests.factories import (
    EventTeamMemberFactory,
    OrganisationFactory,
    RegistrationFactory,
    StaffFactory,
    UserFactory,
    organisation_type,
)

pytestmark = pytest.mark.django_db


def formed_workshop(*, people: int = 6, group_size: int = 3) -> Workshop:
    """A workshop whose confirmed participants were assigned and divided into groups."""
    workshop = WorkshopFactory(group_size=group_size)
    for _ in range(people):
        RegistrationFactory(event=workshop.event)
    services.workshop_participants_sync(workshop=workshop)
    services.groups_assign(workshop=workshop)
    return workshop


def facilitator_of(workshop: Workshop):
    user = UserFactory()
    workshop.facilitators.add(user)
    EventTeamMemberFactory(event=workshop.event, user=user, role=TeamRole.FACILITATOR)
    return user


def group_sizes(workshop: Workshop) -> list[int]:
    return [group.members.count() for group in workshop.groups.order_by("number")]


# --- who counts as unassigned ------------------------------------------------------------------------------


def test_unassigned_participants_are_those_confirmed_later_or_left_without_group():
    workshop = formed_workshop()
    event = workshop.event
    late = RegistrationFactory(event=event, last_name="Albers")
    left = WorkshopParticipant.objects.filter(workshop=workshop).select_related("registration").first()
    left.registration.last_name = "Zander"
    left.registration.save()
    services.group_member_move(participant=left, group=None)
    attended = RegistrationFactory(event=event, status=S.ATTENDED, last_name="Meyer")
    for status in (S.PENDING, S.WAITLISTED, S.CANCELLED, S.REJECTED):
        RegistrationFactory(event=event, status=status)
    other_workshop = WorkshopFactory(event=event)
    WorkshopParticipantFactory(workshop=other_workshop, registration=RegistrationFactory(event=event))
    RegistrationFactory()  # another event

    assert selectors.unassigned_participants(workshop=workshop) == [late, attended, left.registration]
    annotated = Workshop.objects.annotate(unassigned=selectors.unassigned_count()).get(pk=workshop.pk)
    assert annotated.unassigned == 3


def test_unassigned_participants_none_before_groups_are_formed():
    workshop = WorkshopFactory()
    RegistrationFactory.create_batch(3, event=workshop.event)
    services.workshop_participants_sync(workshop=workshop)
    assert selectors.unassigned_participants(workshop=workshop) == []
    assert Workshop.objects.annotate(unassigned=selectors.unassigned_count()).get(pk=workshop.pk).unassigned == 0


def test_unassigned_participants_one_query(django_assert_num_queries):
    workshop = formed_workshop()
    RegistrationFactory.create_batch(4, event=workshop.event)
    with django_assert_num_queries(1):
        unassigned = selectors.unassigned_participants(workshop=workshop)
        assert [r.organisation.name for r in unassigned] and [r.organisation_type.name for r in unassigned]


# --- the service -------------------------------------------------------------------------------------------


def test_place_puts_latecomers_into_the_smallest_group_and_moves_nobody():
    workshop = formed_workshop(people=7)  # groups of 3, 2, 2 (group_size 3)
    before = dict(WorkshopParticipant.objects.filter(workshop=workshop).values_list("pk", "group_id"))
    late = RegistrationFactory.create_batch(2, event=workshop.event)

    places = services.unassigned_participants_place(workshop=workshop, by=StaffFactory())

    assert sorted(p.registration_id for p in places) == sorted(r.pk for r in late)
    assert {p.group.number for p in places} == {2, 3}
    assert group_sizes(workshop) == [3, 3, 3]
    after = dict(WorkshopParticipant.objects.filter(workshop=workshop).values_list("pk", "group_id"))
    assert {pk: after[pk] for pk in before} == before
    assert selectors.unassigned_participants(workshop=workshop) == []
    assert services.unassigned_participants_place(workshop=workshop, by=StaffFactory()) == []


def test_place_reuses_the_place_of_someone_without_group():
    workshop = formed_workshop(people=6)
    place = WorkshopParticipant.objects.filter(workshop=workshop).first()
    services.group_member_move(participant=place, group=None)

    (placed,) = services.unassigned_participants_place(workshop=workshop, by=StaffFactory())

    assert placed.pk == place.pk
    assert WorkshopParticipant.objects.filter(workshop=workshop).count() == 6
    assert group_sizes(workshop) == [3, 3]


def test_place_follows_the_mixing_rules():
    fbs, bamf = organisation_type("fachberatungsstelle"), organisation_type("bamf")
    workshop = WorkshopFactory(group_size=2, event__reach=EventReach.NATIONAL)
    office = OrganisationFactory(name="BAMF Außenstelle", organisation_type=bamf)
    centres = [OrganisationFactory(organisation_type=fbs) for _ in range(2)]
    RegistrationFactory(event=workshop.event, organisation=office)
    for centre in centres:
        RegistrationFactory(event=workshop.event, organisation=centre)
    RegistrationFactory(event=workshop.event, organisation=OrganisationFactory(organisation_type=bamf))
    services.workshop_participants_sync(workshop=workshop)
    services.groups_assign(workshop=workshop)  # two groups, each with one BAMF officer and one counselling centre
    office_group = WorkshopParticipant.objects.get(registration__organisation=office).group

    colleague = RegistrationFactory(event=workshop.event, organisation=office)
    (placed,) = services.unassigned_participants_place(workshop=workshop, by=StaffFactory())

    assert placed.registration == colleague
    assert placed.group != office_group


def test_place_keeps_states_together_at_regional_events():
    fbs, bamf = organisation_type("fachberatungsstelle"), organisation_type("bamf")
    workshop = WorkshopFactory(group_size=2, event__reach=EventReach.REGIONAL)
    for state in ("HH", "NI"):
        RegistrationFactory(
            event=workshop.event, organisation=OrganisationFactory(organisation_type=fbs), federal_state=state
        )
        RegistrationFactory(
            event=workshop.event,
            organisation=OrganisationFactory(organisation_type=organisation_type("jugendhilfe")),
            federal_state=state,
        )
    services.workshop_participants_sync(workshop=workshop)
    services.groups_assign(workshop=workshop)
    lower_saxony = WorkshopParticipant.objects.get(
        registration__federal_state="NI", registration__organisation_type=fbs
    ).group

    late = RegistrationFactory(
        event=workshop.event, organisation=OrganisationFactory(organisation_type=bamf), federal_state="NI"
    )
    (placed,) = services.unassigned_participants_place(workshop=workshop, by=StaffFactory())

    assert (placed.registration, placed.group) == (late, lower_saxony)


def test_place_by_facilitator_allowed_by_participant_and_co_organiser_refused():
    workshop = formed_workshop()
    RegistrationFactory(event=workshop.event)
    participant = WorkshopParticipant.objects.filter(workshop=workshop).first().registration.user
    co_organiser = EventTeamMemberFactory(event=workshop.event, role=TeamRole.CO_ORGANISER).user
    for outsider in (participant, co_organiser, UserFactory(), StaffFactory(mfa=False)):
        with pytest.raises(errors.NotAllowed):
            services.unassigned_participants_place(workshop=workshop, by=outsider)
    assert len(selectors.unassigned_participants(workshop=workshop)) == 1
    assert len(services.unassigned_participants_place(workshop=workshop, by=facilitator_of(workshop))) == 1


def test_place_without_groups_refused():
    workshop = WorkshopFactory()
    RegistrationFactory(event=workshop.event)
    with pytest.raises(errors.NoGroupsYet):
        services.unassigned_participants_place(workshop=workshop, by=StaffFactory())
    assert WorkshopParticipant.objects.count() == 0


# --- concurrency (real transactions, one connection per thread) ----------------------------------------------


@pytest.mark.concurrency
@pytest.mark.django_db(transaction=True)
def test_place_gives_up_without_change_while_a_group_is_locked_elsewhere():
    workshop = formed_workshop()
    late = RegistrationFactory(event=workshop.event)
    staff = StaffFactory()
    group = workshop.groups.order_by("number").first()
    locked, release = threading.Event(), threading.Event()

    def hold_the_group():  # as recording the group's results does (services.group_results_record)
        try:
            with transaction.atomic():
                SmallGroup.objects.select_for_update().get(pk=group.pk)
                locked.set()
                release.wait(timeout=30)
        finally:
            connection.close()

    holder = threading.Thread(target=hold_the_group)
    holder.start()
    try:
        assert locked.wait(timeout=30)
        with connection.cursor() as cursor:  # settings give 3 s (KOKPORTAL_LOCK_TIMEOUT_MS); a test waits less
            cursor.execute("SET lock_timeout = '200ms'")
        with pytest.raises(errors.GroupsBusy) as busy:
            services.unassigned_participants_place(workshop=workshop, by=staff)
    finally:
        release.set()
        holder.join(timeout=30)
        with connection.cursor() as cursor:
            cursor.execute("RESET lock_timeout")
    assert str(busy.value.message).startswith("Die Kleingruppen werden gerade an anderer Stelle bearbeitet.")
    assert not WorkshopParticipant.objects.filter(registration=late).exists()
    # Once the lock is free again, the same placement goes through.
    (placed,) = services.unassigned_participants_place(workshop=workshop, by=staff)
    assert placed.registration == late


@pytest.mark.concurrency
@pytest.mark.django_db(transaction=True)
def test_parallel_placements_place_everyone_exactly_once():
    workshop = formed_workshop(people=9)  # three groups of three
    late = RegistrationFactory.create_batch(6, event=workshop.event)
    people = [StaffFactory(), facilitator_of(workshop), StaffFactory(), facilitator_of(workshop)]
    barrier = threading.Barrier(len(people))

    def place(user):
        try:
            barrier.wait(timeout=30)
            return [p.pk for p in services.unassigned_participants_place(workshop=workshop, by=user)]
        finally:
            connection.close()

    with ThreadPoolExecutor(max_workers=len(people)) as pool:
        results = list(pool.map(place, people))

    placed = [pk for result in results for pk in result]
    assert len(placed) == len(set(placed)) == 6
    assert sorted(
        WorkshopParticipant.objects.filter(workshop=workshop, pk__in=placed).values_list("registration", flat=True)
    ) == sorted(r.pk for r in late)
    assert group_sizes(workshop) == [5, 5, 5]
    assert WorkshopParticipant.objects.filter(workshop=workshop).count() == 15


# --- pages and admin ----------------------------------------------------------------------------------------


def test_workshop_and_group_pages_show_unassigned_to_the_team_only(client):
    workshop = formed_workshop()
    RegistrationFactory(event=workshop.event, first_name="Lea", last_name="Nachzüglerin")
    participant = WorkshopParticipant.objects.filter(workshop=workshop).select_related("group").first()
    group_url = participant.group.get_absolute_url()

    login(client, facilitator_of(workshop))
    for url in (workshop.get_absolute_url(), group_url):
        response = client.get(url)
        assert "1 Person ist in keiner Kleingruppe" in response.text
        assert "Lea Nachzüglerin" in response.text
        assert reverse("casework:place_unassigned", kwargs={"pk": workshop.pk}) in response.text

    login(client, participant.registration.user)
    for url in (workshop.get_absolute_url(), group_url):
        response = client.get(url)
        assert response.status_code == 200
        assert "in keiner Kleingruppe" not in response.text
        assert "Nachzüglerin" not in response.text


def test_workshop_page_queries_do_not_grow_with_unassigned(client, django_assert_num_queries):
    workshop = formed_workshop()
    login(client, facilitator_of(workshop))
    RegistrationFactory(event=workshop.event)
    # session, user, workshop, facilitator, groups, their members, people in no group, own unfinished cases,
    # approved cases counted (their texts: not yet visible)
    with django_assert_num_queries(9) as one:
        client.get(workshop.get_absolute_url())
    RegistrationFactory.create_batch(5, event=workshop.event)
    with django_assert_num_queries(len(one.captured_queries)):
        response = client.get(workshop.get_absolute_url())
    assert len(response.context["page"].unassigned) == 6


def test_place_button_for_facilitator(client):
    workshop = formed_workshop()
    RegistrationFactory.create_batch(2, event=workshop.event)
    login(client, facilitator_of(workshop))
    url = reverse("casework:place_unassigned", kwargs={"pk": workshop.pk})
    assert client.get(url).status_code == 405
    response = client.post(url, follow=True)
    assert response.redirect_chain == [(workshop.get_absolute_url(), 302)]
    assert "2 Personen sind jetzt in einer Kleingruppe." in response.text
    assert "in keiner Kleingruppe" not in response.text
    assert selectors.unassigned_participants(workshop=workshop) == []
    again = client.post(url, follow=True)
    assert "Alle Teilnehmenden sind bereits in einer Kleingruppe." in again.text


def test_place_button_without_groups_says_why(staff_client):
    workshop = WorkshopFactory()
    response = staff_client.post(reverse("casework:place_unassigned", kwargs={"pk": workshop.pk}), follow=True)
    assert "Der Workshop hat noch keine Kleingruppen." in response.text


@pytest.mark.parametrize("who", ["participant", "co_organiser", "outsider"])
def test_place_button_refused_with_404(client, who):
    workshop = formed_workshop()
    late = RegistrationFactory(event=workshop.event)
    user = {
        "participant": lambda: WorkshopParticipant.objects.filter(workshop=workshop).first().registration.user,
        "co_organiser": lambda: EventTeamMemberFactory(event=workshop.event, role=TeamRole.CO_ORGANISER).user,
        "outsider": UserFactory,
    }[who]()
    login(client, user)
    response = client.post(reverse("casework:place_unassigned", kwargs={"pk": workshop.pk}))
    assert response.status_code == 404
    assert selectors.unassigned_participants(workshop=workshop) == [late]


def test_place_button_anonymous_goes_to_login(client):
    workshop = formed_workshop()
    response = client.post(reverse("casework:place_unassigned", kwargs={"pk": workshop.pk}))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


def test_admin_lists_unassigned_and_places_them(staff_client):
    workshop = formed_workshop()
    other = formed_workshop()
    RegistrationFactory(event=workshop.event, first_name="Jonas", last_name="Spät")
    changelist = reverse("admin:casework_workshop_changelist")

    listing = staff_client.get(changelist)
    assert listing.status_code == 200
    assert [row.unassigned for row in listing.context["cl"].result_list if row.pk == workshop.pk] == [1]
    assert [row.unassigned for row in listing.context["cl"].result_list if row.pk == other.pk] == [0]
    change = staff_client.get(reverse("admin:casework_workshop_change", args=[workshop.pk]))
    assert "Jonas Spät" in change.text

    response = staff_client.post(
        changelist, {"action": "place_unassigned", "_selected_action": [workshop.pk, other.pk]}, follow=True
    )
    assert f"{workshop}: 1 Person in eine Kleingruppe eingeteilt." in response.text
    assert f"{other}: 0 Personen in Kleingruppen eingeteilt." in response.text
    assert selectors.unassigned_participants(workshop=workshop) == []
    change = staff_client.get(reverse("admin:casework_workshop_change", args=[workshop.pk]))
    assert "Niemand: Alle bestätigten Teilnehmenden sind in einer Kleingruppe" in change.text


def test_admin_place_without_groups_warns(staff_client):
    workshop = WorkshopFactory()
    response = staff_client.post(
        reverse("admin:casework_workshop_changelist"),
        {"action": "place_unassigned", "_selected_action": [workshop.pk]},
        follow=True,
    )
    assert f"{workshop}: Der Workshop hat noch keine Kleingruppen." in response.text
