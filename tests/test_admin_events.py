"""The event change page (issue 13, point 11): copy as draft moves the dates a year on and opens the draft; the tools
sit in a toolbar; the programme rows and date-and-time fields have labels."""

import datetime as dt
import re
from zoneinfo import ZoneInfo

import pytest
from django.contrib.admin.models import ADDITION, LogEntry
from django.urls import reverse
from django.utils import timezone

from casework.feedback.models import Questionnaire
from events.enums import EventStatus
from events.models import Event
from events.services import event_copy_as_draft, next_edition_date
from tests.factories import EventFactory, ProgrammeItemFactory, QuotaFactory, RegistrationFactory

pytestmark = pytest.mark.django_db

BERLIN = ZoneInfo("Europe/Berlin")


@pytest.mark.parametrize(
    ("date", "today", "expected"),
    [
        (dt.date(2019, 11, 13), dt.date(2020, 1, 10), dt.date(2020, 11, 13)),  # last year's event: a year on
        (dt.date(2026, 3, 1), dt.date(2026, 11, 26), dt.date(2027, 3, 1)),  # a year on is after today
        (dt.date(2020, 11, 26), dt.date(2026, 11, 26), dt.date(2027, 11, 26)),  # an old one: the next after today
        (dt.date(2024, 2, 29), dt.date(2024, 6, 1), dt.date(2025, 2, 28)),  # no 29 February next year
        (dt.date(2027, 5, 4), dt.date(2026, 11, 26), dt.date(2028, 5, 4)),  # even a future event: a year on
    ],
)
def test_next_edition_date(date, today, expected):
    assert next_edition_date(date, today=today) == expected


def test_copy_moves_the_date_and_the_registration_window_by_the_same_days():
    event = EventFactory(
        title="3. Praxisfachtag (virtuell)",
        date=dt.date(2020, 11, 26),
        registration_opens=dt.datetime(2020, 9, 17, 9, 0, tzinfo=BERLIN),
        registration_closes=dt.datetime(2020, 11, 19, 23, 59, tzinfo=BERLIN),
        cancellation_deadline=dt.datetime(2020, 11, 20, 12, 0, tzinfo=BERLIN),
        online_access="https://konferenz.example.org/raum",
        summary="Zusammenfassung 2020",
    )
    ProgrammeItemFactory(event=event, title="Begrüßung")
    QuotaFactory(event=event, seats=20)
    RegistrationFactory(event=event)

    copy = event_copy_as_draft(event=event, today=dt.date(2026, 11, 26))

    assert (copy.title, copy.status, copy.date) == (
        "3. Praxisfachtag (virtuell) (Kopie)",
        "draft",
        dt.date(2027, 11, 26),
    )
    # Summer time in September, winter time in November: the local times stay.
    assert timezone.localtime(copy.registration_opens, BERLIN) == dt.datetime(2027, 9, 17, 9, 0, tzinfo=BERLIN)
    assert timezone.localtime(copy.registration_closes, BERLIN) == dt.datetime(2027, 11, 19, 23, 59, tzinfo=BERLIN)
    assert timezone.localtime(copy.cancellation_deadline, BERLIN) == dt.datetime(2027, 11, 20, 12, 0, tzinfo=BERLIN)
    assert (copy.online_access, copy.summary, copy.registrations.count()) == ("", "", 0)
    assert list(copy.programme.values_list("title", flat=True)) == ["Begrüßung"]
    assert list(copy.quotas.values_list("seats", flat=True)) == [20]


def test_copy_of_an_event_without_registration_window_keeps_it_empty():
    event = EventFactory(date=dt.date(2025, 5, 6), registration_opens=None, registration_closes=None)

    copy = event_copy_as_draft(event=event, today=dt.date(2025, 6, 1))

    assert (copy.date, copy.registration_opens, copy.registration_closes) == (dt.date(2026, 5, 6), None, None)


def _messages(response) -> list[str]:
    return [str(message) for message in response.context["messages"]]


def test_copy_action_opens_the_draft_with_a_message(staff_client):
    event = EventFactory(title="Praxisfachtag 2025", date=timezone.localdate() - dt.timedelta(days=30))

    response = staff_client.post(
        reverse("admin:events_event_changelist"), {"action": "copy_as_draft", "_selected_action": [event.pk]}
    )

    copy = Event.objects.exclude(pk=event.pk).get()
    assert (response.status_code, response["Location"]) == (302, reverse("admin:events_event_change", args=[copy.pk]))
    assert copy.date == event.date.replace(year=event.date.year + 1)
    page = staff_client.get(response["Location"])
    assert _messages(page) == [
        "„Praxisfachtag 2025 (Kopie)“ ist als Entwurf angelegt, mit Programm, Kontingenten und eingeladenen Arten von "
        f"Organisationen. Das Datum ist auf den {copy.date:%d.%m.%Y} verschoben (Original: {event.date:%d.%m.%Y}), "
        "Anmeldezeitraum und Stornierungsfrist um ebenso viele Tage; bitte prüfen Sie Wochentag und Fristen, bevor "
        "Sie veröffentlichen."
    ]
    assert page.context["original"] == copy
    assert Questionnaire.objects.filter(event=copy).exists()


