"""The live server answers as its OpenAPI document says, and every error has the one shape.

Schemathesis sends generated requests (valid and invalid, a bounded number per
operation, the same ones on every run) to every operation of a running ``sitrep
serve``, as the admin and as a viewer. No answer may be a server error (5xx),
and each must be documented: its status code, its content type, its body
(response_schema_conformance) and its headers. The generated requests may
delete users or purge personal data, so they go to a server and database of
their own, not to the module's ``api``.

The requests are generated at collection time (one test per operation), before
any server runs, from the document the application builds; a test checks that
the live server serves that same document. (Schemathesis' fixture-provided
schema, ``schemathesis.pytest.from_fixture``, does not run under pytest 9.2:
schemathesis 4.32.5 reads ``request.node._nodeid``, which pytest 9.2 dropped.)

Requests a generator seldom builds (a real incident's id, each export format)
are sent by hand through the same checks; and one plain test pins the error
shape, ``{"error": {"code", "message", "status"}}``, for 400, 401, 403, 404,
405 and 422.
"""

from __future__ import annotations

import base64
import json
from collections.abc import Callable, Iterator
from typing import Any

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.errors import FailureGroup
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

import apiserver as serve
from sitrep.settings import Settings

CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
    response_headers_conformance,
]
EXPORTS = ("acled-csv", "ucdp-csv", "geojson", "hxl-csv", "parquet", "xlsx")
IDENTITIES = ("admin", "viewer")


def root(base: str) -> str:
    """The server's root: the paths in the OpenAPI document begin with /api/v1."""
    return base.removesuffix("/api/v1")


def bearer(api: Any, who: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {api.tokens[who]}"}


@pytest.fixture(scope="module")
def fuzzed(module_database_url: Any, engine: str, settings: Settings, extractor: Any) -> Iterator[Any]:
    """A seeded server on a database of its own, for generated requests that may delete and purge."""
    db_url = module_database_url(engine)
    tokens = serve.seed(db_url, extractor)
    base, process = serve.start_server(db_url, settings)
    api = serve.Api(base, db_url, tokens, process)
    try:
        yield api
    finally:
        api.client.close()
        serve.stop_server(process)


@pytest.fixture(scope="module", params=IDENTITIES)
def identity(request: pytest.FixtureRequest) -> str:
    return str(request.param)


def application_document() -> dict[str, Any]:
    """The OpenAPI document as the application builds it (no request reaches the store)."""
    from sitrep.serve.app import create_app
    from sitrep.settings import load_settings
    from sitrep.store import open_store

    store = open_store("sqlite://")  # in memory; create_app only keeps it
    try:
        return create_app(store, load_settings(environ={}, data_dir=".")).openapi()
    finally:
        store.close()


DOCUMENT = application_document()
schema = schemathesis.openapi.from_dict(DOCUMENT)


def test_the_live_server_serves_the_document_the_requests_come_from(fuzzed: Any) -> None:
    assert fuzzed.get("/openapi.json").json() == json.loads(json.dumps(DOCUMENT))


@schema.parametrize()
@settings(
    max_examples=15,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much, HealthCheck.data_too_large],
)
def test_every_operation_answers_as_documented(case: Any, fuzzed: Any, identity: str) -> None:
    case.call_and_validate(base_url=root(fuzzed.base), headers=bearer(fuzzed, identity), checks=CHECKS)


# requests a generator seldom builds --------------------------------------------------------------------------

REPORT = {
    "_uuid": "openapi-kupiansk-0001",
    "report": "Russian artillery shelled a school in Kupiansk on 9 February 2024, said witness Ilse Varnock.",
    "witness_name": "Ilse Varnock",
    "_geolocation": [49.70231, 37.60355],
}


@pytest.fixture(scope="module")
def real(fuzzed: Any) -> dict[str, str]:
    """Ids that exist on the fuzzed server: an incident, a document, a place, a field report, a user."""
    assert fuzzed.post("/field-reports", who="observer", json=REPORT).status_code == 200
    assert fuzzed.post("/users", who="admin", json={"name": "openapi-doomed", "role": "viewer"}).status_code == 201
    return {
        "incident": fuzzed.get("/incidents", who="admin").json()["items"][0]["id"],
        "document": fuzzed.get("/documents", who="admin").json()["items"][0]["id"],
        "place": fuzzed.get("/places", who="admin").json()["items"][0]["name"],
    }


