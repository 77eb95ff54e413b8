"""``sitrep watch``: poll feeds and folders and store what is new."""

from __future__ import annotations

import argparse
import re
import sys
import time
from typing import Any

from sitrep.cli.store import cli_actor, db_options
from sitrep.errors import ConfigError
from sitrep.settings import load_settings

_DURATION = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*(s|m|h)?\s*$")
_UNIT_SECONDS = {"s": 1.0, "m": 60.0, "h": 3600.0}


def register(commands: Any) -> None:
    watch = commands.add_parser(
        "watch",
        help="poll RSS/Atom feeds and folders and store new reports",
        description=(
            "Poll each SOURCE (an http(s) RSS or Atom feed, or a folder of .txt, .html and .jsonl files) every "
            "DURATION and store each new item as 'sitrep ingest' would: a feed item's own text when it has "
            "enough, else the page it links to. Prints one line per poll and source: new, stored and failed "
            "items and the median latency from discovery to stored record. A source that cannot be read is "
            "reported and polled again; a failed item is tried again up to 3 times. What was seen is kept in "
            "the database, so a restarted watch goes on where it stopped. Ctrl-C stops it with a summary."
        ),
    )
    watch.add_argument("sources", nargs="+", metavar="SOURCE", help="http(s) feed URLs or folders")
    watch.add_argument(
        "--every", default="5m", metavar="DURATION", help="time between polls: 30s, 5m, 1h (default: 5m)"
    )
    watch.add_argument("--polls", type=int, metavar="N", help="stop after N polls (default: run until Ctrl-C)")
    watch.add_argument(
        "--sensitivity",
        choices=("public", "restricted", "confidential"),
        default="public",
        help="who may see these documents (default: public; docs/data-protection.md)",
    )
    db_options(watch)
    watch.set_defaults(handler=run_watch)


def parse_duration(value: str) -> float:
    """``30s``, ``5m``, ``1h`` (or a bare number of seconds) in seconds."""
    match = _DURATION.match(value)
    if match is None or float(match.group(1)) <= 0:
        raise ConfigError(f"--every {value!r}: give a duration such as 30s, 5m or 1h", code="config.invalid_value")
    return float(match.group(1)) * _UNIT_SECONDS[match.group(2) or "s"]


def run_watch(args: argparse.Namespace) -> int:
    from sitrep.extract import Extractor
    from sitrep.ingest.watch import Watcher
    from sitrep.store import database_url, open_store

    every = parse_duration(args.every)
    if args.polls is not None and args.polls < 1:
        raise ConfigError("--polls must be 1 or more", code="config.invalid_value")
    settings = load_settings(data_dir=args.data_dir)
    store = open_store(database_url(args.db, settings.data_dir))
    polls = stored = failed = 0
    try:
        if store.revision() is None:
            store.upgrade()  # a new, empty database: create the schema
        store.check_schema()
        extractor = Extractor.load(settings)
        watcher = Watcher(
            store, extractor, args.sources, settings=settings, sensitivity=args.sensitivity, actor=cli_actor()
        )
        try:
            while True:
                report = watcher.poll_once()
                polls += 1
                stored += report.stored
                failed += report.failed
                for source in report.sources:
                    _print_source(source)
                if args.polls is not None and polls >= args.polls:
                    break
                time.sleep(max(0.0, every - (report.finished_at - report.started_at)))
        except KeyboardInterrupt:
            print("interrupted", file=sys.stderr)
    finally:
        store.close()
    print(f"{polls} poll(s): {stored} stored, {failed} failed")
    return 0


def _print_source(source: Any) -> None:
    if source.error is not None:
        print(f"{source.source}: error [{source.error_code}]: {source.error}")
        return
    median = source.median_latency
    latency = f"{median:.2f} s" if median is not None else "-"
    print(
        f"{source.source}: {source.new} new, {source.stored} stored, {source.failed} failed, median latency {latency}"
    )
    for failure in source.failures:
        print(f"  failed {failure}", file=sys.stderr)
