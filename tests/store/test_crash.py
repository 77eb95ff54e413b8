"""Crash safety: ``sitrep ingest`` killed with SIGKILL at random points never leaves a partial document.

The store writes one transaction per document (sitrep.store.repository). Here
real ``sitrep ingest`` processes are killed at random moments, twenty times, on
one database that accumulates what the runs manage to store (as a store does
in use). After each kill the database must hold every document at most once,
each with exactly the rows an uninterrupted ingest gives it, no orphan rows,
and (SQLite) a clean ``PRAGMA integrity_check``. A last, uninterrupted run
over every report must then complete the record. The same on PostgreSQL.

Each run ingests a batch of new reports (the team-written ``REPORTS``, each
ending with that batch's closing sentence): with one fixed batch, the first
run to get through it would leave nothing to store for the others.

The seed of the random delays is printed in every failure message; set
``CRASH_TEST_SEED`` to draw the same delays again (timing still varies).
"""

from __future__ import annotations

import contextlib
import json
import os
import random
import signal
import subprocess
import sys
import textwrap
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Table, func, select

from sitrep.settings import Settings
from sitrep.store import Store, open_store
from sitrep.store.schema import documents, metadata

KILL_RUNS = 20
RUN_TIMEOUT = 300  # seconds for one uninterrupted ingest (model load is 2-3 s, ~30 ms a report)

# Team-written reports, loosely modelled on wire copy from Ukraine in 2024. Each
# gives at least one event today; one carries claims (an accusation, a denial).
REPORTS = (
    "Russian artillery shelled Kupiansk in the Kharkiv region on Tuesday morning, killing two civilians and "
    "wounding five, the regional governor said.",
    "Evacuation buses left Vovchansk on Wednesday carrying 140 residents, mostly elderly people, after days of "
    "shelling, local officials said.",
    "A drone struck an apartment block in Kharkiv overnight, injuring nine people including a child, the city's "
    "mayor said on Thursday.",
    "Ukrainian authorities ordered the evacuation of families with children from 11 villages near Pokrovsk as "
    "fighting moved closer.",
    "Shelling damaged a water pumping station in Nikopol on Saturday, leaving about 30,000 residents without "
    "running water, the regional administration said.",
    "Two volunteers were killed when their car was hit by a Russian drone near Kherson on Monday while they "
    "were delivering food to villages on the Dnipro, police said.",
    "Russian forces dropped guided bombs on Zaporizhzhia on Friday, wounding at least eleven people and "
    "damaging a hospital, officials said.",
    "About 200 people were evacuated from Toretsk this week as shelling intensified, the head of the town's "
    "military administration said on Sunday.",
    "An air strike hit a market in Kostiantynivka on Wednesday afternoon, killing four people, the Donetsk "
    "regional governor said.",
    "A missile attack on Odesa port overnight damaged two grain warehouses and injured three workers, the navy "
    "said on Tuesday.",
    "Russian shelling of border villages in the Sumy region killed one man on Thursday, the regional military "
    "administration said. Power lines were also damaged.",
    "An aid convoy reached Selydove on Saturday. Officials urged the remaining residents to leave because of "
    "constant artillery fire.",
    "Ukraine's military accused Russian forces of shelling an evacuation route near Kupiansk on Friday. "
    "Moscow denied targeting civilians.",
    "Russia's defence ministry said its forces shot down 14 Ukrainian drones over the Belgorod region "
    "overnight. Kyiv did not comment.",
)

# One closing sentence per batch, so that every kill run has reports the store has not seen.
CLOSERS = (
    "The information could not be independently verified.",
    "Rescue workers were still searching the rubble late in the evening.",
    "Residents were urged to stay close to shelters.",
    "Local authorities said they would publish a fuller account later.",
    "Schools in the district switched to remote lessons.",
    "Power was restored to most homes by the next morning.",
    "A curfew remained in force overnight.",
    "Aid groups said they were sending more staff to the area.",
    "The regional hospital said it had enough blood supplies.",
    "Officials asked people not to share photographs of the damage.",
    "Trains in the area ran with long delays.",
    "Mobile phone coverage was patchy for several hours.",
    "Volunteers handed out water and hot meals.",
    "Engineers began inspecting damaged buildings.",
    "Police closed the area to traffic for several hours.",
    "Bus services were suspended until further notice.",
    "The local council opened a second heating point.",
    "Firefighters put out the last fires by midnight.",
    "Humanitarian workers said needs were growing.",
    "Shops in the centre stayed closed for the rest of the day.",
)
assert len(CLOSERS) >= KILL_RUNS


