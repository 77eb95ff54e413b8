"""Hand-built incidents for the export tests: fictional places and actors (Veldor, Army of Avalia), no database."""

from __future__ import annotations

import io
from collections.abc import Callable, Iterable
from typing import Any

import pytest

from sitrep.export import write_export
from sitrep.model.incidents import ClaimRef, Incident, Range

MakeIncident = Callable[..., Incident]
Export = Callable[[str, Iterable[Incident]], bytes]


def claim(quote: str, *, outlet: str = "Outlet a", side: str = "supporting", stance: str = "asserted") -> ClaimRef:
    """One claim with its quote, from an outlet's own reporting."""
    return ClaimRef(side, None, None, stance, None, outlet, "doc-a", 0, len(quote), quote, "2030-01-06")


def build_incident(**fields: Any) -> Incident:
    """A shelling at the fictional town of Veldor, 2030-01-05, two to five dead; ``fields`` replace any of it.

    ``quote="..."`` is a shortcut for one supporting claim with those words.
    """
    if "quote" in fields:
        fields["supporting"] = (claim(fields.pop("quote")),)
    base: dict[str, Any] = {
        "id": "inc-veldor-1",
        "event_type": "Explosions/Remote violence",
        "sub_event_type": "Shelling/artillery/missile attack",
        "place_key": "gn:1",
        "location_name": "Veldor",
        "geonames_id": 1,
        "country_code": "UA",
        "admin1": "North Province",
        "lat": 50.0,
        "lon": 30.0,
        "precision": "point",
        "date_start": "2030-01-05",
        "date_end": "2030-01-05",
        "deaths": Range(2, 3, 5, (("Outlet a", 2), ("Outlet b", 3), ("Outlet c", 5))),
        "figures": (("killed", Range(2, 3, 5, ())), ("injured", Range(7, 9, 12, ()))),
        "sources": 3,
        "origins": ("Outlet a", "Outlet b", "Outlet c"),
        "actors": (("actor1", "Army of Avalia"), ("actor2", "Civilians (Borinia)")),
        "supporting": (claim("Shelling killed three people in Veldor."),),
        "disputing": (),
        "members": (),
    }
    base.update(fields)
    return Incident(**base)


def unknown_incident(**fields: Any) -> Incident:
    """An incident with every optional field unknown."""
    unknown: dict[str, Any] = {
        "place_key": None,
        "location_name": None,
        "geonames_id": None,
        "country_code": None,
        "admin1": None,
        "lat": None,
        "lon": None,
        "precision": None,
        "date_start": None,
        "date_end": None,
        "deaths": None,
        "figures": (),
        "sources": 0,
        "origins": (),
        "actors": (),
        "supporting": (),
    }
    return build_incident(**{**unknown, **fields})


@pytest.fixture
def make_incident() -> MakeIncident:
    return build_incident


@pytest.fixture
def make_unknown() -> MakeIncident:
    return unknown_incident


@pytest.fixture
def export() -> Export:
    """Write incidents in a named format and return the bytes."""

    def run(fmt: str, incidents: Iterable[Incident]) -> bytes:
        out = io.BytesIO()
        write_export(fmt, incidents, out)
        return out.getvalue()

    return run
