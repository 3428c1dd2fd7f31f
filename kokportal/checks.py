"""System checks of the portal's own deployment rules (``manage.py check --deploy``)."""

from __future__ import annotations

import multiprocessing
import os

from django.conf import settings
from django.core import checks
from django.core.cache import DEFAULT_CACHE_ALIAS
from django.core.cache.backends.dummy import DummyCache
from django.core.cache.backends.locmem import LocMemCache
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _

# Backends whose entries live in the memory of one process: other processes never see them. (DummyCache keeps
# nothing at all and gets a warning of its own.)
PROCESS_LOCAL_CACHES = (LocMemCache,)


def gunicorn_workers() -> int:
    """The number of gunicorn worker processes in production, computed as deploy/gunicorn.conf.py does."""
    return int(os.environ.get("GUNICORN_WORKERS", multiprocessing.cpu_count() + 1))


@checks.register(checks.Tags.caches, deploy=True)
def check_default_cache_is_shared(app_configs=None, **kwargs) -> list[checks.CheckMessage]:
    """allauth's rate limits (ACCOUNT_RATE_LIMITS) and the page cache need one cache for all worker processes."""
    backend_path = settings.CACHES.get(DEFAULT_CACHE_ALIAS, {}).get("BACKEND", "")
    try:
        backend = import_string(backend_path)
    except ImportError:
        return []  # Django's own checks and the first request report a backend that cannot be imported.
    if not isinstance(backend, type):
        return []
    if issubclass(backend, DummyCache):
        return [
            checks.Warning(
                _("Der Standard-Cache ist %(backend)s: er speichert nichts.") % {"backend": backend_path},
                hint=_(
                    "Die Anmelde-Limits (ACCOUNT_RATE_LIMITS) zählen ihre Versuche im Standard-Cache, und dort sperrt "
                    "allauth auch schon benutzte TOTP-Codes; ohne Cache greift beides nie. Setzen Sie CACHE_URL "
                    "auf einen gemeinsamen Cache, z. B. redis://127.0.0.1:6379/1 (siehe docs/deployment.md)."
                ),
                id="kokportal.W002",
            )
        ]
    workers = gunicorn_workers()
    if not issubclass(backend, PROCESS_LOCAL_CACHES) or workers <= 1:
        return []
    return [
        checks.Warning(
            _(
                "Der Standard-Cache (%(backend)s) gilt nur innerhalb eines Prozesses, gunicorn startet aber "
                "%(workers)d Worker-Prozesse (GUNICORN_WORKERS, sonst Kerne + 1)."
            )
            % {"backend": backend_path, "workers": workers},
            hint=_(
                "Die Anmelde-Limits (ACCOUNT_RATE_LIMITS) zählen ihre Versuche im Standard-Cache, und dort sperrt "
                "allauth auch schon benutzte TOTP-Codes. Hat jeder Worker-Prozess seinen eigenen Cache, zählt und "
                "sperrt jeder nur, was bei ihm ankommt: mit %(workers)d Workern sind bis zu %(workers)d-mal so "
                "viele Versuche möglich – Limits pro Prozess sind keine Limits – und ein benutzter Code gilt bei "
                "den anderen Workern weiter. Auch Änderungen der Geschäftsstelle erreichen die zwischengespeicherten "
                "öffentlichen Seiten der anderen Worker erst, wenn diese ablaufen. Setzen Sie CACHE_URL auf einen "
                "gemeinsamen Cache, z. B. redis://127.0.0.1:6379/1 (siehe docs/deployment.md), oder starten Sie "
                "nur einen Worker (GUNICORN_WORKERS=1; mehrere Server brauchen trotzdem einen gemeinsamen Cache)."
            )
            % {"workers": workers},
            id="kokportal.W001",
        )
    ]
