"""``sitrep batch`` (whole archives into Parquet partitions) and ``sitrep load`` (those into the database)."""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path
from typing import Any

from sitrep.cli.store import cli_actor, db_options
from sitrep.settings import load_settings


def register(commands: Any) -> None:
    batch = commands.add_parser(
        "batch",
        help="extract whole archives into Parquet partitions",
        description="Extract folders, JSON Lines files (also gzip) and WARC archives into DIR: "
        "records/part-*.parquet (one row per document, the extraction as JSON) and failures/part-*.jsonl "
        "(failed and skipped inputs, with reasons). Run again with the same inputs to resume: finished "
        "partitions are not redone and nothing is written twice. Load the result with 'sitrep load'.",
    )
    batch.add_argument("inputs", nargs="+", metavar="INPUT", help="files or folders: text, HTML, JSON Lines, WARC")
    batch.add_argument("--out", required=True, metavar="DIR", help="output folder (created; resumed if it exists)")
    batch.add_argument("--engine", choices=("local", "ray"), default="local", help="local processes (default) or Ray")
    batch.add_argument("--workers", type=int, default=os.cpu_count() or 1, help="worker processes (default: all cores)")
    batch.add_argument("--address", help="Ray cluster to join (ray://HOST:10001 or auto); default: a local one")
    batch.add_argument("--partition-size", type=int, default=200, help="documents per partition (default 200)")
    batch.add_argument(
        "--prefilter",
        action="store_true",
        help="skip documents with no conflict or humanitarian vocabulary before the full pipeline (recorded as "
        "skipped; docs/scaling.md gives what it loses)",
    )
    batch.add_argument("--data-dir", help="folder for sitrep's own files (default: setting data_dir)")
    batch.add_argument("--no-progress", action="store_true", help="do not show a progress bar")
    batch.set_defaults(handler=run_batch)

    load = commands.add_parser(
        "load",
        help="store a batch folder's records in the database",
        description="Store every record of a 'sitrep batch' folder in the database, one transaction per "
        "document, fusing incidents as 'sitrep ingest' does. Documents already stored are left unchanged.",
    )
    load.add_argument("folder", metavar="DIR")
    load.add_argument("--sensitivity", choices=("public", "restricted", "confidential"), default="public")
    db_options(load)
    load.add_argument("--no-progress", action="store_true", help="do not show a progress bar")
    load.set_defaults(handler=run_load)


def run_batch(args: argparse.Namespace) -> int:
    from sitrep.batch.engines import run_local, run_ray
    from sitrep.batch.partitions import plan
    from sitrep.errors import ConfigError

    if args.workers < 1:
        raise ConfigError("--workers must be at least 1", code="config.invalid_value")
    settings = load_settings(data_dir=args.data_dir)
    out = Path(args.out)
    made = plan(args.inputs, out, partition_size=args.partition_size, max_bytes=settings.max_input_bytes)
    pending = made.pending
    total = sum(len(p.items) for p in pending)
    print(
        f"{len(made.partitions)} partition(s), {len(made.done)} already done; {total} document(s) to extract "
        f"with {args.workers} {args.engine} worker(s)",
        file=sys.stderr,
    )
    if made.done == [p.id for p in made.partitions] or not pending:
        print("nothing to do", file=sys.stderr)
        return 0
    bar = None
    if not args.no_progress and sys.stderr.isatty():
        from tqdm import tqdm

        bar = tqdm(total=total, unit="doc", file=sys.stderr)
    if args.engine == "ray":
        results = run_ray(pending, out, workers=args.workers, settings=settings, address=args.address,
                          prefilter=args.prefilter)  # fmt: skip
    else:
        results = run_local(pending, out, workers=args.workers, settings=settings, prefilter=args.prefilter)
    started = time.perf_counter()
    documents = events = failures = skipped = filtered = 0
    sizes = {p.id: len(p.items) for p in pending}
    for result in results:
        documents += result.documents
        events += result.events
        failures += result.failures
        skipped += result.skipped
        filtered += result.filtered
        if bar is not None:
            bar.update(sizes[result.id])
    if bar is not None:
        bar.close()
    seconds = time.perf_counter() - started
    rate = (documents + filtered) / seconds if seconds else 0.0
    print(
        f"{documents} document(s) extracted ({events} event(s)), {filtered} dropped by the pre-filter, "
        f"{skipped} skipped, {failures} failed; {rate:.1f} documents/s; records in {out / 'records'}"
    )
    return 1 if failures else 0


def run_load(args: argparse.Namespace) -> int:
    from sitrep.batch.partitions import read_records
    from sitrep.errors import InputError
    from sitrep.model import extraction_from_dict
    from sitrep.store import database_url, open_store

    folder = Path(args.folder)
    if not (folder / "records").is_dir():
        raise InputError(f"{folder}: not a 'sitrep batch' folder (no records/)", code="input.not_found")
    import json

    settings = load_settings(data_dir=args.data_dir)
    store = open_store(database_url(args.db, settings.data_dir))
    outcomes: dict[str, int] = {}
    try:
        if store.revision() is None:
            store.upgrade()
        store.check_schema()
        rows = list(read_records(folder))
        bar = None
        if not args.no_progress and sys.stderr.isatty() and len(rows) > 1:
            from tqdm import tqdm

            bar = tqdm(total=len(rows), unit="doc", file=sys.stderr)
        actor = cli_actor()
        for row in rows:
            extraction = extraction_from_dict(json.loads(row["extraction"]))
            stored = store.add(extraction, sensitivity=args.sensitivity, actor=actor)
            outcomes[stored.outcome] = outcomes.get(stored.outcome, 0) + 1
            if bar is not None:
                bar.update(1)
        if bar is not None:
            bar.close()
    finally:
        store.close()
    print(", ".join(f"{n} {what}" for what, n in sorted(outcomes.items())) or "no records")
    return 0
