"""Retries of background tasks (mails)."""

import datetime as dt
import logging
from collections.abc import Callable

from django.db import transaction
from django.utils import timezone
from django_tasks import DEFAULT_TASK_BACKEND_ALIAS, task_backends

logger = logging.getLogger(__name__)


MAX_ATTEMPTS = 6


def enqueue_attempt(task, *, attempt: int, log_extra: dict, **kwargs) -> None:
    """Enqueue ``task`` for its ``attempt``-th try: later tries wait 2, 4, 8 ... minutes where the backend
    can defer work. A failing queue is logged and swallowed: it must never undo the business change."""
    try:
        if attempt > 1 and task.get_backend().supports_defer:
            task = task.using(run_after=timezone.now() + dt.timedelta(minutes=2 ** (attempt - 1)))
        task.enqueue(attempt=attempt, **kwargs)
    except Exception:
        logger.exception("could not enqueue task", extra=log_extra)


def retry_possible(*, attempt: int) -> bool:
    """Whether ``retry_later`` will try again after the ``attempt``-th failed try."""
    return attempt < MAX_ATTEMPTS and task_backends[DEFAULT_TASK_BACKEND_ALIAS].supports_defer


def retry_later(enqueue_next: Callable[[int], None], *, attempt: int) -> None:
    """After a failed attempt, enqueue the next one (after commit) while attempts are left and the backend
    can defer work; the immediate backend of development and tests does not retry."""
    if retry_possible(attempt=attempt):
        transaction.on_commit(lambda: enqueue_next(attempt + 1))
