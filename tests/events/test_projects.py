"""Projects and funders (issue 16, part 4): a project with its period, funder, credit line and logo; its events show
the credit on their page, in the documentation and on the certificates; the logo is checked by its content and
re-encoded; the admin saves through events.services.project_save."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError, transaction
from django.test import Client
from django.urls import reverse
from PIL import Image

from events import services
from events.documents import pdfs
from events.models import Event, Project
from participants import services as participant_services
from participants.enums import RegistrationStatus
from tests.factories import EventFactory, RegistrationFactory

from .documents.conftest import pdf_text

pytestmark = pytest.mark.django_db

CREDIT = "Gefördert durch die Beauftragte der Bundesregierung für Migration, Flüchtlinge und Integration."
CREDIT_EN = "Funded by the Federal Government Commissioner for Migration, Refugees and Integration."


def logo_png(size=(1200, 400), fmt="PNG") -> bytes:
    image = Image.new("RGB", size, "white")
    for x in range(0, size[0], 40):
        for y in range(size[1] // 4, size[1] * 3 // 4):
            image.putpixel((x, y), (0, 51, 153))
    buffer = io.BytesIO()
    image.save(buffer, format=fmt)
    return buffer.getvalue()


def make_project(**overrides) -> Project:
    values = {
        "title": "Flucht & Menschenhandel",
        "title_en": "Flight & Human Trafficking",
        "starts_on": dt.date(2016, 5, 1),
        "ends_on": dt.date(2017, 11, 30),
        "funder": "Die Beauftragte der Bundesregierung für Migration, Flüchtlinge und Integration",
        "funder_en": "The Federal Government Commissioner for Migration, Refugees and Integration",
        "credit_line": CREDIT,
        "credit_line_en": CREDIT_EN,
        **overrides,
    }
    return services.project_save(project=Project(**values), logo=overrides.pop("logo", None))


@pytest.fixture
def project():
    return services.project_save(project=make_project(), logo=logo_png())


@pytest.fixture
def event(project):
    return EventFactory(
        past=True,
        date=dt.date(2017, 9, 21),
        title="Regionaler Praxisfachtag Berlin",
        slug="rpft-berlin",
        project=project,
    )


# --- the model and the logo ----------------------------------------------------------------------------------------


def test_the_logo_is_re_encoded_to_a_small_png(project):
    project.refresh_from_db()
    stored = bytes(project.logo_png)
    with Image.open(io.BytesIO(stored)) as image:
        assert image.format == "PNG"
        assert image.size == (project.logo_width, project.logo_height) == (600, 200)
    assert len(stored) <= services.LOGO_PNG_MAX_BYTES
    # A JPEG is accepted and stored as PNG too.
    services.project_save(project=project, logo=logo_png(fmt="JPEG"))
    project.refresh_from_db()
    assert bytes(project.logo_png).startswith(b"\x89PNG")
    services.project_save(project=project, remove_logo=True)
    project.refresh_from_db()
    assert (project.logo_png, project.logo_width, project.has_logo) == (None, None, False)


@pytest.mark.parametrize(
    "data",
    [
        b"",
        b"<svg xmlns='http://www.w3.org/2000/svg'><script>alert(1)</script></svg>",
        b"%PDF-1.7 not an image",
        b"\x89PNG\r\n\x1a\n broken",
        b"GIF89a" + b"\x00" * 100,
    ],
    ids=["empty", "svg", "pdf", "broken-png", "gif"],
)
def test_a_logo_that_is_no_png_or_jpeg_is_refused(project, data):
    with pytest.raises(services.LogoInvalid):
        services.project_save(project=project, logo=data)
    project.refresh_from_db()
    assert project.has_logo  # the old logo stays


def test_a_logo_over_the_size_limit_is_refused(project):
    with pytest.raises(services.LogoInvalid):
        services.logo_to_png(b"\x89PNG" + b"0" * services.LOGO_MAX_BYTES)


def test_a_project_ends_after_it_starts():
    with pytest.raises(ValidationError):
        make_project(starts_on=dt.date(2018, 1, 1), ends_on=dt.date(2017, 1, 1))
    with pytest.raises(IntegrityError), transaction.atomic():
        Project.objects.create(
            title="X", starts_on=dt.date(2018, 1, 1), ends_on=dt.date(2017, 1, 1), funder="F", credit_line="C"
        )


# --- where the credit appears --------------------------------------------------------------------------------------


def test_the_event_page_shows_project_period_credit_and_logo(event, project):
    html = Client().get(event.get_absolute_url()).content.decode()
    assert "Flucht &amp; Menschenhandel (01.05.2016–30.11.2017)" in html
    assert CREDIT in html
    logo_url = Project.objects.get(pk=project.pk).get_logo_url()
    assert logo_url.startswith(reverse("events:project_logo", kwargs={"pk": project.pk}) + "?v=")
    assert f'<img class="funder-logo d-block mb-1" src="{logo_url}" alt="{project.funder}" loading="lazy">' in html
    english = Client().get(event.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert CREDIT_EN in english and "Flight &amp; Human Trafficking" in english


def test_an_event_without_project_shows_no_credit():
    html = Client().get(EventFactory().get_absolute_url()).content.decode()
    assert "funder-credit" not in html and "Projekt" not in html


def test_the_logo_is_served_as_png_and_404_without_one(project):
    response = Client().get(reverse("events:project_logo", kwargs={"pk": project.pk}))
    assert response.status_code == 200
    assert response["Content-Type"] == "image/png"
    assert response.content == bytes(Project.objects.get(pk=project.pk).logo_png)
    services.project_save(project=project, remove_logo=True)
    assert Client().get(reverse("events:project_logo", kwargs={"pk": project.pk})).status_code == 404
    assert Client().get(reverse("events:project_logo", kwargs={"pk": 999999})).status_code == 404


def test_the_documentation_shows_the_credit_and_the_logo(event, project):
    html = pdfs.documentation_html(event=event, lang="de")
    assert CREDIT in html
    assert '<img class="funder-logo" src="data:image/png;base64,' in html
    pdf = pdfs.documentation_pdf(event=event, lang="en")
    assert CREDIT_EN in pdf_text(pdf.content)


def test_the_certificate_shows_the_credit_and_stays_one_page(event, project):
    registration = RegistrationFactory(event=event, status=RegistrationStatus.ATTENDED)
    certificate = participant_services.certificate_issue(registration=registration)
    for lang, credit in (("de", CREDIT), ("en", CREDIT_EN)):
        pdf = pdfs.certificate_pdf(certificate=certificate, lang=lang)
        assert pdf.page_count == 1
        assert credit in pdf_text(pdf.content)


def test_copy_as_draft_keeps_the_project_while_the_new_date_lies_within_it(event, project):
    project.ends_on = dt.date(2019, 12, 31)
    services.project_save(project=project)
    copy = services.event_copy_as_draft(event=event, today=dt.date(2017, 10, 1))
    assert Event.objects.get(pk=copy.pk).project == project


# --- the admin -------------------------------------------------------------------------------------------------------


def test_staff_create_a_project_with_logo_in_the_admin(staff_client):
    data = {
        "title": "Flucht & Menschenhandel",
        "title_en": "",
        "starts_on": "01.05.2016",
        "ends_on": "30.11.2017",
        "description": "",
        "funder": "Die Beauftragte der Bundesregierung",
        "funder_en": "",
        "credit_line": CREDIT,
        "credit_line_en": "",
    }
    bad = staff_client.post(
        reverse("admin:events_project_add"),
        {**data, "logo": SimpleUploadedFile("logo.png", b"<html><script>alert(1)</script></html>", "image/png")},
    )
    assert bad.status_code == 200
    assert "Das Logo muss ein PNG- oder JPEG-Bild" in bad.content.decode()
    assert not Project.objects.exists()
    good = staff_client.post(
        reverse("admin:events_project_add"), {**data, "logo": SimpleUploadedFile("logo.jpg", logo_png(), "image/png")}
    )
    assert good.status_code == 302
    project = Project.objects.get()
    assert (project.logo_width, project.logo_height) == (600, 200)
    page = staff_client.get(reverse("admin:events_project_change", args=[project.pk])).content.decode()
    assert reverse("events:project_logo", kwargs={"pk": project.pk}) in page
    listing = staff_client.get(reverse("admin:events_project_changelist"))
    assert listing.status_code == 200


def test_an_event_outside_the_project_period_is_refused_in_the_admin(project):
    from django.forms.models import model_to_dict

    from events.admin import EventAdminForm

    event = EventFactory(date=dt.date(2018, 3, 1), registration_opens=None, registration_closes=None)
    data = {k: v for k, v in model_to_dict(event).items() if v is not None}
    data.update(
        project=project.pk, co_organisers=[], invited_types=[t.pk for t in event.invited_types.all()], capacity=""
    )
    form = EventAdminForm(data=data, instance=event)
    assert not form.is_valid()
    assert form.errors["project"] == [
        "Der Praxisfachtag liegt außerhalb der Laufzeit des Projekts (01.05.2016–30.11.2017)."
    ]
    form = EventAdminForm(data={**data, "date": dt.date(2017, 3, 1)}, instance=event)
    assert "project" not in form.errors


def test_the_period_cannot_shrink_past_its_events(event, project):
    project.ends_on = dt.date(2016, 12, 31)
    with pytest.raises(ValidationError) as refused:
        services.project_save(project=project)
    assert refused.value.message_dict["ends_on"] == [
        "Die Laufzeit muss alle Praxisfachtage des Projekts umfassen; außerhalb läge: "
        "Regionaler Praxisfachtag Berlin (21.09.2017)."
    ]
    assert Project.objects.get(pk=project.pk).ends_on == dt.date(2017, 11, 30)


def test_a_copy_for_next_year_leaves_the_project_and_is_no_example(project):
    event = EventFactory(date=dt.date(2017, 9, 21), project=project, is_example=True, past=True)
    copy = services.event_copy_as_draft(event=event, today=dt.date(2017, 10, 1))
    copy = Event.objects.get(pk=copy.pk)
    assert (copy.date, copy.project, copy.is_example) == (dt.date(2018, 9, 21), None, False)
