"""Speakers upload their slides through their personal link (events.speakers.speaker_slides_upload): checked like
every material, on one of their own programme items, until the deadline, not after declining; they may delete only
their own uploads; participants see them by the visibility the speaker chose."""

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from events import speakers
from events.materials import MaterialRefused
from events.models import Material, StoredFile
from kokportal.models import AuditLogEntry
from participants.enums import RegistrationStatus
from tests.factories import (
    TINY_PDF,
    EventFactory,
    ProgrammeItemFactory,
    RegistrationFactory,
    material_for,
    speaker_invitation,
    speaker_on,
)

pytestmark = pytest.mark.django_db

TOKEN = "s" * 43


@pytest.fixture
def event():
    return EventFactory(date=timezone.localdate() + dt.timedelta(days=30))


@pytest.fixture
def item(event):
    return ProgrammeItemFactory(event=event, title="Instrumente zur Identifizierung")


@pytest.fixture
def invitation(event, item):
    return speaker_invitation(speaker_on(item, name="Alex Beispiel"), event, token=TOKEN)


def _pdf(name="folien.pdf"):
    return SimpleUploadedFile(name, TINY_PDF)


def _url() -> str:
    return reverse("events:speaker_invitation", kwargs={"token": TOKEN})


def test_upload_becomes_a_material_of_the_speakers_item(invitation, item):
    material = speakers.speaker_slides_upload(
        invitation=invitation, uploaded_file=_pdf(), title="Folien", visibility="registered", programme_item_id=item.pk
    )
    assert (material.event_id, material.programme_item_id, material.visibility) == (
        item.event_id,
        item.pk,
        "registered",
    )
    assert (material.uploaded_by_speaker_id, material.uploaded_by_id, material.file_name) == (
        invitation.speaker_id,
        None,
        "folien.pdf",
    )
    assert list(AuditLogEntry.objects.filter(action="speaker_slides_uploaded").values_list("detail", flat=True)) == [
        {"speaker_id": invitation.speaker_id, "material_id": material.pk}
    ]


def test_upload_refuses_another_speakers_item_public_visibility_and_after_declining(invitation, event):
    other_item = ProgrammeItemFactory(event=event, title="Nicht meins")
    with pytest.raises(speakers.SpeakerError, match="einen Ihrer Programmpunkte"):
        speakers.speaker_slides_upload(
            invitation=invitation, uploaded_file=_pdf(), title="F", visibility="team", programme_item_id=other_item.pk
        )
    # A personal link can be forwarded: nothing uploaded through it goes public by itself.
    with pytest.raises(speakers.SpeakerError, match="wer die Datei sehen darf"):
        speakers.speaker_slides_upload(invitation=invitation, uploaded_file=_pdf(), title="F", visibility="public")
    speakers.speaker_decline(invitation=invitation)
    with pytest.raises(speakers.SpeakerError, match="Sie haben abgesagt"):
        speakers.speaker_slides_upload(invitation=invitation, uploaded_file=_pdf(), title="F", visibility="team")
    assert Material.objects.count() == 0


def test_upload_after_the_deadline_is_refused(invitation):
    late = invitation.deadline + dt.timedelta(minutes=1)
    with pytest.raises(speakers.SpeakerError, match="Die Frist ist am"):
        speakers.speaker_slides_upload(
            invitation=invitation, uploaded_file=_pdf(), title="F", visibility="team", now=late
        )
    assert (Material.objects.count(), StoredFile.objects.count()) == (0, 0)


def test_upload_is_checked_by_content(invitation):
    with pytest.raises(MaterialRefused, match="Die Dateiendung passt nicht zum Inhalt der Datei"):
        speakers.speaker_slides_upload(
            invitation=invitation,
            uploaded_file=SimpleUploadedFile("folien.docx", TINY_PDF),
            title="F",
            visibility="team",
        )
    assert Material.objects.count() == 0


def test_speaker_deletes_only_their_own_uploads(invitation, event):
    mine = speakers.speaker_slides_upload(invitation=invitation, uploaded_file=_pdf(), title="F", visibility="team")
    staff_material = material_for(event, title="Handout der Geschäftsstelle")
    with pytest.raises(speakers.SpeakerError, match="gibt es nicht"):
        speakers.speaker_slides_delete(invitation=invitation, material_id=staff_material.pk)
    speakers.speaker_slides_delete(invitation=invitation, material_id=mine.pk)
    assert list(Material.objects.values_list("title", flat=True)) == ["Handout der Geschäftsstelle"]


def test_speaker_page_upload_and_delete(invitation, item, event):
    client = Client()
    page = client.get(_url()).content.decode()
    assert 'enctype="multipart/form-data"' in page
    response = client.post(
        _url(),
        {
            "action": "upload",
            "title": "Folien zum Input",
            "programme_item": str(item.pk),
            "visibility": "registered",
            "upload": _pdf("Folien Identifizierung.pdf"),
        },
    )
    assert response.status_code == 302
    material = Material.objects.get()
    assert (material.title, material.file_name, material.programme_item_id) == (
        "Folien zum Input",
        "Folien Identifizierung.pdf",
        item.pk,
    )
    page = client.get(_url()).content.decode()
    assert "Die Datei ist hochgeladen." in page
    assert "„Folien zum Input“ löschen" in page

    # A participant with a confirmed registration sees it on the event page; an anonymous visitor does not.
    participant = RegistrationFactory(event=event, status=RegistrationStatus.CONFIRMED).user
    viewer = Client()
    viewer.force_login(participant)
    assert "Folien zum Input" in viewer.get(event.get_absolute_url()).content.decode()
    assert "Folien zum Input" not in Client().get(event.get_absolute_url()).content.decode()

    client.post(_url(), {"action": "delete_upload", "material": str(material.pk)})
    assert Material.objects.count() == 0


def test_speaker_page_shows_why_a_file_is_refused(invitation):
    response = Client().post(
        _url(),
        {
            "action": "upload",
            "title": "Folien",
            "visibility": "registered",
            "upload": SimpleUploadedFile("folien.pdf", b"<html><script>alert(1)</script></html>"),
        },
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "Diese Art von Datei ist nicht erlaubt. Erlaubt sind PDF, Word (DOCX)" in page
    assert Material.objects.count() == 0
