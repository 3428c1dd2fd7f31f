"""Every URL of the portal, requested by every kind of visitor, with the exact answer each must get.

Roles: anonymous, a participant of the event, a participant of another event, a facilitator of the
event's workshop, office staff (group KOK-Geschäftsstelle, second factor set up) and a superuser.
A second test makes sure no named URL of the portal is missing from the matrix.
"""

import datetime as dt

import pytest
from django.contrib.auth.models import Group
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone

from casework.feedback.services import questionnaire_ensure_default
from events.enums import TeamRole
from kokportal.roles import OFFICE, sync_staff_groups
from tests.casework.factories import CaseExampleFactory, SmallGroupFactory, WorkshopFactory, WorkshopParticipantFactory
from tests.factories import EventFactory, EventTeamMemberFactory, RegistrationFactory, StaffFactory, UserFactory

pytestmark = pytest.mark.django_db

ROLES = ("anonymous", "participant", "other_event_participant", "facilitator", "staff", "superuser")
LOGIN = "login"  # a redirect to the login page

# name: (url kwargs key, expected per role in ROLES order)
MATRIX = {
    "events:home": (None, (200, 200, 200, 200, 200, 200)),
    "events:detail": ("event", (200, 200, 200, 200, 200, 200)),
    "privacy": (None, (200, 200, 200, 200, 200, 200)),
    "health": (None, (200, 200, 200, 200, 200, 200)),
    "switch_language": (None, (302, 302, 302, 302, 302, 302)),
    "participants:register": ("event", (LOGIN, 302, 200, 200, 200, 200)),
    "participants:contact_list": ("event", (LOGIN, 200, 404, 404, 404, 404)),
    "participants:my_registrations": (None, (LOGIN, 200, 200, 200, 200, 200)),
    "participants:registration_detail": ("registration", (LOGIN, 200, 404, 404, 404, 404)),
    "participants:registration_cancel": ("registration", (LOGIN, 405, 405, 405, 405, 405)),
    "participants:registration_ical": ("registration", (LOGIN, 200, 404, 404, 404, 404)),
    "participants:privacy": (None, (LOGIN, 200, 200, 200, 200, 200)),
    "participants:privacy_export": (None, (LOGIN, 200, 200, 200, 200, 200)),
    "participants:account_delete": (None, (LOGIN, 302, 302, 302, 302, 302)),  # re-authentication first
    "casework:workshop": ("workshop", (LOGIN, 200, 404, 200, 200, 200)),
    "casework:groups_print": ("workshop", (LOGIN, 404, 404, 200, 200, 200)),
    "casework:case_create": ("workshop_pk", (LOGIN, 404, 404, 200, 200, 200)),
    "casework:case": ("case", (LOGIN, 200, 404, 200, 200, 200)),
    "casework:case_edit": ("case", (LOGIN, 404, 404, 200, 200, 200)),
    "casework:group": ("group", (LOGIN, 200, 404, 200, 200, 200)),
    "documents:index": ("event", (LOGIN, 404, 404, 200, 200, 200)),
    "documents:documentation": ("event", (LOGIN, 404, 404, 200, 200, 200)),
    "documents:participant_list": ("event", (LOGIN, 200, 404, 200, 200, 200)),
    "documents:sign_in_sheet": ("event", (LOGIN, 404, 404, 200, 200, 200)),
    "documents:badges": ("event", (LOGIN, 404, 404, 200, 200, 200)),
    "feedback:thanks": (None, (200, 200, 200, 200, 200, 200)),
    "feedback:answer": ("token", (404, 404, 404, 404, 404, 404)),  # an unknown token
    "feedback:results": ("event", (404, 404, 404, 200, 200, 200)),
    "feedback:results_csv": ("event", (404, 404, 404, 404, 200, 200)),
    "feedback:select_texts": ("event", (405, 405, 405, 405, 405, 405)),  # POST only, see below
    "admin:index": (None, (302, 302, 302, 302, 200, 200)),
    "admin:events_event_changelist": (None, (302, 302, 302, 302, 200, 200)),
    "admin:participants_registration_changelist": (None, (302, 302, 302, 302, 200, 200)),
    "admin:participants_user_changelist": (None, (302, 302, 302, 302, 200, 200)),
    "admin:auth_group_changelist": (None, (302, 302, 302, 302, 403, 200)),
    "admin:kokportal_auditlogentry_changelist": (None, (302, 302, 302, 302, 200, 200)),
}
PORTAL_NAMESPACES = {"events", "participants", "casework", "documents", "feedback"}


@pytest.fixture
def world():
    sync_staff_groups()
    event = EventFactory(date=timezone.localdate() + dt.timedelta(days=5))
    workshop = WorkshopFactory(event=event)
    group = SmallGroupFactory(workshop=workshop)
    registration = RegistrationFactory(event=event, contact_list_consent=True, contact_list_consented_at=timezone.now())
    WorkshopParticipantFactory(workshop=workshop, registration=registration, group=group)
    facilitator = UserFactory()
    workshop.facilitators.add(facilitator)
    EventTeamMemberFactory(event=event, user=facilitator, role=TeamRole.FACILITATOR)
    case = CaseExampleFactory(workshop=workshop, approved=True, author=facilitator)
    questionnaire_ensure_default(event=event)
    staff = StaffFactory()
    staff.groups.add(Group.objects.get(name=OFFICE))
    objects = {
        "event": {"slug": event.slug},
        "registration": {"pk": registration.pk},
        "workshop": {"pk": workshop.pk},
        "workshop_pk": {"workshop_pk": workshop.pk},
        "case": {"pk": case.pk},
        "group": {"pk": group.pk},
        "token": {"token": "x" * 43},
    }
    users = {
        "anonymous": None,
        "participant": registration.user,
        "other_event_participant": RegistrationFactory(event=EventFactory()).user,
        "facilitator": facilitator,
        "staff": staff,
        "superuser": StaffFactory(is_superuser=True),
    }
    return objects, users


@pytest.mark.parametrize("name", MATRIX)
def test_permission_matrix(world, name):
    objects, users = world
    key, expected = MATRIX[name]
    url = reverse(name, kwargs=objects[key] if key else None)
    answers = []
    for role in ROLES:
        client = Client()
        if users[role] is not None:
            client.force_login(users[role])
        response = client.get(url)
        if response.status_code == 302 and response["Location"].startswith(reverse("account_login")):
            answers.append(LOGIN)
        else:
            answers.append(response.status_code)
    assert tuple(answers) == expected, dict(zip(ROLES, answers, strict=True))


@pytest.mark.parametrize(
    ("role", "expected"),
    [
        ("anonymous", 404),
        ("participant", 404),
        ("other_event_participant", 404),
        ("facilitator", 404),
        ("staff", 302),
        ("superuser", 302),
    ],
)
def test_permission_matrix_post_only_select_texts(world, role, expected):
    objects, users = world
    client = Client()
    if users[role] is not None:
        client.force_login(users[role])
    response = client.post(reverse("feedback:select_texts", kwargs=objects["event"]), {})
    assert response.status_code == expected


def _named_urls(resolver=None, namespace=None):
    resolver = resolver or get_resolver()
    for pattern in resolver.url_patterns:
        if isinstance(pattern, URLResolver):
            yield from _named_urls(pattern, pattern.namespace or namespace)
        elif isinstance(pattern, URLPattern) and pattern.name:
            yield f"{namespace}:{pattern.name}" if namespace else pattern.name


def test_permission_matrix_covers_every_portal_url():
    names = {n for n in _named_urls() if n.split(":")[0] in PORTAL_NAMESPACES}
    assert names - set(MATRIX) == set()
