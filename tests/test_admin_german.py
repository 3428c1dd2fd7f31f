"""German throughout the admin (issue 13, point 12): the strings of Django's admin scripts, the names libraries bring
(second factor, background tasks, sessions), the permissions of groups and accounts, and every list and form page of
every model, without the English its libraries leave in."""

import json
import re

import pytest
from allauth.mfa.models import Authenticator
from django.contrib import admin
from django.contrib.admin.models import LogEntry
from django.contrib.auth.models import Group
from django.urls import reverse

from kokportal.roles import sync_staff_groups
from tests.factories import StaffFactory, UserFactory
from tests.test_admin_writes import world  # noqa: F401 - a fixture

pytestmark = pytest.mark.django_db

# English that staff used to see, from Django's admin scripts and forms, allauth's second factor and django-tasks.
ENGLISH = (
    "Choose",
    "by selecting them",
    "Remove all",
    "Authenticators",
    "TOTP Authenticator",
    "MFA",
    "Task Result",
    "Tasks Database Backend",
    "Can add",
    "Can change",
    "Can view",
    "Can delete",
    "Raw passwords",
    "Reset password",
    "Password-based",
    "enqueued at",
    "Sessions",
    "traceback",
)


def _visible_text(html: str) -> str:
    """What a person reads or hears: the text of the page and its titles, labels and placeholders (not its scripts,
    class names or the values in form fields, which are data)."""
    html = re.sub(r"<(script|textarea)\b.*?</\1>", " ", html, flags=re.S)
    spoken = re.findall(r'\s(?:title|aria-label|placeholder|alt)="([^"]*)"', html)
    return " ".join([re.sub(r"<[^>]+>", " ", html), *spoken])


def test_admin_script_strings_are_german(staff_client):
    catalogue = staff_client.get(reverse("admin:jsi18n")).text
    data = json.loads(re.search(r"const newcatalog = (\{.*?\});", catalogue, re.S).group(1))

    assert data["Choose all %s"] == "Alle %s auswählen"
    assert data['Choose %s by selecting them and then select the "Choose" arrow button.'] == (
        "Markieren Sie %s und klicken Sie dann auf den Pfeil „Auswählen“."
    )
    assert data["Remove selected %s"] == "Markierte %s entfernen"
    assert data["(click to clear)"] == "(zum Zurücksetzen klicken)"


def test_admin_index_names_every_section_in_german(staff_client):
    text = staff_client.get(reverse("admin:index")).text

    assert "Hintergrundaufgaben" in text
    assert [word for word in ENGLISH if word in _visible_text(text)] == []


@pytest.mark.usefixtures("world")  # one object of every model, a queued mail among them (tests/test_admin_writes.py)
@pytest.mark.parametrize(
    "model", sorted(admin.site._registry, key=lambda m: m._meta.label), ids=lambda m: m._meta.label
)
def test_every_admin_page_of_every_model_is_german(staff_client, staff_user, rf, model):
    request = rf.get("/")
    request.user = staff_user
    opts = model._meta
    urls = [reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist")]
    obj = model.objects.order_by("pk").first()
    if obj is not None:
        urls.append(reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[obj.pk]))
        urls.append(reverse(f"admin:{opts.app_label}_{opts.model_name}_history", args=[obj.pk]))
    if admin.site._registry[model].has_add_permission(request):
        urls.append(reverse(f"admin:{opts.app_label}_{opts.model_name}_add"))

    english = {}
    for url in urls:
        response = staff_client.get(url)
        assert response.status_code == 200, url
        found = [word for word in ENGLISH if word in _visible_text(response.text)]
        if found:
            english[url] = found
    assert english == {}


def test_group_and_account_permissions_are_labelled_in_german(staff_client):
    sync_staff_groups()
    group = Group.objects.get(name="KOK-Geschäftsstelle")

    group_page = staff_client.get(reverse("admin:auth_group_change", args=[group.pk])).text
    account_page = staff_client.get(reverse("admin:kokportal_user_change", args=[UserFactory().pk])).text

    for page in (group_page, account_page):
        assert ">Praxisfachtage | Kontingent | ändern</option>" in page
        assert ">Zwei-Faktor-Authentifizierung | Zweiter Faktor | löschen</option>" in page
        assert ">Hintergrundaufgaben | Aufgabe | ansehen</option>" in page
        assert "Can change" not in page


