"""sitrep batch's reader: files, folders, JSON Lines and web archives to raw items, skips and failures."""

from __future__ import annotations

import gzip
import hashlib
import io
import json
from collections.abc import Sequence
from pathlib import Path

import pytest
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from sitrep.batch.inputs import RawItem, Skipped, iter_inputs, to_document
from sitrep.errors import InputError
from sitrep.model import Document, Failure

MAX = 1_000_000

REPORT = (
    "Artillery shelling struck the fictional town of Dornovka on Tuesday morning, damaging a school and "
    "two apartment blocks, the regional governor said. Three civilians were wounded. Local officials "
    "said the evacuation of families from the eastern districts would continue through the week."
)
EVACUATION = (
    "More than 2,000 residents of the fictional village of Kelmet were evacuated by bus on Sunday after "
    "days of shelling, the emergency service said. Volunteers set up a shelter in the sports hall of a "
    "neighbouring town, and aid groups delivered water and blankets."
)
PARAGRAPHS = (
    "Shelling hit the fictional river port of Ostrava Nova overnight, setting fire to a grain warehouse "
    "and cutting power to several districts, the port authority said on Wednesday.",
    "Rescue crews worked until dawn to put out the fire. Two dock workers were taken to hospital with "
    "burns, and the authority said no one had been killed.",
    "The regional administration said about 300 people living near the docks had been moved to a school "
    "on the edge of the town, and that buses would run again once the roads were cleared.",
)
ARTICLE_HTML = (
    "<!doctype html><html><head><title>Shelling sets port warehouse ablaze</title></head><body>"
    '<nav><a href="/">Home</a> | <a href="/world">World</a></nav>'
    "<article><h1>Shelling sets port warehouse ablaze</h1>"
    + "".join(f"<p>{p}</p>" for p in PARAGRAPHS)
    + "</article><footer>Copyright Frontier Times</footer></body></html>"
)
PAGE_URL = "https://news.example.org/2024/05/port-shelling"
TEXT_URL = "https://observers.example.org/notes/kelmet.txt"


def row(**fields: object) -> str:
    return json.dumps(fields, ensure_ascii=False)


def run(paths: Sequence[object], *, max_bytes: int = MAX) -> list[RawItem | Skipped | Failure]:
    return list(iter_inputs([str(p) for p in paths], max_bytes=max_bytes))


def http(status: str, content_type: str | None, *extra: tuple[str, str]) -> StatusAndHeaders:
    headers = [("Content-Type", content_type)] if content_type else []
    return StatusAndHeaders(status, [*headers, *extra], protocol="HTTP/1.1")


def write_warc(path: Path, *, compress: bool) -> list[int]:
    """A WARC with one record of each kind that matters; returns each record's byte offset."""
    buffer = io.BytesIO()
    writer = WARCWriter(buffer, gzip=compress)
    offsets: list[int] = []

    def response(uri: str, headers: StatusAndHeaders, body: bytes, **warc: str) -> None:
        record = writer.create_warc_record(
            uri, "response", payload=io.BytesIO(body), length=len(body), http_headers=headers, warc_headers_dict=warc
        )
        offsets.append(buffer.tell())
        writer.write_record(record)

    offsets.append(buffer.tell())
    writer.write_record(writer.create_warcinfo_record(path.name, {"software": "sitrep tests"}))
    request = writer.create_warc_record(
        PAGE_URL,
        "request",
        payload=io.BytesIO(b""),
        length=0,
        http_headers=StatusAndHeaders("GET /2024/05/port-shelling HTTP/1.1", [("Host", "news.example.org")]),
    )
    offsets.append(buffer.tell())
    writer.write_record(request)
    response(PAGE_URL, http("200 OK", "text/html; charset=utf-8"), ARTICLE_HTML.encode("utf-8"))
    response("https://news.example.org/old", http("302 Found", "text/html", ("Location", PAGE_URL)), b"")
    response("https://news.example.org/missing", http("404 Not Found", "text/html"), b"<html>Not found</html>")
    response("https://news.example.org/map.png", http("200 OK", "image/png"), b"\x89PNG\r\n\x1a\n" + bytes(40))
    response(TEXT_URL, http("200 OK", "text/plain"), EVACUATION.encode("utf-8"))
    response(
        "https://news.example.org/cut",
        http("200 OK", "text/html"),
        b"<html><body><p>Half a page",
        **{"WARC-Truncated": "length"},
    )
    metadata = writer.create_warc_record(
        PAGE_URL,
        "metadata",
        payload=io.BytesIO(b"via: crawler\n"),
        length=13,
        warc_content_type="application/warc-fields",
    )
    offsets.append(buffer.tell())
    writer.write_record(metadata)
    path.write_bytes(buffer.getvalue())
    return offsets


