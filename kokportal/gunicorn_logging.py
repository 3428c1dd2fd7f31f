"""gunicorn's logger for kokportal: secret path segments never reach the logs (deploy/gunicorn.conf.py).

Some URLs carry a secret: the personal feedback link ``/rueckmeldung/<token>/`` (logged next to the time of the
answer it would tie the anonymous answer to a person) and allauth's password reset link
``/konto/password/reset/key/<uidb36>-<key>/``, the verification link of a certificate of attendance
``/bescheinigung/<code>/`` (it leads to a person's name) and a personal invitation's link ``/einladung/<token>/``.
The logger replaces such segments with ``***`` in every value it logs (path, request line, environ and header values
such as the Referer, which carries the feedback link on the thanks page), before the access line is formatted, and
in the messages of the error log (``Error handling request <uri>``). Every string value is JSON-escaped, so the JSON
access line stays valid whatever the path contains.

This module is loaded by gunicorn before Django: it imports nothing from Django (kokportal.logging neither).
"""

from __future__ import annotations

import json

from gunicorn.glogging import Logger

from kokportal.logging import MASK, SECRET_PATH_SEGMENTS, mask_secrets  # noqa: F401 - re-exported for tests


class JSONSafeAtoms(dict):
    """gunicorn's ``SafeAtoms`` for a JSON ``access_log_format``: string values are JSON-escaped (quotes,
    backslashes, control characters), unknown atoms are ``-``, ``{header}i`` look-ups ignore case."""

    def __init__(self, atoms: dict) -> None:
        super().__init__()
        for key, value in atoms.items():
            self[key] = json.dumps(value)[1:-1] if isinstance(value, str) else value

    def __getitem__(self, key: str):
        if key.startswith("{"):
            key = key.lower()
        return super().__getitem__(key) if key in self else "-"


class PrivacyLogger(Logger):
    """gunicorn's logger with secret path segments masked in the access and the error log."""

    atoms_wrapper_class = JSONSafeAtoms

    def atoms(self, resp, req, environ, request_time) -> dict:
        atoms = super().atoms(resp, req, environ, request_time)
        return {key: mask_secrets(value) if isinstance(value, str) else value for key, value in atoms.items()}

    def log(self, lvl, msg, *args, **kwargs) -> None:
        super().log(lvl, *_masked(msg, args), **kwargs)

    def critical(self, msg, *args, **kwargs) -> None:
        super().critical(*_masked(msg, args), **kwargs)

    def error(self, msg, *args, **kwargs) -> None:
        super().error(*_masked(msg, args), **kwargs)

    def warning(self, msg, *args, **kwargs) -> None:
        super().warning(*_masked(msg, args), **kwargs)

    def info(self, msg, *args, **kwargs) -> None:
        super().info(*_masked(msg, args), **kwargs)

    def debug(self, msg, *args, **kwargs) -> None:
        super().debug(*_masked(msg, args), **kwargs)

    def exception(self, msg, *args, **kwargs) -> None:
        super().exception(*_masked(msg, args), **kwargs)


def _masked(msg, args: tuple) -> tuple:
    return tuple(mask_secrets(v) if isinstance(v, str) else v for v in (msg, *args))
