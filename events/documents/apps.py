from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DocumentsConfig(AppConfig):
    """The top floor: the documentation PDF and the printables of an event. It reads from every floor below
    (events, participants, casework, feedback) and nothing imports it (docs/architecture.md). No models."""

    name = "events.documents"
    label = "documents"
    verbose_name = _("Dokumente")
