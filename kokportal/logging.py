"""JSON log formatter.

Only the message, level, logger and time are written, plus an explicit allow-list of extra fields.
Request objects, POST data and other attributes that may carry personal data or case texts are never
serialised, so a log line cannot leak what a participant typed.
"""

import json
import logging
import traceback
from datetime import UTC, datetime

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
