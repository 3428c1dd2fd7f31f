"""Mails from staff to the people of an event (participants.mailings): the service, the rendering, the tasks, and the
mails as a real SMTP server receives them (tests/smtp.py)."""

from __future__ import annotations

import datetime as dt
import logging

import pytest
from django.db import IntegrityError
from django.utils import timezone

from kokportal.models import AuditLogEntry
from participants import mailings
from participants.enums import DeliveryFailure, DeliveryState
from participants.enums import RegistrationStatus as S
from participants.errors import MailingInvalid, MailingNoRecipients, MailingNotAllowed, MailingRecipientsChanged
from participants.models import Mailing, MailingDelivery
from tests.factories import EventFactory, RegistrationFactory, StaffFactory, UserFactory

pytestmark = pytest.mark.django_db

SUBJECT = "Hinweise zu {veranstaltung}"
BODY = (
    "Guten Tag {vorname} {nachname},\n\n"
    "am {datum} treffen wir uns in {ort}. Ihre Anmeldung: {link_anmeldung}\n\n"
    "Bitte bringen Sie <Fallbeispiele> & Fragen mit."
)


def acting_staff(**kwargs):
    """A staff member as the admin sees them: second factor passed in this session (tests/factories.py)."""
    return StaffFactory(is_superuser=True, **kwargs)


@pytest.fixture
def event():
    return EventFactory(
        title="Praxisfachtag Ausbeutung & Arbeit",
        date=dt.date(2027, 3, 4),
        venue_name="KOK-Geschäftsstelle",
        venue_city="Berlin",
    )


@pytest.fixture
def people(event):
    """Two confirmed, one waiting, one pending, one cancelled; one confirmed person reads mails in English."""
    anna = RegistrationFactory(
        event=event, status=S.CONFIRMED, first_name="Anna", last_name="Becker", email="anna@example.org"
    )
    omar = RegistrationFactory(
        event=event,
        status=S.CONFIRMED,
        first_name="Omar",
        last_name="Yılmaz",
        email="omar@example.org",
        language="en",
    )
    lena = RegistrationFactory(
        event=event, status=S.WAITLISTED, first_name="Lena", last_name="Wolf", email="lena@example.org"
    )
    jan = RegistrationFactory(
        event=event, status=S.PENDING, first_name="Jan", last_name="Koch", email="jan@example.org"
    )
    RegistrationFactory(event=event, status=S.CANCELLED, first_name="Clara", last_name="Lange", email="cl@example.org")
    return {"anna": anna, "omar": omar, "lena": lena, "jan": jan}


def send(event, by, statuses=("confirmed",), subject=SUBJECT, body=BODY, capture=None, **kwargs) -> Mailing:
    with capture(execute=True):
        return mailings.mailing_send(event=event, statuses=list(statuses), subject=subject, body=body, by=by, **kwargs)


# --- placeholders and validation -------------------------------------------------------------------------------


def test_unknown_placeholders_are_listed_once_in_order():
    text = "Hallo {Vorname} {vorname}, {name} und {Vorname} am {datum}; {}"
    assert mailings.unknown_placeholders(text) == ["{Vorname}", "{name}", "{}"]


def test_validate_mailing_text_names_unknown_and_known_placeholders():
    with pytest.raises(MailingInvalid) as error:
        mailings.validate_mailing_text(subject="Hallo {name}", body="Text")
    assert str(error.value.message) == (
        "Unbekannte Platzhalter: {name}. Möglich sind: {vorname}, {nachname}, {veranstaltung}, {datum}, {ort}, "
        "{link_anmeldung}."
    )


