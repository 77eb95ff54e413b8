"""POST /field-reports, the webhook a data-collection tool (KoboToolbox-style) delivers submissions to.

Tools deliver again when they do not hear back in time, and sometimes several
times at once: a submission is stored once, by its ``_uuid`` (the first
delivery is ``new``, every later one ``duplicate``). A submission that cannot be
a field report is refused with 422 ``input.field_report`` and changes nothing.
Form fields sitrep does not know are named in ``ignored_fields`` and not stored
(a form may carry personal data under names sitrep does not know).
"""

from __future__ import annotations

import threading
from collections import Counter
from typing import Any

import httpx
import pytest

DELIVERIES = 3
THREADS = 8


def submission(uuid: str, day: str, **extra: Any) -> dict[str, Any]:
    """A fictional observer's report of shelling in Kupiansk on ``day`` (2024)."""
    return {
        "_uuid": uuid,
        "report": (
            f"Russian artillery shelled the market in Kupiansk on {day} 2024, wounding two civilians, "
            "said witness Orrin Mapleworth."
        ),
        "witness_name": "Orrin Mapleworth",
        "_geolocation": [49.70412, 37.62188],
        "_submission_time": "2024-11-02T10:15:00",
        "sensitivity": "restricted",
        **extra,
    }


def every(api: Any, path: str) -> list[dict[str, Any]]:
    """All items of a list, as the admin sees it, through every page."""
    items: list[dict[str, Any]] = []
    cursor = None
    while True:
        response = api.get(path, who="admin", params={"limit": 500, **({"cursor": cursor} if cursor else {})})
        assert response.status_code == 200, response.text
        page = response.json()
        items.extend(page["items"])
        cursor = page["next_cursor"]
        if not cursor:
            return items


def counts(api: Any) -> dict[str, int]:
    return {path: len(every(api, path)) for path in ("/documents", "/field-reports", "/events")}


def listed(api: Any, uuid: str, who: str = "observer") -> int:
    """How many times ``uuid`` is in the caller's list of field reports."""
    response = api.get("/field-reports", who=who, params={"limit": 500})
    assert response.status_code == 200 and response.json()["next_cursor"] is None, response.text
    return sum(1 for r in response.json()["items"] if r["uuid"] == uuid)


def test_the_same_submission_delivered_again_is_stored_once(api: Any) -> None:
    before = counts(api)
    sent = submission("hook-kupiansk-0000000000001", "14 April")
    answers = [api.post("/field-reports", who="observer", json=sent) for _ in range(DELIVERIES)]
    assert [a.status_code for a in answers] == [200] * DELIVERIES, [a.text for a in answers]
    assert [a.json()["outcome"] for a in answers] == ["new"] + ["duplicate"] * (DELIVERIES - 1)
    assert answers[0].json()["events"] >= 1
    assert all(a.json()["events"] == a.json()["claims"] == 0 for a in answers[1:])
    after = counts(api)
    assert after["/documents"] == before["/documents"] + 1
    assert after["/field-reports"] == before["/field-reports"] + 1
    assert after["/events"] == before["/events"] + answers[0].json()["events"]
    assert listed(api, sent["_uuid"]) == 1
    assert listed(api, sent["_uuid"], who="admin") == 1
    document_id = answers[0].json()["document_id"]
    assert [d["id"] for d in every(api, "/documents")].count(document_id) == 1


def test_concurrent_deliveries_are_stored_once(api: Any) -> None:
    before = counts(api)
    sent = submission("hook-kupiansk-0000000000002", "21 April")
    start = threading.Barrier(THREADS, timeout=60)
    answers: list[httpx.Response | BaseException] = []
    lock = threading.Lock()

    def deliver() -> None:
        with httpx.Client(timeout=120) as client:
            start.wait()
            try:
                answer: httpx.Response | BaseException = client.post(
                    api.base + "/field-reports",
                    json=sent,
                    headers={"Authorization": f"Bearer {api.tokens['observer']}"},
                )
            except httpx.HTTPError as exc:
                answer = exc
        with lock:
            answers.append(answer)

    threads = [threading.Thread(target=deliver) for _ in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=300)
    assert len(answers) == THREADS
    failed = [a if isinstance(a, BaseException) else f"{a.status_code} {a.text}" for a in answers]
    assert all(isinstance(a, httpx.Response) and a.status_code == 200 for a in answers), failed
    outcomes = Counter(a.json()["outcome"] for a in answers if isinstance(a, httpx.Response))
    assert outcomes == {"new": 1, "duplicate": THREADS - 1}
    after = counts(api)
    assert after["/documents"] == before["/documents"] + 1
    assert after["/field-reports"] == before["/field-reports"] + 1
    assert listed(api, sent["_uuid"]) == 1


