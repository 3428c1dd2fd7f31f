"""Invitations: 1,000 addresses invited to a practice day in one admin action, without blocking the request.

    .venv/bin/python benchmarks/run.py invitations [--recipients 1000] [--runs 7]

gunicorn (one sync worker: the admin's requests come one after the other) serves the portal on loopback with
production settings and the production task backend (django-tasks database backend): sending stores the batch and
one invitation per address and enqueues one task (``queue_invitation_batch``) after commit; that task, run by a
worker later, enqueues one ``send_invitation`` task per address. No worker runs during the benchmark.

Data: ``--recipients`` reviewed organisations of an organisation type of their own, each with its own valid
functional address, and one published upcoming event inviting that type per run (an address is invited once per
event), plus one for the warm-up. A staff member of the office group with a TOTP authenticator whose session
passed the second factor (built as ``tests.auth.login`` does) drives the admin page "Einladen" as a person does:
preview, "Einladen …" (the confirmation with the hidden fields expected_count, digest and send_key), then "Jetzt …
einladen". Timed: each of the three requests over HTTP, and the batch page the redirect leads to; then, in a fresh
process, each batch's queued task run as the database worker runs it (claimed, run, result stored): the background
work the request left. Medians and maxima over ``--runs`` events; the warm-up event is reported on its own.
"""

from __future__ import annotations

import http.client
import json
import re
import statistics
import subprocess
import sys
import tempfile
import time
from contextlib import ExitStack
from pathlib import Path
from urllib.parse import urlencode

from benchmarks.common import ROOT, Gunicorn, bench_env, machine, prepare_database

TYPE_SLUG = "benchmark-einladung"
SLUG = "benchmark-einladung-{}"
CSRF = "benchmarkCsrfTokenBenchmarkCsrf3"  # 32 characters, as Django's CSRF secret
NOTE = "Wir freuen uns auf Ihre Teilnahme.\nBitte geben Sie die Einladung in Ihrer Stelle weiter."
HIDDEN = re.compile(r'<input type="hidden" name="(expected_count|digest|send_key)" value="([^"]+)">')
QUEUED = "queued"  # participants.enums.DeliveryState.QUEUED (this process has no Django set up)
BATCH_PAGE = re.compile(r"^/admin/participants/invitationbatch/(\d+)/change/$")


# --- run in subprocesses (bench settings) --------------------------------------------------------------------------


