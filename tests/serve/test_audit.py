"""The audit log through the API: every change of state and every read of personal data leaves a row.

A row (``GET /audit``, admin only) says when (``at``), who (``actor``: the user's name), what
(``action``, ``object_type``, ``object_id``), the state ``before`` and ``after``, and the analyst's
``reason``. Also here: the review queue's order, and that a reviewed incident keeps its status when a
later report joins it.

The seeded reports (tests/fixtures/fusion) make three provisional incidents: Kupiansk (shelling with
casualties), Robotyne (a capture claim that is disputed) and Vovchansk (an evacuation). The reports
written here are fictional, about real towns of the Kharkiv region in 2024.
"""

from __future__ import annotations

import json
import time
from typing import Any

import pytest

ROW_FIELDS = {"id", "at", "actor", "action", "object_type", "object_id", "before", "after", "reason"}
WITHHELD_CORRECTION = {"analyst": None, "reason": None}


def audit_rows(api: Any, **filters: str) -> list[dict[str, Any]]:
    """Every audit row matching ``filters`` (object_type, object_id), oldest first, all pages."""
    rows: list[dict[str, Any]] = []
    cursor = None
    while True:
        params: dict[str, Any] = {"limit": 500, **filters, **({"cursor": cursor} if cursor else {})}
        response = api.get("/audit", who="admin", params=params)
        assert response.status_code == 200, response.text
        page = response.json()
        rows.extend(page["items"])
        if not page["next_cursor"]:
            return rows
        cursor = page["next_cursor"]


def one_row(api: Any, action: str, object_type: str, object_id: str) -> dict[str, Any]:
    rows = [r for r in audit_rows(api, object_type=object_type, object_id=object_id) if r["action"] == action]
    assert len(rows) == 1, f"{action} rows of {object_type} {object_id}: {rows}"
    assert set(rows[0]) == ROW_FIELDS, rows[0]
    assert rows[0]["at"], rows[0]
    return rows[0]


def post_report(api: Any, uuid: str, text: str, *, who: str = "observer", **extra: Any) -> dict[str, Any]:
    submission = {"_uuid": uuid, "report": text, "sensitivity": "restricted", **extra}
    response = api.post("/field-reports", who=who, json=submission)
    assert response.status_code == 200, response.text
    assert response.json()["outcome"] == "new", response.json()
    return dict(response.json())


@pytest.fixture(scope="module")
def seeded(api: Any) -> dict[str, dict[str, Any]]:
    """The three seeded incidents as first stored, by place: Kupyansk, Robotyne, Vovchansk."""
    items = api.get("/incidents", who="admin", params={"limit": 500}).json()["items"]
    found = {i["location_name"]: i for i in items}
    assert {"Kupyansk", "Robotyne", "Vovchansk"} <= set(found), sorted(found)
    return found


@pytest.fixture(scope="module")
def verified_kupiansk(api: Any, seeded: dict[str, dict[str, Any]]) -> dict[str, Any]:
    """The Kupiansk shelling, verified by ``analyst`` (its id changes once: a review pins it)."""
    response = api.post(
        f"/incidents/{seeded['Kupyansk']['id']}/review",
        who="analyst",
        json={"status": "verified", "reason": "three independent outlets agree"},
    )
    assert response.status_code == 200, response.text
    return dict(response.json())


# The review queue first: the tests below review some of its incidents.


def test_the_review_queue_puts_what_most_needs_a_person_first(api: Any, seeded: dict[str, dict[str, Any]]) -> None:
    """Priority: 10 a source (up to 10), 25 for casualties, 30 for a disputed claim; highest first."""
    stored = api.post(
        "/documents",
        who="analyst",
        json={
            "text": "Russian shelling hit Lyptsi in the Kharkiv region on 7 April 2024, the regional governor said.",
            "outlet": "Kharkiv Evening Wire",
            "published_at": "2024-04-08",
        },
    )
    assert stored.status_code == 201, stored.text
    (single,) = stored.json()["incidents"]

    items = api.get("/review-queue", who="analyst").json()["items"]

    order = [(i["id"], i["priority"]) for i in items]
    assert order == [
        (seeded["Robotyne"]["id"], 60),  # 3 sources, disputed
        (seeded["Kupyansk"]["id"], 55),  # 3 sources, people killed
        (seeded["Vovchansk"]["id"], 30),  # 3 sources
        (single, 10),  # 1 source
    ]


