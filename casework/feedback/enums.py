from django.db import models
from django.utils.translation import gettext_lazy as _


class QuestionKind(models.TextChoices):
    RATING = "rating", _("Bewertung 1–5")
    YES_NO = "yes_no", _("Ja / Nein")
    SINGLE_CHOICE = "single_choice", _("Auswahl")
    TEXT = "text", _("Freitext")
