import csv
import datetime as dt
import io

import pytest
from django.test import Client
from django.urls import reverse

from casework.feedback import services
from casework.feedback.models import Answer
from kokportal.models import AuditLogEntry
from participants.enums import RegistrationStatus as S
from tests.auth import login
from tests.casework.feedback.factories import ended_event, submit
from tests.factories import EventTeamMemberFactory, RegistrationFactory, UserFactory

pytestmark = pytest.mark.django_db


def results_url(event) -> str:
    return reverse("feedback:results", kwargs={"slug": event.slug})


def csv_url(event) -> str:
    return reverse("feedback:results_csv", kwargs={"slug": event.slug})


def client_for(user) -> Client:
    client = Client()
    login(client, user)
    return client


def flat(response) -> str:
    return " ".join(response.content.decode().split())


@pytest.fixture
def answered(questionnaire):
    """Four responses: overall 5, 5, 4, 2; exchange twice; wish for regional meetings 3 x yes, 1 x no."""
    submit(questionnaire, overall=5, exchange=5, regional_meetings=True, helped="Zeit für Gespräche.")
    submit(questionnaire, overall=5, exchange=4, regional_meetings=True, improve="Mehr Pausen.")
    submit(questionnaire, overall=4, regional_meetings=True, helped="Das Fallbeispiel.")
    submit(questionnaire, overall=2, regional_meetings=False, helped="  ")
    return questionnaire


def test_results_show_count_mean_and_distribution_to_staff(staff_client, answered):
    response = staff_client.get(results_url(answered.event))
    assert response.status_code == 200
    html = flat(response)
    overall = html.split('data-key="overall"')[1].split("</article>")[0]
    assert 'Bewertung 1–5 · 4 Antworten · Mittelwert <strong class="feedback-mean">4,0</strong>' in overall
    assert '<svg xmlns="http://www.w3.org/2000/svg" class="chart" role="img"' in overall
    assert "<title>Verteilung der Antworten: Wie bewerten Sie den Praxisfachtag insgesamt?</title>" in overall
    for label, display in [
        ("1 – sehr schlecht", "0 (0 %)"),
        ("2", "1 (25 %)"),
        ("4", "1 (25 %)"),
        ("5 – sehr gut", "2 (50 %)"),
    ]:
        assert f">{label}</text>" in overall
        assert f">{display}</text>" in overall
    regional = html.split('data-key="regional_meetings"')[1].split("</article>")[0]
    assert "Ja: <strong>75 %</strong> (3) · Nein: <strong>25 %</strong> (1)" in regional
    assert 'data-figure="invited">4</dd>' in html
    assert 'data-figure="answered">4 (100 %)</dd>' in html
    assert "style=" not in html.split("<main")[1]


def test_results_hide_distribution_and_mean_below_three_answers(staff_client, answered):
    html = flat(staff_client.get(results_url(answered.event)))
    exchange = html.split('data-key="exchange"')[1].split("</article>")[0]
    assert "2 Antworten" in exchange
    assert "Weniger als 3 Antworten: Die Verteilung wird zum Schutz der Anonymität nicht gezeigt." in exchange
    assert "<svg" not in exchange
    assert "Mittelwert" not in exchange
    inputs = html.split('data-key="inputs"')[1].split("</article>")[0]
    assert "0 Antworten" in inputs
    assert "<svg" not in inputs


def test_results_list_free_texts_sorted_with_selection_for_staff(staff_client, answered):
    html = flat(staff_client.get(results_url(answered.event)))
    helped = html.split('data-key="helped"')[1].split("</article>")[0]
    assert helped.index("Das Fallbeispiel.") < helped.index("Zeit für Gespräche.")
    assert helped.count('type="checkbox" name="selected"') == 2
    assert 'form="select-texts"' in helped
    assert '<form id="select-texts" method="post"' in html


