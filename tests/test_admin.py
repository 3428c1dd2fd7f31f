"""Every admin page of every registered model answers 200 for staff, and nobody else gets in."""

import pytest
from django.contrib import admin
from django.urls import reverse

from casework.feedback.models import FeedbackInvitation
from casework.feedback.services import questionnaire_ensure_default
from participants.enums import RegistrationStatus
from participants.mailings import mailing_send
from participants.models import CertificateSignature
from participants.services import certificate_issue
from tests.casework.factories import CaseExampleFactory, SmallGroupFactory, WorkshopFactory
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
    speaker_invitation,
    speaker_on,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def objects(staff_user):
    event = EventFactory()
    item = ProgrammeItemFactory(event=event)
    material_for(event, title="Folien Berlin", visibility="registered", programme_item=item)
    material_for(event, title="Checkliste", visibility="public")
    # Speakers: one named in the programme and invited, one who consented, one in no programme (may be deleted).
    speaker_invitation(speaker_on(item), event)
    speaker_on(item, consented=True)
    SpeakerFactory(email="")
    QuotaFactory(event=event)
    EventTeamMemberFactory(event=event)
    RegistrationFactory(event=event)
    OrganisationFactory()
    UserFactory()
    workshop = WorkshopFactory(event=event)
    questionnaire = questionnaire_ensure_default(event=event)
    FeedbackInvitation.objects.create(
        questionnaire=questionnaire, registration=RegistrationFactory(event=event), token_hash="0" * 64
    )
    CaseExampleFactory(workshop=workshop)
    SmallGroupFactory(workshop=workshop)
    # A mail to the event's people (its deliveries stay queued: on_commit does not run in these tests).
    mailing_send(event=event, statuses=["confirmed"], subject="Hinweise", body="Guten Tag {vorname}", by=staff_user)
    # Invitations to the event: an organisation's functional address and a person who consented.
    invitations_sent(event, staff_user)
    # A funded project the event belongs to.
    funded_project_for(event)
    certificate_issue(
        registration=RegistrationFactory(event=EventFactory(past=True), status=RegistrationStatus.ATTENDED)
    )
    CertificateSignature.objects.get_or_create(id=CertificateSignature.SINGLETON_ID)


def _portal_models():
    return [model for model in admin.site._registry if model._meta.app_label in {"events", "participants", "casework"}]


@pytest.mark.usefixtures("objects")
@pytest.mark.parametrize("model", _portal_models(), ids=lambda m: m._meta.label)
def test_admin_changelist_add_and_change_pages_answer_200_for_staff(staff_client, staff_user, rf, model):
    opts = model._meta
    changelist = reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist")
    assert staff_client.get(changelist).status_code == 200
    assert staff_client.get(changelist, {"q": "Berlin"}).status_code == 200
    model_admin = admin.site._registry[model]
    request = rf.get("/")
    request.user = staff_user
    if model_admin.has_add_permission(request):
        assert staff_client.get(reverse(f"admin:{opts.app_label}_{opts.model_name}_add")).status_code == 200
    obj = model.objects.first()
    assert obj is not None, f"no {opts.label} object to open"
    assert (
        staff_client.get(reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[obj.pk])).status_code == 200
    )


def test_admin_redirects_anonymous_to_allauth_login(client):
    response = client.get(reverse("admin:index"), follow=True)
    assert response.redirect_chain[-1][0].startswith(reverse("account_login"))
    assert response.status_code == 200


def test_admin_login_page_redirects_to_allauth_login(client):
    response = client.get(reverse("admin:login"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


def test_admin_forbidden_for_participants(user_client):
    assert user_client.get(reverse("admin:index")).status_code == 302
    assert user_client.get(reverse("admin:login")).status_code == 403


def test_admin_copy_action_creates_draft_with_programme_and_quotas(staff_client):
    event = EventFactory(title="Praxisfachtag 2019")
    ProgrammeItemFactory(event=event, title="Begrüßung")
    QuotaFactory(event=event, seats=20)
    response = staff_client.post(
        reverse("admin:events_event_changelist"),
        {"action": "copy_as_draft", "_selected_action": [event.pk]},
        follow=True,
    )
    assert response.status_code == 200
    copy = type(event).objects.exclude(pk=event.pk).get()
    assert copy.status == "draft"
    assert copy.title == "Praxisfachtag 2019 (Kopie)"
    assert list(copy.programme.values_list("title", flat=True)) == ["Begrüßung"]
    assert list(copy.quotas.values_list("seats", flat=True)) == [20]
    assert copy.registrations.count() == 0