# label -> (method, path, the Case's arguments given the real ids); every one is answered 2xx for the admin
KNOWN_GOOD: dict[str, tuple[str, str, Callable[[dict[str, str]], dict[str, Any]]]] = {
    "health": ("GET", "/api/v1/health", lambda r: {}),
    "me": ("GET", "/api/v1/me", lambda r: {}),
    "incidents": ("GET", "/api/v1/incidents", lambda r: {"query": {"limit": 2, "status": ["provisional"]}}),
    "incident": (
        "GET",
        "/api/v1/incidents/{incident_id}",
        lambda r: {"path_parameters": {"incident_id": r["incident"]}},
    ),
    "history": (
        "GET",
        "/api/v1/incidents/{incident_id}/history",
        lambda r: {"path_parameters": {"incident_id": r["incident"]}},
    ),
    "review-queue": ("GET", "/api/v1/review-queue", lambda r: {"query": {"limit": 2}}),
    "documents": ("GET", "/api/v1/documents", lambda r: {"query": {"limit": 2, "sensitivity": "public"}}),
    "document": (
        "GET",
        "/api/v1/documents/{document_id}",
        lambda r: {"path_parameters": {"document_id": r["document"]}},
    ),
    "events": ("GET", "/api/v1/events", lambda r: {"query": {"document_id": r["document"]}}),
    "claims": ("GET", "/api/v1/claims", lambda r: {"query": {"document_id": r["document"]}}),
    "places": ("GET", "/api/v1/places", lambda r: {"query": {"limit": 3}}),
    "control on a day": ("GET", "/api/v1/control", lambda r: {"query": {"on": "2024-05-21"}}),
    "control of a place": (
        "GET",
        "/api/v1/control/{settlement}",
        lambda r: {"path_parameters": {"settlement": r["place"]}},
    ),
    "field report sent": (
        "POST",
        "/api/v1/field-reports",
        lambda r: {"body": {**REPORT, "_uuid": "openapi-kupiansk-0002"}},
    ),
    "field reports": ("GET", "/api/v1/field-reports", lambda r: {}),
    "field report": ("GET", "/api/v1/field-reports/{uuid}", lambda r: {"path_parameters": {"uuid": REPORT["_uuid"]}}),
    "document sent": (
        "POST",
        "/api/v1/documents",
        lambda r: {"body": {"text": REPORT["report"] + " Two were hurt.", "sensitivity": "restricted"}},
    ),
    **{
        f"export {fmt}": ("GET", "/api/v1/export/{fmt}", lambda r, fmt=fmt: {"path_parameters": {"fmt": fmt}})
        for fmt in EXPORTS
    },
    "review": (
        "POST",
        "/api/v1/incidents/{incident_id}/review",
        lambda r: {"path_parameters": {"incident_id": r["incident"]}, "body": {"status": "verified", "reason": "two"}},
    ),
    "users": ("GET", "/api/v1/users", lambda r: {}),
    "user added": ("POST", "/api/v1/users", lambda r: {"body": {"name": "openapi-viewer", "role": "viewer"}}),
    "token": ("POST", "/api/v1/users/{name}/tokens", lambda r: {"path_parameters": {"name": "viewer"}, "body": {}}),
    "user removed": ("DELETE", "/api/v1/users/{name}", lambda r: {"path_parameters": {"name": "openapi-doomed"}}),
    "audit": ("GET", "/api/v1/audit", lambda r: {"query": {"limit": 5}}),
    "purge": ("POST", "/api/v1/retention/purge", lambda r: {"query": {"days": 3650}}),
}


@pytest.mark.parametrize("label", KNOWN_GOOD)
def test_a_real_request_answers_as_documented(fuzzed: Any, real: dict[str, str], label: str) -> None:
    """An operation's success answer, with real ids (and each export format), through the same checks."""
    method, path, arguments = KNOWN_GOOD[label]
    case = schema[path][method].Case(**arguments(real))
    response = case.call(base_url=root(fuzzed.base), headers=bearer(fuzzed, "admin"))
    assert response.status_code in (200, 201, 204), response.text
    try:
        case.validate_response(response, checks=CHECKS, headers=bearer(fuzzed, "admin"))
    except FailureGroup as group:
        pytest.fail(group.message, pytrace=False)