def test_a_review_is_audited(api: Any, seeded: dict[str, dict[str, Any]], verified_kupiansk: dict[str, Any]) -> None:
    ident = verified_kupiansk["id"]
    assert verified_kupiansk["status"] == "verified"

    row = one_row(api, "incident.review", "incident", ident)

    assert row["actor"] == "analyst"
    assert row["before"] == {"id": seeded["Kupyansk"]["id"], "status": "provisional"}
    assert row["after"] == {"id": ident, "status": "verified"}
    assert row["reason"] == "three independent outlets agree"
    history = api.get(f"/incidents/{ident}/history", who="analyst").json()["items"]
    assert [r["id"] for r in history if r["action"] == "incident.review"] == [row["id"]]


def test_a_correction_is_audited_and_kept_beside_the_machine_value(api: Any, verified_kupiansk: dict[str, Any]) -> None:
    ident = verified_kupiansk["id"]
    machine = {k: verified_kupiansk["deaths"][k] for k in ("low", "best", "high")}
    corrected = {"low": 3, "best": 3, "high": 3}
    assert machine != corrected
    reason = "the prosecutor's office gave the final count"

    response = api.post(
        f"/incidents/{ident}/corrections", who="analyst", json={"field": "deaths", "value": corrected, "reason": reason}
    )

    assert response.status_code == 200, response.text
    row = one_row(api, "incident.correct", "incident", ident)
    assert (row["actor"], row["before"], row["after"], row["reason"]) == (
        "analyst",
        {"deaths": machine},
        {"deaths": corrected},
        reason,
    )
    as_analyst = api.get(f"/incidents/{ident}", who="analyst").json()
    (correction,) = as_analyst["corrections"]
    assert {k: as_analyst["deaths"][k] for k in corrected} == corrected
    assert {k: correction[k] for k in ("field", "machine", "value", "analyst", "reason")} == {
        "field": "deaths",
        "machine": machine,
        "value": corrected,
        "analyst": "analyst",
        "reason": reason,
    }
    as_viewer = api.get(f"/incidents/{ident}", who="viewer")
    assert as_viewer.status_code == 200, as_viewer.text
    assert as_viewer.json()["corrections"] == [{**correction, **WITHHELD_CORRECTION}]
    assert {k: as_viewer.json()["deaths"][k] for k in corrected} == corrected
    assert reason not in as_viewer.text


def test_a_split_and_a_merge_are_audited(api: Any, seeded: dict[str, dict[str, Any]]) -> None:
    claim = seeded["Robotyne"]
    keys = sorted(m["key"] for m in claim["members"])
    assert len(keys) == 3

    split = api.post(
        f"/incidents/{claim['id']}/split", who="analyst", json={"keys": keys[:1], "reason": "a separate claim"}
    )

    assert split.status_code == 200, split.text
    parts = split.json()["incidents"]
    row = one_row(api, "incident.split", "incident", claim["id"])
    assert (row["actor"], row["reason"]) == ("analyst", "a separate claim")
    assert row["before"] == {claim["id"]: keys}
    assert sorted(map(sorted, row["after"].values())) == [keys[:1], keys[1:]]
    assert set(row["after"]) == set(parts)

    merged = api.post("/incidents/merge", who="analyst_conf", json={"ids": parts, "reason": "the same claim"})

    assert merged.status_code == 200, merged.text
    ident = merged.json()["incident"]
    row = one_row(api, "incident.merge", "incident", ident)
    assert (row["actor"], row["reason"]) == ("analyst_conf", "the same claim")
    assert set(row["before"]) == set(parts)
    assert row["after"] == {ident: keys}