def prepare(spec: dict) -> dict:
    """The organisations, one event per run (and the warm-up) and a staff session that passed the second factor."""
    import datetime as dt
    from importlib import import_module

    from allauth.account.internal.flows.login import record_authentication
    from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.auth.models import Group
    from django.test import RequestFactory
    from django.utils import timezone
    from django_tasks_db.models import DBTaskResult

    from events.models import Event, Organisation, OrganisationType
    from kokportal.models import User
    from kokportal.roles import OFFICE, has_second_factor, sync_staff_groups

    recipients, events = spec["recipients"], spec["events"]
    org_type, _ = OrganisationType.objects.get_or_create(
        slug=TYPE_SLUG, defaults={"name": "Benchmark: Beratungsstelle", "position": 99}
    )
    Organisation.objects.filter(organisation_type=org_type).delete()
    Organisation.objects.bulk_create(
        Organisation(
            name=f"Beratungsstelle {i:04d}",
            organisation_type=org_type,
            city="Berlin",
            federal_state="BE",
            contact_email=f"info@beratung-{i:04d}.example.org",
            is_reviewed=True,
        )
        for i in range(recipients)
    )
    now = timezone.now()
    event_ids = []
    for n in range(events):
        Event.objects.filter(slug=SLUG.format(n)).delete()
        event = Event.objects.create(
            slug=SLUG.format(n),
            title=f"Benchmark: Praxisfachtag {n}",
            reach="national",
            status="published",
            date=timezone.localdate() + dt.timedelta(days=60),
            start_time=dt.time(10),
            end_time=dt.time(16),
            venue_name="Tagungshaus",
            venue_city="Berlin",
            federal_state="BE",
            capacity=300,
            registration_opens=now - dt.timedelta(days=1),
            registration_closes=now + dt.timedelta(days=30),
        )
        event.invited_types.set([org_type])
        event_ids.append(event.pk)

    sync_staff_groups()
    staff, _ = User.objects.get_or_create(email="benchmark-office@kok-buero.example.org", defaults={"is_staff": True})
    staff.groups.add(Group.objects.get(name=OFFICE))
    if not has_second_factor(staff):
        TOTP.activate(staff, generate_totp_secret())
    store = import_module(settings.SESSION_ENGINE).SessionStore()
    store[SESSION_KEY] = str(staff.pk)
    store[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    store[HASH_SESSION_KEY] = staff.get_session_auth_hash()
    request = RequestFactory().get("/")
    request.session, request.user = store, staff
    record_authentication(request, staff, "mfa", type="totp")  # as tests.auth.pass_second_factor
    store.save()
    return {
        "session": store.session_key,
        "type_id": org_type.pk,
        "event_ids": event_ids,
        "task_rows": DBTaskResult.objects.count(),
    }


def verify_and_run(spec: dict) -> dict:
    """Right after the requests: the invitations and task rows they left. Then each batch's queued task run as the
    database worker runs it, timed, and the mail tasks it enqueued counted."""
    from django.db.models import Count
    from django_tasks_db.management.commands.db_worker import Worker
    from django_tasks_db.models import DBTaskResult
    from django_tasks_db.utils import exclusive_transaction

    from participants.models import Invitation, InvitationBatch
    from participants.tasks import queue_invitation_batch, send_invitation

    batch_tasks = DBTaskResult.objects.filter(task_path=queue_invitation_batch.module_path)
    mail_tasks = DBTaskResult.objects.filter(task_path=send_invitation.module_path)
    per_event = []
    for event_id, batch_id in zip(spec["event_ids"], spec["batch_ids"], strict=True):
        states = dict(
            Invitation.objects.filter(event_id=event_id).values_list("state").annotate(n=Count("pk")).order_by()
        )
        per_event.append(
            {
                "event_id": event_id,
                "batch_id": batch_id,
                "batches": InvitationBatch.objects.filter(event_id=event_id).count(),
                "invitations_by_state": states,
                "batch_tasks": batch_tasks.filter(args_kwargs__kwargs__batch_id=batch_id).count(),
            }
        )
    new_task_rows = DBTaskResult.objects.count() - spec["task_rows"]

    worker = Worker(
        queue_names=["*"],
        interval=0,
        batch=True,
        backend_name="default",
        startup_delay=False,
        max_tasks=None,
        worker_id="benchmark",
        excluded_queue_names=[],
    )
    for row in per_event:
        pending = batch_tasks.filter(args_kwargs__kwargs__batch_id=row["batch_id"]).ready()
        mail_rows_before = mail_tasks.count()
        started = time.perf_counter()
        with exclusive_transaction(DBTaskResult.objects.db):
            task_row = pending.get_locked()
            if task_row is not None:
                task_row.claim(worker.worker_id)
        if task_row is not None:
            worker.run_task(task_row)
        row["batch_task_s"] = time.perf_counter() - started
        if task_row is not None:
            task_row.refresh_from_db()
        row["batch_task_status"] = task_row.status if task_row else None
        row["batch_task_return"] = task_row.return_value if task_row else None
        ids = list(Invitation.objects.filter(batch_id=row["batch_id"]).values_list("pk", flat=True))
        row["mail_tasks"] = mail_tasks.filter(args_kwargs__kwargs__invitation_id__in=ids).count()
        row["mail_task_rows_added"] = mail_tasks.count() - mail_rows_before
    return {"per_event": per_event, "new_task_rows_after_requests": new_task_rows}


def _django_start(env: dict, function: str, argument: dict) -> subprocess.Popen:
    """``function(argument)`` in a fresh process with Django set up; ``_django_result`` waits for its answer."""
    code = (
        "import json, sys, django; django.setup(); "
        f"from benchmarks.invitations import {function}; "
        f"print(json.dumps({function}(json.loads(sys.argv[1]))))"
    )
    return subprocess.Popen(
        [sys.executable, "-c", code, json.dumps(argument)],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def _django_result(process: subprocess.Popen) -> dict:
    out, err = process.communicate()
    if process.returncode:
        raise subprocess.CalledProcessError(process.returncode, process.args, out, err)
    return json.loads(out.strip().splitlines()[-1])


# --- over HTTP -----------------------------------------------------------------------------------------------------


def _request(port: int, session: str, method: str, path: str, data: list[tuple[str, str]] | None = None):
    """One request on a new connection (gunicorn's sync workers close each one): status, Location, body, seconds."""
    headers = {"Cookie": f"sessionid={session}; csrftoken={CSRF}", "Host": "127.0.0.1"}
    body = None
    if data is not None:
        body = urlencode([("csrfmiddlewaretoken", CSRF), *data])
        headers["Content-Type"] = "application/x-www-form-urlencoded"
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
    started = time.perf_counter()
    connection.request(method, path, body, headers)
    response = connection.getresponse()
    content = response.read()
    elapsed = time.perf_counter() - started
    connection.close()
    return response.status, response.getheader("Location") or "", content.decode(), elapsed


def _invite(port: int, session: str, event_id: int, type_id: int) -> dict:
    """Preview, confirm and send to one event as staff do; the three requests timed."""
    path = f"/admin/participants/invitationbatch/praxisfachtag/{event_id}/einladen/"
    form = [("organisations", "on"), ("consents", "on"), ("organisation_types", str(type_id)), ("note", NOTE)]
    status = _request(port, session, "GET", path)[0]
    preview = _request(port, session, "POST", path, [*form, ("_preview", "1")])
    confirm = _request(port, session, "POST", path, [*form, ("_confirm", "1")])
    fields = dict(HIDDEN.findall(confirm[2]))
    count = re.search(r"Geht an ([\d.,]+) Adresse", preview[2])  # the count as shown (thousands separated or not)
    send = _request(port, session, "POST", path, [*form, *fields.items(), ("_send", "1")])
    batch = BATCH_PAGE.match(send[1])
    # Where the redirect leads staff: the batch with its figures and one row per invitation.
    landing = _request(port, session, "GET", send[1]) if batch else (None, "", "", 0.0)
    return {
        "page_status": status,
        "preview_status": preview[0],
        "preview_count": int(re.sub(r"\D", "", count.group(1))) if count else None,
        "preview_s": preview[3],
        "confirm_status": confirm[0],
        "confirm_s": confirm[3],
        # As the view reads it back: a plain integer, or nothing.
        "expected_count": int(fields["expected_count"]) if fields.get("expected_count", "").isdigit() else None,
        "send_status": send[0],
        "send_location": send[1],
        "send_s": send[3],
        "batch_id": int(batch.group(1)) if batch else None,
        "batch_page_status": landing[0],
        "batch_page_s": landing[3],
    }


def _figures(seconds: list[float]) -> dict:
    return {"median_ms": round(statistics.median(seconds) * 1000, 1), "max_ms": round(max(seconds) * 1000, 1)}


def run(args, *, prepared_env: dict | None = None) -> dict:
    recipients = getattr(args, "recipients", None) or 1000
    runs = getattr(args, "runs", None) or 7
    with tempfile.TemporaryDirectory() as static_root:
        env = dict(prepared_env or bench_env(Path(static_root)))
        env["KOKPORTAL_TASK_BACKEND"] = "django_tasks_db.DatabaseBackend"  # as in production: the request enqueues
        if prepared_env is None:
            prepare_database(env)
        # The data is prepared while gunicorn starts (both set Django up; nothing is timed yet).
        preparing = _django_start(env, "prepare", {"recipients": recipients, "events": runs + 1})
        with ExitStack() as stack:
            stack.callback(lambda: preparing.poll() is None and preparing.kill())  # when gunicorn fails to start
            server = stack.enter_context(Gunicorn(env, workers=1))
            setup = _django_result(preparing)
            session, type_id = setup["session"], setup["type_id"]
            # The first invitation warms the worker up (imports, database connection, templates): not counted.
            rounds = [_invite(server.port, session, event_id, type_id) for event_id in setup["event_ids"]]
        checked = _django_result(
            _django_start(
                env,
                "verify_and_run",
                {
                    "event_ids": setup["event_ids"],
                    "batch_ids": [r["batch_id"] for r in rounds],
                    "task_rows": setup["task_rows"],
                },
            )
        )
    counted = rounds[1:]
    background = [row["batch_task_s"] for row in checked["per_event"][1:]]
    return {
        "benchmark": "invitations",
        "machine": machine(),
        "gunicorn_workers": 1,
        "recipients": recipients,
        "runs": runs,
        "send_request": _figures([r["send_s"] for r in counted]),
        "preview_request": _figures([r["preview_s"] for r in counted]),
        "confirm_request": _figures([r["confirm_s"] for r in counted]),
        "batch_page_after_redirect": _figures([r["batch_page_s"] for r in counted]),
        "batch_task": _figures(background),
        "warm_up": {
            "send_ms": round(rounds[0]["send_s"] * 1000, 1),
            "preview_ms": round(rounds[0]["preview_s"] * 1000, 1),
            "batch_task_ms": round(checked["per_event"][0]["batch_task_s"] * 1000, 1),
        },
        "requests": [{k: v for k, v in r.items() if not k.endswith("_s")} for r in rounds],
        "checks": {
            "new_task_rows_after_requests": checked["new_task_rows_after_requests"],
            "per_event": [{k: v for k, v in row.items() if k != "batch_task_s"} for row in checked["per_event"]],
        },
    }


def correctness(result: dict) -> list[str]:
    """What must hold whatever the speed: every send answered a redirect to its batch, left exactly ``recipients``
    queued invitations and one task; that task enqueued one mail task per invitation."""
    n, problems = result["recipients"], []
    for request in result["requests"]:
        if (request["page_status"], request["preview_status"], request["confirm_status"]) != (200, 200, 200):
            problems.append(
                f"invitations: page, preview, confirm answered {request['page_status']}, "
                f"{request['preview_status']}, {request['confirm_status']}"
            )
        if request["preview_count"] != n or request["expected_count"] != n:
            problems.append(
                f"invitations: preview counted {request['preview_count']}, confirmation "
                f"{request['expected_count']} of {n} addresses"
            )
        if request["send_status"] != 302 or request["batch_id"] is None:
            problems.append(
                f"invitations: send answered {request['send_status']} {request['send_location']!r}, "
                "not a redirect to the batch page"
            )
        elif request["batch_page_status"] != 200:
            problems.append(f"invitations: {request['send_location']} answered {request['batch_page_status']}")
    sends, enqueued = len(result["requests"]), result["checks"]["new_task_rows_after_requests"]
    if enqueued != sends:
        problems.append(f"invitations: {sends} sends enqueued {enqueued} tasks, not one each")
    for row in result["checks"]["per_event"]:
        where = f"invitations (event {row['event_id']})"
        if row["invitations_by_state"] != {QUEUED: n} or row["batches"] != 1:
            problems.append(f"{where}: {row['batches']} batches, invitations by state {row['invitations_by_state']}")
        if row["batch_tasks"] != 1:
            problems.append(f"{where}: {row['batch_tasks']} queue_invitation_batch tasks, not 1")
        if row["batch_task_status"] != "SUCCESSFUL" or row["batch_task_return"] != n:
            problems.append(f"{where}: batch task {row['batch_task_status']}, returned {row['batch_task_return']}")
        if row["mail_tasks"] != n or row["mail_task_rows_added"] != n:
            problems.append(f"{where}: {row['mail_tasks']} send_invitation tasks queued, not {n}")
    return problems
