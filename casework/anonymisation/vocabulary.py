"""Shared vocabulary of the detectors: months, big cities, countries and nationalities, titles, function words."""

from __future__ import annotations

import re


def _word_set(words: str) -> frozenset[str]:
    """Word lists are written as one space-separated string to keep them compact and readable."""
    return frozenset(words.split())


_MONTHS = "Januar|Jänner|Februar|März|Maerz|April|Mai|Juni|Juli|August|September|Oktober|November|Dezember"
_MONTH_ABBREVIATIONS = r"(?:Jan|Feb|Mär|Mrz|Apr|Jun|Jul|Aug|Sept|Sep|Okt|Nov|Dez)\."
_MONTH_WORDS = frozenset(_MONTHS.split("|")) | {"Jan", "Feb", "Mär", "Apr", "Jun", "Jul", "Aug", "Sep", "Okt"}

# The ~80 largest German cities plus all state capitals. Only used for the quasi-identifier
# warning; "Essen", "Halle" and "Siegen" are also ordinary words and need a preposition.
_GERMAN_CITIES = (
    "Berlin|Hamburg|München|Köln|Frankfurt|Stuttgart|Düsseldorf|Leipzig|Dortmund|Bremen|Dresden|"
    "Hannover|Nürnberg|Duisburg|Bochum|Wuppertal|Bielefeld|Bonn|Münster|Mannheim|Karlsruhe|Augsburg|"
    "Wiesbaden|Mönchengladbach|Gelsenkirchen|Aachen|Braunschweig|Kiel|Chemnitz|Magdeburg|Freiburg|"
    "Krefeld|Mainz|Lübeck|Erfurt|Oberhausen|Rostock|Kassel|Hagen|Potsdam|Saarbrücken|Hamm|"
    "Ludwigshafen|Mülheim|Oldenburg|Osnabrück|Leverkusen|Darmstadt|Heidelberg|Solingen|Herne|"
    "Regensburg|Neuss|Paderborn|Ingolstadt|Offenbach|Fürth|Würzburg|Ulm|Heilbronn|Pforzheim|Wolfsburg|"
    "Göttingen|Bottrop|Reutlingen|Koblenz|Erlangen|Bremerhaven|Remscheid|Recklinghausen|Jena|Trier|"
    "Salzgitter|Moers|Hildesheim|Cottbus|Gütersloh|Kaiserslautern|Schwerin|Witten|Gera|Iserlohn|"
    "Zwickau|Flensburg|Hanau|Gießen|Konstanz|Worms|Bamberg|Marburg|Lüneburg|Wilhelmshaven"
)
_CITY_RE = re.compile(rf"\b(?:{_GERMAN_CITIES})\b|\b(?:in|aus|nach|bei|von)\s+(?:Essen|Halle|Siegen)\b")

_COUNTRIES = (
    "Nigeria|Rumänien|Bulgarien|Ungarn|Polen|Ukraine|Moldau|Moldawien|Moldova|Albanien|Kosovo|Serbien|"
    "Vietnam|China|Thailand|Philippinen|Eritrea|Äthiopien|Somalia|Afghanistan|Syrien|Irak|Iran|Ghana|"
    "Kamerun|Guinea|Sierra Leone|Brasilien|Türkei|Marokko|Gambia|Senegal|Elfenbeinküste|Sudan|"
    "Tschechien|Slowakei|Litauen|Lettland|Russland|Belarus|Georgien|Armenien|Mazedonien|Nordmazedonien|"
    "Bosnien|Kroatien|Montenegro|Indien|Pakistan|Bangladesch|Sri Lanka|Indonesien|Kolumbien|Venezuela|"
    "Dominikanische Republik|Ägypten|Tunesien|Algerien|Libyen|Benin|Togo|Mali|Kenia|Uganda"
)
_DEMONYM_STEMS = (
    "nigerian|rumän|bulgar|ungar|poln|pol|ukrain|moldau|moldaw|alban|kosovar|serb|vietnames|chines|"
    "thailänd|thai|philippin|filipin|eritre|äthiop|somal|afghan|syr|irak|iran|ghana|kamerun|guine|"
    "sierra-leon|brasilian|türk|marokkan|gambi|senegales|sudanes|tschech|slowak|litau|lett|russ|belarus|"
    "armen|mazedon|bosn|kroat|montenegr|ind|pakistan|bangladesch|indones|kolumbian|venezolan|dominikan|"
    "ägypt|tunes|alger|liby|kenian|ugand|deutsch"
)
# Inflected demonyms ("nigerianische", "Rumänin", "Vietnamesen") and country names.
_NATIONALITY_RE = re.compile(
    rf"\b(?i:(?:{_DEMONYM_STEMS})(?:isch|ier|er|e|a|o)?(?:in|innen|e|en|er|em|es|n|s)?)\b"
    rf"|\b(?:{_COUNTRIES})\b"
)

_DETERMINERS = _word_set(
    "der die das den dem des ein eine einer einem einen eines jede jeder jedem jeden diese dieser "
    "diesem diesen jene jener keine keiner keinem ihre ihrer ihrem ihren seine seiner seinem seinen "
    "unsere unserer unserem welche welcher welchem"
)
_ADJECTIVE_ENDINGS = ("e", "en", "er", "em", "es")
# Words before "Mai", "Rose" & Co. that show the common-word reading ("im Mai", "seit Mai").
_CONTRACTIONS = _word_set("im am vom zum zur beim ins ans seit bis ab anfang mitte ende")
_COMMON_WORD_CONTEXT = _DETERMINERS | _CONTRACTIONS
# Ambiguous first names that start many German sentences ("Nur wenige", "Haben Sie").
_FUNCTION_WORD_NAMES = _word_set("Nur Haben Long Van Jan Jun")

