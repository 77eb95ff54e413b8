"""Evaluation floors: the figures a change must not drop below, pinned in ``floors.json``.

``src/sitrep/evaluate/floors.json`` holds, for each evaluation file, the
sha256 of the file the figures were measured on and, per figure, the value
``measured`` and its ``floor`` (measured minus a small tolerance, so that
run-to-run noise in the last digit does not fail a check)::

    {"tolerance": 0.01,
     "corpora": {"ukraine-explosions-2022": {
         "kind": "acled", "file": "../shared/eval/acled/ukraine-explosions-2022.csv",
         "sha256": "...", "rows": 1405, "options": "published=none",
         "floors": {"event_type": {"measured": 0.9872, "floor": 0.977}, ...}}}}

Floors are looked up by the file's sha256, so a changed or different file
has no floors (``eval.no_floors``) instead of being held to figures measured
on other rows. ``tests/evaluate/test_floors.py`` checks that every floor lies
in ``[measured - 0.02, measured]``: a floor can only be lowered by also
lowering ``measured``, an explicit change to explain in its commit and in
``docs/evaluation.md``. The evaluation files are not in the repository, so the
floors are checked by ``sitrep eval acled|ucdp FILE --check-floors`` (and
``make eval``), not by the unit tests.
"""

from __future__ import annotations

import hashlib
import json
import math
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sitrep.errors import EvaluationError

FLOORS_FILE = Path(__file__).with_name("floors.json")
MAX_GAP = 0.02  # a floor may sit at most this far below its measured value


@dataclass(frozen=True)
class Floor:
    figure: str
    measured: float
    floor: float


@dataclass(frozen=True)
class CorpusFloors:
    name: str
    kind: str
    sha256: str
    rows: int | None
    options: str
    floors: tuple[Floor, ...]


@dataclass(frozen=True)
class FloorMiss:
    """A figure below its floor, or not measured at all (``value`` None)."""

    figure: str
    value: float | None
    floor: float


def load_floors(path: str | Path | None = None) -> tuple[CorpusFloors, ...]:
    """Read and check the floors file (default: the one shipped next to this module)."""

    path = Path(path) if path is not None else FLOORS_FILE
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError as exc:
        raise EvaluationError(f"{path}: no floors file", code="eval.floors_file") from exc
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise EvaluationError(f"{path}: not readable JSON ({exc})", code="eval.floors_file") from exc
    try:
        return tuple(_corpus(name, entry) for name, entry in data["corpora"].items())
    except (KeyError, TypeError, ValueError, AttributeError) as exc:
        raise EvaluationError(
            f"{path}: malformed floors file ({type(exc).__name__}: {exc})", code="eval.floors_file"
        ) from exc


def _corpus(name: str, entry: Mapping[str, Any]) -> CorpusFloors:
    sha256 = str(entry["sha256"])
    if len(sha256) != 64 or any(c not in "0123456789abcdef" for c in sha256):
        raise ValueError(f"{name}: sha256 is not 64 lower-case hex digits")
    floors = []
    for figure, values in entry["floors"].items():
        measured, floor = float(values["measured"]), float(values["floor"])
        if not (math.isfinite(measured) and math.isfinite(floor)):
            raise ValueError(f"{name}.{figure}: not a finite number")
        floors.append(Floor(str(figure), measured, floor))
    rows = entry.get("rows")
    return CorpusFloors(
        name=name,
        kind=str(entry["kind"]),
        sha256=sha256,
        rows=int(rows) if rows is not None else None,
        options=str(entry.get("options", "")),
        floors=tuple(floors),
    )


def file_sha256(path: str | Path) -> str:
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


def floors_for(sha256: str, kind: str, corpora: tuple[CorpusFloors, ...], *, options: str = "") -> CorpusFloors:
    """The floors pinned for a file with this sha256, measured with these options."""

    for corpus in corpora:
        if corpus.sha256 == sha256 and corpus.kind == kind:
            if corpus.options != options:
                raise EvaluationError(
                    f"floors for {corpus.name} were measured with {corpus.options or 'default options'}, "
                    f"not {options or 'default options'}",
                    code="eval.no_floors",
                )
            return corpus
    known = ", ".join(f"{c.name} ({c.sha256[:12]})" for c in corpora if c.kind == kind) or "none"
    raise EvaluationError(
        f"no {kind} floors pinned for a file with sha256 {sha256[:12]}... (pinned: {known}); "
        "a changed evaluation file needs new measurements in src/sitrep/evaluate/floors.json",
        code="eval.no_floors",
    )


def check_floors(figures: Mapping[str, float | None], corpus: CorpusFloors) -> tuple[FloorMiss, ...]:
    """Every pinned figure that is below its floor or missing from ``figures``."""

    misses = []
    for floor in corpus.floors:
        value = figures.get(floor.figure)
        if value is None or value < floor.floor:
            misses.append(FloorMiss(floor.figure, value, floor.floor))
    return tuple(misses)


def format_floor_check(corpus: CorpusFloors, misses: tuple[FloorMiss, ...]) -> str:
    if not misses:
        return f"floors: all {len(corpus.floors)} figures at or above their floors ({corpus.name})"
    lines = [f"floors: {len(misses)} of {len(corpus.floors)} figures below their floors ({corpus.name})"]
    for miss in misses:
        value = "not measured" if miss.value is None else f"{miss.value:.4f}"
        lines.append(f"  {miss.figure}: {value} < floor {miss.floor:.4f}")
    return "\n".join(lines)


def floor_entry(
    figures: Mapping[str, float | None],
    *,
    kind: str,
    file: str,
    sha256: str,
    rows: int,
    options: str = "",
    tolerance: float = 0.01,
) -> dict[str, Any]:
    """A ``corpora`` entry pinning these figures: measured to 4 places, floor ``tolerance`` lower (3 places, down)."""

    floors: dict[str, dict[str, float]] = {}
    for figure, value in figures.items():
        if value is None:
            continue
        measured = round(value, 4)
        floors[figure] = {"measured": measured, "floor": max(0.0, math.floor((measured - tolerance) * 1000) / 1000)}
    return {"kind": kind, "file": file, "sha256": sha256, "rows": rows, "options": options, "floors": floors}


__all__ = [
    "FLOORS_FILE",
    "MAX_GAP",
    "CorpusFloors",
    "Floor",
    "FloorMiss",
    "check_floors",
    "file_sha256",
    "floor_entry",
    "floors_for",
    "format_floor_check",
    "load_floors",
]
