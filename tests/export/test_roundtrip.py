"""Exports re-import (STYLE.md "Tests"): hypothesis-made incidents with hostile text survive ACLED CSV and GeoJSON.

The incidents use fictional names, text from the web at its worst (quotes,
commas, line breaks, leading ``=``/``-``/``@``/tab, apostrophes, Cyrillic),
``None`` in every optional field and negative coordinates. A second group of
tests checks that no text cell of any spreadsheet-bound format can start a
formula.
"""

from __future__ import annotations

import csv
import io
from datetime import date, timedelta
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import load_workbook

from sitrep.export import exported, read_acled_csv, read_geojson, write_export
from sitrep.export.cells import FORMULA_STARTS, defuse, undefuse
from sitrep.model.incidents import INCIDENT_STATUSES, ClaimRef, Incident, Range
from sitrep.model.records import PlacePrecision
from sitrep.model.taxonomy import TAXONOMY

HOSTILE = [
    "=1+1",
    '=HYPERLINK("http://x","click")',
    "-2+3",
    "+cmd",
    "@SUM(A1:A9)",
    "\t=tab",
    "\r=cr",
    "'=already quoted",
    "'",
    "''",
    "a, b, and c",
    'he said "yes"',
    "two\nlines",
    "windows\r\nline",
    "  padded  ",
    "Вельдор",
    "Army of Avalia",
    "Civilians (Borinia)",
    "#N/A",
    "\x00nul",
]
text = st.one_of(
    st.sampled_from(HOSTILE),
    st.text(st.characters(exclude_categories=("Cs",)), max_size=40),
    st.tuples(st.sampled_from(HOSTILE), st.text(max_size=10), st.sampled_from(HOSTILE)).map("".join),
)
maybe_text = st.none() | text
days = st.dates(min_value=date(1990, 1, 1), max_value=date(2100, 1, 1))
precisions = st.none() | st.sampled_from(PlacePrecision.__args__)  # type: ignore[attr-defined]


@st.composite
def ranges(draw: st.DrawFn) -> Range:
    low, best, high = sorted(draw(st.lists(st.integers(0, 10**6), min_size=3, max_size=3)))
    return Range(low, best, high, (("Outlet a", low),))


@st.composite
def claims(draw: st.DrawFn) -> ClaimRef:
    quote = draw(text)
    return ClaimRef(
        "supporting", draw(maybe_text), None, "asserted", None, draw(maybe_text), "d", 0, len(quote), quote, None
    )


@st.composite
def incidents(draw: st.DrawFn) -> Incident:
    sub = draw(st.sampled_from(TAXONOMY))
    start = draw(st.none() | days)
    end = None if start is None else draw(st.none() | st.just(start + timedelta(days=draw(st.integers(0, 400)))))
    point = draw(st.booleans())
    roles = st.sampled_from(("actor1", "actor2", "associated"))
    fields: dict[str, Any] = {
        "id": draw(st.from_regex(r"inc-[0-9a-f]{12}", fullmatch=True)),
        "event_type": sub.event_type,
        "sub_event_type": sub.sub_event_type,
        "place_key": None,
        "location_name": draw(maybe_text),
        "geonames_id": draw(st.none() | st.integers(1, 10**8)),
        "country_code": draw(st.sampled_from((None, "UA", "RU", "XA", "CL"))),
        "admin1": draw(maybe_text),
        "lat": draw(st.floats(-90, 90)) if point else None,
        "lon": draw(st.floats(-180, 180)) if point else None,
        "precision": draw(precisions),
        "date_start": None if start is None else start.isoformat(),
        "date_end": None if end is None else end.isoformat(),
        "deaths": draw(st.none() | ranges()),
        "figures": tuple(draw(st.dictionaries(st.sampled_from(("killed", "injured", "displaced")), ranges())).items()),
        "sources": draw(st.integers(0, 50)),
        "origins": tuple(draw(st.lists(text, max_size=3))),
        "actors": tuple(draw(st.lists(st.tuples(roles, text), max_size=4))),
        "supporting": tuple(draw(st.lists(claims(), max_size=2))),
        "disputing": (),
        "members": (),
        "status": draw(st.sampled_from(INCIDENT_STATUSES)),
    }
    return Incident(**fields)


