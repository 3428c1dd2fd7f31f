"""The registration form, the one way in (a login code by e-mail, for new and known addresses alike), and the
account forms of the admin (e-mail addresses normalised there too)."""

from __future__ import annotations

import phonenumbers
from allauth.account.adapter import get_adapter
from allauth.account.forms import LoginForm, RequestLoginCodeForm
from allauth.core import context as allauth_context
from crispy_forms.helper import FormHelper
from crispy_forms.layout import HTML, Div, Fieldset, Layout, Submit
from django import forms
from django.contrib.auth.forms import AdminUserCreationForm, UserChangeForm
from django.urls import reverse
from django.utils.functional import cached_property
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _

from events.enums import QuestionKind
from events.models import (
    ANSWER_LONG_TEXT_MAX_LENGTH,
    ANSWER_TEXT_MAX_LENGTH,
    Event,
    EventQuestion,
    Organisation,
    OrganisationType,
)
from events.selectors import registration_questions
from kokportal.emails import normalise_email
from kokportal.federal_states import FederalState
from kokportal.models import User
from kokportal.validators import limit_char_fields

from .enums import MailingStatus
from .mailings import placeholder_list, unknown_placeholders, unknown_placeholders_message
from .models import (
    INVITATION_NOTE_MAX_LENGTH,
    MAILING_BODY_MAX_LENGTH,
    MAILING_SUBJECT_MAX_LENGTH,
    InvitationConsent,
    Profile,
)
from .services import RegistrationData


class OrganisationSelect(forms.Select):
    """Marks each option with its organisation type, so a small script can filter the list by type."""

    def create_option(self, name, value, label, selected, index, subindex=None, attrs=None):
        option = super().create_option(name, value, label, selected, index, subindex, attrs)
        instance = getattr(value, "instance", None)
        if instance is not None:
            option["attrs"]["data-type"] = str(instance.organisation_type_id)
        return option


class OrganisationChoiceField(forms.ModelChoiceField):
    widget = OrganisationSelect

    def label_from_instance(self, obj: Organisation) -> str:
        return f"{obj.name} ({obj.city})" if obj.city else obj.name


def normalise_phone(value: str) -> str:
    """Validate a phone number (German or international) and return it in international format."""
    value = value.strip()
    if not value:
        return ""
    try:
        number = phonenumbers.parse(value, "DE")
    except phonenumbers.NumberParseException:
        raise forms.ValidationError(_("Bitte geben Sie eine gültige Telefonnummer an, z. B. 030 263911 76.")) from None
    if not phonenumbers.is_valid_number(number):
        raise forms.ValidationError(_("Bitte geben Sie eine gültige Telefonnummer an, z. B. 030 263911 76."))
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.INTERNATIONAL)


