"""Retention beyond registrations: inactive accounts (warned first), orphaned organisations, the admin log."""

import datetime as dt
from io import StringIO

import pytest
from allauth.account.models import EmailAddress
from django.conf import settings as django_settings
from django.contrib.admin.models import ADDITION, CHANGE, LogEntry
from django.contrib.contenttypes.models import ContentType
from django.core import mail
from django.core.management import call_command
from django.utils import formats, timezone, translation

from events.models import Organisation
from kokportal.models import User
from participants import privacy
from participants.enums import RegistrationStatus as S
from participants.models import Profile, Registration
from participants.privacy import account_delete, months_before
from tests.factories import (
    EventFactory,
    EventTeamMemberFactory,
    OrganisationFactory,
    RegistrationFactory,
    StaffFactory,
    UserFactory,
    organisation_type,
)

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()
WARNING_DAYS = 28


@pytest.fixture(autouse=True)
def _retention_settings(settings):
    settings.KOKPORTAL = {**settings.KOKPORTAL, "RETENTION_MONTHS": 6, "INACTIVE_ACCOUNT_WARNING_DAYS": WARNING_DAYS}


def at(day: dt.date, hour: int = 12) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour)))


def days_ago(days: int) -> dt.date:
    return TODAY - dt.timedelta(days=days)


def demo_person(email: str, last_login: dt.date | None, joined: dt.date | None = None, **kwargs) -> User:
    """A participant whose profile was filled in by a registration (name, phone, function, organisation)."""
    organisation = kwargs.pop("organisation", None) or OrganisationFactory()
    user = UserFactory(
        email=email,
        first_name="Aylin",
        last_name="Weber",
        last_login=at(last_login) if last_login else None,
        date_joined=at(joined or days_ago(700)),
        **kwargs,
    )
    Profile.objects.create(
        user=user,
        phone="+49 40 1234567",
        function="Beraterin",
        organisation=organisation,
        organisation_type=organisation.organisation_type,
        federal_state="HH",
    )
    EmailAddress.objects.create(user=user, email=email, verified=True, primary=True)
    return user


def test_inactive_account_is_warned_first_then_deleted(django_capture_on_commit_callbacks):
    old_event = EventFactory(past=True, date=days_ago(290), title="Praxisfachtag Mai")
    person = demo_person("inaktiv@example.org", last_login=days_ago(300))
    registration = RegistrationFactory(event=old_event, user=person, status=S.ATTENDED)

    with django_capture_on_commit_callbacks(execute=True):
        first = privacy.retention_run(now=at(TODAY))

    registration.refresh_from_db()
    person.refresh_from_db()
    assert (first.registrations_anonymised, first.accounts_warned, first.accounts_deleted) == (1, 1, 0)
    assert (registration.user_id, registration.last_name) == (None, "")
    assert person.inactivity_warned_at is not None
    with translation.override("de"):
        deletion_day = formats.date_format(TODAY + dt.timedelta(days=WARNING_DAYS), "DATE_FORMAT")
    assert [(m.to, m.subject) for m in mail.outbox] == [
        (["inaktiv@example.org"], f"[KOK-Praxisfachtag] Ihr Konto wird am {deletion_day} gelöscht")
    ]
    body = mail.outbox[0].body
    assert "Guten Tag Aylin Weber," in body
    assert f"am {deletion_day}" in body
    assert f"{django_settings.SITE_URL}/konto/login/" in body

    # The next days: warned already, not yet due.
    with django_capture_on_commit_callbacks(execute=True):
        again = privacy.retention_run(now=at(TODAY + dt.timedelta(days=WARNING_DAYS - 1)))
    assert (again.accounts_warned, again.accounts_deleted) == (0, 0)
    assert User.objects.filter(pk=person.pk).exists()
    assert len(mail.outbox) == 1

    due = privacy.retention_run(now=at(TODAY + dt.timedelta(days=WARNING_DAYS)))
    assert (due.accounts_warned, due.accounts_deleted) == (0, 1)
    assert not User.objects.filter(email="inaktiv@example.org").exists()
    assert EmailAddress.objects.filter(email="inaktiv@example.org").count() == 0
    assert Registration.objects.filter(pk=registration.pk, status=S.ATTENDED, anonymised_at__isnull=False).count() == 1


