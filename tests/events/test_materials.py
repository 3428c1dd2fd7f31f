"""Materials of an event: the content check of uploads, the services (shared files of copies, removal from the
storage), the download's headers and who gets it (a 404 matrix), the admin's upload, the event page."""

import datetime as dt
import io
import zipfile
from pathlib import Path

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from PIL import Image

from events import materials
from events.enums import EventStatus, MaterialVisibility
from events.materials import MaterialRefused, material_add, material_delete, stored_files_purge_orphans
from events.models import Event, Material, StoredFile
from events.services import event_copy_as_draft
from participants.enums import RegistrationStatus as S
from tests.auth import login
from tests.factories import (
    TINY_PDF,
    EventFactory,
    EventTeamMemberFactory,
    ProgrammeItemFactory,
    RegistrationFactory,
    StaffFactory,
    UserFactory,
    material_for,
)

pytestmark = pytest.mark.django_db

TYPE_REFUSED = (
    "Diese Art von Datei ist nicht erlaubt. Erlaubt sind PDF, Word (DOCX), Excel (XLSX), PowerPoint (PPTX), "
    "OpenDocument (ODT, ODS, ODP) und Bilder (PNG, JPEG, GIF, WebP)."
)
FALSE_EXTENSION = "Die Dateiendung passt nicht zum Inhalt der Datei."
PATH_REFUSED = (
    "Der Dateiname darf keine Pfadangaben (/, \\, ..), keine Steuerzeichen und keinen Punkt am Anfang enthalten."
)


# --- tiny valid files, built here ----------------------------------------------------------------------------


def _image(fmt: str) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (4, 3), "teal").save(buffer, format=fmt)
    return buffer.getvalue()


def _ooxml(part: str) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", '<?xml version="1.0"?><Types/>')
        archive.writestr("_rels/.rels", '<?xml version="1.0"?><Relationships/>')
        archive.writestr(part, '<?xml version="1.0"?><root/>')
    return buffer.getvalue()


def _odf(mimetype: str) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr(zipfile.ZipInfo("mimetype"), mimetype, compress_type=zipfile.ZIP_STORED)
        archive.writestr("content.xml", '<?xml version="1.0"?><office:document-content/>', zipfile.ZIP_DEFLATED)
        archive.writestr("META-INF/manifest.xml", '<?xml version="1.0"?><manifest/>', zipfile.ZIP_DEFLATED)
    return buffer.getvalue()


ACCEPTED = [
    ("Programm.pdf", TINY_PDF, "application/pdf"),
    ("Foto.png", _image("PNG"), "image/png"),
    ("Foto.jpg", _image("JPEG"), "image/jpeg"),
    ("Foto.jpeg", _image("JPEG"), "image/jpeg"),
    ("Grafik.gif", _image("GIF"), "image/gif"),
    ("Grafik.webp", _image("WEBP"), "image/webp"),
    ("Handout.docx", _ooxml("word/document.xml"), materials.KINDS["docx"][0]),
    ("Liste.xlsx", _ooxml("xl/workbook.xml"), materials.KINDS["xlsx"][0]),
    ("Folien.pptx", _ooxml("ppt/presentation.xml"), materials.KINDS["pptx"][0]),
    ("Text.odt", _odf("application/vnd.oasis.opendocument.text"), "application/vnd.oasis.opendocument.text"),
    (
        "Tabelle.ods",
        _odf("application/vnd.oasis.opendocument.spreadsheet"),
        "application/vnd.oasis.opendocument.spreadsheet",
    ),
    (
        "Vortrag.odp",
        _odf("application/vnd.oasis.opendocument.presentation"),
        "application/vnd.oasis.opendocument.presentation",
    ),
]


def _media_files(settings) -> list[str]:
    folder = Path(settings.MEDIA_ROOT) / "materials"
    return sorted(p.name for p in folder.iterdir()) if folder.exists() else []


@pytest.fixture
def event():
    return EventFactory(title="Praxisfachtag Berlin")


