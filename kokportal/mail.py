"""Rendering and sending of the portal's e-mails.

Mails are rendered from template files (``<name>_subject.txt``, ``<name>.txt``, ``<name>.html``) in the
recipient's language and sent by a background task after the surrounding transaction commits. A failed
send is logged (without addresses or content) and retried by the task; it never undoes the business
action that triggered it.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from urllib.parse import urlsplit

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template import Context
from django.template.loader import get_template, render_to_string
from django.utils import translation
from django.utils.translation import gettext_lazy as _

logger = logging.getLogger(__name__)

# How the portal names itself to people, in mails too (allauth's mails say "your account at <site name>").
PORTAL_NAME = _("KOK-Praxisfachtage")


@dataclass(frozen=True)
class PortalSite:
    """The portal as allauth's mail templates know "the site" (``current_site.name``, ``current_site.domain``):
    without django.contrib.sites allauth would use the request's host, e.g. "127.0.0.1:8200"."""

    name: str
    domain: str


def portal_site() -> PortalSite:
    return PortalSite(name=str(PORTAL_NAME), domain=urlsplit(settings.SITE_URL).netloc)


@dataclass
class Attachment:
    filename: str
    content: bytes | str
    mimetype: str


def render_plain_text(template_name: str, context: dict) -> str:
    """A plain-text template rendered without HTML escaping, as a mail's subject and text part need it: a name
    such as O'Connor or an event "Jugendamt & Polizei" stays as it is. (HTML parts keep Django's escaping.)"""
    return get_template(template_name).template.render(Context(context, autoescape=False))


def render_mail(template: str, context: dict, *, language: str) -> tuple[str, str, str]:
    """Subject, plain text and HTML of a mail template, in ``language``. Links start with ``settings.SITE_URL``
    (``site_url`` in the templates), the address the portal is served at."""
    with translation.override(language):
        context = {"site_url": settings.SITE_URL, **context}
        subject = render_plain_text(f"{template}_subject.txt", context).strip()
        subject = " ".join(subject.splitlines())
        text = render_plain_text(f"{template}.txt", context)
        html = render_to_string(f"{template}.html", context)
    return subject, text, html


def send_mail_now(
    *,
    template: str,
    context: dict,
    to: str,
    language: str,
    attachments: list[Attachment] | None = None,
    headers: dict[str, str] | None = None,
) -> None:
    subject, text, html = render_mail(template, context, language=language)
    message = EmailMultiAlternatives(
        subject=settings.ACCOUNT_EMAIL_SUBJECT_PREFIX + subject,
        body=text,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[to],
        headers=headers or {},
    )
    message.attach_alternative(html, "text/html")
    for attachment in attachments or []:
        message.attach(attachment.filename, attachment.content, attachment.mimetype)
    message.send()
