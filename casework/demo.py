"""Demo workshops and case examples for `manage.py seed_demo`.

The upcoming regional meeting gets a workshop with two case examples: one anonymised properly (approved),
one that still contains identifying details, so the anonymisation check blocks it in review. All persons,
numbers and places in the texts are invented.
"""

from __future__ import annotations

from django.contrib.auth.models import Group

from events.enums import ProgrammeItemKind, TeamRole
from events.models import Event, EventTeamMember
from kokportal.demo import demo_account
from kokportal.roles import OFFICE

from .enums import CaseStatus
from .models import CaseExample, SmallGroup, Workshop
from .services import groups_assign, workshop_participants_sync

CLEAN_CASE = (
    "Fallbeispiel 1: Arbeitsausbeutung in der Gastronomie",
    "Herr T., Mitte dreißig, stammt aus einem südostasiatischen Land. Er kam vor einigen Jahren mit einem "
    "Arbeitsvisum nach Deutschland und arbeitete in einem Restaurant in einer norddeutschen Großstadt. Der "
    "Arbeitgeber behielt seinen Pass ein, zahlte deutlich weniger als vereinbart und verlangte Arbeitszeiten von "
    "zwölf Stunden an sechs Tagen in der Woche. Über eine Beratungsstelle für Geflüchtete kam Herr T. in Kontakt "
    "mit einer Fachberatungsstelle. Er hat inzwischen einen Asylantrag gestellt und befürchtet, bei einer "
    "Aussage gegen den Arbeitgeber seine Familie im Herkunftsland zu gefährden.\n\n"
    "Fragen für die Kleingruppe: Welche Hinweise auf Menschenhandel gibt es? Wann und wie sollten die "
    "Sonderbeauftragten des BAMF eingebunden werden? Was braucht Herr T., um eine Entscheidung über eine "
    "Aussage treffen zu können?",
)
BLOCKED_CASE = (
    "Fallbeispiel 2: Ausbeutung in der Prostitution (noch nicht anonymisiert)",
    "Frau Blessing Okafor, geboren am 14.03.1999, wurde über eine Bekannte nach Deutschland gebracht. Sie "
    "lebt derzeit in der Musterstraße 12, 30159 Hannover, und ist unter 0176 12345678 erreichbar. Ihr "
    "Asylverfahren läuft unter dem Aktenzeichen 8123456-232. Die Fachberatungsstelle begleitet sie seit dem "
    "Frühjahr.",
)


def seed_casework(*, events: dict[str, Event]) -> int:
    """Workshops for the upcoming regional meeting and the 2019 day; returns the number of workshops."""
    facilitator = demo_account("moderation@example.org", first_name="Miriam", last_name="Hartmann")
    author = demo_account("fallbeispiele@example.org", first_name="Jonas", last_name="Becker")
    # The second person of the four-eyes review: office staff (she sets up her second factor at first login).
    reviewer = demo_account("pruefung@kok-buero.example.org", first_name="Sabine", last_name="Richter", is_staff=True)
    reviewer.groups.add(Group.objects.get_or_create(name=OFFICE)[0])
    count = 0
    for slug, title in (
        ("vernetzungstreffen-niedersachsen-bremen", "Fallbeispiele in gemischten Kleingruppen"),
        ("kok-bamf-praxisfachtag-2019", "Arbeitsgruppen an Fallbeispielen"),
        ("praxisfachtag-2020-virtuell", "Kleingruppen: Was braucht gute Zusammenarbeit?"),
    ):
        event = events[slug]
        item = event.programme.filter(kind=ProgrammeItemKind.WORKSHOP).first()
        workshop, _ = Workshop.objects.update_or_create(
            event=event, programme_item=item, defaults={"title": title, "group_size": 5}
        )
        workshop.facilitators.set([facilitator])
        for user in (facilitator, author):
            EventTeamMember.objects.get_or_create(event=event, user=user, role=TeamRole.FACILITATOR)
        workshop_participants_sync(workshop=workshop)
        if not workshop.groups.exclude(results="").exists():
            groups_assign(workshop=workshop)
        if slug == "vernetzungstreffen-niedersachsen-bremen":
            _case(workshop, author, reviewer, *CLEAN_CASE, status=CaseStatus.APPROVED)
            _case(workshop, author, None, *BLOCKED_CASE, status=CaseStatus.IN_REVIEW)
        else:
            _record_results(workshop, facilitator, GROUP_RESULTS[slug])
        count += 1
    return count


def _case(workshop, author, reviewer, title, text, *, status) -> None:
    CaseExample.objects.update_or_create(
        workshop=workshop,
        title=title,
        defaults={
            "text": text,
            "author": author,
            "status": status,
            "approved_by": reviewer if status == CaseStatus.APPROVED else None,
            # A fixed point in time, so a second seed run changes nothing.
            "approved_at": workshop.event.registration_opens if status == CaseStatus.APPROVED else None,
        },
    )


