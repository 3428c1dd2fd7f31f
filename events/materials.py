"""Materials of an event (slides, handouts, checklists): the check of an upload by its content, the writes, and the
reads of the download.

An upload is accepted only when its bytes are one of the allowed kinds (PDF, Word/Excel/PowerPoint as OOXML,
OpenDocument text/spreadsheet/presentation, PNG, JPEG, GIF, WebP) and its name's extension says the same; anything
else (HTML, SVG, scripts, programs, old binary Office files) is refused with a message naming what is allowed. The
bytes go to the default storage (MEDIA_ROOT, never served directly) under a random name (``StoredFile``); the name
people see is the material's ``file_name``. Copies of an event share the stored file; the file leaves the storage
with its last material (``material_delete``, ``stored_files_purge_orphans``), after the commit.

Who may see which material is events.permissions.material_visibilities (the floor above tells whether the person
is a registered participant); the download view (events.views.material_download) composes both.
"""

from __future__ import annotations

import hashlib
import logging
import uuid
import zipfile
from dataclasses import dataclass

from django.conf import settings
from django.core.files.storage import default_storage
from django.db import transaction
from django.db.models import Exists, OuterRef
from django.http import Http404
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from kokportal.audit import audit_actions_register, audit_log_record
from kokportal.errors import DomainError
from kokportal.pagecache import public_pages_changed

from .enums import MaterialVisibility
from .models import Event, Material, ProgrammeItem, StoredFile

logger = logging.getLogger(__name__)

audit_actions_register(
    {
        "material_added": gettext_lazy("Material hochgeladen"),
        "material_changed": gettext_lazy("Material geändert"),
        "material_deleted": gettext_lazy("Material gelöscht"),
    }
)

STORAGE_FOLDER = "materials"
FILE_NAME_MAX_LENGTH = 200
# A zip (OOXML, OpenDocument) whose members would unpack to more than this is refused (a "zip bomb"), as is one
# with more members than ZIP_MAX_MEMBERS. Nothing but ODF's small "mimetype" member is ever unpacked here.
ZIP_MAX_UNCOMPRESSED_BYTES = 200 * 1024 * 1024
ZIP_MAX_MEMBERS = 10_000
_CHUNK = 64 * 1024

# detected kind -> (content type, extensions that name it)
KINDS: dict[str, tuple[str, tuple[str, ...]]] = {
    "pdf": ("application/pdf", ("pdf",)),
    "png": ("image/png", ("png",)),
    "jpeg": ("image/jpeg", ("jpg", "jpeg")),
    "gif": ("image/gif", ("gif",)),
    "webp": ("image/webp", ("webp",)),
    "docx": ("application/vnd.openxmlformats-officedocument.wordprocessingml.document", ("docx",)),
    "xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", ("xlsx",)),
    "pptx": ("application/vnd.openxmlformats-officedocument.presentationml.presentation", ("pptx",)),
    "odt": ("application/vnd.oasis.opendocument.text", ("odt",)),
    "ods": ("application/vnd.oasis.opendocument.spreadsheet", ("ods",)),
    "odp": ("application/vnd.oasis.opendocument.presentation", ("odp",)),
}
_OOXML_PARTS = {"word/": "docx", "xl/": "xlsx", "ppt/": "pptx"}
_ODF_TYPES = {KINDS[kind][0]: kind for kind in ("odt", "ods", "odp")}
ALLOWED_EXTENSIONS = tuple(ext for _type, exts in KINDS.values() for ext in exts)


class MaterialRefused(DomainError):
    default_message = gettext_lazy("Diese Datei kann nicht als Material gespeichert werden.")


def type_refused_message() -> str:
    return _(
        "Diese Art von Datei ist nicht erlaubt. Erlaubt sind PDF, Word (DOCX), Excel (XLSX), PowerPoint (PPTX), "
        "OpenDocument (ODT, ODS, ODP) und Bilder (PNG, JPEG, GIF, WebP)."
    )


# --- the check of an upload ----------------------------------------------------------------------------------


