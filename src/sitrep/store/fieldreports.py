"""Field reports in the store: one row per submission, its personal data apart, and the retention purge."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import Connection, delete, select, update

from sitrep.model.fieldreports import FieldReport
from sitrep.store.incidents import now
from sitrep.store.schema import field_reports, personal_data


def document_of(conn: Connection, uuid: str) -> str | None:
    """The document a stored submission became; None when the uuid is new."""
    return conn.execute(select(field_reports.c.document_id).where(field_reports.c.uuid == uuid)).scalar()


def insert(conn: Connection, report: FieldReport, document_id: str, *, submitted_by: str | None) -> None:
    conn.execute(
        field_reports.insert().values(
            uuid=report.uuid,
            document_id=document_id,
            form_id=report.form_id,
            submitted_by=submitted_by,
            submitted_at=report.submitted_at,
            received_at=now(),
            lat=report.lat,
            lon=report.lon,
            purged_at=None,
        )
    )
    if report.personal:
        conn.execute(
            personal_data.insert(), [{"report_uuid": report.uuid, "kind": k, "value": v} for k, v in report.personal]
        )


def purge(conn: Connection, *, older_than_days: int, today: datetime | None = None) -> list[str]:
    """Remove the personal data (names, contacts, where the report was made) of reports received more than
    ``older_than_days`` ago; the report's text and what was extracted from it stay. Returns their uuids."""
    cutoff = ((today or datetime.now(UTC)) - timedelta(days=older_than_days)).isoformat(timespec="seconds")
    uuids = list(
        conn.execute(
            select(field_reports.c.uuid).where(
                field_reports.c.received_at < cutoff, field_reports.c.purged_at.is_(None)
            )
        ).scalars()
    )
    stamp = now()
    for start in range(0, len(uuids), 500):
        batch = uuids[start : start + 500]
        conn.execute(delete(personal_data).where(personal_data.c.report_uuid.in_(batch)))
        conn.execute(
            update(field_reports).where(field_reports.c.uuid.in_(batch)).values(lat=None, lon=None, purged_at=stamp)
        )
    return uuids


def personal_of(conn: Connection, uuids: list[str]) -> dict[str, list[dict[str, Any]]]:
    out: dict[str, list[dict[str, Any]]] = {u: [] for u in uuids}
    for start in range(0, len(uuids), 500):
        rows = conn.execute(
            select(personal_data.c.report_uuid, personal_data.c.kind, personal_data.c.value)
            .where(personal_data.c.report_uuid.in_(uuids[start : start + 500]))
            .order_by(personal_data.c.id)
        )
        for r in rows:
            out[r.report_uuid].append({"kind": r.kind, "value": r.value})
    return out
