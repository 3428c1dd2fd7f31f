"""Every URL of the portal, requested by every kind of visitor, with the exact answer each must get.

Roles: anonymous; a participant of the event (in a small group, on the contact list); a participant of another
event; a facilitator of the event's workshop; a co-organiser of the event who wrote its case examples; staff
without a second factor and staff whose session did not pass its second factor (both are sent to the second
factor before any page but their own account pages under /konto/ and the health check: 302); office staff (group
KOK-Geschäftsstelle, second factor passed) and a superuser.

Every URL is asked twice: with the event five days ahead (inside the window in which case texts are readable)
and 40 days after it (outside the window, before the daily purge has removed the texts). Variants of a URL
(another object, a query string such as ``?fallbeispiele=1``) are rows of their own. A second test makes sure
no named URL of the portal is missing from the matrix.
"""

import datetime as dt
import secrets

import pytest
from django.contrib.auth.models import Group
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone

from casework.enums import CaseStatus
from casework.feedback.services import questionnaire_ensure_default
from events.enums import TeamRole
from events.models import Project, Speaker, SpeakerInvitation
from events.services import project_save
from events.speakers import hash_token
from kokportal.roles import OFFICE, sync_staff_groups
from participants.check_in_links import check_in_token
from participants.enums import InvitationSource, RegistrationStatus
from participants.models import Invitation, InvitationBatch
from participants.services import certificate_issue
from tests.auth import login
from tests.casework.factories import CaseExampleFactory, SmallGroupFactory, WorkshopFactory, WorkshopParticipantFactory
from tests.factories import (
    EventFactory,
    EventTeamMemberFactory,
    RegistrationFactory,
    StaffFactory,
    UserFactory,
    material_for,
)

pytestmark = pytest.mark.django_db

ROLES = (
    "anonymous",
    "participant",
    "other_event_participant",
    "facilitator",
    "co_organiser",
    "staff_without_second_factor",
    "staff_session_without_second_factor",
    "staff",
    "superuser",
)
WHEN = ("inside_window", "after_window")
LOGIN = "login"  # a redirect to the login page
_ = None  # "same as inside the window"

