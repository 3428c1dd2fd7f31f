"""The admin's shared parts: the start page with what needs doing, read-only records, accessible widgets for
inline rows and date-and-time fields, German names for what libraries bring into the admin, and German labels
for permissions.

The start page composes one selector per floor (each a fixed number of queries): registrations waiting for
approval and waiting lists (participants), case examples to review (casework), organisations to check and
registration windows opening or closing soon (events), open feedback windows (feedback). Every line links to the
changelist filtered to exactly what it counts.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django import forms
from django.apps import apps
from django.contrib import admin
from django.contrib.admin.widgets import AdminSplitDateTime
from django.contrib.auth.admin import GroupAdmin as DjangoGroupAdmin
from django.contrib.auth.models import Group, Permission
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import format_html, format_html_join
from django.utils.http import urlencode
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django_tasks_db.admin import DBTaskResultAdmin
from django_tasks_db.models import DBTaskResult

from casework.feedback.selectors import CLOSING_SOON_DAYS, closes_on, open_feedback_windows
from casework.selectors import cases_to_review
from events.selectors import SOON_DAYS, organisations_to_review_count, registration_closes_at, registration_windows_soon
from participants.selectors import registrations_to_handle

from .audit import audit_action_label
from .models import AuditLogEntry

# --- accessible widgets ----------------------------------------------------------------------------------------


class LabelledSplitDateTime(AdminSplitDateTime):
    """Django's split date and time widget with a real ``<label>`` for each of its two inputs (Django writes
    "Datum:" and "Zeit:" as bare text, so both inputs have no accessible name). The field's own label is added
    for screen readers: "Datum (Anmeldung ab)"."""

    def __init__(self, attrs=None, *, field_label: str = ""):
        super().__init__(attrs)
        self.field_label = field_label

    def render(self, name, value, attrs=None, renderer=None):
        context = self.get_context(name, value, attrs)
        parts = []
        for subwidget, widget, text in zip(
            context["widget"]["subwidgets"],
            self.widgets,
            (gettext_lazy("Datum"), gettext_lazy("Uhrzeit")),
            strict=True,
        ):
            control = widget.render(subwidget["name"], subwidget["value"], subwidget["attrs"], renderer)
            hidden = (
                format_html(' <span class="visually-hidden">({})</span>', self.field_label) if self.field_label else ""
            )
            parts.append(
                format_html('<label for="{}">{}{}:</label> {}', subwidget["attrs"].get("id", ""), text, hidden, control)
            )
        return format_html('<p class="datetime">{}<br>{}</p>', parts[0], parts[1])


class AccessibleAdminMixin:
    """For a ModelAdmin: date-and-time fields with a label on each of their inputs."""

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        if isinstance(db_field, models.DateTimeField):
            kwargs["widget"] = LabelledSplitDateTime(field_label=str(db_field.verbose_name))
        return super().formfield_for_dbfield(db_field, request, **kwargs)


def _label_row(form, row: str) -> None:
    """Give every control of a table row an accessible name: its column ("Beginn") and its row ("Programmpunkt 2").
    A tabular inline or an editable list shows the field names only as column headers, not as labels."""
    for name, form_field in form.fields.items():
        if form_field.widget.is_hidden:
            continue
        label = _("Löschen") if name == "DELETE" else str(form_field.label or name)
        widget = form_field.widget
        targets = [widget, getattr(widget, "widget", None)]  # a related-object wrapper renders its inner widget
        for target in filter(None, targets):
            for sub in getattr(target, "widgets", [target]):
                sub.attrs["aria-label"] = f"{label} ({row})"


class LabelledTabularInline(admin.TabularInline):
    """A tabular inline whose inputs, selects and "delete" boxes have labels (axe: label, select-name)."""

    def get_formset(self, request, obj=None, **kwargs):
        formset = super().get_formset(request, obj, **kwargs)
        row_name = str(self.verbose_name or self.model._meta.verbose_name)

        class LabelledFormSet(formset):
            def add_fields(self, form, index):
                super().add_fields(form, index)
                _label_row(form, f"{row_name} {index + 1}" if index is not None else row_name)

        LabelledFormSet.__name__ = formset.__name__
        return LabelledFormSet


class LabelledListEditableMixin:
    """For a ModelAdmin with ``list_editable``: each box in the list is named by its column and its row
    ("geprüft (Fachberatungsstelle Lichtblick)")."""

    def get_changelist_formset(self, request, **kwargs):
        formset = super().get_changelist_formset(request, **kwargs)

        class LabelledFormSet(formset):
            def add_fields(self, form, index):
                super().add_fields(form, index)
                _label_row(form, str(form.instance))

        LabelledFormSet.__name__ = formset.__name__
        return LabelledFormSet


# --- read-only records ---------------------------------------------------------------------------------------


class ReadOnlyAdminMixin:
    """Records that staff may look at but never add, change or delete (logs, receipts)."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class AuditActionFilter(admin.SimpleListFilter):
    """The actions that appear in the log, by their German names."""

    title = gettext_lazy("Aktion")
    parameter_name = "action"

    def lookups(self, request, model_admin):
        codes = AuditLogEntry.objects.order_by("action").values_list("action", flat=True).distinct()
        return sorted(((code, audit_action_label(code)) for code in codes), key=lambda item: item[1])

    def queryset(self, request, queryset):
        return queryset.filter(action=self.value()) if self.value() else queryset


