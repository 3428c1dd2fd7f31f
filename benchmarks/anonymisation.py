"""Anonymisation check: time to check a 2,000-word text and memory its word lists add to a worker.

    .venv/bin/python benchmarks/run.py anonymisation [--runs 50]

Runs in a fresh process with Django set up (no database needed). The text is 2,000 words of the labelled
corpus (``tests/casework/corpus``), planted identifiers included, so every detector has work to do. The first
check loads the data (timed on its own); then ``--runs`` checks give the median and the 95th percentile.
Memory: the process's resident set before and after loading the data.
"""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

from benchmarks.common import PY, ROOT, machine

CORPUS = ROOT / "tests" / "casework" / "corpus"
WORDS = 2000


def _rss_mb() -> float:
    # Current resident set (not the peak), from /proc: what the loaded data keeps.
    with open("/proc/self/statm") as statm:
        pages = int(statm.read().split()[1])
    return round(pages * os.sysconf("SC_PAGE_SIZE") / 2**20, 1)


def sample_text(words: int = WORDS) -> str:
    texts = [path.read_text(encoding="utf-8") for path in sorted(CORPUS.glob("*.txt"))]
    pool = " ".join(texts).split()
    return " ".join((pool * (words // len(pool) + 1))[:words])


def measure(runs: str) -> dict:
    import django

    django.setup()
    before = _rss_mb()
    from casework.anonymisation import check_text

    text = sample_text()
    started = time.perf_counter()
    first = check_text(text)  # loads the word lists and gazetteers on first use
    first_seconds = time.perf_counter() - started
    after = _rss_mb()
    timings = []
    for _ in range(int(runs)):
        started = time.perf_counter()
        findings = check_text(text)
        timings.append(time.perf_counter() - started)
    timings.sort()
    return {
        "words": len(text.split()),
        "findings": len(findings),
        "findings_stable": findings == first,
        "first_check_ms": round(first_seconds * 1000, 1),
        "median_ms": round(statistics.median(timings) * 1000, 2),
        "p95_ms": round(timings[max(int(len(timings) * 0.95) - 1, 0)] * 1000, 2),
        "rss_before_mb": before,
        "rss_after_first_check_mb": after,
        "data_mb": round(after - before, 1),
    }


def run(args, *, prepared_env: dict | None = None) -> dict:
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "kokportal.settings",
        "KOKPORTAL_TESTING": "1",
        "PYTHONPATH": str(ROOT),
    }
    runs = str(getattr(args, "runs", None) or 50)
    out = subprocess.run(
        [PY, str(Path(__file__).resolve()), "_measure", runs], cwd=ROOT, env=env, check=True, capture_output=True
    )
    figures = json.loads(out.stdout.decode().strip().splitlines()[-1])
    return {"benchmark": "anonymisation", "machine": machine(), "runs": int(runs), "results": figures}


def correctness(result: dict) -> list[str]:
    """What must hold whatever the speed: the planted identifiers are found, the same way every time."""
    figures = result["results"]
    problems = []
    if figures["words"] != WORDS:
        problems.append(f"anonymisation: checked {figures['words']} words instead of {WORDS}")
    if figures["findings"] == 0 or not figures["findings_stable"]:
        problems.append("anonymisation: the corpus sample gave no findings or different findings on repeat")
    return problems


if __name__ == "__main__":
    if sys.argv[1:2] == ["_measure"]:
        print(json.dumps(measure(sys.argv[2])))
