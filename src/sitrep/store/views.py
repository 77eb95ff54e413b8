"""The record as one caller may see it (model/access.py): withheld, redacted or whole.

Per-document records (documents, events, claims, place mentions, field
reports) are shown when their document's level is at or below the caller's
clearance, or when the caller sent it in; otherwise they are not there at all.
Incidents and control states gather many documents: an incident whose sources
are all within the caller's clearance is shown as stored; otherwise it is
rebuilt from the sources the caller may see, with restricted sources redacted
for public callers (counted, dated and typed, but no text, no outlet, no
claimant, coordinates rounded) and confidential ones left out.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace
from typing import Any

from sqlalchemy import Connection, and_, exists, or_, select

from sitrep.model.access import LEVELS, Caller, rank
from sitrep.model.incidents import ClaimRef, ControlState, Incident, Mention, incident_from_dict
from sitrep.resolve.fusion import build_incident, independent_origins
from sitrep.store import fieldreports, queries
from sitrep.store.corrections import apply_corrections, corrections_of
from sitrep.store.incidents import chunks, event_ids_for_keys, load_mentions
from sitrep.store.queries import IncidentQuery
from sitrep.store.schema import documents, events, field_reports, incident_members, incidents

WITHHELD = "[withheld]"
ROUNDED_DECIMALS = 1  # about 11 km: restricted coordinates in public outputs, report locations below confidential


def incidents_for(conn: Connection, caller: Caller, query: IncidentQuery) -> list[Incident]:
    query = replace(
        query,
        statuses=("verified",) if caller.verified_only else query.statuses,
        visible_at=caller.level,
        owner=caller.name if caller.role is not None else None,
    )
    out = []
    for row in queries.find_incident_rows(conn, query):
        inc = present(conn, caller, row.record, row.status, row.sensitivity)
        if inc is not None:
            out.append(inc)
    return out


def review_queue(
    conn: Connection, caller: Caller, query: IncidentQuery, *, after: tuple[int, str] | None, limit: int
) -> list[tuple[int, Incident]]:
    """Provisional incidents, the ones that most need a person first: (priority, incident)."""
    stmt = select(incidents.c.record, incidents.c.status, incidents.c.sensitivity, incidents.c.priority, incidents.c.id)
    stmt = stmt.where(incidents.c.status == "provisional")
    if caller.level < 2:
        stmt = stmt.where(queries.visible_below_confidential(caller.name if caller.role is not None else None))
    stmt = stmt.where(*queries.incident_where(query))
    if query.since:
        stmt = stmt.where(incidents.c.date_end >= query.since)
    if query.until:
        stmt = stmt.where(incidents.c.date_start <= query.until)
    if after:
        stmt = stmt.where(
            or_(incidents.c.priority < after[0], and_(incidents.c.priority == after[0], incidents.c.id > after[1]))
        )
    out = []
    for row in conn.execute(stmt.order_by(incidents.c.priority.desc(), incidents.c.id).limit(limit)):
        inc = present(conn, caller, row.record, row.status, row.sensitivity)
        if inc is not None:
            out.append((row.priority, inc))
    return out


def incident_for(conn: Connection, caller: Caller, incident_id: str) -> Incident | None:
    """One incident as the caller may see it; None when they may not see it at all."""
    if ":" in incident_id:
        incident_id = queries.incident_of_event(conn, incident_id) or incident_id
    row = conn.execute(
        select(incidents.c.record, incidents.c.status, incidents.c.sensitivity).where(incidents.c.id == incident_id)
    ).first()
    if row is None or (caller.verified_only and row.status != "verified"):
        return None
    return present(conn, caller, row.record, row.status, row.sensitivity)


def present(conn: Connection, caller: Caller, record: dict[str, Any], status: str, sensitivity: int) -> Incident | None:
    inc = replace(incident_from_dict(record), status=status)  # type: ignore[arg-type]
    if sensitivity > caller.level:
        rebuilt = _rebuild(conn, caller, inc)
        if rebuilt is None:
            return None
        inc = rebuilt
    if not caller.can("review"):  # who corrected what, and why, is for analysts
        inc = replace(inc, corrections=tuple(replace(c, analyst=None, reason=None) for c in inc.corrections))
    return inc


def _rebuild(conn: Connection, caller: Caller, inc: Incident) -> Incident | None:
    reasons = {m.key: m.reason for m in inc.members}
    ids = event_ids_for_keys(conn, reasons)
    rows: list[dict[str, Any]] = []
    for batch in chunks(ids):
        query = select(events.c.id, events.c.document_id, events.c.ordinal, events.c.place_key, events.c.record)
        rows.extend(dict(r._mapping) for r in conn.execute(query.where(events.c.id.in_(batch))))
    mentions = sorted(load_mentions(conn, rows), key=lambda m: m.key)
    source = independent_origins(mentions)
    pseudonyms: dict[str, str] = {}
    shown: list[tuple[Mention, str]] = []  # (as shown, why the real mention is in the incident)
    hidden = {m.document_id for m in mentions if not (m.sensitivity <= caller.level or caller.owns(m.submitted_by))}
    for m in mentions:
        if m.sensitivity <= caller.level or caller.owns(m.submitted_by):
            shown.append((m, reasons[m.key]))
        elif m.sensitivity == rank("restricted") and caller.level == rank("public"):
            shown.append((_redact(m, source[m.document_id], pseudonyms), reasons[m.key]))
        # confidential below confidential: left out
    if not shown:
        return None
    # a reason may name the mention it was linked to: never a document the caller may not see
    shown = [(m, _scrub(why, hidden, pseudonyms)) for m, why in shown]
    shown.sort(key=lambda pair: pair[0].key)
    built = build_incident(inc.id, [m for m, _ in shown], [why for _, why in shown], pinned=inc.pinned)
    built = apply_corrections(built, corrections_of(conn, [inc.id]).get(inc.id, ()))
    return replace(built, status=inc.status)


def _scrub(text: str, hidden: set[str], pseudonyms: dict[str, str]) -> str:
    for doc in hidden:
        if doc in text:
            text = text.replace(doc, pseudonyms.get(doc, WITHHELD))
    return text


def _redact(m: Mention, origin: str, pseudonyms: dict[str, str]) -> Mention:
    """A restricted mention for a public caller: what happened, when, roughly where; not who said it or the words."""
    doc = pseudonyms.setdefault(m.document_id, f"withheld-{len(pseudonyms) + 1}")
    source = pseudonyms.setdefault("origin:" + origin, f"restricted source {len(pseudonyms)}")
    return replace(
        m,
        key=f"{doc}:{m.ordinal}",
        document_id=doc,
        origin=source,
        outlet=None,
        place_key=m.place_key if m.geonames_id else None,
        place_name=m.place_name if m.geonames_id else None,
        lat=round_coordinate(m.lat),
        lon=round_coordinate(m.lon),
        claimant=WITHHELD if m.claimant else None,
        claimant_kind=None,
        quote=WITHHELD,
        start=0,
        end=0,
        confidence=None,
        claims=tuple(_redact_ref(r, doc) for r in m.claims),
        sketch=(),
        submitted_by=None,
    )


def _redact_ref(ref: ClaimRef, document_id: str) -> ClaimRef:
    return replace(
        ref,
        claimant=WITHHELD if ref.claimant else None,
        claimant_kind=None,
        outlet=None,
        document_id=document_id,
        start=0,
        end=0,
        quote=WITHHELD,
    )


def round_coordinate(value: float | None) -> float | None:
    return None if value is None else round(value, ROUNDED_DECIMALS)


# Per-document records ------------------------------------------------------------------------


def document_visible(caller: Caller) -> Any:
    """SQL: the documents this caller may see (their level, or their own; for callers limited to verified
    incidents, only documents that are sources of a verified incident)."""
    level_ok: Any = documents.c.sensitivity.in_(LEVELS[: caller.level + 1])
    if caller.verified_only:
        in_verified = exists(
            select(incident_members.c.event_id)
            .join(incidents, incidents.c.id == incident_members.c.incident_id)
            .join(events, events.c.id == incident_members.c.event_id)
            .where(events.c.document_id == documents.c.id, incidents.c.status == "verified")
        )
        level_ok = and_(level_ok, in_verified)
    if caller.role is not None:
        return or_(level_ok, documents.c.submitted_by == caller.name)
    return level_ok


def record_visible(caller: Caller, table: Any) -> Any:
    """SQL on ``table`` (events, claims or places), no join: the records this caller may see. Correlated
    EXISTS clauses, not a join to documents: SQLite would otherwise filter every document before the first row."""

    def document_where(*clauses: Any) -> Any:
        return exists(select(documents.c.id).where(documents.c.id == table.c.document_id, *clauses))

    level: Any = documents.c.sensitivity.in_(LEVELS[: caller.level + 1])
    own: Any = documents.c.submitted_by == caller.name if caller.role is not None else None
    # one EXISTS with the OR inside: OR-ed EXISTS clauses become hashed subplans over every document
    clause: Any = document_where(or_(level, own) if own is not None else level)
    if caller.verified_only:
        member = [incident_members.c.event_id == events.c.id]
        if table is not events:
            member.append(events.c.document_id == table.c.document_id)
        in_verified = exists(
            select(incident_members.c.event_id)
            .join(incidents, incidents.c.id == incident_members.c.incident_id)
            .where(*member, incidents.c.status == "verified")
        )
        # own or (level and verified) == (own or level) and (own or verified)
        clause = and_(clause, or_(document_where(own), in_verified) if own is not None else in_verified)
    return clause


def document_dict(row: Any, caller: Caller, *, full: bool) -> dict[str, Any]:
    out = {
        "id": row.id,
        "url": row.url,
        "outlet": row.outlet,
        "title": row.title,
        "author": row.author,
        "published_at": row.published_at,
        "language": row.language,
        "text_sha256": row.text_sha256,
        "sensitivity": row.sensitivity,
        "ingested_at": row.ingested_at,
        "superseded_by": row.superseded_by,
        "submitted_by": row.submitted_by if caller.can("review") or caller.owns(row.submitted_by) else None,
    }
    if full:
        out["text"] = row.text
        out["removed"] = row.removed
    return out


def document_for(conn: Connection, caller: Caller, document_id: str) -> dict[str, Any] | None:
    row = conn.execute(select(documents).where(documents.c.id == document_id, document_visible(caller))).first()
    return None if row is None else document_dict(row, caller, full=True)


def documents_page(
    conn: Connection,
    caller: Caller,
    *,
    after: tuple[str, str] | None,
    limit: int,
    since: str | None = None,
    until: str | None = None,
    outlet: str | None = None,
    sensitivity: str | None = None,
) -> list[dict[str, Any]]:
    """Documents in the order they were stored (ingested_at, id): a "changes since" feed."""
    stmt = select(documents).where(document_visible(caller))
    if after:
        stmt = stmt.where(
            or_(
                documents.c.ingested_at > after[0], and_(documents.c.ingested_at == after[0], documents.c.id > after[1])
            )
        )
    if since:
        stmt = stmt.where(documents.c.published_at >= since)
    if until:
        stmt = stmt.where(documents.c.published_at < _day_after(until))
    if outlet:
        stmt = stmt.where(documents.c.outlet == outlet)
    if sensitivity:
        stmt = stmt.where(documents.c.sensitivity == sensitivity)
    stmt = stmt.order_by(documents.c.ingested_at, documents.c.id).limit(limit)
    return [document_dict(r, caller, full=False) for r in conn.execute(stmt)]


def owned_page(
    conn: Connection,
    caller: Caller,
    table: Any,
    *,
    after: int | None,
    limit: int,
    where: Iterable[Any] = (),
) -> list[dict[str, Any]]:
    """Events, claims or place mentions the caller may see, by id: ``{id, key, document_id, ...record}``."""
    stmt = select(table.c.id, table.c.document_id, table.c.ordinal, table.c.record).where(
        record_visible(caller, table), *where
    )
    if after is not None:
        stmt = stmt.where(table.c.id > after)
    rows = list(conn.execute(stmt.order_by(table.c.id).limit(limit)))
    incident_of: dict[int, str] = {}
    if table is events and rows:
        found = select(incident_members.c.event_id, incident_members.c.incident_id).where(
            incident_members.c.event_id.in_([r.id for r in rows])
        )
        incident_of = {e: i for e, i in conn.execute(found)}
    out = []
    for r in rows:
        item = {"id": r.id, "key": f"{r.document_id}:{r.ordinal}", "document_id": r.document_id, **r.record}
        if table is events:
            item["incident_id"] = incident_of.get(r.id)
        out.append(item)
    return out


# Field reports -------------------------------------------------------------------------------


def field_reports_page(
    conn: Connection, caller: Caller, *, after: tuple[str, str] | None, limit: int, report_uuid: str | None = None
) -> list[dict[str, Any]]:
    """Field reports: an observer's own; analysts' and admins' within their clearance. ``personal_shown`` says
    which carry personal data (names, where a report was made): the caller must audit those reads
    (``Store.audit_personal_reads``) before answering."""
    stmt = select(
        field_reports,
        documents.c.title,
        documents.c.text,
        documents.c.sensitivity,
    ).join(documents, documents.c.id == field_reports.c.document_id)
    if caller.can("review"):
        stmt = stmt.where(
            or_(documents.c.sensitivity.in_(LEVELS[: caller.level + 1]), field_reports.c.submitted_by == caller.name)
        )
    else:
        stmt = stmt.where(field_reports.c.submitted_by == caller.name)
    if report_uuid is not None:
        stmt = stmt.where(field_reports.c.uuid == report_uuid)
    if after:
        stmt = stmt.where(
            or_(
                field_reports.c.received_at > after[0],
                and_(field_reports.c.received_at == after[0], field_reports.c.uuid > after[1]),
            )
        )
    rows = list(conn.execute(stmt.order_by(field_reports.c.received_at, field_reports.c.uuid).limit(limit)))
    personal = fieldreports.personal_of(conn, [r.uuid for r in rows])
    out = []
    for r in rows:
        whole = caller.sees_personal_data or caller.owns(r.submitted_by)
        item = {
            "uuid": r.uuid,
            "document_id": r.document_id,
            "form_id": r.form_id,
            "title": r.title,
            "sensitivity": r.sensitivity,
            "submitted_by": r.submitted_by,
            "submitted_at": r.submitted_at,
            "received_at": r.received_at,
            "purged_at": r.purged_at,
            "lat": r.lat if whole else round_coordinate(r.lat),
            "lon": r.lon if whole else round_coordinate(r.lon),
            "location_rounded": not whole and r.lat is not None,
            "personal": personal[r.uuid] if whole else None,
        }
        if report_uuid is not None:
            item["text"] = r.text
        item["personal_shown"] = whole and bool(personal[r.uuid] or r.lat is not None)
        out.append(item)
    return out


# Control -------------------------------------------------------------------------------------


def control_for(conn: Connection, caller: Caller, states: list[ControlState]) -> list[ControlState]:
    """Control states with the claims the caller may see; states resting only on withheld sources are left out.
    Callers limited to verified incidents see states that rest on at least one verified incident."""
    doc_ids = sorted({r.document_id for s in states for r in s.supporting + s.disputing})
    levels: dict[str, tuple[int, str | None]] = {}
    for batch in chunks(doc_ids):
        for d in conn.execute(
            select(documents.c.id, documents.c.sensitivity, documents.c.submitted_by).where(documents.c.id.in_(batch))
        ):
            levels[d.id] = (rank(d.sensitivity), d.submitted_by)
    verified: set[str] = set()
    if caller.verified_only:
        ids = sorted({i for s in states for i in s.incidents})
        for batch in chunks(ids):
            verified.update(
                conn.execute(
                    select(incidents.c.id).where(incidents.c.id.in_(batch), incidents.c.status == "verified")
                ).scalars()
            )
    pseudonyms: dict[str, str] = {}
    out = []
    for s in states:
        if caller.verified_only and not verified.intersection(s.incidents):
            continue
        sides = []
        for refs in (s.supporting, s.disputing):
            kept = []
            for ref in refs:
                level, owner = levels.get(ref.document_id, (2, None))
                if level <= caller.level or caller.owns(owner):
                    kept.append(ref)
                elif level == 1 and caller.level == 0:
                    doc = pseudonyms.setdefault(ref.document_id, f"withheld-{len(pseudonyms) + 1}")
                    kept.append(_redact_ref(ref, doc))
            sides.append(tuple(kept))
        if not sides[0] and not sides[1]:
            continue
        out.append(replace(s, supporting=sides[0], disputing=sides[1]))
    return out


def _day_after(day: str) -> str:
    from datetime import date, timedelta

    return (date.fromisoformat(day[:10]) + timedelta(days=1)).isoformat()