@admin.register(AuditLogEntry)
class AuditLogEntryAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ("created", "actor", "action_label", "subject_type", "subject_id")
    # Only the kinds of records that appear in the log, not every model of every library.
    list_filter = (AuditActionFilter, ("subject_type", admin.RelatedOnlyFieldListFilter))
    date_hierarchy = "created"
    list_select_related = ("actor", "subject_type")

    fields = ("created", "actor", "action_label", "subject_type", "subject_id", "detail_display")
    readonly_fields = fields

    @admin.display(description=gettext_lazy("Aktion"), ordering="action")
    def action_label(self, obj: AuditLogEntry) -> str:
        return audit_action_label(obj.action)

    @admin.display(description=gettext_lazy("Details"))
    def detail_display(self, obj: AuditLogEntry) -> str:
        """The ids, formats and counts the entry holds, one per line ("count: 17"), never personal data."""
        return format_html_join(
            mark_safe("<br>"), "{}: {}", ((key, _detail_value(value)) for key, value in sorted(obj.detail.items()))
        )


def _detail_value(value) -> str:
    if isinstance(value, list | tuple):
        return ", ".join(str(item) for item in value)
    return str(value)


# --- German names for what the libraries bring --------------------------------------------------------------------


class TaskResultAdmin(DBTaskResultAdmin):
    """The queue of background tasks (the portal's mails in production), read-only as in django-tasks-db, with
    German column names: the library names some of them in plain strings that no catalogue translates."""

    list_display = ("enqueued_at", "name", "status", "started_at", "finished_at")
    list_display_links = ("enqueued_at",)

    @admin.display(description=gettext_lazy("Aufgabe"))
    def name(self, obj: DBTaskResult) -> str:
        return obj.task_name

    @admin.display(description=gettext_lazy("Fehlerprotokoll"))
    def formatted_traceback(self, obj: DBTaskResult) -> str:
        return super().formatted_traceback(obj)

    @admin.display(description=gettext_lazy("nicht vor"))
    def display_run_after(self, obj: DBTaskResult):
        return super().display_run_after(obj)


if admin.site.is_registered(DBTaskResult):
    admin.site.unregister(DBTaskResult)
admin.site.register(DBTaskResult, TaskResultAdmin)

# Models whose names their library does not translate (a plain string, so no catalogue can).
MODEL_NAMES = {("mfa", "authenticator"): gettext_lazy("Zweiter Faktor")}
PERMISSION_ACTIONS = {
    "add": gettext_lazy("hinzufügen"),
    "change": gettext_lazy("ändern"),
    "delete": gettext_lazy("löschen"),
    "view": gettext_lazy("ansehen"),
}


