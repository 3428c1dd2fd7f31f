"""Issue 16 in Chromium, as staff and participants walk it (at a desktop and a phone width):

1. staff build a two-day hybrid event in the admin (format, presence mode, first and last day, seats on site and
   online counted apart, a programme on both days), name a speaker (who consented) in a programme item and add a
   handout for registered participants, and publish it; the public page shows both days, the programme per day,
   the speaker, the seats on site and online, and not the handout;
2. a participant registers to take part online and is confirmed into the online seats; their registration page
   shows the access data;
3. staff publish the review of a past event with the button on its admin page; the public page then shows it.

Screenshots of every step land in the test's tmp_path (``--basetemp`` to keep them)."""

import datetime as dt

import pytest
from django.conf import settings
from django.test import Client
from django.utils import timezone

from events.enums import EventKind, PresenceMode
from events.models import Event
from participants.enums import RegistrationStatus as S
from participants.models import Registration
from tests.auth import login
from tests.factories import (
    TINY_PDF,
    EventFactory,
    OrganisationFactory,
    RegistrationFactory,
    SpeakerFactory,
    StaffFactory,
    UserFactory,
    organisation_type,
    speaker_invitation,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

TITLE = "Kooperationsworkshop Polizei und Fachberatungsstellen"


def _session(page, live_server, user, *, staff: bool) -> None:
    client = Client()
    if staff:
        login(client, user)
    else:
        client.force_login(user)
    session = client.cookies[settings.SESSION_COOKIE_NAME].value
    page.context.add_cookies([{"name": settings.SESSION_COOKIE_NAME, "value": session, "url": live_server.url}])


@pytest.fixture
def shot(tmp_path):
    taken = []

    def take(page, name: str) -> None:
        width = page.viewport_size["width"]
        taken.append(name)
        page.screenshot(path=str(tmp_path / f"{len(taken):02d}-{width}-{name}.png"), full_page=True)
        assert page.evaluate("document.documentElement.scrollWidth") <= width, name

    return take


def _add_programme_row(page, index: int, *, day: int, start: str, end: str, kind: str, title: str) -> None:
    page.locator("#programme-group .add-row a").click()
    prefix = f"#id_programme-{index}-"
    page.fill(prefix + "day", str(day))
    page.fill(prefix + "start", start)
    page.fill(prefix + "end", end)
    page.select_option(prefix + "kind", kind)
    page.fill(prefix + "title", title)


@pytest.mark.parametrize("width", [1280, 390])
def test_staff_build_a_two_day_hybrid_event_and_a_participant_books_online(page, live_server, width, shot, tmp_path):
    page.set_viewport_size({"width": width, "height": 900})
    fbs = organisation_type("fachberatungsstelle")
    kim = SpeakerFactory(
        name="Kim Muster", organisation="KOK e.V.", consent_to_publish=True, consent_given_at=timezone.now()
    )
    first = timezone.localdate() + dt.timedelta(days=50)
    _session(page, live_server, StaffFactory(is_superuser=True), staff=True)

    # 1. Staff build the event in the admin.
    page.goto("/admin/events/event/add/")
    page.fill("#id_title", TITLE)
    page.select_option("#id_kind", EventKind.COOPERATION_WORKSHOP)
    page.select_option("#id_presence", PresenceMode.HYBRID)
    page.select_option("#id_status", "published")
    page.fill("#id_date", first.strftime("%d.%m.%Y"))
    page.fill("#id_end_date", (first + dt.timedelta(days=1)).strftime("%d.%m.%Y"))
    page.fill("#id_start_time", "13:00")
    page.fill("#id_end_time", "12:30")
    page.fill("#id_venue_name", "Tagungsstätte am Rhein")
    page.fill("#id_venue_postcode", "65189")
    page.fill("#id_venue_city", "Wiesbaden")
    page.fill("#id_online_access", "https://konferenz.example.org/workshop Zugangscode 2468")
    page.check(f"input[name=invited_types][value='{fbs.pk}']")
    # The address is proposed from the title (once the title field is left); staff shorten it.
    page.fill("#id_slug", "kooperationsworkshop-2027")
    page.fill("#id_capacity", "1")
    page.fill("#id_online_capacity", "20")
    _add_programme_row(page, 0, day=1, start="13:00", end="15:00", kind="input", title="Sicht der Polizei")
    _add_programme_row(page, 1, day=2, start="09:00", end="11:00", kind="workshop", title="Arbeit in Kleingruppen")
    shot(page, "admin-event")
    page.locator("input[name=_save]").first.click()
    page.wait_for_url("**/admin/events/event/")
    event = Event.objects.get(slug="kooperationsworkshop-2027")
    assert (event.end_date, event.presence, event.online_capacity) == (first + dt.timedelta(days=1), "hybrid", 20)
    assert list(event.programme.order_by("day").values_list("day", "title")) == [
        (1, "Sicht der Polizei"),
        (2, "Arbeit in Kleingruppen"),
    ]

    # The speaker (a record that consented) in the first item, a handout for registered participants.
    page.goto(f"/admin/events/event/{event.pk}/change/")
    page.locator("td.field-speaker_list .select2-selection").first.click()
    page.locator(".select2-search__field").last.fill("Kim")
    page.locator(".select2-results__option", has_text="Kim Muster").click()
    handout = tmp_path / "Checkliste Kooperation.pdf"
    handout.write_bytes(TINY_PDF)
    page.locator(".materials-inline .add-row a").click()
    page.locator('[name="materials-0-title"]').fill("Checkliste Kooperation")
    page.locator('[name="materials-0-visibility"]').select_option("registered")
    page.locator('[name="materials-0-upload"]').set_input_files(str(handout))
    shot(page, "admin-speaker-material")
    with page.expect_navigation():
        page.locator("input[name=_continue]").first.click()
    assert list(event.programme.get(day=1).speaker_records.values_list("name", flat=True)) == ["Kim Muster"]
    # Kim confirms this event through her invitation (tests/e2e/test_speaker_journey.py walks that page); only then
    # is she named publicly.
    speaker_invitation(kim, event, confirmed_at=timezone.now(), sent_at=timezone.now())
    assert list(event.materials.values_list("title", "visibility")) == [("Checkliste Kooperation", "registered")]

    # A programme item on a third day of a two-day event is refused with a clear message.
    page.fill("#id_programme-1-day", "3")
    with page.expect_navigation():
        page.locator("input[name=_continue]").first.click()
    assert "Die Veranstaltung hat nur 2 Tage." in page.locator("#programme-group .errorlist").first.inner_text()
    assert event.programme.filter(day=3).count() == 0

    # The public page: both days, the programme per day, hybrid, seats on site and online.
    page.goto(event.get_absolute_url())
    shot(page, "event-page")
    assert page.locator(".programme-day").all_inner_texts() == [
        f"Tag 1: {_weekday(first)}, {_date(first)}",
        f"Tag 2: {_weekday(first + dt.timedelta(days=1))}, {_date(first + dt.timedelta(days=1))}",
    ]
    assert page.get_by_text("Teilnahme auch online möglich (hybrid)").is_visible()
    assert "20 Plätze frei" in page.locator(".seats-online").inner_text()
    assert page.locator(".programme-speakers").get_by_text("Kim Muster", exact=True).is_visible()
    # Staff see the participants' handout; an anonymous visitor does not.
    assert page.get_by_text("Checkliste Kooperation").count() == 1

    # 2. A participant registers to take part online.
    person = UserFactory(email="aylin.weber@beratung.example", first_name="Aylin", last_name="Weber")
    organisation = OrganisationFactory(organisation_type=fbs)
    page.context.clear_cookies()
    page.goto(event.get_absolute_url())
    assert page.get_by_text("Checkliste Kooperation").count() == 0
    _session(page, live_server, person, staff=False)
    page.goto(f"{event.get_absolute_url()}anmelden/")
    page.get_by_label("Vorname").fill("Aylin")
    page.get_by_label("Nachname").fill("Weber")
    page.check(f"input[name=organisation_type][value='{fbs.pk}']")
    page.select_option("#id_organisation", str(organisation.pk))
    page.get_by_label("Funktion / Rolle").fill("Beraterin")
    page.select_option("#id_federal_state", "HE")
    page.get_by_label("online", exact=True).check()
    page.check("#id_privacy_consent")
    shot(page, "registration-form")
    page.get_by_role("button", name="Verbindlich anmelden").click()
    page.wait_for_url("**/meine-anmeldungen/*/")
    registration = Registration.objects.get(event=event, user=person)
    assert (registration.status, registration.attends_online) == (S.CONFIRMED, True)
    assert page.locator(".attendance-mode").inner_text() == "Sie nehmen online teil."
    assert "Zugangscode 2468" in page.locator(".online-access").inner_text()
    shot(page, "registration")
    # Registered, the participant finds the handout on the event page and downloads it.
    page.goto(event.get_absolute_url())
    with page.expect_download() as download:
        page.get_by_role("link", name="Checkliste Kooperation", exact=False).first.click()
    assert download.value.suggested_filename == "Checkliste Kooperation.pdf"


def _weekday(day: dt.date) -> str:
    return ["Montag", "Dienstag", "Mittwoch", "Donnerstag", "Freitag", "Samstag", "Sonntag"][day.weekday()]


def _date(day: dt.date) -> str:
    months = ["Januar", "Februar", "März", "April", "Mai", "Juni", "Juli", "August", "September", "Oktober",
              "November", "Dezember"]  # fmt: skip
    return f"{day.day}. {months[day.month - 1]} {day.year}"


@pytest.mark.parametrize("width", [1280, 390])
def test_staff_publish_the_review_of_a_past_event(page, live_server, width, shot):
    page.set_viewport_size({"width": width, "height": 900})
    event = EventFactory(
        title="Praxisfachtag Hannover",
        date=timezone.localdate() - dt.timedelta(days=20),
        registration_opens=None,
        registration_closes=None,
        summary="Fachberatungsstellen und BAMF-Sonderbeauftragte tauschten sich über die Identifizierung aus.",
        outcomes="Regionale Treffen sollen folgen.",
    )
    for _ in range(4):
        RegistrationFactory(event=event, status=S.ATTENDED)
    anonymous = Client()
    assert "event-review" not in anonymous.get(event.get_absolute_url()).content.decode()

    _session(page, live_server, StaffFactory(is_superuser=True), staff=True)
    page.goto(f"/admin/events/event/{event.pk}/change/")
    page.get_by_role("button", name="Rückblick veröffentlichen").click()
    shot(page, "review-published-admin")
    event.refresh_from_db()
    assert event.review_published_at is not None

    page.context.clear_cookies()
    page.goto(event.get_absolute_url())
    shot(page, "review-public")
    review = page.locator(".event-review").inner_text()
    assert "Fachberatungsstellen und BAMF-Sonderbeauftragte tauschten sich über die Identifizierung aus." in review
    assert "Regionale Treffen sollen folgen." in review
    assert "4 Personen haben teilgenommen." in review
