"""Certificates of attendance: the PDF, the refusal for anyone not marked attended, the verification page, who may
download, the office's send action (one mail per person with the PDF attached), the signature image, privacy."""

from __future__ import annotations

import datetime as dt
import io
import re

import pytest
from django.contrib.auth.models import AnonymousUser
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation
from PIL import Image
from pypdf import PdfReader

from events.documents import pdfs
from events.documents import services as document_services
from events.models import Event, Organisation
from kokportal.models import AuditLogEntry
from participants import privacy, services
from participants.enums import RegistrationStatus
from participants.errors import CertificateError, CertificatesTooEarly, NotAttended, SignatureImageInvalid
from participants.models import AttendanceCertificate, CertificateSignature
from tests.auth import login
from tests.factories import (
    EventFactory,
    OrganisationFactory,
    ProgrammeItemFactory,
    RegistrationFactory,
    StaffFactory,
    UserFactory,
    organisation_type,
)

from .conftest import pdf_text

pytestmark = pytest.mark.django_db

CODE = re.compile(r"^[A-Z2-9]{4}-[A-Z2-9]{4}-[A-Z2-9]{4}-[A-Z2-9]{4}$")


def signature_png(size=(600, 200)) -> bytes:
    """A drawn "signature": a dark stroke on white."""
    from PIL import ImageDraw

    image = Image.new("RGB", size, "white")
    draw = ImageDraw.Draw(image)
    draw.line([(20, 150), (120, 40), (200, 160), (320, 60), (420, 140), (560, 80)], fill="#1a237e", width=6)
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return buffer.getvalue()


@pytest.fixture
def office():
    """Staff acting with their second factor (as the admin's request.user is)."""
    return StaffFactory()


@pytest.fixture
def day(db):
    """A past practice day with a programme: 9:30–16:30 with a 60-minute lunch break and a 15-minute coffee break
    -> 5.75 hours; five topics (welcome and closing are no topics)."""
    event = EventFactory(
        past=True,
        title="Praxisfachtag Ausbeutung der Arbeitskraft",
        slug="praxisfachtag-arbeitsausbeutung",
        date=dt.date(2026, 9, 17),
        start_time=dt.time(9, 30),
        end_time=dt.time(16, 30),
    )
    plan = [
        ("09:30", "10:00", "welcome", "Begrüßung und Einführung"),
        ("10:00", "11:00", "input", "Rechtliche Grundlagen der Identifizierung"),
        ("11:00", "11:15", "break", "Kaffeepause"),
        ("11:15", "12:30", "best_practice", "Kooperation zwischen Fachberatungsstelle und BAMF"),
        ("12:30", "13:30", "break", "Mittagspause"),
        ("13:30", "15:00", "workshop", "Fallbeispiele in Kleingruppen"),
        ("15:00", "16:00", "discussion", "Diskussion im Plenum"),
        ("16:00", "16:30", "closing", "Abschluss und Ausblick"),
    ]
    for start, end, kind, title in plan:
        ProgrammeItemFactory(
            event=event,
            start=dt.time.fromisoformat(start),
            end=dt.time.fromisoformat(end),
            kind=kind,
            title=title,
        )
    return event


def attended(event, first="Ottilie", last="Quastenberg", *, user=None, **kwargs):
    """A registration of ``event``, marked attended unless ``status`` says otherwise."""
    if user is None:
        user = UserFactory(first_name=first, last_name=last, email=f"{first.lower()}.{last.lower()}@example.org")
    organisation = Organisation.objects.filter(name=f"Fachberatungsstelle {last}").first() or OrganisationFactory(
        organisation_type=organisation_type("fachberatungsstelle"), name=f"Fachberatungsstelle {last}"
    )
    return RegistrationFactory(
        event=event,
        user=user,
        organisation=organisation,
        status=kwargs.pop("status", RegistrationStatus.ATTENDED),
        **kwargs,
    )


