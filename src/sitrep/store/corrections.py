"""Analysts' corrections of an incident's canonical fields, and the review queue's priority.

A correction keeps the machine's value beside the analyst's; fusion applies the
latest correction of each field every time it rewrites the incident, so the
stored record, its indexed columns and every output carry the corrected value.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import replace
from datetime import date
from typing import Any

from sqlalchemy import Connection, select

from sitrep.errors import StoreError
from sitrep.model.incidents import Correction, Incident, Range
from sitrep.model.taxonomy import lookup
from sitrep.store.schema import incident_corrections

CHUNK = 500

PRECISIONS = ("point", "near", "admin2", "admin1", "country", "region")
CORRECTABLE = (
    "type",
    "location_name",
    "admin1",
    "country_code",
    "lat",
    "lon",
    "precision",
    "date_start",
    "date_end",
    "deaths",
)


def priority(inc: Incident) -> int:
    """How much an incident needs a person: many sources, casualties, contested claims."""
    casualties = inc.deaths is not None or any(kind in ("killed", "injured") for kind, _ in inc.figures)
    return 10 * min(inc.sources, 10) + (25 if casualties else 0) + (30 if inc.disputing else 0)


def check_correction(field: str, value: Any) -> Any:
    """The value, normalised; ``store.bad_correction`` when it cannot be one for this field."""

    def bad(why: str) -> StoreError:
        return StoreError(f"correction of {field}: {why}", code="store.bad_correction")

    if field not in CORRECTABLE:
        raise bad(f"not a correctable field (one of {', '.join(CORRECTABLE)})")
    if value is None:
        if field == "type":
            raise bad("an incident always has a type")
        return None
    if field == "type":
        if not isinstance(value, Mapping) or set(value) != {"event_type", "sub_event_type"}:
            raise bad('give {"event_type": ..., "sub_event_type": ...}')
        sub = lookup(str(value["event_type"]), str(value["sub_event_type"]))  # ConfigError if unknown
        return {"event_type": sub.event_type, "sub_event_type": sub.sub_event_type}
    if field in ("location_name", "admin1"):
        if not isinstance(value, str) or not value.strip() or len(value) > 200:
            raise bad("give a name of 1 to 200 characters")
        return value.strip()
    if field == "country_code":
        if not isinstance(value, str) or len(value) != 2 or not value.isalpha():
            raise bad("give an ISO 3166-1 alpha-2 code")
        return value.upper()
    if field in ("lat", "lon"):
        limit = 90 if field == "lat" else 180
        if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
            raise bad("give a number")
        if not -limit <= value <= limit:
            raise bad(f"must be between -{limit} and {limit}")
        return float(value)
    if field == "precision":
        if value not in PRECISIONS:
            raise bad(f"one of {', '.join(PRECISIONS)}")
        return value
    if field in ("date_start", "date_end"):
        try:
            return date.fromisoformat(str(value)).isoformat()
        except ValueError:
            raise bad("give an ISO date (2024-08-15)") from None
    # deaths
    if not isinstance(value, Mapping) or set(value) != {"low", "best", "high"}:
        raise bad('give {"low": n, "best": n, "high": n}')
    numbers = [value[k] for k in ("low", "best", "high")]
    if any(isinstance(n, bool) or not isinstance(n, int) or n < 0 for n in numbers):
        raise bad("low, best and high are whole numbers of 0 or more")
    if not numbers[0] <= numbers[1] <= numbers[2]:
        raise bad("low <= best <= high")
    return {"low": numbers[0], "best": numbers[1], "high": numbers[2]}


def machine_value(inc: Incident, field: str) -> Any:
    if field == "type":
        return {"event_type": inc.event_type, "sub_event_type": inc.sub_event_type}
    if field == "deaths":
        return {"low": inc.deaths.low, "best": inc.deaths.best, "high": inc.deaths.high} if inc.deaths else None
    return getattr(inc, field)


def apply_corrections(inc: Incident, rows: Iterable[Mapping[str, Any]]) -> Incident:
    """The incident with each field's latest correction applied, the machine's value kept beside it."""
    latest: dict[str, Mapping[str, Any]] = {}
    for row in rows:  # oldest first
        latest[row["field"]] = row
    if not latest:
        return inc
    changes: dict[str, Any] = {}
    kept: list[Correction] = []
    for field in CORRECTABLE:
        if field not in latest:
            continue
        row = latest[field]
        value = row["value"]
        kept.append(Correction(field, machine_value(inc, field), value, row["analyst"], row["reason"], row["at"]))
        if field == "type":
            changes.update(value)
        elif field == "deaths":
            by_source = inc.deaths.by_source if inc.deaths else ()
            changes["deaths"] = Range(value["low"], value["best"], value["high"], by_source) if value else None
        else:
            changes[field] = value
    return replace(inc, **changes, corrections=tuple(kept))


def corrections_of(conn: Connection, incident_ids: Iterable[str]) -> dict[str, list[dict[str, Any]]]:
    out: dict[str, list[dict[str, Any]]] = {}
    ids = sorted(set(incident_ids))
    for batch in (ids[i : i + CHUNK] for i in range(0, len(ids), CHUNK)):
        rows = conn.execute(
            select(incident_corrections)
            .where(incident_corrections.c.incident_id.in_(batch))
            .order_by(incident_corrections.c.id)
        )
        for r in rows:
            out.setdefault(r.incident_id, []).append(dict(r._mapping))
    return out