@pytest.mark.parametrize(("name", "content", "content_type"), ACCEPTED, ids=[a[0] for a in ACCEPTED])
def test_material_add_accepts_each_allowed_type_by_its_content(event, settings, name, content, content_type):
    material = material_add(
        event=event,
        uploaded_file=SimpleUploadedFile(name, content, content_type="text/html"),  # the browser's claim is ignored
        title="Unterlage",
        visibility=MaterialVisibility.PUBLIC,
        by=None,
    )
    stored = material.stored_file
    assert (material.file_name, stored.content_type, stored.size) == (name, content_type, len(content))
    assert stored.extension == name.rsplit(".", 1)[1]
    assert stored.name.startswith("materials/") and stored.name.endswith("." + stored.extension)
    assert name not in stored.name
    with default_storage.open(stored.name, "rb") as handle:
        assert handle.read() == content
    assert _media_files(settings) == [Path(stored.name).name]


def _zip_bomb() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", b"\0" * 3_000_000)  # a few kB packed, 3 MB unpacked
    return buffer.getvalue()


REFUSED = [
    ("png-named-pdf", "Folien.pdf", _image("PNG"), FALSE_EXTENSION),
    ("docx-named-xlsx", "Liste.xlsx", _ooxml("word/document.xml"), FALSE_EXTENSION),
    ("html-named-pdf", "Handout.pdf", b"<!DOCTYPE html><html><script>alert(1)</script></html>", TYPE_REFUSED),
    (
        "svg-with-script",
        "Grafik.svg",
        b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>',
        TYPE_REFUSED,
    ),
    (
        "svg-named-png",
        "Grafik.png",
        b'<svg xmlns="http://www.w3.org/2000/svg"><script>x()</script></svg>',
        TYPE_REFUSED,
    ),
    ("executable", "Programm.exe", b"MZ\x90\x00\x03\x00\x00\x00" + b"\0" * 64, TYPE_REFUSED),
    ("old-doc", "Alt.doc", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 64, TYPE_REFUSED),
    ("plain-zip", "Archiv.docx", b"PK\x03\x04" + b"\0" * 40, TYPE_REFUSED),
    ("pdf-without-extension", "Handout", TINY_PDF, TYPE_REFUSED),
    ("empty", "Leer.pdf", b"", "Die Datei ist leer."),
    ("backslash-path", "ordner\\Handout.pdf", TINY_PDF, PATH_REFUSED),
    ("leading-dot", ".htaccess.pdf", TINY_PDF, PATH_REFUSED),
    ("control-character", "Hand\x07out.pdf", TINY_PDF, PATH_REFUSED),
]


@pytest.mark.parametrize(("name", "content", "message"), [r[1:] for r in REFUSED], ids=[r[0] for r in REFUSED])
def test_material_add_refuses_with_a_clear_message_and_stores_nothing(event, settings, name, content, message):
    with pytest.raises(MaterialRefused) as refusal:
        material_add(
            event=event,
            uploaded_file=SimpleUploadedFile(name, content),
            title="Unterlage",
            visibility=MaterialVisibility.PUBLIC,
            by=None,
        )
    assert str(refusal.value.message) == message
    assert (Material.objects.count(), StoredFile.objects.count(), _media_files(settings)) == (0, 0, [])


@pytest.mark.parametrize("file_name", ["../Handout.pdf", "a/b.pdf", "..", "/etc/passwd.pdf"])
def test_material_add_refuses_a_path_in_the_name_instead_of_cutting_it(event, settings, file_name):
    with pytest.raises(MaterialRefused) as refusal:
        material_add(
            event=event,
            uploaded_file=SimpleUploadedFile("Handout.pdf", TINY_PDF),
            file_name=file_name,
            title="Unterlage",
            visibility=MaterialVisibility.PUBLIC,
            by=None,
        )
    assert str(refusal.value.message) == PATH_REFUSED
    assert (Material.objects.count(), _media_files(settings)) == (0, [])


def test_material_add_refuses_a_file_over_the_limit(event, settings):
    settings.KOKPORTAL_MATERIAL_MAX_BYTES = 1000
    with pytest.raises(MaterialRefused) as refusal:
        material_add(
            event=event,
            uploaded_file=SimpleUploadedFile("Gross.pdf", TINY_PDF + b"\0" * 1000),
            title="Unterlage",
            visibility=MaterialVisibility.PUBLIC,
            by=None,
        )
    assert str(refusal.value.message) == "Die Datei ist zu groß (höchstens 1000\xa0Bytes)."
    assert (StoredFile.objects.count(), _media_files(settings)) == (0, [])