def test_certified_programme_counts_hours_without_breaks_and_lists_topics(day):
    from events.selectors import certified_programme

    programme = certified_programme(day)
    assert programme.minutes == 345
    assert programme.topics == [
        "Rechtliche Grundlagen der Identifizierung",
        "Kooperation zwischen Fachberatungsstelle und BAMF",
        "Fallbeispiele in Kleingruppen",
        "Diskussion im Plenum",
    ]


def test_certified_programme_without_programme_counts_the_event_time():
    from events.selectors import certified_programme

    event = EventFactory(start_time=dt.time(10, 0), end_time=dt.time(16, 0))
    assert certified_programme(event).minutes == 360
    assert certified_programme(event).topics == []


# --- issuing ---------------------------------------------------------------------------------------------------------


def test_certificate_issue_gives_one_random_code_per_registration_and_is_idempotent(day):
    registration = attended(day)
    first = services.certificate_issue(registration=registration)
    second = services.certificate_issue(registration=registration)
    assert first.pk == second.pk
    assert CODE.match(first.code)
    other = services.certificate_issue(registration=attended(day, "Bertram", "Zwirbelmann"))
    assert other.code != first.code
    assert AttendanceCertificate.objects.count() == 2


@pytest.mark.parametrize(
    "status",
    [
        RegistrationStatus.PENDING,
        RegistrationStatus.CONFIRMED,
        RegistrationStatus.WAITLISTED,
        RegistrationStatus.CANCELLED,
        RegistrationStatus.REJECTED,
    ],
)
def test_certificate_issue_refused_for_anyone_not_marked_attended(day, status):
    registration = attended(day, status=status)
    with pytest.raises(NotAttended):
        services.certificate_issue(registration=registration)
    assert AttendanceCertificate.objects.count() == 0


def test_certificate_pdf_refused_once_attendance_is_undone(day, office):
    registration = attended(day)
    certificate = services.certificate_issue(registration=registration)
    services.registration_unmark_attended(registration=registration, by=office)
    certificate.refresh_from_db()
    assert certificate.revoked_at is not None
    with pytest.raises(NotAttended):
        pdfs.certificate_pdf(certificate=certificate, lang="de")
    registration.refresh_from_db()
    assert registration.status == RegistrationStatus.CONFIRMED
    # Marked attended again: a new certificate with a new code; the old one stays revoked.
    services.registration_mark_attended(registration=registration, by=office)
    again = services.certificate_issue(registration=registration)
    assert again.code != certificate.code
    assert list(AttendanceCertificate.objects.filter(revoked_at__isnull=True)) == [again]


def test_certificates_issue_for_event_only_for_attended_in_a_fixed_number_of_queries(
    day, office, django_assert_num_queries
):
    people = [attended(day, f"Person{n}", f"Nachname{n}") for n in range(3)]
    attended(day, "Noch", "Bestätigt", status=RegistrationStatus.CONFIRMED)
    attended(day, "Schon", "Storniert", status=RegistrationStatus.CANCELLED)
    existing = services.certificate_issue(registration=people[0])
    # savepoint; lock and read the registrations; the existing certificates; insert the missing ones; release
    with django_assert_num_queries(5):
        certificates = services.certificates_issue_for_event(event=day, by=office)
    assert sorted(c.registration_id for c in certificates) == sorted(p.pk for p in people)
    assert existing.pk in {c.pk for c in certificates}
    assert AttendanceCertificate.objects.count() == 3
    for _ in range(5):
        attended(day, "Weitere", f"Person{_}")
    with django_assert_num_queries(5):
        assert len(services.certificates_issue_for_event(event=day, by=office)) == 8