def written(fmt: str, found: list[Incident]) -> io.BytesIO:
    out = io.BytesIO()
    assert write_export(fmt, found, out) == len(found)
    out.seek(0)
    return out


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(incidents(), max_size=4))
def test_acled_csv_round_trip(found: list[Incident]) -> None:
    assert read_acled_csv(written("acled-csv", found)) == [exported(i, decimals=4) for i in found]


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(incidents(), max_size=4))
def test_geojson_round_trip(found: list[Incident]) -> None:
    assert read_geojson(written("geojson", found)) == [exported(i, decimals=6) for i in found]


@given(text)
def test_undefuse_inverts_defuse(value: str) -> None:
    assert undefuse(defuse(value)) == value
    assert not defuse(value).startswith(FORMULA_STARTS)


def test_a_plain_apostrophe_from_another_tool_is_left_alone() -> None:
    assert undefuse("'tis the season") == "'tis the season"
    assert defuse("'tis") == "''tis" and undefuse("''tis") == "'tis"


# ---------------------------------------------------------------- formula defusing in every text format


def csv_cells(fmt: str, found: list[Incident]) -> list[str]:
    rows = list(csv.reader(io.StringIO(written(fmt, found).getvalue().decode("utf-8"), newline="")))
    return [cell for row in rows[1:] for cell in row]


def xlsx_cells(found: list[Incident]) -> list[str]:
    sheet = load_workbook(written("xlsx", found))["incidents"]
    return [c.value for row in sheet.iter_rows(min_row=2) for c in row if isinstance(c.value, str)]


def hostile_incident(value: str) -> Incident:
    return Incident(
        id="inc-hostile",
        event_type="Battles",
        sub_event_type="Armed clash",
        place_key=None,
        location_name=value,
        geonames_id=None,
        country_code="UA",
        admin1=value,
        lat=-33.4,
        lon=-70.1,
        precision="point",
        date_start="2030-01-05",
        date_end="2030-01-05",
        deaths=None,
        figures=(),
        sources=1,
        origins=(value,),
        actors=(("actor1", value), ("actor2", value + " 2"), ("associated", value + " 3")),
        supporting=(ClaimRef("supporting", value, None, "claimed", None, value, "d", 0, 1, value, None),),
        disputing=(),
        members=(),
    )


FORMULA_VALUES = [v for v in HOSTILE if v.startswith(FORMULA_STARTS)]


@pytest.mark.parametrize("fmt", ["acled-csv", "ucdp-csv", "hxl-csv"])
@pytest.mark.parametrize("value", FORMULA_VALUES)
def test_no_csv_text_cell_starts_a_formula(fmt: str, value: str) -> None:
    cells = csv_cells(fmt, [hostile_incident(value)])
    text_cells = [c for c in cells if c not in ("-33.4", "-70.1", "-33.400000", "-70.100000")]
    assert text_cells and not [c for c in text_cells if c.startswith(FORMULA_STARTS)]
    assert "'" + value in cells  # the place name, defused, not lost
    assert "-70.1" in cells  # numbers stay numbers


@pytest.mark.parametrize("value", FORMULA_VALUES)
def test_no_xlsx_text_cell_starts_a_formula(value: str) -> None:
    cells = xlsx_cells([hostile_incident(value)])
    assert cells and not [c for c in cells if c.startswith(FORMULA_STARTS)]
    assert "'" + value in cells


@pytest.mark.parametrize("fmt", ["acled-csv", "ucdp-csv", "hxl-csv"])
def test_quotes_commas_and_line_breaks_never_break_a_row(fmt: str) -> None:
    found = [hostile_incident(v) for v in ('a "b", c', "x\ny", "p\r\nq", "z\r")]
    rows = list(csv.reader(io.StringIO(written(fmt, found).getvalue().decode("utf-8"), newline="")))
    header_rows = 2 if fmt == "hxl-csv" else 1
    assert len(rows) == header_rows + len(found)
    assert len({len(row) for row in rows}) == 1
