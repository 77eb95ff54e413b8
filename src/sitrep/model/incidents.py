"""Incident and control records (DESIGN.md "Incident", "ControlState").

A :class:`Mention` is one stored event as fusion sees it: the event's fields
plus where its document came from. Fusion groups mentions into
:class:`Incident` records; territorial control becomes a time series of
:class:`ControlState` records per settlement. Both keep every source's own
values and the claims behind them, never one merged "fact".
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any, Literal, get_args

IncidentStatus = Literal["provisional", "verified", "unverifiable", "rejected"]
ControlStatus = Literal["controlled", "contested", "claimed"]
Side = Literal["supporting", "disputing"]

INCIDENT_STATUSES: tuple[str, ...] = get_args(IncidentStatus)
CONTROL_STATUSES: tuple[str, ...] = get_args(ControlStatus)
DISPUTING_STANCES = frozenset({"denied", "disputed"})
SUMMARY_VERBS = {
    "asserted": "reported by",
    "claimed": "claimed by",
    "confirmed": "confirmed by",
    "denied": "disputed by",
    "disputed": "disputed by",
}


@dataclass(frozen=True)
class Figure:
    """One stated number of one kind (killed, evacuated, ...) with the bounds it implies."""

    kind: str
    value: int | None
    low: int | None
    high: int | None


@dataclass(frozen=True)
class ClaimRef:
    """Who says (or denies) something, with the words: one side of a claim."""

    side: Side
    claimant: str | None  # None: the outlet's own voice
    claimant_kind: str | None
    stance: str
    verb: str | None
    outlet: str | None
    document_id: str
    start: int
    end: int
    quote: str
    date: str | None  # when it was said: the report's publication day when known

    @property
    def who(self) -> str:
        return self.claimant or (f"{self.outlet} (own reporting)" if self.outlet else "the report itself")


@dataclass(frozen=True)
class Mention:
    """One stored event mention, the unit fusion works on."""

    key: str  # "<document_id>:<ordinal>": the same in every database and every ingest order
    document_id: str
    ordinal: int
    origin: str  # independence: mentions with the same origin count as one source
    outlet: str | None
    published_at: str | None
    event_type: str
    sub_event_type: str
    place_key: str | None  # "gn:<id>", "name:<text>", "adm1:<cc>:<admin1>", "cc:<cc>" or None
    place_name: str | None
    geonames_id: int | None
    country_code: str | None
    admin1: str | None
    lat: float | None
    lon: float | None
    precision: str | None
    date_start: str | None
    date_end: str | None
    date_precision: str | None
    actors: tuple[tuple[str, str], ...]  # (role, canonical name)
    fatalities: int | None
    figures: tuple[Figure, ...]
    stance: str
    claimant: str | None
    claimant_kind: str | None
    verb: str | None
    quote: str  # the trigger sentence
    start: int
    end: int
    confidence: float | None
    claims: tuple[ClaimRef, ...] = ()  # claims in the same document about this event
    sketch: tuple[int, ...] = ()  # of the document's text, to find near-duplicate republications
    sensitivity: int = 0  # of its document: 0 public, 1 restricted, 2 confidential (model/access.py)
    submitted_by: str | None = None  # the user who sent its document in, if one did


@dataclass(frozen=True)
class Member:
    """A mention in an incident and why it is there."""

    key: str
    document_id: str
    origin: str
    outlet: str | None
    sub_event_type: str
    stance: str
    claimant: str | None
    date_start: str | None
    date_end: str | None
    place_name: str | None
    fatalities: int | None
    figures: tuple[Figure, ...]
    quote: str
    start: int
    end: int
    reason: str


@dataclass(frozen=True)
class Range:
    """A figure across independent sources: lowest, best (the median) and highest, with each source's value."""

    low: int
    best: int
    high: int
    by_source: tuple[tuple[str, int], ...]  # (origin, value), sorted


@dataclass(frozen=True)
class Correction:
    """An analyst's value for one canonical field; the machine's value is kept beside it."""

    field: str
    machine: Any  # what fusion says now
    value: Any
    analyst: str | None  # None where the caller may not see who corrected it
    reason: str | None
    at: str


