"""Invitations to a practice day, year after year (issue 15, part 1): the address book and personal invitations, like
Indico's registration invitations.

Two kinds of address can be invited:

- an organisation's **functional address** (``events.Organisation.contact_email``: an office, never a person),
  entered by staff; the organisation can stop further invitations by the link in each one;
- a **person who consented** to hear about future practice days (``InvitationConsent``), on the registration form
  or in their account. The consent row is kept while the consent lasts, outside the registrations' retention, and
  deleted when it is withdrawn (the link in every invitation, or the account page).

Staff choose a segment (``Segment``: organisation types, federal states, KOK members only, past participants of
chosen events who consented), see how many addresses it reaches and the mail for the first one, and send. Each
address gets one ``Invitation`` with its own link (256 bits): it opens the event's registration with the
organisation type preset and counts as "opened"; a registration made after it counts as "registered". One
invitation per address and event (a database constraint): the same address is not invited twice. An event can be
invitation-only: then only a person who opened such a link can register (participants.services).

Sending is off the request path: ``invitations_send`` stores the batch and its invitations in one transaction and
enqueues one task after commit, which enqueues one mail task per invitation. Each mail task checks right before
sending that the consent or the organisation's address still stands: a withdrawal stops every later mail at once.
The audit log records who, when, the event, the segment and how many; never addresses. Logs name ids only.
"""

from __future__ import annotations

import secrets
from collections.abc import Iterable
from dataclasses import asdict, dataclass, field

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.db.models import Count, Exists, F, OuterRef, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from events.enums import EventStatus
from events.models import Event, Organisation
from kokportal.audit import audit_actions_register, audit_log_record
from kokportal.emails import normalise_email
from kokportal.roles import acts_as_staff

from . import errors
from .enums import DeliveryFailure, DeliveryState, InvitationSource
from .models import Invitation, InvitationBatch, InvitationConsent, Registration

# The version of the consent text on the registration form and the account page; a new wording gets a new version.
CONSENT_VERSION = "2026-11"
# Upper bound of one batch: a segment larger than this is split by narrowing it (federal states, types).
MAX_BATCH_SIZE = 5000

SESSION_KEY = "invitations"

audit_actions_register(
    {
        "invitations_sent": gettext_lazy("Einladungen zu einem Praxisfachtag gesendet"),
        "invitation_consent_withdrawn": gettext_lazy("Einwilligung in Einladungen widerrufen"),
        "organisation_invitations_stopped": gettext_lazy("Einladungen an eine Funktionsadresse abbestellt"),
    }
)


def may_invite(user) -> bool:
    """Staff with the admin permission to send invitations (both KOK groups have it)."""
    return acts_as_staff(user) and user.has_perm("participants.add_invitationbatch")


# --- consent ("inform me about future practice days") ------------------------------------------------------------


def consent_of(user) -> InvitationConsent | None:
    if not getattr(user, "is_authenticated", False):
        return None
    return InvitationConsent.objects.filter(Q(user=user) | Q(email__iexact=user.email)).first()


@transaction.atomic
def consent_give(*, user, registration: Registration | None = None) -> InvitationConsent:
    """Record (or renew) ``user``'s consent to be invited to future practice days. With a ``registration``, its
    name, organisation, type, federal state and event are kept for the segments; otherwise the profile's."""
    email = normalise_email(user.email)
    consent = InvitationConsent.objects.select_for_update().filter(email__iexact=email).first()
    if consent is None:
        consent = InvitationConsent(email=email)
    consent.user = user
    consent.consent_version = CONSENT_VERSION
    consent.consented_at = timezone.now()
    source = registration
    if source is None:
        from .models import Profile

        source = Profile.objects.filter(user=user).first()
    consent.first_name = getattr(source, "first_name", None) or user.first_name
    consent.last_name = getattr(source, "last_name", None) or user.last_name
    consent.language = getattr(source, "language", None) or user.language or "de"
    if source is not None:
        consent.organisation_type_id = source.organisation_type_id
        consent.organisation_id = source.organisation_id
        consent.federal_state = source.federal_state
    # Another person's consent row may still point at this account (an address changed since): this one wins.
    InvitationConsent.objects.filter(user=user).exclude(email__iexact=email).update(user=None)
    consent.save()
    if registration is not None:
        consent.events.add(registration.event_id)
    return consent


def consent_note_registration(*, registration: Registration) -> None:
    """A new registration of a person who consents: the event joins their list (past participants of it)."""
    consent = InvitationConsent.objects.filter(email__iexact=registration.email).first()
    if consent is not None:
        consent.events.add(registration.event_id)


