"""Throughput and peak memory: spaCy's own pipeline against sitrep's full extraction.

Reads the news articles of ``../shared/bench/news-articles/`` (outside the
project), turns them into documents the way ``sitrep extract`` does, and times

(a) ``spacy.load(settings.spacy_model).pipe`` over the documents' texts (the
    plain package pipeline, no sitrep components), and
(b) ``Extractor.extract_many`` over the documents,

with the same batch size (``--batch-size``, default 16 as in ``extract_many``;
spaCy's own default of 1,000 puts every article in one batch, which is slower
and takes 2.5 GB here),

each in a fresh child process (spawned, not forked), so that each part's peak
resident memory (``ru_maxrss``) is its own: interpreter, model, gazetteer and
all. Loading is timed apart from the passes; with ``--repeat N`` each child
makes N passes and the best is reported. Goals: sitrep takes at most 1.5 times
spaCy's time, and its peak memory stays under 1 GB.

Usage: python bench/extract_speed.py [--limit N] [--repeat N] [--batch-size N]
       [--articles DIR] [--check]
"""

from __future__ import annotations

import argparse
import multiprocessing
import re
import resource
import statistics
import sys
import time
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Literal

if TYPE_CHECKING:
    from sitrep.model import Document

DEFAULT_ARTICLES = Path(__file__).resolve().parents[2] / "shared" / "bench" / "news-articles"
GOAL_TIME_RATIO = 1.5
GOAL_PEAK_MB = 1000.0
_STAMP = re.compile(r"^(\d{8}T\d{6}Z)_")

Part = Literal["spacy", "sitrep"]


@dataclass(frozen=True)
class NewsArticle:
    """One benchmark article: its file, its text and the UTC time in its file name."""

    path: Path
    text: str
    published_at: str | None


class BenchDataMissing(Exception):
    """The benchmark articles are not where they should be."""


def published_from_name(name: str) -> str | None:
    """``20220125T090000Z_GB_en_x.txt`` -> ``2022-01-25T09:00:00+00:00``; None if absent."""

    match = _STAMP.match(name)
    if match is None:
        return None
    try:
        stamp = datetime.strptime(match.group(1), "%Y%m%dT%H%M%SZ").replace(tzinfo=UTC)
    except ValueError:
        return None
    return stamp.isoformat()


def load_news_articles(folder: Path, *, limit: int | None = None) -> list[NewsArticle]:
    """The ``*.txt`` articles of ``folder`` in name order (the first ``limit``)."""

    if not folder.is_dir():
        raise BenchDataMissing(
            f"{folder}: no such folder. The benchmark articles live outside the project, "
            "in ../shared/bench/news-articles/ (give another place with --articles)."
        )
    paths = sorted(folder.glob("*.txt"))
    if not paths:
        raise BenchDataMissing(f"{folder}: no .txt articles in it")
    paths = paths if limit is None else paths[:limit]
    return [NewsArticle(p, p.read_text(encoding="utf-8"), published_from_name(p.name)) for p in paths]


def build_documents(articles: list[NewsArticle]) -> list[Document]:
    """Documents as ``sitrep extract`` builds them (furniture removed)."""

    from sitrep.ingest import document_from_text

    return [document_from_text(a.text, published_at=a.published_at, source_id=a.path.name) for a in articles]


@dataclass(frozen=True)
class Measurement:
    part: Part
    articles: int
    characters: int
    load_seconds: float
    pass_seconds: tuple[float, ...]
    peak_rss_mb: float

    @property
    def best(self) -> float:
        return min(self.pass_seconds)

    @property
    def rate(self) -> float:
        return self.articles / self.best if self.best > 0 else float("inf")


