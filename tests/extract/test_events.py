"""Events and claims: the Kursk example and the modality rules."""

from __future__ import annotations

from importlib import resources
from typing import Any

import pytest

from sitrep.ingest import document_from_text

pytestmark = pytest.mark.model


@pytest.fixture(scope="module")
def kursk(extractor: Any) -> Any:
    text = resources.files("sitrep.examples").joinpath("kursk-observers.txt").read_text(encoding="utf-8")
    return extractor.extract(document_from_text(text, published_at="2024-09-16"))


def _events(extraction: Any, sub_event_type: str) -> list[Any]:
    return [e for e in extraction.events if e.sub_event_type == sub_event_type]


def test_invitation_to_observers(kursk: Any) -> None:
    (event,) = _events(kursk, "Request to observers")
    assert event.event_type == "Humanitarian"
    assert event.claimant.name == "Ministry of Foreign Affairs of Ukraine"
    assert event.location.name == "Kursk Oblast"
    assert (event.date.start, event.date.end) == ("2024-09-16", "2024-09-16")


def test_cross_border_incursion(kursk: Any) -> None:
    dated = [e for e in _events(kursk, "Cross-border incursion") if e.date and e.date.start == "2024-08-06"]
    assert len(dated) == 1
    event = dated[0]
    assert event.location.name == "Kursk Oblast" and event.location.country_code == "RU"
    assert ("Military Forces of Ukraine", "actor1") in [(a.name, a.role) for a in event.actors]
    assert {"territory_change", "cross_border"} <= set(event.tags)


def test_recapture_is_russias_claim(kursk: Any) -> None:
    (event,) = _events(kursk, "Settlement retaken")
    assert event.stance == "claimed"
    assert event.claimant.name == "Ministry of Defence of Russia"
    assert (event.date.start, event.date.end, event.date.precision) == ("2024-09-09", "2024-09-15", "week")
    figure = next(q for q in event.quantities if q.kind == "settlements")
    assert (figure.value, figure.qualifier, figure.high) == (12, "nearly", 12)


def test_kyiv_disputes_the_recapture_in_a_separate_claim(kursk: Any) -> None:
    retaken = kursk.events.index(_events(kursk, "Settlement retaken")[0])
    disputing = [c for c in kursk.claims if c.claimant.name == "Government of Ukraine" and c.stance == "disputed"]
    assert len(disputing) == 1
    assert retaken in disputing[0].about_events


def test_moscow_denounces_as_an_accusation(kursk: Any) -> None:
    kinds = [(c.kind, c.claimant.name) for c in kursk.claims]
    assert ("accusation", "Government of Russia") in kinds


def test_shelling_killed_three_aid_workers(kursk: Any) -> None:
    (event,) = _events(kursk, "Shelling/artillery/missile attack")
    assert event.event_type == "Explosions/Remote violence"
    assert event.fatalities == 3
    assert "aid_worker_harm" in event.tags
    assert event.location.precision == "region" and event.location.country_code == "UA"


def test_icrc_president_visits_moscow(kursk: Any) -> None:
    visits = [e for e in _events(kursk, "Observer or aid-agency visit") if e.location and e.location.name == "Moscow"]
    assert len(visits) == 1


def test_nothing_from_the_appeal(kursk: Any) -> None:
    for event in kursk.events:
        assert "Remind me later" not in event.evidence.quote and "Support" not in event.evidence.quote


def test_evacuation_figure(kursk: Any) -> None:
    (event,) = _events(kursk, "Evacuation")
    assert any(q.value == 150000 and q.qualifier == "more_than" for q in event.quantities)


@pytest.mark.parametrize(
    ("text", "sub_event_type"),
    [
        ("Officials said troops plan to evacuate the village next week.", "Evacuation"),
        ("If the dam is destroyed, thousands could be displaced.", "Displacement"),
        ("Russian forces did not shell the hospital, the ministry said.", "Shelling/artillery/missile attack"),
        ("The army threatened to shell the town.", "Shelling/artillery/missile attack"),
    ],
)
def test_planned_hypothetical_and_negated_are_not_events(extractor: Any, text: str, sub_event_type: str) -> None:
    result = extractor.extract(document_from_text(text, published_at="2024-09-16"))
    assert not [e for e in result.events if e.sub_event_type == sub_event_type and e.stance != "denied"]


def test_denied_happening_keeps_its_claimant(extractor: Any) -> None:
    result = extractor.extract(
        document_from_text(
            "Moscow denied that its forces had not shelled the market in Kharkiv.", published_at="2024-09-16"
        )
    )
    assert all(e.stance != "asserted" for e in result.events)


def test_metonymy_speaker_versus_place(extractor: Any) -> None:
    said = extractor.extract(
        document_from_text("Moscow said its air defences shot down 12 drones.", published_at="2024-09-16")
    )
    assert said.events and said.events[0].claimant.name == "Government of Russia"
    hit = extractor.extract(document_from_text("Drones struck Moscow overnight.", published_at="2024-09-16"))
    for event in hit.events:
        assert "Government of Russia" not in [a.name for a in event.actors]
