"""Event and claim records (DESIGN.md "Event"), the contract of `events` and `claims`.

An :class:`Event` is one mention of one happening in one document. Every
field that comes from the text carries :class:`~sitrep.model.Evidence`
(offsets into ``Document.text`` plus the quote). Unknown is ``None``.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any, Literal, get_args

from sitrep.model.records import Evidence, Quantity

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
