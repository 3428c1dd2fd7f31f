from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _
from django_tasks_db.apps import TasksAppConfig


class KokportalConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "kokportal"
    verbose_name = _("Portal")

    def ready(self) -> None:
        from allauth.mfa.signals import authenticator_added, authenticator_removed

        from . import checks  # noqa: F401  (registers the system checks)
        from .roles import forget_second_factor, record_second_factor_setup, sync_staff_groups_after_migrate

        # Permissions exist only after migrate has run, so the staff groups are synced then.
        post_migrate.connect(sync_staff_groups_after_migrate, dispatch_uid="kokportal-staff-groups")
        authenticator_added.connect(record_second_factor_setup, dispatch_uid="kokportal-second-factor-setup")
        authenticator_removed.connect(forget_second_factor, dispatch_uid="kokportal-second-factor-removed")


class TasksDatabaseConfig(TasksAppConfig):
    """django-tasks-db (the queue of the portal's mails in production) under a German name in the admin: its own
    name is a plain string ("Tasks Database Backend") that no catalogue translates."""

    verbose_name = _("Hintergrundaufgaben")
