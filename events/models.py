"""Practice days, their programme, seat quotas and team, and the organisation types and organisations they
refer to (quotas are per type, co-organisers are organisations; participants choose them when registering)."""

import datetime as dt

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.db.models.functions import Lower
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from kokportal.federal_states import FederalState
from kokportal.formatting import format_date_span, format_event_when, in_current_language
from kokportal.models import TimeStampedModel

from .enums import (
    EventKind,
    EventReach,
    EventStatus,
    MaterialVisibility,
    PresenceMode,
    ProgrammeItemKind,
    QuestionKind,
    RegistrationMode,
    TeamRole,
)


class TranslatedNameMixin(models.Model):
    """Admin-maintained vocabulary with a German name and an optional English one."""

    name = models.CharField(_("Bezeichnung (deutsch)"), max_length=200)
    name_en = models.CharField(_("Bezeichnung (englisch)"), max_length=200, blank=True)

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return self.display_name

    @property
    def display_name(self) -> str:
        return in_current_language(self.name, self.name_en)


class OrganisationType(TranslatedNameMixin, TimeStampedModel):
    """A kind of organisation invited to practice days, e.g. Fachberatungsstelle or BAMF-Sonderbeauftragte.
    Seat quotas are set per type."""

    slug = models.SlugField(_("Kürzel"), max_length=60, unique=True)
    description = models.TextField(_("Beschreibung"), blank=True)
    position = models.PositiveSmallIntegerField(_("Reihenfolge"), default=0)

    class Meta:
        verbose_name = _("Art der Organisation")
        verbose_name_plural = _("Arten von Organisationen")
        ordering = ["position", "name"]


class Organisation(TimeStampedModel):
    name = models.CharField(_("Name"), max_length=250)
    organisation_type = models.ForeignKey(
        OrganisationType,
        verbose_name=_("Art der Organisation"),
        on_delete=models.PROTECT,
        related_name="organisations",
    )
    city = models.CharField(_("Ort"), max_length=120, blank=True)
    federal_state = models.CharField(_("Bundesland"), max_length=2, choices=FederalState.choices, blank=True)
    is_kok_member = models.BooleanField(_("KOK-Mitglied"), default=False)
    # A functional address (an office, never a person's own): invitations to new practice days go here
    # (participants.invitations). Staff enter it; the organisation can stop the invitations by the link in each one.
    contact_email = models.EmailField(
        _("Funktionsadresse für Einladungen"),
        blank=True,
        help_text=_("Eine Adresse der Stelle (z. B. info@…), keine persönliche Adresse."),
    )
    invitations_stopped_at = models.DateTimeField(
        _("Einladungen abbestellt am"),
        null=True,
        blank=True,
        help_text=_(
            "Leer: die Funktionsadresse bekommt Einladungen. Gesetzt über den Abmeldelink einer Einladung; eine neue "
            "Funktionsadresse bekommt wieder Einladungen."
        ),
    )
    is_reviewed = models.BooleanField(
        _("geprüft"),
        default=True,
        help_text=_("Von Teilnehmenden neu eingetragene Organisationen prüft die Geschäftsstelle."),
    )

    class Meta:
        verbose_name = _("Organisation")
        verbose_name_plural = _("Organisationen")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                Lower("name"), "organisation_type", "city", name="organisation_unique_name_type_city"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.city})" if self.city else self.name


