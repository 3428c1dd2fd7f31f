"""A person's profile and their registrations for practice days."""

from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.db import models
from django.db.models import F, Q
from django.db.models.functions import Lower
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from events.enums import QuestionKind
from events.models import ANSWER_LONG_TEXT_MAX_LENGTH, EventQuestion, Organisation, OrganisationType
from kokportal.emails import normalise_email
from kokportal.federal_states import FederalState
from kokportal.models import TimeStampedModel, User
from kokportal.validators import MaxTextLengthValidator, text_length_constraint

from .enums import DeliveryFailure, DeliveryState, InvitationSource, MailingStatus, RegistrationStatus


class Profile(TimeStampedModel):
    """What a person entered at their last registration; it prefills the next form. Their own data: shown in
    their data export, blanked with their account."""

    user = models.OneToOneField(
        User, verbose_name=_("Konto"), on_delete=models.CASCADE, related_name="profile", primary_key=True
    )
    phone = models.CharField(_("Telefon"), max_length=32, blank=True)
    organisation_type = models.ForeignKey(
        OrganisationType,
        verbose_name=_("Art der Organisation"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("Organisation"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    function = models.CharField(_("Funktion / Rolle"), max_length=150, blank=True)
    federal_state = models.CharField(_("Bundesland"), max_length=2, choices=FederalState.choices, blank=True)

    class Meta:
        verbose_name = _("Profil")
        verbose_name_plural = _("Profile")

    def __str__(self) -> str:
        return str(self.user)


class Registration(TimeStampedModel):
    """A person's registration for one practice day.

    The personal fields are copied from the form (not read through the account), so the record of who
    took part stays correct when a profile changes, and so retention can blank them while the anonymous
    figures (type, organisation, federal state, status) stay for the documentation.
    """

    event = models.ForeignKey(
        "events.Event", verbose_name=_("Praxisfachtag"), on_delete=models.CASCADE, related_name="registrations"
    )
    user = models.ForeignKey(
        User,
        verbose_name=_("Konto"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="registrations",
    )
    status = models.CharField(
        _("Status"), max_length=16, choices=RegistrationStatus.choices, default=RegistrationStatus.PENDING
    )
    organisation_type = models.ForeignKey(
        OrganisationType, verbose_name=_("Art der Organisation"), on_delete=models.PROTECT, related_name="+"
    )
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("Organisation"),
        on_delete=models.PROTECT,
        related_name="registrations",
    )
    first_name = models.CharField(_("Vorname"), max_length=150)
    last_name = models.CharField(_("Nachname"), max_length=150)
    email = models.EmailField(_("E-Mail-Adresse"))
    phone = models.CharField(_("Telefon"), max_length=32, blank=True)
    function = models.CharField(_("Funktion / Rolle"), max_length=150, blank=True)
    federal_state = models.CharField(_("Bundesland"), max_length=2, choices=FederalState.choices)
    accessibility_needs = models.TextField(
        _("Barrierefreiheit"), max_length=1000, blank=True, validators=[MaxTextLengthValidator(1000)]
    )
    dietary_needs = models.CharField(_("Verpflegung"), max_length=300, blank=True)
    attends_online = models.BooleanField(
        _("nimmt online teil"),
        default=False,
        help_text=_("Bei virtuellen Veranstaltungen immer; bei hybriden nach Wahl bei der Anmeldung."),
    )
    language = models.CharField(_("Sprache"), max_length=8, default="de", choices=settings.LANGUAGES)

    privacy_consent_version = models.CharField(_("Version der Datenschutzhinweise"), max_length=32)
    privacy_consented_at = models.DateTimeField(_("Einwilligung Datenschutz am"))
    contact_list_consent = models.BooleanField(_("Einwilligung Kontaktliste"), default=False)
    contact_list_consented_at = models.DateTimeField(_("Einwilligung Kontaktliste am"), null=True, blank=True)

    waitlisted_at = models.DateTimeField(_("auf der Warteliste seit"), null=True, blank=True)
    confirmed_at = models.DateTimeField(_("bestätigt am"), null=True, blank=True)
    cancelled_at = models.DateTimeField(_("storniert am"), null=True, blank=True)
    decided_by = models.ForeignKey(
        User,
        verbose_name=_("entschieden von"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    anonymised_at = models.DateTimeField(_("anonymisiert am"), null=True, blank=True)
    # The personal invitation whose link the person opened before registering (participants.invitations), for the
    # figures "invited, opened, registered".
    invitation = models.ForeignKey(
        "participants.Invitation",
        verbose_name=_("Einladung"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="registrations",
        editable=False,
    )

    class Meta:
        verbose_name = _("Anmeldung")
        verbose_name_plural = _("Anmeldungen")
        ordering = ["event", "created", "id"]
        constraints = [
            models.UniqueConstraint(
                "event",
                "user",
                condition=Q(status__in=RegistrationStatus.active()),
                name="registration_one_active_per_user_and_event",
            ),
            models.UniqueConstraint(
                "event",
                Lower("email"),
                condition=Q(status__in=RegistrationStatus.active()) & Q(anonymised_at__isnull=True),
                name="registration_one_active_per_email_and_event",
            ),
            models.CheckConstraint(
                condition=~Q(status=RegistrationStatus.WAITLISTED) | Q(waitlisted_at__isnull=False),
                name="registration_waitlisted_has_time",
            ),
            models.CheckConstraint(
                condition=Q(contact_list_consent=False) | Q(contact_list_consented_at__isnull=False),
                name="registration_contact_consent_has_time",
            ),
            text_length_constraint("accessibility_needs", 1000, name="registration_accessibility_needs_max_length"),
        ]
        indexes = [
            models.Index(fields=["event", "status", "organisation_type"], name="registration_seat_count_idx"),
            models.Index(fields=["event", "status", "waitlisted_at"], name="registration_waitlist_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.first_name} {self.last_name}".strip() or str(_("anonymisierte Anmeldung"))

    def get_absolute_url(self) -> str:
        return reverse("participants:registration_detail", kwargs={"pk": self.pk})

    def clean(self) -> None:
        super().clean()
        self.email = normalise_email(self.email)

    def save(self, *args, **kwargs) -> None:
        self.email = normalise_email(self.email)
        super().save(*args, **kwargs)

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}".strip()


# Limits of a mailing's texts (participants.mailings): a subject fits one line of a mail program, the body a long
# letter.
MAILING_SUBJECT_MAX_LENGTH = 150
MAILING_BODY_MAX_LENGTH = 10000
# The note staff may add to an invitation (participants.invitations).
INVITATION_NOTE_MAX_LENGTH = 3000


class Mailing(TimeStampedModel):
    """A mail that staff wrote to the people of an event with the chosen statuses, sent one by one
    (``participants.mailings``). Subject and body are the staff's own text with placeholders, kept to show what was
    sent; they are never written to a log or to the audit log."""

    event = models.ForeignKey(
        "events.Event", verbose_name=_("Praxisfachtag"), on_delete=models.CASCADE, related_name="mailings"
    )
    statuses = ArrayField(
        models.CharField(max_length=16, choices=MailingStatus.choices), verbose_name=_("an Anmeldungen im Status")
    )
    subject = models.CharField(_("Betreff"), max_length=MAILING_SUBJECT_MAX_LENGTH)
    body = models.TextField(
        _("Text"),
        max_length=MAILING_BODY_MAX_LENGTH,
        validators=[MaxTextLengthValidator(MAILING_BODY_MAX_LENGTH)],
    )
    sent_by = models.ForeignKey(
        User, verbose_name=_("gesendet von"), on_delete=models.SET_NULL, null=True, related_name="+"
    )
    recipient_count = models.PositiveIntegerField(_("Empfänger*innen"))
    # The one-time key of the confirmation that sent it: a replayed or resubmitted confirmation finds it taken
    # and sends nothing (participants.mailings.mailing_send).
    send_key = models.CharField(
        _("Schlüssel der Bestätigung"), max_length=64, null=True, blank=True, unique=True, editable=False
    )
    sent_count = models.PositiveIntegerField(_("versendet"), default=0)
    failed_count = models.PositiveIntegerField(_("fehlgeschlagen"), default=0)

    class Meta:
        verbose_name = _("E-Mail an Teilnehmer*innen")
        verbose_name_plural = _("E-Mails an Teilnehmer*innen")
        ordering = ["-created", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(recipient_count__gt=0), name="mailing_has_recipients"),
            models.CheckConstraint(
                condition=Q(sent_count__lte=F("recipient_count") - F("failed_count")),
                name="mailing_counts_within_recipients",
            ),
            models.CheckConstraint(condition=Q(statuses__len__gt=0), name="mailing_has_statuses"),
            models.CheckConstraint(
                condition=Q(statuses__contained_by=[s.value for s in MailingStatus]), name="mailing_statuses_known"
            ),
            models.CheckConstraint(
                condition=~Q(subject__contains="\n") & ~Q(subject__contains="\r"), name="mailing_subject_one_line"
            ),
            text_length_constraint("body", MAILING_BODY_MAX_LENGTH, name="mailing_body_max_length"),
        ]

    def __str__(self) -> str:
        return f"{self.subject} ({timezone.localtime(self.created):%d.%m.%Y})" if self.created else self.subject


class MailingDelivery(models.Model):
    """One mail of a mailing, to one registration: queued, sent or failed (and why)."""

    mailing = models.ForeignKey(
        Mailing, verbose_name=_("E-Mail an Teilnehmer*innen"), on_delete=models.CASCADE, related_name="deliveries"
    )
    registration = models.ForeignKey(
        Registration,
        verbose_name=_("Anmeldung"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    state = models.CharField(_("Stand"), max_length=8, choices=DeliveryState.choices, default=DeliveryState.QUEUED)
    failure = models.CharField(_("Grund"), max_length=8, choices=DeliveryFailure.choices, blank=True)
    attempts = models.PositiveSmallIntegerField(_("Versuche"), default=0)
    finished_at = models.DateTimeField(_("abgeschlossen am"), null=True, blank=True)

    class Meta:
        verbose_name = _("Zustellung")
        verbose_name_plural = _("Zustellungen")
        ordering = ["mailing", "id"]
        constraints = [
            models.UniqueConstraint("mailing", "registration", name="mailingdelivery_one_per_registration"),
            models.CheckConstraint(
                condition=Q(state=DeliveryState.FAILED) | Q(failure=""), name="mailingdelivery_failure_only_if_failed"
            ),
            models.CheckConstraint(
                condition=Q(state=DeliveryState.QUEUED) | Q(finished_at__isnull=False),
                name="mailingdelivery_finished_has_time",
            ),
        ]

    def __str__(self) -> str:
        return str(self.registration) if self.registration_id else str(_("gelöschte Anmeldung"))


class AttendanceCertificate(TimeStampedModel):
    """A certificate of attendance (Teilnahmebescheinigung) issued for a registration marked attended.

    The row is what makes a certificate verifiable: its ``code`` (random, 80 bits, printed on the PDF and in its
    verification link and QR code) is looked up on the public verification page. A certificate stays valid while
    it is not revoked and its registration is still marked attended; undoing the attendance revokes it. When the
    registration is anonymised (account deletion, retention) the row is deleted, and its link answers 404.
    """

    registration = models.ForeignKey(
        Registration,
        verbose_name=_("Anmeldung"),
        on_delete=models.CASCADE,
        related_name="certificates",
    )
    code = models.CharField(_("Prüfcode"), max_length=19, unique=True, editable=False)
    issued_at = models.DateTimeField(_("ausgestellt am"))
    issued_by = models.ForeignKey(
        User,
        verbose_name=_("ausgestellt von"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    sent_at = models.DateTimeField(_("zuletzt per E-Mail versandt am"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("widerrufen am"), null=True, blank=True)

    class Meta:
        verbose_name = _("Teilnahmebescheinigung")
        verbose_name_plural = _("Teilnahmebescheinigungen")
        ordering = ["-issued_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                "registration",
                condition=Q(revoked_at__isnull=True),
                name="certificate_one_valid_per_registration",
            ),
            models.CheckConstraint(
                condition=Q(code__regex=r"^[A-Z2-9]{4}-[A-Z2-9]{4}-[A-Z2-9]{4}-[A-Z2-9]{4}$"),
                name="certificate_code_format",
            ),
            models.CheckConstraint(
                condition=Q(revoked_at__isnull=True) | Q(revoked_at__gte=models.F("issued_at")),
                name="certificate_revoked_after_issue",
            ),
        ]

    def __str__(self) -> str:
        return self.code

    @property
    def is_valid(self) -> bool:
        """Valid: not revoked and the registration still marked attended (both are needed: a revocation is the
        record, the status the rule)."""
        from .enums import RegistrationStatus

        return self.revoked_at is None and self.registration.status == RegistrationStatus.ATTENDED


class CertificateSignature(TimeStampedModel):
    """KOK's signature block on every certificate of attendance: one record for the whole portal (KOK issues every
    certificate, whoever co-organised the day), edited by staff in the admin. The image is stored as the PNG the
    upload was checked and re-encoded to (participants.services.certificate_signature_update), small enough to
    go into the PDF as it is."""

    SINGLETON_ID = 1

    id = models.PositiveSmallIntegerField(primary_key=True, default=SINGLETON_ID, editable=False)
    name = models.CharField(_("Name der unterzeichnenden Person"), max_length=150, blank=True)
    role = models.CharField(_("Funktion (deutsch)"), max_length=150, blank=True)
    role_en = models.CharField(_("Funktion (englisch)"), max_length=150, blank=True)
    image_png = models.BinaryField(_("Unterschrift (PNG)"), null=True, blank=True, editable=False)
    image_width = models.PositiveIntegerField(_("Breite in Pixeln"), null=True, blank=True, editable=False)
    image_height = models.PositiveIntegerField(_("Höhe in Pixeln"), null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("Unterschrift der Teilnahmebescheinigungen")
        verbose_name_plural = _("Unterschrift der Teilnahmebescheinigungen")
        constraints = [
            models.CheckConstraint(condition=Q(id=1), name="certificatesignature_singleton"),
        ]

    def __str__(self) -> str:
        return str(_("Unterschrift der Teilnahmebescheinigungen"))


class RegistrationAnswer(TimeStampedModel):
    """A person's answer to one of the event's own questions (events.models.EventQuestion), stored with their
    registration: personal data, shown to them, in their data export, deleted when the registration is anonymised.
    One value column per kind of question; choices are the positions of the chosen options (0 = the first line)."""

    registration = models.ForeignKey(
        Registration, verbose_name=_("Anmeldung"), on_delete=models.CASCADE, related_name="answers"
    )
    # RESTRICT, not PROTECT: an answered question cannot be deleted on its own, but with its event (which deletes
    # the registrations and their answers in the same operation) it can.
    question = models.ForeignKey(
        EventQuestion, verbose_name=_("Frage"), on_delete=models.RESTRICT, related_name="answers"
    )
    text = models.TextField(
        _("Text"),
        max_length=ANSWER_LONG_TEXT_MAX_LENGTH,
        blank=True,
        validators=[MaxTextLengthValidator(ANSWER_LONG_TEXT_MAX_LENGTH)],
    )
    number = models.IntegerField(_("Zahl"), null=True, blank=True)
    date = models.DateField(_("Datum"), null=True, blank=True)
    yes = models.BooleanField(_("Ja/Nein"), null=True, blank=True)
    choices = ArrayField(models.PositiveSmallIntegerField(), verbose_name=_("Auswahl"), default=list, blank=True)

    class Meta:
        verbose_name = _("Antwort")
        verbose_name_plural = _("Antworten")
        ordering = ["registration", "question__position", "question_id"]
        constraints = [
            models.UniqueConstraint(fields=["registration", "question"], name="registrationanswer_one_per_question"),
            text_length_constraint("text", ANSWER_LONG_TEXT_MAX_LENGTH, name="registrationanswer_text_max_length"),
            # At most one kind of value per answer.
            models.CheckConstraint(
                condition=(
                    Q(text="", number__isnull=True, date__isnull=True, yes__isnull=True)
                    | Q(choices=[], number__isnull=True, date__isnull=True, yes__isnull=True)
                    | Q(text="", choices=[], date__isnull=True, yes__isnull=True)
                    | Q(text="", choices=[], number__isnull=True, yes__isnull=True)
                    | Q(text="", choices=[], number__isnull=True, date__isnull=True)
                ),
                name="registrationanswer_one_kind_of_value",
            ),
        ]

    def __str__(self) -> str:
        # The question only: the answer is the person's own words and must not reach messages or logs.
        return str(_("Antwort auf „%(question)s“") % {"question": self.question})

    @property
    def display_value(self) -> str:
        """The answer as the person reads it, in the current language."""
        kind = self.question.kind
        if kind in QuestionKind.with_options():
            options = self.question.display_options
            return ", ".join(options[i] for i in self.choices if i < len(options))
        if kind == QuestionKind.YES_NO:
            return "" if self.yes is None else str(_("ja") if self.yes else _("nein"))
        if kind == QuestionKind.NUMBER:
            return "" if self.number is None else str(self.number)
        if kind == QuestionKind.DATE:
            return "" if self.date is None else date_format(self.date, "SHORT_DATE_FORMAT")
        return self.text


class InvitationConsent(TimeStampedModel):
    """A person's consent to be told about future practice days ("Über künftige Praxisfachtage informieren"), given
    on the registration form or in their account. The row is the consent: withdrawing it (the link in every
    invitation, or the account page) deletes it, and with it what it kept. It lives outside the registrations'
    retention, as long as the consent lasts, and keeps only what invitations need: the address, the name for the
    salutation, the organisation type and federal state for the segment, and the practice days the person
    registered for while consenting ("past participants of chosen events")."""

    email = models.EmailField(_("E-Mail-Adresse"))
    user = models.OneToOneField(
        User,
        verbose_name=_("Konto"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="invitation_consent",
    )
    first_name = models.CharField(_("Vorname"), max_length=150, blank=True)
    last_name = models.CharField(_("Nachname"), max_length=150, blank=True)
    organisation_type = models.ForeignKey(
        OrganisationType,
        verbose_name=_("Art der Organisation"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("Organisation"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    federal_state = models.CharField(_("Bundesland"), max_length=2, choices=FederalState.choices, blank=True)
    language = models.CharField(_("Sprache"), max_length=8, default="de", choices=settings.LANGUAGES)
    consent_version = models.CharField(_("Version der Einwilligung"), max_length=32)
    consented_at = models.DateTimeField(_("eingewilligt am"))
    events = models.ManyToManyField(
        "events.Event",
        verbose_name=_("angemeldet zu"),
        blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = _("Einwilligung in Einladungen")
        verbose_name_plural = _("Einwilligungen in Einladungen")
        ordering = ["-consented_at", "-id"]
        constraints = [
            models.UniqueConstraint(Lower("email"), name="invitationconsent_one_per_email"),
        ]

    def __str__(self) -> str:
        return f"{self.first_name} {self.last_name}".strip() or self.email

    def save(self, *args, **kwargs) -> None:
        self.email = normalise_email(self.email)
        super().save(*args, **kwargs)


class InvitationBatch(TimeStampedModel):
    """Invitations to one event that staff sent in one go to a segment (participants.invitations): who, when, which
    segment, the note they added, and how many addresses were invited or skipped. The mail's own text is fixed."""

    event = models.ForeignKey(
        "events.Event", verbose_name=_("Praxisfachtag"), on_delete=models.CASCADE, related_name="invitation_batches"
    )
    sent_by = models.ForeignKey(
        User, verbose_name=_("gesendet von"), on_delete=models.SET_NULL, null=True, related_name="+"
    )
    segment = models.JSONField(_("Empfängerkreis"), default=dict)
    note = models.TextField(
        _("Persönlicher Zusatz"),
        max_length=INVITATION_NOTE_MAX_LENGTH,
        blank=True,
        validators=[MaxTextLengthValidator(INVITATION_NOTE_MAX_LENGTH)],
    )
    send_key = models.CharField(
        _("Schlüssel der Bestätigung"), max_length=64, null=True, blank=True, unique=True, editable=False
    )
    invited_count = models.PositiveIntegerField(_("eingeladen"))
    skipped_invalid = models.PositiveIntegerField(_("übersprungen: ungültige Adresse"), default=0)
    skipped_already_invited = models.PositiveIntegerField(_("übersprungen: schon eingeladen"), default=0)

    class Meta:
        verbose_name = _("Einladungsrunde")
        verbose_name_plural = _("Einladungsrunden")
        ordering = ["-created", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(invited_count__gt=0), name="invitationbatch_has_recipients"),
            text_length_constraint("note", INVITATION_NOTE_MAX_LENGTH, name="invitationbatch_note_max_length"),
        ]

    def __str__(self) -> str:
        when = timezone.localtime(self.created).strftime("%d.%m.%Y %H:%M") if self.created else ""
        return f"{self.event.title} ({when})" if when else self.event.title


class Invitation(TimeStampedModel):
    """One personal invitation: one address, one event, one link (``token``, 256 bits) that opens the event's
    registration with the organisation type preset and lets the address stop further invitations. One invitation
    per address and event: inviting the same address twice is refused by the database."""

    batch = models.ForeignKey(
        InvitationBatch, verbose_name=_("Versand"), on_delete=models.CASCADE, related_name="invitations"
    )
    event = models.ForeignKey(
        "events.Event", verbose_name=_("Praxisfachtag"), on_delete=models.CASCADE, related_name="invitations"
    )
    # Emptied when the consent behind it is withdrawn and when the event's data retention runs out; the row stays
    # for the figures.
    email = models.EmailField(_("E-Mail-Adresse"), null=True, blank=True)
    source = models.CharField(_("Herkunft der Adresse"), max_length=16, choices=InvitationSource.choices)
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("Organisation"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    consent = models.ForeignKey(
        InvitationConsent,
        verbose_name=_("Einwilligung"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="invitations",
    )
    organisation_type = models.ForeignKey(
        OrganisationType,
        verbose_name=_("Art der Organisation"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    name = models.CharField(_("Name in der Anrede"), max_length=300, blank=True)
    language = models.CharField(_("Sprache"), max_length=8, default="de", choices=settings.LANGUAGES)
    token = models.CharField(_("Schlüssel des Links"), max_length=64, unique=True, editable=False)
    state = models.CharField(_("Stand"), max_length=8, choices=DeliveryState.choices, default=DeliveryState.QUEUED)
    failure = models.CharField(_("Grund"), max_length=10, choices=DeliveryFailure.choices, blank=True)
    attempts = models.PositiveSmallIntegerField(_("Versuche"), default=0)
    sent_at = models.DateTimeField(_("versendet am"), null=True, blank=True)
    opened_at = models.DateTimeField(_("Link zuerst geöffnet am"), null=True, blank=True)

    class Meta:
        verbose_name = _("Einladung")
        verbose_name_plural = _("Einladungen an Adressen")
        ordering = ["batch", "id"]
        constraints = [
            models.UniqueConstraint("event", Lower("email"), name="invitation_one_per_email_and_event"),
            models.CheckConstraint(
                condition=Q(state=DeliveryState.FAILED) | Q(failure=""), name="invitation_failure_only_if_failed"
            ),
            models.CheckConstraint(
                condition=~Q(state=DeliveryState.SENT) | Q(sent_at__isnull=False), name="invitation_sent_has_time"
            ),
            models.CheckConstraint(condition=Q(source__in=InvitationSource.values), name="invitation_source_known"),
        ]

    def __str__(self) -> str:
        return self.email or str(_("entfernte Adresse"))

    def save(self, *args, **kwargs) -> None:
        if self.email:
            self.email = normalise_email(self.email)
        super().save(*args, **kwargs)