@pytest.mark.parametrize(
    ("subject", "body", "message"),
    [
        ("Zeile\nzwei", "Text", "Der Betreff darf keinen Zeilenumbruch enthalten."),
        ("Zeile\rzwei", "Text", "Der Betreff darf keinen Zeilenumbruch enthalten."),
        ("  ", "Text", "Betreff und Text dürfen nicht leer sein."),
        ("Betreff", "\n \n", "Betreff und Text dürfen nicht leer sein."),
        ("B" * 151, "Text", "Der Betreff hat höchstens 150 Zeichen, der Text höchstens 10000."),
        ("Betreff", "T" * 10001, "Der Betreff hat höchstens 150 Zeichen, der Text höchstens 10000."),
    ],
)
def test_validate_mailing_text_refuses(subject, body, message):
    with pytest.raises(MailingInvalid) as error:
        mailings.validate_mailing_text(subject=subject, body=body)
    assert str(error.value.message) == message


def test_validate_mailing_text_normalises_line_breaks_and_trims():
    assert mailings.validate_mailing_text(subject=" Betreff ", body="a\r\nb\rc\n") == ("Betreff", "a\nb\nc")


def test_render_for_fills_placeholders_in_the_persons_language(people, settings):
    settings.SITE_URL = "https://praxisfachtage.example.org"
    subject, body = mailings.render_for(registration=people["anna"], subject=SUBJECT, body=BODY)
    assert subject == "Hinweise zu Praxisfachtag Ausbeutung & Arbeit"
    assert body == (
        "Guten Tag Anna Becker,\n\n"
        "am 4. März 2027 treffen wir uns in KOK-Geschäftsstelle, Berlin. Ihre Anmeldung: "
        f"https://praxisfachtage.example.org/meine-anmeldungen/{people['anna'].pk}/\n\n"
        "Bitte bringen Sie <Fallbeispiele> & Fragen mit."
    )
    _subject, english = mailings.render_for(registration=people["omar"], subject=SUBJECT, body="{datum}")
    assert english == "4 March 2027"


def test_render_for_virtual_event_says_virtual_in_the_persons_language():
    event = EventFactory(virtual=True)
    german = RegistrationFactory(event=event, language="de")
    english = RegistrationFactory(event=event, language="en")
    assert mailings.render_for(registration=german, subject="s", body="{ort}")[1] == "virtuell"
    assert mailings.render_for(registration=english, subject="s", body="{ort}")[1] == "virtual"


def test_render_for_keeps_the_subject_on_one_line_whatever_a_name_holds(event):
    registration = RegistrationFactory(event=event, first_name="Anna\nBcc: x@example.org")
    subject, _body = mailings.render_for(registration=registration, subject="Hallo {vorname}", body="b")
    assert subject == "Hallo Anna Bcc: x@example.org"


# --- the service -----------------------------------------------------------------------------------------------


def test_mailing_send_stores_the_mailing_one_delivery_per_person_and_an_audit_entry(
    event, people, django_capture_on_commit_callbacks, mailoutbox
):
    staff = acting_staff()
    mailing = send(event, staff, statuses=["confirmed", "waitlisted"], capture=django_capture_on_commit_callbacks)
    mailing.refresh_from_db()
    assert (mailing.statuses, mailing.recipient_count, mailing.sent_count, mailing.failed_count) == (
        ["confirmed", "waitlisted"],
        3,
        3,
        0,
    )
    assert mailing.sent_by == staff
    deliveries = MailingDelivery.objects.filter(mailing=mailing).order_by("registration__last_name")
    assert [(d.registration.first_name, d.state, d.attempts) for d in deliveries] == [
        ("Anna", DeliveryState.SENT, 1),
        ("Lena", DeliveryState.SENT, 1),
        ("Omar", DeliveryState.SENT, 1),
    ]
    assert sorted(tuple(m.to) for m in mailoutbox) == [
        ("anna@example.org",),
        ("lena@example.org",),
        ("omar@example.org",),
    ]
    assert all(m.cc == [] and m.bcc == [] for m in mailoutbox)
    entry = AuditLogEntry.objects.get()
    assert (entry.actor, entry.action, entry.subject, entry.detail) == (
        staff,
        "mailing_sent",
        event,
        {"mailing": mailing.pk, "statuses": ["confirmed", "waitlisted"], "count": 3},
    )


