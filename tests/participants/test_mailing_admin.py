"""The admin page "E-Mail an Teilnehmer*innen" (participants.admin.MailingAdmin.compose_view) and the read-only list
of mailings: who may open it, preview, test mail, confirmation naming the count, sending, bad input."""

from __future__ import annotations

import re

import pytest
from django.test import Client
from django.urls import reverse

from participants.enums import DeliveryState
from participants.enums import RegistrationStatus as S
from participants.models import Mailing
from tests.auth import login, office_client
from tests.factories import EventFactory, RegistrationFactory, StaffFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def event():
    event = EventFactory(title="Vernetzungstreffen Sachsen")
    RegistrationFactory(event=event, status=S.CONFIRMED, first_name="Anna", last_name="Becker", email="a@example.org")
    RegistrationFactory(event=event, status=S.CONFIRMED, first_name="Omar", last_name="Yılmaz", email="o@example.org")
    RegistrationFactory(event=event, status=S.WAITLISTED, first_name="Lena", last_name="Wolf", email="l@example.org")
    return event


def compose_url(event) -> str:
    return reverse("admin:participants_mailing_compose", args=[event.pk])


def form_data(**overrides) -> dict:
    return {
        "statuses": ["confirmed"],
        "subject": "Neues zu {veranstaltung}",
        "body": "Guten Tag {vorname} {nachname},\n\nbis bald.",
        **overrides,
    }


def test_event_change_page_links_to_the_mail_page(staff_client, event):
    response = staff_client.get(reverse("admin:events_event_change", args=[event.pk]))
    assert f'<a href="{compose_url(event)}">E-Mail an Teilnehmer*innen</a>' in response.content.decode()


@pytest.mark.parametrize(
    ("who", "status"),
    [("anonymous", 302), ("participant", 302), ("staff_without_group", 403), ("office", 200), ("superuser", 200)],
)
def test_compose_page_only_for_staff_with_permission(event, who, status):
    if who == "anonymous":
        client = Client()
    elif who == "participant":
        client = login(Client(), UserFactory())
    elif who == "staff_without_group":
        client = login(Client(), StaffFactory())
    elif who == "office":
        client = office_client()
    else:
        client = login(Client(), StaffFactory(is_superuser=True))
    get = client.get(compose_url(event))
    post = client.post(compose_url(event), {**form_data(), "_confirm": "1"})
    assert (get.status_code, post.status_code) == (status, status)
    if status == 302:
        assert get["Location"].startswith("/admin/login/")
    assert Mailing.objects.count() == 0


def test_compose_page_for_an_unknown_event_is_404(staff_client):
    assert staff_client.get(reverse("admin:participants_mailing_compose", args=[999999])).status_code == 404


def test_compose_page_starts_with_confirmed_ticked(staff_client, event):
    html = staff_client.get(compose_url(event)).content.decode()
    assert re.search(r'<input type="checkbox" name="statuses" value="confirmed"[^>]*checked', html)
    assert not re.search(r'<input type="checkbox" name="statuses" value="waitlisted"[^>]*checked', html)
    assert "{vorname}, {nachname}, {veranstaltung}, {datum}, {ort}, {link_anmeldung}" in html
    labels = re.findall(r'<label for="id_statuses_\d"><input [^>]*>\s*(.*?)</label>', html)
    assert labels == ["bestätigt (2)", "Warteliste (1)", "wartet auf Freigabe (0)", "teilgenommen (0)"]


