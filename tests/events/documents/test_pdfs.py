import io
import re

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from pypdf import PdfReader

from casework.selectors import approved_case_examples
from events.documents import pdfs
from participants.enums import RegistrationStatus
from tests.factories import EventFactory, RegistrationFactory

from .conftest import pdf_text

pytestmark = pytest.mark.django_db


def _names(registrations) -> list[str]:
    return [name for r in registrations for name in (r.first_name, r.last_name)]


def test_documentation_pdf_holds_headings_and_figures(documented):
    pdf = pdfs.documentation_pdf(event=documented.event, lang="de")
    text = pdf_text(pdf.content)

    for heading in (
        "Inhalt",
        "1. Über die Veranstaltung",
        "2. Programm",
        "3. Teilnahme in Zahlen",
        "4. Zusammenfassung",
        "5. Ergebnisse und Ausblick",
        "6. Ergebnisse der Kleingruppen",
        "7. Rückmeldungen der Teilnehmer*innen",
    ):
        assert heading in text
    assert "8. Fallbeispiele" not in text
    assert "Herr T. arbeitete im Restaurant." not in text
    assert "Praxisfachtag Dokumentationstest" in text
    assert "13. November 2019" in text
    assert "KOK e.V. in Kooperation mit BAMF – Referat 61A" in text
    # Key figures, the table rows and the totals.
    assert re.search(r"6 ?Anmeldungen 4 ?bestätigt 3 ?teilgenommen", text)
    assert "Fachberatungsstelle 3 2 2" in text
    assert "BAMF-Sonderbeauftragte 3 2 1" in text
    assert "Bayern 2 2 1" in text
    assert "Gesamt 6 4 3" in text
    # Small groups: only the group with results.
    assert "Gruppe 1 (2 Teilnehmer*innen)" in text
    assert "Die Gruppe hat Indikatoren gesammelt." in text
    assert "Gruppe 2" not in text
    # Feedback.
    assert "4 Rückmeldungen von 5 eingeladenen Teilnehmer*innen (80 %)." in text
    assert "4 Antworten · Durchschnitt 4,0 auf einer Skala von 1 (sehr schlecht) bis 5 (sehr gut)" in text
    assert "ja 2 (67 %) nein 1 (33 %)" in text
    assert "Bei weniger als 3 Antworten wird die Frage zum Schutz der Anonymität nicht ausgewertet." in text
    assert "Der persönliche Austausch war wertvoll." in text
    assert "Nicht ausgewählter Freitext." not in text
    assert "Seite 2 von" in text


def test_documentation_pdf_names_no_participant(documented):
    html = pdfs.documentation_html(
        event=documented.event, lang="de", case_examples=approved_case_examples(event=documented.event)
    )
    text = pdf_text(
        pdfs.documentation_pdf(
            event=documented.event, lang="de", case_examples=approved_case_examples(event=documented.event)
        ).content
    )

    for name in _names(documented.all_registrations):
        assert name not in html
        assert name not in text
    for registration in documented.all_registrations:
        assert registration.email not in html


def test_documentation_pdf_with_cases_only_approved(documented):
    text = pdf_text(
        pdfs.documentation_pdf(
            event=documented.event, lang="de", case_examples=approved_case_examples(event=documented.event)
        ).content
    )

    assert "8. Fallbeispiele" in text
    assert "Herr T. arbeitete im Restaurant." in text
    assert "Entwurfstext nie drucken." not in text
    assert "Gelöschtes Fallbeispiel" not in text


def test_documentation_pdf_in_english(documented):
    text = pdf_text(pdfs.documentation_pdf(event=documented.event, lang="en").content)

    assert "Specialist counselling centre 3 2 2" in text
    assert "BAMF special officer 3 2 1" in text
    assert "13 November 2019, 09:30–16:30" in text  # day first, 24-hour times (kokportal/formats/en)
    assert "a.m." not in text and "p.m." not in text
    # The questions' English texts (the German ones are not used).
    question = documented.event.questionnaire.questions.order_by("position").first()
    assert question.text_en in text
    assert question.text not in text


def test_documentation_pdf_metadata_and_pdf_ua(documented):
    pdf = pdfs.documentation_pdf(event=documented.event, lang="de")
    reader = PdfReader(io.BytesIO(pdf.content))

    assert reader.metadata.title == "Dokumentation: Praxisfachtag Dokumentationstest"
    assert reader.metadata.author == "KOK e.V."
    root = reader.trailer["/Root"]
    assert root["/Lang"] == "de"
    assert bool(root["/MarkInfo"]["/Marked"])
    assert "/StructTreeRoot" in root
    assert b'pdfuaid:part="1"' in root["/Metadata"].get_object().get_data()
    assert pdf.page_count == len(reader.pages)


