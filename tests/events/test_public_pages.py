import datetime as dt
import re

import pytest
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone

from events.enums import EventStatus, RegistrationState
from participants.enums import RegistrationStatus
from participants.selectors import public_home_page as home_page
from tests.factories import (
    EventFactory,
    ProgrammeItemFactory,
    QuotaFactory,
    RegistrationFactory,
    organisation_type,
)

pytestmark = pytest.mark.django_db


def test_home_lists_upcoming_published_events_only(client):
    published = EventFactory(title="Vernetzungstreffen Hamburg")
    EventFactory(title="Geheimer Entwurf", draft=True)
    response = client.get(reverse("events:home"))
    assert response.status_code == 200
    assert [card.event for card in response.context["page"].upcoming] == [published]
    assert "Vernetzungstreffen Hamburg" in response.text
    assert "Geheimer Entwurf" not in response.text


def test_home_groups_past_events_by_year(client):
    e2019 = EventFactory(past=True, date=dt.date(2019, 11, 13), title="Zweiter KOK-BAMF-Praxisfachtag")
    e2020 = EventFactory(past=True, date=dt.date(2020, 11, 26), virtual=True)
    e2016 = EventFactory(past=True, date=dt.date(2016, 11, 16))
    page = home_page()
    assert page.past_by_year == [(2020, [e2020]), (2019, [e2019]), (2016, [e2016])]
    response = client.get(reverse("events:home"))
    assert "Zweiter KOK-BAMF-Praxisfachtag" in response.text


def test_home_query_count_does_not_grow_with_events(client, django_assert_num_queries):
    EventFactory()
    EventFactory(past=True)
    with django_assert_num_queries(1) as one:  # events, types, quotas and counted registrations in one query
        assert client.get(reverse("events:home")).status_code == 200
    for _ in range(19):
        event = EventFactory()
        QuotaFactory(event=event)
        RegistrationFactory(event=event)
        EventFactory(past=True)
    cache.clear()
    with django_assert_num_queries(len(one.captured_queries)):
        response = client.get(reverse("events:home"))
    assert len(response.context["page"].upcoming) == 20


def test_event_detail_shows_programme_as_timeline(client):
    event = EventFactory(title="Praxisfachtag 2019")
    ProgrammeItemFactory(
        event=event, start=dt.time(13, 30), end=dt.time(15), kind="workshop", title="Arbeitsgruppen an Fallbeispielen"
    )
    ProgrammeItemFactory(event=event, start=dt.time(9, 30), end=dt.time(10), kind="welcome", title="Begrüßung")
    response = client.get(event.get_absolute_url())
    assert response.status_code == 200
    assert [item.title for item in response.context["page"].programme] == [
        "Begrüßung",
        "Arbeitsgruppen an Fallbeispielen",
    ]
    assert response.text.index("Begrüßung") < response.text.index("Arbeitsgruppen an Fallbeispielen")
    assert "Arbeit in Kleingruppen" in response.text


def test_event_detail_virtual_says_virtuell_and_hides_access(client):
    event = EventFactory(virtual=True, online_access="https://konferenz.example.org/geheim Code 4711")
    response = client.get(event.get_absolute_url())
    assert "virtuell" in response.text
    assert "konferenz.example.org/geheim" not in response.text
    assert "4711" not in response.text


def test_event_detail_draft_is_404(client):
    event = EventFactory(draft=True)
    assert client.get(event.get_absolute_url()).status_code == 404


def test_event_detail_unknown_slug_is_404(client):
    assert client.get(reverse("events:detail", kwargs={"slug": "gibt-es-nicht"})).status_code == 404


def test_event_detail_cancelled_is_shown_as_cancelled(client):
    event = EventFactory(status=EventStatus.CANCELLED)
    response = client.get(event.get_absolute_url())
    assert response.status_code == 200
    assert response.context["page"].state == RegistrationState.CANCELLED


@pytest.mark.parametrize(
    ("opens", "closes", "expected"),
    [
        (1, 10, RegistrationState.NOT_YET_OPEN),
        (-1, 10, RegistrationState.OPEN),
        (-10, -1, RegistrationState.CLOSED),
    ],
)
def test_event_detail_registration_state_follows_window(client, opens, closes, expected):
    now = timezone.now()
    event = EventFactory(
        registration_opens=now + dt.timedelta(days=opens), registration_closes=now + dt.timedelta(days=closes)
    )
    assert client.get(event.get_absolute_url()).context["page"].state == expected


