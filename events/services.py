"""Writes for events."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from kokportal.errors import DomainError
from kokportal.images import ImageInvalid, image_to_small_png
from kokportal.pagecache import public_pages_changed

from .enums import EventStatus, QuestionKind
from .materials import materials_copy
from .models import (
    Event,
    EventQuestion,
    Organisation,
    OrganisationType,
    ProgrammeItem,
    ProgrammeItemSpeaker,
    Project,
    Quota,
    option_lines,
)


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
    promise. Registrations, access data and the documentation texts are not copied. Materials are copied by
    reference: the copy's materials share the stored files. The speakers named in the programme are copied, their
    invitations are not.
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
    copy.end_date = event.end_date + dt.timedelta(days=shift) if event.end_date else None
    copy.registration_opens = _days_on(event.registration_opens, shift)
    copy.registration_closes = _days_on(event.registration_closes, shift)
    copy.cancellation_deadline = _days_on(event.cancellation_deadline, shift)
    copy.online_access = ""
    copy.summary = ""
    copy.outcomes = ""
    copy.review_published_at = None
    # A copy is a new, real event, even when staff start from a demo event.
    copy.is_example = False
    # The next edition usually lies after the project's period: then it belongs to no project until staff say so.
    project = copy.project
    if project is not None and not (project.starts_on <= copy.date <= copy.last_date <= project.ends_on):
        copy.project = None
    copy.save()
    copy.co_organisers.set(event.co_organisers.all())
    copy.invited_types.set(event.invited_types.all())
    items = list(event.programme.order_by("day", "start", "pk").prefetch_related("speaker_links"))
    item_copies = ProgrammeItem.objects.bulk_create(
        ProgrammeItem(
            event=copy,
            day=item.day,
            start=item.start,
            end=item.end,
            kind=item.kind,
            title=item.title,
            speakers=item.speakers,
            description=item.description,
        )
        for item in items
    )
    # The speakers stay named in their items (their invitations, answers and deadlines belong to the old event).
    ProgrammeItemSpeaker.objects.bulk_create(
        ProgrammeItemSpeaker(programme_item=copied, speaker_id=link.speaker_id, position=link.position)
        for item, copied in zip(items, item_copies, strict=True)
        for link in item.speaker_links.all()
    )
    # The materials refer to the same stored files (by reference, not copied bytes), each on the copy of its
    # programme item (the copies are made in the programme's order).
    materials_copy(
        source=event,
        target=copy,
        items={item.pk: item_copy for item, item_copy in zip(items, item_copies, strict=True)},
    )
    Quota.objects.bulk_create(
        Quota(event=copy, organisation_type_id=q.organisation_type_id, seats=q.seats) for q in event.quotas.all()
    )
    _questions_copy(source=event, target=copy)
    return copy


# --- an event's own questions on its registration form ----------------------------------------------------------


class QuestionChangeRefused(DomainError):
    default_message = gettext_lazy("Diese Änderung der Frage ist nicht möglich.")
    answered_delete_message = gettext_lazy(
        "Die Frage ist schon beantwortet und kann nicht gelöscht werden. Sie können sie umformulieren."
    )


_QUESTION_FIELDS = (
    "position",
    "kind",
    "text",
    "text_en",
    "help_text",
    "help_text_en",
    "options",
    "options_en",
    "required",
    "min_value",
    "max_value",
)


def _questions_copy(*, source: Event, target: Event) -> None:
    """The questions (not the answers) of ``source`` for ``target``, with their organisation types."""
    questions = list(source.questions.prefetch_related("organisation_types"))
    copies = EventQuestion.objects.bulk_create(
        EventQuestion(event=target, **{field: getattr(q, field) for field in _QUESTION_FIELDS}) for q in questions
    )
    Through = EventQuestion.organisation_types.through
    Through.objects.bulk_create(
        Through(eventquestion_id=copy.pk, organisationtype_id=t.pk)
        for question, copy in zip(questions, copies, strict=True)
        for t in question.organisation_types.all()
    )


def question_change_refusal(question: EventQuestion) -> str | None:
    """Why this (unsaved) change of an answered question is not allowed, or None.

    The answers store the kind's value and the chosen options by position, so once a question is answered its
    kind stays, and its options may only get new ones at the end (the wording of the question, its help text,
    English texts, whether it is required and for which types may change; the existing options' wording only
    in the English column). Unanswered questions may change in every way."""
    if question.pk is None:
        return None
    stored = EventQuestion.objects.filter(pk=question.pk).first()
    if stored is None or not stored.answers.exists():
        return None
    if question.kind != stored.kind:
        return _("Die Frage ist schon beantwortet; ihre Art kann nicht mehr geändert werden.")
    old, new = option_lines(stored.options), option_lines(question.options)
    if new[: len(old)] != old:
        return _(
            "Die Frage ist schon beantwortet; vorhandene Antwortmöglichkeiten können nicht mehr entfernt, umbenannt "
            "oder umsortiert werden. Neue können am Ende hinzukommen."
        )
    return None


def question_check(question: EventQuestion) -> None:
    """Raise QuestionChangeRefused when ``question`` (unsaved) breaks a rule."""
    if question.kind in QuestionKind.with_options() and not option_lines(question.options):
        raise QuestionChangeRefused(_("Eine Auswahlfrage braucht mindestens eine Antwortmöglichkeit."))
    if question.kind not in QuestionKind.with_options() and (question.options.strip() or question.options_en.strip()):
        raise QuestionChangeRefused(_("Antwortmöglichkeiten gibt es nur bei Auswahlfragen."))
    if question.kind != QuestionKind.NUMBER and (question.min_value is not None or question.max_value is not None):
        raise QuestionChangeRefused(_("Kleinste und größte Zahl gibt es nur bei Zahlenfragen."))
    if question.min_value is not None and question.max_value is not None and question.min_value > question.max_value:
        raise QuestionChangeRefused(_("Die kleinste Zahl ist größer als die größte."))
    refusal = question_change_refusal(question)
    if refusal:
        raise QuestionChangeRefused(refusal)


@transaction.atomic
def event_question_save(
    *, question: EventQuestion, organisation_types: list[OrganisationType] | None = None
) -> EventQuestion:
    """Create or change a question of an event's registration form (the admin's inline on the event). The options
    are stored one per line without blank lines."""
    question.options = "\n".join(option_lines(question.options))
    question.options_en = "\n".join(option_lines(question.options_en))
    question_check(question)
    question.save()
    if organisation_types is not None:
        question.organisation_types.set(organisation_types)
    return question


@transaction.atomic
def event_question_delete(*, question: EventQuestion) -> None:
    """Delete a question nobody has answered yet (answers are kept with their registrations until retention)."""
    if question.answers.exists():
        raise QuestionChangeRefused(QuestionChangeRefused.answered_delete_message)
    question.delete()


def organisation_save(*, organisation: Organisation, address_changed: bool) -> None:
    """Save an organisation (admin). A new functional address starts afresh: the stop of invitations that the old
    address asked for (participants.invitations.unsubscribe) does not carry over to it."""
    if address_changed:
        organisation.invitations_stopped_at = None
    organisation.save()


# A funder's logo: checked by its content and re-encoded (kokportal.images) to a PNG of at most LOGO_BOX pixels and
# LOGO_PNG_MAX_BYTES, small enough for the event page and the PDFs. Logos have more colours than a signature.
LOGO_MAX_BYTES = 2 * 1024 * 1024
LOGO_MAX_PIXELS = 25_000_000
LOGO_BOX = (600, 240)
LOGO_PNG_MAX_BYTES = 120 * 1024


class LogoInvalid(DomainError):
    default_message = gettext_lazy(
        "Das Logo muss ein PNG- oder JPEG-Bild von höchstens 2 MB und höchstens 25 Millionen Bildpunkten "
        "(etwa 5000 × 5000) sein."
    )


def logo_to_png(data: bytes) -> tuple[bytes, int, int]:
    """An uploaded logo as a small PNG with its width and height; LogoInvalid otherwise."""
    try:
        return image_to_small_png(
            data,
            max_bytes=LOGO_MAX_BYTES,
            max_pixels=LOGO_MAX_PIXELS,
            box=LOGO_BOX,
            png_max_bytes=LOGO_PNG_MAX_BYTES,
            colors=256,
        )
    except ImageInvalid as exc:
        raise LogoInvalid() from exc


def project_events_outside(project: Project) -> list[Event]:
    """The project's events whose day lies outside its (new) period: the period must cover every event."""
    if project.pk is None or project.starts_on is None or project.ends_on is None:
        return []
    return list(
        Event.objects.filter(project_id=project.pk)
        .filter(
            Q(date__lt=project.starts_on)
            | Q(date__gt=project.ends_on)
            | Q(end_date__isnull=False, end_date__gt=project.ends_on)
        )
        .order_by("date")
    )


