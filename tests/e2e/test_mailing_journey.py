"""Staff write to the confirmed people of an event in the browser: from the event's admin page to "E-Mail an
Teilnehmer*innen", a placeholder typo caught, the preview, the confirmation naming the count, sending; the mails
arrive one by one at a real SMTP server (tests/smtp.py), on a desktop and on a phone."""

import pytest
from django.conf import settings
from django.test import Client

from participants.enums import DeliveryState
from participants.enums import RegistrationStatus as S
from participants.models import Mailing
from tests.auth import login
from tests.factories import EventFactory, RegistrationFactory, StaffFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _log_in(page, live_server, staff) -> None:
    """The browser gets the session of a staff login that passed the second factor (tests/auth.py)."""
    session = login(Client(), staff).cookies[settings.SESSION_COOKIE_NAME].value
    page.context.add_cookies([{"name": settings.SESSION_COOKIE_NAME, "value": session, "url": live_server.url}])


@pytest.mark.parametrize("width", [1280, 390])
def test_journey_staff_mail_the_confirmed_people_of_an_event(page, live_server, smtp_server, width):
    page.set_viewport_size({"width": width, "height": 900})
    event = EventFactory(title="Vernetzungstreffen Sachsen", venue_name="Frauenhaus Leipzig", venue_city="Leipzig")
    RegistrationFactory(event=event, status=S.CONFIRMED, first_name="Anna", last_name="Becker", email="a@example.org")
    RegistrationFactory(event=event, status=S.CONFIRMED, first_name="Omar", last_name="Yılmaz", email="o@example.org")
    RegistrationFactory(event=event, status=S.WAITLISTED, first_name="Lena", last_name="Wolf", email="l@example.org")
    _log_in(page, live_server, StaffFactory(is_superuser=True))

    page.goto(f"/admin/events/event/{event.pk}/change/")
    page.get_by_role("link", name="E-Mail an Teilnehmer*innen", exact=True).click()
    page.wait_for_url(f"**/admin/participants/mailing/praxisfachtag/{event.pk}/schreiben/")
    assert page.get_by_role("checkbox", name="bestätigt (2)").is_checked()
    assert not page.get_by_role("checkbox", name="Warteliste (1)").is_checked()

    # A typo in a placeholder is caught before anything is sent.
    page.get_by_label("Betreff").fill("Ablauf am {datum}")
    page.get_by_label("Text").fill("Guten Tag {Vorname},\n\nwir treffen uns in {ort}.")
    page.get_by_role("button", name="Vorschau").click()
    assert "Unbekannte Platzhalter: {Vorname}." in page.locator(".errorlist").first.inner_text()

    page.get_by_label("Text").fill("Guten Tag {vorname} {nachname},\n\nwir treffen uns in {ort}.")
    page.get_by_role("button", name="Vorschau").click()
    preview = page.locator(".kok-preview")
    assert "Geht an 2 Personen, jede einzeln. So bekommt sie Anna Becker:" in preview.inner_text()
    assert "wir treffen uns in Frauenhaus Leipzig, Leipzig." in preview.inner_text()

    page.get_by_role("button", name="Senden …").click()
    assert "Die E-Mail geht jetzt an 2 Personen, an jede einzeln." in page.locator(".kok-confirm").inner_text()
    assert smtp_server.messages == []
    page.get_by_role("button", name="Jetzt an 2 Personen senden").click()

    mailing = Mailing.objects.get()
    page.wait_for_url(f"**/admin/participants/mailing/{mailing.pk}/change/")
    assert page.locator(".messagelist").inner_text().strip() == (
        "Die E-Mail ist an 2 Personen unterwegs, an jede einzeln."
    )
    assert sorted(m.envelope_to[0] for m in smtp_server.messages) == ["a@example.org", "o@example.org"]
    [anna] = smtp_server.messages_to("a@example.org")
    assert anna.get_all("To") == ["a@example.org"]
    assert smtp_server.text_part(anna).startswith("Guten Tag Anna Becker,\n\nwir treffen uns in Frauenhaus Leipzig")
    assert list(mailing.deliveries.values_list("state", flat=True)) == [DeliveryState.SENT, DeliveryState.SENT]
    rows = page.locator(".inline-group tbody tr.has_original")
    assert [" ".join(rows.nth(i).locator("td.field-state").inner_text().split()) for i in range(2)] == [
        "versendet",
        "versendet",
    ]
