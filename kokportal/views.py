import logging
import secrets
from dataclasses import dataclass, field

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import check_for_language
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

# The start page "Meine Praxisfachtage" is composed here, where the floors meet (docs/architecture.md): each floor
# contributes what it knows about the person, read by its own selector.
from casework import selectors as casework_selectors
from events import selectors as events_selectors
from events.documents import selectors as documents_selectors
from events.enums import EventStatus
from participants import permissions as participants_permissions
from participants import selectors as participants_selectors

logger = logging.getLogger(__name__)

HEALTH_CACHE_TIMEOUT = 10


def _database_status() -> str:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception:
        logger.exception("health check: database unavailable")
        return "unavailable"
    return "ok"


def _cache_status() -> str:
    # A key of its own per check, so concurrent checks (several workers, several nodes) cannot mix up their values.
    key = f"healthz:{secrets.token_hex(8)}"
    value = secrets.token_hex(8)
    try:
        cache.set(key, value, timeout=HEALTH_CACHE_TIMEOUT)
        answered = cache.get(key)
        cache.delete(key)
    except Exception:
        logger.exception("health check: cache unavailable")
        return "unavailable"
    if answered != value:
        logger.error("health check: cache does not keep what is written to it")
        return "unavailable"
    return "ok"


@never_cache
@require_GET
def health(request: HttpRequest) -> JsonResponse:
    """Liveness and readiness for the load balancer: 200 when the database answers and the cache (rate limits, page
    cache) keeps a value written to it; 503 otherwise, naming what failed."""
    checks = {"database": _database_status(), "cache": _cache_status()}
    healthy = all(state == "ok" for state in checks.values())
    return JsonResponse({"status": "ok" if healthy else "error", **checks}, status=200 if healthy else 503)


def privacy(request: HttpRequest):
    """The privacy notice; its version is stored with every consent."""
    return render(request, "pages/privacy.html", {"version": settings.KOKPORTAL["PRIVACY_NOTICE_VERSION"]})


@require_GET
def switch_language(request: HttpRequest):
    """Switch the language with a plain link or GET form (as pretix does), so anonymous pages carry no
    per-visitor CSRF token and can be cached. Changing a display preference needs no CSRF protection."""
    language = request.GET.get("language", "")
    next_url = request.GET.get("next", "/")
    if not url_has_allowed_host_and_scheme(
        next_url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        next_url = "/"
    response = redirect(next_url)
    if check_for_language(language) and language in dict(settings.LANGUAGES):
        response.set_cookie(
            settings.LANGUAGE_COOKIE_NAME,
            language,
            max_age=settings.LANGUAGE_COOKIE_AGE,
            path=settings.LANGUAGE_COOKIE_PATH,
            domain=settings.LANGUAGE_COOKIE_DOMAIN,
            secure=settings.LANGUAGE_COOKIE_SECURE,
            httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
            samesite=settings.LANGUAGE_COOKIE_SAMESITE,
        )
    return response


@dataclass
class PracticeDay:
    """One practice day on a person's start page: what they take part in and what they run there."""

    event: object  # events.models.Event
    registrations: list = field(default_factory=list)  # their registrations, with status (participants)
    places: list = field(default_factory=list)  # their workshop and small group as a participant (casework)
    workshops: list = field(default_factory=list)  # the workshops they facilitate (casework)
    roles: list = field(default_factory=list)  # their roles in the event's team (events)
    documents: bool = False  # they may open the event's documents page (events.documents)

    @property
    def has_public_page(self) -> bool:
        return self.event.status != EventStatus.DRAFT

    @property
    def check_in_open(self) -> bool:
        """The team's check-in is open today (participants.permissions): its link becomes a button."""
        return bool(self.roles) and participants_permissions.check_in_open(self.event)


def _practice_days(user) -> tuple[list[PracticeDay], list[PracticeDay]]:
    """The person's practice days, upcoming (soonest first) and past (latest first), in a fixed number of queries."""
    days: dict[int, PracticeDay] = {}

    def day(event) -> PracticeDay:
        return days.setdefault(event.pk, PracticeDay(event=event))

    for registration in participants_selectors.registrations_of_user(user):
        day(registration.event).registrations.append(registration)
    for place in casework_selectors.workshop_places_of(user=user):
        day(place.workshop.event).places.append(place)
    for workshop in casework_selectors.facilitated_workshops(user=user):
        day(workshop.workshop.event).workshops.append(workshop)
    for event in documents_selectors.events_with_documents(user=user):
        day(event).documents = True
    for event_id, roles in events_selectors.team_roles_by_event(user=user).items():
        if event_id in days:
            days[event_id].roles = roles
    today = timezone.localdate()
    ordered = sorted(days.values(), key=lambda d: (d.event.date, d.event.start_time, d.event.pk))
    upcoming = [d for d in ordered if not d.event.is_over(today)]
    past = [d for d in reversed(ordered) if d.event.is_over(today)]
    return upcoming, past


@login_required
def my_practice_days(request: HttpRequest) -> HttpResponse:
    """The start page of everyone logged in ("Meine Praxisfachtage"): the practice days they take part in (their
    registrations with status, their workshop and small group) and those they help run (their workshops with case
    examples, small groups and participants in no group; the events' documents), upcoming first, then past. Each
    selector reads only the person's own things, so the page needs no further permission check."""
    upcoming, past = _practice_days(request.user)
    return render(request, "pages/my_practice_days.html", {"upcoming": upcoming, "past": past})