# row: (url name, url kwargs key, query string, answers inside the window, answers after it or _ if the same)
#                                       anon   part   other  facil  co-org no-2fa  unver  staff  super
MATRIX = {
    "events:home": ("events:home", None, "", (200, 200, 200, 200, 200, 302, 302, 200, 200), _),
    "events:detail": ("events:detail", "event", "", (200, 200, 200, 200, 200, 302, 302, 200, 200), _),
    "events:project_logo": (  # a funder's logo, public like the event pages that show it
        "events:project_logo",
        "project",
        "",
        (200, 200, 200, 200, 200, 302, 302, 200, 200),
        _,
    ),
    # Materials of the event (events.permissions.material_visibilities): 404 for anyone outside the visibility.
    "events:material_download": (  # public
        "events:material_download",
        "material_public",
        "",
        (200, 200, 200, 200, 200, 302, 302, 200, 200),
        _,
    ),
    "events:material_download registered": (  # confirmed (or attended) participants, the team
        "events:material_download",
        "material_registered",
        "",
        (404, 200, 404, 200, 200, 302, 302, 200, 200),
        _,
    ),
    "events:material_download team": (  # the event's team and staff
        "events:material_download",
        "material_team",
        "",
        (404, 404, 404, 200, 200, 302, 302, 200, 200),
        _,
    ),
    "privacy": ("privacy", None, "", (200, 200, 200, 200, 200, 302, 302, 200, 200), _),
    "health": ("health", None, "", (200, 200, 200, 200, 200, 200, 200, 200, 200), _),
    "switch_language": ("switch_language", None, "", (302, 302, 302, 302, 302, 302, 302, 302, 302), _),
    "participants:register": (  # after the event: the page says that registration has closed
        "participants:register",
        "event",
        "",
        (LOGIN, 302, 200, 200, 200, 302, 302, 200, 200),
        _,
    ),
    "participants:contact_list": (
        "participants:contact_list",
        "event",
        "",
        (LOGIN, 200, 404, 404, 404, 302, 302, 404, 404),
        _,
    ),
    "my_practice_days": (  # everyone's start page: only their own things
        "my_practice_days",
        None,
        "",
        (LOGIN, 200, 200, 200, 200, 302, 302, 200, 200),
        _,
    ),
    "participants:my_registrations": (  # moved into the start page: a permanent redirect there
        "participants:my_registrations",
        None,
        "",
        (301, 301, 301, 301, 301, 302, 302, 301, 301),
        _,
    ),
    "participants:registration_detail": (
        "participants:registration_detail",
        "registration",
        "",
        (LOGIN, 200, 404, 404, 404, 302, 302, 404, 404),
        _,
    ),
    "participants:registration_cancel": (  # asks for confirmation; after the deadline the registration says why
        "participants:registration_cancel",
        "registration",
        "",
        (LOGIN, 200, 404, 404, 404, 302, 302, 404, 404),
        (LOGIN, 302, 404, 404, 404, 302, 302, 404, 404),
    ),
    "participants:registration_ical": (
        "participants:registration_ical",
        "registration",
        "",
        (LOGIN, 200, 404, 404, 404, 302, 302, 404, 404),
        _,
    ),
    "participants:privacy": ("participants:privacy", None, "", (LOGIN, 200, 200, 200, 200, 200, 200, 200, 200), _),
    "participants:privacy_export": (
        "participants:privacy_export",
        None,
        "",
        (LOGIN, 200, 200, 200, 200, 200, 200, 200, 200),
        _,
    ),
    "participants:account_delete": (  # re-authentication first
        "participants:account_delete",
        None,
        "",
        (LOGIN, 302, 302, 302, 302, 302, 302, 302, 302),
        _,
    ),
    "participants:reauthenticate_by_code": (  # sends a code, then asks for it
        "participants:reauthenticate_by_code",
        None,
        "",
        (LOGIN, 302, 302, 302, 302, 302, 302, 302, 302),
        _,
    ),
    "casework:workshop": ("casework:workshop", "workshop", "", (LOGIN, 200, 404, 200, 404, 302, 302, 200, 200), _),
    "casework:groups_print": (
        "casework:groups_print",
        "workshop",
        "",
        (LOGIN, 404, 404, 200, 404, 302, 302, 200, 200),
        _,
    ),
    "casework:place_unassigned": (  # POST only, see below
        "casework:place_unassigned",
        "workshop",
        "",
        (LOGIN, 405, 405, 405, 405, 302, 302, 405, 405),
        _,
    ),
    "casework:case_create": (
        "casework:case_create",
        "workshop_pk",
        "",
        (LOGIN, 404, 404, 200, 200, 302, 302, 200, 200),
        _,
    ),
    "casework:case": (  # approved, written by the co-organiser
        "casework:case",
        "case",
        "",
        (LOGIN, 200, 404, 200, 404, 302, 302, 200, 200),
        (LOGIN, 404, 404, 404, 404, 302, 302, 200, 200),
    ),
    "casework:case (draft)": (  # the co-organiser's draft
        "casework:case",
        "draft",
        "",
        (LOGIN, 404, 404, 404, 200, 302, 302, 200, 200),
        _,
    ),
    "casework:case_edit": (  # approved: its author no longer edits it; staff may (it goes back into review)
        "casework:case_edit",
        "case",
        "",
        (LOGIN, 404, 404, 404, 404, 302, 302, 200, 200),
        _,
    ),
    "casework:case_edit (draft)": (
        "casework:case_edit",
        "draft",
        "",
        (LOGIN, 404, 404, 404, 200, 302, 302, 200, 200),
        (LOGIN, 404, 404, 404, 404, 302, 302, 200, 200),  # the window has closed for the author too
    ),
    "casework:group": ("casework:group", "group", "", (LOGIN, 200, 404, 200, 404, 302, 302, 200, 200), _),
    "documents:index": ("documents:index", "event", "", (LOGIN, 404, 404, 200, 200, 302, 302, 200, 200), _),
    "documents:documentation": (
        "documents:documentation",
        "event",
        "",
        (LOGIN, 404, 404, 200, 200, 302, 302, 200, 200),
        _,
    ),
    "documents:documentation (with case texts)": (
        "documents:documentation",
        "event",
        "fallbeispiele=1",
        (LOGIN, 404, 404, 200, 404, 302, 302, 200, 200),
        (LOGIN, 404, 404, 404, 404, 302, 302, 200, 200),
    ),
    "documents:participant_list": (
        "documents:participant_list",
        "event",
        "",
        (LOGIN, 200, 404, 200, 200, 302, 302, 200, 200),
        _,
    ),
    "documents:sign_in_sheet": (
        "documents:sign_in_sheet",
        "event",
        "",
        (LOGIN, 404, 404, 200, 200, 302, 302, 200, 200),
        _,
    ),
    "documents:badges": ("documents:badges", "event", "", (LOGIN, 404, 404, 200, 200, 302, 302, 200, 200), _),
    "documents:certificate": (  # the participant's certificate of attendance: theirs alone, once marked attended
        "documents:certificate",
        "attended_registration",
        "",
        (LOGIN, 200, 404, 404, 404, 302, 302, 404, 404),
        _,
    ),
    "documents:certificate (not attended)": (
        "documents:certificate",
        "registration",
        "",
        (LOGIN, 404, 404, 404, 404, 302, 302, 404, 404),
        _,
    ),
    "participants:certificate_verify": (  # public, by the code printed on the certificate
        "participants:certificate_verify",
        "certificate",
        "",
        (200, 200, 200, 200, 200, 302, 302, 200, 200),
        _,
    ),
    "participants:certificate_verify (forged code)": (
        "participants:certificate_verify",
        "forged_certificate",
        "",
        (404, 404, 404, 404, 404, 302, 302, 404, 404),
        _,
    ),
    "participants:check_in": (  # the list for the door: staff and the event's team
        "participants:check_in",
        "event",
        "",
        (LOGIN, 404, 404, 200, 200, 302, 302, 200, 200),
        _,
    ),
    "participants:check_in_update": (  # POST only (one tap), see tests/participants/test_check_in.py
        "participants:check_in_update",
        "check_in_row",
        "",
        (405, 405, 405, 405, 405, 302, 302, 405, 405),
        _,
    ),
    "participants:check_in_link": (  # a badge's signed link: the team's check-in card; others log in or get 403
        "participants:check_in_link",
        "check_in_link",
        "",
        (LOGIN, 403, 403, 200, 200, 302, 302, 200, 200),
        _,
    ),
    "participants:check_in_link (forged)": (  # a forged link answers 404 to everyone, logged in or not
        "participants:check_in_link",
        "forged_check_in_link",
        "",
        (404, 404, 404, 404, 404, 302, 302, 404, 404),
        _,
    ),
    "participants:invitation_open": (  # a personal invitation's link: on to the registration (or the event's page)
        "participants:invitation_open",
        "invitation",
        "",
        (302, 302, 302, 302, 302, 302, 302, 302, 302),
        _,
    ),
    "participants:invitation_open (forged)": (
        "participants:invitation_open",
        "forged_invitation",
        "",
        (404, 404, 404, 404, 404, 302, 302, 404, 404),
        _,
    ),
    "participants:invitation_unsubscribe": (  # public: whoever holds the link may stop the invitations
        "participants:invitation_unsubscribe",
        "invitation",
        "",
        (200, 200, 200, 200, 200, 302, 302, 200, 200),
        _,
    ),
    "participants:invitation_unsubscribe (forged)": (
        "participants:invitation_unsubscribe",
        "forged_invitation",
        "",
        (404, 404, 404, 404, 404, 302, 302, 404, 404),
        _,
    ),
    "participants:invitation_consent": (  # the account page's button: POST only
        "participants:invitation_consent",
        None,
        "",
        (LOGIN, 405, 405, 405, 405, 405, 405, 405, 405),
        _,
    ),
    "feedback:thanks": ("feedback:thanks", None, "", (200, 200, 200, 200, 200, 302, 302, 200, 200), _),
    "events:speaker_invitation": (  # a speaker's personal link; no login (after the deadline: read-only)
        "events:speaker_invitation",
        "speaker_invitation",
        "",
        (200, 200, 200, 200, 200, 302, 302, 200, 200),
        _,
    ),
    "events:speaker_invitation (forged)": (
        "events:speaker_invitation",
        "forged_speaker_invitation",
        "",
        (404, 404, 404, 404, 404, 302, 302, 404, 404),
        _,
    ),
    "feedback:answer": (  # an unknown token
        "feedback:answer",
        "token",
        "",
        (404, 404, 404, 404, 404, 302, 302, 404, 404),
        _,
    ),
    "feedback:results": ("feedback:results", "event", "", (404, 404, 404, 200, 200, 302, 302, 200, 200), _),
    "feedback:results_csv": ("feedback:results_csv", "event", "", (404, 404, 404, 404, 404, 302, 302, 200, 200), _),
    "feedback:select_texts": (  # POST only, see below
        "feedback:select_texts",
        "event",
        "",
        (405, 405, 405, 405, 405, 302, 302, 405, 405),
        _,
    ),
    "admin:index": ("admin:index", None, "", (302, 302, 302, 302, 302, 302, 302, 200, 200), _),
    "admin:events_event_changelist": (
        "admin:events_event_changelist",
        None,
        "",
        (302, 302, 302, 302, 302, 302, 302, 200, 200),
        _,
    ),
    "admin:participants_registration_changelist": (
        "admin:participants_registration_changelist",
        None,
        "",
        (302, 302, 302, 302, 302, 302, 302, 200, 200),
        _,
    ),
    "admin:kokportal_user_changelist": (
        "admin:kokportal_user_changelist",
        None,
        "",
        (302, 302, 302, 302, 302, 302, 302, 200, 200),
        _,
    ),
    "admin:auth_group_changelist": (
        "admin:auth_group_changelist",
        None,
        "",
        (302, 302, 302, 302, 302, 302, 302, 403, 200),
        _,
    ),
    "admin:events_event_report": (  # the report across events: office staff with the second factor only
        "admin:events_event_report",
        None,
        "",
        (302, 302, 302, 302, 302, 302, 302, 200, 200),
        _,
    ),
    "admin:events_event_report_pdf": (
        "admin:events_event_report_pdf",
        None,
        "",
        (302, 302, 302, 302, 302, 302, 302, 200, 200),
        _,
    ),
    "admin:kokportal_auditlogentry_changelist": (
        "admin:kokportal_auditlogentry_changelist",
        None,
        "",
        (302, 302, 302, 302, 302, 302, 302, 200, 200),
        _,
    ),
}
PORTAL_NAMESPACES = {"events", "participants", "casework", "documents", "feedback"}


