"""Records that cross module boundaries.

These are the public contract of DESIGN.md: field names are documented,
versioned and only ever added to. Unknown values are ``None`` (or an explicit
status), never ``0`` or an empty string. This module imports nothing else
from sitrep and does no I/O.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any, Literal, get_args

PlacePrecision = Literal["point", "near", "admin2", "admin1", "country", "region"]
PlaceStatus = Literal["resolved", "ambiguous", "unresolved"]
DatePrecision = Literal["day", "days", "week", "month", "year"]
QuantityKind = Literal[
    "killed",
    "injured",
    "evacuated",
    "displaced",
    "detained",
    "missing",
    "settlements",
    "area_km2",
    "other",
]
Qualifier = Literal["exact", "more_than", "at_least", "up_to", "about", "nearly", "range"]

PLACE_PRECISIONS: tuple[str, ...] = get_args(PlacePrecision)
PLACE_STATUSES: tuple[str, ...] = get_args(PlaceStatus)
DATE_PRECISIONS: tuple[str, ...] = get_args(DatePrecision)
QUANTITY_KINDS: tuple[str, ...] = get_args(QuantityKind)
QUALIFIERS: tuple[str, ...] = get_args(Qualifier)


@dataclass(frozen=True)
class Removed:
    """A part of the raw input dropped as page furniture, with the reason."""

    start: int
    end: int
    reason: str
    quote: str


@dataclass(frozen=True)
class Document:
    """One report: canonical body text plus what is known about it.

    ``removed`` offsets point into ``raw_text`` (the text before furniture
    removal: the plain text as given, or the text trafilatura took from an
    HTML page). All other offsets in sitrep point into ``text``.
    """

    id: str
    text: str
    text_sha256: str
    raw_text: str
    removed: tuple[Removed, ...] = ()
    url: str | None = None
    outlet: str | None = None
    title: str | None = None
    author: str | None = None
    published_at: str | None = None
    published_source: Literal["page", "option", "input"] | None = None
    language: str | None = None
    source_id: str | None = None
    source_path: str | None = None
    content_type: Literal["text", "html"] = "text"

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data.pop("raw_text")
        data["removed"] = [asdict(r) for r in self.removed]
        return data


@dataclass(frozen=True)
class Evidence:
    """Half-open code-point offsets into ``Document.text`` plus the quote."""

    document_id: str
    start: int
    end: int
    quote: str


@dataclass(frozen=True)
class PlaceCandidate:
    geonames_id: int | None
    name: str
    country_code: str | None
    admin1: str | None
    feature_code: str
    lat: float | None
    lon: float | None
    population: int | None
    score: float


@dataclass(frozen=True)
class PlaceMention:
    """A place named in the text, resolved or not. Never dropped silently."""

    text: str
    start: int
    end: int
    status: PlaceStatus
    precision: PlacePrecision | None = None
    name: str | None = None
    geonames_id: int | None = None
    lat: float | None = None
    lon: float | None = None
    country_code: str | None = None
    admin1: str | None = None
    admin1_code: str | None = None
    feature_code: str | None = None
    candidates: tuple[PlaceCandidate, ...] = ()
    extractor: str = ""

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["candidates"] = [asdict(c) for c in self.candidates]
        return data


@dataclass(frozen=True)
class DateMention:
    """A time expression and the inclusive interval it denotes.

    ``start``/``end`` are character offsets; ``date_start``/``date_end`` the
    ISO dates of the interval, ``None`` when the expression cannot be
    resolved (a relative expression without a publication time).
    """

    text: str
    start: int
    end: int
    date_start: str | None
    date_end: str | None
    precision: DatePrecision | None
    status: Literal["resolved", "unresolved"]
    rule: str
    extractor: str = ""

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True)
class Quantity:
    """A figure as stated, with the bounds it implies and the noun it counts."""

    text: str
    start: int
    end: int
    kind: QuantityKind
    value: float
    qualifier: Qualifier
    low: float | None
    high: float | None
    unit: str | None
    extractor: str = ""

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        for key in ("value", "low", "high"):
            number = data[key]
            if isinstance(number, float) and number.is_integer():
                data[key] = int(number)
        return data


@dataclass(frozen=True)
class Sentence:
    start: int
    end: int


@dataclass(frozen=True)
class Failure:
    """One input that could not be processed: where, which stage, why."""

    source: str
    stage: str
    code: str
    message: str

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)
