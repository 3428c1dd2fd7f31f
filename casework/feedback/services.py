"""Writes for feedback: questionnaires with the default questions, invitations and reminders, answers, and
the selection of free texts for the documentation.

Every service runs in ``transaction.atomic()``, takes keyword-only arguments and raises a ``FeedbackError``
with a translatable message. Mails go out after commit, through a task that takes ids. Answers and free
texts are never logged and never put into exception messages.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
import uuid
from collections.abc import Iterable, Mapping

from django.db import transaction
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from casework.feedback.enums import QuestionKind
from casework.feedback.models import Answer, FeedbackInvitation, FeedbackResponse, Question, Questionnaire
from events.enums import EventStatus
from events.models import Event

from . import errors, permissions, selectors
from .defaults import default_questions
from .enums import FeedbackWindow
from .tasks import enqueue_feedback_mail

K = QuestionKind
TEXT_MAX_LENGTH = 5000


def new_token() -> str:
    """A random token for a personal link (256 bits, URL-safe)."""
    return secrets.token_urlsafe(32)


def hash_token(token: str) -> str:
    """What is stored instead of the token: its SHA-256 hash (hex)."""
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


# --- questionnaires -------------------------------------------------------------------------------------------


def _add_default_questions(questionnaire: Questionnaire) -> list[Question]:
    existing = set(questionnaire.questions.values_list("key", flat=True))
    return Question.objects.bulk_create(
        Question(
            questionnaire=questionnaire,
            key=spec.key,
            position=(index + 1) * 10,
            kind=spec.kind,
            text=spec.text,
            text_en=spec.text_en,
            choices=list(spec.choices),
            required=spec.required,
            scale=spec.scale,
        )
        for index, spec in enumerate(default_questions(virtual=questionnaire.event.is_virtual))
        if spec.key not in existing
    )


@transaction.atomic
def questionnaire_ensure_default(*, event: Event) -> Questionnaire:
    """The event's questionnaire; created with the default questions when the event has none yet.

    An existing questionnaire is left as staff edited it (a default question they deleted stays deleted)."""
    questionnaire, created = Questionnaire.objects.get_or_create(event=event)
    if created:
        _add_default_questions(questionnaire)
    return questionnaire


@transaction.atomic
def questionnaire_add_default_questions(*, questionnaire: Questionnaire) -> list[Question]:
    """Add the default questions whose key the questionnaire does not have yet."""
    return _add_default_questions(questionnaire)


# --- invitations and reminders --------------------------------------------------------------------------------


def _lock_questionnaire(questionnaire_id: int) -> Questionnaire:
    return Questionnaire.objects.select_for_update(of=("self",)).select_related("event").get(pk=questionnaire_id)


def _require_sendable(questionnaire: Questionnaire, now: dt.datetime) -> None:
    if questionnaire.event.status != EventStatus.PUBLISHED:
        raise errors.FeedbackClosed(
            _("Zu abgesagten oder unveröffentlichten Veranstaltungen gibt es keine Rückmeldungen.")
        )
    state = selectors.window_state(questionnaire, now)
    if state == FeedbackWindow.NOT_YET:
        raise errors.FeedbackNotYetOpen(
            _("Einladungen zur Rückmeldung werden erst nach dem Ende der Veranstaltung verschickt.")
        )
    if state == FeedbackWindow.CLOSED:
        raise errors.FeedbackClosed(
            _("Der Zeitraum für Rückmeldungen ist am %(date)s abgelaufen.")
            % {"date": formats.date_format(selectors.closes_on(questionnaire), "DATE_FORMAT")}
        )
    if not questionnaire.questions.exists():
        raise errors.NoQuestions()


def _mail_after_commit(invitation_ids: list[int], kind: str) -> None:
    def enqueue() -> None:
        for invitation_id in invitation_ids:
            enqueue_feedback_mail(invitation_id=invitation_id, kind=kind)

    if invitation_ids:
        transaction.on_commit(enqueue)


def invitations_send(*, questionnaire: Questionnaire, now: dt.datetime | None = None) -> int:
    """Invite everyone who took part and has no invitation yet; returns how many were invited.

    The questionnaire row is locked, so two runs at the same time (the daily command and an admin action)
    cannot invite anyone twice. Each invitation gets the hash of a random token that is never sent; the mail
    task draws the token for the link it sends."""
    now = now or timezone.now()
    with transaction.atomic():
        questionnaire = _lock_questionnaire(questionnaire.pk)
        _require_sendable(questionnaire, now)
        registrations = selectors.invitation_recipients(questionnaire.event).filter(feedback_invitation__isnull=True)
        invitations = FeedbackInvitation.objects.bulk_create(
            FeedbackInvitation(
                questionnaire=questionnaire, registration=registration, token_hash=hash_token(new_token())
            )
            for registration in registrations.order_by("pk")
        )
        _mail_after_commit([i.pk for i in invitations], "invitation")
    return len(invitations)


def reminders_send(*, questionnaire: Questionnaire, now: dt.datetime | None = None) -> int:
    """Remind, once, those invited at least ``reminder_after_days`` ago who have not answered yet."""
    now = now or timezone.now()
    with transaction.atomic():
        questionnaire = _lock_questionnaire(questionnaire.pk)
        _require_sendable(questionnaire, now)
        due = selectors.reminders_due(questionnaire, now)
        ids = list(due.order_by("pk").values_list("pk", flat=True))
        # Claimed here, so a second run before the task has sent the mail does not remind twice.
        FeedbackInvitation.objects.filter(pk__in=ids).update(reminded_at=now)
        _mail_after_commit(ids, "reminder")
    return len(ids)


# --- answers --------------------------------------------------------------------------------------------------


def _clean_value(question: Question, value):
    """The stored fields for one answer, or None when the question was left out; raises InvalidAnswers."""
    if value is None or (isinstance(value, str) and not value.strip()):
        if question.required:
            raise errors.InvalidAnswers(
                _("Bitte beantworten Sie die Pflichtfrage „%(question)s“.") % {"question": question.display_text}
            )
        return None
    if question.kind == K.RATING:
        if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= 5:
            raise errors.InvalidAnswers(
                _("Bitte bewerten Sie „%(question)s“ mit einem Wert von 1 bis 5.") % {"question": question.display_text}
            )
        return {"rating": value}
    if question.kind == K.YES_NO:
        if not isinstance(value, bool):
            raise errors.InvalidAnswers(
                _("Bitte antworten Sie auf „%(question)s“ mit Ja oder Nein.") % {"question": question.display_text}
            )
        return {"yes_no": value}
    if question.kind == K.SINGLE_CHOICE:
        if not isinstance(value, str) or value not in (question.choices or []):
            raise errors.InvalidAnswers(
                _("Bitte wählen Sie bei „%(question)s“ eine der angebotenen Antworten.")
                % {"question": question.display_text}
            )
        return {"choice": value}
    if not isinstance(value, str):
        raise errors.InvalidAnswers()
    text = value.replace("\r\n", "\n").strip()
    if len(text) > TEXT_MAX_LENGTH:
        raise errors.InvalidAnswers(
            _("Ihre Antwort auf „%(question)s“ ist zu lang (höchstens %(max)d Zeichen).")
            % {"question": question.display_text, "max": TEXT_MAX_LENGTH}
        )
    return {"text": text}


def validated_answers(questions: Iterable[Question], answers: Mapping[int, object]) -> list[tuple[Question, dict]]:
    """Check ``answers`` (question id -> value) against the questionnaire's questions."""
    questions = list(questions)
    if set(answers) - {q.pk for q in questions}:
        raise errors.InvalidAnswers()
    cleaned = []
    for question in questions:
        fields = _clean_value(question, answers.get(question.pk))
        if fields is not None:
            cleaned.append((question, fields))
    if not cleaned:
        raise errors.InvalidAnswers(_("Bitte beantworten Sie mindestens eine Frage."))
    return cleaned