def test_documentation_pdf_embeds_the_shipped_font(documented):
    reader = PdfReader(io.BytesIO(pdfs.documentation_pdf(event=documented.event, lang="de").content))

    fonts = {
        str(font.get_object()["/BaseFont"])
        for page in reader.pages
        for font in page["/Resources"].get("/Font", {}).values()
    }
    assert fonts
    assert all("Source-Sans-3" in font for font in fonts)


def test_documentation_pdf_of_event_without_registrations(db):
    event = EventFactory(title="Leere Veranstaltung", virtual=True)

    text = pdf_text(pdfs.documentation_pdf(event=event, lang="de").content)

    assert "Für diese Veranstaltung liegen keine Anmeldungen vor." in text
    assert "Ort virtuell" in text


def test_participant_list_pdf_holds_only_consenting_participants(documented):
    pdf, count = pdfs.participant_list_pdf(event=documented.event, lang="de")
    text = pdf_text(pdf.content)

    assert count == 2
    assert "Kontaktliste" in text
    for registration in documented.consenting:
        assert registration.full_name in text
        assert registration.email in text
    for name in _names(documented.not_consenting + documented.others):
        assert name not in text


def test_sign_in_sheet_lists_every_confirmed_participant(documented):
    pdf, count = pdfs.sign_in_sheet_pdf(event=documented.event, lang="de")
    text = pdf_text(pdf.content)

    assert count == 4
    assert "Unterschriftenliste" in text
    for registration in documented.consenting + documented.not_consenting:
        assert f"{registration.last_name}, {registration.first_name}" in text
    for name in _names(documented.others):
        assert name not in text


def test_badges_eight_per_page(db):
    event = EventFactory()
    registrations = [RegistrationFactory(event=event, first_name=f"Vorname{i:02d}") for i in range(17)]
    RegistrationFactory(event=event, status=RegistrationStatus.CANCELLED, first_name="Storniert")

    pdf, count = pdfs.badges_pdf(event=event, lang="de")
    reader = PdfReader(io.BytesIO(pdf.content))

    assert count == 17
    assert len(reader.pages) == 3
    assert [page.extract_text().count("Vorname") for page in reader.pages] == [8, 8, 1]
    text = pdf_text(pdf.content)
    assert all(r.organisation.name in text for r in registrations)
    assert "Storniert" not in text


def test_event_documentation_command_writes_the_pdf(documented, tmp_path, capsys):
    output = tmp_path / "doku.pdf"

    call_command("event_documentation", documented.event.slug, str(output), "--lang", "en", "--with-cases")

    text = pdf_text(output.read_bytes())
    assert "8. Case examples" in text or "8. Fallbeispiele" in text
    assert "Herr T. arbeitete im Restaurant." in text
    assert f"{output}: " in capsys.readouterr().out


def test_event_documentation_command_unknown_slug_fails(db, tmp_path):
    with pytest.raises(CommandError):
        call_command("event_documentation", "gibt-es-nicht", str(tmp_path / "x.pdf"))


def test_badges_carry_the_qr_code_of_the_signed_check_in_link(db):
    import segno

    from participants.check_in_links import check_in_url

    event = EventFactory()
    registrations = [RegistrationFactory(event=event, last_name=f"Nachname{i}") for i in range(3)]
    RegistrationFactory(event=event, status=RegistrationStatus.WAITLISTED)

    html = pdfs.badges_html(event=event, lang="de")

    assert html.count('<img class="badge-qr" src="data:image/svg+xml') == 3
    for registration in registrations:
        url = check_in_url(registration)
        assert f'src="{pdfs.check_in_qr_code(url)}"' in html
        # The QR code encodes exactly the signed link: the same data URI as segno's code of that URL.
        assert pdfs.check_in_qr_code(url) == segno.make(url, error="m", micro=False).svg_data_uri(
            scale=1, border=0, omitsize=True, dark="#000"
        )
    assert 'alt="QR-Code für den Einlass"' in html


def test_badges_pdf_with_qr_codes_keeps_names_readable(db):
    event = EventFactory()
    RegistrationFactory(event=event, first_name="Anna-Lena", last_name="Schmidt-Hoffmann")

    pdf, count = pdfs.badges_pdf(event=event, lang="en")

    text = pdf_text(pdf.content)
    assert count == 1
    # The name keeps clear of the QR code: a long one wraps after its hyphen, in full.
    assert "Anna-Lena Schmidt- Hoffmann" in text
