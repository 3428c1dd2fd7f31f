"""A short-lived cache of whole public pages for anonymous visitors.

Public event pages are the same for every anonymous visitor in one language, so they are rendered once per
``timeout`` seconds and served from the cache in between (most visitors arrive anonymous from an
invitation mail). Seat figures may lag by at most ``timeout`` seconds; booking itself always counts afresh
under a lock. Staff edits bump a version number, so they show at once where the cache is shared (Redis).

Nothing personal is ever cached: logged-in visitors, visitors with a session or pending messages and
non-GET requests bypass the cache, and anonymous pages contain no per-visitor token (the language switch
is a plain GET link).

The cache is the default one (``CACHE_URL``): in production a Redis shared by all gunicorn workers, so a page
rendered by one worker is served by every other and a version bump reaches all of them at once. When the cache
fails, pages are rendered uncached instead of failing (``/healthz`` reports the cache as unavailable).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from functools import wraps

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.utils import translation

logger = logging.getLogger(__name__)

VERSION_KEY = "public-pages:version"
DEFAULT_TIMEOUT = 15


def public_pages_changed() -> None:
    """Call after staff changed something shown on public pages."""
    try:
        try:
            cache.incr(VERSION_KEY)
        except ValueError:
            cache.set(VERSION_KEY, 2, timeout=None)
    except Exception:
        # The staff edit is saved; cached pages then show the old state until they expire (``timeout``).
        logger.warning("page cache unavailable: version not bumped", exc_info=True)


def _cacheable(request: HttpRequest) -> bool:
    return (
        request.method == "GET"
        and not request.user.is_authenticated
        and settings.SESSION_COOKIE_NAME not in request.COOKIES
        and "messages" not in request.COOKIES
        and not request.GET
    )


def anonymous_page_cache(name: str, timeout: int = DEFAULT_TIMEOUT) -> Callable:
    def decorator(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        @wraps(view)
        def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
            if not _cacheable(request):
                return view(request, *args, **kwargs)
            try:
                version = cache.get_or_set(VERSION_KEY, 1, timeout=None)
                parts = [name, translation.get_language() or "", str(version), *(str(v) for v in kwargs.values())]
                key = "public-page:" + ":".join(parts)
                content = cache.get(key)
            except Exception:
                logger.warning("page cache unavailable: page rendered uncached", exc_info=True)
                return view(request, *args, **kwargs)
            if content is not None:
                return HttpResponse(content)
            response = view(request, *args, **kwargs)
            if response.status_code == 200 and not response.cookies:
                try:
                    cache.set(key, response.content, timeout)
                except Exception:
                    logger.warning("page cache unavailable: page not stored", exc_info=True)
            return response

        return wrapper

    return decorator
