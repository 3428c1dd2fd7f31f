import pytest
from django.apps import apps
from django.core.management import call_command

from events.models import Event

pytestmark = pytest.mark.django_db


def _snapshot() -> dict[str, list[tuple]]:
    """Every row of every portal model, as tuples of field values (ids included)."""
    snapshot = {}
    for model in apps.get_models():
        if model._meta.app_label not in {"events", "participants", "casework"}:
            continue
        fields = [f.attname for f in model._meta.concrete_fields if f.attname not in {"created", "modified"}]
        snapshot[model._meta.label] = list(model.objects.order_by("pk").values_list(*fields))
    return snapshot


def test_seed_demo_twice_gives_the_same_rows():
    call_command("seed_demo")
    first = _snapshot()
    call_command("seed_demo")
    assert _snapshot() == first


def test_seed_demo_creates_the_events_of_the_seed_texts():
    call_command("seed_demo")
    dates = {e.slug: e.date.isoformat() for e in Event.objects.all()}
    assert dates["praxisfachtag-2016-minderjaehrige-gefluechtete"] == "2016-11-16"
    assert dates["regionaler-praxisfachtag-hamburg-2017"] == "2017-09-19"
    assert dates["regionaler-praxisfachtag-berlin-2017"] == "2017-09-21"
    assert dates["kok-bamf-praxisfachtag-2019"] == "2019-11-13"
    assert dates["praxisfachtag-2020-virtuell"] == "2020-11-26"
    bamf_2019 = Event.objects.get(slug="kok-bamf-praxisfachtag-2019")
    assert sorted(bamf_2019.quotas.values_list("organisation_type__slug", "seats")) == [
        ("bamf", 20),
        ("fachberatungsstelle", 20),
    ]
    assert Event.objects.get(slug="praxisfachtag-2020-virtuell").presence == "virtual"
    ecpat = Event.objects.get(slug="praxisfachtag-2016-minderjaehrige-gefluechtete")
    assert list(ecpat.co_organisers.values_list("name", flat=True)) == ["ECPAT Deutschland e.V."]
    # The regional days of September 2017 were organised jointly by KOK and the BAMF (seed text).
    for slug in ("regionaler-praxisfachtag-hamburg-2017", "regionaler-praxisfachtag-berlin-2017"):
        assert list(Event.objects.get(slug=slug).co_organisers.values_list("name", flat=True)) == ["BAMF – Referat 61A"]
    # The project of the seed texts, with its period, funder and practice days.
    from events.models import Project

    project = Project.objects.get()
    assert (project.starts_on.isoformat(), project.ends_on.isoformat()) == ("2016-05-01", "2017-11-30")
    assert project.credit_line == (
        "Gefördert durch die Beauftragte der Bundesregierung für Migration, Flüchtlinge und Integration."
    )
    assert sorted(project.events.values_list("slug", flat=True)) == [
        "praxisfachtag-2016-minderjaehrige-gefluechtete",
        "regionaler-praxisfachtag-berlin-2017",
        "regionaler-praxisfachtag-hamburg-2017",
    ]
    # Every demo event is marked as example data.
    assert Event.objects.filter(is_example=False).count() == 0


def test_seed_demo_has_an_upcoming_event_with_registration_open(client):
    from events.enums import RegistrationState
    from participants.selectors import public_home_page as home_page

    call_command("seed_demo")
    states = {card.event.slug: card.state for card in home_page().upcoming}
    assert states["vernetzungstreffen-niedersachsen-bremen"] == RegistrationState.OPEN


def test_seed_demo_registrations_match_the_seed_figures():
    from participants.enums import RegistrationStatus
    from participants.models import Registration
    from participants.selectors import event_availability

    call_command("seed_demo")
    virtual = Registration.objects.filter(event__slug="praxisfachtag-2020-virtuell")
    assert virtual.filter(status=RegistrationStatus.ATTENDED).count() == 36
    assert virtual.filter(organisation__name="BAMF – Referat 61A").count() == 2
    assert virtual.filter(organisation_type__slug="kok").count() == 3
    bamf_2019 = Registration.objects.filter(event__slug="kok-bamf-praxisfachtag-2019")
    assert set(bamf_2019.values_list("organisation_type__slug", flat=True)) == {"bamf", "fachberatungsstelle"}
    assert bamf_2019.filter(organisation_type__slug="bamf").count() == 20
    assert bamf_2019.filter(organisation_type__slug="fachberatungsstelle").count() == 20
    upcoming = Event.objects.get(slug="vernetzungstreffen-niedersachsen-bremen")
    fbs_seats = next(s for s in event_availability(upcoming).by_type.values() if s.quota == 12)
    assert fbs_seats.free == 1


def test_seed_demo_has_the_two_day_workshop_the_hybrid_meeting_and_the_handouts():
    from events.models import Material

    call_command("seed_demo")
    bka = Event.objects.get(slug="kooperationsworkshop-bka-kok-2017")
    # The seed: "Vom 16.-17.05. haben das BKA und der KOK einen gemeinsamen Kooperationsworkshop ..."
    assert (bka.kind, bka.date.isoformat(), bka.end_date.isoformat()) == (
        "cooperation_workshop",
        "2017-05-16",
        "2017-05-17",
    )
    assert list(bka.co_organisers.values_list("name", flat=True)) == ["Bundeskriminalamt (BKA)"]
    assert sorted(set(bka.programme.values_list("day", flat=True))) == [1, 2]
    hybrid = Event.objects.get(slug="fachtreffen-hybrid-identifizierung")
    assert (hybrid.presence, hybrid.separate_online_seats, hybrid.is_multi_day) == ("hybrid", True, True)
    # In 2016 the participants took home "instruments to identify victims" as a handout (seed text).
    assert list(
        Material.objects.filter(event__slug="praxisfachtag-2016-minderjaehrige-gefluechtete").values_list(
            "title", "visibility", "stored_file__content_type"
        )
    ) == [("Handout: Instrumente zur Identifizierung Betroffener (Beispiel)", "public", "application/pdf")]
    assert Material.objects.count() == 3
