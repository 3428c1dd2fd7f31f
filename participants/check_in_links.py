"""The signed check-in link on a person's badge.

The link names the event (its slug) and carries a token: the registration id signed with the secret key and a salt
of its own (``django.core.signing``), nothing personal. Anyone can read the id, nobody can make a valid token for
another id; a forged or altered token, or a token for a registration of another event, answers 404
(``registration_for_token``). Who may open a valid link is ``permissions.may_run_check_in``.
"""

from __future__ import annotations

from django.conf import settings
from django.core import signing
from django.http import Http404
from django.urls import reverse

from .models import Registration

SALT = "kokportal.participants.check-in"
# "." is not part of the signature's alphabet and needs no escaping in a URL or a QR code.
_signer = signing.Signer(salt=SALT, sep=".")


def check_in_token(registration: Registration) -> str:
    return _signer.sign(str(registration.pk))


def check_in_path(registration: Registration, *, event_slug: str | None = None) -> str:
    slug = event_slug or registration.event.slug
    return reverse("participants:check_in_link", kwargs={"slug": slug, "token": check_in_token(registration)})


def check_in_url(registration: Registration, *, event_slug: str | None = None) -> str:
    """The absolute link (KOKPORTAL_SITE_URL), for the QR code a phone camera opens."""
    return settings.SITE_URL + check_in_path(registration, event_slug=event_slug)


def registration_id_from_token(token: str) -> int | None:
    try:
        value = _signer.unsign(token)
    except signing.BadSignature:
        return None
    return int(value) if value.isdigit() else None


def registration_for_token(*, event, token: str) -> Registration:
    """The registration a badge's token names, if the token is genuine and the registration belongs to ``event``;
    Http404 otherwise (forged, altered, another event's badge, anonymised since)."""
    registration_id = registration_id_from_token(token)
    if registration_id is None:
        raise Http404
    registration = (
        Registration.objects.select_related("event", "organisation", "organisation_type")
        .filter(pk=registration_id, event=event, anonymised_at__isnull=True)
        .first()
    )
    if registration is None:
        raise Http404
    return registration
