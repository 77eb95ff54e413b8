"""Storage speed: ingest with storage and fusion against extraction alone; incident queries on a big store.

Part 1, ingest: the news articles of ``../shared/bench/news-articles/`` are
extracted once (timed: extraction alone, the extractor's load apart), then the
same extractions go through ``Store.add`` (which also re-fuses incidents and
territorial control, one transaction per document) into a fresh SQLite file
and a fresh PostgreSQL database. Goal: storage and fusion add at most 20% to
extraction's time (store time / extraction time <= 0.20).

Part 2, queries: a synthetic store of ``--events`` event mentions (default
1,000,000; 10 a document) around 2,000 fictional settlements in Ukraine's box,
grouped into incidents of 1 to 5 mentions, is bulk-loaded into both engines
(no extraction, no fusion; executemany on SQLite, COPY on PostgreSQL) and
analysed. Then ``Store.incidents`` is timed for ``--queries`` seeded random
filters: a date range of one week to two months and a box of 0.5 to 3 degrees
a side around a settlement (a few warm-up queries first, untimed). Goal: median
under 50 ms and p95 under 200 ms on both engines, judged on the query without a
limit; the same queries with ``limit=100`` (a page of the UI or API) are
reported beside it, and the results of the first 10 are checked against a plain
SQL count (so a faster query that finds less is caught). Then ``--add-docs`` new synthetic documents (default 20)
go through ``Store.add`` into the big store one by one, in a child process
killed when one takes over ``--add-limit`` seconds: what ingest costs once the
record is large, against extraction's time a document from part 1.

PostgreSQL: a throwaway server from ``scripts/pg-test-server.sh`` with a new
database per part, dropped at the end; or ``--postgres-url`` of a server whose
user may create databases; ``--no-postgres`` runs SQLite only. Exits 0 whether
or not the goals are met; 2 when the articles or the server are missing.

Usage: python bench/store_speed.py [--limit N] [--events N] [--queries N] [--seed S]
       [--add-docs N] [--add-limit S] [--only ingest|query]
       [--postgres-url URL | --no-postgres] [--articles DIR]
"""

from __future__ import annotations

import argparse
import gc
import hashlib
import json
import multiprocessing
import os
import queue
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from bisect import bisect_left
from collections import Counter
from collections.abc import Iterator, Sequence
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from itertools import accumulate
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

# Run as a script, this folder is on sys.path: share the article loader.
from extract_speed import (
    DEFAULT_ARTICLES,
    BenchDataMissing,
    NewsArticle,
    build_documents,
    load_news_articles,
    positive_int,
)

if TYPE_CHECKING:
    from sitrep.model import Event, Extraction
    from sitrep.store import Store
    from sitrep.store.queries import IncidentQuery

SERVER_SCRIPT = Path(__file__).resolve().parents[1] / "scripts" / "pg-test-server.sh"
GOAL_OVERHEAD = 0.20
GOAL_MEDIAN_MS = 50.0
GOAL_P95_MS = 200.0
PAGE = 100  # what the UI and API page with
WARMUP = 5
CHECKED = 10  # queries whose results are counted independently

UKRAINE = (22.0, 44.0, 40.0, 52.5)  # min_lon, min_lat, max_lon, max_lat
FIRST_DAY, LAST_DAY = date(2022, 2, 24), date(2025, 12, 31)
EVENTS_PER_DOCUMENT = 10
CHUNK_DOCUMENTS = 1_000  # documents generated and loaded per transaction
SETTLEMENTS = 2_000
CITIES = 40  # settlements cluster around these
MENTIONS = (1, 2, 3, 4, 5)  # mentions per incident, mean about 2.5
MENTION_WEIGHTS = (0.25, 0.30, 0.22, 0.13, 0.10)
SUB_TYPES = (  # (event type, sub-event type, what the sentence says, weight)
    ("Explosions/Remote violence", "Shelling/artillery/missile attack", "shelled", 0.45),
    ("Explosions/Remote violence", "Air/drone strike", "struck by drones", 0.25),
    ("Battles", "Armed clash", "the scene of fighting", 0.20),
    ("Violence against civilians", "Attack", "the scene of an attack on civilians", 0.05),
    ("Explosions/Remote violence", "Remote explosive/landmine/IED", "hit by a mine blast", 0.05),
)
OUTLETS = tuple(f"Fictional Courier {n:02d}" for n in range(1, 61))
ACTOR = "Synthetic Forces of Northland"
EXTRACTOR = ("extract.events.rules.v1", "resolve.actors.table.v1")

COLUMNS: dict[str, tuple[str, ...]] = {  # load order: parents first
    "documents": (
        "id", "canonical_url", "url", "outlet", "title", "author", "published_at", "language", "content_type",
        "text", "text_sha256", "removed", "source_id", "source_path", "extractor", "ingested_at", "superseded_by",
    ),
    "sightings": ("document_id", "sighting_key", "outlet", "url", "published_at", "source_id", "seen_at"),
    "events": (
        "id", "document_id", "ordinal", "event_type", "sub_event_type", "location_name", "geonames_id",
        "country_code", "admin1", "lat", "lon", "precision", "date_start", "date_end", "fatalities", "stance",
        "claimant", "confidence", "record", "place_key",
    ),
    "incidents": (
        "id", "event_type", "sub_event_type", "place_key", "location_name", "geonames_id", "country_code",
        "admin1", "lat", "lon", "precision", "date_start", "date_end", "date_span", "deaths_low", "deaths_best",
        "deaths_high",
        "sources", "mentions", "status", "pinned", "record", "fused_at",
    ),
    "incident_members": ("event_id", "incident_id", "event_key", "reason"),
}  # fmt: skip


class BenchError(Exception):
    """The benchmark cannot run: no PostgreSQL server, say."""


# PostgreSQL ------------------------------------------------------------------------------------


@contextmanager
def postgres_server(given: str | None) -> Iterator[str]:
    """The URL of a server's base database: ``given``, else a throwaway server stopped afterwards."""
    from sitrep.store import database_url

    if given:
        yield database_url(given, data_dir=".")
        return
    folder = tempfile.mkdtemp(prefix="sitrep-pg-bench.")  # under /tmp: the server's OS user must reach it
    os.chmod(folder, 0o755)
    try:
        started = subprocess.run(
            ["bash", str(SERVER_SCRIPT), "start", folder], capture_output=True, text=True, timeout=300, check=False
        )
        lines = started.stdout.strip().splitlines()
        if started.returncode != 0 or len(lines) != 1:
            raise BenchError(f"{SERVER_SCRIPT.name} start failed: {started.stderr.strip()[-500:]}")
        yield lines[0]
    finally:
        subprocess.run(["bash", str(SERVER_SCRIPT), "stop", folder], capture_output=True, timeout=120, check=False)
        shutil.rmtree(folder, ignore_errors=True)


