"""Scoring extracted events against gold rows: what ACLED and UCDP evaluation share.

- :func:`main_event`: the one event of a document that is compared with the
  gold row: the first violent event (Battles, Explosions/Remote violence,
  Violence against civilians) in document order, else the first event; a
  document without events has none, and every event field counts as a miss.
- :func:`normalize_admin1` / :func:`admin1_matches`: lenient comparison of
  first-level area names across spellings ("Donetsk", "Donetsk oblast",
  "Donetsk Oblast"; "Kiev Special Republican city", "Kyiv City"; "Zaporizhia",
  "Zaporizhzhia Oblast").
- :func:`summarize`: per-row outcomes (a yes/no/not-applicable per figure)
  to an :class:`EventsReport` with figures per group of rows, a confusion
  table of sub-event types, per-sub-type precision/recall/F1, and the worst
  rows; :func:`format_report` prints it.
- :func:`run_extractor`: the driver's loop (``extract_many`` plus a progress
  bar on standard error).
"""

from __future__ import annotations

import csv
import hashlib
import io
import math
import re
import sys
import time
import unicodedata
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol, Self

from sitrep.errors import EvaluationError
from sitrep.evaluate.geoparsing import haversine_km
from sitrep.model import Document, Event, EventLocation, Extraction, PlaceMention

VIOLENT_TYPES: tuple[str, ...] = ("Battles", "Explosions/Remote violence", "Violence against civilians")
NO_EVENT = "(no event)"
WORST_COUNT = 15
FARTHEST_COUNT = 10
NOTE_CHARS = 150

# Words that name the kind of area rather than the area ("Donetsk Oblast", "Kiev Special Republican city").
_ADMIN1_KIND_WORDS = frozenset(
    {
        "oblast",
        "oblast'",
        "oblasti",
        "region",
        "province",
        "krai",
        "kray",
        "city",
        "special",
        "republican",
        "autonomous",
        "republic",
        "of",
        "the",
        "municipality",
        "raion",
    }
)
# Spellings of the same Ukrainian and Russian first-level areas, after the kind
# words are stripped: transliterations (Kiev/Kyiv, Odessa/Odesa), the Ukrainian
# adjective forms ISO 3166-2 uses (Volynska, Rivnenska) and renamed capitals.
_ADMIN1_SPELLINGS: dict[str, str] = {
    "kiev": "kyiv",
    "odessa": "odesa",
    "kirovograd": "kirovohrad",
    "kropyvnytskyi": "kirovohrad",
    "kirovohradska": "kirovohrad",
    "zaporizhia": "zaporizhzhia",
    "zaporizhzhya": "zaporizhzhia",
    "zaporozhye": "zaporizhzhia",
    "zaporizka": "zaporizhzhia",
    "vinnytsya": "vinnytsia",
    "vinnitsa": "vinnytsia",
    "vinnytska": "vinnytsia",
    "volynska": "volyn",
    "zakarpatska": "zakarpattia",
    "transcarpathia": "zakarpattia",
    "transcarpathian": "zakarpattia",
    "rivnenska": "rivne",
    "rovno": "rivne",
    "chernivetska": "chernivtsi",
    "lugansk": "luhansk",
    "kharkov": "kharkiv",
    "nikolaev": "mykolaiv",
    "nikolayev": "mykolaiv",
    "dnepropetrovsk": "dnipropetrovsk",
    "chernigov": "chernihiv",
    "zhitomir": "zhytomyr",
    "khmelnitsky": "khmelnytskyi",
    "khmelnytskyy": "khmelnytskyi",
    "cherkassy": "cherkasy",
    "lvov": "lviv",
    "ternopol": "ternopil",
    "ivano frankovsk": "ivano frankivsk",
    # ACLED counts the city of Sevastopol (ISO 3166-2 UA-40, a first-level
    # area of its own) under Crimea.
    "sevastopol": "crimea",
}