def test_material_add_refuses_a_zip_bomb(event, settings, monkeypatch):
    monkeypatch.setattr(materials, "ZIP_MAX_UNCOMPRESSED_BYTES", 2_000_000)
    bomb = _zip_bomb()
    assert len(bomb) < 20_000
    with pytest.raises(MaterialRefused) as refusal:
        material_add(
            event=event,
            uploaded_file=SimpleUploadedFile("Handout.docx", bomb),
            title="Unterlage",
            visibility=MaterialVisibility.PUBLIC,
            by=None,
        )
    assert str(refusal.value.message) == "Die Datei würde entpackt zu groß; sie wird nicht angenommen."
    assert _media_files(settings) == []


def test_material_add_refuses_a_programme_item_of_another_event(event, settings):
    other_item = ProgrammeItemFactory(event=EventFactory())
    with pytest.raises(MaterialRefused) as refusal:
        material_for(event, programme_item=other_item)
    assert str(refusal.value.message) == "Der Programmpunkt gehört nicht zu diesem Praxisfachtag."
    assert _media_files(settings) == []


def test_material_add_records_who_uploaded_in_the_audit_log(event):
    staff = StaffFactory()
    material = material_for(event, title="Folien", by=staff)
    from kokportal.models import AuditLogEntry

    entry = AuditLogEntry.objects.get(action="material_added")
    assert (entry.actor, entry.subject_id, entry.detail) == (
        staff,
        event.pk,
        {"material_id": material.pk, "size": len(TINY_PDF)},
    )
    assert material.uploaded_by == staff


# --- shared files, removal from the storage -------------------------------------------------------------------


def test_copy_as_draft_shares_the_stored_file_and_maps_programme_items(
    event, settings, django_capture_on_commit_callbacks
):
    welcome = ProgrammeItemFactory(event=event, start=dt.time(9), end=dt.time(9, 30), title="Begrüßung")
    talk = ProgrammeItemFactory(event=event, start=dt.time(10), end=dt.time(11), title="Input Arbeitsausbeutung")
    slides = material_for(event, title="Folien", visibility="registered", programme_item=talk)
    checklist = material_for(event, title="Checkliste", visibility="public")
    assert welcome.pk

    copy = event_copy_as_draft(event=event)

    copied = {m.title: m for m in Material.objects.filter(event=copy).select_related("programme_item")}
    assert sorted(copied) == ["Checkliste", "Folien"]
    assert copied["Folien"].stored_file_id == slides.stored_file_id
    assert copied["Checkliste"].stored_file_id == checklist.stored_file_id
    assert copied["Folien"].programme_item.event_id == copy.pk
    assert copied["Folien"].programme_item.title == "Input Arbeitsausbeutung"
    assert copied["Folien"].visibility == "registered"
    assert copied["Checkliste"].programme_item is None
    assert StoredFile.objects.count() == 2
    assert len(_media_files(settings)) == 2

    # Deleting the original keeps the file the copy refers to.
    with django_capture_on_commit_callbacks(execute=True):
        material_delete(material=slides, by=None)
    assert StoredFile.objects.filter(pk=slides.stored_file_id).exists()
    assert default_storage.exists(slides.stored_file.name)
    with default_storage.open(copied["Folien"].stored_file.name, "rb") as handle:
        assert handle.read() == TINY_PDF

    # Deleting the last reference removes it from the storage.
    with django_capture_on_commit_callbacks(execute=True):
        material_delete(material=copied["Folien"], by=None)
    assert not StoredFile.objects.filter(pk=slides.stored_file_id).exists()
    assert not default_storage.exists(slides.stored_file.name)
    assert _media_files(settings) == [Path(checklist.stored_file.name).name]


def test_deleting_an_event_in_the_admin_removes_its_orphaned_files(
    event, staff_client, settings, django_capture_on_commit_callbacks
):
    own = material_for(event, title="Nur hier")
    shared = material_for(event, title="Auch in der Kopie")
    copy = event_copy_as_draft(event=event)
    Material.objects.filter(event=copy, title="Nur hier").delete()  # the copy keeps only the shared one

    with django_capture_on_commit_callbacks(execute=True):
        response = staff_client.post(reverse("admin:events_event_delete", args=[event.pk]), {"post": "yes"})

    assert response.status_code == 302
    assert not Event.objects.filter(pk=event.pk).exists()
    assert list(StoredFile.objects.values_list("pk", flat=True)) == [shared.stored_file_id]
    assert not default_storage.exists(own.stored_file.name)
    assert default_storage.exists(shared.stored_file.name)
    assert _media_files(settings) == [Path(shared.stored_file.name).name]