def test_event_detail_full_when_every_invited_type_is_full(client):
    fbs, bamf = organisation_type("fachberatungsstelle"), organisation_type("bamf")
    event = EventFactory(invited=[fbs, bamf], capacity=2)
    QuotaFactory(event=event, organisation_type=fbs, seats=1)
    QuotaFactory(event=event, organisation_type=bamf, seats=1)
    RegistrationFactory(event=event, organisation__organisation_type=fbs)
    assert client.get(event.get_absolute_url()).context["page"].state == RegistrationState.OPEN
    RegistrationFactory(event=event, organisation__organisation_type=bamf, status=RegistrationStatus.PENDING)
    cache.clear()  # anonymous pages are cached for a few seconds
    assert client.get(event.get_absolute_url()).context["page"].state == RegistrationState.WAITLIST


def test_event_detail_lists_co_organisers_and_invited_types(client):
    event = EventFactory(invited=[organisation_type("jugendhilfe"), organisation_type("gefluechtete")])
    from tests.factories import OrganisationFactory

    ecpat = OrganisationFactory(name="ECPAT Deutschland e.V.", organisation_type=organisation_type("sonstige"))
    event.co_organisers.add(ecpat)
    response = client.get(event.get_absolute_url())
    assert "ECPAT Deutschland e.V." in response.text
    assert "Jugendamt / Jugendhilfe" in response.text
    assert "Beratungsstelle für Geflüchtete" in response.text


def test_event_detail_in_english_uses_english_type_names(client):
    event = EventFactory(invited=[organisation_type("bamf")])
    response = client.get(event.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="en")
    assert "BAMF special officer" in response.text
    assert "Programme" in response.text


def test_event_page_is_one_query_whatever_its_programme_and_registrations(client, django_assert_num_queries):
    fbs, bamf = organisation_type("fachberatungsstelle"), organisation_type("bamf")
    event = EventFactory(invited=[fbs, bamf])
    QuotaFactory(event=event, organisation_type=fbs, seats=3)
    for hour in range(9, 16):
        ProgrammeItemFactory(event=event, start=dt.time(hour), end=dt.time(hour, 45), title=f"Punkt {hour}")
    RegistrationFactory.create_batch(3, event=event, organisation_type=fbs)
    RegistrationFactory(event=event, organisation_type=fbs, status=RegistrationStatus.WAITLISTED)

    with django_assert_num_queries(1):
        response = client.get(event.get_absolute_url() + "?uncached=1")

    page = response.context["page"]
    assert [item.title for item in page.programme] == [f"Punkt {hour}" for hour in range(9, 16)]
    assert [
        (t.slug, seats.quota, seats.confirmed + seats.pending, seats.waitlisted) for t, seats in page.seat_rows
    ] == [
        ("fachberatungsstelle", 3, 3, 1),
        ("bamf", None, 0, 0),
    ]


def test_public_page_cached_for_anonymous_visitors(client, django_assert_num_queries):
    event = EventFactory(title="Vernetzungstreffen Bremen")
    client.get(event.get_absolute_url())
    with django_assert_num_queries(0):
        response = client.get(event.get_absolute_url())
    assert "Vernetzungstreffen Bremen" in response.text


def test_public_page_not_cached_for_logged_in_visitors(user_client):
    event = EventFactory(title="Vernetzungstreffen Bremen")
    user_client.get(event.get_absolute_url())
    type(event).objects.filter(pk=event.pk).update(title="Vernetzungstreffen Bremen und Niedersachsen")
    assert "Vernetzungstreffen Bremen und Niedersachsen" in user_client.get(event.get_absolute_url()).text


def test_public_page_cache_per_language(client):
    event = EventFactory(invited=[organisation_type("bamf")])
    client.get(event.get_absolute_url())
    response = client.get(event.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="en")
    assert "BAMF special officer" in response.text


def test_staff_edit_in_admin_shows_at_once(client, staff_client):
    from django.urls import reverse

    from tests.factories import ProgrammeItemFactory

    event = EventFactory(title="Alter Titel")
    ProgrammeItemFactory(event=event)
    client.get(event.get_absolute_url())
    change = staff_client.get(reverse("admin:events_event_change", args=[event.pk]))
    data = _admin_form_data(change)
    data["title"] = "Neuer Titel"
    response = staff_client.post(reverse("admin:events_event_change", args=[event.pk]), data)
    assert response.status_code == 302
    assert "Neuer Titel" in client.get(event.get_absolute_url()).text


def _admin_form_data(response) -> dict:
    """The admin change form's current values, as the browser would post them back."""
    data = {}
    form = response.context["adminform"].form
    for name, field in form.fields.items():
        value = form.initial.get(name, field.initial)
        if hasattr(value, "all"):
            value = [obj.pk for obj in value.all()]
        elif isinstance(value, list):
            value = [getattr(v, "pk", v) for v in value]
        if value is None:
            value = ""
        data[name] = value
    for formset in response.context["inline_admin_formsets"]:
        management = formset.formset.management_form
        for name in management.fields:
            data[f"{management.prefix}-{name}"] = management.initial.get(name, management[name].value())
        for inline_form in formset.formset.forms:
            for name, field in inline_form.fields.items():
                value = inline_form.initial.get(name, field.initial)
                data[f"{inline_form.prefix}-{name}"] = getattr(value, "pk", value) if value is not None else ""
    return data