def check_file_name(name: str) -> str:
    """The name as given, or MaterialRefused when it contains a path, control characters or a leading dot (it is
    refused, never silently cut: the person sees which name was wrong)."""
    name = name or ""
    if not name.strip():
        raise MaterialRefused(_("Die Datei hat keinen Namen."))
    if (
        "/" in name
        or "\\" in name
        or ".." in name
        or name.startswith(".")
        or any(not char.isprintable() for char in name)
    ):
        raise MaterialRefused(
            _(
                "Der Dateiname darf keine Pfadangaben (/, \\, ..), keine Steuerzeichen und keinen Punkt am Anfang "
                "enthalten."
            )
        )
    if len(name) > FILE_NAME_MAX_LENGTH:
        raise MaterialRefused(
            _("Der Dateiname ist zu lang (höchstens %(max)d Zeichen).") % {"max": FILE_NAME_MAX_LENGTH}
        )
    if "." not in name.strip(".") or not name.rsplit(".", 1)[1]:
        raise MaterialRefused(type_refused_message())
    return name


def _zip_kind(upload) -> str | None:
    """The kind of an OOXML or OpenDocument file, None for any other zip. MaterialRefused for a zip bomb."""
    upload.seek(0)
    try:
        with zipfile.ZipFile(upload) as archive:
            members = archive.infolist()
            if len(members) > ZIP_MAX_MEMBERS or sum(m.file_size for m in members) > ZIP_MAX_UNCOMPRESSED_BYTES:
                raise MaterialRefused(_("Die Datei würde entpackt zu groß; sie wird nicht angenommen."))
            names = [m.filename for m in members]
            if members and members[0].filename == "mimetype" and members[0].file_size <= 100:
                with archive.open(members[0]) as member:
                    mimetype = member.read(101).decode("ascii", errors="replace").strip()
                return _ODF_TYPES.get(mimetype)
            if "[Content_Types].xml" in names:
                for prefix, kind in _OOXML_PARTS.items():
                    if any(n.startswith(prefix) for n in names):
                        return kind
    except (zipfile.BadZipFile, zipfile.LargeZipFile, RuntimeError, NotImplementedError, ValueError, EOFError):
        return None
    return None


# Markup that has no business in a PDF's readable parts: a file that starts like a PDF but carries an HTML page or a
# script is a polyglot (a browser sniffing it would run the script), not a handout.
_MARKUP_IN_PDF = (b"<html", b"<script", b"<body", b"<iframe", b"<svg", b"<!doctype html")


def _looks_like_pdf(upload) -> bool:
    """No HTML in the first 64 KB or the last kilobyte of what starts like a PDF (where a polyglot puts its page)."""
    upload.seek(0, 2)
    size = upload.tell()
    upload.seek(0)
    start = upload.read(65536).lower()
    upload.seek(max(size - 1024, 0))
    end = upload.read().lower()
    upload.seek(0)
    return not any(marker in start or marker in end for marker in _MARKUP_IN_PDF)


def detect_kind(upload) -> str | None:
    """The kind of the file's content (a key of KINDS) by its first bytes and, for zips, their members; None when it
    is none of the allowed kinds."""
    upload.seek(0)
    head = upload.read(16)
    if head.startswith(b"%PDF-"):
        return "pdf" if _looks_like_pdf(upload) else None
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    if head.startswith(b"\xff\xd8\xff"):
        return "jpeg"
    if head.startswith((b"GIF87a", b"GIF89a")):
        return "gif"
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "webp"
    if head.startswith(b"PK\x03\x04"):
        return _zip_kind(upload)
    return None


@dataclass(frozen=True)
class CheckedFile:
    file_name: str
    extension: str
    content_type: str
    size: int
    sha256: str