def test_mailing_send_reaches_pending_and_attended_but_never_cancelled_or_anonymised(
    event, people, django_capture_on_commit_callbacks, mailoutbox
):
    attended = RegistrationFactory(event=event, status=S.ATTENDED, email="att@example.org")
    RegistrationFactory(event=event, status=S.ATTENDED, email="anon@example.org", anonymised_at=timezone.now())
    mailing = send(
        event,
        acting_staff(),
        statuses=["pending", "attended", "confirmed", "waitlisted"],
        capture=django_capture_on_commit_callbacks,
    )
    # A fixed order of statuses, whatever order they were ticked in.
    assert mailing.statuses == ["confirmed", "waitlisted", "pending", "attended"]
    assert sorted(m.to[0] for m in mailoutbox) == sorted(
        [people[p].email for p in ("anna", "omar", "lena", "jan")] + [attended.email]
    )


def test_mailing_send_refuses_an_empty_recipient_set(event, people, django_capture_on_commit_callbacks):
    with pytest.raises(MailingNoRecipients):
        send(event, acting_staff(), statuses=["attended"], capture=django_capture_on_commit_callbacks)
    assert Mailing.objects.count() == 0
    assert AuditLogEntry.objects.count() == 0


@pytest.mark.parametrize("statuses", [[], ["cancelled"], ["rejected", "confirmed"]])
def test_mailing_send_refuses_statuses_outside_the_four(event, people, statuses, django_capture_on_commit_callbacks):
    with pytest.raises(MailingInvalid):
        send(event, acting_staff(), statuses=statuses, capture=django_capture_on_commit_callbacks)
    assert Mailing.objects.count() == 0


def test_mailing_send_refuses_when_the_confirmed_count_no_longer_holds(
    event, people, django_capture_on_commit_callbacks, mailoutbox
):
    with pytest.raises(MailingRecipientsChanged):
        send(event, acting_staff(), expected_count=3, capture=django_capture_on_commit_callbacks)
    assert (Mailing.objects.count(), len(mailoutbox)) == (0, 0)


@pytest.mark.parametrize("who", ["participant", "staff_without_second_factor", "staff_without_permission"])
def test_mailing_send_only_for_staff_with_permission(event, people, who, django_capture_on_commit_callbacks):
    if who == "participant":
        user = UserFactory()
        user.second_factor_passed = True
    elif who == "staff_without_second_factor":
        user = StaffFactory(is_superuser=True, mfa=False)
    else:
        user = StaffFactory()  # second factor passed, but no group and so no permission
    with pytest.raises(MailingNotAllowed):
        send(event, user, capture=django_capture_on_commit_callbacks)
    with pytest.raises(MailingNotAllowed):
        mailings.mailing_send_test(event=event, statuses=["confirmed"], subject="s", body="b", by=user)
    assert Mailing.objects.count() == 0


def test_mailing_preview_renders_for_the_first_recipient_and_counts(event, people, django_assert_num_queries):
    with django_assert_num_queries(2):
        preview = mailings.mailing_preview(
            event=event, statuses=["confirmed", "pending"], subject=SUBJECT, body="{vorname}"
        )
    assert (preview.recipient_count, preview.recipient, preview.subject, preview.body) == (
        3,
        people["anna"],  # Becker before Koch and Yılmaz
        "Hinweise zu Praxisfachtag Ausbeutung & Arbeit",
        "Anna",
    )


def test_mailing_send_test_goes_to_the_staff_member_only(event, people, django_capture_on_commit_callbacks, mailoutbox):
    staff = acting_staff(email="office@kok-buero.de")
    with django_capture_on_commit_callbacks(execute=True):
        first = mailings.mailing_send_test(event=event, statuses=["confirmed"], subject=SUBJECT, body=BODY, by=staff)
    assert first == people["anna"]
    [message] = mailoutbox
    assert message.to == ["office@kok-buero.de"]
    assert message.subject == "[KOK-Praxisfachtag] [Test] Hinweise zu Praxisfachtag Ausbeutung & Arbeit"
    assert message.body.startswith("Guten Tag Anna Becker,")
    assert Mailing.objects.count() == 0
    assert list(AuditLogEntry.objects.values_list("action", "detail")) == [
        ("mailing_test_sent", {"statuses": ["confirmed"], "count": 1})
    ]