def test_logging_in_after_the_warning_keeps_the_account():
    person = demo_person("kommt.wieder@example.org", last_login=days_ago(300))
    assert privacy.retention_run(now=at(TODAY)).accounts_warned == 1
    person.refresh_from_db()
    person.last_login = at(TODAY + dt.timedelta(days=3))
    person.save(update_fields=["last_login"])
    report = privacy.retention_run(now=at(TODAY + dt.timedelta(days=WARNING_DAYS)))
    assert (report.accounts_warned, report.accounts_deleted) == (0, 0)
    assert User.objects.filter(pk=person.pk).exists()


def test_active_and_protected_accounts_are_neither_warned_nor_deleted():
    cutoff_side = days_ago(300)  # more than six months ago
    demo_person("recent.login@example.org", last_login=days_ago(30))
    demo_person("new.never.logged.in@example.org", last_login=None, joined=days_ago(20))
    upcoming = demo_person("upcoming@example.org", last_login=cutoff_side)
    RegistrationFactory(user=upcoming, event=EventFactory(date=TODAY + dt.timedelta(days=40)), status=S.WAITLISTED)
    recent_event = demo_person("recent.event@example.org", last_login=cutoff_side)
    RegistrationFactory(user=recent_event, event=EventFactory(past=True, date=days_ago(20)))
    team = demo_person("co.organiser@example.org", last_login=cutoff_side)
    EventTeamMemberFactory(user=team, event=EventFactory(date=TODAY + dt.timedelta(days=10)))
    StaffFactory(email="office@kok-buero.example.org", last_login=at(cutoff_side))
    UserFactory(email="root@example.org", is_superuser=True, last_login=at(cutoff_side))
    before = User.objects.count()

    report = privacy.retention_run(now=at(TODAY + dt.timedelta(days=2 * WARNING_DAYS)))

    assert (report.accounts_warned, report.accounts_deleted) == (0, 0)
    assert User.objects.count() == before == 7
    assert mail.outbox == []


def test_never_logged_in_account_counts_from_when_it_was_created():
    demo_person("angelegt@example.org", last_login=None, joined=days_ago(300))
    assert privacy.retention_run(now=at(TODAY)).accounts_warned == 1
    assert privacy.retention_run(now=at(TODAY + dt.timedelta(days=WARNING_DAYS))).accounts_deleted == 1
    assert User.objects.count() == 0


def test_deactivated_account_is_deleted_without_a_warning_it_could_not_act_on():
    demo_person("gesperrt@example.org", last_login=days_ago(400), is_active=False)
    report = privacy.retention_run(now=at(TODAY))
    assert (report.accounts_warned, report.accounts_deleted) == (0, 1)
    assert User.objects.count() == 0
    assert mail.outbox == []


def test_orphaned_participant_organisations_are_deleted_and_others_kept():
    fbs = organisation_type("fachberatungsstelle")
    orphan = OrganisationFactory(name="Beratung Müller", organisation_type=fbs, is_reviewed=False)
    reviewed = OrganisationFactory(name="FBS Hamburg", organisation_type=fbs, is_reviewed=True)
    member = OrganisationFactory(name="KOK-Mitglied neu", organisation_type=fbs, is_reviewed=False, is_kok_member=True)
    registered = OrganisationFactory(name="Beratung Anmeldung", organisation_type=fbs, is_reviewed=False)
    RegistrationFactory(organisation=registered, event=EventFactory(past=True, date=days_ago(400)))
    in_profile = OrganisationFactory(name="Beratung Profil", organisation_type=fbs, is_reviewed=False)
    Profile.objects.create(user=UserFactory(last_login=at(TODAY)), organisation=in_profile)
    co_organiser = OrganisationFactory(name="Mitveranstalterin", organisation_type=fbs, is_reviewed=False)
    EventFactory().co_organisers.add(co_organiser)
    assert Organisation.objects.count() == 6

    report = privacy.retention_run(now=at(TODAY))

    assert report.organisations_deleted == 1
    assert set(Organisation.objects.values_list("name", flat=True)) == {
        reviewed.name,
        member.name,
        registered.name,
        in_profile.name,
        co_organiser.name,
    }
    assert not Organisation.objects.filter(pk=orphan.pk).exists()


