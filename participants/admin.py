import base64
import hashlib
import json
import secrets

from allauth.mfa.models import Authenticator
from django import forms
from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Exists, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext, ngettext, ngettext_lazy
from django.utils.translation import gettext_lazy as _

from events.models import Event
from kokportal.admin import ReadOnlyAdminMixin, german_permissions_field
from kokportal.audit import audit_actions_register, audit_log_record
from kokportal.errors import DomainError
from kokportal.models import User
from kokportal.roles import second_factor_reset
from kokportal.validators import int_or_none

from . import errors, exports, invitations, mailings, privacy, selectors, services
from .enums import MailingStatus, RegistrationStatus
from .errors import MailingAlreadySent, MailingError, OrganisationTypeMismatch, RegistrationError, SignatureImageInvalid
from .forms import InvitationForm, MailingForm, UserAdminChangeForm, UserAdminCreationForm
from .models import (
    AttendanceCertificate,
    CertificateSignature,
    Invitation,
    InvitationBatch,
    InvitationConsent,
    Mailing,
    MailingDelivery,
    Profile,
    Registration,
)
from .permissions import may_write_to_event_people

audit_actions_register(
    {
        "export_registrations_csv": _("Anmeldungen als CSV exportiert"),
        "export_registrations_xlsx": _("Anmeldungen als XLSX exportiert"),
    }
)


class ProfileInline(admin.StackedInline):
    """What the person entered at their last registration: their own data, shown, not edited by staff."""

    model = Profile
    fields = readonly_fields = ("phone", "organisation_type", "organisation", "function", "federal_state")
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


class SecondFactorInline(admin.TabularInline):
    """The account's second factors (authenticator app, security keys, recovery codes), shown, never edited here:
    the action "Zweiten Faktor zurücksetzen" removes them through ``kokportal.roles.second_factor_reset``. This
    replaces allauth's own admin of the model, which is in English and lets anyone edit the raw secret."""

    model = Authenticator
    verbose_name = _("Zweiter Faktor")
    verbose_name_plural = _("Zweiter Faktor (Zwei-Faktor-Authentifizierung)")
    fields = readonly_fields = ("kind", "added", "last_used")
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    @admin.display(description=_("Art"))
    def kind(self, obj: Authenticator) -> str:
        return obj.get_type_display()

    @admin.display(description=_("eingerichtet am"))
    def added(self, obj: Authenticator) -> str:
        return date_format(timezone.localtime(obj.created_at), "SHORT_DATETIME_FORMAT")

    @admin.display(description=_("zuletzt benutzt"))
    def last_used(self, obj: Authenticator) -> str:
        if obj.last_used_at is None:
            return "–"
        return date_format(timezone.localtime(obj.last_used_at), "SHORT_DATETIME_FORMAT")


