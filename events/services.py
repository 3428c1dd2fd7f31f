"""Writes for events."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone
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


def next_edition_date(date: dt.date, *, today: dt.date) -> dt.date:
    """The same day of the month one year on, or as many years on as it takes to lie after ``today`` (a copy of
    an event from 2020 made in 2026 is for 2027, not for a day long past). 29 February becomes 28 February."""
    years = max(1, today.year - date.year)
    while _years_on(date, years) <= today:
        years += 1
    return _years_on(date, years)


def _years_on(date: dt.date, years: int) -> dt.date:
    try:
        return date.replace(year=date.year + years)
    except ValueError:  # 29 February in a year without it
        return date.replace(year=date.year + years, day=28)


def _days_on(moment: dt.datetime | None, days: int) -> dt.datetime | None:
    """``moment`` moved by whole days at the same local time (09:00 stays 09:00 across a change of summer time)."""
    if moment is None:
        return None
    local = timezone.localtime(moment)
    return timezone.make_aware(dt.datetime.combine(local.date() + dt.timedelta(days=days), local.time()))


@transaction.atomic
def event_copy_as_draft(*, event: Event, today: dt.date | None = None) -> Event:
    """Copy an event with its programme, quotas, invited types and co-organisers as a new draft for the next
    edition.

    The series repeats every year, so staff start from last year's event. The date moves a year on (further when
    that is still not after ``today``, see ``next_edition_date``; the weekday may differ, staff adjust it), and the
    registration window and cancellation deadline move with it by the same number of days, so their distance to
    the day stays as it was. A draft is not public, so these dates are a proposal to check, never a published
    promise. Registrations, access data and the documentation texts are not copied.
    """
    today = today or timezone.localdate()
    date = next_edition_date(event.date, today=today)
    shift = (date - event.date).days
    copy = Event.objects.get(pk=event.pk)
    copy.pk = None
    copy.id = None
    copy._state.adding = True
    copy.title = _("%(title)s (Kopie)") % {"title": event.title}
    copy.slug = _free_slug(f"{event.slug}-kopie")
    copy.status = EventStatus.DRAFT
    copy.date = date
    copy.registration_opens = _days_on(event.registration_opens, shift)
    copy.registration_closes = _days_on(event.registration_closes, shift)
    copy.cancellation_deadline = _days_on(event.cancellation_deadline, shift)
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