def project_period_message(events: list[Event]) -> str:
    return _("Die Laufzeit muss alle Praxisfachtage des Projekts umfassen; außerhalb läge: %(events)s.") % {
        "events": "; ".join(str(event) for event in events)
    }


@transaction.atomic
def project_save(*, project: Project, logo: bytes | None = None, remove_logo: bool = False) -> Project:
    """Save a project (admin). ``logo`` replaces the funder's logo (checked and re-encoded, see logo_to_png);
    ``remove_logo`` removes it."""
    outside = project_events_outside(project)
    if outside:
        raise ValidationError({"ends_on": project_period_message(outside)})
    if logo is not None:
        project.logo_png, project.logo_width, project.logo_height = logo_to_png(logo)
    elif remove_logo:
        project.logo_png = project.logo_width = project.logo_height = None
    project.full_clean(exclude=["logo_png"])
    project.save()
    return project


class ReviewNotPossible(DomainError):
    default_message = gettext_lazy(
        "Einen Rückblick gibt es erst nach der Veranstaltung, nur für veröffentlichte Praxisfachtage und nur mit "
        "Zusammenfassung oder Ergebnissen."
    )


def event_review_publish(*, event: Event, publish: bool) -> Event:
    """Publish the review of a past event on its public page (summary, outcomes, figures by organisation type), or
    withdraw it. Publishing needs a published event whose day is over and a summary or outcomes."""
    if publish:
        if not event.is_over():
            raise ReviewNotPossible(_("Einen Rückblick gibt es erst nach der Veranstaltung."))
        if event.status != EventStatus.PUBLISHED:
            raise ReviewNotPossible(_("Einen Rückblick gibt es nur für veröffentlichte Praxisfachtage."))
        if not (event.summary.strip() or event.outcomes.strip()):
            raise ReviewNotPossible(
                _("Bitte tragen Sie zuerst eine Zusammenfassung oder Ergebnisse ein und speichern Sie sie.")
            )
        event.review_published_at = event.review_published_at or timezone.now()
    else:
        event.review_published_at = None
    Event.objects.filter(pk=event.pk).update(review_published_at=event.review_published_at, modified=timezone.now())
    # The public page (and the archive's "mit Rückblick") may be cached for anonymous visitors.
    transaction.on_commit(public_pages_changed)
    return event
