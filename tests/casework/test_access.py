"""Who sees case examples, workshops and small groups: every page, every kind of visitor, exact answers."""

import datetime as dt

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from casework.enums import CaseStatus
from participants.enums import RegistrationStatus as S
from tests.auth import login
from tests.casework.factories import (
    CLEAN_TEXT,
    CaseExampleFactory,
    SmallGroupFactory,
    WorkshopFactory,
    WorkshopParticipantFactory,
)
from tests.factories import EventFactory, RegistrationFactory, StaffFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    # The event is a week away: inside the window in which case examples are visible.
    workshop = WorkshopFactory(event=EventFactory(date=timezone.localdate() + dt.timedelta(days=7)))
    group = SmallGroupFactory(workshop=workshop, number=1)
    other_group = SmallGroupFactory(workshop=workshop, number=2)
    facilitator = UserFactory()
    workshop.facilitators.add(facilitator)
    member = WorkshopParticipantFactory(workshop=workshop, group=group).registration.user
    other_member = WorkshopParticipantFactory(workshop=workshop, group=other_group).registration.user
    other_workshop = WorkshopFactory(event=workshop.event)
    other_workshop_member = WorkshopParticipantFactory(workshop=other_workshop).registration.user
    waitlisted = RegistrationFactory(event=workshop.event, status=S.WAITLISTED).user
    other_event_participant = RegistrationFactory(event=EventFactory()).user
    case = CaseExampleFactory(workshop=workshop, approved=True, title="Fallbeispiel Gastronomie")
    draft = CaseExampleFactory(workshop=workshop, status=CaseStatus.DRAFT, author=facilitator)
    return {
        "workshop": workshop,
        "group": group,
        "case": case,
        "draft": draft,
        "users": {
            "anonymous": None,
            "other_event_participant": other_event_participant,
            "waitlisted": waitlisted,
            "other_workshop_participant": other_workshop_member,
            "member_of_other_group": other_member,
            "group_member": member,
            "facilitator": facilitator,
            "staff": StaffFactory(),
        },
    }


def _get(user, url):
    client = Client()
    if user is not None:
        login(client, user)
    return client.get(url).status_code


EXPECTED = {
    # user:                        case  draft  workshop  group  print  new-case
    "anonymous": (302, 302, 302, 302, 302, 302),
    "other_event_participant": (404, 404, 404, 404, 404, 404),
    "waitlisted": (404, 404, 404, 404, 404, 404),
    "other_workshop_participant": (404, 404, 404, 404, 404, 404),
    "member_of_other_group": (200, 404, 200, 404, 404, 404),
    "group_member": (200, 404, 200, 200, 404, 404),
    "facilitator": (200, 200, 200, 200, 200, 200),
    "staff": (200, 200, 200, 200, 200, 200),
}


@pytest.mark.parametrize("who", EXPECTED)
def test_access_matrix_inside_window(world, who):
    urls = [
        world["case"].get_absolute_url(),
        world["draft"].get_absolute_url(),
        world["workshop"].get_absolute_url(),
        world["group"].get_absolute_url(),
        reverse("casework:groups_print", kwargs={"pk": world["workshop"].pk}),
        reverse("casework:case_create", kwargs={"workshop_pk": world["workshop"].pk}),
    ]
    assert tuple(_get(world["users"][who], url) for url in urls) == EXPECTED[who]


@pytest.mark.parametrize(
    ("who", "expected"),
    [("group_member", 404), ("facilitator", 404), ("staff", 200), ("anonymous", 302)],
)
def test_case_outside_window_only_staff(world, who, expected):
    event = world["workshop"].event
    event.date = timezone.localdate() + dt.timedelta(days=world["workshop"].case_visible_days_before + 1)
    event.save()
    assert _get(world["users"][who], world["case"].get_absolute_url()) == expected


def test_case_purged_is_404_for_everyone(world):
    case = world["case"]
    case.text = ""
    case.purged_at = timezone.now()
    case.save()
    for who in ("group_member", "facilitator", "staff"):
        assert _get(world["users"][who], case.get_absolute_url()) == 404


def test_case_page_shows_text_to_member(world):
    client = Client()
    login(client, world["users"]["group_member"])
    response = client.get(world["case"].get_absolute_url())
    assert "Anfang zwanzig, aus einem westafrikanischen Land" in response.text
    assert CLEAN_TEXT[:40] in response.text


def test_workshop_page_hides_names_without_consent(world):
    member = world["group"].members.first().registration
    other = WorkshopParticipantFactory(workshop=world["workshop"], group=world["group"]).registration
    other.first_name, other.last_name, other.contact_list_consent = "Geheim", "Person", False
    other.save()
    client = Client()
    login(client, member.user)
    text = client.get(world["workshop"].get_absolute_url()).text
    assert "Geheim Person" not in text
    assert "Teilnehmer*in" in text
    login(client, world["users"]["facilitator"])
    assert "Geheim Person" in client.get(world["workshop"].get_absolute_url()).text


def test_group_results_form_only_for_facilitator(world):
    client = Client()
    login(client, world["users"]["group_member"])
    url = world["group"].get_absolute_url()
    assert client.post(url, {"results": "x", "agreements": ""}).status_code == 404
    login(client, world["users"]["facilitator"])
    response = client.post(url, {"results": "Feste Ansprechpersonen vereinbart", "agreements": "Treffen im Mai"})
    assert response.status_code == 302
    world["group"].refresh_from_db()
    assert world["group"].results == "Feste Ansprechpersonen vereinbart"
