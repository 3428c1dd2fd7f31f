"""The shared cache: Redis for the page cache and allauth's rate limits, the health check and the deploy check.

The tests run against the real Redis on 127.0.0.1:6379 (`make test` starts it), one database per pytest-xdist
worker (kokportal/settings.py). A second cache client (``caches.create_connection``, its own connection pool) or a
second Python process stands for another gunicorn worker.
"""

import hashlib
import os
import runpy
import subprocess
import sys
from pathlib import Path

import pytest
import redis
from django.conf import settings as django_settings
from django.core import checks
from django.core.cache import cache, caches
from django.core.cache.backends.locmem import LocMemCache
from django.db import OperationalError, connection
from django.test import Client
from django.urls import reverse

from kokportal import localdb, pagecache
from kokportal.checks import gunicorn_workers
from tests.factories import EventFactory, verified_user
from tests.test_security import _deploy_env

ROOT = Path(__file__).resolve().parent.parent
REDIS_CACHE = "django.core.cache.backends.redis.RedisCache"
LOCMEM_CACHE = "django.core.cache.backends.locmem.LocMemCache"
DUMMY_CACHE = "django.core.cache.backends.dummy.DummyCache"
# A Redis nobody listens on: every cache call fails with a connection error.
UNREACHABLE_REDIS = {"BACKEND": REDIS_CACHE, "LOCATION": "unix:///nonexistent/kokportal-test-redis.sock"}
TOO_MANY_ATTEMPTS = "Zu viele gescheiterte Versuche, sich einzuloggen"


def _worker_redis_url() -> str:
    worker = os.environ.get("PYTEST_XDIST_WORKER", "gw0")
    port = os.environ.get("KOKPORTAL_REDIS_PORT", "6379")
    base = int(os.environ.get("KOKPORTAL_TEST_REDIS_BASE", "0"))  # as kokportal/settings.py shifts it
    return f"redis://127.0.0.1:{port}/{int(worker.removeprefix('gw')) + 1 + base}"


def _raw_redis() -> redis.Redis:
    """A plain Redis client on this worker's database, to see what the portal stored."""
    return redis.Redis.from_url(_worker_redis_url())


def _subprocess_env(**extra: str) -> dict[str, str]:
    """Another Python process with the test settings: same Redis database (PYTEST_XDIST_WORKER is inherited)."""
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "kokportal.settings",
        "KOKPORTAL_TESTING": "1",
        "DJANGO_ENV_FILE": "/nonexistent",
        "DATABASE_URL": django_settings.DATABASE_SERVER.url,
        **extra,
    }


# --- where the cache lives -------------------------------------------------------------------------------------


def test_tests_use_redis_database_of_their_worker():
    assert django_settings.CACHES["default"] == {
        "BACKEND": REDIS_CACHE,
        "LOCATION": _worker_redis_url(),
        "OPTIONS": {"socket_connect_timeout": 2, "socket_timeout": 2},
    }
    cache.set("probe", 7)
    assert _raw_redis().get(cache.make_and_validate_key("probe")) == b"7"


def test_clearing_the_cache_flushes_only_the_workers_database():
    other_database = redis.Redis.from_url(_worker_redis_url().rsplit("/", 1)[0] + "/0")
    foreign_key = f"kokportal-test:{os.getpid()}:not-mine"
    other_database.set(foreign_key, "kept", ex=60)
    try:
        cache.set("mine", 1)
        cache.clear()
        assert cache.get("mine") is None
        assert other_database.get(foreign_key) == b"kept"
    finally:
        other_database.delete(foreign_key)