class DocumentExtractor(Protocol):
    """What the drivers need: ``sitrep.extract.Extractor`` satisfies it."""

    def extract_many(self, documents: list[Document]) -> Iterable[Extraction]: ...


# ---------------------------------------------------------------- reading


@dataclass(frozen=True)
class GoldTable:
    """A gold CSV file's rows as strings, with the file's name and sha256."""

    name: str
    sha256: str
    rows: tuple[dict[str, str], ...]


def read_gold_csv(path: str | Path, *, required: Sequence[str], kind: str, where: str) -> GoldTable:
    """Read a CSV export (UTF-8, optional BOM), refusing one that lacks a ``required`` column."""

    path = Path(path)
    try:
        data = path.read_bytes()
    except FileNotFoundError as exc:
        raise EvaluationError(
            f"{path}: no such file (the evaluation files live outside the project, in {where})",
            code="eval.bad_file",
        ) from exc
    except OSError as exc:
        raise EvaluationError(f"{path}: cannot be read ({exc.strerror or exc})", code="eval.bad_file") from exc
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise EvaluationError(f"{path}: not UTF-8 ({exc.reason} at byte {exc.start})", code="eval.bad_file") from exc
    try:
        reader = csv.DictReader(io.StringIO(text, newline=""))
        header = [h.strip() for h in reader.fieldnames or ()]
        missing = [column for column in required if column not in header]
        if missing:
            raise EvaluationError(
                f"{path}: not {kind} (missing columns: {', '.join(missing)})",
                code="eval.bad_file",
            )
        rows = tuple({(k or "").strip(): (v or "") for k, v in row.items() if isinstance(v, str)} for row in reader)
    except csv.Error as exc:
        raise EvaluationError(f"{path}: not readable CSV ({exc})", code="eval.bad_file") from exc
    return GoldTable(path.stem, hashlib.sha256(data).hexdigest(), rows)


def parse_float(value: str | None) -> float | None:
    try:
        number = float(value.strip()) if value is not None and value.strip() else None
    except ValueError:
        return None
    return number if number is not None and math.isfinite(number) else None


def parse_int(value: str | None) -> int | None:
    number = parse_float(value)
    return int(number) if number is not None and number == int(number) else None


def parse_point(lat: str | None, lon: str | None) -> tuple[float, float] | None:
    """Latitude and longitude, or None when either is missing or out of range."""

    y, x = parse_float(lat), parse_float(lon)
    if y is None or x is None or not (-90 <= y <= 90 and -180 <= x <= 180):
        return None
    return y, x


# ---------------------------------------------------------------- matching


def main_event(events: Sequence[Event]) -> Event | None:
    """The first violent event, else the first event, else None."""

    for event in events:
        if event.event_type in VIOLENT_TYPES:
            return event
    return events[0] if events else None


def normalize_admin1(name: str | None) -> str | None:
    """A first-level area's name reduced to a comparable key, or None when empty.

    Case, accents, apostrophes, hyphens and kind words (Oblast, Region, Krai,
    City, ...) are dropped; known alternative spellings map to one.
    """

    if name is None:
        return None
    text = unicodedata.normalize("NFKD", name)
    text = "".join(c for c in text if not unicodedata.combining(c)).casefold()
    text = re.sub(r"['’ʼ`]", "", text)
    words = [w for w in re.split(r"[\s\-_/,.()]+", text) if w and w not in _ADMIN1_KIND_WORDS]
    if not words:
        return None
    key = " ".join(words)
    return _ADMIN1_SPELLINGS.get(key, key)


def admin1_matches(gold: str | None, predicted: str | None) -> bool:
    """True when both names are given and normalise to the same key."""

    gold_key, predicted_key = normalize_admin1(gold), normalize_admin1(predicted)
    return gold_key is not None and gold_key == predicted_key


def predicted_admin1(location: EventLocation | None) -> str | None:
    """The event's first-level area: its location's ``admin1``, or the location itself when it is one."""

    if location is None:
        return None
    if location.admin1:
        return location.admin1
    if location.precision == "admin1":
        return location.name
    return None


