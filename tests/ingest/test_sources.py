"""Where reports come from: folders (recursive, hidden skipped, sorted), standard input, targets."""

from __future__ import annotations

import io
from pathlib import Path

from sitrep.ingest import InputOptions, read_inputs
from sitrep.model import Document, Failure

TEXT = "Shelling hit the central market in Vostokgrad on Tuesday, killing four people, the governor said.\n"
PAGE = (
    "<html><head><title>Convoy reaches Ridgeford</title></head><body><article><p>A convoy of eight trucks "
    "carrying food and medicine reached the fictional town of Ridgeford on Thursday, the regional "
    "administration said.</p></article></body></html>"
)


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def names(items: list[Document | Failure], root: Path) -> list[str]:
    out = []
    for item in items:
        assert isinstance(item, Document), item
        assert item.source_path is not None
        out.append(Path(item.source_path).relative_to(root).as_posix())
    return out


def test_folder_is_read_recursively_in_sorted_order_without_hidden_files(
    tmp_path: Path, input_options: InputOptions
) -> None:
    for number, name in enumerate(
        [
            "b.txt",
            "a.txt",
            "sub/z.md",
            "sub/deeper/c.text",
            "sub/page.html",
            "notes",  # no suffix: plain text
            ".hidden.txt",
            ".git/HEAD",
            "sub/.cache/x.txt",
            ".drafts/draft.txt",
            "image.png",
            "data.csv",
        ]
    ):
        write(tmp_path / name, PAGE if name.endswith(".html") else TEXT.replace("four", str(number + 4)))

    items = list(read_inputs([str(tmp_path)], options=input_options))

    assert names(items, tmp_path) == [
        "a.txt",
        "b.txt",
        "notes",
        "sub/deeper/c.text",
        "sub/page.html",
        "sub/z.md",
    ]
    again = list(read_inputs([str(tmp_path)], options=input_options))
    assert [d.id for d in again if isinstance(d, Document)] == [d.id for d in items if isinstance(d, Document)]


def test_a_hidden_folder_given_by_name_is_read(tmp_path: Path, input_options: InputOptions) -> None:
    folder = tmp_path / ".inbox"
    write(folder / "a.txt", TEXT)
    (document,) = read_inputs([str(folder)], options=input_options)
    assert isinstance(document, Document)


def test_jsonl_in_a_folder_yields_one_document_per_line(tmp_path: Path, input_options: InputOptions) -> None:
    write(tmp_path / "a.txt", TEXT)
    write(
        tmp_path / "b.jsonl",
        '{"id": "1", "text": "First report from Ridgeford."}\n{"id": "2", "text": "Second report from Ridgeford."}\n',
    )
    items = list(read_inputs([str(tmp_path)], options=input_options))
    assert [(i.source_path is not None, i.source_id) for i in items if isinstance(i, Document)] == [
        (True, None),
        (False, "1"),
        (False, "2"),
    ]


def test_empty_folder_yields_nothing(tmp_path: Path, input_options: InputOptions) -> None:
    assert list(read_inputs([str(tmp_path)], options=input_options)) == []


def test_targets_keep_their_order(tmp_path: Path, input_options: InputOptions) -> None:
    second = write(tmp_path / "2.txt", TEXT)
    first = write(tmp_path / "1.txt", TEXT.replace("four", "five"))
    items = list(read_inputs([str(second), str(tmp_path / "missing.txt"), str(first)], options=input_options))
    assert [getattr(i, "source_path", None) or getattr(i, "code", None) for i in items] == [
        str(second),
        "input.not_found",
        str(first),
    ]


def test_plain_text_on_standard_input(input_options: InputOptions) -> None:
    (document,) = read_inputs(["-"], options=input_options, stdin=io.BytesIO(TEXT.encode()))
    assert isinstance(document, Document)
    assert document.text == TEXT.strip()
    assert document.content_type == "text"
    assert document.source_path is None


def test_html_on_standard_input_is_recognised(input_options: InputOptions) -> None:
    (document,) = read_inputs(["-"], options=input_options, stdin=io.BytesIO(PAGE.encode()))
    assert isinstance(document, Document)
    assert document.content_type == "html"
    assert document.title == "Convoy reaches Ridgeford"


def test_empty_standard_input(input_options: InputOptions) -> None:
    (failure,) = read_inputs(["-"], options=input_options, stdin=io.BytesIO(b""))
    assert isinstance(failure, Failure)
    assert (failure.source, failure.code) == ("<stdin>", "input.empty")


def test_binary_standard_input(input_options: InputOptions) -> None:
    (failure,) = read_inputs(["-"], options=input_options, stdin=io.BytesIO(b"\x89PNG\r\n\x1a\n\x00\x00"))
    assert isinstance(failure, Failure)
    assert failure.code == "input.binary"


def test_standard_input_published_option(input_options: InputOptions) -> None:
    options = InputOptions(max_bytes=input_options.max_bytes, timeout=1.0, published_at="2024-09-16")
    (document,) = read_inputs(["-"], options=options, stdin=io.BytesIO(TEXT.encode()))
    assert isinstance(document, Document)
    assert (document.published_at, document.published_source) == ("2024-09-16", "option")