@pytest.mark.parametrize("change", [{"date": "future"}, {"status": "draft"}, {"status": "cancelled"}])
def test_no_certificate_before_the_day_or_for_drafts_and_cancelled_events(day, office, change):
    """Attendance marked on a future or unpublished event (by mistake, or on a copied draft) never gives a
    certificate: neither the person's download nor the office's action issues one."""
    registration = attended(day)
    if change.get("date"):
        Event.objects.filter(pk=day.pk).update(date=timezone.localdate() + dt.timedelta(days=30))
    else:
        Event.objects.filter(pk=day.pk).update(**change)
    day.refresh_from_db()
    registration.refresh_from_db()
    with pytest.raises(NotAttended):
        services.certificate_issue(registration=registration)
    with pytest.raises(CertificatesTooEarly):
        services.certificates_issue_for_event(event=day, by=office)
    assert AttendanceCertificate.objects.count() == 0


# --- the PDF ---------------------------------------------------------------------------------------------------------


@pytest.fixture
def signed(office):
    return services.certificate_signature_update(
        by=office, name="Sophia Wirsching", role="Geschäftsführerin", role_en="Managing Director", image=signature_png()
    )


def test_certificate_pdf_in_german_holds_everything_it_certifies(day, signed, settings):
    settings.SITE_URL = "https://praxisfachtage.example.org"
    certificate = services.certificate_issue(registration=attended(day))
    pdf = pdfs.certificate_pdf(certificate=certificate, lang="de")
    text = pdf_text(pdf.content)
    assert pdf.page_count == 1
    for expected in (
        "Teilnahmebescheinigung",
        "Hiermit bestätigen wir, dass",
        "Ottilie Quastenberg",
        "Fachberatungsstelle Quastenberg",
        "am 17. September 2026 an folgendem Praxisfachtag teilgenommen hat:",
        "Praxisfachtag Ausbeutung der Arbeitskraft",
        "Donnerstag, 17. September 2026, 09:30–16:30 Uhr",
        "Umfang 5,75 Zeitstunden (ohne Pausen)",
        "Themen des Programms",
        "Rechtliche Grundlagen der Identifizierung",
        "Kooperation zwischen Fachberatungsstelle und BAMF",
        "Fallbeispiele in Kleingruppen",
        "Diskussion im Plenum",
        "Sophia Wirsching Geschäftsführerin",
        f"Prüfcode: {certificate.code}",
        f"https://praxisfachtage.example.org/bescheinigung/{certificate.code}/",
    ):
        assert expected in text, expected
    for not_a_topic in ("Kaffeepause", "Mittagspause", "Begrüßung und Einführung", "Abschluss und Ausblick"):
        assert not_a_topic not in text
    assert "@example.org" not in text  # no e-mail address on a certificate
    reader = PdfReader(io.BytesIO(pdf.content))
    assert reader.metadata.title == "Teilnahmebescheinigung: Ottilie Quastenberg"
    images = [image for page in reader.pages for image in page.images]
    assert len(images) >= 1  # the signature (the QR code is vector graphics)


def test_certificate_pdf_in_english(day, signed, settings):
    settings.SITE_URL = "https://praxisfachtage.example.org"
    certificate = services.certificate_issue(registration=attended(day))
    text = pdf_text(pdfs.certificate_pdf(certificate=certificate, lang="en").content)
    for expected in (
        "Certificate of attendance",
        "We hereby confirm that",
        "Ottilie Quastenberg",
        "Fachberatungsstelle Quastenberg",
        "attended the following practice day on 17 September 2026:",
        "Praxisfachtag Ausbeutung der Arbeitskraft",
        "Thursday, 17 September 2026",
        "Duration 5.75 hours (excluding breaks)",
        "Topics of the programme",
        "Sophia Wirsching Managing Director",
        f"Verification code: {certificate.code}",
        f"https://praxisfachtage.example.org/bescheinigung/{certificate.code}/",
    ):
        assert expected in text, expected
    assert "Teilnahmebescheinigung" not in text


