"""The ACLED-shaped CSV: ACLED's columns and codes, sitrep's extension columns, and reading it back."""

from __future__ import annotations

import csv
import io

import pytest

from sitrep.export import exported, read_acled_csv
from sitrep.export.acled import ACLED_COLUMNS, HEADER
from sitrep.model.incidents import Range
from sitrep.model.taxonomy import TAXONOMY

# ACLED's data export columns (codebook, 2023 column set), in ACLED's order.
EXPECTED_ACLED = (
    "event_id_cnty event_date year time_precision disorder_type event_type sub_event_type actor1 assoc_actor_1 "
    "inter1 actor2 assoc_actor_2 inter2 interaction civilian_targeting iso region country admin1 admin2 admin3 "
    "location latitude longitude geo_precision source source_scale notes fatalities tags timestamp"
).split()
SITREP_EXTENSION = [
    "sitrep_incident_id",
    "sitrep_event_type",
    "sitrep_sub_event_type",
    "sitrep_date_end",
    "sitrep_deaths_low",
    "sitrep_deaths_best",
    "sitrep_deaths_high",
    "sitrep_sources",
    "sitrep_status",
    "sitrep_geonames_id",
    "sitrep_precision",
    "sitrep_country_code",
]


def rows(data: bytes) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(data.decode("utf-8"), newline="")))


def test_header_is_acleds_columns_then_the_sitrep_ones(export, make_incident) -> None:
    header = next(csv.reader(io.StringIO(export("acled-csv", [make_incident()]).decode("utf-8"))))
    assert list(ACLED_COLUMNS) == EXPECTED_ACLED
    assert header == list(HEADER) == EXPECTED_ACLED + SITREP_EXTENSION


def test_an_acled_row(export, make_incident) -> None:
    (row,) = rows(export("acled-csv", [make_incident(lat=50.123456, lon=30.98766)]))
    assert row["event_id_cnty"] == "inc-veldor-1"
    assert (row["event_date"], row["year"], row["time_precision"]) == ("2030-01-05", "2030", "1")
    assert row["disorder_type"] == "Political violence"
    assert (row["event_type"], row["sub_event_type"]) == (
        "Explosions/Remote violence",
        "Shelling/artillery/missile attack",
    )
    assert (row["actor1"], row["actor2"]) == ("Army of Avalia", "Civilians (Borinia)")
    assert row["civilian_targeting"] == "Civilian targeting"
    assert (row["inter1"], row["inter2"], row["interaction"]) == ("", "", "")
    assert (row["iso"], row["country"], row["admin1"], row["location"]) == (
        "804",
        "Ukraine",
        "North Province",
        "Veldor",
    )
    assert (row["latitude"], row["longitude"], row["geo_precision"]) == ("50.1235", "30.9877", "1")
    assert row["source"] == "Outlet a; Outlet b; Outlet c"
    assert row["fatalities"] == "2"  # the conservative count: the lowest across sources
    assert row["notes"] == 'reported by Outlet a (own reporting): "Shelling killed three people in Veldor."'
    assert (row["sitrep_deaths_low"], row["sitrep_deaths_best"], row["sitrep_deaths_high"]) == ("2", "3", "5")
    assert (row["sitrep_sources"], row["sitrep_status"], row["sitrep_precision"]) == ("3", "provisional", "point")


@pytest.mark.parametrize(
    ("precision", "code"),
    [("point", "1"), ("near", "2"), ("admin2", "2"), ("admin1", "3"), ("country", "3"), ("region", "3"), (None, "")],
)
def test_geo_precision_codes(precision, code, export, make_incident) -> None:
    (row,) = rows(export("acled-csv", [make_incident(precision=precision)]))
    assert row["geo_precision"] == code


@pytest.mark.parametrize(
    ("start", "end", "code"),
    [
        ("2030-01-05", "2030-01-05", "1"),
        ("2030-01-05", "2030-01-06", "2"),
        ("2030-01-06", "2030-01-12", "2"),  # a calendar week
        ("2030-01-01", "2030-01-31", "3"),  # a month
        ("2030-01-01", "2030-12-31", "3"),
        (None, None, ""),
        ("2030-01-05", None, ""),
    ],
)
def test_time_precision_from_the_span_of_days(start, end, code, export, make_incident) -> None:
    (row,) = rows(export("acled-csv", [make_incident(date_start=start, date_end=end)]))
    assert row["time_precision"] == code


