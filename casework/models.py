"""Case-example workshops, small groups and their results, case examples and their review."""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from kokportal.models import TimeStampedModel
from kokportal.validators import MaxTextLengthValidator, text_length_constraint

from .enums import CaseStatus

# Length limits of the free texts people write in the portal (forms, model validation and database checks).
CASE_TEXT_MAX_LENGTH = 20000
GROUP_RESULTS_MAX_LENGTH = 10000
GROUP_AGREEMENTS_MAX_LENGTH = 5000
DISMISSAL_REASON_MAX_LENGTH = 500
RETURN_COMMENT_MAX_LENGTH = 2000


class Workshop(TimeStampedModel):
    """Work on case examples in small groups, during one programme item of an event."""

    event = models.ForeignKey(
        "events.Event", verbose_name=_("Praxisfachtag"), on_delete=models.CASCADE, related_name="workshops"
    )
    programme_item = models.ForeignKey(
        "events.ProgrammeItem",
        verbose_name=_("Programmpunkt"),
        on_delete=models.PROTECT,
        related_name="workshops",
    )
    title = models.CharField(_("Titel"), max_length=300)
    description = models.TextField(_("Beschreibung"), blank=True)
    facilitators = models.ManyToManyField(
        settings.AUTH_USER_MODEL, verbose_name=_("Moderation"), blank=True, related_name="facilitated_workshops"
    )
    group_size = models.PositiveSmallIntegerField(
        _("Gruppengröße"), default=6, validators=[MinValueValidator(2), MaxValueValidator(30)]
    )
    case_visible_days_before = models.PositiveSmallIntegerField(
        _("Fallbeispiele sichtbar ab (Tage vorher)"), default=14
    )
    case_visible_days_after = models.PositiveSmallIntegerField(
        _("Fallbeispiele sichtbar bis (Tage danach)"),
        default=7,
        help_text=_("Danach wird der Text der Fallbeispiele gelöscht; Titel und Existenz bleiben."),
    )

    class Meta:
        verbose_name = _("Workshop")
        verbose_name_plural = _("Workshops")
        ordering = ["event", "programme_item__start", "title"]
        constraints = [
            models.CheckConstraint(condition=Q(group_size__gte=2), name="workshop_group_size_at_least_two"),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("casework:workshop", kwargs={"pk": self.pk})


class SmallGroup(TimeStampedModel):
    """A small group of a workshop and what it worked out."""

    workshop = models.ForeignKey(Workshop, verbose_name=_("Workshop"), on_delete=models.CASCADE, related_name="groups")
    number = models.PositiveSmallIntegerField(_("Nummer"))
    results = models.TextField(
        _("Ergebnisse"),
        blank=True,
        help_text=_("Was die Gruppe erarbeitet hat."),
        max_length=GROUP_RESULTS_MAX_LENGTH,
        validators=[MaxTextLengthValidator(GROUP_RESULTS_MAX_LENGTH)],
    )
    agreements = models.TextField(
        _("Absprachen zur Zusammenarbeit"),
        blank=True,
        help_text=_("Verabredungen für die Kooperation vor Ort."),
        max_length=GROUP_AGREEMENTS_MAX_LENGTH,
        validators=[MaxTextLengthValidator(GROUP_AGREEMENTS_MAX_LENGTH)],
    )
    results_recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("Ergebnisse erfasst von"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = _("Kleingruppe")
        verbose_name_plural = _("Kleingruppen")
        ordering = ["workshop", "number"]
        constraints = [
            models.UniqueConstraint(fields=["workshop", "number"], name="smallgroup_unique_number"),
            models.CheckConstraint(condition=Q(number__gte=1), name="smallgroup_number_positive"),
            text_length_constraint("results", GROUP_RESULTS_MAX_LENGTH, name="smallgroup_results_max_length"),
            text_length_constraint("agreements", GROUP_AGREEMENTS_MAX_LENGTH, name="smallgroup_agreements_max_length"),
        ]

    def __str__(self) -> str:
        return str(_("Gruppe %(number)d") % {"number": self.number})

    def get_absolute_url(self) -> str:
        return reverse("casework:group", kwargs={"pk": self.pk})


class WorkshopParticipant(TimeStampedModel):
    """A confirmed participant assigned to a workshop, and the small group they work in."""

    workshop = models.ForeignKey(
        Workshop, verbose_name=_("Workshop"), on_delete=models.CASCADE, related_name="participants"
    )
    registration = models.ForeignKey(
        "participants.Registration",
        verbose_name=_("Anmeldung"),
        on_delete=models.CASCADE,
        related_name="workshop_places",
    )
    group = models.ForeignKey(
        SmallGroup,
        verbose_name=_("Kleingruppe"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="members",
    )

    class Meta:
        verbose_name = _("Workshop-Teilnahme")
        verbose_name_plural = _("Workshop-Teilnahmen")
        ordering = ["workshop", "group__number", "registration__last_name"]
        constraints = [
            models.UniqueConstraint(fields=["workshop", "registration"], name="workshopparticipant_unique"),
        ]

    def __str__(self) -> str:
        return str(self.registration)


class CaseExample(TimeStampedModel):
    """An anonymised case example from counselling or asylum practice.

    Draft -> submitted for review -> approved (by a second person) -> withdrawn. The text is shown only
    to staff, the workshop's facilitators and its confirmed participants, and only around the event;
    afterwards it is purged and only the title and the fact that it existed remain.
    """

    workshop = models.ForeignKey(
        Workshop, verbose_name=_("Workshop"), on_delete=models.CASCADE, related_name="case_examples"
    )
    title = models.CharField(_("Titel"), max_length=200)
    text = models.TextField(
        _("Text"),
        blank=True,
        max_length=CASE_TEXT_MAX_LENGTH,
        validators=[MaxTextLengthValidator(CASE_TEXT_MAX_LENGTH)],
    )
    # SET_NULL: a facilitator who deletes their account must not block it; the case stays.
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("Verfasst von"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    status = models.CharField(_("Status"), max_length=16, choices=CaseStatus.choices, default=CaseStatus.DRAFT)
    submitted_at = models.DateTimeField(_("eingereicht am"), null=True, blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("freigegeben von"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    approved_at = models.DateTimeField(_("freigegeben am"), null=True, blank=True)
    # Who last changed title or text: they may not approve it either (the four eyes must not have written it).
    last_edited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("zuletzt geändert von"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    withdrawn_at = models.DateTimeField(_("zurückgezogen am"), null=True, blank=True)
    purged_at = models.DateTimeField(_("Text gelöscht am"), null=True, blank=True)

    class Meta:
        verbose_name = _("Fallbeispiel")
        verbose_name_plural = _("Fallbeispiele")
        ordering = ["workshop", "title"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status=CaseStatus.APPROVED) | (Q(approved_by__isnull=False) & ~Q(approved_by=F("author"))),
                name="caseexample_approved_by_second_person",
            ),
            models.CheckConstraint(
                condition=~Q(status=CaseStatus.APPROVED)
                | Q(last_edited_by__isnull=True)
                | ~Q(approved_by=F("last_edited_by")),
                name="caseexample_approved_by_someone_who_did_not_edit",
            ),
            models.CheckConstraint(
                condition=Q(purged_at__isnull=True) | Q(text=""), name="caseexample_purged_has_no_text"
            ),
            text_length_constraint("text", CASE_TEXT_MAX_LENGTH, name="caseexample_text_max_length"),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("casework:case", kwargs={"pk": self.pk})


class CaseExampleVersion(models.Model):
    """An earlier text of a case example, kept while it is in review; purged with the case."""

    case = models.ForeignKey(
        CaseExample, verbose_name=_("Fallbeispiel"), on_delete=models.CASCADE, related_name="versions"
    )
    number = models.PositiveIntegerField(_("Version"))
    title = models.CharField(_("Titel"), max_length=200)
    text = models.TextField(
        _("Text"), max_length=CASE_TEXT_MAX_LENGTH, validators=[MaxTextLengthValidator(CASE_TEXT_MAX_LENGTH)]
    )
    created = models.DateTimeField(_("angelegt"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("von"), on_delete=models.SET_NULL, null=True, related_name="+"
    )

    class Meta:
        verbose_name = _("Frühere Fassung")
        verbose_name_plural = _("Frühere Fassungen")
        ordering = ["case", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["case", "number"], name="caseexampleversion_unique_number"),
            text_length_constraint("text", CASE_TEXT_MAX_LENGTH, name="caseexampleversion_text_max_length"),
        ]

    def __str__(self) -> str:
        return f"{self.case} v{self.number}"


class FindingDismissal(models.Model):
    """The approver's reason why one blocking finding of the check is a false alarm.

    Tied to the exact text (by hash) and position, so an edited text needs a new decision.
    """

    case = models.ForeignKey(
        CaseExample, verbose_name=_("Fallbeispiel"), on_delete=models.CASCADE, related_name="dismissals"
    )
    text_hash = models.CharField(max_length=64)
    category = models.CharField(_("Kategorie"), max_length=32)
    start = models.PositiveIntegerField()
    end = models.PositiveIntegerField()
    reason = models.TextField(
        _("Begründung"),
        max_length=DISMISSAL_REASON_MAX_LENGTH,
        validators=[MaxTextLengthValidator(DISMISSAL_REASON_MAX_LENGTH)],
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("entschieden von"), on_delete=models.PROTECT, related_name="+"
    )
    created = models.DateTimeField(_("angelegt"), auto_now_add=True)

    class Meta:
        verbose_name = _("Als Fehlalarm begründete Fundstelle")
        verbose_name_plural = _("Als Fehlalarm begründete Fundstellen")
        constraints = [
            models.UniqueConstraint(
                fields=["case", "text_hash", "category", "start", "end"], name="findingdismissal_unique"
            ),
            models.CheckConstraint(condition=~Q(reason=""), name="findingdismissal_reason_required"),
            text_length_constraint("reason", DISMISSAL_REASON_MAX_LENGTH, name="findingdismissal_reason_max_length"),
        ]

    def __str__(self) -> str:
        return f"{self.category} {self.start}-{self.end}"


class CaseExampleReturn(models.Model):
    """A case sent back from review to its author for revision: the reviewer's comment, who and when.

    The comment may quote the case, so it is purged with the case text."""

    case = models.ForeignKey(
        CaseExample, verbose_name=_("Fallbeispiel"), on_delete=models.CASCADE, related_name="returns"
    )
    comment = models.TextField(
        _("Kommentar"),
        max_length=RETURN_COMMENT_MAX_LENGTH,
        validators=[MaxTextLengthValidator(RETURN_COMMENT_MAX_LENGTH)],
    )
    returned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("zurückgegeben von"), on_delete=models.PROTECT, related_name="+"
    )
    created = models.DateTimeField(_("zurückgegeben am"), auto_now_add=True)

    class Meta:
        verbose_name = _("Rückgabe zur Überarbeitung")
        verbose_name_plural = _("Rückgaben zur Überarbeitung")
        ordering = ["case", "-created", "-pk"]
        constraints = [
            models.CheckConstraint(condition=~Q(comment=""), name="caseexamplereturn_comment_required"),
            text_length_constraint("comment", RETURN_COMMENT_MAX_LENGTH, name="caseexamplereturn_comment_max_length"),
        ]

    def __str__(self) -> str:
        return f"{self.case} ({self.created:%Y-%m-%d})" if self.created else str(self.case)
