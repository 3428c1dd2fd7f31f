"""The participant's questionnaire form, built from the questions of one questionnaire."""

from __future__ import annotations

from crispy_forms.bootstrap import InlineRadios
from crispy_forms.helper import FormHelper
from crispy_forms.layout import HTML, Layout, Submit
from django import forms
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from casework.feedback.enums import QuestionKind
from casework.feedback.models import Question
from kokportal.validators import TEXT_LENGTH_ERROR_MESSAGES

from .selectors import rating_label
from .services import TEXT_MAX_LENGTH

K = QuestionKind
FIELD_PREFIX = "q_"


def field_name(question: Question) -> str:
    return f"{FIELD_PREFIX}{question.pk}"


class FeedbackForm(forms.Form):
    """One field per question. Radio groups render as fieldset with legend (crispy-bootstrap5)."""

    tampered_message = gettext_lazy(
        "Der Fragebogen wurde inzwischen geändert oder die Antworten passen nicht zu ihm. Bitte laden Sie die "
        "Seite neu und füllen Sie den Fragebogen noch einmal aus."
    )

    def __init__(self, *args, questions: list[Question], **kwargs):
        super().__init__(*args, **kwargs)
        self.questions = list(questions)
        for question in self.questions:
            self.fields[field_name(question)] = self._field_for(question)
        self.helper = self._build_helper()

    @staticmethod
    def _field_for(question: Question) -> forms.Field:
        label = question.display_text
        required = question.required
        if question.kind == K.RATING:
            return forms.TypedChoiceField(
                label=label,
                required=required,
                coerce=int,
                empty_value=None,
                choices=[(value, rating_label(value, question.scale)) for value in (1, 2, 3, 4, 5)],
                widget=forms.RadioSelect,
                error_messages={
                    "required": _("Bitte wählen Sie einen Wert von 1 bis 5."),
                    "invalid_choice": _("Bitte wählen Sie einen Wert von 1 bis 5."),
                },
            )
        if question.kind == K.YES_NO:
            return forms.TypedChoiceField(
                label=label,
                required=required,
                coerce=lambda value: value == "yes",
                empty_value=None,
                choices=[("yes", _("Ja")), ("no", _("Nein"))],
                widget=forms.RadioSelect,
                error_messages={
                    "required": _("Bitte wählen Sie Ja oder Nein."),
                    "invalid_choice": _("Bitte wählen Sie Ja oder Nein."),
                },
            )
        if question.kind == K.SINGLE_CHOICE:
            choices = list(question.choices or [])
            return forms.TypedChoiceField(
                label=label,
                required=required,
                coerce=lambda value, choices=choices: choices[int(value)],
                empty_value=None,
                choices=[(str(index), text) for index, text in enumerate(choices)],
                widget=forms.RadioSelect,
                error_messages={
                    "required": _("Bitte wählen Sie eine der Antworten."),
                    "invalid_choice": _("Bitte wählen Sie eine der Antworten."),
                },
            )
        return forms.CharField(
            label=label,
            required=required,
            max_length=TEXT_MAX_LENGTH,
            widget=forms.Textarea(attrs={"rows": 4}),
            error_messages={"required": _("Bitte beantworten Sie diese Frage."), **TEXT_LENGTH_ERROR_MESSAGES},
        )

    def _build_helper(self) -> FormHelper:
        helper = FormHelper()
        helper.form_tag = True
        helper.form_method = "post"
        helper.attrs = {"novalidate": "", "class": "feedback-form"}
        items = []
        for question in self.questions:
            name = field_name(question)
            items.append(InlineRadios(name) if question.kind in (K.RATING, K.YES_NO) else name)
        items.append(
            HTML(
                format_html(
                    '<p class="small text-body-secondary">{}</p>',
                    _("Fragen mit * sind Pflichtfragen. Alle anderen Fragen können Sie auslassen."),
                )
            )
        )
        items.append(Submit("submit", _("Rückmeldung absenden"), css_class="btn-lg"))
        helper.layout = Layout(*items)
        return helper

    def clean(self):
        cleaned = super().clean()
        known = set(self.fields)
        # A question id the questionnaire does not have: a stale page or a tampered request. Refuse the whole
        # submission instead of silently dropping an answer.
        if any(key.startswith(FIELD_PREFIX) and key not in known for key in self.data):
            raise forms.ValidationError(self.tampered_message, code="tampered")
        if not self.errors and all(cleaned.get(name) in (None, "") for name in known):
            raise forms.ValidationError(_("Bitte beantworten Sie mindestens eine Frage."), code="empty")
        return cleaned

    def answers(self) -> dict[int, object]:
        """Question id -> value, for ``services.feedback_submit``."""
        return {question.pk: self.cleaned_data.get(field_name(question)) for question in self.questions}
