"""Accounts, the organisation directory and registrations."""

from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower, Trim
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from kokportal.models import TimeStampedModel

from .emails import normalise_email
from .enums import FederalState, RegistrationStatus
from .validators import MaxTextLengthValidator, text_length_constraint


class UserManager(BaseUserManager):
    use_in_migrations = True

    @classmethod
    def normalize_email(cls, email: str | None) -> str:
        # Django lower-cases only the domain; the portal stores the whole address in lower case.
        return normalise_email(email)

    def get_by_natural_key(self, username: str):
        return self.get(**{self.model.USERNAME_FIELD: normalise_email(username)})

    def _create_user(self, email: str, password: str | None, **extra_fields):
        if not email:
            raise ValueError("An e-mail address is required.")
        user = self.model(email=self.normalize_email(email), **extra_fields)
        if password:
            user.set_password(password)
        else:
            user.set_unusable_password()
        user.save(using=self._db)
        return user

    def create_user(self, email: str, password: str | None = None, **extra_fields):
        extra_fields.setdefault("is_staff", False)
        extra_fields.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra_fields)

    def create_superuser(self, email: str, password: str | None = None, **extra_fields):
        extra_fields.setdefault("is_staff", True)
        extra_fields.setdefault("is_superuser", True)
        return self._create_user(email, password, **extra_fields)


class User(AbstractBaseUser, PermissionsMixin):
    """A person with an account. The e-mail address is the login; a password is optional because
    participants can sign in with a one-time code sent by e-mail.

    The profile fields prefill the next registration form; they are the person's own data.
    """

    email = models.EmailField(
        _("E-Mail-Adresse"),
        unique=True,
        error_messages={"unique": _("Ein Konto mit dieser E-Mail-Adresse gibt es bereits.")},
    )
    first_name = models.CharField(_("Vorname"), max_length=150, blank=True)
    last_name = models.CharField(_("Nachname"), max_length=150, blank=True)
    is_staff = models.BooleanField(
        _("KOK-Geschäftsstelle"),
        default=False,
        help_text=_("Darf sich im Verwaltungsbereich anmelden."),
    )
    is_active = models.BooleanField(_("aktiv"), default=True)
    date_joined = models.DateTimeField(_("registriert seit"), default=timezone.now)
    language = models.CharField(
        _("Sprache"), max_length=8, default="de", help_text=_("Sprache der E-Mails an diese Person.")
    )
    # Profile (prefills registrations).
    phone = models.CharField(_("Telefon"), max_length=32, blank=True)
    organisation_type = models.ForeignKey(
        "participants.OrganisationType",
        verbose_name=_("Art der Organisation"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    organisation = models.ForeignKey(
        "participants.Organisation",
        verbose_name=_("Organisation"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    function = models.CharField(_("Funktion / Rolle"), max_length=150, blank=True)
    federal_state = models.CharField(_("Bundesland"), max_length=2, choices=FederalState.choices, blank=True)
    # Retention: when the person was told that their unused account will be deleted (participants.privacy).
    inactivity_warned_at = models.DateTimeField(_("an Löschung wegen Inaktivität erinnert am"), null=True, blank=True)

    objects = UserManager()

    EMAIL_FIELD = "email"
    USERNAME_FIELD = "email"
    REQUIRED_FIELDS: list[str] = []

    class Meta:
        verbose_name = _("Konto")
        verbose_name_plural = _("Konten")
        constraints = [
            models.UniqueConstraint(Lower("email"), name="user_email_unique_ci"),
            # Stored the way participants.emails.normalise_email writes it, so allauth's lower-case look-ups
            # find every account.
            models.CheckConstraint(condition=Q(email=Lower(Trim("email"))), name="user_email_normalised"),
        ]

    def __str__(self) -> str:
        return self.get_full_name() or self.email

    def clean(self) -> None:
        super().clean()
        self.email = normalise_email(self.email)

    def save(self, *args, **kwargs) -> None:
        self.email = normalise_email(self.email)
        super().save(*args, **kwargs)

    def get_full_name(self) -> str:
        return f"{self.first_name} {self.last_name}".strip()

    def get_short_name(self) -> str:
        return self.first_name or self.email


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
        if translation.get_language() == "en" and self.name_en:
            return self.name_en
        return self.name


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
    language = models.CharField(_("Sprache"), max_length=8, default="de")

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
