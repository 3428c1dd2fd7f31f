import datetime as dt

import pytest
from django.db import IntegrityError, transaction

from events.enums import PresenceMode
from events.models import Quota
from tests.factories import EventFactory, ProgrammeItemFactory, QuotaFactory, organisation_type

pytestmark = pytest.mark.django_db


def _violates(name: str, create) -> None:
    with pytest.raises(IntegrityError) as excinfo, transaction.atomic():
        create()
    assert name in str(excinfo.value)


def test_event_end_before_start_is_rejected():
    _violates("event_end_after_start", lambda: EventFactory(start_time=dt.time(12), end_time=dt.time(11)))


def test_event_in_person_without_venue_is_rejected():
    _violates("event_venue_required_unless_virtual", lambda: EventFactory(venue_name="", venue_city=""))


def test_event_virtual_without_venue_is_allowed():
    event = EventFactory(virtual=True)
    assert event.presence == PresenceMode.VIRTUAL
    assert event.place_display == "virtuell"


def test_event_slug_is_unique():
    EventFactory(slug="praxisfachtag-2019")
    _violates("slug", lambda: EventFactory(slug="praxisfachtag-2019"))


def test_event_registration_closing_before_opening_is_rejected():
    event = EventFactory.build()
    _violates(
        "event_registration_closes_after_opens",
        lambda: EventFactory(
            registration_opens=event.registration_closes, registration_closes=event.registration_opens
        ),
    )


def test_programme_item_end_before_start_is_rejected():
    _violates("programmeitem_end_after_start", lambda: ProgrammeItemFactory(start=dt.time(11), end=dt.time(10)))


def test_quota_one_per_type_and_event():
    quota = QuotaFactory()
    _violates(
        "quota_one_per_type_and_event",
        lambda: QuotaFactory(event=quota.event, organisation_type=quota.organisation_type),
    )


def test_quota_negative_seats_are_rejected():
    _violates("quota_seats_not_negative", lambda: QuotaFactory(seats=-1))


def test_quota_same_type_on_two_events_is_allowed():
    fbs = organisation_type("fachberatungsstelle")
    first, second = QuotaFactory(organisation_type=fbs), QuotaFactory(organisation_type=fbs)
    assert first.event != second.event
    assert Quota.objects.filter(organisation_type=fbs).count() == 2
