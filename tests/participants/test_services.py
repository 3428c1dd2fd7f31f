import datetime as dt
from dataclasses import replace

import pytest
from django.core import mail
from django.utils import timezone

from events.enums import EventStatus, RegistrationMode
from events.models import Event, Quota
from participants import errors, services
from participants.enums import RegistrationStatus as S
from participants.models import Profile, Registration
from participants.selectors import event_availability, waitlist_position
from tests.factories import (
    EventFactory,
    QuotaFactory,
    RegistrationFactory,
    StaffFactory,
    UserFactory,
    organisation_type,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def event():
    """2019-style event: 2 seats for counselling centres, 1 for BAMF officers, 4 in total."""
    fbs, bamf, kok = organisation_type("fachberatungsstelle"), organisation_type("bamf"), organisation_type("kok")
    event = EventFactory(invited=[fbs, bamf, kok], capacity=4)
    QuotaFactory(event=event, organisation_type=fbs, seats=2)
    QuotaFactory(event=event, organisation_type=bamf, seats=1)
    return event


def register(event, data_for, type_slug="fachberatungsstelle", user=None, **kw):
    return services.registration_create(event=event, user=user or UserFactory(), data=data_for(type_slug, **kw))


def test_register_open_event_with_free_seat_is_confirmed(event, data_for, django_capture_on_commit_callbacks):
    user = UserFactory(email="aylin.weber@example.org")
    with django_capture_on_commit_callbacks(execute=True):
        registration = register(event, data_for, user=user)
    assert registration.status == S.CONFIRMED
    assert registration.confirmed_at is not None
    assert registration.email == "aylin.weber@example.org"
    assert registration.privacy_consent_version == "2026-11"
    assert [m.to for m in mail.outbox] == [["aylin.weber@example.org"]]
    assert mail.outbox[0].subject == f"[KOK-Praxisfachtag] Ihre Teilnahme ist bestätigt: {event.title}"
    filename, content, mimetype = mail.outbox[0].attachments[0]
    assert (filename, mimetype) == ("praxisfachtag.ics", "text/calendar")
    assert f"SUMMARY:{event.title}" in (content.decode() if isinstance(content, bytes) else content)
    assert mail.outbox[0].alternatives[0][1] == "text/html"


def test_register_moderated_event_is_pending_and_holds_seat(event, data_for, django_capture_on_commit_callbacks):
    event.registration_mode = RegistrationMode.MODERATED
    event.save()
    with django_capture_on_commit_callbacks(execute=True):
        registration = register(event, data_for, type_slug="bamf")
    assert registration.status == S.PENDING
    assert event_availability(event).free_for(organisation_type("bamf").pk) == 0
    assert mail.outbox[0].subject.startswith("[KOK-Praxisfachtag] Ihre Anmeldung ist eingegangen")


def test_register_full_type_goes_to_waitlist_with_position(event, data_for, django_capture_on_commit_callbacks):
    register(event, data_for)
    register(event, data_for)
    with django_capture_on_commit_callbacks(execute=True):
        third = register(event, data_for)
    fourth = register(event, data_for)
    assert (third.status, fourth.status) == (S.WAITLISTED, S.WAITLISTED)
    assert (waitlist_position(third), waitlist_position(fourth)) == (1, 2)
    assert mail.outbox[-1].subject.startswith("[KOK-Praxisfachtag] Sie stehen auf der Warteliste")
    assert "Ihr Platz auf der Warteliste: 1" in mail.outbox[-1].body
    # Another type still has its own seat.
    assert register(event, data_for, type_slug="bamf").status == S.CONFIRMED


def test_register_type_without_quota_shares_what_total_leaves(event, data_for):
    # capacity 4 - quotas (2 + 1) = 1 shared seat for the KOK office.
    assert register(event, data_for, type_slug="kok").status == S.CONFIRMED
    assert register(event, data_for, type_slug="kok").status == S.WAITLISTED


def test_register_total_capacity_caps_quotas(data_for):
    fbs = organisation_type("fachberatungsstelle")
    event = EventFactory(invited=[fbs], capacity=1)
    QuotaFactory(event=event, organisation_type=fbs, seats=5)
    assert register(event, data_for).status == S.CONFIRMED
    assert register(event, data_for).status == S.WAITLISTED


def test_register_no_quota_no_capacity_is_unlimited(data_for):
    event = EventFactory(capacity=None)
    statuses = {register(event, data_for).status for _ in range(5)}
    assert statuses == {S.CONFIRMED}


def test_register_newcomer_does_not_overtake_waitlist(event, data_for):
    register(event, data_for)
    first = register(event, data_for)
    waiting = register(event, data_for)
    # A seat is freed without promotion (e.g. by a data fix); the next newcomer still queues behind.
    Registration.objects.filter(pk=first.pk).update(status=S.CANCELLED)
    assert register(event, data_for).status == S.WAITLISTED
    assert waitlist_position(waiting) == 1


def test_register_type_not_invited_is_refused(event, data_for):
    with pytest.raises(errors.TypeNotInvited):
        register(event, data_for, type_slug="jugendhilfe")


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"registration_opens": 1}, "Die Anmeldung öffnet am"),
        ({"registration_closes": -1}, "Die Anmeldung ist geschlossen."),
        ({"status": EventStatus.CANCELLED}, "Diese Veranstaltung wurde abgesagt."),
        ({"status": EventStatus.DRAFT}, "Für diese Veranstaltung ist die Anmeldung nicht geöffnet."),
    ],
)
def test_register_outside_window_or_unpublished_is_refused(event, data_for, changes, message):
    now = timezone.now()
    for field, value in changes.items():
        if field.startswith("registration_"):
            value = now + dt.timedelta(days=value)
            if field == "registration_closes":
                event.registration_opens = now - dt.timedelta(days=5)
        setattr(event, field, value)
    event.save()
    with pytest.raises(errors.RegistrationClosed) as excinfo:
        register(event, data_for)
    assert str(excinfo.value.message).startswith(message)
    assert Registration.objects.count() == 0