@pytest.fixture(params=WHEN)
def world(request):
    sync_staff_groups()
    days = 5 if request.param == "inside_window" else -40
    event = EventFactory(date=timezone.localdate() + dt.timedelta(days=days), past=days < 0)
    workshop = WorkshopFactory(event=event)
    group = SmallGroupFactory(workshop=workshop)
    registration = RegistrationFactory(event=event, contact_list_consent=True, contact_list_consented_at=timezone.now())
    WorkshopParticipantFactory(workshop=workshop, registration=registration, group=group)
    facilitator = UserFactory()
    workshop.facilitators.add(facilitator)
    EventTeamMemberFactory(event=event, user=facilitator, role=TeamRole.FACILITATOR)
    co_organiser = UserFactory()
    EventTeamMemberFactory(event=event, user=co_organiser, role=TeamRole.CO_ORGANISER)
    case = CaseExampleFactory(workshop=workshop, approved=True, author=co_organiser)
    draft = CaseExampleFactory(workshop=workshop, status=CaseStatus.DRAFT, author=co_organiser)
    questionnaire_ensure_default(event=event)
    # The participant also attended an earlier practice day, and has its certificate.
    attended = RegistrationFactory(
        event=EventFactory(past=True), user=registration.user, status=RegistrationStatus.ATTENDED
    )
    certificate = certificate_issue(registration=attended)
    project = project_save(
        project=Project(
            title="Flucht & Menschenhandel",
            starts_on=dt.date(2016, 5, 1),
            ends_on=dt.date(2017, 11, 30),
            funder="Förderer",
            credit_line="Gefördert durch …",
        ),
        logo=_logo_png(),
    )
    batch = InvitationBatch.objects.create(event=event, invited_count=1)
    invitation = Invitation.objects.create(
        batch=batch,
        event=event,
        email="info@beratung.example",
        source=InvitationSource.ORGANISATION,
        token=secrets.token_urlsafe(32),
    )
    materials = {
        visibility: material_for(event, title=f"Handout {visibility}", visibility=visibility)
        for visibility in ("public", "registered", "team")
    }
    speaker_token = secrets.token_urlsafe(32)
    SpeakerInvitation.objects.create(
        event=event,
        speaker=Speaker.objects.create(name="Alex Beispiel", email="alex@beispiel.example"),
        token_hash=hash_token(speaker_token),
        deadline=event.starts_at - dt.timedelta(days=1),
    )
    office = Group.objects.get(name=OFFICE)
    staff, staff_without_second_factor, unverified = StaffFactory(), StaffFactory(mfa=False), StaffFactory()
    for person in (staff, staff_without_second_factor, unverified):
        person.groups.add(office)
    objects = {
        "event": {"slug": event.slug},
        "registration": {"pk": registration.pk},
        "workshop": {"pk": workshop.pk},
        "workshop_pk": {"workshop_pk": workshop.pk},
        "case": {"pk": case.pk},
        "draft": {"pk": draft.pk},
        "group": {"pk": group.pk},
        "token": {"token": "x" * 43},
        "attended_registration": {"pk": attended.pk},
        "certificate": {"code": certificate.code},
        "forged_certificate": {"code": certificate.code[:-1] + ("A" if certificate.code[-1] != "A" else "B")},
        "invitation": {"token": invitation.token},
        "project": {"pk": project.pk},
        "forged_invitation": {"token": invitation.token[:-1] + ("A" if invitation.token[-1] != "A" else "B")},
        "speaker_invitation": {"token": speaker_token},
        "forged_speaker_invitation": {"token": speaker_token[:-1] + ("A" if speaker_token[-1] != "A" else "B")},
        "check_in_row": {"slug": event.slug, "pk": registration.pk},
        "check_in_link": {"slug": event.slug, "token": check_in_token(registration)},
        "forged_check_in_link": {"slug": event.slug, "token": f"{registration.pk}.{'x' * 43}"},
        **{
            f"material_{visibility}": {"slug": event.slug, "pk": material.pk, "file_name": material.file_name}
            for visibility, material in materials.items()
        },
    }
    users = {
        "anonymous": None,
        "participant": registration.user,
        "other_event_participant": RegistrationFactory(event=EventFactory()).user,
        "facilitator": facilitator,
        "co_organiser": co_organiser,
        "staff_without_second_factor": staff_without_second_factor,
        "staff_session_without_second_factor": unverified,
        "staff": staff,
        "superuser": StaffFactory(is_superuser=True),
    }
    return request.param, objects, users


