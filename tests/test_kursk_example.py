"""The acceptance checks of the foundation issue on the built-in Kursk example."""

from __future__ import annotations

from importlib import resources
from typing import Any

import pytest

from sitrep.ingest import document_from_text


@pytest.fixture(scope="module")
def kursk(extractor: Any) -> Any:
    text = resources.files("sitrep.examples").joinpath("kursk-observers.txt").read_text(encoding="utf-8")
    return extractor.extract(document_from_text(text, published_at="2024-09-16"))


pytestmark = pytest.mark.model


def test_appeal_and_credit_removed(kursk: Any) -> None:
    doc = kursk.document
    reasons = {r.reason for r in doc.removed}
    assert {"donation_appeal", "reporting_credit"} <= reasons
    for part in doc.removed:
        assert doc.raw_text[part.start : part.end] == part.quote
        assert part.quote not in doc.text
    assert "Remind me later" not in doc.text
    assert "contributed reporting" not in doc.text


def test_kursk_region_is_the_admin1(kursk: Any) -> None:
    hits = [p for p in kursk.places if p.text == "Kursk region"]
    assert hits, [p.text for p in kursk.places]
    for place in hits:
        assert place.status == "resolved"
        assert place.precision == "admin1"
        assert place.country_code == "RU"
        assert place.name == "Kursk Oblast"
        assert place.admin1_code == "RU-KRS"


@pytest.mark.parametrize(
    ("text", "start", "end", "precision"),
    [
        ("Aug. 6", "2024-08-06", "2024-08-06", "day"),
        ("last week", "2024-09-09", "2024-09-15", "week"),
        ("Monday", "2024-09-16", "2024-09-16", "day"),
    ],
)
def test_dates(kursk: Any, text: str, start: str, end: str, precision: str) -> None:
    hits = [d for d in kursk.dates if d.text == text]
    assert hits, [d.text for d in kursk.dates]
    assert all((d.date_start, d.date_end, d.precision) == (start, end, precision) for d in hits)


def test_more_than_150000(kursk: Any) -> None:
    hits = [q for q in kursk.quantities if "150,000" in q.text]
    assert len(hits) == 1
    figure = hits[0]
    assert (figure.value, figure.qualifier, figure.low, figure.high) == (150000, "more_than", 150000, None)
    assert figure.kind == "evacuated"
    assert figure.unit == "civilians"


def test_every_field_has_matching_evidence(kursk: Any) -> None:
    text = kursk.document.text
    for item in (*kursk.places, *kursk.dates, *kursk.quantities):
        assert text[item.start : item.end] == item.text