class Project(TimeStampedModel):
    """A funded project that practice days belong to, e.g. "Flucht & Menschenhandel" (01.05.2016–30.11.2017, funded by
    the Federal Government Commissioner for Migration, Refugees and Integration). Its funder's credit line (and logo,
    uploaded by staff, checked and re-encoded: events.services.project_save) appear on the event pages, in the
    documentation and on the certificates of its events, as funders require."""

    title = models.CharField(_("Titel (deutsch)"), max_length=300)
    title_en = models.CharField(_("Titel (englisch)"), max_length=300, blank=True)
    starts_on = models.DateField(_("Laufzeit von"))
    ends_on = models.DateField(_("Laufzeit bis"))
    description = models.TextField(_("Beschreibung"), blank=True)
    funder = models.CharField(_("Förderer (deutsch)"), max_length=300)
    funder_en = models.CharField(_("Förderer (englisch)"), max_length=300, blank=True)
    credit_line = models.CharField(
        _("Förderhinweis (deutsch)"),
        max_length=500,
        help_text=_("Der Wortlaut, den der Förderer verlangt, z. B. „Gefördert durch …“."),
    )
    credit_line_en = models.CharField(_("Förderhinweis (englisch)"), max_length=500, blank=True)
    logo_png = models.BinaryField(_("Logo des Förderers (PNG)"), null=True, blank=True, editable=False)
    logo_width = models.PositiveIntegerField(_("Breite in Pixeln"), null=True, blank=True, editable=False)
    logo_height = models.PositiveIntegerField(_("Höhe in Pixeln"), null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("Projekt")
        verbose_name_plural = _("Projekte")
        ordering = ["-starts_on", "title"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__gte=F("starts_on")),
                name="project_ends_after_start",
                violation_error_message=_("Die Laufzeit endet vor ihrem Beginn."),
            ),
            models.CheckConstraint(
                condition=Q(logo_png__isnull=True) | (Q(logo_width__gt=0) & Q(logo_height__gt=0)),
                name="project_logo_has_size",
            ),
        ]

    def __str__(self) -> str:
        return self.display_title

    @property
    def display_title(self) -> str:
        return in_current_language(self.title, self.title_en)

    @property
    def display_funder(self) -> str:
        return in_current_language(self.funder, self.funder_en)

    @property
    def display_credit_line(self) -> str:
        return in_current_language(self.credit_line, self.credit_line_en)

    @property
    def has_logo(self) -> bool:
        return self.logo_width is not None

    def get_logo_url(self) -> str:
        """The logo's address, with a version that changes with every save (a replaced logo is never served from a
        browser's cache)."""
        version = int(self.modified.timestamp()) if self.modified else 0
        return reverse("events:project_logo", kwargs={"pk": self.pk}) + f"?v={version}"


def over_before(day: dt.date, prefix: str = "") -> Q:
    """Events whose last day lies before ``day`` (``prefix`` e.g. "event__" from a related model): a one-day event has
    no ``end_date``, a multi-day one ends on it."""
    return Q(**{f"{prefix}end_date__lt": day}) | Q(**{f"{prefix}end_date__isnull": True, f"{prefix}date__lt": day})


class EventQuerySet(models.QuerySet):
    def published(self):
        return self.filter(status__in=[EventStatus.PUBLISHED, EventStatus.CANCELLED])

    def upcoming(self, today: dt.date | None = None):
        """Events not over yet: a multi-day event is upcoming until its last day has passed."""
        return self.exclude(over_before(today or timezone.localdate()))

    def past(self, today: dt.date | None = None):
        return self.filter(over_before(today or timezone.localdate()))


