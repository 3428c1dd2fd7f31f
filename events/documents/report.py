"""The report across events for funders and the office: events, registrations and attendance by organisation type,
federal state, format and presence mode, feedback trends per question and the outcomes, for a period, a project
and one or more formats; as the admin page (with charts), a PDF and an XLSX.

``series_report`` reads everything in three queries whatever the number of events: the events with their counts,
the registrations counted per organisation type, federal state, format, presence mode and status, and the rating
answers counted and averaged per event and question. It reads no personal field.

Small groups: the report is handed to funders, so no figure by organisation type or federal state stands for fewer
than ``REVIEW_MIN_GROUP`` people (participants.selectors, the rule of the public review). Such rows are combined
into "further" (and, while that combined row is still small, the next smallest rows join it), so nothing can be
worked out by subtraction either. Totals per event are shown as they are.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from django.db.models import Avg, Count, Q
from django.utils import timezone, translation
from django.utils.text import Truncator
from django.utils.translation import gettext as _

from casework.feedback.enums import QuestionKind
from casework.feedback.models import Answer
from casework.feedback.selectors import MIN_ANSWERS, comparable_as, scale_ends
from events.enums import EventKind, EventReach, EventStatus, PresenceMode
from events.models import Event, Project
from events.selectors import project_logo_data_uri
from kokportal.charts import Bar, horizontal_bar_chart
from kokportal.exports import Sheet, xlsx_workbook_bytes
from kokportal.federal_states import FederalState
from kokportal.formatting import format_date_span, format_decimal
from participants.enums import RegistrationStatus
from participants.models import Registration
from participants.selectors import REVIEW_MIN_GROUP

from .rendering import DOCUMENTATION_CSS, FONT_FAMILY, Pdf, render_html, render_pdf

# The longest period a report may span (the form refuses longer ones).
MAX_YEARS = 20
S = RegistrationStatus


# --- the figures --------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ReportEvent:
    """One event of the report with its registrations counted (anonymised ones too: retention blanks names, not
    figures)."""

    pk: int
    title: str
    date: dt.date
    end_date: dt.date | None
    kind: str
    presence: str
    reach: str
    federal_state: str
    project_title: str
    is_example: bool
    outcomes: str
    registered: int  # every registration received, also cancelled, rejected or waitlisted ones
    participating: int  # confirmed and attended
    attended: int
    cancelled: int
    waitlisted: int

    @property
    def dates_display(self) -> str:
        return format_date_span(self.date, self.end_date)

    @property
    def kind_display(self) -> str:
        return str(EventKind(self.kind).label) if self.kind in EventKind.values else self.kind

    @property
    def presence_display(self) -> str:
        return str(PresenceMode(self.presence).label) if self.presence in PresenceMode.values else self.presence

    @property
    def reach_display(self) -> str:
        return str(EventReach(self.reach).label) if self.reach in EventReach.values else self.reach

    @property
    def state_display(self) -> str:
        return str(FederalState(self.federal_state).label) if self.federal_state in FederalState.values else "–"


@dataclass(frozen=True)
class FigureRow:
    """Registered / participating (confirmed and attended) / attended for one group; ``events`` where the group is
    a set of events (a format, a presence mode)."""

    label: str
    registered: int = 0
    participating: int = 0
    attended: int = 0
    events: int | None = None

    @property
    def figures(self) -> tuple[int, int, int]:
        return (self.registered, self.participating, self.attended)

    @property
    def is_small(self) -> bool:
        """A figure stands for fewer than REVIEW_MIN_GROUP people (but not none)."""
        return any(0 < n < REVIEW_MIN_GROUP for n in self.figures)


@dataclass(frozen=True)
class ProtectedTable:
    """Rows by organisation type or federal state with the small groups combined (see the module)."""

    rows: list[FigureRow]  # every figure 0 or at least REVIEW_MIN_GROUP; the combined row last
    combined: list[str] = field(default_factory=list)  # labels combined into the last row
    total: FigureRow = field(default_factory=lambda: FigureRow(label=""))
    too_small: bool = False  # even all together below the minimum: no rows at all


@dataclass(frozen=True)
class TrendPoint:
    event_id: int
    title: str
    date: dt.date
    count: int
    mean: float | None  # None below MIN_ANSWERS answers
    raw_mean: float = 0.0  # the mean whatever the count: only for sums over several events (``Trend.by_year``)

    @property
    def mean_display(self) -> str:
        return format_decimal(self.mean, 1) if self.mean is not None else "–"


@dataclass(frozen=True)
class YearPoint:
    """A trend summed up for one year: every answer of the year's events that asked the question alike."""

    year: int
    events: int
    count: int
    mean: float | None  # None below MIN_ANSWERS answers

    @property
    def mean_display(self) -> str:
        return format_decimal(self.mean, 1) if self.mean is not None else "–"


