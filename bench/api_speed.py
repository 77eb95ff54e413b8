"""API speed: list and filter endpoints over a big store; field reports through the webhook.

Part 1, reads: the synthetic store of ``bench/store_speed.py`` (``--events``
event mentions, default 1,000,000; no claims or place mentions) is bulk-loaded
into SQLite and PostgreSQL; about 1% of its incidents (a fixed subset by id) are
marked verified, so that a viewer sees some; an analyst and a viewer get
tokens, and the review queue's priority is set as fusion sets it (the bulk
load leaves it 0); then ``sitrep serve`` runs on it as a subprocess on loopback and
``--queries`` requests per endpoint family are timed with httpx, one at a time
on one kept-alive connection, after a few untimed ones: incidents by date range
and box (``store_speed.random_queries``; as analyst and as viewer), by region,
by type, with ``min_sources=2``, five pages by ``next_cursor``, one incident by
id; events (plain and by region), documents, claims, places and the review
queue. Each time is the whole round trip (token check, SQL, records, JSON,
HTTP). Goal: median under 50 ms and p95 under 200 ms for every family on both
engines.

Part 2, webhook: a new, empty database per engine, ``sitrep serve`` on it, one
warm-up field report (the server loads spaCy on the first; not counted), then
``--reports`` distinct field reports (KoboToolbox-style JSON, short texts about
shelling or evacuation in Ukrainian towns) POSTed to /field-reports by 8
threads, one httpx.Client each. Every report is delivered twice by the same
worker (the second must come back ``duplicate``), and ``--raced`` of them are
first delivered by two workers at once (one must be ``new``, the other
``duplicate``). Goal: none lost and none duplicated: the store holds exactly
one field report per uuid sent, counted through the API (GET /field-reports,
following cursors) and in SQL.

PostgreSQL: a throwaway server from ``scripts/pg-test-server.sh`` (through
``store_speed.postgres_server``), or ``--postgres-url`` of a server whose user
may create databases; ``--no-postgres`` runs SQLite only. Never part of the
test run. Exits 0 whether or not the goals are met; 2 when it cannot run.

Usage: python bench/api_speed.py [--events N] [--queries N] [--seed S] [--reports N]
       [--raced N] [--only reads|webhook] [--postgres-url URL | --no-postgres]
"""

from __future__ import annotations

import argparse
import os
import random
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from collections import Counter
from collections.abc import Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
from sqlalchemy import text

BENCH = Path(__file__).resolve().parent
if str(BENCH) not in sys.path:
    sys.path.insert(0, str(BENCH))

import store_speed  # noqa: E402  (a sibling script, found through the line above)

GOAL_MEDIAN_MS = store_speed.GOAL_MEDIAN_MS
GOAL_P95_MS = store_speed.GOAL_P95_MS
PAGE = 50  # the API's default page
PAGES = 5  # pages followed by next_cursor in the cursor family
WARMUP = 5  # untimed requests per family first
START_TIMEOUT = 120  # seconds for the server to answer /health
PRIORITY = "10 * (CASE WHEN sources > 10 THEN 10 ELSE sources END) + (CASE WHEN deaths_best IS NULL THEN 0 ELSE 25 END)"
VERIFIED = "substr(id, 2, 2) < '03'"  # ids are 'I' + hex: 3/256 of them, about 1.2%
WORKERS = 8
READERS = {"analyst": "analyst", "viewer": "viewer"}
REPORTER = "reporter"  # the analyst who sends the field reports
TOWNS = (  # real towns, rough coordinates (lat, lon)
    ("Kharkiv", 49.99, 36.23), ("Kupiansk", 49.71, 37.61), ("Izium", 49.21, 37.26), ("Lyman", 48.99, 37.80),
    ("Kramatorsk", 48.72, 37.56), ("Sloviansk", 48.85, 37.60), ("Kostiantynivka", 48.53, 37.71),
    ("Pokrovsk", 48.28, 37.18), ("Kurakhove", 47.98, 37.28), ("Zaporizhzhia", 47.84, 35.14),
    ("Orikhiv", 47.57, 35.79), ("Huliaipole", 47.66, 36.26), ("Kherson", 46.64, 32.62), ("Beryslav", 46.84, 33.43),
    ("Nikopol", 47.57, 34.40), ("Mykolaiv", 46.98, 31.99), ("Sumy", 50.91, 34.80), ("Okhtyrka", 50.31, 34.90),
    ("Chernihiv", 51.49, 31.29), ("Vovchansk", 50.29, 36.94), ("Balakliia", 49.46, 36.86), ("Dnipro", 48.46, 35.05),
    ("Odesa", 46.48, 30.72), ("Kryvyi Rih", 47.91, 33.39),
)  # fmt: skip
TEMPLATES = (
    "Field report {n}. {town} was shelled on {day}: {a} houses were damaged and {b} people were wounded, "
    "the local administration said.",
    "Field report {n}. Evacuation from {town} continued on {day} after overnight shelling; {a} civilians, "
    "{b} of them children, were taken to {other}.",
    "Field report {n}. Artillery hit the centre of {town} on {day}, killing {b} people and damaging {a} buildings, "
    "according to the regional police.",
)


