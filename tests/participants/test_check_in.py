"""Check-in on the day: the services (check in, undo: who, when, from which status), the page and its one-tap JSON
endpoint (CSRF, permission, counts), its query count, and the signed links on the badges (valid, forged, altered,
another event's)."""

import datetime as dt

import pytest
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from events.enums import EventStatus, TeamRole
from kokportal.models import AuditLogEntry
from participants import errors, services
from participants.check_in_links import check_in_path, check_in_token, check_in_url, registration_id_from_token
from participants.enums import RegistrationStatus
from participants.models import Registration
from participants.permissions import check_in_open, check_in_window
from tests.auth import login
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

S = RegistrationStatus


@pytest.fixture
def today_event():
    return EventFactory(date=timezone.localdate(), title="Praxisfachtag Berlin")


@pytest.fixture
def team_member(today_event):
    member = UserFactory()
    EventTeamMemberFactory(event=today_event, user=member, role=TeamRole.CO_ORGANISER)
    return member


@pytest.fixture
def team_client(team_member):
    return login(Client(), team_member)


def _at(day: dt.date, hour: int, minute: int = 0) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour, minute)))


def _audit(action: str) -> list[dict]:
    return list(AuditLogEntry.objects.filter(action=action).values("actor_id", "subject_id", "detail"))


# --- the window -----------------------------------------------------------------------------------------------------


def test_check_in_window_from_the_day_before_to_the_end_of_the_day_after(today_event):
    day = today_event.date
    opens, closes = check_in_window(today_event)

    assert (opens, closes) == (_at(day - dt.timedelta(days=1), 0), _at(day + dt.timedelta(days=2), 0))
    assert check_in_open(today_event, now=_at(day - dt.timedelta(days=1), 0)) is True
    assert check_in_open(today_event, now=_at(day + dt.timedelta(days=1), 23, 59)) is True
    assert check_in_open(today_event, now=_at(day - dt.timedelta(days=2), 23, 59)) is False
    assert check_in_open(today_event, now=_at(day + dt.timedelta(days=2), 0)) is False


def test_check_in_window_closed_for_a_cancelled_event(today_event):
    today_event.status = EventStatus.CANCELLED
    today_event.save()

    assert check_in_open(today_event) is False


# --- services -------------------------------------------------------------------------------------------------------


def test_check_in_by_the_team_marks_attended_and_is_audit_logged(today_event, team_member):
    registration = RegistrationFactory(event=today_event)

    services.registration_check_in(registration=registration, by=team_member)

    registration.refresh_from_db()
    assert (registration.status, registration.decided_by) == (S.ATTENDED, team_member)
    assert _audit("check_in") == [
        {"actor_id": team_member.pk, "subject_id": today_event.pk, "detail": {"registration_id": registration.pk}}
    ]
    entry = AuditLogEntry.objects.get(action="check_in")
    assert entry.subject_type == ContentType.objects.get_for_model(today_event)


def test_check_in_twice_changes_nothing_the_second_time(today_event, team_member):
    registration = RegistrationFactory(event=today_event)

    services.registration_check_in(registration=registration, by=team_member)
    services.registration_check_in(registration=registration, by=team_member)

    registration.refresh_from_db()
    assert registration.status == S.ATTENDED
    assert len(_audit("check_in")) == 1


def test_check_in_undo_goes_back_to_confirmed_and_is_audit_logged(today_event, team_member):
    registration = RegistrationFactory(event=today_event, status=S.ATTENDED)

    services.registration_check_in_undo(registration=registration, by=team_member)
    services.registration_check_in_undo(registration=registration, by=team_member)  # a retried tap

    registration.refresh_from_db()
    assert registration.status == S.CONFIRMED
    assert _audit("check_in_undo") == [
        {"actor_id": team_member.pk, "subject_id": today_event.pk, "detail": {"registration_id": registration.pk}}
    ]


def test_check_in_undo_revokes_the_certificate(today_event, team_member, client):
    """A check-in taken back at the door also takes back a certificate already issued (its link stops confirming)."""
    registration = RegistrationFactory(event=today_event, status=S.ATTENDED)
    certificate = services.certificate_issue(registration=registration)
    verify = reverse("participants:certificate_verify", kwargs={"code": certificate.code})
    assert "gültig" in client.get(verify).text

    services.registration_check_in_undo(registration=registration, by=team_member)

    certificate.refresh_from_db()
    assert certificate.revoked_at is not None
    assert certificate.is_valid is False


