"""Documents from text: content-hash ids, normalisation, publication times."""

from __future__ import annotations

import hashlib
import io
import json
import re
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

import pytest

from sitrep.ingest import InputOptions, document_from_text, parse_published, read_inputs
from sitrep.model import Document

REPORT = (
    "Shelling hit the central market in Vostokgrad on Tuesday morning, killing four people and injuring "
    "eleven, the regional governor said.\n\n"
    "Emergency crews worked through the afternoon to clear the debris.\n"
)


def documents(targets: list[str], options: InputOptions, stdin: bytes = b"") -> list[Document]:
    items = list(read_inputs(targets, options=options, stdin=io.BytesIO(stdin)))
    read = [i for i in items if isinstance(i, Document)]
    assert read == items, items
    return read


def test_id_is_a_content_hash_of_the_canonical_text() -> None:
    document = document_from_text(REPORT)

    assert re.fullmatch(r"d[0-9a-f]{24}", document.id)
    assert document.text_sha256 == hashlib.sha256(document.text.encode("utf-8")).hexdigest()
    assert document.id == "d" + document.text_sha256[:24]


def test_same_report_from_file_jsonl_and_stdin_has_one_id(tmp_path: Path, input_options: InputOptions) -> None:
    text_file = tmp_path / "report.txt"
    text_file.write_text(REPORT, encoding="utf-8")
    jsonl_file = tmp_path / "reports.jsonl"
    jsonl_file.write_text(json.dumps({"id": "caller-7", "text": REPORT}) + "\n", encoding="utf-8")

    from_file, from_jsonl, from_stdin = documents(
        [str(text_file), str(jsonl_file), "-"], input_options, stdin=REPORT.encode()
    )

    assert from_file.id == from_jsonl.id == from_stdin.id == document_from_text(REPORT).id
    assert from_file.text == from_jsonl.text == from_stdin.text
    assert from_jsonl.source_id == "caller-7"
    assert from_file.source_path == str(text_file)
    assert from_stdin.source_path is None


def test_twice_the_same_file_gives_the_same_document(tmp_path: Path, input_options: InputOptions) -> None:
    path = tmp_path / "report.txt"
    path.write_text(REPORT, encoding="utf-8")
    first, second = documents([str(path), str(path)], input_options)
    assert first == second


@pytest.mark.parametrize(
    "variant",
    [
        REPORT.replace("\n", "\r\n"),
        "\ufeff" + REPORT,
        "\n\n  " + REPORT + "   \n\n\n",
        REPORT.replace("said.\n", "said.   \n"),
        REPORT + "\nShare this article\nFollow us on Telegram\n",
    ],
    ids=["crlf", "bom", "surrounding-space", "trailing-space", "extra-furniture"],
)
def test_id_ignores_line_endings_space_and_furniture(variant: str) -> None:
    assert document_from_text(variant).id == document_from_text(REPORT).id


def test_decomposed_accents_are_normalised_to_nfc() -> None:
    composed = document_from_text("Residents of Lysychansk and Sévérodonetsk left on Monday.")
    decomposed = document_from_text("Residents of Lysychansk and Se\u0301ve\u0301rodonetsk left on Monday.")
    assert composed.id == decomposed.id


@pytest.mark.parametrize(
    "other",
    [
        REPORT.replace("four", "five"),
        REPORT.replace("Vostokgrad", "Vostokgrad,"),
        REPORT + "\nA third paragraph.",
    ],
)
def test_different_text_gives_a_different_id(other: str) -> None:
    assert document_from_text(other).id != document_from_text(REPORT).id


def test_metadata_does_not_change_the_id() -> None:
    plain = document_from_text(REPORT)
    described = document_from_text(
        REPORT, published_at="2024-09-16", url="https://news.example.org/a", title="T", outlet="O", source_id="x"
    )
    assert plain.id == described.id
    assert described.url == "https://news.example.org/a"
    assert (described.title, described.outlet, described.source_id) == ("T", "O", "x")


def test_control_characters_become_spaces() -> None:
    document = document_from_text("Four people\x07 were killed\x00 in Vostokgrad on Tuesday.")
    assert document.text == "Four people  were killed  in Vostokgrad on Tuesday."


def test_language_is_english_or_unknown() -> None:
    assert document_from_text(REPORT).language == "en"
    assert document_from_text("Обстріл ринку у Востокграді забрав життя чотирьох людей.").language is None
    assert document_from_text("Vostokgrad.").language is None


def test_unknown_publication_time_is_none() -> None:
    document = document_from_text(REPORT)
    assert document.published_at is None
    assert document.published_source is None
    assert document.to_dict()["published_at"] is None


def test_publication_time_given_with_the_text() -> None:
    document = document_from_text(REPORT, published_at="2024-09-16T08:30:00+03:00")
    assert document.published_at == "2024-09-16T08:30:00+03:00"
    assert document.published_source == "input"


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (None, None),
        ("", None),
        ("   ", None),
        ("2024-09-16", "2024-09-16"),
        (" 2024-09-16 ", "2024-09-16"),
        ("2024-09-16T08:30:00", "2024-09-16T08:30:00"),
        ("2024-09-16T08:30:00+03:00", "2024-09-16T08:30:00+03:00"),
        ("2024-09-16T05:30:00Z", "2024-09-16T05:30:00+00:00"),
        ("2024-09-16 08:30", "2024-09-16T08:30:00"),
        (date(2024, 9, 16), "2024-09-16"),
        (datetime(2024, 9, 16, 8, 30, tzinfo=timezone(timedelta(hours=3))), "2024-09-16T08:30:00+03:00"),
    ],
)
def test_parse_published(value: str | date | None, expected: str | None) -> None:
    assert parse_published(value) == expected
