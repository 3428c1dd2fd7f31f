"""Background tasks of the documents: the certificate of attendance by mail, one mail per person.

Tasks take ids, never objects, and read fresh data when they run: a certificate revoked, or a registration
anonymised, since the office pressed "send" is not sent. Failures are logged with the certificate's id only, never
with an address, a name or the mail's content, and retried as the registration mails are (kokportal.tasks).
"""

from __future__ import annotations

import logging

from django_tasks import task

from kokportal.mail import Attachment, send_mail_now
from kokportal.tasks import MAX_ATTEMPTS, enqueue_attempt, retry_later

logger = logging.getLogger(__name__)


def enqueue_certificate_mail(*, certificate_id: int, attempt: int = 1) -> None:
    enqueue_attempt(
        send_certificate_mail,
        attempt=attempt,
        log_extra={"certificate_id": certificate_id, "kind": "certificate"},
        certificate_id=certificate_id,
    )


@task()
def send_certificate_mail(*, certificate_id: int, attempt: int = 1) -> bool:
    """Mail one certificate of attendance as PDF, in the person's language; nothing when it is no longer valid."""
    from participants.models import AttendanceCertificate
    from participants.services import certificate_mark_sent

    from . import pdfs

    certificate = (
        AttendanceCertificate.objects.select_related("registration__event", "registration__organisation")
        .filter(pk=certificate_id, registration__anonymised_at__isnull=True)
        .first()
    )
    if certificate is None or not certificate.is_valid:
        logger.info("certificate mail overtaken", extra={"certificate_id": certificate_id})
        return False
    registration = certificate.registration
    try:
        pdf = pdfs.certificate_pdf(certificate=certificate, lang=registration.language)
        send_mail_now(
            template="documents/email/certificate",
            context={
                "certificate": certificate,
                "registration": registration,
                "event": registration.event,
                "verification_url": pdfs.certificate_verification_url(certificate),
            },
            to=registration.email,
            language=registration.language,
            attachments=[
                Attachment(
                    pdfs.certificate_filename(certificate, registration.language), pdf.content, "application/pdf"
                )
            ],
        )
    except Exception:
        logger.warning(
            "certificate mail failed (attempt %d of %d)",
            attempt,
            MAX_ATTEMPTS,
            extra={"certificate_id": certificate_id},
            exc_info=True,
        )
        retry_later(
            lambda next_attempt: enqueue_certificate_mail(certificate_id=certificate_id, attempt=next_attempt),
            attempt=attempt,
        )
        return False
    certificate_mark_sent(certificate_id=certificate_id)
    logger.info("certificate mail sent", extra={"certificate_id": certificate_id})
    return True
