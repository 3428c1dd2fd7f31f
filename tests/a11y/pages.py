"""Every page of the portal as its users see it, for the accessibility (axe-core) and HTML (Nu) checks.

``build_pages()`` creates one small world with the factories (an upcoming event with workshop, small group, case
examples and team; a second event open for registration; a past event with a feedback questionnaire) and returns
who looks at which page: anonymous visitors, a participant, a facilitator, a co-organiser and office staff. Pages
are named by URL name, so a changed path or wording does not change the list. A page that redirects fails the
checks (it would check another page than it names): "Meine Anmeldungen" and allauth's sign-up page are left out
because they lead to the start page and to the login page, which are in the list. The checkers themselves live in
``tests/e2e/test_accessibility.py`` and ``tests/test_html_validity.py``; the npm packages they use in this folder
(``package.json``; ``make test`` installs them with ``npm ci``).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from django.contrib.auth.models import Group
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from casework.enums import CaseStatus
from casework.feedback import services as feedback_services
from events.enums import QuestionKind, TeamRole
from kokportal.roles import OFFICE, sync_staff_groups
from participants.check_in_links import check_in_path
from participants.enums import RegistrationStatus
from participants.models import CertificateSignature
from participants.services import certificate_issue
from tests.auth import login
from tests.casework.factories import (
    BLOCKED_TEXT,
    CaseExampleFactory,
    SmallGroupFactory,
    WorkshopFactory,
    WorkshopParticipantFactory,
)
from tests.casework.feedback.factories import ended_event, invitation_with_token, submit
from tests.events.factories import EventQuestionFactory
from tests.factories import (
    EventFactory,
    EventTeamMemberFactory,
    OrganisationFactory,
    ProgrammeItemFactory,
    QuotaFactory,
    RegistrationFactory,
    StaffFactory,
    UserFactory,
    organisation_type,
)

FOLDER = Path(__file__).resolve().parent
NODE_MODULES = FOLDER / "node_modules"
AXE_SCRIPT = NODE_MODULES / "axe-core" / "axe.min.js"
VNU_JAR = NODE_MODULES / "vnu-jar" / "build" / "dist" / "vnu.jar"
MISSING = "{} is missing: run `make a11y` (make test does it first; it runs npm ci in tests/a11y/)."

ROLES = ("anonymous", "participant", "facilitator", "co_organiser", "staff")


@dataclass(frozen=True)
class Page:
    name: str  # "<role>: <what>", the key of the figures
    role: str
    url: str
    admin: bool = False  # Django admin markup: axe only, the Nu check is for the portal's own templates
    submit_empty: bool = False  # send the form empty first, so the page shows its errors


@dataclass(frozen=True)
class World:
    users: dict  # role -> user (None for anonymous)
    pages: list[Page]

    def client(self, role: str) -> Client:
        """A test client logged in as ``role`` (staff with the second factor passed)."""
        client = Client()
        if self.users[role] is not None:
            login(client, self.users[role])
        return client


def _reauthenticated(client: Client, user) -> None:
    """Record a recent re-authentication in the session, as allauth does after a password or code."""
    session = client.session
    session["account_authentication_methods"] = [
        {"method": "password", "at": timezone.now().timestamp(), "reauthenticated": True}
    ]
    session["account_authentication_methods_user"] = str(user.pk)
    session.save()


def build_pages() -> World:
    fbs, bamf = organisation_type("fachberatungsstelle"), organisation_type("bamf")
    today = timezone.localdate()

    # The event in five days: programme, quotas, team, a workshop with a small group and case examples.
    event = EventFactory(
        title="Regionales Vernetzungstreffen Niedersachsen",
        date=today + dt.timedelta(days=5),
        registration_closes=timezone.now() + dt.timedelta(days=2),
        invited=[fbs, bamf],
    )
    ProgrammeItemFactory(event=event, start=dt.time(9, 30), end=dt.time(10, 0), kind="welcome", title="Begrüßung")
    ProgrammeItemFactory(event=event, start=dt.time(12, 30), end=dt.time(13, 15), kind="break", title="Mittagspause")
    QuotaFactory(event=event, organisation_type=fbs, seats=20)
    QuotaFactory(event=event, organisation_type=bamf, seats=20)
    workshop = WorkshopFactory(event=event, title="Fallbeispiele in Kleingruppen")
    group = SmallGroupFactory(workshop=workshop)
    # Like most participants, without a password: they log in and re-authenticate with a code by e-mail.
    participant = UserFactory(email="aylin.weber@example.org", first_name="Aylin", last_name="Weber", password=None)
    registration = RegistrationFactory(
        event=event, user=participant, contact_list_consent=True, contact_list_consented_at=timezone.now()
    )
    WorkshopParticipantFactory(workshop=workshop, registration=registration, group=group)
    for index in range(3):
        other = RegistrationFactory(
            event=event,
            organisation=OrganisationFactory(name=f"Beratungsstelle Beispiel {index}", organisation_type=fbs),
            contact_list_consent=True,
            contact_list_consented_at=timezone.now(),
        )
        WorkshopParticipantFactory(workshop=workshop, registration=other, group=group)
    facilitator = UserFactory(email="moderation@example.org")
    workshop.facilitators.add(facilitator)
    EventTeamMemberFactory(event=event, user=facilitator, role=TeamRole.FACILITATOR)
    co_organiser = UserFactory(email="mitveranstaltung@example.org")
    EventTeamMemberFactory(event=event, user=co_organiser, role=TeamRole.CO_ORGANISER)
    approved = CaseExampleFactory(
        workshop=workshop, approved=True, author=co_organiser, title="Ausbeutung in der Gastronomie"
    )
    draft = CaseExampleFactory(
        workshop=workshop, author=facilitator, text=BLOCKED_TEXT, title="Entwurf mit Fundstellen"
    )
    in_review = CaseExampleFactory(
        workshop=workshop,
        author=co_organiser,
        status=CaseStatus.IN_REVIEW,
        submitted_at=timezone.now(),
        title="Zur Prüfung eingereicht",
    )

    # A second event open for registration, and a past one whose feedback window is open.
    open_event = EventFactory(title="Bundesweiter Praxisfachtag", invited=[fbs, bamf])
    QuotaFactory(event=open_event, organisation_type=fbs, seats=20)
    # Its own questions (issue 15, part 3): one for everyone, one for counselling centres only (hidden until chosen).
    EventQuestionFactory(
        event=open_event, kind=QuestionKind.SINGLE_CHOICE, text="Verdolmetschung", options="Nein\nEnglisch"
    )
    EventQuestionFactory(event=open_event, kind=QuestionKind.YES_NO, text="Reisekosten", required=True, types=[fbs])
    EventQuestionFactory(event=open_event, kind=QuestionKind.DATE, text="Anreise am")
    OrganisationFactory(name="Fachberatungsstelle Horizont", organisation_type=fbs, city="Hannover")
    past_event = ended_event(days_ago=2, title="Virtueller Praxisfachtag", virtual=True)
    attended = RegistrationFactory(event=past_event, user=participant, status=RegistrationStatus.ATTENDED)
    certificate = certificate_issue(registration=attended)
    CertificateSignature.objects.update_or_create(
        id=CertificateSignature.SINGLETON_ID, defaults={"name": "Dr. Marlene Beispiel", "role": "Geschäftsführerin"}
    )
    EventTeamMemberFactory(event=past_event, user=co_organiser, role=TeamRole.CO_ORGANISER)
    questionnaire = feedback_services.questionnaire_ensure_default(event=past_event)
    _invitation, token = invitation_with_token(
        questionnaire, registration=past_event.registrations.get(user=participant)
    )
    submit(questionnaire, overall=4, exchange=5, regional_meetings=True, helped="Die Kontakte im BAMF.")
    submit(questionnaire, overall=3, exchange=4, regional_meetings=False)

    # Today's event at the door: the check-in list with buttons and a badge's check-in card.
    today_event = EventFactory(title="Regionaler Praxisfachtag Berlin", date=today, invited=[fbs, bamf])
    EventTeamMemberFactory(event=today_event, user=co_organiser, role=TeamRole.CO_ORGANISER)
    at_the_door = RegistrationFactory(event=today_event, first_name="Jonas", last_name="Becker")
    RegistrationFactory(event=today_event, status=RegistrationStatus.ATTENDED)
    RegistrationFactory(event=today_event, status=RegistrationStatus.WAITLISTED)

    sync_staff_groups()
    staff = StaffFactory(email="geschaeftsstelle@example.org")
    staff.groups.add(Group.objects.get(name=OFFICE))

    def url(name, **kwargs) -> str:
        return reverse(name, kwargs=kwargs or None)

    pages = [
        Page("anonymous: home", "anonymous", url("events:home")),
        Page("anonymous: event (upcoming)", "anonymous", event.get_absolute_url()),
        Page("anonymous: event (open for registration)", "anonymous", open_event.get_absolute_url()),
        Page("anonymous: event (past)", "anonymous", past_event.get_absolute_url()),
        Page("anonymous: privacy", "anonymous", url("privacy")),
        Page(
            "anonymous: certificate verification",
            "anonymous",
            url("participants:certificate_verify", code=certificate.code),
        ),
        Page("anonymous: login", "anonymous", url("account_login")),
        Page("anonymous: login by code", "anonymous", url("account_request_login_code")),
        Page("anonymous: password reset", "anonymous", url("account_reset_password")),
        Page("participant: registration form", "participant", url("participants:register", slug=open_event.slug)),
        Page(
            "participant: registration form (errors)",
            "participant",
            url("participants:register", slug=open_event.slug),
            submit_empty=True,
        ),
        Page("participant: start page", "participant", url("my_practice_days")),
        Page(
            "participant: registration detail",
            "participant",
            url("participants:registration_detail", pk=registration.pk),
        ),
        Page(
            "participant: cancel confirmation",
            "participant",
            url("participants:registration_cancel", pk=registration.pk),
        ),
        Page(
            "participant: registration detail (attended, with certificate)",
            "participant",
            url("participants:registration_detail", pk=attended.pk),
        ),
        Page("participant: contact list", "participant", url("participants:contact_list", slug=event.slug)),
        Page("participant: workshop", "participant", url("casework:workshop", pk=workshop.pk)),
        Page("participant: case example", "participant", url("casework:case", pk=approved.pk)),
        Page("participant: small group", "participant", url("casework:group", pk=group.pk)),
        Page("participant: account e-mail", "participant", url("account_email")),
        Page("participant: privacy overview", "participant", url("participants:privacy")),
        Page("participant: re-authentication by code", "participant", url("participants:reauthenticate_by_code")),
        Page("participant: account delete", "participant", url("participants:account_delete")),
        Page("participant: feedback form", "participant", url("feedback:answer", token=token)),
        Page(
            "participant: feedback form (errors)", "participant", url("feedback:answer", token=token), submit_empty=True
        ),
        Page("participant: feedback thanks", "participant", url("feedback:thanks")),
        Page("facilitator: start page", "facilitator", url("my_practice_days")),
        Page("facilitator: workshop", "facilitator", url("casework:workshop", pk=workshop.pk)),
        Page("facilitator: case example (approved)", "facilitator", url("casework:case", pk=approved.pk)),
        Page("facilitator: case example (draft with findings)", "facilitator", url("casework:case", pk=draft.pk)),
        Page("facilitator: new case example", "facilitator", url("casework:case_create", workshop_pk=workshop.pk)),
        Page("facilitator: edit case example", "facilitator", url("casework:case_edit", pk=draft.pk)),
        Page("facilitator: small group", "facilitator", url("casework:group", pk=group.pk)),
        Page("facilitator: printable groups", "facilitator", url("casework:groups_print", pk=workshop.pk)),
        Page("co_organiser: start page", "co_organiser", url("my_practice_days")),
        Page("co_organiser: documents", "co_organiser", url("documents:index", slug=event.slug)),
        Page("co_organiser: check-in", "co_organiser", url("participants:check_in", slug=today_event.slug)),
        Page("co_organiser: check-in card", "co_organiser", check_in_path(at_the_door)),
        Page("co_organiser: check-in (not yet open)", "co_organiser", url("participants:check_in", slug=event.slug)),
        Page("co_organiser: feedback results", "co_organiser", url("feedback:results", slug=past_event.slug)),
        Page("staff: feedback results", "staff", url("feedback:results", slug=past_event.slug)),
        Page("staff: admin index", "staff", url("admin:index"), admin=True),
        Page("staff: admin event change", "staff", url("admin:events_event_change", object_id=event.pk), admin=True),
        Page("staff: admin registrations", "staff", url("admin:participants_registration_changelist"), admin=True),
        Page(
            "staff: admin case example review",
            "staff",
            url("admin:casework_caseexample_approve", pk=in_review.pk),
            admin=True,
        ),
        Page("staff: admin questionnaires", "staff", url("admin:feedback_questionnaire_changelist"), admin=True),
        Page(
            "staff: admin mail to participants",
            "staff",
            url("admin:participants_mailing_compose", event_id=event.pk),
            admin=True,
            submit_empty=True,
        ),
        Page(
            "staff: admin certificate signature",
            "staff",
            url("admin:participants_certificatesignature_change", object_id=CertificateSignature.SINGLETON_ID),
            admin=True,
        ),
    ]
    users = {
        "anonymous": None,
        "participant": participant,
        "facilitator": facilitator,
        "co_organiser": co_organiser,
        "staff": staff,
    }
    return World(users=users, pages=pages)


def session_client(world: World, role: str) -> Client:
    """The role's logged-in client; the participant has re-authenticated recently (account deletion asks)."""
    client = world.client(role)
    if role == "participant":
        _reauthenticated(client, world.users[role])
    return client
