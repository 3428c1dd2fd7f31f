"""The base of the house: the time-stamped base model, accounts and the audit log.

Accounts live here because every floor refers to people (the audit log, event teams, registrations, workshop
facilitators); what a person enters to register (organisation, function, phone) is their profile one floor up
(participants.Profile). See docs/architecture.md.
"""

from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower, Trim
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .emails import normalise_email


class TimeStampedModel(models.Model):
    """Adds creation and modification times to every domain model."""

    created = models.DateTimeField(_("angelegt"), auto_now_add=True)
    modified = models.DateTimeField(_("geändert"), auto_now=True)

    class Meta:
        abstract = True


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

    The account lives at the bottom of the house (every floor refers to people); what prefills the next
    registration form is the person's profile (participants.Profile).
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
        help_text=_("Darf sich im Verwaltungsbereich einloggen."),
    )
    is_active = models.BooleanField(_("aktiv"), default=True)
    date_joined = models.DateTimeField(_("registriert seit"), default=timezone.now)
    language = models.CharField(
        _("Sprache"), max_length=8, default="de", help_text=_("Sprache der E-Mails an diese Person.")
    )
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


class AuditLogEntry(models.Model):
    """Who exported or downloaded personal data, and when. Holds ids and counts, never the data itself.

    What it concerns (usually an event) is a generic reference, so the base of the house does not depend on
    the floors above it; the entry keeps its id when the object is deleted."""

    created = models.DateTimeField(_("Zeitpunkt"), auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        User,
        verbose_name=_("Person"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    action = models.CharField(_("Aktion"), max_length=64)
    subject_type = models.ForeignKey(
        ContentType, verbose_name=_("betrifft (Art)"), on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    subject_id = models.PositiveBigIntegerField(_("betrifft (Nummer)"), null=True, blank=True)
    subject = GenericForeignKey("subject_type", "subject_id")
    detail = models.JSONField(_("Details"), default=dict, blank=True)

    class Meta:
        verbose_name = _("Protokolleintrag")
        verbose_name_plural = _("Protokoll: Exporte und Downloads personenbezogener Daten")
        ordering = ["-created"]
        indexes = [models.Index(fields=["subject_type", "subject_id"], name="auditlog_subject_idx")]

    def __str__(self) -> str:
        from django.utils.formats import date_format

        from .audit import audit_action_label

        when = date_format(timezone.localtime(self.created), "SHORT_DATETIME_FORMAT") if self.created else ""
        return f"{when} {audit_action_label(self.action)}".strip()
