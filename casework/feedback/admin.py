"""Admin for feedback: questionnaires with their questions (editable order, kind and required flag), actions
that send invitations and reminders, and a read-only list of who was invited and has answered.

Answers have no admin: staff read them on the results page, aggregated, where the free texts of one person
cannot be lined up across questions.
"""

from __future__ import annotations

from django import forms
from django.contrib import admin, messages
from django.db.models import Count, IntegerField, OuterRef, Subquery, Value
from django.db.models.functions import Coalesce
from django.forms.models import BaseInlineFormSet
from django.urls import reverse
from django.utils import formats
from django.utils.html import format_html
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from casework.feedback.enums import QuestionKind
from casework.feedback.models import FeedbackInvitation, Question, Questionnaire
from kokportal.admin import LabelledTabularInline, ReadOnlyAdminMixin

from . import selectors, services
from .enums import FeedbackWindow
from .errors import FeedbackError

K = QuestionKind


class QuestionForm(forms.ModelForm):
    """The answer choices of single-choice questions as one line each, instead of raw JSON."""

    choices_lines = forms.CharField(
        label=_("Antwortmöglichkeiten"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2, "cols": 24}),
        help_text=_("Nur bei Auswahlfragen: eine Antwortmöglichkeit pro Zeile."),
    )

    class Meta:
        model = Question
        fields = ("position", "key", "kind", "scale", "text", "text_en", "required")
        widgets = {
            "position": forms.NumberInput(attrs={"class": "vSmallField"}),
            "key": forms.TextInput(attrs={"size": 16}),
            "text": forms.Textarea(attrs={"rows": 2, "cols": 44}),
            "text_en": forms.Textarea(attrs={"rows": 2, "cols": 32}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["choices_lines"].initial = "\n".join(self.instance.choices or [])

    def clean(self):
        cleaned = super().clean()
        kind = cleaned.get("kind")
        lines = [line.strip() for line in (cleaned.get("choices_lines") or "").splitlines() if line.strip()]
        if kind == K.SINGLE_CHOICE:
            if len(lines) < 2 or len(set(lines)) != len(lines):
                self.add_error("choices_lines", _("Eine Auswahlfrage braucht mindestens zwei verschiedene Antworten."))
            if any(len(line) > 300 for line in lines):
                self.add_error("choices_lines", _("Eine Antwortmöglichkeit darf höchstens 300 Zeichen lang sein."))
        elif lines:
            self.add_error("choices_lines", _("Antwortmöglichkeiten gibt es nur bei Auswahlfragen."))
        if self.instance.pk and "kind" in self.changed_data and self.instance.answers.exists():
            self.add_error(
                "kind",
                _(
                    "Diese Frage hat schon Antworten; ihre Art lässt sich nicht mehr ändern. "
                    "Legen Sie eine neue Frage an."
                ),
            )
        if self.instance.pk and kind == K.RATING and "scale" in self.changed_data and self.instance.answers.exists():
            self.add_error(
                "scale",
                _(
                    "Diese Frage hat schon Antworten auf ihrer bisherigen Skala; die Skala lässt sich nicht mehr "
                    "ändern. Legen Sie eine neue Frage an."
                ),
            )
        cleaned["choices"] = lines if kind == K.SINGLE_CHOICE else []
        return cleaned

    def save(self, commit=True):
        self.instance.choices = self.cleaned_data.get("choices", [])
        return super().save(commit=commit)


class QuestionFormSet(BaseInlineFormSet):
    def clean(self):
        super().clean()
        for form in self.forms:
            deleted = self.can_delete and self._should_delete_form(form) and form.instance.pk
            if deleted and form.instance.answers.exists():
                raise forms.ValidationError(
                    gettext(
                        "Die Frage „%(question)s“ hat schon Antworten und kann nicht gelöscht werden; "
                        "sonst gingen die Antworten verloren."
                    )
                    % {"question": form.instance.text}
                )


class QuestionInline(LabelledTabularInline):
    model = Question
    form = QuestionForm
    formset = QuestionFormSet
    extra = 0
    fields = ("position", "key", "kind", "scale", "text", "text_en", "choices_lines", "required")
    ordering = ("position", "id")


def _count(queryset) -> Coalesce:
    counted = queryset.order_by().values("questionnaire_id").annotate(n=Count("pk")).values("n")
    return Coalesce(Subquery(counted, output_field=IntegerField()), Value(0))


class FeedbackWindowFilter(admin.SimpleListFilter):
    """Questionnaires whose feedback window is open now (``selectors.open_feedback_windows``): the admin's start
    page links here."""

    title = _("Rückmeldung")
    parameter_name = "rueckmeldung"

    def lookups(self, request, model_admin):
        return [("offen", _("läuft gerade"))]

    def queryset(self, request, queryset):
        if self.value() != "offen":
            return queryset
        return queryset.filter(pk__in=[q.pk for q in selectors.open_feedback_windows()])


@admin.register(Questionnaire)
class QuestionnaireAdmin(admin.ModelAdmin):
    list_display = ("event", "event_date", "question_count", "invited_count", "answered_count", "window", "results")
    list_select_related = ("event",)
    list_filter = (FeedbackWindowFilter, "event__kind", "event__presence")
    search_fields = ("event__title", "event__slug")
    date_hierarchy = "event__date"
    ordering = ("-event__date",)
    autocomplete_fields = ("event",)
    inlines = (QuestionInline,)
    readonly_fields = ("overview",)
    fields = ("event", "intro", "open_days", "reminder_after_days", "overview")
    actions = ("send_invitations", "send_reminders")

    def get_queryset(self, request):
        invitations = FeedbackInvitation.objects.filter(questionnaire=OuterRef("pk"))
        return (
            super()
            .get_queryset(request)
            .annotate(
                _questions=_count(Question.objects.filter(questionnaire=OuterRef("pk"))),
                _invited=_count(invitations),
                _answered=_count(invitations.filter(answered=True)),
            )
        )

    def get_readonly_fields(self, request, obj=None):
        # The event of a questionnaire cannot move to another event once it exists.
        return ("event", *self.readonly_fields) if obj else self.readonly_fields

    @admin.display(description=_("Datum"), ordering="event__date")
    def event_date(self, obj: Questionnaire):
        return obj.event.date

    @admin.display(description=_("Fragen"), ordering="_questions")
    def question_count(self, obj: Questionnaire) -> int:
        return obj._questions

    @admin.display(description=_("eingeladen"), ordering="_invited")
    def invited_count(self, obj: Questionnaire) -> int:
        return obj._invited

    @admin.display(description=_("geantwortet"), ordering="_answered")
    def answered_count(self, obj: Questionnaire) -> int:
        return obj._answered

    @admin.display(description=_("Zeitraum"))
    def window(self, obj: Questionnaire) -> str:
        state = selectors.window_state(obj)
        date = formats.date_format(selectors.closes_on(obj), "SHORT_DATE_FORMAT")
        if state == FeedbackWindow.OPEN:
            return gettext("offen bis %(date)s") % {"date": date}
        if state == FeedbackWindow.NOT_YET:
            return gettext("nach der Veranstaltung, bis %(date)s") % {"date": date}
        return gettext("abgeschlossen (%(date)s)") % {"date": date}

    @admin.display(description=_("Auswertung"))
    def results(self, obj: Questionnaire) -> str:
        return format_html(
            '<a href="{}">{}</a>', reverse("feedback:results", kwargs={"slug": obj.event.slug}), gettext("ansehen")
        )

    @admin.display(description=_("Überblick"))
    def overview(self, obj: Questionnaire) -> str:
        if obj is None or obj.pk is None:
            return gettext("Beim Speichern ohne eigene Fragen werden die Standardfragen angelegt.")
        invitations_url = (
            reverse("admin:feedback_feedbackinvitation_changelist") + f"?questionnaire__id__exact={obj.pk}"
        )
        return format_html(
            '{}<br><a href="{}">{}</a> · <a href="{}">{}</a>',
            gettext("%(invited)d eingeladen, %(answered)d geantwortet; Zeitraum: %(window)s")
            % {"invited": obj._invited, "answered": obj._answered, "window": self.window(obj)},
            reverse("feedback:results", kwargs={"slug": obj.event.slug}),
            gettext("Auswertung ansehen"),
            invitations_url,
            gettext("Einladungen ansehen"),
        )

    def has_delete_permission(self, request, obj=None):
        # Deleting a questionnaire would delete its answers with it.
        if obj is not None and obj.responses.exists():
            return False
        return super().has_delete_permission(request, obj)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        if not form.instance.questions.exists():
            services.questionnaire_add_default_questions(questionnaire=form.instance)
            self.message_user(request, gettext("Die Standardfragen wurden angelegt."), messages.INFO)

    def _run(self, request, queryset, service, done_message) -> None:
        for questionnaire in queryset.select_related("event"):
            try:
                count = service(questionnaire=questionnaire)
            except FeedbackError as exc:
                self.message_user(request, f"{questionnaire.event}: {exc.message}", messages.WARNING)
            else:
                self.message_user(
                    request,
                    f"{questionnaire.event}: {done_message(count)}",
                    messages.SUCCESS,
                )

    @admin.action(description=_("Einladungen zur Rückmeldung senden"), permissions=["change"])
    def send_invitations(self, request, queryset):
        self._run(
            request,
            queryset,
            services.invitations_send,
            lambda n: (
                ngettext("%(count)d Einladung wird verschickt.", "%(count)d Einladungen werden verschickt.", n)
                % {"count": n}
            ),
        )

    @admin.action(description=_("Fällige Erinnerungen senden"), permissions=["change"])
    def send_reminders(self, request, queryset):
        self._run(
            request,
            queryset,
            services.reminders_send,
            lambda n: (
                ngettext("%(count)d Erinnerung wird verschickt.", "%(count)d Erinnerungen werden verschickt.", n)
                % {"count": n}
            ),
        )


@admin.register(FeedbackInvitation)
class FeedbackInvitationAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    """Who was invited and whether they have answered; read-only. The answers themselves are not here."""

    list_display = ("registration", "event", "sent_at", "reminded_at", "answered")
    list_filter = ("answered", "questionnaire__event")
    search_fields = ("registration__first_name", "registration__last_name", "registration__email")
    list_select_related = ("registration", "questionnaire__event")
    fields = ("questionnaire", "registration", "sent_at", "reminded_at", "answered")
    readonly_fields = fields

    @admin.display(description=_("Praxisfachtag"), ordering="questionnaire__event__date")
    def event(self, obj: FeedbackInvitation):
        return obj.questionnaire.event

    # Read-only: deleting an invitation would allow a second invitation and so a second answer.
