"""What every benchmark shares: the bench database, production-like settings, gunicorn on loopback, wrk.

Each run uses its own database (``kokportal_bench``) on the same server the development database lives on
(``kokportal/localdb.py``: DATABASE_URL, PostgreSQL on 127.0.0.1:5432 or the embedded server), production
settings (DEBUG off, manifest static files) and gunicorn on loopback.
"""

from __future__ import annotations

import json
import os
import platform
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PY = sys.executable
BENCH_DB = "kokportal_bench"

if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))


def bench_database_url() -> str:
    """The bench database on the development database's server (``KOKPORTAL_BENCH_DB`` names another one, e.g. to
    run a benchmark while ``make test`` uses ``kokportal_bench``)."""
    import environ

    from kokportal import localdb

    env_file = Path(os.environ.get("DJANGO_ENV_FILE", ROOT / ".env"))
    if env_file.exists():
        environ.Env.read_env(env_file)
    name = os.environ.get("KOKPORTAL_BENCH_DB") or BENCH_DB
    return localdb.with_database_name(localdb.resolve(allow_embedded=True).url, name)


def bench_env(static_root: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "KOKPORTAL_"))}
    env.update(
        {
            "DJANGO_SETTINGS_MODULE": "benchmarks.settings",
            "DJANGO_DEBUG": "0",
            "KOKPORTAL_TESTING": "0",
            "DJANGO_SECRET_KEY": "benchmark-only-" + "x" * 50,
            "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost",
            "DJANGO_SECURE_SSL_REDIRECT": "0",
            "DJANGO_LOG_LEVEL": "WARNING",
            "DJANGO_ENV_FILE": "/nonexistent",
            "DATABASE_URL": bench_database_url(),
            "DJANGO_STATIC_ROOT": str(static_root),
            "EMAIL_URL": "dummymail://",
            "KOKPORTAL_TASK_BACKEND": "django_tasks.backends.immediate.ImmediateBackend",
            "PYTHONPATH": str(ROOT),
        }
    )
    return env


def manage(env: dict[str, str], *args: str) -> str:
    result = subprocess.run([PY, "manage.py", *args], cwd=ROOT, env=env, check=True, capture_output=True, text=True)
    return result.stdout


def prepare_database(env: dict[str, str]) -> None:
    """A fresh bench database with the demo data, compiled messages and collected static files."""
    from kokportal import localdb

    config = localdb.Server("env", env["DATABASE_URL"]).django_database()
    localdb.drop_database(config)
    localdb.create_database(config)
    manage(env, "migrate", "--noinput", "-v0")
    manage(env, "compilemessages", "--ignore=.venv/*", "-v0")
    manage(env, "collectstatic", "--noinput", "-v0")
    manage(env, "seed_demo")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Gunicorn:
    def __init__(self, env: dict[str, str], workers: int, threads: int = 1):
        self.env, self.workers, self.threads = env, workers, threads
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"

    def __enter__(self) -> Gunicorn:
        self.process = subprocess.Popen(
            [
                str(Path(PY).parent / "gunicorn"),
                "kokportal.wsgi:application",
                "-b",
                f"127.0.0.1:{self.port}",
                "-w",
                str(self.workers),
                "--threads",
                str(self.threads),
                "--log-level",
                "warning",
            ],
            cwd=ROOT,
            env=self.env,
        )
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                urllib.request.urlopen(self.url + "/healthz", timeout=2)  # noqa: S310 - loopback URL
                return self
            except OSError:
                time.sleep(0.2)
        self.process.kill()
        raise RuntimeError("gunicorn did not start")

    def __exit__(self, *exc) -> None:
        self.process.send_signal(signal.SIGTERM)
        self.process.wait(timeout=30)


def wrk(url: str, *, seconds: int, connections: int, threads: int = 2) -> dict:
    if shutil.which("wrk") is None:
        raise SystemExit("wrk is needed for the page benchmark: scripts/install_system_packages.sh installs it")
    out = subprocess.run(
        [
            "wrk",
            "-t",
            str(min(threads, connections)),
            "-c",
            str(connections),
            "-d",
            f"{seconds}s",
            "--timeout",
            "10s",
            "-s",
            str(Path(__file__).parent / "percentiles.lua"),
            url,
        ],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    return json.loads(out.strip().splitlines()[-1])


def machine() -> dict:
    return {"cpus": os.cpu_count(), "python": platform.python_version(), "platform": platform.platform()}
