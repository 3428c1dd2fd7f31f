from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.formats import date_format
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe
from django.utils.timezone import localtime
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from kokportal.admin import LabelledTabularInline

from . import anonymisation, selectors, services
from .anonymisation import category_label, highlight_html
from .enums import CaseStatus
from .errors import CaseworkError
from .forms import ApprovalForm, CaseExampleForm, ReturnForm
from .models import CaseExample, SmallGroup, Workshop, WorkshopParticipant


def _category_label(value: str) -> str:
    try:
        return category_label(value)
    except (KeyError, ValueError):
        return value


class WorkshopAdminForm(forms.ModelForm):
    class Meta:
        model = Workshop
        fields = "__all__"  # noqa: DJ007 - the admin's fieldsets decide what is shown

    def clean(self):
        cleaned = super().clean()
        event = cleaned.get("event") or (self.instance.event if self.instance.event_id else None)
        item = cleaned.get("programme_item")
        if event is not None and item is not None and item.event_id != event.pk:
            self.add_error("programme_item", _("Der Programmpunkt gehört zu einer anderen Veranstaltung."))
        return cleaned


class WorkshopParticipantInline(LabelledTabularInline):
    """Who takes part and in which group. People come from the action "Bestätigte Teilnehmer*innen zuordnen"
    (services.workshop_participants_sync); changing the group moves a person through services.group_member_move
    (WorkshopAdmin.save_formset)."""

    model = WorkshopParticipant
    extra = 0
    fields = ("registration", "group")
    readonly_fields = ("registration",)
    can_delete = False
    verbose_name_plural = _("Teilnehmende und ihre Kleingruppe (zum Verschieben Gruppe ändern)")

    def has_add_permission(self, request, obj=None):
        return False

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "group" and request.resolver_match and request.resolver_match.kwargs.get("object_id"):
            kwargs["queryset"] = SmallGroup.objects.filter(workshop_id=request.resolver_match.kwargs["object_id"])
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .select_related("registration__organisation", "registration__organisation_type", "group")
        )


class SmallGroupInline(admin.StackedInline):
    """Groups come from the action "Gemischte Kleingruppen (neu) einteilen" (services.groups_assign); results and
    agreements are recorded through services.group_results_record (WorkshopAdmin.save_formset)."""

    model = SmallGroup
    extra = 0
    fields = ("number", "results", "agreements", "results_recorded_by")
    readonly_fields = ("number", "results_recorded_by")
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


