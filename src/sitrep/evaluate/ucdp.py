"""UCDP GED evaluation: each event's source headlines as a document, its coding as the gold.

The reader takes a UCDP GED (or Candidate) CSV export. The input text is
``source_headline``: the headlines of the articles UCDP coded the event from,
separated by ``;``. They become one document, one headline a line, duplicates
dropped, a full stop added where a headline has no closing punctuation (so
that each headline is a sentence of its own). ``source_original`` names the
original source of the information ("Ukrainian police", "MemoryBook"), not
text about the event, so it is not fed. A row whose headlines are empty or
only "-" is skipped and counted. No publication date is given.

The document's main event (first violent event, else first event) is
compared with the row; a document without events is a miss on every figure
but ``place_50km_any``. Figures:

- ``location_10km_precise``: the main event's place within 10 km of the gold
  point, over rows with ``where_prec`` 1 (the exact place is known);
  ``location_10km`` and ``location_50km`` over every row with coordinates
  (UCDP puts less precise events at the centre of their district or
  province).
- ``place_50km_any``: some place mention of the headlines lies within 50 km
  (a diagnostic: geocoding against tying the event to its place).
- ``admin1``: the main event's first-level area against ``adm_1``
  ("Donetsk oblast"), compared leniently; rows without ``adm_1`` are left out.
- ``deaths_best``: the main event's ``fatalities`` equals ``best``;
  ``deaths_range``: it lies in ``[low, high]``; ``deaths_best_max``: the
  largest ``fatalities`` of any event of the document equals ``best`` (the
  headlines of one event often repeat a rising toll). A predicted ``None``
  counts as 0, as in the ACLED evaluation.

Figures are reported over all rows, over rows whose headlines state a number
(digits or a number word) and over the rest: many UCDP rows carry only a
place name as headline ("Pisky"), from which no death toll can be read.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path

from sitrep.evaluate.event_scoring import (
    DocumentExtractor,
    EventsReport,
    Outcome,
    admin1_matches,
    format_report,
    location_km,
    main_event,
    nearest_place_km,
    parse_int,
    parse_point,
    place_label,
    predicted_admin1,
    read_gold_csv,
    run_extractor,
    summarize,
    within,
)
from sitrep.model import Event, Extraction

REQUIRED_COLUMNS: tuple[str, ...] = (
    "source_headline",
    "where_prec",
    "adm_1",
    "latitude",
    "longitude",
    "best",
    "low",
    "high",
)
LABELS: tuple[tuple[str, str], ...] = (
    ("location_10km_precise", "location <= 10 km (where_prec 1)"),
    ("location_10km", "location <= 10 km (all)"),
    ("location_50km", "location <= 50 km (all)"),
    ("place_50km_any", "  any place mention <= 50 km"),
    ("admin1", "adm_1"),
    ("deaths_best", "deaths = best (None = 0)"),
    ("deaths_range", "deaths in [low, high]"),
    ("deaths_best_max", "  largest event count = best"),
)
GROUPS: tuple[str, ...] = ("states a number", "no number")
NOTES: tuple[str, ...] = (
    "A document without events is wrong on every figure but the place diagnostic; a predicted None counts as 0 deaths.",
    '"states a number": the headlines hold digits or a number word.',
)
_NUMBER = re.compile(
    r"\b(?:\d+|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen|fifteen"
    r"|sixteen|seventeen|eighteen|nineteen|twenty|thirty|forty|fifty|dozens?|hundreds?)\b",
    re.IGNORECASE,
)

# Runs of "?" where a conversion lost non-Latin (Cyrillic) characters.
_LOST_CHARACTERS = re.compile(r"\?{3,}")


@dataclass(frozen=True)
class UcdpRow:
    row_id: str
    text: str  # the headlines, one a line
    adm_1: str | None = None
    where: str | None = None
    where_prec: int | None = None
    lat: float | None = None
    lon: float | None = None
    best: int | None = None
    low: int | None = None
    high: int | None = None

    @property
    def states_number(self) -> bool:
        return _NUMBER.search(self.text) is not None


@dataclass(frozen=True)
class UcdpFile:
    name: str
    sha256: str
    rows: tuple[UcdpRow, ...]
    quirks: tuple[tuple[str, int], ...] = ()


# ---------------------------------------------------------------- reader


def headlines_text(source_headline: str) -> str:
    """``a;b;a`` -> "a.\\nb." : one headline a line, duplicates and "-" dropped, "" when none is left."""

    lines: list[str] = []
    seen: set[str] = set()
    for part in source_headline.split(";"):
        headline = " ".join(part.split())
        if not headline or headline.strip("-–— ") == "" or headline.casefold() in seen:
            continue
        seen.add(headline.casefold())
        lines.append(headline if headline[-1] in ".!?" else headline + ".")
    return "\n".join(lines)


def read_ucdp(path: str | Path) -> UcdpFile:
    """Read a UCDP GED CSV export; rows without usable headlines are skipped and counted."""

    table = read_gold_csv(path, required=REQUIRED_COLUMNS, kind="a UCDP GED export", where="../shared/eval/ucdp/")
    rows: list[UcdpRow] = []
    quirks: dict[str, int] = {}

    def count(name: str) -> None:
        quirks[name] = quirks.get(name, 0) + 1

    for line, raw in enumerate(table.rows, start=2):
        text = headlines_text(raw.get("source_headline", ""))
        if not text:
            count("rows_without_headline")
            continue
        if _LOST_CHARACTERS.search(text):
            count("headlines_with_lost_characters")
        point = parse_point(raw.get("latitude"), raw.get("longitude"))
        if point is None:
            count("bad_coordinates")
        best, low, high = parse_int(raw.get("best")), parse_int(raw.get("low")), parse_int(raw.get("high"))
        if best is None or low is None or high is None:
            count("bad_deaths")
        rows.append(
            UcdpRow(
                row_id=raw.get("id", "").strip() or f"line {line}",
                text=text,
                adm_1=raw["adm_1"].strip() or None,
                where=" ".join(raw.get("where_description", "").split()) or None,
                where_prec=parse_int(raw.get("where_prec")),
                lat=point[0] if point else None,
                lon=point[1] if point else None,
                best=best,
                low=low,
                high=high,
            )
        )
    return UcdpFile(table.name, table.sha256, tuple(rows), tuple(sorted(quirks.items())))


# ---------------------------------------------------------------- scoring


def score_row(row: UcdpRow, extraction: Extraction | None) -> Outcome:
    """The row against its headlines' extraction (None: the extraction is missing)."""

    events = extraction.events if extraction is not None else ()
    places = extraction.places if extraction is not None else ()
    event = main_event(events)
    predicted = event.fatalities if event is not None else None
    km = location_km(row.lat, row.lon, event.location) if event is not None else None
    has_point = row.lat is not None and row.lon is not None
    checks: list[tuple[str, bool | None]] = [
        ("location_10km_precise", within(km, 10.0) if has_point and row.where_prec == 1 else None),
        ("location_10km", within(km, 10.0) if has_point else None),
        ("location_50km", within(km, 50.0) if has_point else None),
        ("place_50km_any", within(nearest_place_km(row.lat, row.lon, places), 50.0) if has_point else None),
        (
            "admin1",
            admin1_matches(row.adm_1, predicted_admin1(event.location if event else None)) if row.adm_1 else None,
        ),
        *_death_checks(row, event, events),
    ]
    return Outcome(
        row_id=row.row_id,
        groups=("states a number",) if row.states_number else ("no number",),
        checks=tuple(checks),
        text=row.text,
        has_event=event is not None,
        gold_label=f"best {row.best} [{row.low}, {row.high}]",
        predicted_label=f"{predicted} ({event.sub_event_type})" if event is not None else None,
        severity=abs((predicted or 0) - row.best) if row.best is not None else None,
        km=km,
        gold_place=f"{row.where}, {row.adm_1} ({row.lat}, {row.lon}) where_prec {row.where_prec}",
        predicted_place=place_label(event.location) if event is not None else None,
    )


