"""GeoJSON: a valid RFC 7946 FeatureCollection, longitude first, no NaN, no crs."""

from __future__ import annotations

import io
import json
import math
from typing import Any

from sitrep.export import exported, read_geojson
from sitrep.model.incidents import Range


def strict_json(data: bytes) -> Any:
    def refuse(name: str) -> None:
        raise AssertionError(f"{name} is not JSON")

    return json.loads(data.decode("utf-8"), parse_constant=refuse)


def assert_valid_feature_collection(collection: dict[str, Any]) -> None:
    assert collection["type"] == "FeatureCollection"
    assert "crs" not in collection
    assert isinstance(collection["features"], list)
    for feature in collection["features"]:
        assert feature["type"] == "Feature"
        assert isinstance(feature["properties"], dict)
        assert "crs" not in feature
        geometry = feature["geometry"]
        if geometry is None:
            continue
        assert geometry["type"] == "Point"
        lon, lat = geometry["coordinates"]
        assert all(isinstance(x, float) and math.isfinite(x) for x in (lon, lat))
        assert -180 <= lon <= 180 and -90 <= lat <= 90
    json.dumps(collection, allow_nan=False)


def test_a_known_place_is_longitude_first(export, make_incident) -> None:
    collection = strict_json(export("geojson", [make_incident(lat=51.2, lon=35.3)]))
    assert_valid_feature_collection(collection)
    (feature,) = collection["features"]
    assert feature["geometry"] == {"type": "Point", "coordinates": [35.3, 51.2]}
    assert feature["id"] == "inc-veldor-1"


def test_an_incident_without_coordinates_is_a_feature_with_null_geometry(export, make_unknown) -> None:
    collection = strict_json(export("geojson", [make_unknown()]))
    assert_valid_feature_collection(collection)
    (feature,) = collection["features"]
    assert feature["geometry"] is None
    assert feature["properties"]["location_name"] is None
    assert feature["properties"]["deaths_low"] is None


def test_half_a_point_or_a_nan_is_no_point(export, make_incident) -> None:
    incidents = [make_incident(lat=50.0, lon=None), make_incident(lat=math.nan, lon=30.0), make_incident(lon=math.inf)]
    collection = strict_json(export("geojson", incidents))
    assert_valid_feature_collection(collection)
    assert [f["geometry"] for f in collection["features"]] == [None, None, None]


def test_coordinates_have_at_most_six_decimals(export, make_incident) -> None:
    collection = strict_json(export("geojson", [make_incident(lat=-33.123456789, lon=-70.987654321)]))
    assert collection["features"][0]["geometry"]["coordinates"] == [-70.987654, -33.123457]


def test_properties_are_flat_json_values(export, make_incident) -> None:
    incident = make_incident(figures=(("killed", Range(2, 3, 5, ())), ("evacuated", Range(150000, 150000, 150000, ()))))
    props = strict_json(export("geojson", [incident]))["features"][0]["properties"]
    assert props["event_type"] == "Explosions/Remote violence"
    assert (props["deaths_low"], props["deaths_best"], props["deaths_high"]) == (2, 3, 5)
    assert props["figures"] == {
        "killed": {"low": 2, "best": 3, "high": 5},
        "evacuated": {"low": 150000, "best": 150000, "high": 150000},
    }
    assert props["actors"] == [
        {"role": "actor1", "name": "Army of Avalia"},
        {"role": "actor2", "name": "Civilians (Borinia)"},
    ]
    assert props["origins"] == ["Outlet a", "Outlet b", "Outlet c"]
    assert props["summary"] == "reported by Outlet a (own reporting)"
    for value in props.values():
        assert value is None or isinstance(value, str | int | list | dict)


def test_text_is_written_as_it_is(export, make_incident) -> None:
    """GeoJSON is not a spreadsheet: no apostrophes added, unicode kept as UTF-8."""
    data = export("geojson", [make_incident(location_name="=Вельдор", admin1='-North "Province"\n')])
    props = strict_json(data)["features"][0]["properties"]
    assert (props["location_name"], props["admin1"]) == ("=Вельдор", '-North "Province"\n')
    assert "Вельдор".encode() in data


def test_an_empty_collection(export) -> None:
    assert strict_json(export("geojson", [])) == {"type": "FeatureCollection", "features": []}


def test_read_back_equals_exported(export, make_incident, make_unknown) -> None:
    incidents = [make_incident(), make_unknown(id="inc-2"), make_incident(id="inc-3", lat=51.2, lon=35.3)]
    assert read_geojson(io.BytesIO(export("geojson", incidents))) == [exported(i, decimals=6) for i in incidents]
