"""Production paths: the database task worker with retries, structured logs, health check, backup/restore."""

import json
import logging
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.core import mail
from django.core.management import call_command
from django.db import connection

from kokportal import localdb
from kokportal.logging import JSONFormatter
from participants import services
from tests.factories import EventFactory, RegistrationFactory, UserFactory
from tests.participants.conftest import make_data

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def database_tasks(settings):
    """The production task backend (django-tasks resets its backends when the setting changes)."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


@pytest.mark.django_db(transaction=True)
def test_mail_goes_through_database_worker(database_tasks):
    from django_tasks_db.models import DBTaskResult

    event = EventFactory()
    services.registration_create(event=event, user=UserFactory(email="aylin@example.org"), data=make_data())
    assert mail.outbox == []
    assert DBTaskResult.objects.count() == 1
    call_command("db_worker", "--batch", "--no-startup-delay", "--interval", "0")
    assert [m.to for m in mail.outbox] == [["aylin@example.org"]]


@pytest.mark.django_db(transaction=True)
def test_failed_mail_is_retried_later(database_tasks, monkeypatch):
    from django_tasks_db.models import DBTaskResult

    def broken(*args, **kwargs):
        raise ConnectionRefusedError

    monkeypatch.setattr("django.core.mail.EmailMultiAlternatives.send", broken)
    event = EventFactory()
    services.registration_create(event=event, user=UserFactory(), data=make_data())
    call_command("db_worker", "--batch", "--no-startup-delay", "--interval", "0")
    retry = DBTaskResult.objects.filter(status="READY").get()
    assert retry.args_kwargs["kwargs"]["attempt"] == 2
    assert retry.run_after is not None


def test_json_log_lines_carry_no_exception_message():
    formatter = JSONFormatter()
    try:
        raise ValueError("Duplicate key (email)=(aylin.weber@example.org)")
    except ValueError:
        record = logging.LogRecord("x", logging.ERROR, __file__, 1, "database error", None, sys.exc_info())
    record.registration_id = 42
    record.email = "aylin.weber@example.org"
    line = json.loads(formatter.format(record))
    assert line["message"] == "database error"
    assert line["exception"] == "ValueError"
    assert line["registration_id"] == 42
    assert "aylin.weber@example.org" not in json.dumps(line)


@pytest.mark.django_db
def test_health_endpoint(client):
    """Database and cache (the tests' Redis) answer; failures are in tests/test_cache.py."""
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok", "cache": "ok"}
    assert response["Cache-Control"] == "max-age=0, no-cache, no-store, must-revalidate, private"


def _db_url(name: str) -> str:
    """The URL of database ``name`` on the test server (TCP or the embedded server's socket)."""
    return localdb.with_database_name(settings.DATABASE_SERVER.url, name)


def _client_env() -> dict[str, str]:
    """pg_dump / pg_restore of the server's own version first on PATH (the embedded server ships its own)."""
    bin_dir = settings.DATABASE_SERVER.bin_dir
    path = f"{bin_dir}{os.pathsep}{os.environ['PATH']}" if bin_dir else os.environ["PATH"]
    return {**os.environ, "PATH": path}


@pytest.mark.django_db(transaction=True)
def test_backup_and_restore_into_fresh_database(tmp_path):
    event = EventFactory(title="Praxisfachtag Wiederherstellung")
    RegistrationFactory.create_batch(3, event=event)
    source = connection.settings_dict["NAME"]
    target_config = {**connection.settings_dict, "NAME": f"{source}_restore"}
    env = {**_client_env(), "DATABASE_URL": _db_url(source)}
    dump = subprocess.run(
        [str(ROOT / "deploy/backup.sh"), str(tmp_path)], env=env, capture_output=True, text=True, check=True
    ).stdout.strip()
    localdb.drop_database(target_config)
    localdb.create_database(target_config)
    target_url = _db_url(target_config["NAME"])
    try:
        restored = subprocess.run(
            [str(ROOT / "deploy/restore.sh"), dump, target_url],
            env={**_client_env(), "KOKPORTAL_TESTING": "1", "DJANGO_ENV_FILE": "/nonexistent"},
            capture_output=True,
            text=True,
            check=False,
        )
        assert restored.returncode == 0, restored.stdout + restored.stderr
        smoke = (
            "import django; django.setup();"
            "from django.test import Client;"
            "from events.models import Event; from participants.models import Registration;"
            "e = Event.objects.get(title='Praxisfachtag Wiederherstellung');"
            "print(Registration.objects.filter(event=e).count());"
            "print(Client().get(e.get_absolute_url()).status_code)"
        )
        result = subprocess.run(
            [sys.executable, "-c", smoke],
            cwd=ROOT,
            capture_output=True,
            text=True,
            check=False,
            env={
                **os.environ,
                "DATABASE_URL": target_url,
                "DJANGO_SETTINGS_MODULE": "kokportal.settings",
                "KOKPORTAL_TESTING": "1",
                "DJANGO_ALLOWED_HOSTS": "testserver",
            },
        )
        assert result.stdout.split() == ["3", "200"], result.stderr
    finally:
        localdb.drop_database(target_config)


def test_console_log_masks_feedback_tokens_in_django_request_errors():
    """Django logs "Internal Server Error: <path>" on a 500: the personal feedback link must not reach the log."""
    handler = logging.getLogger("django.request").handlers[0]
    token = "A" * 43
    record = logging.LogRecord(
        "django.request", logging.ERROR, __file__, 1, "Internal Server Error: %s", (f"/rueckmeldung/{token}/",), None
    )

    assert handler.filter(record)
    assert json.loads(JSONFormatter().format(record))["message"] == "Internal Server Error: /rueckmeldung/***/"
    assert token not in handler.format(record)
