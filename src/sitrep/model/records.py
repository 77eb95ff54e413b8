"""Records that cross module boundaries.

These are the public contract of DESIGN.md: field names are documented,
versioned and only ever added to. Unknown values are ``None`` (or an explicit
status), never ``0`` or an empty string. This module imports nothing else
from sitrep but its errors, and does no I/O.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import MISSING, asdict, dataclass, fields
from typing import Any, Literal, TypeVar, cast, get_args

from sitrep.errors import InputError

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


# From dicts: the inverse of ``to_dict`` ----------------------------------------------------
# Each ``*_from_dict`` reads the JSON shape its record's ``to_dict`` writes. Unknown keys are
# ignored (a newer sitrep may add fields); a missing key takes the dataclass default, and is
# an error where the field has none. Bad input raises InputError (code "input.extraction")
# naming the field, e.g. ``extraction.events[2].evidence``.

_JSON_TYPES = {
    "dict": "an object",
    "list": "an array",
    "tuple": "an array",
    "str": "a string",
    "int": "an integer",
    "float": "a number",
    "bool": "a boolean",
    "NoneType": "null",
}

_R = TypeVar("_R")


def bad_field(where: str, expected: str, value: object) -> InputError:
    """The error for a field that is not what its record needs."""
    name = type(value).__name__
    return InputError(f"{where}: expected {expected}, got {_JSON_TYPES.get(name, name)}", code="input.extraction")


class FieldReader:
    """Typed reads of one record's fields from a JSON object (a ``to_dict`` result).

    ``where`` names the object in error messages; ``record`` is the dataclass being
    built, whose defaults stand in for missing keys.
    """

    def __init__(self, data: object, where: str, record: type) -> None:
        if not isinstance(data, Mapping):
            raise bad_field(where, "an object", data)
        self._data = data
        self._where = where
        self._defaults: dict[str, Any] = {}
        for f in fields(record):
            if f.default is not MISSING:
                self._defaults[f.name] = f.default
            elif f.default_factory is not MISSING:
                self._defaults[f.name] = f.default_factory()

    def where(self, key: str) -> str:
        return f"{self._where}.{key}"

    def has(self, key: str) -> bool:
        return key in self._data

    def value(self, key: str) -> Any:
        if key in self._data:
            return self._data[key]
        if key in self._defaults:
            return self._defaults[key]
        raise InputError(f"{self.where(key)}: missing (a required field)", code="input.extraction")

    def string(self, key: str) -> str:
        value = self.value(key)
        if not isinstance(value, str):
            raise bad_field(self.where(key), "a string", value)
        return value

    def string_or_none(self, key: str) -> str | None:
        value = self.value(key)
        return None if value is None else self.string(key)

    def integer(self, key: str) -> int:
        value = self.value(key)
        if not isinstance(value, int) or isinstance(value, bool):
            raise bad_field(self.where(key), "an integer", value)
        return value

    def integer_or_none(self, key: str) -> int | None:
        value = self.value(key)
        return None if value is None else self.integer(key)

    def number(self, key: str) -> float:
        value = self.value(key)
        if not isinstance(value, (int, float)) or isinstance(value, bool):
            raise bad_field(self.where(key), "a number", value)
        return float(value)

    def number_or_none(self, key: str) -> float | None:
        value = self.value(key)
        return None if value is None else self.number(key)

    def record(self, key: str, build: Callable[[Mapping[str, Any], str], _R]) -> _R:
        """A nested record: ``build(data, where)`` is one of the ``*_from_dict`` functions."""
        return build(self.value(key), self.where(key))

    def record_or_none(self, key: str, build: Callable[[Mapping[str, Any], str], _R]) -> _R | None:
        value = self.value(key)
        return None if value is None else self.record(key, build)

    def records(self, key: str, build: Callable[[Mapping[str, Any], str], _R]) -> tuple[_R, ...]:
        return tuple(build(item, f"{self.where(key)}[{i}]") for i, item in enumerate(self._array(key)))

    def strings(self, key: str) -> tuple[str, ...]:
        items = self._array(key)
        for i, item in enumerate(items):
            if not isinstance(item, str):
                raise bad_field(f"{self.where(key)}[{i}]", "a string", item)
        return tuple(items)

    def integers(self, key: str) -> tuple[int, ...]:
        items = self._array(key)
        for i, item in enumerate(items):
            if not isinstance(item, int) or isinstance(item, bool):
                raise bad_field(f"{self.where(key)}[{i}]", "an integer", item)
        return tuple(items)

    def _array(self, key: str) -> list[Any] | tuple[Any, ...]:
        value = self.value(key)
        if not isinstance(value, (list, tuple)):
            raise bad_field(self.where(key), "an array", value)
        return value


def removed_from_dict(data: Mapping[str, Any], where: str = "removed") -> Removed:
    r = FieldReader(data, where, Removed)
    return Removed(start=r.integer("start"), end=r.integer("end"), reason=r.string("reason"), quote=r.string("quote"))


def document_from_dict(data: Mapping[str, Any], where: str = "document") -> Document:
    """The inverse of :meth:`Document.to_dict`.

    ``to_dict`` leaves ``raw_text`` out: it is read when present, else it is the
    canonical ``text`` (exact when nothing was removed; otherwise the ``removed``
    offsets no longer point into it).
    """
    r = FieldReader(data, where, Document)
    text = r.string("text")
    return Document(
        id=r.string("id"),
        text=text,
        text_sha256=r.string("text_sha256"),
        raw_text=r.string("raw_text") if r.has("raw_text") else text,
        removed=r.records("removed", removed_from_dict),
        url=r.string_or_none("url"),
        outlet=r.string_or_none("outlet"),
        title=r.string_or_none("title"),
        author=r.string_or_none("author"),
        published_at=r.string_or_none("published_at"),
        published_source=cast("Literal['page', 'option', 'input'] | None", r.string_or_none("published_source")),
        language=r.string_or_none("language"),
        source_id=r.string_or_none("source_id"),
        source_path=r.string_or_none("source_path"),
        content_type=cast("Literal['text', 'html']", r.string("content_type")),
    )


def evidence_from_dict(data: Mapping[str, Any], where: str = "evidence") -> Evidence:
    r = FieldReader(data, where, Evidence)
    return Evidence(
        document_id=r.string("document_id"), start=r.integer("start"), end=r.integer("end"), quote=r.string("quote")
    )


def place_candidate_from_dict(data: Mapping[str, Any], where: str = "candidate") -> PlaceCandidate:
    r = FieldReader(data, where, PlaceCandidate)
    return PlaceCandidate(
        geonames_id=r.integer_or_none("geonames_id"),
        name=r.string("name"),
        country_code=r.string_or_none("country_code"),
        admin1=r.string_or_none("admin1"),
        feature_code=r.string("feature_code"),
        lat=r.number_or_none("lat"),
        lon=r.number_or_none("lon"),
        population=r.integer_or_none("population"),
        score=r.number("score"),
    )


def place_mention_from_dict(data: Mapping[str, Any], where: str = "place") -> PlaceMention:
    """The inverse of :meth:`PlaceMention.to_dict`, candidates included."""
    r = FieldReader(data, where, PlaceMention)
    return PlaceMention(
        text=r.string("text"),
        start=r.integer("start"),
        end=r.integer("end"),
        status=cast(PlaceStatus, r.string("status")),
        precision=cast("PlacePrecision | None", r.string_or_none("precision")),
        name=r.string_or_none("name"),
        geonames_id=r.integer_or_none("geonames_id"),
        lat=r.number_or_none("lat"),
        lon=r.number_or_none("lon"),
        country_code=r.string_or_none("country_code"),
        admin1=r.string_or_none("admin1"),
        admin1_code=r.string_or_none("admin1_code"),
        feature_code=r.string_or_none("feature_code"),
        candidates=r.records("candidates", place_candidate_from_dict),
        extractor=r.string("extractor"),
    )


def date_mention_from_dict(data: Mapping[str, Any], where: str = "date") -> DateMention:
    """The inverse of :meth:`DateMention.to_dict`."""
    r = FieldReader(data, where, DateMention)
    return DateMention(
        text=r.string("text"),
        start=r.integer("start"),
        end=r.integer("end"),
        date_start=r.string_or_none("date_start"),
        date_end=r.string_or_none("date_end"),
        precision=cast("DatePrecision | None", r.string_or_none("precision")),
        status=cast("Literal['resolved', 'unresolved']", r.string("status")),
        rule=r.string("rule"),
        extractor=r.string("extractor"),
    )


def quantity_from_dict(data: Mapping[str, Any], where: str = "quantity") -> Quantity:
    """The inverse of :meth:`Quantity.to_dict` (whole numbers come back as floats)."""
    r = FieldReader(data, where, Quantity)
    return Quantity(
        text=r.string("text"),
        start=r.integer("start"),
        end=r.integer("end"),
        kind=cast(QuantityKind, r.string("kind")),
        value=r.number("value"),
        qualifier=cast(Qualifier, r.string("qualifier")),
        low=r.number_or_none("low"),
        high=r.number_or_none("high"),
        unit=r.string_or_none("unit"),
        extractor=r.string("extractor"),
    )


def sentence_from_dict(data: Mapping[str, Any], where: str = "sentence") -> Sentence:
    r = FieldReader(data, where, Sentence)
    return Sentence(start=r.integer("start"), end=r.integer("end"))
