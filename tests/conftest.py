import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.cache import cache
from django.test import Client

from tests.auth import login
from tests.factories import StaffFactory, UserFactory


def pytest_configure(config):
    """What ``make test`` prepares, so a plain ``pytest`` works after ``make install`` too: Redis answering on
    127.0.0.1:6379 (the tests' cache; started when installed but stopped), and the message catalogues
    (git-ignored .mo files) compiled when missing or older than their .po files. xdist workers start after the
    controller has done it."""
    if hasattr(config, "workerinput"):
        return
    root = Path(__file__).resolve().parent.parent
    subprocess.run([str(root / "scripts" / "ensure_redis.sh")], check=True)
    catalogues = [*root.glob("locale/*/LC_MESSAGES/*.po"), *root.glob("locale_overrides/*/LC_MESSAGES/*.po")]
    outdated = [
        po
        for po in catalogues
        if not po.with_suffix(".mo").exists() or po.with_suffix(".mo").stat().st_mtime < po.stat().st_mtime
    ]
    if outdated:
        subprocess.run(
            [sys.executable, "manage.py", "compilemessages", "--ignore=.venv/*", "-v0"],
            cwd=root,
            env={**os.environ, "KOKPORTAL_TESTING": "1"},
            check=True,
        )
        # Django is set up already and may have cached the catalogues it found missing: let it reload them,
        # the way override_settings does when LOCALE_PATHS change.
        from django.conf import settings
        from django.core.signals import setting_changed

        setting_changed.send(sender=None, setting="LOCALE_PATHS", value=settings.LOCALE_PATHS, enter=False)


@pytest.fixture(autouse=True)
def _german_and_locmem_mail(settings):
    cache.clear()
    settings.LANGUAGE_CODE = "de"
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path_factory):
    """Uploaded materials go to a folder of the test's own, never into the worktree's media/."""
    settings.MEDIA_ROOT = str(tmp_path_factory.mktemp("media"))


@pytest.fixture
def user(db):
    return UserFactory()


@pytest.fixture
def staff_user(db):
    return StaffFactory(is_superuser=True)


@pytest.fixture
def staff_client(staff_user) -> Client:
    """Staff logged in with their second factor."""
    return login(Client(), staff_user)


@pytest.fixture
def user_client(user) -> Client:
    client = Client()
    login(client, user)
    return client


@pytest.fixture
def smtp_server(settings):
    """A real SMTP server (aiosmtpd, tests/smtp.py) on a free port, with the mail settings that its EMAIL_URL gives:
    mails go through Django's SMTP backend to it."""
    from tests.smtp import SMTPReceiver

    receiver = SMTPReceiver().start()
    for name, value in receiver.email_settings().items():
        setattr(settings, name, value)
    settings.EMAIL_TIMEOUT = 10
    yield receiver
    receiver.stop()
