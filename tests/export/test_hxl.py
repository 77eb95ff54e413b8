"""HXL-tagged CSV: the export validates, and the validator finds what is wrong in bad files."""

from __future__ import annotations

import csv
import io

import pytest

from sitrep.export.hxl import CORE_HASHTAGS, HXL_COLUMNS, validate_hxl

REQUIRED = (
    "#date+occurred",
    "#event+type",
    "#adm1+name",
    "#loc+name",
    "#geo+lat",
    "#geo+lon",
    "#affected+killed",
    "#group+name+first",
    "#meta+source",
)


def table(data: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(data.decode("utf-8"), newline="")))


def hxl_file(*rows: list[str]) -> io.StringIO:
    text = io.StringIO(newline="")
    csv.writer(text).writerows(rows)
    return io.StringIO(text.getvalue())


def test_the_export_is_valid_hxl(export, make_incident, make_unknown) -> None:
    data = export(
        "hxl-csv", [make_incident(), make_unknown(id="inc-2"), make_incident(id="inc-3", lat=-89.9, lon=-179.9)]
    )
    assert validate_hxl(io.BytesIO(data)) == []


def test_header_row_then_hashtag_row_then_data(export, make_incident) -> None:
    header, hashtags, *data = table(export("hxl-csv", [make_incident()]))
    assert header == [name for name, _, _ in HXL_COLUMNS]
    assert hashtags == [tag for _, tag, _ in HXL_COLUMNS]
    assert set(REQUIRED) <= set(hashtags)
    assert len(data) == 1
    row = dict(zip(hashtags, data[0], strict=True))
    assert row["#date+occurred"] == "2030-01-05"
    assert (row["#affected+killed"], row["#affected+killed+min"], row["#affected+killed+max"]) == ("3", "2", "5")
    assert (row["#country+code"], row["#country+name"]) == ("UKR", "Ukraine")
    assert (row["#geo+lat"], row["#geo+lon"], row["#loc+type"]) == ("50.0", "30.0", "point")
    assert (row["#group+name+first"], row["#group+name+second"]) == ("Army of Avalia", "Civilians (Borinia)")
    assert (row["#meta+source"], row["#meta+source+num"]) == ("Outlet a; Outlet b; Outlet c", "3")


def test_every_hashtag_used_is_core() -> None:
    assert {tag.split("+")[0][1:] for _, tag, _ in HXL_COLUMNS} <= CORE_HASHTAGS


def valid_rows() -> list[list[str]]:
    return [
        ["date", "lat", "lon", "killed", "place"],
        ["#date+occurred", "#geo+lat", "#geo+lon", "#affected+killed", "#loc+name"],
        ["2030-01-05", "51.2", "35.3", "3", "Veldor"],
        ["", "", "", "", ""],
    ]


def test_a_hand_made_valid_file() -> None:
    assert validate_hxl(hxl_file(*valid_rows())) == []


@pytest.mark.parametrize(
    ("column", "tag", "wanted"),
    [
        (4, "#loc name", "is not an HXL hashtag"),
        (4, "loc+name", "is not an HXL hashtag"),
        (4, "#loc+", "is not an HXL hashtag"),
        (4, "#1loc", "is not an HXL hashtag"),
        (4, "#loc+first-name", "is not an HXL hashtag"),
        (4, "#place+name", "#place is not a core HXL hashtag"),
        (4, "#x_place", "#x_place is not a core HXL hashtag"),
    ],
)
def test_bad_and_non_core_hashtags(column, tag, wanted) -> None:
    rows = valid_rows()
    rows[1][column] = tag
    problems = validate_hxl(hxl_file(*rows))
    assert len(problems) == 1 and wanted in problems[0] and f"column {column + 1}" in problems[0]


def test_hashtag_syntax_is_case_insensitive_and_allows_spaces_before_attributes() -> None:
    rows = valid_rows()
    rows[1] = ["#Date +Occurred", "#GEO+lat", "#geo +lon", "#affected  +killed", " #loc+name "]
    assert validate_hxl(hxl_file(*rows)) == []


@pytest.mark.parametrize(
    ("column", "value", "wanted"),
    [
        (1, "95", "not a latitude in [-90, 90]"),
        (1, "-90.5", "not a latitude in [-90, 90]"),
        (1, "north", "not a latitude"),
        (2, "180.1", "not a longitude in [-180, 180]"),
        (2, "nan", "not a longitude"),
        (0, "yesterday", "not an ISO 8601 date"),
        (0, "2030-13", "not an ISO 8601 date"),
        (0, "05/01/2030", "not an ISO 8601 date"),
        (3, "-1", "not a whole number"),
        (3, "2.5", "not a whole number"),
        (3, "three", "not a whole number"),
    ],
)
def test_typed_columns_with_bad_values(column, value, wanted) -> None:
    rows = valid_rows()
    rows[2][column] = value
    problems = validate_hxl(hxl_file(*rows))
    assert len(problems) == 1, problems
    assert wanted in problems[0] and problems[0].startswith(f"row 3, column {column + 1}")


@pytest.mark.parametrize("value", ["2030", "2030-01", "2030-01-05", "2030-01-05T08:30:00+00:00", "20300105"])
def test_iso_dates_that_are_fine(value) -> None:
    rows = valid_rows()
    rows[2][0] = value
    assert validate_hxl(hxl_file(*rows)) == []


def test_the_hashtag_row_must_be_the_second_row() -> None:
    header, hashtags, data, _ = valid_rows()
    problems = validate_hxl(hxl_file(hashtags, header, data))
    assert problems and "row 2 is not a hashtag row" in problems[0]
    assert validate_hxl(hxl_file(header, data, hashtags)) != []
    assert validate_hxl(hxl_file(header)) == ["no hashtag row: the file has fewer than two rows"]


def test_formulas_are_defused_in_the_hxl_export(export, make_incident) -> None:
    _, hashtags, data = table(export("hxl-csv", [make_incident(location_name="=cmd|' /C calc'!A0", lon=-70.1)]))
    row = dict(zip(hashtags, data, strict=True))
    assert row["#loc+name"] == "'=cmd|' /C calc'!A0"
    assert row["#geo+lon"] == "-70.1"