# The PDF shows a trend per event up to this many events, per year beyond (the page and the XLSX: always per event).
PDF_TREND_EVENTS = 24


@dataclass(frozen=True)
class Trend:
    """The mean rating of one question per event, over time: only events that asked it in the same words on the
    same scale (``casework.feedback.selectors.comparable_as``)."""

    key: str
    text: str
    scale: str
    points: list[TrendPoint]
    other_wordings: bool  # the key was asked in other words at other events of the report: a trend of its own

    @property
    def scale_ends(self) -> tuple[str, str]:
        return scale_ends(self.scale)

    @property
    def by_year(self) -> list[YearPoint]:
        """The answers of each year's events together (from each event's count and mean; events with fewer than
        MIN_ANSWERS answers count too, a year's mean needs MIN_ANSWERS answers in all)."""
        years: dict[int, list[TrendPoint]] = defaultdict(list)
        for point in self.points:
            years[point.date.year].append(point)
        result = []
        for year, points in sorted(years.items()):
            count = sum(p.count for p in points)
            total = sum(p.count * p.raw_mean for p in points)
            mean = total / count if count >= MIN_ANSWERS else None
            result.append(YearPoint(year=year, events=len(points), count=count, mean=mean))
        return result

    @property
    def per_year_in_pdf(self) -> bool:
        return len(self.points) > PDF_TREND_EVENTS


@dataclass(frozen=True)
class Outcome:
    title: str
    dates_display: str
    text: str


@dataclass(frozen=True)
class SeriesReport:
    period_start: dt.date
    period_end: dt.date
    project: Project | None
    kinds: list[str]  # the formats chosen; empty: all
    events: list[ReportEvent]
    total: FigureRow
    cancelled: int
    waitlisted: int
    by_type: ProtectedTable
    by_state: ProtectedTable
    by_kind: list[FigureRow]
    by_presence: list[FigureRow]
    trends: list[Trend]
    outcomes: list[Outcome]

    @property
    def has_example_data(self) -> bool:
        return any(event.is_example for event in self.events)

    @property
    def kinds_display(self) -> str:
        if not self.kinds:
            return _("alle Formate")
        return ", ".join(str(EventKind(kind).label) for kind in self.kinds if kind in EventKind.values)

    @property
    def period_display(self) -> str:
        return format_date_span(self.period_start, self.period_end)

    @property
    def min_group(self) -> int:
        return REVIEW_MIN_GROUP


def _figure_row(label: str, by_status: Counter, *, events: int | None = None) -> FigureRow:
    return FigureRow(
        label=label,
        registered=sum(by_status.values()),
        participating=sum(by_status[s] for s in S.participating()),
        attended=by_status[S.ATTENDED],
        events=events,
    )


def _summed(rows: Sequence[FigureRow], label: str) -> FigureRow:
    return FigureRow(
        label=label,
        registered=sum(r.registered for r in rows),
        participating=sum(r.participating for r in rows),
        attended=sum(r.attended for r in rows),
    )


