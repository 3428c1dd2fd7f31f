import csv
import io

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from events.enums import RegistrationMode
from kokportal.models import AuditLogEntry
from participants.enums import RegistrationStatus as S
from participants.models import Registration
from tests.factories import EventFactory, QuotaFactory, RegistrationFactory, organisation_type

pytestmark = pytest.mark.django_db

CHANGELIST = "admin:participants_registration_changelist"


@pytest.fixture
def event():
    fbs, bamf = organisation_type("fachberatungsstelle"), organisation_type("bamf")
    event = EventFactory(invited=[fbs, bamf], capacity=40, registration_mode=RegistrationMode.MODERATED)
    QuotaFactory(event=event, organisation_type=fbs, seats=20)
    QuotaFactory(event=event, organisation_type=bamf, seats=1)
    return event


def _action(client, action, registrations):
    return client.post(
        reverse(CHANGELIST), {"action": action, "_selected_action": [r.pk for r in registrations]}, follow=True
    )


def test_admin_approve_action_goes_through_service(staff_client, staff_user, event):
    pending = RegistrationFactory(event=event, status=S.PENDING, confirmed_at=None)
    response = _action(staff_client, "approve", [pending])
    pending.refresh_from_db()
    assert (pending.status, pending.decided_by) == (S.CONFIRMED, staff_user)
    assert "1 Anmeldung bestätigt." in response.text


def test_admin_reject_promotes_next_waitlisted(staff_client, event):
    bamf = organisation_type("bamf")
    pending = RegistrationFactory(event=event, status=S.PENDING, organisation__organisation_type=bamf)
    waiting = RegistrationFactory(event=event, status=S.WAITLISTED, organisation__organisation_type=bamf)
    _action(staff_client, "reject", [pending])
    waiting.refresh_from_db()
    assert waiting.status == S.PENDING


def test_admin_invalid_transition_is_reported_not_applied(staff_client, event):
    cancelled = RegistrationFactory(event=event, status=S.CANCELLED)
    response = _action(staff_client, "approve", [cancelled])
    cancelled.refresh_from_db()
    assert cancelled.status == S.CANCELLED
    assert f"#{cancelled.pk}: Diese Änderung ist im aktuellen Status der Anmeldung nicht möglich." in response.text


def test_admin_mark_attended_and_cancel(staff_client, event):
    a, b = RegistrationFactory.create_batch(2, event=event)
    too_early = _action(staff_client, "mark_attended", [a])  # the event is still ahead
    assert "Eine Teilnahme lässt sich erst ab dem Vortag" in too_early.content.decode()
    a.refresh_from_db()
    assert a.status == S.CONFIRMED
    event.date = timezone.localdate()
    event.save(update_fields=["date"])
    _action(staff_client, "mark_attended", [a])
    _action(staff_client, "cancel", [b])
    assert sorted(Registration.objects.values_list("status", flat=True)) == [S.ATTENDED, S.CANCELLED]


def test_admin_filters_by_status_type_and_state(staff_client, event):
    RegistrationFactory(event=event, status=S.WAITLISTED, federal_state="HH")
    RegistrationFactory(event=event, federal_state="BE")
    response = staff_client.get(reverse(CHANGELIST), {"status": "waitlisted", "federal_state": "HH"})
    assert response.context["cl"].result_count == 1


def test_admin_export_csv_contains_organiser_fields_and_is_audited(staff_client, staff_user, event):
    RegistrationFactory(
        event=event,
        first_name="Aylin",
        last_name="Weber",
        dietary_needs="vegan",
        organisation__name="Fachberatungsstelle Lichtblick",
    )
    RegistrationFactory(event=event, first_name="=cmd|'/c calc'!A1", last_name="Zorn")
    response = _action(staff_client, "export_csv", Registration.objects.all())
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))[2:]  # after 2 lines
    assert rows[0][:4] == ["Nachname", "Vorname", "Organisation", "Art der Organisation"]
    assert rows[1][:3] == ["Weber", "Aylin", "Fachberatungsstelle Lichtblick"]
    assert rows[2][1] == "'=cmd|'/c calc'!A1"  # no formula injection
    entry = AuditLogEntry.objects.get()
    assert (entry.actor, entry.action, entry.subject, entry.detail["count"]) == (
        staff_user,
        "export_registrations_csv",
        event,
        2,
    )


def test_admin_export_xlsx(staff_client, event):
    RegistrationFactory(event=event, last_name="Weber")
    response = _action(staff_client, "export_xlsx", Registration.objects.all())
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert sheet["A4"].value == "Nachname"  # below what the list contains (tests/test_admin_exports.py)
    assert sheet["A5"].value == "Weber"


def test_admin_seats_overview_on_event_page(staff_client, event):
    RegistrationFactory(event=event, status=S.CONFIRMED)
    RegistrationFactory(event=event, status=S.PENDING)
    RegistrationFactory(event=event, status=S.WAITLISTED)
    response = staff_client.get(reverse("admin:events_event_change", args=[event.pk]))
    overview = response.context["adminform"].form.instance
    assert overview == event
    assert (
        "<td>Fachberatungsstelle</td>\n      <td>20</td>\n      <td>1</td><td>1</td><td>1</td>\n      <td>18</td>"
        in response.text
    )


def test_admin_cannot_add_registration_bypassing_service(staff_client):
    assert staff_client.get(reverse("admin:participants_registration_add")).status_code == 403


def test_admin_registration_changelist_query_count(staff_client, event, django_assert_num_queries):
    RegistrationFactory(event=event)
    with django_assert_num_queries(9) as one:  # the second factor is read from the session
        staff_client.get(reverse(CHANGELIST))
    RegistrationFactory.create_batch(15, event=event)
    with django_assert_num_queries(len(one.captured_queries)):
        staff_client.get(reverse(CHANGELIST))