@pytest.mark.parametrize("sub", [s for s in TAXONOMY if s.namespace == "sitrep"], ids=lambda s: s.sub_event_type)
def test_extension_types_go_under_strategic_developments_with_the_sitrep_tag(sub, export, make_incident) -> None:
    incident = make_incident(event_type=sub.event_type, sub_event_type=sub.sub_event_type)
    (row,) = rows(export("acled-csv", [incident]))
    assert (row["event_type"], row["sub_event_type"]) == ("Strategic developments", "Other")
    assert row["disorder_type"] == "Strategic developments"
    assert row["tags"] == f"sitrep: {sub.sub_event_type}"
    assert (row["sitrep_event_type"], row["sitrep_sub_event_type"]) == (sub.event_type, sub.sub_event_type)
    (back,) = read_acled_csv(io.BytesIO(export("acled-csv", [incident])))
    assert (back.event_type, back.sub_event_type) == (sub.event_type, sub.sub_event_type)


def test_the_sitrep_tag_alone_restores_the_extension_type(export, make_incident) -> None:
    """A file whose sitrep_* columns were dropped (say, by a spreadsheet user) still reads back the sitrep type."""
    incident = make_incident(event_type="Humanitarian", sub_event_type="Request to observers")
    (row,) = rows(export("acled-csv", [incident]))
    acled_only = io.StringIO(newline="")
    writer = csv.DictWriter(acled_only, fieldnames=list(ACLED_COLUMNS), extrasaction="ignore")
    writer.writeheader()
    writer.writerow(row)
    (back,) = read_acled_csv(io.StringIO(acled_only.getvalue()))
    assert (back.event_type, back.sub_event_type) == ("Humanitarian", "Request to observers")
    assert back.country_code == "UA"  # from the ISO numeric code
    assert back.deaths_low == 2  # from fatalities


def test_acled_types_are_written_as_they_are(export, make_incident) -> None:
    (row,) = rows(export("acled-csv", [make_incident(event_type="Protests", sub_event_type="Peaceful protest")]))
    assert (row["event_type"], row["sub_event_type"], row["tags"]) == ("Protests", "Peaceful protest", "")
    assert row["disorder_type"] == "Demonstrations"


def test_a_pair_outside_the_taxonomy_degrades_like_an_extension_type(export, make_incident) -> None:
    incident = make_incident(event_type="Statements", sub_event_type="Something new")
    (row,) = rows(export("acled-csv", [incident]))
    assert (row["event_type"], row["sub_event_type"], row["tags"]) == (
        "Strategic developments",
        "Other",
        "sitrep: Something new",
    )
    assert read_acled_csv(io.BytesIO(export("acled-csv", [incident]))) == [exported(incident, decimals=4)]


def test_unknown_stays_unknown(export, make_unknown) -> None:
    (row,) = rows(export("acled-csv", [make_unknown()]))
    for column in ("event_date", "year", "time_precision", "fatalities", "iso", "country", "latitude", "longitude"):
        assert row[column] == "", column
    assert row["fatalities"] != "0"


def test_fatalities_zero_is_a_known_zero(export, make_incident) -> None:
    (row,) = rows(export("acled-csv", [make_incident(deaths=Range(0, 0, 0, (("Outlet a", 0),)))]))
    assert row["fatalities"] == "0"


def test_a_country_iso_does_not_know_keeps_its_code_in_the_sitrep_column(export, make_incident) -> None:
    (row,) = rows(export("acled-csv", [make_incident(country_code="XA")]))
    assert (row["iso"], row["country"], row["sitrep_country_code"]) == ("", "", "XA")


def test_further_and_associated_actors_go_to_assoc_actor_1(export, make_incident) -> None:
    actors = (
        ("actor1", "Army of Avalia"),
        ("actor1", "Avalian Border Guard"),
        ("associated", "Volunteers of Ostrel"),
        ("actor2", "Army of Borinia"),
    )
    (row,) = rows(export("acled-csv", [make_incident(actors=actors)]))
    assert (row["actor1"], row["actor2"]) == ("Army of Avalia", "Army of Borinia")
    assert row["assoc_actor_1"] == "Avalian Border Guard; Volunteers of Ostrel"
    assert row["civilian_targeting"] == ""


def test_negative_coordinates_are_numbers_not_defused_text(export, make_incident) -> None:
    (row,) = rows(export("acled-csv", [make_incident(lat=-33.45678, lon=-70.1)]))
    assert (row["latitude"], row["longitude"]) == ("-33.4568", "-70.1")


def test_read_back_equals_exported(export, make_incident, make_unknown) -> None:
    incidents = [make_incident(), make_unknown(id="inc-2"), make_incident(id="inc-3", lat=-1.23456789)]
    assert read_acled_csv(io.BytesIO(export("acled-csv", incidents))) == [exported(i, decimals=4) for i in incidents]
