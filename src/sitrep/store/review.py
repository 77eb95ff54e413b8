"""Analysts' review: an incident's status with a reason, corrections of its fields, the review queue.

Reviewing or correcting an incident first pins its membership (as a split or a
merge does), so that its id, status and corrections survive later fusion: new
reports that fit it still join it. Every change is an audit row.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Connection, update

from sitrep.errors import StoreError
from sitrep.model.access import Caller
from sitrep.model.incidents import INCIDENT_STATUSES, Incident
from sitrep.store import queries
from sitrep.store.corrections import check_correction, machine_value
from sitrep.store.incidents import SideOf, event_ids_for_keys, now, refuse, regroup
from sitrep.store.schema import incident_corrections, incident_history, incidents
from sitrep.store.users import audit

MAX_REASON = 2000


def check_reason(reason: str | None) -> str:
    if reason is None or not reason.strip():
        raise StoreError("a review needs a reason", code="store.bad_review")
    if len(reason) > MAX_REASON:
        raise StoreError(f"the reason is over {MAX_REASON} characters", code="store.bad_review")
    return reason.strip()


def pin(conn: Connection, incident_id: str, *, caller: Caller, side_of: SideOf) -> Incident:
    """The incident with its membership pinned (a stable id); unchanged when it already is."""
    inc = queries.get_incident(conn, incident_id)
    if inc.pinned:
        return inc
    (pinned_id,) = regroup(conn, [sorted(m.key for m in inc.members)], analyst=caller.name, side_of=side_of)
    if pinned_id != incident_id:
        conn.execute(update(incidents).where(incidents.c.id == pinned_id).values(status=inc.status))
    return queries.get_incident(conn, pinned_id)


def set_status(
    conn: Connection, incident_id: str, status: str, reason: str | None, *, caller: Caller, side_of: SideOf
) -> Incident:
    if status not in INCIDENT_STATUSES:
        raise StoreError(f"status {status!r} is not one of {', '.join(INCIDENT_STATUSES)}", code="store.bad_review")
    reason = check_reason(reason)
    inc = pin(conn, incident_id, caller=caller, side_of=side_of)
    conn.execute(update(incidents).where(incidents.c.id == inc.id).values(status=status))
    before = {"id": incident_id, "status": inc.status}
    after = {"id": inc.id, "status": status}
    audit(conn, caller, "incident.review", "incident", inc.id, before=before, after=after, reason=reason)
    _history(
        conn, {incident_id, inc.id}, "review", caller, reason, {"before": before, "after": after, "incident": inc.id}
    )
    return queries.get_incident(conn, inc.id)


def correct(
    conn: Connection, incident_id: str, field: str, value: Any, reason: str | None, *, caller: Caller, side_of: SideOf
) -> Incident:
    value = check_correction(field, value)
    reason = check_reason(reason)
    inc = pin(conn, incident_id, caller=caller, side_of=side_of)
    before = next((c.value for c in inc.corrections if c.field == field), machine_value(inc, field))
    conn.execute(
        incident_corrections.insert().values(
            incident_id=inc.id,
            field=field,
            machine=machine_value_before_corrections(inc, field),
            value=value,
            analyst=caller.name,
            reason=reason,
            at=now(),
        )
    )
    refuse(conn, event_ids_for_keys(conn, [m.key for m in inc.members]), side_of=side_of)
    after = queries.get_incident(conn, inc.id)
    audit(
        conn,
        caller,
        "incident.correct",
        "incident",
        inc.id,
        before={field: before},
        after={field: value},
        reason=reason,
    )
    _history(
        conn,
        {incident_id, inc.id},
        "correct",
        caller,
        reason,
        {"field": field, "before": before, "after": value, "incident": inc.id},
    )
    return after


def machine_value_before_corrections(inc: Incident, field: str) -> Any:
    earlier = next((c for c in inc.corrections if c.field == field), None)
    return earlier.machine if earlier else machine_value(inc, field)


def _history(conn: Connection, ids: set[str], action: str, caller: Caller, note: str, detail: dict[str, Any]) -> None:
    stamp = now()
    conn.execute(
        incident_history.insert(),
        [
            {"incident_id": i, "action": action, "analyst": caller.name, "note": note, "at": stamp, "detail": detail}
            for i in sorted(ids)
        ],
    )
