"""ACLED evaluation: the reader on a tiny invented export, scoring on hand-built events (no model)."""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any

import pytest

from sitrep.errors import EvaluationError
from sitrep.evaluate.acled import (
    AcledRow,
    evaluate_acled,
    format_report,
    parse_event_date,
    published_date,
    read_acled,
    score,
    score_row,
)
from sitrep.evaluate.event_scoring import (
    admin1_matches,
    main_event,
    normalize_admin1,
    predicted_admin1,
    sub_type_scores,
)

DATA = Path(__file__).parent / "data"
SAMPLE = DATA / "acled_sample.csv"
SHELLING = "Shelling/artillery/missile attack"
AIR = "Air/drone strike"
IED = "Remote explosive/landmine/IED"
EXPLOSIONS = "Explosions/Remote violence"


# ---------------------------------------------------------------- reader


def test_reader_reads_rows_and_counts_quirks() -> None:
    gold = read_acled(SAMPLE)

    assert gold.name == "acled_sample"
    assert gold.sha256 == hashlib.sha256(SAMPLE.read_bytes()).hexdigest()
    # The fifth row has blank notes and is skipped; the fourth has no event id.
    assert [r.row_id for r in gold.rows] == ["TST001", "TST002", "TST003", "line 5"]
    first, second, third, fourth = gold.rows
    assert first.notes.startswith("On 14 March 2023, Testland forces shelled Velmora")
    assert (first.event_type, first.sub_event_type) == (EXPLOSIONS, SHELLING)
    assert (first.admin1, first.location, first.lat, first.lon) == ("Donetsk", "Velmora", 48.0, 37.0)
    assert (first.geo_precision, first.time_precision, first.fatalities) == (1, 1, 2)
    assert first.event_date is not None and first.event_date.isoformat() == "2023-03-14"
    assert first.timestamp == 1679356800
    # Both ways ACLED writes event_date.
    assert second.event_date is not None and second.event_date.isoformat() == "2023-03-15"
    assert third.admin1 == "Kiev Special Republican city"
    assert third.timestamp is None
    assert (fourth.lat, fourth.lon, fourth.fatalities, fourth.admin1) == (None, None, None, None)
    assert gold.quirks == (("bad_coordinates", 1), ("bad_fatalities", 1), ("rows_without_notes", 1))


def test_row_flags_coded_to_and_stated_dates() -> None:
    rows = read_acled(SAMPLE).rows

    assert [r.coded_to for r in rows] == [False, True, False, False]
    # "Around the middle of the month" names no day or month.
    assert [r.states_date for r in rows] == [True, True, False, True]
    assert AcledRow("x", "In late May 2022, a blast.", "a", "b").states_date
    assert AcledRow("x", "On March 3, shelling.", "a", "b").states_date
    assert not AcledRow("x", "Shelling hit May Street.", "a", "b").states_date


def test_parse_event_date_layouts() -> None:
    assert str(parse_event_date("2023-01-15")) == "2023-01-15"
    assert str(parse_event_date("18 January 2024")) == "2024-01-18"
    assert parse_event_date("sometime") is None


def test_published_date_is_none_or_the_upload_day() -> None:
    row = read_acled(SAMPLE).rows[0]

    assert published_date(row, "none") is None
    assert published_date(row, "timestamp") == "2023-03-21"


def test_reader_refuses_missing_columns_missing_files_and_bad_bytes(tmp_path: Path) -> None:
    other = tmp_path / "other.csv"
    other.write_text("notes,event_type\nShelling,Battles\n", encoding="utf-8")
    with pytest.raises(EvaluationError, match=r"not an ACLED export \(missing columns: sub_event_type") as info:
        read_acled(other)
    assert info.value.code == "eval.bad_file"

    with pytest.raises(EvaluationError, match="no such file") as info:
        read_acled(tmp_path / "absent.csv")
    assert info.value.code == "eval.bad_file"

    latin = tmp_path / "latin.csv"
    latin.write_bytes(SAMPLE.read_bytes().replace(b"Velmora", b"Velm\xf6ra"))
    with pytest.raises(EvaluationError, match="not UTF-8"):
        read_acled(latin)


# ---------------------------------------------------------------- matching


@pytest.mark.parametrize(
    ("gold", "predicted"),
    [
        ("Donetsk", "Donetsk Oblast"),
        ("Donetsk oblast", "Donetsk Oblast"),
        ("Kiev Special Republican city", "Kyiv City"),
        ("Kyiv City", "Kyiv City"),
        ("Zaporizhia", "Zaporizhzhia Oblast"),
        ("Kirovograd", "Kirovohrad Oblast"),
        ("Volyn", "Volynska oblast"),
        ("Vinnytsia", "Vinnytsya Oblast"),
        ("Rivne", "Rivnenska oblast"),
        ("Chernivtsi", "Chernivetska oblast"),
        ("Zakarpattia", "Zakarpatska oblast"),
        ("Crimea", "Autonomous Republic of Crimea"),
        ("Crimea", "Sevastopol City"),
        ("Odessa oblast", "Odesa Oblast"),
        ("Ivano-Frankivsk", "Ivano-Frankivsk Oblast"),
        ("Kursk", "Kursk Oblast"),
        ("Krasnodar", "Krasnodar Krai"),
    ],
)
def test_admin1_names_match_across_spellings(gold: str, predicted: str) -> None:
    assert admin1_matches(gold, predicted)


