"""``sitrep demo`` and ``sitrep gazetteer``: built-in examples and the place index."""

from __future__ import annotations

import json
from collections.abc import Callable
from importlib import resources
from pathlib import Path
from typing import Any

import pytest
import yaml

pytestmark = [pytest.mark.model, pytest.mark.usefixtures("extractor")]

Run = Callable[..., Any]

MANIFEST = yaml.safe_load(resources.files("sitrep.examples").joinpath("manifest.yaml").read_text(encoding="utf-8"))


def test_manifest_has_six_examples() -> None:
    assert len(MANIFEST) == 6


def test_demo_table_prints_all_six_examples(sitrep: Run, data_dir: Path) -> None:
    result = sitrep("demo", "--data-dir", str(data_dir))

    assert result.code == 0, result.err
    assert "error [" not in result.err
    headings = [line for line in result.out.splitlines() if line.startswith("== ")]
    assert len(headings) == 6
    for entry in MANIFEST:
        if not entry["file"].endswith(".html"):
            assert f"== {entry['title']}" in headings


def test_demo_jsonl_prints_six_documents(sitrep: Run, data_dir: Path) -> None:
    result = sitrep("demo", "--format", "jsonl", "--data-dir", str(data_dir))

    assert result.code == 0, result.err
    records = [json.loads(line) for line in result.out.splitlines()]
    assert len(records) == 6
    assert [r["document"]["url"] for r in records] == [e["url"] for e in MANIFEST]
    assert len({r["document"]["id"] for r in records}) == 6
    for record in records:
        assert record["places"], record["document"]["title"]


def test_gazetteer_info_and_lookup(sitrep: Run, data_dir: Path) -> None:
    info = sitrep("gazetteer", "info", "--data-dir", str(data_dir))
    assert info.code == 0, info.err
    assert json.loads(info.out)["path"].startswith(str(data_dir))

    lookup = sitrep("gazetteer", "lookup", "Kharkov", "--data-dir", str(data_dir))
    assert lookup.code == 0, lookup.err
    assert "Kharkiv" in lookup.out