@pytest.mark.parametrize(
    ("cache_url", "expected"),
    [
        (
            "redis://127.0.0.1:6379/1",
            {
                "BACKEND": REDIS_CACHE,
                "LOCATION": "redis://127.0.0.1:6379/1",
                "OPTIONS": {"socket_connect_timeout": 2, "socket_timeout": 2},
            },
        ),
        (
            "rediss://cache.example.org:6380/2?socket_timeout=5",
            {
                "BACKEND": REDIS_CACHE,
                "LOCATION": "rediss://cache.example.org:6380/2",
                "OPTIONS": {"socket_connect_timeout": 2, "socket_timeout": 5},
            },
        ),
        ("locmemcache://kokportal", {"BACKEND": LOCMEM_CACHE, "LOCATION": "kokportal"}),
        ("", {"BACKEND": LOCMEM_CACHE, "LOCATION": "kokportal"}),
    ],
)
def test_cache_url_maps_redis_to_djangos_redis_backend(monkeypatch, cache_url, expected):
    """Outside tests CACHE_URL decides; redis:// is Django's own backend (the `redis` package is a dependency)."""
    for name, value in {
        "DJANGO_DEBUG": "1",
        "KOKPORTAL_TESTING": "0",
        "DJANGO_ENV_FILE": "/nonexistent",
        "DATABASE_URL": django_settings.DATABASE_SERVER.url,
    }.items():
        monkeypatch.setenv(name, value)
    if cache_url:
        monkeypatch.setenv("CACHE_URL", cache_url)
    else:
        monkeypatch.delenv("CACHE_URL", raising=False)
    production = runpy.run_path(str(ROOT / "kokportal" / "settings.py"))
    assert production["CACHES"] == {"default": expected}


@pytest.mark.django_db(transaction=True)
def test_public_pages_work_with_redis_cache_url():
    """The reported failure: CACHE_URL=redis://… took the public pages down (500, module not found)."""
    event = EventFactory(title="Praxisfachtag Redis")
    code = (
        "import django; django.setup();"
        "from django.test import Client; from django.core.cache import cache; from django.conf import settings;"
        "print(settings.CACHES['default']['BACKEND']);"
        f"print(*[Client().get(path).status_code for path in ['/', {event.get_absolute_url()!r}] * 2]);"
        "print(cache.get('public-pages:version'))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env=_subprocess_env(
            KOKPORTAL_TESTING="0",
            DJANGO_DEBUG="1",
            DJANGO_ALLOWED_HOSTS="testserver",
            CACHE_URL=_worker_redis_url(),
            DATABASE_URL=localdb.with_database_name(
                django_settings.DATABASE_SERVER.url, connection.settings_dict["NAME"]
            ),
        ),
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.stdout.split() == [REDIS_CACHE, "200", "200", "200", "200", "1"], result.stderr
    assert sorted(_raw_redis().keys(":1:public-page:*")) == [
        b":1:public-page:event:de:1:" + event.slug.encode(),
        b":1:public-page:home:de:1",
    ]


# --- the page cache ----------------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_staff_change_in_another_process_reaches_cached_page():
    event = EventFactory(title="Praxisfachtag Nord")
    assert "Praxisfachtag Nord" in Client().get(event.get_absolute_url()).text
    assert _raw_redis().exists(f":1:public-page:event:de:1:{event.slug}") == 1
    type(event).objects.filter(pk=event.pk).update(title="Praxisfachtag Süd")
    # Served from Redis: the change is not visible yet.
    assert "Praxisfachtag Nord" in Client().get(event.get_absolute_url()).text

    # Another process (another gunicorn worker, where the admin saved the event) bumps the version.
    code = "import django; django.setup(); from kokportal.pagecache import public_pages_changed; public_pages_changed()"
    bumped = subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env=_subprocess_env(),
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert bumped.returncode == 0, bumped.stderr

    assert cache.get(pagecache.VERSION_KEY) == 2
    page = Client().get(event.get_absolute_url()).text
    assert "Praxisfachtag Süd" in page
    assert "Praxisfachtag Nord" not in page


