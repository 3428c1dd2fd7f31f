"""Report benchmark: the report across events (events.documents.report) for ten years of a project.

    .venv/bin/python benchmarks/run.py report        # with the other benchmarks' runner
    .venv/bin/python benchmarks/report.py [--runs 3]  # on its own

The data: one project over ten years with 200 published events (formats, presence modes, states and reach
rotating), 20,000 registrations (statuses, organisation types and federal states mixed), a questionnaire per event
with three rating questions ("gesamt" and "inputs" in the same words everywhere, "format" worded by presence mode)
and 15 responses each (9,000 answers). Created in the bench database (``kokportal_bench``, or ``KOKPORTAL_BENCH_DB``;
production settings: DEBUG off, manifest static files) next to the demo data, which the project filter leaves out.

Every measurement runs in a fresh Python process, so ``ru_maxrss`` is the peak memory of that one request,
WeasyPrint's C libraries included (tracemalloc does not see them): Django set up, an office staff member whose session
passed the second factor, then one GET through the whole stack (middleware, admin, selector, template, PDF or XLSX)
with Django's test client, as the browser asks for it:

- page: ``/admin/events/event/report/?project=…`` (tables and SVG charts);
- pdf: ``…/report/pdf/?project=…`` (the first PDF of the process: stylesheets and fonts parsed too);
- xlsx: ``…/report/xlsx/?project=…``.

Targets (issue): each at most 5 s and 400 MB. Correctness (checked whatever the speed): every answer 200, the page
lists every event, the PDF is a PDF with the project's events, the workbook's event sheet has every event and its
figures add up to the registrations created.
"""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

PROJECT_TITLE = "Benchmark: zehn Jahre Praxisfachtage"
SLUG_PREFIX = "report-bench-"
EVENTS = 200
REGISTRATIONS = 20_000
RESPONSES = 15
YEARS = 10
FIRST_DAY = (2010, 1, 1)
TARGET = {"seconds": 5.0, "peak_mb": 400.0}
KINDS = ("page", "pdf", "xlsx")


def _django_setup() -> None:
    import django

    django.setup()


def _peak_mb() -> float:
    import resource

    # Linux reports kilobytes.
    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)


# --- run in subprocesses ------------------------------------------------------------------------------------------


