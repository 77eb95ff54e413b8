"""The record's tables (SQLAlchemy Core), the same on SQLite and PostgreSQL.

Alembic migrations in ``migrations/versions`` create them; a test compares
this metadata with the migrated schema on both engines, so the two cannot
drift. Each extracted record keeps its full JSON (``record``) beside the
columns that queries filter on.
"""

from __future__ import annotations

from sqlalchemy import (
    JSON,
    Boolean,
    Column,
    Float,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
)

metadata = MetaData()

documents = Table(
    "documents",
    metadata,
    Column("id", String(64), primary_key=True),  # the content hash of the canonical text
    Column("canonical_url", Text, nullable=True, index=True),
    Column("url", Text, nullable=True),
    Column("outlet", Text, nullable=True),
    Column("title", Text, nullable=True),
    Column("author", Text, nullable=True),
    Column("published_at", String(40), nullable=True),
    Column("language", String(16), nullable=True),
    Column("content_type", String(8), nullable=False),
    Column("text", Text, nullable=False),
    Column("text_sha256", String(64), nullable=False, index=True),
    Column("removed", JSON, nullable=False),
    Column("source_id", Text, nullable=True),
    Column("source_path", Text, nullable=True),
    Column("extractor", JSON, nullable=False),
    Column("ingested_at", String(40), nullable=False),
    # An updated version of the same report (same canonical URL, new text) supersedes this one
    Column("superseded_by", String(64), ForeignKey("documents.id", ondelete="SET NULL"), nullable=True),
    # Schema 0002, for counting independent sources (resolve/sources.py): the agency a dateline
    # credits, and a sketch of the text's word 5-grams to find near-duplicate republications
    Column("wire_credit", Text, nullable=True),
    Column("sketch", JSON, nullable=True),
    # Schema 0003: who may see it (model/access.py levels) and who sent it in (a user name), if anyone
    Column("sensitivity", String(16), nullable=False, server_default="public"),
    Column("submitted_by", Text, nullable=True, index=True),
)
Index("ix_documents_ingested", documents.c.ingested_at, documents.c.id)  # schema 0003: "changes since" paging


def _gazetteer_columns() -> tuple[Column, ...]:
    """Where a place is, as the gazetteer says: on places, events, incidents and control states."""
    return (
        Column("geonames_id", Integer, nullable=True),
        Column("country_code", String(2), nullable=True),
        Column("admin1", Text, nullable=True),
        Column("lat", Float, nullable=True),
        Column("lon", Float, nullable=True),
    )


def _owned(name: str, *columns: Column) -> Table:
    """A table of records extracted from one document, numbered within it, each with its full JSON."""
    return Table(
        name,
        metadata,
        Column("id", Integer, primary_key=True, autoincrement=True),
        Column("document_id", String(64), ForeignKey("documents.id", ondelete="CASCADE"), nullable=False),
        Column("ordinal", Integer, nullable=False),
        *columns,
        Column("record", JSON, nullable=False),
        UniqueConstraint("document_id", "ordinal", name=f"uq_{name}_document_ordinal"),
    )


places = _owned(
    "places",
    Column("start", Integer, nullable=False),
    Column("end", Integer, nullable=False),
    Column("text", Text, nullable=False),
    Column("status", String(16), nullable=False),
    Column("name", Text, nullable=True),
    *_gazetteer_columns(),
)

events = _owned(
    "events",
    Column("event_type", Text, nullable=False),
    Column("sub_event_type", Text, nullable=False),
    Column("location_name", Text, nullable=True),
    *_gazetteer_columns(),
    Column("precision", String(16), nullable=True),
    Column("date_start", String(10), nullable=True),
    Column("date_end", String(10), nullable=True),
    Column("fatalities", Integer, nullable=True),
    Column("stance", String(16), nullable=False),
    Column("claimant", Text, nullable=True),
    Column("confidence", Float, nullable=True),
    Column("place_key", Text, nullable=True),  # schema 0002: what fusion compares places by (resolve/fusion.py)
)
Index("ix_events_type_date", events.c.sub_event_type, events.c.date_start)
Index("ix_events_place_key", events.c.event_type, events.c.place_key, events.c.date_start)
Index("ix_events_region", events.c.event_type, events.c.country_code, events.c.admin1, events.c.date_start)