def test_results_for_the_event_team_are_read_only_with_selected_texts_only(answered):
    member = EventTeamMemberFactory(event=answered.event, role="co_organiser").user
    Answer.objects.filter(text="Das Fallbeispiel.").update(selected_for_documentation=True)
    response = client_for(member).get(results_url(answered.event))
    assert response.status_code == 200
    html = flat(response)
    assert "Das Fallbeispiel." in html
    assert "Zeit für Gespräche." not in html
    assert "Mehr Pausen." not in html
    assert "Keine Freitexte für die Dokumentation ausgewählt." in html
    assert 'name="selected"' not in html
    assert "Als CSV herunterladen" not in html
    assert 'Mittelwert <strong class="feedback-mean">4,0</strong>' in html


def test_results_facilitator_of_the_event_may_see_them(answered):
    member = EventTeamMemberFactory(event=answered.event, role="facilitator").user
    assert client_for(member).get(results_url(answered.event)).status_code == 200


@pytest.mark.parametrize("who", ["anonymous", "user", "participant", "other_team", "staff_of_nothing"])
def test_results_are_404_for_everyone_else(answered, who):
    event = answered.event
    if who == "anonymous":
        client = Client()
    elif who == "user":
        client = client_for(UserFactory())
    elif who == "participant":
        client = client_for(RegistrationFactory(event=event, status=S.ATTENDED).user)
    elif who == "other_team":
        client = client_for(EventTeamMemberFactory(event=ended_event(slug="anderer-tag")).user)
    else:
        client = client_for(UserFactory(is_staff=False, is_superuser=False))
    assert client.get(results_url(event)).status_code == 404
    assert client.get(csv_url(event)).status_code == 404
    url = reverse("feedback:select_texts", kwargs={"slug": event.slug})
    assert client.post(url, {"selected": []}).status_code == 404


def test_results_unknown_event_or_without_questionnaire_is_404(staff_client):
    assert staff_client.get(reverse("feedback:results", kwargs={"slug": "gibt-es-nicht"})).status_code == 404
    assert staff_client.get(results_url(ended_event())).status_code == 404


def test_results_without_answers(staff_client, questionnaire):
    html = flat(staff_client.get(results_url(questionnaire.event)))
    assert "Noch keine Rückmeldungen." in html
    assert "<svg" not in html


def test_results_csv_for_staff(staff_client, staff_user, answered):
    response = staff_client.get(csv_url(answered.event))
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="rueckmeldungen-praxisfachtag-2020.csv"'
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    assert rows[0] == [
        "Schlüssel",
        "Frage",
        "Art",
        "Antworten",
        "Mittelwert",
        "Antwort",
        "Anzahl",
        "Anteil",
        "für die Dokumentation ausgewählt",
    ]
    question = "Wie bewerten Sie den Praxisfachtag insgesamt?"
    assert rows[1:6] == [
        ["overall", question, "Bewertung 1–5", "4", "4,0", "1 – sehr schlecht", "0", "0 %", ""],
        ["overall", question, "Bewertung 1–5", "4", "4,0", "2", "1", "25 %", ""],
        ["overall", question, "Bewertung 1–5", "4", "4,0", "3", "0", "0 %", ""],
        ["overall", question, "Bewertung 1–5", "4", "4,0", "4", "1", "25 %", ""],
        ["overall", question, "Bewertung 1–5", "4", "4,0", "5 – sehr gut", "2", "50 %", ""],
    ]
    by_key = {}
    for row in rows[6:]:
        by_key.setdefault(row[0], []).append(row[3:])
    assert by_key["exchange"] == [["2", "", "weniger als 3 Antworten: nicht ausgewertet", "", "", ""]]
    assert by_key["regional_meetings"] == [["4", "", "ja", "3", "75 %", ""], ["4", "", "nein", "1", "25 %", ""]]
    assert by_key["helped"] == [
        ["2", "", "Das Fallbeispiel.", "1", "", "nein"],
        ["2", "", "Zeit für Gespräche.", "1", "", "nein"],
    ]
    assert by_key["improve"] == [["1", "", "Mehr Pausen.", "1", "", "nein"]]
    assert "topics" not in by_key
    entry = AuditLogEntry.objects.get()
    assert (entry.actor, entry.action, entry.subject, entry.detail) == (
        staff_user,
        "export_feedback_csv",
        answered.event,
        {"count": 4},
    )