def test_certificate_pdf_qr_code_encodes_the_verification_url(day, settings):
    settings.SITE_URL = "https://praxisfachtage.example.org"
    CertificateSignature.objects.all().delete()  # as before the migration made the (empty) record
    certificate = services.certificate_issue(registration=attended(day))
    with translation.override("de"):
        context = pdfs.certificate_context(certificate, lang="de")
    expected = pdfs.segno.make(f"https://praxisfachtage.example.org/bescheinigung/{certificate.code}/", error="m")
    assert context["qr_code"] == expected.svg_data_uri(scale=4, border=0, dark="#1f2328")
    # Without a signature record the block leaves room for a handwritten one, signed "KOK e.V."
    assert context["signature"] is None and context["signature_image"] is None
    assert "KOK e.V." in pdf_text(pdfs.certificate_pdf(certificate=certificate, lang="de").content)


# --- the signature image ---------------------------------------------------------------------------------------------


def test_signature_update_reencodes_a_large_jpeg_into_a_small_png(office):
    photo = Image.effect_noise((2400, 800), 80).convert("RGB")
    buffer = io.BytesIO()
    photo.save(buffer, format="JPEG", quality=95)
    signature = services.certificate_signature_update(
        by=office, name=" Sophia Wirsching ", role="Geschäftsführerin", role_en="", image=buffer.getvalue()
    )
    stored = Image.open(io.BytesIO(bytes(signature.image_png)))
    assert stored.format == "PNG"
    assert len(bytes(signature.image_png)) <= services.SIGNATURE_PNG_MAX_BYTES
    assert stored.width <= 900 and stored.height <= 300
    assert (signature.image_width, signature.image_height) == stored.size
    assert signature.name == "Sophia Wirsching"
    assert CertificateSignature.objects.count() == 1
    services.certificate_signature_update(by=office, name="A", role="B", role_en="C", remove_image=True)
    signature.refresh_from_db()
    assert (signature.image_png, signature.name) == (None, "A")


@pytest.mark.parametrize(
    "content",
    [
        b"<svg xmlns='http://www.w3.org/2000/svg'></svg>",
        b"GIF89a" + b"\x00" * 40,
        b"%PDF-1.7 not an image",
        b"\x89PNG\r\n\x1a\n" + b"broken" * 10,  # a PNG signature, then garbage
        b"",
    ],
    ids=["svg", "gif", "pdf renamed", "broken png", "empty"],
)
def test_signature_update_refuses_what_is_no_png_or_jpeg(office, content):
    before = list(CertificateSignature.objects.values_list("name", "image_png"))
    with pytest.raises(SignatureImageInvalid):
        services.certificate_signature_update(by=office, name="Neu", role="", role_en="", image=content)
    assert list(CertificateSignature.objects.values_list("name", "image_png")) == before


def test_signature_update_refuses_a_gif_and_oversized_files(office):
    buffer = io.BytesIO()
    Image.new("RGB", (50, 20), "white").save(buffer, format="GIF")
    with pytest.raises(SignatureImageInvalid):
        services.certificate_signature_update(by=office, name="", role="", role_en="", image=buffer.getvalue())
    with pytest.raises(SignatureImageInvalid):
        services.certificate_signature_update(
            by=office, name="", role="", role_en="", image=signature_png() + b"\x00" * services.SIGNATURE_MAX_BYTES
        )


def test_signature_update_only_by_staff(user):
    with pytest.raises(CertificateError):
        services.certificate_signature_update(by=user, name="X", role="", role_en="")
    assert not CertificateSignature.objects.filter(name="X").exists()


