"""Admin rules an outside probe found missing (security review follow-up): registrations are never deleted,
event dates and quotas are checked with clear messages, addresses typed in by staff count as confirmed,
questionnaire windows are bounded, line breaks count once."""

import datetime as dt

import pytest
from allauth.account.models import EmailAddress
from django.urls import reverse
from django.utils import timezone

from casework.forms import CaseExampleForm
from participants.enums import RegistrationStatus as S
from tests.factories import EventFactory, QuotaFactory, RegistrationFactory, organisation_type

pytestmark = pytest.mark.django_db


def test_registrations_cannot_be_deleted_in_the_admin(staff_client):
    """Deleting would free a seat without moving anyone up (probe A3); registrations are cancelled instead."""
    registration = RegistrationFactory(status=S.CONFIRMED)

    page = staff_client.get(reverse("admin:participants_registration_delete", args=[registration.pk]))
    changelist = staff_client.get(reverse("admin:participants_registration_changelist"))

    assert page.status_code == 403
    assert "delete_selected" not in changelist.text
    assert (
        "Auf der Website anzeigen"
        not in staff_client.get(reverse("admin:participants_registration_change", args=[registration.pk])).text
    )


def _event_form_data(staff_client, event) -> dict:
    from tests.test_admin_writes import AdminFormParser

    parser = AdminFormParser()
    parser.feed(staff_client.get(reverse("admin:events_event_change", args=[event.pk])).text)
    return {name: control.value for name, control in parser.controls.items() if control.value}


def test_event_admin_explains_end_before_start_and_a_late_cancellation_deadline(staff_client):
    event = EventFactory(date=timezone.localdate() + dt.timedelta(days=30))
    data = _event_form_data(staff_client, event)
    data["end_time"] = ["08:00"]
    data["cancellation_deadline_0"] = [(event.date + dt.timedelta(days=2)).strftime("%d.%m.%Y")]
    data["cancellation_deadline_1"] = ["10:00"]

    response = staff_client.post(reverse("admin:events_event_change", args=[event.pk]), data)

    assert response.status_code == 200
    errors = response.context["adminform"].form.errors
    assert errors["cancellation_deadline"] == ["Die Stornierungsfrist endet spätestens mit dem Beginn."]
    assert errors["__all__"] == ["Das Ende liegt vor dem Beginn."]
    assert "event_end_after_start" not in response.text


def test_quota_larger_than_the_capacity_is_refused(staff_client):
    event = EventFactory(date=timezone.localdate() + dt.timedelta(days=30), capacity=10)
    quota = QuotaFactory(event=event, organisation_type=organisation_type("fachberatungsstelle"), seats=5)
    data = _event_form_data(staff_client, event)
    prefix = next(name for name, value in data.items() if name.endswith("-id") and value == [str(quota.pk)])[:-3]
    data[f"{prefix}-seats"] = ["11"]

    response = staff_client.post(reverse("admin:events_event_change", args=[event.pk]), data)

    assert response.status_code == 200
    quota.refresh_from_db()
    assert quota.seats == 5
    assert "Das Kontingent ist größer als die Gesamtzahl der Plätze (10)." in response.text


def test_address_typed_in_by_staff_is_confirmed_and_replaces_the_old_one(staff_client):
    response = staff_client.post(
        reverse("admin:kokportal_user_add"), {"email": "neu@beratung.example.org", "usable_password": "false"}
    )
    assert response.status_code == 302
    address = EmailAddress.objects.get(email="neu@beratung.example.org")
    assert (address.verified, address.primary) == (True, True)


def test_questionnaire_window_is_bounded(staff_client):
    from casework.feedback.models import Questionnaire

    field = Questionnaire._meta.get_field("open_days")
    assert [v.limit_value for v in field.validators if hasattr(v, "limit_value")][-2:] == [1, 365]


def test_case_text_line_breaks_count_once_as_in_the_browser():
    """Browsers send a line break as CR LF but count it once for maxlength (probe B2)."""
    text = ("x" * 49 + "\r\n") * 399 + "x" * 50  # 20,000 characters as the browser counts them
    form = CaseExampleForm({"title": "Fall", "text": text}, can_submit=True)

    assert form.is_valid(), form.errors
    assert len(form.cleaned_data["text"]) == 20000
    assert "\r" not in form.cleaned_data["text"]
