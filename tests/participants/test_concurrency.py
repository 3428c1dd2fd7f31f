"""Parallel bookings with real transactions: exactly the free seats are confirmed, the rest wait in order.

Each thread has its own database connection (Django connections are per thread) and commits for real,
so the event row lock in ``participants.services`` is what stands between the threads and overbooking.
The second test switches the lock off and widens the race window: it must see overbooking, which proves
the first test would catch a missing lock.
"""

import threading
import time
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.db import connection, transaction

from events.models import Event
from participants import errors, services
from participants.enums import RegistrationStatus as S
from participants.models import Registration
from participants.selectors import waitlist_position
from tests.factories import EventFactory, OrganisationFactory, QuotaFactory, UserFactory, organisation_type
from tests.participants.conftest import make_data

pytestmark = [pytest.mark.concurrency, pytest.mark.django_db(transaction=True)]

PARALLEL = 24
SEATS = 5


def _book_in_parallel(event, users, organisation):
    barrier = threading.Barrier(len(users))
    data = make_data("fachberatungsstelle", organisation=organisation)

    def book(user):
        try:
            barrier.wait(timeout=30)
            return services.registration_create(event=event, user=user, data=data).pk
        finally:
            connection.close()

    with ThreadPoolExecutor(max_workers=len(users)) as pool:
        return list(pool.map(book, users))


@pytest.fixture
def setup():
    fbs = organisation_type("fachberatungsstelle")
    event = EventFactory(invited=[fbs], capacity=None)
    QuotaFactory(event=event, organisation_type=fbs, seats=SEATS)
    users = [UserFactory() for _ in range(PARALLEL)]
    return event, users, OrganisationFactory(organisation_type=fbs)


def test_parallel_registrations_never_overbook(setup):
    event, users, organisation = setup
    ids = _book_in_parallel(event, users, organisation)
    registrations = list(Registration.objects.filter(event=event))
    assert len(ids) == len(set(ids)) == len(registrations) == PARALLEL  # none lost
    statuses = [r.status for r in registrations]
    assert statuses.count(S.CONFIRMED) == SEATS
    assert statuses.count(S.WAITLISTED) == PARALLEL - SEATS
    waiting = sorted((r for r in registrations if r.status == S.WAITLISTED), key=lambda r: (r.waitlisted_at, r.pk))
    assert [waitlist_position(r) for r in waiting] == list(range(1, PARALLEL - SEATS + 1))
    # Everyone confirmed booked before everyone waitlisted: the queue is in booking order.
    last_confirmed = max(r.confirmed_at for r in registrations if r.status == S.CONFIRMED)
    assert all(r.waitlisted_at >= last_confirmed for r in waiting)


def test_parallel_registrations_overbook_without_lock(setup, monkeypatch):
    event, users, organisation = setup
    monkeypatch.setattr(services, "BOOKING_LOCK_ENABLED", False)
    monkeypatch.setattr(services, "after_seat_check", lambda: time.sleep(0.2))
    _book_in_parallel(event, users, organisation)
    confirmed = Registration.objects.filter(event=event, status=S.CONFIRMED).count()
    assert confirmed > SEATS


def test_booking_gives_up_with_try_again_when_the_event_lock_is_stuck(setup):
    """A stuck transaction holding the event row must not hang every booking (security review, item 11)."""
    event, users, organisation = setup
    locked, release = threading.Event(), threading.Event()
    data = make_data("fachberatungsstelle", organisation=organisation)

    def hold_the_lock():
        try:
            with transaction.atomic():
                Event.objects.select_for_update().get(pk=event.pk)
                locked.set()
                release.wait(timeout=30)
        finally:
            connection.close()

    holder = threading.Thread(target=hold_the_lock)
    holder.start()
    try:
        assert locked.wait(timeout=30)
        with connection.cursor() as cursor:  # settings give 3 s (KOKPORTAL_LOCK_TIMEOUT_MS); a test waits less
            cursor.execute("SET lock_timeout = '200ms'")
        with pytest.raises(errors.EventBusy) as busy:
            services.registration_create(
                event=event, user=users[0], data=make_data("fachberatungsstelle", organisation=organisation)
            )
    finally:
        release.set()
        holder.join(timeout=30)
        with connection.cursor() as cursor:
            cursor.execute("RESET lock_timeout")  # back to the connection's setting
    assert str(busy.value.message).startswith("Gerade melden sich sehr viele Personen gleichzeitig an.")
    assert Registration.objects.filter(event=event).count() == 0
    # Once the lock is free again, the same booking goes through.
    registration = services.registration_create(event=event, user=users[0], data=data)
    assert registration.status == S.CONFIRMED


def test_every_connection_waits_at_most_three_seconds_for_a_lock():
    with connection.cursor() as cursor:
        cursor.execute("SHOW lock_timeout")
        assert cursor.fetchone() == ("3s",)


def test_parallel_online_and_on_site_bookings_of_a_hybrid_event_fill_each_pool_exactly():
    """A hybrid event counting its online seats apart: half the people book online, half on site, at once; each pool
    gets exactly its seats, the rest wait in their own queue."""
    from events.enums import PresenceMode

    fbs = organisation_type("fachberatungsstelle")
    event = EventFactory(invited=[fbs], presence=PresenceMode.HYBRID, capacity=3, online_capacity=4)
    organisation = OrganisationFactory(organisation_type=fbs)
    users = [UserFactory() for _ in range(PARALLEL)]
    barrier = threading.Barrier(len(users))

    def book(index_user):
        index, user = index_user
        try:
            barrier.wait(timeout=30)
            data = make_data("fachberatungsstelle", organisation=organisation, attends_online=index % 2 == 0)
            return services.registration_create(event=event, user=user, data=data).pk
        finally:
            connection.close()

    with ThreadPoolExecutor(max_workers=len(users)) as pool:
        list(pool.map(book, enumerate(users)))
    rows = list(Registration.objects.filter(event=event).values_list("attends_online", "status"))
    assert rows.count((True, S.CONFIRMED)) == 4
    assert rows.count((False, S.CONFIRMED)) == 3
    assert rows.count((True, S.WAITLISTED)) == PARALLEL // 2 - 4
    assert rows.count((False, S.WAITLISTED)) == PARALLEL // 2 - 3
