"""The JSON Lines contract: {"id", "text" or "html", "url", "title", "outlet", "published_at"}."""

from __future__ import annotations

import io
import json
from dataclasses import replace
from pathlib import Path

import pytest

from sitrep.ingest import InputOptions, read_inputs, read_jsonl
from sitrep.model import Document, Failure

TEXT = "Shelling hit the central market in Vostokgrad on Tuesday, killing four people, the governor said."
HTML = (
    "<html><head><title>Convoy reaches Ridgeford</title>"
    '<meta property="article:published_time" content="2024-06-13T16:45:00+03:00"></head>'
    "<body><article><p>A convoy of eight trucks carrying food and medicine reached the fictional town of "
    "Ridgeford on Thursday, the first delivery in three weeks, the regional administration said.</p>"
    "</article></body></html>"
)


def rows(*objects: object) -> bytes:
    return ("\n".join(json.dumps(o, ensure_ascii=False) for o in objects) + "\n").encode("utf-8")


def parse(data: bytes, options: InputOptions) -> list[Document | Failure]:
    return list(read_jsonl(data, source="reports.jsonl", options=options))


def test_every_field_of_the_contract(input_options: InputOptions) -> None:
    line = {
        "id": "case-0042",
        "text": TEXT,
        "url": "https://news.example.org/2024/03/05/market",
        "title": "Shelling hits Vostokgrad market",
        "outlet": "Frontier Times",
        "published_at": "2024-03-05T10:07:00+02:00",
    }
    (document,) = parse(rows(line), input_options)

    assert isinstance(document, Document)
    assert document.source_id == "case-0042"
    assert document.text == TEXT
    assert document.url == line["url"]
    assert document.title == line["title"]
    assert document.outlet == line["outlet"]
    assert document.published_at == "2024-03-05T10:07:00+02:00"
    assert document.published_source == "input"
    assert document.content_type == "text"
    assert document.to_dict()["source_id"] == "case-0042"


def test_only_text_is_required(input_options: InputOptions) -> None:
    (document,) = parse(rows({"text": TEXT}), input_options)
    assert isinstance(document, Document)
    assert (document.source_id, document.url, document.title, document.outlet, document.published_at) == (
        None,
        None,
        None,
        None,
        None,
    )


def test_numeric_id_is_echoed_as_a_string(input_options: InputOptions) -> None:
    (document,) = parse(rows({"id": 17, "text": TEXT}), input_options)
    assert isinstance(document, Document)
    assert document.source_id == "17"


def test_per_line_published_at_overrides_the_option(input_options: InputOptions) -> None:
    options = replace(input_options, published_at="2024-01-01")
    own, inherited = parse(
        rows({"id": "a", "text": TEXT, "published_at": "2024-03-05"}, {"id": "b", "text": TEXT + " Later."}),
        options,
    )
    assert isinstance(own, Document) and isinstance(inherited, Document)
    assert (own.published_at, own.published_source) == ("2024-03-05", "input")
    assert (inherited.published_at, inherited.published_source) == ("2024-01-01", "option")


def test_html_line_goes_through_trafilatura(input_options: InputOptions) -> None:
    (document,) = parse(rows({"id": "h1", "html": HTML, "outlet": "Marren Courier"}), input_options)

    assert isinstance(document, Document)
    assert document.content_type == "html"
    assert document.source_id == "h1"
    assert document.title == "Convoy reaches Ridgeford"
    assert document.outlet == "Marren Courier"
    assert "A convoy of eight trucks" in document.text
    assert "<p>" not in document.text
    assert (document.published_at, document.published_source) == ("2024-06-13T16:45:00+03:00", "page")


def test_html_line_published_at_overrides_the_page(input_options: InputOptions) -> None:
    options = replace(input_options, published_at="2024-01-01")
    (document,) = parse(rows({"html": HTML, "published_at": "2024-06-14"}), options)
    assert isinstance(document, Document)
    assert (document.published_at, document.published_source) == ("2024-06-14", "input")


