import datetime as dt
import logging

import pytest
from django.contrib import admin as django_admin
from django.core import mail
from django.core.management import call_command
from django.urls import reverse
from django.utils import formats, timezone

from casework.feedback import errors, selectors, services
from casework.feedback.admin import QuestionnaireAdmin
from casework.feedback.models import FeedbackInvitation, FeedbackResponse, Questionnaire
from casework.feedback.tasks import send_feedback_mail
from participants.enums import RegistrationStatus as S
from tests.casework.feedback.factories import ended_event, tokens_in_outbox
from tests.factories import EventFactory, RegistrationFactory, UserFactory

pytestmark = pytest.mark.django_db


class BrokenBackend:
    """A mail backend whose server is down."""

    def __init__(self, *args, **kwargs):
        pass

    def send_messages(self, messages):
        raise ConnectionRefusedError("mail server down")


def _send(questionnaire, capture, **kwargs) -> int:
    with capture(execute=True):
        return services.invitations_send(questionnaire=questionnaire, **kwargs)


def test_invitations_go_to_confirmed_participants_when_attendance_was_not_recorded(
    questionnaire, django_capture_on_commit_callbacks
):
    event = questionnaire.event
    confirmed = RegistrationFactory(event=event, status=S.CONFIRMED, email="aylin.weber@example.org")
    for status in (S.PENDING, S.WAITLISTED, S.CANCELLED, S.REJECTED):
        RegistrationFactory(event=event, status=status)
    assert _send(questionnaire, django_capture_on_commit_callbacks) == 1
    assert [m.to for m in mail.outbox] == [["aylin.weber@example.org"]]
    invitation = FeedbackInvitation.objects.get()
    assert (invitation.registration, invitation.answered, invitation.reminded_at) == (confirmed, False, None)
    assert invitation.sent_at is not None


def test_invitations_go_only_to_attended_when_attendance_was_recorded(
    questionnaire, django_capture_on_commit_callbacks
):
    event = questionnaire.event
    attended = RegistrationFactory(event=event, status=S.ATTENDED, email="was.da@example.org")
    RegistrationFactory(event=event, status=S.CONFIRMED, email="nicht.da@example.org")
    assert _send(questionnaire, django_capture_on_commit_callbacks) == 1
    assert [m.to for m in mail.outbox] == [["was.da@example.org"]]
    assert list(FeedbackInvitation.objects.values_list("registration", flat=True)) == [attended.pk]


def test_invitations_skip_anonymised_registrations(questionnaire, django_capture_on_commit_callbacks):
    RegistrationFactory(event=questionnaire.event, status=S.ATTENDED, anonymised_at=timezone.now(), email="")
    assert _send(questionnaire, django_capture_on_commit_callbacks) == 0
    assert mail.outbox == []


def test_invitations_sent_twice_invite_nobody_twice(questionnaire, django_capture_on_commit_callbacks):
    RegistrationFactory.create_batch(3, event=questionnaire.event, status=S.ATTENDED)
    assert _send(questionnaire, django_capture_on_commit_callbacks) == 3
    assert _send(questionnaire, django_capture_on_commit_callbacks) == 0
    late = RegistrationFactory(event=questionnaire.event, status=S.ATTENDED)
    assert _send(questionnaire, django_capture_on_commit_callbacks) == 1
    assert FeedbackInvitation.objects.count() == 4
    assert len(mail.outbox) == 4
    assert mail.outbox[-1].to == [late.email]


def test_invitation_mail_has_personal_link_and_stores_only_its_hash(questionnaire, django_capture_on_commit_callbacks):
    RegistrationFactory(event=questionnaire.event, first_name="Aylin", last_name="Weber", status=S.ATTENDED)
    _send(questionnaire, django_capture_on_commit_callbacks)
    message = mail.outbox[0]
    assert (
        message.subject == "[KOK-Praxisfachtag] Ihre Rückmeldung zum Praxisfachtag: 3. Praxisfachtag von KOK und BAMF"
    )
    assert message.body.startswith("Guten Tag Aylin Weber,")
    closes = formats.date_format(questionnaire.event.date + dt.timedelta(days=21), "DATE_FORMAT")
    assert f"Sie können bis einschließlich {closes} antworten, einmal." in message.body.replace("\n", " ")
    [token] = tokens_in_outbox()
    assert f"http://127.0.0.1:8000/rueckmeldung/{token}/" in message.body
    html = message.alternatives[0][0]
    assert f'href="http://127.0.0.1:8000/rueckmeldung/{token}/"' in html
    invitation = FeedbackInvitation.objects.get()
    assert invitation.token_hash == services.hash_token(token)
    assert len(invitation.token_hash) == 64
    assert token not in invitation.token_hash