def test_check_in_by_staff(today_event):
    registration = RegistrationFactory(event=today_event)

    services.registration_check_in(registration=registration, by=StaffFactory())

    registration.refresh_from_db()
    assert registration.status == S.ATTENDED


@pytest.mark.parametrize("status", [S.WAITLISTED, S.CANCELLED, S.PENDING, S.REJECTED])
def test_check_in_refused_without_a_seat(today_event, team_member, status):
    registration = RegistrationFactory(event=today_event, status=status)

    with pytest.raises(errors.CheckInNotExpected):
        services.registration_check_in(registration=registration, by=team_member)
    with pytest.raises(errors.InvalidTransition):
        services.registration_check_in_undo(registration=registration, by=team_member)

    registration.refresh_from_db()
    assert registration.status == status
    assert AuditLogEntry.objects.count() == 0


def test_check_in_refused_for_the_wrong_role(today_event):
    registration = RegistrationFactory(event=today_event)
    other_team = UserFactory()
    EventTeamMemberFactory(event=EventFactory(date=today_event.date), user=other_team)
    participant = RegistrationFactory(event=today_event).user

    for person in (other_team, participant, StaffFactory(mfa=False)):
        with pytest.raises(errors.CheckInNotAllowed):
            services.registration_check_in(registration=registration, by=person)
    attended = RegistrationFactory(event=today_event, status=S.ATTENDED)
    with pytest.raises(errors.CheckInNotAllowed):
        services.registration_check_in_undo(registration=attended, by=other_team)

    assert sorted(Registration.objects.values_list("status", flat=True)) == [S.ATTENDED, S.CONFIRMED, S.CONFIRMED]


def test_check_in_refused_outside_the_window(team_member, today_event):
    registration = RegistrationFactory(event=today_event)
    attended = RegistrationFactory(event=today_event, status=S.ATTENDED)
    two_days_before = _at(today_event.date - dt.timedelta(days=2), 12)

    with pytest.raises(errors.CheckInClosed):
        services.registration_check_in(registration=registration, by=team_member, now=two_days_before)
    with pytest.raises(errors.CheckInClosed):
        services.registration_check_in_undo(registration=attended, by=StaffFactory(), now=two_days_before)
    services.registration_check_in(
        registration=registration, by=team_member, now=_at(today_event.date - dt.timedelta(days=1), 8)
    )

    registration.refresh_from_db()
    attended.refresh_from_db()
    assert (registration.status, attended.status) == (S.ATTENDED, S.ATTENDED)


def test_mark_attended_in_the_admin_is_for_staff_only(today_event, team_member):
    registration = RegistrationFactory(event=today_event)

    with pytest.raises(errors.CheckInNotAllowed):
        services.registration_mark_attended(registration=registration, by=team_member)
    services.registration_mark_attended(registration=registration, by=StaffFactory())

    registration.refresh_from_db()
    assert registration.status == S.ATTENDED


# --- the page -------------------------------------------------------------------------------------------------------


def _page(client, event, **params):
    return client.get(reverse("participants:check_in", kwargs={"slug": event.slug}), params)


def test_check_in_page_lists_everyone_with_one_button_for_those_expected(today_event, team_client):
    RegistrationFactory(event=today_event, first_name="Aylin", last_name="Weber")
    RegistrationFactory(event=today_event, first_name="Jonas", last_name="Becker", status=S.ATTENDED)
    RegistrationFactory(event=today_event, first_name="Lea", last_name="Zander", status=S.WAITLISTED)
    RegistrationFactory(event=today_event, first_name="Ole", last_name="Adam", status=S.CANCELLED)

    response = _page(team_client, today_event)

    assert response.status_code == 200
    rows = response.context["rows"]
    assert [(r.last_name, state["status"], state["action"]) for r, state in rows] == [
        ("Adam", S.CANCELLED, ""),
        ("Becker", S.ATTENDED, "undo"),
        ("Weber", S.CONFIRMED, "attend"),
        ("Zander", S.WAITLISTED, ""),
    ]
    html = response.content.decode()
    assert html.count("data-check-in-form") == 2
    assert 'src="/static/js/check-in.js"' in html
    assert "<script>" not in html