def create_data(events: str, registrations: str) -> dict:
    """Create (or re-create) the project with its events, registrations and feedback through the ORM."""
    _django_setup()
    import datetime as dt
    import random

    from django.db import transaction
    from django.utils import timezone

    from casework.feedback.enums import QuestionKind, RatingScale
    from casework.feedback.models import Answer, FeedbackResponse, Question, Questionnaire
    from events.enums import EventKind, EventReach, EventStatus, PresenceMode
    from events.models import Event, Organisation, Project
    from kokportal.federal_states import FederalState
    from participants.enums import RegistrationStatus as S
    from participants.models import Registration

    n_events, n_registrations = int(events), int(registrations)
    rng = random.Random(2010)  # benchmark data, not security
    states = list(FederalState.values)
    kinds = list(EventKind.values)
    presences = list(PresenceMode.values)
    statuses = [S.ATTENDED] * 6 + [S.CONFIRMED] * 2 + [S.CANCELLED, S.WAITLISTED]
    first = dt.date(*FIRST_DAY)
    last = dt.date(FIRST_DAY[0] + YEARS, 1, 1) - dt.timedelta(days=1)
    with transaction.atomic():
        Event.objects.filter(slug__startswith=SLUG_PREFIX).delete()
        Project.objects.filter(title=PROJECT_TITLE).delete()
        project = Project.objects.create(
            title=PROJECT_TITLE,
            starts_on=first,
            ends_on=last,
            funder="Stiftung Benchmark",
            credit_line="Gefördert durch die Stiftung Benchmark.",
        )
        step = (last - first).days // max(n_events, 1)
        event_rows = []
        for n in range(n_events):
            presence = presences[n % len(presences)]
            event_rows.append(
                Event(
                    slug=f"{SLUG_PREFIX}{n}",
                    title=f"Praxisfachtag {n + 1}: Kooperation gegen Menschenhandel (Benchmark)",
                    kind=kinds[n % len(kinds)],
                    presence=presence,
                    reach=EventReach.REGIONAL if n % 3 else EventReach.NATIONAL,
                    status=EventStatus.PUBLISHED,
                    date=first + dt.timedelta(days=n * step),
                    start_time=dt.time(9, 30),
                    end_time=dt.time(16, 30),
                    venue_name="" if presence == PresenceMode.VIRTUAL else "Tagungszentrum",
                    venue_city="" if presence == PresenceMode.VIRTUAL else "Berlin",
                    federal_state="" if presence == PresenceMode.VIRTUAL else states[n % len(states)],
                    project=project,
                    summary="Zusammenfassung des Tages. " * 10,
                    outcomes=("Ergebnisse und Ausblick: regionale Vernetzung, feste Ansprechpersonen. " * 4)
                    if n % 2 == 0
                    else "",
                )
            )
        created = Event.objects.bulk_create(event_rows)
        organisations = list(Organisation.objects.all())
        now = timezone.now()
        Registration.objects.bulk_create(
            [
                Registration(
                    event=created[i % len(created)],
                    status=(status := rng.choice(statuses)),
                    waitlisted_at=now if status == S.WAITLISTED else None,
                    organisation=(organisation := organisations[i % len(organisations)]),
                    organisation_type_id=organisation.organisation_type_id,
                    first_name=f"Vorname{i}",
                    last_name=f"Nachname{i}",
                    email=f"bench.report.{i}@example.org",
                    federal_state=rng.choice(states),
                    privacy_consent_version="bench",
                    privacy_consented_at=now,
                )
                for i in range(n_registrations)
            ],
            batch_size=2000,
        )
        questionnaires = Questionnaire.objects.bulk_create([Questionnaire(event=e) for e in created])
        questions = []
        for event, questionnaire in zip(created, questionnaires, strict=True):
            format_text = (
                "Wie gut hat sich das virtuelle Format bewährt?"
                if event.presence == PresenceMode.VIRTUAL
                else "Wie gut hat sich das Präsenzformat bewährt?"
            )
            questions += [
                Question(
                    questionnaire=questionnaire,
                    key="gesamt",
                    position=1,
                    kind=QuestionKind.RATING,
                    text="Wie zufrieden waren Sie insgesamt?",
                    scale=RatingScale.SATISFACTION,
                ),
                Question(
                    questionnaire=questionnaire,
                    key="inputs",
                    position=2,
                    kind=QuestionKind.RATING,
                    text="Wie hilfreich waren die Inputs?",
                    scale=RatingScale.HELPFULNESS,
                ),
                Question(
                    questionnaire=questionnaire, key="format", position=3, kind=QuestionKind.RATING, text=format_text
                ),
            ]
        questions = Question.objects.bulk_create(questions)
        responses = FeedbackResponse.objects.bulk_create(
            [
                FeedbackResponse(questionnaire=q, submitted_on=q.event.date + dt.timedelta(days=3))
                for q in questionnaires
                for _ in range(RESPONSES)
            ]
        )
        by_questionnaire: dict[int, list] = {}
        for question in questions:
            by_questionnaire.setdefault(question.questionnaire_id, []).append(question)
        answers = [
            Answer(response=response, question=question, rating=rng.randint(2, 5))
            for response in responses
            for question in by_questionnaire[response.questionnaire_id]
        ]
        Answer.objects.bulk_create(answers, batch_size=5000)
    return {
        "project": project.pk,
        "events": len(created),
        "registrations": n_registrations,
        "answers": len(answers),
        "period": f"{first}–{last}",
    }