def test_preview_shows_the_first_recipients_mail_and_the_count(staff_client, event, mailoutbox):
    response = staff_client.post(compose_url(event), {**form_data(), "_preview": "1"})
    html = response.content.decode()
    assert response.status_code == 200
    assert "Geht an 2 Personen, jede einzeln. So bekommt sie Anna Becker:" in html
    assert "Neues zu Vernetzungstreffen Sachsen" in html
    assert "<p>Guten Tag Anna Becker,</p>" in html
    assert 'name="_send"' not in html
    assert (Mailing.objects.count(), mailoutbox) == (0, [])


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        (
            {"body": "Hallo {name}, {Vorname}"},
            "body",
            "Unbekannte Platzhalter: {name}, {Vorname}. Möglich sind: {vorname}, {nachname}, {veranstaltung}, "
            "{datum}, {ort}, {link_anmeldung}.",
        ),
        ({"subject": "Zeile\neins"}, "subject", "Der Betreff darf keinen Zeilenumbruch enthalten."),
        (
            {"subject": "B" * 151},
            "subject",
            "Der Text ist zu lang: höchstens 150 Zeichen, Ihr Text hat 151 Zeichen. Bitte kürzen Sie ihn.",
        ),
        ({"statuses": []}, "statuses", "Bitte wählen Sie mindestens einen Status der Anmeldungen."),
        (
            {"statuses": ["cancelled"]},
            "statuses",
            "Bitte eine gültige Auswahl treffen. cancelled ist keine gültige Auswahl.",
        ),
        (
            {"statuses": ["attended"]},
            "statuses",
            "In den gewählten Status gibt es keine Anmeldungen: Die E-Mail hätte keine Empfänger*innen.",
        ),
    ],
)
def test_bad_input_is_a_form_error_and_nothing_is_sent(staff_client, event, data, field, message, mailoutbox):
    for button in ("_preview", "_test", "_confirm", "_send"):
        response = staff_client.post(compose_url(event), {**form_data(**data), button: "1"})
        assert response.status_code == 200
        assert response.context["form"].errors[field] == [message]
    assert (Mailing.objects.count(), mailoutbox) == (0, [])


def test_send_asks_for_a_confirmation_naming_the_count_then_sends(
    staff_client, staff_user, event, mailoutbox, django_capture_on_commit_callbacks
):
    confirm = staff_client.post(
        compose_url(event), {**form_data(statuses=["confirmed", "waitlisted"]), "_confirm": "1"}
    )
    html = confirm.content.decode()
    assert "Die E-Mail geht jetzt an 3 Personen, an jede einzeln." in html
    assert 'value="Jetzt an 3 Personen senden"' in html
    assert mailoutbox == []
    digest, send_key = confirm.context["confirm"]["digest"], confirm.context["confirm"]["send_key"]
    confirmed = {
        **form_data(statuses=["confirmed", "waitlisted"]),
        "expected_count": "3",
        "digest": digest,
        "send_key": send_key,
        "_send": "1",
    }
    with django_capture_on_commit_callbacks(execute=True):
        response = staff_client.post(compose_url(event), confirmed)
    mailing = Mailing.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("admin:participants_mailing_change", args=[mailing.pk])
    assert (mailing.recipient_count, mailing.sent_count, mailing.failed_count, mailing.sent_by) == (3, 3, 0, staff_user)
    assert sorted(m.to[0] for m in mailoutbox) == ["a@example.org", "l@example.org", "o@example.org"]
    page = staff_client.get(response["Location"]).content.decode()
    assert "Die E-Mail ist an 3 Personen unterwegs, an jede einzeln." in page

    # The same confirmation a second time (Back and resubmit, a retried request) sends nothing and says so.
    with django_capture_on_commit_callbacks(execute=True):
        replay = staff_client.post(compose_url(event), confirmed, follow=True)
    assert replay.redirect_chain == [(reverse("admin:participants_mailing_change", args=[mailing.pk]), 302)]
    assert "Diese Bestätigung ist schon benutzt worden" in replay.content.decode()
    assert (Mailing.objects.count(), len(mailoutbox)) == (1, 3)
    # Without the confirmation's key, "Jetzt senden" only asks again.
    without_key = staff_client.post(compose_url(event), {**confirmed, "send_key": ""})
    assert without_key.context["confirm"]["count"] == 3
    assert Mailing.objects.count() == 1


def sent(digest: str) -> dict:
    """The hidden fields of a confirmation for two people."""
    return {"expected_count": "2", "digest": digest, "send_key": "k" * 43, "_send": "1"}


def test_send_with_a_text_changed_after_the_confirmation_asks_again(
    staff_client, event, mailoutbox, django_capture_on_commit_callbacks
):
    digest = staff_client.post(compose_url(event), {**form_data(), "_confirm": "1"}).context["confirm"]["digest"]
    with django_capture_on_commit_callbacks(execute=True):
        response = staff_client.post(
            compose_url(event),
            {
                **form_data(body="Anderer Text"),
                "expected_count": "2",
                "digest": digest,
                "send_key": "k" * 43,
                "_send": "1",
            },
        )
    assert response.status_code == 200
    assert response.context["confirm"]["count"] == 2
    assert (Mailing.objects.count(), mailoutbox) == (0, [])


