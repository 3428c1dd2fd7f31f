"""The report across events (events.documents.report): figures on a known data set, filters, the small-group rule,
feedback trends over comparable questions only, a fixed number of queries, the XLSX and the PDF, and who gets it."""

import datetime as dt
import io

import pytest
from django.contrib.auth.models import Group
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

from casework.feedback.enums import QuestionKind
from events.documents.report import (
    FigureRow,
    protect_small_groups,
    series_report,
    series_report_pdf,
    series_report_xlsx,
)
from events.enums import EventKind, EventReach, EventStatus, PresenceMode, TeamRole
from events.models import Project
from events.services import project_save
from kokportal.federal_states import FederalState
from kokportal.roles import OFFICE, sync_staff_groups
from participants.enums import RegistrationStatus as S
from tests.auth import login
from tests.factories import (
    EventFactory,
    EventTeamMemberFactory,
    OrganisationFactory,
    RegistrationFactory,
    StaffFactory,
    UserFactory,
    organisation_type,
)

from .conftest import pdf_text
from .factories import AnswerFactory, FeedbackResponseFactory, QuestionFactory, QuestionnaireFactory

pytestmark = pytest.mark.django_db

FBS, BAMF, JH = "fachberatungsstelle", "bamf", "jugendhilfe"
WIDE = {"period_start": dt.date(2016, 1, 1), "period_end": dt.date(2018, 12, 31)}
REPORT_URL = "admin:events_event_report"


def _registrations(event, type_slug: str, state: str, status: str, count: int) -> None:
    organisation = OrganisationFactory(organisation_type=organisation_type(type_slug))
    for _ in range(count):
        RegistrationFactory(event=event, organisation=organisation, federal_state=state, status=status)


def _answers(questionnaire, *, key: str, text: str, ratings: list[int], position: int):
    question = QuestionFactory(questionnaire=questionnaire, key=key, text=text, position=position)
    for rating in ratings:
        AnswerFactory(question=question, response=FeedbackResponseFactory(questionnaire=questionnaire), rating=rating)
    return question