def test_deleting_events_from_the_admin_list_purges_their_files(
    staff_client, settings, django_capture_on_commit_callbacks
):
    events = [EventFactory(), EventFactory()]
    for e in events:
        material_for(e)
    with django_capture_on_commit_callbacks(execute=True):
        response = staff_client.post(
            reverse("admin:events_event_changelist"),
            {"action": "delete_selected", "_selected_action": [e.pk for e in events], "post": "yes"},
        )
    assert response.status_code == 302
    assert (Event.objects.count(), StoredFile.objects.count(), _media_files(settings)) == (0, 0, [])


def test_purge_orphans_counts_and_keeps_referenced_files(event, django_capture_on_commit_callbacks):
    kept = material_for(event, title="Bleibt")
    gone = material_for(EventFactory(), title="Verwaist")
    Material.objects.filter(pk=gone.pk).delete()
    with django_capture_on_commit_callbacks(execute=True):
        assert stored_files_purge_orphans() == 1
    assert list(StoredFile.objects.values_list("pk", flat=True)) == [kept.stored_file_id]
    assert not default_storage.exists(gone.stored_file.name)


def test_uploaded_by_is_kept_empty_when_the_account_goes(event):
    staff = StaffFactory()
    material = material_for(event, by=staff)
    staff.delete()
    material.refresh_from_db()
    assert material.uploaded_by_id is None


# --- the download -------------------------------------------------------------------------------------------


def test_download_headers_of_a_public_material(client, event):
    material = material_for(event, title="Checkliste", file_name="Checkliste.pdf")
    response = client.get(material.get_absolute_url())
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == TINY_PDF
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'attachment; filename="Checkliste.pdf"'
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Security-Policy"] == "sandbox; default-src 'none'"
    assert response["Cache-Control"] == "public, max-age=300"
    assert response["Content-Length"] == str(len(TINY_PDF))


def test_download_of_a_participants_material_is_private_and_names_non_ascii_by_rfc_5987(event):
    participant = RegistrationFactory(event=event, status=S.CONFIRMED).user
    material = material_for(event, visibility="registered", file_name="Übersicht Ämter.pdf")
    response = login(Client(), participant).get(material.get_absolute_url())
    assert response.status_code == 200
    assert response["Cache-Control"] == "private, no-store"
    assert response["Content-Disposition"] == "attachment; filename*=utf-8''%C3%9Cbersicht%20%C3%84mter.pdf"


def test_download_by_x_accel_redirect_when_configured(client, event, settings):
    settings.KOKPORTAL_MATERIALS_X_ACCEL_PREFIX = "/_materials/"
    material = material_for(event, file_name="Checkliste.pdf")
    response = client.get(material.get_absolute_url())
    assert response.status_code == 200
    assert response.content == b""
    assert response["X-Accel-Redirect"] == "/_materials/" + material.stored_file.name
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'attachment; filename="Checkliste.pdf"'
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Security-Policy"] == "sandbox; default-src 'none'"


def test_download_is_404_for_a_wrong_name_another_event_or_an_unknown_material(client, event):
    material = material_for(event, file_name="Checkliste.pdf")
    other = EventFactory()
    kwargs = {"slug": event.slug, "pk": material.pk, "file_name": "Checkliste.pdf"}
    for changed in ({"file_name": "Andere.pdf"}, {"slug": other.slug}, {"pk": material.pk + 1000}):
        assert client.get(reverse("events:material_download", kwargs={**kwargs, **changed})).status_code == 404
    assert client.get(reverse("events:material_download", kwargs=kwargs)).status_code == 200


def test_media_root_is_never_served(client, event):
    material = material_for(event)
    assert client.get(f"/media/{material.stored_file.name}").status_code == 404


# The 404 matrix: who gets which material of a published and of a draft event.
ROLES = (
    "anonymous",
    "stranger",
    "confirmed",
    "attended",
    "cancelled",
    "waitlisted",
    "team",
    "staff_without_second_factor",
    "staff",
)
#                      anon stranger conf  att  canc wait team  no-2fa staff
MATRIX = {
    ("published", "public"): (200, 200, 200, 200, 200, 200, 200, 302, 200),
    ("published", "registered"): (404, 404, 200, 200, 404, 404, 200, 302, 200),
    ("published", "team"): (404, 404, 404, 404, 404, 404, 200, 302, 200),
    ("draft", "public"): (404, 404, 404, 404, 404, 404, 200, 302, 200),
    ("draft", "registered"): (404, 404, 404, 404, 404, 404, 200, 302, 200),
    ("draft", "team"): (404, 404, 404, 404, 404, 404, 200, 302, 200),
}


