"""Where reports come from: files, folders, JSON Lines, standard input, URLs.

:func:`read_inputs` yields one :class:`~sitrep.model.Document` or one
:class:`~sitrep.model.Failure` per report, in a stable order, so that a bad
report is recorded and the others are processed.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, replace
from functools import partial
from pathlib import Path
from typing import BinaryIO, Literal

import httpx

from sitrep.errors import InputError, SitrepError
from sitrep.ingest.documents import build_document, decode_bytes, parse_published
from sitrep.ingest.fetch import fetch_url
from sitrep.ingest.html import document_from_html, looks_like_html
from sitrep.model import Document, Failure

TEXT_SUFFIXES = frozenset({".txt", ".text", ".md", ""})
HTML_SUFFIXES = frozenset({".html", ".htm", ".xhtml"})
JSONL_SUFFIXES = frozenset({".jsonl", ".ndjson"})
FOLDER_SUFFIXES = TEXT_SUFFIXES | HTML_SUFFIXES | JSONL_SUFFIXES

InputItem = Document | Failure


@dataclass(frozen=True)
class InputOptions:
    """Options shared by every reader; passed everywhere, never global."""

    max_bytes: int
    timeout: float
    published_at: str | None = None
    transport: httpx.BaseTransport | None = None


def read_inputs(targets: Iterable[str], *, options: InputOptions, stdin: BinaryIO | None = None) -> Iterator[InputItem]:
    """Documents or failures for each target: a path, a folder, ``-`` or a URL."""

    for target in targets:
        if target == "-":
            stream = stdin if stdin is not None else sys.stdin.buffer
            yield from _guard("<stdin>", partial(_read_stdin, stream, options))
        elif target.startswith(("http://", "https://")):
            yield from _guard(target, partial(_read_url, target, options))
        else:
            path = Path(target)
            if path.is_dir():
                for file in sorted(_walk(path)):
                    yield from _guard(str(file), partial(_read_file, file, options))
            elif path.exists():
                yield from _guard(str(path), partial(_read_file, path, options))
            else:
                yield Failure(str(path), "ingest", "input.not_found", f"{path}: no such file or folder")


def _guard(source: str, produce: Callable[[], Iterable[InputItem]]) -> Iterator[InputItem]:
    """Run a reader; turn a sitrep error into a recorded failure."""
    try:
        yield from produce()
    except SitrepError as exc:
        yield Failure(source, "ingest", exc.code, exc.message)


def _walk(folder: Path) -> Iterator[Path]:
    for path in folder.rglob("*"):
        if any(part.startswith(".") for part in path.relative_to(folder).parts):
            continue
        if path.is_file() and path.suffix.lower() in FOLDER_SUFFIXES:
            yield path


def _read_file(path: Path, options: InputOptions) -> Iterator[InputItem]:
    try:
        size = path.stat().st_size
        if size > options.max_bytes:
            raise InputError(
                f"{path}: {size:,} bytes is over the limit of {options.max_bytes:,} (setting max_input_bytes)",
                code="input.too_large",
            )
        data = path.read_bytes()
    except OSError as exc:  # unreadable (permissions, removed meanwhile, I/O error): a failure, not a crash
        raise InputError(f"{path}: cannot be read ({exc.strerror or exc})", code="input.unreadable") from exc
    suffix = path.suffix.lower()
    if suffix in JSONL_SUFFIXES:
        yield from read_jsonl(data, source=str(path), options=options)
        return
    text = decode_bytes(data, source=str(path), max_bytes=options.max_bytes)
    yield _document_from_string(
        text, source=str(path), options=options, html=suffix in HTML_SUFFIXES, source_path=str(path)
    )


def _read_stdin(stream: BinaryIO, options: InputOptions) -> Iterator[InputItem]:
    data = stream.read(options.max_bytes + 1)
    text = decode_bytes(data, source="<stdin>", max_bytes=options.max_bytes)
    if _looks_like_jsonl(text):
        yield from read_jsonl(data, source="<stdin>", options=options)
        return
    yield _document_from_string(text, source="<stdin>", options=options, html=None)


def _looks_like_jsonl(text: str) -> bool:
    """A first line that is a JSON object (one line or many): JSON Lines, not a report."""
    first = text.lstrip().split("\n", 1)[0].strip()
    return first.startswith("{") and first.endswith("}")


def _read_url(url: str, options: InputOptions) -> Iterator[InputItem]:
    page = fetch_url(url, timeout=options.timeout, max_bytes=options.max_bytes, transport=options.transport)
    text = decode_bytes(page.content, source=url, max_bytes=options.max_bytes)
    html = page.content_type in ("text/html", "application/xhtml+xml") or looks_like_html(text)
    if html:
        yield document_from_html(text, url=page.url, published_at=options.published_at, source=url)
        return
    yield build_document(
        text,
        source=url,
        url=page.url,
        published_at=options.published_at,
        published_source="option" if options.published_at else None,
    )


def _document_from_string(
    text: str, *, source: str, options: InputOptions, html: bool | None, source_path: str | None = None
) -> Document:
    if not text.strip():
        raise InputError(f"{source}: empty input", code="input.empty")
    if html is None:
        html = looks_like_html(text)
    if html:
        document = document_from_html(text, published_at=options.published_at, source=source)
        return replace(document, source_path=source_path)
    return build_document(
        text,
        source=source,
        published_at=options.published_at,
        published_source="option" if options.published_at else None,
        source_path=source_path,
    )


def read_jsonl(data: bytes, *, source: str, options: InputOptions) -> Iterator[InputItem]:
    """One report per line: ``{"id", "text" or "html", "url", "title", "outlet", "published_at"}``."""

    text = decode_bytes(data, source=source, max_bytes=options.max_bytes)
    if not text.strip():
        raise InputError(f"{source}: empty input (no JSON lines)", code="input.empty")
    # Only "\n" ends a line: str.splitlines() would also split at U+2028, U+0085
    # and other characters that JSON allows unescaped inside strings.
    for number, line in enumerate(text.split("\n"), start=1):
        line = line.removesuffix("\r")
        if not line.strip():
            continue
        where = f"{source}:{number}"
        try:
            yield _jsonl_document(line, where=where, options=options)
        except SitrepError as exc:
            yield Failure(where, "ingest", exc.code, exc.message)


def _jsonl_document(line: str, *, where: str, options: InputOptions) -> Document:
    try:
        row = json.loads(line)
    except json.JSONDecodeError as exc:
        raise InputError(
            f"{where}: not valid JSON ({exc.msg} at column {exc.colno})", code="input.jsonl_malformed"
        ) from exc
    if not isinstance(row, dict):
        raise InputError(f"{where}: a JSON line must be an object", code="input.jsonl_malformed")
    fields = {}
    for key in ("id", "text", "html", "url", "title", "outlet", "published_at"):
        value = row.get(key)
        if value is not None and not isinstance(value, (str, int)):
            raise InputError(f"{where}: field {key!r} must be a string", code="input.jsonl_malformed")
        fields[key] = None if value is None else str(value)
    published = parse_published(fields["published_at"], source=where)
    published_source: Literal["input", "option"] = "input"
    if published is None and options.published_at:
        published, published_source = options.published_at, "option"
    if fields["html"]:
        return document_from_html(
            fields["html"],
            url=fields["url"],
            published_at=published,
            published_source=published_source,
            outlet=fields["outlet"],
            title=fields["title"],
            source_id=fields["id"],
            source=where,
        )
    if not fields["text"]:
        raise InputError(f'{where}: needs a non-empty "text" or "html" field', code="input.jsonl_no_text")
    return build_document(
        fields["text"],
        source=where,
        published_at=published,
        published_source=published_source,
        url=fields["url"],
        title=fields["title"],
        outlet=fields["outlet"],
        source_id=fields["id"],
    )