def check_upload(upload, *, file_name: str | None = None) -> CheckedFile:
    """What an uploaded file is, or MaterialRefused saying why it is not accepted: a name with a path, an empty or
    too large file, a content of a kind not allowed, an extension that does not match the content."""
    name = check_file_name(file_name if file_name is not None else upload.name)
    limit = settings.KOKPORTAL_MATERIAL_MAX_BYTES
    upload.seek(0)
    digest, size = hashlib.sha256(), 0
    while chunk := upload.read(_CHUNK):
        size += len(chunk)
        if size > limit:
            raise MaterialRefused(_("Die Datei ist zu groß (höchstens %(limit)s).") % {"limit": filesizeformat(limit)})
        digest.update(chunk)
    if size == 0:
        raise MaterialRefused(_("Die Datei ist leer."))
    kind = detect_kind(upload)
    upload.seek(0)
    if kind is None:
        raise MaterialRefused(type_refused_message())
    content_type, extensions = KINDS[kind]
    extension = name.rsplit(".", 1)[1].lower()
    if extension not in extensions:
        if extension not in ALLOWED_EXTENSIONS:
            raise MaterialRefused(type_refused_message())
        raise MaterialRefused(_("Die Dateiendung passt nicht zum Inhalt der Datei."))
    return CheckedFile(
        file_name=name, extension=extension, content_type=content_type, size=size, sha256=digest.hexdigest()
    )


# --- writes ----------------------------------------------------------------------------------------------------


def _check_fields(*, event: Event, title: str, visibility: str, programme_item: ProgrammeItem | None) -> None:
    if not (title or "").strip():
        raise MaterialRefused(_("Bitte geben Sie einen Titel an."))
    if visibility not in MaterialVisibility.values:
        raise MaterialRefused(_("Bitte wählen Sie, für wen das Material sichtbar ist."))
    if programme_item is not None and programme_item.event_id != event.pk:
        raise MaterialRefused(_("Der Programmpunkt gehört nicht zu diesem Praxisfachtag."))


def _store(upload, checked: CheckedFile) -> StoredFile:
    """Write the bytes under a random name and record them (the row is saved by the caller's transaction)."""
    upload.seek(0)
    name = default_storage.save(f"{STORAGE_FOLDER}/{uuid.uuid4().hex}.{checked.extension}", upload)
    return StoredFile(
        name=name,
        content_type=checked.content_type,
        extension=checked.extension,
        size=checked.size,
        sha256=checked.sha256,
    )


def _delete_from_storage(name: str) -> None:
    try:
        default_storage.delete(name)
    except OSError:
        logger.warning("material file could not be removed from storage", exc_info=True)


def material_add(
    *,
    event: Event,
    uploaded_file,
    title: str,
    visibility: str,
    programme_item: ProgrammeItem | None = None,
    by,
    title_en: str = "",
    position: int = 0,
    file_name: str | None = None,
    speaker=None,
) -> Material:
    """Check an upload and save it as a material of ``event`` (``file_name``: the download name, by default the
    upload's name; ``speaker``: the speaker who uploaded it through their personal link). MaterialRefused says what
    is wrong; nothing is stored then."""
    _check_fields(event=event, title=title, visibility=visibility, programme_item=programme_item)
    checked = check_upload(uploaded_file, file_name=file_name)
    stored = _store(uploaded_file, checked)
    try:
        with transaction.atomic():
            stored.save()
            material = Material.objects.create(
                event=event,
                programme_item=programme_item,
                title=title.strip(),
                title_en=(title_en or "").strip(),
                file_name=checked.file_name,
                stored_file=stored,
                visibility=visibility,
                position=position,
                uploaded_by=by if getattr(by, "is_authenticated", False) else None,
                uploaded_by_speaker=speaker,
            )
            audit_log_record(actor=by, action="material_added", event=event, material_id=material.pk, size=checked.size)
            transaction.on_commit(public_pages_changed)
    except BaseException:
        _delete_from_storage(stored.name)
        raise
    return material


_KEEP = object()


def material_update(
    *,
    material: Material,
    by,
    title: str | None = None,
    title_en: str | None = None,
    visibility: str | None = None,
    programme_item=_KEEP,
    position: int | None = None,
    uploaded_file=None,
) -> Material:
    """Change a material's title, visibility, programme item or position; ``uploaded_file`` replaces its file (the
    old one leaves the storage when no other material refers to it)."""
    title = material.title if title is None else title
    visibility = material.visibility if visibility is None else visibility
    programme_item = material.programme_item if programme_item is _KEEP else programme_item
    _check_fields(event=material.event, title=title, visibility=visibility, programme_item=programme_item)
    stored = None
    if uploaded_file is not None:
        checked = check_upload(uploaded_file)
        stored = _store(uploaded_file, checked)
    try:
        with transaction.atomic():
            old_file_id = material.stored_file_id
            material.title = title.strip()
            if title_en is not None:
                material.title_en = title_en.strip()
            material.visibility = visibility
            material.programme_item = programme_item
            if position is not None:
                material.position = position
            if stored is not None:
                stored.save()
                material.stored_file = stored
                material.file_name = checked.file_name
            material.save()
            if stored is not None:
                _release(old_file_id)
            audit_log_record(actor=by, action="material_changed", event=material.event, material_id=material.pk)
            transaction.on_commit(public_pages_changed)
    except BaseException:
        if stored is not None:
            _delete_from_storage(stored.name)
        raise
    return material


