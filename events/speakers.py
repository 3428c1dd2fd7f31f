"""Speakers (Referent*innen) of the programme: their records, their personal invitation, their consent.

Staff keep speaker records (name, organisation, short biography in German and English, an e-mail address for the
invitation only) and attach them to programme items. From an event's admin page they invite the speakers of its
programme: each gets one ``SpeakerInvitation`` per event with a personal link to confirm or decline, edit their
organisation and biography and give (or withdraw) their consent to publish name, organisation and biography,
until the invitation's deadline. After it the page is read-only.

The link's secret is drawn by the mail task (events.tasks.send_speaker_invitation) right before sending; only its
SHA-256 hash is stored, so the secret never reaches the database or the task queue. Inviting again (a new
deadline, a lost mail) replaces the hash at once: the old link stops working.

Name, organisation and biography appear on the event page, in the calendar entry and in the documentation only
with the speaker's consent (``Speaker.consent_to_publish``; the selectors below and in events.selectors read
nothing else). The e-mail address never appears anywhere but in the invitation mail.

Every write is recorded in the audit log (ids only; never a name, an address or a biography).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Exists, Max, OuterRef, Prefetch
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from kokportal.audit import audit_actions_register, audit_log_record
from kokportal.emails import normalise_email
from kokportal.errors import DomainError
from kokportal.pagecache import public_pages_changed

from . import materials
from .enums import MaterialVisibility
from .models import Event, Material, ProgrammeItem, ProgrammeItemSpeaker, Speaker, SpeakerInvitation

audit_actions_register(
    {
        "speaker_saved": gettext_lazy("Referent*in gespeichert"),
        "speaker_deleted": gettext_lazy("Referent*in gelöscht"),
        "speaker_linked": gettext_lazy("Referent*innen eines Programmpunkts geändert"),
        "speaker_invited": gettext_lazy("Referent*in eingeladen"),
        "speaker_confirmed": gettext_lazy("Referent*in hat zugesagt"),
        "speaker_declined": gettext_lazy("Referent*in hat abgesagt"),
        "speaker_consent_withdrawn": gettext_lazy("Einwilligung von Referent*in widerrufen"),
        "speaker_confirmation_recorded": gettext_lazy("Zusage von Referent*in erfasst (Geschäftsstelle)"),
        "speaker_slides_uploaded": gettext_lazy("Referent*in hat Folien hochgeladen"),
        "speaker_slides_deleted": gettext_lazy("Referent*in hat Folien gelöscht"),
    }
)

# The personal link: secrets.token_urlsafe(32) gives 43 characters (events/urls.py accepts 32 to 128).
TOKEN_MIN_LENGTH, TOKEN_MAX_LENGTH = 32, 128


class SpeakerError(DomainError):
    default_message = gettext_lazy("Diese Aktion ist für Referent*innen nicht möglich.")


def new_token() -> str:
    """A random secret for a personal link (256 bits, URL-safe)."""
    return secrets.token_urlsafe(32)


def hash_token(token: str) -> str:
    """What is stored instead of the secret: its SHA-256 hash (hex)."""
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


# --- speaker records ------------------------------------------------------------------------------------------


@transaction.atomic
def speaker_save(*, speaker: Speaker, by=None) -> Speaker:
    """Create or change a speaker record (admin). The address is stored normalised; the record is validated
    (lengths of the biographies, a name)."""
    speaker.email = normalise_email(speaker.email)
    speaker.name = speaker.name.strip()
    speaker.full_clean()
    speaker.save()
    audit_log_record(actor=by, action="speaker_saved", event=speaker)
    public_pages_changed()
    return speaker


def speaker_deletion_refusal(speaker: Speaker) -> str | None:
    """Why staff may not delete ``speaker``, or None: a record still named in a programme, or one whose consent
    stands (it may be published), stays."""
    if speaker.pk is None:
        return None
    if ProgrammeItemSpeaker.objects.filter(speaker_id=speaker.pk).exists():
        return _("Die Person ist noch einem Programmpunkt zugeordnet.")
    if speaker.consent_to_publish:
        return _("Die Person hat in die Veröffentlichung eingewilligt; widerrufen Sie zuerst die Einwilligung.")
    return None


@transaction.atomic
def speaker_delete(*, speaker: Speaker, by=None) -> None:
    refusal = speaker_deletion_refusal(speaker)
    if refusal:
        raise SpeakerError(refusal)
    audit_log_record(actor=by, action="speaker_deleted", speaker_id=speaker.pk)
    speaker.delete()


@transaction.atomic
def speaker_consent_withdraw(*, speaker: Speaker, by=None) -> Speaker:
    """The speaker withdrew their consent by other means (a mail, a call): staff record it; nothing personal of
    theirs is published any more."""
    Speaker.objects.filter(pk=speaker.pk).update(
        consent_to_publish=False, consent_given_at=None, modified=timezone.now()
    )
    speaker.consent_to_publish, speaker.consent_given_at = False, None
    audit_log_record(actor=by, action="speaker_consent_withdrawn", event=speaker)
    public_pages_changed()
    return speaker


@transaction.atomic
def speaker_link_to_item(*, item: ProgrammeItem, speaker: Speaker, by=None) -> ProgrammeItemSpeaker:
    """Name ``speaker`` in programme item ``item``, after the speakers it names already (once: a second call
    changes nothing)."""
    link = ProgrammeItemSpeaker.objects.filter(programme_item=item, speaker=speaker).first()
    if link is not None:
        return link
    last = ProgrammeItemSpeaker.objects.filter(programme_item=item).aggregate(last=Max("position"))["last"]
    link = ProgrammeItemSpeaker.objects.create(
        programme_item=item, speaker=speaker, position=0 if last is None else last + 1
    )
    audit_log_record(actor=by, action="speaker_linked", event=item.event, programme_item_id=item.pk)
    public_pages_changed()
    return link


@transaction.atomic
def programme_item_speakers_set(*, item: ProgrammeItem, speakers: list[Speaker], by=None) -> bool:
    """The speakers of ``item`` are exactly ``speakers``, in this order (the admin's programme inline). Returns
    whether anything changed (only then is it recorded)."""
    current = list(ProgrammeItemSpeaker.objects.filter(programme_item=item).order_by("position", "id"))
    wanted = list(dict.fromkeys(s.pk for s in speakers))
    if [link.speaker_id for link in current] == wanted:
        return False
    ProgrammeItemSpeaker.objects.filter(programme_item=item).exclude(speaker_id__in=wanted).delete()
    kept = {link.speaker_id: link for link in current if link.speaker_id in wanted}
    for position, speaker_id in enumerate(wanted):
        link = kept.get(speaker_id)
        if link is None:
            ProgrammeItemSpeaker.objects.create(programme_item=item, speaker_id=speaker_id, position=position)
        elif link.position != position:
            ProgrammeItemSpeaker.objects.filter(pk=link.pk).update(position=position)
    audit_log_record(actor=by, action="speaker_linked", event=item.event, programme_item_id=item.pk)
    public_pages_changed()
    return True


# --- invitations ----------------------------------------------------------------------------------------------


def invitation_refusal(*, event: Event, speaker: Speaker, deadline: dt.datetime, now: dt.datetime) -> str | None:
    """Why ``speaker`` cannot be invited to ``event`` with ``deadline``, or None."""
    if not speaker.email:
        return _("%(name)s hat keine E-Mail-Adresse; eine Einladung ist nicht möglich.") % {"name": speaker.name}
    if event.date < timezone.localdate(now):
        return _("Der Praxisfachtag liegt in der Vergangenheit; Einladungen an Referent*innen sind nicht mehr möglich.")
    if deadline <= now:
        return _("Die Frist muss in der Zukunft liegen.")
    if deadline > event.ends_at:
        return _("Die Frist endet spätestens mit dem Ende des Praxisfachtags.")
    return None


@transaction.atomic
def speaker_invite(
    *, event: Event, speaker: Speaker, deadline: dt.datetime, by, now: dt.datetime | None = None
) -> SpeakerInvitation:
    """Invite ``speaker`` to confirm their part in ``event`` by ``deadline``, or invite them again (new deadline,
    new link: the earlier link stops working at once). The mail goes out after commit, one task per mail; the task
    draws the link's secret (events.tasks). Answers given before stay (a confirmation stays a confirmation)."""
    now = now or timezone.now()
    refusal = invitation_refusal(event=event, speaker=speaker, deadline=deadline, now=now)
    if refusal:
        raise SpeakerError(refusal)
    invitation = SpeakerInvitation.objects.select_for_update().filter(event=event, speaker=speaker).first()
    renewed = invitation is not None
    if invitation is None:
        invitation = SpeakerInvitation(event=event, speaker=speaker)
    # The hash of a secret nobody receives: the old link stops working now, the task gives the new one.
    invitation.token_hash = hash_token(new_token())
    invitation.deadline = deadline
    invitation.save()
    audit_log_record(
        actor=by,
        action="speaker_invited",
        event=event,
        speaker_id=speaker.pk,
        invitation_id=invitation.pk,
        renewed=renewed,
    )
    invitation_id = invitation.pk
    transaction.on_commit(lambda: _enqueue_invitation_mail(invitation_id))
    # Invited, a speaker is named on the event's page only once they confirm (published_links).
    transaction.on_commit(public_pages_changed)
    return invitation


def _enqueue_invitation_mail(invitation_id: int) -> None:
    from .tasks import enqueue_speaker_invitation

    enqueue_speaker_invitation(invitation_id=invitation_id)


@dataclass(frozen=True)
class InvitationRound:
    invited: list[Speaker]
    without_email: list[Speaker]
    skipped: list[Speaker] = field(default_factory=list)  # invited before, not again


@transaction.atomic
def speakers_invite(
    *, event: Event, deadline: dt.datetime, by, now: dt.datetime | None = None, again: bool = False
) -> InvitationRound:
    """Invite the speakers named in ``event``'s programme who have an e-mail address and no invitation to it yet (the
    admin's button "Referent*innen einladen"); ``again``: those already invited too (a new link and deadline, their
    answers kept). Those without an address are named back, those already invited skipped. Refused as a whole for a
    past event or a wrong deadline, or when nobody is left to invite."""
    now = now or timezone.now()
    speakers = list(Speaker.objects.filter(programme_items__event=event).distinct().order_by("name", "pk"))
    invited_before = set(SpeakerInvitation.objects.filter(event=event).values_list("speaker_id", flat=True))
    with_email = [s for s in speakers if s.email]
    if not with_email:
        raise SpeakerError(_("Keine Referent*in dieses Programms hat eine E-Mail-Adresse."))
    to_invite = [s for s in with_email if again or s.pk not in invited_before]
    if not to_invite:
        raise SpeakerError(
            _(
                "Alle Referent*innen mit E-Mail-Adresse sind schon eingeladen. Um ihnen einen neuen Link und eine neue "
                "Frist zu senden, wählen Sie „auch bereits Eingeladene erneut einladen“."
            )
        )
    for speaker in to_invite:
        speaker_invite(event=event, speaker=speaker, deadline=deadline, by=by, now=now)
    return InvitationRound(
        invited=to_invite,
        without_email=[s for s in speakers if not s.email],
        skipped=[s for s in with_email if s not in to_invite],
    )


@transaction.atomic
def speaker_confirmation_record(
    *, event: Event, speaker: Speaker, by, now: dt.datetime | None = None
) -> SpeakerInvitation:
    """Staff record that a speaker of ``event``'s programme confirmed by phone or mail (no link needed). Consent to
    publication stays the speaker's own: this names them publicly only if they have given it (published_links).
    Their invitation, if any, is marked confirmed (a decline is replaced); without one, an invitation without a
    usable link records the confirmation."""
    now = now or timezone.now()
    if not ProgrammeItemSpeaker.objects.filter(programme_item__event=event, speaker=speaker).exists():
        raise SpeakerError(_("Diese Person steht nicht im Programm dieser Veranstaltung."))
    invitation = SpeakerInvitation.objects.select_for_update().filter(event=event, speaker=speaker).first()
    if invitation is None:
        invitation = SpeakerInvitation(
            event=event,
            speaker=speaker,
            token_hash=hash_token(new_token()),  # the secret is thrown away: no link to this record
            deadline=max(event.starts_at, now),
        )
    invitation.confirmed_at = now
    invitation.declined_at = None
    invitation.last_edited_at = now
    invitation.save()
    audit_log_record(actor=by, action="speaker_confirmation_recorded", event=event, speaker_id=speaker.pk)
    transaction.on_commit(public_pages_changed)
    return invitation


def speaker_invitation_by_token(token: str) -> SpeakerInvitation | None:
    """The invitation of a personal link, or None for an unknown, altered or malformed one. The lookup is by the
    secret's hash, so comparing takes the same time however much of a guess is right."""
    if not token or not TOKEN_MIN_LENGTH <= len(token) <= TOKEN_MAX_LENGTH:
        return None
    return SpeakerInvitation.objects.select_related("event", "speaker").filter(token_hash=hash_token(token)).first()


def invitation_open(invitation: SpeakerInvitation, *, now: dt.datetime | None = None) -> bool:
    """Whether the speaker may still answer and edit (until the deadline)."""
    return (now or timezone.now()) < invitation.deadline


def _deadline_passed_message(invitation: SpeakerInvitation) -> str:
    return _(
        "Die Frist ist am %(date)s abgelaufen. Bitte wenden Sie sich für Änderungen an die KOK-Geschäftsstelle."
    ) % {"date": date_format(timezone.localtime(invitation.deadline), "DATETIME_FORMAT")}


def _locked(invitation: SpeakerInvitation, now: dt.datetime) -> SpeakerInvitation:
    locked = SpeakerInvitation.objects.select_for_update().select_related("speaker", "event").get(pk=invitation.pk)
    if not invitation_open(locked, now=now):
        raise SpeakerError(_deadline_passed_message(locked))
    return locked


@transaction.atomic
def speaker_confirm(
    *,
    invitation: SpeakerInvitation,
    bio: str,
    bio_en: str,
    organisation: str,
    consent_to_publish: bool,
    now: dt.datetime | None = None,
) -> SpeakerInvitation:
    """The speaker confirms (or changes what they confirmed) before the deadline: organisation and biographies as
    given, consent given (with its time; kept from the first time) or withdrawn."""
    now = now or timezone.now()
    invitation = _locked(invitation, now)
    speaker = invitation.speaker
    speaker.organisation = organisation.strip()
    speaker.bio = bio.strip()
    speaker.bio_en = bio_en.strip()
    if consent_to_publish:
        speaker.consent_given_at = speaker.consent_given_at if speaker.consent_to_publish else now
    else:
        speaker.consent_given_at = None
    speaker.consent_to_publish = consent_to_publish
    try:
        speaker.full_clean()
    except ValidationError as exc:
        raise SpeakerError(" ".join(exc.messages)) from None
    speaker.save()
    invitation.confirmed_at = invitation.confirmed_at or now
    invitation.declined_at = None
    invitation.last_edited_at = now
    invitation.save(update_fields=["confirmed_at", "declined_at", "last_edited_at", "modified"])
    audit_log_record(
        actor=None,
        action="speaker_confirmed",
        event=invitation.event,
        speaker_id=speaker.pk,
        consent=consent_to_publish,
    )
    public_pages_changed()
    return invitation


@transaction.atomic
def speaker_decline(*, invitation: SpeakerInvitation, now: dt.datetime | None = None) -> SpeakerInvitation:
    """The speaker declines before the deadline (staff see it on the event's invitation page)."""
    now = now or timezone.now()
    invitation = _locked(invitation, now)
    invitation.declined_at = now
    invitation.confirmed_at = None
    invitation.last_edited_at = now
    invitation.save(update_fields=["confirmed_at", "declined_at", "last_edited_at", "modified"])
    audit_log_record(actor=None, action="speaker_declined", event=invitation.event, speaker_id=invitation.speaker_id)
    # A speaker who declined is no longer named on the event's page (published_links).
    transaction.on_commit(public_pages_changed)
    return invitation


# --- slides uploaded by the speaker -------------------------------------------------------------------------------

# What a speaker may choose for their slides: the registered participants, or only the team and the office. A
# personal link can be forwarded, so nothing uploaded through it goes public by itself: making a file public is the
# office's decision (the material's visibility in the admin).
SPEAKER_VISIBILITIES = (MaterialVisibility.REGISTERED, MaterialVisibility.TEAM)


def speaker_slides_upload(
    *,
    invitation: SpeakerInvitation,
    uploaded_file,
    title: str,
    visibility: str,
    programme_item_id: int | None = None,
    now: dt.datetime | None = None,
) -> Material:
    """The speaker uploads their slides (or a handout) through their personal link, until the deadline and unless
    they declined: a material of the event, on one of their own programme items or on the event, for everyone or
    only for registered participants. The file is checked like every material (events.materials.check_upload);
    a refused file raises MaterialRefused with its reason."""
    now = now or timezone.now()
    with transaction.atomic():
        invitation = _locked(invitation, now)
        if invitation.declined_at is not None:
            raise SpeakerError(_("Sie haben abgesagt; bitte sagen Sie zuerst zu, um Folien hochzuladen."))
        if visibility not in SPEAKER_VISIBILITIES:
            raise SpeakerError(_("Bitte wählen Sie, wer die Datei sehen darf."))
        item = None
        if programme_item_id is not None:
            item = next((i for i in speaker_items(invitation=invitation) if i.pk == programme_item_id), None)
            if item is None:
                raise SpeakerError(_("Bitte wählen Sie einen Ihrer Programmpunkte."))
        material = materials.material_add(
            event=invitation.event,
            uploaded_file=uploaded_file,
            title=title,
            visibility=visibility,
            programme_item=item,
            by=None,
            speaker=invitation.speaker,
        )
        invitation.last_edited_at = now
        invitation.save(update_fields=["last_edited_at", "modified"])
        audit_log_record(
            actor=None,
            action="speaker_slides_uploaded",
            event=invitation.event,
            speaker_id=invitation.speaker_id,
            material_id=material.pk,
        )
    return material


def speaker_slides_delete(*, invitation: SpeakerInvitation, material_id: int, now: dt.datetime | None = None) -> None:
    """The speaker removes a file they uploaded for this event, until the deadline (nobody else's)."""
    now = now or timezone.now()
    with transaction.atomic():
        invitation = _locked(invitation, now)
        material = speaker_uploads(invitation=invitation, ids=[material_id])
        if not material:
            raise SpeakerError(_("Diese Datei gibt es nicht (mehr)."))
        materials.material_delete(material=material[0], by=None)
        audit_log_record(
            actor=None,
            action="speaker_slides_deleted",
            event=invitation.event,
            speaker_id=invitation.speaker_id,
            material_id=material_id,
        )


# --- reads ----------------------------------------------------------------------------------------------------


def speaker_uploads(*, invitation: SpeakerInvitation, ids: list[int] | None = None) -> list[Material]:
    """The files the invited speaker uploaded for the invitation's event (``ids``: only those). One query."""
    uploads = Material.objects.filter(
        event_id=invitation.event_id, uploaded_by_speaker_id=invitation.speaker_id
    ).select_related("stored_file", "programme_item", "event")
    if ids is not None:
        uploads = uploads.filter(pk__in=ids)
    return list(uploads.order_by("position", "id"))


def speaker_items(*, invitation: SpeakerInvitation) -> list[ProgrammeItem]:
    """The programme items of the invited speaker at the invitation's event, by time. One query."""
    return list(
        ProgrammeItem.objects.filter(event_id=invitation.event_id, speaker_links__speaker_id=invitation.speaker_id)
        .order_by("day", "start", "id")
        .distinct()
    )


@dataclass(frozen=True)
class SpeakerRow:
    """A speaker of an event's programme for the admin's invitation page."""

    speaker: Speaker
    items: list[ProgrammeItem]
    invitation: SpeakerInvitation | None


def event_speaker_rows(*, event: Event) -> list[SpeakerRow]:
    """The speakers named in ``event``'s programme with their items and their invitation to it, by name. Two
    queries."""
    links = list(
        ProgrammeItemSpeaker.objects.filter(programme_item__event=event)
        .select_related("speaker", "programme_item")
        .order_by("speaker__name", "speaker_id", "programme_item__start", "programme_item_id")
    )
    invitations = {i.speaker_id: i for i in SpeakerInvitation.objects.filter(event=event)}
    rows: dict[int, SpeakerRow] = {}
    for link in links:
        row = rows.get(link.speaker_id)
        if row is None:
            row = rows[link.speaker_id] = SpeakerRow(
                speaker=link.speaker, items=[], invitation=invitations.get(link.speaker_id)
            )
        row.items.append(link.programme_item)
    return list(rows.values())


def published_speakers_prefetch() -> Prefetch:
    """Prefetch for ProgrammeItem querysets: ``published_speakers``, the consenting speakers in their order (one
    query whatever the number of items and speakers)."""
    return Prefetch("speaker_links", queryset=published_links(), to_attr="published_speaker_links")


def published_links():
    """The one rule of who is named publicly (event page, iCal, documentation; the event page's SQL in
    events.selectors follows it): a speaker who consented to publication and confirmed this very event through
    their invitation. Consent is the person's, the confirmation is per event: nobody is named on an event they were
    never asked about (a copied programme, a record staff attached), nor before answering, nor after declining."""
    confirmed = SpeakerInvitation.objects.filter(
        speaker=OuterRef("speaker"), event=OuterRef("programme_item__event"), confirmed_at__isnull=False
    )
    return (
        ProgrammeItemSpeaker.objects.filter(speaker__consent_to_publish=True)
        .filter(Exists(confirmed))
        .select_related("speaker")
        .order_by("position", "id")
    )


def published_speakers_of(item: ProgrammeItem) -> list[Speaker]:
    """The consenting speakers of an item prefetched with ``published_speakers_prefetch``."""
    return [link.speaker for link in getattr(item, "published_speaker_links", [])]