def test_language_switch_link_sets_cookie_and_redirects(client):
    response = client.get("/sprache/", {"language": "en", "next": "/praxisfachtage/x/"})
    assert response.status_code == 302
    assert response["Location"] == "/praxisfachtage/x/"
    assert response.cookies["django_language"].value == "en"


def test_language_switch_refuses_foreign_redirect(client):
    response = client.get("/sprache/", {"language": "en", "next": "https://evil.example/"})
    assert response["Location"] == "/"


# --- past events --------------------------------------------------------------------------------------------------


def _text(response) -> str:
    return " ".join(response.text.split())


def _words(response) -> str:
    """What a reader sees in the page's main part: tags removed, spaces collapsed."""
    main = response.text.split("<main", 1)[1].split("</main>", 1)[0]
    return " ".join(re.sub(r"<[^>]+>", "", main.split(">", 1)[1]).split())


def test_event_detail_past_says_when_and_where_it_took_place_and_offers_no_registration(client):
    event = EventFactory(past=True, date=dt.date(2020, 11, 26), venue_city="Berlin", title="Praxisfachtag 2020")
    response = client.get(event.get_absolute_url())
    html = _text(response)
    assert response.context["page"].state == RegistrationState.PAST
    assert (
        '<p class="lead mb-0 event-took-place">Dieser Praxisfachtag fand am 26. November 2020 in Berlin statt.</p>'
        in html
    )
    # No registration box, no state "vergangen", no way to register.
    assert "registration-heading" not in html
    assert "state-past" not in html
    assert "vergangen" not in html
    assert "Jetzt anmelden" not in html
    assert reverse("participants:register", kwargs={"slug": event.slug}) not in html
    # The description was written before the day: it is shown as the announcement.
    assert '<h2 id="about-heading">Aus der Ankündigung</h2>' in html
    assert "<dt>Eingeladen waren</dt>" in html


def test_event_detail_past_virtual_says_it_took_place_virtually(client):
    event = EventFactory(past=True, virtual=True, date=dt.date(2020, 11, 26))
    html = _text(client.get(event.get_absolute_url()))
    assert "Dieser Praxisfachtag fand am 26. November 2020 virtuell statt." in html


def test_event_detail_past_shows_summary_and_outcomes_as_review(client):
    event = EventFactory(
        past=True,
        summary="36 Teilnehmer*innen haben den ersten virtuellen Praxisfachtag gestaltet.",
        outcomes="Der KOK plant regionale Vernetzungstreffen.",
        review_published_at=timezone.now(),
    )
    html = _text(client.get(event.get_absolute_url()))
    assert '<h2 id="review-heading">Rückblick</h2>' in html
    assert "<p>36 Teilnehmer*innen haben den ersten virtuellen Praxisfachtag gestaltet.</p>" in html
    assert '<h3 class="h5">Ergebnisse und Ausblick</h3>' in html
    assert "<p>Der KOK plant regionale Vernetzungstreffen.</p>" in html
    assert html.index("review-heading") < html.index("about-heading") < html.index("programme-heading")


def test_event_detail_past_without_review_has_only_the_statement(client):
    event = EventFactory(past=True, date=dt.date(2019, 11, 13))
    html = _text(client.get(event.get_absolute_url()))
    assert "Dieser Praxisfachtag fand am 13. November 2019 in Berlin statt." in html
    assert "review-heading" not in html


def test_event_detail_upcoming_keeps_its_review_texts_to_itself(client):
    event = EventFactory(summary="Entwurf der Zusammenfassung.", outcomes="Entwurf der Ergebnisse.")
    html = _text(client.get(event.get_absolute_url()))
    assert "Entwurf der Zusammenfassung." not in html
    assert "Entwurf der Ergebnisse." not in html
    assert "Rückblick" not in html
    assert "fand am" not in html


def test_event_detail_upcoming_registration_box_comes_before_the_programme(client):
    """On phones the columns stack in document order: the registration box follows the title, the programme comes
    after it (on wide screens order-lg-last puts the box on the right)."""
    event = EventFactory(title="Vernetzungstreffen Bremen")
    ProgrammeItemFactory(event=event, title="Begrüßung")
    html = _text(client.get(event.get_absolute_url()))
    assert '<div class="row g-4 g-lg-5"> <div class="col-lg-4 order-lg-last">' in html
    assert 'class="row g-5"' not in html  # its gutter made the page 402 px wide on a 390 px phone
    assert html.index('id="registration-heading"') < html.index("Jetzt anmelden") < html.index('id="programme-heading"')
    start = event.date.strftime("%Y-%m-%d")
    assert f'<p class="lead mb-0 event-when"><time datetime="{start}">' in html
    assert "09:30–16:30 Uhr · BAMF, Außenstelle Berlin, Berlin</p>" in html


