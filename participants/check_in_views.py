"""Check-in on the day: the phone-friendly list for the door, the one-tap change of a row and the card a badge's
QR code opens.

Who: staff and the event's team (permissions.may_run_check_in). The list and the tap answer 404 to anyone else
(as the event's documents do: not even that the event exists); a badge's link answers 404 when forged, altered or
of another event, sends visitors who are not logged in to the login, and answers 403 to anyone logged in who does
not run the check-in, without the person's data. The tap answers JSON to the page's script
(static/js/check-in.js) and redirects back for a plain form post (without JavaScript).
"""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from events.models import Event

from . import permissions, selectors, services
from .check_in_links import registration_for_token
from .enums import RegistrationStatus
from .errors import RegistrationError
from .models import Registration

QUERY_MAX_LENGTH = 100
ACTIONS = {"attend": services.registration_check_in, "undo": services.registration_check_in_undo}


def _event_for_check_in(request: HttpRequest, slug: str) -> Event:
    event = get_object_or_404(Event, slug=slug)
    if not permissions.may_run_check_in(request.user, event):
        raise Http404
    return event


def row_state(registration: Registration, *, check_in_open: bool) -> dict:
    """What a row shows and offers: the status, and the one action (check in, undo or none)."""
    status = registration.status
    if not check_in_open or status not in (RegistrationStatus.CONFIRMED, RegistrationStatus.ATTENDED):
        action = ""
    else:
        action = "undo" if status == RegistrationStatus.ATTENDED else "attend"
    label = _("anwesend") if status == RegistrationStatus.ATTENDED else registration.get_status_display()
    return {"status": status, "status_label": label, "action": action}


@never_cache
@require_GET
@login_required
def check_in(request: HttpRequest, slug: str) -> HttpResponse:
    """The list for the door: everyone registered, searchable, one button per row; the counts by type on top."""
    event = _event_for_check_in(request, slug)
    query = request.GET.get("q", "").strip()[:QUERY_MAX_LENGTH]
    is_open = permissions.check_in_open(event)
    registrations = selectors.check_in_registrations(event=event, query=query)
    rows = [(registration, row_state(registration, check_in_open=is_open)) for registration in registrations]
    return render(
        request,
        "participants/check_in.html",
        {
            "event": event,
            "rows": rows,
            "query": query,
            "counts": selectors.check_in_counts(event=event),
            "check_in_open": is_open,
            "window": _window_days(event),
        },
    )


def _window_days(event: Event) -> tuple:
    """The first and the last day of the check-in window, for the page's notice."""
    opens, closes = permissions.check_in_window(event)
    return timezone.localtime(opens).date(), timezone.localtime(closes - dt.timedelta(seconds=1)).date()


def _wants_json(request: HttpRequest) -> bool:
    return request.get_preferred_type(["text/html", "application/json"]) == "application/json"


def _back(request: HttpRequest, event: Event) -> str:
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return reverse("participants:check_in", kwargs={"slug": event.slug})


@never_cache
@require_POST
@login_required
def check_in_update(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    """One tap: ``action`` "attend" or "undo" for one registration of the event. Repeating a tap changes nothing,
    so the script may send it again after a lost answer."""
    event = _event_for_check_in(request, slug)
    registration = get_object_or_404(Registration.objects.select_related("event"), pk=pk, event=event)
    service = ACTIONS.get(request.POST.get("action", ""))
    if service is None:
        if _wants_json(request):
            return JsonResponse({"error": _("Unbekannte Aktion.")}, status=400)
        messages.error(request, _("Unbekannte Aktion."))
        return redirect(_back(request, event))
    error = None
    try:
        registration = service(registration=registration, by=request.user)
    except RegistrationError as exc:
        error = str(exc.message)
        registration.refresh_from_db(fields=["status"])
    if _wants_json(request):
        answer = {
            "id": registration.pk,
            **row_state(registration, check_in_open=permissions.check_in_open(event)),
            "counts": selectors.check_in_counts(event=event).as_json(),
        }
        if error:
            answer["error"] = error
        return JsonResponse(answer, status=409 if error else 200)
    if error:
        messages.error(request, error)
    elif registration.status == RegistrationStatus.ATTENDED:
        messages.success(request, _("%(name)s ist als anwesend vermerkt.") % {"name": registration.full_name})
    else:
        messages.success(request, _("Einlass von %(name)s zurückgenommen.") % {"name": registration.full_name})
    return redirect(_back(request, event))


@never_cache
@require_GET
def check_in_link(request: HttpRequest, slug: str, token: str) -> HttpResponse:
    """The badge's QR code: the check-in card of one person, with one button."""
    event = get_object_or_404(Event, slug=slug)
    registration = registration_for_token(event=event, token=token)  # 404 unless genuine and of this event
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    if not permissions.may_run_check_in(request.user, event):
        return render(request, "participants/check_in_forbidden.html", {"event": event}, status=403)
    is_open = permissions.check_in_open(event)
    return render(
        request,
        "participants/check_in_card.html",
        {
            "event": event,
            "registration": registration,
            "state": row_state(registration, check_in_open=is_open),
            "counts": selectors.check_in_counts(event=event),
            "check_in_open": is_open,
            "window": _window_days(event),
        },
    )
