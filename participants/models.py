"""A person's profile and their registrations for practice days."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from events.models import Organisation, OrganisationType
from kokportal.emails import normalise_email
from kokportal.federal_states import FederalState
from kokportal.models import TimeStampedModel, User
from kokportal.validators import MaxTextLengthValidator, text_length_constraint

from .enums import RegistrationStatus


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