def test_a_delivery_is_finished_once(event, people, django_capture_on_commit_callbacks):
    mailing = send(event, acting_staff(), capture=django_capture_on_commit_callbacks)
    delivery = mailing.deliveries.first()
    assert mailings.mailing_delivery_finish(delivery_id=delivery.pk, failure=DeliveryFailure.ERROR) is False
    mailing.refresh_from_db()
    assert (mailing.sent_count, mailing.failed_count) == (2, 0)


def test_a_registration_anonymised_before_its_mail_is_recorded_as_gone(
    event, people, django_capture_on_commit_callbacks, mailoutbox
):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        mailing = mailings.mailing_send(event=event, statuses=["confirmed"], subject="s", body="b", by=acting_staff())
    people["omar"].__class__.objects.filter(pk=people["omar"].pk).update(anonymised_at=timezone.now())
    for callback in callbacks:
        callback()
    mailing.refresh_from_db()
    assert (mailing.sent_count, mailing.failed_count) == (1, 1)
    assert mailing.deliveries.get(registration=people["omar"]).failure == DeliveryFailure.GONE
    assert [m.to for m in mailoutbox] == [["anna@example.org"]]


def test_mailing_database_constraints(event):
    staff = StaffFactory()
    with pytest.raises(IntegrityError):
        Mailing.objects.create(
            event=event, statuses=["confirmed"], subject="a\nb", body="b", sent_by=staff, recipient_count=1
        )


def test_mailing_database_refuses_no_recipients_and_unknown_statuses(event):
    from django.db import transaction

    staff = StaffFactory()
    for values in (
        {"statuses": ["confirmed"], "recipient_count": 0},
        {"statuses": ["cancelled"], "recipient_count": 1},
        {"statuses": [], "recipient_count": 1},
    ):
        with pytest.raises(IntegrityError), transaction.atomic():
            Mailing.objects.create(event=event, subject="s", body="b", sent_by=staff, **values)


# --- over SMTP -----------------------------------------------------------------------------------------------------


def test_mailing_over_smtp_one_mail_per_person_with_headers_and_both_parts(
    event, people, smtp_server, settings, django_capture_on_commit_callbacks
):
    settings.SITE_URL = "https://praxisfachtage.example.org"
    settings.DEFAULT_FROM_EMAIL = "KOK e.V. <praxisfachtag@kok-buero.de>"
    assert settings.EMAIL_BACKEND == "django.core.mail.backends.smtp.EmailBackend"
    send(event, acting_staff(), statuses=["confirmed"], capture=django_capture_on_commit_callbacks)

    assert len(smtp_server.messages) == 2
    [anna] = smtp_server.messages_to("anna@example.org")
    [omar] = smtp_server.messages_to("omar@example.org")
    for message, address in ((anna, "anna@example.org"), (omar, "omar@example.org")):
        assert message.envelope_to == [address]  # no one else on the envelope: no Bcc
        assert message.get_all("To") == [address]
        assert message.get_all("Cc") == []
        assert message["From"] == '"KOK e.V." <praxisfachtag@kok-buero.de>'
        assert message["Subject"] == "[KOK-Praxisfachtag] Hinweise zu Praxisfachtag Ausbeutung & Arbeit"
        assert message["Message-ID"].startswith("<") and message["Message-ID"].endswith(">")
        assert message.message.get_content_type() == "multipart/alternative"
        assert [p.get_content_type() for p in message.message.iter_parts()] == ["text/plain", "text/html"]
    assert anna["Message-ID"] != omar["Message-ID"]

    link = f"https://praxisfachtage.example.org/meine-anmeldungen/{people['anna'].pk}/"
    text = smtp_server.text_part(anna)
    assert text.startswith(
        "Guten Tag Anna Becker,\n\n"
        f"am 4. März 2027 treffen wir uns in KOK-Geschäftsstelle, Berlin. Ihre Anmeldung: {link}\n\n"
        "Bitte bringen Sie <Fallbeispiele> & Fragen mit.\n\n"
        "Sie erhalten diese E-Mail von der KOK-Geschäftsstelle, weil Sie für den Praxisfachtag „Praxisfachtag "
        "Ausbeutung & Arbeit“ angemeldet sind.\n"
    )
    html = smtp_server.html_part(anna)
    assert "<p>Guten Tag Anna Becker,</p>" in html
    # The staff's text is escaped: "<Fallbeispiele>" is text, not a tag.
    assert "Bitte bringen Sie &lt;Fallbeispiele&gt; &amp; Fragen mit." in html
    assert "<Fallbeispiele>" not in html
    assert f'<a href="{link}" rel="nofollow">{link}</a>' in html
    # Omar reads English: the frame and the date are his language; the staff's text stays as written.
    omar_text = smtp_server.text_part(omar)
    assert omar_text.startswith("Guten Tag Omar Yılmaz,\n\nam 4 March 2027 treffen wir uns")
    link = f"https://praxisfachtage.example.org/meine-anmeldungen/{people['omar'].pk}/"
    assert f"View your registration: {link}\n" in omar_text


