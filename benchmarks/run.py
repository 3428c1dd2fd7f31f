"""Benchmarks of kokportal. They report figures; they are not timed tests.

    .venv/bin/python benchmarks/run.py pages          # home and event page vs. a trivial view (wrk)
    .venv/bin/python benchmarks/run.py registration   # 50 clients registering 500 people over HTTP
    .venv/bin/python benchmarks/run.py pdf            # documentation PDF of a large event
    .venv/bin/python benchmarks/run.py all

Each run uses its own database (``kokportal_bench``), production settings (DEBUG off, manifest static
files) and gunicorn on loopback, and prints a JSON summary; copy the figures into benchmarks/README.md.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PY = sys.executable
BENCH_DB = "kokportal_bench"


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
            "DATABASE_URL": f"postgres://postgres@127.0.0.1:5432/{BENCH_DB}",
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
    subprocess.run(["dropdb", "-h", "127.0.0.1", "-U", "postgres", "--if-exists", BENCH_DB], check=True)
    subprocess.run(["createdb", "-h", "127.0.0.1", "-U", "postgres", BENCH_DB], check=True)
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
        raise RuntimeError("gunicorn did not start")

    def __exit__(self, *exc) -> None:
        self.process.send_signal(signal.SIGTERM)
        self.process.wait(timeout=30)


def wrk(url: str, *, seconds: int, connections: int, threads: int = 2) -> dict:
    if shutil.which("wrk") is None:
        raise SystemExit("wrk is needed for the page benchmark: apt-get install wrk")
    out = subprocess.run(
        [
            "wrk",
            "-t",
            str(threads),
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


def bench_pages(args) -> dict:
    with tempfile.TemporaryDirectory() as static_root:
        env = bench_env(Path(static_root))
        prepare_database(env)
        with Gunicorn(env, workers=args.workers) as server:
            targets = {
                "trivial": "/bench/trivial/",
                "home": "/",
                "event_detail": "/praxisfachtage/vernetzungstreffen-niedersachsen-bremen/",
                # A query string bypasses the anonymous page cache: the cost of rendering every time.
                "home_uncached": "/?uncached=1",
                "event_detail_uncached": "/praxisfachtage/vernetzungstreffen-niedersachsen-bremen/?uncached=1",
            }
            for path in targets.values():  # warm up every worker
                wrk(server.url + path, seconds=2, connections=args.connections)
            results = {
                name: wrk(server.url + path, seconds=args.seconds, connections=args.connections)
                for name, path in targets.items()
            }
    for name in ("home", "event_detail", "home_uncached", "event_detail_uncached"):
        results[name]["ratio_to_trivial"] = round(results[name]["rps"] / results["trivial"]["rps"], 3)
    return {
        "benchmark": "pages",
        "machine": machine(),
        "gunicorn_workers": args.workers,
        "connections": args.connections,
        "seconds": args.seconds,
        "results": results,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("which", choices=["pages", "registration", "pdf", "all"])
    # cores + 1 sync workers, as deploy/gunicorn.conf.py (measured better than 2 × cores + 1 on 2 cores)
    parser.add_argument("--workers", type=int, default=(os.cpu_count() or 2) + 1)
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--people", type=int, default=500)
    args = parser.parse_args()
    from benchmarks import pdf, registration

    runners = {"pages": bench_pages, "registration": registration.run, "pdf": pdf.run}
    chosen = list(runners) if args.which == "all" else [args.which]
    for name in chosen:
        print(json.dumps(runners[name](args), indent=2, ensure_ascii=False))


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT))
    main()
