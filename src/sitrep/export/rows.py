"""One flat row per incident, shared by every export format.

:func:`flat_row` is the single place where an :class:`~sitrep.model.incidents.Incident`
becomes plain typed cells (the columns of :data:`FLAT_COLUMNS`); the ACLED,
UCDP, HXL, GeoJSON, Parquet and XLSX writers all start from it, so a field is
read from the record in one way only. :class:`ExportedIncident` is what an
export carries back to a reader, and :func:`exported` says what an incident
should read back as, for the round-trip tests.

Normalisation, the same for every format (DESIGN.md: "unknown is explicit"):

- an empty string is unknown and becomes ``None``;
- a point needs both coordinates: with either ``lat`` or ``lon`` missing (or
  not finite), both are ``None``.

No I/O; besides the model this module imports only ``pycountry`` for ISO 3166.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date
from typing import Any, Literal

import pycountry

from sitrep.model.incidents import Incident, Range

ColumnType = Literal["string", "int", "float", "date"]
Cell = str | int | float | None
FlatRow = dict[str, Cell]

# (name, type) of every column of the flat row, in order. Parquet and XLSX write exactly these.
FLAT_COLUMNS: tuple[tuple[str, ColumnType], ...] = (
    ("id", "string"),
    ("event_type", "string"),
    ("sub_event_type", "string"),
    ("date_start", "date"),
    ("date_end", "date"),
    ("location_name", "string"),
    ("geonames_id", "int"),
    ("country_code", "string"),
    ("admin1", "string"),
    ("lat", "float"),
    ("lon", "float"),
    ("precision", "string"),
    ("deaths_low", "int"),
    ("deaths_best", "int"),
    ("deaths_high", "int"),
    ("injured_best", "int"),
    ("evacuated_best", "int"),
    ("displaced_best", "int"),
    ("sources", "int"),
    ("status", "string"),
    ("actor1", "string"),
    ("actor2", "string"),
    ("associated_actors", "string"),
    ("origins", "string"),
    ("summary", "string"),
    ("quote", "string"),
)
# Figure kinds that get a column of their own (their best value); all kinds are in GeoJSON's ``figures``.
FIGURE_COLUMNS: tuple[str, ...] = ("injured", "evacuated", "displaced")
LIST_SEPARATOR = "; "
# sitrep's extension columns (the ACLED- and UCDP-shaped CSVs end with them): (column, flat-row field).
SITREP_COLUMNS: tuple[tuple[str, str], ...] = (
    ("sitrep_incident_id", "id"),
    ("sitrep_event_type", "event_type"),
    ("sitrep_sub_event_type", "sub_event_type"),
    ("sitrep_date_end", "date_end"),
    ("sitrep_deaths_low", "deaths_low"),
    ("sitrep_deaths_best", "deaths_best"),
    ("sitrep_deaths_high", "deaths_high"),
    ("sitrep_sources", "sources"),
    ("sitrep_status", "status"),
    ("sitrep_geonames_id", "geonames_id"),
    ("sitrep_precision", "precision"),
    ("sitrep_country_code", "country_code"),
)


@dataclass(frozen=True)
class ExportedIncident:
    """The fields an export carries, as a reader gets them back (coordinates rounded as the format rounds)."""

    id: str
    event_type: str
    sub_event_type: str
    location_name: str | None
    geonames_id: int | None
    country_code: str | None
    admin1: str | None
    lat: float | None
    lon: float | None
    precision: str | None
    date_start: str | None
    date_end: str | None
    deaths_low: int | None
    deaths_best: int | None
    deaths_high: int | None
    sources: int | None
    status: str | None
    actor1: str | None
    actor2: str | None


def flat_row(incident: Incident) -> FlatRow:
    """The incident as typed cells, keyed by the names of :data:`FLAT_COLUMNS`."""
    lat, lon = point(incident)
    deaths = incident.deaths
    figures = dict(incident.figures)
    row: FlatRow = {
        "id": incident.id,
        "event_type": incident.event_type,
        "sub_event_type": incident.sub_event_type,
        "date_start": _text(incident.date_start),
        "date_end": _text(incident.date_end),
        "location_name": _text(incident.location_name),
        "geonames_id": incident.geonames_id,
        "country_code": _text(incident.country_code),
        "admin1": _text(incident.admin1),
        "lat": lat,
        "lon": lon,
        "precision": _text(incident.precision),
        "deaths_low": deaths.low if deaths else None,
        "deaths_best": deaths.best if deaths else None,
        "deaths_high": deaths.high if deaths else None,
        "sources": incident.sources,
        "status": _text(incident.status),
        "actor1": first_actor(incident, "actor1"),
        "actor2": first_actor(incident, "actor2"),
        "associated_actors": _joined(associated_actors(incident)),
        "origins": _joined(incident.origins),
        "summary": _text(incident.summary),
        "quote": first_quote(incident),
    }
    for kind in FIGURE_COLUMNS:
        found: Range | None = figures.get(kind)
        row[f"{kind}_best"] = found.best if found else None
    return row


def exported(incident: Incident, *, decimals: int) -> ExportedIncident:
    """What ``incident`` reads back as from a format that rounds coordinates to ``decimals`` places."""
    row = flat_row(incident)
    return ExportedIncident(
        id=incident.id,
        event_type=incident.event_type,
        sub_event_type=incident.sub_event_type,
        location_name=_str(row["location_name"]),
        geonames_id=incident.geonames_id,
        country_code=_str(row["country_code"]),
        admin1=_str(row["admin1"]),
        lat=rounded(row["lat"], decimals),
        lon=rounded(row["lon"], decimals),
        precision=_str(row["precision"]),
        date_start=_str(row["date_start"]),
        date_end=_str(row["date_end"]),
        deaths_low=_int(row["deaths_low"]),
        deaths_best=_int(row["deaths_best"]),
        deaths_high=_int(row["deaths_high"]),
        sources=incident.sources,
        status=_str(row["status"]),
        actor1=_str(row["actor1"]),
        actor2=_str(row["actor2"]),
    )


# ---------------------------------------------------------------- pieces of the row


def point(incident: Incident) -> tuple[float | None, float | None]:
    """``(lat, lon)``, or ``(None, None)`` unless both are finite numbers."""
    lat, lon = incident.lat, incident.lon
    if lat is None or lon is None or not (math.isfinite(lat) and math.isfinite(lon)):
        return None, None
    return float(lat), float(lon)


def first_actor(incident: Incident, role: str) -> str | None:
    """The first named actor in ``role`` (``actor1``, ``actor2``), None when there is none."""
    return next((name for r, name in incident.actors if r == role and name), None)


def associated_actors(incident: Incident) -> list[str]:
    """Every named actor that is not the first ``actor1`` or ``actor2``: further ones and ``associated`` ones."""
    main = {first_actor(incident, "actor1"), first_actor(incident, "actor2")}
    names: list[str] = []
    for _, name in incident.actors:
        if name and name not in main and name not in names:
            names.append(name)
    return names


def sitrep_cells(flat: FlatRow) -> list[Cell]:
    """The ``sitrep_*`` extension cells of a flat row, in :data:`SITREP_COLUMNS` order."""
    return [flat[field] for _, field in SITREP_COLUMNS]


def is_civilians(actor: Cell) -> bool:
    """Whether an actor name is a civilian population, by the ACLED/sitrep naming "Civilians (Country)"."""
    return isinstance(actor, str) and actor.casefold().startswith("civilians")


def first_quote(incident: Incident) -> str | None:
    """The quote of the first supporting claim: the words the incident rests on."""
    return next((ref.quote for ref in incident.supporting if ref.quote), None)


def day_span(start: str | None, end: str | None) -> int | None:
    """Days from ``start`` to ``end`` inclusive (1 for one day); None when either is unknown or unreadable."""
    if not start or not end:
        return None
    try:
        days = (date.fromisoformat(end) - date.fromisoformat(start)).days + 1
    except ValueError:
        return None
    return days if days >= 1 else None


def rounded(value: Cell, decimals: int) -> float | None:
    """A coordinate rounded as a format writes it; None stays None."""
    return None if value is None else round(float(value), decimals)


def year_of(day: str | None) -> int | None:
    """The year of an ISO day, None when unknown."""
    return int(day[:4]) if day and day[:4].isdigit() else None


# ---------------------------------------------------------------- countries (ISO 3166, pycountry)


def _country(code: str | None) -> Any:
    if not code:
        return None
    try:
        return pycountry.countries.get(alpha_2=code.upper())
    except (KeyError, LookupError):
        return None


def country_numeric(code: str | None) -> int | None:
    """ISO 3166-1 numeric code (Ukraine 804) of an alpha-2 code; None when ISO has none (user-assigned codes)."""
    found = _country(code)
    return int(found.numeric) if found is not None else None


def country_alpha3(code: str | None) -> str | None:
    """ISO 3166-1 alpha-3 code (UKR) of an alpha-2 code, None when ISO has none."""
    found = _country(code)
    return str(found.alpha_3) if found is not None else None


def country_name(code: str | None) -> str | None:
    """The country's ISO 3166 common name where ISO gives one ("Iran"), else its official short name."""
    found = _country(code)
    if found is None:
        return None
    return str(getattr(found, "common_name", None) or found.name)