@pytest.fixture
def series(db):
    """Two projects, three formats, three presence modes, several types and states, cancellations and attendance.

    e1 (project A, Praxisfachtag, in person, 14.09.2016): FBS BE attended 3, FBS HH attended 1, BAMF BY attended 3,
       BAMF BY cancelled 1, Jugendhilfe BE waitlisted 1                  -> 9 registered / 7 participating / 7 attended
    e2 (project A, Fachgespräch, virtual, 17.–18.05.2017): FBS BE confirmed 2, BAMF BY attended 3, FBS HH cancelled 1
                                                                         -> 6 / 5 / 3
    e3 (project B, Regionaltreffen, hybrid, 01.06.2018): FBS NW attended 4 -> 4 / 4 / 4
    Left out: a draft and a cancelled event of project A in 2017.
    """
    project_a = project_save(
        project=Project(
            title="Flucht & Menschenhandel",
            starts_on=dt.date(2016, 5, 1),
            ends_on=dt.date(2017, 11, 30),
            funder="Die Beauftragte der Bundesregierung für Migration, Flüchtlinge und Integration",
            credit_line="Gefördert durch die Beauftragte der Bundesregierung für Migration.",
        )
    )
    project_b = project_save(
        project=Project(
            title="Arbeitsausbeutung erkennen",
            starts_on=dt.date(2018, 1, 1),
            ends_on=dt.date(2019, 12, 31),
            funder="Stiftung Beispiel",
            credit_line="Gefördert durch die Stiftung Beispiel.",
        )
    )
    e1 = EventFactory(
        past=True,
        title="Praxisfachtag Hamburg 2016",
        project=project_a,
        kind=EventKind.PRACTICE_DAY,
        presence=PresenceMode.IN_PERSON,
        date=dt.date(2016, 9, 14),
        federal_state=FederalState.HH,
        outcomes="Regionale Vernetzung in Hamburg vereinbart.",
    )
    e2 = EventFactory(
        past=True,
        virtual=True,
        title="Fachgespräch online 2017",
        project=project_a,
        kind=EventKind.EXPERT_TALK,
        date=dt.date(2017, 5, 17),
        end_date=dt.date(2017, 5, 18),
    )
    e3 = EventFactory(
        past=True,
        title="Regionaltreffen NRW 2018",
        project=project_b,
        kind=EventKind.REGIONAL_MEETING,
        presence=PresenceMode.HYBRID,
        reach=EventReach.REGIONAL,
        date=dt.date(2018, 6, 1),
        federal_state=FederalState.NW,
        outcomes="Arbeitskreis NRW gegründet.",
    )
    draft = EventFactory(past=True, draft=True, project=project_a, date=dt.date(2017, 3, 1), title="Entwurf 2017")
    cancelled = EventFactory(
        past=True, status=EventStatus.CANCELLED, project=project_a, date=dt.date(2017, 4, 1), title="Abgesagt 2017"
    )
    _registrations(e1, FBS, FederalState.BE, S.ATTENDED, 3)
    _registrations(e1, FBS, FederalState.HH, S.ATTENDED, 1)
    _registrations(e1, BAMF, FederalState.BY, S.ATTENDED, 3)
    _registrations(e1, BAMF, FederalState.BY, S.CANCELLED, 1)
    _registrations(e1, JH, FederalState.BE, S.WAITLISTED, 1)
    _registrations(e2, FBS, FederalState.BE, S.CONFIRMED, 2)
    _registrations(e2, BAMF, FederalState.BY, S.ATTENDED, 3)
    _registrations(e2, FBS, FederalState.HH, S.CANCELLED, 1)
    _registrations(e3, FBS, FederalState.NW, S.ATTENDED, 4)
    _registrations(draft, FBS, FederalState.BE, S.ATTENDED, 3)
    _registrations(cancelled, FBS, FederalState.BE, S.CANCELLED, 3)

    q1, q2, q3 = (QuestionnaireFactory(event=e) for e in (e1, e2, e3))
    overall = "Wie zufrieden waren Sie insgesamt?"
    _answers(q1, key="gesamt", text=overall, ratings=[5, 4, 4], position=1)
    _answers(q1, key="format", text="Wie gut hat sich das Präsenzformat bewährt?", ratings=[5, 5, 3], position=2)
    # The same question with other spacing: comparable (casework.feedback.selectors.wording).
    _answers(q2, key="gesamt", text="Wie zufrieden waren  Sie insgesamt? ", ratings=[3, 4, 2], position=1)
    _answers(q2, key="format", text="Wie gut hat sich das virtuelle Format bewährt?", ratings=[2, 3, 4], position=2)
    _answers(q3, key="gesamt", text=overall, ratings=[5, 5], position=1)  # two answers: no mean
    yes_no = QuestionFactory(questionnaire=q3, key="wieder", kind=QuestionKind.YES_NO, position=3)
    for answer in (True, True, False):
        AnswerFactory(question=yes_no, response=FeedbackResponseFactory(questionnaire=q3), yes_no=answer)
    return {"a": project_a, "b": project_b, "e1": e1, "e2": e2, "e3": e3}


def _figures(row: FigureRow) -> tuple:
    return (row.label, row.registered, row.participating, row.attended)


# --- figures ----------------------------------------------------------------------------------------------------


def test_report_events_and_totals(series):
    report = series_report(**WIDE)
    assert [
        (e.title, e.dates_display, e.kind, e.presence, e.registered, e.participating, e.attended, e.cancelled)
        + (e.waitlisted,)
        for e in report.events
    ] == [
        ("Praxisfachtag Hamburg 2016", "14. September 2016", "practice_day", "in_person", 9, 7, 7, 1, 1),
        ("Fachgespräch online 2017", "17.–18. Mai 2017", "expert_talk", "virtual", 6, 5, 3, 1, 0),
        ("Regionaltreffen NRW 2018", "1. Juni 2018", "regional_meeting", "hybrid", 4, 4, 4, 0, 0),
    ]
    assert [(e.state_display, e.reach_display, e.project_title) for e in report.events] == [
        ("Hamburg", "bundesweit", "Flucht & Menschenhandel"),
        ("–", "bundesweit", "Flucht & Menschenhandel"),
        ("Nordrhein-Westfalen", "regional", "Arbeitsausbeutung erkennen"),
    ]
    assert (report.total.events, report.total.registered, report.total.participating, report.total.attended) == (
        3,
        19,
        16,
        14,
    )
    assert (report.cancelled, report.waitlisted) == (2, 1)
    assert report.has_example_data is False


