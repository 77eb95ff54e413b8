"""``sitrep db upgrade | fuse`` and ``sitrep ingest``: the record in a database."""

from __future__ import annotations

import argparse
import sys
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from sitrep.cli.extract import extract_items
from sitrep.ingest import InputOptions, parse_published, read_inputs
from sitrep.model import Document, Failure
from sitrep.settings import load_settings

DB_HELP = "database: a file path, sqlite:///PATH or postgresql://USER@HOST:PORT/DB (default: record.sqlite3 in the data directory)"


def register(commands: Any) -> None:
    db = commands.add_parser("db", help="manage the database", description="Manage sitrep's database.")
    db_commands = db.add_subparsers(dest="db_command", metavar="ACTION", required=True)
    upgrade = db_commands.add_parser(
        "upgrade",
        help="create the database or migrate it to this version's schema",
        description="Create the database if needed and migrate it to the newest schema (Alembic).",
    )
    db_options(upgrade)
    upgrade.set_defaults(handler=run_upgrade)
    fuse = db_commands.add_parser(
        "fuse",
        help="fuse every stored event into incidents afresh",
        description="Re-run incident fusion and territorial control over the whole record (ingest does this "
        "for each new document; run it after changing sitrep's fusion rules). Analysts' splits and merges stay.",
    )
    db_options(fuse)
    fuse.set_defaults(handler=run_fuse)
    purge = db_commands.add_parser(
        "purge",
        help="remove old field reports' personal data",
        description="Remove the personal data (names of authors, witnesses and informants, contacts, where the "
        "report was made) of field reports received more than DAYS days ago. Their text and records stay. "
        "Audited.",
    )
    purge.add_argument("--days", type=int, help="default: the retention_days setting")
    db_options(purge)
    purge.set_defaults(handler=run_purge)

    ingest = commands.add_parser(
        "ingest",
        help="extract reports and store them in the database",
        description=(
            "Read reports (files, folders, URLs, JSON Lines or - for standard input), extract them and store "
            "each document with its places, events and claims in one transaction. The same text again changes "
            "nothing; a new text at the same canonical URL is stored as an update and the earlier version is "
            "kept, marked as superseded. Ends with a summary: new, updated, unchanged, failed (with reasons). "
            "Exit status 1 when any input failed."
        ),
    )
    ingest.add_argument("inputs", nargs="+", metavar="PATH|URL|-", help="files, folders, http(s) URLs, or - for stdin")
    ingest.add_argument(
        "--published", metavar="ISO", help="publication date or date-time for inputs that do not carry their own"
    )
    ingest.add_argument(
        "--sensitivity",
        choices=("public", "restricted", "confidential"),
        default="public",
        help="who may see these documents (default: public; docs/data-protection.md)",
    )
    db_options(ingest)
    ingest.add_argument("--no-progress", action="store_true", help="do not show a progress bar")
    ingest.set_defaults(handler=run_ingest)


def run_upgrade(args: argparse.Namespace) -> int:
    from sitrep.store import database_url, open_store

    settings = load_settings(data_dir=args.data_dir)
    store = open_store(database_url(args.db, settings.data_dir))
    try:
        before, after = store.upgrade()
    finally:
        store.close()
    if before == after:
        print(f"database already at schema {after}")
    else:
        print(f"database migrated from schema {before or 'none'} to {after}")
    return 0


def db_options(parser: argparse.ArgumentParser) -> None:
    """``--db`` and ``--data-dir``, for every command that uses the database."""
    parser.add_argument("--db", help=DB_HELP)
    parser.add_argument("--data-dir", help="folder for sitrep's own files (default: setting data_dir)")


@contextmanager
def existing_store(args: argparse.Namespace) -> Iterator[Any]:
    """The database ``--db`` names, which must exist and be at this sitrep's schema; closed afterwards."""
    from sitrep.store import database_url, open_store

    settings = load_settings(data_dir=args.data_dir)
    store = open_store(database_url(args.db, settings.data_dir), create=False)
    try:
        store.check_schema()
        yield store
    finally:
        store.close()


def cli_actor() -> str:
    """Who runs the command, for the audit log: ``cli:<login>``."""
    import getpass

    try:
        return f"cli:{getpass.getuser()}"
    except (KeyError, OSError):
        return "cli:unknown"


def run_purge(args: argparse.Namespace) -> int:
    from sitrep.errors import ConfigError

    settings = load_settings(data_dir=args.data_dir)
    days = args.days if args.days is not None else settings.retention_days
    if days is None or days < 0:
        raise ConfigError("give --days N (0 or more), or set SITREP_RETENTION_DAYS", code="config.invalid_value")
    with existing_store(args) as store:
        purged = store.purge_personal_data(older_than_days=days, caller=cli_actor())
    print(f"personal data removed from {len(purged)} field report(s)")
    return 0


def run_fuse(args: argparse.Namespace) -> int:
    with existing_store(args) as store:
        count = store.refuse_all()
    print(f"{count} incident(s)")
    return 0


def run_ingest(args: argparse.Namespace) -> int:
    from sitrep.extract import Extractor
    from sitrep.store import database_url, open_store

    published = parse_published(args.published)
    settings = load_settings(data_dir=args.data_dir)
    store = open_store(database_url(args.db, settings.data_dir))
    try:
        if store.revision() is None:
            store.upgrade()  # a new, empty database: create the schema
        store.check_schema()
        options = InputOptions(
            max_bytes=settings.max_input_bytes, timeout=settings.http_timeout, published_at=published
        )
        items = list(read_inputs(args.inputs, options=options))
        extractor = Extractor.load(settings) if any(isinstance(i, Document) for i in items) else None
        outcomes: Counter[str] = Counter()
        failures: list[Failure] = []
        bounded = 0
        # A store.* error raised by add() stops the run; what is stored stays stored
        for item in extract_items(extractor, items, progress=not args.no_progress):
            if isinstance(item, Failure):
                failures.append(item)
            else:
                stored = store.add(item, sensitivity=args.sensitivity, actor=cli_actor())
                outcomes[stored.outcome] += 1
                bounded += stored.bounded
    finally:
        store.close()
    for failure in failures:
        print(f"error [{failure.code}]: {failure.message}", file=sys.stderr)
    print(
        f"{outcomes['new']} new, {outcomes['updated']} updated, {outcomes['unchanged']} unchanged, "
        f"{len(failures)} failed"
    )
    if bounded:
        print(
            f"note: {bounded} document(s) fell in dense parts of the record and were fused with a limited "
            "neighbourhood; run 'sitrep db fuse' for the exact grouping of region-level reports",
            file=sys.stderr,
        )
    return 1 if failures else 0
