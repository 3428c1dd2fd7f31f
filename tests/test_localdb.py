"""Which PostgreSQL a development machine uses (kokportal/localdb.py), and the embedded server itself."""

import os
import subprocess
import sys
from pathlib import Path

import psycopg
import pytest

from kokportal import localdb

ROOT = Path(__file__).resolve().parent.parent


def test_resolve_database_url_always_wins(monkeypatch):
    monkeypatch.setattr(localdb, "tcp_server_answers", lambda *a, **k: pytest.fail("must not probe"))
    server = localdb.resolve(allow_embedded=True, environ={"DATABASE_URL": "postgres://kok@db.example.org/portal"})
    assert (server.kind, server.url) == ("env", "postgres://kok@db.example.org/portal")


def test_resolve_uses_the_server_on_5432_when_it_answers(monkeypatch):
    monkeypatch.setattr(localdb, "tcp_server_answers", lambda *a, **k: True)
    monkeypatch.setattr(localdb, "embedded_server", lambda *a, **k: pytest.fail("must not start"))
    server = localdb.resolve(allow_embedded=True, environ={})
    assert (server.kind, server.url) == ("tcp", "postgres://postgres@127.0.0.1:5432/kokportal")
    assert server.django_database()["HOST"] == "127.0.0.1"


def test_resolve_never_starts_the_embedded_server_in_production(monkeypatch):
    monkeypatch.setattr(localdb, "tcp_server_answers", lambda *a, **k: False)
    monkeypatch.setattr(localdb, "embedded_server", lambda *a, **k: pytest.fail("must not start"))
    assert localdb.resolve(allow_embedded=False, environ={}).kind == "tcp"


def test_resolve_starts_the_embedded_server_when_nothing_answers(monkeypatch):
    monkeypatch.setattr(localdb, "tcp_server_answers", lambda *a, **k: False)
    started = localdb.Server("embedded", localdb.socket_url("/srv/Kok Portal/.pgdata", "kokportal"))
    monkeypatch.setattr(localdb, "embedded_server", lambda *a, **k: started)
    server = localdb.resolve(allow_embedded=True, environ={})
    assert server is started
    config = server.django_database()
    assert (config["HOST"], config["PORT"], config["NAME"], config["USER"]) == (
        "/srv/Kok Portal/.pgdata",
        "",
        "kokportal",
        "postgres",
    )


def test_with_database_name_keeps_the_server():
    url = localdb.socket_url("/srv/x/.pgdata", "kokportal")
    assert (
        localdb.with_database_name(url, "kokportal_bench") == "postgres://postgres@%2Fsrv%2Fx%2F.pgdata/kokportal_bench"
    )


def test_embedded_server_starts_migrates_and_answers_a_query(tmp_path):
    data_dir = tmp_path / "pgdata"
    server = localdb.embedded_server(data_dir, name="kokportal_embedded")
    try:
        assert server.kind == "embedded"
        config = server.django_database()
        assert localdb.create_database(config) is True
        assert localdb.create_database(config) is False
        env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "KOKPORTAL_"))}
        env.update({"DATABASE_URL": server.url, "KOKPORTAL_TESTING": "1", "DJANGO_ENV_FILE": "/nonexistent"})
        migrate = subprocess.run(
            [sys.executable, "manage.py", "migrate", "--noinput", "-v0"],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            timeout=300,
            check=False,
        )
        assert migrate.returncode == 0, migrate.stderr
        with psycopg.connect(host=config["HOST"], user="postgres", dbname="kokportal_embedded") as conn:
            version = conn.execute("SHOW server_version_num").fetchone()[0]
            types = conn.execute("SELECT count(*) FROM events_organisationtype").fetchone()[0]
        assert int(version) >= 160000
        assert types == 6  # the data migration with the organisation types ran
    finally:
        assert localdb.stop_embedded(data_dir) is True
    assert not (data_dir / "postmaster.pid").exists()
