"""Reading the record: incidents by date, region, type, box and sources; control; analysts' changes."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, timedelta
from typing import Any

from sqlalchemy import Connection, Select, and_, func, or_, select

from sitrep.errors import StoreError
from sitrep.model.incidents import ControlState, Incident, IncidentStatus, control_from_dict, incident_from_dict
from sitrep.store.schema import (
    control_states,
    documents,
    events,
    incident_history,
    incident_members,
    incidents,
    sightings,
)

SHORT_SPAN = 31  # days; incidents spanning longer are found through ix_incidents_span


@dataclass(frozen=True)
class IncidentQuery:
    """Filters of ``sitrep incidents``; every one optional. Dates are ISO days, inclusive."""

    since: str | None = None  # the incident's dates reach this day or later
    until: str | None = None  # the incident's dates begin this day or earlier
    region: str | None = None  # admin1 name, case-insensitive ("Kharkiv Oblast")
    event_type: str | None = None  # an event type or a sub-event type
    bbox: tuple[float, float, float, float] | None = None  # min_lon, min_lat, max_lon, max_lat
    min_sources: int | None = None
    limit: int | None = None
    statuses: tuple[str, ...] | None = None  # provisional, verified, unverifiable, rejected
    visible_at: int | None = None  # a caller's level: incidents with at least one source they may see (some redacted)
    after: tuple[str | None, str] | None = None  # cursor: (date_start, id) of the previous page's last incident
    owner: str | None = None  # with visible_at: also the incidents of documents this user sent in


def find_incidents(conn: Connection, query: IncidentQuery) -> list[Incident]:
    return [_incident(r.record, r.status) for r in find_incident_rows(conn, query)]


def find_incident_rows(conn: Connection, query: IncidentQuery) -> list[Any]:
    """Rows (record, status, sensitivity, date_start, id) of the incidents matching ``query``, newest first
    (undated last), ties by id.

    With ``since``, "ends on or after since" is asked in two parts that each have an index: an
    incident of at most SHORT_SPAN days that ends on or after ``since`` starts on or after
    since - SHORT_SPAN (a closed range on the date index); the few longer ones come through
    ix_incidents_span. On SQLite, the other columns are wrapped (``lat + 0``, ``date_start || ''``)
    so that its planner, which has no histogram, does not pick their indexes instead.
    """
    sqlite = conn.dialect.name == "sqlite"
    plain = _filters(query, lat=incidents.c.lat, lon=incidents.c.lon, start=incidents.c.date_start)
    if not query.since:
        parts = [plain]
    else:
        earliest = (date.fromisoformat(query.since) - timedelta(days=SHORT_SPAN)).isoformat()
        hidden = _filters(query, lat=incidents.c.lat + 0, lon=incidents.c.lon + 0, start=incidents.c.date_start)
        short = (hidden if sqlite else plain).where(
            incidents.c.date_end >= query.since,
            incidents.c.date_span <= SHORT_SPAN,
            incidents.c.date_start >= earliest,
        )
        unindexed_start = incidents.c.date_start.concat("") if sqlite else incidents.c.date_start
        long = _filters(query, lat=incidents.c.lat + 0, lon=incidents.c.lon + 0, start=unindexed_start)
        end = incidents.c.date_end.concat("") if sqlite else incidents.c.date_end
        parts = [
            short,
            (long if sqlite else plain).where(end >= query.since, incidents.c.date_span > SHORT_SPAN),
        ]
    rows: list[Any] = []
    # newest first: date_sort is date_start, "-" when undated (sorts last), so ix_incidents_newest serves
    # lists without a date range on both engines; with ``since`` every row is dated
    newest = incidents.c.date_start.desc() if query.since else incidents.c.date_sort.desc()
    for n, part in enumerate(parts):
        if n == 0 and query.limit:  # the rare long incidents (n == 1) are all fetched, sorted below
            part = part.order_by(newest, incidents.c.id).limit(query.limit)
        rows.extend(conn.execute(part))
    rows.sort(key=lambda r: r.id)
    rows.sort(key=lambda r: r.date_start or "", reverse=True)  # stable: ties stay by id, undated last
    if query.limit:
        rows = rows[: query.limit]
    return rows


def _filters(query: IncidentQuery, *, lat: Any, lon: Any, start: Any) -> Select[Any]:
    """Every filter but ``since``, on the given column expressions."""
    stmt = select(
        incidents.c.record, incidents.c.status, incidents.c.sensitivity, incidents.c.date_start, incidents.c.id
    )
    if query.after:
        day, ident = query.after[0] or "-", query.after[1]
        stmt = stmt.where(or_(incidents.c.date_sort < day, and_(incidents.c.date_sort == day, incidents.c.id > ident)))
    if query.statuses:
        stmt = stmt.where(incidents.c.status.in_(query.statuses))
    if query.visible_at is not None and query.visible_at < 2:
        stmt = stmt.where(visible_below_confidential(query.owner))
    if query.until:
        stmt = stmt.where(start <= query.until)
    return stmt.where(*incident_where(query, lat=lat, lon=lon))


def incident_where(query: IncidentQuery, *, lat: Any = incidents.c.lat, lon: Any = incidents.c.lon) -> list[Any]:
    """The filters by region (any case), type, box and sources, shared by the incident lists and the review queue."""
    where: list[Any] = []
    if query.region:
        where.append(func.lower(incidents.c.admin1) == query.region.lower())
    if query.event_type:
        where.append(or_(incidents.c.event_type == query.event_type, incidents.c.sub_event_type == query.event_type))
    if query.bbox:
        min_lon, min_lat, max_lon, max_lat = query.bbox
        where.extend([lat.between(min_lat, max_lat), lon.between(min_lon, max_lon)])
    if query.min_sources:
        where.append(incidents.c.sources >= query.min_sources)
    return where


def visible_below_confidential(owner: str | None) -> Any:
    """SQL: incidents with a source below confidential (confidential-only ones are withheld below confidential),
    or with a source ``owner`` sent in."""
    open_enough = incidents.c.min_sensitivity <= 1
    if owner is None:
        return open_enough
    own = (
        select(incident_members.c.incident_id)
        .join(events, events.c.id == incident_members.c.event_id)
        .join(documents, documents.c.id == events.c.document_id)
        .where(documents.c.submitted_by == owner)
    )
    return or_(open_enough, incidents.c.id.in_(own))


def get_incident(conn: Connection, incident_id: str) -> Incident:
    row = conn.execute(select(incidents.c.record, incidents.c.status).where(incidents.c.id == incident_id)).first()
    if row is None:
        raise StoreError(f"no incident {incident_id!r} in this database", code="store.unknown_incident")
    return _incident(row.record, row.status)


def incident_of_event(conn: Connection, event_key: str) -> str | None:
    return conn.execute(
        select(incident_members.c.incident_id).where(incident_members.c.event_key == event_key)
    ).scalar()


def successor(conn: Connection, incident_id: str) -> str | None:
    """The id a reviewed incident took when its membership was pinned, following reviews; None if none."""
    seen = {incident_id}
    current = incident_id
    while True:
        rows = conn.execute(
            select(incident_history.c.detail)
            .where(incident_history.c.incident_id == current, incident_history.c.action.in_(("review", "correct")))
            .order_by(incident_history.c.id)
        ).scalars()
        nxt = None
        for detail in rows:
            pinned = detail.get("incident") if isinstance(detail, dict) else None
            if isinstance(pinned, str) and pinned not in seen:
                nxt = pinned
                break
        if nxt is None or get_exists(conn, nxt):
            return nxt
        seen.add(nxt)
        current = nxt


def get_exists(conn: Connection, incident_id: str) -> bool:
    return conn.execute(select(incidents.c.id).where(incidents.c.id == incident_id)).first() is not None


def history(conn: Connection, incident_id: str) -> list[dict[str, Any]]:
    """Analysts' changes that made or unmade this incident, oldest first."""
    rows = conn.execute(
        select(incident_history).where(incident_history.c.incident_id == incident_id).order_by(incident_history.c.id)
    )
    return [{"action": r.action, "analyst": r.analyst, "note": r.note, "at": r.at, "detail": r.detail} for r in rows]


