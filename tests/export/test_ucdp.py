"""The UCDP GED-shaped CSV: GED's columns and precision codes, deaths as best/low/high."""

from __future__ import annotations

import csv
import io

import pytest

from sitrep.export.ucdp import HEADER, UCDP_COLUMNS


def rows(data: bytes) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(data.decode("utf-8"), newline="")))


def test_header_is_geds_columns_then_the_sitrep_ones(export, make_incident) -> None:
    header = next(csv.reader(io.StringIO(export("ucdp-csv", [make_incident()]).decode("utf-8"))))
    assert header == list(HEADER)
    assert header[: len(UCDP_COLUMNS)] == list(UCDP_COLUMNS)
    assert {"id", "side_a", "side_b", "where_prec", "date_prec", "best", "low", "high", "source_headline"} <= set(
        header
    )
    assert all(name.startswith("sitrep_") for name in header[len(UCDP_COLUMNS) :])


def test_a_ucdp_row(export, make_incident) -> None:
    (row,) = rows(export("ucdp-csv", [make_incident(lat=48.0158831, lon=-37.8022)]))
    assert (row["id"], row["year"], row["type_of_violence"]) == ("inc-veldor-1", "2030", "3")
    assert (row["side_a"], row["side_b"]) == ("Army of Avalia", "Civilians (Borinia)")
    assert (row["best"], row["low"], row["high"], row["number_of_sources"]) == ("3", "2", "5", "3")
    assert row["source_headline"] == "Shelling killed three people in Veldor."
    assert row["source_original"] == "Outlet a; Outlet b; Outlet c"
    assert (row["where_description"], row["adm_1"], row["where_prec"]) == ("Veldor", "North Province", "1")
    assert (row["latitude"], row["longitude"]) == ("48.015883", "-37.8022")
    assert (row["country"], row["iso"]) == ("Ukraine", "804")
    assert (row["date_start"], row["date_end"], row["date_prec"]) == ("2030-01-05", "2030-01-05", "1")


@pytest.mark.parametrize(
    ("precision", "country", "code"),
    [
        ("point", "UA", "1"),
        ("near", "UA", "2"),
        ("admin2", "UA", "3"),
        ("admin1", "UA", "4"),
        ("region", "UA", "5"),
        ("country", "UA", "6"),
        ("region", None, "7"),
        (None, "UA", ""),
    ],
)
def test_where_prec_codes(precision, country, code, export, make_incident) -> None:
    (row,) = rows(export("ucdp-csv", [make_incident(precision=precision, country_code=country)]))
    assert row["where_prec"] == code


@pytest.mark.parametrize(
    ("start", "end", "code"),
    [
        ("2030-01-05", "2030-01-05", "1"),
        ("2030-01-05", "2030-01-06", "2"),
        ("2030-01-05", "2030-01-10", "2"),
        ("2030-01-06", "2030-01-12", "3"),
        ("2030-01-05", "2030-01-12", "4"),
        ("2030-02-01", "2030-02-28", "4"),
        ("2030-01-01", "2030-01-31", "4"),
        ("2030-01-01", "2030-03-31", "5"),
        (None, None, ""),
    ],
)
def test_date_prec_codes(start, end, code, export, make_incident) -> None:
    (row,) = rows(export("ucdp-csv", [make_incident(date_start=start, date_end=end)]))
    assert row["date_prec"] == code


@pytest.mark.parametrize(
    ("actors", "code"),
    [
        ((("actor1", "Army of Avalia"), ("actor2", "Army of Borinia")), "1"),
        ((("actor1", "Army of Avalia"), ("actor2", "Civilians (Borinia)")), "3"),
        ((("actor1", "Army of Avalia"),), ""),
        ((("actor2", "Civilians (Borinia)"),), ""),
        ((), ""),
    ],
)
def test_type_of_violence(actors, code, export, make_incident) -> None:
    (row,) = rows(export("ucdp-csv", [make_incident(actors=actors)]))
    assert row["type_of_violence"] == code


def test_unknown_deaths_stay_empty(export, make_unknown) -> None:
    (row,) = rows(export("ucdp-csv", [make_unknown()]))
    assert (row["best"], row["low"], row["high"]) == ("", "", "")
    assert (row["latitude"], row["longitude"], row["where_prec"], row["date_prec"]) == ("", "", "", "")
    assert row["number_of_sources"] == "0"
