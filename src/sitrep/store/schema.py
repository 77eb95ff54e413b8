"""The record's tables (SQLAlchemy Core), the same on SQLite and PostgreSQL.

Alembic migrations in ``migrations/versions`` create them; a test compares
this metadata with the migrated schema on both engines, so the two cannot
drift. Each extracted record keeps its full JSON (``record``) beside the
columns that queries filter on.
"""

from __future__ import annotations

from sqlalchemy import (
    JSON,
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
    Column("geonames_id", Integer, nullable=True),
    Column("country_code", String(2), nullable=True),
    Column("admin1", Text, nullable=True),
    Column("lat", Float, nullable=True),
    Column("lon", Float, nullable=True),
)

events = _owned(
    "events",
    Column("event_type", Text, nullable=False),
    Column("sub_event_type", Text, nullable=False),
    Column("location_name", Text, nullable=True),
    Column("geonames_id", Integer, nullable=True),
    Column("country_code", String(2), nullable=True),
    Column("admin1", Text, nullable=True),
    Column("lat", Float, nullable=True),
    Column("lon", Float, nullable=True),
    Column("precision", String(16), nullable=True),
    Column("date_start", String(10), nullable=True),
    Column("date_end", String(10), nullable=True),
    Column("fatalities", Integer, nullable=True),
    Column("stance", String(16), nullable=False),
    Column("claimant", Text, nullable=True),
    Column("confidence", Float, nullable=True),
)
Index("ix_events_type_date", events.c.sub_event_type, events.c.date_start)

claims = _owned(
    "claims",
    Column("kind", String(32), nullable=False),
    Column("stance", String(16), nullable=False),
    Column("claimant", Text, nullable=True),
)
