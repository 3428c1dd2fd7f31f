"""Writes for events."""

from __future__ import annotations

from django.db import transaction
from django.utils.text import slugify
from django.utils.translation import gettext as _

from .enums import EventStatus
from .models import Event, ProgrammeItem, Quota


def _free_slug(base: str) -> str:
    base = slugify(base)[:100] or "praxisfachtag"
    candidate, n = base, 2
    while Event.objects.filter(slug=candidate).exists():
        candidate = f"{base}-{n}"
        n += 1
    return candidate


@transaction.atomic
def event_copy_as_draft(*, event: Event) -> Event:
    """Copy an event with its programme, quotas, invited types and co-organisers as a new draft.

    The series repeats every year, so staff start from last year's event. Registrations, dates of the
    registration window, access data and the documentation texts are not copied.
    """
    copy = Event.objects.get(pk=event.pk)
    copy.pk = None
    copy.id = None
    copy._state.adding = True
    copy.title = _("%(title)s (Kopie)") % {"title": event.title}
    copy.slug = _free_slug(f"{event.slug}-kopie")
    copy.status = EventStatus.DRAFT
    copy.registration_opens = None
    copy.registration_closes = None
    copy.cancellation_deadline = None
    copy.online_access = ""
    copy.summary = ""
    copy.outcomes = ""
    copy.save()
    copy.co_organisers.set(event.co_organisers.all())
    copy.invited_types.set(event.invited_types.all())
    ProgrammeItem.objects.bulk_create(
        ProgrammeItem(
            event=copy,
            start=item.start,
            end=item.end,
            kind=item.kind,
            title=item.title,
            speakers=item.speakers,
            description=item.description,
        )
        for item in event.programme.all()
    )
    Quota.objects.bulk_create(
        Quota(event=copy, organisation_type_id=q.organisation_type_id, seats=q.seats) for q in event.quotas.all()
    )
    return copy
