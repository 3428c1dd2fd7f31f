"""Rendering and sending of the portal's e-mails.

Mails are rendered from template files (``<name>_subject.txt``, ``<name>.txt``, ``<name>.html``) in the
recipient's language and sent by a background task after the surrounding transaction commits. A failed
send is logged (without addresses or content) and retried by the task; it never undoes the business
action that triggered it.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.utils import translation

logger = logging.getLogger(__name__)


@dataclass
class Attachment:
    filename: str
    content: bytes | str
    mimetype: str


def render_mail(template: str, context: dict, *, language: str) -> tuple[str, str, str]:
    """Subject, plain text and HTML of a mail template, in ``language``."""
    with translation.override(language):
        context = {"site_url": settings.SITE_URL, **context}
        subject = render_to_string(f"{template}_subject.txt", context).strip()
        subject = " ".join(subject.splitlines())
        text = render_to_string(f"{template}.txt", context)
        html = render_to_string(f"{template}.html", context)
    return subject, text, html


def send_mail_now(
    *, template: str, context: dict, to: str, language: str, attachments: list[Attachment] | None = None
) -> None:
    subject, text, html = render_mail(template, context, language=language)
    message = EmailMultiAlternatives(
        subject=settings.ACCOUNT_EMAIL_SUBJECT_PREFIX + subject,
        body=text,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[to],
    )
    message.attach_alternative(html, "text/html")
    for attachment in attachments or []:
        message.attach(attachment.filename, attachment.content, attachment.mimetype)
    message.send()
