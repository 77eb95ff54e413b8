"""Event and claim records (DESIGN.md "Event"), the contract of `events` and `claims`.

An :class:`Event` is one mention of one happening in one document. Every
field that comes from the text carries :class:`~sitrep.model.Evidence`
(offsets into ``Document.text`` plus the quote). Unknown is ``None``.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import asdict, dataclass
from typing import Any, Literal, cast, get_args

from sitrep.model.records import Evidence, FieldReader, Quantity, evidence_from_dict, quantity_from_dict

ActorRole = Literal["actor1", "actor2", "associated"]
ActorKind = Literal[
    "state_forces", "rebels", "militia", "civilians", "humanitarian", "government", "international", "other"
]
Stance = Literal["asserted", "claimed", "confirmed", "denied", "disputed"]
ClaimKind = Literal["accusation", "denial", "ihl_compliance", "statement"]

ACTOR_ROLES: tuple[str, ...] = get_args(ActorRole)
ACTOR_KINDS: tuple[str, ...] = get_args(ActorKind)
STANCES: tuple[str, ...] = get_args(Stance)
CLAIM_KINDS: tuple[str, ...] = get_args(ClaimKind)
EVENT_TAGS: tuple[str, ...] = ("aid_worker_harm", "civilian_harm", "ihl_relevant", "territory_change", "cross_border")


@dataclass(frozen=True)
class EventActor:
    name: str  # canonical name from the actor table
    text: str  # as written
    role: ActorRole
    kind: ActorKind
    evidence: Evidence


@dataclass(frozen=True)
class EventLocation:
    name: str | None
    geonames_id: int | None
    country_code: str | None
    admin1: str | None
    admin2: str | None
    lat: float | None
    lon: float | None
    precision: str | None
    status: str
    evidence: Evidence


@dataclass(frozen=True)
class EventDate:
    start: str | None  # ISO date, inclusive
    end: str | None
    precision: str | None
    evidence: Evidence


@dataclass(frozen=True)
class Claimant:
    name: str  # canonical actor name, or the text when unknown to the actor table
    kind: ActorKind
    verb: str  # "said", "claimed", "denied", "according to" ...
    evidence: Evidence


@dataclass(frozen=True)
class Event:
    event_type: str
    sub_event_type: str
    actors: tuple[EventActor, ...]
    location: EventLocation | None
    date: EventDate | None
    quantities: tuple[Quantity, ...]
    fatalities: int | None
    claimant: Claimant | None  # None: the outlet's own voice
    stance: Stance
    tags: tuple[str, ...]
    evidence: Evidence  # the trigger sentence
    trigger: Evidence  # the word(s) that typed the event
    confidence: float | None
    extractor: tuple[str, ...]

    def to_dict(self) -> dict[str, Any]:
        data = _lists(asdict(self))
        data["quantities"] = [q.to_dict() for q in self.quantities]
        return data


@dataclass(frozen=True)
class Claim:
    """A statement of its own: an accusation, a denial, a claim of IHL compliance."""

    kind: ClaimKind
    claimant: Claimant
    stance: Stance
    evidence: Evidence  # the sentence
    about_events: tuple[int, ...]  # indexes into the document's events
    about_places: tuple[int, ...]  # indexes into the document's places
    extractor: tuple[str, ...]

    def to_dict(self) -> dict[str, Any]:
        return _lists(asdict(self))


def _lists(value: Any) -> Any:
    """JSON's shape: tuples become lists, all the way down."""
    if isinstance(value, dict):
        return {k: _lists(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_lists(v) for v in value]
    return value


# From dicts: the inverse of ``to_dict`` (see sitrep.model.records.FieldReader) -------------


def event_actor_from_dict(data: Mapping[str, Any], where: str = "actor") -> EventActor:
    r = FieldReader(data, where, EventActor)
    return EventActor(
        name=r.string("name"),
        text=r.string("text"),
        role=cast(ActorRole, r.string("role")),
        kind=cast(ActorKind, r.string("kind")),
        evidence=r.record("evidence", evidence_from_dict),
    )


def event_location_from_dict(data: Mapping[str, Any], where: str = "location") -> EventLocation:
    r = FieldReader(data, where, EventLocation)
    return EventLocation(
        name=r.string_or_none("name"),
        geonames_id=r.integer_or_none("geonames_id"),
        country_code=r.string_or_none("country_code"),
        admin1=r.string_or_none("admin1"),
        admin2=r.string_or_none("admin2"),
        lat=r.number_or_none("lat"),
        lon=r.number_or_none("lon"),
        precision=r.string_or_none("precision"),
        status=r.string("status"),
        evidence=r.record("evidence", evidence_from_dict),
    )


def event_date_from_dict(data: Mapping[str, Any], where: str = "date") -> EventDate:
    r = FieldReader(data, where, EventDate)
    return EventDate(
        start=r.string_or_none("start"),
        end=r.string_or_none("end"),
        precision=r.string_or_none("precision"),
        evidence=r.record("evidence", evidence_from_dict),
    )


def claimant_from_dict(data: Mapping[str, Any], where: str = "claimant") -> Claimant:
    r = FieldReader(data, where, Claimant)
    return Claimant(
        name=r.string("name"),
        kind=cast(ActorKind, r.string("kind")),
        verb=r.string("verb"),
        evidence=r.record("evidence", evidence_from_dict),
    )


def event_from_dict(data: Mapping[str, Any], where: str = "event") -> Event:
    """The inverse of :meth:`Event.to_dict`."""
    r = FieldReader(data, where, Event)
    return Event(
        event_type=r.string("event_type"),
        sub_event_type=r.string("sub_event_type"),
        actors=r.records("actors", event_actor_from_dict),
        location=r.record_or_none("location", event_location_from_dict),
        date=r.record_or_none("date", event_date_from_dict),
        quantities=r.records("quantities", quantity_from_dict),
        fatalities=r.integer_or_none("fatalities"),
        claimant=r.record_or_none("claimant", claimant_from_dict),
        stance=cast(Stance, r.string("stance")),
        tags=r.strings("tags"),
        evidence=r.record("evidence", evidence_from_dict),
        trigger=r.record("trigger", evidence_from_dict),
        confidence=r.number_or_none("confidence"),
        extractor=r.strings("extractor"),
    )


def claim_from_dict(data: Mapping[str, Any], where: str = "claim") -> Claim:
    """The inverse of :meth:`Claim.to_dict`."""
    r = FieldReader(data, where, Claim)
    return Claim(
        kind=cast(ClaimKind, r.string("kind")),
        claimant=r.record("claimant", claimant_from_dict),
        stance=cast(Stance, r.string("stance")),
        evidence=r.record("evidence", evidence_from_dict),
        about_events=r.integers("about_events"),
        about_places=r.integers("about_places"),
        extractor=r.strings("extractor"),
    )