def test_results_csv_neutralises_formulas(staff_client, questionnaire):
    submit(questionnaire, overall=4, helped='=HYPERLINK("http://example.org")')
    rows = list(
        csv.reader(
            io.StringIO(staff_client.get(csv_url(questionnaire.event)).content.decode("utf-8-sig")), delimiter=";"
        )
    )
    assert [r[5] for r in rows if r[0] == "helped"] == ['\'=HYPERLINK("http://example.org")']


def test_results_csv_is_404_for_the_team(answered):
    member = EventTeamMemberFactory(event=answered.event).user
    assert client_for(member).get(csv_url(answered.event)).status_code == 404


def test_select_texts_for_documentation(staff_client, answered):
    first = Answer.objects.get(text="Das Fallbeispiel.")
    second = Answer.objects.get(text="Mehr Pausen.")
    Answer.objects.filter(text="Zeit für Gespräche.").update(selected_for_documentation=True)
    url = reverse("feedback:select_texts", kwargs={"slug": answered.event.slug})
    response = staff_client.post(url, {"selected": [str(first.pk), str(second.pk)]}, follow=True)
    assert "Auswahl gespeichert: 2 Freitexte gehen in die Dokumentation ein." in response.content.decode()
    assert set(Answer.objects.filter(selected_for_documentation=True).values_list("text", flat=True)) == {
        "Das Fallbeispiel.",
        "Mehr Pausen.",
    }
    html = flat(staff_client.get(results_url(answered.event)))
    assert f'value="{first.pk}" id="text-{first.pk}" form="select-texts" checked>' in html


@pytest.mark.parametrize("value", ["kein-uuid", "00000000-0000-4000-8000-000000000000", "rating"])
def test_select_texts_refuses_foreign_or_malformed_ids(staff_client, answered, value):
    if value == "rating":
        value = str(Answer.objects.filter(rating__isnull=False).first().pk)
    Answer.objects.filter(text="Mehr Pausen.").update(selected_for_documentation=True)
    url = reverse("feedback:select_texts", kwargs={"slug": answered.event.slug})
    response = staff_client.post(url, {"selected": [value]}, follow=True)
    assert "Die Auswahl passt nicht zu diesem Fragebogen. Bitte laden Sie die Seite neu." in response.content.decode()
    assert list(Answer.objects.filter(selected_for_documentation=True).values_list("text", flat=True)) == [
        "Mehr Pausen."
    ]


def test_select_texts_service_only_for_staff(answered):
    from casework.feedback.errors import NotAllowed

    with pytest.raises(NotAllowed):
        services.free_texts_select_for_documentation(questionnaire=answered, selected_ids=[], by=UserFactory())


def _earlier(slug: str, days_ago: int, ratings: list[int], yes: list[bool] = ()):
    questionnaire = services.questionnaire_ensure_default(event=ended_event(days_ago=days_ago, slug=slug, title=slug))
    for index, rating in enumerate(ratings):
        values = {"overall": rating}
        if index < len(yes):
            values["regional_meetings"] = yes[index]
        # Submitted while the window was open.
        questionnaire.open_days = days_ago + 1
        questionnaire.save()
        submit(questionnaire, **values)
    return questionnaire