def expected_warc(path: Path, offsets: list[int]) -> list[RawItem | Skipped]:
    key = [f"{path}@{offset}" for offset in offsets]
    return [
        Skipped(key[0], "warc: warcinfo record"),
        Skipped(key[1], "warc: request record"),
        RawItem(key[2], "html", ARTICLE_HTML, url=PAGE_URL),
        Skipped(key[3], f"warc: redirect (302) to {PAGE_URL}"),
        Skipped(key[4], "warc: HTTP 404"),
        Skipped(key[5], "warc: not HTML (image/png)"),
        RawItem(key[6], "text", EVACUATION, url=TEXT_URL),
        Skipped(key[7], "warc: truncated record (length)"),
        Skipped(key[8], "warc: metadata record"),
    ]


# -- web archives -------------------------------------------------------------


@pytest.mark.parametrize("name", ["crawl.warc", "crawl.warc.gz"])
def test_warc_records_become_items_or_skips_with_reasons(tmp_path: Path, name: str) -> None:
    path = tmp_path / name
    offsets = write_warc(path, compress=name.endswith(".gz"))
    assert run([path]) == expected_warc(path, offsets)


def test_warc_gzip_is_detected_by_its_bytes_not_its_name(tmp_path: Path) -> None:
    path = tmp_path / "crawl.warc"  # gzip inside, plain name
    offsets = write_warc(path, compress=True)
    assert path.read_bytes()[:2] == b"\x1f\x8b"
    assert run([path]) == expected_warc(path, offsets)


def test_a_warc_cut_inside_its_last_payload_skips_that_record_as_truncated(tmp_path: Path) -> None:
    path = tmp_path / "cut.warc"
    offsets = write_warc(path, compress=False)
    data = path.read_bytes()
    buffer = io.BytesIO()
    writer = WARCWriter(buffer, gzip=False)
    writer.write_record(
        writer.create_warc_record(
            "https://news.example.org/last",
            "response",
            payload=io.BytesIO(REPORT.encode("utf-8")),
            length=len(REPORT.encode("utf-8")),
            http_headers=http("200 OK", "text/plain"),
        )
    )
    path.write_bytes(data + buffer.getvalue()[:-40])  # 4 bytes of record end, 36 of payload

    entries = run([path])

    assert entries[:-1] == expected_warc(path, offsets)
    assert entries[-1] == Skipped(
        f"{path}@{len(data)}", "warc: truncated record (36 bytes short of its Content-Length)"
    )


@pytest.mark.parametrize("compress", [False, True])
def test_a_warc_cut_inside_a_record_header_ends_with_a_failure(tmp_path: Path, compress: bool) -> None:
    path = tmp_path / "cut.warc"
    offsets = write_warc(path, compress=compress)
    path.write_bytes(path.read_bytes()[: offsets[6] + 200])  # inside the text/plain response's WARC headers

    entries = run([path])

    assert entries[:-1] == expected_warc(path, offsets)[:6]
    failure = entries[-1]
    assert isinstance(failure, Failure)
    assert (failure.source, failure.stage, failure.code) == (f"{path}@{offsets[6]}", "ingest", "input.unreadable")
    assert "truncated" in failure.message


def test_a_warc_gzipped_as_one_stream_stops_with_a_failure_after_the_first_record(tmp_path: Path) -> None:
    plain = tmp_path / "plain.warc"
    offsets = write_warc(plain, compress=False)
    path = tmp_path / "whole.warc.gz"
    path.write_bytes(gzip.compress(plain.read_bytes(), mtime=0))

    entries = run([path])

    assert entries[0] == Skipped(f"{path}@0", "warc: warcinfo record")
    assert len(entries) == 2 and len(offsets) > 2
    assert isinstance(entries[1], Failure)
    assert entries[1].code == "input.unreadable"
    assert "the rest is unread" in entries[1].message