def _death_checks(row: UcdpRow, event: Event | None, events: Sequence[Event]) -> list[tuple[str, bool | None]]:
    if row.best is None:
        return [("deaths_best", None), ("deaths_range", None), ("deaths_best_max", None)]
    if event is None:
        return [
            ("deaths_best", False),
            ("deaths_range", False if row.low is not None else None),
            ("deaths_best_max", False),
        ]
    predicted = event.fatalities or 0
    largest = max(e.fatalities or 0 for e in events)
    in_range = row.low <= predicted <= row.high if row.low is not None and row.high is not None else None
    return [
        ("deaths_best", predicted == row.best),
        ("deaths_range", in_range),
        ("deaths_best_max", largest == row.best),
    ]


def score(
    rows: Sequence[UcdpRow],
    extractions: Sequence[Extraction | None],
    *,
    corpus: str = "",
    sha256: str = "",
) -> EventsReport:
    """Score extractions (one per row, same order; None when missing) against the rows."""

    if len(rows) != len(extractions):
        raise ValueError(f"{len(rows)} rows but {len(extractions)} extractions")
    outcomes = [score_row(row, extraction) for row, extraction in zip(rows, extractions, strict=True)]
    report = summarize(
        outcomes, kind="ucdp", corpus=corpus, sha256=sha256, labels=LABELS, groups=GROUPS, worst_check="deaths_best"
    )
    return replace(report, notes=NOTES)


# ---------------------------------------------------------------- driver


def evaluate_ucdp(
    path: str | Path,
    extractor: DocumentExtractor,
    *,
    limit: int | None = None,
    progress: bool = True,
) -> EventsReport:
    """Run ``extractor`` over the headlines of a UCDP export (the first ``limit`` rows) and score it."""

    from sitrep.ingest import document_from_text

    gold = read_ucdp(path)
    rows = gold.rows if limit is None else gold.rows[:limit]
    documents = [
        document_from_text(row.text, source_id=f"{index}", remove_furniture=False) for index, row in enumerate(rows)
    ]
    found, seconds = run_extractor(documents, extractor, label=gold.name, progress=progress)
    extractions = [found.get(f"{index}") for index in range(len(rows))]
    report = score(rows, extractions, corpus=gold.name, sha256=gold.sha256)
    quirks = dict(gold.quirks)
    missing = sum(e is None for e in extractions)
    if missing:
        quirks["extraction_missing"] = missing
    return replace(report, quirks=tuple(sorted(quirks.items())), seconds=seconds)


__all__ = [
    "LABELS",
    "REQUIRED_COLUMNS",
    "UcdpFile",
    "UcdpRow",
    "evaluate_ucdp",
    "format_report",
    "headlines_text",
    "read_ucdp",
    "score",
    "score_row",
]
