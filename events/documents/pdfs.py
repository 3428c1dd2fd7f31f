"""The event documents as PDF: the documentation and the printables for the day.

Each function reads through the selectors, builds the charts and renders inside ``translation.override(lang)``,
so figures, labels and dates come out in the document's language whatever the request's language is.
"""

from __future__ import annotations

import base64
from dataclasses import dataclass
from itertools import islice

import segno
from django.conf import settings
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.text import Truncator
from django.utils.translation import gettext as _

from casework.feedback.selectors import QuestionResult
from events.selectors import certified_programme, project_logo_data_uri, project_of
from kokportal.charts import Bar, horizontal_bar_chart
from kokportal.formatting import format_decimal
from participants import selectors as participant_selectors
from participants.check_in_links import check_in_url
from participants.errors import NotAttended
from participants.models import AttendanceCertificate, Registration
from participants.permissions import may_get_certificate

from ..models import Event
from . import selectors
from .rendering import CERTIFICATE_CSS, DOCUMENTATION_CSS, FONT_FAMILY, PRINTABLES_CSS, Pdf, render_html, render_pdf

BADGES_PER_PAGE = 8
SIGN_IN_SPARE_ROWS = 6


@dataclass(frozen=True)
class Chart:
    caption: str
    svg: str


def _chart(bars: list[Bar], *, title: str, caption: str | None = None) -> Chart:
    """A bar chart; ``title`` is its text alternative (PDF/UA), ``caption`` the visible caption."""
    # The chart gives the labels and the values after the bars the room they need (kokportal.charts).
    svg = horizontal_bar_chart(bars, title=title, width=620, font_family=FONT_FAMILY)
    return Chart(caption=caption or title, svg=svg)


def _label(text: str) -> str:
    return Truncator(text).chars(38)


def _participation_charts(participation: selectors.Participation) -> dict:
    figure = participation.participants_figure
    if not participation.total.registered:
        return {}
    title_by_type = (
        _("Teilnehmer*innen nach Art der Organisation")
        if figure == "attended"
        else _("Bestätigte Teilnehmer*innen nach Art der Organisation")
    )
    title_by_state = (
        _("Teilnehmer*innen nach Bundesland")
        if figure == "attended"
        else _("Bestätigte Teilnehmer*innen nach Bundesland")
    )
    return {
        "by_type": _chart(
            [Bar(_label(row.label), getattr(row, figure)) for row in participation.by_type], title=title_by_type
        ),
        "by_state": _chart(
            [Bar(_label(row.label), getattr(row, figure)) for row in participation.by_state if getattr(row, figure)],
            title=title_by_state,
        ),
    }


def _question_chart(result: QuestionResult):
    """The distribution of one question's answers, as on the results page (the same figures and rounding)."""
    rows = result.distribution
    if not rows:
        return None
    return _chart(
        [Bar(_label(label), number, display=f"{number} ({share})") for label, number, share in rows],
        title=_("Verteilung der Antworten: %(question)s") % {"question": result.question.display_text},
        caption=_("Verteilung der Antworten"),
    )


def _sections(documentation: selectors.EventDocumentation) -> dict[str, str]:
    """The chapters present in this documentation (id -> heading), in order: the table of contents."""
    event, feedback = documentation.event, documentation.feedback
    present = {
        "about": (bool(event.description.strip()), _("Über die Veranstaltung")),
        "programme": (bool(documentation.programme), _("Programm")),
        "speakers": (bool(documentation.speakers), _("Referent*innen")),
        "participation": (True, _("Teilnahme in Zahlen")),
        "summary": (bool(event.summary.strip()), _("Zusammenfassung")),
        "outcomes": (bool(event.outcomes.strip()), _("Ergebnisse und Ausblick")),
        "groups": (documentation.has_group_results, _("Ergebnisse der Kleingruppen")),
        "feedback": (
            bool(feedback and (feedback.responses or any(r.count for r in feedback.questions))),
            _("Rückmeldungen der Teilnehmer*innen"),
        ),
        "cases": (bool(documentation.case_examples), _("Fallbeispiele")),
        "materials": (bool(documentation.materials), _("Materialien")),
    }
    return {key: heading for key, (shown, heading) in present.items() if shown}


def documentation_context(documentation: selectors.EventDocumentation) -> dict:
    feedback = documentation.feedback
    project = project_of(documentation.event)
    return {
        "doc": documentation,
        "event": documentation.event,
        "project": project,
        "project_logo": project_logo_data_uri(project),
        "sections": _sections(documentation),
        "charts": _participation_charts(documentation.participation),
        "questions": [(q, _question_chart(q)) for q in feedback.questions] if feedback else [],
        "generated_at": timezone.localtime(),
    }


def documentation_filename(event: Event, lang: str) -> str:
    stem = "documentation" if lang == "en" else "dokumentation"
    return f"{stem}-{event.slug}.pdf"


def documentation_html(*, event: Event, lang: str, case_examples=None) -> str:
    """The documentation as HTML (what the PDF is rendered from; the benchmark renders it on its own)."""
    with translation.override(lang):
        documentation = selectors.event_documentation(event=event, case_examples=case_examples)
        return render_html("pdf/documentation.html", documentation_context(documentation), lang=lang)


def documentation_pdf(*, event: Event, lang: str, case_examples=None) -> Pdf:
    """The documentation of ``event``: figures, texts by staff and anonymous feedback; no participant's name.

    ``case_examples`` (case examples the person asking may read, see selectors.event_documentation) adds them as
    a chapter; None leaves them out."""
    with translation.override(lang):
        documentation = selectors.event_documentation(event=event, case_examples=case_examples)
        return render_pdf(
            "pdf/documentation.html",
            documentation_context(documentation),
            lang=lang,
            stylesheets=[DOCUMENTATION_CSS],
        )


