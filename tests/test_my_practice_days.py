"""The start page "Meine Praxisfachtage": every logged-in person sees what they take part in and what they run,
composed from the selectors of each floor (kokportal.views.my_practice_days)."""

import datetime as dt

import pytest
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import date_format

from casework import selectors as casework_selectors
from casework.enums import CaseStatus
from casework.models import CaseExample, Workshop
from casework.permissions import can_read_case, is_workshop_facilitator
from events.documents import selectors as documents_selectors
from events.documents.permissions import can_view_event_documents
from events.enums import TeamRole
from events.models import Event, EventTeamMember
from events.selectors import team_roles_by_event
from participants.adapters import AccountAdapter
from participants.enums import RegistrationStatus as S
from tests.auth import login
from tests.casework.factories import (
    CaseExampleFactory,
    SmallGroupFactory,
    WorkshopFactory,
    WorkshopParticipantFactory,
)
from tests.factories import (
    EventFactory,
    EventTeamMemberFactory,
    RegistrationFactory,
    UserFactory,
    verified_user,
)

pytestmark = pytest.mark.django_db

URL = "/meine-praxisfachtage/"


def days_ahead(days: int) -> dt.date:
    return timezone.localdate() + dt.timedelta(days=days)


def titles(days) -> list[str]:
    return [day.event.title for day in days]


def test_url():
    assert reverse("my_practice_days") == URL


def test_anonymous_visitors_are_sent_to_login(client):
    response = client.get(URL)
    assert response.status_code == 302
    assert response["Location"] == f"{reverse('account_login')}?next={URL}"


def test_login_lands_on_the_start_page():
    """Wherever a login began without a ``next`` (the browser test tests/e2e/test_role_journeys.py walks it)."""
    request = RequestFactory().get("/konto/login/code/confirm/")
    request.user = verified_user("miriam.hartmann@example.org")
    assert AccountAdapter(request).get_login_redirect_url(request) == URL


def test_old_address_of_my_registrations_leads_here(user_client):
    response = user_client.get("/meine-anmeldungen/")
    assert (response.status_code, response["Location"]) == (301, URL)


def test_navigation_links_the_start_page(user_client):
    response = user_client.get(reverse("events:home"))
    assert f'<a class="nav-link" href="{URL}">Meine Praxisfachtage</a>' in response.text
    assert "Meine Anmeldungen" not in response.text
    page = user_client.get(URL)
    assert f'<a class="nav-link" href="{URL}" aria-current="page">Meine Praxisfachtage</a>' in page.text


def test_nothing_yet(user_client):
    response = user_client.get(URL)
    assert (response.context["upcoming"], response.context["past"]) == ([], [])
    assert "Sie sind noch zu keinem Praxisfachtag angemeldet und wirken bei keinem mit." in response.text
    assert reverse("events:home") in response.text


def test_participant_sees_registration_workshop_and_group(client):
    event = EventFactory(title="Vernetzungstreffen Niedersachsen und Bremen", date=days_ahead(5))
    registration = RegistrationFactory(event=event)
    workshop = WorkshopFactory(event=event, title="Fallbeispiele in gemischten Kleingruppen")
    group = SmallGroupFactory(workshop=workshop, number=2)
    WorkshopParticipantFactory(workshop=workshop, registration=registration, group=group)
    RegistrationFactory(event=EventFactory(title="Praxisfachtag einer anderen Person"))
    login(client, registration.user)

    response = client.get(URL)

    (day,) = response.context["upcoming"]
    assert (day.event, day.registrations, [p.group for p in day.places]) == (event, [registration], [group])
    assert (day.workshops, day.roles, day.documents) == ([], [], False)
    assert response.context["past"] == []
    text = response.text
    assert '<span class="badge status-badge status-confirmed">bestätigt</span>' in text
    assert registration.get_absolute_url() in text
    assert workshop.get_absolute_url() in text
    assert f'<a href="{group.get_absolute_url()}">Ihre Kleingruppe: Gruppe 2</a>' in text
    assert "/dokumente/" not in text
    assert "Praxisfachtag einer anderen Person" not in text


