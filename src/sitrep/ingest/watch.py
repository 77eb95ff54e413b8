"""Polling RSS/Atom feeds and folders, and storing what is new (``sitrep watch``).

A :class:`Watcher` polls each source once per :meth:`Watcher.poll_once`. A new
item is recorded ``pending`` in ``watch_items`` (committed) with the time it
was discovered, then made into a document, extracted and stored
(``Store.add``, one transaction), then marked ``stored`` with its latency, the
time from discovery to the stored provisional record. An item that fails is
marked ``failed`` and tried again on later polls, up to :data:`MAX_ATTEMPTS`
times. A source that fails (network error, HTTP 500, not a feed) is reported
in the :class:`PollReport` and polled again next time; it never stops the
watcher. All state is in the database: a new watcher goes on where the last
one stopped, retrying items an earlier run left pending.
"""

from __future__ import annotations

import hashlib
import statistics
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import Any

import httpx

from sitrep.errors import FetchError, InputError, SitrepError
from sitrep.ingest.documents import build_document, parse_published
from sitrep.ingest.feeds import FeedItem, fetch_feed, parse_feed
from sitrep.ingest.sources import HTML_SUFFIXES, JSONL_SUFFIXES, InputOptions, read_inputs
from sitrep.model import Document, Failure
from sitrep.settings import Settings
from sitrep.store.watch import mark_failed, mark_pending, mark_stored, seconds, watch_items_of

MAX_ATTEMPTS = 3
MIN_CONTENT_CHARS = 400  # a feed item's own text shorter than this: fetch its link instead
WATCH_SUFFIXES = frozenset({".txt"}) | HTML_SUFFIXES | JSONL_SUFFIXES


@dataclass
class SourceReport:
    """What one poll of one source found and did."""

    source: str
    new: int = 0  # items not seen before (or retried) in this poll
    stored: int = 0
    failed: int = 0
    error: str | None = None  # the message when the source itself could not be read
    error_code: str | None = None  # and its code (fetch.http_status, input.feed_malformed ...)
    latencies: list[float] = field(default_factory=list)  # seconds, per stored item
    failures: list[str] = field(default_factory=list)  # "item: code: message" per failed item

    @property
    def median_latency(self) -> float | None:
        return statistics.median(self.latencies) if self.latencies else None


@dataclass
class PollReport:
    """One poll over every source."""

    sources: list[SourceReport]
    started_at: float
    finished_at: float

    @property
    def stored(self) -> int:
        return sum(s.stored for s in self.sources)

    @property
    def failed(self) -> int:
        return sum(s.failed for s in self.sources)

    @property
    def errors(self) -> dict[str, str]:
        return {s.source: s.error for s in self.sources if s.error is not None}


@dataclass(frozen=True)
class _Item:
    """A candidate from a source: its id, link, and how to make its documents."""

    item_id: str
    link: str | None
    make: Callable[[], list[Document | Failure]]


