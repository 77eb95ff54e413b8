"""Hand-built events and a stub extractor for the ACLED and UCDP evaluation tests."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field

import pytest

from sitrep.model import (
    Document,
    Event,
    EventDate,
    EventLocation,
    Evidence,
    Extraction,
    PlaceMention,
)

EVIDENCE = Evidence(document_id="d", start=0, end=0, quote="")


def make_location(
    name: str = "Velmora",
    *,
    admin1: str | None = "Donetsk Oblast",
    lat: float | None = 48.0,
    lon: float | None = 37.0,
    precision: str | None = "point",
    status: str = "resolved",
) -> EventLocation:
    return EventLocation(
        name=name,
        geonames_id=None,
        country_code="UA",
        admin1=admin1,
        admin2=None,
        lat=lat,
        lon=lon,
        precision=precision,
        status=status,
        evidence=EVIDENCE,
    )


def make_event(
    event_type: str = "Explosions/Remote violence",
    sub_event_type: str = "Shelling/artillery/missile attack",
    *,
    location: EventLocation | None = None,
    date: tuple[str, str] | None = None,
    fatalities: int | None = None,
) -> Event:
    return Event(
        event_type=event_type,
        sub_event_type=sub_event_type,
        actors=(),
        location=location,
        date=EventDate(date[0], date[1], "day", EVIDENCE) if date else None,
        quantities=(),
        fatalities=fatalities,
        claimant=None,
        stance="asserted",
        tags=(),
        evidence=EVIDENCE,
        trigger=EVIDENCE,
        confidence=None,
        extractor=("test",),
    )


def make_place(text: str, *, lat: float | None, lon: float | None, status: str = "resolved") -> PlaceMention:
    return PlaceMention(text=text, start=0, end=len(text), status=status, name=text, lat=lat, lon=lon)  # type: ignore[arg-type]


def make_extraction(*events: Event, places: tuple[PlaceMention, ...] = (), text: str = "") -> Extraction:
    document = Document(id="d", text=text, text_sha256="0" * 64, raw_text=text)
    return Extraction(document=document, places=places, events=events)


@dataclass
class StubExtractor:
    """Answers each document with the events listed for a phrase it contains; records what it saw."""

    answers: Mapping[str, tuple[Event, ...]]
    seen: list[Document] = field(default_factory=list)

    def extract_many(self, documents: list[Document]) -> Iterator[Extraction]:
        for document in documents:
            self.seen.append(document)
            events: tuple[Event, ...] = ()
            for phrase, answer in self.answers.items():
                if phrase in document.text:
                    events = answer
                    break
            yield Extraction(document=document, events=events)


class Builders:
    """The helpers above, handed to tests by the ``build`` fixture."""

    location = staticmethod(make_location)
    event = staticmethod(make_event)
    place = staticmethod(make_place)
    extraction = staticmethod(make_extraction)
    stub = StubExtractor


@pytest.fixture
def build() -> type[Builders]:
    return Builders