def test_cancelled_registration_shows_its_status_and_no_workshop(client):
    registration = RegistrationFactory(status=S.CANCELLED)
    WorkshopParticipantFactory(workshop=WorkshopFactory(event=registration.event), registration=registration)
    login(client, registration.user)
    response = client.get(URL)
    (day,) = response.context["upcoming"]
    assert (day.registrations, day.places) == ([registration], [])
    assert '<span class="badge status-badge status-cancelled">storniert</span>' in response.text


def test_facilitator_sees_workshop_cases_groups_and_documents(client):
    event = EventFactory(title="Vernetzungstreffen Niedersachsen und Bremen", date=days_ahead(5))
    workshop = WorkshopFactory(event=event, title="Fallbeispiele in gemischten Kleingruppen")
    facilitator = UserFactory()
    workshop.facilitators.add(facilitator)
    EventTeamMemberFactory(event=event, user=facilitator, role=TeamRole.FACILITATOR)
    approved = CaseExampleFactory(workshop=workshop, approved=True, title="Arbeitsausbeutung in der Gastronomie")
    own_draft = CaseExampleFactory(workshop=workshop, author=facilitator, title="Mein Entwurf")
    CaseExampleFactory(workshop=workshop, title="Entwurf einer anderen Person")
    CaseExampleFactory(workshop=workshop, approved=True, title="Zurückgezogen", status=CaseStatus.WITHDRAWN)
    groups = [SmallGroupFactory(workshop=workshop, number=n) for n in (1, 2)]
    RegistrationFactory(event=event)  # confirmed after the groups were formed: in no group
    login(client, facilitator)

    response = client.get(URL)

    (day,) = response.context["upcoming"]
    (item,) = day.workshops
    assert (day.registrations, day.places, day.roles, day.documents) == ([], [], ["Moderation"], True)
    assert (item.workshop, item.cases, item.groups, item.unassigned) == (workshop, [approved, own_draft], groups, 1)
    text = response.text
    assert "noch zu keinem" not in text
    assert workshop.get_absolute_url() in text
    assert f'<a href="{approved.get_absolute_url()}">Arbeitsausbeutung in der Gastronomie</a>' in text
    assert f'<a href="{own_draft.get_absolute_url()}">Mein Entwurf</a> (Entwurf)' in text
    assert "Entwurf einer anderen Person" not in text and "Zurückgezogen" not in text
    for group in groups:
        assert group.get_absolute_url() in text
    assert f"{workshop.get_absolute_url()}#ohne-kleingruppe" in text
    assert "1 Person ist in keiner Kleingruppe" in text
    assert reverse("documents:index", kwargs={"slug": event.slug}) in text


def test_facilitator_outside_the_window_gets_no_case_links(client):
    workshop = WorkshopFactory(event=EventFactory(date=days_ahead(30)))
    facilitator = UserFactory()
    workshop.facilitators.add(facilitator)
    CaseExampleFactory(workshop=workshop, approved=True, title="Noch nicht sichtbar")
    login(client, facilitator)
    response = client.get(URL)
    (item,) = response.context["upcoming"][0].workshops
    assert (item.cases, item.cases_visible, item.groups) == ([], False, [])
    assert "Noch nicht sichtbar" not in response.text
    with translation.override("de"):
        start, end = (date_format(day, "DATE_FORMAT") for day in item.window)
    # how many are approved (never their titles) and a way to submit one
    assert f"1 freigegeben, lesbar vom {start} bis zum {end}" in response.text
    assert reverse("casework:case_create", kwargs={"workshop_pk": workshop.pk}) in response.text
    assert "noch nicht eingeteilt" in response.text
    # Assigned to the workshop without being in the team: the documents page is open to them too.
    assert response.context["upcoming"][0].documents is True


def test_facilitator_of_a_past_day_is_told_the_case_texts_are_gone(client):
    workshop = WorkshopFactory(event=EventFactory(past=True, date=days_ahead(-40)))
    facilitator = UserFactory()
    workshop.facilitators.add(facilitator)
    CaseExampleFactory(workshop=workshop, approved=True, title="Nicht mehr sichtbar")
    login(client, facilitator)
    response = client.get(URL)
    (day,) = response.context["past"]
    (item,) = day.workshops
    assert (item.cases, item.cases_visible, item.window_over) == ([], False, True)
    with translation.override("de"):
        end = date_format(item.window[1], "DATE_FORMAT")
    assert f"nicht mehr sichtbar (bis zum {end})" in response.text
    assert "Nicht mehr sichtbar" not in response.text