if admin.site.is_registered(Authenticator):
    admin.site.unregister(Authenticator)


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    # Both forms store the e-mail address normalised and report a clash in other capitals as a form error.
    form = UserAdminChangeForm
    add_form = UserAdminCreationForm
    ordering = ("email",)
    list_display = ("email", "first_name", "last_name", "is_staff", "is_active", "date_joined")
    list_filter = ("is_staff", "is_superuser", "is_active", "groups")
    search_fields = ("email", "first_name", "last_name")
    inlines = (ProfileInline, SecondFactorInline)
    actions = ("reset_second_factor",)

    def get_inlines(self, request, obj):
        return self.inlines if obj is not None else ()

    def formfield_for_manytomany(self, db_field, request=None, **kwargs):
        if db_field.name == "user_permissions":
            return german_permissions_field(db_field, request, self, **kwargs)
        return super().formfield_for_manytomany(db_field, request, **kwargs)

    @admin.action(description=_("Zweiten Faktor zurücksetzen (z. B. Telefon verloren)"), permissions=["change"])
    def reset_second_factor(self, request, queryset):
        """Removes the authenticator app, security keys and recovery codes; at the next login a staff account sets
        up a new second factor. Recorded in each account's history."""
        for user in queryset:
            try:
                removed = second_factor_reset(user=user, by=request.user)
            except DomainError as exc:
                self.message_user(request, f"{user}: {exc.message}", messages.WARNING)
                continue
            if removed:
                self.log_change(request, user, gettext("Zweiten Faktor zurückgesetzt"))
            self.message_user(
                request,
                ngettext(
                    "%(user)s: %(count)d zweiter Faktor entfernt.",
                    "%(user)s: %(count)d zweite Faktoren entfernt.",
                    removed,
                )
                % {"user": user, "count": removed},
                messages.SUCCESS if removed else messages.INFO,
            )

    fieldsets = (
        (None, {"fields": ("email", "password")}),
        (_("Person"), {"fields": ("first_name", "last_name", "language")}),
        (_("Rechte"), {"fields": ("is_active", "is_staff", "is_superuser", "groups", "user_permissions")}),
        (_("Daten"), {"fields": ("last_login", "date_joined", "inactivity_warned_at")}),
    )
    # Retention (participants.privacy) counts from these times, so they are not edited by hand.
    readonly_fields = ("last_login", "date_joined", "inactivity_warned_at")
    add_fieldsets = ((None, {"classes": ("wide",), "fields": ("email", "usable_password", "password1", "password2")}),)

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        # An address staff typed in is taken as confirmed (as in a sign-up whose code was entered), so the
        # person's first login by code does not ask for a second, confirmation code. A changed address replaces
        # the old one, which must no longer log in.
        from allauth.account.models import EmailAddress

        EmailAddress.objects.filter(user=obj).exclude(email=obj.email).delete()
        EmailAddress.objects.update_or_create(user=obj, email=obj.email, defaults={"verified": True, "primary": True})

    def has_delete_permission(self, request, obj=None):
        # Staff accounts are deactivated, not deleted: their approvals must stay attributable.
        if obj is not None and obj.is_staff:
            return False
        return super().has_delete_permission(request, obj)

    def delete_model(self, request, obj):
        # The same service as the person's own deletion: upcoming seats are freed (the next person waiting moves
        # up), registrations anonymised, the admin log forgets the name.
        privacy.account_delete(user=obj)

    def delete_queryset(self, request, queryset):
        # Staff accounts never get here: has_delete_permission() refuses them, and Django then refuses the action.
        for user in queryset:
            privacy.account_delete(user=user)


class UpcomingFilter(admin.SimpleListFilter):
    """Registrations of events still to come (from today on) or past: the admin's start page counts the upcoming
    ones (participants.selectors.registrations_to_handle) and links here."""

    title = _("Veranstaltung")
    parameter_name = "zeitraum"

    def lookups(self, request, model_admin):
        return [("kommend", _("kommend (ab heute)")), ("vergangen", _("vergangen"))]

    def queryset(self, request, queryset):
        today = timezone.localdate()
        if self.value() == "kommend":
            return queryset.filter(event__date__gte=today)
        if self.value() == "vergangen":
            return queryset.filter(event__date__lt=today)
        return queryset


class RegistrationStatusFilter(admin.SimpleListFilter):
    title = _("Status")
    parameter_name = "status"

    def lookups(self, request, model_admin):
        return RegistrationStatus.choices

    def queryset(self, request, queryset):
        return queryset.filter(status=self.value()) if self.value() else queryset


def _run_service(modeladmin, request, queryset, service, done_message):
    """Apply ``service`` to each selected registration; report successes and refusals per person count."""
    done, refused = 0, []
    for registration in queryset.select_related("event"):
        try:
            service(registration=registration, by=request.user)
        except RegistrationError as exc:
            refused.append(f"#{registration.pk}: {exc.message}")
        else:
            done += 1
    if done:
        modeladmin.message_user(request, done_message % {"count": done}, messages.SUCCESS)
    for message in refused:
        modeladmin.message_user(request, message, messages.WARNING)


class RegistrationAdminForm(forms.ModelForm):
    """Checks what the correction service checks, so a wrong organisation is a form error, not a failed save."""

    class Meta:
        model = Registration
        fields = "__all__"  # noqa: DJ007 - the admin's fieldsets decide what is shown

    def clean_organisation(self):
        organisation = self.cleaned_data.get("organisation")
        if organisation is not None and organisation.organisation_type_id != self.instance.organisation_type_id:
            raise forms.ValidationError(OrganisationTypeMismatch.default_message)
        return organisation


