"""``sitrep ingest`` end to end: summaries, failed documents, bad databases; nothing stored is lost."""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any

import pytest

from sitrep.cli.main import main
from sitrep.errors import EvidenceMismatch
from sitrep.store import open_store

REPORTS = {
    "kupiansk.txt": "Russian shelling killed two civilians in Kupiansk in the Kharkiv region on Tuesday, officials said.",
    "vovchansk.txt": "About 300 residents were evacuated from Vovchansk on Monday, the regional governor said.",
    "sumy.txt": "A drone strike damaged a school in Sumy on Sunday, the city council said.",
}


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    capsys.readouterr()
    code = main(list(args))
    out = capsys.readouterr()
    return code, out.out, out.err


def write(folder: Path, names: list[str]) -> list[str]:
    folder.mkdir(exist_ok=True)
    for name in names:
        (folder / name).write_text(REPORTS[name], encoding="utf-8")
    return [str(folder / n) for n in names]


@pytest.mark.model
def test_ingest_summary_and_a_failing_document_loses_nothing(
    store_url: str, tmp_path: Path, data_dir: Path, capsys: pytest.CaptureFixture[str], monkeypatch: Any
) -> None:
    common = ["--db", store_url, "--data-dir", str(data_dir), "--no-progress", "--published", "2024-03-13"]
    first = write(tmp_path / "one", ["kupiansk.txt"])
    code, out, _ = run(capsys, "ingest", *first, *common)
    assert (code, out.strip()) == (0, "1 new, 0 updated, 0 unchanged, 0 failed")

    # One document that cannot be read, one whose extraction fails, one good, one already stored
    (tmp_path / "two").mkdir()
    (tmp_path / "two" / "binary.txt").write_bytes(b"\x00\x01\x02" * 50)
    more = write(tmp_path / "two", ["vovchansk.txt", "sumy.txt"])
    from sitrep.extract import Extractor

    real = Extractor.extract

    def flaky(self: Any, doc: Any) -> Any:
        if "drone strike" in doc.text:
            raise EvidenceMismatch("a quote did not match its offsets", code="extract.evidence_mismatch")
        return real(self, doc)

    monkeypatch.setattr(Extractor, "extract", flaky)
    code, out, err = run(capsys, "ingest", str(tmp_path / "two" / "binary.txt"), *more, *first, *common)
    assert code == 1
    assert out.strip() == "1 new, 0 updated, 1 unchanged, 2 failed"
    assert "error [extract.evidence_mismatch]" in err and "error [input." in err

    store = open_store(store_url)
    try:
        assert store.counts()["documents"] == 2
        assert store.integrity_problems() == []
        assert {i.location_name for i in store.incidents()} >= {"Kupyansk"}
    finally:
        store.close()


def test_ingest_refuses_a_corrupt_or_newer_database_and_leaves_it_alone(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    report = write(tmp_path / "in", ["kupiansk.txt"])
    corrupt = tmp_path / "corrupt.sqlite3"
    corrupt.write_bytes(b"not a database, just bytes " * 200)
    before = corrupt.read_bytes()
    code, _, err = run(capsys, "ingest", *report, "--db", str(corrupt), "--no-progress")
    assert code == 2 and "error [store.corrupt]" in err and corrupt.read_bytes() == before

    newer = tmp_path / "newer.sqlite3"
    code, _, _ = run(capsys, "db", "upgrade", "--db", str(newer))
    assert code == 0
    with sqlite3.connect(newer) as conn:
        conn.execute("UPDATE alembic_version SET version_num = '9999'")
    conn.close()
    before = newer.read_bytes()
    for args in (["ingest", *report], ["incidents"], ["db", "upgrade"], ["db", "fuse"]):
        code, _, err = run(capsys, *args, "--db", str(newer), *(["--no-progress"] if args[0] == "ingest" else []))
        assert code == 2 and "error [store.schema_newer]" in err, args
    assert newer.read_bytes() == before


def test_ingest_into_an_unreachable_server_is_a_coded_error(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    report = write(tmp_path / "in", ["kupiansk.txt"])
    url = "postgresql://nobody:secret@127.0.0.1:1/none?connect_timeout=2"
    code, _, err = run(capsys, "ingest", *report, "--db", url, "--no-progress")
    assert code == 2 and "error [store.unreachable]" in err
    assert "secret" not in err
