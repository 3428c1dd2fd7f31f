import datetime as dt

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from events.documents import rendering
from events.documents.rendering import Pdf
from events.enums import EventStatus
from kokportal.audit import audit_entries_for
from kokportal.models import AuditLogEntry
from participants.enums import RegistrationStatus
from tests.auth import login
from tests.factories import EventFactory, RegistrationFactory, StaffFactory, UserFactory

pytestmark = pytest.mark.django_db

DOCUMENT_URLS = ["index", "documentation", "participant_list", "sign_in_sheet", "badges"]


@pytest.fixture(autouse=True)
def _fast_pdf(monkeypatch):
    """The access tests render the templates but not the PDF (the PDF tests do that)."""
    rendered = []

    def fake(html, *, stylesheets):
        rendered.append(html)
        return Pdf(content=b"%PDF-1.7 test", page_count=1)

    monkeypatch.setattr(rendering, "html_to_pdf", fake)
    return rendered


def _client(user=None) -> Client:
    client = Client()
    if user is not None:
        login(client, user)
    return client


def _get(client: Client, name: str, event, **query):
    return client.get(reverse(f"documents:{name}", kwargs={"slug": event.slug}), query)


def _statuses(user, event) -> dict[str, int]:
    client = _client(user)
    return {name: _get(client, name, event).status_code for name in DOCUMENT_URLS}


ALL_OK = dict.fromkeys(DOCUMENT_URLS, 200)
ALL_404 = dict.fromkeys(DOCUMENT_URLS, 404)


def test_documents_anonymous_is_sent_to_login(documented):
    for name in DOCUMENT_URLS:
        response = _get(_client(), name, documented.event)
        assert response.status_code == 302
        assert response.url.startswith(reverse("account_login") + "?next=")


def test_documents_anonymous_unknown_event_looks_the_same(db):
    response = _client().get(reverse("documents:documentation", kwargs={"slug": "gibt-es-nicht"}))

    assert response.status_code == 302


def test_documents_staff_gets_everything(documented):
    assert _statuses(StaffFactory(), documented.event) == ALL_OK


def test_documents_co_organiser_gets_everything(documented):
    assert _statuses(documented.co_organiser, documented.event) == ALL_OK


def test_documents_team_facilitator_gets_everything(documented):
    assert _statuses(documented.facilitator, documented.event) == ALL_OK


def test_documents_workshop_facilitator_gets_everything(documented):
    assert _statuses(documented.workshop_facilitator, documented.event) == ALL_OK


def test_documents_consenting_participant_gets_only_the_contact_list(documented):
    participant = documented.consenting[0].user

    assert _statuses(participant, documented.event) == {**ALL_404, "participant_list": 200}


def test_documents_participant_without_consent_gets_nothing(documented):
    assert _statuses(documented.not_consenting[0].user, documented.event) == ALL_404


def test_documents_waitlisted_participant_gets_nothing(documented):
    assert _statuses(documented.others[1].user, documented.event) == ALL_404


def test_documents_participant_of_another_event_gets_nothing(documented):
    other = RegistrationFactory(
        event=EventFactory(), contact_list_consent=True, contact_list_consented_at=documented.event.created
    )

    assert _statuses(other.user, documented.event) == ALL_404
    assert _statuses(other.user, other.event) == {**ALL_404, "participant_list": 200}


def test_documents_unrelated_user_gets_nothing(documented):
    assert _statuses(UserFactory(), documented.event) == ALL_404


def test_documents_unknown_event_is_404_for_staff(db):
    response = _client(StaffFactory()).get(reverse("documents:documentation", kwargs={"slug": "gibt-es-nicht"}))

    assert response.status_code == 404


def test_contact_list_of_draft_event_is_404_for_participants(db):
    registration = RegistrationFactory(
        event=EventFactory(status=EventStatus.DRAFT),
        status=RegistrationStatus.CONFIRMED,
        contact_list_consent=True,
        contact_list_consented_at="2026-01-01T10:00:00Z",
    )

    assert _get(_client(registration.user), "participant_list", registration.event).status_code == 404


def test_sign_in_sheet_and_badges_of_virtual_event_are_404(db):
    event = EventFactory(virtual=True)

    statuses = _statuses(StaffFactory(), event)

    assert statuses == {**ALL_OK, "sign_in_sheet": 404, "badges": 404}


def test_documentation_download_is_a_pdf_attachment(documented):
    response = _get(_client(StaffFactory()), "documentation", documented.event, lang="en")

    assert response["Content-Type"] == "application/pdf"
    assert (
        response["Content-Disposition"] == 'attachment; filename="documentation-praxisfachtag-dokumentationstest.pdf"'
    )
    assert response["Cache-Control"] == "private, no-store"
    assert response.content == b"%PDF-1.7 test"


def test_documentation_download_with_cases_and_language(documented, _fast_pdf):
    _get(_client(StaffFactory()), "documentation", documented.event, lang="de", fallbeispiele="1")
    _get(_client(StaffFactory()), "documentation", documented.event, lang="xx")

    with_cases, unknown_language = _fast_pdf
    assert '<html lang="de">' in with_cases
    assert "Herr T. arbeitete im Restaurant." in with_cases
    assert '<html lang="de">' in unknown_language
    assert "Herr T. arbeitete im Restaurant." not in unknown_language


