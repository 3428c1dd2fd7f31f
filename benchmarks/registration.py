"""Registration under load: many clients registering distinct people for one event over HTTP.

gunicorn (several workers) serves the portal on loopback with production settings; ``--clients``
threads post the real registration form for ``--people`` distinct, logged-in people (sessions are
created up front, so login is not measured). Seats: 200 for counselling centres and 100 for BAMF
officers, 300 in total, so part of the people end on the waiting list. Afterwards the database is
checked: no registration lost, no type over its quota (the overbooking count must be 0).
"""

from __future__ import annotations

import http.client
import json
import queue
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from urllib.parse import urlencode

from benchmarks.common import ROOT, Gunicorn, bench_env, machine, prepare_database

SLUG = "benchmark-registrierung"
CSRF = "benchmarkCsrfTokenBenchmarkCsrf3"
WARM_UP = 30  # 32 characters, as Django's CSRF secret


def prepare(people: int) -> dict:
    """Runs inside Django (bench settings): the event and ``people`` logged-in sessions."""
    import datetime as dt

    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore
    from django.utils import timezone

    from events.models import Event, Organisation, OrganisationType, Quota
    from kokportal.models import User
    from participants.models import Registration

    fbs = OrganisationType.objects.get(slug="fachberatungsstelle")
    bamf = OrganisationType.objects.get(slug="bamf")
    now = timezone.now()
    event, _ = Event.objects.update_or_create(
        slug=SLUG,
        defaults={
            "title": "Benchmark: Praxisfachtag",
            "reach": "national",
            "status": "published",
            "date": timezone.localdate() + dt.timedelta(days=60),
            "start_time": dt.time(10),
            "end_time": dt.time(16),
            "venue_name": "Tagungshaus",
            "venue_city": "Berlin",
            "federal_state": "BE",
            "capacity": 300,
            "registration_opens": now - dt.timedelta(days=1),
            "registration_closes": now + dt.timedelta(days=30),
        },
    )
    event.invited_types.set([fbs, bamf])
    Quota.objects.update_or_create(event=event, organisation_type=fbs, defaults={"seats": 200})
    Quota.objects.update_or_create(event=event, organisation_type=bamf, defaults={"seats": 100})
    Registration.objects.filter(event=event).delete()
    organisations = {t.pk: Organisation.objects.filter(organisation_type=t).order_by("pk").first() for t in (fbs, bamf)}
    sessions = []
    for i in range(people):
        user, _ = User.objects.get_or_create(email=f"bench-{i:04d}@example.org")
        store = SessionStore()
        store[SESSION_KEY] = str(user.pk)
        store[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
        store[HASH_SESSION_KEY] = user.get_session_auth_hash()
        store.create()
        org_type = fbs if i % 3 else bamf  # two thirds counselling centres, one third BAMF
        sessions.append(
            {"session": store.session_key, "type": org_type.pk, "organisation": organisations[org_type.pk].pk}
        )
    return {"event_id": event.pk, "sessions": sessions}


def verify(event_id: int) -> dict:
    from events.models import Event
    from participants.enums import RegistrationStatus
    from participants.models import Registration
    from participants.selectors import event_availability

    event = Event.objects.get(pk=event_id)
    registrations = Registration.objects.filter(event=event)
    statuses = {s: registrations.filter(status=s).count() for s in RegistrationStatus.values}
    availability = event_availability(event)
    overbooked = sum(max(0, s.holding - s.quota) for s in availability.by_type.values() if s.quota is not None)
    overbooked += max(0, availability.total_holding - (event.capacity or availability.total_holding))
    return {"registrations": registrations.count(), "statuses": statuses, "overbooking": overbooked}


def _django_call(env: dict, function: str, argument) -> dict:
    code = (
        "import json, sys, django; django.setup(); "
        f"from benchmarks.registration import {function}; "
        f"print(json.dumps({function}({argument!r})))"
    )
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, check=True, capture_output=True, text=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def run(args, *, prepared_env: dict | None = None) -> dict:
    with tempfile.TemporaryDirectory() as static_root:
        env = dict(prepared_env or bench_env(Path(static_root)))
        env["KOKPORTAL_TASK_BACKEND"] = "django_tasks_db.DatabaseBackend"  # as in production: mails queued
        if prepared_env is None:
            prepare_database(env)
        setup = _django_call(env, "prepare", args.people + WARM_UP)
        warm_up, people = setup["sessions"][:WARM_UP], setup["sessions"][WARM_UP:]
        work: queue.Queue = queue.Queue()
        for person in people:
            work.put(person)
        latencies: list[float] = []
        failures: list[int] = []
        lock = threading.Lock()
        with Gunicorn(env, workers=args.workers) as server:
            port = server.port
            # Warm every worker up (imports, database connection) with the form page, as the page
            # benchmark does; these people only look at the form and are not counted.
            for person in warm_up:
                connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
                connection.request(
                    "GET",
                    f"/praxisfachtage/{SLUG}/anmelden/",
                    headers={"Cookie": f"sessionid={person['session']}", "Host": "127.0.0.1"},
                )
                connection.getresponse().read()
                connection.close()

            def client() -> None:
                connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
                while True:
                    try:
                        person = work.get_nowait()
                    except queue.Empty:
                        return
                    body = urlencode(
                        {
                            "csrfmiddlewaretoken": CSRF,
                            "first_name": "Bench",
                            "last_name": "Person",
                            "organisation_type": person["type"],
                            "organisation": person["organisation"],
                            "function": "Beraterin",
                            "federal_state": "BE",
                            "privacy_consent": "on",
                        }
                    )
                    headers = {
                        "Content-Type": "application/x-www-form-urlencoded",
                        "Cookie": f"sessionid={person['session']}; csrftoken={CSRF}",
                        "Host": "127.0.0.1",
                    }
                    started = time.perf_counter()
                    connection.request("POST", f"/praxisfachtage/{SLUG}/anmelden/", body, headers)
                    response = connection.getresponse()
                    response.read()
                    elapsed = time.perf_counter() - started
                    with lock:
                        latencies.append(elapsed)
                        if response.status != 302:
                            failures.append(response.status)

            threads = [threading.Thread(target=client) for _ in range(args.clients)]
            started = time.perf_counter()
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join()
            wall = time.perf_counter() - started
        result = _django_call(env, "verify", setup["event_id"])
    latencies.sort()
    return {
        "benchmark": "registration",
        "machine": machine(),
        "gunicorn_workers": args.workers,
        "clients": args.clients,
        "people": args.people,
        "seconds": round(wall, 2),
        "registrations_per_second": round(len(latencies) / wall, 1),
        "p50_ms": round(statistics.median(latencies) * 1000, 1),
        "p95_ms": round(latencies[int(len(latencies) * 0.95) - 1] * 1000, 1),
        "http_failures": len(failures),
        **result,
    }


def correctness(result: dict) -> list[str]:
    """What must hold whatever the speed: every registration stored, no HTTP failure, no overbooking."""
    problems = []
    if result["registrations"] != result["people"]:
        problems.append(f"registration: {result['registrations']} of {result['people']} registrations stored")
    if result["http_failures"]:
        problems.append(f"registration: {result['http_failures']} HTTP failures")
    if result["overbooking"]:
        problems.append(f"registration: overbooked by {result['overbooking']} seats")
    return problems
