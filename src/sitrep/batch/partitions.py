"""A batch run's output folder: partitions of the inputs, each written once, atomically.

The inputs are cut, in their own order, into partitions of ``partition_size``
items (``p000000``, ``p000001``, ...). A worker extracts one partition and
writes ``records/part-<id>.parquet`` (one row per document: its key, id and the
extraction as JSON) and ``failures/part-<id>.jsonl`` (failures and skipped
items, with reasons), each to a temporary name first and renamed into place,
the Parquet file last. A partition is done when its Parquet file exists, so a
run killed at any point and started again redoes only the unfinished
partitions and never writes a record twice. ``manifest.json`` pins the inputs
and the partition size: resuming with other ones is refused.
"""

from __future__ import annotations

import json
import os
import time
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from sitrep.batch.inputs import RawItem, Skipped, iter_inputs, to_document
from sitrep.errors import ConfigError, SitrepError
from sitrep.model import Failure

MANIFEST = "manifest.json"
FORMAT_VERSION = 1
RECORD_COLUMNS = ("key", "document_id", "published_at", "events", "extraction")


@dataclass(frozen=True)
class Partition:
    id: str
    items: tuple[RawItem, ...]
    passed: tuple[dict[str, Any], ...] = ()  # skipped and failed inputs met while reading, as failure lines


@dataclass(frozen=True)
class PartitionResult:
    id: str
    documents: int
    events: int
    failures: int
    skipped: int
    seconds: float
    filtered: int = 0  # dropped by the pre-filter


@dataclass
class Plan:
    partitions: list[Partition]
    done: list[str] = field(default_factory=list)

    @property
    def pending(self) -> list[Partition]:
        finished = set(self.done)
        return [p for p in self.partitions if p.id not in finished]


def records_path(out: Path, partition_id: str) -> Path:
    return out / "records" / f"part-{partition_id}.parquet"


def failures_path(out: Path, partition_id: str) -> Path:
    return out / "failures" / f"part-{partition_id}.jsonl"


def plan(paths: Sequence[str], out: Path, *, partition_size: int, max_bytes: int) -> Plan:
    """Read the inputs into partitions, check or write the manifest, and note which partitions are done."""
    if partition_size < 1:
        raise ConfigError("--partition-size must be at least 1", code="config.invalid_value")
    manifest = {
        "format": FORMAT_VERSION,
        "inputs": [str(Path(p).resolve()) if "://" not in p else p for p in paths],
        "partition_size": partition_size,
    }
    out.mkdir(parents=True, exist_ok=True)
    written = out / MANIFEST
    if written.exists():
        try:
            earlier = json.loads(written.read_text(encoding="utf-8"))
        except (OSError, ValueError) as exc:
            raise ConfigError(f"{written}: unreadable manifest ({exc})", code="batch.manifest") from exc
        if earlier != manifest:
            raise ConfigError(
                f"{out} holds a run of other inputs or another partition size ({written}); "
                "use a new --out folder, or the same inputs and --partition-size to resume",
                code="batch.manifest",
            )
    else:
        _write_atomically(written, json.dumps(manifest, indent=2).encode("utf-8"))
    partitions = list(_cut(iter_inputs(paths, max_bytes=max_bytes), partition_size))
    done = [p.id for p in partitions if records_path(out, p.id).exists()]
    return Plan(partitions, done)


def _cut(stream: Iterable[RawItem | Skipped | Failure], size: int) -> Iterator[Partition]:
    items: list[RawItem] = []
    passed: list[dict[str, Any]] = []
    number = 0
    for entry in stream:
        if isinstance(entry, RawItem):
            items.append(entry)
        elif isinstance(entry, Skipped):
            passed.append(
                {"key": entry.key, "kind": "skipped", "stage": "read", "code": "skipped", "reason": entry.reason}
            )
        else:
            passed.append({"key": entry.source, "kind": "failure", "stage": entry.stage, "code": entry.code,
                           "reason": entry.message})  # fmt: skip
        if len(items) >= size:
            yield Partition(f"p{number:06d}", tuple(items), tuple(passed))
            items, passed, number = [], [], number + 1
    if items or passed:
        yield Partition(f"p{number:06d}", tuple(items), tuple(passed))


