from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CaseworkConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "casework"
    verbose_name = _("Fallarbeit")

    def ready(self) -> None:
        from participants.privacy import register_export_section

        from .selectors import personal_data_of

        register_export_section("workshops", personal_data_of)
