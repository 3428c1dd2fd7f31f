"""The certificate of attendance as its people walk it, in Chromium at 1280 and 390 px: a participant marked attended
logs in by code, downloads the certificate from the start page, and the verification URL printed on it confirms it
(to anyone, without logging in) and answers 404 once the code is altered.

Screenshots of every step land in the test's tmp_path (``--basetemp`` to keep them).
"""

import datetime as dt
import io
import re
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from pypdf import PdfReader

from participants.enums import RegistrationStatus
from participants.models import AttendanceCertificate, CertificateSignature
from tests.factories import EventFactory, OrganisationFactory, ProgrammeItemFactory, RegistrationFactory, verified_user

from .test_participant_journeys import fbs, log_in_by_code, new_context, page, shot  # noqa: F401

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def pdf_text(path: str) -> str:
    reader = PdfReader(io.BytesIO(Path(path).read_bytes()))
    return " ".join(" ".join(p.extract_text() for p in reader.pages).split())


def test_participant_downloads_the_certificate_and_its_link_verifies_it(page, shot, fbs, browser, live_server):  # noqa: F811
    width = page.viewport_size["width"]
    event = EventFactory(
        past=True,
        title="Praxisfachtag Menschenhandel und Arbeitsausbeutung",
        date=dt.date(2026, 9, 17),
        start_time=dt.time(10, 0),
        end_time=dt.time(16, 0),
    )
    ProgrammeItemFactory(event=event, start=dt.time(10, 0), end=dt.time(12, 0), kind="input", title="Lagebild 2026")
    ProgrammeItemFactory(event=event, start=dt.time(12, 0), end=dt.time(13, 0), kind="break", title="Mittagspause")
    ProgrammeItemFactory(event=event, start=dt.time(13, 0), end=dt.time(16, 0), kind="workshop", title="Fallarbeit")
    CertificateSignature.objects.update_or_create(id=1, defaults={"name": "Dr. Marlene Beispiel", "role": "Leitung"})
    person = verified_user(f"zertifikat.{width}@example.org", first_name="Aylin", last_name="O'Connor", password=None)
    organisation = OrganisationFactory(organisation_type=fbs, name=f"Fachberatungsstelle Nord {width}")
    registration = RegistrationFactory(
        event=event, user=person, organisation=organisation, status=RegistrationStatus.ATTENDED
    )

    page.goto("/")
    page.goto("/meine-praxisfachtage/")
    log_in_by_code(page, person.email, shot)
    page.wait_for_url("**/meine-praxisfachtage/")
    link = page.get_by_role(
        "link", name="Teilnahmebescheinigung (PDF) Praxisfachtag Menschenhandel und Arbeitsausbeutung"
    )
    assert link.is_visible()
    shot(page, "start-page")
    with page.expect_download() as download:
        link.click()
    assert download.value.suggested_filename == f"teilnahmebescheinigung-{event.slug}.pdf"
    text = pdf_text(download.value.path())
    certificate = AttendanceCertificate.objects.get(registration=registration)
    assert "Aylin O'Connor" in text
    assert f"Fachberatungsstelle Nord {width}" in text
    assert "5 Zeitstunden (ohne Pausen)" in text
    assert f"Prüfcode: {certificate.code}" in text
    url = re.search(r"(https?://\S+/bescheinigung/[A-Z2-9-]+/)", text).group(1)

    # The verification URL from the PDF, opened by someone else (no session): valid, name and event only.
    context = new_context(browser, live_server, width)
    stranger = context.new_page()
    stranger.goto(urlsplit(url).path)
    assert stranger.get_by_role("heading", name="Gültige Teilnahmebescheinigung").is_visible()
    assert stranger.locator("[data-field=name]").inner_text() == "Aylin O'Connor"
    assert stranger.locator("[data-field=event]").inner_text() == "Praxisfachtag Menschenhandel und Arbeitsausbeutung"
    assert stranger.get_by_text("Fachberatungsstelle Nord").count() == 0
    assert stranger.locator('meta[name="robots"]').get_attribute("content") == "noindex, nofollow"
    shot(stranger, "verified")
    altered = urlsplit(url).path.replace(
        certificate.code, certificate.code[:-1] + ("B" if certificate.code[-1] != "B" else "C")
    )
    assert stranger.goto(altered).status == 404
    context.close()
