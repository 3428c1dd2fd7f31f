"""The public pages as a visitor walks them, on a desktop (1280 px) and a phone (390 px): from the home page to an
upcoming event with the registration box in the first screen on phones, a past event that says when it took place
and offers no registration, the privacy page; and the feedback results as the event's team sees them, with every
chart label in full. No page scrolls sideways."""

import datetime as dt

import pytest
from django.conf import settings
from django.test import Client
from django.utils import timezone

from casework.feedback import services
from events.enums import TeamRole
from tests.auth import login
from tests.casework.feedback.factories import ended_event, submit
from tests.factories import EventFactory, EventTeamMemberFactory, ProgrammeItemFactory, UserFactory, organisation_type

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

VIEWPORTS = {"desktop": {"width": 1280, "height": 800}, "phone": {"width": 390, "height": 844}}


@pytest.fixture(params=list(VIEWPORTS))
def viewport(request, page):
    page.set_viewport_size(VIEWPORTS[request.param])
    return request.param


def assert_no_horizontal_scroll(page) -> None:
    widths = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
    assert widths[0] <= widths[1], f"{page.url}: {widths[0]} px wide in a {widths[1]} px window"


def assert_in_first_screen(page, locator) -> None:
    """``locator`` is visible without scrolling: the page is at its top and the element ends above the fold."""
    assert page.evaluate("window.scrollY") == 0
    box = locator.bounding_box()
    height = page.evaluate("window.innerHeight")
    assert box is not None
    assert box["y"] >= 0 and box["y"] + box["height"] <= height, f"{box} not within the first {height} px"


def _upcoming_event():
    event = EventFactory(
        title="Regionales Vernetzungstreffen Niedersachsen und Bremen",
        venue_name="Tagungszentrum am Hauptbahnhof",
        venue_city="Hannover",
        invited=[organisation_type("fachberatungsstelle"), organisation_type("bamf"), organisation_type("jugendhilfe")],
        description=(
            "Aus den Rückmeldungen zum virtuellen Praxisfachtag ist der Wunsch nach regelmäßigen regionalen Treffen "
            "entstanden. Dieses Vernetzungstreffen bringt Fachberatungsstellen, BAMF-Sonderbeauftragte und Jugendämter "
            "aus Niedersachsen und Bremen zusammen."
        ),
    )
    for hour, title in [
        (10, "Ankommen und Vorstellungsrunde"),
        (11, "Fallbeispiele in Kleingruppen"),
        (14, "Absprachen"),
    ]:
        ProgrammeItemFactory(event=event, start=dt.time(hour), end=dt.time(hour, 45), title=title)
    return event


def _past_event():
    event = EventFactory(
        past=True,
        date=dt.date(2017, 9, 21),
        title="Regionaler Praxisfachtag Berlin: Fachberatungsstellen und BAMF-Sonderbeauftragte",
        venue_city="Berlin",
        description="Der zweite regionale Praxisfachtag findet in Berlin statt.",
        summary="Fachberatungsstellen und Sonderbeauftragte aus Berlin und Ostdeutschland haben sich ausgetauscht.",
        review_published_at=timezone.now(),
    )
    ProgrammeItemFactory(event=event, start=dt.time(10), end=dt.time(10, 30), title="Begrüßung")
    return event


def test_public_home_to_upcoming_event_with_registration_in_the_first_screen(page, viewport):
    event = _upcoming_event()
    past = _past_event()

    page.goto("/")
    assert_no_horizontal_scroll(page)
    upcoming = page.locator("section[aria-labelledby=upcoming-heading]")
    archive = page.locator("section[aria-labelledby=past-heading]")
    assert upcoming.get_by_role("link", name=event.title).is_visible()
    assert archive.get_by_role("link", name=past.title).is_visible()
    assert upcoming.get_by_role("link", name=past.title).count() == 0
    # The archive is its own section below the upcoming events.
    assert archive.bounding_box()["y"] > upcoming.bounding_box()["y"] + upcoming.bounding_box()["height"] - 1

    upcoming.get_by_role("link", name=event.title).click()
    page.wait_for_url(f"**{event.get_absolute_url()}")
    assert page.locator("h1").inner_text() == event.title
    assert_no_horizontal_scroll(page)
    register = page.get_by_role("link", name="Jetzt anmelden")
    assert_in_first_screen(page, page.get_by_role("heading", name="Anmeldung", exact=True))
    assert_in_first_screen(page, register)
    assert page.get_by_role("heading", name="Programm").is_visible()
    if viewport == "phone":
        # Stacked: registration first, the programme after it.
        assert register.bounding_box()["y"] < page.get_by_role("heading", name="Programm").bounding_box()["y"]
    else:
        # Side by side: the registration box on the right of the programme.
        assert register.bounding_box()["x"] > page.get_by_role("heading", name="Programm").bounding_box()["x"]


