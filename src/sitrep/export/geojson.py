"""GeoJSON (RFC 7946): one FeatureCollection, one Feature per incident.

- An incident with coordinates is a Feature with a ``Point`` geometry
  ``[longitude, latitude]`` (longitude first, RFC 7946 §3.1.1), at most six
  decimals (about 0.1 m; §11.2 advises against more).
- An incident without coordinates is still a Feature, with
  ``"geometry": null`` (allowed by §3.2): it is never dropped and never put at
  a country's centre.
- Coordinates are WGS 84 longitude/latitude; no ``crs`` member (removed by
  RFC 7946). Each Feature has the incident id as its ``id``.
- ``properties`` are flat JSON values: the incident's fields (unknown ones
  ``null``), ``actors`` as a list of ``{role, name}`` and ``figures`` as
  ``{kind: {low, best, high}}``, ``origins`` as a list of
  the independent sources. No NaN or Infinity ever: the file is strict
  JSON, UTF-8.

GeoJSON is not opened as a spreadsheet, so text is written as it is (no
formula defusing).
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import IO, Any, BinaryIO

from sitrep.export.rows import ExportedIncident, flat_row, rounded
from sitrep.model.incidents import Incident

DECIMALS = 6
MEDIA_TYPE = "application/geo+json"
# Flat-row fields written as properties, in this order.
PROPERTY_FIELDS: tuple[str, ...] = (
    "id",
    "event_type",
    "sub_event_type",
    "location_name",
    "geonames_id",
    "country_code",
    "admin1",
    "precision",
    "date_start",
    "date_end",
    "deaths_low",
    "deaths_best",
    "deaths_high",
    "sources",
    "status",
    "summary",
    "quote",
)


def write_geojson(incidents: Iterable[Incident], out: BinaryIO) -> int:
    """Write incidents as a GeoJSON FeatureCollection to ``out``, one Feature at a time; returns the count."""
    out.write(b'{"type": "FeatureCollection", "features": [')
    count = 0
    for incident in incidents:
        out.write((b",\n" if count else b"\n") + _dumps(feature(incident)).encode("utf-8"))
        count += 1
    out.write(b"\n]}\n")
    return count


def feature(incident: Incident) -> dict[str, Any]:
    """One incident as a GeoJSON Feature (``geometry`` null when the place has no coordinates)."""
    flat = flat_row(incident)
    lat, lon = rounded(flat["lat"], DECIMALS), rounded(flat["lon"], DECIMALS)
    geometry = None if lat is None or lon is None else {"type": "Point", "coordinates": [lon, lat]}
    properties: dict[str, Any] = {name: flat[name] for name in PROPERTY_FIELDS}
    properties["origins"] = list(incident.origins)
    properties["actors"] = [{"role": role, "name": name} for role, name in incident.actors]
    properties["figures"] = {kind: {"low": r.low, "best": r.best, "high": r.high} for kind, r in incident.figures}
    return {"type": "Feature", "id": incident.id, "geometry": geometry, "properties": properties}


def _dumps(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, allow_nan=False)


def read_geojson(stream: IO[bytes] | IO[str]) -> list[ExportedIncident]:
    """Read a FeatureCollection written by :func:`write_geojson` back."""
    data = stream.read()
    collection = json.loads(data.decode("utf-8") if isinstance(data, bytes) else data)
    return [_exported(f) for f in collection.get("features", [])]


def _exported(feature: dict[str, Any]) -> ExportedIncident:
    props: dict[str, Any] = feature.get("properties") or {}
    geometry = feature.get("geometry")
    lon, lat = geometry["coordinates"][:2] if geometry else (None, None)
    actors = [(a.get("role"), a.get("name")) for a in props.get("actors") or []]
    return ExportedIncident(
        id=str(props.get("id", feature.get("id", ""))),
        event_type=props.get("event_type") or "",
        sub_event_type=props.get("sub_event_type") or "",
        location_name=props.get("location_name"),
        geonames_id=props.get("geonames_id"),
        country_code=props.get("country_code"),
        admin1=props.get("admin1"),
        lat=None if lat is None else float(lat),
        lon=None if lon is None else float(lon),
        precision=props.get("precision"),
        date_start=props.get("date_start"),
        date_end=props.get("date_end"),
        deaths_low=props.get("deaths_low"),
        deaths_best=props.get("deaths_best"),
        deaths_high=props.get("deaths_high"),
        sources=props.get("sources"),
        status=props.get("status"),
        actor1=next((name for role, name in actors if role == "actor1" and name), None),
        actor2=next((name for role, name in actors if role == "actor2" and name), None),
    )


__all__ = ["MEDIA_TYPE", "feature", "read_geojson", "write_geojson"]