# Capitalised words that follow "Frau"/"Herr" without being a name: roles, age descriptions.
_TITLE_FOLLOWER_STOPWORDS = _word_set(
    "Anfang Mitte Ende Doktor Professor Professorin Kollegin Kollege Ministerin Minister Richterin "
    "Richter Staatsanwältin Staatsanwalt Rechtsanwältin Rechtsanwalt Anwältin Anwalt Vorsitzende "
    "Vorsitzender Präsidentin Präsident Bürgermeisterin Bürgermeister Botschafterin Botschafter "
    "Konsulin Konsul Abgeordnete Abgeordneter Sonderbeauftragte Sonderbeauftragter Beraterin Berater "
    "Dolmetscherin Dolmetscher Sachbearbeiterin Sachbearbeiter Entscheiderin Entscheider Vormund "
    "Betreuerin Betreuer Nachbarin Nachbar Pfarrerin Pfarrer Schwester Kommissarin Kommissar "
    "Direktorin Direktor Leiterin Leiter Gott Jesus Sie Ihr Ihre"
)
# Letters that occur in names from the countries of origin but hardly in German nouns.
_FOREIGN_LETTERS_RE = re.compile("[ąćęłńśźżčďěňřšťůžđğışșţțăâîőűãõñçøåĄĆĘŁŃŚŹŻČĎĚŇŘŠŤŮŽĐĞŞȘŢȚĂÂÎŐŰÃÕÑÇØÅİ]")
_ROLE_SUFFIXES = ("kommissar", "kommissarin", "anwalt", "anwältin", "beauftragte", "beauftragter")
# "Madame", "Mama" and "Auntie" are how victims name the women who control them, often
# followed by a real first name ("Mama Rose").
_TITLES = _word_set("Frau Herr Herrn Madame Madam Mama Auntie Aunty")
# Police ranks written before the name in reports ("KHK Brandt", "POKin Weber").
_RANK_TITLES = _word_set("KHK KHKin KOK KOKin POK POKin PHK PHKin PK PKin KK KKin EKHK EKHKin KD KOR PHM PM")
# Kinship and role words that are a title when a name follows ("Schwester Abena", "Familie Al-Rashid",
# "Onkel Dragan"); the next word must look like a name, since "Familie Geld" or "Bruder Jakob" are possible too.
_SOFT_TITLES = _word_set(
    "Schwester Bruder Familie Tante Onkel Cousine Cousin Pastor Pastorin Prophet Prophetin Boss Chef Chefin "
    "Vermieter Vermieterin Zuhälter Bekannte Bekannter Freundin Freund Ehemann Ehefrau Mann Nachbarin Nachbar"
)
_ABBREVIATED_TITLES = frozenset({"Fr", "Hr", "Dr", "Prof"})
_ACADEMIC_TITLES = frozenset({"Dr", "Prof", "Dipl", "med", "phil", "jur", "rer", "nat", "habil"})
_NAME_PARTICLES = frozenset({"al", "el", "bin", "ibn", "ben", "van", "von", "de", "da", "dos", "du"})

# Common capitalised nouns and place words that must not be taken for a surname after an
# ambiguous first name ("im Mai Kontakt", "Nur Frauen", "Gift Drogen").
_NOT_SURNAMES = (
    _word_set(
        "Frau Frauen Herr Mann Männer Kind Kinder Familie Geld Hilfe Arbeit Schutz Polizei Beratung "
        "Kontakt Termin Termine Unterkunft Wohnung Schulden Angst Gewalt Zeit Jahr Jahre Monat Monate "
        "Woche Wochen Tag Tage Euro Lei Naira Prozent Uhr Deutschland Europa Afrika Asien Asyl Pass "
        "Papiere Dokumente Drogen Alkohol Essen Menschen Personen Betroffene Opfer Täter Täterin Kunden "
        "Freier Bordell Baustelle Restaurant Küche Pflege Landwirtschaft Ernte Verfahren Anhörung "
        "Ausländerbehörde Jugendamt Fachberatungsstelle Gericht Staatsanwaltschaft Zoll Kong Covid "
        "Dhabi Frühjahr Sommer Herbst Winter"
    )
    | _MONTH_WORDS
    | _TITLE_FOLLOWER_STOPWORDS
)
# Suffixes of German abstract nouns; a capitalised unknown word ending in one is no surname ("Zwangsverheiratung").
# Weaker endings ("-ei", "-ie", "-chen") are left to the word lists: names end in them too ("Ehigie", "Chen").
_NOUN_SUFFIXES = tuple(_word_set("ung ungen heit keit schaft tion sion ität nis tum ismus"))


def _has_noun_suffix(word: str) -> bool:
    """True for "Beratung", "Polizei", "Mädchen"; not for short names like "Chen" or "Wei"."""
    lower = word.lower()
    return any(lower.endswith(suffix) and len(lower) >= len(suffix) + 3 for suffix in _NOUN_SUFFIXES)