def measure(part: Part, folder: str, limit: int | None, repeat: int, batch_size: int) -> Measurement:
    """Runs in a child process: load, then ``repeat`` passes; peak RSS at the end."""

    documents = build_documents(load_news_articles(Path(folder), limit=limit))
    from sitrep.settings import load_settings

    settings = load_settings()
    started = time.perf_counter()
    if part == "spacy":
        import spacy

        nlp = spacy.load(settings.spacy_model)
        load_seconds = time.perf_counter() - started
        texts = [d.text for d in documents]
        passes = []
        for _ in range(repeat):
            started = time.perf_counter()
            for _doc in nlp.pipe(texts, batch_size=batch_size):
                pass
            passes.append(time.perf_counter() - started)
    else:
        from sitrep.extract import Extractor

        extractor = Extractor.load(settings)
        load_seconds = time.perf_counter() - started
        passes = []
        for _ in range(repeat):
            started = time.perf_counter()
            for _extraction in extractor.extract_many(documents, batch_size=batch_size):
                pass
            passes.append(time.perf_counter() - started)
    peak_kib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss  # KiB on Linux
    return Measurement(
        part=part,
        articles=len(documents),
        characters=sum(len(d.text) for d in documents),
        load_seconds=load_seconds,
        pass_seconds=tuple(passes),
        peak_rss_mb=peak_kib * 1024 / 1e6,
    )


def measure_in_child(part: Part, folder: Path, *, limit: int | None, repeat: int, batch_size: int) -> Measurement:
    """``measure`` in a fresh spawned interpreter, so its memory is its own."""

    context = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(max_workers=1, mp_context=context) as pool:
        return pool.submit(measure, part, str(folder), limit, repeat, batch_size).result()


def format_results(spacy_run: Measurement, sitrep_run: Measurement, *, model: str, batch_size: int) -> str:
    ratio = sitrep_run.best / spacy_run.best if spacy_run.best > 0 else float("inf")
    repeats = len(spacy_run.pass_seconds)
    lines = [
        (
            f"extract_speed: {spacy_run.articles:,} articles "
            f"({spacy_run.characters:,} characters), model {model}, batch size {batch_size}, "
            f"best of {repeats} pass{'es' if repeats > 1 else ''}"
        ),
        (f"{'part':<22}{'load s':>8}{'best s':>9}{'median s':>10}{'articles/s':>12}{'peak RSS MB':>13}"),
    ]
    for label, run in (("spaCy nlp.pipe", spacy_run), ("sitrep extract_many", sitrep_run)):
        lines.append(
            f"{label:<22}{run.load_seconds:>8.1f}{run.best:>9.2f}"
            f"{statistics.median(run.pass_seconds):>10.2f}{run.rate:>12.1f}"
            f"{run.peak_rss_mb:>13.0f}"
        )
    lines.append(
        f"time ratio sitrep/spaCy: {ratio:.2f} (goal at most {GOAL_TIME_RATIO}) "
        f"{'ok' if ratio <= GOAL_TIME_RATIO else 'MISSED'}"
    )
    peak_ok = sitrep_run.peak_rss_mb < GOAL_PEAK_MB
    lines.append(
        f"sitrep peak memory: {sitrep_run.peak_rss_mb:.0f} MB (goal under {GOAL_PEAK_MB:.0f} MB) "
        f"{'ok' if peak_ok else 'MISSED'}"
    )
    return "\n".join(lines)


def goals_met(spacy_run: Measurement, sitrep_run: Measurement) -> bool:
    ratio = sitrep_run.best / spacy_run.best if spacy_run.best > 0 else float("inf")
    return ratio <= GOAL_TIME_RATIO and sitrep_run.peak_rss_mb < GOAL_PEAK_MB


def positive_int(raw: str) -> int:
    value = int(raw)
    if value <= 0:
        raise argparse.ArgumentTypeError(f"{raw!r} is not a positive whole number")
    return value


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--articles", type=Path, default=DEFAULT_ARTICLES, help="article folder")
    parser.add_argument("--limit", type=positive_int, default=None, help="first N articles")
    parser.add_argument("--repeat", type=positive_int, default=1, help="passes per part")
    parser.add_argument("--batch-size", type=positive_int, default=16, help="texts a batch")
    parser.add_argument("--check", action="store_true", help="exit 1 when a goal is missed")
    args = parser.parse_args(argv)
    try:
        load_news_articles(args.articles, limit=1)
    except BenchDataMissing as exc:
        print(f"error [bench.data_missing]: {exc}", file=sys.stderr)
        return 2
    from sitrep.settings import load_settings

    model = load_settings().spacy_model
    runs = [
        measure_in_child(part, args.articles, limit=args.limit, repeat=args.repeat, batch_size=args.batch_size)
        for part in ("spacy", "sitrep")
    ]
    spacy_run, sitrep_run = runs
    print(format_results(spacy_run, sitrep_run, model=model, batch_size=args.batch_size))
    if args.check and not goals_met(spacy_run, sitrep_run):
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