def test_co_organiser_sees_the_event_and_its_documents(client):
    event = EventFactory(title="KOK-BAMF-Praxisfachtag", date=days_ahead(12))
    WorkshopFactory(event=event)
    co_organiser = EventTeamMemberFactory(event=event, role=TeamRole.CO_ORGANISER).user
    login(client, co_organiser)
    response = client.get(URL)
    (day,) = response.context["upcoming"]
    assert (day.roles, day.documents, day.workshops, day.registrations) == (["Mitveranstalter*in"], True, [], [])
    assert "<strong>Ihre Rolle:</strong> Mitveranstalter*in" in response.text
    assert reverse("documents:index", kwargs={"slug": event.slug}) in response.text
    assert event.get_absolute_url() in response.text


def test_draft_event_of_the_team_links_documents_but_no_public_page(client):
    event = EventFactory(draft=True, title="Vernetzungstreffen Sachsen (Entwurf)")
    member = EventTeamMemberFactory(event=event, role=TeamRole.CO_ORGANISER).user
    login(client, member)
    response = client.get(URL)
    assert f'href="{event.get_absolute_url()}"' not in response.text
    assert reverse("documents:index", kwargs={"slug": event.slug}) in response.text


def test_upcoming_soonest_first_then_past_latest_first(client):
    user = UserFactory()
    for title, days in (("In drei Wochen", 21), ("Vor einem Jahr", -365), ("Heute", 0), ("Vorige Woche", -7)):
        event = EventFactory(title=title, date=days_ahead(days), past=days < 0)
        RegistrationFactory(event=event, user=user)
    EventTeamMemberFactory(event=EventFactory(title="Morgen", date=days_ahead(1)), user=user)
    login(client, user)
    response = client.get(URL)
    assert titles(response.context["upcoming"]) == ["Heute", "Morgen", "In drei Wochen"]
    assert titles(response.context["past"]) == ["Vorige Woche", "Vor einem Jahr"]
    text = response.text
    assert text.index("Kommende Praxisfachtage") < text.index("Heute") < text.index("Morgen")
    assert text.index("In drei Wochen") < text.index("Vergangene Praxisfachtage") < text.index("Vorige Woche")


def test_only_past_days_say_there_is_nothing_upcoming(client):
    registration = RegistrationFactory(event=EventFactory(past=True), status=S.ATTENDED)
    login(client, registration.user)
    response = client.get(URL)
    assert "Zurzeit nehmen Sie an keinem kommenden Praxisfachtag teil." in response.text
    assert '<span class="badge status-badge status-attended">teilgenommen</span>' in response.text


def test_staff_are_pointed_to_the_admin(staff_client):
    response = staff_client.get(URL)
    assert response.status_code == 200
    assert reverse("admin:index") in response.text
    assert "Zur Verwaltung" in response.text


# --- each floor's selector keeps to the rule of its floor -----------------------------------------------------


def test_selectors_follow_the_permission_rules():
    """The start page's queries say the same as the permission functions the pages check one by one."""
    user = UserFactory()
    today = timezone.localdate()
    events = [EventFactory(date=days_ahead(days)) for days in (3, 30, -3)]
    assigned = WorkshopFactory(event=events[0])
    assigned.facilitators.add(user)
    team_workshops = [WorkshopFactory(event=events[1]), WorkshopFactory(event=events[1])]
    EventTeamMemberFactory(event=events[1], user=user, role=TeamRole.FACILITATOR)
    EventTeamMemberFactory(event=events[2], user=user, role=TeamRole.CO_ORGANISER)
    WorkshopFactory(event=events[2])  # co-organisers do not facilitate
    WorkshopFactory()  # somebody else's
    for workshop in Workshop.objects.all():
        CaseExampleFactory(workshop=workshop, approved=True)
        CaseExampleFactory(workshop=workshop, author=user)
        CaseExampleFactory(workshop=workshop, author=user, status=CaseStatus.IN_REVIEW)
        CaseExampleFactory(workshop=workshop, author=user, status=CaseStatus.WITHDRAWN)
        CaseExampleFactory(workshop=workshop)

    listed = casework_selectors.facilitated_workshops(user=user, today=today)

    expected = [w for w in Workshop.objects.order_by("pk") if is_workshop_facilitator(user, w)]
    assert sorted(item.workshop.pk for item in listed) == [w.pk for w in expected]
    assert sorted(w.pk for w in expected) == sorted([assigned.pk, *(w.pk for w in team_workshops)])
    for item in listed:
        readable = [
            case
            for case in CaseExample.objects.filter(workshop=item.workshop).order_by("title", "pk")
            if can_read_case(user, case, today)
        ]
        assert item.cases == readable
    assert [e.pk for e in documents_selectors.events_with_documents(user=user)] == [
        e.pk for e in Event.objects.order_by("date") if can_view_event_documents(user, e)
    ]
    assert team_roles_by_event(user=user) == {events[1].pk: ["Moderation"], events[2].pk: ["Mitveranstalter*in"]}