def _office_client():
    """A test client of an office staff member whose session passed the second factor (as tests/auth.py does)."""
    from allauth.account.internal.flows.login import record_authentication
    from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
    from django.contrib.auth.models import Group
    from django.test import Client, RequestFactory

    from kokportal.models import User
    from kokportal.roles import OFFICE, sync_staff_groups

    sync_staff_groups()
    staff, created = User.objects.get_or_create(
        email="report.bench@kok-buero.example.org", defaults={"is_staff": True, "first_name": "Bench"}
    )
    if created:
        TOTP.activate(staff, generate_totp_secret())
    staff.groups.add(Group.objects.get(name=OFFICE))
    client = Client(HTTP_HOST="127.0.0.1")
    client.force_login(staff)
    request = RequestFactory().get("/")
    request.session = client.session
    request.user = staff
    record_authentication(request, staff, "mfa", type="totp")
    request.session.save()
    return client


def measure(kind: str, project: str, output: str) -> dict:
    """One GET of the page, the PDF or the XLSX in this fresh process: time and peak memory."""
    _django_setup()
    from django.db import connection
    from django.urls import reverse

    client = _office_client()
    connection.ensure_connection()
    name = {"page": "admin:events_event_report", "pdf": "admin:events_event_report_pdf"}.get(
        kind, "admin:events_event_report_xlsx"
    )
    before = _peak_mb()  # Django, the project and WeasyPrint imported, nothing rendered yet
    start = time.perf_counter()
    response = client.get(reverse(name), {"project": project})
    seconds = time.perf_counter() - start
    peak = _peak_mb()
    content = response.content
    Path(output).write_bytes(content)
    return {
        "status": response.status_code,
        "content_type": response["Content-Type"],
        "seconds": round(seconds, 3),
        "before_render_mb": before,
        "peak_mb": peak,
        "bytes": len(content),
    }


def check_outputs(page: str, pdf: str, xlsx: str, events: str, registrations: str) -> dict:
    """What the three answers contain (the correctness checks read this)."""
    import io

    from openpyxl import load_workbook
    from pypdf import PdfReader

    html = Path(page).read_text(encoding="utf-8")
    reader = PdfReader(io.BytesIO(Path(pdf).read_bytes()))
    first_pages = " ".join(p.extract_text() for p in reader.pages[:4])
    sheet = load_workbook(io.BytesIO(Path(xlsx).read_bytes()))["Veranstaltungen"]
    rows = [r for r in sheet.iter_rows(values_only=True) if isinstance(r[0], str) and r[0].endswith("(Benchmark)")]
    return {
        "page_event_rows": html.count("(Benchmark)</a>"),
        "pdf_is_pdf": Path(pdf).read_bytes().startswith(b"%PDF"),
        "pdf_pages": len(reader.pages),
        "pdf_names_project": PROJECT_TITLE in " ".join(first_pages.split()),
        "xlsx_events": len(rows),
        "xlsx_registrations": sum(r[8] for r in rows),
        "expected_events": int(events),
        "expected_registrations": int(registrations),
    }


# --- orchestration ------------------------------------------------------------------------------------------------


def _child(env: dict[str, str], *args: str) -> dict:
    """Run this file with ``args`` in a fresh process; it prints one JSON object."""
    from benchmarks.common import PY, ROOT

    start = time.perf_counter()
    result = subprocess.run(
        [PY, str(Path(__file__).resolve()), *args], cwd=ROOT, env=env, check=False, capture_output=True, text=True
    )
    if result.returncode:
        raise RuntimeError(f"benchmark step {args[0]} failed:\n{result.stderr[-3000:]}")
    figures = json.loads(result.stdout.strip().splitlines()[-1])
    figures["process_seconds"] = round(time.perf_counter() - start, 3)
    return figures