# the one error shape ---------------------------------------------------------------------------------------


def cursor_of(values: Any) -> str:
    return base64.urlsafe_b64encode(json.dumps(values).encode()).decode().rstrip("=")


ERRORS = [
    # (status, code, method, path, who, request arguments)
    (401, "auth.required", "GET", "/incidents", None, {}),
    (401, "auth.bad_token", "GET", "/incidents", None, {"headers": {"Authorization": "Bearer srp_not-a-token"}}),
    (401, "auth.bad_header", "GET", "/me", None, {"headers": {"Authorization": "Basic dmlld2VyOnNlY3JldA=="}}),
    (403, "auth.forbidden", "GET", "/users", "viewer", {}),
    (403, "auth.forbidden", "POST", "/field-reports", "viewer", {"json": {"_uuid": "x", "report": "shelling"}}),
    (403, "auth.forbidden", "GET", "/review-queue", "observer", {}),
    (404, "store.unknown_incident", "GET", "/incidents/I0000000000000000", "viewer", {}),
    (404, "store.unknown_document", "GET", "/documents/d000000000000000000000000", "viewer", {}),
    (404, "store.unknown_report", "GET", "/field-reports/no-such-report", "observer", {}),
    (404, "export.unknown_format", "GET", "/export/shapefile", "viewer", {}),
    (404, "request.not_found", "GET", "/no-such-endpoint", "viewer", {}),
    (422, "request.invalid", "GET", "/incidents", "viewer", {"params": {"limit": 0}}),
    (422, "request.invalid", "GET", "/incidents", "viewer", {"params": {"since": "last spring"}}),
    (422, "request.invalid", "GET", "/incidents", "viewer", {"params": {"bbox": "37.5,49.6"}}),
    (422, "request.invalid", "GET", "/control", "viewer", {}),
    (422, "request.invalid", "POST", "/users", "admin", {"json": {"name": "x", "role": "emperor"}}),
    (
        422,
        "request.invalid",
        "POST",
        "/users",
        "admin",
        {"content": b"{not json", "headers": {"Content-Type": "application/json"}},
    ),
    (400, "request.bad_cursor", "GET", "/incidents", "viewer", {"params": {"cursor": "!!not-a-cursor!!"}}),
    (400, "request.bad_cursor", "GET", "/documents", "viewer", {"params": {"cursor": cursor_of([1, 2])}}),
    (400, "request.bad_cursor", "GET", "/events", "viewer", {"params": {"cursor": cursor_of(["seven"])}}),
    (405, "request.method_not_allowed", "DELETE", "/incidents", "viewer", {}),
    (405, "request.method_not_allowed", "PUT", "/health", None, {}),
]


@pytest.mark.parametrize(
    ("status", "code", "method", "path", "who", "arguments"),
    ERRORS,
    ids=[f"{e[0]}-{e[2]} {e[3]}-{e[1]}" for e in ERRORS],
)
def test_every_error_has_the_one_shape(
    api: Any, status: int, code: str, method: str, path: str, who: str | None, arguments: dict[str, Any]
) -> None:
    response = api.request(method, path, who=who, **arguments)
    assert response.status_code == status, response.text
    assert response.headers["content-type"] == "application/json"
    body = response.json()
    assert set(body) == {"error"} and set(body["error"]) == {"code", "message", "status"}, body
    assert (body["error"]["code"], body["error"]["status"]) == (code, status)
    assert isinstance(body["error"]["message"], str) and body["error"]["message"].strip()
    assert "Traceback" not in body["error"]["message"]
    if status == 401:
        assert response.headers["www-authenticate"] == "Bearer"


def test_a_405_names_the_methods_allowed(api: Any) -> None:
    """RFC 9110 §15.5.6: a 405 answer carries an Allow header."""
    response = api.request("DELETE", "/incidents", who="viewer")
    assert response.status_code == 405
    assert {m.strip() for m in response.headers.get("allow", "").split(",")} == {"GET"}
