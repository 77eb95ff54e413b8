"""The ``watch_items`` table: what ``sitrep watch`` has seen in each source, and when it was stored.

An item is recorded ``pending`` (committed) before its document is made, so that
a watcher that stops half-way leaves a trace the next one picks up; then
``stored`` with its latency, or ``failed`` with the error and one more attempt.
The state lives only here, so a new watcher goes on where the last one stopped.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Literal

from sqlalchemy import select

from sitrep.store.schema import watch_items

if TYPE_CHECKING:
    from sitrep.store.repository import Store

WatchStatus = Literal["pending", "stored", "failed"]


@dataclass(frozen=True)
class WatchItem:
    """One row of ``watch_items``."""

    source: str
    item_id: str
    link: str | None
    discovered_at: str
    stored_at: str | None
    latency_s: float | None
    document_id: str | None
    status: WatchStatus
    attempts: int
    error: str | None


def timestamp(seconds: float) -> str:
    """A clock reading (seconds since the epoch) as ISO 8601 UTC with microseconds."""
    return datetime.fromtimestamp(seconds, UTC).isoformat(timespec="microseconds")


def seconds(value: str) -> float:
    """The inverse of :func:`timestamp`."""
    return datetime.fromisoformat(value).timestamp()


def watch_items_of(store: Store, source: str | None = None) -> dict[tuple[str, str], WatchItem]:
    """Every row (of one source, if given), keyed by (source, item_id)."""
    query = select(watch_items).order_by(watch_items.c.id)
    if source is not None:
        query = query.where(watch_items.c.source == source)
    with store.connect() as conn:
        rows = conn.execute(query).mappings().all()
    return {(row["source"], row["item_id"]): WatchItem(**{k: v for k, v in row.items() if k != "id"}) for row in rows}


def mark_pending(store: Store, source: str, item_id: str, *, link: str | None, discovered_at: float) -> None:
    """Record a newly seen item (or one being retried) as pending; a retried item keeps its discovery time."""
    with store._write() as conn:
        exists = conn.execute(
            select(watch_items.c.id).where(watch_items.c.source == source, watch_items.c.item_id == item_id)
        ).scalar()
        if exists is None:
            conn.execute(
                watch_items.insert().values(
                    source=source,
                    item_id=item_id,
                    link=link,
                    discovered_at=timestamp(discovered_at),
                    status="pending",
                    attempts=0,
                )
            )
        else:
            conn.execute(watch_items.update().where(watch_items.c.id == exists).values(status="pending"))


def mark_stored(store: Store, source: str, item_id: str, *, stored_at: float, document_id: str | None) -> float:
    """Record the item as stored; returns its latency in seconds (stored_at - discovered_at)."""
    where = (watch_items.c.source == source) & (watch_items.c.item_id == item_id)
    with store._write() as conn:
        discovered = conn.execute(select(watch_items.c.discovered_at).where(where)).scalar_one()
        latency = max(0.0, stored_at - seconds(discovered))
        conn.execute(
            watch_items.update()
            .where(where)
            .values(
                status="stored",
                stored_at=timestamp(stored_at),
                latency_s=latency,
                document_id=document_id,
                error=None,
            )
        )
    return latency


def mark_failed(store: Store, source: str, item_id: str, *, error: str) -> int:
    """Record a failed attempt; returns the number of attempts so far."""
    where = (watch_items.c.source == source) & (watch_items.c.item_id == item_id)
    with store._write() as conn:
        attempts = int(conn.execute(select(watch_items.c.attempts).where(where)).scalar_one()) + 1
        conn.execute(watch_items.update().where(where).values(status="failed", attempts=attempts, error=error))
    return attempts
