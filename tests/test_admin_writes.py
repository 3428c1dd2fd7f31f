"""Every admin change form of every model: change each editable field on its own, save (security review, item 7).

The form is read from the rendered page as a browser would submit it (every input, select and textarea), one
field is changed to another plausible value (text, number, date, choice, tick box, a different related object,
the "delete" box of an inline row), and the form is posted. Whatever the change, the admin answers with a saved
object (302) or the form with an error (200), never a 500 (the test client re-raises any exception), and the
portal's invariants still hold afterwards: no type over its quota, no event over its capacity, nobody waiting
for a type that has a free seat, consent only with its time, a small group's members in its workshop, results
recorded by someone, an approved case approved by a second person.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from html.parser import HTMLParser

import pytest
from django.contrib import admin
from django.urls import reverse
from django.utils import timezone

from casework.enums import CaseStatus
from casework.feedback.models import FeedbackInvitation
from casework.feedback.services import questionnaire_ensure_default
from casework.models import CaseExample, SmallGroup, Workshop, WorkshopParticipant
from kokportal.audit import audit_log_record
from kokportal.roles import sync_staff_groups
from participants.enums import RegistrationStatus as S
from participants.mailings import mailing_send
from participants.models import CertificateSignature, Registration
from participants.selectors import event_availability
from participants.services import certificate_issue
from participants.tasks import enqueue_registration_mail
from tests.casework.factories import CaseExampleFactory, SmallGroupFactory, WorkshopFactory, WorkshopParticipantFactory
from tests.factories import (
    EventFactory,
    EventTeamMemberFactory,
    OrganisationFactory,
    ProgrammeItemFactory,
    QuotaFactory,
    RegistrationFactory,
    SpeakerFactory,
    UserFactory,
    funded_project_for,
    invitations_sent,
    material_for,
    organisation_type,
    speaker_invitation,
    speaker_on,
    verified_user,
)

pytestmark = pytest.mark.django_db

# Inputs that are not data: the CSRF token, formset bookkeeping, the buttons.
_BOOKKEEPING = re.compile(r"(^csrfmiddlewaretoken$|-(TOTAL|INITIAL|MIN_NUM|MAX_NUM)_FORMS$|^_)")


@dataclass
class Control:
    name: str
    kind: str  # text, textarea, checkbox, radio, select, select-multiple, hidden, number, email, …
    value: list[str] = field(default_factory=list)
    options: list[str] = field(default_factory=list)


class AdminFormParser(HTMLParser):
    """The controls of the admin's change form (``<form id="…_form">``), as a browser would submit them."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.controls: dict[str, Control] = {}
        self._in_form = False
        self._select: Control | None = None
        self._option: str | None = None
        self._textarea: Control | None = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form" and (attrs.get("id") or "").endswith("_form"):
            self._in_form = True
        if not self._in_form:
            return
        name = attrs.get("name")
        if tag == "input" and name:
            kind = (attrs.get("type") or "text").lower()
            if kind in ("submit", "button", "file", "image", "reset"):
                return
            control = self.controls.setdefault(name, Control(name, kind))
            if kind in ("checkbox", "radio"):
                control.options.append(attrs.get("value") or "on")
                if "checked" in attrs:
                    control.value.append(attrs.get("value") or "on")
            else:
                control.value = [attrs.get("value") or ""]
        elif tag == "select" and name:
            self._select = self.controls.setdefault(
                name, Control(name, "select-multiple" if "multiple" in attrs else "select")
            )
        elif tag == "option" and self._select is not None:
            value = attrs.get("value")
            self._option = value
            self._select.options.append(value if value is not None else "")
            if "selected" in attrs:
                self._select.value.append(value if value is not None else "")
        elif tag == "textarea" and name:
            self._textarea = self.controls.setdefault(name, Control(name, "textarea", [""]))

    def handle_endtag(self, tag):
        if tag == "form":
            self._in_form = False
        elif tag == "select":
            if self._select is not None and self._select.kind == "select" and not self._select.value:
                self._select.value = self._select.options[:1]  # a browser submits the first option
            self._select = None
        elif tag == "textarea":
            self._textarea = None

    def handle_data(self, data):
        if self._textarea is not None:
            self._textarea.value = [self._textarea.value[0] + data]


