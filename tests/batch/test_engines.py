"""Batch runs: the local and the Ray engine write identical records; a run killed part-way and run again
gives exactly the records of an uninterrupted run (none missing, none twice)."""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from sitrep.batch.engines import run_local, run_ray
from sitrep.batch.partitions import plan, read_failures, read_records, records_path
from sitrep.settings import Settings

EXAMPLES = Path(__file__).resolve().parents[2] / "src" / "sitrep" / "examples"
REPORTS = (
    "Russian shelling killed two civilians in Kupiansk on Monday, the regional governor said.",
    "About 300 residents were evacuated from villages near Vovchansk on Tuesday, officials said.",
    "A drone strike damaged a power station in Sumy overnight, the regional administration reported.",
    "Ukrainian troops captured the village of Malaya Loknya in Kursk region, the general staff said on Friday.",
)


def inputs(folder: Path) -> list[str]:
    """The built-in examples (text and HTML) and a JSON Lines file of short team-written reports."""
    reports = folder / "inputs"
    shutil.copytree(EXAMPLES, reports, ignore=shutil.ignore_patterns("*.yaml", "__*"))
    rows = [
        {"id": f"r{n}", "text": text, "outlet": "Test Wire", "published_at": f"2024-08-{10 + n:02d}"}
        for n, text in enumerate(REPORTS)
    ]
    (folder / "reports.jsonl").write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    return [str(reports), str(folder / "reports.jsonl")]


def records(out: Path) -> list[tuple[str, str, str]]:
    rows = [(r["key"], r["document_id"], r["extraction"]) for r in read_records(out)]
    return sorted(rows)


@pytest.mark.model
@pytest.mark.timeout(600)
def test_local_and_ray_engines_write_identical_records(tmp_path: Path, settings: Settings, gazetteer: object) -> None:
    paths = inputs(tmp_path)
    written = {}
    for engine in ("local", "ray"):
        out = tmp_path / engine
        made = plan(paths, out, partition_size=3, max_bytes=settings.max_input_bytes)
        run = run_local if engine == "local" else run_ray
        results = list(run(made.pending, out, workers=2, settings=settings))
        assert sorted(r.id for r in results) == [p.id for p in made.partitions]
        written[engine] = records(out)
        assert sorted(map(json.dumps, read_failures(out))) == sorted(map(json.dumps, read_failures(tmp_path / "local")))
    assert len(written["local"]) == len(REPORTS) + sum(1 for p in EXAMPLES.iterdir() if p.suffix in (".txt", ".html"))
    assert written["ray"] == written["local"]
    assert len({key for key, _, _ in written["local"]}) == len(written["local"])  # no key twice


def _batch(out: Path, paths: list[str], settings: Settings) -> list[str]:
    return [sys.executable, "-m", "sitrep", "batch", *paths, "--out", str(out), "--workers", "1",
            "--partition-size", "2", "--data-dir", settings.data_dir, "--no-progress"]  # fmt: skip


@pytest.mark.model
@pytest.mark.timeout(600)
def test_a_killed_run_resumes_to_exactly_the_uninterrupted_records(
    tmp_path: Path, settings: Settings, gazetteer: object
) -> None:
    paths = inputs(tmp_path)
    reference = tmp_path / "reference"
    done = subprocess.run(_batch(reference, paths, settings), capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr
    expected = records(reference)
    partitions = len(list((reference / "records").glob("part-*.parquet")))
    assert partitions >= 4

    out = tmp_path / "killed"
    process = subprocess.Popen(_batch(out, paths, settings), start_new_session=True,
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)  # fmt: skip
    deadline = time.monotonic() + 300
    first = records_path(out, "p000001")
    while not first.exists() and process.poll() is None and time.monotonic() < deadline:
        time.sleep(0.02)
    os.killpg(process.pid, signal.SIGKILL)  # the driver and its worker, mid-run
    process.wait()
    finished = len(list((out / "records").glob("part-*.parquet")))
    assert 0 < finished < partitions, "the kill should fall part-way through the run"

    again = subprocess.run(_batch(out, paths, settings), capture_output=True, text=True, check=False)
    assert again.returncode == 0, again.stderr
    assert f"{finished} already done" in again.stderr
    assert records(out) == expected
    assert sorted(map(json.dumps, read_failures(out))) == sorted(map(json.dumps, read_failures(reference)))


def test_resuming_with_other_inputs_is_refused(tmp_path: Path, settings: Settings) -> None:
    from sitrep.errors import ConfigError

    (tmp_path / "a.txt").write_text(REPORTS[0], encoding="utf-8")
    (tmp_path / "b.txt").write_text(REPORTS[1], encoding="utf-8")
    plan([str(tmp_path / "a.txt")], tmp_path / "out", partition_size=2, max_bytes=settings.max_input_bytes)
    with pytest.raises(ConfigError) as raised:
        plan([str(tmp_path / "b.txt")], tmp_path / "out", partition_size=2, max_bytes=settings.max_input_bytes)
    assert raised.value.code == "batch.manifest"
    with pytest.raises(ConfigError):
        plan([str(tmp_path / "a.txt")], tmp_path / "out", partition_size=3, max_bytes=settings.max_input_bytes)
