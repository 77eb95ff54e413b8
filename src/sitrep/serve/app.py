"""The HTTP API: ``create_app(store, settings)``; ``sitrep serve`` runs it with uvicorn.

Every error, whatever raised it, leaves as one JSON shape,
``{"error": {"code", "message", "status"}}``. Lists are pages with an opaque
``next_cursor``. Who may do what is model/access.py; what each caller sees is
store/views.py. Objects a caller may not see are answered 404, as if absent.
"""

import base64
import binascii
import json
import threading
from collections.abc import Callable, Iterator
from datetime import date
from typing import Annotated, Any

from fastapi import Body, Depends, FastAPI, Path, Query, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, StreamingResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

from sitrep import __version__
from sitrep.errors import SitrepError
from sitrep.model.access import ANONYMOUS, PERMISSIONS, Caller, Permission
from sitrep.serve import schemas
from sitrep.settings import Settings
from sitrep.store import Store, queries, views
from sitrep.store import users as user_store
from sitrep.store.queries import IncidentQuery
from sitrep.store.schema import claims, events, places

PREFIX = "/api/v1"
MAX_PAGE = 500
STATUS_OF_CODE = {
    "store.unknown_incident": 404,
    "store.unknown_user": 404,
    "store.bad_regroup": 422,
    "store.bad_review": 422,
    "store.bad_correction": 422,
    "store.bad_user": 422,
    "store.bad_level": 422,
    "config.unknown_event_type": 422,
    "export.unknown_format": 404,
    "fetch.bad_url": 422,
    "store.unavailable": 503,
    "store.unreachable": 503,
    "store.corrupt": 503,
    "store.schema_old": 503,
    "store.schema_newer": 503,
    "store.not_found": 503,
    "config.model_missing": 503,
    "gazetteer.build_failed": 503,
    "gazetteer.corrupt": 503,
}


class ApiError(Exception):
    """Raised inside the API only; becomes the error shape."""

    def __init__(self, status: int, code: str, message: str) -> None:
        super().__init__(message)
        self.status, self.code, self.message = status, code, message


def error_response(status: int, code: str, message: str, headers: dict[str, str] | None = None) -> JSONResponse:
    headers = dict(headers or {})
    if status == 401:
        headers["WWW-Authenticate"] = "Bearer"
    return JSONResponse({"error": {"code": code, "message": message, "status": status}}, status, headers=headers)


ERRORS: dict[int | str, dict[str, Any]] = {
    status: {"model": schemas.ErrorBody, "description": why}
    for status, why in (
        (400, "bad request (a bad cursor)"),
        (401, "no token, or an unknown one"),
        (403, "the caller's role may not do this"),
        (404, "no such object, or not one the caller may see"),
        (422, "the request does not validate"),
    )
}