def test_adding_a_user_issuing_a_token_and_removing_the_user_are_audited(api: Any) -> None:
    added = api.post("/users", who="admin", json={"name": "auditee", "role": "observer"})
    assert added.status_code == 201, added.text
    issued = api.post("/users/auditee/tokens", who="admin", json={"label": "field phone"})
    assert issued.status_code == 201, issued.text
    removed = api.delete("/users/auditee", who="admin")
    assert removed.status_code == 204, removed.text

    rows = audit_rows(api, object_type="user", object_id="auditee")

    assert [(r["action"], r["actor"], r["before"], r["after"]) for r in rows] == [
        ("user.add", "admin", None, {"role": "observer", "clearance": "public"}),
        ("token.issue", "admin", None, {"label": "field phone"}),
        ("user.remove", "admin", {"role": "observer", "clearance": "public"}, None),
    ]
    token = issued.json()["token"]
    assert token not in json.dumps(audit_rows(api))  # only its hash is kept, and not in the log


def test_a_field_report_is_audited_without_its_personal_data(api: Any) -> None:
    stored = post_report(
        api,
        "audit-added",
        "Russian drones struck a warehouse in Vovchansk in the Kharkiv region on 11 March 2024, a night guard said.",
        witness_name="Hanna Fictional",
        phone="+380 00 000 0000",
        _geolocation=[50.2901, 36.9402],
    )

    report = one_row(api, "field_report.add", "field_report", "audit-added")
    document = one_row(api, "document.add", "document", stored["document_id"])

    assert (report["actor"], report["after"]) == ("observer", {"document_id": stored["document_id"]})
    assert document["actor"] == "observer"
    assert document["after"]["sensitivity"] == "restricted"
    assert document["after"]["events"] == stored["events"] >= 1
    logged = json.dumps(audit_rows(api))
    assert "Hanna Fictional" not in logged and "+380 00 000 0000" not in logged and "50.2901" not in logged


def test_a_posted_document_is_audited(api: Any) -> None:
    response = api.post(
        "/documents",
        who="analyst",
        json={
            "text": "Russian shelling damaged a bridge in Kupiansk in the Kharkiv region on 1 May 2024, "
            "the city administration said.",
            "title": "Bridge damaged in Kupiansk",
            "outlet": "Oskil Valley Courier",
            "published_at": "2024-05-02",
        },
    )
    assert response.status_code == 201, response.text
    stored = response.json()

    row = one_row(api, "document.add", "document", stored["document_id"])

    assert row["actor"] == "analyst"
    assert row["after"] == {"sensitivity": "public", "events": stored["events"], "supersedes": None}
    assert stored["events"] >= 1
    document = api.get(f"/documents/{stored['document_id']}", who="analyst").json()
    assert (document["title"], document["outlet"], document["published_at"][:10]) == (
        "Bridge damaged in Kupiansk",
        "Oskil Valley Courier",
        "2024-05-02",
    )


def test_reading_personal_data_is_audited_and_reading_none_is_not(api: Any) -> None:
    post_report(
        api,
        "audit-read",
        "Russian shelling hit a school in Lyptsi in the Kharkiv region on 21 April 2024, a teacher said.",
        witness_name="Ostap Fictional",
        _geolocation=[50.1961, 36.4163],
    )

    whole = api.get("/field-reports/audit-read", who="analyst_conf")
    cut = api.get("/field-reports/audit-read", who="analyst")

    assert whole.json()["personal"] == [{"kind": "witness", "value": "Ostap Fictional"}]
    assert (cut.json()["personal"], cut.json()["location_rounded"]) == (None, True)
    reads = [
        r
        for r in audit_rows(api, object_type="field_report", object_id="audit-read")
        if r["action"] == "personal_data.read"
    ]
    assert [r["actor"] for r in reads] == ["analyst_conf"], reads
    assert set(reads[0]) == ROW_FIELDS


