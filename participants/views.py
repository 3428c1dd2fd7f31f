"""Registration and the self-service pages ("Meine Anmeldungen")."""

import json

from allauth.account.forms import ConfirmLoginCodeForm
from allauth.account.views import BaseReauthenticateView
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import translation
from django.utils.decorators import method_decorator
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from casework.selectors import workshops_for_registration
from events.enums import EventStatus, RegistrationState
from events.ical import event_ical
from events.models import Event
from events.selectors import registration_event, registration_phase

from . import invitations, permissions, privacy, selectors, services
from .enums import RegistrationStatus
from .errors import AlreadyRegistered, CancellationDeadlinePassed, RegistrationError
from .forms import RegistrationForm
from .models import Registration
from .reauthentication import ReauthenticationCodeProcess, reauthentication_required


@login_required
def register(request: HttpRequest, slug: str) -> HttpResponse:
    if request.method == "POST":
        # The booking service checks window, invitation and seats itself, under the event lock; the
        # full page (programme, seat figures) is only built again when the form has to be shown.
        event = registration_event(slug=slug)
        form = RegistrationForm(request.POST, event=event, user=request.user)
        if form.is_valid():
            try:
                registration = services.registration_create(
                    event=event,
                    user=request.user,
                    data=form.to_data(language=translation.get_language() or "de"),
                    invitation=invitations.invitation_from_session(request.session, event),
                )
            except AlreadyRegistered as exc:
                messages.info(request, exc.message)
                existing = selectors.active_registration_of(user=request.user, event=event)
                return redirect(existing or "participants:my_registrations")
            except RegistrationError as exc:
                form.add_error(None, exc.message)
            else:
                messages.success(request, _status_message(registration))
                return redirect(registration)
        page = selectors.public_event_page(slug=slug)
        return _render_form(request, page, form)

    page = selectors.public_event_page(slug=slug)
    existing = selectors.active_registration_of(user=request.user, event=page.event)
    if existing:
        messages.info(request, _("Sie sind für diese Veranstaltung bereits angemeldet."))
        return redirect(existing)
    if not page.registration_possible:
        return render(request, "participants/register_closed.html", {"page": page})
    invitation = invitations.invitation_from_session(request.session, page.event)
    if page.event.invitation_only and invitation is None:
        return render(request, "participants/register_closed.html", {"page": page, "invitation_required": True})
    preset = invitation.organisation_type_id if invitation is not None else None
    return _render_form(
        request, page, RegistrationForm(event=page.event, user=request.user, organisation_type_preset=preset)
    )


def _render_form(request: HttpRequest, page, form: RegistrationForm) -> HttpResponse:
    return render(
        request,
        "participants/register.html",
        {"page": page, "form": form, "is_waitlist": page.state == RegistrationState.WAITLIST},
    )


def _status_message(registration: Registration) -> str:
    if registration.status == RegistrationStatus.WAITLISTED and registration.event.separate_online_seats:
        # A hybrid event counting its online seats apart: the pool, not the organisation type, is full.
        if registration.attends_online:
            return _(
                "Alle Plätze für die Online-Teilnahme sind vergeben. Sie stehen auf der Warteliste und erhalten eine "
                "E-Mail, sobald ein Platz frei wird."
            )
        return _(
            "Alle Plätze vor Ort sind vergeben. Sie stehen auf der Warteliste und erhalten eine E-Mail, sobald ein "
            "Platz frei wird."
        )
    return {
        RegistrationStatus.CONFIRMED: _("Ihre Anmeldung ist bestätigt. Sie erhalten eine E-Mail mit allen Angaben."),
        RegistrationStatus.PENDING: _(
            "Ihre Anmeldung ist eingegangen. Die KOK-Geschäftsstelle prüft sie und meldet sich per E-Mail."
        ),
        RegistrationStatus.WAITLISTED: _(
            "Alle Plätze für Ihre Art von Organisation sind vergeben. Sie stehen auf "
            "der Warteliste und erhalten eine E-Mail, sobald ein Platz frei wird."
        ),
    }.get(registration.status, _("Ihre Anmeldung wurde gespeichert."))


def my_registrations(request: HttpRequest) -> HttpResponse:
    """The list of one's registrations is part of the start page "Meine Praxisfachtage" now
    (kokportal.views.my_practice_days); old links and bookmarks lead there."""
    return redirect("my_practice_days", permanent=True)