def test_public_past_event_says_when_it_took_place_and_offers_no_registration(page, viewport):
    event = _past_event()

    page.goto(event.get_absolute_url())
    assert_no_horizontal_scroll(page)
    statement = page.locator(".event-took-place")
    assert statement.inner_text() == "Dieser Praxisfachtag fand am 21. September 2017 in Berlin statt."
    assert_in_first_screen(page, statement)
    assert page.get_by_role("heading", name="Rückblick").is_visible()
    assert page.get_by_text("Fachberatungsstellen und Sonderbeauftragte aus Berlin und Ostdeutschland").is_visible()
    assert page.get_by_role("heading", name="Aus der Ankündigung").is_visible()
    assert page.get_by_role("link", name="Jetzt anmelden").count() == 0
    assert page.get_by_role("heading", name="Anmeldung", exact=True).count() == 0
    assert page.get_by_text("vergangen").count() == 0


def test_public_privacy_page_fits_the_screen(page, viewport):
    page.goto("/datenschutz/")
    assert page.locator("h1").is_visible()
    assert_no_horizontal_scroll(page)


def _log_in(page, live_server, user) -> None:
    """The browser takes over the session of a test client that logged ``user`` in."""
    client = login(Client(), user)
    page.context.add_cookies(
        [
            {
                "name": settings.SESSION_COOKIE_NAME,
                "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
                "url": live_server.url,
            }
        ]
    )


def test_feedback_results_show_every_chart_label_in_full(page, live_server, viewport):
    event = ended_event(days_ago=3, title="Regionales Vernetzungstreffen Niedersachsen und Bremen", slug="treffen")
    questionnaire = services.questionnaire_ensure_default(event=event)
    # 25 answers, 14 of them "4": the longest bar carries "14 (56 %)", which the chart used to cut off.
    for rating in [4] * 14 + [5] * 5 + [3] * 5 + [2]:
        submit(questionnaire, overall=rating, inputs=rating)
    facilitator = UserFactory(first_name="Mara", last_name="Moderation")
    EventTeamMemberFactory(event=event, user=facilitator, role=TeamRole.FACILITATOR)
    _log_in(page, live_server, facilitator)

    page.goto(f"/rueckmeldung/auswertung/{event.slug}/")
    assert page.get_by_role("heading", name="Rückmeldungen", exact=True).is_visible()
    assert_no_horizontal_scroll(page)
    inputs = page.locator("article[data-key=inputs] svg.chart")
    texts = inputs.locator("text").all_text_contents()
    assert texts == [
        "1 – gar nicht hilfreich",
        "0 (0 %)",
        "2",
        "1 (4 %)",
        "3",
        "5 (20 %)",
        "4",
        "14 (56 %)",
        "5 – sehr hilfreich",
        "5 (20 %)",
    ]
    # Every label and value is drawn inside its chart (SVG clips what lies outside).
    for chart in page.locator("svg.chart").all():
        chart.scroll_into_view_if_needed()
        outside = chart.evaluate(
            """svg => {
                const frame = svg.getBoundingClientRect();
                return [...svg.querySelectorAll('text')]
                    .map(t => [t.textContent, t.getBoundingClientRect()])
                    .filter(([, r]) => r.left < frame.left - 0.5 || r.right > frame.right + 0.5)
                    .map(([text]) => text);
            }"""
        )
        assert outside == []
