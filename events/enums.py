from django.db import models
from django.utils.translation import gettext_lazy as _


class EventReach(models.TextChoices):
    """Whom an event addresses: the services of one region (e.g. the regional days of September 2017 in Hamburg and
    Berlin) or of the whole country."""

    REGIONAL = "regional", _("regional")
    NATIONAL = "national", _("bundesweit")


class EventKind(models.TextChoices):
    """The format of an event in the series (the seeds name them all)."""

    PRACTICE_DAY = "practice_day", _("Praxisfachtag")
    REGIONAL_MEETING = "regional_meeting", _("Regionaltreffen")
    EXPERT_TALK = "expert_talk", _("Fachgespräch")
    PRACTICE_WORKSHOP = "practice_workshop", _("Praxisworkshop")
    COOPERATION_WORKSHOP = "cooperation_workshop", _("Kooperationsworkshop")
    SPECIALIST_MEETING = "specialist_meeting", _("Fachtreffen")


class PresenceMode(models.TextChoices):
    """How people take part: at the venue, online, or either (hybrid: venue and online access)."""

    IN_PERSON = "in_person", _("in Präsenz")
    VIRTUAL = "virtual", _("virtuell")
    HYBRID = "hybrid", _("hybrid (vor Ort und online)")


class EventStatus(models.TextChoices):
    DRAFT = "draft", _("Entwurf")
    PUBLISHED = "published", _("veröffentlicht")
    CANCELLED = "cancelled", _("abgesagt")


class RegistrationMode(models.TextChoices):
    OPEN = "open", _("offen (nach Eingang)")
    MODERATED = "moderated", _("moderiert (Freigabe durch die Geschäftsstelle)")


class ProgrammeItemKind(models.TextChoices):
    WELCOME = "welcome", _("Begrüßung")
    INPUT = "input", _("Input")
    BEST_PRACTICE = "best_practice", _("Best-Practice-Beispiel")
    WORKSHOP = "workshop", _("Arbeit in Kleingruppen")
    DISCUSSION = "discussion", _("Diskussion")
    BREAK = "break", _("Pause")
    CLOSING = "closing", _("Abschluss")


class RegistrationState(models.TextChoices):
    """What the public event page says about registration (derived, never stored)."""

    NOT_YET_OPEN = "not_yet_open", _("Anmeldung ab")
    OPEN = "open", _("Anmeldung offen")
    WAITLIST = "waitlist", _("ausgebucht – Warteliste offen")
    CLOSED = "closed", _("Anmeldung geschlossen")
    CANCELLED = "cancelled", _("abgesagt")
    PAST = "past", _("vergangen")


class TeamRole(models.TextChoices):
    CO_ORGANISER = "co_organiser", _("Mitveranstalter*in")
    FACILITATOR = "facilitator", _("Moderation")


class QuestionKind(models.TextChoices):
    """The kinds of an event's own questions on its registration form (events.models.EventQuestion)."""

    TEXT = "text", _("Text (eine Zeile)")
    LONG_TEXT = "long_text", _("Langer Text")
    SINGLE_CHOICE = "single_choice", _("Auswahl (eine Antwort)")
    MULTIPLE_CHOICE = "multiple_choice", _("Auswahl (mehrere Antworten)")
    YES_NO = "yes_no", _("Ja/Nein")
    NUMBER = "number", _("Zahl")
    DATE = "date", _("Datum")

    @classmethod
    def with_options(cls) -> list[str]:
        return [cls.SINGLE_CHOICE, cls.MULTIPLE_CHOICE]


class MaterialVisibility(models.TextChoices):
    """Who may see and download a material of an event (slides, handouts, checklists): events.permissions."""

    PUBLIC = "public", _("öffentlich")
    REGISTERED = "registered", _("nur angemeldete Teilnehmer*innen")
    TEAM = "team", _("nur Team und Geschäftsstelle")