def sightings_of(conn: Connection, document_ids: list[str]) -> dict[str, list[dict[str, Any]]]:
    """Where each document was seen (outlet, URL, publication time), first seen first."""
    out: dict[str, list[dict[str, Any]]] = {d: [] for d in document_ids}
    rows = conn.execute(
        select(sightings.c.document_id, sightings.c.outlet, sightings.c.url, sightings.c.published_at)
        .where(sightings.c.document_id.in_(document_ids))
        .order_by(sightings.c.published_at, sightings.c.id)
    )
    for r in rows:
        out[r.document_id].append({"outlet": r.outlet, "url": r.url, "published_at": r.published_at})
    return out


def document_titles(conn: Connection, document_ids: list[str]) -> dict[str, str | None]:
    rows = conn.execute(select(documents.c.id, documents.c.title).where(documents.c.id.in_(document_ids)))
    return {r.id: r.title for r in rows}


def control_history(conn: Connection, settlement: str) -> list[ControlState]:
    """Every state of the settlements called ``settlement`` (name, GeoNames id or place key), oldest first."""
    wanted = settlement.strip()
    clauses = [func.lower(control_states.c.settlement) == wanted.lower(), control_states.c.place_key == wanted]
    if wanted.isdigit():
        clauses.append(control_states.c.geonames_id == int(wanted))
    rows = conn.execute(
        select(control_states.c.record)
        .where(or_(*clauses))
        .order_by(control_states.c.place_key, control_states.c.valid_from, control_states.c.id)
    ).scalars()
    return [_control(r) for r in rows]


def control_on(conn: Connection, *, region: str | None, day: str) -> list[ControlState]:
    """The state of every settlement (in ``region``, an admin1 name) on ``day``."""
    stmt = select(control_states.c.record).where(
        control_states.c.valid_from <= day,
        or_(control_states.c.valid_to.is_(None), control_states.c.valid_to >= day),
    )
    if region:
        stmt = stmt.where(func.lower(control_states.c.admin1) == region.lower())
    rows = conn.execute(stmt.order_by(control_states.c.settlement, control_states.c.valid_from)).scalars()
    return [_control(r) for r in rows]


def _incident(record: dict[str, Any], status: IncidentStatus) -> Incident:
    """The stored incident with its current review status (the record keeps the one it was fused with)."""
    return replace(incident_from_dict(record), status=status)


def _control(record: dict[str, Any]) -> ControlState:
    return control_from_dict(record)