def test_copy_action_with_several_events_stays_on_the_list(staff_client):
    events = EventFactory.create_batch(2)

    response = staff_client.post(
        reverse("admin:events_event_changelist"),
        {"action": "copy_as_draft", "_selected_action": [e.pk for e in events]},
        follow=True,
    )

    assert response.redirect_chain == [(reverse("admin:events_event_changelist"), 302)]
    assert Event.objects.filter(status=EventStatus.DRAFT).count() == 2
    assert len(_messages(response)) == 2


def test_copy_button_on_the_change_page_goes_through_the_service_and_opens_the_draft(staff_client, staff_user):
    event = EventFactory(date=timezone.localdate() + dt.timedelta(days=10))
    url = reverse("admin:events_event_copy", args=[event.pk])
    change_page = staff_client.get(reverse("admin:events_event_change", args=[event.pk]))
    assert f'action="{url}"' in change_page.text

    assert staff_client.get(url).status_code == 405
    response = staff_client.post(url)

    copy = Event.objects.exclude(pk=event.pk).get()
    assert response["Location"] == reverse("admin:events_event_change", args=[copy.pk])
    assert copy.date == next_edition_date(event.date, today=timezone.localdate())
    entry = LogEntry.objects.get(object_id=str(copy.pk))
    assert (entry.action_flag, entry.user) == (ADDITION, staff_user)


def test_copy_button_needs_the_right_to_add_events(client):
    from django.contrib.auth.models import Permission

    from tests.auth import login
    from tests.factories import StaffFactory

    viewer = StaffFactory()
    viewer.user_permissions.add(Permission.objects.get(codename="view_event"))
    login(client, viewer)
    event = EventFactory()

    assert client.post(reverse("admin:events_event_copy", args=[event.pk])).status_code == 403
    assert Event.objects.count() == 1


def test_change_page_tools_form_a_toolbar_with_the_documents(staff_client):
    from tests.casework.factories import CaseExampleFactory, WorkshopFactory

    event = EventFactory()
    # The documentation with case examples is offered only where there is an approved case example.
    CaseExampleFactory(workshop=WorkshopFactory(event=event), approved=True)

    text = staff_client.get(reverse("admin:events_event_change", args=[event.pk])).text

    toolbar = text[text.index('<div class="kok-toolbar">') : text.index('id="event_form"')]
    documents = toolbar[toolbar.index('<nav class="kok-documents"') :]
    assert re.findall(r">([^<>]+)</a></li>", documents) == [
        "Dokumentation (PDF)",
        "Dokumentation englisch (PDF)",
        "Dokumentation mit Fallbeispielen (PDF)",
        "Kontaktliste (PDF)",
        "Unterschriftenliste (PDF)",
        "Namensschilder (PDF)",
        "Dokumente-Seite für das Team",
        "Einlass am Veranstaltungstag",
    ]
    assert re.findall(r">([^<>]+)</(?:a|button)>", toolbar[: toolbar.index("<nav")]) == [
        "Verlauf",
        "Auf der Website anzeigen",
        "E-Mail an Teilnehmer*innen",
        "Einladen",
        "Referent*innen einladen",
        "Als Entwurf kopieren",
    ]


def test_programme_rows_and_date_time_fields_have_labels(staff_client):
    event = EventFactory()
    ProgrammeItemFactory(event=event, title="Begrüßung")

    text = staff_client.get(reverse("admin:events_event_change", args=[event.pk])).text

    for name in ("start", "end", "kind", "title", "speakers", "speaker_list", "description", "DELETE"):
        control = re.search(rf'<(?:input|select|textarea)[^>]*name="programme-0-{name}"[^>]*>', text).group(0)
        assert 'aria-label="' in control, name
    assert 'aria-label="Art (Programmpunkt 1)"' in text
    assert 'aria-label="Löschen (Programmpunkt 1)"' in text
    assert (
        '<label for="id_registration_opens_0">Datum <span class="visually-hidden">(Anmeldung ab)</span>:</label>'
        in (text)
    )
    assert (
        '<label for="id_registration_opens_1">Uhrzeit <span class="visually-hidden">(Anmeldung ab)</span>:</label>'
        in (text)
    )
    assert 'value="10:00"' in text  # programme times without seconds
    assert 'type="checkbox" name="invited_types"' in text


def test_the_documentation_with_case_examples_is_not_offered_without_any(staff_client):
    event = EventFactory()
    text = staff_client.get(reverse("admin:events_event_change", args=[event.pk])).text
    assert "Dokumentation mit Fallbeispielen (PDF)" not in text
    assert "Dokumentation (PDF)" in text
