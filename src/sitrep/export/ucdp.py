"""UCDP GED-shaped CSV: the GED columns sitrep can fill, in GED's order, then ``sitrep_*``.

Codes follow the UCDP GED codebook:

- ``type_of_violence``: 3 (one-sided violence) when the second actor is a
  civilian population ("Civilians (Country)"), 1 (state-based) when two
  actors are named, else empty. Actor kinds are not on an incident, so sitrep
  cannot tell state from non-state forces: 2 (non-state) is never written and
  1 is a guess that the two named sides are armed parties; check it.
- ``where_prec``: 1 the exact place (``point``), 2 within about 25 km
  (``near``), 3 a second-order division (``admin2``), 4 a first-order division
  (``admin1``), 5 a part of a country larger than a first-order division
  (``region`` inside one country), 6 the country (``country``), 7
  international waters or airspace, or an area across countries (``region``
  with no country); empty when the place is unknown.
- ``date_prec`` from the span of days: 1 one day, 2 two to six days, 3 a week
  (seven days), 4 eight to 31 days (a month), 5 longer; empty when unknown.
- ``best``, ``low``, ``high``: the death range across sources; **empty when
  unknown**. ``number_of_sources`` counts independent origins;
  ``source_original`` lists them; ``source_headline`` is the first supporting
  quote. ``iso`` is ISO 3166 numeric (GED itself has Gleditsch-Ward
  ``country_id``, which sitrep does not know).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import BinaryIO

from sitrep.export.cells import CsvCell, write_csv
from sitrep.export.rows import (
    SITREP_COLUMNS,
    country_name,
    country_numeric,
    day_span,
    flat_row,
    is_civilians,
    rounded,
    sitrep_cells,
    year_of,
)
from sitrep.model.incidents import Incident

UCDP_COLUMNS: tuple[str, ...] = (
    "id",
    "relid",
    "year",
    "type_of_violence",
    "side_a",
    "side_b",
    "number_of_sources",
    "source_headline",
    "source_original",
    "where_prec",
    "where_description",
    "adm_1",
    "adm_2",
    "latitude",
    "longitude",
    "country",
    "iso",
    "date_prec",
    "date_start",
    "date_end",
    "best",
    "high",
    "low",
)
HEADER: tuple[str, ...] = UCDP_COLUMNS + tuple(name for name, _ in SITREP_COLUMNS)
DECIMALS = 6

WHERE_PREC: dict[str, int] = {"point": 1, "near": 2, "admin2": 3, "admin1": 4, "country": 6}
STATE_BASED, ONE_SIDED = 1, 3


def write_ucdp_csv(incidents: Iterable[Incident], out: BinaryIO) -> int:
    """Write incidents as a UCDP GED-shaped CSV to ``out``; returns the number of rows."""
    return write_csv(out, [HEADER], (ucdp_row(incident) for incident in incidents))


def ucdp_row(incident: Incident) -> list[CsvCell]:
    """One incident as the cells of :data:`HEADER`."""
    flat = flat_row(incident)
    side_a, side_b = flat["actor1"], flat["actor2"]
    cells: dict[str, CsvCell] = {
        "id": incident.id,
        "relid": incident.id,
        "year": year_of(incident.date_start),
        "type_of_violence": type_of_violence(side_a, side_b),
        "side_a": side_a,
        "side_b": side_b,
        "number_of_sources": incident.sources,
        "source_headline": flat["quote"],
        "source_original": flat["origins"],
        "where_prec": where_prec(incident.precision, incident.country_code),
        "where_description": flat["location_name"],
        "adm_1": flat["admin1"],
        "latitude": rounded(flat["lat"], DECIMALS),
        "longitude": rounded(flat["lon"], DECIMALS),
        "country": country_name(incident.country_code),
        "iso": country_numeric(incident.country_code),
        "date_prec": date_prec(incident.date_start, incident.date_end),
        "date_start": flat["date_start"],
        "date_end": flat["date_end"],
        "best": flat["deaths_best"],
        "high": flat["deaths_high"],
        "low": flat["deaths_low"],
    }
    return [cells.get(name) for name in UCDP_COLUMNS] + sitrep_cells(flat)


def type_of_violence(side_a: CsvCell, side_b: CsvCell) -> int | None:
    """3 one-sided when side B is civilians, 1 state-based when two sides are named, else None."""
    if side_a and is_civilians(side_b):
        return ONE_SIDED
    if side_a and side_b:
        return STATE_BASED
    return None


def where_prec(precision: str | None, country_code: str | None) -> int | None:
    """UCDP's where_prec for a sitrep place precision (``region``: 5 inside a country, 7 across countries)."""
    if precision == "region":
        return 5 if country_code else 7
    return WHERE_PREC.get(precision or "")


def date_prec(start: str | None, end: str | None) -> int | None:
    """UCDP's date_prec from the span of days: 1 day, 2 two-six days, 3 week, 4 up to a month, 5 longer."""
    days = day_span(start, end)
    if days is None:
        return None
    if days == 1:
        return 1
    return 2 if days <= 6 else 3 if days == 7 else 4 if days <= 31 else 5


__all__ = ["HEADER", "UCDP_COLUMNS", "date_prec", "type_of_violence", "ucdp_row", "where_prec", "write_ucdp_csv"]