def feedback_submit(*, token: str, answers: Mapping[int, object], now: dt.datetime | None = None) -> FeedbackResponse:
    """Store one anonymous set of answers for the personal link ``token`` (of any mail sent to the person), once.

    The invitation row is locked, so a double click or two open tabs cannot answer twice: the second waits,
    then finds the invitation answered. The response gets a random id and only today's date; nothing in it
    points back to the invitation."""
    now = now or timezone.now()
    with transaction.atomic():
        invitation = (
            FeedbackInvitation.objects.select_for_update().filter(selectors.link_filter(hash_token(token))).first()
        )
        if invitation is None:
            raise errors.InvalidLink()
        if invitation.answered:
            raise errors.LinkUsed()
        questionnaire = Questionnaire.objects.select_related("event").get(pk=invitation.questionnaire_id)
        selectors.require_window_open(questionnaire, now)
        cleaned = validated_answers(questionnaire.questions.all(), answers)
        response = FeedbackResponse.objects.create(
            id=uuid.uuid4(), questionnaire=questionnaire, submitted_on=timezone.localdate(now)
        )
        Answer.objects.bulk_create(
            Answer(response=response, question=question, **fields) for question, fields in cleaned
        )
        invitation.answered = True
        invitation.save(update_fields=["answered"])
    return response


# --- results --------------------------------------------------------------------------------------------------


@transaction.atomic
def free_texts_select_for_documentation(*, questionnaire: Questionnaire, selected_ids: Iterable[uuid.UUID], by) -> int:
    """Mark exactly ``selected_ids`` among the questionnaire's free texts for the PDF documentation."""
    if not permissions.may_see_all_texts(by):
        raise errors.NotAllowed()
    texts = Answer.objects.filter(response__questionnaire=questionnaire, question__kind=K.TEXT).exclude(text="")
    selected = set(selected_ids)
    if selected - set(texts.filter(pk__in=selected).values_list("pk", flat=True)):
        raise errors.InvalidAnswers(_("Die Auswahl passt nicht zu diesem Fragebogen. Bitte laden Sie die Seite neu."))
    texts.filter(pk__in=selected).update(selected_for_documentation=True)
    texts.exclude(pk__in=selected).update(selected_for_documentation=False)
    return len(selected)
