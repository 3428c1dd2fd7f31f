"""Small-group assignment: time to split 300 workshop participants into mixed groups of six.

    .venv/bin/python benchmarks/run.py grouping [--runs 20]

Pure Python (no database): ``casework.grouping.assign_groups`` on 300 members of 6 organisation types,
120 organisations and 16 federal states, with and without keeping federal states together.
"""

from __future__ import annotations

import random
import statistics
import time

from benchmarks.common import machine

MEMBERS = 300
GROUP_SIZE = 6
STATES = ("BW", "BY", "BE", "BB", "HB", "HH", "HE", "MV", "NI", "NW", "RP", "SL", "SN", "ST", "SH", "TH")
TYPES = ("FBS", "BAMF", "JUGENDAMT", "POLIZEI", "JUSTIZ", "NGO")


def members(count: int = MEMBERS):
    from casework.grouping import Member

    rng = random.Random(count)  # benchmark data, not security
    return [Member(i, rng.choice(TYPES), rng.randrange(120), rng.choice(STATES)) for i in range(count)]


def run(args, *, prepared_env: dict | None = None) -> dict:
    from casework.grouping import assign_groups

    runs = getattr(args, "runs", None) or 20
    people = members()
    results = {}
    for keep_states_together in (False, True):
        timings, assignment = [], None
        for _ in range(runs):
            started = time.perf_counter()
            assignment = assign_groups(people, group_size=GROUP_SIZE, keep_states_together=keep_states_together)
            timings.append(time.perf_counter() - started)
        results["states_together" if keep_states_together else "mixed"] = {
            "median_ms": round(statistics.median(timings) * 1000, 2),
            "max_ms": round(max(timings) * 1000, 2),
            "groups": len(assignment.groups),
            "group_sizes": sorted({len(group) for group in assignment.groups}),
            "members_placed": sum(len(group) for group in assignment.groups),
        }
    return {"benchmark": "grouping", "machine": machine(), "members": MEMBERS, "runs": runs, "results": results}


def correctness(result: dict) -> list[str]:
    """What must hold whatever the speed: everybody placed, in groups of the asked size."""
    problems = []
    for mode, figures in result["results"].items():
        if figures["members_placed"] != MEMBERS or figures["group_sizes"] != [GROUP_SIZE]:
            problems.append(f"grouping ({mode}): {figures['members_placed']} placed, sizes {figures['group_sizes']}")
    return problems
