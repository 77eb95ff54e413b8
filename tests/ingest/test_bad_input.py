"""Bad input gives a clear coded error; in a batch it is one failure among documents."""

from __future__ import annotations

import io
import json
from dataclasses import replace
from pathlib import Path

import pytest

from sitrep.errors import InputError
from sitrep.ingest import InputOptions, document_from_html, parse_published, read_inputs
from sitrep.ingest.documents import decode_bytes
from sitrep.model import Document, Failure
from sitrep.settings import load_settings

PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x10\x00\x00\x00\x10\x08\x06\x00\x00\x00\x1f\xf3\xffa"
GOOD = "Shelling hit the central market in Vostokgrad on Tuesday, killing four people, the governor said.\n"
GOOD_2 = "Aid agencies said they had registered another 600 people who left villages near Ridgeford.\n"


def read(paths: list[Path | str], options: InputOptions) -> list[Document | Failure]:
    return list(read_inputs([str(p) for p in paths], options=options))


def only_failure(items: list[Document | Failure]) -> Failure:
    assert len(items) == 1, items
    failure = items[0]
    assert isinstance(failure, Failure), failure
    assert failure.stage == "ingest"
    return failure


@pytest.mark.parametrize(
    ("name", "data", "code"),
    [
        ("empty.txt", b"", "input.empty"),
        ("blank.txt", b"  \n\n\t \r\n", "input.empty"),
        ("empty.html", b"", "input.empty"),
        ("empty.jsonl", b"\n\n", "input.empty"),
        ("image.png", PNG, "input.binary"),
        ("image.txt", PNG, "input.binary"),
        ("controls.txt", bytes(range(1, 9)) * 20 + b"text", "input.binary"),
        ("latin1.txt", "Zaporizhzhia café, 600 évacués\n".encode("latin-1"), "input.encoding"),
        ("no-body.html", b"<html><head><title>Only a title</title></head></html>", "input.html_no_body"),
        ("empty-body.html", b"<!doctype html><html><head></head><body>   </body></html>", "input.html_no_body"),
        (
            "script-only.html",
            b"<html><head><script>var x = 1;</script></head><body><script>go()</script></body></html>",
            "input.html_no_body",
        ),
    ],
)
def test_bad_file_gives_coded_failure(
    tmp_path: Path, input_options: InputOptions, name: str, data: bytes, code: str
) -> None:
    path = tmp_path / name
    path.write_bytes(data)

    failure = only_failure(read([path], input_options))

    assert failure.code == code
    assert failure.source == str(path)
    assert str(path) in failure.message


def test_encoding_error_says_where_and_what_to_do(input_options: InputOptions) -> None:
    with pytest.raises(InputError) as caught:
        decode_bytes(b"Kharkiv \xe9vacuation", source="notes.txt", max_bytes=input_options.max_bytes)
    assert caught.value.code == "input.encoding"
    assert "byte 8" in caught.value.message
    assert "UTF-8" in caught.value.message


def test_utf8_with_bom_is_fine(tmp_path: Path, input_options: InputOptions) -> None:
    path = tmp_path / "bom.txt"
    path.write_bytes(b"\xef\xbb\xbf" + GOOD.encode())
    (document,) = read([path], input_options)
    assert isinstance(document, Document)
    assert document.text == GOOD.strip()