def test_signature_admin_uploads_and_checks_the_image(staff_client):
    signature, _created = CertificateSignature.objects.get_or_create(id=CertificateSignature.SINGLETON_ID)
    change = reverse("admin:participants_certificatesignature_change", args=[signature.pk])
    response = staff_client.post(
        change,
        {
            "name": "Sophia Wirsching",
            "role": "Geschäftsführerin",
            "role_en": "Managing Director",
            "image": _upload("unterschrift.png", signature_png()),
        },
    )
    assert response.status_code == 302
    signature = CertificateSignature.objects.get()
    assert (signature.name, signature.role_en) == ("Sophia Wirsching", "Managing Director")
    assert bytes(signature.image_png).startswith(b"\x89PNG")
    page = staff_client.get(change).content.decode()
    assert 'class="certificate-signature-preview"' in page
    response = staff_client.post(
        change,
        {
            "name": "Andere Person",
            "role": "Geschäftsführerin",
            "role_en": "",
            "image": _upload("unterschrift.png", b"GIF89a not really"),
        },
    )
    assert response.status_code == 200
    assert (
        "Die Unterschrift muss ein PNG- oder JPEG-Bild von höchstens 2 MB und höchstens 25 Millionen Bildpunkten "
        "(etwa 5000 × 5000) sein." in response.content.decode()
    )
    assert CertificateSignature.objects.get().name == "Sophia Wirsching"
    # One record only: none can be added.
    assert staff_client.get(reverse("admin:participants_certificatesignature_add")).status_code == 403


def _upload(name: str, content: bytes):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, content, content_type="image/png")


# --- the verification page -------------------------------------------------------------------------------------------


def verify_url(code: str) -> str:
    return reverse("participants:certificate_verify", kwargs={"code": code})


def test_verification_page_confirms_a_valid_certificate_with_name_and_event_only(client, day):
    registration = attended(day, phone="+49 30 1234567", function="Beraterin")
    certificate = services.certificate_issue(registration=registration)
    response = client.get(verify_url(certificate.code))
    assert response.status_code == 200
    assert response["X-Robots-Tag"] == "noindex, nofollow"
    assert "no-cache" in response["Cache-Control"] or "max-age=0" in response["Cache-Control"]
    page = response.content.decode()
    assert '<meta name="robots" content="noindex, nofollow">' in page
    assert "Gültige Teilnahmebescheinigung" in page
    assert '<dd class="col-sm-9" data-field="name">Ottilie Quastenberg</dd>' in page
    assert '<dd class="col-sm-9" data-field="event">Praxisfachtag Ausbeutung der Arbeitskraft</dd>' in page
    assert "17. September 2026" in page
    for private in ("Fachberatungsstelle Quastenberg", "example.org", "+49 30 1234567", "Beraterin", "Außenstelle"):
        assert private not in page, private


def test_verification_page_says_revoked_after_attendance_is_undone(client, day, office):
    registration = attended(day)
    certificate = services.certificate_issue(registration=registration)
    services.registration_unmark_attended(registration=registration, by=office)
    page = client.get(verify_url(certificate.code)).content.decode()
    assert "Widerrufene Teilnahmebescheinigung" in page
    assert "Gültige Teilnahmebescheinigung" not in page


def test_verification_page_in_english(client, day):
    certificate = services.certificate_issue(registration=attended(day))
    client.cookies["django_language"] = "en"
    page = client.get(verify_url(certificate.code)).content.decode()
    assert "Valid certificate of attendance" in page
    assert "17 September 2026" in page


def _altered(code: str) -> str:
    """The code with its last letter changed to another letter of the alphabet."""
    last = code[-1]
    return code[:-1] + ("A" if last != "A" else "B")


def test_verification_page_answers_404_for_forged_altered_and_malformed_codes(client, day):
    certificate = services.certificate_issue(registration=attended(day))
    for code in (
        _altered(certificate.code),
        certificate.code.replace("-", ""),
        certificate.code + "A",
        "AAAA-AAAA-AAAA-AAAA",
        str(certificate.pk),
        "..%2f..%2fadmin",
    ):
        assert client.get(verify_url(code)).status_code == 404, code
    # The same code typed in small letters is the same code.
    assert client.get(verify_url(certificate.code.lower())).status_code == 200


# --- downloads -------------------------------------------------------------------------------------------------------