claims = _owned(
    "claims",
    Column("kind", String(32), nullable=False),
    Column("stance", String(16), nullable=False),
    Column("claimant", Text, nullable=True),
)

# Schema 0002: where each document was seen, incidents, analysts' pins and history, control.

sightings = Table(
    "sightings",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("document_id", String(64), ForeignKey("documents.id", ondelete="CASCADE"), nullable=False, index=True),
    # The canonical URL, else "outlet:<name>", else "input:<source id or path>": one row per place seen
    Column("sighting_key", Text, nullable=False),
    Column("outlet", Text, nullable=True),
    Column("url", Text, nullable=True),
    Column("published_at", String(40), nullable=True),
    Column("source_id", Text, nullable=True),
    Column("seen_at", String(40), nullable=False),
    UniqueConstraint("document_id", "sighting_key", name="uq_sightings_document_key"),
)

incidents = Table(
    "incidents",
    metadata,
    Column("id", String(16), primary_key=True),
    Column("event_type", Text, nullable=False),
    Column("sub_event_type", Text, nullable=False),
    Column("place_key", Text, nullable=True, index=True),
    Column("location_name", Text, nullable=True),
    *_gazetteer_columns(),
    Column("precision", String(16), nullable=True),
    Column("date_start", String(10), nullable=True),
    Column("date_end", String(10), nullable=True),
    Column("date_span", Integer, nullable=True),  # days from date_start to date_end, for date-range queries
    Column("deaths_low", Integer, nullable=True),
    Column("deaths_best", Integer, nullable=True),
    Column("deaths_high", Integer, nullable=True),
    Column("sources", Integer, nullable=False),
    Column("mentions", Integer, nullable=False),
    Column("status", String(16), nullable=False),
    Column("pinned", Boolean, nullable=False),
    Column("record", JSON, nullable=False),
    Column("fused_at", String(40), nullable=False),
    # Schema 0003: the most and least sensitive of its sources' documents (0 public, 1 restricted,
    # 2 confidential), and how much it needs a person (10 a source, 25 for casualties, 30 when disputed)
    Column("sensitivity", Integer, nullable=False, server_default="0"),
    Column("min_sensitivity", Integer, nullable=False, server_default="0"),
    Column("priority", Integer, nullable=False, server_default="0"),
    Column("date_sort", String(10), nullable=False, server_default="-"),  # date_start, "-" if undated: sorts last
)
Index("ix_incidents_dates", incidents.c.date_start, incidents.c.date_end)
Index("ix_incidents_lat_lon", incidents.c.lat, incidents.c.lon)
Index("ix_incidents_admin1_date", incidents.c.admin1, incidents.c.date_start)
Index("ix_incidents_type_date", incidents.c.sub_event_type, incidents.c.date_start)
Index("ix_incidents_span", incidents.c.date_span)
# Schema 0003: the review queue's order, and the newest-first order of lists with no date range
Index("ix_incidents_queue", incidents.c.status, incidents.c.priority.desc(), incidents.c.id)
Index("ix_incidents_newest", incidents.c.date_sort.desc(), incidents.c.id)

incident_members = Table(
    "incident_members",
    metadata,
    Column("event_id", Integer, ForeignKey("events.id", ondelete="CASCADE"), primary_key=True),
    Column("incident_id", String(16), ForeignKey("incidents.id", ondelete="CASCADE"), nullable=False, index=True),
    Column("event_key", Text, nullable=False, unique=True),
    Column("reason", Text, nullable=False),
)

# An analyst's split or merge: these mentions stay together, whatever fusion would say
incident_pins = Table(
    "incident_pins",
    metadata,
    Column("event_key", String(100), primary_key=True),
    Column("group_id", String(16), nullable=False, index=True),
    Column("analyst", Text, nullable=True),
    Column("pinned_at", String(40), nullable=False),
)

incident_history = Table(
    "incident_history",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("incident_id", String(16), nullable=False, index=True),
    Column("action", String(16), nullable=False),
    Column("analyst", Text, nullable=True),
    Column("note", Text, nullable=True),
    Column("at", String(40), nullable=False),
    Column("detail", JSON, nullable=False),
)