def location_km(lat: float | None, lon: float | None, location: EventLocation | None) -> float | None:
    """Distance from the gold point to the event's location; None when either has no coordinates."""

    if lat is None or lon is None or location is None or location.lat is None or location.lon is None:
        return None
    return haversine_km(lat, lon, location.lat, location.lon)


def nearest_place_km(lat: float | None, lon: float | None, places: Sequence[PlaceMention]) -> float | None:
    """Distance from the gold point to the nearest place mention with coordinates (any status)."""

    if lat is None or lon is None:
        return None
    distances = [haversine_km(lat, lon, p.lat, p.lon) for p in places if p.lat is not None and p.lon is not None]
    return min(distances) if distances else None


def within(km: float | None, limit: float) -> bool:
    return km is not None and km <= limit


# ---------------------------------------------------------------- outcomes and reports


@dataclass(frozen=True)
class Outcome:
    """One gold row against its document's extraction.

    ``checks`` holds one ``(figure, result)`` per figure: True (right), False
    (wrong) or None (the figure does not apply to this row).
    """

    row_id: str
    groups: tuple[str, ...]
    checks: tuple[tuple[str, bool | None], ...]
    text: str
    has_event: bool = False
    gold_sub_type: str | None = None  # for the confusion table (None: the corpus has no sub-types)
    predicted_sub_type: str | None = None
    gold_label: str | None = None  # what the worst-rows list shows: gold -> predicted
    predicted_label: str | None = None
    severity: float | None = None  # orders the worst rows (default: the number of wrong figures)
    km: float | None = None
    gold_place: str | None = None
    predicted_place: str | None = None

    @property
    def wrong(self) -> int:
        return sum(result is False for _, result in self.checks)

    def check(self, name: str) -> bool | None:
        for figure, result in self.checks:
            if figure == name:
                return result
        return None


@dataclass(frozen=True)
class Figure:
    name: str
    correct: int
    total: int

    @property
    def rate(self) -> float | None:
        return self.correct / self.total if self.total else None


@dataclass(frozen=True)
class GroupFigures:
    name: str
    rows: int
    no_event: int
    figures: tuple[Figure, ...]

    def figure(self, name: str) -> Figure:
        for figure in self.figures:
            if figure.name == name:
                return figure
        raise KeyError(name)


@dataclass(frozen=True)
class SubTypeScore:
    sub_type: str
    gold: int
    predicted: int
    correct: int
    precision: float | None
    recall: float | None
    f1: float | None


@dataclass(frozen=True)
class EventsReport:
    kind: str  # "acled" | "ucdp"
    corpus: str
    sha256: str
    rows: int
    labels: tuple[tuple[str, str], ...]  # figure name -> what it measures, in print order
    groups: tuple[GroupFigures, ...]  # the first is "all"
    confusion: tuple[tuple[str, str, int], ...]  # (gold, predicted, rows), most frequent first
    sub_types: tuple[SubTypeScore, ...]
    worst: tuple[Outcome, ...]
    worst_check: str | None
    farthest: tuple[Outcome, ...]
    quirks: tuple[tuple[str, int], ...] = ()
    seconds: float | None = None
    notes: tuple[str, ...] = ()  # scoring conventions printed under the table

    def figures(self) -> dict[str, float | None]:
        """Figure name -> rate over all rows (what floors are pinned on)."""
        return {f.name: f.rate for f in self.groups[0].figures}


