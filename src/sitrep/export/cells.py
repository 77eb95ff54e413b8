"""Cells a spreadsheet will not run, and CSV written and read the same way by every CSV export.

Text from the web is hostile: a cell that begins with ``=``, ``+``, ``-``,
``@``, a tab or a carriage return is run as a formula by Excel, LibreOffice
and Google Sheets (CSV injection). :func:`defuse` puts an apostrophe before
such text, and before text that already begins with an apostrophe, so that
:func:`undefuse` can take exactly that apostrophe off again and a reader gets
the original text back. Numbers are never defused: a negative longitude stays
``-70.1``.

CSV is UTF-8 without a byte-order mark, RFC 4180 quoting by the ``csv``
module, ``\\r\\n`` line ends; quotes, commas and line breaks inside a cell are
quoted and cannot break a row.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Iterator, Sequence
from typing import IO, BinaryIO

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
APOSTROPHE = "'"
_ESCAPED = (*FORMULA_STARTS, APOSTROPHE)

CsvCell = str | int | float | None


def defuse(text: str) -> str:
    """``text`` made safe for a spreadsheet: an apostrophe before a formula start (or an apostrophe)."""
    return APOSTROPHE + text if text.startswith(_ESCAPED) else text


def undefuse(text: str) -> str:
    """The inverse of :func:`defuse`: the one apostrophe it added, taken off again."""
    if text.startswith(APOSTROPHE) and text[1:].startswith(_ESCAPED):
        return text[1:]
    return text


def csv_cell(value: CsvCell) -> str | int | float:
    """One CSV cell: text defused, numbers as they are, None as an empty cell."""
    if value is None:
        return ""
    if isinstance(value, str):
        return defuse(value)
    return value


def write_csv(out: BinaryIO, header: Sequence[Sequence[str]], rows: Iterable[Sequence[CsvCell]]) -> int:
    """Write the header rows (written as given), then the data rows with every cell through :func:`csv_cell`.

    Returns the number of data rows. ``out`` is left open.
    """
    text = io.TextIOWrapper(out, encoding="utf-8", newline="", write_through=True)
    try:
        writer = csv.writer(text, lineterminator="\r\n")
        writer.writerows(header)
        count = 0
        for row in rows:
            writer.writerow([csv_cell(value) for value in row])
            count += 1
        text.flush()
    finally:
        text.detach()
    return count


def read_csv(stream: IO[bytes] | IO[str]) -> Iterator[list[str]]:
    """The rows of a CSV stream (bytes are read as UTF-8; a byte-order mark is skipped), cells as written."""
    data = stream.read()
    text = data.decode("utf-8-sig") if isinstance(data, bytes) else data.removeprefix("\ufeff")
    return csv.reader(io.StringIO(text, newline=""))


def read_records(stream: IO[bytes] | IO[str]) -> list[dict[str, str | None]]:
    """The data rows of a CSV with one header row, keyed by column: cells undefused, empty cells None."""
    rows = read_csv(stream)
    header = next(rows, [])
    return [{name: undefuse(cell) if cell else None for name, cell in zip(header, row, strict=False)} for row in rows]


def parse_int(text: str | None) -> int | None:
    """A whole number from a cell ("12", "12.0"), None for an empty cell."""
    if text is None or not text.strip():
        return None
    return int(float(text)) if "." in text else int(text)


def parse_float(text: str | None) -> float | None:
    """A number from a cell, None for an empty cell."""
    return float(text) if text is not None and text.strip() else None


__all__ = [
    "FORMULA_STARTS",
    "CsvCell",
    "csv_cell",
    "defuse",
    "parse_float",
    "parse_int",
    "read_csv",
    "read_records",
    "undefuse",
    "write_csv",
]
