"""The admin's start page: what needs doing, each with its count and a link to exactly the rows it counts, in a fixed
number of queries (issue 13, point 10)."""

import datetime as dt

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from casework.enums import CaseStatus
from casework.feedback.services import questionnaire_ensure_default
from events.enums import EventStatus
from kokportal.roles import OFFICE, sync_staff_groups
from participants.enums import RegistrationStatus as S
from tests.auth import login
from tests.casework.factories import CaseExampleFactory, WorkshopFactory
from tests.casework.feedback.factories import ended_event, invitation_with_token
from tests.factories import EventFactory, OrganisationFactory, RegistrationFactory, StaffFactory

pytestmark = pytest.mark.django_db


def _sections(response) -> dict:
    return {section.key: section for section in response.context["todo"]}


def _listed(client, url: str) -> int:
    """How many rows the changelist behind a start-page link shows."""
    response = client.get(url)
    assert response.status_code == 200, url
    return response.context["cl"].result_count


@pytest.fixture
def work():
    """Some of every kind of work, and look-alikes that are not work (past events, reviewed organisations, …)."""
    now = timezone.now()
    upcoming = EventFactory(title="Vernetzungstreffen Nord", date=timezone.localdate() + dt.timedelta(days=40))
    later = EventFactory(title="Praxisfachtag Süd", date=timezone.localdate() + dt.timedelta(days=60))
    past = EventFactory(past=True)
    RegistrationFactory.create_batch(2, event=upcoming, status=S.PENDING)
    RegistrationFactory(event=later, status=S.PENDING)
    RegistrationFactory(event=past, status=S.PENDING)  # the day is over: nothing to approve any more
    RegistrationFactory.create_batch(3, event=upcoming, status=S.WAITLISTED)
    RegistrationFactory(event=upcoming, status=S.CONFIRMED)
    CaseExampleFactory(workshop=WorkshopFactory(event=upcoming), status=CaseStatus.IN_REVIEW)
    CaseExampleFactory(workshop=WorkshopFactory(event=upcoming), status=CaseStatus.DRAFT)
    OrganisationFactory(is_reviewed=False, name="Neue Beratungsstelle")
    OrganisationFactory(is_reviewed=True)
    opening = EventFactory(
        title="Anmeldung öffnet bald",
        date=timezone.localdate() + dt.timedelta(days=90),
        registration_opens=now + dt.timedelta(days=5),
        registration_closes=now + dt.timedelta(days=60),
    )
    EventFactory(  # opens, but not within 14 days
        date=timezone.localdate() + dt.timedelta(days=90),
        registration_opens=now + dt.timedelta(days=30),
        registration_closes=now + dt.timedelta(days=60),
    )
    EventFactory(  # a draft is nobody's registration
        status=EventStatus.DRAFT,
        registration_opens=now + dt.timedelta(days=2),
        registration_closes=now + dt.timedelta(days=20),
    )
    closing = EventFactory(
        title="Anmeldung schließt bald",
        date=timezone.localdate() + dt.timedelta(days=20),
        registration_opens=now - dt.timedelta(days=10),
        registration_closes=now + dt.timedelta(days=3),
    )
    feedback_event = ended_event(days_ago=3, title="Praxisfachtag mit Rückmeldung")
    questionnaire = questionnaire_ensure_default(event=feedback_event)
    invitation_with_token(questionnaire)
    questionnaire_ensure_default(event=ended_event(days_ago=40))  # its window (21 days) has closed
    return {"upcoming": upcoming, "later": later, "opening": opening, "closing": closing, "feedback": questionnaire}


def test_start_page_counts_what_needs_doing(staff_client, work):
    response = staff_client.get(reverse("admin:index"))

    sections = _sections(response)
    counts = {key: section.count for key, section in sections.items()}
    assert counts == {
        "pending": 3,
        "waitlisted": 3,
        "cases": 1,
        "organisations": 1,
        "opening": 1,
        "closing": 1,
        "feedback": 1,
    }
    upcoming = work["upcoming"]
    assert [(line.label, line.detail) for line in sections["pending"].lines] == [
        (f"Vernetzungstreffen Nord ({upcoming.date:%d.%m.%Y})", "2"),
        (f"Praxisfachtag Süd ({work['later'].date:%d.%m.%Y})", "1"),
    ]
    assert [line.label for line in sections["opening"].lines] == [
        f"Anmeldung öffnet bald ({work['opening'].date:%d.%m.%Y})"
    ]
    assert sections["opening"].lines[0].url == reverse("admin:events_event_change", args=[work["opening"].pk])
    feedback_line = sections["feedback"].lines[0]
    closes = work["feedback"].event.date + dt.timedelta(days=work["feedback"].open_days)
    assert feedback_line.detail == f"bis {closes:%d.%m.%Y}; 0 von 1 geantwortet"
    assert "Was zu tun ist" in response.text
    assert 'href="/admin/participants/registration/?status=pending&amp;zeitraum=kommend"' in response.text


def test_every_start_page_link_lists_exactly_what_it_counts(staff_client, work):
    sections = _sections(staff_client.get(reverse("admin:index")))

    for section in sections.values():
        assert _listed(staff_client, section.url) == section.count, section.key
    for key in ("pending", "waitlisted", "cases"):
        for line in sections[key].lines:
            assert _listed(staff_client, line.url) == int(line.detail), (key, line.label)


def test_start_page_says_when_there_is_nothing_to_do(staff_client):
    sections = _sections(staff_client.get(reverse("admin:index")))

    assert {key: (s.count, s.lines) for key, s in sections.items()} == dict.fromkeys(sections, (0, []))
    assert sections["pending"].empty == "Keine Anmeldung wartet auf Freigabe."


def test_start_page_runs_a_fixed_number_of_queries(staff_client, django_assert_num_queries):
    event = EventFactory(date=timezone.localdate() + dt.timedelta(days=40))
    RegistrationFactory(event=event, status=S.PENDING)
    CaseExampleFactory(workshop=WorkshopFactory(event=event), status=CaseStatus.IN_REVIEW)
    questionnaire_ensure_default(event=ended_event())
    with django_assert_num_queries(8) as one:  # session, user, one query per selector (5), recent actions
        staff_client.get(reverse("admin:index"))
    for _ in range(6):
        other = EventFactory(
            date=timezone.localdate() + dt.timedelta(days=30),
            registration_opens=timezone.now() - dt.timedelta(days=1),
            registration_closes=timezone.now() + dt.timedelta(days=2),
        )
        RegistrationFactory.create_batch(2, event=other, status=S.PENDING)
        RegistrationFactory(event=other, status=S.WAITLISTED)
        CaseExampleFactory(workshop=WorkshopFactory(event=other), status=CaseStatus.IN_REVIEW)
        OrganisationFactory(is_reviewed=False)
        questionnaire_ensure_default(event=ended_event(days_ago=2))
    with django_assert_num_queries(len(one.captured_queries)):
        response = staff_client.get(reverse("admin:index"))
    assert _sections(response)["pending"].count == 13


def test_office_staff_see_the_start_page_too(work):
    sync_staff_groups()
    from django.contrib.auth.models import Group

    office = StaffFactory()
    office.groups.add(Group.objects.get(name=OFFICE))
    client = login(Client(), office)

    sections = _sections(client.get(reverse("admin:index")))

    assert sections["pending"].count == 3
    assert set(sections) == {"pending", "waitlisted", "cases", "organisations", "opening", "closing", "feedback"}