def test_account_page_shows_the_second_factors_and_resets_them(staff_client, staff_user):
    colleague = StaffFactory(email="kollegin@kok-buero.example.org")

    page = staff_client.get(reverse("admin:kokportal_user_change", args=[colleague.pk])).text
    response = staff_client.post(
        reverse("admin:kokportal_user_changelist"),
        {"action": "reset_second_factor", "_selected_action": [colleague.pk, staff_user.pk]},
        follow=True,
    )

    assert "Zweiter Faktor (Zwei-Faktor-Authentifizierung)" in page
    assert re.search(r'<td class="field-kind">\s*<p>Authenticator-App</p>', page)
    assert [str(m) for m in response.context["messages"]] == [
        f"{colleague}: 1 zweiter Faktor entfernt.",
        f"{staff_user}: Ihren eigenen zweiten Faktor ändern Sie in Ihrem Konto unter "
        "„Zwei-Faktor-Authentifizierung“ (mit erneuter Bestätigung), nicht hier.",
    ]
    assert not Authenticator.objects.filter(user=colleague).exists()
    assert Authenticator.objects.filter(user=staff_user).exists()
    assert LogEntry.objects.get(object_id=str(colleague.pk)).get_change_message() == "Zweiten Faktor zurückgesetzt"


def test_second_factors_have_no_admin_of_their_own():
    """allauth's admin let anyone edit the raw secret, in English; the account page shows them read-only."""
    assert not admin.site.is_registered(Authenticator)


def test_the_audit_log_names_its_actions_in_german(staff_client, staff_user):
    from kokportal.audit import AUDIT_ACTIONS, audit_log_record

    for code in ("export_registrations_xlsx", "download_badges_pdf", "export_feedback_csv", "retired_action"):
        audit_log_record(actor=staff_user, action=code)
    page = staff_client.get(reverse("admin:kokportal_auditlogentry_changelist")).text
    # every code the portal records has a name, and the list and its filter show the names, not the codes
    assert set(AUDIT_ACTIONS) == {
        "export_registrations_csv",
        "export_registrations_xlsx",
        "download_contact_list_pdf",
        "download_sign_in_sheet_pdf",
        "download_badges_pdf",
        "export_feedback_csv",
        "mailing_sent",
        "mailing_test_sent",
        "send_certificates",
        "check_in",
        "check_in_undo",
        "invitations_sent",
        "invitation_consent_withdrawn",
        "organisation_invitations_stopped",
        "material_added",
        "material_changed",
        "material_deleted",
        "speaker_saved",
        "speaker_deleted",
        "speaker_linked",
        "speaker_invited",
        "speaker_confirmed",
        "speaker_declined",
        "speaker_consent_withdrawn",
        "speaker_slides_uploaded",
        "speaker_confirmation_recorded",
        "speaker_slides_deleted",
    }
    for label in (
        "Anmeldungen als XLSX exportiert",
        "Namensschilder (PDF) heruntergeladen",
        "Rückmeldungen als CSV exportiert",
    ):
        assert page.count(label) == 2  # the row and the filter
    assert "export_registrations_xlsx<" not in page
    # a code of an older version keeps showing as it was stored
    assert '<td class="field-action_label">retired_action</td>' in page


def test_an_audit_entry_page_names_its_action_and_local_time(staff_client, staff_user):
    from django.utils import timezone
    from django.utils.formats import date_format

    from kokportal.audit import audit_log_record

    entry = audit_log_record(actor=staff_user, action="export_registrations_csv", count=17, event_ids=[3, 4])
    page = staff_client.get(reverse("admin:kokportal_auditlogentry_change", args=[entry.pk])).text
    when = date_format(timezone.localtime(entry.created), "SHORT_DATETIME_FORMAT")
    assert f"{when} Anmeldungen als CSV exportiert" in page  # the heading
    assert '<div class="readonly">Anmeldungen als CSV exportiert</div>' in page
    assert '<div class="readonly">count: 17<br>event_ids: 3, 4</div>' in page
    assert "export_registrations_csv" not in page
