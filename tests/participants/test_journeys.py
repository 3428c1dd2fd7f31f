"""The participant's journeys at the level of requests and mails (issue 13, points 1-4); the same journeys in a
browser are in tests/e2e/test_participant_journeys.py.

1. one way in: e-mail address -> code -> (account created if new) -> back to the registration form;
2. cancelling with a confirmation step, one rule for "may cancel";
3. pages and mails that match the registration's status;
4. mails: plain text unescaped, links and names from the portal's settings.
"""

import datetime as dt
import itertools
import re
import subprocess
import time
from pathlib import Path

import pytest
from allauth.account.models import EmailAddress
from django.core import mail
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from kokportal.models import User
from participants import permissions, services
from participants.enums import RegistrationStatus as S
from participants.tasks import MAIL_KINDS, send_registration_mail
from tests.auth import login
from tests.factories import (
    EventFactory,
    QuotaFactory,
    RegistrationFactory,
    StaffFactory,
    UserFactory,
    organisation_type,
    verified_user,
)

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[2]
CODE_RE = re.compile(r"^([A-Z0-9]{4}-[A-Z0-9]{4})$", re.MULTILINE)
CODE_SUBJECT = "[KOK-Praxisfachtag] Ihr Code zum Einloggen"
NO_CODE_SUBJECT = "[KOK-Praxisfachtag] Einloggen zurzeit nicht möglich"


@pytest.fixture
def fbs():
    return organisation_type("fachberatungsstelle")


@pytest.fixture
def event(fbs):
    return EventFactory(title="Vernetzungstreffen Niedersachsen", slug="vernetzungstreffen", invited=[fbs])


def register_url(event) -> str:
    return reverse("participants:register", kwargs={"slug": event.slug})


def request_code(client: Client, email: str, next_url: str = ""):
    query = f"?next={next_url}" if next_url else ""
    return client.post(reverse("account_request_login_code") + query, {"email": email})


def enter_code(client: Client, next_url: str = ""):
    code = CODE_RE.search(mail.outbox[-1].body).group(1)
    query = f"?next={next_url}" if next_url else ""
    return client.post(reverse("account_confirm_login_code") + query, {"code": code})


# --- 1. one way in ---------------------------------------------------------------------------------------------


def test_login_page_leads_with_the_code_and_keeps_the_password_optional(client, event):
    response = client.get(reverse("account_login") + f"?next={register_url(event)}")
    page = response.text
    assert response.status_code == 200
    code_form = page.index(f'action="{reverse("account_request_login_code")}"')
    password_form = page.index('name="password"')
    assert code_form < password_form  # the code comes first, the password is the option
    assert "<summary>Mit Passwort einloggen</summary>" in page
    assert page.count(f'name="next" value="{register_url(event)}"') == 2  # both forms return to the event
    assert '<details class="password-login">' in page
    # The way into the admin opens the password form (staff mostly have one); so does a wrong password.
    assert '<details class="password-login" open>' in client.get(reverse("admin:index"), follow=True).text
    wrong = client.post(reverse("account_login"), {"login": "nobody@example.org", "password": "wrong-password-1"})
    assert '<details class="password-login" open>' in wrong.text


def test_new_address_gets_account_with_code_and_returns_to_prefilled_form(client, event):
    next_url = register_url(event)
    # From the event page: "Jetzt anmelden" -> login page (with next) -> code.
    assert client.get(next_url)["Location"] == f"{reverse('account_login')}?next={next_url}"
    requested = request_code(client, "Aylin.Neu@Example.org", next_url)
    assert requested.status_code == 302
    assert requested["Location"] == f"{reverse('account_confirm_login_code')}?next={next_url.replace('/', '%2F')}"
    assert [(m.to, m.subject) for m in mail.outbox] == [(["aylin.neu@example.org"], CODE_SUBJECT)]
    user = User.objects.get(email="aylin.neu@example.org")
    assert (user.has_usable_password(), user.language, user.is_active) == (False, "de", True)
    assert EmailAddress.objects.get(user=user).verified is False  # verified by entering the code

    confirmed = enter_code(client, next_url)
    assert (confirmed.status_code, confirmed["Location"]) == (302, next_url)
    assert int(client.session["_auth_user_id"]) == user.pk
    assert EmailAddress.objects.get(user=user).verified is True
    form = client.get(next_url).context["form"]
    assert form.initial["email"] == "aylin.neu@example.org"