# --- printables ---------------------------------------------------------------------------------------------------


def participant_list_pdf(*, event: Event, lang: str) -> tuple[Pdf, int]:
    """The contact list for the participants: only people who consented to it. Returns the PDF and the count."""
    with translation.override(lang):
        contacts = participant_selectors.contact_list(event=event)
        pdf = render_pdf(
            "pdf/participant_list.html",
            {"event": event, "contacts": contacts, "generated_at": timezone.localtime()},
            lang=lang,
            stylesheets=[PRINTABLES_CSS],
        )
    return pdf, len(contacts)


def sign_in_sheet_pdf(*, event: Event, lang: str) -> tuple[Pdf, int]:
    """The sign-in sheet for staff at the door of an in-person event: every confirmed participant."""
    with translation.override(lang):
        registrations = selectors.participating_registrations(event=event)
        pdf = render_pdf(
            "pdf/sign_in_sheet.html",
            {
                "event": event,
                "registrations": registrations,
                "spare_rows": range(len(registrations) + 1, len(registrations) + 1 + SIGN_IN_SPARE_ROWS),
            },
            lang=lang,
            stylesheets=[PRINTABLES_CSS],
        )
    return pdf, len(registrations)


def _pages(items: list, size: int) -> list[list]:
    iterator = iter(items)
    return list(iter(lambda: list(islice(iterator, size)), []))


@dataclass(frozen=True)
class Badge:
    registration: Registration
    qr_code: str  # data URI of an SVG: the QR code of the person's signed check-in link


def check_in_qr_code(url: str) -> str:
    """The QR code of ``url`` as an SVG data URI (vector, sharp in print; WeasyPrint draws it). Error correction M
    (15 %), so a creased or scratched badge still scans; the quiet zone is the white badge around it."""
    return segno.make(url, error="m", micro=False).svg_data_uri(scale=1, border=0, omitsize=True, dark="#000")


def _badges(event: Event) -> list[Badge]:
    return [
        Badge(registration=r, qr_code=check_in_qr_code(check_in_url(r, event_slug=event.slug)))
        for r in selectors.participating_registrations(event=event)
    ]


def _badges_context(event: Event, badges: list[Badge]) -> dict:
    return {"event": event, "pages": _pages(badges, BADGES_PER_PAGE) or [[]]}


def badges_html(*, event: Event, lang: str) -> str:
    """The badges as HTML (what the PDF is rendered from)."""
    with translation.override(lang):
        return render_html("pdf/badges.html", _badges_context(event, _badges(event)), lang=lang)


def badges_pdf(*, event: Event, lang: str) -> tuple[Pdf, int]:
    """Name badges (name, organisation, type and the QR code of the person's check-in link), 8 per A4 page, for
    every confirmed participant."""
    with translation.override(lang):
        badges = _badges(event)
        pdf = render_pdf("pdf/badges.html", _badges_context(event, badges), lang=lang, stylesheets=[PRINTABLES_CSS])
    return pdf, len(badges)


# --- certificates of attendance -------------------------------------------------------------------------------------


def _hours_display(minutes: int) -> str:
    """Hours as the certificate prints them: "6", "6,5", "5,75" (German) – exact to the minute's quarter hour."""
    places = 0 if minutes % 60 == 0 else 1 if minutes % 6 == 0 else 2
    return format_decimal(minutes / 60, places)


def certificate_verification_url(certificate: AttendanceCertificate) -> str:
    return settings.SITE_URL + reverse("participants:certificate_verify", kwargs={"code": certificate.code})


def certificate_context(certificate: AttendanceCertificate, *, lang: str) -> dict:
    """What the certificate shows (call inside translation.override(lang)): name and organisation from the
    registration, the event, hours and topics (events.selectors.certified_programme), KOK's signature block, the
    verification code with its URL and QR code. Refuses a registration not marked attended."""
    registration = certificate.registration
    if not may_get_certificate(registration) or not certificate.is_valid:
        raise NotAttended()
    programme = certified_programme(registration.event)
    project = project_of(registration.event)
    signature = participant_selectors.certificate_signature()
    url = certificate_verification_url(certificate)
    signature_image, signature_role = None, ""
    if signature is not None:
        signature_role = signature.role_en if lang == "en" and signature.role_en else signature.role
    if signature is not None and signature.image_png:
        signature_image = "data:image/png;base64," + base64.b64encode(bytes(signature.image_png)).decode("ascii")
    return {
        "certificate": certificate,
        "registration": registration,
        "event": registration.event,
        "hours": _hours_display(programme.minutes),
        "topics": programme.topics,
        "signature": signature,
        "signature_role": signature_role,
        "signature_image": signature_image,
        "verification_url": url,
        "qr_code": segno.make(url, error="m").svg_data_uri(scale=4, border=0, dark="#1f2328"),
        "issued_on": timezone.localtime(certificate.issued_at).date(),
        "project": project,
        "project_logo": project_logo_data_uri(project),
    }


def certificate_filename(certificate: AttendanceCertificate, lang: str) -> str:
    stem = "certificate-of-attendance" if lang == "en" else "teilnahmebescheinigung"
    return f"{stem}-{certificate.registration.event.slug}.pdf"


def certificate_pdf(*, certificate: AttendanceCertificate, lang: str) -> Pdf:
    """The certificate of attendance (one A4 page) in ``lang``; NotAttended unless the registration is marked
    attended and the certificate valid."""
    with translation.override(lang):
        return render_pdf(
            "pdf/certificate.html",
            certificate_context(certificate, lang=lang),
            lang=lang,
            stylesheets=[CERTIFICATE_CSS],
        )
