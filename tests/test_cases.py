"""Golden cases (tests/cases/*.yaml): furniture, places, dates, figures.

Each case names what it expects; a failure prints the expected item next to
every extracted item of that kind, so the diff is visible at once.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
import yaml

from sitrep.ingest import document_from_html, document_from_text

CASES_DIR = Path(__file__).parent / "cases"
# events.yaml is measured by bench/event_cases.py until the event rules pass all of it;
# it joins this suite then (the events issue).
CASE_FILES = ("furniture.yaml", "places.yaml", "dates.yaml", "figures.yaml")
REQUIRED = ("id", "category", "note", "text")


def _load_cases() -> list[dict[str, Any]]:
    cases: list[dict[str, Any]] = []
    for path in (CASES_DIR / name for name in CASE_FILES):
        for case in yaml.safe_load(path.read_text(encoding="utf-8")):
            case["_file"] = path.name
            cases.append(case)
    return cases


CASES = _load_cases()


def test_cases_are_well_formed() -> None:
    ids = [c["id"] for c in CASES]
    assert len(ids) == len(set(ids)), "duplicate case ids"
    assert len(CASES) >= 60
    for case in CASES:
        for key in REQUIRED:
            assert case.get(key), f"{case.get('id')}: missing {key}"
        assert case.get("expect") or case.get("expect_not"), f"{case['id']}: expects nothing"


def _matches(expected: dict[str, Any], item: dict[str, Any], *, kind: str) -> bool:
    for key, want in expected.items():
        got = item.get(key)
        if key == "text" and kind == "quantities":
            if want not in (got or ""):
                return False
            continue
        if key == "contains":
            if want not in (item.get("quote") or ""):
                return False
            continue
        if isinstance(want, float) or isinstance(got, float):
            if want is None or got is None or abs(float(want) - float(got)) > 1e-9:
                return False
            continue
        if got != want:
            return False
    return True


def _show(items: list[dict[str, Any]], keys: list[str]) -> str:
    return (
        "\n".join("    " + json.dumps({k: i.get(k) for k in keys}, ensure_ascii=False) for i in items) or "    (none)"
    )


@pytest.mark.model
@pytest.mark.parametrize("case", CASES, ids=[c["id"] for c in CASES])
def test_golden_case(case: dict[str, Any], extractor: Any) -> None:
    published = case.get("published")
    if case.get("format") == "html":
        document = document_from_html(case["text"], published_at=published, source=case["id"])
    else:
        document = document_from_text(case["text"], published_at=published, source=case["id"])
    result = extractor.extract(document).to_dict()
    pools: dict[str, list[dict[str, Any]]] = {
        "places": result["places"],
        "dates": result["dates"],
        "quantities": result["quantities"],
        "removed": result["document"]["removed"],
    }
    problems: list[str] = []
    expect = case.get("expect") or {}
    text = document.text
    for needle in expect.get("text_contains", []):
        if needle not in text:
            problems.append(f"text lacks {needle!r}")
    for needle in expect.get("text_not_contains", []):
        if needle in text:
            problems.append(f"text still contains {needle!r}")
    for kind, pool in pools.items():
        for want in expect.get(kind, []):
            if not any(_matches(want, item, kind=kind) for item in pool):
                problems.append(
                    f"missing {kind}: {json.dumps(want, ensure_ascii=False)}\n  extracted:\n" + _show(pool, list(want))
                )
        for unwanted in (case.get("expect_not") or {}).get(kind, []):
            hits = [item for item in pool if _matches(unwanted, item, kind=kind)]
            if hits:
                problems.append(
                    f"unexpected {kind}: {json.dumps(unwanted, ensure_ascii=False)}\n  matched:\n"
                    + _show(hits, list(unwanted))
                )
    assert not problems, f"{case['id']} ({case['note'].strip()})\n" + "\n".join(problems)