def process_partition(extractor: Any, partition: Partition, out: Path, *, prefilter: Any = None) -> PartitionResult:
    """Extract one partition and write its files (the worker's whole job, the same on every engine)."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    started = time.perf_counter()
    rows: dict[str, list[Any]] = {name: [] for name in RECORD_COLUMNS}
    failures = list(partition.passed)
    filtered = 0
    documents: list[tuple[str, Any]] = []
    for item in partition.items:
        try:
            document = to_document(item)
        except SitrepError as exc:
            failures.append({"key": item.key, "kind": "failure", "stage": "ingest", "code": exc.code,
                             "reason": exc.message})  # fmt: skip
            continue
        if prefilter is not None and not prefilter(document.text):
            filtered += 1
            failures.append({"key": item.key, "kind": "skipped", "stage": "prefilter", "code": "filtered",
                             "reason": "no conflict or humanitarian vocabulary (pre-filter)"})  # fmt: skip
            continue
        documents.append((item.key, document))
    for key, extraction in _extract_all(extractor, documents, failures):
        rows["key"].append(key)
        rows["document_id"].append(extraction.document.id)
        rows["published_at"].append(extraction.document.published_at)
        rows["events"].append(len(extraction.events))
        rows["extraction"].append(json.dumps(extraction.to_dict(), ensure_ascii=False, sort_keys=True))
    schema = pa.schema(
        [
            ("key", pa.string()),
            ("document_id", pa.string()),
            ("published_at", pa.string()),
            ("events", pa.int32()),
            ("extraction", pa.string()),
        ]
    )
    table = pa.table(rows, schema=schema)
    lines = "".join(json.dumps(f, ensure_ascii=False, sort_keys=True) + "\n" for f in failures)
    _write_atomically(failures_path(out, partition.id), lines.encode("utf-8"))
    target = records_path(out, partition.id)
    target.parent.mkdir(parents=True, exist_ok=True)
    temporary = target.with_name(target.name + f".tmp-{os.getpid()}")
    pq.write_table(table, temporary)
    _fsync(temporary)
    os.replace(temporary, target)  # last: the partition is done once this name exists
    skipped = sum(1 for f in failures if f["kind"] == "skipped")
    return PartitionResult(
        partition.id,
        documents=len(rows["key"]),
        events=sum(rows["events"]),
        failures=len(failures) - skipped,
        skipped=skipped - filtered,
        seconds=time.perf_counter() - started,
        filtered=filtered,
    )


def _extract_all(
    extractor: Any, documents: list[tuple[str, Any]], failures: list[dict[str, Any]]
) -> Iterator[tuple[str, Any]]:
    """Extractions in the documents' order: batched through the pipeline (faster), one by one once a document
    fails, so that its failure is recorded and the others are extracted."""
    try:
        extractions = list(extractor.extract_many([d for _, d in documents]))
    except SitrepError:
        extractions = None
    if extractions is not None:
        yield from zip((k for k, _ in documents), extractions, strict=True)
        return
    for key, document in documents:
        try:
            yield key, extractor.extract(document)
        except SitrepError as exc:
            failures.append({"key": key, "kind": "failure", "stage": "extract", "code": exc.code,
                             "reason": exc.message})  # fmt: skip


def read_records(out: Path) -> Iterator[dict[str, Any]]:
    """Every stored record row of a batch folder, partition by partition, in input order."""
    import pyarrow.parquet as pq

    for path in sorted((out / "records").glob("part-*.parquet")):
        yield from pq.read_table(path).to_pylist()


def read_failures(out: Path) -> Iterator[dict[str, Any]]:
    for path in sorted((out / "failures").glob("part-*.jsonl")):
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.strip():
                yield json.loads(line)


def partition_to_json(partition: Partition) -> str:
    """A partition as one string (how the Ray engine ships it to an actor)."""
    return json.dumps(
        {"id": partition.id, "items": [asdict(i) for i in partition.items], "passed": list(partition.passed)}
    )


def partition_from_json(text: str) -> Partition:
    data = json.loads(text)
    return Partition(data["id"], tuple(RawItem(**i) for i in data["items"]), tuple(data["passed"]))


def _write_atomically(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(path.name + f".tmp-{os.getpid()}")
    with temporary.open("wb") as handle:
        handle.write(data)
        handle.flush()
        os.fsync(handle.fileno())
    os.replace(temporary, path)


def _fsync(path: Path) -> None:
    with path.open("rb") as handle:
        os.fsync(handle.fileno())