def _role_client(role: str, event: Event) -> Client:
    client = Client()
    statuses = {"confirmed": S.CONFIRMED, "attended": S.ATTENDED, "cancelled": S.CANCELLED, "waitlisted": S.WAITLISTED}
    if role == "anonymous":
        return client
    if role == "stranger":
        user = RegistrationFactory(event=EventFactory(), status=S.CONFIRMED).user  # confirmed elsewhere
    elif role in statuses:
        user = RegistrationFactory(event=event, status=statuses[role]).user
    elif role == "team":
        user = EventTeamMemberFactory(event=event, user=UserFactory()).user
    elif role == "staff_without_second_factor":
        user = StaffFactory(mfa=False)
    else:
        user = StaffFactory()
    return login(client, user)


@pytest.mark.parametrize(("status", "visibility"), list(MATRIX), ids=[f"{s}-{v}" for s, v in MATRIX])
def test_material_download_matrix(status, visibility):
    event = EventFactory(draft=status == "draft") if status == "draft" else EventFactory()
    assert (event.status == EventStatus.DRAFT) == (status == "draft")
    material = material_for(event, visibility=visibility)
    answers = []
    for role in ROLES:
        response = _role_client(role, event).get(material.get_absolute_url())
        answers.append(response.status_code)
        if response.status_code == 200:
            assert b"".join(response.streaming_content) == TINY_PDF
        elif response.status_code == 302:  # to the second factor first (then back), never the file itself
            assert response["Location"].startswith("/konto/2fa/")
            assert response.content == b""
    assert tuple(answers) == MATRIX[(status, visibility)], dict(zip(ROLES, answers, strict=True))


# --- the event page -----------------------------------------------------------------------------------------


def _materials_world(event):
    item = ProgrammeItemFactory(event=event, start=dt.time(10), end=dt.time(11), title="Input Arbeitsausbeutung")
    material_for(event, title="Checkliste Erstgespräch", visibility="public")
    material_for(event, title="Folien Arbeitsausbeutung", visibility="registered", programme_item=item)
    material_for(event, title="Interne Ablaufplanung", visibility="team")


def test_event_page_lists_the_materials_the_visitor_may_see(client, event):
    _materials_world(event)
    anonymous = client.get(event.get_absolute_url()).text
    assert "Checkliste Erstgespräch" in anonymous
    assert "(PDF, " in anonymous
    assert "Folien Arbeitsausbeutung" not in anonymous
    assert "Interne Ablaufplanung" not in anonymous

    participant = login(Client(), RegistrationFactory(event=event, status=S.CONFIRMED).user)
    page = participant.get(event.get_absolute_url())
    assert [m.title for m in page.context["materials"].all] == ["Checkliste Erstgespräch", "Folien Arbeitsausbeutung"]
    [(item, item_materials)] = page.context["programme"]
    assert [m.title for m in item_materials] == ["Folien Arbeitsausbeutung"]
    assert "zum Programmpunkt „Input Arbeitsausbeutung“" in page.text
    assert "Interne Ablaufplanung" not in page.text

    staff = login(Client(), StaffFactory())
    titles = [m.title for m in staff.get(event.get_absolute_url()).context["materials"].all]
    assert titles == ["Checkliste Erstgespräch", "Folien Arbeitsausbeutung", "Interne Ablaufplanung"]


def test_event_page_shows_type_and_size(client, event, settings):
    material_for(event, title="Großes Handout", content=TINY_PDF + b"\0" * (1024 * 1024 + 200 * 1024))
    text = client.get(event.get_absolute_url()).text
    assert 'Großes Handout</a> <span class="small text-body-secondary material-facts">(PDF, 1,2\xa0MB)</span>' in text


def test_event_page_anonymous_is_one_query_with_materials(client, event, django_assert_num_queries):
    _materials_world(event)
    for n in range(5):
        material_for(event, title=f"Handout {n}")
    with django_assert_num_queries(1):
        response = client.get(event.get_absolute_url() + "?uncached=1")
    assert len(response.context["materials"].all) == 6