def test_fifty_megabytes_is_over_the_default_limit(tmp_path: Path) -> None:
    settings = load_settings(environ={})
    assert settings.max_input_bytes == 20_000_000
    options = InputOptions(max_bytes=settings.max_input_bytes, timeout=settings.http_timeout)
    path = tmp_path / "huge.txt"
    line = GOOD.encode()
    with path.open("wb") as out:
        out.write(line * (50_000_000 // len(line) + 1))
    assert path.stat().st_size > 50_000_000

    failure = only_failure(read([path], options))

    assert failure.code == "input.too_large"
    assert "max_input_bytes" in failure.message
    assert "20,000,000" in failure.message


def test_too_large_on_stdin(input_options: InputOptions) -> None:
    options = replace(input_options, max_bytes=1000)
    items = list(read_inputs(["-"], options=options, stdin=io.BytesIO(GOOD.encode() * 100)))
    assert only_failure(items).code == "input.too_large"


def test_a_file_exactly_at_the_limit_is_read(tmp_path: Path, input_options: InputOptions) -> None:
    path = tmp_path / "limit.txt"
    path.write_bytes(GOOD.encode())
    (document,) = read([path], replace(input_options, max_bytes=len(GOOD.encode())))
    assert isinstance(document, Document)


def test_missing_path(tmp_path: Path, input_options: InputOptions) -> None:
    failure = only_failure(read([tmp_path / "nowhere.txt"], input_options))
    assert failure.code == "input.not_found"


def test_unreadable_file_is_a_failure_not_a_crash(
    tmp_path: Path, input_options: InputOptions, monkeypatch: pytest.MonkeyPatch
) -> None:
    good, bad = tmp_path / "a.txt", tmp_path / "b.txt"
    good.write_text(GOOD, encoding="utf-8")
    bad.write_text(GOOD_2, encoding="utf-8")
    real_read_bytes = Path.read_bytes

    def read_bytes(self: Path) -> bytes:
        if self.name == "b.txt":
            raise PermissionError(13, "Permission denied", str(self))
        return real_read_bytes(self)

    monkeypatch.setattr(Path, "read_bytes", read_bytes)

    document, failure = read([tmp_path], input_options)

    assert isinstance(document, Document)
    assert isinstance(failure, Failure)
    assert failure.code == "input.unreadable"
    assert "Permission denied" in failure.message


@pytest.mark.parametrize("value", ["yesterday", "2024-13-01", "16/09/2024", "Sept 16", "2024-09-16T25:00"])
def test_unparseable_published(value: str) -> None:
    with pytest.raises(InputError) as caught:
        parse_published(value)
    assert caught.value.code == "input.published_invalid"
    assert value in caught.value.message
    assert "--published" in caught.value.message


def test_unparseable_published_in_html_call() -> None:
    with pytest.raises(InputError) as caught:
        document_from_html("<html><body><p>Text.</p></body></html>", published_at="last Tuesday")
    assert caught.value.code == "input.published_invalid"


def test_folder_with_good_and_bad_files(tmp_path: Path, input_options: InputOptions) -> None:
    (tmp_path / "01-good.txt").write_text(GOOD, encoding="utf-8")
    (tmp_path / "02-empty.txt").write_bytes(b"")
    (tmp_path / "03-binary.txt").write_bytes(PNG)
    (tmp_path / "04-latin1.txt").write_bytes("café évacués".encode("latin-1"))
    (tmp_path / "05-no-body.html").write_text("<html><head><title>x</title></head></html>", encoding="utf-8")
    (tmp_path / "06-good.txt").write_text(GOOD_2, encoding="utf-8")

    items = read([tmp_path], input_options)

    summary = [
        (Path(i.source_path or "").name, "ok") if isinstance(i, Document) else (Path(i.source).name, i.code)
        for i in items
    ]
    assert summary == [
        ("01-good.txt", "ok"),
        ("02-empty.txt", "input.empty"),
        ("03-binary.txt", "input.binary"),
        ("04-latin1.txt", "input.encoding"),
        ("05-no-body.html", "input.html_no_body"),
        ("06-good.txt", "ok"),
    ]


def test_jsonl_with_bad_lines_between_good_ones(tmp_path: Path, input_options: InputOptions) -> None:
    path = tmp_path / "reports.jsonl"
    lines = [
        json.dumps({"id": "r1", "text": GOOD}),
        '{"id": "r2", "text": "unterminated',
        json.dumps({"id": "r3", "text": GOOD_2}),
        "[1, 2, 3]",
        json.dumps({"id": "r5", "title": "no text"}),
        json.dumps({"id": "r6", "text": GOOD, "published_at": "last week"}),
        json.dumps({"id": "r7", "text": ["not", "a", "string"]}),
        json.dumps({"id": "r8", "html": "<html><head><title>t</title></head></html>"}),
        json.dumps({"id": "r9", "text": "   "}),
        json.dumps({"id": "r10", "text": GOOD_2 + " More."}),
    ]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")

    items = read([path], input_options)

    summary = [(i.source_id, "ok") if isinstance(i, Document) else (i.source, i.code) for i in items]
    assert summary == [
        ("r1", "ok"),
        (f"{path}:2", "input.jsonl_malformed"),
        ("r3", "ok"),
        (f"{path}:4", "input.jsonl_malformed"),
        (f"{path}:5", "input.jsonl_no_text"),
        (f"{path}:6", "input.published_invalid"),
        (f"{path}:7", "input.jsonl_malformed"),
        (f"{path}:8", "input.html_no_body"),
        (f"{path}:9", "input.empty"),
        ("r10", "ok"),
    ]
    malformed = items[1]
    assert isinstance(malformed, Failure)
    assert "not valid JSON" in malformed.message
    assert malformed.message.startswith(f"{path}:2: ")


def test_bad_jsonl_file_as_a_whole(tmp_path: Path, input_options: InputOptions) -> None:
    path = tmp_path / "binary.jsonl"
    path.write_bytes(PNG)
    assert only_failure(read([path], input_options)).code == "input.binary"