@transaction.atomic
def consent_withdraw(*, consent: InvitationConsent, by=None) -> None:
    """Withdraw a consent: the row goes, and the address is removed from every invitation sent because of it (a
    queued one is then not sent: send_invitation checks)."""
    Invitation.objects.filter(consent=consent).update(email=None, name="", consent=None)
    audit_log_record(actor=by, action="invitation_consent_withdrawn", count=1)
    consent.delete()


@transaction.atomic
def organisation_invitations_stop(*, organisation: Organisation, by=None) -> None:
    Organisation.objects.filter(pk=organisation.pk, invitations_stopped_at__isnull=True).update(
        invitations_stopped_at=timezone.now()
    )
    audit_log_record(actor=by, action="organisation_invitations_stopped", event=organisation)


def unsubscribe_pending(invitation: Invitation) -> bool:
    """Whether the unsubscribe link of ``invitation`` still has something to stop."""
    if invitation.source == InvitationSource.SUBSCRIBER:
        return invitation.consent_id is not None
    organisation = invitation.organisation
    return organisation is not None and organisation.invitations_stopped_at is None


def unsubscribe(*, invitation: Invitation) -> str:
    """Stop further invitations to the address of ``invitation`` (the link in the mail, or its one-click header).
    Returns what was stopped: "consent", "organisation" or "" when nothing was left to stop."""
    if invitation.source == InvitationSource.SUBSCRIBER:
        if invitation.consent_id is None:
            return ""
        consent_withdraw(consent=invitation.consent)
        return "consent"
    organisation = invitation.organisation
    if organisation is None or organisation.invitations_stopped_at is not None:
        return ""
    organisation_invitations_stop(organisation=organisation)
    return "organisation"


def personal_data_of(user) -> dict | None:
    """For the person's data export: their consent and what it keeps."""
    consent = consent_of(user)
    if consent is None:
        return None
    return {
        "email": consent.email,
        "first_name": consent.first_name,
        "last_name": consent.last_name,
        "organisation_type": consent.organisation_type.name if consent.organisation_type else None,
        "organisation": str(consent.organisation) if consent.organisation else None,
        "federal_state": consent.federal_state,
        "consent_version": consent.consent_version,
        "consented_at": consent.consented_at.isoformat(),
        "events": [event.title for event in consent.events.order_by("date")],
        "invitations": [
            {"event": i.event.title, "sent_at": i.sent_at.isoformat() if i.sent_at else None}
            for i in consent.invitations.select_related("event").order_by("created")
        ],
    }


# --- segments -----------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Segment:
    """Who is invited. Empty type and state lists mean "all": all types the event invites, all federal states."""

    organisations: bool = True
    consents: bool = True
    organisation_types: tuple[int, ...] = ()
    federal_states: tuple[str, ...] = ()
    kok_members_only: bool = False
    # Persons with consent who registered for one of these events (past participants); empty: every such person.
    past_events: tuple[int, ...] = ()

    def as_json(self) -> dict:
        data = asdict(self)
        return {key: list(value) if isinstance(value, tuple) else value for key, value in data.items()}


@dataclass(frozen=True)
class Recipient:
    email: str
    source: str
    organisation_id: int | None
    consent_id: int | None
    organisation_type_id: int | None
    name: str
    language: str


@dataclass
class Selection:
    recipients: list[Recipient] = field(default_factory=list)
    skipped_invalid: int = 0
    skipped_already_invited: int = 0
    skipped_duplicate: int = 0
    # Organisations whose functional address stopped invitations (by the link in an earlier one).
    skipped_stopped: int = 0


def _valid(address: str) -> bool:
    try:
        validate_email(address)
    except ValidationError:
        return False
    return True