def _release(stored_file_id: int) -> None:
    """Delete the stored file (row now, bytes after the commit) when no material refers to it any more."""
    stored = StoredFile.objects.select_for_update().filter(pk=stored_file_id).first()
    if stored is None or Material.objects.filter(stored_file_id=stored_file_id).exists():
        return
    name = stored.name
    stored.delete()
    transaction.on_commit(lambda: _delete_from_storage(name))


@transaction.atomic
def material_delete(*, material: Material, by) -> None:
    """Delete a material; its file leaves the storage after the commit unless a copy still refers to it."""
    event, stored_file_id, pk = material.event, material.stored_file_id, material.pk
    material.delete()
    _release(stored_file_id)
    audit_log_record(actor=by, action="material_deleted", event=event, material_id=pk)
    transaction.on_commit(public_pages_changed)


@transaction.atomic
def stored_files_purge_orphans() -> int:
    """Delete every stored file no material refers to (after an event and with it its materials was deleted): the
    rows now, the bytes after the commit. Returns how many."""
    orphans = list(
        StoredFile.objects.select_for_update()
        .filter(~Exists(Material.objects.filter(stored_file_id=OuterRef("pk"))))
        .values_list("pk", "name")
    )
    if not orphans:
        return 0
    StoredFile.objects.filter(pk__in=[pk for pk, _name in orphans]).delete()
    names = [name for _pk, name in orphans]
    transaction.on_commit(lambda: [_delete_from_storage(name) for name in names])
    return len(orphans)


def materials_copy(*, source: Event, target: Event, items: dict[int, ProgrammeItem]) -> list[Material]:
    """The materials of ``source`` for ``target`` (a copy of it), referring to the same stored files; ``items`` maps
    the ids of source's programme items to target's copies. Called inside events.services.event_copy_as_draft."""
    return Material.objects.bulk_create(
        Material(
            event=target,
            programme_item=items.get(material.programme_item_id) if material.programme_item_id else None,
            title=material.title,
            title_en=material.title_en,
            file_name=material.file_name,
            stored_file_id=material.stored_file_id,
            visibility=material.visibility,
            position=material.position,
            uploaded_by_id=material.uploaded_by_id,
        )
        for material in Material.objects.filter(event=source).order_by("pk")
    )


# --- reads -------------------------------------------------------------------------------------------------------


def materials_visible(*, event: Event, visibilities) -> list[Material]:
    """The event's materials of the given visibilities (events.permissions.material_visibilities) in their order,
    with programme item and file. One query; none when nothing is visible."""
    if not visibilities:
        return []
    return list(
        Material.objects.filter(event=event, visibility__in=list(visibilities))
        .select_related("stored_file", "programme_item", "event")
        .order_by("position", "pk")
    )


def material_for_download(*, slug: str, pk: int, file_name: str) -> Material:
    """The material ``pk`` of the event ``slug`` under its own download name, with its event and file (one query);
    Http404 otherwise. Whether the asker may have it is the caller's check."""
    material = (
        Material.objects.select_related("event", "stored_file").filter(pk=pk, event__slug=slug, file_name=file_name)
    ).first()
    if material is None:
        raise Http404
    return material


def open_stored_file(stored_file: StoredFile):
    return default_storage.open(stored_file.name, "rb")


def materials_titles_for_documentation(*, event: Event) -> list[Material]:
    """The public and registered participants' materials of ``event`` (titles only go into the documentation). One
    query."""
    return materials_visible(event=event, visibilities={MaterialVisibility.PUBLIC, MaterialVisibility.REGISTERED})