class Event(TimeStampedModel):
    """An event of the series: a Praxisfachtag or another format (``kind``: regional meeting, expert talk, practice,
    cooperation workshop, specialist meeting), regional or national (``reach``), in person, virtual or hybrid
    (``presence``), on one day or several (``end_date``: the last day; empty for a one-day event). The times are the
    start on the first day and the end on the last; the programme is given per day (``ProgrammeItem.day``).

    A hybrid event may count its online seats apart (``online_capacity``): then people choose in person or online when
    registering, in-person registrations take the quotas and ``capacity``, online ones only ``online_capacity``
    (participants.selectors.compute_availability)."""

    title = models.CharField(_("Titel"), max_length=300)
    slug = models.SlugField(_("Kurzname in der Adresse"), max_length=120, unique=True)
    kind = models.CharField(_("Format"), max_length=24, choices=EventKind.choices, default=EventKind.PRACTICE_DAY)
    reach = models.CharField(_("Reichweite"), max_length=16, choices=EventReach.choices, default=EventReach.NATIONAL)
    presence = models.CharField(
        _("Teilnahmeform"), max_length=16, choices=PresenceMode.choices, default=PresenceMode.IN_PERSON
    )
    status = models.CharField(_("Status"), max_length=16, choices=EventStatus.choices, default=EventStatus.DRAFT)
    date = models.DateField(_("Datum (erster Tag)"))
    end_date = models.DateField(
        _("letzter Tag"),
        null=True,
        blank=True,
        help_text=_("Nur bei mehrtägigen Veranstaltungen; leer: eintägig."),
    )
    start_time = models.TimeField(_("Beginn"), help_text=_("Am ersten Tag."))
    end_time = models.TimeField(_("Ende"), help_text=_("Am letzten Tag."))
    description = models.TextField(_("Beschreibung"), blank=True)

    venue_name = models.CharField(_("Veranstaltungsort"), max_length=200, blank=True)
    venue_street = models.CharField(_("Straße und Hausnummer"), max_length=200, blank=True)
    venue_postcode = models.CharField(_("PLZ"), max_length=10, blank=True)
    venue_city = models.CharField(_("Ort"), max_length=120, blank=True)
    federal_state = models.CharField(
        _("Bundesland"),
        max_length=2,
        choices=FederalState.choices,
        blank=True,
        help_text=_("Bei Präsenzveranstaltungen das Bundesland des Veranstaltungsorts."),
    )
    online_access = models.TextField(
        _("Zugangsdaten (online)"),
        blank=True,
        help_text=_(
            "Link und Zugangscode bei virtuellen und hybriden Veranstaltungen; sichtbar nur für bestätigte "
            "Teilnehmer*innen (bei hybriden nur für die online Teilnehmenden)."
        ),
    )

    co_organisers = models.ManyToManyField(
        Organisation, verbose_name=_("Mitveranstaltende"), blank=True, related_name="co_organised_events"
    )
    project = models.ForeignKey(
        Project,
        verbose_name=_("Projekt"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="events",
        help_text=_("Gehört der Praxisfachtag zu einem geförderten Projekt, erscheint dessen Förderhinweis."),
    )
    invited_types = models.ManyToManyField(
        OrganisationType,
        verbose_name=_("Eingeladene Arten von Organisationen"),
        blank=True,
        related_name="invited_to_events",
    )

    registration_mode = models.CharField(
        _("Anmeldeverfahren"), max_length=16, choices=RegistrationMode.choices, default=RegistrationMode.OPEN
    )
    invitation_only = models.BooleanField(
        _("nur mit persönlicher Einladung"),
        default=False,
        help_text=_("Anmelden kann sich nur, wer den Link einer Einladung zu diesem Praxisfachtag öffnet."),
    )
    registration_opens = models.DateTimeField(_("Anmeldung ab"), null=True, blank=True)
    registration_closes = models.DateTimeField(_("Anmeldung bis"), null=True, blank=True)
    cancellation_deadline = models.DateTimeField(
        _("Stornierung bis"),
        null=True,
        blank=True,
        help_text=_("Leer: Teilnehmer*innen können bis zum Beginn der Veranstaltung stornieren."),
    )
    capacity = models.IntegerField(
        _("Plätze insgesamt"),
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
        help_text=_(
            "Leer: keine Obergrenze außer den Kontingenten. Bei hybriden Veranstaltungen mit getrennten "
            "Online-Plätzen: die Plätze vor Ort."
        ),
    )
    online_capacity = models.IntegerField(
        _("Plätze online (getrennt gezählt)"),
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
        help_text=_(
            "Nur bei hybriden Veranstaltungen: Online-Plätze, die getrennt von den Plätzen vor Ort gezählt werden; "
            "Teilnehmer*innen wählen bei der Anmeldung vor Ort oder online. Leer: alle Plätze gemeinsam."
        ),
    )

    # The public review (summary, outcomes, figures by organisation type) appears on the event's page only once
    # staff publish it (events.services.event_review_publish).
    review_published_at = models.DateTimeField(_("Rückblick veröffentlicht am"), null=True, blank=True, editable=False)
    # Demo events (kokportal's seed_demo): whatever the seed texts do not say is invented; pages and PDFs say so.
    is_example = models.BooleanField(
        _("Beispieldaten"),
        default=False,
        help_text=_(
            "Veranstaltung aus den Demo-Daten: Ihre Seiten und PDFs tragen den Hinweis „Beispieldaten“, damit "
            "niemand sie für Unterlagen des KOK hält."
        ),
    )

    summary = models.TextField(
        _("Zusammenfassung (Dokumentation)"),
        blank=True,
        help_text=_(
            "Erscheint in der Dokumentation und, sobald die Geschäftsstelle den Rückblick veröffentlicht, auf der "
            "öffentlichen Seite der Veranstaltung."
        ),
    )
    outcomes = models.TextField(
        _("Ergebnisse und Ausblick (Dokumentation)"),
        blank=True,
        help_text=_(
            "Erscheint in der Dokumentation und, sobald die Geschäftsstelle den Rückblick veröffentlicht, auf der "
            "öffentlichen Seite der Veranstaltung."
        ),
    )

    objects = EventQuerySet.as_manager()

    class Meta:
        verbose_name = _("Praxisfachtag")
        verbose_name_plural = _("Praxisfachtage")
        ordering = ["-date", "start_time"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__isnull=False) | Q(end_time__gt=F("start_time")),
                name="event_end_after_start",
                violation_error_message=_("Das Ende liegt vor dem Beginn."),
            ),
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(end_date__gt=F("date")),
                name="event_last_day_after_first",
                violation_error_message=_(
                    "Der letzte Tag muss nach dem ersten liegen (bei eintägigen Veranstaltungen bleibt er leer)."
                ),
            ),
            models.CheckConstraint(
                condition=Q(online_capacity__isnull=True)
                | (Q(presence=PresenceMode.HYBRID) & Q(online_capacity__gte=0)),
                name="event_online_capacity_only_hybrid",
                violation_error_message=_("Getrennte Online-Plätze gibt es nur bei hybriden Veranstaltungen."),
            ),
            models.CheckConstraint(
                condition=Q(presence=PresenceMode.VIRTUAL) | (~Q(venue_name="") & ~Q(venue_city="")),
                name="event_venue_required_unless_virtual",
                violation_error_message=_(
                    "Bitte geben Sie Ort und Stadt an (nur virtuelle Veranstaltungen haben keinen)."
                ),
            ),
            models.CheckConstraint(
                condition=Q(registration_opens__isnull=True)
                | Q(registration_closes__isnull=True)
                | Q(registration_closes__gt=F("registration_opens")),
                name="event_registration_closes_after_opens",
                violation_error_message=_("Die Anmeldung muss schließen, nachdem sie geöffnet hat."),
            ),
            models.CheckConstraint(
                condition=Q(capacity__isnull=True) | Q(capacity__gte=0), name="event_capacity_not_negative"
            ),
        ]
        indexes = [models.Index(fields=["status", "date"], name="event_status_date_idx")]

    def __str__(self) -> str:
        return f"{self.title} ({self.date:%d.%m.%Y})"

    def get_absolute_url(self) -> str:
        return reverse("events:detail", kwargs={"slug": self.slug})

    @property
    def review_public(self) -> bool:
        """The review shows on the public page: published by staff, and the event is over."""
        return self.review_published_at is not None and self.last_date < timezone.localdate()

    @property
    def is_virtual(self) -> bool:
        """Online only: no venue."""
        return self.presence == PresenceMode.VIRTUAL

    @property
    def is_hybrid(self) -> bool:
        return self.presence == PresenceMode.HYBRID

    @property
    def has_online_access(self) -> bool:
        """People may take part online (virtual or hybrid)."""
        return self.presence != PresenceMode.IN_PERSON

    @property
    def separate_online_seats(self) -> bool:
        """A hybrid event whose online seats are counted apart from those at the venue."""
        return self.is_hybrid and self.online_capacity is not None

    @property
    def last_date(self) -> dt.date:
        return self.end_date or self.date

    @property
    def is_multi_day(self) -> bool:
        return self.end_date is not None and self.end_date > self.date

    @property
    def days(self) -> list[dt.date]:
        """Every day of the event, first to last."""
        return [self.date + dt.timedelta(days=n) for n in range((self.last_date - self.date).days + 1)]

    @property
    def dates_display(self) -> str:
        """ "17. Mai 2017" or "16. Mai – 17. Mai 2017"."""
        return format_date_span(self.date, self.end_date)

    @property
    def when_display(self) -> str:
        """Weekdays, dates and times: "Dienstag, 16. Mai 2017, 10:00–16:00 Uhr" or the span of a multi-day event."""
        return format_event_when(self.date, self.end_date, self.start_time, self.end_time)

    def is_over(self, today: dt.date | None = None) -> bool:
        return self.last_date < (today or timezone.localdate())

    @property
    def starts_at(self) -> dt.datetime:
        return timezone.make_aware(dt.datetime.combine(self.date, self.start_time))

    @property
    def ends_at(self) -> dt.datetime:
        """The end on the last day."""
        return timezone.make_aware(dt.datetime.combine(self.last_date, self.end_time))

    @property
    def effective_cancellation_deadline(self) -> dt.datetime:
        return self.cancellation_deadline or self.starts_at

    @property
    def place_display(self) -> str:
        if self.is_virtual:
            return str(_("virtuell"))
        return ", ".join(part for part in (self.venue_name, self.venue_city) if part)