def segment_select(*, event: Event, segment: Segment) -> Selection:
    """The addresses ``segment`` reaches for ``event`` (three queries): each address once (an organisation's before
    a person's), invalid ones and those already invited to the event left out and counted."""
    if not (segment.organisations or segment.consents):
        raise errors.InvitationSegmentInvalid()
    type_ids = list(segment.organisation_types) or list(event.invited_types.values_list("pk", flat=True))
    candidates: list[Recipient] = []
    stopped = 0
    if segment.organisations:
        organisations = Organisation.objects.filter(is_reviewed=True, organisation_type_id__in=type_ids).exclude(
            contact_email=""
        )
        if segment.federal_states:
            organisations = organisations.filter(federal_state__in=segment.federal_states)
        if segment.kok_members_only:
            organisations = organisations.filter(is_kok_member=True)
        rows = organisations.order_by("name", "pk").values(
            "pk", "contact_email", "organisation_type_id", "name", "invitations_stopped_at"
        )
        for row in rows:
            if row["invitations_stopped_at"] is not None:
                stopped += 1
                continue
            candidates.append(
                Recipient(
                    email=normalise_email(row["contact_email"]),
                    source=InvitationSource.ORGANISATION,
                    organisation_id=row["pk"],
                    consent_id=None,
                    organisation_type_id=row["organisation_type_id"],
                    name=row["name"],
                    language="de",
                )
            )
    if segment.consents:
        consents = InvitationConsent.objects.all()
        if segment.organisation_types:
            consents = consents.filter(organisation_type_id__in=type_ids)
        else:
            consents = consents.filter(Q(organisation_type_id__in=type_ids) | Q(organisation_type__isnull=True))
        if segment.federal_states:
            consents = consents.filter(federal_state__in=segment.federal_states)
        if segment.kok_members_only:
            consents = consents.filter(organisation__is_kok_member=True)
        if segment.past_events:
            through = InvitationConsent.events.through
            consents = consents.filter(
                Exists(through.objects.filter(invitationconsent_id=OuterRef("pk"), event_id__in=segment.past_events))
            )
        for row in consents.order_by("last_name", "first_name", "pk").values(
            "pk", "email", "organisation_type_id", "first_name", "last_name", "language"
        ):
            candidates.append(
                Recipient(
                    email=normalise_email(row["email"]),
                    source=InvitationSource.SUBSCRIBER,
                    organisation_id=None,
                    consent_id=row["pk"],
                    organisation_type_id=row["organisation_type_id"],
                    name=f"{row['first_name']} {row['last_name']}".strip(),
                    language=row["language"] or "de",
                )
            )
    invited = {
        normalise_email(email)
        for email in Invitation.objects.filter(event=event, email__isnull=False).values_list("email", flat=True)
    }
    selection, seen = Selection(skipped_stopped=stopped), set()
    for candidate in candidates:
        if not _valid(candidate.email):
            selection.skipped_invalid += 1
        elif candidate.email in invited:
            selection.skipped_already_invited += 1
        elif candidate.email in seen:
            selection.skipped_duplicate += 1
        else:
            seen.add(candidate.email)
            selection.recipients.append(candidate)
    return selection


def check_event(event: Event) -> None:
    """Invitations go to a published event whose registration is open or still to open (full events have their
    waiting list); never to a draft, a cancelled or past event, or one whose registration has closed."""
    from events.enums import RegistrationState
    from events.selectors import registration_phase

    if event.status != EventStatus.PUBLISHED or event.is_over():
        raise errors.InvitationEventNotOpen()
    if registration_phase(event) not in (
        RegistrationState.OPEN,
        RegistrationState.WAITLIST,
        RegistrationState.NOT_YET_OPEN,
    ):
        raise errors.InvitationEventNotOpen()


def may_invite_to(event: Event) -> bool:
    try:
        check_event(event)
    except errors.InvitationEventNotOpen:
        return False
    return True


# --- the mail -----------------------------------------------------------------------------------------------------


def invitation_link(token: str) -> str:
    return settings.SITE_URL + reverse("participants:invitation_open", kwargs={"token": token})


def unsubscribe_link(token: str) -> str:
    return settings.SITE_URL + reverse("participants:invitation_unsubscribe", kwargs={"token": token})


def mail_context(*, event: Event, note: str, name: str, source: str, token: str) -> dict:
    return {
        "event": event,
        "note": note,
        "name": name,
        "is_organisation": source == InvitationSource.ORGANISATION,
        "link": invitation_link(token),
        "unsubscribe_url": unsubscribe_link(token),
        "registration_opens_later": bool(event.registration_opens and event.registration_opens > timezone.now()),
    }


@dataclass(frozen=True)
class Preview:
    selection: Selection
    recipient: Recipient | None
    subject: str
    text: str


def invitations_preview(*, event: Event, segment: Segment, note: str) -> Preview:
    """How many the segment reaches (and how many are skipped, why), and the mail as the first address gets it (with
    a sample link: the real ones are made when sending)."""
    from kokportal.mail import render_mail

    check_event(event)
    selection = segment_select(event=event, segment=segment)
    first = selection.recipients[0] if selection.recipients else None
    if first is None:
        return Preview(selection=selection, recipient=None, subject="", text="")
    subject, text, _html = render_mail(
        "participants/email/invitation",
        mail_context(event=event, note=note, name=first.name, source=first.source, token="BEISPIEL"),  # noqa: S106 - a sample link, not a secret
        language=first.language,
    )
    return Preview(
        selection=selection, recipient=first, subject=settings.ACCOUNT_EMAIL_SUBJECT_PREFIX + subject, text=text
    )


