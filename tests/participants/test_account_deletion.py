"""Account deletion gives up the person's upcoming seats and asks people without a password for a mailed code."""

import datetime as dt
import re
import time

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from kokportal.models import User
from participants import services
from participants.enums import RegistrationStatus as S
from participants.models import Registration
from participants.privacy import account_delete
from participants.selectors import waitlist_position
from tests.factories import EventFactory, QuotaFactory, RegistrationFactory, UserFactory, organisation_type

pytestmark = pytest.mark.django_db

CODE_RE = re.compile(r"^\s*([A-Z0-9]{3,5}-[A-Z0-9]{3,5}|[A-Z0-9]{6,10})\s*$", re.MULTILINE)


@pytest.fixture
def event():
    """One seat for counselling centres."""
    fbs = organisation_type("fachberatungsstelle")
    event = EventFactory(invited=[fbs], capacity=1, title="Praxisfachtag Nord")
    QuotaFactory(event=event, organisation_type=fbs, seats=1)
    return event


def book(event, data_for, email):
    return services.registration_create(event=event, user=UserFactory(email=email), data=data_for())


def reauthenticated(client, user):
    """Record a password re-authentication in the session, as allauth does."""
    session = client.session
    session["account_authentication_methods"] = [{"method": "password", "at": time.time(), "reauthenticated": True}]
    session["account_authentication_methods_user"] = str(user.pk)
    session.save()


def test_account_delete_of_confirmed_person_moves_the_first_waiting_person_up(
    event, data_for, django_capture_on_commit_callbacks
):
    holder = book(event, data_for, "holder@example.org")
    first = book(event, data_for, "first.waiting@example.org")
    second = book(event, data_for, "second.waiting@example.org")
    assert (holder.status, first.status, second.status) == (S.CONFIRMED, S.WAITLISTED, S.WAITLISTED)
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        account_delete(user=holder.user)

    holder.refresh_from_db()
    first.refresh_from_db()
    second.refresh_from_db()
    assert (holder.status, holder.user_id, holder.email) == (S.CANCELLED, None, "")
    assert holder.cancelled_at is not None and holder.anonymised_at is not None
    assert (first.status, second.status) == (S.CONFIRMED, S.WAITLISTED)
    assert waitlist_position(second) == 1
    assert [(m.to, m.subject) for m in mail.outbox] == [
        (["first.waiting@example.org"], "[KOK-Praxisfachtag] Ein Platz ist frei geworden: Praxisfachtag Nord")
    ]


def test_account_delete_of_waitlisted_person_takes_them_off_the_waiting_list(event, data_for):
    holder = book(event, data_for, "holder@example.org")
    deleted = book(event, data_for, "deleted.waiting@example.org")
    real = book(event, data_for, "real.waiting@example.org")

    account_delete(user=deleted.user)

    deleted.refresh_from_db()
    assert (deleted.status, deleted.waitlisted_at, deleted.user_id) == (S.CANCELLED, None, None)
    assert waitlist_position(Registration.objects.get(pk=real.pk)) == 1
    services.registration_cancel(registration=holder, by=holder.user)
    assert Registration.objects.get(pk=real.pk).status == S.CONFIRMED
    assert Registration.objects.filter(event=event, status=S.WAITLISTED).count() == 0


def test_account_delete_keeps_past_registrations_as_they_were(data_for):
    user = UserFactory()
    past = RegistrationFactory(user=user, event=EventFactory(past=True), status=S.ATTENDED)
    upcoming = RegistrationFactory(user=user, status=S.CONFIRMED)
    account_delete(user=user)
    past.refresh_from_db()
    upcoming.refresh_from_db()
    assert (past.status, past.anonymised_at is not None) == (S.ATTENDED, True)
    assert (upcoming.status, upcoming.anonymised_at is not None) == (S.CANCELLED, True)


def test_account_delete_after_cancellation_deadline_still_frees_the_seat(event, data_for):
    holder = book(event, data_for, "holder@example.org")
    waiting = book(event, data_for, "waiting@example.org")
    event.cancellation_deadline = timezone.now() - dt.timedelta(hours=1)
    event.save(update_fields=["cancellation_deadline"])
    account_delete(user=holder.user)
    assert Registration.objects.get(pk=holder.pk).status == S.CANCELLED
    assert Registration.objects.get(pk=waiting.pk).status == S.CONFIRMED


def test_account_delete_page_lists_the_registrations_it_cancels(client):
    user = UserFactory()
    upcoming = RegistrationFactory(user=user, event=EventFactory(title="Vernetzungstreffen Niedersachsen"))
    RegistrationFactory(user=user, event=EventFactory(past=True, title="Praxisfachtag 2019"), status=S.ATTENDED)
    RegistrationFactory(user=user, event=EventFactory(title="Fachtag Jugendhilfe"), status=S.CANCELLED)
    client.force_login(user)
    reauthenticated(client, user)
    response = client.get(reverse("participants:account_delete"))
    assert response.status_code == 200
    html = " ".join(response.content.decode().split())
    assert "Diese Anmeldungen werden storniert" in html
    assert "Vernetzungstreffen Niedersachsen" in html
    assert "Praxisfachtag 2019" not in html
    assert "Fachtag Jugendhilfe" not in html
    assert [r.pk for r in response.context["cancelled_registrations"]] == [upcoming.pk]