def test_a_file_that_is_not_a_warc_is_a_failure(tmp_path: Path) -> None:
    path = tmp_path / "notes.warc"
    path.write_text(REPORT, encoding="utf-8")
    (failure,) = run([path])
    assert isinstance(failure, Failure)
    assert (failure.source, failure.code) == (f"{path}@0", "input.unreadable")


def test_warc_payloads_use_the_declared_charset_and_replace_bad_bytes(tmp_path: Path) -> None:
    path = tmp_path / "charsets.warc"
    buffer = io.BytesIO()
    writer = WARCWriter(buffer, gzip=False)
    bodies = [
        ("text/plain; charset=windows-1251", "Обстріл селища Дорнівка.".encode("cp1251")),
        ("text/plain", b"Shelling near the \xff depot."),  # no charset, not UTF-8
        ("text/plain; charset=no-such-charset", b"Evacuation of Kelmet."),
    ]
    for content_type, body in bodies:
        writer.write_record(
            writer.create_warc_record(
                TEXT_URL,
                "response",
                payload=io.BytesIO(body),
                length=len(body),
                http_headers=http("200 OK", content_type),
            )
        )
    path.write_bytes(buffer.getvalue())

    contents = [e.content for e in run([path]) if isinstance(e, RawItem)]

    assert contents == ["Обстріл селища Дорнівка.", "Shelling near the \ufffd depot.", "Evacuation of Kelmet."]


def test_warc_records_over_max_bytes_are_skipped(tmp_path: Path) -> None:
    path = tmp_path / "crawl.warc"
    offsets = write_warc(path, compress=False)
    entries = run([path], max_bytes=len(EVACUATION))
    assert entries[2] == Skipped(f"{path}@{offsets[2]}", f"over max_input_bytes (more than {len(EVACUATION):,} bytes)")
    assert entries[6] == RawItem(f"{path}@{offsets[6]}", "text", EVACUATION, url=TEXT_URL)


def test_arc_gz_records_are_read_as_warc_records(tmp_path: Path) -> None:
    def arc_record(header: str, body: bytes) -> bytes:
        return gzip.compress(f"{header} {len(body)}\n".encode() + body + b"\n", mtime=0)

    parts = [
        arc_record(
            "filedesc://crawl.arc 0.0.0.0 20240512000000 text/plain",
            b"1 0 sitrep-tests\nURL IP-address Archive-date Content-type Archive-length\n",
        ),
        arc_record(
            f"{TEXT_URL} 192.0.2.1 20240512101500 text/plain",
            b"HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\n\r\n" + EVACUATION.encode(),
        ),
        arc_record(
            "https://news.example.org/old 192.0.2.1 20240512101500 text/html",
            f"HTTP/1.1 301 Moved Permanently\r\nLocation: {PAGE_URL}\r\n\r\n".encode(),
        ),
    ]
    path = tmp_path / "crawl.arc.gz"
    path.write_bytes(b"".join(parts))
    second, third = len(parts[0]), len(parts[0]) + len(parts[1])

    assert run([path]) == [
        Skipped(f"{path}@0", "warc: warcinfo record"),
        RawItem(f"{path}@{second}", "text", EVACUATION, url=TEXT_URL),
        Skipped(f"{path}@{third}", f"warc: redirect (301) to {PAGE_URL}"),
    ]


# -- JSON Lines ---------------------------------------------------------------


def test_jsonl_gives_one_item_per_non_empty_line_numbered_as_in_the_file(tmp_path: Path) -> None:
    path = tmp_path / "reports.jsonl"
    first, second = row(id="r1", text=REPORT), row(id="r2", text=EVACUATION)
    path.write_text(f"{first}\n\n   \n{second}\r\n", encoding="utf-8")

    assert run([path]) == [RawItem(f"{path}:1", "jsonl", first), RawItem(f"{path}:4", "jsonl", second)]


@pytest.mark.parametrize("name", ["reports.jsonl.gz", "reports.jsonl", "reports.ndjson.gz"])
def test_gzip_jsonl_is_detected_by_its_magic_bytes(tmp_path: Path, name: str) -> None:
    path = tmp_path / name
    lines = [row(id="r1", text=REPORT), row(id="r2", html=ARTICLE_HTML)]
    path.write_bytes(gzip.compress(("\n".join(lines) + "\n").encode("utf-8"), mtime=0))

    assert run([path]) == [RawItem(f"{path}:1", "jsonl", lines[0]), RawItem(f"{path}:2", "jsonl", lines[1])]


