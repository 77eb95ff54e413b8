"""ACLED evaluation: each row's ``notes`` as a document, its coding as the gold.

The reader takes an ACLED CSV export (the columns of ACLED's data export:
``notes``, ``event_type``, ``sub_event_type``, ``admin1``, ``location``,
``latitude``, ``longitude``, ``geo_precision``, ``event_date``,
``time_precision``, ``fatalities``, ``timestamp`` ...). Each note goes through
``document_from_text(..., remove_furniture=False)`` with no publication date
(``event_date`` is the answer, not an input); ``published="timestamp"`` gives
the row's ``timestamp`` (the day ACLED uploaded the row, usually days after the
event) as the publication date instead.

The document's main event (:func:`~sitrep.evaluate.event_scoring.main_event`:
first violent event, else first event) is compared with the row. A note
without any event is a miss on every figure. Figures:

- ``event_type``, ``sub_event_type``: exact match of ACLED's spelling.
- ``location_10km_precise``: the main event's place within 10 km of the gold
  point, over rows with ``geo_precision`` 1 (ACLED knows the exact place);
  ``location_10km``: the same over every row with coordinates. An event
  without coordinates is wrong.
- ``place_10km_any``: some place mention of the note (any event or none)
  lies within 10 km: a diagnostic that separates geocoding misses from events
  tied to the wrong place.
- ``admin1``: the main event's first-level area (its location's ``admin1``,
  or the location itself at admin-1 precision) equals the gold ``admin1``,
  compared leniently (:func:`~sitrep.evaluate.event_scoring.normalize_admin1`).
- ``date``: the main event's date interval contains ``event_date``; scored
  only where the note itself states a date (a day or a month by name).
  ``date_day``: the interval is exactly that one day.
- ``fatalities``: the main event's ``fatalities`` equals the gold count. ACLED
  writes 0 when no death is reported, where sitrep writes ``None`` (unknown):
  a predicted ``None`` is read as 0 for this comparison.

Figures are reported over all rows, over notes that say "(coded to ...)"
(ACLED placed the event at a nearby place or the area's centre, not at a place
named as where it happened) and over the rest.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Literal

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

Published = Literal["none", "timestamp"]
PUBLISHED_CHOICES: tuple[str, ...] = ("none", "timestamp")

REQUIRED_COLUMNS: tuple[str, ...] = (
    "notes",
    "event_type",
    "sub_event_type",
    "admin1",
    "latitude",
    "longitude",
    "geo_precision",
    "event_date",
    "fatalities",
)
LABELS: tuple[tuple[str, str], ...] = (
    ("event_type", "event_type"),
    ("sub_event_type", "sub_event_type"),
    ("location_10km_precise", "location <= 10 km (geo_precision 1)"),
    ("location_10km", "location <= 10 km (all)"),
    ("place_10km_any", "  any place mention <= 10 km"),
    ("admin1", "admin1"),
    ("date", "date contains event_date"),
    ("date_day", "date is exactly event_date"),
    ("fatalities", "fatalities exact (None = 0)"),
)
GROUPS: tuple[str, ...] = ("coded to", "other")
NOTES: tuple[str, ...] = (
    "A note without events is wrong on every figure. date: only where the note states a date.",
    'fatalities: ACLED writes 0 when none are reported; a predicted None counts as 0. "coded to": notes saying "(coded to".',
)
LOCATION_KM = 10.0

_MONTHS = "January|February|March|April|May|June|July|August|September|October|November|December"
_STATED_DATE = re.compile(
    rf"\b(?:\d{{1,2}}(?:st|nd|rd|th)? (?:{_MONTHS})\b|(?:{_MONTHS}) \d{{1,2}}\b|(?:{_MONTHS}),? \d{{4}}\b)"
)
_CODED_TO = "(coded to"


@dataclass(frozen=True)
class AcledRow:
    row_id: str
    notes: str
    event_type: str
    sub_event_type: str
    admin1: str | None = None
    location: str | None = None
    lat: float | None = None
    lon: float | None = None
    geo_precision: int | None = None
    event_date: date | None = None
    time_precision: int | None = None
    fatalities: int | None = None
    timestamp: int | None = None

    @property
    def coded_to(self) -> bool:
        return _CODED_TO in self.notes.lower()

    @property
    def states_date(self) -> bool:
        return _STATED_DATE.search(self.notes) is not None


@dataclass(frozen=True)
class AcledFile:
    name: str
    sha256: str
    rows: tuple[AcledRow, ...]
    quirks: tuple[tuple[str, int], ...] = ()


# ---------------------------------------------------------------- reader


def read_acled(path: str | Path) -> AcledFile:
    """Read an ACLED CSV export; rows without notes are skipped and counted."""

    table = read_gold_csv(path, required=REQUIRED_COLUMNS, kind="an ACLED export", where="../shared/eval/acled/")
    rows: list[AcledRow] = []
    quirks: dict[str, int] = {}

    def count(name: str) -> None:
        quirks[name] = quirks.get(name, 0) + 1

    for line, raw in enumerate(table.rows, start=2):
        notes = raw.get("notes", "").strip()
        if not notes:
            count("rows_without_notes")
            continue
        point = parse_point(raw.get("latitude"), raw.get("longitude"))
        if point is None:
            count("bad_coordinates")
        event_date = parse_event_date(raw.get("event_date", ""))
        if event_date is None:
            count("bad_event_date")
        fatalities = parse_int(raw.get("fatalities"))
        if fatalities is None:
            count("bad_fatalities")
        rows.append(
            AcledRow(
                row_id=raw.get("event_id_cnty", "").strip() or f"line {line}",
                notes=notes,
                event_type=raw["event_type"].strip(),
                sub_event_type=raw["sub_event_type"].strip(),
                admin1=raw["admin1"].strip() or None,
                location=raw.get("location", "").strip() or None,
                lat=point[0] if point else None,
                lon=point[1] if point else None,
                geo_precision=parse_int(raw.get("geo_precision")),
                event_date=event_date,
                time_precision=parse_int(raw.get("time_precision")),
                fatalities=fatalities,
                timestamp=parse_int(raw.get("timestamp")),
            )
        )
    return AcledFile(table.name, table.sha256, tuple(rows), tuple(sorted(quirks.items())))


def parse_event_date(value: str) -> date | None:
    """ACLED writes ``2023-01-15`` in some exports and ``15 January 2023`` in others."""

    value = value.strip()
    for layout in ("%Y-%m-%d", "%d %B %Y", "%d-%B-%Y", "%d/%m/%Y"):
        try:
            return datetime.strptime(value, layout).date()
        except ValueError:
            continue
    return None


def published_date(row: AcledRow, published: Published) -> str | None:
    """The publication date given to the extractor: none, or the upload day from ``timestamp``."""

    if published == "timestamp" and row.timestamp is not None:
        return datetime.fromtimestamp(row.timestamp, tz=UTC).date().isoformat()
    return None


# ---------------------------------------------------------------- scoring


def score_row(row: AcledRow, extraction: Extraction | None) -> Outcome:
    """The row against its note's extraction (None: the extraction is missing, all wrong)."""

    event = main_event(extraction.events) if extraction is not None else None
    places = extraction.places if extraction is not None else ()
    km = location_km(row.lat, row.lon, event.location) if event is not None else None
    has_point = row.lat is not None and row.lon is not None
    checks: list[tuple[str, bool | None]] = [
        ("event_type", event is not None and event.event_type == row.event_type),
        ("sub_event_type", event is not None and event.sub_event_type == row.sub_event_type),
        ("location_10km_precise", within(km, LOCATION_KM) if has_point and row.geo_precision == 1 else None),
        ("location_10km", within(km, LOCATION_KM) if has_point else None),
        ("place_10km_any", within(nearest_place_km(row.lat, row.lon, places), LOCATION_KM) if has_point else None),
        (
            "admin1",
            admin1_matches(row.admin1, predicted_admin1(event.location if event else None)) if row.admin1 else None,
        ),
        *_date_checks(row, event),
        ("fatalities", _fatalities_match(row.fatalities, event)),
    ]
    return Outcome(
        row_id=row.row_id,
        groups=("coded to",) if row.coded_to else ("other",),
        checks=tuple(checks),
        text=row.notes,
        has_event=event is not None,
        gold_sub_type=row.sub_event_type,
        predicted_sub_type=event.sub_event_type if event is not None else None,
        gold_label=row.sub_event_type,
        predicted_label=event.sub_event_type if event is not None else None,
        km=km,
        gold_place=f"{row.location}, {row.admin1} ({row.lat}, {row.lon}) geo_precision {row.geo_precision}",
        predicted_place=place_label(event.location) if event is not None else None,
    )