def test_invitation_mail_in_the_participants_language(questionnaire, django_capture_on_commit_callbacks):
    RegistrationFactory(event=questionnaire.event, status=S.ATTENDED, language="en")
    RegistrationFactory(event=questionnaire.event, status=S.ATTENDED, language="de")
    _send(questionnaire, django_capture_on_commit_callbacks)
    languages = sorted(m.alternatives[0][0].split('lang="')[1][:2] for m in mail.outbox)
    assert languages == ["de", "en"]


@pytest.mark.parametrize(
    ("event_kwargs", "error", "message"),
    [
        ({"days_ago": -3}, errors.FeedbackNotYetOpen, "Einladungen zur Rückmeldung werden erst nach dem Ende"),
        ({"days_ago": 30}, errors.FeedbackClosed, "Der Zeitraum für Rückmeldungen ist am"),
        ({"days_ago": 2, "status": "cancelled"}, errors.FeedbackClosed, "Zu abgesagten oder unveröffentlichten"),
        ({"days_ago": 2, "status": "draft"}, errors.FeedbackClosed, "Zu abgesagten oder unveröffentlichten"),
        ({"days_ago": -200, "status": "draft"}, errors.FeedbackClosed, "Zu abgesagten oder unveröffentlichten"),
    ],
)
def test_invitations_refused_outside_the_window(event_kwargs, error, message):
    days_ago = event_kwargs.pop("days_ago")
    if days_ago < 0:
        event = EventFactory(date=timezone.localdate() + dt.timedelta(days=-days_ago), **event_kwargs)
    else:
        event = ended_event(days_ago=days_ago, **event_kwargs)
    questionnaire = services.questionnaire_ensure_default(event=event)
    RegistrationFactory(event=event, status=S.CONFIRMED)
    with pytest.raises(error) as exc:
        services.invitations_send(questionnaire=questionnaire)
    assert str(exc.value.message).startswith(message)
    assert FeedbackInvitation.objects.count() == 0


def test_invitations_refused_on_the_event_day_before_it_ends():
    event = EventFactory(date=timezone.localdate())
    questionnaire = services.questionnaire_ensure_default(event=event)
    before_end = event.ends_at - dt.timedelta(minutes=1)
    with pytest.raises(errors.FeedbackNotYetOpen):
        services.invitations_send(questionnaire=questionnaire, now=before_end)
    RegistrationFactory(event=event)
    assert services.invitations_send(questionnaire=questionnaire, now=event.ends_at) == 1


def test_invitations_refused_without_questions(questionnaire):
    questionnaire.questions.all().delete()
    with pytest.raises(errors.NoQuestions):
        services.invitations_send(questionnaire=questionnaire)


def test_invitation_mail_failure_keeps_the_invitation_unsent_and_logs_no_address(
    questionnaire, settings, caplog, django_capture_on_commit_callbacks
):
    settings.EMAIL_BACKEND = "tests.casework.feedback.test_invitations.BrokenBackend"
    RegistrationFactory(event=questionnaire.event, status=S.ATTENDED, email="aylin.weber@example.org")
    with caplog.at_level(logging.INFO, logger="casework.feedback.tasks"):
        assert _send(questionnaire, django_capture_on_commit_callbacks) == 1
    invitation = FeedbackInvitation.objects.get()
    assert invitation.sent_at is None
    ours = [r for r in caplog.records if r.name == "casework.feedback.tasks"]
    assert [r.getMessage() for r in ours] == ["feedback mail failed (attempt 1 of 6)"]
    assert (ours[0].event_id, ours[0].kind) == (questionnaire.event_id, "invitation")
    assert "aylin.weber" not in caplog.text
    # Sent later (a retry): the invitation gets its time and a working link.
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    assert send_feedback_mail.call(invitation_id=invitation.pk, kind="invitation", attempt=2) is True
    invitation.refresh_from_db()
    assert invitation.sent_at is not None
    assert invitation.token_hash == services.hash_token(tokens_in_outbox()[0])


