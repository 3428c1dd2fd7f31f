from django.db import models
from django.utils.translation import gettext_lazy as _


class RegistrationStatus(models.TextChoices):
    PENDING = "pending", _("wartet auf Freigabe")
    CONFIRMED = "confirmed", _("bestätigt")
    WAITLISTED = "waitlisted", _("Warteliste")
    CANCELLED = "cancelled", _("storniert")
    REJECTED = "rejected", _("abgelehnt")
    ATTENDED = "attended", _("teilgenommen")

    @classmethod
    def active(cls) -> list[str]:
        """Statuses of a registration that still counts: one of these per person and event."""
        return [cls.PENDING, cls.CONFIRMED, cls.WAITLISTED, cls.ATTENDED]

    @classmethod
    def holding_seat(cls) -> list[str]:
        """Statuses that occupy a seat. Pending registrations hold their seat while staff decide,
        as pretix and Indico do, so approving never overbooks."""
        return [cls.PENDING, cls.CONFIRMED, cls.ATTENDED]

    @classmethod
    def cancellable(cls) -> list[str]:
        """Statuses a cancellation applies to: a seat held or a place on the waiting list, not yet decided
        otherwise. Whether a person may cancel now is participants.permissions.cancellation_refusal."""
        return [cls.PENDING, cls.CONFIRMED, cls.WAITLISTED]

    @classmethod
    def participating(cls) -> list[str]:
        """Statuses of people who take part (confirmed before the day, attended after it)."""
        return [cls.CONFIRMED, cls.ATTENDED]


class MailingStatus(models.TextChoices):
    """Which registrations staff may write to (``participants.mailings``): everyone an event still counts."""

    CONFIRMED = RegistrationStatus.CONFIRMED.value, _("bestätigt")
    WAITLISTED = RegistrationStatus.WAITLISTED.value, _("Warteliste")
    PENDING = RegistrationStatus.PENDING.value, _("wartet auf Freigabe")
    ATTENDED = RegistrationStatus.ATTENDED.value, _("teilgenommen")


class DeliveryState(models.TextChoices):
    """What became of one mail of a mailing."""

    QUEUED = "queued", _("in der Warteschlange")
    SENT = "sent", _("versendet")
    FAILED = "failed", _("fehlgeschlagen")


class DeliveryFailure(models.TextChoices):
    """Why a mail of a mailing was not sent (never the server's words, which may name the address)."""

    REFUSED = "refused", _("Adresse vom Mailserver abgelehnt")
    ERROR = "error", _("Mailserver nicht erreichbar oder Fehler")
    GONE = "gone", _("Anmeldung nicht mehr vorhanden oder anonymisiert")
    WITHDRAWN = "stopped", _("Einwilligung widerrufen oder Einladungen abbestellt")


class InvitationSource(models.TextChoices):
    """Where an invitation's address comes from (participants.invitations)."""

    ORGANISATION = "organisation", _("Funktionsadresse einer Organisation")
    SUBSCRIBER = "subscriber", _("Person mit Einwilligung in Einladungen")