def test_report_by_type_and_state_with_small_groups_combined(series):
    report = series_report(**WIDE)
    # Jugendhilfe (1 waitlisted) is a small group; alone the combined row would still be small, so the next smallest
    # type (BAMF, 6 attended) joins it.
    assert [_figures(r) for r in report.by_type.rows] == [
        ("Fachberatungsstelle", 11, 10, 8),
        ("Weitere Arten von Organisationen (zusammengefasst)", 8, 6, 6),
    ]
    assert report.by_type.combined == ["BAMF-Sonderbeauftragte", "Jugendamt / Jugendhilfe"]
    assert _figures(report.by_type.total) == ("Insgesamt", 19, 16, 14)
    # Hamburg (2 / 1 / 1) is small; Berlin (3 attended) joins it.
    assert [_figures(r) for r in report.by_state.rows] == [
        ("Bayern", 7, 6, 6),
        ("Nordrhein-Westfalen", 4, 4, 4),
        ("Weitere Bundesländer (zusammengefasst)", 8, 6, 4),
    ]
    assert report.by_state.combined == ["Berlin", "Hamburg"]
    every_figure = [n for table in (report.by_type, report.by_state) for r in table.rows for n in r.figures]
    assert [n for n in every_figure if 0 < n < 3] == []


def test_report_by_format_and_presence(series):
    report = series_report(**WIDE)
    assert [(r.label, r.events, r.registered, r.participating, r.attended) for r in report.by_kind] == [
        ("Praxisfachtag", 1, 9, 7, 7),
        ("Regionaltreffen", 1, 4, 4, 4),
        ("Fachgespräch", 1, 6, 5, 3),
    ]
    assert [(r.label, r.events, r.registered, r.participating, r.attended) for r in report.by_presence] == [
        ("in Präsenz", 1, 9, 7, 7),
        ("virtuell", 1, 6, 5, 3),
        ("hybrid (vor Ort und online)", 1, 4, 4, 4),
    ]


def test_protect_small_groups_rules():
    rows = [FigureRow("A", 10, 8, 6), FigureRow("B", 2, 2, 0), FigureRow("C", 1, 1, 1), FigureRow("D", 0, 0, 0)]
    table = protect_small_groups(rows, combined_label="Weitere")
    # B and C together: 3 / 3 / 1 is still small, so A joins them; D (nobody) is left out.
    assert ([_figures(r) for r in table.rows], table.combined, table.too_small) == (
        [("Weitere", 13, 11, 7)],
        ["A", "B", "C"],
        False,
    )
    tiny = protect_small_groups([FigureRow("A", 1, 1, 1), FigureRow("B", 1, 0, 0)], combined_label="Weitere")
    assert (tiny.rows, tiny.too_small, _figures(tiny.total)) == ([], True, ("Insgesamt", 2, 1, 1))
    big = protect_small_groups([FigureRow("A", 5, 4, 3), FigureRow("B", 3, 3, 0)], combined_label="Weitere")
    assert ([_figures(r) for r in big.rows], big.combined) == ([("A", 5, 4, 3), ("B", 3, 3, 0)], [])