def protect_small_groups(rows: Sequence[FigureRow], *, combined_label: str) -> ProtectedTable:
    """The rows with no figure below REVIEW_MIN_GROUP: rows with a small figure are combined into one row
    (``combined_label``); while that row is itself small, the row with the smallest figures joins it, so no hidden
    figure can be worked out from the total. When even all rows together are small, no row is shown."""
    rows = [r for r in rows if r.registered]
    total = _summed(rows, _("Insgesamt"))
    shown = [r for r in rows if not r.is_small]
    combined = [r for r in rows if r.is_small]
    while combined and _summed(combined, "").is_small and shown:
        smallest = min(shown, key=lambda r: (r.attended, r.participating, r.registered))
        shown.remove(smallest)
        combined.append(smallest)
    if combined and _summed(combined, "").is_small:
        return ProtectedTable(rows=[], combined=[], total=total, too_small=True)
    order = {id(r): n for n, r in enumerate(rows)}
    combined.sort(key=lambda r: order[id(r)])
    shown_ids = {id(r) for r in shown}
    shown_rows = [r for r in rows if id(r) in shown_ids]
    if combined:
        shown_rows.append(_summed(combined, combined_label))
    return ProtectedTable(rows=shown_rows, combined=[r.label for r in combined], total=total)


def report_events_filter(
    *, period_start: dt.date, period_end: dt.date, project: Project | None = None, kinds: Iterable[str] | None = None
) -> Q:
    """The events of a report: published, first day inside the period, of the project and formats chosen."""
    condition = Q(status=EventStatus.PUBLISHED, date__gte=period_start, date__lte=period_end)
    if project is not None:
        condition &= Q(project=project)
    kinds = list(kinds or [])
    if kinds:
        condition &= Q(kind__in=kinds)
    return condition


def _events(condition: Q) -> list[ReportEvent]:
    """One query: the events with their registrations counted by status."""
    rows = (
        Event.objects.filter(condition)
        .annotate(
            n_registered=Count("registrations"),
            n_participating=Count("registrations", filter=Q(registrations__status__in=S.participating())),
            n_attended=Count("registrations", filter=Q(registrations__status=S.ATTENDED)),
            n_cancelled=Count("registrations", filter=Q(registrations__status=S.CANCELLED)),
            n_waitlisted=Count("registrations", filter=Q(registrations__status=S.WAITLISTED)),
        )
        .order_by("date", "start_time", "pk")
        .values(
            "pk",
            "title",
            "date",
            "end_date",
            "kind",
            "presence",
            "reach",
            "federal_state",
            "is_example",
            "outcomes",
            "project__title",
            "project__title_en",
            "n_registered",
            "n_participating",
            "n_attended",
            "n_cancelled",
            "n_waitlisted",
        )
    )
    english = translation.get_language() == "en"
    return [
        ReportEvent(
            pk=row["pk"],
            title=row["title"],
            date=row["date"],
            end_date=row["end_date"],
            kind=row["kind"],
            presence=row["presence"],
            reach=row["reach"],
            federal_state=row["federal_state"],
            project_title=((row["project__title_en"] if english else "") or row["project__title"] or ""),
            is_example=row["is_example"],
            outcomes=row["outcomes"].strip(),
            registered=row["n_registered"],
            participating=row["n_participating"],
            attended=row["n_attended"],
            cancelled=row["n_cancelled"],
            waitlisted=row["n_waitlisted"],
        )
        for row in rows
    ]