@admin.register(Registration)
class RegistrationAdmin(admin.ModelAdmin):
    list_display = (
        "__str__",
        "event",
        "organisation_type",
        "organisation",
        "federal_state",
        "status_badge",
        "attends_online",
        "waitlisted_at",
        "created",
    )
    list_filter = (
        UpcomingFilter,
        "event",
        RegistrationStatusFilter,
        "attends_online",
        "organisation_type",
        "federal_state",
        "contact_list_consent",
    )
    search_fields = ("first_name", "last_name", "email", "organisation__name")
    list_select_related = ("event", "organisation", "organisation_type")
    autocomplete_fields = ("organisation", "user")
    date_hierarchy = "created"
    actions = (
        "approve",
        "reject",
        "promote",
        "cancel",
        "mark_attended",
        "unmark_attended",
        "export_csv",
        "export_xlsx",
    )
    form = RegistrationAdminForm
    # Event, person, organisation type and status change only through booking, cancellation and moderation
    # (seats and the waiting list); consent only by the person. The rest goes through
    # services.registration_details_update (save_model).
    readonly_fields = (
        "event",
        "user",
        "organisation_type",
        # On site or online decides which seats a registration holds at a hybrid event: chosen when booking.
        "attends_online",
        "contact_list_consent",
        "status",
        "privacy_consent_version",
        "privacy_consented_at",
        "contact_list_consented_at",
        "waitlisted_at",
        "confirmed_at",
        "cancelled_at",
        "decided_by",
        "anonymised_at",
        "created",
        "modified",
        "answers_overview",
    )
    fieldsets = (
        (None, {"fields": ("event", "user", "status")}),
        (_("Person"), {"fields": ("first_name", "last_name", "email", "phone", "language")}),
        (_("Organisation"), {"fields": ("organisation_type", "organisation", "function", "federal_state")}),
        (_("Teilnahme"), {"fields": ("attends_online", "accessibility_needs", "dietary_needs")}),
        (_("Fragen zu diesem Praxisfachtag"), {"fields": ("answers_overview",)}),
        (
            _("Einwilligungen"),
            {
                "fields": (
                    "privacy_consent_version",
                    "privacy_consented_at",
                    "contact_list_consent",
                    "contact_list_consented_at",
                )
            },
        ),
        (
            _("Verlauf"),
            {
                "fields": (
                    "waitlisted_at",
                    "confirmed_at",
                    "cancelled_at",
                    "decided_by",
                    "anonymised_at",
                    "created",
                    "modified",
                )
            },
        ),
    )

    def has_add_permission(self, request):
        # Registrations go through the booking service (seats, waiting list, mails), not a raw admin form.
        return False

    def has_delete_permission(self, request, obj=None):
        # Registrations are cancelled (the seat goes to the next person waiting) or anonymised, never deleted:
        # deleting one would free its seat without moving anyone up and falsify the figures.
        return False

    # The participant's page of a registration is theirs alone; staff use this admin page.
    view_on_site = False

    def get_readonly_fields(self, request, obj=None):
        if obj is not None and obj.anonymised_at is not None:
            return [*(field.name for field in Registration._meta.concrete_fields), "answers_overview"]
        return super().get_readonly_fields(request, obj)

    @admin.display(description=_("Antworten"))
    def answers_overview(self, obj: Registration) -> str:
        """The person's answers to the event's own questions (read-only: they are the person's own words)."""
        if obj.pk is None:
            return "–"
        answers = selectors.registration_answers(registration=obj)
        if not answers:
            return _("keine")
        return format_html(
            '<dl class="registration-answers">{}</dl>',
            format_html_join(
                "", "<dt>{}</dt><dd>{}</dd>", ((a.question.display_text, a.display_value) for a in answers)
            ),
        )

    def save_model(self, request, obj, form, change):
        changes = {
            field: form.cleaned_data[field]
            for field in form.changed_data
            if field in services.DETAILS_STAFF_MAY_CORRECT
        }
        services.registration_details_update(
            registration=Registration.objects.get(pk=obj.pk), by=request.user, changes=changes
        )
        obj.refresh_from_db()

    @admin.display(description=_("Status"), ordering="status")
    def status_badge(self, obj: Registration) -> str:
        return obj.get_status_display()

    @admin.action(description=_("Freigeben (bestätigen)"), permissions=["change"])
    def approve(self, request, queryset):
        _run_service(
            self,
            request,
            queryset,
            services.registration_approve,
            ngettext_lazy("%(count)d Anmeldung bestätigt.", "%(count)d Anmeldungen bestätigt.", "count"),
        )

    @admin.action(description=_("Ablehnen"), permissions=["change"])
    def reject(self, request, queryset):
        _run_service(
            self,
            request,
            queryset,
            services.registration_reject,
            ngettext_lazy("%(count)d Anmeldung abgelehnt.", "%(count)d Anmeldungen abgelehnt.", "count"),
        )

    @admin.action(description=_("Von der Warteliste nachrücken lassen"), permissions=["change"])
    def promote(self, request, queryset):
        _run_service(
            self,
            request,
            queryset,
            services.registration_promote,
            ngettext_lazy("%(count)d Person nachgerückt.", "%(count)d Personen nachgerückt.", "count"),
        )

    @admin.action(description=_("Stornieren"), permissions=["change"])
    def cancel(self, request, queryset):
        _run_service(
            self,
            request,
            queryset,
            services.registration_cancel,
            ngettext_lazy("%(count)d Anmeldung storniert.", "%(count)d Anmeldungen storniert.", "count"),
        )

    @admin.action(description=_("Als teilgenommen markieren"), permissions=["change"])
    def mark_attended(self, request, queryset):
        _run_service(
            self,
            request,
            queryset,
            services.registration_mark_attended,
            ngettext_lazy("%(count)d Teilnahme vermerkt.", "%(count)d Teilnahmen vermerkt.", "count"),
        )

    @admin.action(
        description=_("Teilnahme zurücknehmen (Teilnahmebescheinigung wird widerrufen)"), permissions=["change"]
    )
    def unmark_attended(self, request, queryset):
        _run_service(
            self,
            request,
            queryset,
            services.registration_unmark_attended,
            ngettext_lazy("%(count)d Teilnahme zurückgenommen.", "%(count)d Teilnahmen zurückgenommen.", "count"),
        )

    def _export(self, request, queryset, fmt: str):
        registrations = list(
            queryset.select_related("organisation", "organisation_type", "event").order_by("last_name", "first_name")
        )
        event_ids = sorted({r.event_id for r in registrations})
        audit_log_record(
            actor=request.user,
            action=f"export_registrations_{fmt}",
            event=registrations[0].event if len(event_ids) == 1 else None,
            event_ids=event_ids,
            count=len(registrations),
        )
        if fmt == "csv":
            content, mime = exports.registrations_csv(registrations), "text/csv; charset=utf-8"
        else:
            content = exports.registrations_xlsx(registrations)
            mime = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        response = HttpResponse(content, content_type=mime)
        response["Content-Disposition"] = f'attachment; filename="teilnehmende.{fmt}"'
        return response

    @admin.action(description=_("Teilnehmendenliste exportieren (CSV)"), permissions=["view"])
    def export_csv(self, request, queryset):
        return self._export(request, queryset, "csv")

    @admin.action(description=_("Teilnehmendenliste exportieren (Excel)"), permissions=["view"])
    def export_xlsx(self, request, queryset):
        return self._export(request, queryset, "xlsx")


