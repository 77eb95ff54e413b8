"""Parquet and XLSX: typed columns, nulls as nulls, a frozen header, formulas that stay text."""

from __future__ import annotations

import io
from datetime import date, datetime

import pyarrow as pa
import pyarrow.parquet as pq
from openpyxl import load_workbook

from sitrep.export.rows import FLAT_COLUMNS


def test_parquet_reads_back_with_typed_columns(export, make_incident, make_unknown) -> None:
    incidents = [make_incident(lon=-70.1), make_unknown(id="inc-2")]
    table = pq.read_table(io.BytesIO(export("parquet", incidents)))
    assert table.column_names == [name for name, _ in FLAT_COLUMNS]
    schema = table.schema
    assert schema.field("id").type == pa.string() and not schema.field("id").nullable
    for name in ("geonames_id", "deaths_low", "deaths_best", "deaths_high", "injured_best", "sources"):
        assert schema.field(name).type == pa.int64(), name
    assert schema.field("lat").type == pa.float64() and schema.field("lon").type == pa.float64()
    assert schema.field("date_start").type == pa.date32()
    rows = table.to_pylist()
    first, unknown = rows
    assert first["id"] == "inc-veldor-1" and first["lon"] == -70.1 and first["lat"] == 50.0
    assert (first["deaths_low"], first["deaths_best"], first["deaths_high"]) == (2, 3, 5)
    assert first["injured_best"] == 9 and first["evacuated_best"] is None
    assert first["date_start"] == date(2030, 1, 5)
    assert first["actor1"] == "Army of Avalia" and first["origins"] == "Outlet a; Outlet b; Outlet c"
    for name in ("geonames_id", "lat", "lon", "deaths_low", "deaths_best", "date_start", "location_name", "quote"):
        assert unknown[name] is None, name
    assert unknown["sources"] == 0
    assert table.column("deaths_low").null_count == 1


def test_parquet_text_is_not_defused(export, make_incident) -> None:
    """Parquet is no spreadsheet: the text is exactly the incident's."""
    table = pq.read_table(io.BytesIO(export("parquet", [make_incident(location_name="=SUM(A1)")])))
    assert table.column("location_name").to_pylist() == ["=SUM(A1)"]


def test_an_empty_parquet_file_has_the_schema(export) -> None:
    table = pq.read_table(io.BytesIO(export("parquet", [])))
    assert table.num_rows == 0 and table.column_names == [name for name, _ in FLAT_COLUMNS]


def test_xlsx_opens_with_a_frozen_header(export, make_incident, make_unknown) -> None:
    workbook = load_workbook(io.BytesIO(export("xlsx", [make_incident(lon=-70.1), make_unknown(id="inc-2")])))
    assert workbook.sheetnames == ["incidents"]
    sheet = workbook["incidents"]
    assert sheet.freeze_panes == "A2"
    header, first, unknown = (list(row) for row in sheet.iter_rows(values_only=True))
    assert header == [name for name, _ in FLAT_COLUMNS]
    values = dict(zip(header, first, strict=True))
    assert values["lon"] == -70.1 and values["deaths_best"] == 3 and values["sources"] == 3
    assert values["date_start"] == datetime(2030, 1, 5)
    assert dict(zip(header, unknown, strict=True))["deaths_low"] is None


def test_a_defused_formula_cell_stays_text(export, make_incident) -> None:
    hostile = make_incident(location_name='=HYPERLINK("http://x","y")', admin1="#N/A", quote="@SUM(1)")
    sheet = load_workbook(io.BytesIO(export("xlsx", [hostile])))["incidents"]
    header = [cell.value for cell in sheet[1]]
    cells = dict(zip(header, sheet[2], strict=True))
    assert cells["location_name"].value == '\'=HYPERLINK("http://x","y")'
    assert cells["location_name"].data_type == "s"
    assert cells["admin1"].value == "#N/A" and cells["admin1"].data_type == "s"  # text, not Excel's error value
    assert cells["quote"].value == "'@SUM(1)"
    assert not any(cell.data_type == "f" for cell in sheet[2])


def test_xlsx_replaces_characters_it_cannot_hold(export, make_incident) -> None:
    sheet = load_workbook(io.BytesIO(export("xlsx", [make_incident(location_name="Vel\x00dor\x1b")])))["incidents"]
    header = [cell.value for cell in sheet[1]]
    assert dict(zip(header, (c.value for c in sheet[2]), strict=True))["location_name"] == "Vel\ufffddor\ufffd"