@contextmanager
def new_database(server_url: str, tag: str) -> Iterator[str]:
    """A new, empty database on the server (dropped afterwards); yields its URL."""
    admin = create_engine(server_url, isolation_level="AUTOCOMMIT")
    name = f"sitrep_bench_{tag}_{uuid.uuid4().hex[:8]}"
    try:
        with admin.connect() as conn:
            conn.execute(text(f'CREATE DATABASE "{name}"'))
        yield make_url(server_url).set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as conn:
            conn.execute(text("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = :n"), {"n": name})
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}"'))
        admin.dispose()


# Part 1: ingest ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Extracted:
    extractions: list[Extraction]
    load_seconds: float
    seconds: float


@dataclass(frozen=True)
class IngestRun:
    engine: str
    seconds: float
    outcomes: dict[str, int]
    counts: dict[str, int]


def extract_articles(articles: Sequence[NewsArticle], *, batch_size: int) -> Extracted:
    """Every article extracted once, as ``extract_speed`` does it; the extractor's load timed apart."""
    from sitrep.extract import Extractor
    from sitrep.settings import load_settings

    documents = build_documents(list(articles))
    started = time.perf_counter()
    extractor = Extractor.load(load_settings())
    load_seconds = time.perf_counter() - started
    started = time.perf_counter()
    extractions = list(extractor.extract_many(documents, batch_size=batch_size))
    return Extracted(extractions, load_seconds, time.perf_counter() - started)


def store_extractions(url: str, engine: str, extractions: Sequence[Extraction]) -> IngestRun:
    """``Store.add`` of every extraction into a new database, timed (migration and actor table apart)."""
    from sitrep.store import open_store

    store = open_store(url)
    try:
        store.upgrade()
        store.side_of("")  # loads the actor table once, as the extractor's load is kept out of its timing
        outcomes: Counter[str] = Counter()
        started = time.perf_counter()
        for extraction in extractions:
            outcomes[store.add(extraction).outcome] += 1
        seconds = time.perf_counter() - started
        return IngestRun(engine, seconds, dict(outcomes), store.counts())
    finally:
        store.close()


def format_ingest(extracted: Extracted, runs: Sequence[IngestRun]) -> list[str]:
    n = len(extracted.extractions)
    events = sum(len(e.events) for e in extracted.extractions)
    lines = [
        f"ingest: {n:,} articles, {events:,} events; extractor load {extracted.load_seconds:.1f} s (not counted)",
        f"  {'extraction alone':<22}{extracted.seconds:>8.1f} s  {n / extracted.seconds:>7.2f} docs/s",
    ]
    for run in runs:
        overhead = run.seconds / extracted.seconds
        combined = n / (extracted.seconds + run.seconds)
        outcomes = ", ".join(f"{k} {v}" for k, v in sorted(run.outcomes.items()))
        lines.append(
            f"  {run.engine + ' store.add':<22}{run.seconds:>8.1f} s  {n / run.seconds:>7.1f} docs/s alone; "
            f"extraction+store {combined:.2f} docs/s; overhead {overhead:.3f} "
            f"(goal <= {GOAL_OVERHEAD:.2f}) {'ok' if overhead <= GOAL_OVERHEAD else 'MISSED'}"
        )
        lines.append(f"  {'':<22}outcomes {outcomes}; stored {run.counts}")
    return lines


# Part 2: a synthetic store ---------------------------------------------------------------------


@dataclass(frozen=True)
class Settlement:
    geonames_id: int
    name: str
    admin1: str
    lat: float
    lon: float


@dataclass(frozen=True)
class Region:
    name: str
    lat: float
    lon: float


@dataclass
class Plan:
    """One incident to be: what happened, where, when, and the event slots of its mentions."""

    event_type: str
    sub_event_type: str
    phrase: str
    place: Settlement | Region | None
    date_start: str
    date_end: str
    fatalities: int | None
    actors: bool
    slots: list[int] = field(default_factory=list)


@dataclass
class Chunk:
    """Rows of one slice of the store, in the order of :data:`COLUMNS`."""

    rows: dict[str, list[tuple[Any, ...]]]

    @property
    def documents(self) -> int:
        return len(self.rows["documents"])


def regions() -> list[Region]:
    """24 fictional regions: a 6 x 4 grid over the box."""
    min_lon, min_lat, max_lon, max_lat = UKRAINE
    width, height = (max_lon - min_lon) / 6, (max_lat - min_lat) / 4
    return [
        Region(
            f"Synthetic Oblast {row * 6 + col + 1:02d}", min_lat + (row + 0.5) * height, min_lon + (col + 0.5) * width
        )
        for row in range(4)
        for col in range(6)
    ]


def region_of(lat: float, lon: float, grid: Sequence[Region]) -> Region:
    min_lon, min_lat, max_lon, max_lat = UKRAINE
    col = min(5, int((lon - min_lon) / (max_lon - min_lon) * 6))
    row = min(3, int((lat - min_lat) / (max_lat - min_lat) * 4))
    return grid[row * 6 + col]


def make_settlements(rng: random.Random, grid: Sequence[Region]) -> tuple[list[Settlement], list[float]]:
    """Fictional settlements clustered around cities, with cumulative activity weights (more in the east)."""
    min_lon, min_lat, max_lon, max_lat = UKRAINE
    cities = [(rng.uniform(min_lon + 1, max_lon - 1), rng.uniform(min_lat + 0.5, max_lat - 0.5)) for _ in range(CITIES)]
    settlements = []
    for n in range(SETTLEMENTS):
        if rng.random() < 0.7:
            lon0, lat0 = rng.choice(cities)
            lon = min(max_lon, max(min_lon, rng.gauss(lon0, 0.4)))
            lat = min(max_lat, max(min_lat, rng.gauss(lat0, 0.3)))
        else:
            lon, lat = rng.uniform(min_lon, max_lon), rng.uniform(min_lat, max_lat)
        name = f"{rng.choice(('Nova', 'Stara', 'Velyka', 'Mala', 'Zelena'))} Fictivka {n + 1}"
        settlements.append(
            Settlement(9_000_000 + n, name, region_of(lat, lon, grid).name, round(lat, 5), round(lon, 5))
        )
    ranks = list(range(1, SETTLEMENTS + 1))
    rng.shuffle(ranks)
    weights = [(3.0 if s.lon > 34 else 1.0) / rank**0.8 for s, rank in zip(settlements, ranks, strict=True)]
    return settlements, list(accumulate(weights))