class MailingDeliveryInline(admin.TabularInline):
    """Who a mailing reached, one row per person: sent, failed (and why) or still queued. Shown, never edited."""

    model = MailingDelivery
    fields = readonly_fields = ("registration", "state", "failure", "attempts", "finished_at")
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("registration")


def _confirmation_digest(data: dict) -> str:
    """What staff confirmed (statuses, subject, text): "Senden" sends only what the confirmation showed."""
    text = "\x1f".join([",".join(sorted(data["statuses"])), data["subject"], data["body"]])
    return hashlib.sha256(text.encode()).hexdigest()


@admin.register(Mailing)
class MailingAdmin(admin.ModelAdmin):
    """The mails staff wrote to the people of an event, read-only with their counts. A new one is written from the
    event's page ("E-Mail an Teilnehmer*innen"), through ``participants.mailings``."""

    list_display = (
        "created",
        "event",
        "statuses_column",
        "subject",
        "recipient_count",
        "sent_count",
        "failed_count",
        "sent_by",
    )
    list_display_links = ("created",)
    list_filter = ("event",)
    list_select_related = ("event", "sent_by")
    search_fields = ("subject", "event__title")
    fields = readonly_fields = (
        "event",
        "statuses_display",
        "subject",
        "body",
        "sent_by",
        "created",
        "recipient_count",
        "sent_count",
        "failed_count",
    )
    inlines = (MailingDeliveryInline,)

    def has_add_permission(self, request):
        # Written from the event's page (compose_view), where the service checks the rules.
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.display(description=_("an Anmeldungen im Status"))
    def statuses_display(self, obj: Mailing) -> str:
        labels = dict(MailingStatus.choices)
        return ", ".join(str(labels.get(status, status)) for status in obj.statuses)

    @admin.display(description=_("Status"))
    def statuses_column(self, obj: Mailing) -> str:
        # The list's column: a short heading, so the counts stay in view.
        return self.statuses_display(obj)

    def get_urls(self):
        return [
            path(
                "praxisfachtag/<int:event_id>/schreiben/",
                self.admin_site.admin_view(self.compose_view),
                name="participants_mailing_compose",
            ),
            *super().get_urls(),
        ]

    def compose_view(self, request, event_id: int):
        """Write, preview, test and send a mail to the people of an event. Buttons: "Vorschau" shows the mail for
        the first recipient and how many get it; "Testmail an mich" sends that mail to one's own address;
        "Senden …" asks for a confirmation naming the number of recipients; "Jetzt … senden" sends."""
        event = get_object_or_404(Event, pk=event_id)
        if not may_write_to_event_people(request.user):
            raise PermissionDenied
        form = MailingForm(
            request.POST or None,
            initial={"statuses": [MailingStatus.CONFIRMED.value]},
            counts=mailings.recipient_counts(event=event),
        )
        preview = confirm = None
        if request.method == "POST" and form.is_valid():
            data = form.cleaned_data
            arguments = {
                "event": event,
                "statuses": data["statuses"],
                "subject": data["subject"],
                "body": data["body"],
                "by": request.user,
            }
            preview = mailings.mailing_preview(
                event=event, statuses=data["statuses"], subject=data["subject"], body=data["body"]
            )
            if preview.recipient_count == 0:
                form.add_error("statuses", errors.MailingNoRecipients().message)
            else:
                try:
                    send_key = request.POST.get("send_key", "")[:64]
                    confirmed = request.POST.get("digest") == _confirmation_digest(data) and len(send_key) >= 32
                    if "_send" in request.POST and confirmed:
                        mailing = mailings.mailing_send(
                            **arguments,
                            expected_count=int_or_none(request.POST.get("expected_count")),
                            send_key=send_key,
                        )
                        self.message_user(
                            request,
                            ngettext(
                                "Die E-Mail ist an %(count)d Person unterwegs.",
                                "Die E-Mail ist an %(count)d Personen unterwegs, an jede einzeln.",
                                mailing.recipient_count,
                            )
                            % {"count": mailing.recipient_count},
                            messages.SUCCESS,
                        )
                        return redirect("admin:participants_mailing_change", mailing.pk)
                    if "_test" in request.POST:
                        first = mailings.mailing_send_test(**arguments)
                        self.message_user(
                            request,
                            gettext("Die Testmail an %(email)s ist unterwegs, so wie %(name)s sie bekäme.")
                            % {"email": request.user.email, "name": first.full_name},
                            messages.SUCCESS,
                        )
                except MailingAlreadySent as exc:
                    self.message_user(request, exc.message, messages.WARNING)
                    if exc.mailing is not None:
                        return redirect("admin:participants_mailing_change", exc.mailing.pk)
                    form.add_error(None, exc.message)
                except MailingError as exc:
                    form.add_error(None, exc.message)
                # "Senden …", or "Jetzt senden" for a text or a count other than the one confirmed: (again) the
                # confirmation with the count as it is now.
                if "_confirm" in request.POST or "_send" in request.POST:
                    confirm = {
                        "count": preview.recipient_count,
                        "digest": _confirmation_digest(data),
                        "send_key": secrets.token_urlsafe(32),
                    }
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "event_opts": Event._meta,
            "event": event,
            "form": form,
            "preview": preview,
            "confirm": confirm,
            "placeholders": mailings.PLACEHOLDERS,
            "earlier": mailings.event_mailings(event=event),
            "title": gettext("E-Mail an Teilnehmer*innen"),
            "subtitle": str(event),
        }
        return TemplateResponse(request, "admin/participants/mailing/compose.html", context)