def _form(client, url: str) -> dict[str, Control]:
    response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    parser = AdminFormParser()
    parser.feed(response.content.decode())
    assert parser.controls, f"no change form found on {url}"
    return parser.controls


def _post_data(controls: dict[str, Control]) -> dict[str, list[str]]:
    return {name: control.value for name, control in controls.items() if control.value}


_DATE = re.compile(r"^(\d{2})\.(\d{2})\.(\d{4})$")
_TIME = re.compile(r"^(\d{2}):(\d{2})(:\d{2})?$")


def _changed(control: Control) -> list[str] | None:
    """Another plausible value for one control, or None when it has none."""
    current = control.value[0] if control.value else ""
    if control.kind == "checkbox":
        return [] if control.value else control.options[:1]
    if control.kind in ("radio", "select"):
        others = [o for o in control.options if o not in control.value]
        preferred = [o for o in others if o] or others
        return preferred[:1] or None
    if control.kind == "select-multiple":
        if control.value:
            return control.value[1:]
        return control.options[:1] or None
    if control.kind == "number":
        return [str(int(float(current or 0)) + 1)]
    if control.kind == "email":
        return [f"geaendert.{current}" if current else "geaendert@example.org"]
    if match := _DATE.match(current):
        day = dt.date(int(match[3]), int(match[2]), int(match[1])) + dt.timedelta(days=1)
        return [day.strftime("%d.%m.%Y")]
    if match := _TIME.match(current):
        return [f"{(int(match[1]) + 1) % 24:02d}:{match[2]}"]
    if control.kind in ("text", "textarea", "url", "tel", "search"):
        return [f"{current} geändert" if current else "Geändert"]
    return None


def _editable(controls: dict[str, Control]) -> list[str]:
    names = []
    for name, control in controls.items():
        if _BOOKKEEPING.search(name) or control.kind == "hidden" or control.kind == "password":
            continue
        # Of each inline, the first row stands for all (an "__prefix__" row is the empty template).
        if "__prefix__" in name or re.search(r"-[1-9]\d*-", name):
            continue
        names.append(name)
    return names


def assert_invariants() -> None:
    """What the services guarantee, checked over the whole database after each admin save."""
    from events.enums import EventStatus
    from events.models import Event, Material

    for event in Event.objects.all():
        availability = event_availability(event)
        promotes = event.status == EventStatus.PUBLISHED and event.date >= timezone.localdate()
        waiting_types = set(
            Registration.objects.filter(event=event, status=S.WAITLISTED).values_list("organisation_type", flat=True)
        )
        for type_id, seats in availability.by_type.items():
            if seats.quota is not None:
                assert seats.holding <= seats.quota, (event.slug, type_id, "over its quota")
            if promotes and type_id in waiting_types:
                assert seats.free <= 0, (event.slug, type_id, "people wait while a seat is free")
        if event.capacity is not None:
            assert availability.total_holding <= event.capacity, (event.slug, "over capacity")
    assert not Registration.objects.filter(contact_list_consent=True, contact_list_consented_at__isnull=True).exists()
    for participant in WorkshopParticipant.objects.select_related("group", "registration"):
        assert participant.group is None or participant.group.workshop_id == participant.workshop_id
    for workshop in Workshop.objects.select_related("programme_item"):
        assert workshop.programme_item.event_id == workshop.event_id, "workshop in another event's programme"
    for group in SmallGroup.objects.all():
        if group.results or group.agreements:
            assert group.results_recorded_by_id is not None, "group results without who recorded them"
    for material in Material.objects.select_related("programme_item"):
        assert material.programme_item is None or material.programme_item.event_id == material.event_id
        assert material.title.strip(), "material without title"
    for case in CaseExample.objects.filter(status=CaseStatus.APPROVED):
        assert case.approved_by_id is not None and case.approved_by_id != case.author_id