class RegistrationForm(forms.Form):
    first_name = forms.CharField(label=_("Vorname"), max_length=150)
    last_name = forms.CharField(label=_("Nachname"), max_length=150)
    email = forms.EmailField(
        label=_("E-Mail-Adresse"),
        disabled=True,
        required=False,
        help_text=_("Die Adresse Ihres Kontos; an sie gehen alle Nachrichten zur Anmeldung."),
    )
    phone = forms.CharField(label=_("Telefon (optional)"), max_length=32, required=False)
    organisation_type = forms.ModelChoiceField(
        label=_("Art Ihrer Organisation"),
        queryset=OrganisationType.objects.none(),
        empty_label=None,
        widget=forms.RadioSelect,
    )
    organisation = OrganisationChoiceField(
        label=_("Organisation"),
        queryset=Organisation.objects.none(),
        required=False,
        empty_label=_("– Meine Organisation ist nicht in der Liste –"),
        help_text=_("Bitte wählen Sie eine Organisation der oben gewählten Art."),
    )
    new_organisation_name = forms.CharField(
        label=_("Name der Organisation"),
        max_length=250,
        required=False,
        help_text=_("Nur wenn Ihre Organisation nicht in der Liste steht; die Geschäftsstelle prüft neue Einträge."),
    )
    new_organisation_city = forms.CharField(label=_("Ort der Organisation"), max_length=120, required=False)
    function = forms.CharField(label=_("Funktion / Rolle"), max_length=150)
    federal_state = forms.ChoiceField(
        label=_("Bundesland, in dem Sie arbeiten"), choices=[("", "—"), *FederalState.choices]
    )
    accessibility_needs = forms.CharField(
        label=_("Barrierefreiheit"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Was brauchen Sie, um gut teilnehmen zu können? (optional)"),
    )
    dietary_needs = forms.CharField(
        label=_("Verpflegung"),
        required=False,
        max_length=300,
        help_text=_("z. B. vegetarisch, vegan, Allergien (optional)"),
    )
    attendance = forms.ChoiceField(
        label=_("Wie nehmen Sie teil?"),
        choices=[("in_person", _("vor Ort")), ("online", _("online"))],
        widget=forms.RadioSelect,
        help_text=_("Die Veranstaltung ist hybrid: Sie können vor Ort oder online teilnehmen."),
    )
    privacy_consent = forms.BooleanField(label=_("Einwilligung in die Datenverarbeitung"))
    contact_list_consent = forms.BooleanField(
        label=_(
            "Ich möchte in der Kontaktliste für die anderen Teilnehmer*innen dieser Veranstaltung stehen "
            "(Name, Organisation, Funktion, E-Mail-Adresse)."
        ),
        required=False,
    )
    future_events_consent = forms.BooleanField(
        label=_(
            "Ich möchte über künftige Praxisfachtage des KOK informiert werden (Einladungen per E-Mail; jederzeit "
            "widerrufbar über den Link in jeder Einladung oder unter „Meine Daten“)."
        ),
        required=False,
    )
    # Whether the box was shown ticked (a consent existed): unticking it then withdraws the consent.
    future_events_consent_before = forms.BooleanField(required=False, widget=forms.HiddenInput)
    # Honeypot: hidden from people by CSS and from screen readers (aria-hidden on its wrapper), out of the tab
    # order (a focusable field inside aria-hidden would be reached by keyboard but not announced) and off for the
    # browser's autofill; bots fill it in.
    website = forms.CharField(
        label=_("Bitte leer lassen"),
        required=False,
        widget=forms.TextInput(attrs={"tabindex": "-1", "autocomplete": "off"}),
    )

    def __init__(self, *args, event: Event, user: User, organisation_type_preset: int | None = None, **kwargs):
        self.event = event
        self.user = user
        initial = kwargs.setdefault("initial", {})
        if organisation_type_preset is not None:
            # The type of a personal invitation (participants.invitations) comes before the profile's.
            initial["organisation_type"] = organisation_type_preset
        initial.setdefault("first_name", user.first_name)
        initial.setdefault("last_name", user.last_name)
        if not args and "data" not in kwargs:
            # Prefilled from the profile only when the form is shown, not when it is submitted (a saved query
            # on the booking path).
            profile = Profile.objects.filter(user=user).first() or Profile(user=user)
            for field in ("phone", "function", "federal_state"):
                initial.setdefault(field, getattr(profile, field) or "")
            initial.setdefault("organisation_type", profile.organisation_type_id)
            initial.setdefault("organisation", profile.organisation_id)
            consented = InvitationConsent.objects.filter(email__iexact=user.email).exists()
            initial.setdefault("future_events_consent", consented)
            initial.setdefault("future_events_consent_before", consented)
        initial["email"] = user.email
        super().__init__(*args, **kwargs)
        invited = event.invited_types.order_by("position", "name")
        self.fields["organisation_type"].queryset = invited
        self.fields["organisation"].queryset = (
            Organisation.objects.filter(organisation_type__in=invited, is_reviewed=True)
            .select_related("organisation_type")
            .order_by("organisation_type__position", "name")
        )
        privacy_url = reverse("privacy")
        self.fields["privacy_consent"].help_text = mark_safe(  # noqa: S308 - fixed markup, URL from reverse()
            _(
                'Ich habe die <a href="%(url)s" target="_blank" rel="noopener">Datenschutzhinweise</a> gelesen und '
                "willige ein, dass der KOK meine Angaben für die Organisation dieser Veranstaltung verarbeitet."
            )
            % {"url": privacy_url}
        )
        if self.initial.get("future_events_consent_before"):
            self.fields["future_events_consent"].help_text = _(
                "Sie haben bereits eingewilligt. Nehmen Sie den Haken heraus, widerrufen Sie die Einwilligung."
            )
        if event.is_virtual:
            del self.fields["dietary_needs"]
        if event.is_hybrid:
            if event.separate_online_seats:
                self.fields["attendance"].help_text = _(
                    "Die Veranstaltung ist hybrid: Die Plätze vor Ort und online werden getrennt vergeben."
                )
        else:
            del self.fields["attendance"]
        self.questions = add_question_fields(self, event=event)
        limit_char_fields(self)

    @cached_property
    def helper(self) -> FormHelper:
        """The crispy layout, built only when the form is rendered (not for a valid POST)."""
        helper = FormHelper()
        helper.form_tag = True
        helper.attrs = {"novalidate": "", "data-registration-form": ""}
        person = Fieldset(
            _("Ihre Angaben"),
            Div(Div("first_name", css_class="col-md-6"), Div("last_name", css_class="col-md-6"), css_class="row"),
            Div(Div("email", css_class="col-md-6"), Div("phone", css_class="col-md-6"), css_class="row"),
        )
        work = Fieldset(
            _("Ihre Organisation"),
            "organisation_type",
            "organisation",
            Div(
                Div("new_organisation_name", css_class="col-md-7"),
                Div("new_organisation_city", css_class="col-md-5"),
                css_class="row new-organisation",
            ),
            Div(Div("function", css_class="col-md-6"), Div("federal_state", css_class="col-md-6"), css_class="row"),
        )
        needs = [
            *(["attendance"] if "attendance" in self.fields else []),
            "accessibility_needs",
            *(["dietary_needs"] if "dietary_needs" in self.fields else []),
        ]
        helper.layout = Layout(
            person,
            work,
            Fieldset(_("Teilnahme"), *needs),
            *questions_fieldset(self),
            Fieldset(
                _("Einwilligungen"),
                "privacy_consent",
                "contact_list_consent",
                "future_events_consent",
                "future_events_consent_before",
            ),
            Div("website", css_class="honeypot", aria_hidden="true"),
            HTML('<p class="small text-body-secondary">{}</p>'.format(_("Pflichtfelder sind markiert."))),
            Submit("submit", _("Verbindlich anmelden"), css_class="btn-primary btn-lg"),
        )
        return helper

    def clean_phone(self) -> str:
        return normalise_phone(self.cleaned_data.get("phone", ""))

    def clean_website(self) -> str:
        if self.cleaned_data.get("website"):
            raise forms.ValidationError(_("Bitte lassen Sie dieses Feld leer."))
        return ""

    def clean(self):
        cleaned = super().clean()
        org_type = cleaned.get("organisation_type")
        organisation = cleaned.get("organisation")
        if organisation and org_type and organisation.organisation_type_id != org_type.pk:
            self.add_error(
                "organisation",
                _(
                    "Diese Organisation gehört nicht zur gewählten Art. Bitte wählen Sie passend oder tragen Sie "
                    "Ihre Organisation neu ein."
                ),
            )
        if not organisation:
            if not cleaned.get("new_organisation_name", "").strip():
                self.add_error(
                    "new_organisation_name", _("Bitte wählen Sie Ihre Organisation oder tragen Sie sie ein.")
                )
            if not cleaned.get("new_organisation_city", "").strip():
                self.add_error("new_organisation_city", _("Bitte geben Sie den Ort Ihrer Organisation an."))
        clean_question_fields(self, org_type)
        return cleaned

    def to_data(self, *, language: str) -> RegistrationData:
        c = self.cleaned_data
        return RegistrationData(
            first_name=c["first_name"].strip(),
            last_name=c["last_name"].strip(),
            organisation_type=c["organisation_type"],
            organisation=c.get("organisation"),
            new_organisation_name=c.get("new_organisation_name", "").strip(),
            new_organisation_city=c.get("new_organisation_city", "").strip(),
            function=c["function"].strip(),
            federal_state=c["federal_state"],
            phone=c.get("phone", ""),
            accessibility_needs=c.get("accessibility_needs", "").strip(),
            dietary_needs=c.get("dietary_needs", "").strip() if c.get("attendance") != "online" else "",
            attends_online=c.get("attendance") == "online",
            contact_list_consent=c.get("contact_list_consent", False),
            future_events_consent=c.get("future_events_consent", False),
            future_events_consent_withdraw=c.get("future_events_consent_before", False)
            and not c.get("future_events_consent", False),
            language=language,
            answers=question_answers(self),
        )


# --- the event's own questions ("Fragen zu diesem Praxisfachtag") -------------------------------------------------
# Added to the registration form by the four helpers below (fields, fieldset, checks by the chosen type, answers),
# so the form's own fields stay as they are. Each question is the field "question_<id>"; a question for some
# organisation types only carries their ids in data-question-types, and static/js/registration_questions.js shows
# it only when one of them is chosen. The server decides by the chosen type all the same.

# Numbers without a range of their own still fit the database column.
NUMBER_LIMIT = 1_000_000
YES, NO = "yes", "no"


def question_field_name(question: EventQuestion) -> str:
    return f"question_{question.pk}"


def _question_field(question: EventQuestion) -> forms.Field:
    """The form field of one question. A required one is marked as required (the asterisk of every required field);
    clean_question_fields drops its error when the question is not asked of the chosen type."""
    common = {"label": question.display_text, "help_text": question.display_help_text, "required": question.required}
    kind = question.kind
    if kind == QuestionKind.TEXT:
        return forms.CharField(max_length=ANSWER_TEXT_MAX_LENGTH, **common)
    if kind == QuestionKind.LONG_TEXT:
        return forms.CharField(
            max_length=ANSWER_LONG_TEXT_MAX_LENGTH, widget=forms.Textarea(attrs={"rows": 3}), **common
        )
    if kind == QuestionKind.SINGLE_CHOICE:
        choices = [(str(i), label) for i, label in enumerate(question.display_options)]
        return forms.TypedChoiceField(choices=choices, coerce=int, widget=forms.RadioSelect, **common)
    if kind == QuestionKind.MULTIPLE_CHOICE:
        choices = [(str(i), label) for i, label in enumerate(question.display_options)]
        return forms.TypedMultipleChoiceField(
            choices=choices, coerce=int, widget=forms.CheckboxSelectMultiple, **common
        )
    if kind == QuestionKind.YES_NO:
        return forms.ChoiceField(choices=[(YES, _("Ja")), (NO, _("Nein"))], widget=forms.RadioSelect, **common)
    if kind == QuestionKind.NUMBER:
        low = question.min_value if question.min_value is not None else -NUMBER_LIMIT
        high = question.max_value if question.max_value is not None else NUMBER_LIMIT
        return forms.IntegerField(min_value=low, max_value=high, **common)
    return forms.DateField(
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        input_formats=["%Y-%m-%d", "%d.%m.%Y"],
        error_messages={"invalid": _("Bitte geben Sie ein Datum an, z. B. 24.12.2026.")},
        **common,
    )


def add_question_fields(form: forms.Form, *, event: Event) -> list[EventQuestion]:
    """Add a field for each question of ``event`` to ``form``; returns the questions (two queries)."""
    questions = registration_questions(event=event)
    for question in questions:
        form.fields[question_field_name(question)] = _question_field(question)
    return questions


def questions_fieldset(form) -> list:
    """The fieldset "Fragen zu diesem Praxisfachtag" for the crispy layout (none when the event asks nothing)."""
    if not form.questions:
        return []
    return [
        Fieldset(
            _("Fragen zu diesem Praxisfachtag"),
            # One wrapper right after the legend (Bootstrap clears the floating legend with "legend + *"; the
            # first question may be hidden).
            Div(
                *(
                    Div(
                        question_field_name(q),
                        css_class="event-question",
                        data_question_types=" ".join(str(t.pk) for t in q.organisation_types.all()),
                    )
                    for q in form.questions
                )
            ),
            css_class="event-questions",
        )
    ]


def clean_question_fields(form, organisation_type: OrganisationType | None) -> None:
    """Only the questions for the chosen type count: the others' input and errors are dropped; required ones of
    the chosen type must be answered."""
    type_id = organisation_type.pk if organisation_type else None
    for question in form.questions:
        name = question_field_name(question)
        if not question.applies_to(type_id):
            form.cleaned_data.pop(name, None)
            form.errors.pop(name, None)
            continue
        if name in form.errors:
            continue
        if question.required and form.cleaned_data.get(name) in (None, "", []):  # e.g. a field's own check skipped
            form.add_error(name, forms.Field.default_error_messages["required"])


def question_answers(form) -> tuple:
    """The answers for RegistrationData: (question, value) for every answered question of the chosen type."""
    answers = []
    for question in form.questions:
        name = question_field_name(question)
        if name not in form.cleaned_data:
            continue
        value = form.cleaned_data[name]
        if question.kind == QuestionKind.YES_NO:
            value = {YES: True, NO: False}.get(value)
        elif isinstance(value, str):
            value = value.strip()
        if value in (None, "", []):
            continue
        answers.append((question, value))
    return tuple(answers)


class CodeLoginForm(RequestLoginCodeForm):
    """E-mail address -> code -> logged in, whether the address has an account yet or not (ACCOUNT_FORMS).

    allauth's form looks the account up (and applies its rate limits); an address without one gets its account
    here (``AccountAdapter.sign_up_for_login_code``), so the code mail goes out instead of "unknown account".
    """

    def clean_email(self) -> str:
        email = super().clean_email()
        if email and self._user is None:
            self._user = get_adapter().sign_up_for_login_code(allauth_context.request, self)
        return email


class PasswordLoginForm(LoginForm):
    """allauth's login with a password (optional for participants; staff add their second factor after it), with
    the portal's words: "einloggen" for logging in, "Anmeldung" only for registering for a practice day."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["login"].label = _("E-Mail-Adresse")
        if "remember" in self.fields:
            self.fields["remember"].label = _("Eingeloggt bleiben")


class _NormalisedEmailMixin:
    """Stores the address normalised and reports an account with the same address in other capitals as a
    form error (the database would refuse it with an IntegrityError)."""

    def clean_email(self) -> str:
        email = normalise_email(self.cleaned_data.get("email"))
        if email and User.objects.filter(email__iexact=email).exclude(pk=self.instance.pk).exists():
            raise forms.ValidationError(User._meta.get_field("email").error_messages["unique"], code="unique")
        return email


class UserAdminCreationForm(_NormalisedEmailMixin, AdminUserCreationForm):
    class Meta(AdminUserCreationForm.Meta):
        model = User
        fields = ("email",)
        field_classes = {}


class UserAdminChangeForm(_NormalisedEmailMixin, UserChangeForm):
    class Meta(UserChangeForm.Meta):
        model = User
        fields = "__all__"
        field_classes = {}


class MailingForm(forms.Form):
    """A mail to the people of an event (participants.mailings): statuses, subject and text with placeholders."""

    statuses = forms.MultipleChoiceField(
        label=_("An Anmeldungen im Status"),
        choices=MailingStatus.choices,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Bitte wählen Sie mindestens einen Status der Anmeldungen.")},
    )
    subject = forms.CharField(label=_("Betreff"), max_length=MAILING_SUBJECT_MAX_LENGTH)
    body = forms.CharField(
        label=_("Text"),
        max_length=MAILING_BODY_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 14, "cols": 80}),
    )

    def __init__(self, *args, counts: dict[str, int] | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        limit_char_fields(self)
        if counts is not None:
            # "bestätigt (12)": how many each status reaches.
            self.fields["statuses"].choices = [
                (value, f"{label} ({counts.get(value, 0)})") for value, label in MailingStatus.choices
            ]
        self.fields["body"].help_text = _(
            "Jede Person bekommt eine eigene E-Mail in Textform und als einfache HTML-Fassung. Platzhalter in "
            "Betreff und Text: %(placeholders)s."
        ) % {"placeholders": placeholder_list()}

    def clean_subject(self) -> str:
        subject = self.cleaned_data["subject"]
        if "\n" in subject or "\r" in subject:
            raise forms.ValidationError(_("Der Betreff darf keinen Zeilenumbruch enthalten."))
        unknown = unknown_placeholders(subject)
        if unknown:
            raise forms.ValidationError(unknown_placeholders_message(unknown))
        return subject

    def clean_body(self) -> str:
        body = self.cleaned_data["body"]
        unknown = unknown_placeholders(body)
        if unknown:
            raise forms.ValidationError(unknown_placeholders_message(unknown))
        return body


class InvitationForm(forms.Form):
    """Who is invited to an event (participants.invitations.Segment) and the note added to the fixed invitation."""

    organisations = forms.BooleanField(
        label=_("Organisationen an ihre Funktionsadresse"),
        required=False,
        initial=True,
        help_text=_("Geprüfte Organisationen mit Funktionsadresse, die Einladungen nicht abbestellt haben."),
    )
    consents = forms.BooleanField(
        label=_("Personen, die in Einladungen eingewilligt haben"),
        required=False,
        initial=True,
    )
    organisation_types = forms.ModelMultipleChoiceField(
        label=_("Arten von Organisationen"),
        queryset=OrganisationType.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Keine gewählt: alle Arten, die der Praxisfachtag einlädt."),
    )
    federal_states = forms.MultipleChoiceField(
        label=_("Bundesländer"),
        choices=FederalState.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Keines gewählt: alle Bundesländer."),
    )
    kok_members_only = forms.BooleanField(label=_("Nur KOK-Mitglieder"), required=False)
    past_events = forms.ModelMultipleChoiceField(
        label=_("Nur Personen, die sich zu diesen Praxisfachtagen angemeldet hatten"),
        queryset=Event.objects.none(),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 6}),
        help_text=_("Gilt für Personen mit Einwilligung. Keiner gewählt: alle Personen mit Einwilligung."),
    )
    note = forms.CharField(
        label=_("Persönlicher Zusatz (optional)"),
        required=False,
        max_length=INVITATION_NOTE_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 5, "cols": 80}),
        help_text=_(
            "Erscheint in jeder Einladung unter den Angaben zum Praxisfachtag; höchstens 3.000 Zeichen. Der übrige "
            "Text, der persönliche Link und der Abmeldelink sind fest."
        ),
    )

    def __init__(self, *args, event: Event, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation_types"].queryset = event.invited_types.order_by("position", "name")
        self.fields["past_events"].queryset = Event.objects.exclude(pk=event.pk).order_by("-date")
        limit_char_fields(self)

    def clean(self):
        cleaned = super().clean()
        if not cleaned.get("organisations") and not cleaned.get("consents"):
            raise forms.ValidationError(
                _("Bitte wählen Sie, wer eingeladen wird: Organisationen, Personen mit Einwilligung oder beide.")
            )
        return cleaned

    def segment(self):
        from .invitations import Segment

        c = self.cleaned_data
        return Segment(
            organisations=c["organisations"],
            consents=c["consents"],
            organisation_types=tuple(sorted(t.pk for t in c["organisation_types"])),
            federal_states=tuple(sorted(c["federal_states"])),
            kok_members_only=c["kok_members_only"],
            past_events=tuple(sorted(e.pk for e in c["past_events"])),
        )