VALID = submission("hook-kupiansk-bad", "5 May")
BAD = {
    "not an object": [VALID],
    "no _uuid": {k: v for k, v in VALID.items() if k != "_uuid"},
    "an empty _uuid": {**VALID, "_uuid": "  "},
    "a _uuid over 64 characters": {**VALID, "_uuid": "u" * 65},
    "no text": {k: v for k, v in VALID.items() if k != "report"},
    "text that is not text": {**VALID, "report": {"text": VALID["report"]}},
    "a text over the limit": {**VALID, "report": VALID["report"] + " More shelling was heard." * 4200},
    "a sensitivity that is no level": {**VALID, "sensitivity": "top-secret"},
    "a latitude out of range": {**VALID, "_geolocation": [91.5, 37.62188]},
    "a longitude out of range": {**VALID, "_geolocation": "49.70412 -181.0"},
    "a location that is not a number": {**VALID, "_geolocation": ["north", "east"]},
}


@pytest.mark.parametrize("payload", BAD.values(), ids=BAD.keys())
def test_a_bad_submission_is_refused_and_changes_nothing(api: Any, payload: Any) -> None:
    before = counts(api)
    answer = api.post("/field-reports", who="observer", json=payload)
    assert answer.status_code == 422, answer.text
    assert answer.json() == {
        "error": {"code": "input.field_report", "message": answer.json()["error"]["message"], "status": 422}
    }
    assert answer.json()["error"]["message"]
    assert counts(api) == before
    assert listed(api, "hook-kupiansk-bad", who="admin") == 0


def test_unknown_form_fields_are_reported_and_not_stored(api: Any) -> None:
    unknown = {
        "respondent_home_address": "14 Brindlewick Lane, flat 3",
        "group_household/head_of_household": "Pellucid Ashgrove",
        "Respondent_Age": "47 years, Marrowgate clan",
    }
    tool = {"_id": 9917, "formhub/uuid": "f0a9", "start": "2024-11-02T10:01:00", "_status": "submitted_via_web"}
    sent = submission("hook-kupiansk-0000000000003", "28 April", **unknown, **tool)
    answer = api.post("/field-reports", who="observer", json=sent)
    assert answer.status_code == 200, answer.text
    stored = answer.json()
    assert stored["outcome"] == "new"
    assert stored["ignored_fields"] == sorted(unknown)  # the tool's own bookkeeping is dropped without a word
    again = api.post("/field-reports", who="observer", json=sent).json()
    assert (again["outcome"], again["ignored_fields"]) == ("duplicate", sorted(unknown))

    bodies = [
        api.get(f"/field-reports/{sent['_uuid']}", who="observer").text,  # the submitter sees all that is kept
        api.get(f"/field-reports/{sent['_uuid']}", who="admin").text,
        api.get("/field-reports", who="admin", params={"limit": 500}).text,
        api.get(f"/documents/{stored['document_id']}", who="admin").text,
        api.get("/events", who="admin", params={"document_id": stored["document_id"], "limit": 500}).text,
        api.get("/claims", who="admin", params={"document_id": stored["document_id"], "limit": 500}).text,
        api.get("/places", who="admin", params={"limit": 500}).text,
        api.get("/audit", who="admin", params={"limit": 500}).text,
        *(api.get(f"/incidents/{i}", who="admin").text for i in stored["incidents"]),
    ]
    kept = api.get(f"/field-reports/{sent['_uuid']}", who="observer").json()
    assert {p["value"] for p in kept["personal"]} == {"Orrin Mapleworth"}  # positive control: known fields kept
    for value in ("Brindlewick", "Pellucid Ashgrove", "Marrowgate", *unknown):
        found = [body[:200] for body in bodies if value in body]
        assert not found, f"{value!r} was stored: {found}"