@dataclass(frozen=True)
class Incident:
    """One happening, fused from the mentions of every source that reported it."""

    id: str
    event_type: str
    sub_event_type: str
    place_key: str | None
    location_name: str | None
    geonames_id: int | None
    country_code: str | None
    admin1: str | None
    lat: float | None
    lon: float | None
    precision: str | None
    date_start: str | None
    date_end: str | None
    deaths: Range | None
    figures: tuple[tuple[str, Range], ...]  # (kind, range) for every kind of number stated
    sources: int  # independent origins
    origins: tuple[str, ...]
    actors: tuple[tuple[str, str], ...]  # (role, name) named by any source
    supporting: tuple[ClaimRef, ...]
    disputing: tuple[ClaimRef, ...]
    members: tuple[Member, ...]
    pinned: bool = False  # an analyst's split, merge or review fixed its membership
    status: IncidentStatus = "provisional"
    corrections: tuple[Correction, ...] = ()  # analysts' values, already applied to the fields above

    @property
    def summary(self) -> str:
        """'claimed by X; disputed by Y': who stands behind the incident, side by side."""
        groups: dict[str, list[str]] = {}
        for ref in self.supporting + self.disputing:
            names = groups.setdefault(SUMMARY_VERBS[ref.stance], [])
            if ref.who.casefold() not in {n.casefold() for n in names}:
                names.append(ref.who)
        return "; ".join(f"{head} {', '.join(names)}" for head, names in groups.items())

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["deaths"] = asdict(self.deaths) if self.deaths else None
        data["figures"] = {kind: asdict(r) for kind, r in self.figures}
        data["actors"] = [{"role": role, "name": name} for role, name in self.actors]
        data["summary"] = self.summary
        return _lists(data)


@dataclass(frozen=True)
class ControlState:
    """Who holds a settlement from one day to another, and on whose word."""

    place_key: str
    settlement: str
    geonames_id: int | None
    country_code: str | None
    admin1: str | None
    lat: float | None
    lon: float | None
    controller: str | None  # canonical actor, None when no report names one
    controller_side: str | None  # the actor's country (ISO code) when known
    status: ControlStatus
    valid_from: str  # ISO date, inclusive
    valid_to: str | None  # ISO date, inclusive; None: still the latest known state
    supporting: tuple[ClaimRef, ...]
    disputing: tuple[ClaimRef, ...]
    incidents: tuple[str, ...]

    def to_dict(self) -> dict[str, Any]:
        return _lists(asdict(self))


def _lists(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _lists(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_lists(v) for v in value]
    return value


def incident_from_dict(data: dict[str, Any]) -> Incident:
    """The inverse of :meth:`Incident.to_dict` (the stored ``record``)."""

    def ref(d: dict[str, Any]) -> ClaimRef:
        return ClaimRef(**d)

    def figures(items: list[dict[str, Any]]) -> tuple[Figure, ...]:
        return tuple(Figure(**f) for f in items)

    def range_(d: dict[str, Any] | None) -> Range | None:
        if d is None:
            return None
        return Range(d["low"], d["best"], d["high"], tuple((o, v) for o, v in d["by_source"]))

    fields = {k: v for k, v in data.items() if k in Incident.__dataclass_fields__}
    fields["deaths"] = range_(data["deaths"])
    fields["figures"] = tuple((kind, r) for kind, d in data["figures"].items() if (r := range_(d)) is not None)
    fields["origins"] = tuple(data["origins"])
    fields["actors"] = tuple((a["role"], a["name"]) for a in data["actors"])
    fields["supporting"] = tuple(ref(r) for r in data["supporting"])
    fields["disputing"] = tuple(ref(r) for r in data["disputing"])
    fields["members"] = tuple(Member(**{**m, "figures": figures(m["figures"])}) for m in data["members"])
    fields["corrections"] = tuple(Correction(**c) for c in data.get("corrections") or ())
    return Incident(**fields)


def control_from_dict(data: dict[str, Any]) -> ControlState:
    """The inverse of :meth:`ControlState.to_dict`."""
    fields = dict(data)
    fields["supporting"] = tuple(ClaimRef(**r) for r in data["supporting"])
    fields["disputing"] = tuple(ClaimRef(**r) for r in data["disputing"])
    fields["incidents"] = tuple(data["incidents"])
    return ControlState(**fields)