def _registration_figures(condition: Q) -> tuple[ProtectedTable, ProtectedTable, dict, dict]:
    """One query: registrations counted per organisation type, federal state (of the registration), format, presence
    mode and status."""
    event_condition = Q(event__in=Event.objects.filter(condition).values("pk"))
    rows = (
        Registration.objects.filter(event_condition)
        .values(
            "organisation_type_id",
            "organisation_type__name",
            "organisation_type__name_en",
            "organisation_type__position",
            "federal_state",
            "event__kind",
            "event__presence",
            "status",
        )
        .annotate(n=Count("id"))
        .order_by()
    )
    english = translation.get_language() == "en"
    by_type: dict[int | None, Counter] = defaultdict(Counter)
    type_order: dict[int | None, tuple] = {}
    by_state: dict[str, Counter] = defaultdict(Counter)
    by_kind: dict[str, Counter] = defaultdict(Counter)
    by_presence: dict[str, Counter] = defaultdict(Counter)
    for row in rows:
        type_id, status, n = row["organisation_type_id"], row["status"], row["n"]
        name = ((row["organisation_type__name_en"] if english else "") or row["organisation_type__name"]) or "–"
        type_order[type_id] = (row["organisation_type__position"] or 0, name)
        by_type[type_id][status] += n
        by_state[row["federal_state"] or ""][status] += n
        by_kind[row["event__kind"]][status] += n
        by_presence[row["event__presence"]][status] += n
    type_rows = [_figure_row(type_order[key][1], by_type[key]) for key in sorted(by_type, key=lambda k: type_order[k])]
    state_labels = dict(FederalState.choices)
    state_keys = [s for s in FederalState.values if s in by_state] + sorted(set(by_state) - set(FederalState.values))
    state_rows = [_figure_row(str(state_labels.get(code, code or "–")), by_state[code]) for code in state_keys]
    return (
        protect_small_groups(type_rows, combined_label=_("Weitere Arten von Organisationen (zusammengefasst)")),
        protect_small_groups(state_rows, combined_label=_("Weitere Bundesländer (zusammengefasst)")),
        by_kind,
        by_presence,
    )


def _by_event_attribute(events: list[ReportEvent], counts: dict, attribute: str, choices) -> list[FigureRow]:
    events_per_value = Counter(getattr(event, attribute) for event in events)
    return [
        _figure_row(str(label), counts.get(value, Counter()), events=events_per_value[value])
        for value, label in choices
        if events_per_value[value]
    ]


def _trends(condition: Q, events: list[ReportEvent]) -> list[Trend]:
    """One query: the rating answers counted and averaged per event and question. A trend per comparable question
    (same key, scale and wording); a key asked in other words elsewhere gets a trend per wording."""
    rows = (
        Answer.objects.filter(
            question__questionnaire__event__in=Event.objects.filter(condition).values("pk"),
            question__kind=QuestionKind.RATING,
            rating__isnull=False,
        )
        .values(
            "question__questionnaire__event_id",
            "question__key",
            "question__scale",
            "question__text",
            "question__text_en",
            "question__position",
        )
        .annotate(n=Count("pk"), mean=Avg("rating"))
        .order_by()
    )
    english = translation.get_language() == "en"
    position = {event.pk: n for n, event in enumerate(events)}
    by_event = {event.pk: event for event in events}
    groups: dict[tuple, dict] = {}
    for row in rows:
        signature = comparable_as(
            key=row["question__key"],
            kind=QuestionKind.RATING,
            scale=row["question__scale"],
            text=row["question__text"],
        )
        group = groups.setdefault(signature, {"points": {}, "position": row["question__position"], "text": {}})
        group["position"] = min(group["position"], row["question__position"])
        event_id = row["question__questionnaire__event_id"]
        text = (row["question__text_en"] if english else "") or row["question__text"]
        group["text"][event_id] = " ".join(text.split())
        group["scale"] = row["question__scale"]
        group["points"][event_id] = (row["n"], row["mean"])
    wordings_per_key = Counter(signature[0] for signature in groups)
    trends = []
    for signature, group in sorted(groups.items(), key=lambda item: (item[1]["position"], item[0])):
        event_ids = sorted(group["points"], key=lambda pk: position[pk])
        points = [
            TrendPoint(
                event_id=pk,
                title=by_event[pk].title,
                date=by_event[pk].date,
                count=group["points"][pk][0],
                mean=group["points"][pk][1] if group["points"][pk][0] >= MIN_ANSWERS else None,
                raw_mean=float(group["points"][pk][1]),
            )
            for pk in event_ids
        ]
        trends.append(
            Trend(
                key=signature[0],
                text=group["text"][event_ids[-1]],  # the latest event's wording (the same in German for all)
                scale=group["scale"],
                points=points,
                other_wordings=wordings_per_key[signature[0]] > 1,
            )
        )
    return trends