# --- sending ------------------------------------------------------------------------------------------------------


def invitations_send(
    *,
    event: Event,
    segment: Segment,
    note: str,
    by,
    expected_count: int | None = None,
    send_key: str | None = None,
) -> InvitationBatch:
    """Invite every address of ``segment`` to ``event``: one batch, one invitation per address with its own link,
    sent one by one in the background (after commit). ``expected_count`` is the number staff confirmed; when it no
    longer holds, nothing is sent. ``send_key`` is that confirmation's one-time key."""
    if not may_invite(by):
        raise errors.InvitationNotAllowed()
    check_event(event)
    note = note.replace("\r\n", "\n").replace("\r", "\n").strip()
    with transaction.atomic():
        selection = segment_select(event=event, segment=segment)
        recipients = selection.recipients
        if not recipients:
            raise errors.InvitationNoRecipients()
        if expected_count is not None and expected_count != len(recipients):
            raise errors.InvitationRecipientsChanged()
        if len(recipients) > MAX_BATCH_SIZE:
            raise errors.InvitationError(
                _("Höchstens %(max)d Adressen auf einmal: Bitte grenzen Sie die Auswahl ein.") % {"max": MAX_BATCH_SIZE}
            )
        if send_key is not None and InvitationBatch.objects.filter(send_key=send_key).exists():
            raise errors.InvitationsAlreadySent(InvitationBatch.objects.filter(send_key=send_key).first())
        try:
            with transaction.atomic():
                batch = InvitationBatch.objects.create(
                    event=event,
                    sent_by=by,
                    segment=segment.as_json(),
                    note=note,
                    send_key=send_key,
                    invited_count=len(recipients),
                    skipped_invalid=selection.skipped_invalid,
                    skipped_already_invited=selection.skipped_already_invited,
                )
                Invitation.objects.bulk_create(
                    [
                        Invitation(
                            batch=batch,
                            event=event,
                            email=r.email,
                            source=r.source,
                            organisation_id=r.organisation_id,
                            consent_id=r.consent_id,
                            organisation_type_id=r.organisation_type_id,
                            name=r.name,
                            language=r.language,
                            token=secrets.token_urlsafe(32),
                        )
                        for r in recipients
                    ],
                    batch_size=1000,
                )
        except IntegrityError as exc:
            if send_key is not None and "send_key" in str(exc):
                raise errors.InvitationsAlreadySent(InvitationBatch.objects.filter(send_key=send_key).first()) from None
            # Another batch invited one of these addresses meanwhile.
            raise errors.InvitationRecipientsChanged() from None
        audit_log_record(
            actor=by,
            action="invitations_sent",
            event=event,
            batch=batch.pk,
            segment=batch.segment,
            count=len(recipients),
            skipped_invalid=selection.skipped_invalid,
            skipped_already_invited=selection.skipped_already_invited,
        )
        batch_id = batch.pk
        transaction.on_commit(lambda: _enqueue_batch(batch_id))
    return batch


def _enqueue_batch(batch_id: int) -> None:
    from kokportal.tasks import enqueue_attempt

    from .tasks import queue_invitation_batch

    enqueue_attempt(queue_invitation_batch, attempt=1, log_extra={"batch_id": batch_id}, batch_id=batch_id)


def invitation_still_wanted(invitation: Invitation) -> bool:
    """Right before sending: the consent behind it still stands, or the organisation's address is still the one
    invited and not stopped."""
    if not invitation.email:
        return False
    if invitation.source == InvitationSource.SUBSCRIBER:
        return invitation.consent_id is not None
    organisation = invitation.organisation
    return (
        organisation is not None
        and organisation.invitations_stopped_at is None
        and normalise_email(organisation.contact_email) == invitation.email
    )


def invitation_delivery_started(*, invitation_id: int) -> None:
    Invitation.objects.filter(pk=invitation_id).update(attempts=F("attempts") + 1)


def invitation_delivery_finish(*, invitation_id: int, failure: str = "") -> bool:
    """Record that a queued invitation was sent (no ``failure``) or not (a DeliveryFailure); once only."""
    if failure and failure not in DeliveryFailure.values:
        raise ValueError(failure)
    now = timezone.now()
    updated = Invitation.objects.filter(pk=invitation_id, state=DeliveryState.QUEUED).update(
        state=DeliveryState.FAILED if failure else DeliveryState.SENT,
        failure=failure,
        sent_at=None if failure else now,
        modified=now,
    )
    return bool(updated)


