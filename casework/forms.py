from crispy_forms.bootstrap import StrictButton
from crispy_forms.helper import FormHelper
from crispy_forms.layout import Div, Layout, Submit
from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from kokportal.validators import limit_char_fields

from .errors import CaseworkError, CommentRequired
from .models import (
    CASE_TEXT_MAX_LENGTH,
    DISMISSAL_REASON_MAX_LENGTH,
    RETURN_COMMENT_MAX_LENGTH,
    CaseExample,
    SmallGroup,
)

SUGGESTION_MAX_LENGTH = 300


class CaseExampleForm(forms.ModelForm):
    """Title and text; both fields are built with the model's ``max_length`` (20,000 characters for the text),
    so the length is checked before the anonymisation check ever runs over the text."""

    class Meta:
        model = CaseExample
        fields = ("title", "text")
        widgets = {"text": forms.Textarea(attrs={"rows": 14})}
        help_texts = {
            "title": _("Ein neutraler Titel, z. B. „Fallbeispiel 1: Arbeitsausbeutung in der Gastronomie“."),
            "text": _(
                "Bitte vollständig anonymisieren: keine Namen, Daten, Orte, Nummern oder Merkmale, an denen "
                "man die Person erkennen kann. Initialen und allgemeine Beschreibungen "
                "(„Anfang zwanzig, aus einem westafrikanischen Land“) sind in Ordnung."
            ),
        }

    def __init__(self, *args, can_submit: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["text"].required = True
        limit_char_fields(self)
        self.helper = FormHelper()
        # The template writes the <form> tag: the list of findings with their "Übernehmen" buttons belongs to it.
        self.helper.form_tag = False
        self.helper.disable_csrf = True  # the template's <form> has the token
        buttons = [
            StrictButton(
                _("Anonymisierung prüfen"), type="submit", name="action", value="check", css_class="btn-outline-primary"
            ),
            StrictButton(_("Entwurf speichern"), type="submit", name="action", value="save", css_class="btn-primary"),
        ]
        if can_submit:
            buttons.append(
                StrictButton(
                    _("Zur Freigabe einreichen"), type="submit", name="action", value="submit", css_class="btn-primary"
                )
            )
        self.helper.layout = Layout("title", "text", Div(*buttons, css_class="d-flex flex-wrap gap-2"))

    def clean_title(self) -> str:
        """A title shows in lists, mails and the documentation: nothing the check finds may stand in it."""
        from .services import title_findings

        title = self.cleaned_data["title"].strip()
        if findings := title_findings(title):
            raise ValidationError(
                _("Bitte allgemein formulieren: %(details)s kann Betroffene erkennbar machen.")
                % {"details": ", ".join(f"„{finding.excerpt}“ ({finding.label})" for finding in findings)}
            )
        return title


class GroupResultsForm(forms.ModelForm):
    class Meta:
        model = SmallGroup
        fields = ("results", "agreements")
        widgets = {"results": forms.Textarea(attrs={"rows": 8}), "agreements": forms.Textarea(attrs={"rows": 5})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        limit_char_fields(self)  # 10,000 and 5,000 characters, from the model
        self.helper = FormHelper()
        self.helper.add_input(Submit("save", _("Ergebnisse speichern"), css_class="btn-primary"))


def _full_sentence(value: str) -> None:
    from .services import validate_dismissal_reason

    try:
        validate_dismissal_reason(value)
    except CaseworkError as exc:
        raise ValidationError(exc.message, code="not_a_sentence") from exc


class SuggestionForm(forms.Form):
    """What an "Übernehmen" or "Entfernen" button of the case form posts: the current text and, from the hidden
    fields ``finding-<n>-…`` of the finding ``n`` named by the button, its position, excerpt and suggestion. The
    text is cleaned like the case form's text (stripped, line breaks as LF), so positions match the check."""

    text = forms.CharField(max_length=CASE_TEXT_MAX_LENGTH)
    start = forms.IntegerField(min_value=0)
    end = forms.IntegerField(min_value=0)
    excerpt = forms.CharField(strip=False, max_length=CASE_TEXT_MAX_LENGTH)
    suggestion = forms.CharField(strip=False, required=False, max_length=SUGGESTION_MAX_LENGTH)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        limit_char_fields(self)

    @classmethod
    def from_post(cls, post) -> "SuggestionForm":
        index = post.get("apply", "")
        prefix = f"finding-{index}-" if index.isdigit() else "-"
        return cls(
            {
                "text": post.get("text", ""),
                **{name: post.get(prefix + name, "") for name in ("start", "end", "excerpt", "suggestion")},
            }
        )


class ApprovalForm(forms.Form):
    """One reason field per softer blocking finding (a name, place, organisation, combination): a reason of at
    least one full sentence records the finding as a false alarm. Hard identifiers (numbers, contacts, addresses,
    exact dates) get no field: they can only be removed from the text."""

    # What the reviewer saw (services.review_hash): approval refuses a text changed since the page was shown.
    reviewed = forms.CharField(widget=forms.HiddenInput, max_length=64)

    def __init__(self, *args, findings=(), reviewed: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["reviewed"].initial = reviewed
        self.findings = list(findings)
        for finding in self.findings:
            if not finding.dismissable:
                continue
            self.fields[self.reason_name(finding)] = forms.CharField(
                label=_("Begründung, warum „%(excerpt)s“ unbedenklich ist") % {"excerpt": finding.excerpt},
                required=False,
                max_length=DISMISSAL_REASON_MAX_LENGTH,
                widget=forms.Textarea(attrs={"rows": 2}),
                validators=[_full_sentence],
                help_text=_(
                    "Mindestens ein vollständiger Satz: Wer oder was ist gemeint, und warum macht die Stelle "
                    "Betroffene nicht erkennbar? Wird mit Ihrem Namen und der Uhrzeit gespeichert."
                ),
            )
        limit_char_fields(self)

    @staticmethod
    def reason_name(finding) -> str:
        """The field of a finding is named by the finding itself (category and position), not by its place in the
        list: a reason can never be recorded for another passage than the one it was written for."""
        return f"reason_{finding.category.value}_{finding.start}_{finding.end}"

    def rows(self) -> list[tuple]:
        """Each open blocking finding with its reason field, or None for a hard identifier."""
        return [
            (finding, self[self.reason_name(finding)] if self.reason_name(finding) in self.fields else None)
            for finding in self.findings
        ]

    def reasons(self) -> dict:
        from .services import finding_key

        reasons = {}
        for finding in self.findings:
            name = self.reason_name(finding)
            if finding.dismissable:
                reasons[finding_key(finding)] = self.cleaned_data.get(name, "")
            elif (posted := self.data.get(name, "")).strip():
                # No field is offered for a hard identifier; a reason posted anyway goes to the service, which
                # refuses it with its message.
                reasons[finding_key(finding)] = posted
        return reasons


class ReturnForm(forms.Form):
    """The reviewer's comment when sending a case back to its author for revision."""

    comment = forms.CharField(
        label=_("Kommentar für die Verfasser*in"),
        max_length=RETURN_COMMENT_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": CommentRequired.default_message},
        help_text=_(
            "Was soll überarbeitet werden? Der Kommentar ist im Portal beim Fallbeispiel zu lesen. Die "
            "Benachrichtigung per E-Mail enthält nur den Titel und einen Link, weder den Kommentar noch den Text."
        ),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        limit_char_fields(self)