def test_staff_organiser_page_offers_the_case_texts(documented):
    html = _get(_client(StaffFactory()), "index", documented.event).content.decode()

    assert "mit 1 freigegebenem Fallbeispiel" in html
    assert f"/praxisfachtage/{documented.event.slug}/dokumente/dokumentation.pdf?lang=de&amp;fallbeispiele=1" in html


@pytest.mark.parametrize("role", ["co_organiser", "facilitator", "workshop_facilitator"])
def test_documentation_with_cases_is_404_for_the_team_outside_the_rule_of_the_case_pages(documented, _fast_pdf, role):
    """The event lies years back: outside the workshop's window, facilitators may not read its case texts, and
    co-organisers never may; the PDF follows the case pages' rule (security review, item 2)."""
    client = _client(getattr(documented, role))

    response = _get(client, "documentation", documented.event, fallbeispiele="1")

    assert response.status_code == 404
    assert _fast_pdf == []
    assert _get(client, "documentation", documented.event).status_code == 200
    assert "Herr T. arbeitete im Restaurant." not in _fast_pdf[0]


def test_documentation_with_cases_for_a_workshop_facilitator_inside_the_window(documented, _fast_pdf):
    event = documented.event
    event.date = timezone.localdate() + dt.timedelta(days=3)
    event.save(update_fields=["date"])

    response = _get(_client(documented.workshop_facilitator), "documentation", event, fallbeispiele="1")
    co_organiser = _get(_client(documented.co_organiser), "documentation", event, fallbeispiele="1")

    assert (response.status_code, co_organiser.status_code) == (200, 404)
    (html,) = _fast_pdf
    assert "Herr T. arbeitete im Restaurant." in html
    assert "Entwurfstext nie drucken." not in html


def test_personal_data_downloads_are_audited(documented):
    staff = StaffFactory()
    client = _client(staff)
    for name in ("documentation", "participant_list", "sign_in_sheet", "badges"):
        _get(client, name, documented.event)

    entries = audit_entries_for(documented.event).order_by("created", "pk")
    assert [(e.actor, e.action, e.detail) for e in entries] == [
        (staff, "download_contact_list_pdf", {"count": 2}),
        (staff, "download_sign_in_sheet_pdf", {"count": 4}),
        (staff, "download_badges_pdf", {"count": 4}),
    ]


def test_contact_list_download_by_participant_is_audited(documented):
    participant = documented.consenting[0].user

    _get(_client(participant), "participant_list", documented.event)

    entry = AuditLogEntry.objects.get()
    assert (entry.actor, entry.action, entry.subject, entry.detail) == (
        participant,
        "download_contact_list_pdf",
        documented.event,
        {"count": 2},
    )


def test_organiser_page_lists_the_documents(documented):
    response = _get(_client(documented.co_organiser), "index", documented.event)
    html = response.content.decode()

    slug = documented.event.slug
    assert f'href="/praxisfachtage/{slug}/dokumente/dokumentation.pdf?lang=de"' in html
    assert f'href="/praxisfachtage/{slug}/dokumente/kontaktliste.pdf"' in html
    assert f'href="/praxisfachtage/{slug}/dokumente/unterschriftenliste.pdf"' in html
    assert f'href="/praxisfachtage/{slug}/dokumente/namensschilder.pdf"' in html
    # A co-organiser may not read case texts (the case pages answer 404), so no link offers them in the PDF.
    assert "fallbeispiele=1" not in html
    assert "Fallbeispiel" not in html
    assert "2 Personen haben der Aufnahme zugestimmt" in html
    assert "4 bestätigte Personen" in html


# --- admin ----------------------------------------------------------------------------------------------------------


def _admin_url(event, document: str) -> str:
    return reverse("admin:events_event_document", args=[event.pk, document])


@pytest.mark.parametrize("document", ["dokumentation", "kontaktliste", "unterschriftenliste", "namensschilder"])
def test_admin_document_download_for_staff(documented, document):
    response = _client(StaffFactory(is_superuser=True)).get(_admin_url(documented.event, document))

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"


def test_admin_document_unknown_kind_is_404(documented):
    response = _client(StaffFactory(is_superuser=True)).get(_admin_url(documented.event, "geheim"))

    assert response.status_code == 404


def test_admin_document_for_non_staff_team_member_goes_to_admin_login(documented):
    response = _client(documented.co_organiser).get(_admin_url(documented.event, "dokumentation"))

    assert response.status_code == 302
    assert "/admin/login/" in response.url


def test_admin_change_page_shows_the_document_buttons(documented):
    response = _client(StaffFactory(is_superuser=True)).get(
        reverse("admin:events_event_change", args=[documented.event.pk])
    )
    html = response.content.decode()

    assert response.status_code == 200
    assert f'href="{_admin_url(documented.event, "dokumentation")}?lang=de"' in html
    assert f'href="{_admin_url(documented.event, "namensschilder")}"' in html
    assert f'href="/praxisfachtage/{documented.event.slug}/dokumente/"' in html
