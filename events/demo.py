"""Demo events for `manage.py seed_demo`: the practice days the seed texts describe, and upcoming ones.

Past events keep their historical dates. Upcoming events are placed relative to today, so the demo always
has an event with registration open. Programmes are reconstructed from the descriptions of the days.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.utils import timezone

from events.models import Organisation, OrganisationType

from .enums import EventKind, EventReach, EventStatus, PresenceMode, ProgrammeItemKind, QuestionKind, RegistrationMode
from .models import Event, EventQuestion, ProgrammeItem, Quota

K = ProgrammeItemKind


@dataclass
class DemoEvent:
    slug: str
    title: str
    date: dt.date
    start: str
    end: str
    description: str
    invited: list[str]
    programme: list[tuple]  # start, end, kind, title, speakers[, day (1 when left out)]
    venue: tuple[str, str, str, str, str] | None = None  # name, street, postcode, city, state
    reach: str = EventReach.NATIONAL
    presence: str = PresenceMode.IN_PERSON
    kind: str = EventKind.PRACTICE_DAY
    end_date: dt.date | None = None
    online_capacity: int | None = None
    co_organisers: list[str] = field(default_factory=list)
    quotas: dict[str, int] = field(default_factory=dict)
    capacity: int | None = None
    status: str = EventStatus.PUBLISHED
    registration_mode: str = RegistrationMode.OPEN
    window: tuple[dt.datetime, dt.datetime] | None = None
    online_access: str = ""
    summary: str = ""
    outcomes: str = ""


def _t(value: str) -> dt.time:
    return dt.time.fromisoformat(value)


def past_events() -> list[DemoEvent]:
    return [
        DemoEvent(
            slug="praxisfachtag-2016-minderjaehrige-gefluechtete",
            title="Information, Vernetzung und Sensibilisierung: Schutz für (unbegleitete) minderjährige "
            "Geflüchtete, die von Menschenhandel betroffen oder gefährdet sind",
            reach=EventReach.NATIONAL,
            date=dt.date(2016, 11, 16),
            start="09:30",
            end="16:30",
            venue=("Tagungshaus in Berlin-Mitte", "", "10117", "Berlin", "BE"),
            co_organisers=["ECPAT Deutschland e.V."],
            invited=["fachberatungsstelle", "jugendhilfe", "gefluechtete", "sonstige"],
            capacity=60,
            description=(
                "Ein Praxisfachtag von KOK und ECPAT im Projekt „Flucht & Menschenhandel“. Er bringt "
                "Mitarbeiter*innen der Fachberatungsstellen für Betroffene von Menschenhandel mit Fachkräften "
                "der Jugendämter und Jugendhilfeeinrichtungen, der Beratungsstellen für (minderjährige) "
                "Geflüchtete und der Projekte für Jungen in der Prostitution zusammen.\n\n"
                "Die Teilnehmer*innen lernen die Aufgaben und Arbeitsweisen der anderen kennen, finden "
                "Schnittstellen und treffen erste Absprachen für die Zusammenarbeit in ihrer Region. "
                "Außerdem lernen sie Instrumente zur Identifizierung Betroffener kennen und wenden sie an."
            ),
            programme=[
                ("09:30", "10:00", K.WELCOME, "Begrüßung und Einführung", "KOK e.V. und ECPAT Deutschland e.V."),
                (
                    "10:00",
                    "11:00",
                    K.INPUT,
                    "Minderjährige Geflüchtete als besonders vulnerable Gruppe: Ergebnisse des Expert*innengesprächs",
                    "KOK e.V.",
                ),
                ("11:00", "11:15", K.BREAK, "Kaffeepause", ""),
                (
                    "11:15",
                    "12:30",
                    K.INPUT,
                    "Instrumente zur Identifizierung Betroffener von Menschenhandel",
                    "ECPAT Deutschland e.V.",
                ),
                ("12:30", "13:30", K.BREAK, "Mittagspause", ""),
                (
                    "13:30",
                    "15:15",
                    K.WORKSHOP,
                    "Fallbeispiele in Kleingruppen: Identifizierung und "
                    "Schnittstellen zwischen Jugendhilfe und Fachberatung",
                    "",
                ),
                (
                    "15:15",
                    "16:15",
                    K.DISCUSSION,
                    "Schnittstellen und erste Absprachen für die regionale Zusammenarbeit",
                    "",
                ),
                ("16:15", "16:30", K.CLOSING, "Zusammenfassung und Ausblick", "KOK e.V."),
            ],
        ),
        # The seed's news: "Vom 16.-17.05. haben das BKA und der KOK einen gemeinsamen Kooperationsworkshop für
        # Polizist*innen und Mitarbeiter*innen von Fachberatungsstellen ..." (the year, 2017, the venue, the times and
        # the programme are invented).
        DemoEvent(
            slug="kooperationsworkshop-bka-kok-2017",
            title="Kooperationsworkshop BKA und KOK: Polizei und Fachberatungsstellen",
            kind=EventKind.COOPERATION_WORKSHOP,
            reach=EventReach.NATIONAL,
            date=dt.date(2017, 5, 16),
            end_date=dt.date(2017, 5, 17),
            start="13:00",
            end="13:00",
            venue=("Tagungsstätte in Wiesbaden", "", "65189", "Wiesbaden", "HE"),
            co_organisers=["Bundeskriminalamt (BKA)"],
            invited=["fachberatungsstelle", "sonstige", "kok"],
            capacity=30,
            description=(
                "Ein gemeinsamer Kooperationsworkshop des Bundeskriminalamts und des KOK für Polizist*innen und "
                "Mitarbeiter*innen von Fachberatungsstellen für Betroffene von Menschenhandel: zwei halbe Tage "
                "mit Inputs aus beiden Perspektiven und Arbeit an der Zusammenarbeit im Einzelfall."
            ),
            programme=[
                ("13:00", "13:30", K.WELCOME, "Begrüßung durch BKA und KOK", "BKA, KOK e.V."),
                ("13:30", "15:00", K.INPUT, "Ermittlungen im Bereich Menschenhandel: Sicht der Polizei", "BKA"),
                ("15:00", "15:30", K.BREAK, "Pause", ""),
                ("15:30", "17:30", K.INPUT, "Unterstützung Betroffener: Sicht der Fachberatungsstellen", "KOK e.V."),
                (
                    "09:00",
                    "11:00",
                    K.WORKSHOP,
                    "Zusammenarbeit im Einzelfall: Arbeit in gemischten Kleingruppen",
                    "",
                    2,
                ),
                ("11:00", "11:15", K.BREAK, "Pause", "", 2),
                ("11:15", "12:30", K.DISCUSSION, "Absprachen für die Kooperation", "", 2),
                ("12:30", "13:00", K.CLOSING, "Abschluss", "BKA, KOK e.V.", 2),
            ],
        ),
        DemoEvent(
            slug="regionaler-praxisfachtag-hamburg-2017",
            title="Regionaler Praxisfachtag Hamburg: Fachberatungsstellen und BAMF-Sonderbeauftragte",
            reach=EventReach.REGIONAL,
            date=dt.date(2017, 9, 19),
            start="10:00",
            end="16:00",
            venue=("Tagungsraum in der Hamburger Innenstadt", "", "20095", "Hamburg", "HH"),
            # Organised jointly by KOK and the BAMF (seed text).
            co_organisers=["BAMF – Referat 61A"],
            invited=["fachberatungsstelle", "bamf", "kok"],
            capacity=24,
            description=(
                "Im Projekt „Flucht & Menschenhandel“ treffen sich Mitarbeiter*innen der spezialisierten "
                "Fachberatungsstellen und Sonderbeauftragte für Opfer von Menschenhandel des BAMF aus "
                "Norddeutschland. Inputs, die Arbeit an konkreten Fallbeispielen und Diskussionen sollen die "
                "Vernetzung stärken; die Teilnehmer*innen lernen ihre Ansprechpartner*innen persönlich kennen."
            ),
            programme=[
                ("10:00", "10:30", K.WELCOME, "Begrüßung und Vorstellungsrunde", "KOK e.V."),
                (
                    "10:30",
                    "11:30",
                    K.INPUT,
                    "Menschenhandel im Kontext von Flucht: Erfahrungen aus der Beratung und aus dem Asylverfahren",
                    "KOK e.V., BAMF",
                ),
                ("11:30", "11:45", K.BREAK, "Pause", ""),
                ("11:45", "13:00", K.WORKSHOP, "Arbeit an Fallbeispielen in Kleingruppen", ""),
                ("13:00", "14:00", K.BREAK, "Mittagspause", ""),
                ("14:00", "15:30", K.DISCUSSION, "Regionale Zusammenarbeit: Wer ist wann ansprechbar?", ""),
                ("15:30", "16:00", K.CLOSING, "Abschluss und Verabredungen", "KOK e.V."),
            ],
        ),
        DemoEvent(
            slug="regionaler-praxisfachtag-berlin-2017",
            title="Regionaler Praxisfachtag Berlin: Fachberatungsstellen und BAMF-Sonderbeauftragte",
            reach=EventReach.REGIONAL,
            date=dt.date(2017, 9, 21),
            start="10:00",
            end="16:00",
            venue=("KOK e.V., Seminarraum", "Lützowstr. 102–104", "10785", "Berlin", "BE"),
            # Organised jointly by KOK and the BAMF (seed text).
            co_organisers=["BAMF – Referat 61A"],
            invited=["fachberatungsstelle", "bamf", "kok"],
            capacity=28,
            description=(
                "Der zweite regionale Praxisfachtag im Projekt „Flucht & Menschenhandel“, diesmal für Berlin "
                "und die ostdeutschen Bundesländer. Im Mittelpunkt stehen der persönliche Austausch und die "
                "Kooperation im Arbeitsalltag, die sich auf den bundesweiten Fachtagen als besonders wichtig "
                "gezeigt haben."
            ),
            programme=[
                ("10:00", "10:30", K.WELCOME, "Begrüßung und Vorstellungsrunde", "KOK e.V."),
                ("10:30", "11:30", K.INPUT, "Identifizierung Betroffener im Asylverfahren", "BAMF"),
                ("11:30", "11:45", K.BREAK, "Pause", ""),
                ("11:45", "13:00", K.WORKSHOP, "Arbeit an Fallbeispielen in Kleingruppen", ""),
                ("13:00", "14:00", K.BREAK, "Mittagspause", ""),
                ("14:00", "15:30", K.DISCUSSION, "Kooperation vor Ort: Absprachen und offene Fragen", ""),
                ("15:30", "16:00", K.CLOSING, "Abschluss", "KOK e.V."),
            ],
        ),
        DemoEvent(
            slug="kok-bamf-praxisfachtag-2019",
            title="2. KOK-BAMF-Praxisfachtag Menschenhandel",
            reach=EventReach.NATIONAL,
            date=dt.date(2019, 11, 13),
            start="09:30",
            end="16:30",
            venue=("BAMF, Außenstelle Berlin", "", "13405", "Berlin", "BE"),
            co_organisers=["BAMF – Referat 61A"],
            invited=["fachberatungsstelle", "bamf"],
            quotas={"fachberatungsstelle": 20, "bamf": 20},
            capacity=40,
            registration_mode=RegistrationMode.MODERATED,
            description=(
                "Der zweite gemeinsame Praxisfachtag von KOK und BAMF bringt je 20 Vertreter*innen der "
                "spezialisierten Fachberatungsstellen und Sonderbeauftragte für Opfer von Menschenhandel aus den "
                "BAMF-Außenstellen zusammen. Die Teilnehmer*innen lernen die Aufgaben und Arbeitsweisen der "
                "anderen näher kennen, identifizieren Schnittstellen und treffen Absprachen für die weitere "
                "Zusammenarbeit auf regionaler Ebene."
            ),
            programme=[
                ("09:30", "10:00", K.WELCOME, "Begrüßung", "KOK e.V. und BAMF"),
                (
                    "10:00",
                    "10:45",
                    K.INPUT,
                    "Menschenhandel im Asylverfahren: die Rolle der Sonderbeauftragten",
                    "BAMF, Referat 61A",
                ),
                (
                    "10:45",
                    "11:30",
                    K.INPUT,
                    "Unterstützung Betroffener: Mandat und Arbeitsweise der Fachberatungsstellen",
                    "KOK e.V.",
                ),
                ("11:30", "11:45", K.BREAK, "Kaffeepause", ""),
                (
                    "11:45",
                    "12:30",
                    K.BEST_PRACTICE,
                    "So kann gute Kooperation aussehen: eine Fachberatungsstelle und ein Sonderbeauftragter berichten",
                    "Fachberatungsstelle Brückenschlag; BAMF-Sonderbeauftragter",
                ),
                ("12:30", "13:30", K.BREAK, "Mittagspause", ""),
                ("13:30", "15:15", K.WORKSHOP, "Arbeitsgruppen an Fallbeispielen", ""),
                ("15:15", "16:15", K.DISCUSSION, "Schnittstellen und Absprachen zur regionalen Zusammenarbeit", ""),
                ("16:15", "16:30", K.CLOSING, "Abschluss", "KOK e.V. und BAMF"),
            ],
            summary=(
                "Je 20 Vertreter*innen der Fachberatungsstellen und der BAMF-Außenstellen haben sich einen Tag "
                "lang über ihre Mandate und Handlungsmöglichkeiten ausgetauscht. Inputs von BAMF, KOK, einer "
                "Fachberatungsstelle und eines Sonderbeauftragten zeigten, wie gute Kooperation konkret aussieht."
            ),
            outcomes=(
                "Das Format hat sich als wichtiger Beitrag zur persönlichen Vernetzung bewährt. Mehrere Regionen "
                "haben feste Ansprechpartner*innen und Wege für die Kontaktaufnahme vereinbart."
            ),
        ),
        DemoEvent(
            slug="praxisfachtag-2020-virtuell",
            title="3. Praxisfachtag von KOK und BAMF – erstmals virtuell",
            presence=PresenceMode.VIRTUAL,
            date=dt.date(2020, 11, 26),
            start="09:30",
            end="15:00",
            co_organisers=["BAMF – Referat 61A"],
            invited=["fachberatungsstelle", "bamf", "kok"],
            quotas={"fachberatungsstelle": 20, "bamf": 16},
            capacity=40,
            online_access="Videokonferenz: https://konferenz.example.org/praxisfachtag-2020\nZugangscode: 2611",
            description=(
                "Wegen der Pandemie findet der dritte Praxisfachtag zum ersten Mal im virtuellen Raum statt. "
                "Vertreter*innen der Fachberatungsstellen, der BAMF-Außenstellen, des Referats 61A und der "
                "KOK-Geschäftsstelle tauschen sich in kooperativer und kollegialer Atmosphäre aus, arbeiten an "
                "einem Fallbeispiel und sprechen über die Folgen der Pandemie für ihre Arbeit."
            ),
            programme=[
                ("09:30", "10:00", K.WELCOME, "Begrüßung und technische Einführung", "KOK e.V."),
                (
                    "10:00",
                    "10:45",
                    K.BEST_PRACTICE,
                    "Best-Practice-Beispiel gelungener Kooperation",
                    "Fachberatungsstelle Anker und BAMF-Außenstelle Bremen",
                ),
                ("10:45", "11:00", K.BREAK, "Pause", ""),
                (
                    "11:00",
                    "12:30",
                    K.WORKSHOP,
                    "Kleingruppen: Was braucht gute Zusammenarbeit? Arbeit an einem Fallbeispiel",
                    "",
                ),
                ("12:30", "13:15", K.BREAK, "Mittagspause", ""),
                (
                    "13:15",
                    "14:30",
                    K.DISCUSSION,
                    "Herausforderungen der Corona-Pandemie für Beratungsstellen und Sonderbeauftragte",
                    "",
                ),
                ("14:30", "15:00", K.CLOSING, "Rückmeldungen und Ausblick", "KOK e.V."),
            ],
            summary=(
                "36 Teilnehmer*innen aus den Fachberatungsstellen, den Außenstellen und dem Referat 61A des BAMF "
                "sowie der KOK-Geschäftsstelle haben den ersten virtuellen Praxisfachtag gestaltet. Dank der "
                "Bereitschaft, Neues zu wagen, ist ein erfolgreicher Fachtag gelungen."
            ),
            outcomes=(
                "Der Austausch untereinander bleibt der größte Mehrwert. Die Teilnehmer*innen wünschen sich "
                "regelmäßige Formate für den vertrauensvollen Austausch; der KOK plant deshalb ab dem nächsten "
                "Jahr regionale Vernetzungstreffen in den Bundesländern."
            ),
        ),
    ]


def _at(day: dt.date, time: str = "09:00") -> dt.datetime:
    """A local time on a day; demo windows sit on whole hours so a second seed run changes nothing."""
    return timezone.make_aware(dt.datetime.combine(day, _t(time)))


def upcoming_events(today: dt.date) -> list[DemoEvent]:
    first = today + dt.timedelta(days=45)
    second = today + dt.timedelta(days=120)
    return [
        # Today: the check-in at the door can be tried (participants.demo.seed_check_in_day).
        DemoEvent(
            slug="regionaler-praxisfachtag-berlin-brandenburg",
            title="Regionaler Praxisfachtag Berlin und Brandenburg",
            reach=EventReach.REGIONAL,
            date=today,
            start="10:00",
            end="16:00",
            venue=("Haus der Demokratie und Menschenrechte", "Greifswalder Straße 4", "10405", "Berlin", "BE"),
            invited=["fachberatungsstelle", "bamf", "jugendhilfe"],
            quotas={"fachberatungsstelle": 10, "bamf": 6, "jugendhilfe": 4},
            capacity=20,
            window=(_at(today - dt.timedelta(days=40)), _at(today - dt.timedelta(days=2), "23:59")),
            description=(
                "Fachberatungsstellen, BAMF-Sonderbeauftragte und Jugendämter aus Berlin und Brandenburg tauschen "
                "sich über die Identifizierung Betroffener und die Zusammenarbeit im Asylverfahren aus."
            ),
            programme=[
                ("10:00", "10:30", K.WELCOME, "Ankommen und Begrüßung", "KOK e.V."),
                ("10:30", "11:30", K.INPUT, "Identifizierung im Asylverfahren: Was hat sich bewährt?", "BAMF"),
                ("11:30", "13:00", K.DISCUSSION, "Zusammenarbeit vor Ort: Absprachen für die Region", ""),
                ("13:00", "14:00", K.BREAK, "Mittagspause", ""),
                ("14:00", "15:30", K.BEST_PRACTICE, "Ein Beispiel guter Zusammenarbeit aus Brandenburg", ""),
                ("15:30", "16:00", K.CLOSING, "Abschluss", "KOK e.V."),
            ],
        ),
        DemoEvent(
            slug="vernetzungstreffen-niedersachsen-bremen",
            title="Regionales Vernetzungstreffen Niedersachsen und Bremen",
            kind=EventKind.REGIONAL_MEETING,
            reach=EventReach.REGIONAL,
            date=first,
            start="10:00",
            end="16:00",
            venue=("Tagungszentrum am Hauptbahnhof", "Ernst-August-Platz 1", "30159", "Hannover", "NI"),
            invited=["fachberatungsstelle", "bamf", "jugendhilfe", "kok"],
            quotas={"fachberatungsstelle": 12, "bamf": 8, "jugendhilfe": 4},
            capacity=26,
            window=(_at(today - dt.timedelta(days=14)), _at(today + dt.timedelta(days=30), "23:59")),
            description=(
                "Aus den Rückmeldungen zum virtuellen Praxisfachtag ist der Wunsch nach regelmäßigen regionalen "
                "Treffen entstanden. Dieses Vernetzungstreffen bringt Fachberatungsstellen, "
                "BAMF-Sonderbeauftragte und Jugendämter aus Niedersachsen und Bremen zusammen: zum Kennenlernen, "
                "zur Arbeit an anonymisierten Fallbeispielen in gemischten Kleingruppen und für feste "
                "Absprachen vor Ort."
            ),
            programme=[
                ("10:00", "10:30", K.WELCOME, "Ankommen, Begrüßung und Vorstellungsrunde", "KOK e.V."),
                (
                    "10:30",
                    "11:15",
                    K.INPUT,
                    "Aktuelle Entwicklungen im Asylverfahren für Betroffene von Menschenhandel",
                    "BAMF, Referat 61A",
                ),
                ("11:15", "11:30", K.BREAK, "Pause", ""),
                ("11:30", "13:00", K.WORKSHOP, "Fallbeispiele in gemischten Kleingruppen", ""),
                ("13:00", "14:00", K.BREAK, "Mittagspause", ""),
                ("14:00", "15:30", K.DISCUSSION, "Wie erreichen wir einander? Absprachen für die Region", ""),
                ("15:30", "16:00", K.CLOSING, "Abschluss und nächste Termine", "KOK e.V."),
            ],
        ),
        DemoEvent(
            slug="praxisfachtag-kinderhandel-virtuell",
            title="Virtueller Praxisfachtag: Ausbeutung Minderjähriger erkennen und gemeinsam handeln",
            presence=PresenceMode.VIRTUAL,
            date=second,
            start="09:30",
            end="14:30",
            co_organisers=["ECPAT Deutschland e.V."],
            invited=["fachberatungsstelle", "jugendhilfe", "gefluechtete", "bamf", "sonstige"],
            quotas={"fachberatungsstelle": 15, "jugendhilfe": 15, "bamf": 10},
            capacity=50,
            registration_mode=RegistrationMode.MODERATED,
            window=(_at(today + dt.timedelta(days=20)), _at(today + dt.timedelta(days=100), "23:59")),
            online_access="Videokonferenz: https://konferenz.example.org/kinderhandel\nZugangscode wird eine "
            "Woche vorher ergänzt.",
            description=(
                "Fachkräfte der Jugendhilfe, der Fachberatungsstellen, der Beratungsstellen für junge "
                "Geflüchtete und des BAMF arbeiten gemeinsam daran, Anzeichen von Menschenhandel bei "
                "Minderjährigen zu erkennen und Zuständigkeiten zu klären. Die Anmeldung wird von der "
                "KOK-Geschäftsstelle geprüft."
            ),
            programme=[
                ("09:30", "09:45", K.WELCOME, "Begrüßung", "KOK e.V. und ECPAT Deutschland e.V."),
                (
                    "09:45",
                    "10:30",
                    K.INPUT,
                    "Indikatoren für Menschenhandel bei Minderjährigen",
                    "ECPAT Deutschland e.V.",
                ),
                ("10:30", "10:45", K.BREAK, "Pause", ""),
                ("10:45", "12:15", K.WORKSHOP, "Fallbeispiele in Kleingruppen", ""),
                ("12:15", "13:00", K.BREAK, "Mittagspause", ""),
                ("13:00", "14:15", K.DISCUSSION, "Zuständigkeiten zwischen Jugendamt, Fachberatung und BAMF", ""),
                ("14:15", "14:30", K.CLOSING, "Abschluss", "KOK e.V."),
            ],
        ),
        # A two-day hybrid specialist meeting with seats at the venue and online counted apart (invented).
        DemoEvent(
            slug="fachtreffen-hybrid-identifizierung",
            title="Fachtreffen Identifizierung: Erfahrungen aus Beratung und Asylverfahren (hybrid)",
            kind=EventKind.SPECIALIST_MEETING,
            reach=EventReach.NATIONAL,
            presence=PresenceMode.HYBRID,
            date=second + dt.timedelta(days=14),
            end_date=second + dt.timedelta(days=15),
            start="10:00",
            end="15:00",
            venue=("KOK e.V., Seminarraum", "Lützowstr. 102–104", "10785", "Berlin", "BE"),
            online_access="https://konferenz.example.org/kok-fachtreffen (Zugangscode folgt mit der Bestätigung)",
            invited=["fachberatungsstelle", "bamf", "jugendhilfe"],
            capacity=25,
            online_capacity=40,
            window=(_at(today - dt.timedelta(days=7)), _at(second + dt.timedelta(days=7), "23:59")),
            description=(
                "Zwei Tage, vor Ort in Berlin und online: Fachberatungsstellen, BAMF-Sonderbeauftragte und "
                "Jugendämter tragen zusammen, welche Instrumente zur Identifizierung Betroffener sich bewährt "
                "haben. Die Plätze vor Ort und online werden getrennt vergeben."
            ),
            programme=[
                ("10:00", "10:30", K.WELCOME, "Begrüßung", "KOK e.V."),
                ("10:30", "12:00", K.INPUT, "Instrumente zur Identifizierung Betroffener", "KOK e.V., BAMF"),
                ("12:00", "13:00", K.BREAK, "Mittagspause", ""),
                ("13:00", "16:00", K.BEST_PRACTICE, "Beispiele aus der Beratungspraxis", ""),
                ("10:00", "12:00", K.DISCUSSION, "Was brauchen die Beratungsstellen?", "", 2),
                ("12:00", "15:00", K.CLOSING, "Ergebnisse und Ausblick", "KOK e.V.", 2),
            ],
        ),
        DemoEvent(
            slug="vernetzungstreffen-nordrhein-westfalen",
            title="Regionales Vernetzungstreffen Nordrhein-Westfalen (in Planung)",
            kind=EventKind.REGIONAL_MEETING,
            reach=EventReach.REGIONAL,
            date=second + dt.timedelta(days=30),
            start="10:00",
            end="16:00",
            venue=("Veranstaltungsort in Dortmund", "", "44135", "Dortmund", "NW"),
            invited=["fachberatungsstelle", "bamf", "jugendhilfe"],
            status=EventStatus.DRAFT,
            description="Entwurf: Termin und Programm werden noch mit den Beteiligten abgestimmt.",
            programme=[("10:00", "10:30", K.WELCOME, "Begrüßung", "KOK e.V.")],
        ),
    ]


def seed_events(*, organisations: dict[str, Organisation], today: dt.date) -> dict[str, Event]:
    types = {t.slug: t for t in OrganisationType.objects.all()}
    result = {}
    for spec in past_events() + upcoming_events(today):
        venue = spec.venue or ("", "", "", "", "")
        opens, closes = spec.window or (None, None)
        if spec.window is None and spec.date < today:
            opens, closes = _at(spec.date - dt.timedelta(days=70)), _at(spec.date - dt.timedelta(days=7), "23:59")
        event, _created = Event.objects.update_or_create(
            slug=spec.slug,
            defaults={
                "title": spec.title,
                "kind": spec.kind,
                "reach": spec.reach,
                "presence": spec.presence,
                "end_date": spec.end_date,
                "status": spec.status,
                "date": spec.date,
                "start_time": _t(spec.start),
                "end_time": _t(spec.end),
                "description": spec.description,
                "venue_name": venue[0],
                "venue_street": venue[1],
                "venue_postcode": venue[2],
                "venue_city": venue[3],
                "federal_state": venue[4],
                "online_access": spec.online_access,
                "registration_mode": spec.registration_mode,
                "registration_opens": opens,
                "registration_closes": closes,
                "capacity": spec.capacity,
                "online_capacity": spec.online_capacity,
                "summary": spec.summary,
                "outcomes": spec.outcomes,
                # Venues, times, counts beyond the seed texts, feedback and group results are invented.
                "is_example": True,
                # The reviews of past days with a summary are published, a month after the day.
                "review_published_at": _at(spec.date + dt.timedelta(days=30))
                if spec.date < today and (spec.summary or spec.outcomes)
                else None,
            },
        )
        event.co_organisers.set([organisations[name] for name in spec.co_organisers])
        event.invited_types.set([types[slug] for slug in spec.invited])
        # Keyed by day and start time, so rows (and workshops that point at them) survive a second run.
        keys = {(item[5] if len(item) > 5 else 1, _t(item[0])) for item in spec.programme}
        for item in event.programme.all():
            if (item.day, item.start) not in keys:
                item.delete()
        for s, e, kind, title, speakers, *day in spec.programme:
            ProgrammeItem.objects.update_or_create(
                event=event,
                day=day[0] if day else 1,
                start=_t(s),
                defaults={"end": _t(e), "kind": kind, "title": title, "speakers": speakers},
            )
        event.quotas.exclude(organisation_type__slug__in=spec.quotas).delete()
        for slug, seats in spec.quotas.items():
            Quota.objects.update_or_create(event=event, organisation_type=types[slug], defaults={"seats": seats})
        result[spec.slug] = event
    return result


# The questions every upcoming demo event asks on its registration form (events.models.EventQuestion): position,
# kind, German and English text and help, options (one per line, German and English), required, only for these
# organisation types (empty: everyone), only for events on site.
DEMO_QUESTIONS = [
    (
        1,
        QuestionKind.YES_NO,
        ("Benötigen Sie eine Erstattung Ihrer Reisekosten?", "Do you need your travel costs reimbursed?"),
        (
            "Der KOK erstattet Fachberatungsstellen die Fahrt mit der Bahn (2. Klasse).",
            "KOK reimburses counselling centres for the train journey (2nd class).",
        ),
        ("", ""),
        True,
        ["fachberatungsstelle"],
        True,
    ),
    (
        2,
        QuestionKind.SINGLE_CHOICE,
        ("Benötigen Sie eine Verdolmetschung?", "Do you need an interpreter?"),
        ("", ""),
        (
            "Nein\nEnglisch\nFranzösisch\nDeutsche Gebärdensprache",
            "No\nEnglish\nFrench\nGerman Sign Language",
        ),
        False,
        [],
        False,
    ),
    (
        3,
        QuestionKind.YES_NO,
        ("Ich bringe ein Fallbeispiel für die Kleingruppen mit.", "I bring a case example for the small groups."),
        (
            "Fallbeispiele werden vor der Veranstaltung anonymisiert und geprüft.",
            "Case examples are anonymised and reviewed before the event.",
        ),
        ("", ""),
        False,
        ["fachberatungsstelle", "jugendhilfe"],
        False,
    ),
    (
        4,
        QuestionKind.MULTIPLE_CHOICE,
        ("Welche Themen wünschen Sie sich?", "Which topics would you like to discuss?"),
        ("Mehrere Antworten möglich.", "You may choose several."),
        (
            "Identifizierung von Betroffenen\nAufenthaltsrecht und Asylverfahren\nMinderjährige Betroffene\n"
            "Zusammenarbeit mit Behörden",
            "Identifying victims\nResidence law and asylum procedure\nMinors affected\nCooperation with authorities",
        ),
        False,
        [],
        False,
    ),
    (
        5,
        QuestionKind.YES_NO,
        (
            "Sind Sie damit einverstanden, dass der KOK Fotos, auf denen Sie zu sehen sind, in der Dokumentation "
            "veröffentlicht?",
            "Do you agree that KOK publishes photos showing you in the documentation?",
        ),
        ("Sie können Ihre Einwilligung jederzeit widerrufen.", "You may withdraw your consent at any time."),
        ("", ""),
        True,
        [],
        False,
    ),
]


def seed_questions(*, events: dict[str, Event], today: dt.date) -> int:
    """The five demo questions on every upcoming demo event (keyed by event and position: a second run changes
    nothing)."""
    types = {t.slug: t for t in OrganisationType.objects.all()}
    count = 0
    for event in events.values():
        if event.date < today:
            continue
        for position, kind, (text, text_en), (help_de, help_en), (
            options,
            options_en,
        ), required, only, on_site in DEMO_QUESTIONS:
            if on_site and event.is_virtual:
                continue
            question, _created = EventQuestion.objects.update_or_create(
                event=event,
                position=position,
                defaults={
                    "kind": kind,
                    "text": text,
                    "text_en": text_en,
                    "help_text": help_de,
                    "help_text_en": help_en,
                    "options": options,
                    "options_en": options_en,
                    "required": required,
                },
            )
            question.organisation_types.set([types[slug] for slug in only])
            count += 1
    return count


# The project of the seed texts: "Flucht & Menschenhandel – Schutz- und Unterstützungsstrukturen für Frauen und
# Minderjährige", run by KOK from 01.05.2016 to 30.11.2017, funded by the Federal Government Commissioner for Migration,
# Refugees and Integration. Its practice days: the 2016 day with ECPAT and the regional days of 19 and 21 September
# 2017 (organised jointly with the BAMF, see their co-organisers above). No logo: staff upload the funder's own.
PROJECT_EVENTS = (
    "praxisfachtag-2016-minderjaehrige-gefluechtete",
    "regionaler-praxisfachtag-hamburg-2017",
    "regionaler-praxisfachtag-berlin-2017",
)


def seed_projects() -> int:
    """The project "Flucht & Menschenhandel" with its events (idempotent). Returns the number of projects."""
    from .models import Project

    project, _created = Project.objects.update_or_create(
        title="Flucht & Menschenhandel – Schutz- und Unterstützungsstrukturen für Frauen und Minderjährige",
        defaults={
            "title_en": "Flight & Human Trafficking – Protection and Support Structures for Women and Minors",
            "starts_on": dt.date(2016, 5, 1),
            "ends_on": dt.date(2017, 11, 30),
            "description": (
                "Das Projekt unterstützt spezielle Projekte und Maßnahmen der spezialisierten Fachberatungsstellen "
                "für Betroffene von Menschenhandel im Kontext von Flucht und benennt politische Handlungsbedarfe; "
                "minderjährige Geflüchtete stehen dabei besonders im Blick."
            ),
            "funder": "Die Beauftragte der Bundesregierung für Migration, Flüchtlinge und Integration",
            "funder_en": "The Federal Government Commissioner for Migration, Refugees and Integration",
            "credit_line": "Gefördert durch die Beauftragte der Bundesregierung für Migration, Flüchtlinge und "
            "Integration.",
            "credit_line_en": "Funded by the Federal Government Commissioner for Migration, Refugees and Integration.",
        },
    )
    Event.objects.filter(slug__in=PROJECT_EVENTS).update(project=project)
    return 1


# Speakers of the demo programmes (events.models.Speaker). The seed texts name roles, never people: every name
# here is invented (a "Muster" name, so nobody takes it for a real person), on events marked as example data. The
# counselling-centre speaker has not consented yet: the pages show only the free-text institution for her item.
# key: name, organisation, German biography, English biography, consented
DEMO_SPEAKERS = {
    "bamf": (
        "Alex Mustermann (Beispielname)",
        "BAMF, Sonderbeauftragter für Opfer von Menschenhandel",
        "Sonderbeauftragter für Opfer von Menschenhandel in einer Außenstelle des BAMF; führt Anhörungen im "
        "Asylverfahren und berät Kolleg*innen zur Identifizierung Betroffener. (Beispieldaten)",
        "Special officer for victims of human trafficking at a BAMF branch office; conducts asylum interviews and "
        "advises colleagues on identifying victims. (Example data)",
        True,
    ),
    "kok": (
        "Kim Musterfrau (Beispielname)",
        "KOK e.V., Geschäftsstelle",
        "Referentin in der Geschäftsstelle des KOK e.V.; koordiniert die Praxisfachtage und die Zusammenarbeit "
        "der Fachberatungsstellen mit Behörden. (Beispieldaten)",
        "Policy officer at the KOK office; coordinates the practice days and the cooperation between counselling "
        "centres and authorities. (Example data)",
        True,
    ),
    "fbs": (
        "Sam Beispiel (Beispielname)",
        "Fachberatungsstelle Brückenschlag",
        "Beraterin in einer spezialisierten Fachberatungsstelle für Betroffene von Menschenhandel. (Beispieldaten)",
        "Counsellor at a specialised counselling centre for victims of human trafficking. (Example data)",
        False,
    ),
}
# (event slug, start of the programme item, speaker keys in order); slugs of upcoming events are fixed too.
DEMO_SPEAKER_LINKS = [
    ("kok-bamf-praxisfachtag-2019", "10:00", ["bamf"]),
    ("kok-bamf-praxisfachtag-2019", "10:45", ["kok"]),
    ("kok-bamf-praxisfachtag-2019", "11:45", ["fbs", "bamf"]),
    ("regionaler-praxisfachtag-berlin-brandenburg", "10:30", ["bamf"]),
    ("regionaler-praxisfachtag-berlin-brandenburg", "10:00", ["kok"]),
    ("fachtreffen-hybrid-identifizierung", "10:30", ["kok", "bamf"]),
]


def seed_speakers(*, events: dict[str, Event]) -> int:
    """The demo speakers and their programme items; a second run changes nothing. Returns how many speakers."""
    from .models import ProgrammeItemSpeaker, Speaker, SpeakerInvitation
    from .speakers import hash_token, new_token

    speakers = {}
    for key, (name, organisation, bio, bio_en, consented) in DEMO_SPEAKERS.items():
        speaker, _created = Speaker.objects.update_or_create(
            name=name,
            defaults={
                "organisation": organisation,
                "bio": bio,
                "bio_en": bio_en,
                "consent_to_publish": consented,
                "consent_given_at": _at(dt.date(2019, 10, 1)) if consented else None,
            },
        )
        speakers[key] = speaker
    for slug, start, keys in DEMO_SPEAKER_LINKS:
        event = events.get(slug)
        item = event and event.programme.filter(start=_t(start)).first()
        if item is None:
            continue
        for position, key in enumerate(keys):
            ProgrammeItemSpeaker.objects.update_or_create(
                programme_item=item, speaker=speakers[key], defaults={"position": position}
            )
            # Those who consented confirmed the event through their invitation (a speaker is named only then:
            # events.speakers.published_links); the link's secret is thrown away, the demo needs none.
            if DEMO_SPEAKERS[key][4]:
                deadline = event.starts_at - dt.timedelta(days=7)
                SpeakerInvitation.objects.get_or_create(
                    speaker=speakers[key],
                    event=event,
                    defaults={
                        "token_hash": hash_token(new_token()),
                        "deadline": deadline,
                        "sent_at": deadline - dt.timedelta(days=21),
                        "confirmed_at": deadline - dt.timedelta(days=10),
                        "last_edited_at": deadline - dt.timedelta(days=10),
                    },
                )
    return len(speakers)


def _text_pdf(title: str, lines: list[str]) -> bytes:
    """A one-page PDF with a title and lines of text (Helvetica, WinAnsi), built by hand: the demo's handouts are
    small and need no renderer. Every page says it is example data."""

    def escape(text: str) -> str:
        return text.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")

    body = ["BT", "/F1 16 Tf", "50 780 Td", "20 TL", f"({escape(title)}) Tj", "/F1 11 Tf", "T*", "16 TL"]
    body += [f"({escape(line)}) '" for line in lines]
    body += ["T*", "(Beispieldaten - Demo-Daten des Portals, keine Unterlage des KOK e.V.) '", "ET"]
    stream = "\n".join(body).encode("cp1252")
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 4 0 R >> >> "
        b"/Contents 5 0 R >>",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
        b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, content in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + content + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)


# The demo's materials (events.models.Material): in 2016 the participants learnt "instruments to identify victims"
# (seed text), which they took home as a handout; the texts of the files are invented and say so.
# (event slug, programme item start or None, title, file name, visibility, lines of the handout)
DEMO_MATERIALS = [
    (
        "praxisfachtag-2016-minderjaehrige-gefluechtete",
        None,
        "Handout: Instrumente zur Identifizierung Betroffener (Beispiel)",
        "handout-instrumente-identifizierung.pdf",
        "public",
        [
            "Hinweise auf Menschenhandel erkennen: Anzeichen, Fragen, nächste Schritte.",
            "Wen einbeziehen? Spezialisierte Fachberatungsstelle, Jugendamt, BAMF-Sonderbeauftragte.",
            "Schutz zuerst: keine Befragung ohne Dolmetschung und Beratung.",
        ],
    ),
    (
        "kok-bamf-praxisfachtag-2019",
        None,
        "Ergebnisse der Kleingruppen (Beispiel)",
        "ergebnisse-kleingruppen.pdf",
        "public",
        ["Feste Ansprechpersonen je Region.", "Frühzeitige Information der Fachberatungsstellen im Asylverfahren."],
    ),
    (
        "fachtreffen-hybrid-identifizierung",
        "10:30",
        "Folien: Instrumente zur Identifizierung (Beispiel)",
        "folien-instrumente-identifizierung.pdf",
        "registered",
        ["Folien zum Input am ersten Tag.", "Nur für angemeldete Teilnehmer*innen."],
    ),
]


def seed_materials(*, events: dict[str, Event]) -> int:
    """The demo's handouts and slides, saved through events.materials (checked like every upload); a second run
    adds nothing. Returns how many materials the demo events have."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from .materials import material_add
    from .models import Material

    for slug, start, title, file_name, visibility, lines in DEMO_MATERIALS:
        event = events.get(slug)
        if event is None or Material.objects.filter(event=event, title=title).exists():
            continue
        item = event.programme.filter(start=_t(start)).first() if start else None
        material_add(
            event=event,
            uploaded_file=SimpleUploadedFile(file_name, _text_pdf(title, lines)),
            title=title,
            visibility=visibility,
            programme_item=item,
            by=None,
        )
    return Material.objects.filter(event__slug__in=[spec[0] for spec in DEMO_MATERIALS]).count()
