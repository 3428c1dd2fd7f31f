from crispy_forms.bootstrap import StrictButton
from crispy_forms.helper import FormHelper
from crispy_forms.layout import Div, Layout, Submit
from django import forms
from django.utils.translation import gettext_lazy as _

from kokportal.validators import limit_char_fields

from .models import DISMISSAL_REASON_MAX_LENGTH, CaseExample, SmallGroup


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


class ApprovalForm(forms.Form):
    """One reason field per blocking finding; a filled-in reason records the finding as a false alarm."""

    def __init__(self, *args, findings=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.findings = list(findings)
        for index, finding in enumerate(self.findings):
            self.fields[f"reason_{index}"] = forms.CharField(
                label=_("Begründung, warum „%(excerpt)s“ unbedenklich ist") % {"excerpt": finding.excerpt},
                required=False,
                max_length=DISMISSAL_REASON_MAX_LENGTH,
                widget=forms.Textarea(attrs={"rows": 2}),
            )
        limit_char_fields(self)

    def reasons(self) -> dict:
        from .services import finding_key

        return {
            finding_key(finding): self.cleaned_data.get(f"reason_{index}", "")
            for index, finding in enumerate(self.findings)
        }