def record_templates() -> tuple[dict[str, Any], dict[str, Any]]:
    """An event's and an incident's ``to_dict()`` made by the real records: every key, to fill in."""
    from sitrep.model import Event, EventDate, EventLocation, Evidence, Quantity
    from sitrep.model.incidents import ClaimRef, Figure, Incident, Member, Range

    ev = Evidence("d" * 25, 0, 1, "x")
    loc = EventLocation("x", 1, "UA", "x", None, 0.0, 0.0, "point", "resolved", ev)
    quantity = Quantity("x", 0, 1, "killed", 1, "exact", 1, 1, "people", "extract.quantities.rules.v1")
    event = Event(
        "Battles", "Armed clash", (), loc, EventDate("x", "x", "day", ev), (quantity,), 1, None, "asserted", (), ev,
        ev, 0.8, EXTRACTOR,
    )  # fmt: skip
    ref = ClaimRef("supporting", None, None, "asserted", None, "x", "d", 0, 1, "x", "x")
    member = Member(
        "d:0", "d", "x", "x", "x", "asserted", None, "x", "x", "x", 1, (Figure("killed", 1, 1, 1),), "x", 0, 1, "x"
    )
    deaths = Range(1, 1, 1, (("x", 1),))
    incident = Incident(
        "I", "Battles", "Armed clash", "gn:1", "x", 1, "UA", "x", 0.0, 0.0, "point", "x", "x", deaths,
        (("killed", deaths),), 1, ("x",), (("actor1", "x"),), (ref,), (), (member,),
    )  # fmt: skip
    return event.to_dict(), incident.to_dict()