@pytest.mark.django_db
def test_page_version_is_shared_between_cache_clients():
    other_worker = caches.create_connection("default")
    assert other_worker is not caches["default"]
    pagecache.public_pages_changed()
    assert other_worker.get(pagecache.VERSION_KEY) == 2
    other_worker.incr(pagecache.VERSION_KEY)
    assert cache.get(pagecache.VERSION_KEY) == 3


@pytest.mark.django_db
def test_public_pages_render_when_the_cache_is_down(settings):
    event = EventFactory(title="Praxisfachtag ohne Cache")
    settings.CACHES = {"default": UNREACHABLE_REDIS}
    pagecache.public_pages_changed()  # logged, not raised: the staff edit is saved anyway
    response = Client().get(event.get_absolute_url())
    assert response.status_code == 200
    assert "Praxisfachtag ohne Cache" in response.text


# --- the rate limits -----------------------------------------------------------------------------------------------


def _failed_login(client: Client, attempt: int) -> str:
    response = client.post(reverse("account_login"), {"login": "known@example.org", "password": f"wrong-{attempt}"})
    return str(response.context["form"].non_field_errors())


@pytest.mark.django_db
def test_failed_login_limit_is_shared_between_worker_processes(client, monkeypatch):
    verified_user("known@example.org", password="right-password-123")
    errors = [_failed_login(client, i) for i in range(5)]
    assert [TOO_MANY_ATTEMPTS in e for e in errors] == [False] * 5
    key_hash = hashlib.sha256(b"testserver:known@example.org").hexdigest()  # allauth: "<site>:<login>"
    assert sorted(_raw_redis().keys(":1:allauth:rl:*")) == [
        b":1:allauth:rl:allauth.account:login:30/60/ip:ip:127.0.0.1",
        b":1:allauth:rl:allauth.account:login_failed:10/60/ip:ip:127.0.0.1",
        f":1:allauth:rl:allauth.account:login_failed:5/300.0/key:{key_hash}".encode(),
    ]

    # The sixth attempt reaches another worker: its own cache client still sees the five failures.
    monkeypatch.setattr("allauth.core.internal.ratelimit.cache", caches.create_connection("default"))
    assert TOO_MANY_ATTEMPTS in _failed_login(Client(), 5)


@pytest.mark.django_db
def test_failed_login_limit_per_process_is_no_limit(client, monkeypatch, settings):
    """Why `check --deploy` warns about a process-local cache: another worker has not seen the failures."""
    settings.CACHES = {"default": {"BACKEND": LOCMEM_CACHE, "LOCATION": "first-worker"}}
    verified_user("known@example.org", password="right-password-123")
    assert [TOO_MANY_ATTEMPTS in _failed_login(client, i) for i in range(5)] == [False] * 5
    monkeypatch.setattr("allauth.core.internal.ratelimit.cache", LocMemCache("second-worker", {}))
    assert TOO_MANY_ATTEMPTS not in _failed_login(Client(), 5)


# --- the health check ---------------------------------------------------------------------------------------------


class _BrokenConnection:
    def cursor(self):
        raise OperationalError("connection refused")


@pytest.mark.django_db
def test_health_check_leaves_no_key_behind(client):
    assert client.get("/healthz").json() == {"status": "ok", "database": "ok", "cache": "ok"}
    assert _raw_redis().keys(":1:healthz:*") == []


@pytest.mark.django_db
def test_health_reports_unavailable_database(client, monkeypatch):
    monkeypatch.setattr("kokportal.views.connection", _BrokenConnection())
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json() == {"status": "error", "database": "unavailable", "cache": "ok"}


@pytest.mark.parametrize("backend", [UNREACHABLE_REDIS, {"BACKEND": DUMMY_CACHE}], ids=["unreachable", "forgetful"])
@pytest.mark.django_db
def test_health_reports_unavailable_cache(client, settings, backend):
    settings.CACHES = {"default": backend}
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json() == {"status": "error", "database": "ok", "cache": "unavailable"}


