"""Smoke run: sitrep's full extraction over every benchmark news article.

Reads ``../shared/bench/news-articles/`` (outside the project) and prints:
crashes (an exception for an article, with its code and file), evidence
mismatches (a place, date, quantity, or event/claim evidence whose quote is
not ``document.text[start:end]``), places/dates/quantities per article,
the status distribution of places, the most frequent unresolved place texts,
and the time taken. Exits 1 when anything crashed or mismatched.

With ``--sample N`` it also prints N events drawn at random (``--seed``)
with their sentence, type, place, date, figures and claimant, for the
manual read the events issue asks for.

Usage: python bench/news_smoke.py [--limit N] [--batch-size N] [--articles DIR] [--sample N [--seed S]]
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import time
import traceback
from collections import Counter
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

# Run as a script, this folder is on sys.path: share the article loader.
from extract_speed import (
    DEFAULT_ARTICLES,
    BenchDataMissing,
    NewsArticle,
    load_news_articles,
    positive_int,
)

if TYPE_CHECKING:
    from sitrep.extract import Extractor
    from sitrep.model import Document, Extraction

TOP_UNRESOLVED = 15
SHOW_PROBLEMS = 40


@dataclass(frozen=True)
class Crash:
    file: str
    stage: str
    code: str
    message: str
    where: str


@dataclass(frozen=True)
class Mismatch:
    file: str
    kind: str
    start: int
    end: int
    quote: str
    actual: str


def crash_from(exc: Exception, *, file: str, stage: str) -> Crash:
    """A crash record: sitrep's stable code, else the exception's class name."""

    from sitrep.errors import SitrepError

    if isinstance(exc, SitrepError):
        code, message = exc.code, exc.message
    else:
        code, message = f"crash.{type(exc).__name__}", str(exc)
    frames = traceback.extract_tb(exc.__traceback__)
    where = f"{Path(frames[-1].filename).name}:{frames[-1].lineno}" if frames else "?"
    first_line = message.splitlines()[0][:200] if message else ""
    return Crash(file, stage, code, first_line, where)


def evidence_spans(extraction: Extraction) -> Iterator[tuple[str, int, int, str]]:
    """(kind, start, end, quote) of every piece of evidence in an extraction."""

    for place in extraction.places:
        yield "place", place.start, place.end, place.text
    for date in extraction.dates:
        yield "date", date.start, date.end, date.text
    for quantity in extraction.quantities:
        yield "quantity", quantity.start, quantity.end, quantity.text
    for kind, records in (("event", extraction.events), ("claim", extraction.claims)):
        for record in records:
            yield from _nested_evidence(kind, record)


def _nested_evidence(kind: str, value: Any) -> Iterator[tuple[str, int, int, str]]:
    """Evidence-shaped dicts (``start``, ``end``, ``quote``) anywhere inside a record."""

    if isinstance(value, Mapping):
        start, end, quote = value.get("start"), value.get("end"), value.get("quote")
        if isinstance(start, int) and isinstance(end, int) and isinstance(quote, str):
            yield kind, start, end, quote
        for item in value.values():
            yield from _nested_evidence(kind, item)
    elif isinstance(value, list | tuple):
        for item in value:
            yield from _nested_evidence(kind, item)


def check_evidence(extraction: Extraction, *, file: str) -> list[Mismatch]:
    text = extraction.document.text
    return [
        Mismatch(file, kind, start, end, quote, text[start:end])
        for kind, start, end, quote in evidence_spans(extraction)
        if text[start:end] != quote or not 0 <= start <= end <= len(text)
    ]


def extract_all(
    extractor: Extractor, documents: Sequence[Document], *, batch_size: int
) -> tuple[list[Extraction], list[Crash]]:
    """Batches through ``extract_many``; a failing batch is redone one by one."""

    extractions: list[Extraction] = []
    crashes: list[Crash] = []
    for first in range(0, len(documents), batch_size):
        batch = list(documents[first : first + batch_size])
        try:
            results = list(extractor.extract_many(batch))
        except Exception:  # redone below, one document at a time
            results = []
        if len(results) == len(batch):
            extractions.extend(results)
            continue
        for document in batch:
            try:
                extractions.append(extractor.extract(document))
            except Exception as exc:  # a crash is what this run counts
                crashes.append(crash_from(exc, file=document.source_id or "?", stage="extract"))
    return extractions, crashes


def per_article(counts: Sequence[int]) -> str:
    if not counts:
        return "-"
    return f"mean {statistics.fmean(counts):.1f}, max {max(counts)}, total {sum(counts):,}"


def format_summary(
    extractions: Sequence[Extraction],
    crashes: Sequence[Crash],
    mismatches: Sequence[Mismatch],
    *,
    articles: int,
    seconds: Mapping[str, float],
) -> str:
    statuses = Counter(p.status for e in extractions for p in e.places)
    unresolved = Counter(p.text for e in extractions for p in e.places if p.status == "unresolved")
    types = Counter(ev.sub_event_type for e in extractions for ev in e.events)
    lines = [
        (
            f"news_smoke: {articles:,} articles, {len(extractions):,} extracted, "
            f"{len(crashes):,} crashes, {len(mismatches):,} evidence mismatches"
        ),
        "places per article      " + per_article([len(e.places) for e in extractions]),
        "dates per article       " + per_article([len(e.dates) for e in extractions]),
        "quantities per article  " + per_article([len(e.quantities) for e in extractions]),
        "events per article      " + per_article([len(e.events) for e in extractions]),
        "event types             " + (", ".join(f"{k} {v:,}" for k, v in types.most_common()) or "-"),
        "claims                  " + per_article([len(e.claims) for e in extractions]),
        "place statuses          " + (", ".join(f"{k} {v:,}" for k, v in sorted(statuses.items())) or "-"),
        f"top {TOP_UNRESOLVED} unresolved places: "
        + (", ".join(f"{t} {n}" for t, n in unresolved.most_common(TOP_UNRESOLVED)) or "-"),
        "time                    " + ", ".join(f"{stage} {value:.1f} s" for stage, value in seconds.items()),
    ]
    for crash in crashes[:SHOW_PROBLEMS]:
        lines.append(f"crash    {crash.file}: {crash.stage} [{crash.code}] {crash.message} ({crash.where})")
    for m in mismatches[:SHOW_PROBLEMS]:
        lines.append(f"mismatch {m.file}: {m.kind} [{m.start}:{m.end}] quote {m.quote!r} but text has {m.actual!r}")
    hidden = max(0, len(crashes) - SHOW_PROBLEMS) + max(0, len(mismatches) - SHOW_PROBLEMS)
    if hidden:
        lines.append(f"... and {hidden:,} more")
    return "\n".join(lines)


def sample_events(extractions: Sequence[Extraction], count: int, seed: int) -> str:
    """``count`` events drawn at random, each with what a reader needs to judge it."""
    pool = [(e.document.source_id or "?", ev) for e in extractions for ev in e.events]
    chosen = random.Random(seed).sample(pool, min(count, len(pool)))
    lines = [f"{len(chosen)} random events (seed {seed}) of {len(pool):,}:"]
    for number, (source, ev) in enumerate(chosen, 1):
        place = f"{ev.location.name} ({ev.location.precision})" if ev.location else "-"
        when = f"{ev.date.start}..{ev.date.end}" if ev.date else "-"
        who = f"{ev.claimant.name} [{ev.stance}]" if ev.claimant else ev.stance
        actors = ", ".join(f"{a.name}:{a.role}" for a in ev.actors) or "-"
        figures = ", ".join(f"{q.kind}={q.value}" for q in ev.quantities) or "-"
        lines.append(f"{number:>2}. {source} | {ev.event_type} / {ev.sub_event_type} | trigger {ev.trigger.quote!r}")
        lines.append(f"    place {place}; date {when}; fatalities {ev.fatalities}; figures {figures}")
        lines.append(f"    claimant {who}; actors {actors}; tags {', '.join(ev.tags) or '-'}")
        lines.append(f'    "{" ".join(ev.evidence.quote.split())}"')
    return "\n".join(lines)


def run(articles: Sequence[NewsArticle], *, batch_size: int, sample: int = 0, seed: int = 0) -> tuple[str, bool]:
    """The smoke run; returns the summary and whether it was clean."""

    from sitrep.extract import Extractor
    from sitrep.ingest import document_from_text
    from sitrep.settings import load_settings

    seconds: dict[str, float] = {}
    started = time.perf_counter()
    extractor = Extractor.load(load_settings())
    seconds["load"] = time.perf_counter() - started

    started = time.perf_counter()
    documents: list[Document] = []
    crashes: list[Crash] = []
    for article in articles:
        try:
            documents.append(
                document_from_text(article.text, published_at=article.published_at, source_id=article.path.name)
            )
        except Exception as exc:  # a crash is what this run counts
            crashes.append(crash_from(exc, file=article.path.name, stage="ingest"))
    seconds["ingest"] = time.perf_counter() - started

    started = time.perf_counter()
    extractions, extract_crashes = extract_all(extractor, documents, batch_size=batch_size)
    crashes.extend(extract_crashes)
    seconds["extract"] = time.perf_counter() - started
    seconds["total"] = sum(seconds.values())

    mismatches = [m for e in extractions for m in check_evidence(e, file=e.document.source_id or "?")]
    summary = format_summary(extractions, crashes, mismatches, articles=len(articles), seconds=seconds)
    if sample:
        summary += "\n" + sample_events(extractions, sample, seed)
    return summary, not crashes and not mismatches


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--articles", type=Path, default=DEFAULT_ARTICLES, help="article folder")
    parser.add_argument("--limit", type=positive_int, default=None, help="first N articles")
    parser.add_argument("--batch-size", type=positive_int, default=32, help="documents a batch")
    parser.add_argument("--sample", type=positive_int, default=0, help="also print N random events to read")
    parser.add_argument("--seed", type=int, default=0, help="seed for --sample")
    args = parser.parse_args(argv)
    try:
        articles = load_news_articles(args.articles, limit=args.limit)
    except BenchDataMissing as exc:
        print(f"error [bench.data_missing]: {exc}", file=sys.stderr)
        return 2
    summary, clean = run(articles, batch_size=args.batch_size, sample=args.sample, seed=args.seed)
    print(summary)
    return 0 if clean else 1


if __name__ == "__main__":
    sys.exit(main())
