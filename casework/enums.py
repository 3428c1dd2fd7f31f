from django.db import models
from django.utils.translation import gettext_lazy as _


class CaseStatus(models.TextChoices):
    DRAFT = "draft", _("Entwurf")
    IN_REVIEW = "in_review", _("zur Prüfung eingereicht")
    APPROVED = "approved", _("freigegeben")
    WITHDRAWN = "withdrawn", _("zurückgezogen")
