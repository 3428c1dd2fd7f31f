from django.contrib import admin

from .models import AuditLogEntry


class ReadOnlyAdminMixin:
    """Records that staff may look at but never add, change or delete (logs, receipts)."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(AuditLogEntry)
class AuditLogEntryAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ("created", "actor", "action", "subject_type", "subject_id")
    list_filter = ("action", "subject_type")
    date_hierarchy = "created"
    list_select_related = ("actor", "subject_type")