@admin.register(AttendanceCertificate)
class AttendanceCertificateAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    """The issued certificates of attendance, read-only: they are issued by the person's download or the event's
    action "Teilnahmebescheinigungen senden" and revoked by "Teilnahme zurücknehmen"."""

    list_display = ("code", "registration", "event", "issued_at", "sent_at", "revoked_at")
    list_filter = ("registration__event",)
    search_fields = ("code",)
    list_select_related = ("registration__event",)
    date_hierarchy = "issued_at"

    @admin.display(description=_("Praxisfachtag"), ordering="registration__event__date")
    def event(self, obj: AttendanceCertificate) -> str:
        return obj.registration.event.title


class CertificateSignatureForm(forms.ModelForm):
    """Name and role lines and the signature image; the image is checked by its content in the service."""

    image = forms.FileField(
        label=_("Unterschrift als Bild"),
        required=False,
        help_text=_(
            "PNG oder JPEG, höchstens 2 MB und 25 Millionen Bildpunkte; am besten eine eingescannte Unterschrift auf "
            "weißem Grund. Das Bild wird verkleinert und als PNG gespeichert."
        ),
        widget=forms.ClearableFileInput(attrs={"accept": "image/png,image/jpeg"}),
    )
    remove_image = forms.BooleanField(label=_("Bild entfernen"), required=False)

    class Meta:
        model = CertificateSignature
        fields = ("name", "role", "role_en")

    def clean_image(self):
        upload = self.cleaned_data.get("image")
        if not upload:
            return None
        if upload.size > services.SIGNATURE_MAX_BYTES:
            raise forms.ValidationError(SignatureImageInvalid.default_message)
        data = upload.read()
        try:
            services.signature_image_to_png(data)
        except SignatureImageInvalid as exc:
            raise forms.ValidationError(exc.message) from None
        return data