@dataclass(frozen=True)
class Run:
    """One ``sitrep ingest`` process: how it ended and what it said."""

    returncode: int
    killed: bool
    seconds: float
    first_stored: float | None  # seconds until the first document was visible, when watched
    stdout: str
    stderr: str
    all_stored: float | None = None  # seconds until the last one was, when watched


def _write_reports(path: Path, batches: list[int], *, rng: random.Random | None = None) -> Path:
    """JSON Lines of every report of each batch (in random order with ``rng``)."""
    rows = [
        {
            "id": f"crash-{batch:02d}-{i:02d}",
            "text": f"{text} {CLOSERS[batch]}",
            "url": f"https://wire.example.org/2024/{batch}/{i}",
            "outlet": "Example Wire",
            "published_at": f"2024-05-{i + 1:02d}",
        }
        for batch in batches
        for i, text in enumerate(REPORTS)
    ]
    if rng is not None:
        rng.shuffle(rows)
    path.write_text("".join(json.dumps(row) + "\n" for row in rows), encoding="utf-8")
    return path


def _sitrep(*args: str) -> list[str]:
    # The interpreter running the tests, so the same installed sitrep, whatever PATH says
    return [sys.executable, "-m", "sitrep", *args]


def _environment() -> dict[str, str]:
    """The caller's environment without SITREP_* settings (the data dir is passed explicitly)."""
    return {k: v for k, v in os.environ.items() if not k.startswith("SITREP_")}


def _run(
    command: list[str],
    workdir: Path,
    *,
    kill_after: float | None = None,
    stored: Callable[[], int] | None = None,
    expected: int = 0,
) -> Run:
    """Run ``command``; with ``kill_after``, SIGKILL it after that many seconds.

    With ``stored`` (how many documents are in the store), also note when the first and when all
    ``expected`` of them were there.
    """
    out, err = workdir / "stdout.txt", workdir / "stderr.txt"
    first_stored = all_stored = None
    with out.open("wb") as stdout, err.open("wb") as stderr:
        started = time.monotonic()
        # Its own session: the kill reaches any child it may start, and nothing else.
        proc = subprocess.Popen(command, stdout=stdout, stderr=stderr, env=_environment(), start_new_session=True)
        deadline = started + (RUN_TIMEOUT if kill_after is None else kill_after)
        while proc.poll() is None:
            now = time.monotonic()
            if now >= deadline:
                with contextlib.suppress(ProcessLookupError):  # it may have ended just now
                    os.killpg(proc.pid, signal.SIGKILL)
                proc.wait()
                break
            if stored is not None and all_stored is None:
                count = stored()
                if count and first_stored is None:
                    first_stored = now - started
                if count >= expected > 0:
                    all_stored = now - started
            time.sleep(min(0.005, deadline - now))
        seconds = time.monotonic() - started
    killed = kill_after is not None and proc.returncode == -signal.SIGKILL
    return Run(
        proc.returncode, killed, seconds, first_stored, out.read_text("utf-8"), err.read_text("utf-8"), all_stored
    )


def _document_link(table: Table) -> tuple[Any, Any] | None:
    """How rows of ``table`` belong to one document: (its document id column, the join it needs), or None.

    Directly through a ``document_id`` column, or one step away through a foreign
    key to a table that has one (incident membership of an event, say). Derived
    from the metadata, so a table added later is checked without editing this test.
    """
    if "document_id" in table.c and table is not documents:
        return table.c.document_id, table
    for fk in table.foreign_keys:
        parent = fk.column.table
        if parent is not table and parent is not documents and "document_id" in parent.c:
            return parent.c.document_id, table.join(parent, fk.parent == fk.column)
    return None