def permission_label(permission: Permission) -> str:
    """ "Praxisfachtage | Kontingent | ändern" instead of the English name Django stored ("Can change Kontingent")."""
    content_type = permission.content_type
    try:
        app_name = apps.get_app_config(content_type.app_label).verbose_name
    except LookupError:
        app_name = content_type.app_label
    model = content_type.model_class()
    model_name = MODEL_NAMES.get((content_type.app_label, content_type.model)) or (
        model._meta.verbose_name if model is not None else content_type.model
    )
    action, _sep, rest = permission.codename.partition("_")
    if action in PERMISSION_ACTIONS and rest == content_type.model:
        what = PERMISSION_ACTIONS[action]
    else:
        what = permission.name  # a permission of its own, named by whoever defined it
    return f"{app_name} | {model_name} | {what}"


class PermissionChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        return permission_label(obj)


def german_permissions_field(db_field, request, model_admin, **kwargs):
    """The permissions of a group or an account, labelled in German (``permission_label``)."""
    kwargs["form_class"] = PermissionChoiceField
    kwargs["queryset"] = Permission.objects.select_related("content_type")
    return admin.ModelAdmin.formfield_for_manytomany(model_admin, db_field, request, **kwargs)


admin.site.unregister(Group)


@admin.register(Group)
class GroupAdmin(DjangoGroupAdmin):
    def formfield_for_manytomany(self, db_field, request=None, **kwargs):
        if db_field.name == "permissions":
            return german_permissions_field(db_field, request, self, **kwargs)
        return super().formfield_for_manytomany(db_field, request, **kwargs)


# --- the start page -----------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class TodoLine:
    label: str
    url: str
    detail: str = ""


@dataclass(frozen=True)
class TodoSection:
    """One kind of work: how much there is, the changelist that shows exactly that, and the lines per event."""

    key: str
    title: str
    count: int
    url: str
    lines: list[TodoLine] = field(default_factory=list)
    empty: str = ""


def _changelist(model_label: str, **filters) -> str:
    app_label, model_name = model_label.split(".")
    url = reverse(f"admin:{app_label}_{model_name}_changelist")
    return f"{url}?{urlencode(filters)}" if filters else url


def _change(model_label: str, pk: int) -> str:
    app_label, model_name = model_label.split(".")
    return reverse(f"admin:{app_label}_{model_name}_change", args=[pk])


def _event_label(title: str, date) -> str:
    return f"{title} ({date_format(date, 'SHORT_DATE_FORMAT')})"


def _when(moment) -> str:
    return date_format(timezone.localtime(moment), "SHORT_DATETIME_FORMAT")