def create_app(store: Store, settings: Settings, *, extractor_factory: Callable[[], Any] | None = None) -> FastAPI:
    app = FastAPI(
        title="sitrep API",
        version=__version__,
        openapi_url=f"{PREFIX}/openapi.json",
        docs_url=f"{PREFIX}/docs",
        redoc_url=None,
        description="Verified, mapped, source-attributed records of armed conflict. See docs/api.md.",
        responses=ERRORS,
    )
    extraction = _Extraction(settings, extractor_factory)

    # errors --------------------------------------------------------------------------------

    @app.exception_handler(ApiError)
    async def _api_error(_: Request, exc: ApiError) -> JSONResponse:
        return error_response(exc.status, exc.code, exc.message)

    @app.exception_handler(SitrepError)
    async def _sitrep_error(_: Request, exc: SitrepError) -> JSONResponse:
        status = STATUS_OF_CODE.get(exc.code) or (422 if exc.code.startswith("input.") else 400)
        if exc.code.startswith("fetch.") and exc.code not in STATUS_OF_CODE:
            status = 502  # the report's server failed us
        if status == 503:  # the server's fault: its message may name the database, which callers need not see
            return error_response(503, exc.code, "the record cannot be used just now; see the server log")
        return error_response(status, exc.code, exc.message)

    @app.exception_handler(RequestValidationError)
    async def _invalid(_: Request, exc: RequestValidationError) -> JSONResponse:
        first = exc.errors()[0] if exc.errors() else {}
        where = ".".join(str(p) for p in first.get("loc", ()))
        return error_response(422, "request.invalid", f"{where}: {first.get('msg', 'invalid')}")

    @app.exception_handler(StarletteHTTPException)
    async def _http(_: Request, exc: StarletteHTTPException) -> JSONResponse:
        code = {404: "request.not_found", 405: "request.method_not_allowed"}.get(exc.status_code, "request.http")
        return error_response(exc.status_code, code, str(exc.detail), headers=dict(exc.headers or {}))

    @app.exception_handler(Exception)
    async def _unexpected(_: Request, exc: Exception) -> JSONResponse:
        return error_response(500, "server.error", f"internal error ({type(exc).__name__}); see the server log")

    @app.middleware("http")
    async def _headers(request: Request, call_next: Callable[[Request], Any]) -> Any:
        if "%00" in request.url.query or "\x00" in request.url.query:  # PostgreSQL text cannot hold NUL
            return error_response(422, "request.invalid", "query: NUL characters are not allowed")
        response = await call_next(request)
        response.headers["X-Content-Type-Options"] = "nosniff"
        response.headers["Cache-Control"] = "no-store"
        return response

    # who is asking -------------------------------------------------------------------------

    def caller(request: Request) -> Caller:
        header = request.headers.get("authorization")
        if not header:
            if settings.allow_anonymous:
                return ANONYMOUS
            raise ApiError(401, "auth.required", "send 'Authorization: Bearer <token>' (sitrep users token NAME)")
        scheme, _, token = header.partition(" ")
        if scheme.lower() != "bearer" or not token.strip():
            raise ApiError(401, "auth.bad_header", "the Authorization header must be 'Bearer <token>'")
        with store.connect() as conn:
            found = user_store.caller_for_token(conn, token.strip())
        if found is None:
            raise ApiError(401, "auth.bad_token", "unknown or revoked token")
        return found

    def needs(permission: Permission) -> Callable[..., Caller]:
        def check(who: Annotated[Caller, Depends(caller)]) -> Caller:
            if not who.can(permission):
                raise ApiError(403, "auth.forbidden", f"role {who.role or 'anonymous'} may not {permission}")
            return who

        return check

    Reader = Annotated[Caller, Depends(needs("read"))]
    Reviewer = Annotated[Caller, Depends(needs("review"))]
    Admin = Annotated[Caller, Depends(needs("manage"))]
    Cursor = Annotated[str | None, Query(description="next_cursor of the previous page", max_length=500)]
    Limit = Annotated[int, Query(ge=1, le=MAX_PAGE)]

    # service -------------------------------------------------------------------------------

    @app.get(f"{PREFIX}/health", response_model=schemas.Health, tags=["service"])
    def health() -> dict[str, Any]:
        return {"status": "ok", "schema_revision": store.revision()}

    @app.get(f"{PREFIX}/me", response_model=schemas.Me, tags=["service"])
    def me(who: Reader) -> dict[str, Any]:
        return {"name": who.name, "role": who.role, "clearance": who.clearance,
                "permissions": [p for p in PERMISSIONS if who.can(p)]}  # fmt: skip

    # incidents -----------------------------------------------------------------------------

    def incident_query(
        since: Annotated[date | None, Query(description="dates reach this day or later")] = None,
        until: Annotated[date | None, Query(description="dates begin this day or earlier")] = None,
        region: Annotated[str | None, Query(max_length=200, description="admin1 name")] = None,
        type: Annotated[str | None, Query(max_length=200, description="event type or sub-event type")] = None,
        bbox: Annotated[str | None, Query(description="min_lon,min_lat,max_lon,max_lat", max_length=200)] = None,
        status: Annotated[
            list[str] | None, Query(description="provisional, verified, unverifiable, rejected (repeatable)")
        ] = None,
        min_sources: Annotated[int | None, Query(ge=1, le=1000)] = None,
    ) -> IncidentQuery:
        statuses = tuple(status) if status else None
        if statuses and not set(statuses) <= {"provisional", "verified", "unverifiable", "rejected"}:
            raise ApiError(422, "request.invalid", f"status: unknown value in {list(statuses)}")
        return IncidentQuery(
            since=since.isoformat() if since else None,
            until=until.isoformat() if until else None,
            region=region,
            event_type=type,
            bbox=_bbox(bbox) if bbox else None,
            min_sources=min_sources,
            statuses=statuses,
        )

    Filters = Annotated[IncidentQuery, Depends(incident_query)]

    @app.get(f"{PREFIX}/incidents", response_model=schemas.Page, tags=["incidents"])
    def list_incidents(who: Reader, filters: Filters, cursor: Cursor = None, limit: Limit = 50) -> dict[str, Any]:
        after = _cursor(cursor, "ns")
        query = IncidentQuery(**{**filters.__dict__, "limit": limit, "after": (after[0], after[1]) if after else None})
        with store.connect() as conn:
            found = views.incidents_for(conn, who, query)
        items = [i.to_dict() for i in found]
        last = (found[-1].date_start, found[-1].id) if len(found) == limit else None
        return {"items": items, "next_cursor": _encode(last)}

    @app.get(f"{PREFIX}/incidents/{{incident_id}}", tags=["incidents"], response_model=dict[str, Any])
    def get_incident(who: Reader, incident_id: Annotated[str, Path(max_length=200)]) -> dict[str, Any]:
        with store.connect() as conn:
            inc = views.incident_for(conn, who, incident_id)
            later = queries.successor(conn, incident_id) if inc is None else None
            if later is not None and views.incident_for(conn, who, later) is None:
                later = None
        if inc is None:
            hint = f"; it is now {later} (its membership was pinned when it was reviewed)" if later else ""
            raise ApiError(404, "store.unknown_incident", f"no incident {incident_id!r}{hint}")
        return inc.to_dict()

    def visible(who: Caller, incident_id: str) -> Any:
        """The incident as ``who`` sees it; 404 when they may not see it (as if it did not exist)."""
        with store.connect() as conn:
            inc = views.incident_for(conn, who, incident_id)
        if inc is None:
            raise ApiError(404, "store.unknown_incident", f"no incident {incident_id!r}")
        return inc

    def as_seen(who: Caller, incident_id: str) -> dict[str, Any]:
        return dict(visible(who, incident_id).to_dict())

    @app.get(f"{PREFIX}/incidents/{{incident_id}}/history", tags=["review"], response_model=schemas.Page)
    def incident_history(who: Reviewer, incident_id: Annotated[str, Path(max_length=200)]) -> dict[str, Any]:
        visible(who, incident_id)
        with store.connect() as conn:
            rows = user_store.audit_rows(conn, object_type="incident", object_id=incident_id, limit=MAX_PAGE)
        return {"items": rows, "next_cursor": None}

    @app.get(f"{PREFIX}/review-queue", response_model=schemas.Page, tags=["review"])
    def review_queue(who: Reviewer, filters: Filters, cursor: Cursor = None, limit: Limit = 50) -> dict[str, Any]:
        after = _cursor(cursor, "is")
        with store.connect() as conn:
            found = views.review_queue(
                conn, who, filters, after=(int(after[0]), after[1]) if after else None, limit=limit
            )
        last = (found[-1][0], found[-1][1].id) if len(found) == limit else None
        return {"items": [{**i.to_dict(), "priority": p} for p, i in found], "next_cursor": _encode(last)}

    @app.post(f"{PREFIX}/incidents/{{incident_id}}/review", tags=["review"], response_model=dict[str, Any])
    def review(
        who: Reviewer, incident_id: Annotated[str, Path(max_length=200)], body: schemas.ReviewBody
    ) -> dict[str, Any]:
        visible(who, incident_id)
        return as_seen(who, store.review(incident_id, body.status, body.reason, caller=who).id)

    @app.post(f"{PREFIX}/incidents/{{incident_id}}/corrections", tags=["review"], response_model=dict[str, Any])
    def correct(
        who: Reviewer, incident_id: Annotated[str, Path(max_length=200)], body: schemas.CorrectionBody
    ) -> dict[str, Any]:
        visible(who, incident_id)
        return as_seen(who, store.correct(incident_id, body.field, body.value, body.reason, caller=who).id)

    @app.post(f"{PREFIX}/incidents/{{incident_id}}/split", tags=["review"], response_model=dict[str, list[str]])
    def split(
        who: Reviewer, incident_id: Annotated[str, Path(max_length=200)], body: schemas.SplitBody
    ) -> dict[str, Any]:
        shown = {m.key for m in visible(who, incident_id).members}
        if not set(body.keys) <= shown:
            raise ApiError(422, "store.bad_regroup", "keys: give mention keys of this incident as you see it")
        return {"incidents": store.split(incident_id, body.keys, analyst=who.name, note=body.reason, caller=who)}

    @app.post(f"{PREFIX}/incidents/merge", tags=["review"], response_model=dict[str, str])
    def merge(who: Reviewer, body: schemas.MergeBody) -> dict[str, Any]:
        for ident in body.ids:
            visible(who, ident)
        return {"incident": store.merge(body.ids, analyst=who.name, note=body.reason, caller=who)}

    # documents and what was extracted from them --------------------------------------------

    @app.get(f"{PREFIX}/documents", response_model=schemas.Page, tags=["documents"])
    def list_documents(
        who: Reader,
        cursor: Cursor = None,
        limit: Limit = 50,
        since: Annotated[date | None, Query(description="published on or after")] = None,
        until: Annotated[date | None, Query(description="published on or before")] = None,
        outlet: Annotated[str | None, Query(max_length=300)] = None,
        sensitivity: Annotated[str | None, Query(pattern="^(public|restricted|confidential)$")] = None,
    ) -> dict[str, Any]:
        after = _cursor(cursor, "ss")
        with store.connect() as conn:
            items = views.documents_page(
                conn, who, after=(after[0], after[1]) if after else None, limit=limit,
                since=since.isoformat() if since else None, until=until.isoformat() if until else None,
                outlet=outlet, sensitivity=sensitivity,
            )  # fmt: skip
        last = (items[-1]["ingested_at"], items[-1]["id"]) if len(items) == limit else None
        return {"items": items, "next_cursor": _encode(last)}

    @app.get(f"{PREFIX}/documents/{{document_id}}", tags=["documents"], response_model=dict[str, Any])
    def get_document(who: Reader, document_id: Annotated[str, Path(max_length=100)]) -> dict[str, Any]:
        with store.connect() as conn:
            found = views.document_for(conn, who, document_id)
        if found is None:
            raise ApiError(404, "store.unknown_document", f"no document {document_id!r}")
        return found

    @app.post(f"{PREFIX}/documents", tags=["documents"], response_model=schemas.Stored, status_code=201)
    def post_document(who: Annotated[Caller, Depends(needs("ingest"))], body: schemas.DocumentBody) -> dict[str, Any]:
        document = extraction.document(body)
        stored = extraction.store(store, document, sensitivity=body.sensitivity, caller=who)
        return stored

    def owned(table: Any, who: Caller, cursor: str | None, limit: int, where: list[Any]) -> dict[str, Any]:
        after = _cursor(cursor, "i")
        with store.connect() as conn:
            items = views.owned_page(conn, who, table, after=int(after[0]) if after else None, limit=limit, where=where)
        return {"items": items, "next_cursor": _encode((items[-1]["id"],)) if len(items) == limit else None}

    @app.get(f"{PREFIX}/events", response_model=schemas.Page, tags=["documents"])
    def list_events(
        who: Reader,
        cursor: Cursor = None,
        limit: Limit = 50,
        since: Annotated[date | None, Query()] = None,
        until: Annotated[date | None, Query()] = None,
        region: Annotated[str | None, Query(max_length=200)] = None,
        type: Annotated[str | None, Query(max_length=200)] = None,
        document_id: Annotated[str | None, Query(max_length=100)] = None,
        bbox: Annotated[str | None, Query(description="min_lon,min_lat,max_lon,max_lat", max_length=200)] = None,
    ) -> dict[str, Any]:
        where: list[Any] = []
        if bbox:
            min_lon, min_lat, max_lon, max_lat = _bbox(bbox)
            where.extend([events.c.lat.between(min_lat, max_lat), events.c.lon.between(min_lon, max_lon)])
        if since:
            where.append(events.c.date_end >= since.isoformat())
        if until:
            where.append(events.c.date_start <= until.isoformat())
        if region:
            where.append(events.c.admin1 == region)
        if type:
            where.append((events.c.event_type == type) | (events.c.sub_event_type == type))
        if document_id:
            where.append(events.c.document_id == document_id)
        return owned(events, who, cursor, limit, where)

    @app.get(f"{PREFIX}/claims", response_model=schemas.Page, tags=["documents"])
    def list_claims(
        who: Reader,
        cursor: Cursor = None,
        limit: Limit = 50,
        claimant: Annotated[str | None, Query(max_length=300)] = None,
        stance: Annotated[str | None, Query(pattern="^(asserted|claimed|confirmed|denied|disputed)$")] = None,
        document_id: Annotated[str | None, Query(max_length=100)] = None,
    ) -> dict[str, Any]:
        where: list[Any] = []
        if claimant:
            where.append(claims.c.claimant == claimant)
        if stance:
            where.append(claims.c.stance == stance)
        if document_id:
            where.append(claims.c.document_id == document_id)
        return owned(claims, who, cursor, limit, where)

    @app.get(f"{PREFIX}/places", response_model=schemas.Page, tags=["documents"])
    def list_places(
        who: Reader,
        cursor: Cursor = None,
        limit: Limit = 50,
        name: Annotated[str | None, Query(max_length=200)] = None,
        region: Annotated[str | None, Query(max_length=200)] = None,
        status: Annotated[str | None, Query(pattern="^(resolved|ambiguous|unresolved)$")] = None,
        geonames_id: Annotated[int | None, Query(ge=0, le=2**31 - 1)] = None,
    ) -> dict[str, Any]:
        where: list[Any] = []
        if name:
            where.append(places.c.name == name)
        if region:
            where.append(places.c.admin1 == region)
        if status:
            where.append(places.c.status == status)
        if geonames_id is not None:
            where.append(places.c.geonames_id == geonames_id)
        return owned(places, who, cursor, limit, where)

    # control -------------------------------------------------------------------------------

    @app.get(f"{PREFIX}/control", response_model=schemas.Page, tags=["control"])
    def control_on(
        who: Reader,
        on: Annotated[date, Query(description="the day")],
        region: Annotated[str | None, Query(max_length=200)] = None,
    ) -> dict[str, Any]:
        states = store.control_on(on.isoformat(), region=region)
        with store.connect() as conn:
            shown = views.control_for(conn, who, states)
        return {"items": [s.to_dict() for s in shown], "next_cursor": None}

    @app.get(f"{PREFIX}/control/{{settlement}}", response_model=schemas.Page, tags=["control"])
    def control_of(who: Reader, settlement: Annotated[str, Path(max_length=200)]) -> dict[str, Any]:
        states = store.control(settlement)
        with store.connect() as conn:
            shown = views.control_for(conn, who, states)
        return {"items": [s.to_dict() for s in shown], "next_cursor": None}

    # field reports -------------------------------------------------------------------------

    @app.post(f"{PREFIX}/field-reports", tags=["field reports"], response_model=schemas.Stored)
    def post_field_report(
        who: Annotated[Caller, Depends(needs("submit_report"))],
        submission: Annotated[Any, Body(description="one KoboToolbox-style submission: a JSON object")],
    ) -> dict[str, Any]:
        """A KoboToolbox-style submission; the webhook URL for a data-collection tool. Idempotent: the same
        ``_uuid`` delivered again is stored once (outcome ``duplicate``)."""
        return extraction.field_report(store, submission, caller=who)

    @app.get(f"{PREFIX}/field-reports", response_model=schemas.Page, tags=["field reports"])
    def list_field_reports(
        who: Annotated[Caller, Depends(needs("submit_report"))], cursor: Cursor = None, limit: Limit = 50
    ) -> dict[str, Any]:
        after = _cursor(cursor, "ss")
        with store.connect() as conn:
            items = views.field_reports_page(conn, who, after=(after[0], after[1]) if after else None, limit=limit)
        items = audited(who, items)
        last = (items[-1]["received_at"], items[-1]["uuid"]) if len(items) == limit else None
        return {"items": items, "next_cursor": _encode(last)}

    @app.get(f"{PREFIX}/field-reports/{{uuid}}", tags=["field reports"], response_model=dict[str, Any])
    def get_field_report(
        who: Annotated[Caller, Depends(needs("submit_report"))], uuid: Annotated[str, Path(max_length=64)]
    ) -> dict[str, Any]:
        with store.connect() as conn:
            items = views.field_reports_page(conn, who, after=None, limit=1, report_uuid=uuid)
        if not items:
            raise ApiError(404, "store.unknown_report", f"no field report {uuid!r}")
        return audited(who, items)[0]

    def audited(who: Caller, items: list[dict[str, Any]]) -> list[dict[str, Any]]:
        """Audit every read of personal data (committed) before it is answered."""
        store.audit_personal_reads(who, [i["uuid"] for i in items if i["personal_shown"]])
        return [{k: v for k, v in i.items() if k != "personal_shown"} for i in items]

    # exports -------------------------------------------------------------------------------

    from sitrep.export import FORMATS

    export_types = {
        spec.media_type: {"schema": {"type": "object"} if spec.media_type.endswith("json") else {"type": "string"}}
        for spec in FORMATS.values()
    }

    @app.get(f"{PREFIX}/export/{{fmt}}", tags=["exports"], response_class=StreamingResponse,
             responses={200: {"content": export_types, "description": "the export file"}})  # fmt: skip
    def export(who: Reader, fmt: Annotated[str, Path(max_length=30)], filters: Filters) -> StreamingResponse:
        from sitrep.export import write_export

        if fmt not in FORMATS:
            raise ApiError(404, "export.unknown_format", f"no export format {fmt!r}; known: {', '.join(FORMATS)}")
        spec = FORMATS[fmt]
        import io

        buffer = io.BytesIO()
        write_export(fmt, store_incidents(who, filters), buffer)
        headers = {"Content-Disposition": f'attachment; filename="sitrep-incidents{spec.suffix}"'}
        return StreamingResponse(iter([buffer.getvalue()]), media_type=spec.media_type, headers=headers)

    def store_incidents(who: Caller, filters: IncidentQuery) -> Iterator[Any]:
        after = None
        while True:
            query = IncidentQuery(**{**filters.__dict__, "limit": MAX_PAGE, "after": after})
            with store.connect() as conn:
                page = views.incidents_for(conn, who, query)
            yield from page
            if len(page) < MAX_PAGE:
                return
            after = (page[-1].date_start, page[-1].id)

    # users and the audit log (admin) -------------------------------------------------------

    @app.get(f"{PREFIX}/users", response_model=schemas.Page, tags=["admin"])
    def list_users(who: Admin, cursor: Cursor = None, limit: Limit = 100) -> dict[str, Any]:
        after = _cursor(cursor, "s")
        with store.connect() as conn:
            rows = [u for u in user_store.list_users(conn) if after is None or u["name"] > after[0]][:limit]
        return {"items": rows, "next_cursor": _encode((rows[-1]["name"],)) if len(rows) == limit else None}

    @app.post(f"{PREFIX}/users", response_model=schemas.User, status_code=201, tags=["admin"])
    def add_user(who: Admin, body: schemas.UserBody) -> dict[str, Any]:
        store.add_user(body.name, body.role, body.clearance, by=who)
        with store.connect() as conn:
            return next(u for u in user_store.list_users(conn) if u["name"] == body.name)

    @app.delete(f"{PREFIX}/users/{{name}}", status_code=204, tags=["admin"], response_model=None)
    def remove_user(who: Admin, name: Annotated[str, Path(max_length=64)]) -> None:
        store.remove_user(name, by=who)

    @app.post(f"{PREFIX}/users/{{name}}/tokens", response_model=schemas.Token, status_code=201, tags=["admin"])
    def issue_token(who: Admin, name: Annotated[str, Path(max_length=64)], body: schemas.TokenBody) -> dict[str, Any]:
        return {"user": name, "token": store.issue_token(name, label=body.label, by=who)}

    @app.get(f"{PREFIX}/audit", response_model=schemas.Page, tags=["admin"])
    def audit_log(
        who: Admin,
        cursor: Cursor = None,
        limit: Limit = 100,
        object_type: Annotated[str | None, Query(max_length=32)] = None,
        object_id: Annotated[str | None, Query(max_length=200)] = None,
    ) -> dict[str, Any]:
        after = _cursor(cursor, "i")
        with store.connect() as conn:
            rows = user_store.audit_rows(
                conn, object_type=object_type, object_id=object_id, after_id=int(after[0]) if after else 0, limit=limit
            )
        return {"items": rows, "next_cursor": _encode((rows[-1]["id"],)) if len(rows) == limit else None}

    @app.post(f"{PREFIX}/retention/purge", response_model=schemas.Purged, tags=["admin"])
    def purge(who: Admin, days: Annotated[int | None, Query(ge=0, le=36500)] = None) -> dict[str, Any]:
        keep = days if days is not None else settings.retention_days
        if keep is None:
            raise ApiError(422, "request.invalid", "days: give ?days=N, or set SITREP_RETENTION_DAYS")
        return {"reports": len(store.purge_personal_data(older_than_days=keep, caller=who))}

    return app


