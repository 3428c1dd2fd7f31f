"""Downloads of the event documents and the organiser page that lists them.

Who gets what (events.documents.permissions): staff and the event's team (co-organisers,
facilitators) get every document; a participant gets the contact list of their own (published) event only if
they are on it themselves. Anyone else who is logged in gets a 404, which does not even confirm that the event
exists; anonymous visitors are sent to the login first, for every slug alike. Downloads of personal data
(contact list, sign-in sheet, badges) are recorded in the audit log with ids and counts only.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import translation
from django.utils.http import content_disposition_header
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET

from casework.selectors import readable_case_examples
from kokportal.audit import audit_actions_register, audit_log_record

from ..models import Event
from . import pdfs, selectors
from .permissions import can_view_event_documents, may_download_contact_list
from .rendering import Pdf

audit_actions_register(
    {
        "download_contact_list_pdf": gettext_lazy("Kontaktliste (PDF) heruntergeladen"),
        "download_sign_in_sheet_pdf": gettext_lazy("Unterschriftenliste (PDF) heruntergeladen"),
        "download_badges_pdf": gettext_lazy("Namensschilder (PDF) heruntergeladen"),
    }
)


def _language(request: HttpRequest) -> str:
    """``?lang=en`` or ``?lang=de``; otherwise the language the person uses the portal in."""
    languages = dict(settings.LANGUAGES)
    for candidate in (request.GET.get("lang"), translation.get_language()):
        code = (candidate or "").split("-")[0].lower()
        if code in languages:
            return code
    return settings.LANGUAGE_CODE


def _pdf_response(pdf: Pdf, filename: str) -> HttpResponse:
    response = HttpResponse(pdf.content, content_type="application/pdf")
    response["Content-Disposition"] = content_disposition_header(as_attachment=True, filename=filename)
    response["Cache-Control"] = "private, no-store"
    return response


def _team_event(request: HttpRequest, slug: str) -> Event:
    event = selectors.event_for_documents(slug=slug)
    if not can_view_event_documents(request.user, event):
        raise Http404
    return event


def _filename(event: Event, lang: str, german: str, english: str) -> str:
    return f"{english if lang == 'en' else german}-{event.slug}.pdf"


# --- the documents (shared by the organiser page and the admin) -----------------------------------------------------


def serve_documentation(request: HttpRequest, event: Event) -> HttpResponse:
    """No personal data in it, so no audit entry. ``?fallbeispiele=1`` adds the approved case examples the person
    may read by the rule of the case pages (staff: all; facilitators: their workshops' inside the window); a
    person who may read none gets a 404, as on the case pages."""
    lang = _language(request)
    case_examples = None
    if request.GET.get("fallbeispiele") == "1":
        case_examples = readable_case_examples(user=request.user, event=event)
        if not case_examples:
            raise Http404
    pdf = pdfs.documentation_pdf(event=event, lang=lang, case_examples=case_examples)
    return _pdf_response(pdf, pdfs.documentation_filename(event, lang))


def serve_participant_list(request: HttpRequest, event: Event) -> HttpResponse:
    lang = _language(request)
    pdf, count = pdfs.participant_list_pdf(event=event, lang=lang)
    audit_log_record(actor=request.user, action="download_contact_list_pdf", event=event, count=count)
    return _pdf_response(pdf, _filename(event, lang, "kontaktliste", "contact-list"))


def serve_sign_in_sheet(request: HttpRequest, event: Event) -> HttpResponse:
    if event.is_virtual:
        raise Http404
    lang = _language(request)
    pdf, count = pdfs.sign_in_sheet_pdf(event=event, lang=lang)
    audit_log_record(actor=request.user, action="download_sign_in_sheet_pdf", event=event, count=count)
    return _pdf_response(pdf, _filename(event, lang, "unterschriftenliste", "sign-in-sheet"))


def serve_badges(request: HttpRequest, event: Event) -> HttpResponse:
    if event.is_virtual:
        raise Http404
    lang = _language(request)
    pdf, count = pdfs.badges_pdf(event=event, lang=lang)
    audit_log_record(actor=request.user, action="download_badges_pdf", event=event, count=count)
    return _pdf_response(pdf, _filename(event, lang, "namensschilder", "badges"))


DOCUMENTS = {
    "dokumentation": serve_documentation,
    "kontaktliste": serve_participant_list,
    "unterschriftenliste": serve_sign_in_sheet,
    "namensschilder": serve_badges,
}


# --- views ------------------------------------------------------------------------------------------------------


@require_GET
@login_required
def index(request: HttpRequest, slug: str) -> HttpResponse:
    """The organiser page: the documents of one event, for its team and staff."""
    event = _team_event(request, slug)
    overview = selectors.documents_overview(event=event, user=request.user)
    return render(request, "events/documents/index.html", {"overview": overview})


@require_GET
@login_required
def documentation(request: HttpRequest, slug: str) -> HttpResponse:
    return serve_documentation(request, _team_event(request, slug))


@require_GET
@login_required
def participant_list(request: HttpRequest, slug: str) -> HttpResponse:
    """The contact list as PDF: for the team, and for participants who are on the list themselves (the same
    rule as the HTML contact list)."""
    event = selectors.event_for_documents(slug=slug)
    if not may_download_contact_list(request.user, event):
        raise Http404
    return serve_participant_list(request, event)


@require_GET
@login_required
def sign_in_sheet(request: HttpRequest, slug: str) -> HttpResponse:
    return serve_sign_in_sheet(request, _team_event(request, slug))


@require_GET
@login_required
def badges(request: HttpRequest, slug: str) -> HttpResponse:
    return serve_badges(request, _team_event(request, slug))
