"""Exports: pure functions from :class:`~sitrep.model.incidents.Incident` records to files other tools read.

One module per format; :data:`FORMATS` names them all and :func:`write_export`
picks one by name::

    with open("incidents.csv", "wb") as out:
        rows = write_export("acled-csv", incidents, out)

Writers write exactly what is in the incidents they are given: access control
and redaction are the caller's (the API, the CLI). They look nothing up and
import neither the store nor the web framework. Every writer starts from the
one flat row of :mod:`sitrep.export.rows`; ``docs/exports.md`` describes the
columns, codes and what unknown values become.

Formats: ``acled-csv`` (:mod:`.acled`), ``ucdp-csv`` (:mod:`.ucdp`),
``geojson`` (:mod:`.geojson`), ``hxl-csv`` (:mod:`.hxl`), ``parquet`` and
``xlsx`` (:mod:`.tables`).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import BinaryIO

from sitrep.errors import ConfigError
from sitrep.export.acled import read_acled_csv, write_acled_csv
from sitrep.export.geojson import read_geojson, write_geojson
from sitrep.export.hxl import validate_hxl, write_hxl_csv
from sitrep.export.rows import ExportedIncident, exported
from sitrep.export.tables import PARQUET_MEDIA_TYPE, XLSX_MEDIA_TYPE, write_parquet, write_xlsx
from sitrep.export.ucdp import write_ucdp_csv
from sitrep.model.incidents import Incident

CSV_MEDIA_TYPE = "text/csv; charset=utf-8"


@dataclass(frozen=True)
class ExportFormat:
    """One export format: its name, what to send it as, and the function that writes it."""

    name: str
    media_type: str
    suffix: str
    description: str
    write: Callable[[Iterable[Incident], BinaryIO], int]  # returns the number of rows (features) written


FORMATS: dict[str, ExportFormat] = {
    f.name: f
    for f in (
        ExportFormat(
            "acled-csv",
            CSV_MEDIA_TYPE,
            ".csv",
            "ACLED-shaped CSV: ACLED's columns and codes, then sitrep_* columns",
            write_acled_csv,
        ),
        ExportFormat(
            "ucdp-csv",
            CSV_MEDIA_TYPE,
            ".csv",
            "UCDP GED-shaped CSV: GED's columns and codes, then sitrep_* columns",
            write_ucdp_csv,
        ),
        ExportFormat(
            "geojson",
            "application/geo+json",
            ".geojson",
            "GeoJSON FeatureCollection (RFC 7946), one Feature per incident",
            write_geojson,
        ),
        ExportFormat(
            "hxl-csv",
            CSV_MEDIA_TYPE,
            ".csv",
            "CSV with an HXL hashtag row, for the Humanitarian Data Exchange",
            write_hxl_csv,
        ),
        ExportFormat(
            "parquet",
            PARQUET_MEDIA_TYPE,
            ".parquet",
            "Parquet table with typed columns (R, pandas, DuckDB, QGIS)",
            write_parquet,
        ),
        ExportFormat(
            "xlsx",
            XLSX_MEDIA_TYPE,
            ".xlsx",
            "Excel workbook, one sheet 'incidents', header row frozen",
            write_xlsx,
        ),
    )
}


def write_export(fmt: str, incidents: Iterable[Incident], out: BinaryIO) -> int:
    """Write ``incidents`` to ``out`` in the format named ``fmt``; returns the number of rows written.

    An unknown name raises :class:`~sitrep.errors.ConfigError` (``export.unknown_format``).
    """
    found = FORMATS.get(fmt)
    if found is None:
        raise ConfigError(f"unknown export format {fmt!r} (known: {', '.join(FORMATS)})", code="export.unknown_format")
    return found.write(incidents, out)


__all__ = [
    "FORMATS",
    "ExportFormat",
    "ExportedIncident",
    "exported",
    "read_acled_csv",
    "read_geojson",
    "validate_hxl",
    "write_export",
]