def test_event_page_query_count_for_a_participant_does_not_grow_with_materials(event, django_assert_num_queries):
    participant = login(Client(), RegistrationFactory(event=event, status=S.CONFIRMED).user)
    material_for(event, title="Eins", visibility="registered")
    participant.get(event.get_absolute_url())
    with CaptureQueriesContext(connection) as one:
        participant.get(event.get_absolute_url())
    _materials_world(event)
    for n in range(8):
        material_for(event, title=f"Handout {n}", visibility="registered")
    with django_assert_num_queries(len(one.captured_queries)):
        response = participant.get(event.get_absolute_url())
    assert len(response.context["materials"].all) == 11


def test_review_of_a_past_event_lists_its_public_materials(client):
    event = EventFactory(past=True, summary="Ein guter Tag.")
    event.review_published_at = timezone.now()
    event.save()
    material_for(event, title="Dokumentation der Ergebnisse", visibility="public")
    material_for(event, title="Teilnehmendenliste", visibility="registered")
    response = client.get(event.get_absolute_url())
    review = response.text.split('id="review-heading"')[1].split("</section>")[0]
    assert "Dokumentation der Ergebnisse" in review
    assert "Teilnehmendenliste" not in review


def test_a_new_material_shows_at_once_on_the_cached_page(client, event, django_capture_on_commit_callbacks):
    client.get(event.get_absolute_url())
    with django_capture_on_commit_callbacks(execute=True):
        material_for(event, title="Neu hochgeladen")
    assert "Neu hochgeladen" in client.get(event.get_absolute_url()).text


# --- the admin ----------------------------------------------------------------------------------------------


def _inline_data(staff_client, event, **row) -> dict:
    from tests.events.test_public_pages import _admin_form_data

    data = _admin_form_data(staff_client.get(reverse("admin:events_event_change", args=[event.pk])))
    data["materials-TOTAL_FORMS"] = "1"
    data["materials-INITIAL_FORMS"] = "0"
    for key, value in row.items():
        data[f"materials-0-{key}"] = value
    return data


def test_admin_inline_uploads_a_material(staff_client, event, settings):
    item = ProgrammeItemFactory(event=event)
    data = _inline_data(
        staff_client,
        event,
        title="Handout",
        title_en="Handout (English)",
        programme_item=item.pk,
        visibility="registered",
        position="1",
        upload=SimpleUploadedFile("Handout.docx", _ooxml("word/document.xml")),
    )
    response = staff_client.post(reverse("admin:events_event_change", args=[event.pk]), data)
    assert response.status_code == 302, response.context and response.context["errors"]
    material = Material.objects.get(event=event)
    assert (material.title, material.title_en, material.programme_item, material.visibility, material.file_name) == (
        "Handout",
        "Handout (English)",
        item,
        "registered",
        "Handout.docx",
    )
    assert material.stored_file.content_type == materials.KINDS["docx"][0]
    assert len(_media_files(settings)) == 1


def test_admin_inline_shows_the_refusal_and_saves_nothing(staff_client, event, settings):
    data = _inline_data(
        staff_client,
        event,
        title="Handout",
        visibility="public",
        position="0",
        upload=SimpleUploadedFile("Handout.pdf", _image("PNG")),
    )
    data["title"] = "Geänderter Titel"
    response = staff_client.post(reverse("admin:events_event_change", args=[event.pk]), data)
    assert response.status_code == 200
    assert FALSE_EXTENSION in response.text
    event.refresh_from_db()
    assert event.title == "Praxisfachtag Berlin"
    assert (Material.objects.count(), StoredFile.objects.count(), _media_files(settings)) == (0, 0, [])


def test_admin_inline_new_row_needs_a_file(staff_client, event):
    data = _inline_data(staff_client, event, title="Handout", visibility="public", position="0")
    response = staff_client.post(reverse("admin:events_event_change", args=[event.pk]), data)
    assert response.status_code == 200
    assert "Bitte wählen Sie eine Datei." in response.text
    assert Material.objects.count() == 0


def test_admin_inline_offers_only_this_events_programme_items(staff_client, event):
    own = ProgrammeItemFactory(event=event, title="Eigener Punkt")
    ProgrammeItemFactory(event=EventFactory(), title="Fremder Punkt")
    material_for(event)
    response = staff_client.get(reverse("admin:events_event_change", args=[event.pk]))
    formset = next(f for f in response.context["inline_admin_formsets"] if f.formset.model is Material)
    assert list(formset.formset.forms[0].fields["programme_item"].queryset) == [own]


