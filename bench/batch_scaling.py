"""Batch scaling: documents per second for 1 and 2 workers on the local and the Ray engine, and the pre-filter.

The 447 news articles of ``../shared/bench/news-articles/`` are repeated (each
copy a new JSON Lines row with its own id) to ``--docs`` documents (default
20,000) and run through ``sitrep batch``'s engines (library calls, the same as
the command) into a fresh output folder per run: local with 1 and 2 workers,
Ray with 1 and 2 workers (a local Ray cluster started with that many CPUs).
Goals: 2 workers at least 1.8x one worker; Ray at most 15% slower than local at
2 workers. Then the pre-filter: the same documents with ``--prefilter`` on the
local engine at 2 workers (its speed-up), and its recall loss: of the unique
articles (and, with ``--acled``, the ACLED development notes) that the full
pipeline finds events in, how many the pre-filter would have dropped.

Times are wall-clock from the first partition handed out to the last written,
worker start-up (loading the model) included, as a user sees it. Exits 0
whether or not the goals are met; 2 when the articles are missing.

Usage: python bench/batch_scaling.py [--docs N] [--partition-size N] [--engines local,ray]
       [--workers 1,2] [--articles DIR] [--acled CSV] [--no-prefilter]
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
DEFAULT_ARTICLES = HERE.parents[1] / "shared" / "bench" / "news-articles"
GOAL_SCALING = 1.8
GOAL_RAY_OVERHEAD = 0.15


@dataclass(frozen=True)
class Run:
    engine: str
    workers: int
    prefilter: bool
    documents: int
    filtered: int
    seconds: float

    @property
    def rate(self) -> float:
        return (self.documents + self.filtered) / self.seconds


def write_inputs(articles: Path, folder: Path, docs: int) -> tuple[Path, list[str]]:
    texts = [p.read_text(encoding="utf-8") for p in sorted(articles.glob("*.txt"))]
    if not texts:
        raise SystemExit(2)
    path = folder / "articles.jsonl"
    with path.open("w", encoding="utf-8") as out:
        for n in range(docs):
            out.write(
                json.dumps({"id": f"copy{n // len(texts)}-{n % len(texts)}", "text": texts[n % len(texts)]}) + "\n"
            )
    return path, texts


def timed_run(inputs: Path, out: Path, *, engine: str, workers: int, prefilter: bool, partition_size: int) -> Run:
    from sitrep.batch.engines import run_local, run_ray
    from sitrep.batch.partitions import plan
    from sitrep.settings import load_settings

    settings = load_settings()
    made = plan([str(inputs)], out, partition_size=partition_size, max_bytes=settings.max_input_bytes)
    runner = run_local if engine == "local" else run_ray
    started = time.perf_counter()
    documents = filtered = 0
    for result in runner(made.pending, out, workers=workers, settings=settings, prefilter=prefilter):
        documents += result.documents
        filtered += result.filtered
    return Run(engine, workers, prefilter, documents, filtered, time.perf_counter() - started)


def recall_loss(texts: list[str], acled: Path | None) -> list[str]:
    """Of the texts the full pipeline finds events in, the share the pre-filter drops."""
    from sitrep.batch.prefilter import looks_relevant
    from sitrep.extract import Extractor
    from sitrep.ingest import document_from_text
    from sitrep.settings import load_settings

    sets = {"news articles (unique)": texts}
    if acled is not None and acled.exists():
        with acled.open(encoding="utf-8") as handle:
            sets["ACLED notes"] = [row["notes"] for row in csv.DictReader(handle) if row.get("notes")]
    extractor = Extractor.load(load_settings())
    lines = []
    for name, group in sets.items():
        documents = [document_from_text(t, source=name) for t in group if t.strip()]
        with_events = [d for d, x in zip(documents, extractor.extract_many(documents), strict=True) if x.events]
        dropped = [d for d in with_events if not looks_relevant(d.text)]
        kept_all = sum(1 for d in documents if looks_relevant(d.text))
        loss = len(dropped) / len(with_events) if with_events else 0.0
        lines.append(
            f"  {name}: {len(documents)} texts, {len(with_events)} with events; the pre-filter keeps "
            f"{kept_all} ({kept_all / len(documents):.1%}) and drops {len(dropped)} of those with events "
            f"(recall loss {loss:.2%})"
        )
    return lines


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--docs", type=int, default=20_000)
    parser.add_argument("--partition-size", type=int, default=200)
    parser.add_argument("--engines", default="local,ray")
    parser.add_argument("--workers", default="1,2")
    parser.add_argument("--articles", type=Path, default=DEFAULT_ARTICLES)
    parser.add_argument(
        "--acled", type=Path, default=HERE.parents[1] / "shared" / "eval" / "acled" / "ukraine-explosions-2022.csv"
    )
    parser.add_argument("--no-prefilter", action="store_true")
    args = parser.parse_args(argv)
    if not args.articles.is_dir():
        print(f"articles not found: {args.articles}", file=sys.stderr)
        return 2
    engines = [e for e in args.engines.split(",") if e]
    workers = [int(w) for w in args.workers.split(",") if w]
    print(f"started {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}; {os.cpu_count()} CPUs; "
          f"{args.docs:,} documents, partitions of {args.partition_size}")  # fmt: skip
    runs: list[Run] = []
    with tempfile.TemporaryDirectory(prefix="sitrep-batch-bench.") as tmp:
        inputs, texts = write_inputs(args.articles, Path(tmp), args.docs)
        for engine in engines:
            for n in workers:
                run = timed_run(inputs, Path(tmp) / f"{engine}-{n}", engine=engine, workers=n, prefilter=False,
                                partition_size=args.partition_size)  # fmt: skip
                runs.append(run)
                print(f"  {engine:6} {n} worker(s): {run.documents:,} documents in {run.seconds:.0f} s, "
                      f"{run.rate:.1f} documents/s", flush=True)  # fmt: skip
        if not args.no_prefilter and "local" in engines:
            n = max(workers)
            run = timed_run(inputs, Path(tmp) / "prefilter", engine="local", workers=n, prefilter=True,
                            partition_size=args.partition_size)  # fmt: skip
            runs.append(run)
            print(f"  local  {n} worker(s) with the pre-filter: {run.documents:,} extracted, {run.filtered:,} dropped, "
                  f"{run.seconds:.0f} s, {run.rate:.1f} documents/s", flush=True)  # fmt: skip
    rate = {(r.engine, r.workers, r.prefilter): r.rate for r in runs}
    for engine in engines:
        if (engine, 1, False) in rate and (engine, 2, False) in rate:
            ratio = rate[(engine, 2, False)] / rate[(engine, 1, False)]
            print(f"{engine}: 2 workers / 1 worker = {ratio:.2f}x (goal at least {GOAL_SCALING}x): "
                  f"{'met' if ratio >= GOAL_SCALING else 'MISSED'}")  # fmt: skip
    if ("local", 2, False) in rate and ("ray", 2, False) in rate:
        overhead = 1 - rate[("ray", 2, False)] / rate[("local", 2, False)]
        print(f"Ray overhead against local at 2 workers: {overhead:.1%} (goal at most {GOAL_RAY_OVERHEAD:.0%}): "
              f"{'met' if overhead <= GOAL_RAY_OVERHEAD else 'MISSED'}")  # fmt: skip
    if ("local", max(workers), True) in rate and ("local", max(workers), False) in rate:
        speedup = rate[("local", max(workers), True)] / rate[("local", max(workers), False)]
        print(f"pre-filter speed-up at {max(workers)} workers: {speedup:.2f}x")
        print("pre-filter recall (full pipeline as the reference):")
        for line in recall_loss(texts, args.acled):
            print(line)
    return 0


if __name__ == "__main__":
    sys.exit(main())