def test_admin1_mismatches_and_empty_names() -> None:
    assert not admin1_matches("Kharkiv", "Kherson Oblast")
    assert not admin1_matches("Luhansk", "Donetsk Oblast")
    assert not admin1_matches("Donetsk", None)
    assert not admin1_matches(None, None)
    assert not admin1_matches("", "")
    assert normalize_admin1("Oblast") is None
    assert normalize_admin1("  Zaporiz'ka  Oblast ") == "zaporizhzhia"


def test_predicted_admin1(build: Any) -> None:
    assert predicted_admin1(build.location(admin1="Sumy Oblast")) == "Sumy Oblast"
    region = build.location("Sumy Oblast", admin1=None, precision="admin1")
    assert predicted_admin1(region) == "Sumy Oblast"
    assert predicted_admin1(build.location("Donbas", admin1=None, precision="region")) is None
    assert predicted_admin1(None) is None


def test_main_event_is_the_first_violent_one(build: Any) -> None:
    intercept = build.event("Strategic developments", "Disrupted weapons use")
    shelling = build.event(EXPLOSIONS, SHELLING)
    clash = build.event("Battles", "Armed clash")
    evacuation = build.event("Humanitarian", "Evacuation")

    assert main_event([intercept, shelling, clash]) is shelling
    assert main_event([evacuation, intercept]) is evacuation
    assert main_event([]) is None


# ---------------------------------------------------------------- scoring


def sample_extractions(build: Any) -> list[Any]:
    velmora = build.location("Velmora", admin1="Donetsk Oblast", lat=48.0, lon=37.0)
    ostrel = build.location("Ostrel", admin1="Zaporizhzhia Oblast", lat=47.5, lon=35.6)  # 7.5 km east
    return [
        build.extraction(
            build.event("Strategic developments", "Disrupted weapons use"),
            build.event(EXPLOSIONS, SHELLING, location=velmora, date=("2023-03-14", "2023-03-14"), fatalities=2),
            places=(build.place("Velmora", lat=48.0, lon=37.0),),
        ),
        build.extraction(
            build.event(EXPLOSIONS, SHELLING, location=ostrel, date=("2023-03-10", "2023-03-16"), fatalities=None)
        ),
        build.extraction(),
        build.extraction(build.event(EXPLOSIONS, IED)),
    ]


def test_score_row_checks(build: Any) -> None:
    rows = read_acled(SAMPLE).rows
    extractions = sample_extractions(build)

    first = dict(score_row(rows[0], extractions[0]).checks)
    assert first == {
        "event_type": True,
        "sub_event_type": True,
        "location_10km_precise": True,
        "location_10km": True,
        "place_10km_any": True,
        "admin1": True,
        "date": True,
        "date_day": True,
        "fatalities": True,
    }
    second = score_row(rows[1], extractions[1])
    assert second.groups == ("coded to",)
    assert second.km == pytest.approx(7.51, abs=0.01)
    # Sub-type wrong; geo_precision 2 is not scored as precise; a null count reads as ACLED's 0.
    assert dict(second.checks) == {
        "event_type": True,
        "sub_event_type": False,
        "location_10km_precise": None,
        "location_10km": True,
        "place_10km_any": False,
        "admin1": True,
        "date": True,
        "date_day": False,
        "fatalities": True,
    }
    # No event at all: every figure that applies is wrong; the note states no date.
    third = score_row(rows[2], extractions[2])
    assert (third.has_event, third.predicted_sub_type, third.groups) == (False, None, ("other",))
    assert dict(third.checks)["date"] is None
    assert [name for name, result in third.checks if result is False] == [
        "event_type",
        "sub_event_type",
        "location_10km_precise",
        "location_10km",
        "place_10km_any",
        "admin1",
        "fatalities",
    ]
    # No gold point, admin1 or fatalities: those figures do not apply; an undated event misses the date.
    fourth = dict(score_row(rows[3], extractions[3]).checks)
    assert fourth["location_10km"] is None and fourth["admin1"] is None and fourth["fatalities"] is None
    assert fourth["date"] is False
    # A missing extraction counts as no event.
    assert dict(score_row(rows[0], None).checks)["event_type"] is False


def test_fatalities_null_is_zero_but_not_one(build: Any) -> None:
    row = read_acled(SAMPLE).rows[0]  # gold 2
    for predicted, expected in ((2, True), (None, False), (3, False)):
        outcome = score_row(row, build.extraction(build.event(fatalities=predicted)))
        assert dict(outcome.checks)["fatalities"] is expected
    zero = AcledRow("z", "On 1 May 2022, shelling.", EXPLOSIONS, SHELLING, fatalities=0)
    assert dict(score_row(zero, build.extraction(build.event(fatalities=None))).checks)["fatalities"] is True