@admin.register(CertificateSignature)
class CertificateSignatureAdmin(admin.ModelAdmin):
    """KOK's signature block on every certificate of attendance (one record); saved through
    services.certificate_signature_update."""

    form = CertificateSignatureForm
    fields = ("name", "role", "role_en", "current_image", "image", "remove_image")
    readonly_fields = ("current_image",)

    def has_add_permission(self, request):
        # The one record is made by the migration (participants 0003); staff edit it, never add a second.
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.display(description=_("Aktuelles Bild"))
    def current_image(self, obj: CertificateSignature) -> str:
        if not obj or not obj.image_png:
            return gettext("kein Bild – auf der Bescheinigung bleibt Platz für eine Unterschrift von Hand")
        source = "data:image/png;base64," + base64.b64encode(bytes(obj.image_png)).decode("ascii")
        return format_html(
            '<img src="{}" alt="{}" height="100" class="certificate-signature-preview">',
            source,
            gettext("Unterschrift"),
        )

    def save_model(self, request, obj, form, change):
        signature = services.certificate_signature_update(
            by=request.user,
            name=form.cleaned_data["name"],
            role=form.cleaned_data["role"],
            role_en=form.cleaned_data["role_en"],
            image=form.cleaned_data.get("image"),
            remove_image=form.cleaned_data.get("remove_image", False),
        )
        obj.pk = signature.pk
        obj.refresh_from_db()


# --- invitations (participants.invitations) ----------------------------------------------------------------------