def series_report(
    *, period_start: dt.date, period_end: dt.date, project: Project | None = None, kinds: Iterable[str] | None = None
) -> SeriesReport:
    """The report across the published events whose first day lies in the period (of ``project`` and the formats
    ``kinds``, when given). Three queries, whatever the number of events, registrations or answers. Labels come in
    the current language: call inside ``translation.override`` for a document in another one."""
    chosen = set(kinds or [])
    kinds = [kind for kind in EventKind.values if kind in chosen]
    condition = report_events_filter(period_start=period_start, period_end=period_end, project=project, kinds=kinds)
    events = _events(condition)
    by_type, by_state, by_kind, by_presence = _registration_figures(condition)
    total = FigureRow(
        label=_("Insgesamt"),
        registered=sum(e.registered for e in events),
        participating=sum(e.participating for e in events),
        attended=sum(e.attended for e in events),
        events=len(events),
    )
    return SeriesReport(
        period_start=period_start,
        period_end=period_end,
        project=project,
        kinds=kinds,
        events=events,
        total=total,
        cancelled=sum(e.cancelled for e in events),
        waitlisted=sum(e.waitlisted for e in events),
        by_type=by_type,
        by_state=by_state,
        by_kind=_by_event_attribute(events, by_kind, "kind", EventKind.choices),
        by_presence=_by_event_attribute(events, by_presence, "presence", PresenceMode.choices),
        trends=_trends(condition, events),
        outcomes=[Outcome(title=e.title, dates_display=e.dates_display, text=e.outcomes) for e in events if e.outcomes],
    )


# --- charts ---------------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Chart:
    caption: str
    svg: str


def _label(text: str) -> str:
    return Truncator(text).chars(38)


def _bar_chart(rows: Sequence[FigureRow], *, title: str, width: int, font_family: str | None) -> Chart | None:
    bars = [Bar(_label(row.label), row.participating) for row in rows if row.participating]
    if not bars:
        return None
    return Chart(caption=title, svg=horizontal_bar_chart(bars, title=title, width=width, font_family=font_family))


def _trend_chart(trend: Trend, *, width: int, font_family: str | None, per_year: bool = False) -> Chart | None:
    if per_year:
        bars = [Bar(str(p.year), p.mean, display=p.mean_display) for p in trend.by_year if p.mean is not None]
        title = _("Mittelwert je Jahr: %(question)s") % {"question": trend.text}
    else:
        bars = [
            Bar(_label(f"{point.date:%m/%Y} {point.title}"), point.mean, display=point.mean_display)
            for point in trend.points
            if point.mean is not None
        ]
        title = _("Mittelwert je Veranstaltung: %(question)s") % {"question": trend.text}
    if not bars:
        return None
    return Chart(caption=title, svg=horizontal_bar_chart(bars, title=title, width=width, font_family=font_family))


def report_charts(
    report: SeriesReport, *, width: int = 560, font_family: str | None = None, for_pdf: bool = False
) -> dict:
    """The bar charts of the report (kokportal.charts): participants by type, state, format and presence mode, and
    one per feedback trend (as a list in the trends' order)."""
    return {
        "by_type": _bar_chart(
            report.by_type.rows,
            title=_("Teilnehmer*innen (bestätigt oder teilgenommen) nach Art der Organisation"),
            width=width,
            font_family=font_family,
        ),
        "by_state": _bar_chart(
            report.by_state.rows,
            title=_("Teilnehmer*innen (bestätigt oder teilgenommen) nach Bundesland"),
            width=width,
            font_family=font_family,
        ),
        "by_kind": _bar_chart(
            report.by_kind,
            title=_("Teilnehmer*innen (bestätigt oder teilgenommen) nach Format"),
            width=width,
            font_family=font_family,
        ),
        "by_presence": _bar_chart(
            report.by_presence,
            title=_("Teilnehmer*innen (bestätigt oder teilgenommen) nach Teilnahmeform"),
            width=width,
            font_family=font_family,
        ),
        "trends": [
            _trend_chart(trend, width=width, font_family=font_family, per_year=for_pdf and trend.per_year_in_pdf)
            for trend in report.trends
        ],
    }