def test_score_figures_per_group_confusion_and_worst(build: Any) -> None:
    gold = read_acled(SAMPLE)

    report = score(gold.rows, sample_extractions(build), corpus="toy", sha256="ab" * 32)

    figures = report.figures()
    assert figures["event_type"] == pytest.approx(3 / 4)
    assert figures["sub_event_type"] == pytest.approx(2 / 4)
    assert figures["location_10km_precise"] == pytest.approx(1 / 2)
    assert figures["location_10km"] == pytest.approx(2 / 3)
    assert figures["place_10km_any"] == pytest.approx(1 / 3)
    assert figures["admin1"] == pytest.approx(2 / 3)
    assert figures["date"] == pytest.approx(2 / 3)
    assert figures["date_day"] == pytest.approx(1 / 3)
    assert figures["fatalities"] == pytest.approx(2 / 3)
    overall, coded, other = report.groups
    assert [(g.name, g.rows, g.no_event) for g in report.groups] == [
        ("all", 4, 1),
        ("coded to", 1, 0),
        ("other", 3, 1),
    ]
    assert coded.figure("sub_event_type").total == 1 and coded.figure("sub_event_type").correct == 0
    assert other.figure("event_type").correct == 2
    assert overall.figure("location_10km").total == 3

    assert report.confusion == (
        (AIR, SHELLING, 1),
        ("Armed clash", "(no event)", 1),
        (IED, IED, 1),
        (SHELLING, SHELLING, 1),
    )
    scores = {s.sub_type: s for s in report.sub_types}
    assert (scores[SHELLING].gold, scores[SHELLING].predicted, scores[SHELLING].correct) == (1, 2, 1)
    assert scores[SHELLING].precision == pytest.approx(0.5)
    assert scores[SHELLING].f1 == pytest.approx(2 / 3)
    assert (scores[AIR].precision, scores[AIR].recall, scores[AIR].f1) == (None, 0.0, None)
    # The worst rows: wrong sub-type, most wrong figures first.
    assert [o.row_id for o in report.worst] == ["TST003", "TST002"]
    assert [o.row_id for o in report.farthest] == ["TST002", "TST001"]


def test_sub_type_scores_with_only_no_event() -> None:
    (only,) = sub_type_scores({("Grenade", "(no event)"): 2})
    assert (only.sub_type, only.gold, only.predicted, only.recall, only.precision) == ("Grenade", 2, 0, 0.0, None)


def test_score_refuses_misaligned_inputs() -> None:
    with pytest.raises(ValueError, match="1 rows but 0 extractions"):
        score(read_acled(SAMPLE).rows[:1], [])


def test_format_report_shows_figures_confusions_and_worst(build: Any) -> None:
    gold = read_acled(SAMPLE)
    report = score(gold.rows, sample_extractions(build), corpus="toy", sha256="ab" * 32)

    table = format_report(report)

    assert "acled  toy (sha256 abababababab): 4 rows, 3 with an event, 1 without" in table
    assert "all (4)" in table and "coded to (1)" in table and "other (3)" in table
    assert "75.0% (3/4)" in table
    assert f"x      1  {AIR} -> {SHELLING}" in table
    assert "worst 2 (wrong sub_event_type; gold -> predicted):" in table
    assert "TST003  Armed clash -> (no event)  [7 wrong]  Around the middle of the month" in table
    assert "a predicted None counts as 0" in table


# ---------------------------------------------------------------- driver


def test_evaluate_acled_end_to_end(build: Any) -> None:
    shelling = build.event(
        EXPLOSIONS,
        SHELLING,
        location=build.location("Velmora", admin1="Donetsk Oblast", lat=48.01, lon=37.0),
        date=("2023-03-14", "2023-03-14"),
        fatalities=2,
    )
    extractor = build.stub({"shelled Velmora": (shelling,), "drones struck": (build.event(EXPLOSIONS, AIR),)})

    report = evaluate_acled(SAMPLE, extractor, progress=False)

    assert [d.text for d in extractor.seen] == [r.notes for r in read_acled(SAMPLE).rows]
    assert all(d.published_at is None for d in extractor.seen)
    assert report.corpus == "acled_sample"
    assert report.rows == 4
    figures = report.figures()
    assert figures["sub_event_type"] == pytest.approx(2 / 4)
    assert figures["location_10km_precise"] == pytest.approx(1 / 2)
    assert report.seconds is not None
    assert dict(report.quirks)["rows_without_notes"] == 1


def test_evaluate_acled_with_timestamps_and_limit(build: Any, capsys: pytest.CaptureFixture[str]) -> None:
    extractor = build.stub({})

    report = evaluate_acled(SAMPLE, extractor, limit=3, published="timestamp", progress=True)

    assert [d.published_at for d in extractor.seen] == ["2023-03-21", "2023-03-22", None]
    assert report.rows == 3
    assert report.groups[0].no_event == 3
    assert "acled_sample" in capsys.readouterr().err