def test_results_compare_with_earlier_events_by_key(staff_client, answered):
    _earlier("tag-2016", 800, [3, 4, 4, 5], yes=[True, False, False, False])
    _earlier("tag-2017", 400, [4, 4])  # two answers: shown as "–"
    later = _earlier("tag-spaeter", 1, [1, 1, 1])  # after this event: not compared
    renamed = _earlier("tag-2019", 100, [5, 5, 5])
    renamed.questions.filter(key="overall").update(key="gesamt")  # another key: not comparable
    html = flat(staff_client.get(results_url(answered.event)))
    table = html.split('class="table table-sm align-middle feedback-comparison"')[1].split("</table>")[0]
    # The event that asked under another key has nothing comparable, so no column.
    assert [h.split("</span>")[0].split(">")[-1] for h in table.split('<th scope="col"')[2:]] == [
        "tag-2016",
        "tag-2017",
        "3. Praxisfachtag von KOK und BAMF",
    ]
    overall = table.split('<tr data-key="overall">')[1].split("</tr>")[0]
    cells = [c.split("</td>")[0] for c in overall.split("<td>")[1:]]
    assert cells == [
        '4,0 <span class="small text-body-secondary">(n = 4)</span>',
        '– <span class="small text-body-secondary">(n = 2)</span>',
        '4,0 <span class="small text-body-secondary">(n = 4)</span>',
    ]
    exchange = table.split('<tr data-key="exchange">')[1].split("</tr>")[0]
    assert exchange.count('<span aria-hidden="true">–</span><span class="visually-hidden">keine Antworten</span>') == 2
    assert exchange.endswith('<td>– <span class="small text-body-secondary">(n = 2)</span></td> ')
    regional = table.split('<tr data-key="regional_meetings">')[1].split("</tr>")[0]
    assert "25 % <span" in regional
    assert "75 % <span" in regional
    assert "tag-spaeter" not in table
    assert later.event.date > answered.event.date


def test_results_compare_with_the_four_most_recent_earlier_events(staff_client, answered):
    for year in range(5):
        _earlier(f"tag-{year}", 1000 - year * 100, [4, 4, 4])
    html = flat(staff_client.get(results_url(answered.event)))
    table = html.split("feedback-comparison")[1].split("</thead>")[0]
    assert "tag-0" not in table
    assert all(f"tag-{year}" in table for year in range(1, 5))


def _comparison_cells(html: str, key: str) -> list[str]:
    table = html.split('class="table table-sm align-middle feedback-comparison"')[1].split("</table>")[0]
    row = table.split(f'<tr data-key="{key}">')[1].split("</tr>")[0]
    return [cell.split("</td>")[0] for cell in row.split("<td>")[1:]]


def test_results_compare_only_questions_asked_in_the_same_words(staff_client):
    """The "virtuelles Format" row must not mix in the "Präsenzformat" answers of the earlier in-person days,
    nor answers to a question staff reworded or moved to another scale."""
    from casework.feedback.enums import RatingScale

    in_person = services.questionnaire_ensure_default(event=ended_event(days_ago=700, slug="praesenz-2019"))
    virtual_before = services.questionnaire_ensure_default(
        event=ended_event(days_ago=400, slug="virtuell-2020", virtual=True)
    )
    for questionnaire in (in_person, virtual_before):
        questionnaire.open_days = 800
        questionnaire.save()
        for rating in (5, 4, 4):
            submit(questionnaire, overall=rating, format=rating, inputs=rating, organisation=rating)
    virtual_before.questions.filter(key="inputs").update(text="Wie hilfreich waren die Vorträge?")
    virtual_before.questions.filter(key="organisation").update(scale=RatingScale.QUALITY)
    current = services.questionnaire_ensure_default(event=ended_event(days_ago=2, slug="virtuell-2021", virtual=True))
    for rating in (3, 3, 4):
        submit(current, overall=rating, format=rating, inputs=rating, organisation=rating)

    html = flat(staff_client.get(results_url(current.event)))
    differently = '<span class="small text-body-secondary feedback-asked-differently">anders gefragt</span>'
    # Same words everywhere: compared with both earlier days.
    assert _comparison_cells(html, "overall") == [
        '4,3 <span class="small text-body-secondary">(n = 3)</span>',
        '4,3 <span class="small text-body-secondary">(n = 3)</span>',
        '3,3 <span class="small text-body-secondary">(n = 3)</span>',
    ]
    # The in-person day asked about the in-person format: not compared; the virtual day of 2020 is.
    assert _comparison_cells(html, "format") == [
        differently,
        '4,3 <span class="small text-body-secondary">(n = 3)</span>',
        '3,3 <span class="small text-body-secondary">(n = 3)</span>',
    ]
    # Reworded in 2020, or asked on another scale there: compared with 2019 only.
    for key in ("inputs", "organisation"):
        assert _comparison_cells(html, key) == [
            '4,3 <span class="small text-body-secondary">(n = 3)</span>',
            differently,
            '3,3 <span class="small text-body-secondary">(n = 3)</span>',
        ]
    assert "Mittelwert; 1 = gar nicht hilfreich, 5 = sehr hilfreich" in html
    assert "Mittelwert; 1 = gar nicht geeignet, 5 = sehr gut geeignet" in html


