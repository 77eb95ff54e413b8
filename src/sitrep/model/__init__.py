"""Records only: frozen dataclasses, no I/O, no imports from the rest of sitrep."""

from sitrep.model.events import Claim, Claimant, Event, EventActor, EventDate, EventLocation
from sitrep.model.extraction import Extraction, extraction_from_dict
from sitrep.model.records import (
    DateMention,
    Document,
    Evidence,
    Failure,
    PlaceCandidate,
    PlaceMention,
    Quantity,
    Removed,
    Sentence,
)

__all__ = [
    "Claim",
    "Claimant",
    "DateMention",
    "Document",
    "Event",
    "EventActor",
    "EventDate",
    "EventLocation",
    "Evidence",
    "Extraction",
    "Failure",
    "PlaceCandidate",
    "PlaceMention",
    "Quantity",
    "Removed",
    "Sentence",
    "extraction_from_dict",
]