# --- queries -----------------------------------------------------------------------------------------------------


def _facilitated_workshop(user, event):
    workshop = WorkshopFactory(event=event)
    workshop.facilitators.add(user)
    EventTeamMember.objects.get_or_create(event=event, user=user, role=TeamRole.FACILITATOR)
    CaseExampleFactory(workshop=workshop, approved=True)
    CaseExampleFactory(workshop=workshop, author=user)
    for number in (1, 2):
        SmallGroupFactory(workshop=workshop, number=number)
    RegistrationFactory(event=event)  # in no group
    return workshop


def _participation(user, event):
    registration = RegistrationFactory(event=event, user=user)
    workshop = WorkshopFactory(event=event)
    WorkshopParticipantFactory(workshop=workshop, registration=registration, group=SmallGroupFactory(workshop=workshop))


def test_query_count_does_not_grow_with_workshops_and_registrations(client, django_assert_num_queries):
    user = UserFactory()
    _facilitated_workshop(user, EventFactory(date=days_ahead(3)))
    _participation(user, EventFactory(date=days_ahead(40)))
    EventTeamMemberFactory(event=EventFactory(date=days_ahead(60)), user=user, role=TeamRole.CO_ORGANISER)
    login(client, user)
    # session, user; registrations; workshop places; facilitated workshops, their cases, their groups; events with
    # documents; team roles
    with django_assert_num_queries(9):
        one = client.get(URL)
    assert [len(day.workshops) for day in one.context["upcoming"]] == [1, 0, 0]

    for days in (4, 5, -20):
        event = EventFactory(date=days_ahead(days))
        _facilitated_workshop(user, event)
        _facilitated_workshop(user, event)
        _participation(user, EventFactory(date=days_ahead(days + 1)))
        EventTeamMemberFactory(event=EventFactory(date=days_ahead(days + 2)), user=user, role=TeamRole.CO_ORGANISER)
    with django_assert_num_queries(9):
        many = client.get(URL)
    assert len(many.context["upcoming"]) + len(many.context["past"]) == 12
    assert sum(len(day.workshops) for day in many.context["upcoming"] + many.context["past"]) == 7
    assert sum(len(day.registrations) for day in many.context["upcoming"] + many.context["past"]) == 4


def test_facilitator_finds_own_drafts_and_the_approved_count_on_the_workshop_page(client):
    workshop = WorkshopFactory(event=EventFactory(date=days_ahead(30)))
    facilitator = UserFactory()
    workshop.facilitators.add(facilitator)
    CaseExampleFactory(workshop=workshop, approved=True, title="Fremdes freigegebenes Beispiel")
    CaseExampleFactory(workshop=workshop, approved=True, title="Zweites freigegebenes Beispiel")
    mine = CaseExampleFactory(workshop=workshop, author=facilitator, title="Mein Entwurf")
    CaseExampleFactory(workshop=workshop, title="Entwurf einer anderen Person")
    login(client, facilitator)
    text = client.get(workshop.get_absolute_url()).text
    assert "Freigegeben sind bisher 2 Fallbeispiele." in text
    assert f'<a href="{mine.get_absolute_url()}">Mein Entwurf</a> (Entwurf)' in text
    assert "freigegebenes Beispiel" not in text
    assert "Entwurf einer anderen Person" not in text
