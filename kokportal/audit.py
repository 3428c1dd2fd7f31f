"""The audit log of staff exports and downloads of personal data."""

from .models import AuditLogEntry


def audit_log_record(*, actor, action: str, event=None, **detail) -> AuditLogEntry:
    """Record that ``actor`` did ``action``; ``detail`` holds ids, formats and counts only."""
    return AuditLogEntry.objects.create(
        actor=actor if getattr(actor, "is_authenticated", False) else None, action=action, event=event, detail=detail
    )
