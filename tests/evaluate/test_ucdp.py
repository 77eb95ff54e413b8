"""UCDP GED evaluation: the reader on a tiny invented export, scoring on hand-built events (no model)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from sitrep.errors import EvaluationError
from sitrep.evaluate.ucdp import evaluate_ucdp, format_report, headlines_text, read_ucdp, score, score_row

DATA = Path(__file__).parent / "data"
SAMPLE = DATA / "ucdp_sample.csv"


def test_headlines_text_one_line_each() -> None:
    assert headlines_text("Two killed near Velmora;Two killed near Velmora;Shelling hits Velmora") == (
        "Two killed near Velmora.\nShelling hits Velmora."
    )
    assert headlines_text(" Blast in Ostrel!  ; - ;;Ostrel ") == "Blast in Ostrel!\nOstrel."
    assert headlines_text("-") == ""
    assert headlines_text("") == ""


def test_reader_reads_rows_and_counts_quirks() -> None:
    gold = read_ucdp(SAMPLE)

    assert gold.name == "ucdp_sample"
    assert [r.row_id for r in gold.rows] == ["9001", "9002", "9004"]  # 9003's headline is "-"
    first, second, third = gold.rows
    assert first.text == "Two soldiers killed near Velmora.\nShelling hits Velmora."
    assert (first.adm_1, first.where, first.where_prec, first.lat, first.lon) == (
        "Donetsk oblast",
        "Velmora village",
        1,
        48.0,
        37.0,
    )
    assert (first.best, first.low, first.high) == (2, 1, 3)
    assert second.text == "Ostrel."
    assert third.adm_1 == "Kiev Special Republican city"
    assert [r.states_number for r in gold.rows] == [True, False, True]
    assert gold.quirks == (("headlines_with_lost_characters", 1), ("rows_without_headline", 1))


def test_reader_refuses_an_acled_file() -> None:
    with pytest.raises(EvaluationError, match=r"not a UCDP GED export \(missing columns: source_headline") as info:
        read_ucdp(DATA / "acled_sample.csv")
    assert info.value.code == "eval.bad_file"


def sample_extractions(build: Any) -> list[Any]:
    velmora = build.location("Velmora", admin1="Donetsk Oblast", lat=48.0, lon=37.3)  # 22 km east
    kyiv = build.location("Kyiv", admin1="Kyiv City", lat=50.45, lon=30.52)
    return [
        build.extraction(
            build.event("Violence against civilians", "Attack", location=velmora, fatalities=2),
            build.event("Battles", "Armed clash", fatalities=3),
            places=(build.place("Velmora", lat=48.0, lon=37.0),),
        ),
        build.extraction(places=(build.place("Ostrel", lat=48.5, lon=39.0),)),
        build.extraction(build.event("Battles", "Armed clash", location=kyiv, fatalities=8)),
    ]


def test_score_row_checks(build: Any) -> None:
    rows = read_ucdp(SAMPLE).rows
    first, second, third = (score_row(r, x) for r, x in zip(rows, sample_extractions(build), strict=True))

    assert first.km == pytest.approx(22.3, abs=0.1)
    assert dict(first.checks) == {
        "location_10km_precise": False,
        "location_10km": False,
        "location_50km": True,
        "place_50km_any": True,
        "admin1": True,
        "deaths_best": True,
        "deaths_range": True,
        "deaths_best_max": False,  # the larger count of the second event is not best
    }
    assert first.groups == ("states a number",)
    # Nothing but a place: the place diagnostic holds, every event figure is wrong.
    assert dict(second.checks) == {
        "location_10km_precise": None,
        "location_10km": False,
        "location_50km": False,
        "place_50km_any": True,
        "admin1": False,
        "deaths_best": False,
        "deaths_range": False,
        "deaths_best_max": False,
    }
    assert (second.has_event, second.groups) == (False, ("no number",))
    # where_prec 4 is not scored as precise; "Kiev Special Republican city" is "Kyiv City".
    assert dict(third.checks)["location_10km_precise"] is None
    assert dict(third.checks)["admin1"] is True
    assert dict(third.checks)["deaths_range"] is True
    assert dict(third.checks)["deaths_best"] is False
    assert third.severity == 3


def test_score_figures_and_worst(build: Any) -> None:
    gold = read_ucdp(SAMPLE)

    report = score(gold.rows, sample_extractions(build), corpus="toy", sha256="cd" * 32)

    assert report.figures() == pytest.approx(
        {
            "location_10km_precise": 0.0,
            "location_10km": 1 / 3,
            "location_50km": 2 / 3,
            "place_50km_any": 2 / 3,
            "admin1": 2 / 3,
            "deaths_best": 1 / 3,
            "deaths_range": 2 / 3,
            "deaths_best_max": 0.0,
        }
    )
    assert [(g.name, g.rows, g.no_event) for g in report.groups] == [
        ("all", 3, 1),
        ("states a number", 2, 0),
        ("no number", 1, 1),
    ]
    assert report.confusion == ()
    assert [o.row_id for o in report.worst] == ["9004", "9002"]  # largest error in deaths first
    table = format_report(report)
    assert "ucdp  toy (sha256 cdcdcdcdcdcd): 3 rows, 2 with an event, 1 without" in table
    assert "9004  best 5 [4, 9] -> 8 (Armed clash)" in table
    assert "9002  best 1 [1, 1] -> (no event)" in table


def test_evaluate_ucdp_end_to_end(build: Any) -> None:
    clash = build.event("Battles", "Armed clash", location=build.location("Kyiv", admin1="Kyiv City"), fatalities=5)
    extractor = build.stub({"Dustan": (clash,)})

    report = evaluate_ucdp(SAMPLE, extractor, progress=False)

    assert [d.text for d in extractor.seen] == [r.text for r in read_ucdp(SAMPLE).rows]
    assert all(d.published_at is None for d in extractor.seen)
    assert report.rows == 3
    assert report.figures()["deaths_best"] == pytest.approx(1 / 3)
    assert report.figures()["admin1"] == pytest.approx(1 / 3)
    assert dict(report.quirks) == {"headlines_with_lost_characters": 1, "rows_without_headline": 1}

    limited = evaluate_ucdp(SAMPLE, build.stub({}), limit=1, progress=False)
    assert limited.rows == 1
