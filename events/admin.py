import datetime as dt

from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.contrib.admin.widgets import AdminTimeWidget, AutocompleteSelectMultiple
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q
from django.forms.models import BaseInlineFormSet
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseNotAllowed
from django.shortcuts import redirect
from django.template.defaultfilters import filesizeformat
from django.template.loader import render_to_string
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.html import format_html, format_html_join
from django.utils.http import content_disposition_header
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from casework.feedback.services import questionnaire_ensure_default
from casework.selectors import readable_case_examples
from kokportal.admin import AccessibleAdminMixin, LabelledListEditableMixin, LabelledTabularInline
from kokportal.pagecache import public_pages_changed
from kokportal.validators import int_or_none
from participants.enums import RegistrationStatus
from participants.errors import CertificateError
from participants.invitations import may_invite_to
from participants.selectors import event_availability, seats_overview
from participants.services import seats_changed

from . import materials, services, speakers
from .documents import report as series_report
from .documents import services as document_services
from .documents import views as document_views
from .documents.forms import ReportFilterForm
from .documents.permissions import can_view_event_documents, may_see_series_report
from .enums import EventStatus
from .models import (
    Event,
    EventQuestion,
    EventTeamMember,
    Material,
    Organisation,
    OrganisationType,
    ProgrammeItem,
    Project,
    Quota,
    Speaker,
)
from .selectors import SOON_DAYS, registration_windows_soon


