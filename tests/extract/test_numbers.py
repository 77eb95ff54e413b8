"""Number phrases: values, qualifiers and bounds (no model needed)."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from sitrep.extract.quantities import find_number_phrases, parse_number


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("150,000", 150000),
        ("three", 3),
        ("twenty-three", 23),
        ("two hundred", 200),
        ("one hundred and five", 105),
        ("1.5 million", 1_500_000),
        ("a dozen", 12),
        ("dozen", 12),
        ("half a dozen", 6),
        ("3,000", 3000),
        ("two thousand five hundred", 2500),
    ],
)
def test_parse_number(text: str, value: float) -> None:
    assert parse_number(text) == value


@pytest.mark.parametrize(
    ("text", "value", "qualifier", "low", "high"),
    [
        ("more than 150,000 civilians", 150000, "more_than", 150000, None),
        ("nearly one dozen towns", 12, "nearly", None, 12),
        ("nearly a dozen towns", 12, "nearly", None, 12),
        ("three workers", 3, "exact", 3, 3),
        ("at least 12 people", 12, "at_least", 12, None),
        ("up to 3,000 residents", 3000, "up_to", None, 3000),
        ("10 to 15 soldiers", 10, "range", 10, 15),
        ("between 10 and 15 soldiers", 10, "range", 10, 15),
        ("hundreds of civilians", 200, "at_least", 200, None),
        ("dozens of homes", 24, "at_least", 24, None),
        ("about 40 people", 40, "about", None, None),
    ],
)
def test_phrases(text: str, value: float, qualifier: str, low: float | None, high: float | None) -> None:
    matches = list(find_number_phrases(text))
    assert len(matches) == 1, matches
    m = matches[0]
    assert (m.value, m.qualifier, m.low, m.high) == (value, qualifier, low, high)
    assert text[m.start : m.end].split()[-1] not in ("civilians", "towns", "people")


@given(st.integers(min_value=0, max_value=10**9))
def test_digits_with_commas_round_trip(n: int) -> None:
    assert parse_number(f"{n:,}") == n


@given(st.text(max_size=200))
def test_phrase_offsets_are_inside_the_text(text: str) -> None:
    for m in find_number_phrases(text):
        assert 0 <= m.start < m.end <= len(text)
