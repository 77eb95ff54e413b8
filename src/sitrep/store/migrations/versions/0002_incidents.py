"""Sightings, incidents, analysts' pins and history, territorial control; source independence.

Existing documents get one sighting each (their own outlet and URL); the
store fuses their events into incidents right after this migration
(``Store.upgrade``), since fusion is Python, not SQL.

Revision ID: 0002
Revises: 0001
"""

from __future__ import annotations

from datetime import UTC, datetime

import sqlalchemy as sa
from alembic import op

from sitrep.resolve.fusion import place_key
from sitrep.resolve.sources import text_sketch, wire_credit

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("documents") as batch:
        batch.add_column(sa.Column("wire_credit", sa.Text, nullable=True))
        batch.add_column(sa.Column("sketch", sa.JSON, nullable=True))
    with op.batch_alter_table("events") as batch:
        batch.add_column(sa.Column("place_key", sa.Text, nullable=True))
    op.create_index("ix_events_place_key", "events", ["event_type", "place_key", "date_start"])
    op.create_index("ix_events_region", "events", ["event_type", "country_code", "admin1", "date_start"])
    op.create_table(
        "sightings",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("document_id", sa.String(64), sa.ForeignKey("documents.id", ondelete="CASCADE"), nullable=False),
        sa.Column("sighting_key", sa.Text, nullable=False),
        sa.Column("outlet", sa.Text, nullable=True),
        sa.Column("url", sa.Text, nullable=True),
        sa.Column("published_at", sa.String(40), nullable=True),
        sa.Column("source_id", sa.Text, nullable=True),
        sa.Column("seen_at", sa.String(40), nullable=False),
        sa.UniqueConstraint("document_id", "sighting_key", name="uq_sightings_document_key"),
    )
    op.create_index("ix_sightings_document_id", "sightings", ["document_id"])
    op.create_table(
        "incidents",
        sa.Column("id", sa.String(16), primary_key=True),
        sa.Column("event_type", sa.Text, nullable=False),
        sa.Column("sub_event_type", sa.Text, nullable=False),
        sa.Column("place_key", sa.Text, nullable=True),
        sa.Column("location_name", sa.Text, nullable=True),
        sa.Column("geonames_id", sa.Integer, nullable=True),
        sa.Column("country_code", sa.String(2), nullable=True),
        sa.Column("admin1", sa.Text, nullable=True),
        sa.Column("lat", sa.Float, nullable=True),
        sa.Column("lon", sa.Float, nullable=True),
        sa.Column("precision", sa.String(16), nullable=True),
        sa.Column("date_start", sa.String(10), nullable=True),
        sa.Column("date_end", sa.String(10), nullable=True),
        sa.Column("date_span", sa.Integer, nullable=True),
        sa.Column("deaths_low", sa.Integer, nullable=True),
        sa.Column("deaths_best", sa.Integer, nullable=True),
        sa.Column("deaths_high", sa.Integer, nullable=True),
        sa.Column("sources", sa.Integer, nullable=False),
        sa.Column("mentions", sa.Integer, nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("pinned", sa.Boolean, nullable=False),
        sa.Column("record", sa.JSON, nullable=False),
        sa.Column("fused_at", sa.String(40), nullable=False),
    )
    op.create_index("ix_incidents_place_key", "incidents", ["place_key"])
    op.create_index("ix_incidents_dates", "incidents", ["date_start", "date_end"])
    op.create_index("ix_incidents_lat_lon", "incidents", ["lat", "lon"])
    op.create_index("ix_incidents_admin1_date", "incidents", ["admin1", "date_start"])
    op.create_index("ix_incidents_type_date", "incidents", ["sub_event_type", "date_start"])
    op.create_index("ix_incidents_span", "incidents", ["date_span"])
    op.create_table(
        "incident_members",
        sa.Column("event_id", sa.Integer, sa.ForeignKey("events.id", ondelete="CASCADE"), primary_key=True),
        sa.Column("incident_id", sa.String(16), sa.ForeignKey("incidents.id", ondelete="CASCADE"), nullable=False),
        sa.Column("event_key", sa.Text, nullable=False, unique=True),
        sa.Column("reason", sa.Text, nullable=False),
    )
    op.create_index("ix_incident_members_incident_id", "incident_members", ["incident_id"])
    op.create_table(
        "incident_pins",
        sa.Column("event_key", sa.String(100), primary_key=True),
        sa.Column("group_id", sa.String(16), nullable=False),
        sa.Column("analyst", sa.Text, nullable=True),
        sa.Column("pinned_at", sa.String(40), nullable=False),
    )
    op.create_index("ix_incident_pins_group_id", "incident_pins", ["group_id"])
    op.create_table(
        "incident_history",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("incident_id", sa.String(16), nullable=False),
        sa.Column("action", sa.String(16), nullable=False),
        sa.Column("analyst", sa.Text, nullable=True),
        sa.Column("note", sa.Text, nullable=True),
        sa.Column("at", sa.String(40), nullable=False),
        sa.Column("detail", sa.JSON, nullable=False),
    )
    op.create_index("ix_incident_history_incident_id", "incident_history", ["incident_id"])
    op.create_table(
        "control_states",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("place_key", sa.Text, nullable=False),
        sa.Column("settlement", sa.Text, nullable=False),
        sa.Column("geonames_id", sa.Integer, nullable=True),
        sa.Column("country_code", sa.String(2), nullable=True),
        sa.Column("admin1", sa.Text, nullable=True),
        sa.Column("lat", sa.Float, nullable=True),
        sa.Column("lon", sa.Float, nullable=True),
        sa.Column("controller", sa.Text, nullable=True),
        sa.Column("controller_side", sa.String(2), nullable=True),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("valid_from", sa.String(10), nullable=False),
        sa.Column("valid_to", sa.String(10), nullable=True),
        sa.Column("record", sa.JSON, nullable=False),
    )
    op.create_index("ix_control_states_place_key", "control_states", ["place_key"])
    op.create_index("ix_control_states_admin1_from", "control_states", ["admin1", "valid_from"])

    # What independence needs of the stored documents: wire credits and text sketches
    conn = op.get_bind()
    docs = sa.table("documents", sa.column("id", sa.String), sa.column("text", sa.Text),
                    sa.column("wire_credit", sa.Text), sa.column("sketch", sa.JSON))  # fmt: skip
    evs = sa.table("events", sa.column("id", sa.Integer), sa.column("record", sa.JSON), sa.column("place_key", sa.Text))
    for ident, record in conn.execute(sa.select(evs.c.id, evs.c.record)).all():
        conn.execute(evs.update().where(evs.c.id == ident).values(place_key=place_key(record.get("location"))))
    for ident, text in conn.execute(sa.select(docs.c.id, docs.c.text)).all():
        conn.execute(
            docs.update().where(docs.c.id == ident).values(wire_credit=wire_credit(text), sketch=text_sketch(text))
        )

    # Every stored document was seen once, at its own outlet and URL
    now = datetime.now(UTC).isoformat(timespec="seconds")
    op.execute(
        sa.text(
            "INSERT INTO sightings (document_id, sighting_key, outlet, url, published_at, source_id, seen_at) "
            "SELECT id, COALESCE(canonical_url, 'outlet:' || outlet, 'input:' || COALESCE(source_id, source_path, id)), "
            "outlet, url, published_at, source_id, :now FROM documents"
        ).bindparams(now=now)
    )


def downgrade() -> None:
    for table in ("control_states", "incident_history", "incident_pins", "incident_members", "incidents", "sightings"):
        op.drop_table(table)
    op.drop_index("ix_events_region", "events")
    op.drop_index("ix_events_place_key", "events")
    with op.batch_alter_table("events") as batch:
        batch.drop_column("place_key")
    with op.batch_alter_table("documents") as batch:
        batch.drop_column("sketch")
        batch.drop_column("wire_credit")