# --- the link -----------------------------------------------------------------------------------------------------


def invitation_by_token(token: str) -> Invitation | None:
    """The invitation of a link, or None for an unknown or altered one (the view answers 404)."""
    if not token or len(token) > 64:
        return None
    return Invitation.objects.select_related("event", "organisation_type").filter(token=token).first()


def invitation_open(*, invitation: Invitation) -> None:
    """The link was opened: the first time counts."""
    Invitation.objects.filter(pk=invitation.pk, opened_at__isnull=True).update(opened_at=timezone.now())


def remember_in_session(session, invitation: Invitation) -> None:
    tokens = dict(session.get(SESSION_KEY) or {})
    tokens[str(invitation.event_id)] = invitation.token
    session[SESSION_KEY] = tokens


def invitation_from_session(session, event: Event) -> Invitation | None:
    token = (session.get(SESSION_KEY) or {}).get(str(event.pk))
    if not token:
        return None
    invitation = Invitation.objects.filter(token=token, event=event).first()
    return invitation


# --- figures ------------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class BatchFigures:
    batch: InvitationBatch
    invited: int
    sent: int
    failed: int
    opened: int
    registered: int


def batch_figures(*, event: Event | None = None, batches: Iterable[InvitationBatch] | None = None):
    """Per batch (newest first): invited, sent, failed, opened the link, registered through it (two queries)."""
    queryset = InvitationBatch.objects.select_related("sent_by", "event")
    if event is not None:
        queryset = queryset.filter(event=event)
    if batches is not None:
        queryset = queryset.filter(pk__in=[b.pk for b in batches])
    registered = Registration.objects.filter(invitation=OuterRef("pk"))
    rows = queryset.annotate(
        sent=Count("invitations", filter=Q(invitations__state=DeliveryState.SENT)),
        failed=Count("invitations", filter=Q(invitations__state=DeliveryState.FAILED)),
        opened=Count("invitations", filter=Q(invitations__opened_at__isnull=False)),
    ).order_by("-created", "-id")
    registered_counts = dict(
        Invitation.objects.filter(batch__in=rows.values("pk"))
        .filter(Exists(registered))
        .values("batch_id")
        .annotate(n=Count("pk"))
        .values_list("batch_id", "n")
    )
    return [
        BatchFigures(
            batch=b,
            invited=b.invited_count,
            sent=b.sent,
            failed=b.failed,
            opened=b.opened,
            registered=registered_counts.get(b.pk, 0),
        )
        for b in rows
    ]


def retention_purge(*, cutoff) -> int:
    """Remove the addresses and names from the invitations of events before ``cutoff`` (the rows stay for the
    figures)."""
    return (
        Invitation.objects.filter(event__date__lt=cutoff)
        .exclude(email__isnull=True, name="")
        .update(email=None, name="")
    )


def segment_description(segment_json: dict) -> str:
    """A stored segment in words, for the admin ("Organisationen und Personen mit Einwilligung; Arten: …")."""
    from events.models import OrganisationType
    from kokportal.federal_states import FederalState

    who = []
    if segment_json.get("organisations"):
        who.append(_("Organisationen (Funktionsadresse)"))
    if segment_json.get("consents"):
        who.append(_("Personen mit Einwilligung"))
    parts = [", ".join(str(w) for w in who)]
    type_ids = segment_json.get("organisation_types") or []
    if type_ids:
        names = OrganisationType.objects.filter(pk__in=type_ids).order_by("position", "name")
        parts.append(_("Arten: %(names)s") % {"names": ", ".join(t.display_name for t in names)})
    else:
        parts.append(_("alle eingeladenen Arten"))
    states = segment_json.get("federal_states") or []
    labels = dict(FederalState.choices)
    parts.append(
        _("Bundesländer: %(names)s") % {"names": ", ".join(str(labels.get(s, s)) for s in states)}
        if states
        else _("alle Bundesländer")
    )
    if segment_json.get("kok_members_only"):
        parts.append(_("nur KOK-Mitglieder"))
    event_ids = segment_json.get("past_events") or []
    if event_ids:
        titles = Event.objects.filter(pk__in=event_ids).order_by("date")
        parts.append(_("angemeldet zu: %(titles)s") % {"titles": "; ".join(str(e) for e in titles)})
    return "; ".join(parts)
