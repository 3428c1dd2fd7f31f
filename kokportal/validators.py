"""Length limits of the free texts people submit, checked in forms, in model validation and in the database.

A ``TextField`` has no length check of its own (its ``max_length`` only reaches the form widget), so each
free-text column gets ``MaxTextLengthValidator`` on the model, a form field built with ``max_length`` and
``TEXT_LENGTH_ERROR_MESSAGES``, and a ``text_length_constraint`` in the database.

Also the one reading of a number posted with a button (an id, an expected count): ``int_or_none``.
"""

from __future__ import annotations

from django.core.validators import MaxLengthValidator
from django.db import models
from django.db.models.functions import Length
from django.db.models.lookups import LessThanOrEqual
from django.utils.deconstruct import deconstructible
from django.utils.translation import gettext_lazy as _

TEXT_TOO_LONG = _(
    "Der Text ist zu lang: höchstens %(limit_value)d Zeichen, Ihr Text hat %(show_value)d Zeichen. "
    "Bitte kürzen Sie ihn."
)

# For form fields built with ``max_length``: Django's own MaxLengthValidator raises the code "max_length",
# and a field's error message for that code replaces the validator's.
TEXT_LENGTH_ERROR_MESSAGES = {"max_length": TEXT_TOO_LONG}


@deconstructible(path="kokportal.validators.MaxTextLengthValidator")
class MaxTextLengthValidator(MaxLengthValidator):
    """``MaxLengthValidator`` with the portal's message (migrations store only the limit)."""

    message = TEXT_TOO_LONG


def text_length_constraint(field: str, limit: int, *, name: str) -> models.CheckConstraint:
    """A database check that ``field`` holds at most ``limit`` characters."""
    return models.CheckConstraint(condition=LessThanOrEqual(Length(field), limit), name=name)


def _normalised_newlines(to_python):
    def wrapper(value):
        value = to_python(value)
        return value.replace("\r\n", "\n").replace("\r", "\n") if isinstance(value, str) else value

    return wrapper


def limit_char_fields(form) -> None:
    """Give every length-limited text field of ``form`` the portal's message for too long a text, and count a
    line break as one character, as the browser's ``maxlength`` does (browsers send it as CR LF)."""
    for field in form.fields.values():
        if getattr(field, "max_length", None) is not None:
            field.error_messages.update(TEXT_LENGTH_ERROR_MESSAGES)
            field.to_python = _normalised_newlines(field.to_python)


def int_or_none(value) -> int | None:
    """A posted number (an id, an expected count) as int, or None when it is missing or not a number."""
    try:
        return int(value)
    except (TypeError, ValueError):
        return None