def test_report_filters_by_project_period_and_format(series):
    by_project = series_report(**WIDE, project=series["a"])
    assert [e.title for e in by_project.events] == ["Praxisfachtag Hamburg 2016", "Fachgespräch online 2017"]
    by_period = series_report(period_start=dt.date(2017, 1, 1), period_end=dt.date(2017, 12, 31))
    assert [e.title for e in by_period.events] == ["Fachgespräch online 2017"]
    # Fachberatungsstelle 3 / 2 / 0 is small, and BAMF (3 / 3 / 3) must join it: one combined row.
    assert [_figures(r) for r in by_period.by_type.rows] == [
        ("Weitere Arten von Organisationen (zusammengefasst)", 6, 5, 3)
    ]
    assert by_period.by_type.combined == ["Fachberatungsstelle", "BAMF-Sonderbeauftragte"]
    by_kind = series_report(**WIDE, kinds=[EventKind.EXPERT_TALK, EventKind.REGIONAL_MEETING])
    assert [e.title for e in by_kind.events] == ["Fachgespräch online 2017", "Regionaltreffen NRW 2018"]
    assert by_kind.kinds_display == "Regionaltreffen, Fachgespräch"
    assert [(r.label, r.events) for r in by_kind.by_kind] == [("Regionaltreffen", 1), ("Fachgespräch", 1)]
    assert [o.title for o in by_kind.outcomes] == ["Regionaltreffen NRW 2018"]
    nothing = series_report(period_start=dt.date(2020, 1, 1), period_end=dt.date(2020, 12, 31))
    assert (nothing.events, nothing.by_type.rows, nothing.trends, nothing.total.registered) == ([], [], [], 0)


def test_feedback_trends_only_over_comparable_questions(series):
    report = series_report(**WIDE)
    trends = [
        (t.key, t.text, t.other_wordings, [(p.title, p.count, p.mean_display) for p in t.points]) for t in report.trends
    ]
    assert trends == [
        (
            "gesamt",
            "Wie zufrieden waren Sie insgesamt?",
            False,
            [
                ("Praxisfachtag Hamburg 2016", 3, "4,3"),
                ("Fachgespräch online 2017", 3, "3,0"),
                ("Regionaltreffen NRW 2018", 2, "–"),
            ],
        ),
        ("format", "Wie gut hat sich das Präsenzformat bewährt?", True, [("Praxisfachtag Hamburg 2016", 3, "4,3")]),
        ("format", "Wie gut hat sich das virtuelle Format bewährt?", True, [("Fachgespräch online 2017", 3, "3,0")]),
    ]
    assert [(o.title, o.text) for o in report.outcomes] == [
        ("Praxisfachtag Hamburg 2016", "Regionale Vernetzung in Hamburg vereinbart."),
        ("Regionaltreffen NRW 2018", "Arbeitskreis NRW gegründet."),
    ]


def test_feedback_trend_separates_another_scale(series):
    questionnaire = QuestionnaireFactory(
        event=EventFactory(past=True, title="Fachtreffen 2018", date=dt.date(2018, 9, 1))
    )
    question = QuestionFactory(
        questionnaire=questionnaire, key="gesamt", text="Wie zufrieden waren Sie insgesamt?", scale="satisfaction"
    )
    for rating in (4, 4, 4):
        AnswerFactory(question=question, response=FeedbackResponseFactory(questionnaire=questionnaire), rating=rating)
    trends = [(t.key, t.scale, [p.title for p in t.points]) for t in series_report(**WIDE).trends if t.key == "gesamt"]
    assert trends == [
        (
            "gesamt",
            "quality",
            ["Praxisfachtag Hamburg 2016", "Fachgespräch online 2017", "Regionaltreffen NRW 2018"],
        ),
        ("gesamt", "satisfaction", ["Fachtreffen 2018"]),
    ]


def _events_with_figures(count: int) -> None:
    organisation = OrganisationFactory(organisation_type=organisation_type(FBS))
    for n in range(count):
        event = EventFactory(past=True, date=dt.date(2017, 1, 1) + dt.timedelta(days=n), outcomes=f"Ergebnis {n}")
        RegistrationFactory(event=event, organisation=organisation, status=S.ATTENDED)
        RegistrationFactory(event=event, organisation=organisation, status=S.CANCELLED, federal_state="HH")
        questionnaire = QuestionnaireFactory(event=event)
        question = QuestionFactory(questionnaire=questionnaire, key="gesamt", text="Insgesamt?")
        AnswerFactory(question=question, response=FeedbackResponseFactory(questionnaire=questionnaire), rating=4)


