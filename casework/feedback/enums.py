from django.db import models
from django.utils.translation import gettext_lazy as _


class QuestionKind(models.TextChoices):
    RATING = "rating", _("Bewertung 1–5")
    YES_NO = "yes_no", _("Ja / Nein")
    SINGLE_CHOICE = "single_choice", _("Auswahl")
    TEXT = "text", _("Freitext")


class RatingScale(models.TextChoices):
    """What 1 and 5 of a rating question stand for, so the labels fit how the question is asked ("Wie hilfreich
    …?" is answered from "gar nicht hilfreich" to "sehr hilfreich", not from "sehr schlecht" to "sehr gut").
    The labels of the two ends are in ``selectors.SCALE_ENDS``."""

    QUALITY = "quality", _("Bewertung (sehr schlecht – sehr gut)")
    HELPFULNESS = "helpfulness", _("Nutzen (gar nicht hilfreich – sehr hilfreich)")
    VALUE = "value", _("Wert (gar nicht wertvoll – sehr wertvoll)")
    SATISFACTION = "satisfaction", _("Zufriedenheit (sehr unzufrieden – sehr zufrieden)")
    SUITABILITY = "suitability", _("Eignung (gar nicht geeignet – sehr gut geeignet)")
    AGREEMENT = "agreement", _("Zustimmung (trifft gar nicht zu – trifft voll zu)")


class FeedbackWindow(models.TextChoices):
    """Where a questionnaire stands: before the event has ended, open until its last day, then closed."""

    NOT_YET = "not_yet", _("beginnt nach der Veranstaltung")
    OPEN = "open", _("läuft")
    CLOSED = "closed", _("abgeschlossen")