class ProgrammeItemForm(forms.ModelForm):
    """Compact controls (times as 09:30, two-line text boxes; widths in static/css/admin.css), so the programme
    fits a 1,400 px window with its "delete" column; the full title stands above each row. The speaker records
    are chosen by autocomplete, in the order chosen (saved by EventAdmin.save_formset through
    events.speakers.programme_item_speakers_set)."""

    speaker_list = forms.ModelMultipleChoiceField(
        label=_("Referent*innen"),
        queryset=Speaker.objects.all(),
        required=False,
        widget=AutocompleteSelectMultiple(ProgrammeItem._meta.get_field("speaker_records"), admin.site),
        help_text=_("Erscheinen öffentlich nur mit ihrer Einwilligung."),
    )

    class Meta:
        model = ProgrammeItem
        fields = ("day", "start", "end", "kind", "title", "speakers", "description")
        widgets = {
            "day": forms.NumberInput(attrs={"min": 1, "max": 31, "class": "programme-day"}),
            "start": AdminTimeWidget(format="%H:%M"),
            "end": AdminTimeWidget(format="%H:%M"),
            "title": forms.TextInput(attrs={"size": 20}),
            "speakers": forms.TextInput(attrs={"size": 14}),
            "description": forms.Textarea(attrs={"rows": 2, "cols": 20}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.initial["speaker_list"] = [
                link.speaker_id for link in self.instance.speaker_links.order_by("position", "id")
            ]

    def clean_speaker_list(self):
        """The chosen speakers in the order they were chosen (the order of the posted values)."""
        chosen = list(self.cleaned_data.get("speaker_list") or [])
        posted = [str(value) for value in self.data.getlist(self.add_prefix("speaker_list"))] if self.data else []
        return sorted(chosen, key=lambda s: posted.index(str(s.pk)) if str(s.pk) in posted else len(posted))


def programme_item_label(item: ProgrammeItem) -> str:
    """A programme item in a choice list: with its day when the event has several ("Tag 2, 10:00 Diskussion")."""
    return item.with_day(str(item), multi_day=item.event.is_multi_day)


class ProgrammeItemFormSet(BaseInlineFormSet):
    """A programme item lies on one of the event's days (day 1 for a one-day event)."""

    def clean(self):
        super().clean()
        event = self.instance
        if event.date is None or (event.end_date is not None and event.end_date <= event.date):
            return  # the event's own dates are wrong: the form says so there
        number_of_days = len(event.days)
        for form in self.forms:
            data = getattr(form, "cleaned_data", None) or {}
            day = data.get("day")
            if day is not None and not data.get("DELETE") and day > number_of_days:
                form.add_error(
                    "day",
                    ngettext(
                        "Die Veranstaltung hat nur %(count)d Tag.",
                        "Die Veranstaltung hat nur %(count)d Tage.",
                        number_of_days,
                    )
                    % {"count": number_of_days},
                )


class ProgrammeItemInline(LabelledTabularInline):
    model = ProgrammeItem
    form = ProgrammeItemForm
    formset = ProgrammeItemFormSet
    extra = 0
    fields = ("day", "start", "end", "kind", "title", "speakers", "speaker_list", "description")
    ordering = ("day", "start")
    classes = ("programme-inline",)


def _holding_by_type(event: Event) -> dict[int, int]:
    return {type_id: seats.holding for type_id, seats in event_availability(event).by_type.items()}


class QuotaFormSet(BaseInlineFormSet):
    """A quota never drops below (nor is deleted under) the seats its type already holds (confirmed, pending,
    attended): nobody loses a seat by an edit; cancel registrations first."""

    def clean(self):
        super().clean()
        if self.instance.pk is None:
            return
        holding = _holding_by_type(self.instance)
        for form in self.forms:
            data = getattr(form, "cleaned_data", None) or {}
            org_type, seats = data.get("organisation_type"), data.get("seats")
            if org_type is None:
                continue
            held = holding.get(org_type.pk, 0)
            capacity = self.instance.capacity
            if seats is not None and capacity is not None and seats > capacity and not data.get("DELETE"):
                form.add_error(
                    "seats",
                    _("Das Kontingent ist größer als die Gesamtzahl der Plätze (%(capacity)d).")
                    % {"capacity": capacity},
                )
            if data.get("DELETE") and held:
                form.add_error(
                    None,
                    _("%(count)d Personen dieser Art haben schon einen Platz. Stornieren Sie zuerst Anmeldungen.")
                    % {"count": held},
                )
            elif seats is not None and seats < held:
                form.add_error(
                    "seats",
                    _("%(count)d Personen dieser Art haben schon einen Platz. Stornieren Sie zuerst Anmeldungen.")
                    % {"count": held},
                )


class QuotaInline(LabelledTabularInline):
    model = Quota
    extra = 0
    autocomplete_fields = ("organisation_type",)
    formset = QuotaFormSet


class SpeakerInvitationsForm(forms.Form):
    deadline = forms.DateTimeField(
        label=_("Frist für Zusage und Angaben"),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        help_text=_("Bis dahin können die Referent*innen über ihren persönlichen Link zusagen und Angaben ändern."),
    )
    again = forms.BooleanField(
        label=_("auch bereits Eingeladene erneut einladen"),
        required=False,
        help_text=_(
            "Sonst bekommen nur Referent*innen ohne Einladung zu dieser Veranstaltung eine E-Mail. Erneut Eingeladene "
            "bekommen einen neuen Link (der alte gilt nicht mehr) und die neue Frist; ihre Antworten bleiben."
        ),
    )

    def __init__(self, *args, event: Event, **kwargs):
        super().__init__(*args, **kwargs)
        now = timezone.localtime()
        proposal = min(now + dt.timedelta(days=14), timezone.localtime(event.starts_at) - dt.timedelta(days=7))
        if proposal > now:
            self.fields["deadline"].initial = proposal.replace(minute=0, second=0, microsecond=0)


class EventAdminForm(forms.ModelForm):
    class Meta:
        model = Event
        fields = "__all__"  # noqa: DJ007 - the admin's fieldsets decide what is shown

    def clean(self):
        cleaned = super().clean()
        project, day = cleaned.get("project"), cleaned.get("date")
        last_day = cleaned.get("end_date") or day
        if project and day and not project.starts_on <= day <= last_day <= project.ends_on:
            self.add_error(
                "project",
                _("Der Praxisfachtag liegt außerhalb der Laufzeit des Projekts (%(start)s–%(end)s).")
                % {
                    "start": date_format(project.starts_on, "SHORT_DATE_FORMAT"),
                    "end": date_format(project.ends_on, "SHORT_DATE_FORMAT"),
                },
            )
        deadline, date, start = (cleaned.get(f) for f in ("cancellation_deadline", "date", "start_time"))
        if deadline and date and start and deadline > timezone.make_aware(dt.datetime.combine(date, start)):
            self.add_error("cancellation_deadline", _("Die Stornierungsfrist endet spätestens mit dem Beginn."))
        return cleaned

    def clean_online_capacity(self):
        """Separate online seats never drop below those already held online: nobody loses a seat by an edit."""
        online_capacity = self.cleaned_data.get("online_capacity")
        if online_capacity is not None and self.instance.pk is not None and self.instance.separate_online_seats:
            online = event_availability(self.instance).online
            if online is not None and online_capacity < online.holding:
                raise forms.ValidationError(
                    _("%(count)d Personen haben schon einen Online-Platz. Stornieren Sie zuerst Anmeldungen.")
                    % {"count": online.holding}
                )
        return online_capacity

    def clean_capacity(self):
        capacity = self.cleaned_data.get("capacity")
        if capacity is not None and self.instance.pk is not None:
            held = sum(_holding_by_type(self.instance).values())
            if capacity < held:
                raise forms.ValidationError(
                    _("%(count)d Personen haben schon einen Platz. Stornieren Sie zuerst Anmeldungen.")
                    % {"count": held}
                )
        return capacity


class EventQuestionFormSet(BaseInlineFormSet):
    """The rules of events.services (options only for choices, a range only for numbers, an answered question keeps
    its kind and its options, and is not deleted) as form errors, before anything is saved."""

    def clean(self):
        super().clean()
        for form in self.forms:
            data = getattr(form, "cleaned_data", None) or {}
            if not data or form.instance is None:
                continue
            if data.get("DELETE"):
                continue  # refused for answered questions by EventQuestionInline's hand_clean_DELETE
            if not form.has_changed():
                continue
            try:
                services.question_check(form.instance)
            except services.QuestionChangeRefused as refusal:
                form.add_error(None, refusal.message)


class EventQuestionForm(forms.ModelForm):
    class Meta:
        model = EventQuestion
        fields = (
            "position",
            "kind",
            "required",
            "text",
            "text_en",
            "help_text",
            "help_text_en",
            "options",
            "options_en",
            "min_value",
            "max_value",
            "organisation_types",
        )
        widgets = {
            "options": forms.Textarea(attrs={"rows": 4, "cols": 40}),
            "options_en": forms.Textarea(attrs={"rows": 4, "cols": 40}),
            "organisation_types": forms.CheckboxSelectMultiple,
        }


class EventQuestionInline(admin.StackedInline):
    """The event's own questions on its registration form; saved through events.services (save_formset)."""

    model = EventQuestion
    form = EventQuestionForm
    formset = EventQuestionFormSet
    extra = 0
    classes = ("collapse",)
    fieldsets = (
        (None, {"fields": (("position", "kind", "required"), ("text", "text_en"), ("help_text", "help_text_en"))}),
        (_("Antwortmöglichkeiten (nur bei Auswahlfragen)"), {"fields": (("options", "options_en"),)}),
        (_("Bereich (nur bei Zahlen)"), {"fields": (("min_value", "max_value"),)}),
        (None, {"fields": ("organisation_types",)}),
    )

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        formfield = super().formfield_for_dbfield(db_field, request, **kwargs)
        if db_field.name == "organisation_types" and formfield is not None:
            # The types are ticked from the list; new types are made on their own page, not from a question.
            for link in ("can_add_related", "can_change_related", "can_delete_related", "can_view_related"):
                setattr(formfield.widget, link, False)
        return formfield

    def get_formset(self, request, obj=None, **kwargs):
        formset = super().get_formset(request, obj, **kwargs)

        class QuestionForm(formset.form):
            def hand_clean_DELETE(self):
                """Django's check lists every answer that stands in the way (a person's words in a message); the
                rule says it once."""
                if self.cleaned_data.get("DELETE") and self.instance.pk and self.instance.answers.exists():
                    raise forms.ValidationError(services.QuestionChangeRefused.answered_delete_message)

        QuestionForm.__name__ = formset.form.__name__
        formset.form = QuestionForm
        return formset


_UPLOAD_HELP = _(
    "PDF, Word (DOCX), Excel (XLSX), PowerPoint (PPTX), OpenDocument (ODT, ODS, ODP) oder Bild (PNG, JPEG, GIF, "
    "WebP); die Art wird am Inhalt geprüft."
)


class MaterialUploadMixin:
    """The upload field of a material's form, checked by events.materials.check_upload (the message shows at the
    field, nothing is saved)."""

    def clean_upload(self):
        upload = self.cleaned_data.get("upload")
        if not upload:
            return None
        try:
            materials.check_upload(upload)
        except materials.MaterialRefused as refusal:
            raise forms.ValidationError(refusal.message) from None
        return upload

    def clean(self):
        cleaned = super().clean()
        if self.instance.pk is None and "upload" in cleaned and not cleaned["upload"] and not cleaned.get("DELETE"):
            self.add_error("upload", _("Bitte wählen Sie eine Datei."))
        return cleaned


class MaterialInlineForm(MaterialUploadMixin, forms.ModelForm):
    upload = forms.FileField(label=_("Datei"), required=False, help_text=_UPLOAD_HELP)

    class Meta:
        model = Material
        fields = ("title", "title_en", "programme_item", "visibility", "position", "upload")
        widgets = {"title": forms.TextInput(attrs={"size": 24}), "title_en": forms.TextInput(attrs={"size": 18})}


class MaterialInline(LabelledTabularInline):
    """The event's materials (slides, handouts, checklists); saved through events.materials (EventAdmin.save_formset):
    a new row needs a file, an existing one may get a new file."""

    model = Material
    form = MaterialInlineForm
    extra = 0
    fields = ("title", "title_en", "programme_item", "visibility", "position", "file_facts", "upload")
    readonly_fields = ("file_facts",)
    classes = ("materials-inline",)

    def get_formset(self, request, obj=None, **kwargs):
        formset = super().get_formset(request, obj, **kwargs)
        field = formset.form.base_fields["programme_item"]
        # Only this event's programme items (a new event has none yet).
        field.queryset = (
            ProgrammeItem.objects.filter(event=obj).select_related("event").order_by("day", "start", "id")
            if obj is not None
            else ProgrammeItem.objects.none()
        )
        field.label_from_instance = programme_item_label
        for link in ("can_add_related", "can_change_related", "can_delete_related", "can_view_related"):
            setattr(field.widget, link, False)
        return formset

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("stored_file")

    @admin.display(description=_("Datei"))
    def file_facts(self, obj) -> str:
        return material_file_facts(obj)


def material_file_facts(obj) -> str:
    """The download name with type and size, e.g. "Handout.pdf (PDF, 1,2 MB)"."""
    if obj is None or obj.pk is None:
        return "–"
    stored = obj.stored_file
    return f"{obj.file_name} ({stored.type_label}, {filesizeformat(stored.size)})"


def _material_save(data: dict, *, by, event: Event | None = None, material: Material | None = None) -> Material:
    """A material form's cleaned ``data`` (the event's inline or the Material admin) through events.materials: a
    new material of ``event``, or a change of ``material`` (a chosen upload replaces its file)."""
    fields = {
        "title": data["title"],
        "title_en": data.get("title_en", ""),
        "visibility": data["visibility"],
        "programme_item": data.get("programme_item"),
        "position": data.get("position") or 0,
    }
    if material is not None:
        return materials.material_update(material=material, by=by, uploaded_file=data.get("upload"), **fields)
    return materials.material_add(event=event, uploaded_file=data["upload"], by=by, **fields)


def _material_formset_save(request, event: Event, formset) -> None:
    """Save the materials inline through events.materials, and tell the admin's change message what happened."""
    new, changed, deleted = [], [], []
    for inline_form in formset.forms:
        data = getattr(inline_form, "cleaned_data", None) or {}
        material = inline_form.instance
        if not data:
            continue
        if data.get("DELETE"):
            if material.pk:
                materials.material_delete(material=material, by=request.user)
                deleted.append(material)
            continue
        if material.pk is None:
            new.append(_material_save(data, event=event, by=request.user))
        elif inline_form.has_changed():
            _material_save(data, material=material, by=request.user)
            changed.append((material, inline_form.changed_data))
    formset.new_objects, formset.changed_objects, formset.deleted_objects = new, changed, deleted


class EventTeamMemberInline(LabelledTabularInline):
    model = EventTeamMember
    extra = 0
    autocomplete_fields = ("user",)


@admin.register(OrganisationType)
class OrganisationTypeAdmin(LabelledListEditableMixin, admin.ModelAdmin):
    list_display = ("name", "name_en", "slug", "position")
    list_editable = ("position",)
    search_fields = ("name", "name_en", "slug")
    prepopulated_fields = {"slug": ("name",)}


class ProjectAdminForm(forms.ModelForm):
    logo = forms.FileField(
        label=_("Logo des Förderers hochladen"),
        required=False,
        help_text=_(
            "PNG oder JPEG, höchstens 2 MB und 25 Millionen Bildpunkte; es wird verkleinert und als PNG gespeichert."
        ),
        widget=forms.ClearableFileInput(attrs={"accept": "image/png,image/jpeg"}),
    )
    remove_logo = forms.BooleanField(label=_("Logo entfernen"), required=False)

    class Meta:
        model = Project
        fields = (
            "title",
            "title_en",
            "starts_on",
            "ends_on",
            "description",
            "funder",
            "funder_en",
            "credit_line",
            "credit_line_en",
        )

    def clean(self):
        cleaned = super().clean()
        if self.instance.pk and cleaned.get("starts_on") and cleaned.get("ends_on"):
            probe = Project(pk=self.instance.pk, starts_on=cleaned["starts_on"], ends_on=cleaned["ends_on"])
            outside = services.project_events_outside(probe)
            if outside:
                self.add_error("ends_on", services.project_period_message(outside))
        if cleaned.get("logo") and cleaned.get("remove_logo"):
            self.add_error("remove_logo", _("Bitte entweder ein neues Logo hochladen oder das Logo entfernen."))
        return cleaned

    def clean_logo(self):
        upload = self.cleaned_data.get("logo")
        if not upload:
            return None
        data = upload.read(services.LOGO_MAX_BYTES + 1)
        try:
            services.logo_to_png(data)
        except services.LogoInvalid as exc:
            raise forms.ValidationError(exc.message) from None
        return data


@admin.register(Project)
class ProjectAdmin(admin.ModelAdmin):
    """Funded projects with their funder's credit line and logo; saved through events.services.project_save."""

    form = ProjectAdminForm
    list_display = ("title", "starts_on", "ends_on", "funder", "has_logo_column", "event_count")
    search_fields = ("title", "title_en", "funder")
    readonly_fields = ("logo_preview",)
    fieldsets = (
        (None, {"fields": ("title", "title_en", "starts_on", "ends_on", "description")}),
        (
            _("Förderung"),
            {"fields": ("funder", "funder_en", "credit_line", "credit_line_en", "logo_preview", "logo", "remove_logo")},
        ),
    )

    def get_queryset(self, request):
        return super().get_queryset(request).defer("logo_png").annotate(n_events=Count("events"))

    @admin.display(description=_("Logo"), boolean=True)
    def has_logo_column(self, obj) -> bool:
        return obj.has_logo

    @admin.display(description=_("Praxisfachtage"), ordering="n_events")
    def event_count(self, obj) -> int:
        return obj.n_events

    @admin.display(description=_("Logo des Förderers"))
    def logo_preview(self, obj):
        if obj is None or not obj.pk or not obj.has_logo:
            return _("kein Logo")
        return format_html(
            '<img src="{}" alt="{}" style="max-height: 80px; max-width: 300px; background: #fff;">',
            obj.get_logo_url(),
            _("Logo des Förderers"),
        )

    def save_model(self, request, obj, form, change):
        services.project_save(
            project=obj, logo=form.cleaned_data.get("logo"), remove_logo=form.cleaned_data.get("remove_logo", False)
        )


@admin.register(Organisation)
class OrganisationAdmin(LabelledListEditableMixin, admin.ModelAdmin):
    list_display = (
        "name",
        "organisation_type",
        "city",
        "federal_state",
        "is_kok_member",
        "is_reviewed",
        "has_contact_email",
    )
    list_filter = ("organisation_type", "federal_state", "is_kok_member", "is_reviewed")
    list_editable = ("is_reviewed",)
    search_fields = ("name", "city", "contact_email")
    readonly_fields = ("invitations_stopped_at",)

    def save_model(self, request, obj, form, change):
        services.organisation_save(organisation=obj, address_changed="contact_email" in form.changed_data)

    @admin.display(description=_("Funktionsadresse"), boolean=True)
    def has_contact_email(self, obj) -> bool:
        return bool(obj.contact_email) and obj.invitations_stopped_at is None

    list_select_related = ("organisation_type",)


class RegistrationWindowFilter(admin.SimpleListFilter):
    """Events whose registration opens or closes soon (``selectors.registration_windows_soon``): the admin's start
    page links here."""

    title = _("Anmeldezeitraum")
    parameter_name = "anmeldung"

    def lookups(self, request, model_admin):
        return [
            ("oeffnet", _("öffnet in den nächsten %(days)d Tagen") % {"days": SOON_DAYS}),
            ("schliesst", _("schließt in den nächsten %(days)d Tagen") % {"days": SOON_DAYS}),
        ]

    def queryset(self, request, queryset):
        if self.value() not in ("oeffnet", "schliesst"):
            return queryset
        windows = registration_windows_soon()
        events = windows.opening if self.value() == "oeffnet" else windows.closing
        return queryset.filter(pk__in=[event.pk for event in events])


class YearFilter(admin.SimpleListFilter):
    title = _("Jahr")
    parameter_name = "year"

    def lookups(self, request, model_admin):
        years = Event.objects.dates("date", "year", order="DESC")
        return [(str(d.year), str(d.year)) for d in years]

    def queryset(self, request, queryset):
        if self.value():
            return queryset.filter(date__year=int(self.value()))
        return queryset


XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _report_language() -> str:
    """The language the person uses the admin in (German unless they chose English)."""
    code = (translation.get_language() or settings.LANGUAGE_CODE).split("-")[0].lower()
    return code if code in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE


def _download(content: bytes, content_type: str, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = content_disposition_header(as_attachment=True, filename=filename)
    response["Cache-Control"] = "private, no-store"
    return response


@admin.register(Event)
class EventAdmin(AccessibleAdminMixin, admin.ModelAdmin):
    list_display = ("title", "date", "kind", "presence", "status", "place", "confirmed_count", "waitlisted_count")
    readonly_fields = ("seats_overview", "review_published_at", "is_example")
    list_filter = (
        "kind",
        "presence",
        "reach",
        YearFilter,
        "status",
        RegistrationWindowFilter,
        "federal_state",
        "registration_mode",
    )
    search_fields = ("title", "slug", "venue_name", "venue_city", "description")
    date_hierarchy = "date"
    prepopulated_fields = {"slug": ("title",)}
    # Co-organisers are chosen in the two-box widget (searchable; static/js/admin.js gives its search icon a role);
    # the few organisation types are simply ticked (formfield_for_manytomany).
    filter_horizontal = ("co_organisers",)
    inlines = (ProgrammeItemInline, QuotaInline, EventTeamMemberInline, MaterialInline, EventQuestionInline)
    form = EventAdminForm
    actions = ("copy_as_draft", "send_certificates")
    save_on_top = True
    fieldsets = (
        (None, {"fields": ("title", "slug", "kind", "reach", "presence", "status", "description")}),
        (
            _("Datum und Zeit"),
            {
                "fields": ("date", "end_date", "start_time", "end_time"),
                "description": _(
                    "Mehrtägige Veranstaltungen: erster und letzter Tag, Beginn am ersten und Ende am letzten Tag; "
                    "das Programm gibt je Punkt den Tag an."
                ),
            },
        ),
        (
            _("Ort"),
            {
                "fields": (
                    "venue_name",
                    "venue_street",
                    "venue_postcode",
                    "venue_city",
                    "federal_state",
                    "online_access",
                ),
                "description": _(
                    "Bei virtuellen Veranstaltungen bleibt der Ort leer; hybride haben Ort und Zugangsdaten. Die "
                    "Zugangsdaten sehen nur bestätigte Teilnehmer*innen, die online teilnehmen."
                ),
            },
        ),
        (_("Beteiligte"), {"fields": ("co_organisers", "invited_types", "project")}),
        (
            _("Anmeldung"),
            {
                "fields": (
                    "registration_mode",
                    "invitation_only",
                    "registration_opens",
                    "registration_closes",
                    "cancellation_deadline",
                    "capacity",
                    "online_capacity",
                )
            },
        ),
        (_("Plätze"), {"fields": ("seats_overview",)}),
        (
            _("Dokumentation"),
            {"fields": ("summary", "outcomes", "review_published_at", "is_example"), "classes": ("collapse",)},
        ),
    )

    def change_view(self, request, object_id, form_url="", extra_context=None):
        event = self.get_object(request, object_id)
        extra_context = {
            **(extra_context or {}),
            "may_invite_to_event": event is not None and may_invite_to(event),
            # After the day: publish or withdraw the public review (events.services.event_review_publish).
            "review_possible": event is not None and event.status == EventStatus.PUBLISHED and event.is_over(),
            # "Dokumentation mit Fallbeispielen" only where there are case examples to put in (else it answers 404).
            "has_case_examples": event is not None and bool(readable_case_examples(user=request.user, event=event)),
        }
        return super().change_view(request, object_id, form_url, extra_context)

    def changelist_view(self, request, extra_context=None):
        extra_context = {**(extra_context or {}), "may_see_series_report": may_see_series_report(request.user)}
        return super().changelist_view(request, extra_context)

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        if db_field.name == "invited_types":
            kwargs["widget"] = forms.CheckboxSelectMultiple
        return super().formfield_for_manytomany(db_field, request, **kwargs)

    def get_urls(self):
        # The document downloads and the copy behind the buttons on the change page (templates/admin/events/event/
        # change_form.html); before the default URLs, whose "<object_id>/" would swallow them.
        prefix = f"{self.opts.app_label}_{self.opts.model_name}"
        return [
            path(
                "<path:object_id>/dokumente/<slug:document>/",
                self.admin_site.admin_view(self.document_view),
                name=f"{prefix}_document",
            ),
            path("report/", self.admin_site.admin_view(self.report_view), name=f"{prefix}_report"),
            path("report/pdf/", self.admin_site.admin_view(self.report_pdf_view), name=f"{prefix}_report_pdf"),
            path("report/xlsx/", self.admin_site.admin_view(self.report_xlsx_view), name=f"{prefix}_report_xlsx"),
            path("<path:object_id>/kopieren/", self.admin_site.admin_view(self.copy_view), name=f"{prefix}_copy"),
            path("<path:object_id>/rueckblick/", self.admin_site.admin_view(self.review_view), name=f"{prefix}_review"),
            path(
                "<path:object_id>/referentinnen-einladen/",
                self.admin_site.admin_view(self.speakers_invite_view),
                name=f"{prefix}_speakers_invite",
            ),
            *super().get_urls(),
        ]

    # --- the report across events (events.documents.report) ------------------------------------------------------

    def _report_form(self, request: HttpRequest) -> ReportFilterForm:
        if request.method != "GET":
            raise Http404
        if not may_see_series_report(request.user):
            raise Http404
        return ReportFilterForm(request.GET)

    def _report_page(self, request: HttpRequest, form: ReportFilterForm) -> HttpResponse:
        report = series_report.series_report(**form.filters()) if form.is_valid() else None
        context = {
            **self.admin_site.each_context(request),
            "title": gettext("Bericht über mehrere Veranstaltungen"),
            "opts": self.model._meta,
            "form": form,
            **(series_report.report_context(report) if report is not None else {}),
            "query": request.GET.urlencode(),
        }
        return TemplateResponse(request, "admin/events/event/report.html", context)

    def report_view(self, request: HttpRequest) -> HttpResponse:
        """The report for a period, a project and formats: tables, charts and the downloads for the same filter."""
        return self._report_page(request, self._report_form(request))

    def report_pdf_view(self, request: HttpRequest) -> HttpResponse:
        form = self._report_form(request)
        if not form.is_valid():
            return self._report_page(request, form)
        lang = _report_language()
        report, pdf = series_report.series_report_pdf(lang=lang, **form.filters())
        return _download(pdf.content, "application/pdf", series_report.report_filename(report, "pdf", lang))

    def report_xlsx_view(self, request: HttpRequest) -> HttpResponse:
        form = self._report_form(request)
        if not form.is_valid():
            return self._report_page(request, form)
        lang = _report_language()
        report, content = series_report.series_report_xlsx(lang=lang, **form.filters())
        return _download(content, XLSX_TYPE, series_report.report_filename(report, "xlsx", lang))

    def review_view(self, request: HttpRequest, object_id: str) -> HttpResponse:
        """The button "Rückblick veröffentlichen" / "Rückblick zurückziehen" on the change page of a past event."""
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        event = self.get_object(request, unquote(object_id))
        if event is None or not self.has_view_permission(request, event):
            raise Http404
        if not self.has_change_permission(request, event):
            raise PermissionDenied
        publish = request.POST.get("publish") == "1"
        try:
            services.event_review_publish(event=event, publish=publish)
        except services.ReviewNotPossible as exc:
            self.message_user(request, exc.message, messages.ERROR)
        else:
            self.log_change(request, event, [{"changed": {"fields": ["review_published_at"]}}])
            self.message_user(
                request,
                gettext("Der Rückblick steht jetzt auf der öffentlichen Seite.")
                if publish
                else gettext("Der Rückblick ist von der öffentlichen Seite genommen."),
                messages.SUCCESS,
            )
        return redirect("admin:events_event_change", event.pk)

    def speakers_invite_view(self, request: HttpRequest, object_id: str) -> HttpResponse:
        """ "Referent*innen einladen": the speakers of the event's programme, who was invited when and who answered;
        staff choose a deadline and invite (again) everyone with an e-mail address (events.speakers)."""
        event = self.get_object(request, unquote(object_id))
        if event is None or not self.has_view_permission(request, event):
            raise Http404
        may_invite = self.has_change_permission(request, event)
        recording = request.method == "POST" and "record_confirmation" in request.POST
        form = SpeakerInvitationsForm(None if recording else (request.POST or None), event=event)
        if request.method == "POST" and not may_invite:
            raise PermissionDenied
        if recording:
            # "Zusage erfassen": the speaker confirmed by phone or mail (events.speakers.speaker_confirmation_record).
            speaker = Speaker.objects.filter(pk=int_or_none(request.POST.get("record_confirmation"))).first()
            try:
                if speaker is None:
                    raise speakers.SpeakerError(_("Diese Person steht nicht im Programm dieser Veranstaltung."))
                speakers.speaker_confirmation_record(event=event, speaker=speaker, by=request.user)
            except speakers.SpeakerError as exc:
                self.message_user(request, exc.message, messages.ERROR)
            else:
                self.message_user(
                    request,
                    gettext("Die Zusage von %(name)s ist erfasst.") % {"name": speaker.name}
                    + (
                        ""
                        if speaker.consent_to_publish
                        else " " + gettext("Ohne ihre Einwilligung erscheint sie nicht öffentlich.")
                    ),
                    messages.SUCCESS,
                )
            return redirect("admin:events_event_speakers_invite", event.pk)
        if request.method == "POST" and form.is_valid():
            try:
                sent = speakers.speakers_invite(
                    event=event,
                    deadline=form.cleaned_data["deadline"],
                    by=request.user,
                    again=form.cleaned_data["again"],
                )
            except speakers.SpeakerError as exc:
                self.message_user(request, exc.message, messages.ERROR)
            else:
                self.message_user(
                    request,
                    ngettext(
                        "%(count)d Einladung an Referent*innen wird per E-Mail versandt.",
                        "%(count)d Einladungen an Referent*innen werden per E-Mail versandt (eine je Person).",
                        len(sent.invited),
                    )
                    % {"count": len(sent.invited)},
                    messages.SUCCESS,
                )
                if sent.skipped:
                    self.message_user(
                        request,
                        gettext("Schon eingeladen und daher nicht erneut: %(names)s")
                        % {"names": ", ".join(s.name for s in sent.skipped)},
                        messages.INFO,
                    )
                if sent.without_email:
                    self.message_user(
                        request,
                        gettext("Ohne E-Mail-Adresse und daher nicht eingeladen: %(names)s")
                        % {"names": ", ".join(s.name for s in sent.without_email)},
                        messages.WARNING,
                    )
                return redirect("admin:events_event_speakers_invite", event.pk)
        context = {
            **self.admin_site.each_context(request),
            "title": gettext("Referent*innen einladen"),
            "opts": self.model._meta,
            "original": event,
            "rows": speakers.event_speaker_rows(event=event),
            "form": form,
            "may_invite": may_invite,
        }
        return TemplateResponse(request, "admin/events/event/speaker_invitations.html", context)

    def copy_view(self, request: HttpRequest, object_id: str) -> HttpResponse:
        """The button "Als Entwurf kopieren" on the change page: the copy opens at once."""
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        event = self.get_object(request, unquote(object_id))
        if event is None or not self.has_view_permission(request, event):
            raise Http404
        if not self.has_add_permission(request):
            raise PermissionDenied
        copy = self._copy(request, event)
        return redirect("admin:events_event_change", copy.pk)

    def _copy(self, request: HttpRequest, event: Event) -> Event:
        """Copy through the events service, give the draft its feedback questionnaire (as every new event gets
        one) and say what moved."""
        copy = services.event_copy_as_draft(event=event)
        questionnaire_ensure_default(event=copy)
        self.log_addition(request, copy, [{"added": {}}])
        self.message_user(
            request,
            gettext(
                "„%(title)s“ ist als Entwurf angelegt, mit Programm, Kontingenten und eingeladenen Arten von "
                "Organisationen. Das Datum ist auf den %(date)s verschoben (Original: %(original)s), Anmeldezeitraum "
                "und Stornierungsfrist um ebenso viele Tage; bitte prüfen Sie Wochentag und Fristen, bevor Sie "
                "veröffentlichen."
            )
            % {
                "title": copy.title,
                "date": date_format(copy.date, "SHORT_DATE_FORMAT"),
                "original": date_format(event.date, "SHORT_DATE_FORMAT"),
            },
            messages.SUCCESS,
        )
        return copy

    def document_view(self, request: HttpRequest, object_id: str, document: str) -> HttpResponse:
        """Documentation PDF and printables of one event (same documents as the organiser page)."""
        event = self.get_object(request, unquote(object_id))
        serve = document_views.DOCUMENTS.get(document)
        if (
            event is None
            or serve is None
            or not self.has_view_permission(request, event)
            or not can_view_event_documents(request.user, event)
        ):
            raise Http404
        return serve(request, event)

    def get_queryset(self, request: HttpRequest):
        return (
            super()
            .get_queryset(request)
            .annotate(
                _confirmed=Count(
                    "registrations", filter=Q(registrations__status__in=RegistrationStatus.participating())
                ),
                _waitlisted=Count("registrations", filter=Q(registrations__status=RegistrationStatus.WAITLISTED)),
            )
        )

    @admin.display(description=_("Übersicht"))
    def seats_overview(self, obj: Event) -> str:
        if obj.pk is None:
            return "–"
        availability = event_availability(obj)
        return render_to_string(
            "admin/events/seats_overview.html",
            {
                "overview": seats_overview(event=obj, availability=availability),
                # A hybrid event's separately counted online seats (one pool for every type).
                "online": availability.online,
                "registrations_url": reverse("admin:participants_registration_changelist")
                + f"?event__id__exact={obj.pk}",
            },
        )

    def view_on_site(self, obj: Event):
        # Only a published (or cancelled) event has a public page; a draft's would answer 404.
        return obj.get_absolute_url() if obj.status != EventStatus.DRAFT else None

    def save_formset(self, request, form, formset, change):
        """The questions go through events.services (their rules once answered), the materials through
        events.materials, the speakers of programme items through events.speakers; the other inlines as Django saves
        them."""
        if formset.model is Material:
            _material_formset_save(request, form.instance, formset)
            return
        if formset.model is ProgrammeItem:
            super().save_formset(request, form, formset, change)
            for inline_form in formset.forms:
                data = getattr(inline_form, "cleaned_data", None) or {}
                if not data or data.get("DELETE") or inline_form.instance.pk is None:
                    continue
                if "speaker_list" in inline_form.changed_data:
                    speakers.programme_item_speakers_set(
                        item=inline_form.instance, speakers=data.get("speaker_list") or [], by=request.user
                    )
            return
        if formset.model is not EventQuestion:
            super().save_formset(request, form, formset, change)
            return
        new, changed, deleted = [], [], []
        for inline_form in formset.forms:
            data = getattr(inline_form, "cleaned_data", None) or {}
            question = inline_form.instance
            if not data:
                continue
            if data.get("DELETE"):
                if question.pk:
                    services.event_question_delete(question=question)
                    deleted.append(question)
                continue
            if not inline_form.has_changed():
                continue
            is_new = question.pk is None
            question.event = form.instance
            services.event_question_save(question=question, organisation_types=list(data["organisation_types"]))
            (new.append(question) if is_new else changed.append((question, inline_form.changed_data)))
        # What the admin's change message reads from a saved formset.
        formset.new_objects, formset.changed_objects, formset.deleted_objects = new, changed, deleted

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        public_pages_changed()
        if not change:
            # Every event gets the default feedback questionnaire, editable afterwards.
            questionnaire_ensure_default(event=form.instance)
        if change:
            # A raised quota or capacity moves waitlisted people up at once.
            promoted = seats_changed(event=form.instance)
            if promoted:
                self.message_user(
                    request,
                    ngettext(
                        "%(count)d Person ist von der Warteliste nachgerückt.",
                        "%(count)d Personen sind von der Warteliste nachgerückt.",
                        len(promoted),
                    )
                    % {"count": len(promoted)},
                    messages.SUCCESS,
                )

    @admin.display(description=_("Ort"), ordering="venue_city")
    def place(self, obj: Event) -> str:
        return obj.place_display

    @admin.display(description=_("bestätigt"), ordering="_confirmed")
    def confirmed_count(self, obj: Event) -> int:
        return obj._confirmed

    @admin.display(description=_("Warteliste"), ordering="_waitlisted")
    def waitlisted_count(self, obj: Event) -> int:
        return obj._waitlisted

    def delete_model(self, request, obj):
        super().delete_model(request, obj)
        # The event's materials went with it; their files leave the storage unless a copy still uses them.
        materials.stored_files_purge_orphans()
        public_pages_changed()

    def delete_queryset(self, request, queryset):
        super().delete_queryset(request, queryset)
        materials.stored_files_purge_orphans()
        public_pages_changed()

    @admin.action(description=_("Als neuen Entwurf kopieren (mit Programm und Kontingenten)"), permissions=["add"])
    def copy_as_draft(self, request: HttpRequest, queryset):
        """One event: its draft opens at once. Several: each is copied, and the list says so."""
        copies = [self._copy(request, event) for event in queryset.order_by("date", "pk")]
        if len(copies) == 1:
            return redirect("admin:events_event_change", copies[0].pk)
        return None

    @admin.action(description=_("Teilnahmebescheinigungen senden"), permissions=["change"])
    def send_certificates(self, request: HttpRequest, queryset):
        """Each person marked attended at the selected events gets their certificate of attendance as a PDF, one
        mail each (events.documents.services.certificates_send, audit-logged). First a confirmation page names the
        events and how many people each reaches; only its "Jetzt senden" sends."""
        events = list(
            queryset.annotate(
                attended_count=Count("registrations", filter=Q(registrations__status=RegistrationStatus.ATTENDED))
            ).order_by("date", "pk")
        )
        if request.POST.get("confirmed") != "yes":
            context = {
                **self.admin_site.each_context(request),
                "title": gettext("Teilnahmebescheinigungen senden"),
                "opts": self.model._meta,
                "events": events,
                "total": sum(event.attended_count for event in events),
                "action_checkbox_name": admin.helpers.ACTION_CHECKBOX_NAME,
            }
            return TemplateResponse(request, "admin/events/event/send_certificates_confirm.html", context)
        for event in events:
            try:
                count = document_services.certificates_send(event=event, by=request.user)
            except CertificateError as exc:
                self.message_user(request, f"„{event.title}“: {exc.message}", messages.ERROR)
                continue
            if count:
                message = ngettext(
                    "„%(title)s“: %(count)d Teilnahmebescheinigung wird per E-Mail versandt.",
                    "„%(title)s“: %(count)d Teilnahmebescheinigungen werden per E-Mail versandt (eine je Person).",
                    count,
                )
                self.message_user(request, message % {"title": event.title, "count": count}, messages.SUCCESS)
            else:
                self.message_user(
                    request,
                    gettext(
                        "„%(title)s“: Niemand ist als teilgenommen markiert; es wurde keine Bescheinigung versandt."
                    )
                    % {"title": event.title},
                    messages.WARNING,
                )


class MaterialAdminForm(MaterialUploadMixin, forms.ModelForm):
    upload = forms.FileField(
        label=_("Datei"),
        required=False,
        help_text=_UPLOAD_HELP + " " + _("Beim Ändern: nur wählen, um die Datei zu ersetzen."),
    )

    class Meta:
        model = Material
        fields = ("event", "programme_item", "title", "title_en", "visibility", "position", "upload")

    def clean(self):
        cleaned = super().clean()
        event = cleaned.get("event") or (self.instance.event if self.instance.pk else None)
        item = cleaned.get("programme_item")
        if event is not None and item is not None and item.event_id != event.pk:
            self.add_error("programme_item", _("Der Programmpunkt gehört nicht zu diesem Praxisfachtag."))
        return cleaned


@admin.register(Material)
class MaterialAdmin(admin.ModelAdmin):
    """All materials, filtered by event and visibility; every change goes through events.materials."""

    form = MaterialAdminForm
    list_display = ("title", "event", "programme_item", "visibility", "file_column", "uploaded_by_speaker", "position")
    list_filter = ("event", "visibility")
    list_select_related = ("event", "programme_item", "stored_file", "uploaded_by_speaker")
    search_fields = ("title", "title_en", "file_name", "event__title")
    autocomplete_fields = ("event",)

    def get_fields(self, request, obj=None):
        fields = ["event", "programme_item", "title", "title_en", "visibility", "position", "upload"]
        return [*fields[:6], "file_column", "upload"] if obj is not None else fields

    def get_readonly_fields(self, request, obj=None):
        return ("event", "file_column") if obj is not None else ()

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)
        field = form.base_fields.get("programme_item")
        if field is not None:
            items = ProgrammeItem.objects.select_related("event").order_by("-event__date", "day", "start", "id")
            field.queryset = items.filter(event=obj.event) if obj is not None else items
            field.label_from_instance = (
                programme_item_label
                if obj is not None
                else (lambda item: f"{item.event.title}: {programme_item_label(item)}")
            )
            for link in ("can_add_related", "can_change_related", "can_delete_related", "can_view_related"):
                setattr(field.widget, link, False)
        return form

    @admin.display(description=_("Datei"))
    def file_column(self, obj) -> str:
        return material_file_facts(obj)

    def save_model(self, request, obj, form, change):
        data = form.cleaned_data
        if change:
            _material_save(data, material=obj, by=request.user)
            return
        created = _material_save(data, event=data["event"], by=request.user)
        # The admin logs and redirects with the object it passed in.
        obj.pk, obj.file_name, obj.stored_file_id, obj.uploaded_by_id = (
            created.pk,
            created.file_name,
            created.stored_file_id,
            created.uploaded_by_id,
        )
        obj._state.adding = False

    def save_related(self, request, form, formsets, change):
        """A material has no related objects of its own to save (the service saved everything)."""

    def delete_model(self, request, obj):
        materials.material_delete(material=obj, by=request.user)

    def delete_queryset(self, request, queryset):
        for material in queryset.select_related("event"):
            materials.material_delete(material=material, by=request.user)


class SpeakerAdminForm(forms.ModelForm):
    class Meta:
        model = Speaker
        fields = ("name", "organisation", "email", "bio", "bio_en")
        widgets = {
            "bio": forms.Textarea(attrs={"rows": 5, "cols": 80}),
            "bio_en": forms.Textarea(attrs={"rows": 5, "cols": 80}),
        }


@admin.register(Speaker)
class SpeakerAdmin(admin.ModelAdmin):
    """Speaker records (personal data: for staff only). Saved through events.speakers.speaker_save; consent is the
    speaker's own (their personal page), staff can only record that it was withdrawn. A record named in no
    programme and without consent may be deleted."""

    form = SpeakerAdminForm
    list_display = ("name", "organisation", "has_email", "consent_to_publish", "item_count")
    list_filter = ("consent_to_publish",)
    search_fields = ("name", "organisation")
    ordering = ("name", "id")
    readonly_fields = ("consent_to_publish", "consent_given_at", "programme_items_list", "invitations_list")
    fieldsets = (
        (None, {"fields": ("name", "organisation", "email", "bio", "bio_en")}),
        (_("Einwilligung"), {"fields": ("consent_to_publish", "consent_given_at")}),
        (_("Programm und Einladungen"), {"fields": ("programme_items_list", "invitations_list")}),
    )
    actions = ("withdraw_consent",)

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(n_items=Count("programme_links"))

    def get_actions(self, request):
        actions = super().get_actions(request)
        actions.pop("delete_selected", None)  # one by one, through events.speakers.speaker_delete
        return actions

    @admin.display(description=_("E-Mail-Adresse"), boolean=True)
    def has_email(self, obj) -> bool:
        return bool(obj.email)

    @admin.display(description=_("Programmpunkte"), ordering="n_items")
    def item_count(self, obj) -> int:
        return obj.n_items

    @admin.display(description=_("Programmpunkte"))
    def programme_items_list(self, obj):
        if obj is None or obj.pk is None:
            return "–"
        links = obj.programme_links.select_related("programme_item__event").order_by(
            "-programme_item__event__date", "programme_item__start"
        )
        if not links:
            return _("keinem Programmpunkt zugeordnet")
        return format_html(
            "<ul>{}</ul>",
            format_html_join(
                "",
                '<li><a href="{}">{}</a>: {}</li>',
                (
                    (
                        reverse("admin:events_event_change", args=[link.programme_item.event_id]),
                        str(link.programme_item.event),
                        str(link.programme_item),
                    )
                    for link in links
                ),
            ),
        )

    @admin.display(description=_("Einladungen"))
    def invitations_list(self, obj):
        if obj is None or obj.pk is None:
            return "–"
        invitations = obj.invitations.select_related("event").order_by("-event__date")
        if not invitations:
            return _("noch nicht eingeladen")
        return format_html(
            "<ul>{}</ul>",
            format_html_join(
                "",
                "<li>{}: {} ({})</li>",
                (
                    (
                        str(invitation.event),
                        invitation.state_display,
                        _("gesendet am %(date)s")
                        % {"date": date_format(timezone.localtime(invitation.sent_at), "SHORT_DATETIME_FORMAT")}
                        if invitation.sent_at
                        else _("noch nicht gesendet"),
                    )
                    for invitation in invitations
                ),
            ),
        )

    def save_model(self, request, obj, form, change):
        speakers.speaker_save(speaker=obj, by=request.user)

    def has_delete_permission(self, request, obj=None):
        if obj is not None and speakers.speaker_deletion_refusal(obj):
            return False
        return super().has_delete_permission(request, obj)

    def delete_model(self, request, obj):
        speakers.speaker_delete(speaker=obj, by=request.user)

    @admin.action(description=_("Einwilligung in die Veröffentlichung widerrufen"), permissions=["change"])
    def withdraw_consent(self, request: HttpRequest, queryset):
        count = 0
        for speaker in queryset.filter(consent_to_publish=True):
            speakers.speaker_consent_withdraw(speaker=speaker, by=request.user)
            count += 1
        self.message_user(
            request,
            ngettext(
                "Die Einwilligung von %(count)d Person ist widerrufen.",
                "Die Einwilligungen von %(count)d Personen sind widerrufen.",
                count,
            )
            % {"count": count},
            messages.SUCCESS,
        )
