"""The audit log of staff exports and downloads of personal data."""

from django.contrib.contenttypes.models import ContentType

from .models import AuditLogEntry


def audit_log_record(*, actor, action: str, event=None, **detail) -> AuditLogEntry:
    """Record that ``actor`` did ``action`` concerning ``event`` (any model instance); ``detail`` holds ids, formats
    and counts only."""
    return AuditLogEntry.objects.create(
        actor=actor if getattr(actor, "is_authenticated", False) else None,
        action=action,
        subject_type=ContentType.objects.get_for_model(event) if event is not None else None,
        subject_id=event.pk if event is not None else None,
        detail=detail,
    )


def audit_entries_for(obj):
    """The audit entries concerning ``obj``, newest first."""
    return AuditLogEntry.objects.filter(subject_type=ContentType.objects.get_for_model(obj), subject_id=obj.pk)
