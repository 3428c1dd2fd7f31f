import pytest

from tests.factories import EventFactory, ProgrammeItemFactory, organisation_type

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_browse_home_to_event_and_switch_language(page, tmp_path):
    event = EventFactory(
        title="Regionales Vernetzungstreffen Niedersachsen",
        invited=[organisation_type("fachberatungsstelle"), organisation_type("bamf")],
    )
    ProgrammeItemFactory(event=event, title="Begrüßung und Vorstellungsrunde", kind="welcome")

    page.goto("/")
    assert page.locator("h1").inner_text() == "Praxisfachtage gegen Menschenhandel"
    page.get_by_role("link", name="Regionales Vernetzungstreffen Niedersachsen").click()
    page.wait_for_url(f"**{event.get_absolute_url()}")
    assert page.locator("h1").inner_text() == "Regionales Vernetzungstreffen Niedersachsen"
    assert page.get_by_role("heading", name="Programm").is_visible()
    assert page.get_by_text("Begrüßung und Vorstellungsrunde").is_visible()

    page.get_by_label("Sprache").select_option("en")
    page.get_by_role("button", name="Wechseln").click()
    page.wait_for_url(f"**{event.get_absolute_url()}")
    assert page.locator("html").get_attribute("lang") == "en"
    assert page.get_by_role("heading", name="Programme").is_visible()
    assert page.locator(".facts dd li").all_inner_texts() == ["Specialist counselling centre", "BAMF special officer"]
    screenshot = tmp_path / "event-detail-en.png"
    page.screenshot(path=str(screenshot), full_page=True)
    assert screenshot.stat().st_size > 10_000
