import pytest
from django.core.cache import cache
from django.test import Client

from tests.factories import StaffFactory, UserFactory


@pytest.fixture(autouse=True)
def _german_and_locmem_mail(settings):
    cache.clear()
    settings.LANGUAGE_CODE = "de"
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


@pytest.fixture
def user(db):
    return UserFactory()


@pytest.fixture
def staff_user(db):
    return StaffFactory(is_superuser=True)


@pytest.fixture
def staff_client(staff_user) -> Client:
    client = Client()
    client.force_login(staff_user)
    return client


@pytest.fixture
def user_client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client
