"""How the PDFs and printables set their text: e-mail addresses wrap only where an address may wrap, words are not
hyphenated by a dictionary ("an-onym"), the document's language is declared, and group lists name the federal
states instead of their codes."""

import io
import re

import pytest
from django.test import Client
from django.urls import reverse
from pypdf import PdfReader

from events.documents import pdfs
from events.documents.templatetags.pdf_text import breakable_email
from kokportal.federal_states import FederalState
from tests.auth import login
from tests.factories import EventFactory

from .conftest import person

pytestmark = pytest.mark.django_db

LONG_ADDRESS = "vernetzungstreffen-niedersachsen.beratung@fachberatungsstelle-beispielstadt.example.org"


def _raw_text(content: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)


def _lines_of(text: str, address: str) -> list[str]:
    """The lines an address was set on, in order (the address is the last column of its row)."""
    start = text.index(address[:12])
    pieces: list[str] = []
    for line in text[start:].split("\n"):
        if not address.startswith("".join(pieces) + line.strip()):
            break
        pieces.append(line.strip())
    assert "".join(pieces) == address
    return pieces


def test_breakable_email_marks_only_the_places_after_at_and_before_dots():
    assert breakable_email("a.b&c@example.org") == (
        '<span class="nobreak">a</span><wbr><span class="nobreak">.b&amp;c@</span><wbr>'
        '<span class="nobreak">example</span><wbr><span class="nobreak">.org</span>'
    )
    assert (
        breakable_email("<script>@x")
        == '<span class="nobreak">&lt;script&gt;@</span><wbr><span class="nobreak">x</span>'
    )


def test_participant_list_wraps_email_addresses_only_after_at_or_before_a_dot(db):
    event = EventFactory()
    registration = person("Hanna", "Meyer", event=event, consent=True, type_slug="fachberatungsstelle", state="NI")
    registration.email = LONG_ADDRESS
    registration.save(update_fields=["email"])

    pdf, count = pdfs.participant_list_pdf(event=event, lang="de")

    assert count == 1
    pieces = _lines_of(_raw_text(pdf.content), LONG_ADDRESS)
    assert len(pieces) > 1  # too long for its column: it wraps
    for before, after in zip(pieces, pieces[1:], strict=False):
        assert before.endswith("@") or after.startswith("."), pieces
    assert "Niedersachsen" in _raw_text(pdf.content)


@pytest.mark.parametrize("lang", ["de", "en"])
def test_documentation_declares_its_language_and_is_not_hyphenated_by_a_dictionary(lang):
    event = EventFactory(
        past=True,
        description=" ".join(
            ["Die Rückmeldungen sind anonym; Fachberatungsstellen, Sonderbeauftragte und Jugendhilfeeinrichtungen"] * 12
        ),
        summary=" ".join(
            ["Informationsweitergabe zwischen Anhörung und Beratung ist datenschutzrechtlich heikel."] * 10
        ),
    )

    html = pdfs.documentation_html(event=event, lang=lang)
    text = _raw_text(pdfs.documentation_pdf(event=event, lang=lang).content)

    assert f'<html lang="{lang}">' in html
    assert "anonym" in text
    # A dictionary hyphen: a lower-case letter, "-", the line break, a lower-case letter ("an-\nonym"). Hyphens
    # that belong to a word ("BAMF-Außenstelle") are followed by a capital.
    assert re.findall(r"[a-zäöüß]-\n[a-zäöüß]", text) == []


def test_group_lists_name_the_federal_states(documented):
    client = Client()
    login(client, documented.workshop_facilitator)
    workshop = documented.event.workshops.get()
    response = client.get(reverse("casework:groups_print", kwargs={"pk": workshop.pk}))

    assert response.status_code == 200
    html = " ".join(response.text.split())
    assert f"<td>{FederalState.BE.label}</td>" in html
    assert f"<td>{FederalState.HH.label}</td>" in html
    assert "<td>BE</td>" not in html
    assert "<td>HH</td>" not in html
