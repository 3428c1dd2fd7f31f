import pytest
from django.urls import reverse

from casework.enums import CaseStatus
from casework.models import CaseExample, FindingDismissal, WorkshopParticipant
from tests.auth import login
from tests.casework.factories import BLOCKED_TEXT, CLEAN_TEXT, CaseExampleFactory, WorkshopFactory, approval_post
from tests.factories import RegistrationFactory, StaffFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_admin_case_change_page_highlights_findings(staff_client):
    case = CaseExampleFactory(text=BLOCKED_TEXT, status=CaseStatus.IN_REVIEW)
    response = staff_client.get(reverse("admin:casework_caseexample_change", args=[case.pk]))
    assert response.status_code == 200
    assert '<mark class="anon-finding anon-blocking" data-category="name"' in response.text
    assert reverse("admin:casework_caseexample_approve", args=[case.pk]) in response.text


def test_admin_approve_view_blocks_until_reasons_given(staff_client):
    case = CaseExampleFactory(
        text=CLEAN_TEXT + " Die Beraterin Frau Rose Weber begleitet sie.", status=CaseStatus.IN_REVIEW
    )
    url = reverse("admin:casework_caseexample_approve", args=[case.pk])
    page = staff_client.get(url)
    assert "Begründung, warum „Frau Rose Weber“ unbedenklich ist" in page.text
    refused = staff_client.post(url, approval_post(case, {"Frau Rose Weber": ""}))
    assert refused.status_code == 200
    case.refresh_from_db()
    assert case.status == CaseStatus.IN_REVIEW
    approved = staff_client.post(
        url, approval_post(case, {"Frau Rose Weber": "Erfundener Name der Beraterin, nicht der Klientin."})
    )
    assert approved.status_code == 302
    case.refresh_from_db()
    assert case.status == CaseStatus.APPROVED
    assert FindingDismissal.objects.get().reason == "Erfundener Name der Beraterin, nicht der Klientin."


def test_admin_approve_by_author_refused(client):
    author = StaffFactory(is_superuser=True)
    case = CaseExampleFactory(author=author, status=CaseStatus.IN_REVIEW)
    login(client, author)
    response = client.post(reverse("admin:casework_caseexample_approve", args=[case.pk]), approval_post(case))
    assert "von einer zweiten Person freigegeben" in response.text
    case.refresh_from_db()
    assert case.status == CaseStatus.IN_REVIEW


def test_admin_workshop_actions_assign_and_form_groups(staff_client):
    workshop = WorkshopFactory(group_size=3)
    RegistrationFactory.create_batch(7, event=workshop.event)
    changelist = reverse("admin:casework_workshop_changelist")
    staff_client.post(changelist, {"action": "assign_participants", "_selected_action": [workshop.pk]})
    response = staff_client.post(changelist, {"action": "form_groups", "_selected_action": [workshop.pk]}, follow=True)
    assert "3 Kleingruppen eingeteilt." in response.text
    assert WorkshopParticipant.objects.filter(workshop=workshop, group__isnull=False).count() == 7


def test_admin_edit_approved_case_goes_back_to_review(staff_client):
    case = CaseExampleFactory(approved=True)
    url = reverse("admin:casework_caseexample_change", args=[case.pk])
    response = staff_client.post(url, {"workshop": case.workshop_id, "title": case.title, "text": CLEAN_TEXT + " X."})
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.status == CaseStatus.IN_REVIEW


def test_case_form_check_shows_findings_without_saving(client):
    workshop = WorkshopFactory()
    facilitator = UserFactory()
    workshop.facilitators.add(facilitator)
    login(client, facilitator)
    url = reverse("casework:case_create", kwargs={"workshop_pk": workshop.pk})
    response = client.post(url, {"title": "Fall", "text": BLOCKED_TEXT, "action": "check"})
    assert response.status_code == 200
    assert 'data-category="phone"' in response.text
    assert CaseExample.objects.count() == 0


def test_case_form_save_and_submit(client):
    workshop = WorkshopFactory()
    facilitator = UserFactory()
    workshop.facilitators.add(facilitator)
    login(client, facilitator)
    url = reverse("casework:case_create", kwargs={"workshop_pk": workshop.pk})
    response = client.post(url, {"title": "Fall 1", "text": CLEAN_TEXT, "action": "submit"})
    case = CaseExample.objects.get()
    assert response["Location"] == case.get_absolute_url()
    assert (case.status, case.author) == (CaseStatus.IN_REVIEW, facilitator)


def test_case_form_escapes_markup(client):
    workshop = WorkshopFactory()
    facilitator = UserFactory()
    workshop.facilitators.add(facilitator)
    login(client, facilitator)
    url = reverse("casework:case_create", kwargs={"workshop_pk": workshop.pk})
    response = client.post(url, {"title": "Fall", "text": "<script>alert(1)</script> Frau A.", "action": "check"})
    assert "<script>alert(1)</script>" not in response.text
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in response.text