class SyntheticStore:
    """A seeded stream of chunks: documents of 10 events, the incidents those events make, their members.

    Time runs through the chunks in order (chunk ``c`` covers the ``c``-th slice of
    2022-02-24..2025-12-31); within a chunk each incident's mentions land in random
    documents, so one incident is reported by several outlets.
    """

    def __init__(self, *, events: int, seed: int) -> None:
        self.events = events
        self.rng = random.Random(seed)
        self.grid = regions()
        self.settlements, self.cum_weights = make_settlements(self.rng, self.grid)
        self.event_template, self.incident_template = record_templates()
        self.sub_weights = list(accumulate(s[3] for s in SUB_TYPES))
        self.mention_weights = list(accumulate(MENTION_WEIGHTS))
        self.incidents = 0
        self.checked = 0
        self.fit: Fit | None = None  # how the rows met the schema, once loaded

    @property
    def chunk_count(self) -> int:
        per_chunk = CHUNK_DOCUMENTS * EVENTS_PER_DOCUMENT
        return -(-self.events // per_chunk)

    def chunks(self) -> Iterator[Chunk]:
        per_chunk = CHUNK_DOCUMENTS * EVENTS_PER_DOCUMENT
        days = (LAST_DAY - FIRST_DAY).days + 1
        for index in range(self.chunk_count):
            first = index * per_chunk
            size = min(per_chunk, self.events - first)
            day0 = index * days // self.chunk_count
            day1 = max(day0 + 1, (index + 1) * days // self.chunk_count)
            yield self.chunk(first, size, day0, day1)

    def plan(self, day0: int, day1: int) -> Plan:
        rng = self.rng
        event_type, sub_event_type, phrase, _ = SUB_TYPES[
            bisect_left(self.sub_weights, rng.random() * self.sub_weights[-1])
        ]
        draw = rng.random()
        place: Settlement | Region | None
        if draw < 0.04:
            place = None
        else:
            at = bisect_left(self.cum_weights, rng.random() * self.cum_weights[-1])
            settlement = self.settlements[min(at, SETTLEMENTS - 1)]
            place = settlement if draw >= 0.12 else region_of(settlement.lat, settlement.lon, self.grid)
        start = FIRST_DAY + timedelta(days=rng.randrange(day0, day1))
        end = start + timedelta(days=rng.randint(1, 6)) if rng.random() < 0.15 else start
        fatalities = rng.choice((1, 1, 2, 3, 4, 6, 10)) if rng.random() < 0.3 else None
        return Plan(
            event_type,
            sub_event_type,
            phrase,
            place,
            start.isoformat(),
            end.isoformat(),
            fatalities,
            rng.random() < 0.5,
        )

    def chunk(self, first_event: int, size: int, day0: int, day1: int) -> Chunk:
        rng = self.rng
        plans: list[Plan] = []
        left = size
        while left:
            plan = self.plan(day0, day1)
            k = min(left, MENTIONS[bisect_left(self.mention_weights, rng.random() * self.mention_weights[-1])])
            plan.slots = [0] * k
            plans.append(plan)
            left -= k
        slots = list(range(size))
        rng.shuffle(slots)
        where: list[tuple[Plan, int]] = [(plans[0], 0)] * size  # slot -> (plan, mention number)
        it = iter(slots)
        for plan in plans:
            for j in range(len(plan.slots)):
                plan.slots[j] = next(it)
                where[plan.slots[j]] = (plan, j)
        first_doc = first_event // EVENTS_PER_DOCUMENT
        rows: dict[str, list[tuple[Any, ...]]] = {name: [] for name in COLUMNS}
        mentions: dict[int, dict[str, Any]] = {}  # slot -> what the incident needs of its mention
        for d in range(0, size, EVENTS_PER_DOCUMENT):
            on_doc = [where[s] for s in range(d, min(size, d + EVENTS_PER_DOCUMENT))]
            self.document(first_doc + d // EVENTS_PER_DOCUMENT, first_event + d, d, on_doc, rows, mentions)
        for plan in plans:
            self.incident(plan, [mentions[s] for s in plan.slots], rows)
        return Chunk(rows)

    def document(
        self,
        number: int,
        first_id: int,
        first_slot: int,
        on_doc: list[tuple[Plan, int]],
        rows: dict[str, list[tuple[Any, ...]]],
        mentions: dict[int, dict[str, Any]],
    ) -> None:
        """One document: its text made of its events' sentences, its sighting and its event rows."""
        outlet = self.rng.choice(OUTLETS)
        head = f"Synthetic report {number + 1}.\n"
        sentences = [sentence(plan, outlet) for plan, _ in on_doc]
        starts, at = [], len(head)
        for s in sentences:
            starts.append(at)
            at += len(s) + 1
        body = head + " ".join(sentences)
        digest = hashlib.sha256(body.encode()).hexdigest()
        doc_id = digest[:25]
        published = max(plan.date_end for plan, _ in on_doc)
        published_at = f"{date.fromisoformat(published) + timedelta(days=1)}T{6 + number % 14:02d}:00:00+00:00"
        source_id = f"synthetic-{number + 1:07d}.txt"
        rows["documents"].append(
            (doc_id, None, None, outlet, f"Synthetic report {number + 1}", None, published_at, "en", "text", body,
             digest, "[]", source_id, None, json.dumps(list(EXTRACTOR)), published_at, None)
        )  # fmt: skip
        rows["sightings"].append((doc_id, f"outlet:{outlet}", outlet, None, published_at, source_id, published_at))
        for ordinal, ((plan, _), quote, start) in enumerate(zip(on_doc, sentences, starts, strict=True)):
            record = self.event_record(plan, doc_id, quote, start)
            place = plan.place
            lat = place.lat if place else None
            lon = place.lon if place else None
            rows["events"].append(
                (first_id + ordinal + 1, doc_id, ordinal, plan.event_type, plan.sub_event_type,
                 place.name if place else None, place.geonames_id if isinstance(place, Settlement) else None,
                 "UA" if place else None, admin1_of(place), lat, lon, precision_of(place), plan.date_start,
                 plan.date_end, plan.fatalities, "asserted", None, 0.8, json.dumps(record), place_key_of(place))
            )  # fmt: skip
            mentions[first_slot + ordinal] = {
                "event_id": first_id + ordinal + 1,
                "key": f"{doc_id}:{ordinal}",
                "document_id": doc_id,
                "outlet": outlet,
                "quote": quote,
                "start": start,
                "end": start + len(quote),
                "published": published_at[:10],
            }

    def event_record(self, plan: Plan, doc_id: str, quote: str, start: int) -> dict[str, Any]:
        """The event's ``Event.to_dict()``: the template's keys, this mention's values and offsets."""
        t = self.event_template

        def evidence(part: str) -> dict[str, Any]:
            at = start + quote.index(part)
            return {"document_id": doc_id, "start": at, "end": at + len(part), "quote": part}

        place = plan.place
        location = None
        if place is not None:
            location = {
                **t["location"],
                "name": place.name,
                "geonames_id": place.geonames_id if isinstance(place, Settlement) else None,
                "admin1": admin1_of(place),
                "lat": place.lat,
                "lon": place.lon,
                "precision": precision_of(place),
                "evidence": evidence(place.name),
            }
        when = date_text(plan)
        record = {
            **t,
            "event_type": plan.event_type,
            "sub_event_type": plan.sub_event_type,
            "actors": [],
            "location": location,
            "date": {
                "start": plan.date_start,
                "end": plan.date_end,
                "precision": "day" if plan.date_start == plan.date_end else "days",
                "evidence": evidence(when),
            },
            "quantities": [],
            "fatalities": plan.fatalities,
            "evidence": {"document_id": doc_id, "start": start, "end": start + len(quote), "quote": quote},
            "trigger": evidence(plan.phrase),
        }
        if plan.fatalities is not None:
            killed = f"{plan.fatalities} people"
            at = evidence(killed)
            n = plan.fatalities
            record["quantities"] = [
                {
                    **t["quantities"][0],
                    "text": killed,
                    "start": at["start"],
                    "end": at["end"],
                    "value": n,
                    "low": n,
                    "high": n,
                }
            ]
        if self.checked < 1:  # the first record of the run: the same keys as the real one
            check_keys(record, t)
        return record

    def incident(self, plan: Plan, members: list[dict[str, Any]], rows: dict[str, list[tuple[Any, ...]]]) -> None:
        """The incident its mentions make, as fusion would write it, and its member rows."""
        members = sorted(members, key=lambda m: m["key"])
        ident = "I" + hashlib.sha256(members[0]["key"].encode()).hexdigest()[:15]
        place = plan.place
        by_origin: dict[str, int] = {}
        if plan.fatalities is not None:
            for m in members:
                by_origin.setdefault(m["outlet"], plan.fatalities)
        values = sorted(by_origin.values())
        deaths = (
            {"low": values[0], "best": statistics.median_low(values), "high": values[-1],
             "by_source": [[o, v] for o, v in sorted(by_origin.items())]}
            if values else None
        )  # fmt: skip
        origins = sorted({m["outlet"] for m in members})
        when = plan.date_start if plan.date_start == plan.date_end else f"{plan.date_start}..{plan.date_end}"
        where = f"same place ({place.name})" if place else "no place"
        reasons = ["first mention of the incident (smallest key)"] + [
            f"{plan.sub_event_type}; {where}; dates overlap ({when}); actors agree"
        ] * (len(members) - 1)
        figures = [] if plan.fatalities is None else [{"kind": "killed", "value": plan.fatalities,
                                                      "low": plan.fatalities, "high": plan.fatalities}]  # fmt: skip
        owners = list(dict.fromkeys(f"{m['outlet']} (own reporting)" for m in members))
        record = {
            **self.incident_template,
            "id": ident,
            "event_type": plan.event_type,
            "sub_event_type": plan.sub_event_type,
            "place_key": place_key_of(place),
            "location_name": place.name if place else None,
            "geonames_id": place.geonames_id if isinstance(place, Settlement) else None,
            "country_code": "UA" if place else None,
            "admin1": admin1_of(place),
            "lat": place.lat if place else None,
            "lon": place.lon if place else None,
            "precision": precision_of(place),
            "date_start": plan.date_start,
            "date_end": plan.date_end,
            "deaths": deaths,
            "figures": {"killed": deaths} if deaths else {},
            "sources": len(origins),
            "origins": origins,
            "actors": [{"role": "actor1", "name": ACTOR}] if plan.actors else [],
            "supporting": [
                {"side": "supporting", "claimant": None, "claimant_kind": None, "stance": "asserted", "verb": None,
                 "outlet": m["outlet"], "document_id": m["document_id"], "start": m["start"], "end": m["end"],
                 "quote": m["quote"], "date": m["published"]}
                for m in members
            ],
            "disputing": [],
            "members": [
                {"key": m["key"], "document_id": m["document_id"], "origin": m["outlet"], "outlet": m["outlet"],
                 "sub_event_type": plan.sub_event_type, "stance": "asserted", "claimant": None,
                 "date_start": plan.date_start, "date_end": plan.date_end, "place_name": place.name if place else None,
                 "fatalities": plan.fatalities, "figures": figures, "quote": m["quote"], "start": m["start"],
                 "end": m["end"], "reason": reason}
                for m, reason in zip(members, reasons, strict=True)
            ],
            "pinned": False,
            "status": "provisional",
            "summary": f"reported by {', '.join(owners)}",
        }  # fmt: skip
        if self.checked < 50:  # the first records of the run: the real records' round trip
            check_incident(record)
            self.checked += 1
        self.incidents += 1
        rows["incidents"].append(
            (ident, plan.event_type, plan.sub_event_type, record["place_key"], record["location_name"],
             record["geonames_id"], record["country_code"], record["admin1"], record["lat"], record["lon"],
             record["precision"], plan.date_start, plan.date_end,
             (date.fromisoformat(plan.date_end) - date.fromisoformat(plan.date_start)).days,
             values[0] if values else None,
             deaths["best"] if deaths else None, values[-1] if values else None, len(origins), len(members),
             "provisional", False, json.dumps(record), "2026-01-01T00:00:00+00:00")
        )  # fmt: skip
        rows["incident_members"].extend(
            (m["event_id"], ident, m["key"], reason) for m, reason in zip(members, reasons, strict=True)
        )


def sentence(plan: Plan, outlet: str) -> str:
    where = plan.place.name if plan.place else "An unnamed village"
    killed = f"; {plan.fatalities} people were killed." if plan.fatalities is not None else "."
    return f"{where} was {plan.phrase} {date_text(plan)}, {outlet} reported{killed}"


def date_text(plan: Plan) -> str:
    if plan.date_start == plan.date_end:
        return f"on {plan.date_start}"
    return f"between {plan.date_start} and {plan.date_end}"


def admin1_of(place: Settlement | Region | None) -> str | None:
    if place is None:
        return None
    return place.admin1 if isinstance(place, Settlement) else place.name


def precision_of(place: Settlement | Region | None) -> str | None:
    if place is None:
        return None
    return "point" if isinstance(place, Settlement) else "admin1"


def place_key_of(place: Settlement | Region | None) -> str | None:
    if place is None:
        return None
    return f"gn:{place.geonames_id}" if isinstance(place, Settlement) else f"adm1:UA:{place.name}"


def check_keys(made: Any, real: Any, path: str = "record") -> None:
    """``made`` has the keys ``real`` has, all the way down (where ``real`` has a value to compare)."""
    if isinstance(real, dict) and isinstance(made, dict):
        if set(made) != set(real):
            raise BenchError(f"synthetic {path} has keys {sorted(made)}, the real record {sorted(real)}")
        for key, value in real.items():
            check_keys(made[key], value, f"{path}.{key}")
    elif isinstance(real, list) and isinstance(made, list) and real and made:
        check_keys(made[0], real[0], f"{path}[0]")


def check_incident(record: dict[str, Any]) -> None:
    """The synthetic record is one that ``incident_from_dict`` reads and ``to_dict`` writes back unchanged."""
    from sitrep.model.incidents import incident_from_dict

    again = incident_from_dict(record).to_dict()
    if again != record:
        diff = sorted(k for k in record if again.get(k) != record[k])
        raise BenchError(f"synthetic incident {record['id']} does not round-trip: {diff}")


# Loading --------------------------------------------------------------------------------------


class Loader:
    """Bulk rows into one engine's migrated store; ``finish`` analyses it and says its size in bytes."""

    def __init__(self, store: Store, columns: dict[str, tuple[str, ...]]) -> None:
        self.store = store
        self.columns = columns
        self.raw = store.engine.raw_connection()
        self.db: Any = self.raw.driver_connection
        self.seconds = 0.0

    def load(self, chunk: Chunk) -> None:
        started = time.perf_counter()
        self._load(chunk)
        self.seconds += time.perf_counter() - started

    def finish(self) -> int:
        started = time.perf_counter()
        size = self._finish()
        self.raw.close()
        self.seconds += time.perf_counter() - started
        return size

    def _load(self, chunk: Chunk) -> None:
        raise NotImplementedError

    def _finish(self) -> int:
        raise NotImplementedError


class SqliteLoader(Loader):
    def __init__(self, store: Store, columns: dict[str, tuple[str, ...]]) -> None:
        super().__init__(store, columns)
        self.db.execute("PRAGMA synchronous=OFF")  # a benchmark file: nothing to lose
        self.db.execute("PRAGMA cache_size=-262144")  # 256 MiB while loading
        self.sql = {
            t: f"INSERT INTO {t} ({quoted(cols)}) VALUES ({', '.join('?' * len(cols))})" for t, cols in columns.items()
        }

    def _load(self, chunk: Chunk) -> None:
        self.db.execute("BEGIN")
        for table, rows in chunk.rows.items():
            self.db.executemany(self.sql[table], rows)
        self.db.execute("COMMIT")

    def _finish(self) -> int:
        self.db.execute("ANALYZE")
        self.db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        self.db.execute("PRAGMA synchronous=NORMAL")
        self.db.execute("PRAGMA cache_size=-2000")  # back to the default for the queries
        path = Path(self.store.engine.url.database or "")
        return sum(p.stat().st_size for p in (path, Path(f"{path}-wal")) if p.exists())


class PostgresLoader(Loader):
    def _load(self, chunk: Chunk) -> None:
        with self.db.cursor() as cursor:
            for table, rows in chunk.rows.items():
                with cursor.copy(f"COPY {table} ({quoted(self.columns[table])}) FROM STDIN") as copy:
                    for row in rows:
                        copy.write_row(row)
        self.db.commit()

    def _finish(self) -> int:
        with self.db.cursor() as cursor:
            cursor.execute("SELECT setval(pg_get_serial_sequence('events', 'id'), (SELECT max(id) FROM events))")
        self.db.commit()
        self.db.autocommit = True
        with self.db.cursor() as cursor:
            cursor.execute("VACUUM (ANALYZE)")
            cursor.execute("SELECT pg_database_size(current_database())")
            size = int(cursor.fetchone()[0])
        self.db.autocommit = False
        return size


def quoted(columns: Sequence[str]) -> str:
    return ", ".join(f'"{c}"' for c in columns)


@dataclass(frozen=True)
class Fit:
    """How the bench's rows meet the schema of this checkout (which may have moved on)."""

    columns: dict[str, tuple[str, ...]]  # what is written, per table
    keep: dict[str, tuple[int, ...] | None]  # positions kept of the bench's rows; None: all
    left_null: list[str]  # the schema's columns the bench does not fill
    dropped: list[str]  # the bench's columns the schema no longer has

    def project(self, chunk: Chunk) -> Chunk:
        rows = chunk.rows
        for table, keep in self.keep.items():
            if keep is not None:
                rows[table] = [tuple(row[i] for i in keep) for row in rows[table]]
        return chunk


def fit_schema() -> Fit:
    """Check the sub-event types are real and that every column the rows leave out may be NULL or has a default."""
    from sitrep.model.taxonomy import lookup
    from sitrep.store import schema

    for event_type, sub_event_type, _, _ in SUB_TYPES:
        lookup(event_type, sub_event_type)
    fit = Fit({}, {}, [], [])
    for table, columns in COLUMNS.items():
        real = schema.metadata.tables[table].columns
        names = {c.name for c in real}
        required = [
            c.name
            for c in real
            if c.name not in columns and not (c.nullable or c.autoincrement is True or c.server_default is not None)
        ]
        if required:
            raise BenchError(f"the bench does not fill {table}.{', '.join(required)}, which may not be NULL")
        kept = tuple(i for i, name in enumerate(columns) if name in names)
        fit.columns[table] = tuple(columns[i] for i in kept)
        fit.keep[table] = None if len(kept) == len(columns) else kept
        fit.left_null.extend(f"{table}.{c.name}" for c in real if c.name not in columns and c.name != "id")
        fit.dropped.extend(f"{table}.{name}" for name in columns if name not in names)
    return fit


@dataclass(frozen=True)
class Built:
    engine: str
    seconds: float
    size: int


def build_stores(stores: dict[str, Store], *, events: int, seed: int) -> tuple[SyntheticStore, float, list[Built]]:
    """Generate the synthetic store once and load each chunk into every engine; returns the generation time."""
    fit = fit_schema()
    synthetic = SyntheticStore(events=events, seed=seed)
    synthetic.fit = fit
    loaders: dict[str, Loader] = {
        name: SqliteLoader(store, fit.columns) if store.dialect == "sqlite" else PostgresLoader(store, fit.columns)
        for name, store in stores.items()
    }
    generating = 0.0
    chunks = synthetic.chunks()
    for number in range(synthetic.chunk_count):
        started = time.perf_counter()
        chunk = fit.project(next(chunks))
        generating += time.perf_counter() - started
        for loader in loaders.values():
            loader.load(chunk)
        if (number + 1) % 10 == 0 or number + 1 == synthetic.chunk_count:
            spent = ", ".join(f"{n} {loader.seconds:.0f} s" for n, loader in loaders.items())
            print(
                f"  built {number + 1}/{synthetic.chunk_count} chunks: generating {generating:.0f} s, {spent}",
                file=sys.stderr,
                flush=True,
            )
    sizes = {name: loader.finish() for name, loader in loaders.items()}  # analysing counts as building
    built = [Built(name, loader.seconds, sizes[name]) for name, loader in loaders.items()]
    return synthetic, generating, built


# Queries -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Latency:
    engine: str
    limit: int | None
    millis: tuple[float, ...]
    rows: tuple[int, ...]

    @property
    def median(self) -> float:
        return statistics.median(self.millis)

    @property
    def p95(self) -> float:
        return statistics.quantiles(self.millis, n=100, method="inclusive")[94]

    @property
    def met(self) -> bool:
        return self.median < GOAL_MEDIAN_MS and self.p95 < GOAL_P95_MS


def random_queries(settlements: Sequence[Settlement], *, count: int, seed: int) -> list[IncidentQuery]:
    """Seeded filters: one week to two months, a box of 0.5 to 3 degrees a side around a settlement."""
    from sitrep.store.queries import IncidentQuery

    rng = random.Random(seed)
    days = (LAST_DAY - FIRST_DAY).days
    out = []
    for _ in range(count):
        span = rng.randint(7, 61)
        since = FIRST_DAY + timedelta(days=rng.randint(0, days - span))
        at = rng.choice(settlements)
        width, height = rng.uniform(0.5, 3.0), rng.uniform(0.5, 3.0)
        bbox = (at.lon - width / 2, at.lat - height / 2, at.lon + width / 2, at.lat + height / 2)
        out.append(IncidentQuery(since=since.isoformat(), until=(since + timedelta(days=span)).isoformat(), bbox=bbox))
    return out


def time_queries(store: Store, queries: Sequence[IncidentQuery], *, engine: str, limit: int | None) -> Latency:
    """``Store.incidents`` for each query, end to end (SQL, JSON, records); a few untimed first."""
    queries = [replace(q, limit=limit) for q in queries]
    for query in queries[:WARMUP]:
        store.incidents(query)
    millis, rows = [], []
    for query in queries:
        started = time.perf_counter()
        found = store.incidents(query)
        millis.append((time.perf_counter() - started) * 1000)
        rows.append(len(found))
    return Latency(engine, limit, tuple(millis), tuple(rows))


def check_counts(store: Store, queries: Sequence[IncidentQuery]) -> list[str]:
    """Each query's incidents counted independently (the filter's meaning in plain SQL); the disagreements."""
    sql = text(
        "SELECT count(*) FROM incidents WHERE date_start <= :until AND coalesce(date_end, date_start) >= :since "
        "AND lat BETWEEN :min_lat AND :max_lat AND lon BETWEEN :min_lon AND :max_lon"
    )
    wrong = []
    with store.engine.connect() as conn:
        for query in queries:
            if query.bbox is None:
                continue
            min_lon, min_lat, max_lon, max_lat = query.bbox
            box = {"min_lon": min_lon, "min_lat": min_lat, "max_lon": max_lon, "max_lat": max_lat}
            expected = conn.execute(sql, {"since": query.since, "until": query.until, **box}).scalar_one()
            found = len(store.incidents(query))
            if found != expected:
                wrong.append(f"{query.since}..{query.until} {query.bbox}: {found} incidents, {expected} by count")
    return wrong


def parse_cost_us(store: Store, sample: int = 1000) -> float:
    """Microseconds to turn one stored record (JSON text) into an ``Incident``, best of 3: the Python share."""
    from sqlalchemy import select

    from sitrep.model.incidents import incident_from_dict
    from sitrep.store.schema import incidents

    with store.engine.connect() as conn:
        texts = [json.dumps(r) for r in conn.execute(select(incidents.c.record).limit(sample)).scalars()]
    passes = []
    for _ in range(3):
        started = time.perf_counter()
        for raw in texts:
            replace(incident_from_dict(json.loads(raw)), status="provisional")
        passes.append(time.perf_counter() - started)
    return min(passes) / len(texts) * 1e6


def format_query_part(
    synthetic: SyntheticStore,
    generating: float,
    built: Sequence[Built],
    latencies: Sequence[Latency],
    parse_us: float,
    queries: int,
) -> list[str]:
    docs = -(-synthetic.events // EVENTS_PER_DOCUMENT)
    lines = [
        f"queries: synthetic store of {synthetic.events:,} events, {docs:,} documents, {synthetic.incidents:,} "
        f"incidents, {SETTLEMENTS:,} settlements; generated in {generating:.0f} s (shared by the engines)",
    ]
    for b in built:
        lines.append(f"  {b.engine:<11} built in {b.seconds:.0f} s (bulk load + analyse), {b.size / 1e9:.2f} GB")
    if synthetic.fit and synthetic.fit.left_null:
        lines.append(f"  left NULL (columns the bench does not fill): {', '.join(synthetic.fit.left_null)}")
    if synthetic.fit and synthetic.fit.dropped:
        lines.append(f"  not written (not in this schema): {', '.join(synthetic.fit.dropped)}")
    lines.append(
        f"  {queries} queries (date range 7-61 days, box 0.5-3 degrees a side), end to end through Store.incidents"
    )
    for lat in latencies:
        label = "no limit" if lat.limit is None else f"limit={lat.limit}"
        parsing = parse_us * statistics.median(lat.rows) / 1000
        lines.append(
            f"  {lat.engine:<11}{label:<10} median {lat.median:7.1f} ms  p95 {lat.p95:7.1f} ms  "
            f"max {max(lat.millis):7.1f} ms  incidents median {statistics.median(lat.rows):>6.0f} "
            f"max {max(lat.rows):>6}  (parsing records ~{parsing:.1f} ms of the median)"
        )
    lines.append(f"  goal: median < {GOAL_MEDIAN_MS:.0f} ms and p95 < {GOAL_P95_MS:.0f} ms on every engine")
    for engine in dict.fromkeys(lat.engine for lat in latencies):
        full = next(lat for lat in latencies if lat.engine == engine and lat.limit is None)
        paged = next(lat for lat in latencies if lat.engine == engine and lat.limit is not None)
        if full.met:
            verdict = "ok (judged on the query without a limit)"
        elif paged.met:
            verdict = f"MISSED without a limit; met with limit={paged.limit}"
        else:
            verdict = f"MISSED without a limit and with limit={paged.limit}"
        lines.append(f"  {engine:<11}{verdict}")
    return lines


# Ingest into the big store ----------------------------------------------------------------------


@dataclass(frozen=True)
class BigAdds:
    engine: str
    seconds: tuple[float, ...]
    timed_out: bool


def late_extractions(synthetic: SyntheticStore, count: int) -> list[Extraction]:
    """``count`` new documents like the stored ones (10 events each, random two weeks), as extractions."""
    from sitrep.ingest import document_from_text
    from sitrep.model import Extraction

    days = (LAST_DAY - FIRST_DAY).days
    out = []
    for n in range(count):
        day0 = synthetic.rng.randrange(days - 14)
        plans = [synthetic.plan(day0, day0 + 14) for _ in range(EVENTS_PER_DOCUMENT)]
        outlet = synthetic.rng.choice(OUTLETS)
        sentences = [sentence(plan, outlet) for plan in plans]
        doc = document_from_text(
            f"Synthetic late report {n + 1}.\n" + " ".join(sentences),
            published_at=f"{max(p.date_end for p in plans)}T12:00:00+00:00",
            outlet=outlet,
            source_id=f"synthetic-late-{n + 1:04d}.txt",
            remove_furniture=False,
        )
        events = tuple(
            synthetic_event(plan, doc.id, doc.text, quote) for plan, quote in zip(plans, sentences, strict=True)
        )
        out.append(Extraction(doc, events=events, extractor=EXTRACTOR))
    return out


def synthetic_event(plan: Plan, doc_id: str, text: str, quote: str) -> Event:
    """The event a plan's sentence reports, with evidence offsets into the document's text."""
    from sitrep.model import Event, EventDate, EventLocation, Evidence

    start = text.index(quote)

    def evidence(part: str) -> Evidence:
        at = start + quote.index(part)
        return Evidence(doc_id, at, at + len(part), part)

    place = plan.place
    location = None
    if place is not None:
        gid = place.geonames_id if isinstance(place, Settlement) else None
        where = (place.name, gid, "UA", admin1_of(place), None, place.lat, place.lon, precision_of(place))
        location = EventLocation(*where, "resolved", evidence(place.name))
    precision = "day" if plan.date_start == plan.date_end else "days"
    when = EventDate(plan.date_start, plan.date_end, precision, evidence(date_text(plan)))
    what = (plan.event_type, plan.sub_event_type, (), location, when, (), plan.fatalities, None, "asserted", ())
    return Event(*what, evidence(quote), evidence(plan.phrase), 0.8, EXTRACTOR)


def add_one_by_one(url: str, extractions: list[Extraction], report: Any) -> None:
    """In a child process: ``Store.add`` each extraction, putting its seconds on ``report`` ("ready" first)."""
    from sitrep.store import open_store

    store = open_store(url)
    store.side_of("")  # the actor table, loaded before the clock starts
    report.put("ready")
    for extraction in extractions:
        started = time.perf_counter()
        store.add(extraction)
        report.put(time.perf_counter() - started)
    store.close()


def time_big_adds(url: str, engine: str, extractions: Sequence[Extraction], *, limit_s: int) -> BigAdds:
    """``Store.add`` of each extraction into the big store, in a child process that is killed (its
    transaction lost, nothing else) when one document takes more than ``limit_s`` seconds."""
    context = multiprocessing.get_context("spawn")
    report = context.Queue()
    child = context.Process(target=add_one_by_one, args=(url, list(extractions), report), daemon=True)
    child.start()
    seconds: list[float] = []
    try:
        if report.get(timeout=120) != "ready":
            raise BenchError("the add worker did not start")
        for _ in extractions:
            waited = 0.0
            while True:
                try:
                    seconds.append(report.get(timeout=1))
                    break
                except queue.Empty:
                    waited += 1
                    if not child.is_alive():
                        raise BenchError(f"the add worker on {engine} died (exit {child.exitcode})") from None
                    if waited >= limit_s:
                        return BigAdds(engine, tuple(seconds), timed_out=True)
    finally:
        if child.is_alive():
            child.terminate()
        child.join()
    return BigAdds(engine, tuple(seconds), timed_out=False)


def format_big_adds(adds: Sequence[BigAdds], *, asked: int, limit_s: int, extract_per_doc: float | None) -> list[str]:
    lines = [f"  store.add of {asked} new synthetic documents (10 events each) into the big store, one by one:"]
    for add in adds:
        if not add.seconds:
            lines.append(f"  {add.engine:<11}the first document took over {limit_s} s: stopped")
            continue
        per_doc = statistics.median(add.seconds)
        note = f"; stopped: document {len(add.seconds) + 1} took over {limit_s} s" if add.timed_out else ""
        ratio = ""
        if extract_per_doc:
            overhead = sum(add.seconds) / len(add.seconds) / extract_per_doc
            ratio = (
                f"; mean / extraction's time a document {overhead:.2f} (goal <= {GOAL_OVERHEAD:.2f}) "
                f"{'ok' if overhead <= GOAL_OVERHEAD and not add.timed_out else 'MISSED'}"
            )
        lines.append(
            f"  {add.engine:<11}{len(add.seconds)} added: median {per_doc * 1000:.0f} ms, max "
            f"{max(add.seconds) * 1000:.0f} ms a document{ratio}{note}"
        )
    return lines


# Running --------------------------------------------------------------------------------------


def run_ingest(articles: Sequence[NewsArticle], server: str | None, workdir: Path, *, batch_size: int) -> float:
    """The ingest part, printed; returns extraction's seconds a document."""
    print(f"extracting {len(articles)} articles ...", file=sys.stderr, flush=True)
    extracted = extract_articles(articles, batch_size=batch_size)
    runs = [store_extractions(f"sqlite:///{workdir / 'ingest.sqlite3'}", "sqlite", extracted.extractions)]
    if server is not None:
        with new_database(server, "ingest") as url:
            runs.append(store_extractions(url, "postgresql", extracted.extractions))
    print("\n".join(format_ingest(extracted, runs)), flush=True)
    return extracted.seconds / len(extracted.extractions)


@dataclass(frozen=True)
class QueryOptions:
    events: int
    queries: int
    seed: int
    add_docs: int
    add_limit_s: int


def run_queries(server: str | None, workdir: Path, options: QueryOptions, extract_per_doc: float | None) -> None:
    """The query part (and the adds into the big store), printed as each is done."""
    from sitrep.store import open_store

    with ExitStack() as stack:
        urls = {"sqlite": f"sqlite:///{workdir / 'synthetic.sqlite3'}"}
        if server is not None:
            urls["postgresql"] = stack.enter_context(new_database(server, "query"))
        stores = {name: open_store(url) for name, url in urls.items()}
        for store in stores.values():
            stack.callback(store.close)
            store.upgrade()
        print(f"building a synthetic store of {options.events:,} events ...", file=sys.stderr, flush=True)
        synthetic, generating, built = build_stores(stores, events=options.events, seed=options.seed)
        queries = random_queries(synthetic.settlements, count=options.queries, seed=options.seed + 1)
        gc.collect()
        gc.freeze()  # what part 1 left (the spaCy pipeline stays cached) is not the query's garbage to scan
        latencies = []
        for name, store in stores.items():
            print(f"timing {options.queries} queries on {name} ...", file=sys.stderr, flush=True)
            latencies.append(time_queries(store, queries, engine=name, limit=None))
            latencies.append(time_queries(store, queries, engine=name, limit=PAGE))
        parse_us = parse_cost_us(next(iter(stores.values())))
        lines = format_query_part(synthetic, generating, built, latencies, parse_us, options.queries)
        for name, store in stores.items():
            wrong = check_counts(store, queries[:CHECKED])
            verdict = "all agree" if not wrong else f"{len(wrong)} DISAGREE: " + "; ".join(wrong[:3])
            lines.append(f"  {name:<11}results of {CHECKED} queries against a plain count: {verdict}")
        print("\n".join(lines), flush=True)
        if options.add_docs:
            late = late_extractions(synthetic, options.add_docs)
            adds = []
            for name, url in urls.items():
                print(f"adding {len(late)} documents to the big {name} store ...", file=sys.stderr, flush=True)
                adds.append(time_big_adds(url, name, late, limit_s=options.add_limit_s))
            lines = format_big_adds(adds, asked=len(late), limit_s=options.add_limit_s, extract_per_doc=extract_per_doc)
            print("\n".join(lines), flush=True)


def non_negative_int(raw: str) -> int:
    return 0 if raw.strip() == "0" else positive_int(raw)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--articles", type=Path, default=DEFAULT_ARTICLES, help="article folder")
    parser.add_argument("--limit", type=positive_int, default=None, help="first N articles")
    parser.add_argument("--batch-size", type=positive_int, default=16, help="texts a batch for extraction")
    parser.add_argument("--events", type=positive_int, default=1_000_000, help="events in the synthetic store")
    parser.add_argument("--queries", type=positive_int, default=200, help="queries timed per engine")
    parser.add_argument("--seed", type=int, default=0, help="seed of the synthetic store and the queries")
    parser.add_argument("--only", choices=("ingest", "query"), default=None, help="run one part only")
    parser.add_argument(
        "--add-docs",
        type=non_negative_int,
        default=20,
        help="new documents then added to the big store, one by one (0: none)",
    )
    parser.add_argument("--add-limit", type=positive_int, default=60, help="seconds one such add may take")
    pg = parser.add_mutually_exclusive_group()
    pg.add_argument("--postgres-url", default=None, help="a server whose user may create databases")
    pg.add_argument("--no-postgres", action="store_true", help="SQLite only")
    args = parser.parse_args(argv)

    articles: list[NewsArticle] = []
    if args.only != "query":
        try:
            articles = load_news_articles(args.articles, limit=args.limit)
        except BenchDataMissing as exc:
            print(f"error [bench.data_missing]: {exc}", file=sys.stderr)
            return 2
    started = time.perf_counter()
    workdir = Path(tempfile.mkdtemp(prefix="sitrep-store-bench."))
    try:
        with ExitStack() as stack:
            server = None if args.no_postgres else stack.enter_context(postgres_server(args.postgres_url))
            extract_per_doc = None
            if args.only != "query":
                extract_per_doc = run_ingest(articles, server, workdir, batch_size=args.batch_size)
            if args.only != "ingest":
                options = QueryOptions(args.events, args.queries, args.seed, args.add_docs, args.add_limit)
                run_queries(server, workdir, options, extract_per_doc)
    except BenchError as exc:
        print(f"error [bench.store]: {exc}", file=sys.stderr)
        return 2
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    print(f"wall time {time.perf_counter() - started:.0f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