def test_account_delete_removes_the_organisation_only_that_person_entered():
    fbs = organisation_type("fachberatungsstelle")
    own = OrganisationFactory(name="Beratungsstelle Weber", organisation_type=fbs, is_reviewed=False)
    person = UserFactory()
    Profile.objects.create(user=person, organisation=own, organisation_type=fbs)
    shared = OrganisationFactory(name="Beratung geteilt", organisation_type=fbs, is_reviewed=False)
    other = UserFactory()
    Profile.objects.create(user=other, organisation=shared, organisation_type=fbs)
    second = UserFactory()
    Profile.objects.create(user=second, organisation=shared, organisation_type=fbs)
    account_delete(user=person)
    account_delete(user=other)
    assert not Organisation.objects.filter(pk=own.pk).exists()
    assert Organisation.objects.filter(pk=shared.pk).exists()
    assert User.objects.filter(pk=second.pk).exists()


def test_old_admin_log_entries_are_anonymised_recent_ones_kept(staff_user):
    user_type = ContentType.objects.get_for_model(User)
    old = LogEntry.objects.create(
        user=staff_user,
        content_type=user_type,
        object_id="41",
        object_repr="aylin.weber@example.org",
        action_flag=CHANGE,
        change_message='[{"changed": {"fields": ["E-Mail-Adresse"]}}]',
    )
    LogEntry.objects.filter(pk=old.pk).update(action_time=at(months_before(TODAY, 6) - dt.timedelta(days=1)))
    recent = LogEntry.objects.create(
        user=staff_user,
        content_type=user_type,
        object_id="42",
        object_repr="ben.meyer@example.org",
        action_flag=ADDITION,
        change_message='[{"added": {}}]',
    )
    LogEntry.objects.filter(pk=recent.pk).update(action_time=at(months_before(TODAY, 6) + dt.timedelta(days=1)))

    report = privacy.retention_run(now=at(TODAY))

    old.refresh_from_db()
    recent.refresh_from_db()
    assert report.log_entries_anonymised == 1
    assert (old.object_id, old.object_repr, old.change_message) == ("41", "#41", "")
    assert (recent.object_repr, recent.change_message) == ("ben.meyer@example.org", '[{"added": {}}]')
    assert privacy.retention_run(now=at(TODAY)).log_entries_anonymised == 0  # idempotent


def test_account_delete_anonymises_admin_log_entries_about_the_person(staff_user):
    person = UserFactory(email="weg@example.org")
    kept = UserFactory(email="bleibt@example.org")
    user_type = ContentType.objects.get_for_model(User)
    for target in (person, kept):
        LogEntry.objects.create(
            user=staff_user,
            content_type=user_type,
            object_id=str(target.pk),
            object_repr=target.email,
            action_flag=CHANGE,
            change_message="[]",
        )
    registration = RegistrationFactory(user=person)
    LogEntry.objects.create(
        user=staff_user,
        content_type=ContentType.objects.get_for_model(Registration),
        object_id=str(registration.pk),
        object_repr=str(registration),
        action_flag=CHANGE,
        change_message="[]",
    )
    person_id = person.pk
    account_delete(user=person)
    assert sorted(LogEntry.objects.values_list("object_repr", flat=True)) == sorted(
        [f"#{person_id}", f"#{registration.pk}", "bleibt@example.org"]
    )
    assert sorted(LogEntry.objects.values_list("change_message", flat=True)) == ["", "", "[]"]


def test_purge_command_reports_every_step():
    demo_person("inaktiv@example.org", last_login=days_ago(400))
    RegistrationFactory(event=EventFactory(past=True, date=days_ago(400)), status=S.ATTENDED)
    out = StringIO()
    call_command("purge_personal_data", stdout=out)
    assert out.getvalue().splitlines() == [
        "1 registration(s) anonymised.",
        "1 account(s) warned of deletion.",
        "0 inactive account(s) deleted.",
        "0 organisation(s) deleted.",
        "0 admin log entry(ies) anonymised.",
    ]