def test_a_truncated_gzip_gives_the_lines_before_the_damage_then_a_failure(tmp_path: Path) -> None:
    path = tmp_path / "reports.jsonl.gz"
    # Lines that do not compress away, so that most of them come before the cut.
    lines = [row(id=f"r{n}", text=f"{REPORT} {hashlib.sha256(str(n).encode()).hexdigest()}") for n in range(2000)]
    data = gzip.compress(("\n".join(lines) + "\n").encode("utf-8"), mtime=0)
    path.write_bytes(data[: len(data) - 200])

    entries = run([path])

    *items, failure = entries
    assert 0 < len(items) < len(lines)
    assert items == [RawItem(f"{path}:{n + 1}", "jsonl", lines[n]) for n in range(len(items))]
    assert isinstance(failure, Failure)
    assert (failure.source, failure.stage, failure.code) == (str(path), "ingest", "input.unreadable")
    assert "truncated" in failure.message


def test_jsonl_lines_over_max_bytes_or_not_utf8_are_passed_and_the_rest_read(tmp_path: Path) -> None:
    path = tmp_path / "reports.jsonl"
    short = row(id="s", text="Shelling.")
    long = row(id="l", text=REPORT)
    path.write_bytes(f"{long}\n".encode() + b'{"text": "\xff"}\n' + f"{short}\n".encode())

    entries = run([path], max_bytes=len(short))

    assert entries[0] == Skipped(f"{path}:1", f"over max_input_bytes (more than {len(short):,} bytes)")
    assert isinstance(entries[1], Failure)
    assert (entries[1].source, entries[1].code) == (f"{path}:2", "input.encoding")
    assert entries[2] == RawItem(f"{path}:3", "jsonl", short)


def test_an_empty_jsonl_file_is_a_failure(tmp_path: Path) -> None:
    path = tmp_path / "empty.jsonl"
    path.write_text("\n\n", encoding="utf-8")
    assert run([path]) == [Failure(str(path), "ingest", "input.empty", f"{path}: empty input (no JSON lines)")]


# -- files and folders --------------------------------------------------------


def test_folders_are_walked_in_sorted_order_with_non_reports_skipped(tmp_path: Path) -> None:
    root = tmp_path / "archive"
    (root / "b" / "deep").mkdir(parents=True)
    (root / ".cache").mkdir()
    (root / "a.txt").write_text(REPORT, encoding="utf-8")
    (root / "b" / "page.HTML").write_text(ARTICLE_HTML, encoding="utf-8")
    (root / "b" / "deep" / "notes.md").write_text(EVACUATION, encoding="utf-8")
    (root / "b" / "map.png").write_bytes(b"\x89PNG\r\n\x1a\n")
    (root / "c.jsonl").write_text(row(text=REPORT) + "\n", encoding="utf-8")
    (root / "d.tar.gz").write_bytes(gzip.compress(b"", mtime=0))
    (root / "e.txt.gz").write_bytes(gzip.compress(EVACUATION.encode(), mtime=0))
    (root / ".hidden.txt").write_text(REPORT, encoding="utf-8")
    (root / ".cache" / "old.txt").write_text(REPORT, encoding="utf-8")

    assert run([root]) == [
        RawItem(f"{root}/a.txt", "text", REPORT),
        RawItem(f"{root}/b/deep/notes.md", "text", EVACUATION),
        Skipped(f"{root}/b/map.png", "not a report file (.png)"),
        RawItem(f"{root}/b/page.HTML", "html", ARTICLE_HTML),
        RawItem(f"{root}/c.jsonl:1", "jsonl", row(text=REPORT)),
        Skipped(f"{root}/d.tar.gz", "not a report file (.tar.gz)"),
        RawItem(f"{root}/e.txt.gz", "text", EVACUATION),
    ]