def test_register_twice_is_refused(event, data_for):
    user = UserFactory()
    register(event, data_for, user=user)
    with pytest.raises(errors.AlreadyRegistered):
        register(event, data_for, user=user)
    assert Registration.objects.filter(user=user).count() == 1


def test_register_again_after_cancelling_is_allowed(event, data_for):
    user = UserFactory()
    first = register(event, data_for, user=user)
    services.registration_cancel(registration=first, by=user)
    assert register(event, data_for, user=user).status == S.CONFIRMED


def test_register_new_organisation_is_created_for_review(event, data_for):
    data = replace(
        data_for(), organisation=None, new_organisation_name="Beratungsstelle Neuland", new_organisation_city="Kiel"
    )
    registration = services.registration_create(event=event, user=UserFactory(), data=data)
    organisation = registration.organisation
    assert (organisation.name, organisation.city, organisation.is_reviewed) == (
        "Beratungsstelle Neuland",
        "Kiel",
        False,
    )
    assert organisation.organisation_type.slug == "fachberatungsstelle"
    again = services.registration_create(event=event, user=UserFactory(), data=data)
    assert again.organisation == organisation


def test_register_updates_profile_for_next_time(event, data_for):
    user = UserFactory()
    register(event, data_for, user=user, type_slug="bamf", function="Sonderbeauftragte")
    profile = Profile.objects.get(user=user)
    assert (profile.organisation_type.slug, profile.function, profile.federal_state) == (
        "bamf",
        "Sonderbeauftragte",
        "HH",
    )


