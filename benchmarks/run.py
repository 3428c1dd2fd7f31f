"""Benchmarks of kokportal. They report figures; they are not timed tests.

    .venv/bin/python benchmarks/run.py pages          # home and event page vs. a trivial view (wrk)
    .venv/bin/python benchmarks/run.py registration   # 50 clients registering 500 people over HTTP
    .venv/bin/python benchmarks/run.py pdf            # documentation PDF of a large event
    .venv/bin/python benchmarks/run.py anonymisation  # checking a 2,000-word case text
    .venv/bin/python benchmarks/run.py grouping       # 300 participants into small groups
    .venv/bin/python benchmarks/run.py invitations    # the admin inviting 1,000 addresses in one request
    .venv/bin/python benchmarks/run.py report         # the report across 200 events of ten years: page, PDF, XLSX
    .venv/bin/python benchmarks/run.py all
    .venv/bin/python benchmarks/run.py smoke          # every benchmark at a tiny size; fails only when a
                                                      # correctness check fails (never on speed); `make test` runs it

The database benchmarks use their own database (``kokportal_bench``), production settings (DEBUG off,
manifest static files) and gunicorn on loopback, and print a JSON summary; copy the figures into
benchmarks/README.md.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks import anonymisation, grouping, invitations, pages, pdf, registration, report
from benchmarks.common import bench_env, prepare_database

BENCHMARKS = {
    "pages": pages,
    "registration": registration,
    "pdf": pdf,
    "anonymisation": anonymisation,
    "grouping": grouping,
    "invitations": invitations,
    "report": report,
}
# Tiny sizes for the smoke run: enough to exercise every path, seconds instead of minutes.
SMOKE_ARGS = {
    "seconds": 1,
    "connections": 2,
    "clients": 4,
    "people": 20,
    "pdf_runs": 1,
    "runs": 2,
    "workers": 2,
    "recipients": 20,
    "report_events": 6,
    "report_registrations": 60,
}


def smoke() -> int:
    """Run every benchmark tiny, on one prepared bench database; report correctness problems only."""
    args = argparse.Namespace(**SMOKE_ARGS)
    problems: list[str] = []
    with tempfile.TemporaryDirectory() as static_root:
        env = bench_env(Path(static_root))
        prepare_database(env)
        for name, module in BENCHMARKS.items():
            result = module.run(args, prepared_env=env)
            found = module.correctness(result)
            problems += found
            print(f"benchmark smoke {name}: " + ("ok" if not found else "; ".join(found)))
    if problems:
        print("\n".join(["Benchmark correctness checks failed:", *problems]), file=sys.stderr)
        return 1
    return 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("which", choices=[*BENCHMARKS, "all", "smoke"])
    # cores + 1 sync workers, as deploy/gunicorn.conf.py (measured better than 2 × cores + 1 on 2 cores)
    parser.add_argument("--workers", type=int, default=(os.cpu_count() or 2) + 1)
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--people", type=int, default=500)
    parser.add_argument("--runs", type=int, default=None, help="repetitions of the in-process benchmarks")
    parser.add_argument("--pdf-runs", type=int, default=5, help="PDF measurements per side (median)")
    parser.add_argument("--recipients", type=int, default=1000, help="addresses invited in one admin request")
    parser.add_argument("--report-events", type=int, default=200, help="events of the report benchmark")
    parser.add_argument("--report-registrations", type=int, default=20_000, help="registrations of the report")
    args = parser.parse_args()
    if args.which == "smoke":
        return smoke()
    chosen = list(BENCHMARKS) if args.which == "all" else [args.which]
    problems = []
    for name in chosen:
        result = BENCHMARKS[name].run(args)
        print(json.dumps(result, indent=2, ensure_ascii=False))
        for problem in BENCHMARKS[name].correctness(result):
            problems.append(problem)
            print(f"CORRECTNESS PROBLEM: {problem}", file=sys.stderr)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
