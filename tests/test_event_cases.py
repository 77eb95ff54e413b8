"""Golden event cases (tests/cases/events.yaml): every case must pass.

Each case is its own test. bench/event_cases.py runs the same check from the
command line and prints, for a failing case, what was extracted instead.
"""

from __future__ import annotations

import importlib.util
from pathlib import Path
from typing import Any

import pytest
import yaml

from sitrep.ingest import document_from_text

CASES_FILE = Path(__file__).parent / "cases" / "events.yaml"
CASES = yaml.safe_load(CASES_FILE.read_text(encoding="utf-8"))


def _runner() -> Any:
    path = Path(__file__).parents[1] / "bench" / "event_cases.py"
    spec = importlib.util.spec_from_file_location("event_cases", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


_RUNNER = _runner()


def test_event_cases_are_well_formed() -> None:
    cases = CASES
    ids = [c["id"] for c in cases]
    assert len(ids) == len(set(ids)) and len(cases) >= 120
    for case in cases:
        assert case.get("note") and case.get("text") and case.get("topic"), case["id"]
        assert case.get("expect") or case.get("expect_not"), case["id"]


@pytest.mark.model
@pytest.mark.parametrize("case", CASES, ids=[c["id"] for c in CASES])
def test_event_case(extractor: Any, case: dict[str, Any]) -> None:
    result = extractor.extract(document_from_text(case["text"], published_at=case.get("published"))).to_dict()
    problems = _RUNNER.check(case, result)
    assert not problems, f"{case['id']} ({case['topic']}): " + "\n".join(problems)