def test_mailing_over_smtp_a_refused_recipient_is_recorded_and_the_others_arrive(
    event, people, smtp_server, django_capture_on_commit_callbacks, caplog
):
    smtp_server.refuse("lena@example.org")
    with caplog.at_level(logging.INFO, logger="participants.tasks"):
        mailing = send(
            event,
            acting_staff(),
            statuses=["confirmed", "waitlisted", "pending"],
            capture=django_capture_on_commit_callbacks,
        )
    mailing.refresh_from_db()
    assert sorted(a for m in smtp_server.messages for a in m.envelope_to) == [
        "anna@example.org",
        "jan@example.org",
        "omar@example.org",
    ]
    assert smtp_server.refused_attempts == ["lena@example.org"]
    assert (mailing.recipient_count, mailing.sent_count, mailing.failed_count) == (4, 3, 1)
    refused = mailing.deliveries.get(registration=people["lena"])
    assert (refused.state, refused.failure, refused.attempts) == (DeliveryState.FAILED, DeliveryFailure.REFUSED, 1)
    # The logs name ids, never an address, a name or the text.
    logged = "\n".join(f"{r.getMessage()} {r.__dict__}" for r in caplog.records)
    assert "mailing delivery failed (attempt 1 of 6, refused)" in logged
    for secret in ("lena@example.org", "Lena", "Wolf", "Hinweise", "Fallbeispiele"):
        assert secret not in logged


def test_mailing_over_smtp_a_temporary_refusal_is_retried_where_the_backend_defers(
    event, people, smtp_server, settings, django_capture_on_commit_callbacks
):
    """A 4xx answer ("try again later") is no permanent refusal: with the database backend the delivery stays
    queued and its next attempt is enqueued; the others arrive."""
    from django_tasks_db.models import DBTaskResult

    from participants.tasks import send_mailing_delivery

    smtp_server.refuse("omar@example.org", code=450)
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    mailing = send(event, acting_staff(), capture=django_capture_on_commit_callbacks)
    with django_capture_on_commit_callbacks(execute=True):
        for delivery in mailing.deliveries.order_by("id"):
            send_mailing_delivery.call(delivery_id=delivery.pk, attempt=1)
    mailing.refresh_from_db()
    assert [m.envelope_to for m in smtp_server.messages] == [["anna@example.org"]]
    assert smtp_server.refused_attempts == ["omar@example.org"]
    assert (mailing.sent_count, mailing.failed_count) == (1, 0)
    omar = mailing.deliveries.get(registration=people["omar"])
    assert (omar.state, omar.attempts) == (DeliveryState.QUEUED, 1)
    retry = DBTaskResult.objects.order_by("-enqueued_at").first()
    assert retry.args_kwargs["kwargs"] == {"delivery_id": omar.pk, "attempt": 2}