def test_results_label_each_question_on_its_own_scale(staff_client, questionnaire):
    for rating in (2, 4, 5):
        submit(questionnaire, overall=rating, inputs=rating, contacts=rating, organisation=rating)
    html = flat(staff_client.get(results_url(questionnaire.event)))

    def labels(key: str) -> list[str]:
        article = html.split(f'data-key="{key}"')[1].split("</article>")[0]
        return article.split('text-anchor="end" font-size="12" fill="#1f2328">')[1:]

    assert [label.split("<")[0] for label in labels("overall")] == ["1 – sehr schlecht", "2", "3", "4", "5 – sehr gut"]
    assert [label.split("<")[0] for label in labels("inputs")] == [
        "1 – gar nicht hilfreich",
        "2",
        "3",
        "4",
        "5 – sehr hilfreich",
    ]
    assert [label.split("<")[0] for label in labels("organisation")][::4] == [
        "1 – sehr unzufrieden",
        "5 – sehr zufrieden",
    ]
    assert [label.split("<")[0] for label in labels("contacts")][::4] == [
        "1 – trifft gar nicht zu",
        "5 – trifft voll zu",
    ]
    assert "sehr schlecht" not in html.split('data-key="inputs"')[1].split("</article>")[0]


def test_results_page_query_count_does_not_grow(staff_client, questionnaire, django_assert_num_queries):
    submit(questionnaire, overall=4, helped="Eins.")
    _earlier("tag-2019", 300, [4, 4, 4])
    with django_assert_num_queries(7) as one:
        staff_client.get(results_url(questionnaire.event))
    for index in range(25):
        submit(
            questionnaire, overall=1 + index % 5, exchange=3, regional_meetings=index % 2 == 0, helped=f"Text {index}"
        )
    for year in range(4):
        _earlier(f"tag-{year}", 900 - year * 100, [3, 4, 5, 5], yes=[True, True])
    with django_assert_num_queries(len(one.captured_queries)):
        response = staff_client.get(results_url(questionnaire.event))
    assert "Text 24" in response.content.decode()


def test_results_page_query_count_for_the_team(questionnaire, django_assert_num_queries):
    member = client_for(EventTeamMemberFactory(event=questionnaire.event).user)
    submit(questionnaire, overall=4)
    with django_assert_num_queries(8) as one:
        member.get(results_url(questionnaire.event))
    for _ in range(10):
        submit(questionnaire, overall=5, helped="Gut.")
    with django_assert_num_queries(len(one.captured_queries)):
        member.get(results_url(questionnaire.event))


def test_feedback_results_selected_texts_for_the_documentation(answered):
    from casework.feedback.selectors import feedback_results, questionnaire_for_results

    Answer.objects.filter(text__in=["Das Fallbeispiel.", "Mehr Pausen."]).update(selected_for_documentation=True)
    results = feedback_results(questionnaire=questionnaire_for_results(slug=answered.event.slug), all_texts=False)
    assert [(r.question.key, [a.text for a in r.texts]) for r in results.questions if r.texts] == [
        ("helped", ["Das Fallbeispiel."]),
        ("improve", ["Mehr Pausen."]),
    ]
    assert (results.invited, results.answered, results.responses) == (4, 4, 4)
    assert results.closes_on == answered.event.date + dt.timedelta(days=21)
