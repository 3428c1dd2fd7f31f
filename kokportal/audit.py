"""The audit log of staff exports and downloads of personal data."""

from django.contrib.contenttypes.models import ContentType

from .models import AuditLogEntry

# What each action code means, for the admin's list and filter. The apps that record actions name them here
# (``audit_actions_register`` at import of the module that records them), so the base floor does not need to know
# the floors above it.
AUDIT_ACTIONS: dict[str, str] = {}


def audit_actions_register(labels: dict) -> None:
    """Name action codes (code → translatable label)."""
    AUDIT_ACTIONS.update(labels)


def audit_action_label(code: str) -> str:
    """The label of an action code; an unknown code (from an older version) is shown as it is."""
    return str(AUDIT_ACTIONS.get(code, code))


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