def test_check_in_page_counts_by_type(today_event, team_client):
    fbs, bamf = organisation_type("fachberatungsstelle"), organisation_type("bamf")
    for status in (S.ATTENDED, S.CONFIRMED, S.CONFIRMED, S.WAITLISTED):
        RegistrationFactory(event=today_event, organisation=OrganisationFactory(organisation_type=fbs), status=status)
    RegistrationFactory(event=today_event, organisation=OrganisationFactory(organisation_type=bamf), status=S.ATTENDED)

    counts = _page(team_client, today_event).context["counts"]

    assert [(row.label, row.attended, row.expected) for row in counts.by_type] == [
        ("Fachberatungsstelle", 1, 3),
        ("BAMF-Sonderbeauftragte", 1, 1),
    ]
    assert (counts.total.attended, counts.total.expected) == (2, 4)


def test_check_in_page_search_on_the_server(today_event, team_client):
    RegistrationFactory(event=today_event, first_name="Aylin", last_name="Weber")
    RegistrationFactory(
        event=today_event,
        first_name="Jonas",
        last_name="Becker",
        organisation=OrganisationFactory(name="Ban Ying e.V."),
    )

    by_name = _page(team_client, today_event, q="weber")
    by_organisation = _page(team_client, today_event, q="ban ying")

    assert [r.last_name for r, _state in by_name.context["rows"]] == ["Weber"]
    assert [r.last_name for r, _state in by_organisation.context["rows"]] == ["Becker"]
    assert (by_name.context["counts"].total.expected, by_organisation.context["counts"].total.expected) == (2, 2)


def test_check_in_page_without_buttons_outside_the_window(team_member):
    event = EventFactory(date=timezone.localdate() + dt.timedelta(days=5))
    EventTeamMemberFactory(event=event, user=team_member)
    RegistrationFactory(event=event)

    response = _page(login(Client(), team_member), event)

    assert response.status_code == 200
    assert [state["action"] for _r, state in response.context["rows"]] == [""]
    assert "data-check-in-form" not in response.content.decode()


def test_check_in_page_not_for_participants_or_other_teams(today_event):
    registration = RegistrationFactory(event=today_event)
    other_team = UserFactory()
    EventTeamMemberFactory(event=EventFactory(), user=other_team)

    assert _page(login(Client(), registration.user), today_event).status_code == 404
    assert _page(login(Client(), other_team), today_event).status_code == 404
    assert _page(Client(), today_event).status_code == 302


@pytest.mark.parametrize("rows", [5, 50])
def test_check_in_page_query_count_does_not_grow(today_event, team_client, django_assert_num_queries, rows):
    types = [organisation_type("fachberatungsstelle"), organisation_type("bamf"), organisation_type("jugendhilfe")]
    organisations = [OrganisationFactory(organisation_type=t) for t in types]
    for i in range(rows):
        RegistrationFactory(
            event=today_event, organisation=organisations[i % 3], status=(S.CONFIRMED, S.ATTENDED)[i % 2]
        )

    # session, user, event, team role, registrations, counts
    with django_assert_num_queries(6):
        response = _page(team_client, today_event)

    assert len(response.context["rows"]) == rows


# --- the one-tap endpoint -------------------------------------------------------------------------------------------


def _tap(client, registration, action, *, json=True, **extra):
    url = reverse("participants:check_in_update", kwargs={"slug": registration.event.slug, "pk": registration.pk})
    headers = {"Accept": "application/json"} if json else {}
    return client.post(url, {"action": action, **extra}, headers=headers)


def test_tap_answers_json_with_the_row_and_the_counts(today_event, team_client):
    registration = RegistrationFactory(event=today_event)
    RegistrationFactory(event=today_event, status=S.ATTENDED)
    type_id = registration.organisation_type_id

    attended = _tap(team_client, registration, "attend")
    undone = _tap(team_client, registration, "undo")

    assert attended.status_code == 200
    assert attended.json() == {
        "id": registration.pk,
        "status": "attended",
        "status_label": "anwesend",
        "action": "undo",
        "counts": {
            "types": [{"type": type_id, "attended": 2, "expected": 2}],
            "total": {"type": None, "attended": 2, "expected": 2},
        },
    }
    assert undone.json() == {
        "id": registration.pk,
        "status": "confirmed",
        "status_label": "bestätigt",
        "action": "attend",
        "counts": {
            "types": [{"type": type_id, "attended": 1, "expected": 2}],
            "total": {"type": None, "attended": 1, "expected": 2},
        },
    }


