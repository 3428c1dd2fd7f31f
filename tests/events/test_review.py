"""The public review of a past event (issue 16, part 5): staff publish it explicitly; it shows summary, outcomes and
who took part by organisation type, never names and never a figure below three people; the archive marks it."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.cache import cache
from django.test import Client
from django.urls import reverse

from events import services
from events.enums import EventStatus
from participants.enums import RegistrationStatus
from participants.selectors import review_figures
from tests.factories import EventFactory, OrganisationFactory, RegistrationFactory, organisation_type

pytestmark = pytest.mark.django_db


def attend(event, type_slug: str, n: int, status=RegistrationStatus.ATTENDED):
    organisation = OrganisationFactory(organisation_type=organisation_type(type_slug))
    for i in range(n):
        RegistrationFactory(
            event=event, organisation=organisation, status=status, first_name=f"Vorname{type_slug}{i}", last_name="X"
        )


@pytest.fixture
def day():
    event = EventFactory(
        past=True,
        date=dt.date(2019, 11, 13),
        title="2. KOK-BAMF-Praxisfachtag",
        summary="Je 20 Vertreter*innen haben sich ausgetauscht.",
        outcomes="Absprachen zur regionalen Zusammenarbeit.",
    )
    attend(event, "fachberatungsstelle", 20)
    attend(event, "bamf", 18)
    attend(event, "jugendhilfe", 2)
    attend(event, "kok", 1)
    attend(event, "bamf", 5, status=RegistrationStatus.CANCELLED)  # not counted
    return event


def test_the_review_shows_only_once_published(day, client):
    assert "review-heading" not in client.get(day.get_absolute_url()).content.decode()
    services.event_review_publish(event=day, publish=True)
    cache.clear()  # anonymous visitors get the cached page for up to 15 s (README)
    html = Client().get(day.get_absolute_url()).content.decode()
    assert '<h2 id="review-heading">Rückblick</h2>' in html
    assert "41 Personen haben teilgenommen." in html
    figures = html[html.index('<ul class="review-figures">') : html.index("</ul>", html.index("review-figures"))]
    assert "Fachberatungsstelle: 20" in figures and "BAMF-Sonderbeauftragte: 18" in figures
    assert "weitere Arten von Organisationen: 3" in figures
    # Types below three people are combined, never shown on their own; no names anywhere.
    assert "Jugend" not in figures and "KOK-Geschäftsstelle" not in figures
    assert "Vornamefachberatungsstelle0" not in html
    services.event_review_publish(event=day, publish=False)
    cache.clear()
    assert "review-heading" not in Client().get(day.get_absolute_url()).content.decode()


def test_small_groups_that_stay_small_together_are_left_out(day):
    day.registrations.filter(organisation_type__slug="kok").delete()
    figures = review_figures(event=day)
    # No total: 40 minus the 38 shown would give the hidden group away.
    assert (figures.total, figures.others, figures.small_groups_hidden) == (None, 0, True)
    assert [count for _label, count in figures.by_type] == [20, 18]


def test_fewer_than_three_people_give_no_figures():
    event = EventFactory(past=True)
    attend(event, "bamf", 2)
    assert review_figures(event=event) is None


@pytest.mark.parametrize(
    ("case", "message"),
    [
        ("upcoming", "Einen Rückblick gibt es erst nach der Veranstaltung."),
        ("draft", "Einen Rückblick gibt es nur für veröffentlichte Praxisfachtage."),
        ("no texts", "Bitte tragen Sie zuerst eine Zusammenfassung oder Ergebnisse ein und speichern Sie sie."),
    ],
)
def test_a_review_is_published_only_after_the_day_with_texts(case, message):
    event = EventFactory(past=case != "upcoming", summary="" if case == "no texts" else "Zusammenfassung.")
    if case == "draft":
        event.status = EventStatus.DRAFT
        event.save()
    with pytest.raises(services.ReviewNotPossible) as refused:
        services.event_review_publish(event=event, publish=True)
    assert refused.value.message == message
    event.refresh_from_db()
    assert event.review_published_at is None


def test_the_archive_marks_published_reviews(day):
    other = EventFactory(past=True, title="Ohne Rückblick", summary="Noch intern.")
    services.event_review_publish(event=day, publish=True)
    html = Client().get("/").content.decode()
    archive = html[html.index('id="past-heading"') :]
    assert archive.count("mit Rückblick") == 1
    line = archive[archive.index(day.title) : archive.index(day.title) + 300]
    assert "mit Rückblick" in line
    assert other.title in archive


def test_staff_publish_and_withdraw_with_the_button(day, staff_client):
    change = reverse("admin:events_event_change", args=[day.pk])
    url = reverse("admin:events_event_review", args=[day.pk])
    assert "Rückblick veröffentlichen" in staff_client.get(change).content.decode()
    assert staff_client.get(url).status_code == 405
    response = staff_client.post(url, {"publish": "1"}, follow=True)
    assert "Der Rückblick steht jetzt auf der öffentlichen Seite." in response.content.decode()
    day.refresh_from_db()
    assert day.review_published_at is not None
    assert "Rückblick zurückziehen" in staff_client.get(change).content.decode()
    staff_client.post(url, {"publish": "0"})
    day.refresh_from_db()
    assert day.review_published_at is None
    upcoming = EventFactory()
    assert (
        "Rückblick veröffentlichen"
        not in staff_client.get(reverse("admin:events_event_change", args=[upcoming.pk])).content.decode()
    )
    refused = staff_client.post(reverse("admin:events_event_review", args=[upcoming.pk]), {"publish": "1"}, follow=True)
    assert "Einen Rückblick gibt es erst nach der Veranstaltung" in refused.content.decode()


def test_participants_cannot_publish(day, user_client):
    response = user_client.post(reverse("admin:events_event_review", args=[day.pk]), {"publish": "1"})
    assert response.status_code == 302 and response["Location"].startswith("/admin/login/")
    day.refresh_from_db()
    assert day.review_published_at is None