def test_invitation_mail_not_sent_when_answered_in_the_meantime(questionnaire):
    registration = RegistrationFactory(event=questionnaire.event, status=S.ATTENDED)
    invitation = FeedbackInvitation.objects.create(
        questionnaire=questionnaire, registration=registration, token_hash="x" * 64, answered=True
    )
    assert send_feedback_mail.call(invitation_id=invitation.pk, kind="reminder") is False
    assert mail.outbox == []


def _invited(questionnaire, days_ago: int, **fields) -> FeedbackInvitation:
    return FeedbackInvitation.objects.create(
        questionnaire=questionnaire,
        registration=RegistrationFactory(event=questionnaire.event, status=S.ATTENDED, user=UserFactory()),
        token_hash=services.hash_token(services.new_token()),
        sent_at=timezone.now() - dt.timedelta(days=days_ago),
        **fields,
    )


def test_reminders_go_once_to_those_who_have_not_answered_after_the_set_days(
    django_capture_on_commit_callbacks,
):
    event = ended_event(days_ago=9)
    questionnaire = services.questionnaire_ensure_default(event=event)
    due = _invited(questionnaire, days_ago=8)
    _invited(questionnaire, days_ago=8, answered=True)
    _invited(questionnaire, days_ago=6)  # invited later: not due yet
    _invited(questionnaire, days_ago=8, reminded_at=timezone.now() - dt.timedelta(days=1))
    with django_capture_on_commit_callbacks(execute=True):
        assert services.reminders_send(questionnaire=questionnaire) == 1
    assert [m.to for m in mail.outbox] == [[due.registration.email]]
    assert mail.outbox[0].subject.startswith("[KOK-Praxisfachtag] Erinnerung: Ihre Rückmeldung zum Praxisfachtag")
    assert "Der Link aus unserer ersten E-Mail gilt weiterhin, bis Sie geantwortet haben." in " ".join(
        mail.outbox[0].body.split()
    )
    with django_capture_on_commit_callbacks(execute=True):
        assert services.reminders_send(questionnaire=questionnaire) == 0
    assert len(mail.outbox) == 1


def test_reminder_carries_a_new_link_and_the_old_one_keeps_working_until_answered(
    client, django_capture_on_commit_callbacks
):
    event = ended_event(days_ago=9)
    questionnaire = services.questionnaire_ensure_default(event=event)
    RegistrationFactory(event=event, status=S.ATTENDED)
    with django_capture_on_commit_callbacks(execute=True):
        services.invitations_send(questionnaire=questionnaire, now=timezone.now() - dt.timedelta(days=8))
    FeedbackInvitation.objects.update(sent_at=timezone.now() - dt.timedelta(days=8))
    with django_capture_on_commit_callbacks(execute=True):
        services.reminders_send(questionnaire=questionnaire)
    first, second = tokens_in_outbox()
    assert first != second
    invitation = FeedbackInvitation.objects.get()
    # Only hashes are stored: the reminder's link is the current one, the invitation's link an earlier one (the
    # placeholder drawn before the first mail, which nobody received, is not kept).
    assert invitation.token_hash == services.hash_token(second)
    assert invitation.earlier_token_hashes == [services.hash_token(first)]
    # Both links open the questionnaire until the answer is given, with either of them.
    for token in (first, second):
        response = client.get(reverse("feedback:answer", kwargs={"token": token}))
        assert response.status_code == 200
        assert "Ihre Rückmeldung" in response.text
    overall = questionnaire.questions.get(key="overall").pk
    services.feedback_submit(token=first, answers={overall: 4})
    assert FeedbackInvitation.objects.get().answered is True
    for token in (first, second):
        with pytest.raises(errors.LinkUsed):
            services.feedback_submit(token=token, answers={overall: 5})
        response = client.get(reverse("feedback:answer", kwargs={"token": token}))
        assert response.status_code == errors.LinkUsed.status
        assert "Mit diesem Link wurde bereits eine Rückmeldung abgegeben." in response.text
    assert FeedbackResponse.objects.count() == 1


