"""What ``sitrep batch`` reads: paths to a deterministic stream of raw items.

:func:`iter_inputs` walks files, folders, JSON Lines (plain or gzip) and web
archives (WARC, ARC) and yields, in a stable order, one :class:`RawItem` per
report, a :class:`Skipped` for an input that is not a report (with the reason),
or a :class:`~sitrep.model.Failure` for one that cannot be read. Nothing is
extracted here: workers turn items into documents later with
:func:`to_document`, which raises :class:`~sitrep.errors.InputError` like the
readers of ``sitrep extract``.

Keys are stable across runs: ``<path>`` for a file, ``<path>:<line>`` for a
JSON line (the line number ``sitrep extract`` reports), ``<path>@<offset>``
for a WARC record (its byte offset in the file, as warcio's indexer gives it).
"""

from __future__ import annotations

import codecs
import gzip
import io
import os
import zlib
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any, Literal

from sitrep.errors import InputError, SitrepError
from sitrep.ingest.documents import build_document, decode_bytes, parse_published
from sitrep.ingest.html import document_from_html
from sitrep.ingest.sources import HTML_SUFFIXES, TEXT_SUFFIXES, InputOptions, _jsonl_document
from sitrep.model import Document, Failure

__all__ = ["RawItem", "Skipped", "iter_inputs", "to_document"]

ItemKind = Literal["text", "html", "jsonl"]
FileKind = Literal["text", "html", "jsonl", "warc"]

JSONL_SUFFIXES = frozenset({".jsonl", ".ndjson"})
WARC_SUFFIXES = frozenset({".warc", ".arc"})
HTML_TYPES = frozenset({"text/html", "application/xhtml+xml"})
GZIP_MAGIC = b"\x1f\x8b"
_CHUNK = 1 << 16
_OVER_LIMIT = "over max_input_bytes (more than {:,} bytes)"

# _jsonl_document reads only ``published_at`` from its options (a row's own
# time or none: batch has no --published option); the limits were applied when
# the line was read.
_ROW_OPTIONS = InputOptions(max_bytes=0, timeout=0.0)


@dataclass(frozen=True)
class RawItem:
    """One report as read, not yet extracted."""

    key: str
    kind: ItemKind
    content: str
    url: str | None = None
    published_at: str | None = None


@dataclass(frozen=True)
class Skipped:
    """An input that is not a report, and why (an expected outcome, not a failure)."""

    key: str
    reason: str


Entry = RawItem | Skipped | Failure


def iter_inputs(paths: Sequence[str], *, max_bytes: int) -> Iterator[Entry]:
    """Items, skips and failures for each path, folders walked in sorted order."""

    for target in paths:
        path = Path(target)
        if path.is_dir():
            for file in sorted(_walk(path)):
                yield from _read_path(file, max_bytes=max_bytes)
        elif path.exists():
            yield from _read_path(path, max_bytes=max_bytes)
        else:
            yield Failure(str(path), "ingest", "input.not_found", f"{path}: no such file or folder")


def to_document(item: RawItem) -> Document:
    """The item as a document; raises :class:`~sitrep.errors.InputError` as ``sitrep extract`` would."""

    if item.kind == "jsonl":
        return _jsonl_document(item.content, where=item.key, options=_ROW_OPTIONS)
    published = parse_published(item.published_at, source=item.key)
    if item.kind == "html":
        document = document_from_html(
            item.content, url=item.url, published_at=published, published_source="input", source=item.key
        )
        return replace(document, source_path=item.key)
    if not item.content.strip():
        raise InputError(f"{item.key}: empty input", code="input.empty")
    return build_document(
        item.content,
        source=item.key,
        url=item.url,
        published_at=published,
        published_source="input" if published else None,
        source_path=item.key,
    )


# -- files and folders ------------------------------------------------------


def _walk(folder: Path) -> Iterator[Path]:
    """Every file under ``folder`` outside hidden files and folders (as ``sources._walk``, all suffixes)."""
    for path in folder.rglob("*"):
        if any(part.startswith(".") for part in path.relative_to(folder).parts):
            continue
        if path.is_file():
            yield path


def _file_kind(path: Path) -> FileKind | None:
    """The kind a file's name says; a ``.gz`` ending names the compression, the suffix before it the kind."""
    name = path.name.lower()
    inner = Path(name.removesuffix(".gz")) if name.endswith(".gz") else Path(name)
    suffix = inner.suffix
    if suffix in WARC_SUFFIXES:
        return "warc"
    if suffix in JSONL_SUFFIXES:
        return "jsonl"
    if suffix in HTML_SUFFIXES:
        return "html"
    if suffix in TEXT_SUFFIXES and not (name.endswith(".gz") and suffix == ""):
        return "text"
    return None


