import logging
import secrets

from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.http import HttpRequest, JsonResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import check_for_language
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

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
