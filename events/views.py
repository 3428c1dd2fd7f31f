from django.conf import settings
from django.contrib import messages
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.defaultfilters import filesizeformat
from django.utils import timezone
from django.utils.encoding import iri_to_uri
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods

from kokportal.pagecache import anonymous_page_cache
from kokportal.validators import int_or_none
from participants.permissions import material_visibilities_of
from participants.selectors import active_registration_of, public_event_page, public_home_page, review_figures

from . import speakers
from .enums import EventStatus, MaterialVisibility
from .forms import SpeakerConfirmForm, SpeakerSlidesForm
from .materials import MaterialRefused, material_for_download, open_stored_file
from .selectors import materials_shown, project_logo_png, project_of


@anonymous_page_cache("home")
def home(request: HttpRequest) -> HttpResponse:
    return render(request, "events/home.html", {"page": public_home_page()})


@anonymous_page_cache("event")
def event_detail(request: HttpRequest, slug: str) -> HttpResponse:
    """The public page; a logged-in person who registered sees their registration instead of "Jetzt anmelden"
    (logged-in visitors never get the cached page)."""
    page = public_event_page(slug=slug)
    mine = active_registration_of(user=request.user, event=page.event)
    figures = review_figures(event=page.event) if page.event.review_public else None
    # The materials came with the page's one query; who may see which is the participants floor's rule (no query
    # for anonymous visitors, whose page is cached).
    materials = materials_shown(page.public.materials, material_visibilities_of(request.user, page.event))
    return render(
        request,
        "events/detail.html",
        {
            "page": page,
            "my_registration": mine,
            "project": project_of(page.event),
            "figures": figures,
            "materials": materials,
            "programme": materials.programme(page.programme),
        },
    )


@require_GET
def material_download(request: HttpRequest, slug: str, pk: int, file_name: str) -> HttpResponse:
    """A material of an event, for whoever may see it (participants.permissions.material_visibilities_of), as an
    attachment that browsers never render: its detected type, ``nosniff`` and a sandboxing Content-Security-Policy.
    Anyone else gets 404, as for a material that does not exist. With KOKPORTAL_MATERIALS_X_ACCEL_PREFIX set, nginx
    sends the bytes from its internal location (docs/deployment.md)."""
    material = material_for_download(slug=slug, pk=pk, file_name=file_name)
    if material.visibility not in material_visibilities_of(request.user, material.event):
        raise Http404
    stored = material.stored_file
    prefix = settings.KOKPORTAL_MATERIALS_X_ACCEL_PREFIX
    if prefix:
        response = HttpResponse(content_type=stored.content_type)
        response["X-Accel-Redirect"] = iri_to_uri(prefix.rstrip("/") + "/" + stored.name)
    else:
        try:
            handle = open_stored_file(stored)
        except FileNotFoundError:
            raise Http404 from None
        response = FileResponse(handle, content_type=stored.content_type)
    response["Content-Disposition"] = content_disposition_header(True, material.file_name)
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "sandbox; default-src 'none'"
    public = material.visibility == MaterialVisibility.PUBLIC and material.event.status != EventStatus.DRAFT
    response["Cache-Control"] = "public, max-age=300" if public else "private, no-store"
    return response


@require_GET
def project_logo(request: HttpRequest, pk: int) -> HttpResponse:
    """A funder's logo (public, like the event pages that show it): the PNG the upload was re-encoded to."""
    logo = project_logo_png(pk=pk)
    if logo is None:
        raise Http404
    response = HttpResponse(logo, content_type="image/png")
    response["Cache-Control"] = "public, max-age=3600"
    response["Content-Disposition"] = 'inline; filename="logo.png"'
    return response


@never_cache
@csrf_exempt
@require_http_methods(["GET", "POST"])
def speaker_invitation(request: HttpRequest, token: str) -> HttpResponse:
    """A speaker's personal link (no login: the 256-bit link is the proof): the event, their programme items, and
    until the deadline a form to confirm or decline and to edit organisation, biographies and consent. After the
    deadline the page is read-only. Unknown or altered links: 404. The page is never cached and sends no
    referrer, so the link does not leak to other sites. Without a referrer the browser posts the form with
    ``Origin: null``, which Django's CSRF check refuses; the link's 256-bit secret is the proof instead (as for
    participants:invitation_unsubscribe): a forged post would have to know it."""
    invitation = speakers.speaker_invitation_by_token(token)
    if invitation is None:
        raise Http404
    speaker, now = invitation.speaker, timezone.now()
    is_open = speakers.invitation_open(invitation, now=now)
    initial = {
        "organisation": speaker.organisation,
        "bio": speaker.bio,
        "bio_en": speaker.bio_en,
        "consent_to_publish": speaker.consent_to_publish,
    }
    action = request.POST.get("action") if request.method == "POST" else None
    items = speakers.speaker_items(invitation=invitation)
    max_size = filesizeformat(settings.KOKPORTAL_MATERIAL_MAX_BYTES)
    form = SpeakerConfirmForm(
        request.POST if action in ("confirm", "decline") else None, initial=initial, disabled=not is_open
    )
    slides_form = SpeakerSlidesForm(
        request.POST if action == "upload" else None,
        request.FILES if action == "upload" else None,
        items=items,
        max_size=max_size,
        multi_day=invitation.event.is_multi_day,
    )
    if request.method == "POST":
        try:
            if action == "upload" and slides_form.is_valid():
                data = slides_form.cleaned_data
                speakers.speaker_slides_upload(
                    invitation=invitation,
                    uploaded_file=data["upload"],
                    title=data["title"],
                    visibility=data["visibility"],
                    programme_item_id=data["programme_item"],
                    now=now,
                )
                messages.success(request, _("Die Datei ist hochgeladen."))
                return _no_referrer(redirect(request.path))
            if action == "delete_upload":
                speakers.speaker_slides_delete(
                    invitation=invitation, material_id=int_or_none(request.POST.get("material")), now=now
                )
                messages.success(request, _("Die Datei ist gelöscht."))
                return _no_referrer(redirect(request.path))
            if action == "decline":
                speakers.speaker_decline(invitation=invitation, now=now)
                messages.success(request, _("Ihre Absage ist gespeichert. Vielen Dank für Ihre Rückmeldung."))
                return _no_referrer(redirect(request.path))
            if action == "confirm" and form.is_valid():
                speakers.speaker_confirm(invitation=invitation, now=now, **form.cleaned_data)
                messages.success(request, _("Vielen Dank! Ihre Zusage und Ihre Angaben sind gespeichert."))
                return _no_referrer(redirect(request.path))
        except MaterialRefused as exc:
            # The file is refused (type, size, name): the form says why, the other entries stay.
            slides_form.add_error("upload", exc.message)
        except speakers.SpeakerError as exc:
            messages.error(request, exc.message)
            return _no_referrer(redirect(request.path))
    response = render(
        request,
        "events/speaker_invitation.html",
        {
            "invitation": invitation,
            "speaker": speaker,
            "event": invitation.event,
            "items": items,
            "form": form,
            "slides_form": slides_form,
            "uploads": speakers.speaker_uploads(invitation=invitation),
            "is_open": is_open,
            "deadline": timezone.localtime(invitation.deadline),
        },
        status=200,
    )
    return _no_referrer(response)


def _no_referrer(response: HttpResponse) -> HttpResponse:
    response["Referrer-Policy"] = "no-referrer"
    return response
