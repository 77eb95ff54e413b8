"""Records only: frozen dataclasses, no I/O, no imports from the rest of sitrep."""

from sitrep.model.records import (
    DateMention,
    Document,
    Evidence,
    Extraction,
    Failure,
    PlaceCandidate,
    PlaceMention,
    Quantity,
    Removed,
    Sentence,
)

__all__ = [
    "DateMention",
    "Document",
    "Evidence",
    "Extraction",
    "Failure",
    "PlaceCandidate",
    "PlaceMention",
    "Quantity",
    "Removed",
    "Sentence",
]
