"""The export registry: names, media types, the coded error, and every format on ordinary and empty input."""

from __future__ import annotations

import dataclasses
import io

import pytest

import sitrep.export as export
from sitrep.errors import ConfigError
from sitrep.export import FORMATS, ExportFormat, write_export

FORMAT_NAMES = ("acled-csv", "ucdp-csv", "geojson", "hxl-csv", "parquet", "xlsx")


def test_formats_are_exactly_the_six_named() -> None:
    assert tuple(FORMATS) == FORMAT_NAMES
    for name, fmt in FORMATS.items():
        assert isinstance(fmt, ExportFormat) and fmt.name == name
        assert fmt.suffix.startswith(".") and fmt.media_type and fmt.description


def test_export_format_is_frozen() -> None:
    with pytest.raises(dataclasses.FrozenInstanceError):
        FORMATS["geojson"].name = "other"  # type: ignore[misc]


def test_media_types() -> None:
    assert FORMATS["geojson"].media_type == "application/geo+json"
    assert FORMATS["acled-csv"].media_type.startswith("text/csv")
    assert FORMATS["xlsx"].media_type == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def test_public_surface_lists_only_existing_names() -> None:
    assert export.__all__ and all(hasattr(export, name) for name in export.__all__)
    assert {"FORMATS", "ExportFormat", "ExportedIncident", "exported", "write_export"} <= set(export.__all__)


def test_unknown_format_is_a_coded_config_error_naming_the_known_ones() -> None:
    with pytest.raises(ConfigError) as raised:
        write_export("shapefile", [], io.BytesIO())
    assert raised.value.code == "export.unknown_format"
    assert "shapefile" in raised.value.message
    assert all(name in raised.value.message for name in FORMAT_NAMES)


@pytest.mark.parametrize("fmt", FORMAT_NAMES)
def test_every_format_counts_rows_and_takes_a_generator(fmt: str, make_incident, make_unknown) -> None:
    incidents = [make_incident(), make_unknown(id="inc-unknown"), make_incident(id="inc-3", lon=-70.1)]
    out = io.BytesIO()
    assert write_export(fmt, (i for i in incidents), out) == 3
    assert out.getvalue()


@pytest.mark.parametrize("fmt", FORMAT_NAMES)
def test_every_format_writes_an_empty_export(fmt: str) -> None:
    out = io.BytesIO()
    assert write_export(fmt, [], out) == 0
    assert out.getvalue()  # a header, an empty collection, an empty table: still a valid file


@pytest.mark.parametrize("fmt", ("acled-csv", "ucdp-csv", "hxl-csv"))
def test_csv_is_utf8_without_bom_with_crlf_line_ends(fmt: str, export, make_incident) -> None:
    data = export(fmt, [make_incident(location_name="Вельдор")])
    assert not data.startswith(b"\xef\xbb\xbf")
    assert "Вельдор" in data.decode("utf-8")
    assert data.endswith(b"\r\n") and b"\n" not in data.replace(b"\r\n", b"")


def test_the_output_stream_is_left_open(make_incident) -> None:
    for fmt in FORMAT_NAMES:
        out = io.BytesIO()
        write_export(fmt, [make_incident()], out)
        assert not out.closed, fmt