class CaseExampleInline(admin.TabularInline):
    model = CaseExample
    extra = 0
    fields = ("title", "status", "author")
    readonly_fields = ("title", "status", "author")
    show_change_link = True
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Workshop)
class WorkshopAdmin(admin.ModelAdmin):
    list_display = ("title", "unassigned_count", "event", "programme_item", "group_size")
    list_filter = ("event",)
    search_fields = ("title", "event__title")
    list_select_related = ("event", "programme_item")
    autocomplete_fields = ("facilitators",)
    inlines = (CaseExampleInline, SmallGroupInline, WorkshopParticipantInline)
    actions = ("assign_participants", "form_groups", "place_unassigned")
    readonly_fields = ("portal_links", "unassigned_list")
    form = WorkshopAdminForm

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(unassigned=selectors.unassigned_count())

    @admin.display(description=_("Ohne Kleingruppe"), ordering="unassigned")
    def unassigned_count(self, obj: Workshop) -> int:
        return obj.unassigned

    @admin.display(description=_("Teilnehmende ohne Kleingruppe"))
    def unassigned_list(self, obj: Workshop) -> str:
        """Confirmed participants who should be in a small group but are in none (selectors.unassigned_participants);
        the action "Teilnehmende ohne Kleingruppe einteilen" places them."""
        if obj.pk is None:
            return "–"
        unassigned = selectors.unassigned_participants(workshop=obj)
        if not unassigned:
            return _(
                "Niemand: Alle bestätigten Teilnehmenden sind in einer Kleingruppe (oder die Gruppen sind noch nicht "
                "eingeteilt)."
            )
        # One line per person (the admin indents lists in read-only fields by the width of the labels).
        return format_html(
            "<p>{}</p><p>{}</p>",
            format_html_join(
                mark_safe("<br>"),
                "{}, {} ({}, {})",
                (
                    (r.full_name, r.organisation.name, r.organisation_type.display_name, r.get_federal_state_display())
                    for r in unassigned
                ),
            ),
            _(
                "Mit der Aktion „Teilnehmende ohne Kleingruppe einteilen“ in der Liste der Workshops kommen sie in die "
                "kleinste passende Gruppe."
            ),
        )

    def get_readonly_fields(self, request, obj=None):
        # A workshop stays with its event: its participants, groups and case texts belong to that event.
        return (*super().get_readonly_fields(request, obj), *(("event",) if obj is not None else ()))

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "programme_item":
            from events.models import ProgrammeItem

            kwargs["queryset"] = ProgrammeItem.objects.select_related("event").order_by("-event__date", "start")
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        services.workshop_facilitators_join_team(workshop=form.instance)

    def save_formset(self, request, form, formset, change):
        """Group moves and group results go through the services, like on the portal pages."""
        if formset.model not in (WorkshopParticipant, SmallGroup):
            super().save_formset(request, form, formset, change)
            return
        changed = []
        for inline_form in formset.forms:
            if not inline_form.instance.pk or not inline_form.has_changed():
                continue
            if formset.model is WorkshopParticipant:
                participant = WorkshopParticipant.objects.get(pk=inline_form.instance.pk)
                services.group_member_move(participant=participant, group=inline_form.cleaned_data["group"])
            else:
                services.group_results_record(
                    group=inline_form.instance,
                    by=request.user,
                    results=inline_form.cleaned_data["results"],
                    agreements=inline_form.cleaned_data["agreements"],
                )
            changed.append((inline_form.instance, inline_form.changed_data))
        # What the admin's change message reads from a saved formset.
        formset.new_objects, formset.changed_objects, formset.deleted_objects = [], changed, []

    @admin.display(description=_("Im Portal"))
    def portal_links(self, obj: Workshop) -> str:
        if obj.pk is None:
            return "–"
        return format_html(
            '<a href="{}">{}</a> · <a href="{}">{}</a>',
            obj.get_absolute_url(),
            _("Workshop-Seite"),
            reverse("casework:groups_print", kwargs={"pk": obj.pk}),
            _("Gruppenlisten drucken"),
        )

    @admin.action(description=_("Bestätigte Teilnehmer*innen zuordnen"))
    def assign_participants(self, request, queryset):
        for workshop in queryset:
            added, removed = services.workshop_participants_sync(workshop=workshop)
            self.message_user(
                request,
                _("%(workshop)s: %(added)d zugeordnet, %(removed)d entfernt.")
                % {"workshop": workshop, "added": added, "removed": removed},
                messages.SUCCESS,
            )

    @admin.action(description=_("Gemischte Kleingruppen (neu) einteilen"))
    def form_groups(self, request, queryset):
        for workshop in queryset:
            try:
                groups = services.groups_assign(workshop=workshop)
            except CaseworkError as exc:
                self.message_user(request, f"{workshop}: {exc.message}", messages.WARNING)
            else:
                self.message_user(
                    request,
                    ngettext(
                        "%(workshop)s: %(count)d Kleingruppe eingeteilt.",
                        "%(workshop)s: %(count)d Kleingruppen eingeteilt.",
                        len(groups),
                    )
                    % {"workshop": workshop, "count": len(groups)},
                    messages.SUCCESS,
                )

    @admin.action(description=_("Teilnehmende ohne Kleingruppe einteilen"))
    def place_unassigned(self, request, queryset):
        for workshop in queryset:
            try:
                places = services.unassigned_participants_place(workshop=workshop, by=request.user)
            except CaseworkError as exc:
                self.message_user(request, f"{workshop}: {exc.message}", messages.WARNING)
            else:
                self.message_user(
                    request,
                    ngettext(
                        "%(workshop)s: %(count)d Person in eine Kleingruppe eingeteilt.",
                        "%(workshop)s: %(count)d Personen in Kleingruppen eingeteilt.",
                        len(places),
                    )
                    % {"workshop": workshop, "count": len(places)},
                    messages.SUCCESS,
                )


