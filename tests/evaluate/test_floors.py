"""Evaluation floors: the check with made-up numbers, the pinned file's rules, and ``--check-floors``.

The evaluation files are not part of the repository, so the pinned floors
themselves are checked by ``sitrep eval ... --check-floors`` (``make eval``);
these tests keep the floors file honest and the check logic right.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any

import pytest

from sitrep.cli.main import main
from sitrep.errors import EvaluationError
from sitrep.evaluate import acled, ucdp
from sitrep.evaluate.floors import (
    FLOORS_FILE,
    MAX_GAP,
    CorpusFloors,
    Floor,
    check_floors,
    file_sha256,
    floor_entry,
    floors_for,
    format_floor_check,
    load_floors,
)

DATA = Path(__file__).parent / "data"
FIGURES = {"acled": {name for name, _ in acled.LABELS}, "ucdp": {name for name, _ in ucdp.LABELS}}


def toy_floors(sha256: str = "a" * 64, *, kind: str = "acled", options: str = "published=none") -> CorpusFloors:
    return CorpusFloors(
        name="toy",
        kind=kind,
        sha256=sha256,
        rows=4,
        options=options,
        floors=(Floor("event_type", 0.95, 0.94), Floor("admin1", 0.80, 0.79), Floor("date", 0.5, 0.49)),
    )


# ---------------------------------------------------------------- the check


def test_check_floors_with_made_up_numbers() -> None:
    floors = toy_floors()

    assert check_floors({"event_type": 0.96, "admin1": 0.79, "date": 0.9}, floors) == ()
    misses = check_floors({"event_type": 0.9399, "admin1": 0.85, "date": None}, floors)
    assert [(m.figure, m.value, m.floor) for m in misses] == [("event_type", 0.9399, 0.94), ("date", None, 0.49)]
    # A figure the run no longer produces is a miss too.
    assert [m.figure for m in check_floors({"event_type": 1.0, "admin1": 1.0}, floors)] == ["date"]
    text = format_floor_check(floors, misses)
    assert "floors: 2 of 3 figures below their floors (toy)" in text
    assert "event_type: 0.9399 < floor 0.9400" in text
    assert "date: not measured < floor 0.4900" in text
    assert format_floor_check(floors, ()) == "floors: all 3 figures at or above their floors (toy)"


def test_floors_are_found_by_hash_kind_and_options() -> None:
    pinned = (toy_floors("a" * 64), toy_floors("b" * 64, kind="ucdp", options=""))

    assert floors_for("a" * 64, "acled", pinned, options="published=none") is pinned[0]
    assert floors_for("b" * 64, "ucdp", pinned) is pinned[1]
    with pytest.raises(EvaluationError, match="no acled floors pinned for a file with sha256 bbbbbbbbbbbb") as info:
        floors_for("b" * 64, "acled", pinned, options="published=none")
    assert info.value.code == "eval.no_floors"
    with pytest.raises(EvaluationError, match="measured with published=none, not published=timestamp") as info:
        floors_for("a" * 64, "acled", pinned, options="published=timestamp")
    assert info.value.code == "eval.no_floors"


def test_floor_entry_sits_just_below_the_measurement() -> None:
    entry = floor_entry(
        {"event_type": 0.96547, "admin1": 0.0049, "date": None},
        kind="acled",
        file="x.csv",
        sha256="c" * 64,
        rows=10,
        options="published=none",
    )

    assert entry["floors"] == {
        "event_type": {"measured": 0.9655, "floor": 0.955},
        "admin1": {"measured": 0.0049, "floor": 0.0},
    }
    assert (entry["kind"], entry["sha256"], entry["rows"]) == ("acled", "c" * 64, 10)


def test_load_floors_refuses_broken_files(tmp_path: Path) -> None:
    broken = tmp_path / "floors.json"
    broken.write_text("{", encoding="utf-8")
    with pytest.raises(EvaluationError, match="not readable JSON") as info:
        load_floors(broken)
    assert info.value.code == "eval.floors_file"

    short_hash = {"corpora": {"x": {"kind": "acled", "sha256": "abc", "floors": {}}}}
    broken.write_text(json.dumps(short_hash), encoding="utf-8")
    with pytest.raises(EvaluationError, match="sha256 is not 64 lower-case hex digits"):
        load_floors(broken)

    no_floor = {"corpora": {"x": {"kind": "acled", "sha256": "a" * 64, "floors": {"admin1": {"measured": 0.5}}}}}
    broken.write_text(json.dumps(no_floor), encoding="utf-8")
    with pytest.raises(EvaluationError, match=r"malformed floors file \(KeyError"):
        load_floors(broken)

    with pytest.raises(EvaluationError, match="no floors file"):
        load_floors(tmp_path / "absent.json")


# ---------------------------------------------------------------- the pinned file


def test_pinned_floors_are_not_silently_lowered() -> None:
    """Every floor lies in [measured - 0.02, measured].

    Lowering a floor therefore means lowering ``measured`` too: an explicit
    change to floors.json, explained in its commit and in docs/evaluation.md.
    """

    corpora = load_floors()
    assert corpora, f"{FLOORS_FILE} pins no floors"
    for corpus in corpora:
        assert corpus.kind in FIGURES, f"{corpus.name}: unknown kind {corpus.kind!r}"
        assert corpus.floors, f"{corpus.name}: no floors"
        for floor in corpus.floors:
            where = f"{corpus.name}.{floor.figure}"
            assert floor.figure in FIGURES[corpus.kind], f"{where}: the {corpus.kind} evaluation has no such figure"
            assert 0.0 <= floor.floor <= floor.measured <= 1.0, f"{where}: floor above its measured value"
            assert floor.floor >= floor.measured - MAX_GAP - 1e-9, (
                f"{where}: floor {floor.floor} is more than {MAX_GAP} below measured {floor.measured}; "
                "to lower a floor, lower `measured` in an explicit, explained change"
            )


def test_pinned_floors_name_their_files() -> None:
    data = json.loads(FLOORS_FILE.read_text(encoding="utf-8"))
    names = set()
    for name, entry in data["corpora"].items():
        assert entry["file"].startswith("../shared/eval/"), f"{name}: floors are pinned on ../shared/eval files"
        assert Path(entry["file"]).stem == name
        names.add(name)
    assert {"ukraine-explosions-2022", "ukraine-east-2022-2024", "ukraine-2014-2021"} <= names


# ---------------------------------------------------------------- the command


@pytest.fixture
def sample_floors(monkeypatch: pytest.MonkeyPatch, build: Any) -> dict[str, Any]:
    """``sitrep eval acled`` on the sample file, with a stub extractor and floors pinned for that file."""

    state: dict[str, Any] = {"floor": 0.5}
    sha256 = hashlib.sha256((DATA / "acled_sample.csv").read_bytes()).hexdigest()

    def floors() -> tuple[CorpusFloors, ...]:
        pinned = Floor("event_type", state["floor"], state["floor"])
        return (CorpusFloors("acled_sample", "acled", sha256, 4, "published=none", (pinned,)),)

    shelling = build.event("Explosions/Remote violence", "Shelling/artillery/missile attack")
    monkeypatch.setattr("sitrep.cli.eval.load_floors", floors)
    monkeypatch.setattr("sitrep.cli.eval._extractor", lambda args: build.stub({"shelled": (shelling,)}))
    return state


def test_check_floors_passes_and_fails(sample_floors: dict[str, Any], capsys: pytest.CaptureFixture[str]) -> None:
    path = str(DATA / "acled_sample.csv")

    # One row of four has the right event type.
    assert main(["eval", "acled", path, "--check-floors", "--no-progress"]) == 1
    out = capsys.readouterr().out
    assert "floors: 1 of 1 figures below their floors (acled_sample)" in out
    assert "event_type: 0.2500 < floor 0.5000" in out

    sample_floors["floor"] = 0.25
    assert main(["eval", "acled", path, "--check-floors", "--no-progress"]) == 0
    assert "floors: all 1 figures at or above their floors" in capsys.readouterr().out

    # Without --check-floors nothing is compared.
    sample_floors["floor"] = 0.9
    assert main(["eval", "acled", path, "--no-progress"]) == 0


def test_check_floors_refuses_partial_runs_and_unknown_files(
    sample_floors: dict[str, Any], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = str(DATA / "acled_sample.csv")

    assert main(["eval", "acled", path, "--check-floors", "--limit", "2"]) == 2
    assert "error [eval.no_floors]: --check-floors compares whole files" in capsys.readouterr().err
    assert main(["eval", "acled", path, "--check-floors", "--published", "timestamp"]) == 2
    assert "error [eval.no_floors]: floors for acled_sample were measured with published=none" in (
        capsys.readouterr().err
    )
    assert main(["eval", "ucdp", str(DATA / "ucdp_sample.csv"), "--check-floors"]) == 2
    assert "error [eval.no_floors]: no ucdp floors pinned" in capsys.readouterr().err
    assert main(["eval", "acled", str(tmp_path / "absent.csv"), "--check-floors"]) == 2
    assert "error [eval.bad_file]" in capsys.readouterr().err


def test_file_sha256(tmp_path: Path) -> None:
    path = tmp_path / "x.csv"
    path.write_bytes(b"abc")
    assert file_sha256(path) == hashlib.sha256(b"abc").hexdigest()
