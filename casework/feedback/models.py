"""Feedback after a practice day: a questionnaire per event, who was invited (and whether they answered) kept
apart from the anonymous answers, as Indico's surveys do."""

import uuid

from django.contrib.postgres.fields import ArrayField
from django.contrib.postgres.indexes import GinIndex
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from kokportal.formatting import in_current_language
from kokportal.models import TimeStampedModel
from kokportal.validators import MaxTextLengthValidator, text_length_constraint

from .enums import QuestionKind, RatingScale

ANSWER_TEXT_MAX_LENGTH = 5000


class Questionnaire(TimeStampedModel):
    """The feedback questionnaire of one event, sent to participants after the day."""

    event = models.OneToOneField(
        "events.Event", verbose_name=_("Praxisfachtag"), on_delete=models.CASCADE, related_name="questionnaire"
    )
    intro = models.TextField(_("Einleitung"), blank=True)
    open_days = models.PositiveSmallIntegerField(
        _("Rückmeldungen möglich (Tage nach der Veranstaltung)"),
        default=21,
        validators=[MinValueValidator(1), MaxValueValidator(365)],
    )
    reminder_after_days = models.PositiveSmallIntegerField(
        _("Erinnerung nach (Tagen)"), default=7, validators=[MinValueValidator(1), MaxValueValidator(365)]
    )

    class Meta:
        verbose_name = _("Fragebogen")
        verbose_name_plural = _("Fragebögen")

    def __str__(self) -> str:
        return str(_("Rückmeldungen: %(event)s") % {"event": self.event})


class Question(models.Model):
    questionnaire = models.ForeignKey(
        Questionnaire, verbose_name=_("Fragebogen"), on_delete=models.CASCADE, related_name="questions"
    )
    key = models.SlugField(
        _("Schlüssel"), max_length=50, help_text=_("Gleiche Schlüssel machen Fragen über Veranstaltungen vergleichbar.")
    )
    position = models.PositiveSmallIntegerField(_("Reihenfolge"), default=0)
    kind = models.CharField(_("Art"), max_length=16, choices=QuestionKind.choices)
    text = models.CharField(_("Frage (deutsch)"), max_length=300)
    text_en = models.CharField(_("Frage (englisch)"), max_length=300, blank=True)
    choices = models.JSONField(
        _("Antwortmöglichkeiten"),
        default=list,
        blank=True,
        help_text=_("Nur bei Auswahlfragen: eine Liste von Texten."),
    )
    required = models.BooleanField(_("Pflichtfrage"), default=False)
    scale = models.CharField(
        _("Skala"),
        max_length=16,
        choices=RatingScale.choices,
        default=RatingScale.QUALITY,
        help_text=_("Nur bei Bewertungsfragen: wofür 1 und 5 stehen. Die Beschriftung muss zur Frage passen."),
    )

    class Meta:
        verbose_name = _("Frage")
        verbose_name_plural = _("Fragen")
        ordering = ["questionnaire", "position", "id"]
        constraints = [
            models.UniqueConstraint(fields=["questionnaire", "key"], name="question_unique_key"),
            models.CheckConstraint(condition=Q(scale__in=RatingScale.values), name="question_scale_known"),
        ]

    def __str__(self) -> str:
        return self.display_text

    @property
    def display_text(self) -> str:
        return in_current_language(self.text, self.text_en)


class FeedbackInvitation(models.Model):
    """Who was invited and whether they have answered: kept apart from the answers (as Indico does), so
    no answer can be traced back to a person. Only hashes of the personal links' tokens are stored.

    Every mail (invitation, reminder) carries a new link; the links of earlier mails keep working until the
    person has answered (``earlier_token_hashes``), so a reminder never breaks the link someone bookmarked."""

    questionnaire = models.ForeignKey(
        Questionnaire, verbose_name=_("Fragebogen"), on_delete=models.CASCADE, related_name="invitations"
    )
    registration = models.OneToOneField(
        "participants.Registration",
        verbose_name=_("Anmeldung"),
        on_delete=models.CASCADE,
        related_name="feedback_invitation",
    )
    token_hash = models.CharField(max_length=64, unique=True)
    earlier_token_hashes = ArrayField(models.CharField(max_length=64), default=list, blank=True)
    sent_at = models.DateTimeField(_("eingeladen am"), null=True, blank=True)
    reminded_at = models.DateTimeField(_("erinnert am"), null=True, blank=True)
    answered = models.BooleanField(_("hat geantwortet"), default=False)

    class Meta:
        verbose_name = _("Einladung zur Rückmeldung")
        verbose_name_plural = _("Einladungen zur Rückmeldung")
        indexes = [GinIndex(fields=["earlier_token_hashes"], name="feedbackinv_earlier_tokens_idx")]

    def __str__(self) -> str:
        return f"{self.questionnaire_id}/{self.pk}"


class FeedbackResponse(models.Model):
    """One anonymous set of answers. A random id and only the day of submission, so neither order nor
    time can be matched against the invitations."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    questionnaire = models.ForeignKey(
        Questionnaire, verbose_name=_("Fragebogen"), on_delete=models.CASCADE, related_name="responses"
    )
    submitted_on = models.DateField(_("eingegangen am"))

    class Meta:
        verbose_name = _("Rückmeldung")
        verbose_name_plural = _("Rückmeldungen")

    def __str__(self) -> str:
        return str(_("Rückmeldung vom %(date)s") % {"date": self.submitted_on})


class Answer(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    response = models.ForeignKey(FeedbackResponse, on_delete=models.CASCADE, related_name="answers")
    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="answers")
    rating = models.PositiveSmallIntegerField(null=True, blank=True)
    yes_no = models.BooleanField(null=True, blank=True)
    choice = models.CharField(max_length=300, blank=True)
    text = models.TextField(
        blank=True, max_length=ANSWER_TEXT_MAX_LENGTH, validators=[MaxTextLengthValidator(ANSWER_TEXT_MAX_LENGTH)]
    )
    selected_for_documentation = models.BooleanField(
        _("in die Dokumentation übernehmen"), default=False, help_text=_("Nur für Freitexte.")
    )

    class Meta:
        verbose_name = _("Antwort")
        verbose_name_plural = _("Antworten")
        constraints = [
            models.UniqueConstraint(fields=["response", "question"], name="answer_one_per_question"),
            models.CheckConstraint(
                condition=Q(rating__isnull=True) | Q(rating__gte=1, rating__lte=5), name="answer_rating_1_to_5"
            ),
            text_length_constraint("text", ANSWER_TEXT_MAX_LENGTH, name="answer_text_max_length"),
        ]

    def __str__(self) -> str:
        return str(self.question)
