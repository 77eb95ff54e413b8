"""The result of extracting one document: everything with its evidence."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from sitrep.model.events import Claim, Event
from sitrep.model.records import DateMention, Document, PlaceMention, Quantity, Sentence


@dataclass(frozen=True)
class Extraction:
    """Everything sitrep extracts from one document."""

    document: Document
    sentences: tuple[Sentence, ...] = ()
    places: tuple[PlaceMention, ...] = ()
    dates: tuple[DateMention, ...] = ()
    quantities: tuple[Quantity, ...] = ()
    events: tuple[Event, ...] = ()
    claims: tuple[Claim, ...] = ()
    extractor: tuple[str, ...] = field(default_factory=tuple)

    def to_dict(self) -> dict[str, Any]:
        return {
            "document": self.document.to_dict(),
            "places": [p.to_dict() for p in self.places],
            "dates": [d.to_dict() for d in self.dates],
            "quantities": [q.to_dict() for q in self.quantities],
            "events": [e.to_dict() for e in self.events],
            "claims": [c.to_dict() for c in self.claims],
            "extractor": list(self.extractor),
        }