def test_cancel_promotes_first_waitlisted_of_same_type(event, data_for, django_capture_on_commit_callbacks):
    holder = register(event, data_for)
    register(event, data_for)
    first_waiting = register(event, data_for)
    second_waiting = register(event, data_for)
    register(event, data_for, type_slug="bamf")
    waiting_bamf = register(event, data_for, type_slug="bamf")
    with django_capture_on_commit_callbacks(execute=True):
        services.registration_cancel(registration=holder, by=holder.user)
    first_waiting.refresh_from_db()
    second_waiting.refresh_from_db()
    waiting_bamf.refresh_from_db()
    assert (first_waiting.status, second_waiting.status, waiting_bamf.status) == (
        S.CONFIRMED,
        S.WAITLISTED,
        S.WAITLISTED,
    )
    assert waitlist_position(second_waiting) == 1
    subjects = sorted(m.subject.split(":")[0] for m in mail.outbox)
    assert subjects == [
        "[KOK-Praxisfachtag] Ein Platz ist frei geworden",
        "[KOK-Praxisfachtag] Ihre Anmeldung ist storniert",
    ]


def test_cancel_in_moderated_event_promotes_to_pending(event, data_for):
    event.registration_mode = RegistrationMode.MODERATED
    event.save()
    holder = register(event, data_for, type_slug="bamf")
    waiting = register(event, data_for, type_slug="bamf")
    services.registration_cancel(registration=holder, by=holder.user)
    waiting.refresh_from_db()
    assert waiting.status == S.PENDING


def test_reject_frees_seat_and_promotes(event, data_for):
    event.registration_mode = RegistrationMode.MODERATED
    event.save()
    pending = register(event, data_for, type_slug="bamf")
    waiting = register(event, data_for, type_slug="bamf")
    services.registration_reject(registration=pending, by=StaffFactory())
    pending.refresh_from_db()
    waiting.refresh_from_db()
    assert (pending.status, waiting.status) == (S.REJECTED, S.PENDING)


def test_approve_confirms_pending(event, data_for, django_capture_on_commit_callbacks):
    event.registration_mode = RegistrationMode.MODERATED
    event.save()
    pending = register(event, data_for)
    staff = StaffFactory()
    with django_capture_on_commit_callbacks(execute=True):
        services.registration_approve(registration=pending, by=staff)
    pending.refresh_from_db()
    assert (pending.status, pending.decided_by) == (S.CONFIRMED, staff)
    assert mail.outbox[-1].subject.startswith("[KOK-Praxisfachtag] Ihre Teilnahme ist bestätigt")


def test_approve_confirmed_registration_is_invalid(event, data_for):
    with pytest.raises(errors.InvalidTransition):
        services.registration_approve(registration=register(event, data_for), by=StaffFactory())


def test_raised_quota_promotes_waitlisted(event, data_for):
    register(event, data_for, type_slug="bamf")
    waiting = register(event, data_for, type_slug="bamf")
    event.quotas.filter(organisation_type__slug="bamf").update(seats=2)
    promoted = services.seats_changed(event=event)
    waiting.refresh_from_db()
    assert promoted == [waiting]
    assert waiting.status == S.CONFIRMED


def test_staff_promote_by_hand_only_into_free_seat(event, data_for):
    register(event, data_for, type_slug="bamf")
    waiting = register(event, data_for, type_slug="bamf")
    with pytest.raises(errors.NoSeatAvailable):
        services.registration_promote(registration=waiting, by=StaffFactory())
    event.capacity = 5
    event.save()
    event.quotas.filter(organisation_type__slug="bamf").update(seats=2)
    services.registration_promote(registration=waiting, by=StaffFactory())
    waiting.refresh_from_db()
    assert waiting.status == S.CONFIRMED


def test_participant_cannot_cancel_after_deadline(event, data_for):
    registration = register(event, data_for)
    event.cancellation_deadline = timezone.now() - dt.timedelta(minutes=1)
    event.save()
    with pytest.raises(errors.CancellationDeadlinePassed):
        services.registration_cancel(registration=registration, by=registration.user)
    services.registration_cancel(registration=registration, by=StaffFactory())
    registration.refresh_from_db()
    assert registration.status == S.CANCELLED