control_states = Table(
    "control_states",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("place_key", Text, nullable=False, index=True),
    Column("settlement", Text, nullable=False),
    *_gazetteer_columns(),
    Column("controller", Text, nullable=True),
    Column("controller_side", String(2), nullable=True),
    Column("status", String(16), nullable=False),
    Column("valid_from", String(10), nullable=False),
    Column("valid_to", String(10), nullable=True),
    Column("record", JSON, nullable=False),
)
Index("ix_control_states_admin1_from", control_states.c.admin1, control_states.c.valid_from)


# Schema 0003: users and their API tokens, the audit log, analysts' corrections, field reports
# and the personal data they carry (kept apart so it is never joined into an output by accident).

users = Table(
    "users",
    metadata,
    Column("name", String(64), primary_key=True),
    Column("role", String(16), nullable=False),  # viewer | observer | analyst | admin
    Column("clearance", String(16), nullable=False),  # public | restricted | confidential
    Column("created_at", String(40), nullable=False),
)

api_tokens = Table(
    "api_tokens",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("user_name", String(64), ForeignKey("users.name", ondelete="CASCADE"), nullable=False, index=True),
    Column("token_hash", String(64), nullable=False, unique=True),  # sha256 of the token; the token is not kept
    Column("label", Text, nullable=True),
    Column("created_at", String(40), nullable=False),
)

audit_log = Table(
    "audit_log",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("at", String(40), nullable=False),
    Column("actor", Text, nullable=False),  # a user name, "cli:<login>", "anonymous" or "system"
    Column("action", String(32), nullable=False),
    Column("object_type", String(32), nullable=False),
    Column("object_id", Text, nullable=True),
    Column("before", JSON, nullable=True),
    Column("after", JSON, nullable=True),
    Column("reason", Text, nullable=True),
)
Index("ix_audit_log_object", audit_log.c.object_type, audit_log.c.object_id)

incident_corrections = Table(
    "incident_corrections",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("incident_id", String(16), nullable=False, index=True),
    Column("field", String(32), nullable=False),
    Column("machine", JSON, nullable=True),  # the machine's value when corrected
    Column("value", JSON, nullable=True),
    Column("analyst", Text, nullable=False),
    Column("reason", Text, nullable=False),
    Column("at", String(40), nullable=False),
)

field_reports = Table(
    "field_reports",
    metadata,
    Column("uuid", String(64), primary_key=True),  # the data-collection tool's submission id
    Column("document_id", String(64), ForeignKey("documents.id", ondelete="CASCADE"), nullable=False, index=True),
    Column("form_id", Text, nullable=True),
    Column("submitted_by", Text, nullable=True, index=True),  # the sitrep user who sent it
    Column("submitted_at", String(40), nullable=True),
    Column("received_at", String(40), nullable=False),
    Column("lat", Float, nullable=True),  # where the report was made: personal data
    Column("lon", Float, nullable=True),
    Column("purged_at", String(40), nullable=True),  # personal data removed by the retention setting
)

personal_data = Table(
    "personal_data",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("report_uuid", String(64), ForeignKey("field_reports.uuid", ondelete="CASCADE"), nullable=False, index=True),
    Column("kind", String(16), nullable=False),  # author | witness | informant | contact
    Column("value", Text, nullable=False),
)

watch_items = Table(
    "watch_items",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("source", Text, nullable=False),  # the feed URL or folder that `sitrep watch` polls
    Column("item_id", Text, nullable=False),  # a feed item's guid/id/link, or a file's "path:sha256"
    Column("link", Text, nullable=True),
    Column("discovered_at", String(40), nullable=False),
    Column("stored_at", String(40), nullable=True),
    Column("latency_s", Float, nullable=True),  # stored_at - discovered_at, seconds
    Column("document_id", String(64), nullable=True),  # no foreign key: the row stays if the document goes
    Column("status", String(16), nullable=False),  # pending | stored | failed
    Column("attempts", Integer, nullable=False),
    Column("error", Text, nullable=True),  # "code: message" of the last failure
    UniqueConstraint("source", "item_id", name="uq_watch_items_source_item"),
)