def _client(users: dict, role: str) -> Client:
    client = Client()
    user = users[role]
    if role == "staff_session_without_second_factor":
        client.force_login(user)  # logged in, but this session never passed the second factor
    elif user is not None:
        login(client, user)
    return client


@pytest.mark.parametrize("row", MATRIX)
def test_permission_matrix(world, row):
    when, objects, users = world
    name, key, query, inside, after = MATRIX[row]
    expected = inside if when == "inside_window" or after is None else after
    url = reverse(name, kwargs=objects[key] if key else None) + (f"?{query}" if query else "")
    answers = []
    for role in ROLES:
        response = _client(users, role).get(url)
        if response.status_code == 302 and response["Location"].startswith(reverse("account_login")):
            answers.append(LOGIN)
        else:
            answers.append(response.status_code)
    assert tuple(answers) == expected, dict(zip(ROLES, answers, strict=True))


SELECT_TEXTS_POST = {  # staff are redirected back to the results; everyone else gets 404
    "anonymous": 404,
    "participant": 404,
    "other_event_participant": 404,
    "facilitator": 404,
    "co_organiser": 404,
    "staff_without_second_factor": 302,  # to the second factor first
    "staff_session_without_second_factor": 302,
    "staff": 302,
    "superuser": 302,
}


@pytest.mark.parametrize("role", ROLES)
def test_permission_matrix_post_only_select_texts(world, role):
    _when, objects, users = world
    response = _client(users, role).post(reverse("feedback:select_texts", kwargs=objects["event"]), {})
    assert response.status_code == SELECT_TEXTS_POST[role]