def summarize(
    outcomes: Sequence[Outcome],
    *,
    kind: str,
    corpus: str,
    sha256: str,
    labels: Sequence[tuple[str, str]],
    groups: Sequence[str],
    worst_check: str | None = None,
) -> EventsReport:
    """Counts per group, confusion of sub-types, worst rows (those failing ``worst_check``)."""

    names = [name for name, _ in labels]
    group_figures: list[GroupFigures] = []
    for group in ("all", *groups):
        members = [o for o in outcomes if group == "all" or group in o.groups]
        figures = []
        for name in names:
            results = [o.check(name) for o in members]
            applicable = [r for r in results if r is not None]
            figures.append(Figure(name, sum(applicable), len(applicable)))
        no_event = sum(not o.has_event for o in members)
        group_figures.append(GroupFigures(group, len(members), no_event, tuple(figures)))
    pairs: Counter[tuple[str, str]] = Counter(
        (o.gold_sub_type, o.predicted_sub_type or NO_EVENT) for o in outcomes if o.gold_sub_type is not None
    )
    confusion = tuple((g, p, n) for (g, p), n in sorted(pairs.items(), key=lambda item: (-item[1], item[0])))
    worst: tuple[Outcome, ...] = ()
    if worst_check is not None:
        failing = [o for o in outcomes if o.check(worst_check) is False]
        worst = tuple(sorted(failing, key=lambda o: -(o.wrong if o.severity is None else o.severity))[:WORST_COUNT])
    placed = [o for o in outcomes if o.km is not None]
    farthest = tuple(sorted(placed, key=lambda o: -(o.km or 0.0))[:FARTHEST_COUNT])
    return EventsReport(
        kind=kind,
        corpus=corpus,
        sha256=sha256,
        rows=len(outcomes),
        labels=tuple(labels),
        groups=tuple(group_figures),
        confusion=confusion,
        sub_types=sub_type_scores(pairs),
        worst=worst,
        worst_check=worst_check,
        farthest=farthest,
    )


def sub_type_scores(pairs: Mapping[tuple[str, str], int]) -> tuple[SubTypeScore, ...]:
    """Precision, recall and F1 of every sub-type seen in gold or predicted (no-event rows count as misses)."""

    gold: Counter[str] = Counter()
    predicted: Counter[str] = Counter()
    correct: Counter[str] = Counter()
    for (g, p), n in pairs.items():
        gold[g] += n
        if p != NO_EVENT:
            predicted[p] += n
        if g == p:
            correct[g] += n
    scores = []
    for sub_type in sorted(set(gold) | set(predicted), key=lambda s: (-gold[s], -predicted[s], s)):
        precision = correct[sub_type] / predicted[sub_type] if predicted[sub_type] else None
        recall = correct[sub_type] / gold[sub_type] if gold[sub_type] else None
        f1 = (
            2 * precision * recall / (precision + recall)
            if precision is not None and recall is not None and precision + recall > 0
            else None
        )
        scores.append(
            SubTypeScore(sub_type, gold[sub_type], predicted[sub_type], correct[sub_type], precision, recall, f1)
        )
    return tuple(scores)


# ---------------------------------------------------------------- driver loop


def run_extractor(
    documents: Sequence[Document],
    extractor: DocumentExtractor,
    *,
    label: str,
    progress: bool,
) -> tuple[dict[str, Extraction], float]:
    """Extractions by ``document.source_id``, and the seconds the extraction took."""

    started = time.perf_counter()
    extractions: dict[str, Extraction] = {}
    with progress_bar(len(documents), label, enabled=progress) as bar:
        for extraction in extractor.extract_many(list(documents)):
            if extraction.document.source_id is not None:
                extractions[extraction.document.source_id] = extraction
            bar.update(1)
    return extractions, time.perf_counter() - started


class _Bar(Protocol):
    def update(self, n: int = 1) -> object: ...
    def __enter__(self) -> Self: ...
    def __exit__(self, *args: object) -> object: ...


def progress_bar(total: int, label: str, *, enabled: bool) -> _Bar:
    from tqdm import tqdm  # type: ignore[import-untyped, unused-ignore]

    bar: _Bar = tqdm(total=total, desc=label, unit="row", file=sys.stderr, disable=not enabled)
    return bar


# ---------------------------------------------------------------- text report