def test_tap_refused_answers_409_with_the_reason(today_event, team_client):
    registration = RegistrationFactory(event=today_event, status=S.WAITLISTED)

    response = _tap(team_client, registration, "attend")

    assert response.status_code == 409
    assert response.json()["status"] == "waitlisted"
    assert response.json()["action"] == ""
    assert response.json()["error"] == str(errors.CheckInNotExpected.default_message)


def test_tap_unknown_action(today_event, team_client):
    registration = RegistrationFactory(event=today_event)

    response = _tap(team_client, registration, "delete")

    assert response.status_code == 400
    registration.refresh_from_db()
    assert registration.status == S.CONFIRMED


def test_tap_without_javascript_redirects_back_with_a_message(today_event, team_client):
    registration = RegistrationFactory(event=today_event, first_name="Aylin", last_name="Weber")
    back = reverse("participants:check_in", kwargs={"slug": today_event.slug}) + "?q=Weber"

    response = _tap(team_client, registration, "attend", json=False, next=back)
    evil = _tap(team_client, registration, "undo", json=False, next="https://evil.example.org/")

    assert (response.status_code, response["Location"]) == (302, back)
    assert evil["Location"] == reverse("participants:check_in", kwargs={"slug": today_event.slug})
    page = team_client.get(back)
    assert "Aylin Weber ist als anwesend vermerkt." in page.content.decode()


def test_tap_needs_the_csrf_token(today_event, team_member):
    registration = RegistrationFactory(event=today_event)
    client = login(Client(enforce_csrf_checks=True), team_member)

    refused = _tap(client, registration, "attend")
    page = _page(client, today_event)
    token = page.context["csrf_token"]
    accepted = _tap(client, registration, "attend", csrfmiddlewaretoken=str(token))

    assert refused.status_code == 403
    assert accepted.status_code == 200
    registration.refresh_from_db()
    assert registration.status == S.ATTENDED


def test_tap_not_for_participants_other_teams_or_another_events_registration(today_event, team_client):
    registration = RegistrationFactory(event=today_event)
    other_event = EventFactory(date=today_event.date)
    elsewhere = RegistrationFactory(event=other_event)
    url = reverse("participants:check_in_update", kwargs={"slug": today_event.slug, "pk": elsewhere.pk})

    participant = _tap(login(Client(), registration.user), registration, "attend")
    anonymous = _tap(Client(), registration, "attend")
    wrong_event = team_client.post(url, {"action": "attend"}, headers={"Accept": "application/json"})

    assert participant.status_code == 404
    assert anonymous.status_code == 302 and anonymous["Location"].startswith(reverse("account_login"))
    assert wrong_event.status_code == 404
    assert set(Registration.objects.values_list("status", flat=True)) == {S.CONFIRMED}


def test_tap_is_post_only(today_event, team_client):
    registration = RegistrationFactory(event=today_event)
    url = reverse("participants:check_in_update", kwargs={"slug": today_event.slug, "pk": registration.pk})

    assert team_client.get(url).status_code == 405


# --- the signed link on the badge -----------------------------------------------------------------------------------


def test_signed_link_carries_no_personal_data(today_event):
    registration = RegistrationFactory(event=today_event, first_name="Aylin", last_name="Weber")

    token = check_in_token(registration)
    url = check_in_url(registration)

    assert token.split(".")[0] == str(registration.pk)
    assert registration_id_from_token(token) == registration.pk
    assert url == settings.SITE_URL + check_in_path(registration)
    assert check_in_path(registration) == f"/praxisfachtage/{today_event.slug}/check-in/k/{token}/"
    for personal in ("Aylin", "Weber", registration.email, registration.organisation.name):
        assert personal.lower() not in url.lower()


def test_signed_link_opens_the_card_for_the_team(today_event, team_client):
    registration = RegistrationFactory(event=today_event, first_name="Aylin", last_name="Weber")

    response = team_client.get(check_in_path(registration))

    assert response.status_code == 200
    assert response.context["registration"] == registration
    assert response.context["state"]["action"] == "attend"
    html = response.content.decode()
    assert "Weber, Aylin" in html
    assert html.count("data-check-in-form") == 1


