"""Employers and institutions that narrow down who someone is.

- Companies by legal form ("Bau Kowalski GmbH", "Clean & Fresh Reinigung UG (haftungsbeschränkt)") and businesses
  by their kind with a proper name ("Spargelhof Brinkmann", "Restaurant Goldener Drache", "Massagestudio Lotus",
  "Meyers Hof", 'die Bar „Tabu“'). A kind without a name ("ein Restaurant", "das Hotel") identifies nobody.
- Institutions with a proper name or a town: shelters, counselling centres, women's shelters, youth welfare
  offices, BAMF branch offices, courts, police stations, prisons, clinics ("Frauenhaus Lüneburg", "Jugendamt
  Diepholz", "BAMF-Außenstelle Eisenhüttenstadt", "Fachberatungsstelle Nadeschda"), and the counselling centres
  of KOK's network by name.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from .findings import Category, _Candidate
from .lexicon import fold, folded_words, german_nouns, german_words, places

_SPACE = r"[ \t\u00a0]+"  # names do not continue over a line break
_NAME_WORD = r"(?:[A-ZÄÖÜ][\wäöüßÄÖÜ'’.-]*|&|\d{1,4})"
_LEGAL_FORMS = (
    r"GmbH\s*&\s*Co\.\s*KG|GmbH\s*&\s*Co\.?\s*KGaA|gGmbH|GmbH|UG\s*\(haftungsbeschränkt\)|UG|AG|KG|OHG|GbR|"
    r"e\.\s?K\.|e\.\s?Kfr\.|e\.\s?V\.|Ltd\.?|Limited|S\.?R\.?L\.?|SRL|Sp\.\s?z\s?o\.\s?o\.|s\.\s?r\.\s?o\.|"
    r"Kft\.?|EOOD|OOD|Inc\.?|LLC|B\.?V\.?|S\.?A\.?"
)
_LEGAL_FORM_RE = re.compile(rf"(?<![\w-])(?P<name>{_NAME_WORD}(?:\s+{_NAME_WORD}){{0,4}})\s+(?:{_LEGAL_FORMS})(?![\w])")
# Kinds of business where trafficking victims are exploited; as a word of their own or the end of a compound
# ("Spargelhof", "Massagestudio", "Gebäudereinigung").
_BUSINESS = (
    r"Hof|Gutshof|Bauernhof|Spargelhof|Erdbeerhof|Obsthof|Gemüsehof|Ferienhof|Reiterhof|Farm|Gärtnerei|Baumschule|"
    r"Schlachterei|Schlachthof|Fleischerei|Fleischwerk|Fleischverarbeitung|Metzgerei|Restaurant|Imbiss|Pizzeria|"
    r"Bistro|Café|Cafe|Bar|Club|Nachtclub|Saunaclub|Laufhaus|Bordell|Massagestudio|Massagesalon|Massage|Wellness|"
    r"Nagelstudio|Kosmetikstudio|Studio|Salon|Friseursalon|Barbershop|Hotel|Pension|Gasthof|Gasthaus|Hostel|"
    r"Reinigung|Gebäudereinigung|Gebäudeservice|Pflegedienst|Pflegeservice|Seniorendienst|Bau|Baufirma|Bauunternehmen|"
    r"Spedition|Transporte|Logistik|Kurierdienst|Kurier|Lieferdienst|Paketdienst|Autohaus|Autowerkstatt|Werkstatt|"
    r"Waschstraße|Kiosk|Späti|Markt|Supermarkt|Getränkemarkt|Lager|Sortierzentrum|Agentur|Personalservice|"
    r"Zeitarbeit|Transport|Umzüge|Catering|Bäckerei|Döner|Grill|Grillhaus|Schnellrestaurant|Event|Fahrgeschäft|Gut|"
    r"Weingut|Landgut|Hofladen|Landhotel|Gaststätte|Biergarten|Shisha-Bar|Shishabar|Lounge|Club|Ristorante|"
    r"Trattoria|Taverna|Betrieb|Schaustellerbetrieb|Landwirtschaftsbetrieb|Fabrik|Fleischfabrik|Werk|Schlachtbetrieb"
)
# "Spargelhof", "China-Restaurant", "Thai-Massage": the kind as the end of a compound.
_BUSINESS_WORD = rf"(?:[A-ZÄÖÜ][\wäöüß]*-?(?i:{_BUSINESS})|{_BUSINESS})"
# "Restaurant Goldener Drache", "Hof Meyer", "Spargelhof Brinkmann", 'Club „Paradies“'
_BUSINESS_NAMED_RE = re.compile(
    rf"(?<![\w-])(?P<kind>{_BUSINESS_WORD}){_SPACE}(?P<name>[„\"'»‚](?:[^„“\"'«»‚‘\n]{{1,40}})[“\"'«‘]|"
    rf"{_NAME_WORD}(?:{_SPACE}{_NAME_WORD}){{0,3}})"
)
# The same, fast on long texts: any capitalised word followed by a name; the kind is checked in Python.
_WORD_BEFORE_NAME_RE = re.compile(
    rf"(?<![\w-])(?P<kind>[A-ZÄÖÜ][\wäöüß-]*)(?={_SPACE}(?P<name>[„\"'»‚](?:[^„“\"'«»‚‘\n]{{1,40}})[“\"'«‘]|"
    rf"{_NAME_WORD}(?:{_SPACE}{_NAME_WORD}){{0,3}}))"
)
_BUSINESS_ENDINGS = tuple(kind.lower() for kind in _BUSINESS.split("|"))


def _is_business_word(word: str) -> bool:
    """ "Restaurant", "Spargelhof", "China-Restaurant", "Thai-Massage"."""
    return word.lower().endswith(_BUSINESS_ENDINGS) and (
        word in _BUSINESS.split("|") or len(word) > 3 and word[0].isupper()
    )


# "Meyers Hof", "Ali Babas Imbiss", "Kowalski Bau": a proper name before the kind.
_NAME_BEFORE_BUSINESS_RE = re.compile(
    rf"(?<![\w-])(?P<name>[A-ZÄÖÜ][\wäöüß]+(?:{_SPACE}[A-ZÄÖÜ][\wäöüß]+)?){_SPACE}(?P<kind>{_BUSINESS})\b"
)
_INSTITUTIONS = (
    r"Frauenhaus|Frauenhäuser|Mädchenhaus|Mädchenzuflucht|Zufluchtswohnung|Schutzwohnung|Schutzhaus|Schutzunterkunft|"
    r"Frauenschutzwohnung|Fachberatungsstelle|Beratungsstelle|Frauenberatungsstelle|Migrationsberatung|Jugendamt|"
    r"Kreisjugendamt|Stadtjugendamt|Jugendhilfeeinrichtung|Wohngruppe|Clearinghaus|Clearingstelle|Inobhutnahmestelle|"
    r"Kinderheim|Jugendwohnheim|Ausländerbehörde|Sozialamt|Jobcenter|Arbeitsagentur|Agentur\s+für\s+Arbeit|"
    r"Polizeiinspektion|Polizeidirektion|Polizeipräsidium|Polizeirevier|Polizeiwache|Polizeistation|"
    r"Kriminalpolizeiinspektion|Kriminalinspektion|Kriminalkommissariat|Kreispolizeibehörde|Polizeibehörde|"
    r"Kriminalpolizei|Landeskriminalamt|StA|Zollamt|Hauptzollamt|Finanzkontrolle\s+Schwarzarbeit|"
    r"Landgericht|Amtsgericht|Oberlandesgericht|Verwaltungsgericht|Arbeitsgericht|Sozialgericht|Staatsanwaltschaft|"
    r"Generalstaatsanwaltschaft|JVA|Justizvollzugsanstalt|Abschiebehaft|Klinikum|Krankenhaus|Klinik|Fachklinik|"
    r"Psychiatrie|Gesundheitsamt|BAMF-Außenstelle|Außenstelle\s+des\s+BAMF|Außenstelle|BAMF|Ankunftszentrum|"
    r"Erstaufnahmeeinrichtung|Aufnahmeeinrichtung|Landesaufnahmebehörde|Zentrale\s+Ausländerbehörde|"
    r"Gemeinschaftsunterkunft|Unterkunft|Flüchtlingsunterkunft|Kirchengemeinde|Gemeinde|Moschee|Schule|Berufsschule|"
    r"Gesamtschule|Grundschule|Hochschule|Universität|Kita|Tafel|Diakonie|Caritas|AWO|Mitternachtsmission|"
    # associations and churches abroad and of migrant communities: "Asociația Lumina Nouă", "Fundacja Nadzieja"
    r"Asociația|Asociatia|Asociación|Associação|Association|Associazione|Fundația|Fundatia|Fundacja|Fondazione|"
    r"Stowarzyszenie|Sdružení|Egyesület|Alapítvány|Foundation|Church|Ministry|Ministries|Chapel|Tabernacle"
)
# "Frauenhaus Lüneburg", "Jugendamt Diepholz", "BAMF-Außenstelle Eisenhüttenstadt", 'Beratungsstelle „Lichtblick“',
# "Fachberatungsstelle Nadeschda", "Landgericht Osnabrück", "Caritas Hildesheim"
_INSTITUTION_RE = re.compile(
    rf"(?<![\w-])(?P<kind>(?:[A-ZÄÖÜ][\wäöüß]*-)?(?:{_INSTITUTIONS})(?:e?s)?){_SPACE}"
    rf"(?:(?:in|im|am|an{_SPACE}der|bei){_SPACE})?"
    rf"(?P<name>[„\"'»‚](?:[^„“\"'«»‚‘\n]{{1,50}})[“\"'«‘]"
    rf"|(?:(?:der{_SPACE}Stadt|des{_SPACE}Landkreises|des{_SPACE}Kreises){_SPACE})?"
    # "Salzgitter/Peine/Wolfenbüttel", "Haren (Ems)", "Bad Bentheim"
    rf"[A-ZÄÖÜ][\wäöüß'’.-]+(?:(?:[ -]|/)(?:[A-ZÄÖÜ][\wäöüß'’.-]+|\([A-ZÄÖÜ][\w.]*\))){{0,3}})"
)
# Counselling centres of KOK's network and other specialised services, recognisable by their name alone.
_NAMED_SERVICES_RE = re.compile(
    r"(?<![\w-])(?:Solwodi|SOLWODI|Nadeschda|Ban\s+Ying|FIZ|KOBRAnet|Kobra|Jadwiga|Hydra|Phoenix|Dortmunder\s+"
    r"Mitternachtsmission|Mitternachtsmission|IN\s+VIA|In\s+Via|Amalie|Gegenwind|Mimikry|Lola|Frauenhorizonte|"
    r"Frauenrecht\s+ist\s+Menschenrecht|contra|Contra|Dornrosa|Lichtblick|ZORA|Zora|ProKids|KOOFRA|Koofra|"
    r"FRIEDA|Madonna|Tamar|Kassandra|Kassandra\s+e\.V\.|Bella\s+Donna|Olga|Mitra|VIA|Arbeit\s+und\s+Leben)"
    r"(?:\s+(?:e\.\s?V\.|[A-ZÄÖÜ][\wäöüß]+))?(?![\w])"
)
# Words that follow a kind without making it a proper name: "das Jugendamt Bescheid gab", "Restaurant Küche".
_NOT_NAMES = folded_words(
    """
    Bescheid Bericht Kontakt Mitarbeiter Mitarbeiterin Mitarbeiterinnen Mitarbeitende Leitung Team Fachkräfte
    Kollegin Kollegen Akte Akten Unterlagen Termin Termine Antrag Anträge Entscheidung Anhörung Stellungnahme
    Unterstützung Hilfe Schutz Inobhutnahme Maßnahme Maßnahmen Verfahren Aufnahme Unterbringung Betreuung
    Arbeit Arbeiten Küche Service Chef Chefin Inhaber Inhaberin Betreiber Betreiberin Gäste Kunden Kundinnen
    Freier Personal Räume Zimmer Eingang Keller Dach Lager Frauen Männer Kinder Jugendliche Mädchen Jungen
    Sonderbeauftragte Sonderbeauftragter Entscheider Entscheiderin Dolmetscherin Dolmetscher Richterin Richter
    Staatsanwältin Staatsanwalt Polizei Beamtin Beamte Beamten Ermittlungen Durchsuchung Razzia Kontrolle
    Deutschland Berlin Hamburg Bayern Sachsen Hessen Niedersachsen Nordrhein-Westfalen Baden-Württemberg
    Süddeutschland Norddeutschland Ostdeutschland Westdeutschland Juni Juli Mai Frühjahr Sommer Herbst Winter
    Januar Februar März April August September Oktober November Dezember Montag Dienstag Mittwoch Donnerstag
    Freitag Samstag Sonntag Fallbeispiel Fall Fälle Beratung Beratungen Gespräch Gespräche Aussage Aussagen
    Prozess Verhandlung Urteil Haft Klientin Klienten Klient Betroffene Betroffenen Opfer Täter Täterin
    Sozialarbeiterin Sozialarbeiter Ärztin Arzt Zeugin Zeuge Vormund Vormundin Schule Wohnung Unterkunft
