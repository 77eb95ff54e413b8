"""The role matrix of the HTTP API: every endpoint, every caller, own and other objects at every level.

``ROWS`` is the table of expected outcomes: one row per endpoint and object, one outcome per caller in
``CALLERS`` (an HTTP status; ``REDACTED`` or ``ROUNDED`` for a 200 whose content is cut down for that
caller). ``test_cell`` runs every cell on its own, so a failure names the endpoint, the object and the
caller. ``anonymous`` sends no token to the server of the ``api`` fixture (anonymous access off, the
default); ``anonymous_allowed`` sends none to a second server on the same database, started with
``SITREP_ALLOW_ANONYMOUS=true``.

The objects are made in ``world`` through the API itself: ``observer`` sends a field report at each
level (public, restricted, confidential), ``analyst`` a confidential document and a confidential field
report of its own, ``analyst`` verifies a seeded incident and ``analyst_conf`` the incidents of the
restricted and the confidential field reports. Cells that change something (review, corrections,
split, merge, users, tokens, posts) act on objects of their own (``fresh:...``), so that no cell
depends on another. Lists are checked against the rows of their objects: a list holds an object
exactly when the caller may get that object by itself. Every response is also searched for the
texts, claimants, personal data and exact coordinates the caller may not see (``SECRETS``).

The reports are fictional, written for these tests, about real towns of the Kharkiv region in 2024.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

import httpx
import pytest

import apiserver
from sitrep.settings import Settings

CALLERS = ("anonymous", "viewer", "observer", "observer2", "analyst", "analyst_conf", "admin", "anonymous_allowed")
REDACTED = "redacted"  # 200; restricted sources redacted (no text, outlet or claimant; rounded coordinates)
ROUNDED = "rounded"  # 200; a field report without personal data, its coordinates rounded
WITHHELD = "[withheld]"
Outcome = int | str

# Field reports: level, text, where it was made (exact coordinates are personal data). ``fr_analyst`` is
# sent by ``analyst``, the others by ``observer``.
REPORTS: dict[str, tuple[str, str, tuple[float, float]]] = {
    "fr_public": (
        "public",
        "Russian shelling damaged three houses in Kupiansk in the Kharkiv region on 2 July 2024, "
        "a volunteer firefighter said.",
        (49.712345, 37.612345),
    ),
    "fr_restricted": (
        "restricted",
        "Russian shelling killed two civilians in Vovchansk in the Kharkiv region on 3 July 2024, "
        "a parish priest said.",
        (50.291234, 36.941234),
    ),
    "fr_confidential": (
        "confidential",
        "About 40 civilians were evacuated from Vovchansk in the Kharkiv region on 20 June 2024, "
        "a hospital orderly said.",
        (50.281234, 36.931234),
    ),
    "fr_analyst": (
        "confidential",
        "Russian shelling hit Izium in the Kharkiv region on 14 February 2024, a railway dispatcher said.",
        (49.211234, 37.251234),
    ),
}
# The claimant of fresh documents at each level (confidential ones are secrets, below)
CLAIMANTS = {"public": "the regional governor", "restricted": "police", "confidential": "a source in the town council"}
ANALYST_DOCUMENT = "Russian shelling hit Balakliia in the Kharkiv region on 20 January 2024, a municipal clerk said."
CONFIDENTIAL = {"analyst_conf", "admin"}
VERIFIED_ONLY = {"viewer", "observer", "observer2", "anonymous_allowed"}


def personal_of(report: str) -> list[dict[str, str]]:
    level = report.removeprefix("fr_")
    return [
        {"kind": "author", "value": f"Author {level} (fictional)"},
        {"kind": "witness", "value": f"Witness {level} (fictional)"},
    ]


def _submitter(report: str) -> str:
    return "analyst" if report == "fr_analyst" else "observer"


# Who may find each of these strings in any response. Everything else may be seen by any reader.
SECRETS: dict[str, set[str]] = {
    REPORTS["fr_restricted"][1]: {"observer", "analyst", *CONFIDENTIAL},
    "a parish priest": {"observer", "analyst", *CONFIDENTIAL},
    REPORTS["fr_confidential"][1]: {"observer", *CONFIDENTIAL},
    "a hospital orderly": {"observer", *CONFIDENTIAL},
    REPORTS["fr_analyst"][1]: {"analyst", *CONFIDENTIAL},
    "a railway dispatcher": {"analyst", *CONFIDENTIAL},
    ANALYST_DOCUMENT: {"analyst", *CONFIDENTIAL},
    "a municipal clerk": {"analyst", *CONFIDENTIAL},
    CLAIMANTS["confidential"]: CONFIDENTIAL,
    **{p["value"]: {_submitter(r), *CONFIDENTIAL} for r in REPORTS for p in personal_of(r)},
    **{str(REPORTS[r][2][0]): {_submitter(r), *CONFIDENTIAL} for r in REPORTS},
    **{str(REPORTS[r][2][1]): {_submitter(r), *CONFIDENTIAL} for r in REPORTS},
}


@dataclass(frozen=True)
class Row:
    """One endpoint on one object: ``expect`` holds the outcome for each caller of ``CALLERS``."""

    method: str
    path: str  # relative to /api/v1; placeholders ({id}, {uuid}, {name}, ...) come from the target
    target: str  # "" (none), a name in World.objects, or "fresh:<kind>" (made for the cell)
    expect: tuple[Outcome, ...]
    json: Any = None  # may hold placeholders too
    params: dict[str, Any] | None = None
    check: Callable[[httpx.Response, str, Outcome, World], None] | None = None

    @property
    def label(self) -> str:
        return f"{self.method} {self.path}" + (f" {self.target}" if self.target else "")


# What an allowed caller gets ----------------------------------------------------------------------

REVIEWER_PERMISSIONS = ["read", "read_unverified", "submit_report", "ingest", "review"]
ME: dict[str, tuple[str, str | None, str, list[str]]] = {
    "viewer": ("viewer", "viewer", "public", ["read"]),
    "observer": ("observer", "observer", "public", ["read", "submit_report"]),
    "observer2": ("observer2", "observer", "public", ["read", "submit_report"]),
    "analyst": ("analyst", "analyst", "restricted", REVIEWER_PERMISSIONS),
    "analyst_conf": ("analyst_conf", "analyst", "confidential", REVIEWER_PERMISSIONS),
    "admin": ("admin", "admin", "confidential", [*REVIEWER_PERMISSIONS, "manage"]),
    "anonymous_allowed": ("anonymous", None, "public", ["read"]),
}


def check_me(response: httpx.Response, caller: str, outcome: Outcome, world: World) -> None:
    name, role, clearance, permissions = ME[caller]
    assert response.json() == {"name": name, "role": role, "clearance": clearance, "permissions": permissions}


def check_incident(response: httpx.Response, caller: str, outcome: Outcome, world: World) -> None:
    """Whole, or (REDACTED) with every restricted source cut down."""
    body = response.json()
    if outcome == REDACTED:
        assert body["members"], body
        for m in body["members"]:
            assert (m["quote"], m["outlet"], m["claimant"]) == (WITHHELD, None, WITHHELD), m
            assert m["document_id"].startswith("withheld-"), m
        assert round(body["lat"], 1) == body["lat"] and round(body["lon"], 1) == body["lon"], body
    else:
        assert WITHHELD not in response.text, body


def check_report(response: httpx.Response, caller: str, outcome: Outcome, world: World) -> None:
    """Whole (personal data, where it was made) to confidential clearance or the submitter; else ROUNDED."""
    body = response.json()
    report = world.report_of(body["uuid"])
    _, text, (lat, lon) = REPORTS[report]
    assert body["text"] == text
    if outcome == ROUNDED:
        assert (body["personal"], body["location_rounded"]) == (None, True), body
        assert (body["lat"], body["lon"]) == (round(lat, 1), round(lon, 1)), body
    else:
        assert sorted(body["personal"], key=lambda p: p["kind"]) == personal_of(report), body
        assert (body["lat"], body["lon"], body["location_rounded"]) == (lat, lon, False), body


def check_document(response: httpx.Response, caller: str, outcome: Outcome, world: World) -> None:
    body = response.json()
    assert body["text"], body
    if body["id"] in {world.objects[r]["id"] for r in REPORTS}:
        assert body["author"] is None, body  # a field report's author is personal data


def check_stored(response: httpx.Response, caller: str, outcome: Outcome, world: World) -> None:
    body = response.json()
    assert body["outcome"] == "new" and body["events"] >= 1 and len(body["incidents"]) == 1, body


def listed(kind: str) -> Callable[[httpx.Response, str, Outcome, World], None]:
    """A list holds each object of ``LISTS[kind]`` exactly when the caller may get it by itself."""

    def check(response: httpx.Response, caller: str, outcome: Outcome, world: World) -> None:
        items = response.json()["features"] if kind == "geojson" else response.json()["items"]
        if kind == "geojson":
            items = [f["properties"] for f in items]
        shown = world.membership(kind, items)
        wrong = [
            f"{name} {'listed' if shown[name] else 'missing'}"
            for name in shown
            if shown[name] != world.may_see(kind, name, caller)
        ]
        assert not wrong, f"{kind} as {caller}: {', '.join(wrong)}"
        if kind in ("incidents", "geojson") and caller in VERIFIED_ONLY:
            assert {i["status"] for i in items} <= {"verified"}
        if kind == "review-queue":
            priorities = [i["priority"] for i in items]
            assert priorities == sorted(priorities, reverse=True), priorities
            assert {i["status"] for i in items} <= {"provisional"}

    return check


def check_export(response: httpx.Response, caller: str, outcome: Outcome, world: World) -> None:
    assert response.content, "an empty export"
    assert response.headers["content-disposition"].startswith("attachment; filename=")


# The table ----------------------------------------------------------------------------------------
# Columns: anonymous, viewer, observer, observer2, analyst, analyst_conf, admin, anonymous_allowed

READERS = (401, 200, 200, 200, 200, 200, 200, 200)
REVIEWERS = (401, 403, 403, 403, 200, 200, 200, 403)
REVIEWERS_BUT_ANALYST = (401, 403, 403, 403, 404, 200, 200, 403)  # a confidential object
NOT_FOUND_FOR_REVIEWERS = (401, 403, 403, 403, 404, 404, 404, 403)
REPORTERS = (401, 403, 200, 200, 200, 200, 200, 403)
ADMIN = (401, 403, 403, 403, 403, 403, 200, 403)
ADMIN_CREATES = (401, 403, 403, 403, 403, 403, 201, 403)
ADMIN_NOT_FOUND = (401, 403, 403, 403, 403, 403, 404, 403)
ANALYSTS_ONLY = (401, 404, 404, 404, 200, 200, 200, 404)  # provisional, or the analyst's own confidential
NOBODY = (401, 404, 404, 404, 404, 404, 404, 404)
REVIEW = {"status": "provisional", "reason": "role matrix"}
CORRECT = {"field": "country_code", "value": "UA", "reason": "role matrix"}
SPLIT = {"keys": ["{key}"], "reason": "role matrix"}
MERGE = {"ids": ["{a}", "{b}"], "reason": "role matrix"}
NEW_DOCUMENT = {"text": "{text}", "outlet": "Matrix Wire", "published_at": "{published}"}
NEW_REPORT = {"_uuid": "{uuid}", "report": "{text}", "sensitivity": "public", "witness_name": "Matrix (fictional)"}

ROWS: tuple[Row, ...] = (
    # service
    Row("GET", "/health", "", (200, 200, 200, 200, 200, 200, 200, 200)),
    Row("GET", "/openapi.json", "", (200, 200, 200, 200, 200, 200, 200, 200)),
    Row("GET", "/me", "", READERS, check=check_me),
    # incidents
    Row("GET", "/incidents", "", READERS, params={"limit": 500}, check=listed("incidents")),
    Row("GET", "/incidents/{id}", "inc_verified", READERS, check=check_incident),
    Row("GET", "/incidents/{id}", "inc_provisional", ANALYSTS_ONLY, check=check_incident),
    Row("GET", "/incidents/{id}", "inc_fr_public", ANALYSTS_ONLY, check=check_incident),
    Row(
        "GET",
        "/incidents/{id}",
        "inc_fr_restricted",
        (401, REDACTED, 200, REDACTED, 200, 200, 200, REDACTED),
        check=check_incident,
    ),
    Row(
        "GET", "/incidents/{id}", "inc_fr_confidential", (401, 404, 200, 404, 404, 200, 200, 404), check=check_incident
    ),
    Row("GET", "/incidents/{id}", "inc_analyst_confidential", ANALYSTS_ONLY, check=check_incident),
    Row("GET", "/incidents/{id}", "inc_mixed", READERS, check=check_incident),
    Row("GET", "/incidents/{id}", "missing_incident", NOBODY),
    Row("GET", "/incidents/{id}/history", "inc_verified", REVIEWERS),
    Row("GET", "/incidents/{id}/history", "inc_fr_confidential", REVIEWERS_BUT_ANALYST),
    Row("GET", "/incidents/{id}/history", "missing_incident", NOT_FOUND_FOR_REVIEWERS),
    Row("GET", "/review-queue", "", REVIEWERS, params={"limit": 500}, check=listed("review-queue")),
    Row("POST", "/incidents/{id}/review", "fresh:incident:public", REVIEWERS, json=REVIEW),
    Row("POST", "/incidents/{id}/review", "fresh:incident:restricted", REVIEWERS, json=REVIEW),
    Row("POST", "/incidents/{id}/review", "fresh:incident:confidential", REVIEWERS_BUT_ANALYST, json=REVIEW),
    Row("POST", "/incidents/{id}/review", "fresh:incident:public+confidential", REVIEWERS, json=REVIEW),
    Row("POST", "/incidents/{id}/review", "missing_incident", NOT_FOUND_FOR_REVIEWERS, json=REVIEW),
    Row("POST", "/incidents/{id}/corrections", "fresh:incident:public", REVIEWERS, json=CORRECT),
    Row("POST", "/incidents/{id}/corrections", "fresh:incident:restricted", REVIEWERS, json=CORRECT),
    Row("POST", "/incidents/{id}/corrections", "fresh:incident:confidential", REVIEWERS_BUT_ANALYST, json=CORRECT),
    Row("POST", "/incidents/{id}/corrections", "fresh:incident:public+confidential", REVIEWERS, json=CORRECT),
    Row("POST", "/incidents/{id}/corrections", "missing_incident", NOT_FOUND_FOR_REVIEWERS, json=CORRECT),
    Row("POST", "/incidents/{id}/split", "fresh:incident:public+public", REVIEWERS, json=SPLIT),
    Row("POST", "/incidents/{id}/split", "fresh:incident:confidential+confidential", REVIEWERS_BUT_ANALYST, json=SPLIT),
    Row(
        "POST",
        "/incidents/{id}/split",
        "missing_incident",
        NOT_FOUND_FOR_REVIEWERS,
        json={"keys": ["x:0"], "reason": "x"},
    ),
    Row("POST", "/incidents/merge", "fresh:pair:public+public", REVIEWERS, json=MERGE),
    Row("POST", "/incidents/merge", "fresh:pair:confidential+public", REVIEWERS_BUT_ANALYST, json=MERGE),
    Row(
        "POST",
        "/incidents/merge",
        "missing_incident",
        NOT_FOUND_FOR_REVIEWERS,
        json={"ids": ["{id}", "{id}2"], "reason": "x"},
    ),
    # documents and what was extracted from them
    Row("GET", "/documents", "", READERS, params={"limit": 500}, check=listed("documents")),
    Row("GET", "/documents/{id}", "doc_verified", READERS, check=check_document),
    Row("GET", "/documents/{id}", "doc_provisional", ANALYSTS_ONLY, check=check_document),
    Row("GET", "/documents/{id}", "fr_public", (401, 404, 200, 404, 200, 200, 200, 404), check=check_document),
    Row("GET", "/documents/{id}", "fr_restricted", (401, 404, 200, 404, 200, 200, 200, 404), check=check_document),
    Row("GET", "/documents/{id}", "fr_confidential", (401, 404, 200, 404, 404, 200, 200, 404), check=check_document),
    Row("GET", "/documents/{id}", "fr_analyst", ANALYSTS_ONLY, check=check_document),
    Row("GET", "/documents/{id}", "doc_analyst_confidential", ANALYSTS_ONLY, check=check_document),
    Row("GET", "/documents/{id}", "missing_document", NOBODY),
    Row(
        "POST",
        "/documents",
        "fresh:text",
        (401, 403, 403, 403, 201, 201, 201, 403),
        json=NEW_DOCUMENT,
        check=check_stored,
    ),
    Row("GET", "/events", "", READERS, params={"limit": 500}, check=listed("events")),
    Row("GET", "/claims", "", READERS, params={"limit": 500}, check=listed("claims")),
    Row("GET", "/places", "", READERS, params={"limit": 500}, check=listed("places")),
    # control (Robotyne rests on the provisional incident only)
    Row("GET", "/control", "", READERS, params={"on": "2024-06-01"}, check=listed("control")),
    Row("GET", "/control/{name}", "settlement", READERS, check=listed("control")),
    # field reports (the rows of GET /documents/{id} above are their documents)
    Row("POST", "/field-reports", "fresh:report", REPORTERS, json=NEW_REPORT, check=check_stored),
    Row("GET", "/field-reports", "", REPORTERS, params={"limit": 500}, check=listed("field-reports")),
    Row("GET", "/field-reports/{uuid}", "fr_public", (401, 403, 200, 404, ROUNDED, 200, 200, 403), check=check_report),
    Row(
        "GET",
        "/field-reports/{uuid}",
        "fr_restricted",
        (401, 403, 200, 404, ROUNDED, 200, 200, 403),
        check=check_report,
    ),
    Row(
        "GET", "/field-reports/{uuid}", "fr_confidential", (401, 403, 200, 404, 404, 200, 200, 403), check=check_report
    ),
    Row("GET", "/field-reports/{uuid}", "fr_analyst", (401, 403, 404, 404, 200, 200, 200, 403), check=check_report),
    Row("GET", "/field-reports/{uuid}", "missing_report", (401, 403, 404, 404, 404, 404, 404, 403)),
    # exports
    Row("GET", "/export/geojson", "", READERS, check=listed("geojson")),
    *(
        Row("GET", f"/export/{fmt}", "", READERS, check=check_export)
        for fmt in ("acled-csv", "ucdp-csv", "hxl-csv", "parquet", "xlsx")
    ),
    Row("GET", "/export/no-such-format", "", NOBODY),
    # users, tokens, the audit log, retention
    Row("GET", "/users", "", ADMIN),
    Row("POST", "/users", "fresh:name", ADMIN_CREATES, json={"name": "{name}", "role": "viewer"}),
    Row("DELETE", "/users/{name}", "fresh:user", (401, 403, 403, 403, 403, 403, 204, 403)),
    Row("DELETE", "/users/{name}", "fresh:name", ADMIN_NOT_FOUND),
    Row("POST", "/users/{name}/tokens", "fresh:user", ADMIN_CREATES, json={"label": "role matrix"}),
    Row("POST", "/users/{name}/tokens", "fresh:name", ADMIN_NOT_FOUND, json={}),
    Row("GET", "/audit", "", ADMIN),
    Row("POST", "/retention/purge", "", ADMIN, params={"days": 36500}),
)
CELLS = [(r, c) for r in ROWS for c in CALLERS]
CELL_IDS = [f"{r.label} | {c}" for r, c in CELLS]
ONE_BY_ONE = {(r.path, r.target): r.expect for r in ROWS}

# The objects each list may hold, and the path whose row says who may get each of them by itself
LISTS: dict[str, tuple[str, tuple[str, ...]]] = {
    "incidents": (
        "/incidents/{id}",
        (
            "inc_verified",
            "inc_provisional",
            "inc_fr_public",
            "inc_fr_restricted",
            "inc_fr_confidential",
            "inc_analyst_confidential",
            "inc_mixed",
        ),
    ),
    "documents": (
        "/documents/{id}",
        (
            "doc_verified",
            "doc_provisional",
            "fr_public",
            "fr_restricted",
            "fr_confidential",
            "fr_analyst",
            "doc_analyst_confidential",
        ),
    ),
    "field-reports": ("/field-reports/{uuid}", tuple(REPORTS)),
    "claims": ("/documents/{id}", ("doc_verified", "doc_provisional")),  # the others have no claims
    "control": ("/incidents/{id}", ("inc_provisional",)),
}
LISTS |= {"geojson": LISTS["incidents"], "review-queue": LISTS["incidents"]}
LISTS |= {"events": LISTS["documents"], "places": LISTS["documents"]}
PROVISIONAL = {"inc_provisional", "inc_fr_public", "inc_analyst_confidential"}


# The world ----------------------------------------------------------------------------------------

FIRST_FRESH_DAY = date(2024, 8, 1)  # fresh objects: a town and day each, after every named object
FRESH_TOWNS = ("Kupiansk", "Vovchansk", "Balakliia", "Izium")


@dataclass
class World:
    """The named objects of ``ROWS`` (placeholder values by name), and makers of fresh ones."""

    api: Any
    objects: dict[str, dict[str, str]] = field(default_factory=dict)
    bystanders: dict[str, dict[str, str]] = field(default_factory=dict)
    counter: Iterator[int] = field(default_factory=itertools.count)

    def report_of(self, uuid: str) -> str:
        return next(r for r in REPORTS if self.objects[r]["uuid"] == uuid)

    def may_see(self, kind: str, name: str, caller: str) -> bool:
        path, _ = LISTS[kind]
        outcome = ONE_BY_ONE[(path, name)][CALLERS.index(caller)]
        seen = isinstance(outcome, str) or outcome == 200
        return seen and (kind != "review-queue" or name in PROVISIONAL)

    def membership(self, kind: str, items: list[dict[str, Any]]) -> dict[str, bool]:
        """Whether each object a list may hold is there."""
        _, names = LISTS[kind]
        if kind == "control":
            return {"inc_provisional": any(i["settlement"] == "Robotyne" for i in items)}
        if kind == "field-reports":
            return {n: self.objects[n]["uuid"] in {i["uuid"] for i in items} for n in names}
        key = "document_id" if kind in ("events", "places", "claims") else "id"
        return {n: self.objects[n]["id"] in {i[key] for i in items} for n in names}

    # fresh objects ------------------------------------------------------------------------------

    def slot(self) -> tuple[str, str, str]:
        """A town and day no other object uses ("9 August 2024"), and the next day (ISO, to publish)."""
        n = next(self.counter)
        day = FIRST_FRESH_DAY + timedelta(days=n // len(FRESH_TOWNS) * 2)
        return FRESH_TOWNS[n % len(FRESH_TOWNS)], f"{day.day} {day:%B %Y}", (day + timedelta(days=1)).isoformat()

    def post_document(self, text: str, published: str, *, who: str = "admin", **extra: Any) -> dict[str, Any]:
        response = self.api.post("/documents", who=who, json={"text": text, "published_at": published, **extra})
        assert response.status_code == 201, response.text
        return dict(response.json())

    def incident(self, levels: str) -> dict[str, str]:
        """A new provisional shelling incident with one document at each of ``levels`` ("public+confidential"):
        its id and the key of its first mention. Confidential documents quote ``CLAIMANTS["confidential"]``."""
        town, day, published = self.slot()
        texts = (
            "Russian shelling hit {} in the Kharkiv region on {}, {} said.",
            "Russian forces shelled {} in the Kharkiv region on {}, {} said.",
        )
        for n, level in enumerate(levels.split("+")):
            text = texts[n].format(town, day, CLAIMANTS[level])
            stored = self.post_document(text, published, outlet=f"Matrix Outlet {n}", sensitivity=level)
        (ident,) = stored["incidents"]
        keys = [m["key"] for m in self.api.get(f"/incidents/{ident}", who="admin").json()["members"]]
        assert len(keys) == n + 1, keys
        return {"id": ident, "key": keys[0]}

    def make(self, kind: str, *, refused: bool) -> dict[str, str]:
        """Placeholder values for a fresh target. A cell refused before the object is looked at (401, 403)
        shares one bystander object per kind where an object costs extractions."""
        what, _, levels = kind.partition(":")
        if refused and what in ("incident", "pair"):
            if kind not in self.bystanders:
                self.bystanders[kind] = self.make(kind, refused=False)
            return self.bystanders[kind]
        if what == "incident":
            return self.incident(levels)
        if what == "pair":  # two incidents of one document each
            first, second = levels.split("+")
            return {"a": self.incident(first)["id"], "b": self.incident(second)["id"]}
        name = f"matrix-user-{next(self.counter)}"
        if what == "name":
            return {"name": name}
        if what == "user":
            assert self.api.post("/users", who="admin", json={"name": name, "role": "viewer"}).status_code == 201
            return {"name": name}
        town, day, published = self.slot()
        text = f"Russian shelling damaged a school in {town} in the Kharkiv region on {day}, teachers said."
        assert what in ("text", "report"), kind
        return {"text": text, "published": published, "uuid": name.replace("user", "report")}


@pytest.fixture(scope="module")
def world(api: Any) -> World:
    """The named objects of ``ROWS``, made through the API by the users who would make them."""
    w = World(api)
    everything = api.get("/incidents", who="admin", params={"limit": 500}).json()["items"]
    seeded = {(i["location_name"], i["date_start"]): i for i in everything}
    with_claims = {c["document_id"] for c in api.get("/claims", who="admin", params={"limit": 500}).json()["items"]}
    response = api.post(
        f"/incidents/{seeded['Kupyansk', '2024-03-12']['id']}/review",
        who="analyst",
        json={"status": "verified", "reason": "three outlets agree"},
    )
    assert response.status_code == 200, response.text
    for name, incident in (("verified", response.json()), ("provisional", seeded["Robotyne", "2024-05-20"])):
        w.objects[f"inc_{name}"] = {"id": incident["id"]}
        docs = [m["document_id"] for m in incident["members"] if m["document_id"] in with_claims]
        w.objects[f"doc_{name}"] = {"id": docs[0]}
    w.objects["settlement"] = {"name": "Robotyne"}
    for report, (level, text, (lat, lon)) in REPORTS.items():
        author, witness = (p["value"] for p in personal_of(report))
        submission = {
            "_uuid": f"uuid:roles-{report}",
            "report": text,
            "sensitivity": level,
            "author_name": author,
            "witness_name": witness,
            "_geolocation": [lat, lon],
            "_submission_time": "2024-07-05T10:00:00",
        }
        response = api.post("/field-reports", who=_submitter(report), json=submission)
        assert response.status_code == 200, response.text
        stored = response.json()
        assert stored["outcome"] == "new" and len(stored["incidents"]) == 1, stored
        w.objects[report] = {"id": stored["document_id"], "uuid": f"roles-{report}"}
        w.objects[f"inc_{report}"] = {"id": stored["incidents"][0]}
    for name in ("inc_fr_restricted", "inc_fr_confidential"):
        response = api.post(
            f"/incidents/{w.objects[name]['id']}/review",
            who="analyst_conf",
            json={"status": "verified", "reason": "the observer was there"},
        )
        assert response.status_code == 200, response.text
        w.objects[name] = {"id": response.json()["id"]}
    stored = w.post_document(ANALYST_DOCUMENT, "2024-01-21", who="analyst", sensitivity="confidential")
    w.objects["doc_analyst_confidential"] = {"id": stored["document_id"]}
    w.objects["inc_analyst_confidential"] = {"id": stored["incidents"][0]}
    mixed = w.incident("public+confidential")["id"]  # verified: what a public source says reaches viewers
    response = api.post(f"/incidents/{mixed}/review", who="analyst_conf", json={"status": "verified", "reason": "ok"})
    assert response.status_code == 200, response.text
    w.objects["inc_mixed"] = {"id": response.json()["id"]}
    w.objects["missing_incident"] = {"id": "Inonexistent0000"}
    w.objects["missing_document"] = {"id": "d000000000000000000000000"}
    w.objects["missing_report"] = {"uuid": "no-such-report"}
    return w


@pytest.fixture(scope="module")
def anonymous_api(api: Any, world: World, settings: Settings) -> Iterator[Any]:
    """A second server on the same database, with SITREP_ALLOW_ANONYMOUS=true."""
    base, process = apiserver.start_server(api.db_url, settings, env={"SITREP_ALLOW_ANONYMOUS": "true"})
    server = apiserver.Api(base, api.db_url, {}, process)
    try:
        yield server
    finally:
        server.client.close()
        apiserver.stop_server(process)


# The tests ----------------------------------------------------------------------------------------


def fill(template: Any, values: dict[str, str]) -> Any:
    if isinstance(template, str):
        return template.format_map(values)
    if isinstance(template, list):
        return [fill(t, values) for t in template]
    if isinstance(template, dict):
        return {k: fill(v, values) for k, v in template.items()}
    return template


@pytest.mark.parametrize(("row", "caller"), CELLS, ids=CELL_IDS)
def test_cell(row: Row, caller: str, world: World, request: pytest.FixtureRequest) -> None:
    """One caller on one endpoint and object: the outcome of the table, and no secret the caller may not see."""
    outcome = row.expect[CALLERS.index(caller)]
    status = 200 if isinstance(outcome, str) else outcome
    if caller == "anonymous_allowed":
        server, who = request.getfixturevalue("anonymous_api"), None
    else:
        server, who = world.api, (None if caller == "anonymous" else caller)
    if row.target.startswith("fresh:"):
        values = world.make(row.target.removeprefix("fresh:"), refused=status in (401, 403))
    else:
        values = world.objects.get(row.target, {})

    response = server.request(
        row.method, fill(row.path, values), who=who, json=fill(row.json, values), params=row.params
    )

    assert response.status_code == status, (
        f"{row.label} as {caller}: expected {outcome}, got {response.status_code}: {response.text[:300]}"
    )
    if status >= 400:
        assert response.json()["error"]["status"] == status, response.text
        if status == 401:
            assert response.headers["www-authenticate"] == "Bearer"
        return
    leaked = [secret for secret, allowed in SECRETS.items() if caller not in allowed and secret in response.text]
    assert not leaked, f"{row.label} as {caller} shows {leaked}"
    if row.check is not None:
        row.check(response, caller, outcome, world)
    if row.method == "DELETE":
        assert values["name"] not in {
            u["name"] for u in world.api.get("/users", who="admin", params={"limit": 500}).json()["items"]
        }


@pytest.mark.parametrize("who", ["viewer", "observer", "observer2", "analyst", "analyst_conf"])
def test_a_refused_removal_leaves_the_user(world: World, who: str) -> None:
    name = world.make("user", refused=False)["name"]
    assert world.api.delete(f"/users/{name}", who=who).status_code == 403
    assert name in {u["name"] for u in world.api.get("/users", who="admin", params={"limit": 500}).json()["items"]}


@pytest.mark.parametrize("who", ["viewer", "observer", "observer2"])
def test_a_refused_review_leaves_the_incident(world: World, who: str) -> None:
    ident = world.make("incident:public", refused=False)["id"]
    response = world.api.post(f"/incidents/{ident}/review", who=who, json={"status": "verified", "reason": "no"})
    assert (response.status_code, response.json()["error"]["code"]) == (403, "auth.forbidden")
    assert world.api.get(f"/incidents/{ident}", who="analyst").json()["status"] == "provisional"
    assert world.api.get(f"/incidents/{ident}", who=who).status_code == 404


def test_viewers_see_an_incident_once_an_analyst_verifies_it(world: World) -> None:
    ident = world.make("incident:public", refused=False)["id"]
    for who in ("viewer", "observer"):
        assert world.api.get(f"/incidents/{ident}", who=who).status_code == 404
    response = world.api.post(f"/incidents/{ident}/review", who="analyst", json={"status": "verified", "reason": "ok"})
    assert response.status_code == 200, response.text
    verified = response.json()["id"]
    for who in ("viewer", "observer"):
        got = world.api.get(f"/incidents/{verified}", who=who)
        assert (got.status_code, got.json()["status"]) == (200, "verified"), got.text
        page = world.api.get("/incidents", who=who, params={"limit": 500}).json()
        assert verified in {i["id"] for i in page["items"]}


@pytest.mark.parametrize(
    ("header", "code"),
    [
        ("Bearer srp_not-a-token", "auth.bad_token"),
        ("Basic dXNlcjpwYXNz", "auth.bad_header"),
        ("Bearer", "auth.bad_header"),
    ],
)
def test_a_bad_authorization_header_is_401(world: World, header: str, code: str) -> None:
    response = world.api.get("/me", headers={"Authorization": header})
    assert (response.status_code, response.json()["error"]["code"]) == (401, code)


def test_the_token_of_a_removed_user_stops_working(world: World) -> None:
    api = world.api
    name = world.make("user", refused=False)["name"]
    token = api.post(f"/users/{name}/tokens", who="admin", json={"label": "phone"}).json()["token"]
    headers = {"Authorization": f"Bearer {token}"}
    assert api.get("/me", headers=headers).json()["name"] == name
    assert api.delete(f"/users/{name}", who="admin").status_code == 204
    assert api.get("/me", headers=headers).status_code == 401


def test_the_table_has_a_row_for_every_route(world: World) -> None:
    """Every route of the OpenAPI document (path parameters aside) is a row of ``ROWS``."""

    def shape(path: str) -> str:
        return re.sub(r"\{[^}]+\}", "{}", re.sub(r"^/export/[^/]+$", "/export/{}", path.removeprefix("/api/v1")))

    spec = world.api.get("/openapi.json").json()
    routes = {(method.upper(), shape(path)) for path, item in spec["paths"].items() for method in item}
    assert routes - {(r.method, shape(r.path)) for r in ROWS} == set()
