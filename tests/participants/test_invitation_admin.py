"""The admin page "Einladen" (participants.admin.InvitationBatchAdmin.invite_view) and the read-only list of
invitations with their figures: who may open it, preview, confirmation naming the count, sending, bad input."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from participants.enums import DeliveryState
from participants.models import Invitation, InvitationBatch, InvitationConsent
from tests.auth import login, office_client
from tests.factories import EventFactory, OrganisationFactory, StaffFactory, UserFactory, organisation_type

pytestmark = pytest.mark.django_db


@pytest.fixture
def event():
    event = EventFactory(title="Praxisfachtag Süd", invited=[organisation_type("fachberatungsstelle")])
    fbs = organisation_type("fachberatungsstelle")
    OrganisationFactory(name="Beratung Isar", organisation_type=fbs, contact_email="kontakt@isar.example")
    OrganisationFactory(name="Beratung Main", organisation_type=fbs, contact_email="info@main.example")
    OrganisationFactory(name="Kaputt", organisation_type=fbs, contact_email="kaputt@@example")
    InvitationConsent.objects.create(
        email="anna@example.org",
        first_name="Anna",
        last_name="Becker",
        organisation_type=fbs,
        consent_version="2026-11",
        consented_at=timezone.now(),
    )
    return event


def invite_url(event) -> str:
    return reverse("admin:participants_invitationbatch_invite", args=[event.pk])


def form_data(**overrides) -> dict:
    return {"organisations": "on", "consents": "on", "note": "Wir freuen uns auf Sie.", **overrides}


def test_event_change_page_links_to_the_invite_page(staff_client, event):
    response = staff_client.get(reverse("admin:events_event_change", args=[event.pk]))
    assert f'<a href="{invite_url(event)}">Einladen</a>' in response.content.decode()


@pytest.mark.parametrize(
    ("who", "status"),
    [("anonymous", 302), ("participant", 302), ("staff_without_group", 403), ("office", 200), ("superuser", 200)],
)
def test_invite_page_only_for_staff_with_permission(event, who, status):
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
    get = client.get(invite_url(event))
    post = client.post(invite_url(event), {**form_data(), "_confirm": "1"})
    assert (get.status_code, post.status_code) == (status, status)
    if status == 302:
        assert get["Location"].startswith("/admin/login/")
    assert Invitation.objects.count() == 0


def test_preview_counts_and_shows_the_mail_then_confirm_and_send(
    staff_client, event, django_capture_on_commit_callbacks
):
    preview = staff_client.post(invite_url(event), {**form_data(), "_preview": "1"})
    html = preview.content.decode()
    assert "Geht an 3 Adressen, jede einzeln." in html
    assert "Übersprungen: 1 ungültige Adressen, 0 schon eingeladen, 0 doppelt, 0 abbestellt." in html
    assert "Einladung: Praxisfachtag Süd" in html
    assert "Wir freuen uns auf Sie." in html
    assert Invitation.objects.count() == 0

    confirm = staff_client.post(invite_url(event), {**form_data(), "_confirm": "1"}).content.decode()
    assert "Jetzt 3 Adressen einladen" in confirm
    fields = dict(re.findall(r'<input type="hidden" name="(expected_count|digest|send_key)" value="([^"]+)">', confirm))
    assert fields["expected_count"] == "3"
    # A changed note after the confirmation sends nothing: the confirmation is asked again.
    changed = staff_client.post(invite_url(event), {**form_data(note="Anders."), **fields, "_send": "1"})
    assert changed.status_code == 200 and Invitation.objects.count() == 0
    with django_capture_on_commit_callbacks(execute=True):
        sent = staff_client.post(invite_url(event), {**form_data(), **fields, "_send": "1"})
    batch = InvitationBatch.objects.get()
    assert sent.status_code == 302
    assert sent["Location"] == reverse("admin:participants_invitationbatch_change", args=[batch.pk])
    assert batch.invitations.filter(state=DeliveryState.SENT).count() == 3
    # The same confirmation again sends nothing: every address of the segment is invited already.
    again = staff_client.post(invite_url(event), {**form_data(), **fields, "_send": "1"})
    assert again.status_code == 200 and InvitationBatch.objects.count() == 1
    assert "Die Auswahl enthält keine Adresse, die noch nicht eingeladen ist" in again.content.decode()
    detail = staff_client.get(sent["Location"]).content.decode()
    assert "versendet: 3, fehlgeschlagen: 0, Link geöffnet: 0, darüber angemeldet: 0." in detail
    assert "Organisationen (Funktionsadresse), Personen mit Einwilligung; alle eingeladenen Arten" in detail
    # The invitations themselves are a paginated list of their own, filtered by the batch.
    listing = reverse("admin:participants_invitation_changelist") + f"?batch__id__exact={batch.pk}"
    assert f'<a href="{listing}">Die 3 Einladungen ansehen</a>' in detail
    rows = staff_client.get(listing)
    assert rows.context["cl"].result_count == 3
    assert sorted(str(i) for i in rows.context["cl"].result_list) == [
        "anna@example.org",
        "info@main.example",
        "kontakt@isar.example",
    ]
    page = staff_client.get(invite_url(event)).content.decode()
    assert "Bisherige Einladungen zu diesem Praxisfachtag" in page


def test_the_preview_shows_a_note_with_markup_as_text(staff_client, event):
    note = '<h1>Groß</h1><a href="https://evil.example">Hier</a> <script>alert(1)</script>'
    html = staff_client.post(invite_url(event), {**form_data(note=note), "_preview": "1"}).content.decode()
    preview = html[html.index('class="kok-preview-body"') :]
    assert "&lt;h1&gt;Groß&lt;/h1&gt;&lt;a href=&quot;https://evil.example&quot;&gt;Hier&lt;/a&gt;" in preview
    assert "<h1>Groß" not in html and "<script>alert(1)" not in html
    assert "[KOK-Praxisfachtag] Einladung: Praxisfachtag Süd" in html


def test_closed_events_offer_no_invitations(staff_client, event):
    event.registration_closes = timezone.now() - dt.timedelta(hours=1)
    event.save()
    change = staff_client.get(reverse("admin:events_event_change", args=[event.pk])).content.decode()
    assert f'href="{invite_url(event)}"' not in change
    page = staff_client.get(invite_url(event)).content.decode()
    assert "Eingeladen wird nur zu einem veröffentlichten Praxisfachtag, dessen Anmeldung offen ist" in page
    assert 'name="_confirm"' not in page
    staff_client.post(invite_url(event), {**form_data(), "_confirm": "1"})
    assert Invitation.objects.count() == 0


def test_choosing_nobody_is_an_error(staff_client, event):
    response = staff_client.post(invite_url(event), {"note": "", "_preview": "1"})
    assert "Bitte wählen Sie, wer eingeladen wird" in response.content.decode()


def test_a_draft_event_cannot_be_invited_to(staff_client, event):
    event.status = "draft"
    event.save()
    response = staff_client.post(invite_url(event), {**form_data(), "_confirm": "1"})
    assert "Eingeladen wird nur zu einem veröffentlichten Praxisfachtag" in response.content.decode()


def test_the_list_of_batches_runs_a_fixed_number_of_queries(
    staff_client, event, django_assert_num_queries, django_assert_max_num_queries, django_capture_on_commit_callbacks
):
    from participants import invitations
    from participants.invitations import Segment
    from tests.factories import StaffFactory as Staff

    url = reverse("admin:participants_invitationbatch_changelist")
    staff = Staff(is_superuser=True)
    with django_capture_on_commit_callbacks(execute=True):
        invitations.invitations_send(event=event, segment=Segment(consents=False), note="", by=staff)
    staff_client.get(url)
    with django_assert_max_num_queries(12) as one:
        assert staff_client.get(url).status_code == 200
    for n in range(3):
        other = EventFactory(invited=[organisation_type("fachberatungsstelle")], slug=f"weitere-{n}")
        with django_capture_on_commit_callbacks(execute=True):
            invitations.invitations_send(event=other, segment=Segment(consents=False), note="", by=staff)
    with django_assert_num_queries(len(one.captured_queries)):
        assert staff_client.get(url).status_code == 200