def test_reminder_mail_that_fails_keeps_the_links_as_they_were(settings, django_capture_on_commit_callbacks):
    event = ended_event(days_ago=9)
    questionnaire = services.questionnaire_ensure_default(event=event)
    invitation = _invited(questionnaire, days_ago=8)
    before = (invitation.token_hash, invitation.earlier_token_hashes)
    settings.EMAIL_BACKEND = "tests.casework.feedback.test_invitations.BrokenBackend"
    assert send_feedback_mail.call(invitation_id=invitation.pk, kind="reminder") is False
    invitation.refresh_from_db()
    assert (invitation.token_hash, invitation.earlier_token_hashes) == before
    assert invitation.reminded_at is None


def test_reminders_refused_after_the_window_closed():
    questionnaire = services.questionnaire_ensure_default(event=ended_event(days_ago=25))
    _invited(questionnaire, days_ago=20)
    with pytest.raises(errors.FeedbackClosed):
        services.reminders_send(questionnaire=questionnaire)
    assert FeedbackInvitation.objects.filter(reminded_at__isnull=False).count() == 0


def test_command_sends_invitations_and_due_reminders_for_open_windows(django_capture_on_commit_callbacks, capsys):
    open_event = ended_event(days_ago=10, slug="offen")
    closed_event = ended_event(days_ago=40, slug="vorbei")
    future_event = EventFactory(slug="kommt-noch")
    for event in (open_event, closed_event, future_event):
        services.questionnaire_ensure_default(event=event)
        RegistrationFactory.create_batch(2, event=event, status=S.ATTENDED)
    waiting = _invited(open_event.questionnaire, days_ago=8)
    with django_capture_on_commit_callbacks(execute=True):
        call_command("send_feedback_invitations")
    out = capsys.readouterr().out
    assert out.splitlines() == [
        "offen: 2 Einladungen, 1 Erinnerungen",
        "2 Einladungen und 1 Erinnerungen für 1 Veranstaltungen.",
    ]
    assert sorted(m.to[0] for m in mail.outbox) == sorted(
        [r.email for r in open_event.registrations.exclude(pk=waiting.registration_id)] + [waiting.registration.email]
    )
    with django_capture_on_commit_callbacks(execute=True):
        call_command("send_feedback_invitations")
    assert capsys.readouterr().out.splitlines()[0] == "offen: 0 Einladungen, 0 Erinnerungen"
    assert len(mail.outbox) == 3


def test_command_dry_run_and_event_option(django_capture_on_commit_callbacks, capsys):
    event = ended_event(days_ago=3, slug="offen")
    services.questionnaire_ensure_default(event=event)
    RegistrationFactory.create_batch(2, event=event, status=S.ATTENDED)
    with django_capture_on_commit_callbacks(execute=True):
        call_command("send_feedback_invitations", "--dry-run", "--event", "offen")
    assert capsys.readouterr().out.splitlines() == [
        "offen: 2 Einladungen, 0 Erinnerungen",
        "Probelauf: 2 Einladungen und 0 Erinnerungen für 1 Veranstaltungen.",
    ]
    assert (FeedbackInvitation.objects.count(), len(mail.outbox)) == (0, 0)


def test_command_unknown_event_is_an_error():
    from django.core.management import CommandError

    with pytest.raises(CommandError, match="Kein Fragebogen für: gibt-es-nicht"):
        call_command("send_feedback_invitations", "--event", "gibt-es-nicht")


def test_the_admin_names_the_window_of_a_future_draft_as_not_yet_begun():
    event = EventFactory(date=timezone.localdate() + dt.timedelta(days=200), status="draft")
    questionnaire = services.questionnaire_ensure_default(event=event)
    closes = formats.date_format(selectors.closes_on(questionnaire), "SHORT_DATE_FORMAT")
    label = QuestionnaireAdmin(Questionnaire, django_admin.site).window(questionnaire)
    assert label == f"nach der Veranstaltung, bis {closes}"