@admin.register(CaseExample)
class CaseExampleAdmin(admin.ModelAdmin):
    list_display = ("title", "workshop", "status", "author", "approved_by", "purged_at")
    list_filter = ("status", "workshop__event")
    search_fields = ("title",)
    list_select_related = ("workshop", "author", "approved_by")
    readonly_fields = (
        "status",
        "checked_text",
        "submitted_at",
        "approved_by",
        "approved_at",
        "withdrawn_at",
        "purged_at",
        "author",
        "last_edited_by",
        "review_record",
    )
    fields = (
        "workshop",
        "title",
        "text",
        "checked_text",
        "author",
        "last_edited_by",
        "status",
        "submitted_at",
        "approved_by",
        "approved_at",
        "withdrawn_at",
        "purged_at",
        "review_record",
    )
    actions = ("submit", "withdraw")

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)
        if "title" in form.base_fields:
            # The same rule as the portal's form (CaseExampleForm.clean_title): nothing identifying in a title.
            form.clean_title = CaseExampleForm.clean_title
        return form

    def save_model(self, request, obj, form, change):
        # New cases and edits go through the services, so versions and re-review apply in the admin too.
        if not change:
            created = services.case_example_create(
                workshop=obj.workshop, author=request.user, title=obj.title, text=obj.text
            )
            obj.pk = created.pk
            obj.refresh_from_db()
        else:
            original = CaseExample.objects.get(pk=obj.pk)
            services.case_example_update(case=original, by=request.user, title=obj.title, text=obj.text)
            obj.refresh_from_db()

    def get_readonly_fields(self, request, obj=None):
        fields = list(super().get_readonly_fields(request, obj))
        if obj is not None:
            # A case stays in its workshop: its window, readers and review belong to that workshop.
            fields.append("workshop")
            if obj.purged_at or obj.status == CaseStatus.WITHDRAWN:
                fields += ["title", "text"]
        return fields

    @admin.display(description=_("Anonymisierungsprüfung"))
    def checked_text(self, obj: CaseExample):
        if obj.pk is None or not obj.text:
            return "–"
        findings = anonymisation.check_text(obj.text)
        summary = ngettext("%(count)d Fundstelle", "%(count)d Fundstellen", len(findings)) % {"count": len(findings)}
        return format_html('<p>{}</p><div class="case-text">{}</div>', summary, highlight_html(obj.text, findings))

    @admin.display(description=_("Prüfprotokoll"))
    def review_record(self, obj: CaseExample):
        """Who judged which finding a false alarm, why and when; who sent the case back for revision, when, with
        which comment."""
        if obj.pk is None:
            return "–"
        dismissals, returns = selectors.case_review_record(obj)
        if not dismissals and not returns:
            return "–"
        current_hash = services.text_hash(obj.text)
        rows = [
            format_html(
                "<li>{}</li>",
                _("%(when)s, %(who)s: „%(excerpt)s“ (%(label)s) als unbedenklich begründet: %(reason)s")
                % {
                    "when": date_format(localtime(d.created), "SHORT_DATETIME_FORMAT"),
                    "who": d.decided_by,
                    "excerpt": obj.text[d.start : d.end] if d.text_hash == current_hash else _("frühere Fassung"),
                    "label": _category_label(d.category),
                    "reason": d.reason,
                },
            )
            for d in dismissals
        ] + [
            format_html(
                "<li>{}</li>",
                _("%(when)s, %(who)s: zur Überarbeitung zurückgegeben: %(comment)s")
                % {
                    "when": date_format(localtime(r.created), "SHORT_DATETIME_FORMAT"),
                    "who": r.returned_by,
                    "comment": r.comment,
                },
            )
            for r in returns
        ]
        return format_html('<ul class="review-record">{}</ul>', format_html_join("", "{}", ((row,) for row in rows)))

    def get_urls(self):
        return [
            path(
                "<int:pk>/freigeben/",
                self.admin_site.admin_view(self.approve_view),
                name="casework_caseexample_approve",
            ),
            path(
                "<int:pk>/zurueckgeben/",
                self.admin_site.admin_view(self.return_view),
                name="casework_caseexample_return",
            ),
            *super().get_urls(),
        ]

    def change_view(self, request, object_id, form_url="", extra_context=None):
        extra_context = extra_context or {}
        case = CaseExample.objects.filter(pk=object_id).first()
        if case and case.status == CaseStatus.IN_REVIEW:
            extra_context["approve_url"] = reverse("admin:casework_caseexample_approve", args=[case.pk])
        return super().change_view(request, object_id, form_url, extra_context)

    def _review_case(self, request, pk: int) -> CaseExample:
        case = get_object_or_404(CaseExample.objects.select_related("workshop__event", "author"), pk=pk)
        if not self.has_change_permission(request, case):
            raise PermissionDenied
        return case

    def _review_page(self, request, case: CaseExample, *, findings, form: ApprovalForm, return_form: ReturnForm):
        """The review page: the highlighted text, the approval form (a reason field for each softer blocking
        finding; hard identifiers listed without one), what was already decided, and the return form."""
        current_hash = services.text_hash(case.text)
        dismissals, returns = selectors.case_review_record(case)
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "case": case,
            "form": form,
            "return_form": return_form,
            "highlighted": highlight_html(case.text, findings),
            "findings": findings,
            "warnings": [f for f in findings if not f.is_blocking],
            "dismissals": [
                (d, case.text[d.start : d.end], _category_label(d.category))
                for d in dismissals
                if d.text_hash == current_hash
            ],
            "returns": returns,
            "in_review": case.status == CaseStatus.IN_REVIEW,
            "title": _("Prüfen und freigeben"),
        }
        return TemplateResponse(request, "admin/casework/caseexample/approve.html", context)

    def approve_view(self, request, pk: int):
        case = self._review_case(request, pk)
        findings = anonymisation.check_text(case.text)
        form = ApprovalForm(
            request.POST if request.method == "POST" else None,
            findings=services.open_blocking_findings(case, findings=findings),
            reviewed=services.review_hash(case),
        )
        if request.method == "POST" and form.is_valid():
            try:
                services.case_example_approve(
                    case=case, by=request.user, reasons=form.reasons(), reviewed=form.cleaned_data["reviewed"]
                )
            except CaseworkError as exc:
                form.add_error(None, exc.message)
            else:
                self.message_user(request, _("Das Fallbeispiel ist freigegeben."), messages.SUCCESS)
                return redirect("admin:casework_caseexample_change", case.pk)
        return self._review_page(request, case, findings=findings, form=form, return_form=ReturnForm())

    def return_view(self, request, pk: int):
        """Send the case back to its author for revision, with a comment (POST from the review page)."""
        case = self._review_case(request, pk)
        if request.method != "POST":
            return redirect("admin:casework_caseexample_approve", case.pk)
        return_form = ReturnForm(request.POST)
        if return_form.is_valid():
            try:
                services.case_example_return(case=case, by=request.user, comment=return_form.cleaned_data["comment"])
            except CaseworkError as exc:
                return_form.add_error(None, exc.message)
            else:
                self.message_user(
                    request,
                    _(
                        "Das Fallbeispiel ist zur Überarbeitung zurückgegeben; die Verfasser*in wird per E-Mail "
                        "benachrichtigt."
                    ),
                    messages.SUCCESS,
                )
                return redirect("admin:casework_caseexample_change", case.pk)
        findings = anonymisation.check_text(case.text)
        form = ApprovalForm(
            findings=services.open_blocking_findings(case, findings=findings), reviewed=services.review_hash(case)
        )
        return self._review_page(request, case, findings=findings, form=form, return_form=return_form)

    @admin.action(description=_("Zur Freigabe einreichen"))
    def submit(self, request, queryset):
        self._apply(request, queryset, services.case_example_submit)

    @admin.action(description=_("Zurückziehen"))
    def withdraw(self, request, queryset):
        self._apply(request, queryset, services.case_example_withdraw)

    def _apply(self, request, queryset, service):
        for case in queryset:
            try:
                changed = service(case=case, by=request.user)
            except CaseworkError as exc:
                self.message_user(request, f"{case}: {exc.message}", messages.WARNING)
            else:
                self.message_user(request, f"{changed}: {changed.get_status_display()}", messages.SUCCESS)


@admin.register(SmallGroup)
class SmallGroupAdmin(admin.ModelAdmin):
    list_display = ("__str__", "workshop", "results_recorded_by", "modified")
    list_filter = ("workshop__event",)
    list_select_related = ("workshop", "results_recorded_by")
    fields = ("workshop", "number", "results", "agreements", "results_recorded_by")
    readonly_fields = ("results_recorded_by",)
    search_fields = ("workshop__title",)

    def get_readonly_fields(self, request, obj=None):
        # Moving a group to another workshop or renumbering it would mix up its members; results stay editable.
        return (*super().get_readonly_fields(request, obj), *(("workshop", "number") if obj is not None else ()))

    def save_model(self, request, obj, form, change):
        if not change:
            super().save_model(request, obj, form, change)
            return
        services.group_results_record(
            group=obj, by=request.user, results=form.cleaned_data["results"], agreements=form.cleaned_data["agreements"]
        )
        obj.refresh_from_db()
