"""ACLED-shaped CSV: ACLED's columns in ACLED's order, then sitrep's own (``sitrep_*``).

Columns and codes follow ACLED's codebook (2023 column set, as ACLED's data
export writes them):

- ``event_id_cnty`` is the incident id; ``event_date`` the first day
  (``YYYY-MM-DD``), ``year`` its year; ``time_precision`` from the span of
  days: 1 one day, 2 two to seven days (a range of days, a week), 3 longer (a
  month or more); empty when a date is unknown.
- Extension types (``Territory``, ``Humanitarian``, ``Statements``) are
  written as ``Strategic developments`` / ``Other`` with the tag
  ``sitrep: <sub_event_type>`` (:func:`sitrep.model.taxonomy.acled_export`);
  ``tags`` joins tags with ``"; "``. ``disorder_type``: ``Political violence``
  for Battles, Explosions/Remote violence and Violence against civilians,
  ``Demonstrations`` for Protests and Riots, ``Strategic developments``
  otherwise.
- ``geo_precision``: 1 the exact place (``point``), 2 near a place or part of
  a region (``near``, ``admin2``), 3 a larger region (``admin1``,
  ``country``, ``region``); empty when the place is unknown.
- ``fatalities`` is the conservative count, ``deaths.low``; **empty when
  unknown** (ACLED itself writes 0; sitrep never turns unknown into 0).
- ``iso`` is the ISO 3166 numeric code, ``country`` the ISO name; ``source``
  the independent origins joined by ``"; "``; ``notes`` the incident's summary
  and the first supporting quote. Actor kinds are not on an incident, so
  ``inter1``, ``inter2`` and ``interaction`` stay empty, as do ``region``,
  ``admin2``, ``admin3``, ``source_scale`` and ``timestamp``.

The ``sitrep_*`` columns carry what ACLED's cannot (the sitrep type, the date
range, the death range, status ...), so that :func:`read_acled_csv` gets the
same incident back. Text cells are defused against formulas (:mod:`.cells`).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import IO, BinaryIO

from sitrep.errors import ConfigError
from sitrep.export.cells import CsvCell, parse_float, parse_int, read_records, write_csv
from sitrep.export.rows import (
    LIST_SEPARATOR,
    SITREP_COLUMNS,
    ExportedIncident,
    FlatRow,
    associated_actors,
    country_from_numeric,
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
from sitrep.model.taxonomy import ACLED_FALLBACK, ACLED_TAG_PREFIX, TAXONOMY, acled_export, lookup

ACLED_COLUMNS: tuple[str, ...] = (
    "event_id_cnty",
    "event_date",
    "year",
    "time_precision",
    "disorder_type",
    "event_type",
    "sub_event_type",
    "actor1",
    "assoc_actor_1",
    "inter1",
    "actor2",
    "assoc_actor_2",
    "inter2",
    "interaction",
    "civilian_targeting",
    "iso",
    "region",
    "country",
    "admin1",
    "admin2",
    "admin3",
    "location",
    "latitude",
    "longitude",
    "geo_precision",
    "source",
    "source_scale",
    "notes",
    "fatalities",
    "tags",
    "timestamp",
)
HEADER: tuple[str, ...] = ACLED_COLUMNS + tuple(name for name, _ in SITREP_COLUMNS)
DECIMALS = 4  # ACLED's coordinates have four decimals

GEO_PRECISION: dict[str, int] = {"point": 1, "near": 2, "admin2": 2, "admin1": 3, "country": 3, "region": 3}
DISORDER_TYPES: dict[str, str] = {
    "Battles": "Political violence",
    "Explosions/Remote violence": "Political violence",
    "Violence against civilians": "Political violence",
    "Protests": "Demonstrations",
    "Riots": "Demonstrations",
}
CIVILIAN_TARGETING = "Civilian targeting"


def write_acled_csv(incidents: Iterable[Incident], out: BinaryIO) -> int:
    """Write incidents as an ACLED-shaped CSV to ``out``; returns the number of rows."""
    return write_csv(out, [HEADER], (acled_row(incident) for incident in incidents))


def acled_row(incident: Incident) -> list[CsvCell]:
    """One incident as the cells of :data:`HEADER`."""
    flat = flat_row(incident)
    event_type, sub_event_type, tags = acled_type(incident.event_type, incident.sub_event_type)
    actor2 = flat["actor2"]
    cells: dict[str, CsvCell] = {
        "event_id_cnty": incident.id,
        "event_date": flat["date_start"],
        "year": year_of(incident.date_start),
        "time_precision": time_precision(incident.date_start, incident.date_end),
        "disorder_type": DISORDER_TYPES.get(event_type, "Strategic developments"),
        "event_type": event_type,
        "sub_event_type": sub_event_type,
        "actor1": flat["actor1"],
        "assoc_actor_1": LIST_SEPARATOR.join(associated_actors(incident)) or None,
        "actor2": actor2,
        "civilian_targeting": CIVILIAN_TARGETING if is_civilians(actor2) else None,
        "iso": country_numeric(incident.country_code),
        "country": country_name(incident.country_code),
        "admin1": flat["admin1"],
        "location": flat["location_name"],
        "latitude": rounded(flat["lat"], DECIMALS),
        "longitude": rounded(flat["lon"], DECIMALS),
        "geo_precision": GEO_PRECISION.get(incident.precision or ""),
        "source": flat["origins"],
        "notes": notes(flat),
        "fatalities": flat["deaths_low"],
        "tags": LIST_SEPARATOR.join(tags) or None,
    }
    return [cells.get(name) for name in ACLED_COLUMNS] + sitrep_cells(flat)


def acled_type(event_type: str, sub_event_type: str) -> tuple[str, str, tuple[str, ...]]:
    """``(event_type, sub_event_type, tags)`` as ACLED writes a sitrep pair; unknown pairs go under the fallback."""
    try:
        return acled_export(lookup(event_type, sub_event_type))
    except ConfigError:
        return (*ACLED_FALLBACK, (f"{ACLED_TAG_PREFIX}{sub_event_type}",))


def time_precision(start: str | None, end: str | None) -> int | None:
    """ACLED's time_precision from the span of days: 1 one day, 2 up to a week, 3 longer; None when unknown."""
    days = day_span(start, end)
    if days is None:
        return None
    return 1 if days == 1 else 2 if days <= 7 else 3


