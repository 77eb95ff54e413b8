"""HXL-tagged CSV for the Humanitarian Data Exchange: a header row, an HXL hashtag row, then data.

HXL (Humanitarian Exchange Language, https://hxlstandard.org/) puts a row of
hashtags under the headers so HDX, the HXL Proxy and libhxl know what each
column holds. Hashtags are from the HXL core dictionary
(https://hxlstandard.org/standard/dictionary/); so are the attributes, except
``+sub``, ``+first``, ``+second``, ``+min`` and ``+max``, for which the
dictionary has no core attribute: they are the ones HDX's own HXL tagging of
ACLED data uses (``#event+type+sub``, ``#group+name+first``), which HDX tools
already read. HXL allows such attributes; :func:`validate_hxl` checks their
syntax and that every hashtag is a core one.

Text cells are defused against formulas like every sitrep CSV (:mod:`.cells`).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from datetime import date, datetime
from typing import IO, BinaryIO

from sitrep.export.cells import CsvCell, read_csv, write_csv
from sitrep.export.rows import FlatRow, country_alpha3, country_name, flat_row, rounded
from sitrep.model.incidents import Incident

DECIMALS = 6

# (header, hashtag, cell): the columns of the HXL export, in order.
HXL_COLUMNS: tuple[tuple[str, str, Callable[[FlatRow], CsvCell]], ...] = (
    ("id", "#event+code", lambda r: r["id"]),
    ("date_start", "#date+occurred", lambda r: r["date_start"]),
    ("date_end", "#date+end", lambda r: r["date_end"]),
    ("event_type", "#event+type", lambda r: r["event_type"]),
    ("sub_event_type", "#event+type+sub", lambda r: r["sub_event_type"]),
    ("country_iso3", "#country+code", lambda r: country_alpha3(_str(r["country_code"]))),
    ("country", "#country+name", lambda r: country_name(_str(r["country_code"]))),
    ("admin1", "#adm1+name", lambda r: r["admin1"]),
    ("location_name", "#loc+name", lambda r: r["location_name"]),
    ("geonames_id", "#loc+code", lambda r: r["geonames_id"]),
    ("precision", "#loc+type", lambda r: r["precision"]),
    ("lat", "#geo+lat", lambda r: rounded(r["lat"], DECIMALS)),
    ("lon", "#geo+lon", lambda r: rounded(r["lon"], DECIMALS)),
    ("deaths_best", "#affected+killed", lambda r: r["deaths_best"]),
    ("deaths_low", "#affected+killed+min", lambda r: r["deaths_low"]),
    ("deaths_high", "#affected+killed+max", lambda r: r["deaths_high"]),
    ("injured_best", "#affected+injured", lambda r: r["injured_best"]),
    ("displaced_best", "#affected+displaced", lambda r: r["displaced_best"]),
    ("actor1", "#group+name+first", lambda r: r["actor1"]),
    ("actor2", "#group+name+second", lambda r: r["actor2"]),
    ("origins", "#meta+source", lambda r: r["origins"]),
    ("sources", "#meta+source+num", lambda r: r["sources"]),
    ("status", "#status", lambda r: r["status"]),
    ("summary", "#description", lambda r: r["summary"]),
)

# The core hashtags of the HXL dictionary (https://hxlstandard.org/standard/dictionary/, sections 1.1-1.5:
# places; people and households; responses and other operations; crises, incidents and events; metadata).
CORE_HASHTAGS: frozenset[str] = frozenset(
    {
        # places
        "adm1", "adm2", "adm3", "adm4", "adm5", "country", "geo", "loc", "region",
        # people and households
        "affected", "beneficiary", "inneed", "population", "reached", "respondee", "targeted",
        # responses and other operations
        "access", "activity", "capacity", "contact", "currency", "delivery", "indicator", "item",
        "modality", "need", "operations", "org", "output", "sector", "service", "subsector", "value",
        # crises, incidents and events
        "cause", "crisis", "event", "group", "impact", "severity",
        # metadata
        "date", "description", "meta", "status",
    }
)  # fmt: skip
# HXL 1.1 syntax: a hashtag, then zero or more attributes, each "+name" (white space allowed before "+").
_NAME = r"[a-z][a-z0-9_]*"
HASHTAG_SPEC = re.compile(rf"#({_NAME})((?:\s*\+{_NAME})*)", re.IGNORECASE)
_ISO_PARTIAL = re.compile(r"\d{4}(-(0[1-9]|1[0-2]))?")  # a year, or a year and month


def write_hxl_csv(incidents: Iterable[Incident], out: BinaryIO) -> int:
    """Write incidents as an HXL-tagged CSV to ``out``; returns the number of data rows."""
    header = [name for name, _, _ in HXL_COLUMNS]
    hashtags = [tag for _, tag, _ in HXL_COLUMNS]
    rows = ([cell(flat_row(incident)) for _, _, cell in HXL_COLUMNS] for incident in incidents)
    return write_csv(out, [header, hashtags], rows)


def _str(value: CsvCell) -> str | None:
    return value if isinstance(value, str) else None


# ---------------------------------------------------------------- validation


def validate_hxl(stream: IO[bytes] | IO[str]) -> list[str]:
    """Problems with an HXL-tagged CSV; an empty list means it is valid.

    Checks that the hashtag row is the second row, that every non-empty tag
    has HXL's syntax and a core hashtag, and that typed columns hold valid
    values: ``#date`` ISO 8601 dates, ``#geo+lat`` in [-90, 90], ``#geo+lon``
    in [-180, 180], ``#affected`` whole numbers >= 0. Empty cells are allowed.
    """
    rows = list(read_csv(stream))
    if len(rows) < 2:
        return ["no hashtag row: the file has fewer than two rows"]
    problems: list[str] = []
    specs: list[tuple[str, frozenset[str]] | None] = []
    for column, cell in enumerate(rows[1], start=1):
        spec = _parse_hashtag(cell.strip())
        if cell.strip() and spec is None:
            problems.append(f"row 2, column {column}: {cell!r} is not an HXL hashtag (#name+attribute)")
        elif spec is not None and spec[0] not in CORE_HASHTAGS:
            problems.append(f"row 2, column {column}: #{spec[0]} is not a core HXL hashtag")
        specs.append(spec)
    if not any(specs):
        return ["row 2 is not a hashtag row: no cell holds an HXL hashtag", *problems]
    for number, row in enumerate(rows[2:], start=3):
        for column, (cell, spec) in enumerate(zip(row, specs, strict=False), start=1):
            problem = _value_problem(cell.strip(), spec) if spec is not None and cell.strip() else None
            if problem:
                problems.append(f"row {number}, column {column} ({rows[1][column - 1].strip()}): {problem}")
    return problems


def _parse_hashtag(text: str) -> tuple[str, frozenset[str]] | None:
    match = HASHTAG_SPEC.fullmatch(text)
    if match is None:
        return None
    attributes = frozenset(a.strip().lower() for a in match.group(2).split("+")[1:])
    return match.group(1).lower(), attributes


def _value_problem(value: str, spec: tuple[str, frozenset[str]]) -> str | None:
    hashtag, attributes = spec
    if hashtag == "date":
        return None if _is_iso_date(value) else f"{value!r} is not an ISO 8601 date"
    if hashtag == "geo" and ("lat" in attributes or "lon" in attributes):
        limit, what = (90.0, "latitude") if "lat" in attributes else (180.0, "longitude")
        number = _number(value)
        if number is None or not -limit <= number <= limit:
            return f"{value!r} is not a {what} in [-{limit:g}, {limit:g}]"
        return None
    if hashtag == "affected" and not (value.isascii() and value.isdigit()):
        return f"{value!r} is not a whole number of people >= 0"
    return None


def _is_iso_date(value: str) -> bool:
    if _ISO_PARTIAL.fullmatch(value):
        return True
    try:
        date.fromisoformat(value) if len(value) == 10 else datetime.fromisoformat(value)
    except ValueError:
        return False
    return True


def _number(value: str) -> float | None:
    try:
        return float(value)  # NaN and infinities fail the range check
    except ValueError:
        return None


__all__ = ["CORE_HASHTAGS", "HXL_COLUMNS", "validate_hxl", "write_hxl_csv"]