def report_context(
    report: SeriesReport, *, width: int = 560, font_family: str | None = None, for_pdf: bool = False
) -> dict:
    charts = report_charts(report, width=width, font_family=font_family, for_pdf=for_pdf)
    return {
        "report": report,
        "charts": charts,
        "trends": list(zip(report.trends, charts["trends"], strict=True)),
        "generated_at": timezone.localtime(),
    }


# --- PDF and XLSX ---------------------------------------------------------------------------------------------------


def report_filename(report: SeriesReport, extension: str, lang: str) -> str:
    stem = "report" if lang == "en" else "bericht"
    return f"{stem}-{report.period_start:%Y-%m-%d}-{report.period_end:%Y-%m-%d}.{extension}"


def series_report_html(*, lang: str, **filters) -> str:
    """The report as the HTML the PDF is rendered from."""
    with translation.override(lang):
        return render_html("pdf/report.html", _pdf_context(series_report(**filters)), lang=lang)


def _pdf_context(report: SeriesReport) -> dict:
    return {
        **report_context(report, width=620, font_family=FONT_FAMILY, for_pdf=True),
        "project": report.project,
        "project_logo": project_logo_data_uri(report.project),
        # The example-data mark of pdf/base.html: any example event marks the whole report.
        "event": {"is_example": report.has_example_data},
    }


def series_report_pdf(*, lang: str, **filters) -> tuple[SeriesReport, Pdf]:
    """The report as PDF in ``lang``, in the style of the documentation (its fonts and stylesheet)."""
    with translation.override(lang):
        report = series_report(**filters)
        pdf = render_pdf("pdf/report.html", _pdf_context(report), lang=lang, stylesheets=[DOCUMENTATION_CSS])
    return report, pdf


def _figure_sheet(title: str, first_column: str, table: ProtectedTable, note: str) -> Sheet:
    rows = [[row.label, row.registered, row.participating, row.attended] for row in table.rows]
    rows.append([table.total.label, table.total.registered, table.total.participating, table.total.attended])
    preamble = [title, note]
    if table.combined:
        preamble.append(_("Zusammengefasst: %(labels)s") % {"labels": ", ".join(table.combined)})
    if table.too_small:
        preamble.append(_("Zu wenige Personen für eine Aufschlüsselung."))
    return Sheet(
        title=title,
        header=[first_column, _("Anmeldungen"), _("bestätigt oder teilgenommen"), _("teilgenommen")],
        rows=rows,
        preamble=preamble,
    )


def _events_sheet_rows(report: SeriesReport) -> list[list]:
    return [
        [
            e.title,
            e.date,
            e.end_date or e.date,
            e.kind_display,
            e.presence_display,
            e.reach_display,
            e.state_display,
            e.project_title,
            e.registered,
            e.participating,
            e.attended,
            e.cancelled,
            e.waitlisted,
            _("ja") if e.is_example else _("nein"),
        ]
        for e in report.events
    ]