def test_send_when_the_count_changed_since_the_confirmation_asks_again(
    staff_client, event, mailoutbox, django_capture_on_commit_callbacks
):
    digest = staff_client.post(compose_url(event), {**form_data(), "_confirm": "1"}).context["confirm"]["digest"]
    RegistrationFactory(event=event, status=S.CONFIRMED)
    with django_capture_on_commit_callbacks(execute=True):
        response = staff_client.post(
            compose_url(event),
            {**form_data(), **sent(digest)},
        )
    assert response.status_code == 200
    assert response.context["form"].non_field_errors() == [
        "Die Zahl der Empfänger*innen hat sich seit Ihrer Bestätigung geändert. Bitte prüfen und bestätigen Sie erneut."
    ]
    assert response.context["confirm"]["count"] == 3
    assert (Mailing.objects.count(), mailoutbox) == (0, [])


def test_test_mail_goes_to_the_staff_member_as_the_first_recipient_gets_it(
    staff_client, staff_user, event, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = staff_client.post(compose_url(event), {**form_data(), "_test": "1"})
    assert response.status_code == 200
    assert [m.to for m in mailoutbox] == [[staff_user.email]]
    assert mailoutbox[0].subject == "[KOK-Praxisfachtag] [Test] Neues zu Vernetzungstreffen Sachsen"
    assert f"Die Testmail an {staff_user.email} ist unterwegs, so wie Anna Becker sie bekäme." in (
        response.content.decode()
    )
    assert Mailing.objects.count() == 0


def test_mailing_admin_is_read_only_and_shows_each_delivery(staff_client, event, django_capture_on_commit_callbacks):
    from participants.mailings import mailing_send

    staff = StaffFactory(is_superuser=True)
    with django_capture_on_commit_callbacks(execute=True):
        mailing = mailing_send(event=event, statuses=["confirmed"], subject="Betreff", body="Text", by=staff)
    assert staff_client.get(reverse("admin:participants_mailing_add")).status_code == 403
    html = staff_client.get(reverse("admin:participants_mailing_change", args=[mailing.pk])).content.decode()
    assert 'name="_save"' not in html
    assert html.count(str(DeliveryState.SENT.label)) == 2
    assert "Anna Becker" in html and "Omar Yılmaz" in html
    assert staff_client.post(reverse("admin:participants_mailing_delete", args=[mailing.pk])).status_code == 403


def _mailings(event, count: int, django_capture_on_commit_callbacks) -> None:
    from participants.mailings import mailing_send

    staff = StaffFactory(is_superuser=True)
    with django_capture_on_commit_callbacks(execute=True):
        for n in range(count):
            mailing_send(event=event, statuses=["confirmed"], subject=f"Betreff {n}", body="Text", by=staff)


def test_mailing_list_runs_a_fixed_number_of_queries(
    staff_client, event, django_assert_num_queries, django_capture_on_commit_callbacks
):
    url = reverse("admin:participants_mailing_changelist")
    _mailings(event, 1, django_capture_on_commit_callbacks)
    # session, user, count, count of all, the page of mailings with their events, the events of the filter
    with django_assert_num_queries(6) as one:
        assert staff_client.get(url).status_code == 200
    other = EventFactory()
    RegistrationFactory(event=other)
    _mailings(event, 4, django_capture_on_commit_callbacks)
    _mailings(other, 3, django_capture_on_commit_callbacks)
    with django_assert_num_queries(len(one.captured_queries)):
        response = staff_client.get(url)
    assert response.context["cl"].result_count == 8


def test_compose_page_runs_a_fixed_number_of_queries(
    staff_client, event, django_assert_num_queries, django_capture_on_commit_callbacks
):
    _mailings(event, 1, django_capture_on_commit_callbacks)
    with django_assert_num_queries(5) as one:  # session, user, event, counts by status, earlier mailings
        staff_client.get(compose_url(event))
    _mailings(event, 5, django_capture_on_commit_callbacks)
    with django_assert_num_queries(len(one.captured_queries)):
        response = staff_client.get(compose_url(event))
    assert len(response.context["earlier"]) == 6
