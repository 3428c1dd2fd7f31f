"""Hybrid events with separately counted online seats: in-person registrations take the quotas and the capacity,
online ones only the online seats, each with its own waiting list (participants.selectors.compute_availability,
participants.services.registration_create / waitlist_promote)."""

import pytest
from django.urls import reverse

from events.enums import PresenceMode
from participants import services
from participants.enums import RegistrationStatus as S
from participants.models import Registration
from participants.permissions import may_see_online_access
from participants.selectors import ONLINE_POOL, compute_availability, event_availability
from tests.factories import EventFactory, UserFactory
from tests.participants.conftest import make_data

pytestmark = pytest.mark.django_db


def _hybrid(**kwargs):
    values = {
        "presence": PresenceMode.HYBRID,
        "online_access": "https://konferenz.example.org/raum-7 Code 1234",
        "capacity": 1,
        "online_capacity": 2,
    }
    return EventFactory(**{**values, **kwargs})


def _register(event, *, online: bool, type_slug: str = "fachberatungsstelle") -> Registration:
    return services.registration_create(
        event=event, user=UserFactory(), data=make_data(type_slug, attends_online=online)
    )


def test_compute_availability_keeps_the_online_pool_apart():
    availability = compute_availability(
        capacity=1,
        invited_type_ids=[7],
        quotas={},
        counts={(7, S.CONFIRMED): 1, (ONLINE_POOL, S.CONFIRMED): 1, (ONLINE_POOL, S.WAITLISTED): 0},
        online_capacity=3,
    )
    assert availability.total_holding == 1
    assert availability.free_for(7) == 0
    assert (availability.online.capacity, availability.online.holding, availability.online.free) == (3, 1, 2)
    assert availability.is_full is False
    assert availability.seat_for(7, online=False) is False
    assert availability.seat_for(7, online=True) is True


def test_online_and_in_person_seats_fill_and_wait_separately():
    event = _hybrid()
    at_venue = _register(event, online=False)
    online_1 = _register(event, online=True)
    online_2 = _register(event, online=True)
    venue_waiting = _register(event, online=False)
    online_waiting = _register(event, online=True)
    assert [r.status for r in (at_venue, online_1, online_2, venue_waiting, online_waiting)] == [
        S.CONFIRMED,
        S.CONFIRMED,
        S.CONFIRMED,
        S.WAITLISTED,
        S.WAITLISTED,
    ]
    assert [r.attends_online for r in (at_venue, online_1, venue_waiting, online_waiting)] == [
        False,
        True,
        False,
        True,
    ]
    availability = event_availability(event)
    assert availability.total_holding == 1
    assert (availability.online.holding, availability.online.waitlisted, availability.online.free) == (2, 1, 0)
    assert availability.is_full is True

    # An online seat freed goes to the person waiting online, not to the one waiting for the venue.
    services.registration_cancel(registration=online_1, by=online_1.user)
    online_waiting.refresh_from_db()
    venue_waiting.refresh_from_db()
    assert (online_waiting.status, venue_waiting.status) == (S.CONFIRMED, S.WAITLISTED)


def test_without_separate_online_seats_everyone_shares_the_capacity():
    event = EventFactory(presence=PresenceMode.HYBRID, capacity=2)
    first, second, third = (_register(event, online=online) for online in (True, False, True))
    assert [r.status for r in (first, second, third)] == [S.CONFIRMED, S.CONFIRMED, S.WAITLISTED]
    assert event_availability(event).online is None


def test_online_choice_is_ignored_for_in_person_events_and_set_for_virtual_ones():
    in_person = EventFactory()
    virtual = EventFactory(virtual=True)
    assert _register(in_person, online=True).attends_online is False
    assert _register(virtual, online=False).attends_online is True


def test_only_online_participants_of_a_hybrid_event_get_the_access_data():
    event = _hybrid(online_capacity=5)
    online = _register(event, online=True)
    at_venue = _register(event, online=False)
    assert (may_see_online_access(online), may_see_online_access(at_venue)) == (True, False)


def test_registration_form_asks_how_people_take_part_only_at_hybrid_events(client):
    user = UserFactory()
    client.force_login(user)
    hybrid, in_person = _hybrid(), EventFactory()
    hybrid_form = client.get(reverse("participants:register", kwargs={"slug": hybrid.slug})).content.decode()
    plain_form = client.get(reverse("participants:register", kwargs={"slug": in_person.slug})).content.decode()
    assert 'name="attendance"' in hybrid_form
    assert "Die Plätze vor Ort und online werden getrennt vergeben." in hybrid_form
    assert 'name="attendance"' not in plain_form


def test_public_page_shows_online_seats_apart():
    event = _hybrid(online_capacity=5)
    _register(event, online=True)
    from django.test import Client

    html = Client().get(event.get_absolute_url()).content.decode()
    assert "seats-online" in html
    assert "4 Plätze frei" in html