GROUP_RESULTS_2019 = [
    (
        "Die Gruppe hat geklärt, ab wann eine Fachberatungsstelle die Sonderbeauftragten einbinden kann, ohne die "
        "Betroffene unter Druck zu setzen.",
        "Feste Ansprechpersonen in der Außenstelle; Rückruf innerhalb einer Woche.",
    ),
    (
        "Schwerpunkt war die Anhörung: Wie kann eine Begleitung durch die Fachberatungsstelle organisiert werden?",
        "Terminabsprachen für Anhörungen künftig mit zwei Wochen Vorlauf.",
    ),
    (
        "Die Gruppe hat Indikatoren für Menschenhandel im Asylverfahren gesammelt und verglichen.",
        "Austausch der Indikatorenlisten; gemeinsamer Termin im Frühjahr.",
    ),
    (
        "Diskutiert wurden Dublin-Fälle und die Frage, wie Informationen über Grenzen hinweg weitergegeben werden.",
        "Kontaktliste der Sonderbeauftragten wird an die Fachberatungsstellen der Region verteilt.",
    ),
    (
        "Die Gruppe hat den Fall aus Sicht beider Mandate durchgespielt und Missverständnisse benannt.",
        "Gegenseitige Hospitation wird geprüft.",
    ),
    (
        "Thema war der Schutz von Betroffenen, die noch keine Entscheidung über eine Aussage getroffen haben.",
        "Gemeinsames Merkblatt für Betroffene wird entworfen.",
    ),
    (
        "Die Gruppe hat Erfahrungen mit Sprachmittlung in Beratung und Anhörung ausgetauscht.",
        "Liste geeigneter Sprachmittler*innen wird regional abgestimmt.",
    ),
    (
        "Zum Abschluss hat die Gruppe offene Fragen für den nächsten Praxisfachtag gesammelt.",
        "Regionaler Austausch zweimal im Jahr.",
    ),
]


GROUP_RESULTS_2020 = [
    (
        "Gute Zusammenarbeit braucht feste Ansprechpersonen, die man kennt: Die Gruppe hat gesammelt, welche Wege "
        "zwischen Fachberatungsstelle und Außenstelle im Fallbeispiel gefehlt haben.",
        "Gegenseitige Vorstellung in den regionalen Teams; Kontaktliste wird aktuell gehalten.",
    ),
    (
        "Vertrauen entsteht durch Transparenz über die eigenen Mandate. Die Gruppe hat erarbeitet, welche "
        "Informationen die Sonderbeauftragten für die Anhörung brauchen und was die Beratung leisten kann.",
        "Gemeinsame Checkliste für die Vorbereitung von Anhörungen.",
    ),
    (
        "Die Pandemie hat Begleitung zu Terminen erschwert. Die Gruppe hat Lösungen für Videoberatung und "
        "Sprachmittlung per Telefon zusammengetragen.",
        "Erfahrungsaustausch zu digitalen Formaten im Frühjahr.",
    ),
    (
        "Im Fallbeispiel kam die Identifizierung spät. Die Gruppe hat besprochen, wie Hinweise früher erkannt und "
        "weitergegeben werden können, ohne die Betroffene zu gefährden.",
        "Regelmäßige regionale Vernetzungstreffen, wie sie sich viele wünschen.",
    ),
    (
        "Die Gruppe hat Schnittstellen zur Jugendhilfe bei jungen Volljährigen angesprochen.",
        "Jugendämter zum nächsten Treffen einladen.",
    ),
    (
        "Abschließend hat die Gruppe festgehalten, was aus ihrer Sicht gute Kooperation ausmacht: Erreichbarkeit, "
        "Verlässlichkeit und ein gemeinsames Verständnis von Schutz.",
        "Rückmeldung der Ergebnisse an alle Teilnehmenden.",
    ),
    (
        "Die Gruppe hat Erfahrungen mit Dublin-Verfahren und Überstellungen ausgetauscht.",
        "Fallbezogene Rücksprachen per Telefon statt per Post.",
    ),
    ("Offene Fragen für den nächsten Praxisfachtag wurden gesammelt.", "Themenvorschläge an die KOK-Geschäftsstelle."),
]
GROUP_RESULTS = {"kok-bamf-praxisfachtag-2019": GROUP_RESULTS_2019, "praxisfachtag-2020-virtuell": GROUP_RESULTS_2020}


def _record_results(workshop: Workshop, facilitator, results_list) -> None:
    for group, (results, agreements) in zip(workshop.groups.order_by("number"), results_list, strict=False):
        SmallGroup.objects.filter(pk=group.pk).update(
            results=results, agreements=agreements, results_recorded_by=facilitator
        )