"""
)


def _proper(name: str) -> bool:
    """A proper name: quoted, or capitalised words that are not all ordinary German words."""
    if name[0] in "„\"'»‚":
        return True
    words = [w for w in re.split(r"[\s-]+", name) if w and w != "&"]
    if not words or fold(words[0]) in _NOT_NAMES:
        return False
    return any(fold(w.strip(".")) not in german_words() for w in words) or len(words) > 1


def find_organisations(text: str) -> Iterator[_Candidate]:
    for match in _LEGAL_FORM_RE.finditer(text):
        name = match.group("name")
        # Keep the company's own name: drop leading ordinary words ("bei der Firma Krüger GmbH" -> "Firma …").
        words = name.split()
        while len(words) > 1 and fold(words[0]) in _NOT_NAMES:
            words = words[1:]
        start = match.start("name") + name.index(words[0])
        yield _Candidate(Category.ORGANISATION, start, match.end())
    for match in _WORD_BEFORE_NAME_RE.finditer(text):
        if not _is_business_word(match.group("kind")):
            continue
        name = match.group("name")
        trimmed = _trim_trailing_ordinary(name)
        if trimmed and _proper(trimmed):
            yield _Candidate(Category.ORGANISATION, match.start(), match.start("name") + len(trimmed))
    for match in _NAME_BEFORE_BUSINESS_RE.finditer(text):
        name = match.group("name")
        if fold(name.split()[0]) in _NOT_NAMES or all(fold(w) in german_words() for w in name.split()):
            continue
        before = text[max(0, match.start() - 2) : match.start()]
        if not before or before.endswith((". ", "\n")) and name.split()[0] in _SENTENCE_STARTS:
            continue
        yield _Candidate(Category.ORGANISATION, match.start(), match.end())
    for match in _INSTITUTION_RE.finditer(text):
        name = match.group("name")
        trimmed = _trim_trailing_ordinary(name)
        if trimmed and _proper_institution(trimmed):
            yield _Candidate(Category.INSTITUTION, match.start(), match.start("name") + len(trimmed))
    for match in _NAMED_SERVICES_RE.finditer(text):
        if match.group().lower() in ("via", "contra", "olga", "lola", "zora", "amalie") and not _service_context(
            text, match.start()
        ):
            continue
        yield _Candidate(Category.INSTITUTION, *match.span())


_SENTENCE_STARTS = frozenset({"Der", "Die", "Das", "Ein", "Eine", "Im", "In", "Am", "Beim", "Vom", "Zum", "Zur"})


_DOTTED = frozenset({"Co", "St", "Dr", "Prof", "Str", "Nr", "Inh", "Gebr", "Ges", "Verw", "Ev", "Kath"})


def _cut_at_sentence_end(name: str) -> str:
    """A name ends with its sentence: "Jugendamt in Cloppenburg. Die Vormünderin …" -> "… Cloppenburg." (the dot
    goes next); the dot of an abbreviation or an initial does not end it ("St. Georg", "Co. KG")."""
    for match in re.finditer(r"(\S+)\.\s", name):
        word = match.group(1)
        if word in _DOTTED or len(word) == 1 or "." in word:
            continue
        return name[: match.end(1) + 1]
    return name


def _trim_trailing_ordinary(name: str) -> str:
    """Drop ordinary German words at the end of a name ("Lüneburg Kontakt" -> "Lüneburg")."""
    if name[0] in "„\"'»‚":
        return name
    name = _cut_at_sentence_end(name)
    words = name.split(" ")
    while words and fold(words[-1].strip(".,")) in _NOT_NAMES:
        words.pop()
    # The full stop of the sentence is not part of the name; an abbreviation's is ("Co.", "e.V.", "St.").
    if words and words[-1].endswith(".") and "." not in words[-1][:-1] and words[-1][:-1] not in _DOTTED:
        words[-1] = words[-1][:-1]
    return " ".join(words)


def _proper_institution(name: str) -> bool:
    """A town or a proper name after an institution's kind; "der Stadt X" and "des Landkreises X" too."""
    if name[0] in "„\"'»‚":
        return True
    name = re.sub(r"^(?:der\s+Stadt|des\s+Landkreises|des\s+Kreises)\s+", "", name)
    first = fold(name.split()[0].strip("."))
    # Churches and hospitals named after a saint ("Gemeinde St. Anna", "Klinikum St. Georg") are everywhere.
    if first in _NOT_NAMES or first in ("st", "sankt", "santa", "san"):
        return False
    # A town, a district ("Emsland") or another proper name; common nouns continue the sentence instead.
    return first in places() or first not in german_nouns() or len(name.split()) > 1


def _service_context(text: str, start: int) -> bool:
    return bool(
        re.search(r"(?:Beratungsstelle|Fachberatungsstelle|Verein|bei|von|an)\s+$", text[max(0, start - 30) : start])
    )


def business_kind(excerpt: str) -> str:
    """The kind of business a finding names ("Erdbeerhof Gerdes" -> "Erdbeerhof", "Meyers Hof" -> "Hof"), "" when
    it names none ("Glanzwerk GmbH")."""
    if excerpt.startswith("Firma "):
        return "Firma"
    for pattern in (_BUSINESS_NAMED_RE, _NAME_BEFORE_BUSINESS_RE):
        match = pattern.match(excerpt)
        if match and not re.search(rf"\s(?:{_LEGAL_FORMS})$", excerpt):
            return match.group("kind")
    return ""


def institution_kind(excerpt: str) -> str:
    """The kind of institution a finding names ("Jugendamt Diepholz" -> "Jugendamt"), "" for a bare name."""
    match = _INSTITUTION_RE.match(excerpt)
    if not match:
        return ""
    kind = match.group("kind")
    return {"StA": "Staatsanwaltschaft", "JVA": "Justizvollzugsanstalt"}.get(kind, kind)
