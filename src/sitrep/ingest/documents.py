"""Bytes and strings to :class:`~sitrep.model.Document`.

The document id is a hash of the canonical text, so the same report ingested
twice (from a file, a URL, or a JSON line) is the same document.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from datetime import date, datetime
from typing import Literal

from sitrep.errors import InputError
from sitrep.ingest.furniture import remove_furniture
from sitrep.model import Document

MIN_TEXT_CHARS = 1
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def decode_bytes(data: bytes, *, source: str, max_bytes: int) -> str:
    """Decode UTF-8 input, refusing binary data, bad encodings and huge inputs."""

    if len(data) > max_bytes:
        raise InputError(
            f"{source}: {len(data):,} bytes is over the limit of {max_bytes:,} (setting max_input_bytes)",
            code="input.too_large",
        )
    if b"\x00" in data[:65536]:
        raise InputError(f"{source}: binary data (NUL bytes), not a text report", code="input.binary")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InputError(
            f"{source}: not valid UTF-8 (byte {exc.start}: {data[exc.start : exc.start + 1]!r}); "
            "convert the file to UTF-8",
            code="input.encoding",
        ) from exc
    sample = text[:65536]
    if sample and len(_CONTROL.findall(sample)) > max(8, len(sample) // 100):
        raise InputError(f"{source}: binary data (control characters), not a text report", code="input.binary")
    return text


def normalize_text(text: str) -> str:
    """NFC, Unix newlines, no byte-order mark, no control characters other than tab and newline."""
    text = unicodedata.normalize("NFC", text.removeprefix("\ufeff").replace("\r\n", "\n").replace("\r", "\n"))
    return _CONTROL.sub(" ", text)


def parse_published(value: str | date | None, *, source: str = "--published") -> str | None:
    """Validate a publication time and return it as ISO 8601, or None."""

    if value is None:
        return None
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, date):
        return value.isoformat()
    raw = str(value).strip()
    if not raw:
        return None
    try:
        if len(raw) == 10:
            return date.fromisoformat(raw).isoformat()
        return datetime.fromisoformat(raw).isoformat()
    except ValueError as exc:
        raise InputError(
            f"{source}: {raw!r} is not an ISO 8601 date or date-time (e.g. 2024-09-16 or 2024-09-16T08:30:00+00:00)",
            code="input.published_invalid",
        ) from exc


_ENGLISH_WORDS = frozenset(
    "the of and to in a is that for on was with as by at from said has have were it its be are "
    "this an not but after which who their had been they he she".split()
)


def guess_language(text: str) -> str | None:
    """``"en"`` when the text reads as English, else None (unknown)."""
    words = re.findall(r"[^\W\d_]+", text[:20000].lower())
    if len(words) < 3:
        return None
    share = sum(word in _ENGLISH_WORDS for word in words) / len(words)
    return "en" if share >= 0.12 else None


def text_sha256(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def document_id(text: str) -> str:
    """The content hash that identifies a document: ``d`` + 24 hex digits."""
    return "d" + text_sha256(text)[:24]


def build_document(
    raw: str,
    *,
    source: str,
    remove_furniture_: bool = True,
    content_type: Literal["text", "html"] = "text",
    published_at: str | None = None,
    published_source: Literal["page", "option", "input"] | None = None,
    url: str | None = None,
    title: str | None = None,
    outlet: str | None = None,
    author: str | None = None,
    source_id: str | None = None,
    source_path: str | None = None,
) -> Document:
    raw = normalize_text(raw)
    if remove_furniture_:
        text, removed = remove_furniture(raw)
    else:
        text, removed = raw, ()
    if len(text.strip()) < MIN_TEXT_CHARS:
        raise InputError(f"{source}: no report text (empty or only white space)", code="input.empty")
    return Document(
        id=document_id(text),
        text=text,
        text_sha256=text_sha256(text),
        raw_text=raw,
        removed=removed,
        url=url,
        outlet=outlet,
        title=title,
        author=author,
        published_at=published_at,
        published_source=published_source if published_at else None,
        language=guess_language(text),
        source_id=source_id,
        source_path=source_path,
        content_type=content_type,
    )


def document_from_text(
    raw: str,
    *,
    published_at: str | None = None,
    url: str | None = None,
    title: str | None = None,
    outlet: str | None = None,
    source_id: str | None = None,
    source: str = "<text>",
    remove_furniture: bool = True,
) -> Document:
    """A document from plain text; furniture removed unless told otherwise."""

    published = parse_published(published_at, source=source)
    return build_document(
        raw,
        source=source,
        remove_furniture_=remove_furniture,
        published_at=published,
        published_source="input" if published else None,
        url=url,
        title=title,
        outlet=outlet,
        source_id=source_id,
    )