def _read_path(path: Path, *, max_bytes: int) -> Iterator[Entry]:
    source = str(path)
    kind = _file_kind(path)
    if kind is None:
        suffix = "".join(path.suffixes[-2:]) if path.suffix.lower() == ".gz" else path.suffix
        yield Skipped(source, f"not a report file ({suffix.lower() or 'no suffix'})")
        return
    try:
        if kind == "warc":
            yield from _read_warc(path, max_bytes=max_bytes)
        elif kind == "jsonl":
            yield from _read_jsonl(path, max_bytes=max_bytes)
        else:
            yield from _read_report(path, kind, max_bytes=max_bytes)
    except EOFError as exc:  # gzip: the stream ends before its end-of-stream marker
        yield Failure(source, "ingest", "input.unreadable", f"{source}: truncated gzip stream ({exc})")
    except (gzip.BadGzipFile, zlib.error) as exc:
        yield Failure(source, "ingest", "input.unreadable", f"{source}: damaged gzip stream ({exc})")
    except OSError as exc:  # permissions, removed meanwhile, I/O error: a failure, not a crash
        yield Failure(source, "ingest", "input.unreadable", f"{source}: cannot be read ({exc.strerror or exc})")


@contextmanager
def _open(path: Path) -> Iterator[io.BufferedIOBase]:
    """The file's bytes, decompressed when it starts with the gzip magic bytes (whatever its name)."""
    with path.open("rb") as raw:
        compressed = raw.read(2) == GZIP_MAGIC
        raw.seek(0)
        if compressed:
            with gzip.GzipFile(fileobj=raw, mode="rb") as unzipped:
                yield unzipped
        else:
            yield raw


def _read_report(path: Path, kind: Literal["text", "html"], *, max_bytes: int) -> Iterator[Entry]:
    source = str(path)
    with _open(path) as stream:
        data = stream.read(max_bytes + 1)
    if len(data) > max_bytes:
        yield Skipped(source, _OVER_LIMIT.format(max_bytes))
        return
    try:
        yield RawItem(source, kind, decode_bytes(data, source=source, max_bytes=max_bytes))
    except SitrepError as exc:
        yield Failure(source, "ingest", exc.code, exc.message)


def _read_jsonl(path: Path, *, max_bytes: int) -> Iterator[Entry]:
    source = str(path)
    seen = False
    with _open(path) as stream:
        for number, line in _lines(stream, limit=max_bytes):
            key = f"{source}:{number}"
            if line is None:
                yield Skipped(key, _OVER_LIMIT.format(max_bytes))
                seen = True
                continue
            try:
                # Only "\n" ends a line, as in sources.read_jsonl; a BOM may open the file.
                text = line.decode("utf-8-sig" if number == 1 else "utf-8")
            except UnicodeDecodeError as exc:
                message = f"{key}: not valid UTF-8 (byte {exc.start}); convert the file to UTF-8"
                yield Failure(key, "ingest", "input.encoding", message)
                seen = True
                continue
            text = text.removesuffix("\n").removesuffix("\r")
            if text.strip():
                seen = True
                yield RawItem(key, "jsonl", text)
    if not seen:
        yield Failure(source, "ingest", "input.empty", f"{source}: empty input (no JSON lines)")


def _lines(stream: io.BufferedIOBase, *, limit: int) -> Iterator[tuple[int, bytes | None]]:
    """Numbered lines split at ``\\n`` only; None for a line over ``limit`` bytes, which is read past, not kept."""
    number = 0
    while line := stream.readline(limit + 2):  # room for the content, "\r" and "\n"
        number += 1
        if len(line.rstrip(b"\r\n")) > limit:
            while line and not line.endswith(b"\n"):
                line = stream.readline(_CHUNK)
            yield number, None
        else:
            yield number, line


# -- web archives -------------------------------------------------------------


