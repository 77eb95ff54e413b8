"""Parquet and XLSX: the flat row (:data:`~sitrep.export.rows.FLAT_COLUMNS`) as a typed table.

- Parquet (pyarrow): an explicit schema; whole numbers are ``int64`` with
  nulls (never floats), coordinates ``float64``, days ``date32``, text
  ``string``. Unknown values are nulls. R (arrow), pandas, Polars, DuckDB
  and QGIS read it as it is.
- XLSX (openpyxl, write-only): one sheet ``incidents``, the header row frozen,
  days as Excel dates, numbers as numbers, unknown values as empty cells.
  Text that begins like a formula gets an apostrophe, as in the CSV exports;
  characters XLSX cannot hold (control characters) become U+FFFD, and a cell
  is cut at Excel's limit of 32,767 characters.

pyarrow and openpyxl are imported only when a table is written.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import Any, BinaryIO

from sitrep.export.cells import defuse
from sitrep.export.rows import FLAT_COLUMNS, ColumnType, FlatRow, flat_row
from sitrep.model.incidents import Incident

SHEET = "incidents"
EXCEL_CELL_LIMIT = 32_767
PARQUET_MEDIA_TYPE = "application/vnd.apache.parquet"
XLSX_MEDIA_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def typed_cell(value: str | int | float | None, kind: ColumnType) -> Any:
    """A flat-row cell as the table type wants it: ISO days as :class:`datetime.date`, the rest unchanged."""
    if kind == "date" and isinstance(value, str):
        return date.fromisoformat(value)
    return value


def typed_rows(incidents: Iterable[Incident]) -> Iterable[list[Any]]:
    """Each incident's flat row as typed cells in :data:`FLAT_COLUMNS` order."""
    for incident in incidents:
        flat: FlatRow = flat_row(incident)
        yield [typed_cell(flat[name], kind) for name, kind in FLAT_COLUMNS]


# ---------------------------------------------------------------- Parquet


def parquet_schema() -> Any:
    """The pyarrow schema of the Parquet export, one field per flat column."""
    import pyarrow as pa

    types = {"string": pa.string(), "int": pa.int64(), "float": pa.float64(), "date": pa.date32()}
    return pa.schema(
        [pa.field(name, types[kind], nullable=name != "id") for name, kind in FLAT_COLUMNS],
        metadata={b"sitrep.export": b"incidents"},
    )


def write_parquet(incidents: Iterable[Incident], out: BinaryIO) -> int:
    """Write incidents as a Parquet file to ``out``; returns the number of rows."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    schema = parquet_schema()
    columns: list[list[Any]] = [[] for _ in FLAT_COLUMNS]
    for row in typed_rows(incidents):
        for column, value in zip(columns, row, strict=True):
            column.append(value)
    table = pa.Table.from_arrays(
        [pa.array(values, type=field.type) for values, field in zip(columns, schema, strict=True)], schema=schema
    )
    pq.write_table(table, out)
    return table.num_rows


# ---------------------------------------------------------------- XLSX


def xlsx_text(text: str) -> str:
    """Text for an XLSX cell: defused against formulas, illegal characters replaced, cut at Excel's limit."""
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    return ILLEGAL_CHARACTERS_RE.sub("\ufffd", defuse(text))[:EXCEL_CELL_LIMIT]


def write_xlsx(incidents: Iterable[Incident], out: BinaryIO) -> int:
    """Write incidents as an XLSX workbook (one sheet, header frozen) to ``out``; returns the number of rows."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(SHEET)
    sheet.freeze_panes = "A2"
    bold = Font(bold=True)
    header = []
    for name, _ in FLAT_COLUMNS:
        cell = WriteOnlyCell(sheet, value=name)
        cell.font = bold
        header.append(cell)
    sheet.append(header)
    count = 0
    for row in typed_rows(incidents):
        cells: list[Any] = []
        for value, (_, kind) in zip(row, FLAT_COLUMNS, strict=True):
            if isinstance(value, str):
                cell = WriteOnlyCell(sheet, value=xlsx_text(value))
                cell.data_type = "s"  # always text: never a formula, nor an error value such as "#N/A"
                cells.append(cell)
            elif kind == "date" and value is not None:
                cell = WriteOnlyCell(sheet, value=value)
                cell.number_format = "yyyy-mm-dd"
                cells.append(cell)
            else:
                cells.append(value)
        sheet.append(cells)
        count += 1
    workbook.save(out)
    return count


__all__ = ["PARQUET_MEDIA_TYPE", "SHEET", "XLSX_MEDIA_TYPE", "parquet_schema", "write_parquet", "write_xlsx"]