class BenchError(Exception):
    """The benchmark cannot run: the server does not start, say."""


# The server -----------------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextmanager
def sitrep_serve(db_url: str, log: Path) -> Iterator[str]:
    """``sitrep serve`` on ``db_url`` (its output to ``log``, a file, so nothing blocks it); yields the API's base URL."""
    port = free_port()
    with log.open("wb") as out:
        process = subprocess.Popen(
            [sys.executable, "-m", "sitrep", "serve", "--db", db_url, "--host", "127.0.0.1", "--port", str(port)],
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    base = f"http://127.0.0.1:{port}/api/v1"
    try:
        deadline = time.monotonic() + START_TIMEOUT
        while True:
            if process.poll() is not None:
                raise BenchError(f"sitrep serve exited with {process.returncode}: {log.read_text(errors='replace')}")
            try:
                if httpx.get(base + "/health", timeout=2).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            if time.monotonic() > deadline:
                raise BenchError(f"sitrep serve did not answer within {START_TIMEOUT} s")
            time.sleep(0.2)
        yield base
    finally:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def add_users(url: str, roles: dict[str, str]) -> dict[str, str]:
    """Users of these roles (name -> role), through the library; returns name -> token."""
    from sitrep.store import open_store

    store = open_store(url)
    try:
        tokens = {}
        for name, role in roles.items():
            store.add_user(name, role, by="bench")
            tokens[name] = store.issue_token(name, by="bench")
        return tokens
    finally:
        store.close()


def sql_rows(url: str, sql: str, **params: Any) -> list[Any]:
    from sitrep.store import open_store

    store = open_store(url)
    try:
        with store.engine.connect() as conn:
            return list(conn.execute(text(sql), params))
    finally:
        store.close()


# Part 1: reads ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Call:
    path: str
    params: dict[str, Any]


@dataclass(frozen=True)
class Family:
    """Requests of one kind, as one user; with ``pages`` > 1 each call's next_cursor is followed (each page timed)."""

    name: str
    who: str
    calls: list[Call]
    pages: int = 1


@dataclass(frozen=True)
class Timing:
    engine: str
    family: str
    millis: tuple[float, ...]
    items: tuple[int, ...]
    errors: tuple[str, ...]

    @property
    def median(self) -> float:
        return statistics.median(self.millis) if self.millis else float("nan")

    @property
    def p95(self) -> float:
        if len(self.millis) < 2:
            return self.millis[0] if self.millis else float("nan")
        return statistics.quantiles(self.millis, n=100, method="inclusive")[94]

    @property
    def met(self) -> bool:
        return bool(self.millis) and not self.errors and self.median < GOAL_MEDIAN_MS and self.p95 < GOAL_P95_MS


def query_params(query: Any) -> dict[str, Any]:
    """A ``store_speed`` IncidentQuery (dates and a box) as the API's query parameters."""
    params: dict[str, Any] = {"since": query.since, "until": query.until, "limit": PAGE}
    if query.bbox:
        params["bbox"] = ",".join(f"{v:.5f}" for v in query.bbox)
    return params


def read_families(synthetic: Any, incident_ids: Sequence[str], *, queries: int, seed: int) -> list[Family]:
    """The seeded requests of every family, the same on each engine."""
    rng = random.Random(seed + 2)
    boxes = [query_params(q) for q in store_speed.random_queries(synthetic.settlements, count=queries, seed=seed + 1)]
    regions = [r.name for r in store_speed.regions()]
    types = sorted({t for s in store_speed.SUB_TYPES for t in s[:2]})
    days = (store_speed.LAST_DAY - store_speed.FIRST_DAY).days

    def page(path: str, **params: Any) -> Call:
        return Call(path, {**params, "limit": PAGE})

    def cursor_start() -> Call:
        kind = rng.randrange(3)
        if kind == 0:
            return page("/incidents", region=rng.choice(regions))
        until = store_speed.FIRST_DAY + timedelta(days=rng.randrange(days))
        return page("/incidents", until=until.isoformat()) if kind == 1 else page("/incidents")

    return [
        Family("incidents date+box", "analyst", [Call("/incidents", p) for p in boxes]),
        Family("incidents date+box (viewer)", "viewer", [Call("/incidents", p) for p in boxes]),
        Family("incidents region", "analyst", [page("/incidents", region=rng.choice(regions)) for _ in range(queries)]),
        Family("incidents type", "analyst", [page("/incidents", type=rng.choice(types)) for _ in range(queries)]),
        Family("incidents min_sources=2", "analyst", [page("/incidents", min_sources=2)] * queries),
        Family(
            f"incidents {PAGES} pages by cursor",
            "analyst",
            [cursor_start() for _ in range(max(1, queries // PAGES))],
            pages=PAGES,
        ),
        Family("incident by id", "analyst", [Call(f"/incidents/{i}", {}) for i in rng.sample(incident_ids, queries)]),
        Family("events", "analyst", [page("/events")] * queries),
        Family("events region", "analyst", [page("/events", region=rng.choice(regions)) for _ in range(queries)]),
        Family("documents", "analyst", [page("/documents")] * queries),
        Family("claims", "analyst", [page("/claims")] * queries),
        Family("places", "analyst", [page("/places")] * queries),
        Family("review-queue", "analyst", [page("/review-queue")] * queries),
    ]


def time_family(client: httpx.Client, base: str, token: str, family: Family, *, engine: str) -> Timing:
    """Every call of the family (and its pages), one at a time; WARMUP calls first, untimed."""
    headers = {"Authorization": f"Bearer {token}"}
    millis: list[float] = []
    items: list[int] = []
    errors: list[str] = []
    for timed, calls in ((False, family.calls[:WARMUP]), (True, family.calls)):
        for call in calls:
            params = dict(call.params)
            for _ in range(family.pages):
                started = time.perf_counter()
                response = client.get(base + call.path, params=params, headers=headers)
                elapsed = (time.perf_counter() - started) * 1000
                if response.status_code != 200:
                    if timed:
                        errors.append(f"{call.path} {response.status_code}: {response.text[:200]}")
                    break
                body = response.json()
                if timed:
                    millis.append(elapsed)
                    items.append(len(body["items"]) if "items" in body else 1)
                if not body.get("next_cursor"):
                    break
                params = {**call.params, "cursor": body["next_cursor"]}
    return Timing(engine, family.name, tuple(millis), tuple(items), tuple(errors))


def prepare_big_store(url: str) -> tuple[int, list[str]]:
    """Set what the bulk load leaves at its default: the review queue's priority, as fusion computes it
    (``store.corrections.priority``: 10 a source up to 10, 25 with casualties; the synthetic incidents have no
    disputing claims), and the verified subset; analyse again. Returns how many are verified and every id."""
    from sitrep.store import open_store

    store = open_store(url)
    try:
        with store.engine.begin() as conn:
            conn.execute(text(f"UPDATE incidents SET priority = {PRIORITY}, status = 'provisional'"))
            conn.execute(text(f"UPDATE incidents SET status = 'verified' WHERE {VERIFIED}"))
            verified = conn.execute(text("SELECT count(*) FROM incidents WHERE status = 'verified'")).scalar_one()
            ids = sorted(conn.execute(text("SELECT id FROM incidents")).scalars())
            if store.dialect == "sqlite":
                conn.execute(text("ANALYZE incidents"))
        if store.dialect == "postgresql":  # every row rewritten: vacuum, as autovacuum would in time
            with store.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
                conn.execute(text("VACUUM (ANALYZE) incidents"))
        return int(verified), ids
    finally:
        store.close()


def time_reads(engine: str, url: str, families: list[Family], workdir: Path) -> list[Timing]:
    tokens = add_users(url, READERS)
    timings = []
    with sitrep_serve(url, workdir / f"serve-reads-{engine}.log") as base, httpx.Client(timeout=120) as client:
        for family in families:
            print(f"  {engine}: {family.name} ...", file=sys.stderr, flush=True)
            timings.append(time_family(client, base, tokens[family.who], family, engine=engine))
    return timings


def format_reads(
    synthetic: Any, built: Sequence[Any], verified: dict[str, int], timings: Sequence[Timing]
) -> list[str]:
    docs = -(-synthetic.events // store_speed.EVENTS_PER_DOCUMENT)
    lines = [
        f"reads: synthetic store of {synthetic.events:,} events, {docs:,} documents, {synthetic.incidents:,} "
        f"incidents ({', '.join(f'{e} {n:,}' for e, n in verified.items())} marked verified); no claims, no places",
    ]
    lines += [f"  {b.engine:<11}built in {b.seconds:.0f} s, {b.size / 1e9:.2f} GB" for b in built]
    lines.append(
        f"  {'engine':<11}{'family':<30}{'n':>5}{'median':>9}{'p95':>9}{'max':>9}  items median/max  "
        f"goal (median < {GOAL_MEDIAN_MS:.0f} ms, p95 < {GOAL_P95_MS:.0f} ms)"
    )
    for t in timings:
        if not t.millis:
            lines.append(f"  {t.engine:<11}{t.family:<30}no answer: {'; '.join(t.errors[:2])}")
            continue
        verdict = "ok" if t.met else "MISSED"
        if t.errors:
            verdict += f" ({len(t.errors)} errors: {t.errors[0]})"
        lines.append(
            f"  {t.engine:<11}{t.family:<30}{len(t.millis):>5}{t.median:>9.1f}{t.p95:>9.1f}{max(t.millis):>9.1f}"
            f"  {statistics.median(t.items):>6.0f}/{max(t.items):<6}    {verdict}"
        )
    for engine in dict.fromkeys(t.engine for t in timings):
        missed = [t.family for t in timings if t.engine == engine and not t.met]
        lines.append(f"  {engine:<11}{'all families met the goal' if not missed else 'MISSED: ' + ', '.join(missed)}")
    return lines


def run_reads(server: str | None, workdir: Path, *, events: int, queries: int, seed: int) -> None:
    from sitrep.store import open_store

    with ExitStack() as stack:
        urls = {"sqlite": f"sqlite:///{workdir / 'reads.sqlite3'}"}
        if server is not None:
            urls["postgresql"] = stack.enter_context(store_speed.new_database(server, "apireads"))
        stores = {name: open_store(url) for name, url in urls.items()}
        for store in stores.values():
            store.upgrade()
        print(f"building a synthetic store of {events:,} events ...", file=sys.stderr, flush=True)
        synthetic, _, built = store_speed.build_stores(stores, events=events, seed=seed)
        for store in stores.values():
            store.close()
        verified: dict[str, int] = {}
        timings: list[Timing] = []
        families: list[Family] | None = None
        for name, url in urls.items():
            verified[name], ids = prepare_big_store(url)
            if families is None:  # the same requests on every engine
                families = read_families(synthetic, ids, queries=min(queries, len(ids)), seed=seed)
            timings += time_reads(name, url, families, workdir)
        print("\n".join(format_reads(synthetic, built, verified, timings)), flush=True)


# Part 2: the webhook ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Report:
    uuid: str
    payload: dict[str, Any]


@dataclass(frozen=True)
class Job:
    """One worker's deliveries of one report: once (with a partner at the barrier, when raced), then again."""

    report: Report
    repeat: bool
    barrier: threading.Barrier | None = None


@dataclass(frozen=True)
class Delivery:
    uuid: str
    kind: str  # first, pair (one of two at once), repeat
    status: int  # 0: no answer
    outcome: str | None
    millis: float


def field_reports(count: int, seed: int) -> list[Report]:
    """``count`` distinct Kobo-style submissions with seeded uuids."""
    rng = random.Random(seed + 3)
    out = []
    for n in range(1, count + 1):
        town, lat, lon = rng.choice(TOWNS)
        other = rng.choice([t for t in TOWNS if t[0] != town])[0]
        day = date(2023, 1, 1) + timedelta(days=rng.randrange(900))
        said = rng.choice(TEMPLATES).format(
            n=n, town=town, other=other, day=f"{day.day} {day:%B %Y}", a=rng.randint(2, 40), b=rng.randint(1, 12)
        )
        ident = str(uuid.UUID(int=rng.getrandbits(128), version=4))
        payload = {
            "_uuid": ident,
            "report": said,
            "witness_name": f"Witness {n:04d}",
            "_geolocation": [lat, lon],
            "_submission_time": f"{day + timedelta(days=1)}T09:30:00",
        }
        out.append(Report(ident, payload))
    return out


def delivery_jobs(reports: Sequence[Report], raced: int, seed: int) -> list[Job]:
    """A job per report; the first ``raced`` get two jobs side by side, meeting at a barrier before the first send."""
    jobs = []
    for n, report in enumerate(reports):
        if n < raced:
            barrier = threading.Barrier(2, timeout=120)
            jobs.append([Job(report, True, barrier), Job(report, False, barrier)])
        else:
            jobs.append([Job(report, True)])
    random.Random(seed + 4).shuffle(jobs)  # the raced pairs spread among the rest, each pair adjacent
    return [job for pair in jobs for job in pair]


class Deliverer:
    """POSTs to the webhook from worker threads, one httpx.Client per thread."""

    def __init__(self, base: str, token: str) -> None:
        self.url = base + "/field-reports"
        self.headers = {"Authorization": f"Bearer {token}"}
        self.local = threading.local()
        self.clients: list[httpx.Client] = []
        self.lock = threading.Lock()

    def client(self) -> httpx.Client:
        if not hasattr(self.local, "client"):
            self.local.client = httpx.Client(timeout=300)
            with self.lock:
                self.clients.append(self.local.client)
        return self.local.client  # type: ignore[no-any-return]

    def post(self, report: Report, kind: str) -> Delivery:
        started = time.perf_counter()
        try:
            response = self.client().post(self.url, json=report.payload, headers=self.headers)
        except httpx.TransportError as exc:
            return Delivery(report.uuid, kind, 0, f"{type(exc).__name__}", (time.perf_counter() - started) * 1000)
        millis = (time.perf_counter() - started) * 1000
        outcome = response.json().get("outcome") if response.status_code == 200 else response.text[:200]
        return Delivery(report.uuid, kind, response.status_code, outcome, millis)

    def run(self, job: Job) -> list[Delivery]:
        kind = "first"
        if job.barrier is not None:
            kind = "pair"
            try:
                job.barrier.wait()
            except threading.BrokenBarrierError:
                kind = "pair (not at once)"
        out = [self.post(job.report, kind)]
        if job.repeat:
            out.append(self.post(job.report, "repeat"))
        return out

    def close(self) -> None:
        for client in self.clients:
            client.close()


@dataclass
class WebhookRun:
    engine: str
    reports: int
    raced: int
    seconds: float
    deliveries: list[Delivery]
    listed: list[str]  # uuids, as GET /field-reports pages them
    stored: dict[str, int] = field(default_factory=dict)  # counts in SQL
    warmup_ms: float = 0.0


def list_field_reports(base: str, token: str) -> list[str]:
    """Every field report's uuid the submitter sees, following next_cursor."""
    uuids: list[str] = []
    params: dict[str, Any] = {"limit": 500}
    with httpx.Client(timeout=120, headers={"Authorization": f"Bearer {token}"}) as client:
        while True:
            response = client.get(base + "/field-reports", params=params)
            response.raise_for_status()
            body = response.json()
            uuids += [item["uuid"] for item in body["items"]]
            if not body["next_cursor"]:
                return uuids
            params = {"limit": 500, "cursor": body["next_cursor"]}


def count_stored(url: str, warmup: str) -> dict[str, int]:
    (row,) = sql_rows(
        url,
        "SELECT count(*) AS n, count(DISTINCT uuid) AS uuids, count(DISTINCT document_id) AS documents "
        "FROM field_reports WHERE uuid <> :warmup",
        warmup=warmup,
    )
    (docs,) = sql_rows(url, "SELECT count(*) FROM documents")
    (events,) = sql_rows(url, "SELECT count(*) FROM events")
    return {"rows": row.n, "uuids": row.uuids, "documents": row.documents, "all_documents": docs[0],
            "events": events[0]}  # fmt: skip


def run_webhook_on(engine: str, url: str, workdir: Path, *, reports: int, raced: int, seed: int) -> WebhookRun:
    """A fresh store, a warm-up report, then every report's deliveries from WORKERS threads."""
    from sitrep.store import open_store

    store = open_store(url)
    store.upgrade()
    store.close()
    token = add_users(url, {REPORTER: "analyst"})[REPORTER]
    sent = field_reports(reports, seed)
    jobs = delivery_jobs(sent, raced, seed)
    warmup = Report("bench-warm-up", {"_uuid": "bench-warm-up", "report": "Warm-up report. Kharkiv was shelled."})
    with sitrep_serve(url, workdir / f"serve-webhook-{engine}.log") as base:
        deliverer = Deliverer(base, token)
        try:
            first = deliverer.post(warmup, "warm-up")
            if first.status != 200:
                raise BenchError(f"the warm-up report on {engine} answered {first.status}: {first.outcome}")
            print(f"  {engine}: delivering {len(jobs)} jobs with {WORKERS} workers ...", file=sys.stderr, flush=True)
            started = time.perf_counter()
            with ThreadPoolExecutor(max_workers=WORKERS) as pool:
                deliveries = [d for done in pool.map(deliverer.run, jobs) for d in done]
            seconds = time.perf_counter() - started
        finally:
            deliverer.close()
        listed = [u for u in list_field_reports(base, token) if u != warmup.uuid]
    run = WebhookRun(engine, reports, raced, seconds, deliveries, listed, warmup_ms=first.millis)
    run.stored = count_stored(url, warmup.uuid)
    return run


def check_outcomes(run: WebhookRun) -> list[str]:
    """What went wrong with the answers: errors, a first delivery not new, a repeat not duplicate, a bad pair."""
    problems = []
    errors = [d for d in run.deliveries if d.status != 200]
    if errors:
        problems.append(f"{len(errors)} deliveries failed (first: {errors[0].status} {errors[0].outcome})")
    fresh = {"new", "unchanged"}
    bad_first = [d for d in run.deliveries if d.kind == "first" and d.status == 200 and d.outcome not in fresh]
    bad_repeat = [d for d in run.deliveries if d.kind == "repeat" and d.status == 200 and d.outcome != "duplicate"]
    pairs: dict[str, list[str]] = {}
    for d in run.deliveries:
        if d.kind.startswith("pair") and d.status == 200:
            pairs.setdefault(d.uuid, []).append(str(d.outcome))
    bad_pairs = [u for u, got in pairs.items() if sorted(o in fresh for o in got) != [False, True]]
    for label, bad in (("first deliveries not new", bad_first), ("repeats not duplicate", bad_repeat)):
        if bad:
            problems.append(f"{len(bad)} {label} (e.g. {bad[0].uuid}: {bad[0].outcome})")
    if bad_pairs:
        problems.append(f"{len(bad_pairs)} raced pairs not one new and one duplicate (e.g. {pairs[bad_pairs[0]]})")
    return problems


def check_stored(run: WebhookRun, sent: set[str]) -> tuple[int, int, list[str]]:
    """(lost, duplicated, problems) from the API's listing and the SQL counts."""
    listed = Counter(run.listed)
    lost = len(sent - set(listed))
    duplicated = sum(n - 1 for n in listed.values()) + (run.stored["rows"] - run.stored["uuids"])
    problems = []
    if set(listed) - sent:
        problems.append(f"{len(set(listed) - sent)} uuids stored that were not sent")
    if run.stored["uuids"] != len(sent):
        problems.append(f"SQL: {run.stored['uuids']} uuids stored, {len(sent)} sent")
    if run.stored["documents"] != len(sent):
        problems.append(f"SQL: {run.stored['documents']} documents behind the reports, {len(sent)} distinct texts")
    return lost, duplicated, problems


def percentile(values: Sequence[float], q: int) -> float:
    if len(values) < 2:
        return values[0] if values else float("nan")
    return statistics.quantiles(values, n=100, method="inclusive")[q - 1]


def format_webhook(runs: Sequence[WebhookRun], sent: set[str]) -> list[str]:
    first = runs[0]
    lines = [
        f"webhook: {first.reports:,} distinct field reports, {WORKERS} workers (one httpx.Client each); each report "
        f"delivered twice by one worker, {first.raced} first delivered by two workers at once "
        f"({2 * first.reports + first.raced:,} deliveries); a warm-up report first, not counted"
    ]
    for run in runs:
        ms = {
            kind: [d.millis for d in run.deliveries if d.kind.startswith(kind)] for kind in ("first", "pair", "repeat")
        }
        every = [d.millis for d in run.deliveries]
        lines.append(
            f"  {run.engine:<11}{len(run.deliveries):,} deliveries in {run.seconds:.1f} s: "
            f"{run.reports / run.seconds:.1f} reports/s, {len(run.deliveries) / run.seconds:.1f} deliveries/s "
            f"(warm-up report {run.warmup_ms / 1000:.1f} s)"
        )
        lines.append(
            f"  {'':<11}latency median / p95: all {statistics.median(every):.0f} / {percentile(every, 95):.0f} ms; "
            + "; ".join(f"{k} {statistics.median(v):.0f} / {percentile(v, 95):.0f} ms" for k, v in ms.items() if v)
        )
        outcomes = Counter(
            f"{d.kind.split(' ')[0]} {d.outcome if d.status == 200 else d.status}" for d in run.deliveries
        )
        lines.append(f"  {'':<11}answers: {', '.join(f'{k} {v}' for k, v in sorted(outcomes.items()))}")
        lost, duplicated, problems = check_stored(run, sent)
        problems = check_outcomes(run) + problems
        s = run.stored
        lines.append(
            f"  {'':<11}stored: {len(run.listed):,} listed by GET /field-reports, {s['rows']:,} rows and "
            f"{s['uuids']:,} uuids in SQL, {s['documents']:,} documents behind them ({s['all_documents']:,} "
            f"documents and {s['events']:,} events in all, warm-up included)"
        )
        verdict = "ok" if not (lost or duplicated or problems) else "MISSED"
        lines.append(f"  {'':<11}lost {lost}, duplicated {duplicated}: {verdict}")
        lines += [f"  {'':<11}problem: {p}" for p in problems]
    return lines


def run_webhook(server: str | None, workdir: Path, *, reports: int, raced: int, seed: int) -> None:
    with ExitStack() as stack:
        urls = {"sqlite": f"sqlite:///{workdir / 'webhook.sqlite3'}"}
        if server is not None:
            urls["postgresql"] = stack.enter_context(store_speed.new_database(server, "apiwebhook"))
        runs = []
        for name, url in urls.items():
            runs.append(run_webhook_on(name, url, workdir, reports=reports, raced=raced, seed=seed))
        sent = {r.uuid for r in field_reports(reports, seed)}
        print("\n".join(format_webhook(runs, sent)), flush=True)


# Running --------------------------------------------------------------------------------------


def machine_note() -> str:
    """CPU count and load: the timings are only as quiet as the machine."""
    one, five, _ = os.getloadavg()
    return f"{os.cpu_count()} CPUs, load average {one:.1f} (1 min), {five:.1f} (5 min)"


def main(argv: list[str] | None = None) -> int:
    positive_int = store_speed.positive_int
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--events", type=positive_int, default=1_000_000, help="events in the synthetic store")
    parser.add_argument("--queries", type=positive_int, default=200, help="requests timed per family and engine")
    parser.add_argument("--seed", type=int, default=0, help="seed of the store, the requests and the reports")
    parser.add_argument("--reports", type=positive_int, default=1_000, help="field reports sent to the webhook")
    parser.add_argument("--raced", type=int, default=50, help="reports first delivered by two workers at once")
    parser.add_argument("--only", choices=("reads", "webhook"), default=None, help="run one part only")
    pg = parser.add_mutually_exclusive_group()
    pg.add_argument("--postgres-url", default=None, help="a server whose user may create databases")
    pg.add_argument("--no-postgres", action="store_true", help="SQLite only")
    args = parser.parse_args(argv)
    if not 0 <= args.raced <= args.reports:
        parser.error("--raced must be between 0 and --reports")

    started = time.perf_counter()
    print(f"started {datetime.now(UTC):%Y-%m-%d %H:%M} UTC; {machine_note()}", flush=True)
    workdir = Path(tempfile.mkdtemp(prefix="sitrep-api-bench."))
    try:
        with ExitStack() as stack:
            server = None if args.no_postgres else stack.enter_context(store_speed.postgres_server(args.postgres_url))
            if args.only != "webhook":
                run_reads(server, workdir, events=args.events, queries=args.queries, seed=args.seed)
            if args.only != "reads":
                run_webhook(server, workdir, reports=args.reports, raced=args.raced, seed=args.seed)
    except (BenchError, store_speed.BenchError) as exc:
        print(f"error [bench.api]: {exc}", file=sys.stderr)
        return 2
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    print(f"wall time {time.perf_counter() - started:.0f} s; {machine_note()}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