def _rows_per_document(store: Store) -> dict[str, dict[str, int]]:
    """Each stored document's id -> {table: number of its rows there}, for every table tied to documents."""
    linked = [(t, link) for t in metadata.sorted_tables if (link := _document_link(t)) is not None]
    with store.engine.connect() as conn:
        result = {doc_id: dict.fromkeys((t.name for t, _ in linked), 0) for doc_id in store.document_ids()}
        for table, (document_id, joined) in linked:
            for doc_id, count in conn.execute(
                select(document_id, func.count()).select_from(joined).group_by(document_id)
            ):
                result.setdefault(doc_id, {})[table.name] = int(count)
    return result


def _sqlite_checks(store: Store) -> list[str]:
    """``PRAGMA integrity_check`` and ``foreign_key_check`` in full (empty when sound); nothing on PostgreSQL."""
    if store.dialect != "sqlite":
        return []
    with store.engine.connect() as conn:
        integrity = [str(row[0]) for row in conn.exec_driver_sql("PRAGMA integrity_check")]
        foreign = [repr(tuple(row)) for row in conn.exec_driver_sql("PRAGMA foreign_key_check")]
    return ([] if integrity == ["ok"] else integrity) + foreign


def _problems(store_url: str, reference: dict[str, dict[str, int]]) -> list[str]:
    """How the store at ``store_url`` falls short of a crash-safe record (empty when it does not)."""
    store = open_store(store_url)
    try:
        problems = store.integrity_problems() + _sqlite_checks(store)
        stored = _rows_per_document(store)
    finally:
        store.close()
    problems += [f"document {doc_id} is not one of the reports" for doc_id in sorted(set(stored) - set(reference))]
    problems += [
        f"document {doc_id} is partial: {rows} rows, uninterrupted ingest gives {reference[doc_id]}"
        for doc_id, rows in sorted(stored.items())
        if doc_id in reference and rows != reference[doc_id]
    ]
    return problems


def _migrated(store_url: str) -> None:
    # The schema exists before the first kill: a kill inside the first migration is
    # test_kill_during_first_upgrade_leaves_a_usable_database's subject, not this test's.
    store = open_store(store_url)
    try:
        store.upgrade()
    finally:
        store.close()


def _document_count(store: Store) -> int:
    with store.engine.connect() as conn:
        return int(conn.execute(select(func.count()).select_from(documents)).scalar_one())