def _date_checks(row: AcledRow, event: Event | None) -> list[tuple[str, bool | None]]:
    if row.event_date is None or not row.states_date:
        return [("date", None), ("date_day", None)]
    interval = _interval(event)
    if interval is None:
        return [("date", False), ("date_day", False)]
    start, end = interval
    return [("date", start <= row.event_date <= end), ("date_day", start == end == row.event_date)]


def _interval(event: Event | None) -> tuple[date, date] | None:
    if event is None or event.date is None or not event.date.start or not event.date.end:
        return None
    try:
        return date.fromisoformat(event.date.start), date.fromisoformat(event.date.end)
    except ValueError:
        return None


def _fatalities_match(gold: int | None, event: Event | None) -> bool | None:
    if gold is None:
        return None
    if event is None:
        return False
    return (event.fatalities or 0) == gold


def score(
    rows: Sequence[AcledRow],
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
        outcomes,
        kind="acled",
        corpus=corpus,
        sha256=sha256,
        labels=LABELS,
        groups=GROUPS,
        worst_check="sub_event_type",
    )
    return replace(report, notes=NOTES)


# ---------------------------------------------------------------- driver


def evaluate_acled(
    path: str | Path,
    extractor: DocumentExtractor,
    *,
    limit: int | None = None,
    published: Published = "none",
    progress: bool = True,
) -> EventsReport:
    """Run ``extractor`` over the notes of an ACLED export (the first ``limit`` rows) and score it."""

    from sitrep.ingest import document_from_text

    gold = read_acled(path)
    rows = gold.rows if limit is None else gold.rows[:limit]
    documents = [
        document_from_text(
            row.notes,
            source_id=f"{index}",
            published_at=published_date(row, published),
            remove_furniture=False,
        )
        for index, row in enumerate(rows)
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
    "PUBLISHED_CHOICES",
    "REQUIRED_COLUMNS",
    "AcledFile",
    "AcledRow",
    "Published",
    "evaluate_acled",
    "format_report",
    "parse_event_date",
    "published_date",
    "read_acled",
    "score",
    "score_row",
]
