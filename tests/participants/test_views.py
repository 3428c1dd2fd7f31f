import datetime as dt

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from participants.enums import RegistrationStatus as S
from participants.models import Profile, Registration
from tests.auth import login
from tests.factories import (
    EventFactory,
    OrganisationFactory,
    QuotaFactory,
    RegistrationFactory,
    UserFactory,
    organisation_type,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def event():
    fbs, bamf = organisation_type("fachberatungsstelle"), organisation_type("bamf")
    event = EventFactory(slug="vernetzungstreffen", invited=[fbs, bamf], capacity=10)
    QuotaFactory(event=event, organisation_type=fbs, seats=1)
    return event


@pytest.fixture
def organisation():
    return OrganisationFactory(name="Fachberatungsstelle Lichtblick", city="Hamburg")


def form_data(org, **overrides):
    data = {
        "first_name": "Aylin",
        "last_name": "Weber",
        "phone": "040 1234567",
        "organisation_type": org.organisation_type_id,
        "organisation": org.pk,
        "function": "Beraterin",
        "federal_state": "HH",
        "accessibility_needs": "",
        "dietary_needs": "vegetarisch",
        "privacy_consent": "on",
        "contact_list_consent": "on",
        "website": "",
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


def url(event):
    return reverse("participants:register", kwargs={"slug": event.slug})


def test_register_requires_login(client, event):
    response = client.get(url(event))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


def test_register_form_prefills_profile_and_lists_invited_types_only(user_client, user, event):
    Profile.objects.create(user=user, function="Sozialarbeiterin")
    response = user_client.get(url(event))
    assert response.status_code == 200
    form = response.context["form"]
    assert form.initial["function"] == "Sozialarbeiterin"
    assert [t.slug for t in form.fields["organisation_type"].queryset] == ["fachberatungsstelle", "bamf"]
    assert 'name="website"' in response.text  # honeypot present
    assert "data-registration-form" in response.text


def test_register_success_confirms_and_redirects(
    user_client, user, event, organisation, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        with_commit = user_client.post(url(event), form_data(organisation), follow=True)
    registration = Registration.objects.get(user=user)
    assert with_commit.redirect_chain[-1][0] == registration.get_absolute_url()
    assert registration.status == S.CONFIRMED
    assert registration.phone == "+49 40 1234567"
    assert registration.contact_list_consent is True
    assert "Ihre Anmeldung ist bestätigt" in with_commit.text
    assert len(mail.outbox) == 1


def test_register_full_type_waitlists_and_shows_position(user_client, user, event, organisation):
    RegistrationFactory(event=event, organisation=organisation)
    response = user_client.post(url(event), form_data(organisation), follow=True)
    registration = Registration.objects.get(user=user)
    assert registration.status == S.WAITLISTED
    assert "Sie stehen auf Platz <strong>1</strong> der Warteliste" in response.text


def test_register_double_submit_keeps_one_registration(user_client, user, event, organisation):
    user_client.post(url(event), form_data(organisation))
    response = user_client.post(url(event), form_data(organisation), follow=True)
    assert Registration.objects.filter(user=user).count() == 1
    assert "Sie sind für diese Veranstaltung bereits angemeldet." in response.text


def test_register_honeypot_filled_is_refused(user_client, user, event, organisation):
    response = user_client.post(url(event), form_data(organisation, website="http://spam.example"))
    assert response.status_code == 200
    assert Registration.objects.count() == 0
    assert response.context["form"].errors["website"] == ["Bitte lassen Sie dieses Feld leer."]


def test_register_without_privacy_consent_is_refused(user_client, event, organisation):
    response = user_client.post(url(event), form_data(organisation, privacy_consent=None))
    assert Registration.objects.count() == 0
    assert "privacy_consent" in response.context["form"].errors


def test_register_invalid_phone_is_refused(user_client, event, organisation):
    response = user_client.post(url(event), form_data(organisation, phone="12ab"))
    assert response.context["form"].errors["phone"] == [
        "Bitte geben Sie eine gültige Telefonnummer an, z. B. 030 263911 76."
    ]


def test_register_type_not_invited_is_refused(user_client, event):
    youth = OrganisationFactory(organisation_type=organisation_type("jugendhilfe"))
    response = user_client.post(url(event), form_data(youth))
    assert Registration.objects.count() == 0
    assert "organisation_type" in response.context["form"].errors


def test_register_organisation_of_other_type_is_refused(user_client, event, organisation):
    response = user_client.post(url(event), form_data(organisation, organisation_type=organisation_type("bamf").pk))
    assert Registration.objects.count() == 0
    assert "organisation" in response.context["form"].errors


def test_register_new_organisation_needs_name_and_city(user_client, event, organisation):
    response = user_client.post(url(event), form_data(organisation, organisation=""))
    errors = response.context["form"].errors
    assert errors["new_organisation_name"] == ["Bitte wählen Sie Ihre Organisation oder tragen Sie sie ein."]
    assert errors["new_organisation_city"] == ["Bitte geben Sie den Ort Ihrer Organisation an."]


def test_register_markup_is_escaped_on_pages(user_client, user, event, organisation):
    user_client.post(url(event), form_data(organisation, first_name="<script>alert(1)</script>", function="<b>x</b>"))
    registration = Registration.objects.get(user=user)
    response = user_client.get(registration.get_absolute_url())
    assert "<script>alert(1)</script>" not in response.text
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in response.text


def test_register_overlong_field_is_refused(user_client, event, organisation):
    response = user_client.post(url(event), form_data(organisation, last_name="x" * 151))
    assert "last_name" in response.context["form"].errors
    assert Registration.objects.count() == 0


def test_register_closed_window_shows_message(user_client, event):
    event.registration_closes = timezone.now() - dt.timedelta(hours=1)
    event.registration_opens = timezone.now() - dt.timedelta(days=3)
    event.save()
    response = user_client.get(url(event))
    assert response.status_code == 200
    assert "Die Anmeldung ist geschlossen." in response.text
    assert "form" not in response.context


def test_register_draft_event_is_404(user_client):
    event = EventFactory(draft=True)
    assert user_client.get(url(event)).status_code == 404


def test_register_virtual_event_has_no_dietary_field(user_client):
    event = EventFactory(virtual=True)
    assert "dietary_needs" not in user_client.get(url(event)).context["form"].fields


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    payload=st.dictionaries(
        keys=st.sampled_from(
            [
                "first_name",
                "last_name",
                "phone",
                "organisation_type",
                "organisation",
                "function",
                "federal_state",
                "accessibility_needs",
                "dietary_needs",
                "privacy_consent",
                "contact_list_consent",
                "website",
                "new_organisation_name",
                "new_organisation_city",
                "email",
                "csrfmiddlewaretoken",
            ]
        ),
        values=st.one_of(st.text(max_size=300), st.integers(-(2**63), 2**63).map(str), st.just("")),
    )
)
def test_register_random_post_never_500(user_client, event, payload):
    response = user_client.post(url(event), payload)
    assert response.status_code in (200, 302)


def test_my_registrations_lists_only_own(user_client, user, event):
    """The list moved into the start page "Meine Praxisfachtage" (tests/test_my_practice_days.py); the old address
    leads there."""
    own = RegistrationFactory(event=event, user=user)
    RegistrationFactory(event=event)
    response = user_client.get(reverse("participants:my_registrations"), follow=True)
    assert response.redirect_chain == [(reverse("my_practice_days"), 301)]
    assert [r for day in response.context["upcoming"] for r in day.registrations] == [own]


def test_registration_detail_of_another_person_is_404(user_client, event):
    other = RegistrationFactory(event=event)
    assert user_client.get(other.get_absolute_url()).status_code == 404
    assert user_client.post(reverse("participants:registration_cancel", args=[other.pk])).status_code == 404
    assert user_client.get(reverse("participants:registration_ical", args=[other.pk])).status_code == 404
    other.refresh_from_db()
    assert other.status == S.CONFIRMED


def test_registration_cancel_via_page(user_client, user, event):
    registration = RegistrationFactory(event=event, user=user)
    response = user_client.post(reverse("participants:registration_cancel", args=[registration.pk]), follow=True)
    registration.refresh_from_db()
    assert registration.status == S.CANCELLED
    assert "Ihre Anmeldung ist storniert." in response.text


def test_registration_cancel_get_asks_for_confirmation_and_changes_nothing(user_client, user, event):
    registration = RegistrationFactory(event=event, user=user)
    response = user_client.get(reverse("participants:registration_cancel", args=[registration.pk]))
    assert response.status_code == 200
    assert "Anmeldung stornieren?" in response.text
    registration.refresh_from_db()
    assert registration.status == S.CONFIRMED
    assert user_client.put(reverse("participants:registration_cancel", args=[registration.pk])).status_code == 405


def test_online_access_only_for_confirmed_participants(user_client, user):
    event = EventFactory(virtual=True, online_access="https://konferenz.example.org/raum-42")
    registration = RegistrationFactory(event=event, user=user, status=S.WAITLISTED)
    assert "raum-42" not in user_client.get(registration.get_absolute_url()).text
    Registration.objects.filter(pk=registration.pk).update(status=S.CONFIRMED, waitlisted_at=None)
    assert "raum-42" in user_client.get(registration.get_absolute_url()).text


def test_ical_download(user_client, user, event):
    registration = RegistrationFactory(event=event, user=user)
    response = user_client.get(reverse("participants:registration_ical", args=[registration.pk]))
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    body = response.content.decode()
    assert "BEGIN:VCALENDAR" in body
    assert f"SUMMARY:{event.title}" in body
    # the time zone the times refer to travels with them (RFC 5545 3.6.5)
    assert "DTSTART;TZID=Europe/Berlin:" in body
    assert "BEGIN:VTIMEZONE\r\nTZID:Europe/Berlin\r\n" in body


def test_contact_list_shows_only_consenting_participants(client, event):
    me = RegistrationFactory(
        event=event, contact_list_consent=True, contact_list_consented_at=timezone.now(), last_name="Albers"
    )
    RegistrationFactory(
        event=event, contact_list_consent=True, contact_list_consented_at=timezone.now(), last_name="Berger"
    )
    RegistrationFactory(event=event, contact_list_consent=False, last_name="Geheim")
    RegistrationFactory(
        event=event,
        contact_list_consent=True,
        contact_list_consented_at=timezone.now(),
        last_name="Wartend",
        status=S.WAITLISTED,
    )
    login(client, me.user)
    response = client.get(reverse("participants:contact_list", kwargs={"slug": event.slug}))
    assert [c.last_name for c in response.context["contacts"]] == ["Albers", "Berger"]
    assert "Geheim" not in response.text


def test_contact_list_hidden_from_those_not_on_it(client, event):
    not_consenting = RegistrationFactory(event=event, contact_list_consent=False)
    login(client, not_consenting.user)
    assert client.get(reverse("participants:contact_list", kwargs={"slug": event.slug})).status_code == 404
    login(client, UserFactory())
    assert client.get(reverse("participants:contact_list", kwargs={"slug": event.slug})).status_code == 404
