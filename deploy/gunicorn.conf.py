"""gunicorn settings for kokportal (used by deploy/systemd/kokportal-web.service).

Workers are processes (sync), one per core plus one: the portal is CPU-bound (template rendering, the ORM)
and bookings of one event queue on its row lock, so more workers only add contention. On 2 cores, 3 workers
registered 143-167 people/s at p95 333-408 ms, 5 workers 106-123/s at p95 462-654 ms (benchmarks/README.md).
Requests are short; anything long (mails, PDFs for batch publishing) runs in the task worker or a command.
"""

import multiprocessing
import os

bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
# Several processes: allauth's rate limits and the page cache need a cache shared by all of them (CACHE_URL=redis://…);
# `manage.py check --deploy` warns otherwise, computing the worker count the same way (kokportal/checks.py).
workers = int(os.environ.get("GUNICORN_WORKERS", multiprocessing.cpu_count() + 1))
worker_class = "sync"
timeout = 30
graceful_timeout = 30
keepalive = 5
# Recycle workers now and then, so a slow leak in a C library (e.g. PDF rendering) cannot grow forever.
max_requests = 2000
max_requests_jitter = 200
# Access log without query strings and without client addresses in the message (privacy); the proxy logs.
# The logger masks secret path segments (the personal feedback link /rueckmeldung/<token>/, password reset keys)
# as *** in the access and the error log and JSON-escapes every value (kokportal/gunicorn_logging.py).
accesslog = "-"
access_log_format = '{"method": "%(m)s", "path": "%(U)s", "status": %(s)s, "duration_ms": %(M)s}'
logger_class = "kokportal.gunicorn_logging.PrivacyLogger"
errorlog = "-"
loglevel = os.environ.get("GUNICORN_LOG_LEVEL", "info")
forwarded_allow_ips = os.environ.get("GUNICORN_FORWARDED_ALLOW_IPS", "127.0.0.1")
proc_name = "kokportal"