def test_html_line_without_own_date_takes_the_option_over_the_page(input_options: InputOptions) -> None:
    options = replace(input_options, published_at="2024-01-01")
    (document,) = parse(rows({"html": HTML}), options)
    assert isinstance(document, Document)
    assert (document.published_at, document.published_source) == ("2024-01-01", "option")


def test_blank_lines_and_crlf_are_fine_and_line_numbers_count_them(input_options: InputOptions) -> None:
    data = b"\r\n" + json.dumps({"id": "a", "text": TEXT}).encode() + b"\r\n\r\n{bad}\r\n"
    document, failure = parse(data, input_options)
    assert isinstance(document, Document) and document.source_id == "a"
    assert isinstance(failure, Failure)
    assert (failure.source, failure.code) == ("reports.jsonl:4", "input.jsonl_malformed")


@pytest.mark.parametrize("separator", ["\u2028", "\u2029", "\x85", "\x1c", "\x0c"])
def test_unicode_line_separators_inside_strings_do_not_split_a_line(
    input_options: InputOptions, separator: str
) -> None:
    """JSON allows these unescaped in strings; only a newline ends a JSON line."""
    text = f"Four people were killed.{separator}Eleven were injured in Vostokgrad on Tuesday."
    raw = json.dumps({"id": "u", "text": text}, ensure_ascii=False)
    if separator in "\x1c\x0c":  # control characters must be escaped in JSON
        assert separator not in raw
    else:
        assert separator in raw

    items = parse(raw.encode("utf-8") + b"\n", input_options)

    assert [type(i).__name__ for i in items] == ["Document"], items
    (document,) = items
    assert isinstance(document, Document)
    assert document.source_id == "u"
    assert "Eleven were injured" in document.text


@pytest.mark.parametrize(
    ("line", "code"),
    [
        ('{"id": 1, "text": ', "input.jsonl_malformed"),
        ('"just a string"', "input.jsonl_malformed"),
        ("null", "input.jsonl_malformed"),
        ('{"id": 1, "text": {"nested": "object"}}', "input.jsonl_malformed"),
        ('{"id": 1, "text": 1.5}', "input.jsonl_malformed"),
        ('{"id": 1, "text": ""}', "input.jsonl_no_text"),
        ('{"id": 1, "html": ""}', "input.jsonl_no_text"),
        ('{"id": 1}', "input.jsonl_no_text"),
        ('{"id": 1, "text": "Text.", "published_at": "16.09.2024"}', "input.published_invalid"),
    ],
)
def test_bad_line_codes(input_options: InputOptions, line: str, code: str) -> None:
    (failure,) = parse(line.encode() + b"\n", input_options)
    assert isinstance(failure, Failure)
    assert (failure.source, failure.stage, failure.code) == ("reports.jsonl:1", "ingest", code)


@pytest.mark.parametrize("name", ["reports.jsonl", "reports.ndjson", "REPORTS.JSONL"])
def test_jsonl_files_by_suffix(tmp_path: Path, input_options: InputOptions, name: str) -> None:
    path = tmp_path / name
    path.write_bytes(rows({"id": "a", "text": TEXT}, {"id": "b", "text": TEXT + " Again."}))
    items = list(read_inputs([str(path)], options=input_options))
    assert [i.source_id for i in items if isinstance(i, Document)] == ["a", "b"]


def test_jsonl_on_standard_input(input_options: InputOptions) -> None:
    stdin = io.BytesIO(rows({"id": "a", "text": TEXT}, {"id": "b", "text": TEXT + " Again."}))
    items = list(read_inputs(["-"], options=input_options, stdin=stdin))
    assert [i.source_id for i in items if isinstance(i, Document)] == ["a", "b"]


def test_a_single_json_line_on_standard_input_is_jsonl(input_options: InputOptions) -> None:
    stdin = io.BytesIO(json.dumps({"id": "only", "text": TEXT}).encode())
    (document,) = read_inputs(["-"], options=input_options, stdin=stdin)
    assert isinstance(document, Document)
    assert document.source_id == "only"
    assert document.text == TEXT
