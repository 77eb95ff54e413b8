"""Every extracted field's quote equals the text at its offsets, on any input."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sitrep.errors import EvidenceMismatch
from sitrep.extract.pipeline import verify_evidence
from sitrep.ingest import document_from_text
from sitrep.model import Extraction, Quantity

pytestmark = pytest.mark.model

FRAGMENTS = [
    "Shelling killed three ICRC staff in eastern Ukraine on Monday.",
    "More than 150,000 civilians left the Kursk region since Aug. 6.",
    "Russia said it retook nearly a dozen settlements last week.",
    "Kyiv (Київ) and Kharkov were hit overnight; 10 to 15 people were injured.",
    "The village of Chornoluzhka lost power.",
    "  \n\n",
    "Support our journalism\nContinue\nRemind me later\n",
    "At 5 p.m., a 45-year-old man was detained in Sudzha.",
]


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    parts=st.lists(st.one_of(st.sampled_from(FRAGMENTS), st.text(min_size=1, max_size=40)), min_size=1, max_size=6),
    published=st.sampled_from([None, "2024-09-16", "2022-02-24T05:00:00+02:00"]),
)
def test_quotes_match_offsets(extractor: Any, parts: list[str], published: str | None) -> None:
    raw = " ".join(parts)
    if not raw.strip():
        return
    try:
        document = document_from_text(raw, published_at=published)
    except Exception as exc:  # only coded input errors are acceptable
        assert getattr(exc, "code", "").startswith("input."), exc
        return
    result = extractor.extract(document)  # verify_evidence runs inside and raises on a mismatch
    for item in (*result.places, *result.dates, *result.quantities):
        assert document.text[item.start : item.end] == item.text


def test_mismatch_fails_loudly() -> None:
    document = document_from_text("Three people were killed.")
    bad = Quantity(text="Three", start=1, end=6, kind="killed", value=3, qualifier="exact", low=3, high=3, unit=None)
    with pytest.raises(EvidenceMismatch) as info:
        verify_evidence(Extraction(document=document, quantities=(bad,)))
    assert info.value.code == "extract.evidence_mismatch"