@pytest.mark.parametrize("count", [3, 30])
def test_report_query_count_does_not_grow_with_events(count, django_assert_num_queries):
    _events_with_figures(count)
    with django_assert_num_queries(3):
        report = series_report(period_start=dt.date(2016, 1, 1), period_end=dt.date(2018, 12, 31))
    assert (len(report.events), report.total.registered, len(report.trends[0].points)) == (count, 2 * count, count)


# --- XLSX and PDF -------------------------------------------------------------------------------------------------


def test_report_xlsx_content(series):
    report, content = series_report_xlsx(lang="de", **WIDE)
    workbook = load_workbook(io.BytesIO(content))
    assert workbook.sheetnames == [
        "Veranstaltungen",
        "Nach Art der Organisation",
        "Nach Bundesland",
        "Nach Format",
        "Nach Teilnahmeform",
        "Rückmeldungen im Verlauf",
        "Ergebnisse und Ausblick",
    ]
    events = [list(row) for row in workbook["Veranstaltungen"].iter_rows(values_only=True)]
    assert events[:3] == [
        ["Bericht über mehrere Veranstaltungen", *[None] * 13],
        ["Berichtszeitraum: 1. Januar 2016 – 31. Dezember 2018", *[None] * 13],
        ["Formate: alle Formate", *[None] * 13],
    ]
    assert events[3] == [None] * 14
    assert events[4][:4] == ["Titel", "Datum (erster Tag)", "letzter Tag", "Format"]
    assert events[5] == [
        "Praxisfachtag Hamburg 2016",
        dt.datetime(2016, 9, 14),
        dt.datetime(2016, 9, 14),
        "Praxisfachtag",
        "in Präsenz",
        "bundesweit",
        "Hamburg",
        "Flucht & Menschenhandel",
        9,
        7,
        7,
        1,
        1,
        "nein",
    ]
    assert [row[0] for row in events[6:]] == ["Fachgespräch online 2017", "Regionaltreffen NRW 2018"]
    by_type = [list(r) for r in workbook["Nach Art der Organisation"].iter_rows(values_only=True) if r[1] is not None]
    assert by_type == [
        ["Art der Organisation", "Anmeldungen", "bestätigt oder teilgenommen", "teilgenommen"],
        ["Fachberatungsstelle", 11, 10, 8],
        ["Weitere Arten von Organisationen (zusammengefasst)", 8, 6, 6],
        ["Insgesamt", 19, 16, 14],
    ]
    first_column = [r[0] for r in workbook["Nach Art der Organisation"].iter_rows(values_only=True)]
    assert "Zusammengefasst: BAMF-Sonderbeauftragte, Jugendamt / Jugendhilfe" in first_column
    by_state = [r[0] for r in workbook["Nach Bundesland"].iter_rows(values_only=True) if r[1] is not None]
    assert by_state == [
        "Bundesland",
        "Bayern",
        "Nordrhein-Westfalen",
        "Weitere Bundesländer (zusammengefasst)",
        "Insgesamt",
    ]
    trends = [list(r) for r in workbook["Rückmeldungen im Verlauf"].iter_rows(values_only=True) if r[3] is not None]
    assert trends[1] == [
        "gesamt",
        "Wie zufrieden waren Sie insgesamt?",
        "1 = sehr schlecht, 5 = sehr gut",
        "Praxisfachtag Hamburg 2016",
        dt.datetime(2016, 9, 14),
        3,
        4.33,
    ]
    assert trends[3][5:] == [2, None]
    outcomes = [list(r) for r in workbook["Ergebnisse und Ausblick"].iter_rows(values_only=True)]
    assert outcomes[1:] == [
        ["Praxisfachtag Hamburg 2016", "14. September 2016", "Regionale Vernetzung in Hamburg vereinbart."],
        ["Regionaltreffen NRW 2018", "1. Juni 2018", "Arbeitskreis NRW gegründet."],
    ]