def test_mailing_over_smtp_a_server_that_is_down_is_retried_where_the_backend_defers(
    event, people, settings, django_capture_on_commit_callbacks
):
    """With the database backend a failing server leaves the delivery queued and enqueues the next attempt; the
    immediate backend of tests has no later, so there the failure is recorded at once."""
    from tests.smtp import free_port

    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", free_port(), 2
    mailing = send(event, acting_staff(), capture=django_capture_on_commit_callbacks)
    mailing.refresh_from_db()
    assert (mailing.sent_count, mailing.failed_count) == (0, 2)
    assert set(mailing.deliveries.values_list("failure", flat=True)) == {DeliveryFailure.ERROR}


def test_mailing_over_smtp_retry_with_the_database_backend(event, people, settings, django_capture_on_commit_callbacks):
    from django_tasks_db.models import DBTaskResult

    from participants.tasks import send_mailing_delivery
    from tests.smtp import free_port

    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", free_port(), 2
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    mailing = send(event, acting_staff(), capture=django_capture_on_commit_callbacks)
    assert DBTaskResult.objects.count() == 2  # queued, one per person
    delivery = mailing.deliveries.get(registration=people["anna"])
    with django_capture_on_commit_callbacks(execute=True):
        assert send_mailing_delivery.call(delivery_id=delivery.pk, attempt=1) is False
    delivery.refresh_from_db()
    assert (delivery.state, delivery.attempts) == (DeliveryState.QUEUED, 1)
    retry = DBTaskResult.objects.order_by("-enqueued_at").first()
    assert retry.args_kwargs["kwargs"] == {"delivery_id": delivery.pk, "attempt": 2}
    assert retry.run_after > timezone.now() + dt.timedelta(minutes=1)


def test_seed_demo_has_a_sent_mailing_to_the_people_who_attended_2019():
    from django.core.management import call_command

    call_command("seed_demo")
    mailing = Mailing.objects.get()
    attended = mailing.event.registrations.filter(status=S.ATTENDED).count()
    assert (mailing.event.slug, mailing.statuses, mailing.subject) == (
        "kok-bamf-praxisfachtag-2019",
        ["attended"],
        "Dokumentation zum {veranstaltung}",
    )
    assert (mailing.recipient_count, mailing.sent_count, mailing.failed_count) == (attended, attended, 0)
    assert attended == 40
    assert mailing.deliveries.filter(state=DeliveryState.SENT).count() == 40
    assert mailings.unknown_placeholders(mailing.subject + mailing.body) == []


def test_the_persons_data_export_names_the_mails_staff_wrote_to_them(
    event, people, django_capture_on_commit_callbacks, settings
):
    import json

    from participants.privacy import personal_data_export

    settings.SITE_URL = "https://praxisfachtage.example.org"
    mailing = send(
        event,
        acting_staff(),
        statuses=["confirmed"],
        body="Hallo {vorname}",
        capture=django_capture_on_commit_callbacks,
    )
    send(
        event,
        acting_staff(),
        statuses=["waitlisted"],
        body="Nur Warteliste",
        capture=django_capture_on_commit_callbacks,
    )
    delivery = mailing.deliveries.get(registration=people["anna"])

    data = personal_data_export(user=people["anna"].user)

    assert data["mails_from_kok"] == [
        {
            "event": "Praxisfachtag Ausbeutung & Arbeit",
            "written_at": mailing.created.isoformat(),
            "subject": "Hinweise zu Praxisfachtag Ausbeutung & Arbeit",
            "text": "Hallo Anna",
            "state": "sent",
            "sent_at": delivery.finished_at.isoformat(),
        }
    ]
    json.dumps(data)