@login_required
def registration_detail(request: HttpRequest, pk: int) -> HttpResponse:
    registration = selectors.registration_of_user(user=request.user, pk=pk)
    event = registration.event
    refusal = permissions.cancellation_refusal(registration, request.user)
    participating = registration.status in RegistrationStatus.participating()
    return render(
        request,
        "participants/registration_detail.html",
        {
            "registration": registration,
            "event": event,
            "position": selectors.waitlist_position(registration),
            "show_access": permissions.may_see_online_access(registration),
            "may_cancel": refusal is None,
            # After the deadline the page says why there is no button (until the day is over).
            "cancel_closed": isinstance(refusal, CancellationDeadlinePassed) and not event.is_over(),
            "may_download_ical": permissions.may_download_ical(registration),
            "may_register_again": registration.status == RegistrationStatus.CANCELLED
            and registration_phase(event) == RegistrationState.OPEN,
            "may_see_contacts": permissions.may_see_contact_list(user=request.user, event=event),
            "may_get_certificate": permissions.may_get_certificate(registration),
            "workshop_places": workshops_for_registration(registration) if participating else [],
            "answers": selectors.registration_answers(registration=registration),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def registration_cancel(request: HttpRequest, pk: int) -> HttpResponse:
    """GET: what cancelling means for this registration (the seat goes to the next person waiting, if anyone
    waits for it); POST: cancel. Where cancelling is not possible (any more), the registration's page says why."""
    registration = selectors.registration_of_user(user=request.user, pk=pk)
    if request.method == "POST":
        try:
            services.registration_cancel(registration=registration, by=request.user)
        except RegistrationError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _("Ihre Anmeldung ist storniert. Sie erhalten eine Bestätigung per E-Mail."))
        return redirect("participants:registration_detail", pk=pk)
    if not permissions.may_cancel(registration, request.user):
        return redirect("participants:registration_detail", pk=pk)
    return render(
        request,
        "participants/registration_cancel.html",
        {
            "registration": registration,
            "event": registration.event,
            "seat_passed_on": selectors.cancellation_passes_seat_on(registration),
        },
    )


@login_required
def registration_ical(request: HttpRequest, pk: int) -> HttpResponse:
    registration = selectors.registration_of_user(user=request.user, pk=pk)
    if not permissions.may_download_ical(registration):
        raise Http404
    include_access = permissions.may_see_online_access(registration)
    response = HttpResponse(
        event_ical(registration.event, include_access=include_access), content_type="text/calendar; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="{registration.event.slug}.ics"'
    return response


@login_required
def event_contact_list(request: HttpRequest, slug: str) -> HttpResponse:
    event = get_object_or_404(Event.objects.published(), slug=slug)
    if not permissions.may_see_contact_list(user=request.user, event=event):
        raise Http404
    return render(
        request,
        "participants/contact_list.html",
        {"event": event, "contacts": selectors.contact_list(event=event)},
    )


@login_required
def privacy_overview(request: HttpRequest) -> HttpResponse:
    return render(
        request, "participants/privacy_overview.html", {"invitation_consent": invitations.consent_of(request.user)}
    )


@login_required
def privacy_export(request: HttpRequest) -> HttpResponse:
    data = privacy.personal_data_export(user=request.user)
    response = HttpResponse(
        json.dumps(data, ensure_ascii=False, indent=2), content_type="application/json; charset=utf-8"
    )
    response["Content-Disposition"] = 'attachment; filename="meine-daten-kok-praxisfachtage.json"'
    return response


@login_required
@reauthentication_required
def account_delete(request: HttpRequest) -> HttpResponse:
    if request.method == "POST" and request.POST.get("confirm") == "yes":
        try:
            privacy.account_delete(user=request.user)
        except privacy.AccountDeletionRefused:
            messages.error(request, _("Konten der Geschäftsstelle werden von der Administration deaktiviert."))
            return redirect("participants:privacy")
        except RegistrationError as exc:  # e.g. an event is busy while its seat is given back
            messages.error(request, exc.message)
            return redirect("participants:account_delete")
        logout(request)
        messages.success(request, _("Ihr Konto ist gelöscht. Ihre Anmeldungen bleiben nur anonym in den Zahlen."))
        return redirect("events:home")
    cancelled = selectors.registrations_cancelled_by_account_deletion(user=request.user)
    return render(
        request,
        "participants/account_delete.html",
        {
            "cancelled_registrations": cancelled,
            # Only a held seat goes to someone waiting; a place on the waiting list just ends.
            "gives_up_seats": any(r.status in RegistrationStatus.holding_seat() for r in cancelled),
        },
    )


@method_decorator(login_required, name="dispatch")
class ReauthenticateByCodeView(BaseReauthenticateView):
    """Confirm access with a code sent by e-mail (accounts without password or second factor).

    allauth's base view checks that the adapter offers this method to the person, applies the
    ``reauthenticate`` rate limit and, after success, replays the request that asked for re-authentication.
    """

    form_class = ConfirmLoginCodeForm
    template_name = "participants/reauthenticate_by_code.html"
    process: ReauthenticationCodeProcess

    def get(self, request: HttpRequest, *args, **kwargs) -> HttpResponse:
        # A pending code stays valid when the page is reloaded; otherwise a new one is sent.
        self.process = ReauthenticationCodeProcess.resume(request) or ReauthenticationCodeProcess.initiate(request)
        return super().get(request, *args, **kwargs)

    def post(self, request: HttpRequest, *args, **kwargs) -> HttpResponse:
        process = ReauthenticationCodeProcess.resume(request)
        if process is None:
            messages.error(request, _("Der Code ist nicht mehr gültig. Wir haben Ihnen einen neuen Code geschickt."))
            return redirect(self.passthrough_next_url(request.path))
        self.process = process
        return super().post(request, *args, **kwargs)

    def get_form_kwargs(self) -> dict:
        return {**super().get_form_kwargs(), "code": self.process.code}

    def get_context_data(self, **kwargs) -> dict:
        return {**super().get_context_data(**kwargs), "email": self.process.email}

    def form_invalid(self, form) -> HttpResponse:
        if not self.process.record_invalid_attempt():
            messages.error(self.request, _("Zu viele falsche Versuche. Wir haben Ihnen einen neuen Code geschickt."))
            return redirect(self.passthrough_next_url(self.request.path))
        return super().form_invalid(form)

    def form_valid(self, form) -> HttpResponse:
        self.process.finish()
        return super().form_valid(form)


reauthenticate_by_code = ReauthenticateByCodeView.as_view()


@never_cache
@require_GET
def certificate_verify(request: HttpRequest, code: str) -> HttpResponse:
    """The public verification page of a certificate of attendance, reached by its link or QR code: says whether
    the certificate is valid or revoked, with the person's name and the event's title and date, nothing more (no
    organisation, no e-mail address). An unknown or altered code answers 404. Not indexed by search engines, not
    cached (a revocation shows at once)."""
    certificate = selectors.certificate_by_code(code=code)
    registration = certificate.registration
    response = render(
        request,
        "participants/certificate_verify.html",
        {
            "code": certificate.code,
            "name": registration.full_name,
            "event_title": registration.event.title,
            "event_date": registration.event.date,
            "event_dates": registration.event.dates_display,
            "valid": certificate.is_valid,
        },
    )
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response


# --- invitations (participants.invitations) ----------------------------------------------------------------------


@never_cache
@require_GET
def invitation_open(request: HttpRequest, token: str) -> HttpResponse:
    """The link of a personal invitation: counted as opened, remembered for this browser, and on to the event's
    registration (logging in on the way) with the invitation's organisation type preset. An unknown or altered link
    answers 404; one to an event that is no longer open for registration leads to its page."""
    invitation = invitations.invitation_by_token(token)
    if invitation is None or invitation.event.status == EventStatus.DRAFT:
        raise Http404
    invitations.invitation_open(invitation=invitation)
    invitations.remember_in_session(request.session, invitation)
    event = invitation.event
    if not request.user.is_authenticated:
        messages.info(
            request,
            _(
                "Sie sind zum Praxisfachtag „%(title)s“ eingeladen. Zur Anmeldung loggen Sie sich mit einem Code ein, "
                "den wir Ihnen per E-Mail schicken; ein Konto legen wir dabei an, falls Sie noch keins haben."
            )
            % {"title": event.title},
        )
    if registration_phase(event) not in (RegistrationState.OPEN, RegistrationState.WAITLIST):
        return redirect(event)
    return redirect("participants:register", slug=event.slug)


@never_cache
@csrf_exempt
@require_http_methods(["GET", "POST"])
def invitation_unsubscribe(request: HttpRequest, token: str) -> HttpResponse:
    """ "No more invitations": GET asks, POST stops them (the button, or a mail program's one-click request of
    RFC 8058, which carries no CSRF token: the link's 256-bit key is the proof). A person's consent is withdrawn
    and deleted; an organisation's functional address gets no more invitations. Unknown links answer 404."""
    invitation = invitations.invitation_by_token(token)
    if invitation is None:
        raise Http404
    if request.method == "POST":
        stopped = invitations.unsubscribe(invitation=invitation)
        return render(
            request,
            "participants/invitation_unsubscribe.html",
            {"done": True, "stopped": stopped, "invitation": invitation},
        )
    if not invitations.unsubscribe_pending(invitation):
        # Nothing left to stop: say so at once instead of asking again.
        return render(
            request, "participants/invitation_unsubscribe.html", {"done": True, "stopped": "", "invitation": invitation}
        )
    return render(request, "participants/invitation_unsubscribe.html", {"done": False, "invitation": invitation})


@login_required
@require_POST
def invitation_consent(request: HttpRequest) -> HttpResponse:
    """Give or withdraw the consent to invitations from the account page ("Meine Daten")."""
    if request.POST.get("consent") == "yes":
        invitations.consent_give(user=request.user)
        messages.success(request, _("Sie werden über künftige Praxisfachtage informiert. Danke!"))
    else:
        consent = invitations.consent_of(request.user)
        if consent is not None:
            invitations.consent_withdraw(consent=consent, by=request.user)
        messages.success(request, _("Ihre Einwilligung ist widerrufen: Sie bekommen keine Einladungen mehr."))
    return redirect("participants:privacy")