def format_report(report: EventsReport) -> str:
    """A compact text table: figures per group, then confusions, sub-type scores and worst rows."""

    overall = report.groups[0]
    header = (
        f"{report.kind}  {report.corpus} (sha256 {report.sha256[:12]}): {report.rows:,} rows, "
        f"{overall.rows - overall.no_event:,} with an event, {overall.no_event:,} without"
    )
    lines = [header]
    width = max(len(label) for _, label in report.labels)
    columns = "".join(f"  {_group_title(g):>24}" for g in report.groups)
    lines.append(f"{'figure':<{width}}{columns}")
    for name, label in report.labels:
        cells = "".join(f"  {_cell(g.figure(name)):>24}" for g in report.groups)
        lines.append(f"{label:<{width}}{cells}")
    lines.append(f"{'no event found':<{width}}" + "".join(f"  {g.no_event:>24,}" for g in report.groups))
    lines.extend(f"  {note}" for note in report.notes)
    if report.seconds is not None:
        rate = report.rows / report.seconds if report.seconds > 0 else float("nan")
        lines.append(f"time  {report.seconds:.1f} s ({rate:.1f} rows/s)")
    lines.append("quirks  " + (", ".join(f"{k} {v:,}" for k, v in report.quirks) or "none"))
    if report.confusion:
        lines.append("sub-event types, gold -> predicted (rows):")
        for gold, predicted, count in report.confusion:
            mark = " " if gold == predicted else "x"
            lines.append(f"  {mark} {count:>6,}  {gold} -> {predicted}")
    if report.sub_types:
        lines.append(f"{'sub-event type':<44}  {'gold':>6}  {'pred':>6}  {'P':>5}  {'R':>5}  {'F1':>5}")
        for score in report.sub_types:
            lines.append(
                f"  {score.sub_type:<42}  {score.gold:>6,}  {score.predicted:>6,}  "
                f"{_num(score.precision):>5}  {_num(score.recall):>5}  {_num(score.f1):>5}"
            )
    if report.worst:
        lines.append(f"worst {len(report.worst)} (wrong {report.worst_check}; gold -> predicted):")
        for case in report.worst:
            lines.append(
                f"  {case.row_id}  {case.gold_label} -> {case.predicted_label or NO_EVENT}"
                f"  [{case.wrong} wrong]  {_snippet(case.text)}"
            )
    if report.farthest:
        lines.append(f"farthest {len(report.farthest)} (main event's place from the gold point):")
        for case in report.farthest:
            lines.append(
                f"  {case.row_id}  {case.km or 0.0:8.0f} km  gold {case.gold_place} | predicted {case.predicted_place}"
            )
    return "\n".join(lines)


def _group_title(group: GroupFigures) -> str:
    return f"{group.name} ({group.rows:,})"


def _cell(figure: Figure) -> str:
    if not figure.total:
        return "-"
    return f"{100 * (figure.rate or 0.0):.1f}% ({figure.correct:,}/{figure.total:,})"


def _num(value: float | None) -> str:
    return "-" if value is None else f"{value:.2f}"


def _snippet(text: str) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= NOTE_CHARS else flat[:NOTE_CHARS] + "..."


def place_label(location: EventLocation | None) -> str:
    """ "Havrylivka, Zaporizhzhia Oblast (47.07, 34.71) [point]" or "-"."""

    if location is None:
        return "-"
    where = f"{location.name}, {location.admin1}" if location.admin1 else str(location.name)
    point = (
        f" ({location.lat:.2f}, {location.lon:.2f})" if location.lat is not None and location.lon is not None else ""
    )
    return f"{where}{point} [{location.precision or location.status}]"


__all__ = [
    "NO_EVENT",
    "VIOLENT_TYPES",
    "DocumentExtractor",
    "EventsReport",
    "Figure",
    "GoldTable",
    "GroupFigures",
    "Outcome",
    "SubTypeScore",
    "admin1_matches",
    "format_report",
    "location_km",
    "main_event",
    "nearest_place_km",
    "normalize_admin1",
    "parse_float",
    "parse_int",
    "parse_point",
    "place_label",
    "predicted_admin1",
    "progress_bar",
    "read_gold_csv",
    "run_extractor",
    "sub_type_scores",
    "summarize",
    "within",
]