@pytest.mark.django_db
def test_health_reports_both_failures(client, monkeypatch, settings):
    settings.CACHES = {"default": UNREACHABLE_REDIS}
    monkeypatch.setattr("kokportal.views.connection", _BrokenConnection())
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json() == {"status": "error", "database": "unavailable", "cache": "unavailable"}


# --- the deploy check ----------------------------------------------------------------------------------------------


def _deploy_cache_messages() -> list[checks.CheckMessage]:
    return checks.run_checks(include_deployment_checks=True, tags=[checks.Tags.caches])


def test_deploy_check_warns_about_local_memory_cache_with_several_workers(settings, monkeypatch):
    settings.CACHES = {"default": {"BACKEND": LOCMEM_CACHE}}
    monkeypatch.setenv("GUNICORN_WORKERS", "3")
    [message] = _deploy_cache_messages()
    assert (message.id, message.level) == ("kokportal.W001", checks.WARNING)
    assert message.msg == (
        f"Der Standard-Cache ({LOCMEM_CACHE}) gilt nur innerhalb eines Prozesses, gunicorn startet aber "
        "3 Worker-Prozesse (GUNICORN_WORKERS, sonst Kerne + 1)."
    )
    assert "mit 3 Workern sind bis zu 3-mal so viele Versuche möglich" in message.hint
    assert "Limits pro Prozess sind keine Limits" in message.hint
    assert "CACHE_URL" in message.hint


def test_deploy_check_counts_cores_plus_one_workers_by_default(settings, monkeypatch):
    settings.CACHES = {"default": {"BACKEND": LOCMEM_CACHE}}
    monkeypatch.delenv("GUNICORN_WORKERS", raising=False)
    [message] = _deploy_cache_messages()
    assert f" {os.cpu_count() + 1} Worker-Prozesse " in message.msg


@pytest.mark.parametrize(
    ("backend", "workers"),
    [(LOCMEM_CACHE, "1"), (REDIS_CACHE, "3"), ("django.core.cache.backends.db.DatabaseCache", "3")],
)
def test_deploy_check_is_quiet_with_one_worker_or_shared_cache(settings, monkeypatch, backend, workers):
    settings.CACHES = {"default": {"BACKEND": backend, "LOCATION": "kokportal_cache"}}
    monkeypatch.setenv("GUNICORN_WORKERS", workers)
    assert _deploy_cache_messages() == []


def test_deploy_check_warns_about_dummy_cache_even_with_one_worker(settings, monkeypatch):
    settings.CACHES = {"default": {"BACKEND": DUMMY_CACHE}}
    monkeypatch.setenv("GUNICORN_WORKERS", "1")
    assert [m.id for m in _deploy_cache_messages()] == ["kokportal.W002"]


def test_cache_check_runs_only_for_deploy(settings, monkeypatch):
    settings.CACHES = {"default": {"BACKEND": LOCMEM_CACHE}}
    monkeypatch.setenv("GUNICORN_WORKERS", "3")
    assert checks.run_checks(include_deployment_checks=False, tags=[checks.Tags.caches]) == []


@pytest.mark.parametrize("workers", [None, "1", "4"])
def test_check_counts_workers_as_gunicorn_conf_does(monkeypatch, workers):
    if workers is None:
        monkeypatch.delenv("GUNICORN_WORKERS", raising=False)
    else:
        monkeypatch.setenv("GUNICORN_WORKERS", workers)
    conf = runpy.run_path(str(ROOT / "deploy" / "gunicorn.conf.py"))
    assert gunicorn_workers() == conf["workers"]


@pytest.mark.parametrize(("workers", "warned"), [("3", True), ("1", False)])
def test_check_deploy_command_shows_cache_warning(workers, warned):
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=_deploy_env(CACHE_URL="locmemcache://kokportal", GUNICORN_WORKERS=workers),
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert (result.returncode, "(kokportal.W001)" in result.stderr) == (int(warned), warned), result.stderr
    if not warned:
        assert "System check identified no issues" in result.stdout