def test_files_missing_unreadable_too_large_or_binary(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    big, binary, locked = tmp_path / "big.txt", tmp_path / "binary.txt", tmp_path / "locked.txt"
    big.write_text(REPORT, encoding="utf-8")
    binary.write_bytes(b"report\x00\x01\x02")
    locked.write_text(REPORT, encoding="utf-8")
    real_open = Path.open

    def deny(self: Path, *args: object, **kwargs: object) -> object:
        if self == locked:
            raise PermissionError(13, "Permission denied")
        return real_open(self, *args, **kwargs)  # type: ignore[call-overload]

    monkeypatch.setattr(Path, "open", deny)

    entries = run([tmp_path / "absent.txt", big, binary, locked], max_bytes=len(REPORT) - 1)

    assert [(type(e).__name__, getattr(e, "code", None) or getattr(e, "reason", None)) for e in entries] == [
        ("Failure", "input.not_found"),
        ("Skipped", f"over max_input_bytes (more than {len(REPORT) - 1:,} bytes)"),
        ("Failure", "input.binary"),
        ("Failure", "input.unreadable"),
    ]
    assert entries[3] == Failure(
        str(locked), "ingest", "input.unreadable", f"{locked}: cannot be read (Permission denied)"
    )


def test_the_same_inputs_give_the_same_stream(tmp_path: Path) -> None:
    write_warc(tmp_path / "crawl.warc.gz", compress=True)
    (tmp_path / "reports.jsonl").write_text(row(text=REPORT) + "\n" + row(text=EVACUATION) + "\n", encoding="utf-8")
    (tmp_path / "note.txt").write_text(REPORT, encoding="utf-8")
    (tmp_path / "logo.svg").write_text("<svg/>", encoding="utf-8")

    first = run([tmp_path, tmp_path / "note.txt"])

    assert first == run([tmp_path, tmp_path / "note.txt"])
    assert len(first) == 9 + 2 + 1 + 1 + 1


# -- to_document ----------------------------------------------------------------


def test_to_document_reads_each_kind(tmp_path: Path) -> None:
    warc = tmp_path / "crawl.warc"
    write_warc(warc, compress=False)
    (tmp_path / "note.txt").write_text(REPORT, encoding="utf-8")
    (tmp_path / "page.html").write_text(ARTICLE_HTML, encoding="utf-8")
    jsonl_row = row(id="case-7", text=EVACUATION, url=TEXT_URL, published_at="2024-05-12", outlet="Field Notes")
    (tmp_path / "rows.jsonl").write_text(jsonl_row + "\n", encoding="utf-8")

    items = {
        Path(e.key.split("@")[0].split(":")[0]).name + ":" + e.kind: e
        for e in run([tmp_path])
        if isinstance(e, RawItem)
    }
    documents = {name: to_document(item) for name, item in items.items()}

    assert sorted(documents) == [
        "crawl.warc:html",
        "crawl.warc:text",
        "note.txt:text",
        "page.html:html",
        "rows.jsonl:jsonl",
    ]
    assert all(isinstance(d, Document) for d in documents.values())
    assert documents["note.txt:text"].text == REPORT
    assert documents["note.txt:text"].source_path == str(tmp_path / "note.txt")
    for name in ("page.html:html", "crawl.warc:html"):
        page = documents[name]
        assert page.content_type == "html"
        assert all(p in page.text for p in PARAGRAPHS)
        assert "Copyright" not in page.text and "Home" not in page.text
    assert documents["crawl.warc:html"].url == PAGE_URL
    assert documents["crawl.warc:html"].source_path == items["crawl.warc:html"].key
    warc_text = documents["crawl.warc:text"]
    assert (warc_text.text, warc_text.url, warc_text.published_at) == (EVACUATION, TEXT_URL, None)
    from_row = documents["rows.jsonl:jsonl"]
    assert (from_row.text, from_row.source_id, from_row.url, from_row.outlet) == (
        EVACUATION,
        "case-7",
        TEXT_URL,
        "Field Notes",
    )
    assert (from_row.published_at, from_row.published_source) == ("2024-05-12", "input")


def test_to_document_raises_input_errors_like_the_extract_readers() -> None:
    with pytest.raises(InputError) as malformed:
        to_document(RawItem("rows.jsonl:3", "jsonl", '{"text": '))
    assert malformed.value.code == "input.jsonl_malformed"
    assert "rows.jsonl:3" in malformed.value.message
    with pytest.raises(InputError) as no_text:
        to_document(RawItem("rows.jsonl:4", "jsonl", row(id="x", title="Only a title")))
    assert no_text.value.code == "input.jsonl_no_text"
    with pytest.raises(InputError) as empty:
        to_document(RawItem("blank.txt", "text", "  \n "))
    assert empty.value.code == "input.empty"
    with pytest.raises(InputError) as no_body:
        to_document(RawItem("crawl.warc@0", "html", "<html><body></body></html>"))
    assert no_body.value.code == "input.html_no_body"
