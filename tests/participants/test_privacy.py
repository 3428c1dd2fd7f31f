import datetime as dt
import json

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from casework.feedback.models import FeedbackInvitation
from casework.feedback.services import questionnaire_ensure_default
from kokportal.models import User
from participants.enums import RegistrationStatus as S
from participants.models import Profile, Registration
from participants.privacy import (
    AccountDeletionRefused,
    account_delete,
    months_before,
    personal_data_export,
    retention_purge,
)
from tests.auth import login
from tests.casework.factories import SmallGroupFactory, WorkshopFactory, WorkshopParticipantFactory
from tests.factories import EventFactory, RegistrationFactory, StaffFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_export_contains_account_and_registrations(client):
    user = UserFactory(email="aylin.weber@example.org", first_name="Aylin")
    RegistrationFactory(user=user, dietary_needs="vegan")
    RegistrationFactory()  # someone else's
    login(client, user)
    response = client.get(reverse("participants:privacy_export"))
    assert response["Content-Type"] == "application/json; charset=utf-8"
    data = json.loads(response.content)
    assert data["account"]["email"] == "aylin.weber@example.org"
    assert [r["dietary_needs"] for r in data["registrations"]] == ["vegan"]
    assert data["registrations"][0]["privacy_consent_version"] == "2026-11"


def test_export_contains_profile_workshop_places_and_feedback_sections():
    """The floors above add their sections through participants.privacy.register_export_section."""
    user = UserFactory(email="aylin.weber@example.org")
    registration = RegistrationFactory(user=user, status=S.ATTENDED)
    Profile.objects.create(user=user, function="Beraterin", phone="030 1234567")
    workshop = WorkshopFactory(event=registration.event, title="Fallarbeit")
    WorkshopParticipantFactory(
        workshop=workshop, registration=registration, group=SmallGroupFactory(workshop=workshop, number=3)
    )
    questionnaire = questionnaire_ensure_default(event=registration.event)
    FeedbackInvitation.objects.create(
        questionnaire=questionnaire,
        registration=registration,
        token_hash="1" * 64,
        sent_at=timezone.now(),
        answered=True,
    )

    data = personal_data_export(user=user)

    profile = data["account"]["profile"]
    assert (profile["function"], profile["phone"]) == ("Beraterin", "030 1234567")
    assert data["workshops"] == [{"workshop": "Fallarbeit", "small_group": 3}]
    assert data["feedback"] == [{"event": registration.event.title, "invited": True, "answered": True}]
    json.dumps(data)  # serialisable as it is


def test_export_requires_login(client):
    assert client.get(reverse("participants:privacy_export")).status_code == 302


def test_account_delete_anonymises_registrations_and_keeps_counts():
    user = UserFactory(email="aylin.weber@example.org")
    registration = RegistrationFactory(user=user, phone="+49 40 1234567", status=S.ATTENDED)
    event = registration.event
    account_delete(user=user)
    registration.refresh_from_db()
    assert not User.objects.filter(email="aylin.weber@example.org").exists()
    assert (registration.first_name, registration.last_name, registration.email, registration.phone) == ("", "", "", "")
    assert registration.user is None and registration.anonymised_at is not None
    assert Registration.objects.filter(event=event, status=S.ATTENDED).count() == 1
    assert str(registration) == "anonymisierte Anmeldung"


def test_account_delete_refused_for_staff():
    with pytest.raises(AccountDeletionRefused):
        account_delete(user=StaffFactory())


def test_account_delete_view_needs_recent_authentication(client):
    user = UserFactory()
    login(client, user)
    response = client.post(reverse("participants:account_delete"), {"confirm": "yes"})
    assert response["Location"].startswith(reverse("account_reauthenticate"))
    assert User.objects.filter(pk=user.pk).exists()


def test_account_delete_view_deletes_and_logs_out(client):
    import time

    user = UserFactory()
    login(client, user)
    session = client.session
    session["account_authentication_methods"] = [{"method": "password", "at": time.time(), "reauthenticated": True}]
    session["account_authentication_methods_user"] = str(user.pk)
    session.save()
    response = client.post(reverse("participants:account_delete"), {"confirm": "yes"})
    assert response["Location"] == reverse("events:home")
    assert not User.objects.filter(pk=user.pk).exists()
    assert "_auth_user_id" not in client.session


def test_retention_purge_anonymises_only_old_events():
    today = timezone.localdate()
    old_event = EventFactory(past=True, date=today - dt.timedelta(days=200))
    recent_event = EventFactory(past=True, date=today - dt.timedelta(days=30))
    old = RegistrationFactory(event=old_event, status=S.ATTENDED)
    recent = RegistrationFactory(event=recent_event, status=S.ATTENDED)
    call_command("purge_personal_data", months=6)
    old.refresh_from_db()
    recent.refresh_from_db()
    assert old.anonymised_at is not None and old.last_name == ""
    assert recent.anonymised_at is None and recent.last_name != ""
    assert retention_purge(months=6) == 0  # idempotent


@pytest.mark.parametrize(
    ("day", "months", "expected"),
    [
        (dt.date(2026, 11, 23), 6, dt.date(2026, 5, 23)),
        (dt.date(2026, 3, 31), 1, dt.date(2026, 2, 28)),
        (dt.date(2026, 1, 15), 2, dt.date(2025, 11, 15)),
        (dt.date(2024, 12, 31), 10, dt.date(2024, 2, 29)),
    ],
)
def test_months_before(day, months, expected):
    assert months_before(day, months) == expected


def test_account_delete_of_case_author_keeps_the_case():
    from tests.casework.factories import CaseExampleFactory

    case = CaseExampleFactory()
    account_delete(user=case.author)
    case.refresh_from_db()
    assert case.author is None
