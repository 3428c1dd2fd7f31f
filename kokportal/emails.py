"""The one form in which the portal stores and compares e-mail addresses.

allauth looks accounts up by the lower-cased address, so an address stored with capitals could never log in
by code, and a second sign-up in other capitals ran into the case-insensitive unique constraint. Every path
that writes an address (the User manager and model, admin forms, allauth's adapter, registrations, the data
migration) goes through ``normalise_email``; the database refuses anything else (``user_email_normalised``).
"""

from __future__ import annotations


def normalise_email(value: str | None) -> str:
    """The address without surrounding whitespace and in lower case, local part included.

    Lower-casing the local part is what allauth does too; mail servers that distinguish case there are
    practically extinct, and one person must not get two accounts by typing a capital letter.
    """
    return (value or "").strip().lower()