def _read_warc(path: Path, *, max_bytes: int) -> Iterator[Entry]:
    """One entry per record; a record warcio cannot parse stops the file with a failure."""

    from warcio.archiveiterator import ArchiveIterator, WARCIterator
    from warcio.exceptions import ArchiveLoadFailed
    from warcio.statusandheaders import StatusAndHeadersParserException

    source = str(path)
    with path.open("rb") as stream:
        # ARC only where the name says so: warcio's ARC detection takes any line of
        # five words for an ARC header, so a stray text file would pass for an archive.
        if path.name.lower().removesuffix(".gz").endswith(".arc"):
            records = ArchiveIterator(stream, arc2warc=True)
        else:
            records = WARCIterator(stream)
        while True:
            start = records.offset  # where the next record begins: the previous one's end
            try:
                record = next(records)
            except StopIteration:
                # warcio ends quietly when the last record's header block is cut short
                # (it takes the EOFError for the end of the file): bytes left unread say so.
                if start < os.fstat(stream.fileno()).st_size:
                    message = f"{source}: truncated record at byte {start} (its headers end early), not read"
                    yield Failure(f"{source}@{start}", "ingest", "input.unreadable", message)
                return
            except (ArchiveLoadFailed, StatusAndHeadersParserException, ValueError, AttributeError) as exc:
                # warcio's generator is finished after raising: nothing later in the file can be read.
                # (AttributeError: warcio's loader on a response record whose headers lack WARC-Target-URI.)
                reason = "its headers end early" if isinstance(exc, AttributeError) else " ".join(str(exc).split())
                message = f"{source}: truncated or damaged record at byte {start}, the rest is unread ({reason})"
                yield Failure(f"{source}@{start}", "ingest", "input.unreadable", message)
                return
            judged = _judge_record(record, max_bytes=max_bytes)
            # Only now: get_record_offset() reads the record to its end, so the payload must be read first.
            key = f"{source}@{records.get_record_offset()}"
            if isinstance(judged, str):
                yield Skipped(key, judged)
            else:
                kind, content, url = judged
                yield RawItem(key, kind, content, url=url)


def _judge_record(record: Any, *, max_bytes: int) -> tuple[ItemKind, str, str | None] | str:
    """The record's kind, decoded payload and URL, or why it is skipped; reads the record to its end."""

    if record.rec_type is None or record.rec_headers.get_header("Content-Length") is None:
        # warcio hands over a record whose header block the end of the file cut short.
        return "warc: truncated record (headers end early)"
    reason = _skip_reason(record)
    payload = b""
    try:
        if reason is None:
            payload = record.content_stream().read(max_bytes + 1)
        while record.raw_stream.read(_CHUNK):
            pass
    except (zlib.error, OSError, ValueError) as exc:  # a Content-Encoding that does not decode
        return f"warc: damaged record ({exc})"
    # warcio's LimitReader counts down the Content-Length; what is left was never
    # in the file. Checked first: a cut record's HTTP headers may be cut too.
    missing = getattr(record.raw_stream, "limit", 0)
    if missing > 0:
        return f"warc: truncated record ({missing:,} bytes short of its Content-Length)"
    if reason is not None:
        return reason
    if len(payload) > max_bytes:
        return _OVER_LIMIT.format(max_bytes)
    if not payload.strip():
        return "warc: empty payload"
    media_type, charset = _content_type(record.http_headers.get_header("Content-Type"))
    kind: ItemKind = "text" if media_type == "text/plain" else "html"
    # errors="replace": web archives hold pages whose declared charset is wrong
    # or missing; a few replacement characters cost less than losing the page.
    content = payload.decode(charset, errors="replace").removeprefix("\ufeff")
    return kind, content, record.rec_headers.get_header("WARC-Target-URI") or None


def _skip_reason(record: Any) -> str | None:
    """Why a record is no report (from its headers alone), or None for a 200 HTML or plain-text response."""
    if record.rec_type != "response":
        return f"warc: {record.rec_type} record"
    truncated = record.rec_headers.get_header("WARC-Truncated")
    if truncated:
        return f"warc: truncated record ({truncated})"
    http = record.http_headers
    if http is None:
        return "warc: response without HTTP headers"
    try:
        status = int(http.get_statuscode())
    except (TypeError, ValueError):
        return f"warc: bad HTTP status line ({http.statusline!r})"
    if 300 <= status < 400:
        location = http.get_header("Location")
        return (
            f"warc: redirect ({status}) to {location}" if location else f"warc: redirect ({status}) without a Location"
        )
    if status != 200:
        return f"warc: HTTP {status}"
    media_type, _ = _content_type(http.get_header("Content-Type"))
    if media_type in HTML_TYPES or media_type == "text/plain":
        return None
    return f"warc: not HTML ({media_type or 'no content type'})"


def _content_type(value: str | None) -> tuple[str, str]:
    """The media type (lower case) and a usable charset (UTF-8 when none is declared or known)."""
    if not value:
        return "", "utf-8"
    media_type, *params = value.split(";")
    charset = "utf-8"
    for param in params:
        name, _, given = param.partition("=")
        if name.strip().lower() == "charset":
            given = given.strip().strip("\"'")
            try:
                charset = codecs.lookup(given).name
            except LookupError:
                charset = "utf-8"
    return media_type.strip().lower(), charset
