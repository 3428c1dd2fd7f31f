"""Formats, presence modes and multi-day events (issue 16 part 3): constraints, the programme per day, the dates on
pages, in the calendar entry, the documentation and the certificate; "over" means after the last day."""

import datetime as dt

import pytest
from django.db import IntegrityError, transaction
from django.test import Client
from django.utils import timezone
from icalendar import Calendar

from events.enums import EventKind, PresenceMode
from events.ical import event_ical
from events.models import Event
from events.services import event_copy_as_draft
from kokportal.formatting import format_date_span, format_event_when
from tests.factories import EventFactory, ProgrammeItemFactory

pytestmark = pytest.mark.django_db


def _violates(name: str, create) -> None:
    with pytest.raises(IntegrityError) as excinfo, transaction.atomic():
        create()
    assert name in str(excinfo.value)


def _two_day(**kwargs) -> Event:
    first = timezone.localdate() + dt.timedelta(days=40)
    return EventFactory(
        kind=EventKind.COOPERATION_WORKSHOP,
        date=first,
        end_date=first + dt.timedelta(days=1),
        start_time=dt.time(13),
        end_time=dt.time(12, 30),
        **kwargs,
    )


def test_last_day_must_follow_the_first():
    today = timezone.localdate()
    _violates("event_last_day_after_first", lambda: EventFactory(date=today, end_date=today))


def test_a_multi_day_event_may_end_earlier_in_the_day_than_it_began():
    event = _two_day()
    assert (event.is_multi_day, len(event.days), event.last_date) == (True, 2, event.date + dt.timedelta(days=1))


def test_separate_online_seats_only_for_hybrid_events():
    _violates("event_online_capacity_only_hybrid", lambda: EventFactory(online_capacity=10))
    assert EventFactory(presence=PresenceMode.HYBRID, online_capacity=10).separate_online_seats is True


def test_hybrid_events_need_a_venue():
    _violates(
        "event_venue_required_unless_virtual",
        lambda: EventFactory(presence=PresenceMode.HYBRID, venue_name="", venue_city=""),
    )


def test_programme_day_positive():
    event = EventFactory()
    _violates("programmeitem_day_positive", lambda: ProgrammeItemFactory(event=event, day=0))


def test_date_formats_in_both_languages():
    from django.utils import translation

    first, last = dt.date(2017, 5, 16), dt.date(2017, 5, 17)
    with translation.override("de"):
        assert format_date_span(first, last) == "16.–17. Mai 2017"
        assert format_date_span(dt.date(2017, 5, 31), dt.date(2017, 6, 1)) == "31. Mai – 1. Juni 2017"
        assert format_date_span(dt.date(2025, 12, 30), dt.date(2026, 1, 2)) == "30. Dezember 2025 – 2. Januar 2026"
        assert (
            format_event_when(first, last, dt.time(13), dt.time(12, 30))
            == "Dienstag, 16. Mai 2017, 13:00 Uhr bis Mittwoch, 17. Mai 2017, 12:30 Uhr"
        )
        assert format_event_when(first, None, dt.time(10), dt.time(16)) == "Dienstag, 16. Mai 2017, 10:00–16:00 Uhr"
    with translation.override("en"):
        assert format_date_span(first, last) == "16–17 May 2017"


def test_ical_spans_every_day():
    event = _two_day()
    entry = Calendar.from_ical(event_ical(event)).walk("VEVENT")[0]
    assert entry["dtstart"].dt.date() == event.date
    assert entry["dtend"].dt.date() == event.end_date
    assert (entry["dtstart"].dt.hour, entry["dtend"].dt.hour, entry["dtend"].dt.minute) == (13, 12, 30)


def test_event_page_shows_the_programme_per_day_and_both_dates():
    event = _two_day()
    ProgrammeItemFactory(event=event, day=2, start=dt.time(9), end=dt.time(10), title="Zweiter Tag")
    ProgrammeItemFactory(event=event, day=1, start=dt.time(13), end=dt.time(14), title="Erster Tag")
    html = Client().get(event.get_absolute_url()).content.decode()
    assert html.index("Erster Tag") < html.index("Zweiter Tag")
    assert html.count('class="h5 programme-day mt-3"') == 2
    assert "Beginn 13:00 Uhr am ersten Tag, Ende 12:30 Uhr am letzten Tag" in html
    # The lead says when it starts and ends, not "13:00–12:30 Uhr".
    assert "13:00–12:30" not in html
    first, last = event.date, event.end_date
    lead = html[html.index('class="lead mb-0 event-when"') :].split("</p>")[0]
    assert f">{_weekday(first)}, {first.day}. " in lead
    assert f", 13:00 Uhr bis {_weekday(last)}, {last.day}. " in lead
    assert "Kooperationsworkshop" in html


def test_multi_day_event_stays_upcoming_until_its_last_day():
    today = timezone.localdate()
    running = EventFactory(date=today - dt.timedelta(days=1), end_date=today + dt.timedelta(days=1))
    over = EventFactory(date=today - dt.timedelta(days=3), end_date=today - dt.timedelta(days=1))
    assert set(Event.objects.upcoming().values_list("pk", flat=True)) == {running.pk}
    assert set(Event.objects.past().values_list("pk", flat=True)) == {over.pk}
    assert (running.is_over(), over.is_over()) == (False, True)


def test_copy_as_draft_moves_the_last_day_and_keeps_programme_days():
    event = _two_day()
    ProgrammeItemFactory(event=event, day=2, start=dt.time(9), end=dt.time(10))
    copy = event_copy_as_draft(event=event)
    assert (copy.end_date - copy.date).days == 1
    assert list(copy.programme.values_list("day", flat=True)) == [2]


def test_virtual_events_from_before_are_national_and_virtual():
    # The migration split the old "format": a virtual event's reach is national, its presence virtual.
    event = EventFactory(virtual=True)
    assert (event.reach, event.presence, event.is_virtual, event.has_online_access) == (
        "national",
        "virtual",
        True,
        True,
    )


def test_admin_programme_row_refuses_day_zero_with_a_form_message():
    from django.http import QueryDict

    from events.admin import ProgrammeItemForm

    data = QueryDict(mutable=True)
    data.update({"day": "0", "start": "10:00", "end": "11:00", "kind": "input", "title": "Input"})
    form = ProgrammeItemForm(data=data)
    assert form.errors["day"] == ["Dieser Wert muss größer oder gleich 1 sein."]


def test_programme_items_are_named_with_their_day_in_choice_lists():
    from events.admin import programme_item_label

    event = _two_day()
    item = ProgrammeItemFactory(event=event, day=2, start=dt.time(10), end=dt.time(11), title="Diskussion")
    one_day = ProgrammeItemFactory(start=dt.time(10), end=dt.time(11), title="Begrüßung")
    assert (programme_item_label(item), programme_item_label(one_day)) == ("Tag 2, 10:00 Diskussion", "10:00 Begrüßung")


def _weekday(day: dt.date) -> str:
    return ["Montag", "Dienstag", "Mittwoch", "Donnerstag", "Freitag", "Samstag", "Sonntag"][day.weekday()]