def test_report_xlsx_in_english(series):
    _report, content = series_report_xlsx(lang="en", **WIDE, project=series["a"])
    workbook = load_workbook(io.BytesIO(content))
    assert workbook.sheetnames[:3] == ["Events", "By type of organisation", "By federal state"]
    first = [r[0] for r in workbook["Events"].iter_rows(values_only=True)]
    assert first[:4] == [
        "Report across several events",
        "Reporting period: 1 January 2016 – 31 December 2018",
        "Formats: all formats",
        "Project: Flucht & Menschenhandel",
    ]


def test_report_pdf_text(series):
    report, pdf = series_report_pdf(lang="de", **WIDE, project=series["a"])
    text = pdf_text(pdf.content)
    assert pdf.content.startswith(b"%PDF")
    assert [e.title for e in report.events] == ["Praxisfachtag Hamburg 2016", "Fachgespräch online 2017"]
    for expected in (
        "Bericht über mehrere Veranstaltungen",
        "Flucht & Menschenhandel",
        "Gefördert durch die Beauftragte der Bundesregierung für Migration.",
        "Berichtszeitraum 1. Januar 2016 – 31. Dezember 2018",
        "Formate alle Formate",
        "Praxisfachtag Hamburg 2016",
        "Fachgespräch online 2017",
        "Schutz kleiner Gruppen: Keine Zahl nach Art der Organisation oder Bundesland steht für weniger als 3",
        "Weitere Arten von Organisationen (zusammengefasst)",
        "Wie zufrieden waren Sie insgesamt?",
        "Regionale Vernetzung in Hamburg vereinbart.",
        "Seite 2 von",
    ):
        assert expected in text, expected
    assert "Regionaltreffen NRW 2018" not in text
    assert "Beispieldaten" not in text


def test_report_pdf_carries_the_example_mark_when_any_event_is_example_data(series):
    series["e3"].is_example = True
    series["e3"].save(update_fields=["is_example"])
    _report, pdf = series_report_pdf(lang="en", **WIDE)
    text = pdf_text(pdf.content)
    assert "Example data" in text
    assert "Report across several events" in text
    _report, pdf = series_report_pdf(lang="de", **WIDE, project=series["a"])
    assert "Beispieldaten" not in pdf_text(pdf.content)


# --- the admin page: access, filter, downloads --------------------------------------------------------------------


def _office_staff(**kwargs):
    sync_staff_groups()
    staff = StaffFactory(**kwargs)
    staff.groups.add(Group.objects.get(name=OFFICE))
    return staff


def _client(user=None, *, force=False) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user) if force else login(client, user)
    return client


@pytest.mark.parametrize("name", [REPORT_URL, "admin:events_event_report_pdf", "admin:events_event_report_xlsx"])
def test_report_is_only_for_staff_with_second_factor(series, name):
    url = reverse(name)
    participant = RegistrationFactory(event=series["e1"]).user
    team_member = UserFactory()
    EventTeamMemberFactory(event=series["e1"], user=team_member, role=TeamRole.CO_ORGANISER)
    for user, force in (
        (None, False),
        (participant, False),
        (team_member, False),
        (_office_staff(mfa=False), False),  # no second factor set up: sent to set it up
        (_office_staff(), True),  # this session did not pass the second factor
    ):
        response = _client(user, force=force).get(url)
        assert (response.status_code, response.has_header("Content-Disposition")) == (302, False), user
    assert _client(StaffFactory()).get(url).status_code == 404  # staff without the office's rights
    response = _client(_office_staff()).get(url)
    assert response.status_code == 200


