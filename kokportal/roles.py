"""Staff roles as Django groups with model permissions.

- KOK-Geschäftsstelle (office staff): run events, registrations, workshops, case examples and feedback;
  see accounts but not change them; no deleting of registrations (they are cancelled or anonymised
  through the services, so figures stay right).
- KOK-Administration: everything, including accounts, groups and the audit log.

Co-organisers and facilitators are not groups: they are per event (events.EventTeamMember, workshop
facilitators) and see only their event's pages in the portal, never the admin.
"""

from __future__ import annotations

from django.contrib.auth.models import Group, Permission
from django.db.models import Q

OFFICE = "KOK-Geschäftsstelle"
ADMINISTRATION = "KOK-Administration"

OFFICE_APPS = ("events", "casework", "participants")
OFFICE_EXCLUDED = {
    "participants.delete_registration",
    "participants.add_user",
    "participants.change_user",
    "participants.delete_user",
}
OFFICE_EXTRA = {"kokportal.view_auditlogentry"}


def sync_staff_groups() -> dict[str, int]:
    office, _ = Group.objects.get_or_create(name=OFFICE)
    administration, _ = Group.objects.get_or_create(name=ADMINISTRATION)
    portal = Permission.objects.select_related("content_type").filter(content_type__app_label__in=OFFICE_APPS)
    office_perms = [p for p in portal if f"{p.content_type.app_label}.{p.codename}" not in OFFICE_EXCLUDED] + list(
        Permission.objects.filter(Q(content_type__app_label="kokportal", codename="view_auditlogentry"))
    )
    office.permissions.set(office_perms)
    administration.permissions.set(Permission.objects.all())
    return {OFFICE: len(office_perms), ADMINISTRATION: administration.permissions.count()}


def sync_staff_groups_after_migrate(sender, app_config=None, using="default", **kwargs) -> None:
    if app_config is not None and app_config.name == "kokportal":
        sync_staff_groups()