def test_account_delete_without_password_needs_a_mailed_code(client, event, data_for):
    user = UserFactory(email="ohne.passwort@example.org", password=None)
    assert not user.has_usable_password()
    registration = services.registration_create(event=event, user=user, data=data_for())
    client.force_login(user)
    mail.outbox.clear()

    response = client.post(reverse("participants:account_delete"), {"confirm": "yes"})

    assert response.status_code == 302
    assert User.objects.filter(pk=user.pk).exists()
    code_url = reverse("participants:reauthenticate_by_code")
    assert response["Location"] == f"{code_url}?next=%2Fkonto%2Floeschen%2F"
    page = client.get(response["Location"])
    assert page.status_code == 200
    assert [m.to for m in mail.outbox] == [["ohne.passwort@example.org"]]
    assert mail.outbox[0].subject == "[KOK-Praxisfachtag] Ihr Bestätigungscode"
    code = CODE_RE.search(mail.outbox[0].body).group(1)

    wrong = client.post(response["Location"], {"code": "FALSCH-00"})
    assert wrong.status_code == 200
    assert wrong.context["form"].errors == {"code": ["Falscher Code."]}
    assert User.objects.filter(pk=user.pk).exists()

    done = client.post(response["Location"], {"code": code})
    assert done.status_code == 302
    assert done["Location"] == reverse("events:home")
    assert not User.objects.filter(pk=user.pk).exists()
    assert Registration.objects.get(pk=registration.pk).status == S.CANCELLED
    assert "_auth_user_id" not in client.session


def test_account_delete_without_password_page_needs_a_code_first(client):
    user = UserFactory(password=None)
    client.force_login(user)
    response = client.get(reverse("participants:account_delete"))
    assert response["Location"].startswith(reverse("participants:reauthenticate_by_code"))


def test_reauthentication_code_is_void_after_three_wrong_attempts(client):
    user = UserFactory(email="drei.versuche@example.org", password=None)
    client.force_login(user)
    url = reverse("participants:reauthenticate_by_code")
    client.get(url)
    code = CODE_RE.search(mail.outbox[0].body).group(1)
    for _attempt in range(3):
        client.post(url, {"code": "FALSCH-00"})
    response = client.post(url, {"code": code})
    assert response.status_code == 302
    assert response["Location"] == url
    assert User.objects.filter(pk=user.pk).exists()
    assert client.get(reverse("participants:account_delete"))["Location"].startswith(url)


def test_reauthentication_by_code_not_offered_to_password_accounts(client):
    user = UserFactory()
    client.force_login(user)
    response = client.get(reverse("participants:reauthenticate_by_code"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_reauthenticate"))
    assert mail.outbox == []


def test_admin_deleting_an_account_frees_the_seat_and_anonymises(staff_client, event, data_for):
    holder = book(event, data_for, "holder@example.org")
    waiting = book(event, data_for, "waiting@example.org")
    url = reverse("admin:kokportal_user_delete", args=[holder.user_id])
    response = staff_client.post(url, {"post": "yes"})
    assert response.status_code == 302
    assert not User.objects.filter(email="holder@example.org").exists()
    holder.refresh_from_db()
    assert (holder.status, holder.email, holder.last_name) == (S.CANCELLED, "", "")
    assert Registration.objects.get(pk=waiting.pk).status == S.CONFIRMED


def test_admin_bulk_delete_goes_through_account_deletion_and_never_deletes_staff(staff_client):
    from django.contrib.admin.models import DELETION, LogEntry

    from tests.factories import StaffFactory

    first = UserFactory(email="erste@example.org")
    second = UserFactory(email="zweite@example.org")
    registration = RegistrationFactory(user=first, status=S.WAITLISTED)
    office = StaffFactory(email="buero@kok-buero.example.org")
    changelist = reverse("admin:kokportal_user_changelist")

    refused = staff_client.post(
        changelist, {"action": "delete_selected", "_selected_action": [first.pk, office.pk], "post": "yes"}
    )
    assert refused.status_code == 403
    assert User.objects.filter(pk__in=[first.pk, second.pk, office.pk]).count() == 3

    done = staff_client.post(
        changelist, {"action": "delete_selected", "_selected_action": [first.pk, second.pk], "post": "yes"}
    )
    assert done.status_code == 302
    assert list(User.objects.filter(pk__in=[first.pk, second.pk, office.pk]).values_list("pk", flat=True)) == [
        office.pk
    ]
    registration.refresh_from_db()
    assert (registration.status, registration.email) == (S.CANCELLED, "")
    assert sorted(LogEntry.objects.filter(action_flag=DELETION).values_list("object_repr", flat=True)) == sorted(
        [f"#{first.pk}", f"#{second.pk}"]
    )