class ProgrammeItem(TimeStampedModel):
    event = models.ForeignKey(
        Event, verbose_name=_("Praxisfachtag"), on_delete=models.CASCADE, related_name="programme"
    )
    day = models.PositiveSmallIntegerField(
        _("Tag"),
        default=1,
        validators=[MinValueValidator(1)],
        help_text=_("Bei mehrtägigen Veranstaltungen: 1 für den ersten Tag, 2 für den zweiten …"),
    )
    start = models.TimeField(_("Beginn"))
    end = models.TimeField(_("Ende"))
    kind = models.CharField(_("Art"), max_length=20, choices=ProgrammeItemKind.choices)
    title = models.CharField(_("Titel"), max_length=300)
    # Free text shown as it is (in the demo: institutions such as "BAMF"); the people who speak are speaker records
    # (``speaker_records``), shown only with their consent.
    speakers = models.CharField(_("Referierende Institution (Freitext)"), max_length=300, blank=True)
    speaker_records = models.ManyToManyField(
        "Speaker",
        verbose_name=_("Referent*innen"),
        through="ProgrammeItemSpeaker",
        blank=True,
        related_name="programme_items",
    )
    description = models.TextField(_("Beschreibung"), blank=True)

    class Meta:
        verbose_name = _("Programmpunkt")
        verbose_name_plural = _("Programm")
        ordering = ["event", "day", "start", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(day__gte=1), name="programmeitem_day_positive"),
            models.CheckConstraint(
                condition=Q(end__gt=F("start")),
                name="programmeitem_end_after_start",
                violation_error_message=_("Das Ende eines Programmpunkts liegt vor seinem Beginn."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.start:%H:%M} {self.title}"

    def with_day(self, text: str, *, multi_day: bool) -> str:
        """``text`` about this item, led by its day when the event has several ("Tag 2, 10:00 Diskussion")."""
        if not multi_day:
            return text
        return str(_("Tag %(number)d, %(item)s")) % {"number": self.day, "item": text}

    @property
    def on_date(self) -> dt.date:
        """The calendar day of this item (day 1 is the event's first day)."""
        return self.event.date + dt.timedelta(days=self.day - 1)

    # 24-hour times in both languages ("14:30"), formatted without the template engine's date machinery: the
    # programme is on every event page.
    @property
    def start_display(self) -> str:
        return f"{self.start:%H:%M}"

    @property
    def end_display(self) -> str:
        return f"{self.end:%H:%M}"


class Quota(TimeStampedModel):
    """Seats reserved for one organisation type (e.g. 20 for counselling centres, 20 for BAMF officers)."""

    event = models.ForeignKey(Event, verbose_name=_("Praxisfachtag"), on_delete=models.CASCADE, related_name="quotas")
    organisation_type = models.ForeignKey(
        OrganisationType,
        verbose_name=_("Art der Organisation"),
        on_delete=models.PROTECT,
        related_name="quotas",
    )
    seats = models.IntegerField(_("Plätze"), validators=[MinValueValidator(0)])

    class Meta:
        verbose_name = _("Kontingent")
        verbose_name_plural = _("Kontingente")
        ordering = ["event", "organisation_type__position"]
        constraints = [
            models.UniqueConstraint(fields=["event", "organisation_type"], name="quota_one_per_type_and_event"),
            models.CheckConstraint(condition=Q(seats__gte=0), name="quota_seats_not_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.organisation_type}: {self.seats}"


class EventTeamMember(TimeStampedModel):
    """A person who helps run one event (co-organiser or facilitator) and may see what concerns it."""

    event = models.ForeignKey(Event, verbose_name=_("Praxisfachtag"), on_delete=models.CASCADE, related_name="team")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("Konto"), on_delete=models.CASCADE, related_name="event_roles"
    )
    role = models.CharField(_("Rolle"), max_length=20, choices=TeamRole.choices)

    class Meta:
        verbose_name = _("Team-Mitglied")
        verbose_name_plural = _("Team")
        constraints = [
            models.UniqueConstraint(fields=["event", "user", "role"], name="eventteammember_unique_role"),
        ]

    def __str__(self) -> str:
        return f"{self.user} ({self.get_role_display()})"


# Limits of an event's own questions (EventQuestion) and of the answers to them (participants.RegistrationAnswer).
QUESTION_TEXT_MAX_LENGTH = 300
QUESTION_HELP_MAX_LENGTH = 500
QUESTION_OPTIONS_MAX_LENGTH = 2000
ANSWER_TEXT_MAX_LENGTH = 150
ANSWER_LONG_TEXT_MAX_LENGTH = 2000


def option_lines(text: str) -> list[str]:
    """The options of a choice question: one per line, blank lines left out."""
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


class EventQuestion(TimeStampedModel):
    """A question of one event's registration form, in German and English, for every invited organisation type or
    only for some (``organisation_types`` empty: for everyone). Choice options are one per line; the English
    options are given line by line in the same order. The answers (participants.RegistrationAnswer) store the
    chosen options by their position, so once a question is answered its kind stays and its options may only be
    added at the end, never removed or reordered (events.services.event_question_save)."""

    event = models.ForeignKey(
        Event, verbose_name=_("Praxisfachtag"), on_delete=models.CASCADE, related_name="questions"
    )
    position = models.PositiveSmallIntegerField(_("Reihenfolge"), default=0)
    kind = models.CharField(_("Art der Frage"), max_length=20, choices=QuestionKind.choices)
    text = models.CharField(_("Frage (deutsch)"), max_length=QUESTION_TEXT_MAX_LENGTH)
    text_en = models.CharField(_("Frage (englisch)"), max_length=QUESTION_TEXT_MAX_LENGTH, blank=True)
    help_text = models.CharField(_("Hinweis (deutsch)"), max_length=QUESTION_HELP_MAX_LENGTH, blank=True)
    help_text_en = models.CharField(_("Hinweis (englisch)"), max_length=QUESTION_HELP_MAX_LENGTH, blank=True)
    options = models.TextField(
        _("Antwortmöglichkeiten (deutsch)"),
        max_length=QUESTION_OPTIONS_MAX_LENGTH,
        blank=True,
        help_text=_("Nur bei Auswahlfragen: eine Antwortmöglichkeit je Zeile."),
    )
    options_en = models.TextField(
        _("Antwortmöglichkeiten (englisch)"),
        max_length=QUESTION_OPTIONS_MAX_LENGTH,
        blank=True,
        help_text=_("In derselben Reihenfolge wie die deutschen, eine je Zeile."),
    )
    required = models.BooleanField(_("Pflichtfrage"), default=False)
    min_value = models.IntegerField(_("kleinste Zahl"), null=True, blank=True)
    max_value = models.IntegerField(_("größte Zahl"), null=True, blank=True)
    organisation_types = models.ManyToManyField(
        OrganisationType,
        verbose_name=_("nur für diese Arten von Organisationen"),
        blank=True,
        related_name="+",
        help_text=_("Leer: für alle eingeladenen Arten."),
    )

    class Meta:
        verbose_name = _("Frage zur Anmeldung")
        verbose_name_plural = _("Fragen zur Anmeldung")
        ordering = ["event", "position", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(kind__in=QuestionKind.values), name="eventquestion_kind_valid"),
            models.CheckConstraint(
                condition=Q(kind__in=QuestionKind.with_options()) | Q(options="", options_en=""),
                name="eventquestion_options_only_for_choices",
            ),
            models.CheckConstraint(
                condition=~Q(kind__in=QuestionKind.with_options()) | ~Q(options=""),
                name="eventquestion_choices_have_options",
            ),
            models.CheckConstraint(
                condition=Q(kind=QuestionKind.NUMBER) | Q(min_value__isnull=True, max_value__isnull=True),
                name="eventquestion_range_only_for_numbers",
            ),
            models.CheckConstraint(
                condition=Q(min_value__isnull=True) | Q(max_value__isnull=True) | Q(max_value__gte=F("min_value")),
                name="eventquestion_range_ordered",
            ),
        ]

    def __str__(self) -> str:
        return self.display_text

    @property
    def display_text(self) -> str:
        return in_current_language(self.text, self.text_en)

    @property
    def display_help_text(self) -> str:
        return in_current_language(self.help_text, self.help_text_en)

    @property
    def option_list(self) -> list[str]:
        return option_lines(self.options)

    @property
    def display_options(self) -> list[str]:
        """The options in the current language (German where an English one is missing)."""
        german, english = option_lines(self.options), option_lines(self.options_en)
        if translation.get_language() != "en":
            return german
        return [english[i] if i < len(english) else label for i, label in enumerate(german)]

    def applies_to(self, organisation_type_id: int | None) -> bool:
        """Whether the question is asked of that type (uses the prefetched ``organisation_types``)."""
        type_ids = {t.pk for t in self.organisation_types.all()}
        return not type_ids or organisation_type_id in type_ids


class StoredFile(TimeStampedModel):
    """The bytes of an uploaded material on disk (default storage, under MEDIA_ROOT, never served directly), shared
    by the materials that refer to it: a copied event's materials point to the same file. Its name on disk is
    random; the name people see is the material's ``file_name``. Removed with its last material
    (events.materials.material_delete, stored_files_purge_orphans)."""

    name = models.CharField(_("Name im Speicher"), max_length=200, unique=True, editable=False)
    content_type = models.CharField(_("Dateityp"), max_length=120, editable=False)
    extension = models.CharField(_("Dateiendung"), max_length=10, editable=False)
    size = models.PositiveBigIntegerField(_("Größe in Bytes"), editable=False)
    sha256 = models.CharField(_("Prüfsumme (SHA-256)"), max_length=64, editable=False)

    class Meta:
        verbose_name = _("gespeicherte Datei")
        verbose_name_plural = _("gespeicherte Dateien")
        constraints = [
            models.CheckConstraint(condition=Q(size__gt=0), name="storedfile_size_positive"),
            models.CheckConstraint(condition=~Q(extension=""), name="storedfile_extension_set"),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def type_label(self) -> str:
        """The kind of file as people know it ("PDF", "DOCX", "PNG")."""
        return "JPEG" if self.extension in ("jpg", "jpeg") else self.extension.upper()


class Material(TimeStampedModel):
    """A file of an event or of one of its programme items (slides, handouts, checklists), with who may see it
    (``visibility``, events.permissions.material_visibilities). Downloaded through events:material_download, which
    checks access; never served inline."""

    event = models.ForeignKey(
        Event, verbose_name=_("Praxisfachtag"), on_delete=models.CASCADE, related_name="materials"
    )
    programme_item = models.ForeignKey(
        ProgrammeItem,
        verbose_name=_("Programmpunkt"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="materials",
        help_text=_("Leer: Material zum ganzen Praxisfachtag."),
    )
    title = models.CharField(_("Titel (deutsch)"), max_length=300)
    title_en = models.CharField(_("Titel (englisch)"), max_length=300, blank=True)
    file_name = models.CharField(_("Dateiname"), max_length=200, editable=False)
    stored_file = models.ForeignKey(
        StoredFile, verbose_name=_("Datei"), on_delete=models.PROTECT, related_name="materials", editable=False
    )
    visibility = models.CharField(
        _("Sichtbar für"), max_length=16, choices=MaterialVisibility.choices, default=MaterialVisibility.REGISTERED
    )
    position = models.PositiveSmallIntegerField(_("Reihenfolge"), default=0)
    # Who uploaded it: staff (kept as None when the account is deleted), or a speaker through their personal link
    # (events.speakers.speaker_slides_upload).
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("hochgeladen von"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
    )
    uploaded_by_speaker = models.ForeignKey(
        "Speaker",
        verbose_name=_("hochgeladen von Referent*in"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="uploaded_materials",
        editable=False,
    )

    class Meta:
        verbose_name = _("Material")
        verbose_name_plural = _("Materialien")
        ordering = ["event", "position", "id"]
        constraints = [
            models.CheckConstraint(condition=~Q(title=""), name="material_title_set"),
            models.CheckConstraint(condition=~Q(file_name=""), name="material_file_name_set"),
            models.CheckConstraint(
                condition=Q(visibility__in=MaterialVisibility.values), name="material_visibility_valid"
            ),
        ]

    def __str__(self) -> str:
        return self.display_title

    @property
    def display_title(self) -> str:
        return in_current_language(self.title, self.title_en)

    def get_absolute_url(self) -> str:
        return reverse(
            "events:material_download",
            kwargs={"slug": self.event.slug, "pk": self.pk, "file_name": self.file_name},
        )


# --- speakers (Referent*innen) ----------------------------------------------------------------------------------

SPEAKER_BIO_MAX_LENGTH = 1000


class Speaker(TimeStampedModel):
    """A person who speaks at practice days. Name, organisation and short biography appear on the event page, in the
    calendar entry and in the documentation only with their consent (``consent_to_publish``, given on their
    personal page, events.speakers.speaker_confirm). The e-mail address is for the invitation only: never shown
    publicly, never in a document."""

    name = models.CharField(_("Name"), max_length=200)
    organisation = models.CharField(_("Organisation"), max_length=250, blank=True)
    bio = models.TextField(_("Kurzbiografie (deutsch)"), max_length=SPEAKER_BIO_MAX_LENGTH, blank=True)
    bio_en = models.TextField(_("Kurzbiografie (englisch)"), max_length=SPEAKER_BIO_MAX_LENGTH, blank=True)
    email = models.EmailField(
        _("E-Mail-Adresse"),
        blank=True,
        help_text=_("Nur für die Einladung; erscheint nirgends öffentlich und in keiner Dokumentation."),
    )
    consent_to_publish = models.BooleanField(_("Einwilligung in die Veröffentlichung"), default=False, editable=False)
    consent_given_at = models.DateTimeField(_("Einwilligung erteilt am"), null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("Referent*in")
        verbose_name_plural = _("Referent*innen")
        ordering = ["name", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(consent_to_publish=False) | Q(consent_given_at__isnull=False),
                name="speaker_consent_has_time",
            ),
            models.CheckConstraint(condition=~Q(name=""), name="speaker_name_not_empty"),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.organisation})" if self.organisation else self.name

    @property
    def display_bio(self) -> str:
        return in_current_language(self.bio, self.bio_en)


class ProgrammeItemSpeaker(models.Model):
    """A speaker of a programme item, in the order in which they are named."""

    programme_item = models.ForeignKey(
        ProgrammeItem, verbose_name=_("Programmpunkt"), on_delete=models.CASCADE, related_name="speaker_links"
    )
    speaker = models.ForeignKey(
        Speaker, verbose_name=_("Referent*in"), on_delete=models.PROTECT, related_name="programme_links"
    )
    position = models.PositiveSmallIntegerField(_("Reihenfolge"), default=0)

    class Meta:
        verbose_name = _("Referent*in eines Programmpunkts")
        verbose_name_plural = _("Referent*innen der Programmpunkte")
        ordering = ["programme_item", "position", "id"]
        constraints = [
            models.UniqueConstraint(fields=["programme_item", "speaker"], name="programmeitemspeaker_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.speaker} – {self.programme_item}"


class SpeakerInvitation(TimeStampedModel):
    """A speaker's personal link for one event: confirm (or decline), edit organisation and biography and give or
    withdraw consent until ``deadline``. Only the SHA-256 hash of the link's secret is stored; a renewed invitation
    gets a new secret and the old link stops working."""

    speaker = models.ForeignKey(
        Speaker, verbose_name=_("Referent*in"), on_delete=models.CASCADE, related_name="invitations"
    )
    event = models.ForeignKey(
        Event, verbose_name=_("Praxisfachtag"), on_delete=models.CASCADE, related_name="speaker_invitations"
    )
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    deadline = models.DateTimeField(_("Frist"))
    sent_at = models.DateTimeField(_("gesendet am"), null=True, blank=True, editable=False)
    confirmed_at = models.DateTimeField(_("zugesagt am"), null=True, blank=True, editable=False)
    declined_at = models.DateTimeField(_("abgesagt am"), null=True, blank=True, editable=False)
    last_edited_at = models.DateTimeField(_("zuletzt bearbeitet am"), null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("Einladung an Referent*in")
        verbose_name_plural = _("Einladungen an Referent*innen")
        ordering = ["event", "speaker__name", "id"]
        constraints = [
            models.UniqueConstraint(fields=["speaker", "event"], name="speakerinvitation_one_per_event"),
            models.CheckConstraint(
                condition=Q(confirmed_at__isnull=True) | Q(declined_at__isnull=True),
                name="speakerinvitation_not_confirmed_and_declined",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.speaker.name} – {self.event}"

    @property
    def state(self) -> str:
        if self.confirmed_at:
            return "confirmed"
        if self.declined_at:
            return "declined"
        return "open"

    @property
    def state_display(self) -> str:
        return {"confirmed": _("zugesagt"), "declined": _("abgesagt"), "open": _("offen")}[self.state]