def test_the_purge_removes_personal_data_and_is_audited(api: Any) -> None:
    post_report(
        api,
        "audit-purged",
        "About 60 civilians were evacuated from Kupiansk in the Kharkiv region on 9 May 2024, a volunteer said.",
        witness_name="Taras Fictional",
        _geolocation=[49.7101, 37.6158],
    )
    time.sleep(1.1)  # received before the purge: times are kept to the second, and the cutoff is "older than"

    purged = api.post("/retention/purge", who="admin", params={"days": 0})

    assert purged.status_code == 200, purged.text
    assert purged.json()["reports"] >= 1
    for who in ("analyst_conf", "observer"):
        report = api.get("/field-reports/audit-purged", who=who).json()
        assert report["personal"] in ([], None), report
        assert (report["lat"], report["lon"]) == (None, None), report
        assert report["purged_at"], report
        assert report["text"].startswith("About 60 civilians"), report  # the report itself stays
    rows = [r for r in audit_rows(api, object_type="field_report") if r["action"] == "personal_data.purge"]
    assert rows, "no personal_data.purge row"
    assert rows[-1]["actor"] == "admin"
    assert "audit-purged" in rows[-1]["after"]["reports"]
    assert rows[-1]["after"]["older_than_days"] == 0


def test_a_reviewed_incident_keeps_its_status_when_a_report_joins_it(
    api: Any, seeded: dict[str, dict[str, Any]]
) -> None:
    reviewed = api.post(
        f"/incidents/{seeded['Vovchansk']['id']}/review",
        who="analyst",
        json={"status": "verified", "reason": "the governor's office confirmed it"},
    )
    assert reviewed.status_code == 200, reviewed.text
    before = reviewed.json()

    stored = api.post(
        "/documents",
        who="analyst",
        json={
            "text": "About 1,200 civilians were evacuated from villages near Vovchansk in the Kharkiv region "
            "on 3 June 2024, regional officials said.",
            "outlet": "Siverskyi Donets Radio",
            "published_at": "2024-06-04",
        },
    )

    assert stored.status_code == 201, stored.text
    assert stored.json()["incidents"] == [before["id"]]
    after = api.get(f"/incidents/{before['id']}", who="analyst").json()
    assert after["status"] == "verified"
    assert after["sources"] == before["sources"] + 1
    assert stored.json()["document_id"] in {m["document_id"] for m in after["members"]}
    assert api.get(f"/incidents/{before['id']}", who="viewer").json()["sources"] == after["sources"]
    reviews = [
        r for r in audit_rows(api, object_type="incident", object_id=before["id"]) if r["action"] == "incident.review"
    ]
    assert len(reviews) == 1, reviews
    one_row(api, "document.add", "document", stored.json()["document_id"])


def test_an_old_incident_id_points_to_the_reviewed_one(api: Any) -> None:
    """Reviewing pins an incident (its id changes once, I... to P...); the old id answers 404 naming the new one."""
    incidents = api.get("/incidents", who="analyst", params={"limit": 500}).json()["items"]
    unpinned = next(i for i in incidents if i["id"].startswith("I"))
    reviewed = api.post(
        f"/incidents/{unpinned['id']}/review", who="analyst", json={"status": "unverifiable", "reason": "one source"}
    ).json()
    assert reviewed["id"].startswith("P") and reviewed["id"] != unpinned["id"]
    gone = api.get(f"/incidents/{unpinned['id']}", who="analyst")
    assert gone.status_code == 404
    assert reviewed["id"] in gone.json()["error"]["message"]
    # a viewer may not see an unverifiable incident: the hint must not name it to them
    hidden = api.get(f"/incidents/{unpinned['id']}", who="viewer")
    assert hidden.status_code == 404 and reviewed["id"] not in hidden.json()["error"]["message"]
