"""``extraction_from_dict`` is the inverse of ``Extraction.to_dict`` (batch runs store the JSON)."""

from __future__ import annotations

import copy
import json
from typing import Any

import pytest

from sitrep.errors import InputError
from sitrep.examples import load_examples
from sitrep.model import Document, Extraction, extraction_from_dict
from sitrep.store.repository import record_rows


@pytest.fixture(scope="module")
def extractions(extractor: Any) -> list[Extraction]:
    documents = list(load_examples())
    assert len(documents) == 6
    assert all(isinstance(d, Document) for d in documents), documents
    return [extractor.extract(d) for d in documents]


@pytest.mark.model
def test_examples_round_trip(extractions: list[Extraction]) -> None:
    assert any(x.events for x in extractions) and any(x.claims for x in extractions)
    assert any(p.candidates for x in extractions for p in x.places)
    for original in extractions:
        data = original.to_dict()
        rebuilt = extraction_from_dict(data)
        assert rebuilt.to_dict() == data
        assert extraction_from_dict(json.loads(json.dumps(data))).to_dict() == data
        assert json.loads(json.dumps(rebuilt.to_dict())) == data
        assert isinstance(rebuilt.events, tuple)
        assert all(isinstance(e.actors, tuple) and isinstance(e.tags, tuple) for e in rebuilt.events)


@pytest.mark.model
def test_examples_store_the_same_rows(extractions: list[Extraction]) -> None:
    for original in extractions:
        rebuilt = extraction_from_dict(json.loads(json.dumps(original.to_dict())))
        assert record_rows(rebuilt) == record_rows(original)


def _document() -> Document:
    return Document(id="d0001", text="Shelling hit Eastvale.", text_sha256="0" * 64, raw_text="Shelling hit Eastvale.")


def test_document_only_round_trips() -> None:
    original = Extraction(document=_document())
    data = original.to_dict()
    rebuilt = extraction_from_dict(data)
    assert rebuilt == original
    assert rebuilt.to_dict() == data
    assert extraction_from_dict(json.loads(json.dumps(data))) == original


def test_unknown_keys_ignored_and_missing_optional_keys_default() -> None:
    data: dict[str, Any] = {
        "document": {"id": "d0001", "text": "Shelling hit Eastvale.", "text_sha256": "0" * 64, "added_later": 1},
        "added_later": [],
    }
    rebuilt = extraction_from_dict(data)
    assert rebuilt == Extraction(document=_document())


def _event(evidence: object) -> dict[str, Any]:
    quote = {"document_id": "d0001", "start": 0, "end": 8, "quote": "Shelling"}
    return {
        "event_type": "Explosions/Remote violence",
        "sub_event_type": "Shelling/artillery/missile attack",
        "actors": [],
        "location": None,
        "date": None,
        "quantities": [],
        "fatalities": None,
        "claimant": None,
        "stance": "asserted",
        "tags": [],
        "evidence": evidence,
        "trigger": quote,
        "confidence": None,
        "extractor": ["extract.events.rules.v1"],
    }


def test_hand_built_event_round_trips() -> None:
    data = Extraction(document=_document()).to_dict()
    data["events"] = [_event({"document_id": "d0001", "start": 0, "end": 22, "quote": "Shelling hit Eastvale."})]
    assert extraction_from_dict(data).to_dict() == data


@pytest.mark.parametrize(
    ("change", "field"),
    [
        (lambda d: "not a dict", "extraction"),
        (lambda d: [d], "extraction"),
        (lambda d: {k: v for k, v in d.items() if k != "document"}, "extraction.document"),
        (lambda d: d | {"document": "d0001"}, "extraction.document"),
        (lambda d: d | {"events": [_event("Shelling hit Eastvale.")]}, "extraction.events[0].evidence"),
        (lambda d: d | {"events": {}}, "extraction.events"),
        (lambda d: d | {"document": d["document"] | {"id": None}}, "extraction.document.id"),
        (
            lambda d: d | {"document": d["document"] | {"removed": [{"start": "0"}]}},
            "extraction.document.removed[0].start",
        ),
        (lambda d: d | {"extractor": ["v1", 2]}, "extraction.extractor[1]"),
    ],
    ids=[
        "string",
        "list",
        "no-document",
        "document-string",
        "evidence-string",
        "events-object",
        "id-null",
        "start-string",
        "extractor-int",
    ],
)
def test_bad_input_raises_input_error_naming_the_field(change: Any, field: str) -> None:
    data = change(copy.deepcopy(Extraction(document=_document()).to_dict()))
    with pytest.raises(InputError) as caught:
        extraction_from_dict(data)
    assert caught.value.code == "input.extraction"
    assert caught.value.message.startswith(field + ":"), caught.value.message


def test_booleans_are_not_numbers() -> None:
    data = Extraction(document=_document()).to_dict()
    data["events"] = [_event({"document_id": "d0001", "start": True, "end": 8, "quote": "Shelling"})]
    with pytest.raises(
        InputError, match=r"extraction\.events\[0\]\.evidence\.start: expected an integer, got a boolean"
    ):
        extraction_from_dict(data)
