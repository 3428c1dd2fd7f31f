from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FeedbackConfig(AppConfig):
    """Feedback is its own app (models, migrations, admin, urls, commands). It sits in the casework folder only
    because the project keeps a fixed top level; it imports nothing from casework, nor casework from it: both
    stand on the participants floor (docs/architecture.md)."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "casework.feedback"
    label = "feedback"
    verbose_name = _("Rückmeldungen")

    def ready(self) -> None:
        from participants.privacy import register_export_section

        from .selectors import personal_data_of

        register_export_section("feedback", personal_data_of)
