"""DateResolver: intervals relative to the publication day (no model needed)."""

from __future__ import annotations

from datetime import date

import pytest

from sitrep.resolve.dates import DateResolver, Interval, Unresolved

PUB = date(2024, 9, 16)  # a Monday


@pytest.mark.parametrize(
    ("text", "start", "end", "precision"),
    [
        ("Monday", "2024-09-16", "2024-09-16", "day"),
        ("on Sunday", "2024-09-15", "2024-09-15", "day"),
        ("last Monday", "2024-09-09", "2024-09-09", "day"),
        ("Friday night", "2024-09-13", "2024-09-13", "day"),
        ("yesterday", "2024-09-15", "2024-09-15", "day"),
        ("last week", "2024-09-09", "2024-09-15", "week"),
        ("this week", "2024-09-16", "2024-09-16", "week"),
        ("early last month", "2024-08-01", "2024-08-10", "days"),
        ("mid-August", "2024-08-11", "2024-08-20", "days"),
        ("late August", "2024-08-21", "2024-08-31", "days"),
        ("Aug. 6", "2024-08-06", "2024-08-06", "day"),
        ("6 August", "2024-08-06", "2024-08-06", "day"),
        ("on 6 August 2024", "2024-08-06", "2024-08-06", "day"),
        ("Feb. 24, 2022", "2022-02-24", "2022-02-24", "day"),
        ("a few days ago", "2024-09-12", "2024-09-14", "days"),
        ("overnight", "2024-09-15", "2024-09-16", "days"),
        ("since the start of the month", "2024-09-01", "2024-09-16", "days"),
        ("earlier this month", "2024-09-01", "2024-09-16", "days"),
        ("last month", "2024-08-01", "2024-08-31", "month"),
        ("August 2024", "2024-08-01", "2024-08-31", "month"),
        ("in 2023", "2023-01-01", "2023-12-31", "year"),
        ("last year", "2023-01-01", "2023-12-31", "year"),
        ("two weeks ago", "2024-09-02", "2024-09-08", "week"),
        ("3 days ago", "2024-09-13", "2024-09-13", "day"),
        ("Aug. 6-8", "2024-08-06", "2024-08-08", "days"),
        ("December", "2023-12-01", "2023-12-31", "month"),
        ("Nov. 2", "2024-11-02", "2024-11-02", "day"),
        ("Dec. 25", "2023-12-25", "2023-12-25", "day"),
    ],
)
def test_resolves(text: str, start: str, end: str, precision: str) -> None:
    result = DateResolver().resolve(text, PUB)
    assert isinstance(result, Interval), result
    assert (result.start.isoformat(), result.end.isoformat(), result.precision) == (start, end, precision)


@pytest.mark.parametrize("text", ["Monday", "last week", "Aug. 6", "overnight", "a few days ago", "mid-August"])
def test_relative_without_publication_is_unresolved(text: str) -> None:
    assert isinstance(DateResolver().resolve(text, None), Unresolved)


@pytest.mark.parametrize("text", ["6 August 2024", "2024-08-06", "August 2024", "2022"])
def test_absolute_without_publication_resolves(text: str) -> None:
    assert isinstance(DateResolver().resolve(text, None), Interval)


@pytest.mark.parametrize("text", ["three years", "45-year-old", "days", "for two weeks", "10 years old"])
def test_durations_and_ages_are_not_dates(text: str) -> None:
    assert DateResolver().resolve(text, PUB) is None


def test_invalid_calendar_date_is_not_invented() -> None:
    assert not isinstance(DateResolver().resolve("31 February 2024", PUB), Interval)
