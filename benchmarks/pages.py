"""Public pages under load: home and event page against a trivial view through the same middleware (wrk)."""

from __future__ import annotations

import tempfile
from pathlib import Path

from benchmarks.common import Gunicorn, bench_env, machine, prepare_database, wrk

TARGETS = {
    "trivial": "/bench/trivial/",
    "home": "/",
    "event_detail": "/praxisfachtage/vernetzungstreffen-niedersachsen-bremen/",
    # A query string bypasses the anonymous page cache: the cost of rendering every time.
    "home_uncached": "/?uncached=1",
    "event_detail_uncached": "/praxisfachtage/vernetzungstreffen-niedersachsen-bremen/?uncached=1",
}


def run(args, *, prepared_env: dict | None = None) -> dict:
    with tempfile.TemporaryDirectory() as static_root:
        env = prepared_env or bench_env(Path(static_root))
        if prepared_env is None:
            prepare_database(env)
        with Gunicorn(env, workers=args.workers) as server:
            for path in TARGETS.values():  # warm up every worker
                wrk(server.url + path, seconds=min(2, args.seconds), connections=args.connections)
            results = {
                name: wrk(server.url + path, seconds=args.seconds, connections=args.connections)
                for name, path in TARGETS.items()
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


def correctness(result: dict) -> list[str]:
    """What must hold whatever the speed: every URL answered, none with an error or a non-2xx status."""
    problems = []
    for name, figures in result["results"].items():
        if figures["requests"] == 0:
            problems.append(f"pages: {name} answered no request")
        if figures["errors"] or figures["non_2xx"]:
            problems.append(f"pages: {name} had {figures['errors']} errors and {figures['non_2xx']} non-2xx answers")
    return problems