def start_page_sections(request) -> list[TodoSection]:
    """What needs doing, for the admin's start page: a section per kind of work the user may see. A fixed number of
    queries (one per selector) whatever the number of events, registrations or cases."""
    user = request.user
    now = timezone.now()
    today = timezone.localdate(now)
    sections: list[TodoSection] = []

    if user.has_perm("participants.view_registration"):
        rows = registrations_to_handle(today=today)
        for key, status, title, empty in (
            (
                "pending",
                "pending",
                _("Anmeldungen warten auf Freigabe"),
                _("Keine Anmeldung wartet auf Freigabe."),
            ),
            ("waitlisted", "waitlisted", _("Personen auf Wartelisten"), _("Keine Warteliste bei kommenden Terminen.")),
        ):
            lines = [
                TodoLine(
                    label=_event_label(row.title, row.date),
                    url=_changelist("participants.registration", event__id__exact=row.event_id, status=status),
                    detail=str(getattr(row, key)),
                )
                for row in rows
                if getattr(row, key)
            ]
            sections.append(
                TodoSection(
                    key=key,
                    title=title,
                    count=sum(getattr(row, key) for row in rows),
                    url=_changelist("participants.registration", status=status, zeitraum="kommend"),
                    lines=lines,
                    empty=empty,
                )
            )

    if user.has_perm("casework.view_caseexample"):
        rows = cases_to_review()
        sections.append(
            TodoSection(
                key="cases",
                title=_("Fallbeispiele zur Prüfung"),
                count=sum(row.count for row in rows),
                url=_changelist("casework.caseexample", status__exact="in_review"),
                lines=[
                    TodoLine(
                        label=_event_label(row.title, row.date),
                        url=_changelist(
                            "casework.caseexample", status__exact="in_review", workshop__event__id__exact=row.event_id
                        ),
                        detail=str(row.count),
                    )
                    for row in rows
                ],
                empty=_("Kein Fallbeispiel wartet auf Prüfung."),
            )
        )

    if user.has_perm("events.view_organisation"):
        sections.append(
            TodoSection(
                key="organisations",
                title=_("Neue Organisationen zu prüfen"),
                count=organisations_to_review_count(),
                url=_changelist("events.organisation", is_reviewed__exact="0"),
                empty=_("Alle Organisationen sind geprüft."),
            )
        )

    if user.has_perm("events.view_event"):
        windows = registration_windows_soon(now=now)
        sections += [
            TodoSection(
                key="opening",
                title=ngettext(
                    "Anmeldung öffnet in den nächsten %(days)d Tag",
                    "Anmeldung öffnet in den nächsten %(days)d Tagen",
                    SOON_DAYS,
                )
                % {"days": SOON_DAYS},
                count=len(windows.opening),
                url=_changelist("events.event", anmeldung="oeffnet"),
                lines=[
                    TodoLine(
                        label=_event_label(e.title, e.date),
                        url=_change("events.event", e.pk),
                        detail=_("öffnet am %(when)s") % {"when": _when(e.registration_opens)},
                    )
                    for e in windows.opening
                ],
                empty=_("Keine Anmeldung öffnet in dieser Zeit."),
            ),
            TodoSection(
                key="closing",
                title=ngettext(
                    "Anmeldung schließt in den nächsten %(days)d Tag",
                    "Anmeldung schließt in den nächsten %(days)d Tagen",
                    SOON_DAYS,
                )
                % {"days": SOON_DAYS},
                count=len(windows.closing),
                url=_changelist("events.event", anmeldung="schliesst"),
                lines=[
                    TodoLine(
                        label=_event_label(e.title, e.date),
                        url=_change("events.event", e.pk),
                        detail=_("schließt am %(when)s") % {"when": _when(registration_closes_at(e))},
                    )
                    for e in windows.closing
                ],
                empty=_("Keine Anmeldung schließt in dieser Zeit."),
            ),
        ]

    if user.has_perm("feedback.view_questionnaire"):
        questionnaires = open_feedback_windows(now=now)
        lines = []
        for questionnaire in questionnaires:
            last_day = closes_on(questionnaire)
            details = [
                _("bis %(date)s") % {"date": date_format(last_day, "SHORT_DATE_FORMAT")},
                _("%(answered)d von %(invited)d geantwortet")
                % {"answered": questionnaire.n_answered, "invited": questionnaire.n_invited},
            ]
            if (last_day - today).days < CLOSING_SOON_DAYS:
                details.append(_("endet bald"))
            if not questionnaire.n_invited:
                details.append(_("noch keine Einladungen verschickt"))
            lines.append(
                TodoLine(
                    label=_event_label(questionnaire.event.title, questionnaire.event.date),
                    url=_change("feedback.questionnaire", questionnaire.pk),
                    detail="; ".join(details),
                )
            )
        sections.append(
            TodoSection(
                key="feedback",
                title=_("Rückmeldungen laufen"),
                count=len(questionnaires),
                url=_changelist("feedback.questionnaire", rueckmeldung="offen"),
                lines=lines,
                empty=_("Zurzeit läuft keine Rückmeldung."),
            )
        )
    return sections


_site_index = admin.site.index


def start_page(request, extra_context=None):
    """The admin's index with the sections of ``start_page_sections`` above the list of models."""
    from events.documents.permissions import may_see_series_report  # the edge: the admin shows the top floor's report

    context = {"todo": start_page_sections(request), "may_see_series_report": may_see_series_report(request.user)}
    return _site_index(request, {**context, **(extra_context or {})})


admin.site.index = start_page