@pytest.fixture
def world(staff_user, settings):
    """One object of every model the admin edits, in a state where the seat rules have work to do: a type with
    two seats, both taken, and one person waiting."""
    sync_staff_groups()  # transactional tests elsewhere may have emptied the groups the migration made
    fbs = organisation_type("fachberatungsstelle")
    bamf = organisation_type("bamf")
    event = EventFactory(date=timezone.localdate() + dt.timedelta(days=20), capacity=10, invited=[fbs, bamf])
    QuotaFactory(event=event, organisation_type=fbs, seats=2)
    OrganisationFactory(organisation_type=fbs, name="Zweite Fachberatungsstelle")
    OrganisationFactory(organisation_type=bamf, name="BAMF-Außenstelle Beispiel")
    confirmed = [
        RegistrationFactory(event=event, organisation_type=fbs, status=S.CONFIRMED, confirmed_at=timezone.now())
        for _ in range(2)
    ]
    RegistrationFactory(event=event, organisation_type=fbs, status=S.WAITLISTED, waitlisted_at=timezone.now())
    EventTeamMemberFactory(event=event)
    item = ProgrammeItemFactory(event=event)
    ProgrammeItemFactory(event=event, start=dt.time(14), end=dt.time(15))
    material_for(event, title="Folien", visibility="registered", programme_item=item)
    material_for(event, title="Checkliste", visibility="public")
    # Speakers: one named in the programme and invited, one who consented, one in no programme (may be deleted).
    speaker_invitation(speaker_on(item), event)
    speaker_on(item, consented=True)
    SpeakerFactory(email="")
    workshop = WorkshopFactory(event=event)
    WorkshopFactory(event=EventFactory())  # another event's workshop and programme item to choose wrongly
    groups = [SmallGroupFactory(workshop=workshop, number=n) for n in (1, 2)]
    for registration, group in zip(confirmed, groups, strict=True):
        WorkshopParticipantFactory(workshop=workshop, registration=registration, group=group)
    CaseExampleFactory(workshop=workshop, approved=True)
    CaseExampleFactory(workshop=workshop, status=CaseStatus.IN_REVIEW)
    questionnaire = questionnaire_ensure_default(event=event)
    FeedbackInvitation.objects.create(questionnaire=questionnaire, registration=confirmed[0], token_hash="0" * 64)
    verified_user("person@example.org")
    UserFactory()
    audit_log_record(actor=staff_user, action="export_registrations_csv", event=event, count=3)
    mailing_send(event=event, statuses=["confirmed"], subject="Hinweise", body="Guten Tag {vorname}", by=staff_user)
    # Invitations to the event: an organisation's functional address and a person who consented.
    invitations_sent(event, staff_user)
    # A funded project the event belongs to.
    funded_project_for(event)
    # The production task backend, so a queued mail is a task row the admin shows.
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    enqueue_registration_mail(registration_id=confirmed[0].pk, kind="confirmed")
    attended = RegistrationFactory(event=EventFactory(past=True), status=S.ATTENDED)
    certificate_issue(registration=attended)
    CertificateSignature.objects.update_or_create(id=1, defaults={"name": "Sophia Wirsching", "role": "Leitung"})
    assert_invariants()
    return event


def _models():
    return sorted(admin.site._registry, key=lambda model: model._meta.label)


@pytest.mark.usefixtures("world")
@pytest.mark.parametrize("model", _models(), ids=lambda model: model._meta.label)
def test_admin_every_editable_field_saves_or_explains_and_keeps_the_invariants(staff_client, staff_user, rf, model):
    opts = model._meta
    # Not the account the test is logged in with: taking one's own staff rights away ends the session.
    objects = [obj for obj in model.objects.order_by("pk")[:4] if obj != staff_user][:3]
    assert objects, f"no {opts.label} to open"
    changed_fields = 0
    for obj in objects:
        url = reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[obj.pk])
        if not model.objects.filter(pk=obj.pk).exists():
            continue  # deleted through an inline of an earlier object
        # The form as first shown; each post changes one field of it (after an earlier successful save this also
        # puts the other fields back, which is one more legitimate edit).
        controls = _form(staff_client, url)
        for name in _editable(controls):
            if not model.objects.filter(pk=obj.pk).exists():
                break
            value = _changed(controls[name])
            if value is None:
                continue
            data = _post_data(controls)
            data[name] = value
            if not value:
                data.pop(name)
            response = staff_client.post(url, {**data, "_continue": "1"})
            assert response.status_code in (200, 302), (opts.label, name, response.status_code)
            assert_invariants()
            changed_fields += 1
    request = rf.get("/")
    request.user = staff_user
    if admin.site._registry[model].has_change_permission(request):
        assert changed_fields > 0, f"{opts.label}: no editable field found"
