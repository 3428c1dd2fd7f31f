"""Writes of the documents floor: sending the certificates of attendance of an event.

The certificates themselves are issued on the participants floor (participants.services.certificates_issue_for_event,
which refuses anyone not marked attended); this floor renders them as PDF and mails them, one mail per person
through the task queue, after the transaction commits.
"""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext_lazy

from kokportal.audit import audit_actions_register, audit_log_record
from kokportal.roles import acts_as_staff
from participants import services as participant_services
from participants.errors import CertificateError

from ..models import Event
from .tasks import enqueue_certificate_mail

audit_actions_register({"send_certificates": gettext_lazy("Teilnahmebescheinigungen gesendet")})


@transaction.atomic
def certificates_send(*, event: Event, by) -> int:
    """Issue the missing certificates of everyone marked attended at ``event`` and mail each person theirs (a PDF
    attachment, one mail each, after commit). Recorded in the audit log: who, when, which event, how many (no
    names). Returns how many mails were queued."""
    if not acts_as_staff(by):
        raise CertificateError()
    certificates = participant_services.certificates_issue_for_event(event=event, by=by)
    audit_log_record(actor=by, action="send_certificates", event=event, count=len(certificates))
    for certificate_id in [c.pk for c in certificates]:
        transaction.on_commit(
            lambda certificate_id=certificate_id: enqueue_certificate_mail(certificate_id=certificate_id)
        )
    return len(certificates)