def country_from_numeric(numeric: str | None) -> str | None:
    """The alpha-2 code for an ISO 3166-1 numeric code ("804" or "4"), None when unknown."""
    if not numeric or not numeric.strip().isdigit():
        return None
    try:
        found = pycountry.countries.get(numeric=f"{int(numeric):03d}")
    except (KeyError, LookupError):
        return None
    return str(found.alpha_2) if found is not None else None


# ---------------------------------------------------------------- small conversions


def _text(value: str | None) -> str | None:
    return value if value else None


def _joined(values: list[str] | tuple[str, ...]) -> str | None:
    return LIST_SEPARATOR.join(v for v in values if v) or None


def _str(value: Cell) -> str | None:
    return None if value is None else str(value)


def _int(value: Cell) -> int | None:
    return None if value is None else int(value)


__all__ = [
    "FIGURE_COLUMNS",
    "FLAT_COLUMNS",
    "LIST_SEPARATOR",
    "SITREP_COLUMNS",
    "Cell",
    "ColumnType",
    "ExportedIncident",
    "FlatRow",
    "associated_actors",
    "country_alpha3",
    "country_from_numeric",
    "country_name",
    "country_numeric",
    "day_span",
    "exported",
    "first_actor",
    "first_quote",
    "flat_row",
    "is_civilians",
    "point",
    "rounded",
    "sitrep_cells",
    "year_of",
]