@pytest.mark.model
@pytest.mark.timeout(480)  # 23 ingest processes (2-3 s each, two of ~10 s), and a cold session's gazetteer build
def test_ingest_killed_at_random_points_never_leaves_a_partial_document(
    store_url: str,
    new_database_url: Callable[[str], str],
    settings: Settings,
    gazetteer: object,  # built once for the session, so no process spends its time building it
    tmp_path: Path,
) -> None:
    seed = int(os.environ.get("CRASH_TEST_SEED") or random.SystemRandom().randrange(2**32))
    rng = random.Random(seed)
    engine = "sqlite" if store_url.startswith("sqlite") else "postgresql"
    ingest = ["ingest", "--data-dir", settings.data_dir, "--no-progress", "--db"]
    batches = list(range(KILL_RUNS))
    every_report = _write_reports(tmp_path / "all.jsonl", batches)
    total = len(batches) * len(REPORTS)

    # Reference, uninterrupted, in a database of its own: one batch, timed (how long a run
    # takes, and when storing starts), then all the others.
    reference_url = new_database_url(engine)
    _migrated(reference_url)
    reference_store = open_store(reference_url)
    try:
        timed = _run(
            _sitrep(*ingest, reference_url, str(_write_reports(tmp_path / "batch.jsonl", [0]))),
            tmp_path,
            stored=lambda: _document_count(reference_store),
            expected=len(REPORTS),
        )
        assert timed.returncode == 0 and not timed.stderr, f"uninterrupted ingest failed:\n{timed.stderr}"
        assert timed.stdout.strip() == f"{len(REPORTS)} new, 0 updated, 0 unchanged, 0 failed", timed.stdout
        assert timed.first_stored is not None
        rest = _run(_sitrep(*ingest, reference_url, str(every_report)), tmp_path)
        assert rest.returncode == 0 and not rest.stderr, f"uninterrupted ingest failed:\n{rest.stderr}"
        reference = _rows_per_document(reference_store)
    finally:
        reference_store.close()
    assert len(reference) == total, rest.stdout
    # A partial document is only visible if documents have rows: most of these reports give events
    assert sum(1 for rows in reference.values() if rows.get("events")) > total // 2, reference

    _migrated(store_url)
    store = open_store(store_url)
    partly_stored = 0  # kills that cut a batch: some of its documents stored, not all
    try:
        for attempt in batches:
            # Delays span the whole run (interpreter start, model load, extracting and storing),
            # but storing is a short part of it: every other delay falls within that part (from the
            # first document stored to the last, as the timed run saw it).
            if attempt % 2 == 0:
                delay = rng.uniform(0.0, timed.seconds)
            else:
                delay = rng.uniform(timed.first_stored, timed.all_stored or timed.seconds)
            before = _document_count(store)
            batch = _write_reports(tmp_path / "batch.jsonl", [attempt], rng=rng)
            run = _run(_sitrep(*ingest, store_url, str(batch)), tmp_path, kill_after=delay)
            where = f"{engine} run {attempt + 1}/{KILL_RUNS}, seed {seed}, kill due after {delay:.2f}s"
            if not run.killed:  # it finished first: then it must have finished well
                assert run.returncode == 0, f"{where}: ingest failed by itself (exit {run.returncode}):\n{run.stderr}"
            problems = _problems(store_url, reference)
            assert not problems, f"{where}:\n" + "\n".join(problems)
            partly_stored += 0 < _document_count(store) - before < len(REPORTS)
        stored = _document_count(store)
    finally:
        store.close()
    assert partly_stored > 0, (
        f"{engine}, seed {seed}: no kill fell while a batch was being stored "
        f"(storing started {timed.first_stored:.2f}s into a {timed.seconds:.2f}s run)"
    )

    # The restart: every report again, uninterrupted. What was stored stays, the rest is added.
    final = _run(_sitrep(*ingest, store_url, str(every_report)), tmp_path)
    assert final.returncode == 0 and not final.stderr, f"{engine}, seed {seed}: final ingest failed:\n{final.stderr}"
    assert final.stdout.strip() == f"{total - stored} new, 0 updated, {stored} unchanged, 0 failed", final.stdout
    assert _problems(store_url, reference) == [], f"{engine}, seed {seed}"
    store = open_store(store_url)
    try:
        assert _rows_per_document(store) == reference, f"{engine}, seed {seed}: the record is not complete"
    finally:
        store.close()


# Run in a separate process: open the store, then upgrade it, dying by SIGKILL just as
# the migration issues its second CREATE TABLE (the first being Alembic's version table).
KILL_DURING_UPGRADE = textwrap.dedent(
    """
    import os, signal, sys
    from sqlalchemy import event
    from sitrep.store import open_store

    store = open_store(sys.argv[1])
    created = []

    @event.listens_for(store.engine, "before_cursor_execute")
    def die_midway(conn, cursor, statement, parameters, context, executemany):
        if statement.lstrip().upper().startswith("CREATE TABLE") and "alembic_version" not in statement:
            created.append(statement)
            if len(created) == 2:
                os.kill(os.getpid(), signal.SIGKILL)

    store.upgrade()
    """
)


def test_kill_during_first_upgrade_leaves_a_usable_database(store_url: str, tmp_path: Path) -> None:
    """``sitrep ingest`` on a new database migrates it first; a kill then must not leave half a schema.

    On SQLite this needs the DDL inside the migration's transaction (the driver's
    implicit transactions leave CREATE TABLE outside it): otherwise the tables made
    before the kill stay, without a revision, and every later upgrade fails with
    "table documents already exists".
    """
    run = _run([sys.executable, "-c", KILL_DURING_UPGRADE, store_url], tmp_path)
    assert run.returncode == -signal.SIGKILL, (
        f"the upgrade was not killed midway (exit {run.returncode}):\n{run.stderr}"
    )
    store = open_store(store_url)
    try:
        _, after = store.upgrade()  # what the next `sitrep ingest` does
        assert store.revision() == after
        assert store.integrity_problems() == []
    finally:
        store.close()