@admin.register(Invitation)
class InvitationAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    """Each invitation: to which address, from which source, sent or failed (and why), whether its link was opened
    and a registration made through it. Read-only; a batch's page links here (a batch may hold thousands, too many
    for one page)."""

    # The event is a filter, not a column: its long title pushed the figures out of view.
    list_display = ("email_column", "source", "state", "failure", "sent_at", "opened_at", "registered")
    list_filter = ("state", "source", ("opened_at", admin.EmptyFieldListFilter), "event", "batch")
    list_select_related = ("event",)
    search_fields = ("email", "name")
    fields = readonly_fields = (
        "event",
        "batch",
        "email",
        "name",
        "source",
        "organisation",
        "organisation_type",
        "language",
        "state",
        "failure",
        "attempts",
        "sent_at",
        "opened_at",
    )

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .annotate(has_registration=Exists(Registration.objects.filter(invitation=OuterRef("pk"))))
        )

    @admin.display(description=_("E-Mail-Adresse"), ordering="email")
    def email_column(self, obj) -> str:
        return str(obj)

    @admin.display(description=_("angemeldet"), boolean=True, ordering="has_registration")
    def registered(self, obj) -> bool:
        return obj.has_registration


def _invitation_digest(segment_json: dict, note: str) -> str:
    """What staff confirmed (segment and note): "Jetzt einladen" sends only what the confirmation showed."""
    text = json.dumps(segment_json, sort_keys=True) + "\x1f" + note
    return hashlib.sha256(text.encode()).hexdigest()