PLACE_UNASSIGNED_POST = {  # staff and the workshop's facilitators are sent back to the workshop page; others 404
    "anonymous": LOGIN,
    "participant": 404,
    "other_event_participant": 404,
    "facilitator": 302,
    "co_organiser": 404,
    "staff_without_second_factor": 302,  # to the second factor first
    "staff_session_without_second_factor": 302,
    "staff": 302,
    "superuser": 302,
}


@pytest.mark.parametrize("role", ROLES)
def test_permission_matrix_post_only_place_unassigned(world, role):
    _when, objects, users = world
    url = reverse("casework:place_unassigned", kwargs=objects["workshop"])
    response = _client(users, role).post(url, {})
    login_redirect = response.status_code == 302 and response["Location"].startswith(reverse("account_login"))
    assert (LOGIN if login_redirect else response.status_code) == PLACE_UNASSIGNED_POST[role]
    if response.status_code == 302 and role in ("facilitator", "staff", "superuser"):
        assert response["Location"] == reverse("casework:workshop", kwargs=objects["workshop"])


def _named_urls(resolver=None, namespace=None):
    resolver = resolver or get_resolver()
    for pattern in resolver.url_patterns:
        if isinstance(pattern, URLResolver):
            yield from _named_urls(pattern, pattern.namespace or namespace)
        elif isinstance(pattern, URLPattern) and pattern.name:
            yield f"{namespace}:{pattern.name}" if namespace else pattern.name


def test_permission_matrix_covers_every_portal_url():
    names = {n for n in _named_urls() if n.split(":")[0] in PORTAL_NAMESPACES}
    assert names - {name for name, *_rest in MATRIX.values()} == set()


def test_permission_matrix_size():
    """Documents the size stated in the closing note of the security review: rows × roles × variants."""
    assert (len(MATRIX), len(ROLES), len(WHEN)) == (63, 9, 2)


def _logo_png() -> bytes:
    import io

    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (300, 100), "navy").save(buffer, format="PNG")
    return buffer.getvalue()
