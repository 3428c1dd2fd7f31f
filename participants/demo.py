"""Demo organisations and fictitious people for `manage.py seed_demo`.

All people are invented; e-mail addresses use the reserved domain ``example.org``. Counselling centres
are fictitious; public bodies (BAMF branch offices, youth welfare offices) are named by place only.
"""

from __future__ import annotations

import random

from .enums import FederalState
from .models import Organisation, OrganisationType

# (name, type slug, city, federal state, KOK member)
ORGANISATIONS = [
    ("KOK e.V. – Geschäftsstelle", "kok", "Berlin", FederalState.BE, False),
    ("BAMF – Referat 61A", "bamf", "Nürnberg", FederalState.BY, False),
    ("BAMF – Außenstelle Berlin", "bamf", "Berlin", FederalState.BE, False),
    ("BAMF – Außenstelle Hamburg", "bamf", "Hamburg", FederalState.HH, False),
    ("BAMF – Außenstelle Bremen", "bamf", "Bremen", FederalState.HB, False),
    ("BAMF – Außenstelle Dortmund", "bamf", "Dortmund", FederalState.NW, False),
    ("BAMF – Außenstelle Düsseldorf", "bamf", "Düsseldorf", FederalState.NW, False),
    ("BAMF – Außenstelle Karlsruhe", "bamf", "Karlsruhe", FederalState.BW, False),
    ("BAMF – Außenstelle München", "bamf", "München", FederalState.BY, False),
    ("BAMF – Außenstelle Chemnitz", "bamf", "Chemnitz", FederalState.SN, False),
    ("BAMF – Außenstelle Eisenhüttenstadt", "bamf", "Eisenhüttenstadt", FederalState.BB, False),
    ("BAMF – Außenstelle Gießen", "bamf", "Gießen", FederalState.HE, False),
    ("BAMF – Außenstelle Braunschweig", "bamf", "Braunschweig", FederalState.NI, False),
    ("BAMF – Außenstelle Neumünster", "bamf", "Neumünster", FederalState.SH, False),
    ("ECPAT Deutschland e.V.", "sonstige", "Freiburg im Breisgau", FederalState.BW, True),
    ("Fachberatungsstelle Lichtblick", "fachberatungsstelle", "Hamburg", FederalState.HH, True),
    ("Fachberatungsstelle Brückenschlag", "fachberatungsstelle", "Berlin", FederalState.BE, True),
    ("Beratungsstelle Weitblick", "fachberatungsstelle", "Berlin", FederalState.BE, True),
    ("Fachberatungsstelle Anker", "fachberatungsstelle", "Bremen", FederalState.HB, True),
    ("Fachberatungsstelle Morgenrot", "fachberatungsstelle", "Dortmund", FederalState.NW, True),
    ("Beratungsstelle Kompass", "fachberatungsstelle", "Köln", FederalState.NW, True),
    ("Fachberatungsstelle Wegweiser", "fachberatungsstelle", "Stuttgart", FederalState.BW, True),
    ("Fachberatungsstelle Lotsin", "fachberatungsstelle", "München", FederalState.BY, True),
    ("Fachberatungsstelle Zuflucht", "fachberatungsstelle", "Leipzig", FederalState.SN, True),
    ("Fachberatungsstelle Nordlicht", "fachberatungsstelle", "Kiel", FederalState.SH, True),
    ("Fachberatungsstelle Horizont", "fachberatungsstelle", "Hannover", FederalState.NI, True),
    ("Fachberatungsstelle Leuchtturm", "fachberatungsstelle", "Rostock", FederalState.MV, True),
    ("Fachberatungsstelle Brücke", "fachberatungsstelle", "Frankfurt am Main", FederalState.HE, True),
    ("Beratungsstelle Schutzraum", "fachberatungsstelle", "Potsdam", FederalState.BB, True),
    ("Jugendamt Berlin-Mitte", "jugendhilfe", "Berlin", FederalState.BE, False),
    ("Jugendamt Hamburg-Nord", "jugendhilfe", "Hamburg", FederalState.HH, False),
    ("Kinder- und Jugendnotdienst Berlin", "jugendhilfe", "Berlin", FederalState.BE, False),
    ("Clearinghaus für unbegleitete Minderjährige", "jugendhilfe", "Hamburg", FederalState.HH, False),
    ("Jugendamt Köln", "jugendhilfe", "Köln", FederalState.NW, False),
    ("Beratungsstelle für junge Geflüchtete Ankommen", "gefluechtete", "Berlin", FederalState.BE, False),
    ("Flüchtlingsberatung Perspektive", "gefluechtete", "Hamburg", FederalState.HH, False),
    ("Beratung für geflüchtete Frauen Sonnenblume", "gefluechtete", "Leipzig", FederalState.SN, False),
    ("Projekt für Jungen in der Prostitution Querweg", "sonstige", "Berlin", FederalState.BE, False),
]

FIRST_NAMES = [
    "Anna",
    "Lena",
    "Miriam",
    "Sabine",
    "Jana",
    "Katharina",
    "Fatma",
    "Elena",
    "Nadia",
    "Sophie",
    "Julia",
    "Hanna",
    "Marta",
    "Clara",
    "Ines",
    "Lea",
    "Nora",
    "Petra",
    "Aylin",
    "Dana",
    "Thomas",
    "Jonas",
    "Markus",
    "Daniel",
    "Tobias",
    "Stefan",
    "Kemal",
    "Felix",
    "David",
    "Lukas",
    "Simon",
    "Paul",
    "Moritz",
    "Jan",
    "Omar",
    "Robert",
    "Matthias",
    "Niklas",
    "Sven",
    "Tim",
]
LAST_NAMES = [
    "Schneider",
    "Fischer",
    "Weber",
    "Becker",
    "Hoffmann",
    "Koch",
    "Richter",
    "Wolf",
    "Neumann",
    "Schwarz",
    "Zimmermann",
    "Krüger",
    "Hartmann",
    "Lange",
    "Werner",
    "Krause",
    "Meier",
    "Lehmann",
    "Köhler",
    "Kaiser",
    "Yılmaz",
    "Nowak",
    "Kowalski",
    "Popescu",
    "Ivanova",
    "Schulze",
    "Brandt",
    "Vogel",
    "Friedrich",
    "Berger",
]
FUNCTIONS = {
    "fachberatungsstelle": ["Beraterin", "Berater", "Sozialarbeiterin", "Leitung der Beratungsstelle"],
    "bamf": ["Sonderbeauftragte für Opfer von Menschenhandel", "Sonderbeauftragter für Opfer von Menschenhandel"],
    "jugendhilfe": ["Fachkraft im Allgemeinen Sozialen Dienst", "Vormund", "Einrichtungsleitung"],
    "gefluechtete": ["Asylverfahrensberaterin", "Sozialberater"],
    "kok": ["Referentin", "Projektkoordination"],
    "sonstige": ["Referentin", "Streetwork"],
}


def seed_organisations() -> dict[str, Organisation]:
    """Create or update the demo organisations; returns them by name."""
    types = {t.slug: t for t in OrganisationType.objects.all()}
    result = {}
    for name, type_slug, city, state, member in ORGANISATIONS:
        org, _ = Organisation.objects.update_or_create(
            name=name,
            organisation_type=types[type_slug],
            city=city,
            defaults={"federal_state": state, "is_kok_member": member, "is_reviewed": True},
        )
        result[name] = org
    return result


def fictitious_person(rng: random.Random) -> tuple[str, str]:
    return rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
