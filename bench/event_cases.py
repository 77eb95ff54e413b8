"""Pass rate of the golden event cases (tests/cases/events.yaml) while the rules grow.

Prints each failing case with what was expected and what was extracted, then
the pass rate per topic. Not a test: the cases become part of the test suite
once they all pass; tests/test_event_cases.py pins how many pass.

Usage: python bench/event_cases.py [--only ID_PREFIX] [--quiet]
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from pathlib import Path
from typing import Any

import yaml

CASES = Path(__file__).resolve().parents[1] / "tests" / "cases" / "events.yaml"


def subset_match(want: Any, got: Any) -> bool:
    """``want`` is found in ``got``: dicts by their listed keys, lists item by item, scalars equal."""
    if isinstance(want, dict):
        return isinstance(got, dict) and all(subset_match(v, got.get(k)) for k, v in want.items())
    if isinstance(want, list):
        if not isinstance(got, list):
            return False
        return all(any(subset_match(w, g) for g in got) for w in want)
    if isinstance(want, float) or isinstance(got, float):
        return want is not None and got is not None and abs(float(want) - float(got)) < 1e-9
    return bool(want == got)


def check(case: dict[str, Any], result: dict[str, Any]) -> list[str]:
    problems: list[str] = []
    for kind in ("events", "claims"):
        pool = result[kind]
        for want in (case.get("expect") or {}).get(kind, []):
            if not any(subset_match(want, item) for item in pool):
                problems.append(f"missing {kind[:-1]}: {json.dumps(want, ensure_ascii=False)}")
        for unwanted in (case.get("expect_not") or {}).get(kind, []):
            if any(subset_match(unwanted, item) for item in pool):
                problems.append(f"unexpected {kind[:-1]}: {json.dumps(unwanted, ensure_ascii=False)}")
    return problems


def summary(item: dict[str, Any]) -> str:
    loc = item.get("location") or {}
    claimant = item.get("claimant") or {}
    return (
        f"{item.get('event_type', item.get('kind'))}/{item.get('sub_event_type', '')} stance={item.get('stance')} "
        f"claimant={claimant.get('name')} loc={loc.get('name')} fat={item.get('fatalities')} "
        f"date={(item.get('date') or {}).get('start')} actors={[(a['name'], a['role']) for a in item.get('actors', [])]} tags={item.get('tags')}"
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", help="run only cases whose id starts with this")
    parser.add_argument("--quiet", action="store_true", help="print only the totals")
    args = parser.parse_args()
    from sitrep.extract import Extractor
    from sitrep.ingest import document_from_text
    from sitrep.settings import load_settings

    cases = yaml.safe_load(CASES.read_text(encoding="utf-8"))
    if args.only:
        cases = [c for c in cases if c["id"].startswith(args.only)]
    extractor = Extractor.load(load_settings())
    passed: Counter[str] = Counter()
    total: Counter[str] = Counter()
    for case in cases:
        document = document_from_text(case["text"], published_at=case.get("published"))
        result = extractor.extract(document).to_dict()
        problems = check(case, result)
        topic = case.get("topic", "?")
        total[topic] += 1
        if not problems:
            passed[topic] += 1
            continue
        if not args.quiet:
            print(f"FAIL {case['id']} [{topic}] {case['text'].strip()[:160]}")
            for problem in problems:
                print(f"   {problem}")
            for item in result["events"] + result["claims"]:
                print(f"   got: {summary(item)}")
    for topic in sorted(total):
        print(f"{topic:32} {passed[topic]:3}/{total[topic]:3}")
    print(f"{'all':32} {sum(passed.values()):3}/{sum(total.values()):3}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
