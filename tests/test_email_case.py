"""E-mail addresses are stored in one form (lower case, no surrounding blanks) whichever way they come in.

An account created in the admin as ``Anna.Mixed@Beratung.example.org`` must be able to log in by code, and
signing up again as ``anna.mixed@…`` must never answer 500.
"""

import pytest
from allauth.account.adapter import get_adapter
from allauth.account.models import EmailAddress
from django.core import mail
from django.core.exceptions import ValidationError
from django.db import IntegrityError
from django.test import Client
from django.urls import reverse

from kokportal.models import User
from participants.models import Registration
from tests.factories import RegistrationFactory, UserFactory, verified_user

MIXED = "Anna.Mixed@Beratung.example.org"
LOWER = "anna.mixed@beratung.example.org"


def test_normalise_email_lower_cases_and_strips():
    from kokportal.emails import normalise_email

    assert normalise_email("  Anna.Mixed@Beratung.EXAMPLE.org \n") == LOWER
    assert normalise_email("") == ""
    assert normalise_email(None) == ""


@pytest.mark.django_db
def test_manager_create_user_normalises():
    assert User.objects.create_user(f" {MIXED} ").email == LOWER


@pytest.mark.django_db
def test_model_save_normalises():
    user = User(email=MIXED)
    user.set_unusable_password()
    user.save()
    assert User.objects.values_list("email", flat=True).get(pk=user.pk) == LOWER


@pytest.mark.django_db
def test_model_clean_normalises():
    user = User(email=f" {MIXED} ")
    user.clean()
    assert user.email == LOWER
    user = User(email=MIXED)
    user.set_unusable_password()
    user.full_clean()
    assert user.email == LOWER


@pytest.mark.django_db
def test_model_full_clean_reports_clash_in_other_case():
    UserFactory(email=LOWER)
    user = User(email=MIXED)
    user.set_unusable_password()
    with pytest.raises(ValidationError) as exc:
        user.full_clean()
    assert exc.value.message_dict == {"email": ["Ein Konto mit dieser E-Mail-Adresse gibt es bereits."]}


@pytest.mark.django_db
def test_database_refuses_mixed_case_written_around_the_model():
    user = UserFactory(email=LOWER)
    with pytest.raises(IntegrityError, match="user_email_normalised"):
        User.objects.filter(pk=user.pk).update(email=MIXED)


@pytest.mark.django_db
def test_password_login_by_natural_key_ignores_case():
    user = UserFactory(email=LOWER)
    assert User.objects.get_by_natural_key(f" {MIXED}") == user


@pytest.mark.django_db
def test_admin_add_stores_lower_case_and_login_by_code_then_works(staff_client):
    response = staff_client.post(
        reverse("admin:kokportal_user_add"),
        {"email": MIXED, "usable_password": "false", "password1": "", "password2": ""},
    )
    assert response.status_code == 302, response.context["adminform"].form.errors
    assert list(User.objects.filter(email__iexact=LOWER).values_list("email", flat=True)) == [LOWER]

    mail.outbox.clear()
    client = Client()
    response = client.post(reverse("account_request_login_code"), {"email": MIXED})
    assert response.status_code == 302
    assert [(m.to, m.subject) for m in mail.outbox] == [([LOWER], "[KOK-Praxisfachtag] Ihr Code zum Einloggen")]


@pytest.mark.django_db
def test_admin_add_with_address_in_other_case_is_a_form_error(staff_client):
    UserFactory(email=LOWER)
    response = staff_client.post(
        reverse("admin:kokportal_user_add"),
        {"email": MIXED.upper(), "usable_password": "false", "password1": "", "password2": ""},
    )
    assert response.status_code == 200
    assert response.context["adminform"].form.errors == {
        "email": ["Ein Konto mit dieser E-Mail-Adresse gibt es bereits."]
    }
    assert User.objects.filter(email__iexact=LOWER).count() == 1


@pytest.mark.django_db
def test_admin_change_normalises_and_refuses_clash(staff_client):
    UserFactory(email="taken@example.org")
    user = UserFactory(email="old@example.org", first_name="Anna", last_name="Mixed")
    url = reverse("admin:kokportal_user_change", args=[user.pk])
    data = {
        "email": " Taken@Example.org ",
        "first_name": "Anna",
        "last_name": "Mixed",
        "language": "de",
        "is_active": "on",
        "profile-TOTAL_FORMS": "0",
        "profile-INITIAL_FORMS": "0",
        "authenticator_set-TOTAL_FORMS": "0",
        "authenticator_set-INITIAL_FORMS": "0",
    }
    clash = staff_client.post(url, data)
    assert clash.status_code == 200
    assert clash.context["adminform"].form.errors == {"email": ["Ein Konto mit dieser E-Mail-Adresse gibt es bereits."]}
    data["email"] = MIXED
    done = staff_client.post(url, data)
    assert done.status_code == 302
    user.refresh_from_db()
    assert user.email == LOWER


@pytest.mark.django_db
def test_login_code_in_other_case_than_existing_account_makes_no_second_account(client):
    UserFactory(email=MIXED, password=None)
    mail.outbox.clear()
    response = client.post(reverse("account_request_login_code"), {"email": LOWER.upper()})
    assert response.status_code == 302
    assert User.objects.filter(email__iexact=LOWER).count() == 1
    assert [(m.to, m.subject) for m in mail.outbox] == [([LOWER], "[KOK-Praxisfachtag] Ihr Code zum Einloggen")]


@pytest.mark.django_db
def test_login_code_for_new_address_stores_lower_case_address_and_email_address_row(client):
    response = client.post(reverse("account_request_login_code"), {"email": f" {MIXED} "})
    assert response.status_code == 302
    assert User.objects.get().email == LOWER
    assert list(EmailAddress.objects.values_list("email", flat=True)) == [LOWER]


@pytest.mark.django_db
def test_login_by_code_with_other_case_than_signup(client):
    verified_user(LOWER)
    response = client.post(reverse("account_request_login_code"), {"email": MIXED.upper()})
    assert response.status_code == 302
    assert [m.subject for m in mail.outbox] == ["[KOK-Praxisfachtag] Ihr Code zum Einloggen"]


@pytest.mark.django_db
def test_adapter_clean_email_normalises():
    assert get_adapter().clean_email(f" {MIXED} ") == LOWER


@pytest.mark.django_db
def test_registration_email_is_stored_normalised():
    registration = RegistrationFactory(email=MIXED)
    assert Registration.objects.values_list("email", flat=True).get(pk=registration.pk) == LOWER