def run(args, *, prepared_env: dict | None = None) -> dict:
    from benchmarks.common import bench_env, machine, manage, prepare_database

    runs = max(int(getattr(args, "runs", None) or 3), 1)
    events = int(getattr(args, "report_events", None) or EVENTS)
    registrations = int(getattr(args, "report_registrations", None) or REGISTRATIONS)
    with tempfile.TemporaryDirectory() as static_root, tempfile.TemporaryDirectory() as work:
        env = prepared_env or bench_env(Path(static_root))
        if prepared_env is None and getattr(args, "skip_prepare", False):
            manage(env, "collectstatic", "--noinput", "-v0")  # the manifest the production storage needs
        elif prepared_env is None:
            prepare_database(env)
        data = _child(env, "_create-data", str(events), str(registrations))
        measured: dict[str, list[dict]] = {kind: [] for kind in KINDS}
        outputs = {kind: str(Path(work) / f"report.{kind}") for kind in KINDS}
        for _index in range(runs):  # alternate, so all three see the same machine state
            for kind in KINDS:
                measured[kind].append(_child(env, "_measure", kind, str(data["project"]), outputs[kind]))
        checks = _child(
            env, "_check", outputs["page"], outputs["pdf"], outputs["xlsx"], str(events), str(registrations)
        )
    results = {
        kind: {
            "seconds": round(statistics.median(r["seconds"] for r in runs_), 3),
            "min_seconds": round(min(r["seconds"] for r in runs_), 3),
            "peak_mb": round(statistics.median(r["peak_mb"] for r in runs_), 1),
            "before_render_mb": round(statistics.median(r["before_render_mb"] for r in runs_), 1),
            "bytes": runs_[-1]["bytes"],
            "statuses": sorted({r["status"] for r in runs_}),
            "content_type": runs_[-1]["content_type"],
        }
        for kind, runs_ in measured.items()
    }
    within = all(r["seconds"] <= TARGET["seconds"] and r["peak_mb"] <= TARGET["peak_mb"] for r in results.values())
    return {
        "benchmark": "report",
        "machine": machine(),
        "data": {key: value for key, value in data.items() if key != "process_seconds"},
        "runs": runs,
        "target": TARGET,
        "results": results,
        "within_target": within,
        "checks": {key: value for key, value in checks.items() if key != "process_seconds"},
    }


def correctness(result: dict) -> list[str]:
    """What must hold whatever the speed."""
    problems = []
    for kind, figures in result["results"].items():
        if figures["statuses"] != [200]:
            problems.append(f"report: the {kind} answered {figures['statuses']}")
    checks = result["checks"]
    if checks["page_event_rows"] != checks["expected_events"]:
        problems.append(f"report: the page lists {checks['page_event_rows']} of {checks['expected_events']} events")
    if not (checks["pdf_is_pdf"] and checks["pdf_pages"] > 1 and checks["pdf_names_project"]):
        problems.append("report: the PDF is not a PDF of the project's report")
    if (checks["xlsx_events"], checks["xlsx_registrations"]) != (
        checks["expected_events"],
        checks["expected_registrations"],
    ):
        problems.append(
            f"report: the workbook has {checks['xlsx_events']} events and {checks['xlsx_registrations']} "
            f"registrations, expected {checks['expected_events']} and {checks['expected_registrations']}"
        )
    return problems


CHILD_COMMANDS = {"_create-data": create_data, "_measure": measure, "_check": check_outputs}


def main() -> None:
    if len(sys.argv) > 1 and sys.argv[1] in CHILD_COMMANDS:
        print(json.dumps(CHILD_COMMANDS[sys.argv[1]](*sys.argv[2:])))
        return
    import argparse

    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=3, help="measurements of each output (median)")
    parser.add_argument("--report-events", type=int, default=EVENTS)
    parser.add_argument("--report-registrations", type=int, default=REGISTRATIONS)
    parser.add_argument("--skip-prepare", action="store_true", help="reuse the bench database as it is")
    result = run(parser.parse_args())
    print(json.dumps(result, indent=2, ensure_ascii=False))
    problems = correctness(result)
    for problem in problems:
        print(f"CORRECTNESS PROBLEM: {problem}", file=sys.stderr)
    sys.exit(1 if problems else 0)


if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "benchmarks.settings")
    main()