def series_report_xlsx(*, lang: str, **filters) -> tuple[SeriesReport, bytes]:
    """The report as a workbook in ``lang``: one sheet per table (events, by type, by state, by format and presence
    mode, feedback trends, outcomes); numbers as numbers, dates as dates, the same small-group rule as the PDF."""
    with translation.override(lang):
        report = series_report(**filters)
        heading = report_heading(report)
        small = _(
            "Kleine Gruppen: Keine Zahl nach Art der Organisation oder Bundesland steht für weniger als %(n)d "
            "Personen; kleinere Gruppen sind zusammengefasst."
        ) % {"n": REVIEW_MIN_GROUP}
        figures_header = [_("Veranstaltungen"), _("Anmeldungen"), _("bestätigt oder teilgenommen"), _("teilgenommen")]
        sheets = [
            Sheet(
                title=_("Veranstaltungen"),
                header=[
                    _("Titel"),
                    _("Datum (erster Tag)"),
                    _("letzter Tag"),
                    _("Format"),
                    _("Teilnahmeform"),
                    _("Reichweite"),
                    _("Bundesland"),
                    _("Projekt"),
                    _("Anmeldungen"),
                    _("bestätigt oder teilgenommen"),
                    _("teilgenommen"),
                    _("storniert"),
                    _("Warteliste"),
                    _("Beispieldaten"),
                ],
                rows=_events_sheet_rows(report),
                preamble=heading,
            ),
            _figure_sheet(_("Nach Art der Organisation"), _("Art der Organisation"), report.by_type, small),
            _figure_sheet(_("Nach Bundesland"), _("Bundesland"), report.by_state, small),
            Sheet(
                title=_("Nach Format"),
                header=[_("Format"), *figures_header],
                rows=[[r.label, r.events, r.registered, r.participating, r.attended] for r in report.by_kind]
                + [[_("Insgesamt"), *_total_figures(report)]],
            ),
            Sheet(
                title=_("Nach Teilnahmeform"),
                header=[_("Teilnahmeform"), *figures_header],
                rows=[[r.label, r.events, r.registered, r.participating, r.attended] for r in report.by_presence]
                + [[_("Insgesamt"), *_total_figures(report)]],
            ),
            Sheet(
                title=_("Rückmeldungen im Verlauf"),
                header=[
                    _("Schlüssel"),
                    _("Frage"),
                    _("Skala"),
                    _("Veranstaltung"),
                    _("Datum"),
                    _("Antworten"),
                    _("Mittelwert"),
                ],
                rows=[
                    [
                        trend.key,
                        trend.text,
                        f"1 = {trend.scale_ends[0]}, 5 = {trend.scale_ends[1]}",
                        point.title,
                        point.date,
                        point.count,
                        round(point.mean, 2) if point.mean is not None else None,
                    ]
                    for trend in report.trends
                    for point in trend.points
                ],
                preamble=[
                    _("Rückmeldungen im Verlauf"),
                    _(
                        "Mittelwert der Bewertungen (1 bis 5) je Veranstaltung; nur Veranstaltungen, die die Frage mit "
                        "gleichem Schlüssel, gleichem Wortlaut und auf gleicher Skala gestellt haben. Unter %(n)d "
                        "Antworten kein Mittelwert."
                    )
                    % {"n": MIN_ANSWERS},
                ],
            ),
            Sheet(
                title=_("Ergebnisse und Ausblick"),
                header=[_("Veranstaltung"), _("Datum"), _("Ergebnisse und Ausblick")],
                rows=[[o.title, o.dates_display, o.text] for o in report.outcomes],
            ),
        ]
        return report, xlsx_workbook_bytes(sheets)


def _total_figures(report: SeriesReport) -> list[int]:
    t = report.total
    return [t.events, t.registered, t.participating, t.attended]


def report_heading(report: SeriesReport) -> list[str]:
    """What the report covers, in words (the first lines of the workbook)."""
    lines = [
        _("Bericht über mehrere Veranstaltungen"),
        _("Berichtszeitraum: %(period)s") % {"period": report.period_display},
        _("Formate: %(kinds)s") % {"kinds": report.kinds_display},
    ]
    if report.project is not None:
        lines.append(_("Projekt: %(project)s") % {"project": report.project.display_title})
        lines.append(report.project.display_credit_line)
    if report.has_example_data:
        lines.append(_("Enthält Beispieldaten (Demo-Daten des Portals, keine Unterlage des KOK)."))
    return lines
