from django.db import models
from django.utils.translation import gettext_lazy as _


class QuestionKind(models.TextChoices):
    RATING = "rating", _("Bewertung 1–5")
    YES_NO = "yes_no", _("Ja / Nein")
    SINGLE_CHOICE = "single_choice", _("Auswahl")
    TEXT = "text", _("Freitext")


class FeedbackWindow(models.TextChoices):
    """Where a questionnaire stands: before the event has ended, open until its last day, then closed."""

    NOT_YET = "not_yet", _("beginnt nach der Veranstaltung")
    OPEN = "open", _("läuft")
    CLOSED = "closed", _("abgeschlossen")
