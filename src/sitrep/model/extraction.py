"""The result of extracting one document: everything with its evidence."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from sitrep.model.events import Claim, Event, claim_from_dict, event_from_dict
from sitrep.model.records import (
    DateMention,
    Document,
    FieldReader,
    PlaceMention,
    Quantity,
    Sentence,
    date_mention_from_dict,
    document_from_dict,
    place_mention_from_dict,
    quantity_from_dict,
    sentence_from_dict,
)


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


def extraction_from_dict(data: Mapping[str, Any]) -> Extraction:
    """The inverse of :meth:`Extraction.to_dict`: ``extraction_from_dict(d).to_dict() == d``.

    ``to_dict`` leaves out ``sentences`` and ``Document.raw_text``: they are read
    when present, else the sentences are empty and the raw text is the text.
    Unknown keys are ignored; a missing key takes the dataclass default (and is
    an error where there is none). Bad input raises
    :class:`~sitrep.errors.InputError` with code ``input.extraction`` and a
    message naming the field, e.g. ``extraction.events[2].evidence``.
    """
    r = FieldReader(data, "extraction", Extraction)
    return Extraction(
        document=r.record("document", document_from_dict),
        sentences=r.records("sentences", sentence_from_dict),
        places=r.records("places", place_mention_from_dict),
        dates=r.records("dates", date_mention_from_dict),
        quantities=r.records("quantities", quantity_from_dict),
        events=r.records("events", event_from_dict),
        claims=r.records("claims", claim_from_dict),
        extractor=r.strings("extractor"),
    )