def test_home_lists_past_events_in_their_own_section_below_the_upcoming_ones(client):
    EventFactory(title="Vernetzungstreffen Niedersachsen")
    EventFactory(past=True, date=dt.date(2020, 11, 26), title="Dritter Praxisfachtag, virtuell", virtual=True)
    html = _text(client.get(reverse("events:home")))
    upcoming = html.split('<section class="mb-5" aria-labelledby="upcoming-heading">')[1].split("</section>")[0]
    past = html.split('<section aria-labelledby="past-heading">')[1].split("</section>")[0]
    assert "Vernetzungstreffen Niedersachsen" in upcoming
    assert "Dritter Praxisfachtag, virtuell" not in upcoming
    assert "Dritter Praxisfachtag, virtuell" in past
    assert '<time datetime="2020-11-26">26. November 2020</time>' in past
    assert html.index("upcoming-heading") < html.index("past-heading")


# --- English formats ----------------------------------------------------------------------------------------------


def test_event_pages_in_english_use_24_hour_times_and_no_double_full_stops(client):
    now = timezone.now()
    closes = timezone.make_aware(dt.datetime.combine(timezone.localdate() + dt.timedelta(days=20), dt.time(23, 59)))
    event = EventFactory(
        date=timezone.localdate() + dt.timedelta(days=30),
        start_time=dt.time(10),
        end_time=dt.time(16),
        registration_opens=now - dt.timedelta(days=1),
        registration_closes=closes,
    )
    ProgrammeItemFactory(event=event, start=dt.time(10), end=dt.time(10, 30), title="Welcome")
    client.cookies["django_language"] = "en"
    for url in (reverse("events:home"), event.get_absolute_url()):
        text = _words(client.get(url))
        assert "10:00–16:00" in text
        assert "a.m." not in text
        assert "p.m." not in text
        assert " h</" not in text  # "Uhr" has no English counterpart after a time range
        assert ".." not in text.replace("...", "")
    detail = _words(client.get(event.get_absolute_url()))
    assert f"until {closes.day} {closes:%B %Y}, 23:59" in detail
    assert "10:00–10:30" in detail


def test_english_date_and_time_formats_come_from_the_portal():
    from django.utils import formats, translation

    moment = timezone.make_aware(dt.datetime(2020, 11, 26, 10, 0))
    with translation.override("en"):
        assert formats.date_format(moment.date(), "DATE_FORMAT") == "26 November 2020"
        assert formats.time_format(moment.time(), "TIME_FORMAT") == "10:00"
        assert formats.date_format(timezone.localtime(moment), "DATETIME_FORMAT") == "26 November 2020, 10:00"
        assert formats.date_format(moment.date(), "SHORT_DATE_FORMAT") == "26 Nov 2020"
    with translation.override("de"):
        assert formats.date_format(timezone.localtime(moment), "DATETIME_FORMAT") == "26. November 2020 10:00"


def test_event_detail_past_in_english(client):
    event = EventFactory(past=True, date=dt.date(2020, 11, 26), venue_city="Berlin")
    client.cookies["django_language"] = "en"
    text = _words(client.get(event.get_absolute_url()))
    assert "This practice day took place in Berlin on 26 November 2020." in text
    assert "Registration" not in text
    assert "past" not in text


@pytest.mark.parametrize(
    ("status", "shown"),
    [
        (RegistrationStatus.CONFIRMED, "bestätigt"),
        (RegistrationStatus.WAITLISTED, "Warteliste"),
        (RegistrationStatus.PENDING, "wartet auf Freigabe"),
        (RegistrationStatus.CANCELLED, None),
    ],
)
def test_event_page_shows_a_registered_person_their_registration(user_client, user, status, shown):
    """Someone who registered sees where they stand instead of "Jetzt anmelden"; after cancelling, the offer
    to register again."""
    event = EventFactory()
    registration = RegistrationFactory(event=event, user=user, status=status)
    page = user_client.get(event.get_absolute_url()).text
    register_url = reverse("participants:register", kwargs={"slug": event.slug})
    if shown:
        assert f"Sie haben sich angemeldet. Stand Ihrer Anmeldung: {shown}" in page
        assert f'href="{registration.get_absolute_url()}"' in page
        assert register_url not in page
    else:
        assert "Stand Ihrer Anmeldung" not in page
        assert register_url in page
    # another person's registration for the same event changes nothing for anonymous visitors
    cache.clear()
    anonymous = user_client.__class__().get(event.get_absolute_url()).text
    assert "Stand Ihrer Anmeldung" not in anonymous and register_url in anonymous