class Watcher:
    """Polls feeds (http/https URLs) and folders and stores their new items in ``store``."""

    def __init__(
        self,
        store: Any,
        extractor: Any,
        sources: Sequence[str],
        *,
        settings: Settings,
        clock: Callable[[], float] = time.time,
        transport: httpx.BaseTransport | None = None,
        sensitivity: str = "public",
        actor: str = "system",
    ) -> None:
        self.store = store
        self.extractor = extractor
        self.sources = list(sources)
        self.settings = settings
        self.clock = clock
        self.transport = transport
        self.sensitivity = sensitivity
        self.actor = actor
        self.started_at = clock()
        self._files: dict[Path, tuple[int, int, str]] = {}  # (size, mtime_ns, sha256) of files seen

    def poll_once(self) -> PollReport:
        started = self.clock()
        reports = [self._poll_source(source) for source in self.sources]
        return PollReport(reports, started, self.clock())

    # one source -----------------------------------------------------------------------------

    def _poll_source(self, source: str) -> SourceReport:
        report = SourceReport(source)
        try:
            items = self._feed_items(source) if _is_url(source) else self._folder_items(source)
            known = watch_items_of(self.store, source)
            for item in items:
                row = known.get((source, item.item_id))
                if row is not None and not self._retry(row.status, row.attempts, row.discovered_at):
                    continue
                report.new += 1
                self._process(source, item, report)
        except SitrepError as exc:
            report.error, report.error_code = exc.message, exc.code
        return report

    def _retry(self, status: str, attempts: int, discovered_at: str) -> bool:
        if status == "failed":
            return attempts < MAX_ATTEMPTS
        if status == "pending":  # left by a run that stopped half-way (not by this one)
            return seconds(discovered_at) < self.started_at
        return False

    def _process(self, source: str, item: _Item, report: SourceReport) -> None:
        mark_pending(self.store, source, item.item_id, link=item.link, discovered_at=self.clock())
        try:
            document_id = self._store_documents(item)
        except SitrepError as exc:
            mark_failed(self.store, source, item.item_id, error=f"{exc.code}: {exc.message}")
            report.failed += 1
            report.failures.append(f"{item.item_id}: {exc.code}: {exc.message}")
            return
        report.stored += 1
        report.latencies.append(
            mark_stored(self.store, source, item.item_id, stored_at=self.clock(), document_id=document_id)
        )

    def _store_documents(self, item: _Item) -> str | None:
        """Make, extract and store the item's documents; the first failure raises (what is stored stays)."""
        document_id = None
        first_failure: Failure | None = None
        for made in item.make():
            if isinstance(made, Failure):
                first_failure = first_failure or made
                continue
            extraction = self.extractor.extract(made)
            stored = self.store.add(extraction, sensitivity=self.sensitivity, actor=self.actor)
            document_id = document_id or stored.document_id
        if first_failure is not None:
            raise InputError(first_failure.message, code=first_failure.code)
        return document_id

    # feeds ----------------------------------------------------------------------------------

    def _options(self, published_at: str | None = None) -> InputOptions:
        return InputOptions(
            max_bytes=self.settings.max_input_bytes,
            timeout=self.settings.http_timeout,
            published_at=published_at,
            transport=self.transport,
        )

    def _feed_items(self, url: str) -> list[_Item]:
        data = fetch_feed(
            url, timeout=self.settings.http_timeout, max_bytes=self.settings.max_input_bytes, transport=self.transport
        )
        return [
            _Item(entry.item_id, entry.link, _feed_maker(entry, url, self._options))
            for entry in parse_feed(data, url=url)
        ]

    # folders --------------------------------------------------------------------------------

    def _folder_items(self, source: str) -> list[_Item]:
        folder = Path(source)
        if not folder.is_dir():
            raise InputError(f"{source}: not a folder nor an http(s) feed URL", code="input.not_found")
        items = []
        for path in sorted(folder.rglob("*")):
            relative = path.relative_to(folder)
            if any(part.startswith(".") for part in relative.parts) or path.suffix.lower() not in WATCH_SUFFIXES:
                continue
            try:
                stat = path.stat()
                if not path.is_file():
                    continue
                seen = self._files.get(path)
                if seen is None or seen[:2] != (stat.st_size, stat.st_mtime_ns):  # new or changed: hash it
                    seen = (stat.st_size, stat.st_mtime_ns, hashlib.sha256(path.read_bytes()).hexdigest())
            except OSError:
                continue  # removed or unreadable meanwhile: looked at again next poll
            self._files[path] = seen
            item_id = f"{relative.as_posix()}:{seen[2]}"
            items.append(_Item(item_id, None, partial(_read_file, path, self._options())))
        return items


def _read_file(path: Path, options: InputOptions) -> list[Document | Failure]:
    return list(read_inputs([str(path)], options=options))


def _is_url(source: str) -> bool:
    return source.startswith(("http://", "https://"))


def _feed_maker(
    entry: FeedItem, feed_url: str, options: Callable[[str | None], InputOptions]
) -> Callable[[], list[Document | Failure]]:
    def make() -> list[Document | Failure]:
        source = f"{feed_url}#{entry.item_id}"
        published = _published(entry.published_at)
        text = _plain_text(entry.content) if entry.content else ""
        if len(text.strip()) >= MIN_CONTENT_CHARS or not entry.link:
            if not text.strip():
                raise InputError(f"{source}: a feed item with no text and no link", code="input.empty")
            return [
                build_document(
                    text,
                    source=source,
                    published_at=published,
                    published_source="input" if published else None,
                    url=entry.link,
                    title=entry.title,
                    source_id=entry.item_id,
                )
            ]
        if not _is_url(entry.link):  # a hostile feed's "/etc/passwd" must not be read as a local file
            raise FetchError(f"{source}: link {entry.link!r} is not an http(s) URL", code="fetch.bad_url")
        return list(read_inputs([entry.link], options=options(published)))

    return make


def _published(value: str | None) -> str | None:
    try:
        return parse_published(value)
    except InputError:
        return None  # an unreadable date in a feed: unknown, not a failure


def _plain_text(content: str) -> str:
    """A feed item's body as text: HTML fragments lose their markup, paragraphs stay apart."""
    if "<" not in content:
        return content
    from lxml import etree, html

    try:
        fragment = html.fragment_fromstring(content, create_parent="div")
    except (etree.ParserError, ValueError):
        return content
    for element in fragment.iter("p", "div", "br", "li", "h1", "h2", "h3", "h4", "blockquote"):
        element.tail = "\n\n" + (element.tail or "")
    etree.strip_elements(fragment, "script", "style", with_tail=False)
    return str(fragment.text_content()).strip()
