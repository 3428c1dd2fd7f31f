"""Demo events are marked as example data (issue 16, part 7): a note on the event page, a badge on the home page's
cards and a diagonal "Beispieldaten" on every page of their PDFs, so no one mistakes them for KOK's records. Real
events carry none of it."""

from __future__ import annotations

import io

import pytest
from django.test import Client
from pypdf import PdfReader

from events.documents import pdfs
from participants import services as participant_services
from participants.enums import RegistrationStatus
from tests.factories import EventFactory, RegistrationFactory

pytestmark = pytest.mark.django_db

NOTE = "Diese Veranstaltung stammt aus den Demo-Daten des Portals."


def page_texts(content: bytes) -> list[str]:
    return [" ".join(page.extract_text().split()) for page in PdfReader(io.BytesIO(content)).pages]


@pytest.fixture
def demo_event():
    return EventFactory(title="Beispiel-Praxisfachtag", is_example=True)


def test_the_event_page_and_the_home_card_say_example_data(demo_event):
    real = EventFactory(title="Echter Praxisfachtag")
    page = Client().get(demo_event.get_absolute_url()).content.decode()
    assert NOTE in page and 'class="alert alert-warning example-data-note" role="note"' in page
    assert NOTE not in Client().get(real.get_absolute_url()).content.decode()
    home = Client().get("/").content.decode()
    assert home.count('class="badge text-bg-warning example-data-badge"') == 1
    card = home[home.index("Beispiel-Praxisfachtag") - 1200 : home.index("Beispiel-Praxisfachtag")]
    assert "example-data-badge" in card


def test_every_page_of_a_demo_events_pdfs_is_marked_and_a_certificate_stays_one_page(demo_event):
    demo_event.date = demo_event.date.replace(year=demo_event.date.year - 1)
    demo_event.registration_opens = demo_event.registration_closes = None
    demo_event.save()
    documentation = pdfs.documentation_pdf(event=demo_event, lang="de")
    texts = page_texts(documentation.content)
    assert len(texts) >= 2
    assert all("BEISPIELDATENDemo-Daten des Portals, keine Unterlage des KOK" in text for text in texts)
    registration = RegistrationFactory(event=demo_event, status=RegistrationStatus.ATTENDED)
    certificate = participant_services.certificate_issue(registration=registration)
    for lang, word in (
        ("de", "BEISPIELDATENDemo-Daten des Portals, keine Unterlage des KOK"),
        ("en", "EXAMPLE DATADemo data of the portal, not a KOK record"),
    ):
        pdf = pdfs.certificate_pdf(certificate=certificate, lang=lang)
        assert pdf.page_count == 1
        assert word in page_texts(pdf.content)[0]


def test_a_real_events_pdfs_carry_no_mark():
    event = EventFactory(past=True)
    texts = page_texts(pdfs.documentation_pdf(event=event, lang="de").content)
    assert not any("BEISPIELDATEN" in text or "Demo-Daten" in text for text in texts)