def certificate_url(registration) -> str:
    return reverse("documents:certificate", kwargs={"pk": registration.pk})


def test_participant_downloads_their_own_certificate(day):
    registration = attended(day)
    client = login(Client(), registration.user)
    response = client.get(certificate_url(registration))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == (
        'attachment; filename="teilnahmebescheinigung-praxisfachtag-arbeitsausbeutung.pdf"'
    )
    certificate = AttendanceCertificate.objects.get(registration=registration)
    assert f"Prüfcode: {certificate.code}" in pdf_text(response.content)
    english = client.get(certificate_url(registration) + "?lang=en")
    assert english["Content-Disposition"] == (
        'attachment; filename="certificate-of-attendance-praxisfachtag-arbeitsausbeutung.pdf"'
    )
    assert f"Verification code: {certificate.code}" in pdf_text(english.content)
    assert AttendanceCertificate.objects.count() == 1  # the same certificate each time


def test_certificate_download_answers_404_to_everyone_else(day, office):
    registration = attended(day)
    url = certificate_url(registration)
    other = attended(day, "Bertram", "Zwirbelmann")
    assert login(Client(), other.user).get(url).status_code == 404
    assert login(Client(), office).get(url).status_code == 404  # staff send it; it is not theirs to download
    anonymous = Client().get(url)
    assert anonymous.status_code == 302
    assert anonymous["Location"].startswith(reverse("account_login"))
    assert not AttendanceCertificate.objects.exists()


def test_certificate_download_answers_404_when_not_attended(day):
    registration = attended(day, status=RegistrationStatus.CONFIRMED)
    client = login(Client(), registration.user)
    assert client.get(certificate_url(registration)).status_code == 404
    assert not AttendanceCertificate.objects.exists()


def test_start_page_and_registration_page_offer_the_certificate_only_when_attended(day):
    registration = attended(day)
    confirmed = attended(EventFactory(past=True), user=registration.user, status=RegistrationStatus.CONFIRMED)
    client = login(Client(), registration.user)
    start = client.get(reverse("my_practice_days")).content.decode()
    assert start.count("Teilnahmebescheinigung (PDF)") == 1
    assert f'href="{certificate_url(registration)}"' in start
    assert f'href="{certificate_url(confirmed)}"' not in start
    detail = client.get(registration.get_absolute_url()).content.decode()
    assert f'href="{certificate_url(registration)}"' in detail
    assert "Teilnahmebescheinigung (PDF)" not in client.get(confirmed.get_absolute_url()).content.decode()


def test_start_page_query_count_does_not_grow_with_certificates(day, django_assert_num_queries):
    registration = attended(day)
    services.certificate_issue(registration=registration)
    client = login(Client(), registration.user)
    # session, user; registrations; workshop places; facilitated workshops; events with documents; team roles
    with django_assert_num_queries(7):
        one = client.get(reverse("my_practice_days"))
    assert one.content.decode().count("Teilnahmebescheinigung (PDF)") == 1
    for _n in range(6):
        more = attended(EventFactory(past=True), user=registration.user)
        services.certificate_issue(registration=more)
    with django_assert_num_queries(7):
        many = client.get(reverse("my_practice_days"))
    assert many.content.decode().count("Teilnahmebescheinigung (PDF)") == 7


# --- sending ---------------------------------------------------------------------------------------------------------


