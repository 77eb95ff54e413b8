"""``sitrep extract`` and ``sitrep demo``: documents in, JSON Lines or a table out."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable, Iterable, Iterator
from typing import Any, TextIO

from sitrep.errors import SitrepError
from sitrep.examples import load_examples
from sitrep.ingest import InputOptions, parse_published, read_inputs
from sitrep.model import Document, Extraction, Failure
from sitrep.settings import load_settings


def register(commands: Any) -> None:
    extract = commands.add_parser(
        "extract",
        help="extract places, dates and figures from reports",
        description=(
            "Read reports (plain text, HTML, JSON Lines; files, folders, URLs or - for standard "
            "input) and print one JSON object per document: the cleaned document, its places, "
            "dates and figures, each with offsets and the quoted text. Failed inputs are reported "
            "as 'error [code]: message' on standard error; the others are still processed "
            "(exit status 1 when any input failed)."
        ),
    )
    extract.add_argument("inputs", nargs="+", metavar="PATH|URL|-", help="files, folders, http(s) URLs, or - for stdin")
    _common(extract)
    extract.set_defaults(handler=run_extract)

    demo = commands.add_parser(
        "demo",
        help="run extraction on the built-in example reports",
        description=(
            "Run the extraction on the built-in example reports, print the result, and store them in the "
            "default SQLite database (record.sqlite3 in the data directory)."
        ),
    )
    demo.add_argument("--format", choices=("table", "jsonl"), default="table", help="output format (default: table)")
    demo.add_argument("--data-dir", help="folder for sitrep's own files (default: setting data_dir)")
    demo.set_defaults(handler=run_demo)


def _common(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--published",
        metavar="ISO",
        help="publication date or date-time (ISO 8601) for inputs that do not carry their own",
    )
    parser.add_argument("--format", choices=("jsonl", "table"), default="jsonl", help="output format (default: jsonl)")
    parser.add_argument("--data-dir", help="folder for sitrep's own files (default: setting data_dir)")
    parser.add_argument("--no-progress", action="store_true", help="do not show a progress bar")


def run_extract(args: argparse.Namespace) -> int:
    from sitrep.extract import Extractor

    published = parse_published(args.published)
    settings = load_settings(data_dir=args.data_dir)
    options = InputOptions(max_bytes=settings.max_input_bytes, timeout=settings.http_timeout, published_at=published)
    items = list(read_inputs(args.inputs, options=options))
    # No model load (seconds, or a missing-model error) when every input already failed.
    extractor = Extractor.load(settings) if any(isinstance(i, Document) for i in items) else None
    failures = _emit(extractor, items, fmt=args.format, progress=not args.no_progress, out=sys.stdout)
    return 1 if failures else 0


def run_demo(args: argparse.Namespace) -> int:
    from sitrep.extract import Extractor
    from sitrep.store import database_url, open_store

    settings = load_settings(data_dir=args.data_dir)
    items: list[Document | Failure] = list(load_examples())
    extractor = Extractor.load(settings)
    # Printed, then stored in the embedded SQLite default as `sitrep ingest` would store them
    url = database_url(None, settings.data_dir)
    store = open_store(url)
    outcomes: list[str] = []
    try:
        store.upgrade()
        failures = _emit(
            extractor,
            items,
            fmt=args.format,
            progress=False,
            out=sys.stdout,
            keep=lambda extraction: outcomes.append(store.add(extraction).outcome),
        )
        incidents = store.counts()["incidents"]
    finally:
        store.close()
    print(
        f"stored in {url}: {outcomes.count('new')} new, {outcomes.count('unchanged')} unchanged; "
        f"{incidents} incident(s) in the record (see 'sitrep incidents')",
        file=sys.stderr,
    )
    return 1 if failures else 0


def _emit(
    extractor: Any,
    items: list[Document | Failure],
    *,
    fmt: str,
    progress: bool,
    out: TextIO,
    keep: Callable[[Extraction], object] | None = None,
) -> int:
    """Print each extraction (and hand it to ``keep``); returns how many inputs failed."""
    failures = 0
    for item in extract_items(extractor, items, progress=progress):
        if isinstance(item, Failure):
            failures += 1
            print(f"error [{item.code}]: {item.message}", file=sys.stderr)
            continue
        if keep is not None:
            keep(item)
        if fmt == "jsonl":
            out.write(json.dumps(item.to_dict(), ensure_ascii=False) + "\n")
        else:
            out.write(format_table(item) + "\n")
    if failures:
        print(f"{failures} input(s) failed; the others were processed", file=sys.stderr)
    return failures


def extract_items(extractor: Any, items: list[Document | Failure], *, progress: bool) -> Iterator[Extraction | Failure]:
    """Each input's extraction, or its failure, in order; a progress bar on a terminal for many."""
    documents = [i for i in items if isinstance(i, Document)]
    bar = None
    if progress and len(documents) > 1 and sys.stderr.isatty():
        from tqdm import tqdm

        bar = tqdm(total=len(documents), unit="doc", file=sys.stderr)
    for item in items:
        if isinstance(item, Failure):
            yield item
            continue
        try:
            yield extractor.extract(item)
        except SitrepError as exc:
            yield Failure(item.source_path or item.id, "extract", exc.code, exc.message)
        finally:
            if bar is not None:
                bar.update(1)
    if bar is not None:
        bar.close()


def format_table(extraction: Extraction) -> str:
    doc = extraction.document
    lines = [
        f"== {doc.title or doc.source_path or doc.id}",
        f"   id {doc.id}  published {doc.published_at or 'unknown'}  outlet {doc.outlet or '-'}  "
        f"removed {len(doc.removed)} part(s): {', '.join(sorted({r.reason for r in doc.removed})) or '-'}",
    ]
    lines.extend(
        _rows(
            "places",
            extraction.places,
            lambda p: (
                f"{p.text!r:28} {p.status:10} {p.precision or '-':8} "
                f"{p.name or '-'} ({p.country_code or '-'}, {p.admin1 or '-'})"
            ),
        )
    )
    lines.extend(
        _rows(
            "dates",
            extraction.dates,
            lambda d: f"{d.text!r:28} {d.status:10} {d.date_start or '?'}..{d.date_end or '?'} {d.precision or ''}",
        )
    )
    lines.extend(
        _rows(
            "figures",
            extraction.quantities,
            lambda q: (
                f"{q.text!r:28} {q.kind:11} value={q.value:g} "
                f"{q.qualifier} low={_num(q.low)} high={_num(q.high)} unit={q.unit or '-'}"
            ),
        )
    )
    return "\n".join(lines)


def _num(value: float | None) -> str:
    return "null" if value is None else f"{value:g}"


def _rows(title: str, items: Iterable[Any], render: Any) -> list[str]:
    rows = [f"   {title}:"]
    rows.extend(f"     {render(item)}" for item in items)
    if len(rows) == 1:
        rows.append("     (none)")
    return rows
