"""Reads for feedback: the feedback window, recipients, the answer page and the results page.

Every selector runs a fixed number of queries, whatever the number of questions, answers or earlier events.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db.models import Avg, Count, IntegerField, OuterRef, Q, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce
from django.http import Http404
from django.utils import timezone
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from casework.feedback.enums import FeedbackWindow, QuestionKind, RatingScale
from casework.feedback.models import Answer, FeedbackInvitation, FeedbackResponse, Question, Questionnaire
from events.enums import EventStatus
from kokportal.charts import Bar, horizontal_bar_chart
from kokportal.formatting import format_decimal, format_percent
from participants.enums import RegistrationStatus
from participants.models import Registration

from . import errors

K = QuestionKind

# Below this many answers a question's distribution and mean are not shown: with one or two answers they
# would reveal what a single person answered.
MIN_ANSWERS = 3
# How many earlier events of the series the results page compares with.
COMPARE_EVENTS = 4

RATING_VALUES = (1, 2, 3, 4, 5)
# Width of the charts on the results page: drawn at this size on wide screens, scaled down on phones (where a
# wider drawing would shrink its texts below a readable size).
CHART_WIDTH = 440


# --- the feedback window ------------------------------------------------------------------------------------


def closes_on(questionnaire: Questionnaire) -> dt.date:
    """The last day on which answers are accepted."""
    return questionnaire.event.date + dt.timedelta(days=questionnaire.open_days)


def window_state(questionnaire: Questionnaire, now: dt.datetime | None = None) -> FeedbackWindow:
    """Not yet before the event has ended (a draft too: it may still be published), open until ``closes_on``,
    then closed; closed for cancelled events and for drafts whose day has passed."""
    now = now or timezone.now()
    event = questionnaire.event
    if event.status == EventStatus.DRAFT and now < event.ends_at:
        return FeedbackWindow.NOT_YET
    if event.status != EventStatus.PUBLISHED:
        return FeedbackWindow.CLOSED
    if now < event.ends_at:
        return FeedbackWindow.NOT_YET
    if timezone.localdate(now) > closes_on(questionnaire):
        return FeedbackWindow.CLOSED
    return FeedbackWindow.OPEN


def require_window_open(questionnaire: Questionnaire, now: dt.datetime | None = None) -> None:
    state = window_state(questionnaire, now)
    if state == FeedbackWindow.NOT_YET:
        raise errors.FeedbackNotYetOpen()
    if state == FeedbackWindow.CLOSED:
        raise errors.FeedbackClosed()


def questionnaires_in_window(*, now: dt.datetime | None = None, slugs: Iterable[str] = ()) -> list[Questionnaire]:
    """Questionnaires of published events whose feedback window is open now (for the daily command)."""
    now = now or timezone.now()
    queryset = Questionnaire.objects.select_related("event").filter(
        event__status=EventStatus.PUBLISHED, event__date__lte=timezone.localdate(now)
    )
    slugs = list(slugs)
    if slugs:
        queryset = queryset.filter(event__slug__in=slugs)
    return [q for q in queryset.order_by("event__date", "pk") if window_state(q, now) == FeedbackWindow.OPEN]


# --- invitations ----------------------------------------------------------------------------------------------


def invitation_recipients(event) -> QuerySet[Registration]:
    """Who is invited to give feedback: the people who attended, if attendance was recorded for the event,
    otherwise everyone confirmed. Anonymised registrations have no address and are left out."""
    registrations = Registration.objects.filter(event=event, anonymised_at__isnull=True).exclude(email="")
    if registrations.filter(status=RegistrationStatus.ATTENDED).exists():
        return registrations.filter(status=RegistrationStatus.ATTENDED)
    return registrations.filter(status=RegistrationStatus.CONFIRMED)


def reminders_due(questionnaire: Questionnaire, now: dt.datetime | None = None) -> QuerySet[FeedbackInvitation]:
    """Invitations sent at least ``reminder_after_days`` ago, not answered and not reminded yet."""
    now = now or timezone.now()
    return questionnaire.invitations.filter(
        answered=False,
        reminded_at__isnull=True,
        sent_at__isnull=False,
        sent_at__lte=now - dt.timedelta(days=questionnaire.reminder_after_days),
    )


# --- the answer page ------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class AnswerPage:
    questionnaire: Questionnaire
    questions: list[Question]

    @property
    def event(self):
        return self.questionnaire.event

    @property
    def closes_on(self) -> dt.date:
        return closes_on(self.questionnaire)


def link_filter(token_hash: str) -> Q:
    """The invitation a personal link belongs to: the link of the latest mail or of an earlier one (a reminder
    does not invalidate the invitation's link; every link works until the answer is given)."""
    return Q(token_hash=token_hash) | Q(earlier_token_hashes__contains=[token_hash])


def answer_page(*, token_hash: str, now: dt.datetime | None = None) -> AnswerPage:
    """What the personal link shows; raises a ``FeedbackError`` for an unknown or used link or a closed
    window. Two queries."""
    invitation = (
        FeedbackInvitation.objects.select_related("questionnaire__event").filter(link_filter(token_hash)).first()
    )
    if invitation is None:
        raise errors.InvalidLink()
    if invitation.answered:
        raise errors.LinkUsed()
    questionnaire = invitation.questionnaire
    require_window_open(questionnaire, now)
    return AnswerPage(questionnaire=questionnaire, questions=list(questionnaire.questions.order_by("position", "id")))


# --- results --------------------------------------------------------------------------------------------------


def _count_subquery(queryset: QuerySet) -> Coalesce:
    counted = queryset.order_by().values("questionnaire_id").annotate(n=Count("pk")).values("n")
    return Coalesce(Subquery(counted, output_field=IntegerField()), Value(0))


def _with_counts(queryset: QuerySet[Questionnaire]) -> QuerySet[Questionnaire]:
    invitations = FeedbackInvitation.objects.filter(questionnaire=OuterRef("pk"))
    return queryset.select_related("event").annotate(
        n_invited=_count_subquery(invitations),
        n_answered=_count_subquery(invitations.filter(answered=True)),
        n_responses=_count_subquery(FeedbackResponse.objects.filter(questionnaire=OuterRef("pk"))),
    )


def questionnaire_for_results(*, slug: str) -> Questionnaire:
    """The questionnaire of the event ``slug`` with its event and the invited / answered / response counts,
    in one query; Http404 when the event or its questionnaire does not exist."""
    questionnaire = _with_counts(Questionnaire.objects.filter(event__slug=slug)).first()
    if questionnaire is None:
        raise Http404
    return questionnaire


def documentation_results(*, event) -> FeedbackResults | None:
    """The results as the documentation PDF shows them: the texts staff selected, no comparison; None when the
    event has no questionnaire. Four queries."""
    questionnaire = _with_counts(Questionnaire.objects.filter(event=event)).first()
    if questionnaire is None:
        return None
    return feedback_results(questionnaire=questionnaire, all_texts=False, with_comparison=False)


# What 1 and 5 stand for, per scale: the labels follow the wording of the question.
SCALE_ENDS = {
    RatingScale.QUALITY: (gettext_lazy("sehr schlecht"), gettext_lazy("sehr gut")),
    RatingScale.HELPFULNESS: (gettext_lazy("gar nicht hilfreich"), gettext_lazy("sehr hilfreich")),
    RatingScale.VALUE: (gettext_lazy("gar nicht wertvoll"), gettext_lazy("sehr wertvoll")),
    RatingScale.SATISFACTION: (gettext_lazy("sehr unzufrieden"), gettext_lazy("sehr zufrieden")),
    RatingScale.SUITABILITY: (gettext_lazy("gar nicht geeignet"), gettext_lazy("sehr gut geeignet")),
    RatingScale.AGREEMENT: (gettext_lazy("trifft gar nicht zu"), gettext_lazy("trifft voll zu")),
}


def scale_ends(scale: str) -> tuple[str, str]:
    """The labels of 1 and 5 on ``scale`` (unknown scales: the quality scale)."""
    low, high = SCALE_ENDS.get(scale, SCALE_ENDS[RatingScale.QUALITY])
    return str(low), str(high)


def rating_label(value: int, scale: str = RatingScale.QUALITY) -> str:
    """ "1 – gar nicht hilfreich", "2", …, "5 – sehr hilfreich": the ends of the scale named, the rest by number."""
    low, high = scale_ends(scale)
    labels = {1: low, 5: high}
    return f"{value} – {labels[value]}" if value in labels else str(value)


def percent(part: int, whole: int) -> str:
    return format_percent(part, whole)


@dataclass
class QuestionResult:
    """What the answers to one question add up to."""

    question: Question
    count: int = 0
    rating_counts: dict[int, int] = field(default_factory=dict)
    rating_sum: int = 0
    yes: int = 0
    no: int = 0
    choice_counts: dict[str, int] = field(default_factory=dict)
    texts: list[Answer] = field(default_factory=list)

    @property
    def kind(self) -> str:
        return self.question.kind

    @property
    def hidden(self) -> bool:
        """Too few answers to show a distribution or a mean without revealing single answers."""
        return self.kind != K.TEXT and self.count < MIN_ANSWERS

    @property
    def mean(self) -> float | None:
        if self.kind != K.RATING or self.hidden or not self.count:
            return None
        return self.rating_sum / self.count

    @property
    def scale_ends(self) -> tuple[str, str]:
        return scale_ends(self.question.scale)

    @property
    def mean_display(self) -> str:
        """The mean with one decimal, rounded by the portal's one rule (kokportal.formatting)."""
        return format_decimal(self.mean, 1) if self.mean is not None else ""

    @property
    def yes_share(self) -> str:
        return percent(self.yes, self.count)

    @property
    def no_share(self) -> str:
        return percent(self.no, self.count)

    @property
    def distribution(self) -> list[tuple[str, int, str]]:
        """(label, number of answers, share) per possible answer; empty while ``hidden``."""
        if self.hidden:
            return []
        if self.kind == K.RATING:
            rows = [(rating_label(v, self.question.scale), self.rating_counts.get(v, 0)) for v in RATING_VALUES]
        elif self.kind == K.YES_NO:
            rows = [(_("ja"), self.yes), (_("nein"), self.no)]
        elif self.kind == K.SINGLE_CHOICE:
            choices = list(self.question.choices or [])
            # Answers to a choice staff have since removed still count, after the current choices.
            choices += sorted(c for c in self.choice_counts if c not in choices)
            rows = [(choice, self.choice_counts.get(choice, 0)) for choice in choices]
        else:
            return []
        return [(label, n, percent(n, self.count)) for label, n in rows]

    @property
    def chart(self) -> SafeString | None:
        rows = self.distribution
        if not rows:
            return None
        return horizontal_bar_chart(
            [Bar(label=label, value=n, display=f"{n} ({share})") for label, n, share in rows],
            title=_("Verteilung der Antworten: %(question)s") % {"question": self.question.display_text},
            width=CHART_WIDTH,
        )


@dataclass(frozen=True)
class ComparisonColumn:
    event_id: int
    title: str
    date: dt.date
    is_current: bool = False


@dataclass(frozen=True)
class ComparisonCell:
    kind: str
    count: int
    value: float | None  # mean (rating) or share of "yes" in percent (yes / no); None below MIN_ANSWERS
    # The event asked a question with this key in other words (or on another scale): not compared.
    asked_differently: bool = False

    @property
    def display(self) -> str:
        if self.asked_differently:
            return _("anders gefragt")
        if self.value is None:
            return "–"
        if self.kind == K.RATING:
            return format_decimal(self.value, 1)
        return f"{format_decimal(self.value, 0)} %"


@dataclass(frozen=True)
class ComparisonRow:
    question: Question
    cells: list[ComparisonCell | None]  # one per column; None: no answers to this key at that event

    @property
    def unit(self) -> str:
        if self.question.kind == K.RATING:
            low, high = scale_ends(self.question.scale)
            return _("Mittelwert; 1 = %(low)s, 5 = %(high)s") % {"low": low, "high": high}
        return _("Anteil „ja“")


def wording(text: str) -> str:
    """A question's German wording as the comparison sees it: case and spacing do not count."""
    return " ".join(text.split()).casefold()


def comparable_as(*, key: str, kind: str, scale: str, text: str) -> tuple[str, str, str, str]:
    """What makes two events' questions comparable: the same key, kind, scale (for ratings) and German wording. A
    shared key alone is not enough: "Wie gut hat sich das Präsenzformat …?" and "… das virtuelle Format …?" share
    the key "format" but ask different things. Questions with equal values are compared (here and in the report
    across events, events.documents.report)."""
    return (key, kind, scale if kind == K.RATING else "", wording(text))


def _same_question(question: Question, row: dict) -> bool:
    """Whether an earlier event's question (a comparison row) asked the same as ``question`` (``comparable_as``)."""
    return comparable_as(
        key=question.key, kind=row["question__kind"], scale=row["question__scale"], text=row["question__text"]
    ) == comparable_as(key=question.key, kind=question.kind, scale=question.scale, text=question.text)


@dataclass(frozen=True)
class FeedbackResults:
    questionnaire: Questionnaire
    questions: list[QuestionResult]
    comparison_columns: list[ComparisonColumn]
    comparison_rows: list[ComparisonRow]
    all_texts: bool

    @property
    def event(self):
        return self.questionnaire.event

    @property
    def invited(self) -> int:
        return getattr(self.questionnaire, "n_invited", 0)

    @property
    def answered(self) -> int:
        return getattr(self.questionnaire, "n_answered", 0)

    @property
    def responses(self) -> int:
        return getattr(self.questionnaire, "n_responses", 0)

    @property
    def response_rate(self) -> str:
        """Anonymous responses per invitation (page, CSV and PDF alike)."""
        return percent(self.responses, self.invited)

    @property
    def closes_on(self) -> dt.date:
        return closes_on(self.questionnaire)

    @property
    def window_state(self) -> FeedbackWindow:
        return window_state(self.questionnaire)

    @property
    def has_texts(self) -> bool:
        return any(r.texts for r in self.questions)


def _comparison(questionnaire: Questionnaire, questions: list[Question], current: dict[int, QuestionResult]):
    """Compare rating and yes / no questions with the series' most recent earlier events: by key, and only where
    the earlier event asked the same question (``_same_question``); otherwise the cell says it was asked
    differently. One query."""
    comparable = [q for q in questions if q.kind in (K.RATING, K.YES_NO)]
    if not comparable:
        return [], []
    event = questionnaire.event
    rows = (
        Answer.objects.filter(
            question__questionnaire__event__date__lt=event.date,
            question__questionnaire__event__status=EventStatus.PUBLISHED,
            question__key__in=[q.key for q in comparable],
            question__kind__in=[K.RATING, K.YES_NO],
        )
        .values(
            "question__questionnaire__event_id",
            "question__questionnaire__event__title",
            "question__questionnaire__event__date",
            "question__key",
            "question__kind",
            "question__scale",
            "question__text",
        )
        .annotate(
            n=Count("pk", filter=Q(rating__isnull=False) | Q(yes_no__isnull=False)),
            mean=Avg("rating"),
            n_yes=Count("pk", filter=Q(yes_no=True)),
        )
        .order_by()
    )
    events: dict[int, ComparisonColumn] = {}
    values: dict[tuple[int, str], dict] = {}  # (event, key) -> its answers (a questionnaire has one question a key)
    for row in rows:
        event_id = row["question__questionnaire__event_id"]
        events[event_id] = ComparisonColumn(
            event_id=event_id,
            title=row["question__questionnaire__event__title"],
            date=row["question__questionnaire__event__date"],
        )
        values[(event_id, row["question__key"])] = row
    earlier = sorted(events.values(), key=lambda c: (c.date, c.event_id))[-COMPARE_EVENTS:]
    columns = [*earlier, ComparisonColumn(event_id=event.pk, title=event.title, date=event.date, is_current=True)]

    def cell(row: dict | None, kind: str) -> ComparisonCell | None:
        if row is None:
            return None
        n = row["n"]
        if n < MIN_ANSWERS:
            return ComparisonCell(kind=kind, count=n, value=None)
        if kind == K.RATING:
            return ComparisonCell(kind=kind, count=n, value=row["mean"])
        return ComparisonCell(kind=kind, count=n, value=100 * row["n_yes"] / n)

    def earlier_cell(question: Question, row: dict | None) -> ComparisonCell | None:
        if row is not None and not _same_question(question, row):
            return ComparisonCell(kind=question.kind, count=row["n"], value=None, asked_differently=True)
        return cell(row, question.kind)

    result_rows = []
    for question in comparable:
        cells = [earlier_cell(question, values.get((c.event_id, question.key))) for c in earlier]
        mine = current[question.pk]
        mean = mine.rating_sum / mine.count if mine.count else None
        cells.append(cell({"n": mine.count, "mean": mean, "n_yes": mine.yes}, question.kind))
        result_rows.append(ComparisonRow(question=question, cells=cells))
    return (columns if earlier else []), (result_rows if earlier else [])


def feedback_results(*, questionnaire: Questionnaire, all_texts: bool, with_comparison: bool = True) -> FeedbackResults:
    """Per question: count, mean, distribution, yes / no shares, free texts; and the comparison with earlier
    events. The one computation of the figures, for the results page, the CSV and the documentation PDF.
    ``all_texts``: staff see every free text; the event's team and the PDF only those selected for the
    documentation. Four queries (questions, counted answers, free texts, comparison; three without it)."""
    questions = list(questionnaire.questions.order_by("position", "id"))
    results = {q.pk: QuestionResult(question=q) for q in questions}
    counted = (
        Answer.objects.filter(question__questionnaire=questionnaire)
        .values("question_id", "rating", "yes_no", "choice")
        .annotate(n=Count("pk"))
        .order_by()
    )
    for row in counted:
        result = results[row["question_id"]]
        n = row["n"]
        if result.kind == K.RATING and row["rating"] is not None:
            result.rating_counts[row["rating"]] = result.rating_counts.get(row["rating"], 0) + n
            result.rating_sum += row["rating"] * n
        elif result.kind == K.YES_NO and row["yes_no"] is not None:
            if row["yes_no"]:
                result.yes += n
            else:
                result.no += n
        elif result.kind == K.SINGLE_CHOICE and row["choice"]:
            result.choice_counts[row["choice"]] = result.choice_counts.get(row["choice"], 0) + n
        elif result.kind != K.TEXT:
            continue
        result.count += n
    texts = (
        Answer.objects.filter(question__questionnaire=questionnaire, question__kind=K.TEXT)
        .exclude(text="")
        .only("id", "question_id", "text", "selected_for_documentation")
    )
    if not all_texts:
        texts = texts.filter(selected_for_documentation=True)
    by_question: dict[int, list[Answer]] = defaultdict(list)
    for answer in texts:
        by_question[answer.question_id].append(answer)
    for question_id, answers in by_question.items():
        # Sorted by their text, not by response: the free texts of one person must not line up across questions.
        answers.sort(key=lambda a: (a.text.casefold(), str(a.pk)))
        results[question_id].texts = answers
    columns, comparison_rows = _comparison(questionnaire, questions, results) if with_comparison else ([], [])
    return FeedbackResults(
        questionnaire=questionnaire,
        questions=[results[q.pk] for q in questions],
        comparison_columns=columns,
        comparison_rows=comparison_rows,
        all_texts=all_texts,
    )


def personal_data_of(user) -> list[dict]:
    """For the person's data export (participants.privacy): the events they were invited to give feedback on and
    whether they answered. The answers themselves carry no link to a person, so they cannot be part of it."""
    invitations = FeedbackInvitation.objects.filter(registration__user=user).select_related("questionnaire__event")
    return [
        {
            "event": invitation.questionnaire.event.title,
            "invited": invitation.sent_at is not None,
            "answered": invitation.answered,
        }
        for invitation in invitations.order_by("questionnaire__event__date")
    ]


# --- the staff's start page in the admin ----------------------------------------------------------------------

# A feedback window closing within this many days is marked on the admin's start page.
CLOSING_SOON_DAYS = 7


def open_feedback_windows(*, now: dt.datetime | None = None) -> list[Questionnaire]:
    """Questionnaires whose window is open now (``window_state``), the one closing first first, with their event
    and the counts ``n_invited``, ``n_answered`` and ``n_responses``. One query (windows last at most a year)."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    queryset = _with_counts(
        Questionnaire.objects.filter(
            event__status=EventStatus.PUBLISHED,
            event__date__lte=today,
            event__date__gte=today - dt.timedelta(days=366),
        )
    )
    questionnaires = [q for q in queryset if window_state(q, now) == FeedbackWindow.OPEN]
    return sorted(questionnaires, key=lambda q: (closes_on(q), q.pk))