def notes(flat: FlatRow) -> str | None:
    """The summary ("claimed by X; disputed by Y") and the first supporting quote."""
    summary, quote = flat["summary"], flat["quote"]
    if summary and quote:
        return f'{summary}: "{quote}"'
    return str(summary or quote) if summary or quote else None


# ---------------------------------------------------------------- reading


def read_acled_csv(stream: IO[bytes] | IO[str]) -> list[ExportedIncident]:
    """Read an ACLED-shaped CSV back: formulas undefused, sitrep types restored from the ``sitrep_*`` columns.

    Without ``sitrep_*`` columns (an ACLED file, or one whose extension columns
    were dropped) the ACLED columns are used, and a ``sitrep: <sub_event_type>``
    tag restores the extension type.
    """
    found: list[ExportedIncident] = []
    for row in read_records(stream):
        event_type, sub_event_type = _sitrep_type(row)
        found.append(
            ExportedIncident(
                id=row.get("sitrep_incident_id") or row.get("event_id_cnty") or "",
                event_type=event_type,
                sub_event_type=sub_event_type,
                location_name=row.get("location"),
                geonames_id=parse_int(row.get("sitrep_geonames_id")),
                country_code=row.get("sitrep_country_code") or country_from_numeric(row.get("iso")),
                admin1=row.get("admin1"),
                lat=parse_float(row.get("latitude")),
                lon=parse_float(row.get("longitude")),
                precision=row.get("sitrep_precision"),
                date_start=row.get("event_date"),
                date_end=row.get("sitrep_date_end"),
                deaths_low=parse_int(row.get("sitrep_deaths_low") or row.get("fatalities")),
                deaths_best=parse_int(row.get("sitrep_deaths_best")),
                deaths_high=parse_int(row.get("sitrep_deaths_high")),
                sources=parse_int(row.get("sitrep_sources")),
                status=row.get("sitrep_status"),
                actor1=row.get("actor1"),
                actor2=row.get("actor2"),
            )
        )
    return found


def _sitrep_type(row: dict[str, str | None]) -> tuple[str, str]:
    event_type, sub_event_type = row.get("sitrep_event_type"), row.get("sitrep_sub_event_type")
    if event_type and sub_event_type:
        return event_type, sub_event_type
    for tag in (row.get("tags") or "").split(LIST_SEPARATOR):
        if tag.startswith(ACLED_TAG_PREFIX):
            name = tag.removeprefix(ACLED_TAG_PREFIX)
            sub = next((s for s in TAXONOMY if s.namespace == "sitrep" and s.sub_event_type == name), None)
            if sub is not None:
                return sub.event_type, sub.sub_event_type
    return row.get("event_type") or "", row.get("sub_event_type") or ""


__all__ = [
    "ACLED_COLUMNS",
    "HEADER",
    "acled_row",
    "read_acled_csv",
    "write_acled_csv",
]
