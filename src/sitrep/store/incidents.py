"""Fusion inside the store: re-fuse the mentions a new document touches, in its transaction.

:func:`refuse` loads the *closure* of the changed mentions: every active
mention of the same event type whose time overlaps theirs (repeated until
nothing new overlaps), every member of the incidents they were in, and every
member of an analyst's group they belong to. Any mention that could be linked
to a changed one is in that set, so re-fusing just the set gives what fusing
the whole store would give, and the incidents never depend on ingest order.
Territorial control is then recomputed for the settlements whose territory
incidents changed.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Collection, Iterable, Iterator
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime
from typing import Any, TypeVar

from sqlalchemy import Connection, and_, delete, func, or_, select

from sitrep.model.access import rank
from sitrep.model.incidents import (
    DISPUTING_STANCES,
    ClaimRef,
    Figure,
    Incident,
    Mention,
    incident_from_dict,
)
from sitrep.resolve.control import CONTROL_SUB_TYPES, ControlTimeline, is_settlement
from sitrep.resolve.fusion import IncidentFuser, pin_group_id
from sitrep.store.corrections import apply_corrections, corrections_of, priority
from sitrep.store.schema import (
    claims,
    control_states,
    documents,
    events,
    incident_members,
    incident_pins,
    incidents,
    sightings,
)

SideOf = Callable[[str], str | None]
CHUNK = 500
# Mentions a closure may gather before it stops following region-level links (see refuse)
CLOSURE_LIMIT = 500  # ids per IN (...) clause, well under every engine's limit
T = TypeVar("T")


def chunks(items: Iterable[T], size: int = CHUNK) -> Iterator[list[T]]:
    batch: list[T] = []
    for item in items:
        batch.append(item)
        if len(batch) == size:
            yield batch
            batch = []
    if batch:
        yield batch


def now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


@dataclass(frozen=True)
class Fused:
    incidents: int  # incidents written
    bounded: bool  # the closure reached its limit: region-level mentions were fused with a partial view


def refuse(conn: Connection, seeds: Collection[int], *, side_of: SideOf, limit: int | None = CLOSURE_LIMIT) -> Fused:
    """Re-fuse the mentions ``seeds`` (event ids) could be linked to.

    With ``limit``, once the closure holds that many mentions it stops following region-level links
    (a region-level report and every place in its region) and follows only the same place; the
    settlement-level incidents stay exact, region-level mentions may then be grouped differently
    than fusing everything would. ``sitrep db fuse`` (no limit) is exact.
    """
    rows, touched, old_ids, bounded = _closure(conn, seeds, limit)
    mentions = load_mentions(conn, rows.values())
    pins: dict[str, str] = {}
    for batch in chunks(m.key for m in mentions):
        query = select(incident_pins.c.event_key, incident_pins.c.group_id).where(incident_pins.c.event_key.in_(batch))
        pins.update((key, group) for key, group in conn.execute(query))
    fused = IncidentFuser().fuse(mentions, pins)

    old: dict[str, tuple[str, str | None, str]] = {}
    for batch in chunks(old_ids):
        for ident, status, key, sub in conn.execute(
            select(incidents.c.id, incidents.c.status, incidents.c.place_key, incidents.c.sub_event_type).where(
                incidents.c.id.in_(batch)
            )
        ):
            old[ident] = (status, key, sub)
    for ids in chunks(sorted(touched)):
        conn.execute(delete(incident_members).where(incident_members.c.event_id.in_(ids)))
    for idents in chunks(sorted(old)):
        conn.execute(delete(incidents).where(incidents.c.id.in_(idents)))

    event_ids = {f"{r['document_id']}:{r['ordinal']}": ident for ident, r in rows.items()}
    levels = {m.key: m.sensitivity for m in mentions}
    corrected = corrections_of(conn, (i.id for i in fused))
    stamp = now()
    incident_rows: list[dict[str, Any]] = []
    member_rows: list[dict[str, Any]] = []
    for n, inc in enumerate(fused):
        inc = fused[n] = apply_corrections(inc, corrected.get(inc.id, ()))
        status = old[inc.id][0] if inc.id in old else inc.status
        incident_rows.append(_incident_row(inc, status, stamp, [levels[m.key] for m in inc.members]))
        member_rows.extend(
            {"event_id": event_ids[m.key], "incident_id": inc.id, "event_key": m.key, "reason": m.reason}
            for m in inc.members
        )
    if incident_rows:
        conn.execute(incidents.insert(), incident_rows)
        conn.execute(incident_members.insert(), member_rows)

    places = {key for _, key, sub in old.values() if sub in CONTROL_SUB_TYPES and is_settlement(key)}
    places |= {i.place_key for i in fused if i.sub_event_type in CONTROL_SUB_TYPES and is_settlement(i.place_key)}
    update_control(conn, {p for p in places if p}, side_of=side_of)
    return Fused(len(fused), bounded)


def regroup(conn: Connection, groups: list[list[str]], *, analyst: str | None, side_of: SideOf) -> list[str]:
    """Pin each group of mention keys together (an analyst's split or merge), re-fuse, return their incidents."""
    stamp = now()
    pinned = [k for group in groups for k in group]
    for batch in chunks(sorted(pinned)):
        conn.execute(delete(incident_pins).where(incident_pins.c.event_key.in_(batch)))
    conn.execute(
        incident_pins.insert(),
        [
            {"event_key": k, "group_id": pin_group_id(group), "analyst": analyst, "pinned_at": stamp}
            for group in groups
            for k in group
        ],
    )
    refuse(conn, event_ids_for_keys(conn, pinned), side_of=side_of)
    return [pin_group_id(group) for group in groups]


def refuse_all(conn: Connection, *, side_of: SideOf) -> int:
    """Fuse every stored mention afresh, exactly (after a migration, or on request)."""
    ids = list(conn.execute(select(events.c.id)).scalars())
    return refuse(conn, ids, side_of=side_of, limit=None).incidents if ids else 0


def update_control(conn: Connection, place_keys: Collection[str], *, side_of: SideOf) -> None:
    """Recompute the control history of these settlements from their territory incidents."""
    timeline = ControlTimeline(side_of)
    for key in sorted(place_keys):
        records = conn.execute(
            select(incidents.c.record).where(
                incidents.c.place_key == key, incidents.c.sub_event_type.in_(sorted(CONTROL_SUB_TYPES))
            )
        ).scalars()
        states = timeline.states(incident_from_dict(r) for r in records)
        conn.execute(delete(control_states).where(control_states.c.place_key == key))
        if states:
            conn.execute(
                control_states.insert(),
                [
                    {
                        "place_key": s.place_key,
                        "settlement": s.settlement,
                        "geonames_id": s.geonames_id,
                        "country_code": s.country_code,
                        "admin1": s.admin1,
                        "lat": s.lat,
                        "lon": s.lon,
                        "controller": s.controller,
                        "controller_side": s.controller_side,
                        "status": s.status,
                        "valid_from": s.valid_from,
                        "valid_to": s.valid_to,
                        "record": s.to_dict(),
                    }
                    for s in states
                ],
            )


def _closure(
    conn: Connection, seeds: Collection[int], limit: int | None
) -> tuple[dict[int, dict[str, Any]], set[int], set[str], bool]:
    """Active mentions that fusion must see again, every event id whose membership changes, old incident
    ids, and whether the limit cut region-level links."""
    bounded = False
    rows: dict[int, dict[str, Any]] = {}
    touched: set[int] = set()
    old_ids: set[str] = set()
    windows: dict[tuple[str, ...], tuple[str, str]] = {}  # where to look -> the days to look at
    pending = set(seeds)
    while pending:
        touched |= pending
        new_rows: list[dict[str, Any]] = []
        for batch in chunks(sorted(pending)):
            query = (
                select(
                    events.c.id,
                    events.c.document_id,
                    events.c.ordinal,
                    events.c.event_type,
                    events.c.place_key,
                    events.c.country_code,
                    events.c.admin1,
                    events.c.record,
                )
                .join(documents, documents.c.id == events.c.document_id)
                .where(events.c.id.in_(batch), documents.c.superseded_by.is_(None))
            )
            new_rows.extend(dict(r._mapping) for r in conn.execute(query))
        for r in new_rows:
            rows[r["id"]] = r
        # the incidents these mentions were in and all their members; the analysts' groups likewise
        incident_ids = _lookup(conn, incident_members.c.incident_id, incident_members.c.event_id, pending) - old_ids
        old_ids |= incident_ids
        found: set[int] = _lookup(conn, incident_members.c.event_id, incident_members.c.incident_id, incident_ids)
        keys = {f"{r['document_id']}:{r['ordinal']}" for r in new_rows}
        groups = _lookup(conn, incident_pins.c.group_id, incident_pins.c.event_key, keys)
        found.update(
            event_ids_for_keys(conn, _lookup(conn, incident_pins.c.event_key, incident_pins.c.group_id, groups))
        )
        # every mention that could be linked to one of these: the same type, overlapping time, and the
        # same place, or (for a region-level mention) a place in that region
        grown: set[tuple[str, ...]] = set()
        bounded = bounded or (limit is not None and len(rows) >= limit)
        for r in new_rows:
            date = r["record"].get("date") or {}
            if not date.get("start") or r["place_key"] is None:
                continue
            span = (date["start"], date.get("end") or date["start"])
            for window in _windows(r, regions=not bounded):
                was = windows.get(window)
                now_span = (min(span[0], was[0]), max(span[1], was[1])) if was else span
                if now_span != was:
                    windows[window] = now_span
                    grown.add(window)
        for window in sorted(grown):
            regional = window[0] == "region" or window[2].startswith("adm1:")
            if regional and limit is not None and len(rows) + len(found) >= limit:
                bounded = True  # dense: stop following region-level links here
                continue
            lo, hi = windows[window]
            if window[0] == "key":
                where = [events.c.place_key == window[2]]
            else:
                where = [events.c.country_code == window[2], events.c.admin1 == window[3]]
            query = (
                select(events.c.id)
                .join(documents, documents.c.id == events.c.document_id)
                .where(
                    events.c.event_type == window[1],
                    *where,
                    events.c.date_start <= hi,
                    func.coalesce(events.c.date_end, events.c.date_start) >= lo,
                    documents.c.superseded_by.is_(None),
                )
            )
            found.update(conn.execute(query).scalars())
        pending = found - touched
    return rows, touched, old_ids, bounded


def _windows(row: dict[str, Any], *, regions: bool) -> list[tuple[str, ...]]:
    """Where a mention's possible partners are (see fusion.link_reason): its own place; for a place in a
    region, region-level mentions of that region; for a region-level mention, every place in the region."""
    key, event_type = row["place_key"], row["event_type"]
    out: list[tuple[str, ...]] = [("key", event_type, key)]
    if not regions:
        return out
    if key.startswith("adm1:"):
        _, country, admin1 = key.split(":", 2)
        out.append(("region", event_type, country, admin1))
    elif row["admin1"] and row["country_code"]:
        out.append(("key", event_type, f"adm1:{row['country_code']}:{row['admin1']}"))
    return out


def _lookup(conn: Connection, column: Any, key_column: Any, keys: Iterable[Any]) -> set[Any]:
    """``SELECT column WHERE key_column IN keys``, in chunks."""
    out: set[Any] = set()
    for batch in chunks(sorted(set(keys))):
        out.update(conn.execute(select(column).where(key_column.in_(batch))).scalars())
    return out


def event_ids_for_keys(conn: Connection, keys: Iterable[str]) -> list[int]:
    """Event ids for "<document_id>:<ordinal>" keys (unknown keys are skipped)."""
    pairs = []
    for key in keys:
        doc, _, ordinal = key.rpartition(":")
        if doc and ordinal.isdigit():
            pairs.append((doc, int(ordinal)))
    ids: list[int] = []
    for batch in chunks(pairs, 200):
        clause = or_(*(and_(events.c.document_id == d, events.c.ordinal == o) for d, o in batch))
        ids.extend(conn.execute(select(events.c.id).where(clause)).scalars())
    return ids


def load_mentions(conn: Connection, rows: Iterable[dict[str, Any]]) -> list[Mention]:
    """Mentions of these event rows (id, document_id, ordinal, place_key, record), with what fusion needs of their documents."""
    rows = list(rows)
    doc_ids = sorted({r["document_id"] for r in rows})
    docs: dict[str, dict[str, Any]] = {}
    seen: dict[str, list[tuple[str, str, str, str | None]]] = defaultdict(list)
    about: dict[tuple[str, int], list[ClaimRef]] = defaultdict(list)
    credits: dict[str, str | None] = {}
    sketches: dict[str, tuple[int, ...]] = {}
    access: dict[str, tuple[int, str | None]] = {}
    for batch in chunks(doc_ids):
        query = select(
            documents.c.id,
            documents.c.outlet,
            documents.c.published_at,
            documents.c.wire_credit,
            documents.c.sketch,
            documents.c.sensitivity,
            documents.c.submitted_by,
        ).where(documents.c.id.in_(batch))
        for d in conn.execute(query):
            docs[d.id] = {"outlet": d.outlet, "published_at": d.published_at}
            credits[d.id] = d.wire_credit
            sketches[d.id] = tuple(d.sketch or ())
            access[d.id] = (rank(d.sensitivity), d.submitted_by)
        for s in conn.execute(
            select(
                sightings.c.document_id, sightings.c.published_at, sightings.c.outlet, sightings.c.sighting_key
            ).where(sightings.c.document_id.in_(batch))
        ):
            seen[s.document_id].append((s.published_at or "~", s.outlet or "~", s.sighting_key, s.outlet))
        # The same text seen at several outlets: its first publication speaks for it, whatever arrived first
        for doc_id in batch:
            if seen[doc_id]:
                when, _, _, outlet = min(seen[doc_id])
                docs[doc_id] = {"outlet": outlet, "published_at": None if when == "~" else when}
        for c in conn.execute(select(claims.c.document_id, claims.c.record).where(claims.c.document_id.in_(batch))):
            for ordinal in c.record.get("about_events") or ():
                about[(c.document_id, ordinal)].append(_claim_ref(c.record, c.document_id, docs.get(c.document_id)))
    out = []
    for r in rows:
        doc = docs[r["document_id"]]
        first = min(seen[r["document_id"]], default=None)
        # Independence: the agency a dateline credits, else the outlet that published the text first
        # (the same text elsewhere is not a new source); near-duplicates are grouped per incident
        origin = credits.get(r["document_id"]) or ((first[3] or first[2]) if first else f"document:{r['document_id']}")
        refs = tuple(about.get((r["document_id"], r["ordinal"]), ()))
        level, submitted_by = access[r["document_id"]]
        out.append(
            replace(
                _mention(r, doc, origin, refs),
                sketch=sketches.get(r["document_id"], ()),
                sensitivity=level,
                submitted_by=submitted_by,
            )
        )
    return out


def _mention(row: dict[str, Any], doc: dict[str, Any], origin: str, claim_refs: tuple[ClaimRef, ...]) -> Mention:
    e = row["record"]
    loc = e.get("location") or {}
    date = e.get("date") or {}
    claimant = e.get("claimant") or {}
    evidence = e["evidence"]
    loc_quote = (loc.get("evidence") or {}).get("quote")
    return Mention(
        key=f"{row['document_id']}:{row['ordinal']}",
        document_id=row["document_id"],
        ordinal=row["ordinal"],
        origin=origin,
        outlet=doc["outlet"],
        published_at=doc["published_at"],
        event_type=e["event_type"],
        sub_event_type=e["sub_event_type"],
        place_key=row["place_key"],  # stored with the event (repository.record_rows)
        place_name=loc.get("name") or loc_quote,
        geonames_id=loc.get("geonames_id"),
        country_code=loc.get("country_code"),
        admin1=loc.get("admin1"),
        lat=loc.get("lat"),
        lon=loc.get("lon"),
        precision=loc.get("precision"),
        date_start=date.get("start"),
        date_end=date.get("end"),
        date_precision=date.get("precision"),
        actors=tuple((a["role"], a["name"]) for a in e.get("actors") or ()),
        fatalities=e.get("fatalities"),
        figures=tuple(Figure(q["kind"], q["value"], q.get("low"), q.get("high")) for q in e.get("quantities") or ()),
        stance=e["stance"],
        claimant=claimant.get("name"),
        claimant_kind=claimant.get("kind"),
        verb=claimant.get("verb"),
        quote=evidence["quote"],
        start=evidence["start"],
        end=evidence["end"],
        confidence=e.get("confidence"),
        claims=claim_refs,
    )


def _claim_ref(record: dict[str, Any], document_id: str, doc: dict[str, Any] | None) -> ClaimRef:
    claimant = record["claimant"]
    evidence = record["evidence"]
    published = (doc or {}).get("published_at")
    return ClaimRef(
        side="disputing" if record["stance"] in DISPUTING_STANCES else "supporting",
        claimant=claimant["name"],
        claimant_kind=claimant.get("kind"),
        stance=record["stance"],
        verb=claimant.get("verb"),
        outlet=(doc or {}).get("outlet"),
        document_id=document_id,
        start=evidence["start"],
        end=evidence["end"],
        quote=evidence["quote"],
        date=published[:10] if published else None,
    )


def _incident_row(inc: Incident, status: str, stamp: str, levels: list[int]) -> dict[str, Any]:
    return {
        "id": inc.id,
        "event_type": inc.event_type,
        "sub_event_type": inc.sub_event_type,
        "place_key": inc.place_key,
        "location_name": inc.location_name,
        "geonames_id": inc.geonames_id,
        "country_code": inc.country_code,
        "admin1": inc.admin1,
        "lat": inc.lat,
        "lon": inc.lon,
        "precision": inc.precision,
        "date_start": inc.date_start,
        "date_end": inc.date_end,
        "date_span": _span(inc.date_start, inc.date_end),
        "date_sort": inc.date_start or "-",
        "deaths_low": inc.deaths.low if inc.deaths else None,
        "deaths_best": inc.deaths.best if inc.deaths else None,
        "deaths_high": inc.deaths.high if inc.deaths else None,
        "sources": inc.sources,
        "mentions": len(inc.members),
        "status": status,
        "pinned": inc.pinned,
        "record": inc.to_dict(),
        "fused_at": stamp,
        "sensitivity": max(levels),
        "min_sensitivity": min(levels),
        "priority": priority(inc),
    }


def _span(start: str | None, end: str | None) -> int | None:
    if not start:
        return None
    return (date.fromisoformat(end or start) - date.fromisoformat(start)).days