class _Extraction:
    """The extractor, loaded on first use, and one extraction at a time (spaCy pipelines are not thread-safe)."""

    def __init__(self, settings: Settings, factory: Callable[[], Any] | None) -> None:
        self.settings = settings
        self._factory = factory
        self._extractor: Any = None
        self._lock = threading.Lock()

    def extract(self, document: Any) -> Any:
        with self._lock:
            if self._extractor is None:
                if self._factory is not None:
                    self._extractor = self._factory()
                else:
                    from sitrep.extract import Extractor

                    self._extractor = Extractor.load(self.settings)
            return self._extractor.extract(document)

    def document(self, body: schemas.DocumentBody) -> Any:
        from sitrep.ingest import InputOptions, document_from_html, document_from_text, parse_published, read_inputs
        from sitrep.model import Failure

        published = parse_published(body.published_at, source="published_at") if body.published_at else None
        if body.text:
            return document_from_text(body.text, published_at=published, url=body.url, title=body.title,
                                      outlet=body.outlet, source="request")  # fmt: skip
        if body.html:
            return document_from_html(body.html, url=body.url, published_at=published, outlet=body.outlet,
                                      title=body.title, source="request")  # fmt: skip
        if body.url:
            if not body.url.lower().startswith(("http://", "https://")):
                raise SitrepError("url: only http:// and https:// addresses are fetched", code="fetch.bad_url")
            options = InputOptions(max_bytes=self.settings.max_input_bytes, timeout=self.settings.http_timeout,
                                   published_at=published)  # fmt: skip
            items = list(read_inputs([body.url], options=options))
            item = items[0]
            if isinstance(item, Failure):
                raise SitrepError(item.message, code=item.code)
            return item
        raise ApiError(422, "request.invalid", "give one of text, html or url")

    def store(self, store: Store, document: Any, *, sensitivity: str, caller: Caller, **extra: Any) -> dict[str, Any]:
        extraction = self.extract(document)
        stored = store.add(extraction, sensitivity=sensitivity, submitted_by=caller.name, actor=caller, **extra)
        with store.connect() as conn:
            found = views.owned_page(conn, caller, events, after=None, limit=MAX_PAGE,
                                     where=[events.c.document_id == stored.document_id])  # fmt: skip
        return {
            "document_id": stored.document_id,
            "outcome": stored.outcome,
            "events": stored.events,
            "claims": stored.claims,
            "incidents": sorted({e["incident_id"] for e in found if e.get("incident_id")}),
        }

    def field_report(self, store: Store, submission: dict[str, Any], *, caller: Caller) -> dict[str, Any]:
        from sitrep.ingest import document_from_text
        from sitrep.ingest.kobo import parse_submission

        report = parse_submission(submission, default_sensitivity=self.settings.field_report_sensitivity)
        if (earlier := store.field_report_document(report.uuid)) is not None:
            return {"document_id": earlier, "outcome": "duplicate", "events": 0, "claims": 0, "incidents": [],
                    "ignored_fields": list(report.ignored)}  # fmt: skip
        published = None
        if report.submitted_at:
            try:
                from sitrep.ingest import parse_published

                published = parse_published(report.submitted_at, source="_submission_time")
            except SitrepError:
                published = None
        document = document_from_text(report.text, published_at=published, title=report.title,
                                      outlet=f"field report {report.uuid[:8]}", source=f"field report {report.uuid}",
                                      remove_furniture=False)  # fmt: skip
        out = self.store(store, document, sensitivity=report.sensitivity, caller=caller, field_report=report)
        out["ignored_fields"] = list(report.ignored)
        if self.settings.retention_days is not None:
            store.purge_personal_data(older_than_days=self.settings.retention_days, caller="system")
        return out


