from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ParticipantsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "participants"
    verbose_name = _("Teilnehmende und Organisationen")

    def ready(self) -> None:
        from .mailings import personal_data_of
        from .privacy import register_export_section

        # The mails staff wrote to the person (participants.mailings): the person's data export names them.
        register_export_section("mails_from_kok", personal_data_of)
        # The consent to invitations and what it keeps (participants.invitations).
        from .invitations import personal_data_of as invitation_consent_data

        register_export_section("invitation_consent", invitation_consent_data)