def test_participant_cannot_cancel_someone_else(event, data_for):
    registration = register(event, data_for)
    with pytest.raises(errors.InvalidTransition):
        services.registration_cancel(registration=registration, by=UserFactory())


def test_cancel_twice_is_invalid(event, data_for):
    registration = register(event, data_for)
    services.registration_cancel(registration=registration, by=registration.user)
    with pytest.raises(errors.InvalidTransition):
        services.registration_cancel(registration=registration, by=registration.user)


def test_mark_attended_only_from_confirmed(event, data_for):
    registration = register(event, data_for)
    with pytest.raises(errors.AttendanceTooEarly):  # the event is still weeks ahead
        services.registration_mark_attended(registration=registration, by=StaffFactory())
    Event.objects.filter(pk=event.pk).update(date=timezone.localdate())  # the day has come
    services.registration_mark_attended(registration=registration, by=StaffFactory())
    registration.refresh_from_db()
    assert registration.status == S.ATTENDED
    waiting = RegistrationFactory(event=event, status=S.WAITLISTED)
    with pytest.raises(errors.InvalidTransition):
        services.registration_mark_attended(registration=waiting, by=StaffFactory())


def test_mail_failure_keeps_registration_and_logs_without_address(
    event, data_for, django_capture_on_commit_callbacks, monkeypatch, caplog
):
    def broken_send(*args, **kwargs):
        raise ConnectionRefusedError("smtp down for aylin.weber@example.org")

    monkeypatch.setattr("django.core.mail.EmailMultiAlternatives.send", broken_send)
    user = UserFactory(email="aylin.weber@example.org")
    with django_capture_on_commit_callbacks(execute=True):
        registration = register(event, data_for, user=user)
    assert Registration.objects.get(pk=registration.pk).status == S.CONFIRMED
    assert "registration mail failed" in caplog.text
    assert "aylin.weber@example.org" not in "".join(r.getMessage() for r in caplog.records)


def test_mail_is_in_the_persons_language(event, data_for, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        register(event, data_for, language="en")
    assert mail.outbox[0].subject == f"[KOK-Praxisfachtag] Your participation is confirmed: {event.title}"
    assert "Dear Aylin Weber," in mail.outbox[0].body


@pytest.mark.parametrize("waiting", [2, 12])
def test_waitlist_promote_counts_once_whatever_the_length_of_the_list(
    event, data_for, django_assert_num_queries, waiting
):
    """Inside the event lock: waiting list, seat counts and quotas, invited types, one update of everybody who
    moves up. 4 queries for 2 or 12 people waiting, of whom 3 fit after the quota is raised."""
    fbs = organisation_type("fachberatungsstelle")
    for _ in range(2 + waiting):
        register(event, data_for)  # the quota of 2 fills, the rest waits
    Quota.objects.filter(event=event, organisation_type=fbs).update(seats=5)
    event.capacity = None
    event.save(update_fields=["capacity"])

    with django_assert_num_queries(4):
        promoted = services.waitlist_promote(event=event)

    assert len(promoted) == min(3, waiting)
    assert Registration.objects.filter(event=event, status=S.CONFIRMED).count() == 2 + min(3, waiting)
    assert Registration.objects.filter(event=event, status=S.WAITLISTED).count() == waiting - min(3, waiting)


def test_attendance_is_never_recorded_for_a_draft_or_cancelled_event(event, data_for):
    registration = register(event, data_for)
    for status in ("draft", "cancelled"):
        Event.objects.filter(pk=event.pk).update(date=timezone.localdate() - dt.timedelta(days=1), status=status)
        with pytest.raises(errors.AttendanceTooEarly):
            services.registration_mark_attended(registration=registration, by=StaffFactory())
    registration.refresh_from_db()
    assert registration.status == S.CONFIRMED