@admin.register(InvitationBatch)
class InvitationBatchAdmin(admin.ModelAdmin):
    """The invitations sent to an event, one row per batch, read-only with the figures invited, sent, opened,
    registered. New invitations are sent from the event's page ("Einladen"), through participants.invitations."""

    list_display = (
        "created",
        "event",
        "invited_count",
        "sent_column",
        "failed_column",
        "opened_column",
        "registered_column",
        "sent_by",
    )
    list_display_links = ("created",)
    list_filter = ("event",)
    list_select_related = ("event", "sent_by")
    fields = readonly_fields = (
        "event",
        "sent_by",
        "created",
        "segment_display",
        "note",
        "invited_count",
        "skipped_invalid",
        "skipped_already_invited",
        "figures_display",
        "invitations_link",
    )

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def get_queryset(self, request):
        registered = Registration.objects.filter(invitation__batch=OuterRef("pk")).values("invitation__batch")
        return (
            super()
            .get_queryset(request)
            .annotate(
                sent=Count("invitations", filter=Q(invitations__state="sent")),
                failed=Count("invitations", filter=Q(invitations__state="failed")),
                opened=Count("invitations", filter=Q(invitations__opened_at__isnull=False)),
                registered=Coalesce(
                    Subquery(registered.annotate(n=Count("invitation", distinct=True)).values("n")[:1]), 0
                ),
            )
        )

    @admin.display(description=_("versendet"), ordering="sent")
    def sent_column(self, obj):
        return obj.sent

    @admin.display(description=_("fehlgeschlagen"), ordering="failed")
    def failed_column(self, obj):
        return obj.failed

    @admin.display(description=_("Link geöffnet"), ordering="opened")
    def opened_column(self, obj):
        return obj.opened

    @admin.display(description=_("angemeldet"), ordering="registered")
    def registered_column(self, obj):
        return obj.registered

    @admin.display(description=_("Empfängerkreis"))
    def segment_display(self, obj):
        return invitations.segment_description(obj.segment)

    @admin.display(description=_("Ergebnis"))
    def figures_display(self, obj):
        return gettext(
            "versendet: %(sent)d, fehlgeschlagen: %(failed)d, Link geöffnet: %(opened)d, darüber angemeldet: "
            "%(registered)d."
        ) % {"sent": obj.sent, "failed": obj.failed, "opened": obj.opened, "registered": obj.registered}

    @admin.display(description=_("Einladungen"))
    def invitations_link(self, obj):
        url = reverse("admin:participants_invitation_changelist") + f"?batch__id__exact={obj.pk}"
        return format_html(
            '<a href="{}">{}</a>',
            url,
            ngettext("Die %(count)d Einladung ansehen", "Die %(count)d Einladungen ansehen", obj.invited_count)
            % {"count": obj.invited_count},
        )

    def get_urls(self):
        return [
            path(
                "praxisfachtag/<int:event_id>/einladen/",
                self.admin_site.admin_view(self.invite_view),
                name="participants_invitationbatch_invite",
            ),
            *super().get_urls(),
        ]

    def invite_view(self, request, event_id: int):
        """Choose a segment, preview, confirm and send personal invitations to an event. "Vorschau" shows how many
        addresses the segment reaches (and how many it skips, why) and the mail for the first one; "Einladen …"
        asks for a confirmation naming the number; "Jetzt … einladen" sends."""
        event = get_object_or_404(Event.objects.prefetch_related("invited_types"), pk=event_id)
        if not invitations.may_invite(request.user):
            raise PermissionDenied
        closed = None if invitations.may_invite_to(event) else errors.InvitationEventNotOpen().message
        form = InvitationForm(request.POST or None, event=event)
        preview = confirm = None
        if closed is None and request.method == "POST" and form.is_valid():
            segment, note = form.segment(), form.cleaned_data["note"].strip()
            try:
                preview = invitations.invitations_preview(event=event, segment=segment, note=note)
                count = len(preview.selection.recipients)
                if count == 0:
                    form.add_error(None, errors.InvitationNoRecipients().message)
                else:
                    send_key = request.POST.get("send_key", "")[:64]
                    digest = _invitation_digest(segment.as_json(), note)
                    confirmed = request.POST.get("digest") == digest and len(send_key) >= 32
                    if "_send" in request.POST and confirmed:
                        batch = invitations.invitations_send(
                            event=event,
                            segment=segment,
                            note=note,
                            by=request.user,
                            expected_count=int_or_none(request.POST.get("expected_count")),
                            send_key=send_key,
                        )
                        self.message_user(
                            request,
                            ngettext(
                                "Die Einladung ist an %(count)d Adresse unterwegs.",
                                "Die Einladungen sind an %(count)d Adressen unterwegs, an jede einzeln.",
                                batch.invited_count,
                            )
                            % {"count": batch.invited_count},
                            messages.SUCCESS,
                        )
                        return redirect("admin:participants_invitationbatch_change", batch.pk)
                    if "_confirm" in request.POST or "_send" in request.POST:
                        confirm = {"count": count, "digest": digest, "send_key": secrets.token_urlsafe(32)}
            except errors.InvitationsAlreadySent as exc:
                self.message_user(request, exc.message, messages.WARNING)
                if exc.batch is not None:
                    return redirect("admin:participants_invitationbatch_change", exc.batch.pk)
                form.add_error(None, exc.message)
            except errors.InvitationError as exc:
                form.add_error(None, exc.message)
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "event_opts": Event._meta,
            "event": event,
            "closed": closed,
            "form": form,
            "preview": preview,
            "confirm": confirm,
            "earlier": invitations.batch_figures(event=event),
            "title": gettext("Zum Praxisfachtag einladen"),
            "subtitle": str(event),
        }
        return TemplateResponse(request, "admin/participants/invitationbatch/invite.html", context)


@admin.register(InvitationConsent)
class InvitationConsentAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    """The people who consented to invitations, read-only. A consent is withdrawn by the person (link or account)
    or, on their request, by staff with the action below; it is never edited."""

    list_display = ("email", "first_name", "last_name", "organisation_type", "federal_state", "consented_at")
    list_filter = ("organisation_type", "federal_state")
    search_fields = ("email", "first_name", "last_name")
    list_select_related = ("organisation_type",)
    fields = readonly_fields = (
        "email",
        "first_name",
        "last_name",
        "organisation_type",
        "organisation",
        "federal_state",
        "language",
        "consent_version",
        "consented_at",
        "events",
    )
    actions = ("withdraw",)

    @admin.action(description=_("Einwilligung widerrufen (auf Wunsch der Person)"), permissions=["view"])
    def withdraw(self, request, queryset):
        if not invitations.may_invite(request.user):
            raise PermissionDenied
        count = 0
        for consent in queryset:
            invitations.consent_withdraw(consent=consent, by=request.user)
            count += 1
        self.message_user(
            request,
            ngettext("%(count)d Einwilligung widerrufen.", "%(count)d Einwilligungen widerrufen.", count)
            % {"count": count},
            messages.SUCCESS,
        )
