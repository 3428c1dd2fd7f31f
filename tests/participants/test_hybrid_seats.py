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


# --- after the outside walk: lists at the door, messages, mails, calendar, admin -------------------------------


def test_sign_in_sheet_and_badges_list_only_people_on_site_with_a_column_per_day():
    import datetime as dt

    from events.documents.rendering import render_html
    from events.documents.selectors import participating_registrations

    event = _hybrid(online_capacity=5, capacity=5)
    event.end_date = event.date + dt.timedelta(days=1)
    event.save(update_fields=["end_date"])
    on_site = _register(event, online=False)
    _register(event, online=True)
    assert [r.pk for r in participating_registrations(event=event)] == [on_site.pk]
    html = render_html(
        "pdf/sign_in_sheet.html",
        {"event": event, "registrations": [on_site], "spare_rows": range(2, 3)},
        lang="de",
    )
    assert html.count("Unterschrift Tag ") == 2
    assert html.count('<td class="signature"></td>') == 4  # two days, one person and one spare row


def test_waitlist_message_names_the_full_pool(client):
    event = _hybrid(capacity=0, online_capacity=0)
    user = UserFactory()
    client.force_login(user)
    online = services.registration_create(event=event, user=user, data=make_data(attends_online=True))
    page = client.get(reverse("participants:registration_detail", kwargs={"pk": online.pk})).content.decode()
    assert "der Warteliste für die Online-Teilnahme" in page
    from participants.views import _status_message

    assert _status_message(online).startswith("Alle Plätze für die Online-Teilnahme sind vergeben.")
    on_site = _register(event, online=False)
    assert _status_message(on_site).startswith("Alle Plätze vor Ort sind vergeben.")


def test_confirmation_mail_and_calendar_say_how_the_person_takes_part(django_capture_on_commit_callbacks):
    from django.core import mail
    from icalendar import Calendar

    from events.ical import event_ical

    event = _hybrid(online_capacity=5)
    with django_capture_on_commit_callbacks(execute=True):
        _register(event, online=True)
        _register(event, online=False)
    bodies = [message.body for message in mail.outbox]
    assert sum("Sie nehmen online teil; die Zugangsdaten stehen auf Ihrer Anmeldeseite" in b for b in bodies) == 1
    assert sum("Sie nehmen vor Ort teil." in b for b in bodies) == 1
    online_entry = Calendar.from_ical(event_ical(event, include_access=True)).walk("VEVENT")[0]
    on_site_entry = Calendar.from_ical(event_ical(event, include_access=False)).walk("VEVENT")[0]
    assert (str(online_entry["location"]), "raum-7" in str(online_entry["description"])) == ("online", True)
    assert str(on_site_entry["location"]).startswith("BAMF, Außenstelle Berlin")
    assert "description" not in on_site_entry


def test_admin_refuses_fewer_online_seats_than_are_held():
    from events.admin import EventAdminForm

    event = _hybrid(online_capacity=2)
    _register(event, online=True)
    _register(event, online=True)
    form = EventAdminForm(instance=event)
    form.cleaned_data = {"online_capacity": 1}
    from django import forms as django_forms

    with pytest.raises(django_forms.ValidationError) as excinfo:
        form.clean_online_capacity()
    assert excinfo.value.messages == ["2 Personen haben schon einen Online-Platz. Stornieren Sie zuerst Anmeldungen."]


def test_waitlist_mail_names_the_pool_and_promises_no_access_data(django_capture_on_commit_callbacks):
    from django.core import mail

    event = _hybrid(capacity=5, online_capacity=0)
    with django_capture_on_commit_callbacks(execute=True):
        _register(event, online=True)
    [message] = mail.outbox
    assert "alle Plätze für die Online-Teilnahme sind zurzeit vergeben." in message.body
    assert "Sie haben die Online-Teilnahme gewählt." in message.body
    assert "Zugangsdaten" not in message.body


def test_a_certificate_of_a_multi_day_event_only_once_its_last_day_has_come():
    import datetime as dt

    from django.utils import timezone

    from participants.permissions import may_get_certificate
    from tests.factories import RegistrationFactory

    today = timezone.localdate()
    event = EventFactory(date=today, end_date=today + dt.timedelta(days=1))
    registration = RegistrationFactory(event=event, status=S.ATTENDED)
    assert may_get_certificate(registration, today=today) is False
    assert may_get_certificate(registration, today=today + dt.timedelta(days=1)) is True
