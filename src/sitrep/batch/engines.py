"""Where partitions are extracted: ``local`` (processes on this machine) or ``ray`` (Ray Data).

Both run the same :func:`~sitrep.batch.partitions.process_partition` in workers
that load the language model and the gazetteer once each, so the records are
the same whichever engine wrote them. Ray is imported here and nowhere else.
"""

from __future__ import annotations

import multiprocessing
from collections.abc import Iterator, Sequence
from dataclasses import asdict
from pathlib import Path
from typing import Any

from sitrep.batch.partitions import (
    Partition,
    PartitionResult,
    partition_from_json,
    partition_to_json,
    process_partition,
)
from sitrep.settings import Settings

ENGINES = ("local", "ray")

_worker: dict[str, Any] = {}


def _load_worker(settings: dict[str, Any], out: str, prefilter: bool) -> None:
    from sitrep.extract import Extractor

    _worker["extractor"] = Extractor.load(Settings(**settings))
    _worker["out"] = Path(out)
    _worker["prefilter"] = _prefilter() if prefilter else None


def _prefilter() -> Any:
    from sitrep.batch.prefilter import looks_relevant

    return looks_relevant


def _run_one(partition: Partition) -> PartitionResult:
    return process_partition(_worker["extractor"], partition, _worker["out"], prefilter=_worker["prefilter"])


def run_local(
    partitions: Sequence[Partition], out: Path, *, workers: int, settings: Settings, prefilter: bool = False
) -> Iterator[PartitionResult]:
    """Partitions on ``workers`` processes of this machine (spawned: nothing inherited but the settings)."""
    if not partitions:
        return
    context = multiprocessing.get_context("spawn")
    with context.Pool(workers, initializer=_load_worker, initargs=(asdict(settings), str(out), prefilter)) as pool:
        yield from pool.imap_unordered(_run_one, partitions, chunksize=1)


class _RayWorker:
    """A Ray actor: loads the extractor once, then extracts the partitions it is given."""

    def __init__(self, settings: dict[str, Any], out: str, prefilter: bool) -> None:
        _load_worker(settings, out, prefilter)

    def __call__(self, batch: dict[str, Any]) -> dict[str, Any]:
        results = [asdict(_run_one(partition_from_json(str(p)))) for p in batch["partition"]]
        return {key: [r[key] for r in results] for key in results[0]} if results else {"id": []}


def run_ray(
    partitions: Sequence[Partition],
    out: Path,
    *,
    workers: int,
    settings: Settings,
    address: str | None = None,
    prefilter: bool = False,
) -> Iterator[PartitionResult]:
    """Partitions on a Ray cluster: ``address`` (``ray://host:10001`` or ``auto``) or a local one of ``workers``
    CPUs. An actor pool of ``workers`` actors, one CPU each; the output folder must be on storage every node sees."""
    if not partitions:
        return
    import ray
    import ray.data

    started_here = not ray.is_initialized()
    if started_here:
        if address:
            ray.init(address=address, log_to_driver=False)
        else:
            ray.init(num_cpus=workers, include_dashboard=False, log_to_driver=False)
    try:
        context = ray.data.DataContext.get_current()
        context.enable_progress_bars = False
        dataset = ray.data.from_items([{"partition": partition_to_json(p)} for p in partitions]).map_batches(
            _RayWorker,
            fn_constructor_kwargs={"settings": asdict(settings), "out": str(out), "prefilter": prefilter},
            concurrency=workers,
            batch_size=1,
            num_cpus=1,
        )
        for row in dataset.iter_rows():
            yield PartitionResult(**{k: row[k] for k in PartitionResult.__dataclass_fields__})
    finally:
        if started_here:
            ray.shutdown()