def _bbox(text: str) -> tuple[float, float, float, float]:
    try:
        values = tuple(float(v) for v in text.split(","))
    except ValueError:
        raise ApiError(422, "request.invalid", "bbox: four numbers, min_lon,min_lat,max_lon,max_lat") from None
    if len(values) != 4 or not (-180 <= values[0] <= values[2] <= 180 and -90 <= values[1] <= values[3] <= 90):
        raise ApiError(422, "request.invalid", "bbox: min_lon,min_lat,max_lon,max_lat within -180..180, -90..90")
    return values[0], values[1], values[2], values[3]


def _encode(values: tuple[Any, ...] | None) -> str | None:
    if values is None:
        return None
    return base64.urlsafe_b64encode(json.dumps(list(values)).encode()).decode().rstrip("=")


CURSOR_KINDS = {"s": (str,), "n": (str, type(None)), "i": (int,)}


def _cursor(text: str | None, kinds: str) -> tuple[Any, ...] | None:
    """Decode a cursor whose values are of ``kinds``: s text, n text or null, i a whole number."""
    if not text:
        return None
    try:
        values = json.loads(base64.urlsafe_b64decode(text + "=" * (-len(text) % 4)))
    except (ValueError, binascii.Error, UnicodeDecodeError):
        raise ApiError(400, "request.bad_cursor", "cursor: not one this server gave") from None
    if (
        not isinstance(values, list)
        or len(values) != len(kinds)
        or not all(
            isinstance(v, CURSOR_KINDS[k]) and not isinstance(v, bool) for v, k in zip(values, kinds, strict=True)
        )
    ):
        raise ApiError(400, "request.bad_cursor", "cursor: not one this server gave")
    return tuple(values)