def test_report_page_shows_figures_charts_and_downloads(series):
    client = _client(_office_staff())
    response = client.get(reverse(REPORT_URL), {"project": series["a"].pk})
    assert response.status_code == 200
    report = response.context["report"]
    assert (report.period_start, report.period_end) == (dt.date(2016, 5, 1), dt.date(2017, 11, 30))
    html = response.content.decode()
    assert [e.title for e in report.events] == ["Praxisfachtag Hamburg 2016", "Fachgespräch online 2017"]
    assert html.count('<svg xmlns="http://www.w3.org/2000/svg" class="chart" role="img"') == 7
    query = f"project={series['a'].pk}"
    assert f'href="{reverse("admin:events_event_report_pdf")}?{query}"' in html
    assert f'href="{reverse("admin:events_event_report_xlsx")}?{query}"' in html
    assert "Berichtszeitraum 1. Mai 2016 – 30. November 2017" in html
    pdf = client.get(reverse("admin:events_event_report_pdf"), {"project": series["a"].pk})
    assert (pdf.status_code, pdf["Content-Type"], pdf["Content-Disposition"]) == (
        200,
        "application/pdf",
        'attachment; filename="bericht-2016-05-01-2017-11-30.pdf"',
    )
    assert pdf.content.startswith(b"%PDF")
    xlsx = client.get(reverse("admin:events_event_report_xlsx"), {"project": series["a"].pk})
    assert xlsx["Content-Disposition"] == 'attachment; filename="bericht-2016-05-01-2017-11-30.xlsx"'
    titles = [r[0] for r in load_workbook(io.BytesIO(xlsx.content))["Veranstaltungen"].iter_rows(values_only=True)]
    assert titles[-2:] == ["Praxisfachtag Hamburg 2016", "Fachgespräch online 2017"]


def test_report_page_defaults_to_the_last_twelve_months(series):
    from django.utils import timezone

    today = timezone.localdate()
    EventFactory(past=True, title="Praxisfachtag vor einem Monat", date=today - dt.timedelta(days=30))
    response = _client(_office_staff()).get(reverse(REPORT_URL))
    report = response.context["report"]
    assert (report.period_end, [e.title for e in report.events]) == (today, ["Praxisfachtag vor einem Monat"])
    assert report.period_start == today - dt.timedelta(days=(today - report.period_start).days)
    assert 365 <= (today - report.period_start).days + 1 <= 366


@pytest.mark.parametrize(
    ("query", "message"),
    [
        (
            {"period_start": "2018-01-01", "period_end": "2017-01-01"},
            "Das Ende des Zeitraums liegt vor seinem Beginn.",
        ),
        ({"period_start": "2018-13-45"}, "Bitte ein gültiges Datum eingeben."),
        ({"period_start": "0001-01-01"}, "Bitte ein Datum zwischen 1990 und 2100."),
        (
            {"period_start": "1995-01-01", "period_end": "2016-01-02"},
            "Der Zeitraum darf höchstens 20 Jahre umfassen.",
        ),
        ({"project": "999999"}, "Bitte eine gültige Auswahl treffen."),
        ({"kinds": "unknown"}, "Bitte eine gültige Auswahl treffen."),
    ],
)
def test_report_bad_filter_shows_errors(series, query, message):
    client = _client(_office_staff())
    for name in (REPORT_URL, "admin:events_event_report_pdf", "admin:events_event_report_xlsx"):
        response = client.get(reverse(name), query)
        assert (response.status_code, response["Content-Type"]) == (200, "text/html; charset=utf-8")
        assert message in response.content.decode()
        assert "report" not in response.context


def test_report_links_on_admin_index_and_event_list(series):
    client = _client(_office_staff())
    link = f'<a href="{reverse(REPORT_URL)}">Bericht über mehrere Veranstaltungen</a>'
    assert link in client.get(reverse("admin:index")).content.decode()
    assert link in client.get(reverse("admin:events_event_changelist")).content.decode()


def test_trend_by_year_sums_the_answers_of_each_year():
    from events.documents.report import Trend, TrendPoint

    points = [
        TrendPoint(1, "A", dt.date(2016, 3, 1), count=4, mean=4.5, raw_mean=4.5),
        TrendPoint(2, "B", dt.date(2016, 9, 1), count=2, mean=None, raw_mean=3.0),
        TrendPoint(3, "C", dt.date(2017, 5, 1), count=2, mean=None, raw_mean=5.0),
    ]
    trend = Trend(key="gesamt", text="Insgesamt?", scale="quality", points=points, other_wordings=False)
    assert [(y.year, y.events, y.count, y.mean_display) for y in trend.by_year] == [
        (2016, 2, 6, "4,0"),  # (4 × 4.5 + 2 × 3) / 6
        (2017, 1, 2, "–"),  # two answers: no mean
    ]
    assert trend.per_year_in_pdf is False
