"""Queueing background work so that it never runs for a transaction that is rolled back."""

from collections.abc import Callable

from django.db import transaction
from django_tasks import DEFAULT_TASK_BACKEND_ALIAS, task_backends


def backend_is_transactional() -> bool:
    """The database backend stores a task as a row: written inside the transaction, it is committed or
    rolled back together with the business change (and saves a second commit on the hot booking path)."""
    return type(task_backends[DEFAULT_TASK_BACKEND_ALIAS]).__module__.startswith("django_tasks_db")


def queue_in_transaction(enqueue: Callable[[], None]) -> None:
    """Enqueue now when the task backend is part of the database transaction, else after commit."""
    if backend_is_transactional():
        enqueue()
    else:
        transaction.on_commit(enqueue)
