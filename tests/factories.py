"""factory_boy factories for the portal's models."""

import datetime as dt
import importlib

import factory
from django.utils import timezone

from events.enums import EventReach, EventStatus, PresenceMode, ProgrammeItemKind
from events.models import (
    Event,
    EventTeamMember,
    Organisation,
    OrganisationType,
    ProgrammeItem,
    ProgrammeItemSpeaker,
    Quota,
    Speaker,
    SpeakerInvitation,
)
from kokportal.federal_states import FederalState
from kokportal.models import User
from kokportal.roles import SECOND_FACTOR_PASSED
from participants.enums import RegistrationStatus
from participants.models import Registration


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ("email",)

    email = factory.Sequence(lambda n: f"person{n}@example.org")
    first_name = factory.Faker("first_name", locale="de_DE")
    last_name = factory.Faker("last_name", locale="de_DE")
    password = factory.django.Password("correct-horse-battery-staple")


class StaffFactory(UserFactory):
    """KOK office staff, with a TOTP second factor (staff cannot use the admin without one).

    The instance acts as staff when passed to services (as ``request.user`` does after the second factor);
    a client logged in with ``tests.auth.login`` passes the second factor like a real login. ``mfa=False``
    gives staff without an authenticator, who never act as staff.
    """

    is_staff = True
    email = factory.Sequence(lambda n: f"staff{n}@kok-buero.example.org")

    class Meta:
        skip_postgeneration_save = True

    @factory.post_generation
    def mfa(self, create, extracted, **kwargs):
        if create and extracted is not False:
            from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret

            TOTP.activate(self, generate_totp_secret())
            setattr(self, SECOND_FACTOR_PASSED, True)


class OrganisationTypeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = OrganisationType
        django_get_or_create = ("slug",)

    slug = factory.Sequence(lambda n: f"type-{n}")
    name = factory.Sequence(lambda n: f"Organisationsart {n}")
    name_en = factory.Sequence(lambda n: f"Organisation type {n}")


_DEFAULT_TYPES = {
    row[0]: row for row in importlib.import_module("events.migrations.0002_default_organisation_types").DEFAULT_TYPES
}


def organisation_type(slug: str) -> OrganisationType:
    """One of the types the data migration creates (fachberatungsstelle, bamf, jugendhilfe, ...).

    Created again when missing, because transactional tests flush the tables the migration filled."""
    _slug, name, name_en, position, description = _DEFAULT_TYPES[slug]
    return OrganisationType.objects.get_or_create(
        slug=slug, defaults={"name": name, "name_en": name_en, "position": position, "description": description}
    )[0]


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation

    name = factory.Sequence(lambda n: f"Fachberatungsstelle Beispiel {n}")
    organisation_type = factory.LazyFunction(lambda: organisation_type("fachberatungsstelle"))
    city = "Berlin"
    federal_state = FederalState.BE


class EventFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Event
        skip_postgeneration_save = True

    title = factory.Sequence(lambda n: f"Praxisfachtag {n}")
    slug = factory.Sequence(lambda n: f"praxisfachtag-{n}")
    reach = EventReach.NATIONAL
    status = EventStatus.PUBLISHED
    date = factory.LazyFunction(lambda: timezone.localdate() + dt.timedelta(days=30))
    start_time = dt.time(9, 30)
    end_time = dt.time(16, 30)
    venue_name = "BAMF, Außenstelle Berlin"
    venue_city = "Berlin"
    venue_postcode = "13405"
    federal_state = FederalState.BE
    registration_opens = factory.LazyFunction(lambda: timezone.now() - dt.timedelta(days=1))
    registration_closes = factory.LazyFunction(lambda: timezone.now() + dt.timedelta(days=20))
    description = "Austausch zwischen Fachberatungsstellen und BAMF-Sonderbeauftragten."

    @factory.post_generation
    def invited(self, create, extracted, **kwargs):
        if not create:
            return
        types = (
            extracted
            if extracted is not None
            else [organisation_type("fachberatungsstelle"), organisation_type("bamf")]
        )
        self.invited_types.set(types)

    class Params:
        virtual = factory.Trait(
            presence=PresenceMode.VIRTUAL,
            venue_name="",
            venue_city="",
            venue_postcode="",
            federal_state="",
            online_access="https://konferenz.example.org/raum-42 Zugangscode 4711",
        )
        draft = factory.Trait(status=EventStatus.DRAFT)
        past = factory.Trait(
            date=factory.LazyFunction(lambda: timezone.localdate() - dt.timedelta(days=30)),
            registration_opens=factory.LazyFunction(lambda: timezone.now() - dt.timedelta(days=100)),
            registration_closes=factory.LazyFunction(lambda: timezone.now() - dt.timedelta(days=40)),
        )


class ProgrammeItemFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ProgrammeItem

    event = factory.SubFactory(EventFactory)
    start = dt.time(10, 0)
    end = dt.time(11, 0)
    kind = ProgrammeItemKind.INPUT
    title = factory.Sequence(lambda n: f"Input {n}")


class SpeakerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Speaker

    name = factory.Sequence(lambda n: f"Referent*in Beispiel {n}")
    organisation = "Fachberatungsstelle Beispiel"
    bio = "Beraterin in einer Fachberatungsstelle."
    email = factory.Sequence(lambda n: f"referentin{n}@beispiel.example")

    class Params:
        consented = factory.Trait(consent_to_publish=True, consent_given_at=factory.LazyFunction(timezone.now))


def speaker_on(
    item: ProgrammeItem, speaker: Speaker | None = None, *, confirmed: bool | None = None, **kwargs
) -> Speaker:
    """``speaker`` (a new one made with ``kwargs`` if not given) named in programme item ``item``, last. A speaker
    who consented has also confirmed the event through their invitation (``confirmed``: True by default for them),
    as the public pages require (events.speakers.published_links)."""
    speaker = speaker or SpeakerFactory(**kwargs)
    ProgrammeItemSpeaker.objects.create(
        programme_item=item, speaker=speaker, position=ProgrammeItemSpeaker.objects.filter(programme_item=item).count()
    )
    if confirmed is None:
        confirmed = speaker.consent_to_publish
    if confirmed and not SpeakerInvitation.objects.filter(speaker=speaker, event_id=item.event_id).exists():
        speaker_invitation(speaker, item.event, confirmed_at=timezone.now(), sent_at=timezone.now())
    return speaker


def speaker_invitation(speaker: Speaker, event: Event, *, token: str = "", **kwargs) -> SpeakerInvitation:
    """An invitation of ``speaker`` to ``event`` whose link is ``token`` (deadline: the day before the event)."""
    from events.speakers import hash_token, new_token

    return SpeakerInvitation.objects.create(
        speaker=speaker,
        event=event,
        token_hash=hash_token(token or new_token()),
        deadline=kwargs.pop("deadline", event.starts_at - dt.timedelta(days=1)),
        **kwargs,
    )


class QuotaFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Quota

    event = factory.SubFactory(EventFactory)
    organisation_type = factory.LazyFunction(lambda: organisation_type("fachberatungsstelle"))
    seats = 20


class EventTeamMemberFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = EventTeamMember

    event = factory.SubFactory(EventFactory)
    user = factory.SubFactory(UserFactory)
    role = "co_organiser"


class RegistrationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Registration

    event = factory.SubFactory(EventFactory)
    user = factory.SubFactory(UserFactory)
    status = RegistrationStatus.CONFIRMED
    organisation = factory.SubFactory(OrganisationFactory)
    organisation_type = factory.SelfAttribute("organisation.organisation_type")
    first_name = factory.SelfAttribute("user.first_name")
    last_name = factory.SelfAttribute("user.last_name")
    email = factory.SelfAttribute("user.email")
    function = "Beraterin"
    federal_state = FederalState.BE
    privacy_consent_version = "2026-11"
    privacy_consented_at = factory.LazyFunction(timezone.now)
    confirmed_at = factory.LazyFunction(timezone.now)
    waitlisted_at = factory.LazyAttribute(
        lambda o: timezone.now() if o.status == RegistrationStatus.WAITLISTED else None
    )


def verified_user(email: str, **kwargs) -> User:
    """A person who signed up through allauth: their e-mail address is verified."""
    from allauth.account.models import EmailAddress

    user = UserFactory(email=email, **kwargs)
    EmailAddress.objects.update_or_create(user=user, email=email, defaults={"verified": True, "primary": True})
    return user


def invitations_sent(event: Event, by: User) -> None:
    """An invitation round to ``event``: an organisation's functional address and a person who consented (the admin
    tests open every model's pages)."""
    from participants.invitations import Segment, invitations_send
    from participants.models import InvitationConsent

    OrganisationFactory(contact_email="info@beratung-invite.example")
    InvitationConsent.objects.create(
        email="einwilligung@example.org",
        first_name="Anna",
        last_name="Becker",
        organisation_type=organisation_type("fachberatungsstelle"),
        consent_version="2026-11",
        consented_at=timezone.now(),
    )
    invitations_send(event=event, segment=Segment(), note="Bitte weitergeben.", by=by)


def funded_project_for(event: Event) -> None:
    """Put ``event`` into a funded project whose period covers it."""
    from events.models import Project
    from events.services import project_save

    project = project_save(
        project=Project(
            title="Flucht & Menschenhandel",
            starts_on=event.date - dt.timedelta(days=400),
            ends_on=event.date + dt.timedelta(days=400),
            funder="Die Beauftragte der Bundesregierung für Migration, Flüchtlinge und Integration",
            credit_line="Gefördert durch die Beauftragte der Bundesregierung.",
        )
    )
    event.project = project
    event.save(update_fields=["project"])


# A minimal valid PDF (one empty page), small enough to write into a test.
TINY_PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
    b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 200 200]>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
)


def material_for(event: Event, *, title: str = "Handout", visibility: str = "public", programme_item=None, **kwargs):
    """A material of ``event`` (a tiny PDF) saved through events.materials.material_add."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from events.materials import material_add

    content = kwargs.pop("content", TINY_PDF)
    name = kwargs.pop("file_name", f"{title}.pdf")
    return material_add(
        event=event,
        uploaded_file=SimpleUploadedFile(name, content),
        title=title,
        visibility=visibility,
        programme_item=programme_item,
        by=kwargs.pop("by", None),
        **kwargs,
    )
