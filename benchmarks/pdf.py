"""PDF benchmark: the documentation PDF of a large event, against plain WeasyPrint on the same HTML.

    .venv/bin/python benchmarks/run.py pdf        # with the other benchmarks' runner
    .venv/bin/python benchmarks/pdf.py [--runs 3]  # on its own

The large event: 300 registrations, a workshop with 12 small groups with results, a questionnaire with six
questions and 300 feedback responses (1,800 answers, 40 free texts selected for the documentation). It is
created in the bench database (``kokportal_bench``, production settings: DEBUG off, manifest static files).

Every measurement runs in a fresh Python process, so ``ru_maxrss`` is the peak memory of that one render,
WeasyPrint's C libraries (Pango, HarfBuzz, FreeType) included, which tracemalloc does not see:

- portal: Django set up, then ``documentation_pdf()``: the selector's queries, the charts, the template and
  WeasyPrint with the cached stylesheets; timed once cold (first PDF in the process: stylesheets and fonts
  parsed) and once warm (second PDF in the same process);
- weasyprint: only ``import weasyprint``, then the same HTML (saved to a file by the portal) with the same
  stylesheets and options (PDF/UA-1), i.e. the floor our code cannot go below.

The ratio portal/weasyprint (cold against cold) shows the overhead of the portal.
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

SLUG = "pdf-benchmark-300"
REGISTRATIONS = 300
GROUPS = 12
RESPONSES = 300
SELECTED_TEXTS = 40

TARGET = {"seconds": 3.0, "peak_mb": 300.0, "ratio": 1.3}


# --- run in subprocesses ------------------------------------------------------------------------------------------


def _django_setup() -> None:
    import django

    django.setup()


def _peak_mb() -> float:
    import resource

    # Linux reports kilobytes.
    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)


def create_data() -> dict:
    """Create (or re-create) the large event in the bench database through the ORM."""
    _django_setup()
    import datetime as dt
    import random

    from django.db import transaction
    from django.utils import timezone

    from casework.feedback.enums import QuestionKind
    from casework.feedback.models import Answer, FeedbackInvitation, FeedbackResponse, Question, Questionnaire
    from casework.models import SmallGroup, Workshop
    from events.enums import EventReach, EventStatus, ProgrammeItemKind
    from events.models import Event, Organisation, OrganisationType, ProgrammeItem
    from kokportal.federal_states import FederalState
    from participants.enums import RegistrationStatus
    from participants.models import Registration

    rng = random.Random(300)  # benchmark data, not security
    states = [s.value for s in FederalState]
    with transaction.atomic():
        Workshop.objects.filter(event__slug=SLUG).delete()  # protects its programme item from the cascade
        Event.objects.filter(slug=SLUG).delete()
        event = Event.objects.create(
            slug=SLUG,
            title="Bundesweiter Praxisfachtag 2026: Kooperation gegen Menschenhandel (Benchmark)",
            reach=EventReach.NATIONAL,
            status=EventStatus.PUBLISHED,
            date=dt.date(2026, 3, 18),
            start_time=dt.time(9, 30),
            end_time=dt.time(16, 30),
            venue_name="Tagungszentrum",
            venue_city="Berlin",
            venue_postcode="10785",
            federal_state="BE",
            description="Ein großer bundesweiter Praxisfachtag.\n\n" + "Austausch und Vernetzung. " * 40,
            summary="Zusammenfassung. " * 80,
            outcomes="Ergebnisse und Ausblick. " * 60,
        )
        types = list(OrganisationType.objects.all())
        event.invited_types.set(types)
        event.co_organisers.set(Organisation.objects.filter(name__startswith="BAMF")[:1])
        items = [
            ProgrammeItem(event=event, start=dt.time(h, 0), end=dt.time(h, 45), kind=kind, title=f"Programmpunkt {h}")
            for h, kind in zip(
                range(9, 17),
                [
                    ProgrammeItemKind.WELCOME,
                    ProgrammeItemKind.INPUT,
                    ProgrammeItemKind.BEST_PRACTICE,
                    ProgrammeItemKind.BREAK,
                    ProgrammeItemKind.WORKSHOP,
                    ProgrammeItemKind.WORKSHOP,
                    ProgrammeItemKind.DISCUSSION,
                    ProgrammeItemKind.CLOSING,
                ],
                strict=True,
            )
        ]
        ProgrammeItem.objects.bulk_create(items)
        organisations = list(Organisation.objects.all())
        now = timezone.now()
        statuses = [RegistrationStatus.ATTENDED] * 8 + [RegistrationStatus.CONFIRMED, RegistrationStatus.CANCELLED]
        registrations = Registration.objects.bulk_create(
            [
                Registration(
                    event=event,
                    status=rng.choice(statuses),
                    organisation=(organisation := organisations[i % len(organisations)]),
                    organisation_type_id=organisation.organisation_type_id,
                    first_name=f"Vorname{i}",
                    last_name=f"Nachname{i}",
                    email=f"bench.pdf.{i}@example.org",
                    federal_state=rng.choice(states),
                    privacy_consent_version="bench",
                    privacy_consented_at=now,
                    contact_list_consent=i % 3 != 0,
                    contact_list_consented_at=now if i % 3 != 0 else None,
                )
                for i in range(REGISTRATIONS)
            ]
        )
        workshop_item = next(item for item in items if item.kind == ProgrammeItemKind.WORKSHOP)
        workshop = Workshop.objects.create(event=event, programme_item=workshop_item, title="Fallarbeit in Gruppen")
        SmallGroup.objects.bulk_create(
            [
                SmallGroup(
                    workshop=workshop,
                    number=n,
                    results=f"Gruppe {n} hat am Fallbeispiel gearbeitet. " * 12
                    + "\n\n"
                    + "Weitere Punkte der Diskussion. " * 8,
                    agreements=f"Absprachen der Gruppe {n}: feste Ansprechpersonen, Rückruf binnen einer Woche. " * 3,
                )
                for n in range(1, GROUPS + 1)
            ]
        )
        questionnaire = Questionnaire.objects.create(event=event)
        specs = [
            ("gesamt", QuestionKind.RATING, "Wie zufrieden waren Sie insgesamt?", []),
            ("inputs", QuestionKind.RATING, "Wie hilfreich waren die Inputs?", []),
            ("wieder", QuestionKind.YES_NO, "Würden Sie wieder teilnehmen?", []),
            ("format", QuestionKind.SINGLE_CHOICE, "Welches Format bevorzugen Sie?", ["vor Ort", "virtuell", "beides"]),
            ("mit", QuestionKind.TEXT, "Was nehmen Sie mit?", []),
            ("wunsch", QuestionKind.TEXT, "Was wünschen Sie sich für den nächsten Praxisfachtag?", []),
        ]
        questions = Question.objects.bulk_create(
            [
                Question(questionnaire=questionnaire, key=key, position=n, kind=kind, text=text, choices=choices)
                for n, (key, kind, text, choices) in enumerate(specs, start=1)
            ]
        )
        responses = FeedbackResponse.objects.bulk_create(
            [FeedbackResponse(questionnaire=questionnaire, submitted_on=dt.date(2026, 3, 25)) for _ in range(RESPONSES)]
        )
        answers = []
        for index, response in enumerate(responses):
            rating_a, rating_b, again, choice, text_a, text_b = questions
            selected = index < SELECTED_TEXTS // 2
            answers += [
                Answer(response=response, question=rating_a, rating=rng.randint(2, 5)),
                Answer(response=response, question=rating_b, rating=rng.randint(1, 5)),
                Answer(response=response, question=again, yes_no=rng.random() < 0.85),
                Answer(response=response, question=choice, choice=rng.choice(choice.choices)),
                Answer(
                    response=response,
                    question=text_a,
                    text=f"Der Austausch war wertvoll (Rückmeldung {index}).",
                    selected_for_documentation=selected,
                ),
                Answer(
                    response=response,
                    question=text_b,
                    text=f"Regelmäßige regionale Treffen, bitte (Rückmeldung {index}).",
                    selected_for_documentation=selected,
                ),
            ]
        Answer.objects.bulk_create(answers)
        FeedbackInvitation.objects.bulk_create(
            [
                FeedbackInvitation(
                    questionnaire=questionnaire, registration=r, token_hash=f"{r.pk:064x}", answered=True
                )
                for r in registrations
            ]
        )
    return {"slug": SLUG, "registrations": len(registrations), "groups": GROUPS, "answers": len(answers)}


def save_html(path: str) -> dict:
    _django_setup()
    from events.documents.pdfs import documentation_html
    from events.models import Event

    html = documentation_html(event=Event.objects.get(slug=SLUG), lang="de")
    Path(path).write_text(html, encoding="utf-8")
    return {"html_bytes": len(html.encode())}


def measure_portal(output: str) -> dict:
    """The documentation PDF as the portal makes it (cold, then warm)."""
    _django_setup()
    from django.db import connection

    from events.documents.pdfs import documentation_html, documentation_pdf
    from events.models import Event

    event = Event.objects.get(slug=SLUG)
    connection.ensure_connection()
    before = _peak_mb()  # Django, the project and WeasyPrint imported, nothing rendered yet
    start = time.perf_counter()
    pdf = documentation_pdf(event=event, lang="de")
    cold = time.perf_counter() - start
    peak = _peak_mb()
    start = time.perf_counter()
    documentation_pdf(event=event, lang="de")
    warm = time.perf_counter() - start
    # The portal's own share: queries, charts and template, without WeasyPrint.
    start = time.perf_counter()
    documentation_html(event=event, lang="de")
    own = time.perf_counter() - start
    Path(output).write_bytes(pdf.content)
    return {
        "seconds": round(cold, 3),
        "warm_seconds": round(warm, 3),
        "selector_and_template_seconds": round(own, 3),
        "before_render_mb": before,
        "peak_mb": peak,
        "warm_peak_mb": _peak_mb(),
        "pages": pdf.page_count,
    }


def measure_weasyprint(html_path: str, static_dir: str, output: str) -> dict:
    """Plain WeasyPrint on the saved HTML with the same stylesheets and options: no Django at all."""
    from weasyprint import CSS, HTML
    from weasyprint.text.fonts import FontConfiguration

    before = _peak_mb()
    start = time.perf_counter()
    font_config = FontConfiguration()
    stylesheets = [
        CSS(filename=str(Path(static_dir) / "pdf" / name), font_config=font_config)
        for name in ("fonts.css", "documentation.css")
    ]
    document = HTML(filename=html_path).render(
        stylesheets=stylesheets, font_config=font_config, pdf_variant="pdf/ua-1", pdf_tags=True
    )
    content = document.write_pdf(pdf_variant="pdf/ua-1", pdf_tags=True)
    seconds = time.perf_counter() - start
    Path(output).write_bytes(content)
    return {
        "seconds": round(seconds, 3),
        "before_render_mb": before,
        "peak_mb": _peak_mb(),
        "pages": len(document.pages),
    }


# --- orchestration ------------------------------------------------------------------------------------------------


def _child(env: dict[str, str], *args: str) -> dict:
    """Run this file with ``args`` in a fresh process; it prints one JSON object."""
    from benchmarks.common import PY, ROOT

    start = time.perf_counter()
    result = subprocess.run(
        [PY, str(Path(__file__).resolve()), *args], cwd=ROOT, env=env, check=True, capture_output=True, text=True
    )
    figures = json.loads(result.stdout.strip().splitlines()[-1])
    figures["process_seconds"] = round(time.perf_counter() - start, 3)
    return figures


def _without_timing(figures: dict) -> dict:
    return {key: value for key, value in figures.items() if key != "process_seconds"}


def _median(runs: list[dict], key: str) -> float:
    return round(statistics.median(run[key] for run in runs), 3)


def _min(runs: list[dict], key: str) -> float:
    return round(min(run[key] for run in runs), 3)


def run(args, *, prepared_env: dict | None = None) -> dict:
    from benchmarks.common import ROOT, bench_env, machine, manage, prepare_database

    runs = max(int(getattr(args, "pdf_runs", 5) or 5), 1)
    with tempfile.TemporaryDirectory() as static_root, tempfile.TemporaryDirectory() as work:
        env = prepared_env or bench_env(Path(static_root))
        if prepared_env is None and getattr(args, "skip_prepare", False):
            manage(env, "collectstatic", "--noinput", "-v0")  # the manifest the production storage needs
        elif prepared_env is None:
            prepare_database(env)
        data = _child(env, "_create-data")
        html = str(Path(work) / "documentation.html")
        saved = _child(env, "_save-html", html)
        portal, weasy = [], []
        for index in range(runs):  # alternate, so both see the same machine state
            portal.append(_child(env, "_measure-portal", str(Path(work) / f"portal-{index}.pdf")))
            weasy.append(
                _child(env, "_measure-weasyprint", html, str(ROOT / "static"), str(Path(work) / f"plain-{index}.pdf"))
            )
    result = {
        "portal": {
            "seconds": _median(portal, "seconds"),
            "min_seconds": _min(portal, "seconds"),
            "warm_seconds": _median(portal, "warm_seconds"),
            "selector_and_template_seconds": _median(portal, "selector_and_template_seconds"),
            "before_render_mb": _median(portal, "before_render_mb"),
            "peak_mb": _median(portal, "peak_mb"),
            "warm_peak_mb": _median(portal, "warm_peak_mb"),
            "process_seconds": _median(portal, "process_seconds"),
            "pages": portal[0]["pages"],
        },
        "weasyprint": {
            "seconds": _median(weasy, "seconds"),
            "min_seconds": _min(weasy, "seconds"),
            "before_render_mb": _median(weasy, "before_render_mb"),
            "peak_mb": _median(weasy, "peak_mb"),
            "process_seconds": _median(weasy, "process_seconds"),
            "pages": weasy[0]["pages"],
        },
    }
    # Medians for the verdict; the ratio of the minima is the least disturbed by other load on the machine.
    result["ratio_seconds"] = round(result["portal"]["seconds"] / result["weasyprint"]["seconds"], 3)
    result["ratio_min_seconds"] = round(result["portal"]["min_seconds"] / result["weasyprint"]["min_seconds"], 3)
    result["ratio_peak_mb"] = round(result["portal"]["peak_mb"] / result["weasyprint"]["peak_mb"], 3)
    result["within_target"] = (
        result["portal"]["seconds"] <= TARGET["seconds"]
        and result["portal"]["peak_mb"] <= TARGET["peak_mb"]
        and result["ratio_seconds"] <= TARGET["ratio"]
    )
    return {
        "benchmark": "pdf",
        "machine": machine(),
        "data": {**_without_timing(data), **_without_timing(saved)},
        "runs": runs,
        "target": TARGET,
        "results": result,
        "all_runs": {"portal": portal, "weasyprint": weasy},
    }


def correctness(result: dict) -> list[str]:
    """What must hold whatever the speed: both sides rendered the same number of pages."""
    portal, weasy = result["results"]["portal"], result["results"]["weasyprint"]
    if portal["pages"] < 1 or portal["pages"] != weasy["pages"]:
        return [f"pdf: the portal rendered {portal['pages']} pages, WeasyPrint alone {weasy['pages']}"]
    return []


CHILD_COMMANDS = {
    "_create-data": create_data,
    "_save-html": save_html,
    "_measure-portal": measure_portal,
    "_measure-weasyprint": measure_weasyprint,
}


def main() -> None:
    if len(sys.argv) > 1 and sys.argv[1] in CHILD_COMMANDS:
        print(json.dumps(CHILD_COMMANDS[sys.argv[1]](*sys.argv[2:])))
        return
    import argparse

    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", dest="pdf_runs", type=int, default=5, help="measurements per side (median)")
    parser.add_argument("--skip-prepare", action="store_true", help="reuse the bench database as it is")
    print(json.dumps(run(parser.parse_args()), indent=2, ensure_ascii=False))


if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "benchmarks.settings")
    main()