def test_admin_action_sends_one_mail_per_attended_person_with_the_pdf(
    day, staff_client, staff_user, django_capture_on_commit_callbacks, mailoutbox
):
    anna = attended(day)
    bernd = attended(day, "Bertram", "Zwirbelmann", language="en")
    attended(day, "Noch", "Bestätigt", status=RegistrationStatus.CONFIRMED)
    attended(day, "Schon", "Storniert", status=RegistrationStatus.CANCELLED)
    # First a confirmation naming the event and how many people it reaches; nothing is sent yet.
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        ask = staff_client.post(
            reverse("admin:events_event_changelist"), {"action": "send_certificates", "_selected_action": [day.pk]}
        )
    page = ask.content.decode()
    assert "Das sind 2 E-Mails:" in page
    assert "Praxisfachtag Ausbeutung der Arbeitskraft (17.09.2026): 2 Personen" in page
    assert (len(callbacks), mailoutbox, AuditLogEntry.objects.count()) == (0, [], 0)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        response = staff_client.post(
            reverse("admin:events_event_changelist"),
            {"action": "send_certificates", "_selected_action": [day.pk], "confirmed": "yes"},
            follow=True,
        )
    assert response.status_code == 200
    assert len(callbacks) == 2
    assert "„Praxisfachtag Ausbeutung der Arbeitskraft“: 2 Teilnahmebescheinigungen werden per E-Mail versandt" in (
        response.content.decode()
    )
    assert sorted(m.to[0] for m in mailoutbox) == sorted([anna.email, bernd.email])
    by_address = {m.to[0]: m for m in mailoutbox}
    for registration, subject, lang_text in (
        (
            anna,
            "[KOK-Praxisfachtag] Ihre Teilnahmebescheinigung: Praxisfachtag Ausbeutung der Arbeitskraft",
            "Teilnahmebescheinigung",
        ),
        (
            bernd,
            "[KOK-Praxisfachtag] Your certificate of attendance: Praxisfachtag Ausbeutung der Arbeitskraft",
            "Certificate of attendance",
        ),
    ):
        message = by_address[registration.email]
        certificate = AttendanceCertificate.objects.get(registration=registration)
        assert message.subject == subject
        assert len(message.to) == 1 and not message.cc and not message.bcc
        assert f"{certificate.code}" in message.body
        assert f"/bescheinigung/{certificate.code}/" in message.alternatives[0][0]
        [(filename, content, mimetype)] = message.attachments
        assert mimetype == "application/pdf"
        assert filename.endswith("-praxisfachtag-arbeitsausbeutung.pdf")
        text = pdf_text(content)
        assert registration.full_name in text and lang_text in text and certificate.code in text
        assert certificate.sent_at is not None
    entry = AuditLogEntry.objects.get(action="send_certificates")
    assert (entry.actor, entry.subject_id, entry.detail) == (staff_user, day.pk, {"count": 2})


def test_send_service_refuses_non_staff_and_skips_revoked_certificates(
    day, office, user, django_capture_on_commit_callbacks, mailoutbox
):
    with pytest.raises(CertificateError):
        document_services.certificates_send(event=day, by=user)
    with pytest.raises(CertificateError):
        document_services.certificates_send(event=day, by=AnonymousUser())
    anna = attended(day)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        assert document_services.certificates_send(event=day, by=office) == 1
    # Attendance undone before the queued mail runs: the task sends nothing.
    services.registration_unmark_attended(registration=anna, by=office)
    for callback in callbacks:
        callback()
    assert mailoutbox == []


def test_one_failing_mail_does_not_stop_the_others(day, office, django_capture_on_commit_callbacks, mailoutbox):
    from unittest import mock

    from kokportal import mail as portal_mail

    first = attended(day, "Anna", "Aaa")
    second = attended(day, "Berta", "Bbb")
    real = portal_mail.EmailMultiAlternatives.send
    calls = []

    def send(message, *args, **kwargs):
        calls.append(message.to[0])
        if message.to[0] == first.email:
            raise OSError("mail server refused")
        return real(message, *args, **kwargs)

    with (
        mock.patch.object(portal_mail.EmailMultiAlternatives, "send", send),
        django_capture_on_commit_callbacks(execute=True),
    ):
        document_services.certificates_send(event=day, by=office)
    assert sorted(calls) == sorted([first.email, second.email])
    assert [m.to[0] for m in mailoutbox] == [second.email]
    assert AttendanceCertificate.objects.get(registration=first).sent_at is None
    assert AttendanceCertificate.objects.get(registration=second).sent_at is not None