def test_signed_link_for_staff(today_event):
    registration = RegistrationFactory(event=today_event)

    response = login(Client(), StaffFactory()).get(check_in_path(registration))

    assert response.status_code == 200


def test_signed_link_forged_or_altered_answers_404(today_event, team_client):
    registration = RegistrationFactory(event=today_event)
    other = RegistrationFactory(event=today_event)
    token = check_in_token(registration)
    signature = token.split(".", 1)[1]
    base = reverse("participants:check_in", kwargs={"slug": today_event.slug})

    forged = f"{other.pk}.{'A' * len(signature)}"
    altered_id = f"{other.pk}.{signature}"
    altered_signature = f"{registration.pk}.{signature[:-1]}{'B' if signature[-1] != 'B' else 'C'}"
    unsigned = str(registration.pk)
    for bad in (forged, altered_id, altered_signature, unsigned, "x" * 43):
        assert team_client.get(f"{base}k/{bad}/").status_code == 404, bad
        assert Client().get(f"{base}k/{bad}/").status_code == 404, bad


def test_signed_link_of_another_event_answers_404(today_event, team_member):
    registration = RegistrationFactory(event=today_event)
    other_event = EventFactory(date=today_event.date)
    EventTeamMemberFactory(event=other_event, user=team_member)
    moved = reverse(
        "participants:check_in_link", kwargs={"slug": other_event.slug, "token": check_in_token(registration)}
    )

    assert login(Client(), team_member).get(moved).status_code == 404


def test_signed_link_token_of_another_salt_answers_404(today_event, team_client):
    from django.core import signing

    registration = RegistrationFactory(event=today_event)
    token = signing.Signer(sep=".").sign(str(registration.pk))
    url = reverse("participants:check_in_link", kwargs={"slug": today_event.slug, "token": token})

    assert team_client.get(url).status_code == 404


def test_signed_link_asks_visitors_to_log_in_and_refuses_others_without_their_data(today_event):
    registration = RegistrationFactory(event=today_event, first_name="Aylin", last_name="Weber")
    path = check_in_path(registration)
    other_team = UserFactory()
    EventTeamMemberFactory(event=EventFactory(date=today_event.date), user=other_team)

    anonymous = Client().get(path)
    itself = login(Client(), registration.user).get(path)
    other = login(Client(), other_team).get(path)

    assert anonymous.status_code == 302
    assert anonymous["Location"].startswith(reverse("account_login"))
    for response in (itself, other):
        assert response.status_code == 403
        html = response.content.decode()
        assert "Weber" not in html and "Aylin" not in html and registration.organisation.name not in html


def test_check_in_page_sorts_names_as_a_german_list(today_event, team_client):
    for last in ("Krüger", "Özdemir", "Koch", "Köhler", "Adam", "oswald"):
        RegistrationFactory(event=today_event, first_name="Alex", last_name=last)

    rows = _page(team_client, today_event).context["rows"]

    assert [r.last_name for r, _state in rows] == ["Adam", "Koch", "Köhler", "Krüger", "oswald", "Özdemir"]


# --- where the check-in is linked -------------------------------------------------------------------------------------


def test_start_page_offers_the_check_in_to_the_team_only(today_event, team_client, team_member):
    later = EventFactory(date=timezone.localdate() + dt.timedelta(days=20))
    EventTeamMemberFactory(event=later, user=team_member)
    registration = RegistrationFactory(event=today_event)
    today_url = reverse("participants:check_in", kwargs={"slug": today_event.slug})
    later_url = reverse("participants:check_in", kwargs={"slug": later.slug})

    team_page = team_client.get(reverse("my_practice_days")).content.decode()
    participant_page = login(Client(), registration.user).get(reverse("my_practice_days")).content.decode()

    assert f'<a class="btn btn-primary" href="{today_url}">Zum Einlass' in team_page
    assert f'<a href="{later_url}">Einlass' in team_page
    assert "/check-in/" not in participant_page


def test_documents_page_links_the_check_in(today_event, team_client):
    html = team_client.get(reverse("documents:index", kwargs={"slug": today_event.slug})).content.decode()

    assert f'href="{reverse("participants:check_in", kwargs={"slug": today_event.slug})}">Zum Einlass</a>' in html
