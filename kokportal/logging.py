"""JSON log formatter and the masking of secret URL segments.

Only the message, level, logger and time are written, plus an explicit allow-list of extra fields.
Request objects, POST data and other attributes that may carry personal data or case texts are never
serialised, so a log line cannot leak what a participant typed. Secret path segments (personal feedback
links, password reset keys) are masked in every message (``MaskSecretsFilter`` on the console handler; Django
logs ``Internal Server Error: <path>``), and gunicorn's logger (kokportal.gunicorn_logging) uses the same
patterns. Imports nothing from Django: gunicorn loads it before Django.
"""

import json
import logging
import re
import traceback
from datetime import UTC, datetime

MASK = "***"

# Path segments that are secrets. The feedback token has 32-128 characters (casework/feedback/urls.py), so the
# short siblings danke/ and auswertung/ stay readable; allauth's reset key is everything after key/ but done/.
# The raw request URI may be percent-encoded, hence ``%`` in the character classes.
SECRET_PATH_SEGMENTS = (
    re.compile(r"(/rueckmeldung/)[A-Za-z0-9_%-]{32,}"),
    re.compile(r"(/password/reset/key/)(?!done(?:/|$))[^/?#\s\"]+"),
    re.compile(r"(/confirm-email/)[^/?#\s\"]+"),  # allauth's e-mail confirmation by link (off: codes are used)
    # A certificate's verification code leads to a person's name (participants:certificate_verify).
    re.compile(r"(/bescheinigung/)[^/?#\s\"]+"),
    re.compile(r"(/check-in/k/)[^/?#\s\"]+"),  # the signed check-in link on a badge (participants.check_in_links)
    # A personal invitation's link (participants.invitations): it registers with an invitation and stops them.
    re.compile(r"(/einladung/)[^/?#\s\"]+"),
    # A speaker's personal link (events.speakers): confirm, edit the biography, consent.
    re.compile(r"(/referierende/)[^/?#\s\"]+"),
)


def mask_secrets(value: str) -> str:
    """``value`` with every secret path segment replaced by ``***``."""
    for pattern in SECRET_PATH_SEGMENTS:
        value = pattern.sub(rf"\g<1>{MASK}", value)
    return value


class MaskSecretsFilter(logging.Filter):
    """Replace secret path segments in the formatted message of every record (never drops a record)."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        masked = mask_secrets(message)
        if masked != message:
            record.msg, record.args = masked, ()
        return True


SAFE_EXTRA_FIELDS = ("event_id", "registration_id", "task_id", "status_code", "duration_ms", "count", "kind")


class JSONFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        payload = {
            "time": datetime.fromtimestamp(record.created, tz=UTC).isoformat(),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        for field in SAFE_EXTRA_FIELDS:
            if hasattr(record, field):
                payload[field] = getattr(record, field)
        if record.exc_info and record.exc_info[0] is not None:
            # The exception type and traceback frames, not the exception's message or local values,
            # because messages of database errors can quote row values.
            payload["exception"] = record.exc_info[0].__name__
            payload["traceback"] = [
                f"{frame.filename}:{frame.lineno} in {frame.name}" for frame in traceback.extract_tb(record.exc_info[2])
            ]
        return json.dumps(payload, ensure_ascii=False)