# --- privacy ---------------------------------------------------------------------------------------------------------


def test_data_export_lists_the_certificates(day, office):
    registration = attended(day)
    certificate = services.certificate_issue(registration=registration)
    data = privacy.personal_data_export(user=registration.user)
    assert data["certificates_of_attendance"] == [
        {
            "event": "Praxisfachtag Ausbeutung der Arbeitskraft",
            "event_date": "2026-09-17",
            "code": certificate.code,
            "issued_at": certificate.issued_at.isoformat(),
            "sent_at": None,
            "revoked_at": None,
        }
    ]


def test_account_deletion_and_retention_delete_the_certificates(client, day):
    registration = attended(day)
    certificate = services.certificate_issue(registration=registration)
    privacy.account_delete(user=registration.user)
    assert not AttendanceCertificate.objects.exists()
    assert client.get(verify_url(certificate.code)).status_code == 404

    later = attended(day, "Bertram", "Zwirbelmann")
    kept = attended(EventFactory(date=timezone.localdate()), "Clara", "Heute")
    services.certificate_issue(registration=later)
    kept_certificate = services.certificate_issue(registration=kept)
    privacy.retention_purge(months=1, today=dt.date(2026, 11, 20))
    assert list(AttendanceCertificate.objects.all()) == [kept_certificate]


def test_admin_action_undo_attendance_revokes_the_certificate(day, staff_client, client):
    registration = attended(day)
    certificate = services.certificate_issue(registration=registration)
    response = staff_client.post(
        reverse("admin:participants_registration_changelist"),
        {"action": "unmark_attended", "_selected_action": [registration.pk]},
        follow=True,
    )
    assert "1 Teilnahme zurückgenommen." in response.content.decode()
    registration.refresh_from_db()
    certificate.refresh_from_db()
    assert registration.status == RegistrationStatus.CONFIRMED
    assert certificate.revoked_at is not None
    assert "Widerrufene Teilnahmebescheinigung" in client.get(verify_url(certificate.code)).content.decode()
    # A registration that was not marked attended is refused, and nothing changes.
    other = attended(day, "Bertram", "Zwirbelmann", status=RegistrationStatus.CONFIRMED)
    response = staff_client.post(
        reverse("admin:participants_registration_changelist"),
        {"action": "unmark_attended", "_selected_action": [other.pk]},
        follow=True,
    )
    assert f"#{other.pk}: Diese Änderung ist im aktuellen Status der Anmeldung nicht möglich." in (
        response.content.decode()
    )


def test_certificate_with_a_long_programme_keeps_its_verification_below_the_signature(day, signed):
    """The verification line used to sit at the page bottom, over the signature once the programme was long: now
    it follows the signature in the flow and the certificate stays one page for a full day's programme."""
    day.title = "Information, Vernetzung und Sensibilisierung: Schutz für (unbegleitete) minderjährige Geflüchtete"
    day.save(update_fields=["title"])
    for n in range(4):
        ProgrammeItemFactory(
            event=day,
            start=dt.time(16, 30 + n * 5),
            end=dt.time(16, 34 + n * 5),
            kind="input",
            title=f"Instrumente zur Identifizierung Betroffener von Menschenhandel, Teil {n + 1} mit Ergebnissen",
        )
    certificate = services.certificate_issue(registration=attended(day))
    pdf = pdfs.certificate_pdf(certificate=certificate, lang="de")
    assert pdf.page_count == 1
    tops = {}

    def visit(text, _cm, tm, _font, _size):
        if text.strip():
            tops.setdefault(text.strip()[:12], tm[5])  # WeasyPrint's text matrix: larger further down the page

    PdfReader(io.BytesIO(pdf.content)).pages[0].extract_text(visitor_text=visit)
    assert tops["Prüfcode:"] - tops["Geschäftsfüh"] >= 30
