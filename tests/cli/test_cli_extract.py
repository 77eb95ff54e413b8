"""``sitrep extract`` end to end, in-process: good documents out, bad ones as coded errors."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

pytestmark = [pytest.mark.model, pytest.mark.usefixtures("extractor")]

Run = Callable[..., Any]

REPORT = (
    "KYIV, Sept 16 - Shelling hit the central market in Kupiansk on Monday, killing four people and "
    "injuring eleven, the regional governor said.\n\n"
    "Share this article\n"
)
REPORT_2 = "More than 150,000 civilians have been evacuated from the Kursk region since August 6, officials said.\n"
PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x10\x00\x00\x00\x10\x08\x06\x00\x00\x00"
ERROR_LINE = re.compile(r"^error \[(?P<code>[a-z_]+\.[a-z_]+)\]: (?P<message>.+)$")


def records(out: str) -> list[dict[str, Any]]:
    return [json.loads(line) for line in out.splitlines()]


def error_codes(err: str) -> list[str]:
    assert "Traceback" not in err
    codes = []
    for line in err.splitlines():
        match = ERROR_LINE.match(line)
        if match:
            codes.append(match["code"])
    return codes


def write(path: Path, data: str | bytes) -> Path:
    if isinstance(data, str):
        data = data.encode("utf-8")
    path.write_bytes(data)
    return path


def test_one_text_file(sitrep: Run, data_dir: Path, tmp_path: Path) -> None:
    path = write(tmp_path / "report.txt", REPORT)

    result = sitrep("extract", str(path), "--data-dir", str(data_dir), "--published", "2024-09-16")

    assert result.code == 0, result.err
    assert result.err == ""
    (record,) = records(result.out)
    assert set(record) >= {"document", "places", "dates", "quantities", "events", "claims", "extractor"}
    document = record["document"]
    assert document["source_path"] == str(path)
    assert (document["published_at"], document["published_source"]) == ("2024-09-16", "option")
    assert "raw_text" not in document
    assert [(r["quote"], r["reason"]) for r in document["removed"]] == [("Share this article", "share_prompt")]
    assert "Share this article" not in document["text"]
    places = [p["text"] for p in record["places"]]
    assert "Kupiansk" in places
    for item in record["places"] + record["dates"] + record["quantities"]:
        assert document["text"][item["start"] : item["end"]] == item["text"]


@pytest.mark.parametrize(
    ("name", "data", "code"),
    [
        ("empty.txt", b"", "input.empty"),
        ("image.png", PNG, "input.binary"),
        ("latin1.txt", "Kupiansk café évacués".encode("latin-1"), "input.encoding"),
        ("no-body.html", b"<html><head><title>Only a title</title></head></html>", "input.html_no_body"),
        ("bad.jsonl", b'{"id": 1, "text": \n', "input.jsonl_malformed"),
    ],
)
def test_each_bad_input_prints_a_coded_error_and_the_good_document(
    sitrep: Run, data_dir: Path, tmp_path: Path, name: str, data: bytes, code: str
) -> None:
    good = write(tmp_path / "good.txt", REPORT)
    bad = write(tmp_path / name, data)

    result = sitrep("extract", str(good), str(bad), "--data-dir", str(data_dir))

    assert result.code == 1
    assert error_codes(result.err) == [code]
    assert str(bad) in result.err
    assert "1 input(s) failed; the others were processed" in result.err
    (record,) = records(result.out)
    assert record["document"]["source_path"] == str(good)


def test_fifty_megabytes_is_too_large(sitrep: Run, data_dir: Path, tmp_path: Path) -> None:
    huge = tmp_path / "huge.txt"
    line = REPORT_2.encode()
    huge.write_bytes(line * (50_000_000 // len(line) + 1))
    good = write(tmp_path / "good.txt", REPORT)

    result = sitrep("extract", str(huge), str(good), "--data-dir", str(data_dir))

    assert result.code == 1
    assert error_codes(result.err) == ["input.too_large"]
    assert "20,000,000" in result.err
    assert len(records(result.out)) == 1


def test_max_input_bytes_setting_from_the_environment(
    sitrep: Run, data_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SITREP_MAX_INPUT_BYTES", "100")
    small = write(tmp_path / "small.txt", "Four people were killed in Kupiansk on Monday.\n")
    big = write(tmp_path / "big.txt", REPORT)

    result = sitrep("extract", str(small), str(big), "--data-dir", str(data_dir))

    assert result.code == 1
    assert error_codes(result.err) == ["input.too_large"]
    assert "over the limit of 100" in result.err
    assert [r["document"]["source_path"] for r in records(result.out)] == [str(small)]


def test_folder_with_good_and_bad_files(sitrep: Run, data_dir: Path, tmp_path: Path) -> None:
    write(tmp_path / "1-good.txt", REPORT)
    write(tmp_path / "2-empty.txt", b"")
    write(tmp_path / "3-binary.txt", PNG)
    (tmp_path / "sub").mkdir()
    write(tmp_path / "sub" / "4-good.txt", REPORT_2)
    write(tmp_path / ".hidden.txt", b"")

    result = sitrep("extract", str(tmp_path), "--data-dir", str(data_dir))

    assert result.code == 1
    assert error_codes(result.err) == ["input.empty", "input.binary"]
    assert "2 input(s) failed" in result.err
    assert [Path(r["document"]["source_path"]).name for r in records(result.out)] == ["1-good.txt", "4-good.txt"]


def test_jsonl_with_a_bad_line_between_good_ones(sitrep: Run, data_dir: Path, tmp_path: Path) -> None:
    path = write(
        tmp_path / "reports.jsonl",
        json.dumps({"id": "r1", "text": REPORT, "published_at": "2024-09-16"})
        + "\n{not json}\n"
        + json.dumps({"id": "r3", "text": REPORT_2, "outlet": "Wire"})
        + "\n",
    )

    result = sitrep("extract", str(path), "--data-dir", str(data_dir), "--published", "2024-09-01")

    assert result.code == 1
    assert error_codes(result.err) == ["input.jsonl_malformed"]
    assert f"{path}:2" in result.err
    first, third = records(result.out)
    assert first["document"]["source_id"] == "r1"
    assert (first["document"]["published_at"], first["document"]["published_source"]) == ("2024-09-16", "input")
    assert third["document"]["source_id"] == "r3"
    assert third["document"]["outlet"] == "Wire"
    assert (third["document"]["published_at"], third["document"]["published_source"]) == ("2024-09-01", "option")


def test_standard_input_gives_the_same_document_as_the_file(sitrep: Run, data_dir: Path, tmp_path: Path) -> None:
    path = write(tmp_path / "report.txt", REPORT)

    from_stdin = sitrep("extract", "-", "--data-dir", str(data_dir), stdin=REPORT.encode())
    from_file = sitrep("extract", str(path), "--data-dir", str(data_dir))

    assert from_stdin.code == from_file.code == 0
    (a,), (b,) = records(from_stdin.out), records(from_file.out)
    assert a["document"]["id"] == b["document"]["id"]
    assert a["document"]["source_path"] is None


def test_url_arguments(sitrep: Run, data_dir: Path, http_base: str) -> None:
    result = sitrep(
        "extract", f"{http_base}/page.html", f"{http_base}/missing", "--data-dir", str(data_dir), "--no-progress"
    )

    assert result.code == 1
    assert error_codes(result.err) == ["fetch.http_status"]
    assert f"{http_base}/missing" in result.err
    (record,) = records(result.out)
    document = record["document"]
    assert document["url"] == f"{http_base}/page.html"
    assert document["outlet"] == "Marren Courier"
    assert (document["published_at"], document["published_source"]) == ("2024-06-13T16:45:00+03:00", "page")
    assert "Kupiansk" in [p["text"] for p in record["places"]]


def test_url_published_option_overrides_the_page(sitrep: Run, data_dir: Path, http_base: str) -> None:
    result = sitrep("extract", f"{http_base}/page.html", "--published", "2024-06-14", "--data-dir", str(data_dir))
    assert result.code == 0, result.err
    (record,) = records(result.out)
    assert (record["document"]["published_at"], record["document"]["published_source"]) == ("2024-06-14", "option")


def test_url_over_the_size_setting(
    sitrep: Run, data_dir: Path, http_base: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SITREP_MAX_INPUT_BYTES", "1000")
    result = sitrep("extract", f"{http_base}/big.txt", "--data-dir", str(data_dir))
    assert result.code == 1
    assert error_codes(result.err) == ["fetch.too_large"]
    assert result.out == ""


def test_missing_file(sitrep: Run, data_dir: Path, tmp_path: Path) -> None:
    result = sitrep("extract", str(tmp_path / "nowhere.txt"), "--data-dir", str(data_dir))
    assert result.code == 1
    assert error_codes(result.err) == ["input.not_found"]
    assert result.out == ""


def test_table_format(sitrep: Run, data_dir: Path, tmp_path: Path) -> None:
    path = write(tmp_path / "report.txt", REPORT)
    result = sitrep("extract", str(path), "--format", "table", "--data-dir", str(data_dir))
    assert result.code == 0, result.err
    assert result.out.startswith(f"== {path}\n")
    assert "removed 1 part(s): share_prompt" in result.out
    assert "places:" in result.out and "Kupiansk" in result.out