def test_known_address_logs_in_with_the_same_steps(client, event):
    person = verified_user("jonas.koch@example.org", first_name="Jonas", last_name="Koch")
    request_code(client, "jonas.koch@example.org", register_url(event))
    response = enter_code(client, register_url(event))
    assert response["Location"] == register_url(event)
    assert int(client.session["_auth_user_id"]) == person.pk
    assert User.objects.count() == 1
    form = client.get(register_url(event)).context["form"]
    assert (form.initial["first_name"], form.initial["last_name"]) == ("Jonas", "Koch")


def test_no_unknown_account_mail_and_no_account_enumeration(client):
    verified_user("known@example.org")
    answers = [request_code(Client(), email) for email in ("known@example.org", "new@example.org")]
    assert {(r.status_code, r["Location"]) for r in answers} == {(302, reverse("account_confirm_login_code"))}
    assert {m.subject for m in mail.outbox} == {CODE_SUBJECT}
    # The code page itself reads the same, whoever asked.
    pages = []
    for email in ("known@example.org", "newer@example.org"):
        other = Client()
        request_code(other, email)
        page = other.get(reverse("account_confirm_login_code")).text.replace(email, "ADDRESS")
        pages.append(re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", page))
    assert pages[0] == pages[1]


def test_deactivated_account_gets_no_code_and_no_second_account(client):
    verified_user("inactive@example.org", is_active=False)
    new = request_code(Client(), "someone@example.org")
    inactive = request_code(client, "inactive@example.org")
    assert (inactive.status_code, inactive["Location"]) == (new.status_code, new["Location"])
    assert User.objects.filter(email="inactive@example.org").count() == 1
    message = mail.outbox[-1]
    assert (message.to, message.subject) == (
        ["inactive@example.org"],
        "[KOK-Praxisfachtag] Einloggen zurzeit nicht möglich",
    )
    assert CODE_RE.search(message.body) is None
    assert "deaktiviert" in message.body


def test_new_accounts_keep_allauth_signup_rate_limit(client, settings):
    settings.ACCOUNT_RATE_LIMITS = {**settings.ACCOUNT_RATE_LIMITS, "signup": "2/h/ip"}
    answers = [request_code(Client(), f"new{n}@example.org") for n in range(3)]
    assert {(r.status_code, r["Location"]) for r in answers} == {(302, reverse("account_confirm_login_code"))}
    assert sorted(User.objects.values_list("email", flat=True)) == ["new0@example.org", "new1@example.org"]
    assert [m.subject for m in mail.outbox] == [
        CODE_SUBJECT,
        CODE_SUBJECT,
        "[KOK-Praxisfachtag] Einloggen zurzeit nicht möglich",
    ]


def test_wrong_codes_are_limited_and_create_no_login(client):
    request_code(client, "new@example.org")
    for _ in range(2):
        assert client.post(reverse("account_confirm_login_code"), {"code": "AAAA-AAAA"}).status_code == 200
    last = client.post(reverse("account_confirm_login_code"), {"code": "AAAA-AAAA"})
    assert last.status_code == 302  # allauth's LOGIN_BY_CODE_MAX_ATTEMPTS: start again
    assert "_auth_user_id" not in client.session


def test_signup_page_leads_to_the_one_way_in(client):
    for response in (
        client.get(reverse("account_signup") + "?next=/praxisfachtage/x/anmelden/"),
        client.post(reverse("account_signup") + "?next=/praxisfachtage/x/anmelden/", {"email": "new@example.org"}),
    ):
        assert (response.status_code, response["Location"]) == (
            302,
            reverse("account_login") + "?next=/praxisfachtage/x/anmelden/",
        )
    assert not User.objects.exists()


def test_password_stays_optional_and_works(client):
    person = verified_user("mit.passwort@example.org", password="ein-langes-passwort-42")
    response = client.post(
        reverse("account_login"), {"login": "mit.passwort@example.org", "password": "ein-langes-passwort-42"}
    )
    assert response.status_code == 302
    assert int(client.session["_auth_user_id"]) == person.pk


def test_staff_logging_in_by_code_still_need_their_second_factor(client):
    staff = StaffFactory(email="office@kok-buero.example.org")
    EmailAddress.objects.create(user=staff, email=staff.email, verified=True, primary=True)
    request_code(client, staff.email)
    response = enter_code(client)
    assert response["Location"] == reverse("mfa_authenticate")
    assert "_auth_user_id" not in client.session


@pytest.mark.parametrize("page", ["login", "request_code", "confirm_code"])
def test_entrance_pages_say_einloggen_never_anmelden(client, page):
    """ "Einloggen" for logging in; "Anmeldung"/"anmelden" only for registering for a practice day."""
    if page == "confirm_code":
        request_code(client, "new@example.org")
    url = {
        "login": reverse("account_login"),
        "request_code": reverse("account_request_login_code"),
        "confirm_code": reverse("account_confirm_login_code"),
    }[page]
    text = client.get(url).text
    assert re.search(r"nmeld", text, re.IGNORECASE) is None
    assert "Einloggen" in text


def test_code_mail_says_einloggen_and_names_the_portal(client, settings):
    settings.SITE_URL = "http://127.0.0.1:8200"
    request_code(client, "new@example.org")
    message = mail.outbox[-1]
    assert message.subject == CODE_SUBJECT
    assert "Portal der KOK-Praxisfachtage" in message.body
    assert "testserver" not in message.body and "127.0.0.1" not in message.body
    assert re.search(r"nmeld", message.subject + message.body, re.IGNORECASE) is None


def test_logged_in_and_out_messages_say_einloggen_and_ausloggen(client):
    request_code(client, "new@example.org")
    page = client.get(enter_code(client)["Location"], follow=True).text
    assert "Sie sind als new@example.org eingeloggt." in page
    page = client.post(reverse("account_logout"), follow=True).text
    assert "Sie sind ausgeloggt." in page


# --- 2. cancelling ----------------------------------------------------------------------------------------------


@pytest.fixture
def full_event(fbs):
    """One seat for counselling centres: a holder and, in the tests that want one, somebody waiting."""
    event = EventFactory(title="Praxisfachtag Hamburg", slug="praxisfachtag-hamburg", invited=[fbs], capacity=5)
    QuotaFactory(event=event, organisation_type=fbs, seats=1)
    return event


def _waiting(event):
    return RegistrationFactory(event=event, status=S.WAITLISTED, first_name="Jonas", last_name="Koch")


def test_cancel_page_says_the_seat_goes_to_the_next_person_only_when_someone_waits(user_client, user, full_event):
    holder = RegistrationFactory(event=full_event, user=user)
    url = reverse("participants:registration_cancel", args=[holder.pk])
    alone = user_client.get(url).text
    assert "Ihr Platz wird frei und kann neu vergeben werden." in alone
    assert "nächste Person" not in alone
    _waiting(full_event)
    waited_for = user_client.get(url).text
    assert "Ihr Platz geht an die nächste Person auf der Warteliste" in waited_for
    holder.refresh_from_db()
    assert holder.status == S.CONFIRMED  # looking is not cancelling


def test_cancel_page_of_waitlisted_person_promises_no_seat(user_client, user, full_event):
    RegistrationFactory(event=full_event)
    waiting = RegistrationFactory(event=full_event, user=user, status=S.WAITLISTED)
    _waiting(full_event)
    page = user_client.get(reverse("participants:registration_cancel", args=[waiting.pk])).text
    assert "nicht mehr auf der Warteliste" in page
    assert "Ihr Platz" not in page


def test_cancel_confirmed_moves_next_person_up_and_both_are_mailed(
    user_client, user, full_event, django_capture_on_commit_callbacks
):
    holder = RegistrationFactory(event=full_event, user=user, first_name="Aylin", last_name="Weber")
    waiting = _waiting(full_event)
    with django_capture_on_commit_callbacks(execute=True):
        response = user_client.post(reverse("participants:registration_cancel", args=[holder.pk]), follow=True)
    assert "Ihre Anmeldung ist storniert." in response.text
    holder.refresh_from_db()
    waiting.refresh_from_db()
    assert (holder.status, waiting.status) == (S.CANCELLED, S.CONFIRMED)
    by_person = {m.to[0]: m for m in mail.outbox}
    assert by_person[waiting.email].subject == f"[KOK-Praxisfachtag] Ein Platz ist frei geworden: {full_event.title}"
    assert "Ihr Platz ist an die nächste Person auf der Warteliste gegangen." in by_person[holder.email].body


def test_cancel_mail_mentions_the_waiting_list_only_when_someone_moves_up(
    user, full_event, django_capture_on_commit_callbacks
):
    holder = RegistrationFactory(event=full_event, user=user)
    with django_capture_on_commit_callbacks(execute=True):
        services.registration_cancel(registration=holder, by=user)
    (message,) = mail.outbox
    assert "Warteliste" not in message.body
    assert "Warteliste" not in message.alternatives[0][0]


def test_cancel_of_waitlisted_person_mail_says_so(user, full_event, django_capture_on_commit_callbacks):
    RegistrationFactory(event=full_event)
    waiting = RegistrationFactory(event=full_event, user=user, status=S.WAITLISTED)
    with django_capture_on_commit_callbacks(execute=True):
        services.registration_cancel(registration=waiting, by=user)
    (message,) = mail.outbox
    assert "Sie stehen nicht mehr auf der Warteliste" in message.body
    assert "Ihr Platz" not in message.body


def test_after_the_deadline_no_button_and_the_page_says_why(user_client, user, full_event):
    full_event.cancellation_deadline = timezone.now() - dt.timedelta(hours=1)
    full_event.save(update_fields=["cancellation_deadline"])
    registration = RegistrationFactory(event=full_event, user=user)
    cancel_url = reverse("participants:registration_cancel", args=[registration.pk])
    page = user_client.get(registration.get_absolute_url()).text
    assert cancel_url not in page
    assert "Die Frist für eine Stornierung ist am" in page
    assert user_client.get(cancel_url)["Location"] == registration.get_absolute_url()
    refused = user_client.post(cancel_url, follow=True)
    assert "Die Frist für eine Stornierung ist abgelaufen." in refused.text
    registration.refresh_from_db()
    assert registration.status == S.CONFIRMED


def test_may_cancel_has_one_definition():
    """The deadline rule lives in participants.permissions.cancellation_refusal; views, templates and services ask
    it (the page shows the button exactly when the service would cancel)."""
    sources = {path: path.read_text() for path in (ROOT / "participants").glob("*.py")}
    assert [p.name for p, text in sources.items() if "effective_cancellation_deadline" in text] == ["permissions.py"]
    assert [p.name for p, text in sources.items() if "def may_cancel" in text] == ["permissions.py"]


@pytest.mark.parametrize("minutes, offered", [(-1, False), (1, True)], ids=["deadline passed", "deadline ahead"])
def test_button_and_service_agree_at_the_deadline(user_client, user, full_event, minutes, offered):
    full_event.cancellation_deadline = timezone.now() + dt.timedelta(minutes=minutes)
    full_event.save(update_fields=["cancellation_deadline"])
    registration = RegistrationFactory(event=full_event, user=user)
    page = user_client.get(registration.get_absolute_url()).text
    assert (reverse("participants:registration_cancel", args=[registration.pk]) in page) is offered
    assert permissions.may_cancel(registration, user) is offered
    user_client.post(reverse("participants:registration_cancel", args=[registration.pk]))
    registration.refresh_from_db()
    assert (registration.status == S.CANCELLED) is offered


# --- 3. texts that match the status -----------------------------------------------------------------------------

DETAIL_TEXT = {
    S.PENDING: "Ihr Platz ist reserviert.",
    S.CONFIRMED: "Ihre Teilnahme ist bestätigt.",
    S.WAITLISTED: "der Warteliste für",
    S.CANCELLED: "Diese Anmeldung wurde am",
    S.REJECTED: "Ihre Anmeldung konnte leider nicht berücksichtigt werden.",
    S.ATTENDED: "Sie haben an dieser Veranstaltung teilgenommen.",
}


@pytest.mark.parametrize("status", S.values)
def test_registration_page_matches_the_status(user_client, user, full_event, status):
    registration = RegistrationFactory(
        event=full_event,
        user=user,
        status=status,
        contact_list_consent=True,
        contact_list_consented_at=timezone.now(),
        cancelled_at=timezone.now() if status == S.CANCELLED else None,
    )
    page = user_client.get(registration.get_absolute_url()).text
    ical_url = reverse("participants:registration_ical", args=[registration.pk])
    cancel_url = reverse("participants:registration_cancel", args=[registration.pk])

    assert DETAIL_TEXT[status] in page
    assert (ical_url in page) is (status == S.CONFIRMED)
    assert user_client.get(ical_url).status_code == (200 if status == S.CONFIRMED else 404)
    assert ("Sie stehen in der Kontaktliste dieser Veranstaltung." in page) is (status in S.participating())
    assert ("Kontaktliste" in page) is (status not in (S.CANCELLED, S.REJECTED))
    assert (cancel_url in page) is (status in S.cancellable())
    # The registration page never promises the seat to someone else: the confirmation step says what happens.
    assert "nächste Person" not in page


@pytest.mark.parametrize("status", S.cancellable())
def test_cancel_page_matches_the_status(user_client, user, full_event, status):
    registration = RegistrationFactory(event=full_event, user=user, status=status)
    _waiting(full_event)
    page = user_client.get(reverse("participants:registration_cancel", args=[registration.pk])).text
    assert ("Ihr Platz geht an die nächste Person auf der Warteliste" in page) is (status != S.WAITLISTED)
    assert ("nicht mehr auf der Warteliste" in page) is (status == S.WAITLISTED)


@pytest.mark.parametrize("status", S.cancellable())
def test_account_delete_page_matches_the_status(user, full_event, status):
    """Deleting the account cancels upcoming registrations; only a held seat goes to someone waiting."""
    RegistrationFactory(event=full_event, user=user, status=status)
    client = login(Client(), user)
    session = client.session
    session["account_authentication_methods"] = [{"method": "code", "at": time.time(), "reauthenticated": True}]
    session["account_authentication_methods_user"] = str(user.pk)
    session.save()
    page = client.get(reverse("participants:account_delete")).text
    assert full_event.title in page
    assert ("Wartet jemand auf Ihren Platz, rückt diese Person nach." in page) is (status != S.WAITLISTED)


@pytest.mark.parametrize("kind, status", list(itertools.product(MAIL_KINDS, S.values)))
def test_registration_mail_goes_out_only_while_it_is_true(kind, status, full_event):
    """A mail that the registration has overtaken (say "confirmed" after it was cancelled) is not sent; the
    calendar entry goes only with a confirmed seat."""
    registration = RegistrationFactory(event=full_event, status=status)
    sent = send_registration_mail.call(registration_id=registration.pk, kind=kind)
    assert sent is (status in MAIL_KINDS[kind])
    assert len(mail.outbox) == int(sent)
    if sent:
        attachments = [name for name, _content, _type in mail.outbox[0].attachments]
        assert attachments == (["praxisfachtag.ics"] if status == S.CONFIRMED and kind != "received" else [])


@pytest.mark.parametrize("was_waitlisted, seat_passed_on", [(False, False), (False, True), (True, False)])
def test_cancelled_mail_matches_what_happened(full_event, was_waitlisted, seat_passed_on):
    registration = RegistrationFactory(event=full_event, status=S.CANCELLED)
    send_registration_mail.call(
        registration_id=registration.pk,
        kind="cancelled",
        facts={"was_waitlisted": was_waitlisted, "seat_passed_on": seat_passed_on},
    )
    body = mail.outbox[0].body
    assert ("Ihr Platz ist an die nächste Person auf der Warteliste gegangen." in body) is seat_passed_on
    assert ("Sie stehen nicht mehr auf der Warteliste." in body) is was_waitlisted


@pytest.mark.parametrize("status, seat_passed_on", [(S.CONFIRMED, True), (S.CONFIRMED, False), (S.WAITLISTED, False)])
def test_cancelled_by_the_office_the_mail_says_so(
    status, seat_passed_on, full_event, django_capture_on_commit_callbacks
):
    """A person whose registration the office cancelled is not told "Schade, dass Sie nicht dabei sein können"."""
    holder = RegistrationFactory(event=full_event, status=status)
    if status == S.WAITLISTED:
        RegistrationFactory(event=full_event)
    elif seat_passed_on:
        RegistrationFactory(event=full_event, status=S.WAITLISTED)
    staff = StaffFactory()
    with django_capture_on_commit_callbacks(execute=True):
        services.registration_cancel(registration=holder, by=staff)
    message = next(m for m in mail.outbox if m.to == [holder.email])
    for body in (message.body, message.alternatives[0][0]):
        assert "Die KOK-Geschäftsstelle hat Ihre Anmeldung storniert." in body
        assert "Schade" not in body
        assert ("Ihr Platz ist an die nächste Person auf der Warteliste gegangen." in body) is seat_passed_on
        assert ("Sie stehen nicht mehr auf der Warteliste." in body) is (status == S.WAITLISTED)


# --- 4. mails ---------------------------------------------------------------------------------------------------


def test_plain_text_mail_is_not_html_escaped(full_event, django_capture_on_commit_callbacks):
    full_event.title = "Jugendamt & Polizei: <Austausch>"
    full_event.save(update_fields=["title"])
    person = UserFactory(email="aylin.oconnor@example.org", first_name="Aylin", last_name="O'Connor")
    registration = RegistrationFactory(event=full_event, user=person)
    send_registration_mail.call(registration_id=registration.pk, kind="confirmed")
    (message,) = mail.outbox
    assert message.subject == "[KOK-Praxisfachtag] Ihre Teilnahme ist bestätigt: Jugendamt & Polizei: <Austausch>"
    assert "Guten Tag Aylin O'Connor," in message.body
    assert "Jugendamt & Polizei: <Austausch>" in message.body
    assert "&#x27;" not in message.body and "&amp;" not in message.body and "&lt;" not in message.body
    html = message.alternatives[0][0]
    assert "Aylin O&#x27;Connor" in html and "Jugendamt &amp; Polizei: &lt;Austausch&gt;" in html


def test_mail_links_follow_the_served_address(full_event, settings):
    settings.SITE_URL = "http://127.0.0.1:8200"
    registration = RegistrationFactory(event=full_event)
    send_registration_mail.call(registration_id=registration.pk, kind="confirmed")
    (message,) = mail.outbox
    link = f"http://127.0.0.1:8200/meine-anmeldungen/{registration.pk}/"
    assert link in message.body
    assert f'href="{link}"' in message.alternatives[0][0]


def test_allauth_mails_name_the_portal_not_the_host(settings):
    """Adding an address sends allauth's confirmation mail: it names the portal, never 127.0.0.1:8200."""
    settings.SITE_URL = "http://127.0.0.1:8200"
    user = verified_user("aylin@example.org")
    client = login(Client(HTTP_HOST="127.0.0.1:8200"), user)
    client.post(reverse("account_email"), {"action_add": "", "email": "aylin.zweite@example.org"})
    (message,) = mail.outbox
    assert message.to == ["aylin.zweite@example.org"]
    assert "im Portal der KOK-Praxisfachtage" in message.body
    assert "127.0.0.1" not in message.body + message.subject


def test_create_demo_admin_prints_the_served_address(settings, capsys):
    settings.DEBUG = True
    settings.SITE_URL = "http://127.0.0.1:8200"
    call_command("create_demo_admin")
    assert "URL:           http://127.0.0.1:8200/admin/" in capsys.readouterr().out


def test_make_run_serves_and_announces_the_same_port():
    """``make run PORT=8200`` passes KOKPORTAL_SITE_URL (the mails' and the demo admin's address) for that port."""
    commands = subprocess.run(
        ["make", "-n", "run", "PORT=8200"], cwd=ROOT, capture_output=True, text=True, check=True
    ).stdout
    site_url = "KOKPORTAL_SITE_URL=${KOKPORTAL_SITE_URL:-http://127.0.0.1:8200}"
    assert f"{site_url} .venv/bin/python manage.py create_demo_admin" in commands
    assert f"{site_url} .venv/bin/python manage.py runserver 127.0.0.1:8200" in commands


def test_settings_read_the_site_url_from_the_environment():
    import os
    import sys

    result = subprocess.run(
        [sys.executable, "-c", "from django.conf import settings; print(settings.SITE_URL)"],
        cwd=ROOT,
        env={**os.environ, "DJANGO_SETTINGS_MODULE": "tests.settings", "KOKPORTAL_SITE_URL": "http://127.0.0.1:8200/"},
        capture_output=True,
        text=True,
        check=True,
    )
    assert result.stdout.strip() == "http://127.0.0.1:8200"
