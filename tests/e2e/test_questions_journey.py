"""A person registers for a practice day that asks its own questions (issue 15, part 3), in Chromium at 1280 and
390 px, in German and in English: choosing an organisation type shows the questions for that type (static script),
a missing required answer is caught by the server, the answers are stored and shown on the registration's page.

Screenshots land in the test's tmp_path (``--basetemp`` to keep them)."""

import datetime as dt

import pytest
from django.conf import settings
from django.test import Client

from events.enums import QuestionKind as K
from participants.models import Registration, RegistrationAnswer
from tests.auth import login
from tests.events.factories import EventQuestionFactory
from tests.factories import EventFactory, OrganisationFactory, organisation_type, verified_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# What the person sees, by language: the question texts come from the event (German and English), the error from
# Django's own translations.
TEXTS = {
    "de": {
        "travel": "Benötigen Sie eine Erstattung Ihrer Reisekosten?",
        "interpreter": "Benötigen Sie eine Verdolmetschung?",
        "topics": "Welche Themen wünschen Sie sich?",
        "arrival": "Anreise am",
        "yes": "Ja",
        "english": "Englisch",
        "required": "Dieses Feld ist zwingend erforderlich.",
        "answers": [
            ("Benötigen Sie eine Erstattung Ihrer Reisekosten?", "ja"),
            ("Benötigen Sie eine Verdolmetschung?", "Englisch"),
            ("Anreise am", "25.03.2027"),
        ],
    },
    "en": {
        "travel": "Do you need your travel costs reimbursed?",
        "interpreter": "Do you need an interpreter?",
        "topics": "Which topics would you like to discuss?",
        "arrival": "Arrival on",
        "yes": "Yes",
        "english": "English",
        "required": "This field is required.",
        "answers": [
            ("Do you need your travel costs reimbursed?", "yes"),
            ("Do you need an interpreter?", "English"),
            ("Arrival on", "25 Mar 2027"),
        ],
    },
}


@pytest.fixture(params=[1280, 390], ids=lambda width: f"{width}px")
def width(request):
    return request.param


@pytest.mark.parametrize("language", ["de", "en"])
def test_person_sees_the_questions_of_the_chosen_type_answers_and_finds_the_answers(
    browser, live_server, tmp_path, width, language
):
    texts = TEXTS[language]
    fbs, bamf = organisation_type("fachberatungsstelle"), organisation_type("bamf")
    event = EventFactory(title="Vernetzungstreffen Nord", invited=[fbs, bamf], capacity=20)
    EventQuestionFactory(
        event=event,
        position=1,
        kind=K.YES_NO,
        text=TEXTS["de"]["travel"],
        text_en=TEXTS["en"]["travel"],
        required=True,
        types=[fbs],
    )
    EventQuestionFactory(
        event=event,
        position=2,
        kind=K.SINGLE_CHOICE,
        text=TEXTS["de"]["interpreter"],
        text_en=TEXTS["en"]["interpreter"],
        options="Nein\nEnglisch\nFranzösisch",
        options_en="No\nEnglish\nFrench",
    )
    EventQuestionFactory(
        event=event,
        position=3,
        kind=K.MULTIPLE_CHOICE,
        text=TEXTS["de"]["topics"],
        text_en=TEXTS["en"]["topics"],
        options="Aufenthaltsrecht\nMinderjährige",
        options_en="Residence law\nMinors",
        types=[bamf],
    )
    EventQuestionFactory(event=event, position=4, kind=K.DATE, text="Anreise am", text_en="Arrival on")
    organisation = OrganisationFactory(name="Fachberatungsstelle Horizont", organisation_type=fbs, city="Kiel")
    person = verified_user(f"aylin.{width}.{language}@example.org", first_name="Aylin", last_name="Weber")

    context = browser.new_context(
        locale="de-DE" if language == "de" else "en-GB",
        base_url=live_server.url,
        viewport={"width": width, "height": 900 if width > 500 else 844},
    )
    context.set_default_timeout(15_000)
    session = login(Client(), person).cookies[settings.SESSION_COOKIE_NAME].value
    context.add_cookies(
        [
            {"name": settings.SESSION_COOKIE_NAME, "value": session, "url": live_server.url},
            {"name": settings.LANGUAGE_COOKIE_NAME, "value": language, "url": live_server.url},
        ]
    )
    page = context.new_page()
    console_errors: list[str] = []
    page.on("console", lambda msg: console_errors.append(msg.text) if msg.type == "error" else None)
    shots = []

    def shot(name):
        shots.append(name)
        page.screenshot(path=str(tmp_path / f"{width}-{language}-{len(shots):02d}-{name}.png"), full_page=True)
        assert page.evaluate("document.documentElement.scrollWidth") <= width, name

    def visible(key) -> bool:
        return page.locator(".event-question").filter(has_text=texts[key]).is_visible()

    page.goto(f"/praxisfachtage/{event.slug}/anmelden/")
    assert page.locator("html").get_attribute("lang") == language
    # No type chosen yet: only the questions for everyone.
    assert (visible("travel"), visible("interpreter"), visible("topics"), visible("arrival")) == (
        False,
        True,
        False,
        True,
    )
    shot("no-type")

    page.check(f"input[name=organisation_type][value='{bamf.pk}']")
    assert (visible("travel"), visible("topics")) == (False, True)
    page.check(f"input[name=organisation_type][value='{fbs.pk}']")
    assert (visible("travel"), visible("topics")) == (True, False)
    shot("counselling-centre")

    page.fill("#id_first_name", "Aylin")
    page.fill("#id_last_name", "Weber")
    page.select_option("#id_organisation", str(organisation.pk))
    page.fill("#id_function", "Beraterin")
    page.select_option("#id_federal_state", "SH")
    page.check("#id_privacy_consent")
    page.get_by_role("radio", name=texts["english"], exact=True).check()
    page.locator("input[type=date]").fill("2027-03-25")
    submit = page.locator("form[data-registration-form] [type=submit]")
    submit.click()

    # The travel question is required for counselling centres: the server says so at the question.
    page.wait_for_load_state()
    travel_group = page.locator(".event-question").filter(has_text=texts["travel"])
    assert travel_group.get_by_text(texts["required"]).is_visible()
    assert not Registration.objects.exists()
    shot("required-missing")
    travel_group.get_by_role("radio", name=texts["yes"], exact=True).check()
    page.check("#id_privacy_consent")
    submit.click()

    page.wait_for_url("**/meine-anmeldungen/*/")
    registration = Registration.objects.get(user=person)
    answers = page.locator(".registration-answers")
    assert (
        list(zip(answers.locator("dt").all_inner_texts(), answers.locator("dd").all_inner_texts(), strict=True))
        == (texts["answers"])
    )
    shot("registered")
    assert sorted(
        RegistrationAnswer.objects.filter(registration=registration).values_list(
            "question__position", "yes", "choices", "date"
        )
    ) == [(1, True, [], None), (2, None, [1], None), (4, None, [], dt.date(2027, 3, 25))]
    context.close()
    assert console_errors == []