def test_material_admin_uploads_and_changes_through_the_services(staff_client, event, settings):
    response = staff_client.post(
        reverse("admin:events_material_add"),
        {
            "event": event.pk,
            "title": "Folien",
            "title_en": "",
            "visibility": "team",
            "position": "0",
            "upload": SimpleUploadedFile("Folien.pptx", _ooxml("ppt/presentation.xml")),
        },
    )
    assert response.status_code == 302
    material = Material.objects.get()
    assert (material.title, material.visibility, material.file_name) == ("Folien", "team", "Folien.pptx")
    from kokportal.models import AuditLogEntry

    assert list(AuditLogEntry.objects.values_list("action", flat=True)) == ["material_added"]

    response = staff_client.post(
        reverse("admin:events_material_change", args=[material.pk]),
        {"title": "Folien (überarbeitet)", "title_en": "", "visibility": "public", "position": "2"},
    )
    assert response.status_code == 302
    material.refresh_from_db()
    assert (material.title, material.visibility, material.position) == ("Folien (überarbeitet)", "public", 2)
    assert sorted(AuditLogEntry.objects.values_list("action", flat=True)) == ["material_added", "material_changed"]


def test_material_admin_shows_the_refusal_and_saves_nothing(staff_client, event, settings):
    response = staff_client.post(
        reverse("admin:events_material_add"),
        {
            "event": event.pk,
            "title": "Skript",
            "visibility": "public",
            "position": "0",
            "upload": SimpleUploadedFile("Skript.pdf", b"<html><script>alert(1)</script></html>"),
        },
    )
    assert response.status_code == 200
    assert TYPE_REFUSED in response.text
    assert (Material.objects.count(), _media_files(settings)) == (0, [])


def test_material_admin_refuses_another_events_programme_item(staff_client, event):
    other_item = ProgrammeItemFactory(event=EventFactory(), title="Fremder Punkt")
    response = staff_client.post(
        reverse("admin:events_material_add"),
        {
            "event": event.pk,
            "programme_item": other_item.pk,
            "title": "Folien",
            "visibility": "public",
            "position": "0",
            "upload": SimpleUploadedFile("Folien.pdf", TINY_PDF),
        },
    )
    assert response.status_code == 200
    assert "Der Programmpunkt gehört nicht zu diesem Praxisfachtag." in response.text
    assert Material.objects.count() == 0


def test_material_admin_delete_removes_the_file(staff_client, event, django_capture_on_commit_callbacks):
    material = material_for(event)
    with django_capture_on_commit_callbacks(execute=True):
        response = staff_client.post(reverse("admin:events_material_delete", args=[material.pk]), {"post": "yes"})
    assert response.status_code == 302
    assert (Material.objects.count(), StoredFile.objects.count()) == (0, 0)
    assert not default_storage.exists(material.stored_file.name)


def test_documentation_lists_public_and_participants_materials_by_title(event):
    from events.documents.pdfs import documentation_html

    material_for(event, title="Checkliste Erstgespräch", visibility="public")
    material_for(event, title="Folien für Teilnehmende", visibility="registered")
    material_for(event, title="Interne Ablaufplanung", visibility="team")
    html = documentation_html(event=event, lang="de")
    chapter = html.split('id="materials"')[1]
    assert "Checkliste Erstgespräch" in chapter
    assert "Folien für Teilnehmende – nur angemeldete Teilnehmer*innen" in chapter
    assert "Interne Ablaufplanung" not in html


@pytest.mark.parametrize(
    "content",
    [
        b"%PDF-1.4\n<html><body><script>alert(1)</script></body></html>\n%%EOF\n",
        b"%PDF-1.4\n" + b"x" * 100 + b"\n<!DOCTYPE html><p>page</p>",
    ],
    ids=["html-with-script-after-pdf-header", "html-without-trailer"],
)
def test_a_pdf_header_in_front_of_html_is_refused(content):
    """Outside walk: a polyglot (a PDF header followed by an HTML page) passed the check by its first bytes."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from events.materials import MaterialRefused, check_upload

    with pytest.raises(MaterialRefused) as excinfo:
        check_upload(SimpleUploadedFile("folien.pdf", content))
    assert excinfo.value.message.startswith("Diese Art von Datei ist nicht erlaubt.")
