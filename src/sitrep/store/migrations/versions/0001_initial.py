"""The first record schema: documents, their places, events and claims.

Revision ID: 0001
Revises:
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def _owned(name: str, *columns: sa.Column) -> None:
    """A table of records extracted from one document, numbered within it."""
    op.create_table(
        name,
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("document_id", sa.String(64), sa.ForeignKey("documents.id", ondelete="CASCADE"), nullable=False),
        sa.Column("ordinal", sa.Integer, nullable=False),
        *columns,
        sa.Column("record", sa.JSON, nullable=False),
        sa.UniqueConstraint("document_id", "ordinal", name=f"uq_{name}_document_ordinal"),
    )


def upgrade() -> None:
    op.create_table(
        "documents",
        sa.Column("id", sa.String(64), primary_key=True),
        sa.Column("canonical_url", sa.Text, nullable=True),
        sa.Column("url", sa.Text, nullable=True),
        sa.Column("outlet", sa.Text, nullable=True),
        sa.Column("title", sa.Text, nullable=True),
        sa.Column("author", sa.Text, nullable=True),
        sa.Column("published_at", sa.String(40), nullable=True),
        sa.Column("language", sa.String(16), nullable=True),
        sa.Column("content_type", sa.String(8), nullable=False),
        sa.Column("text", sa.Text, nullable=False),
        sa.Column("text_sha256", sa.String(64), nullable=False),
        sa.Column("removed", sa.JSON, nullable=False),
        sa.Column("source_id", sa.Text, nullable=True),
        sa.Column("source_path", sa.Text, nullable=True),
        sa.Column("extractor", sa.JSON, nullable=False),
        sa.Column("ingested_at", sa.String(40), nullable=False),
        sa.Column("superseded_by", sa.String(64), sa.ForeignKey("documents.id", ondelete="SET NULL"), nullable=True),
    )
    op.create_index("ix_documents_canonical_url", "documents", ["canonical_url"])
    op.create_index("ix_documents_text_sha256", "documents", ["text_sha256"])
    _owned(
        "places",
        sa.Column("start", sa.Integer, nullable=False),
        sa.Column("end", sa.Integer, nullable=False),
        sa.Column("text", sa.Text, nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("name", sa.Text, nullable=True),
        sa.Column("geonames_id", sa.Integer, nullable=True),
        sa.Column("country_code", sa.String(2), nullable=True),
        sa.Column("admin1", sa.Text, nullable=True),
        sa.Column("lat", sa.Float, nullable=True),
        sa.Column("lon", sa.Float, nullable=True),
    )
    _owned(
        "events",
        sa.Column("event_type", sa.Text, nullable=False),
        sa.Column("sub_event_type", sa.Text, nullable=False),
        sa.Column("location_name", sa.Text, nullable=True),
        sa.Column("geonames_id", sa.Integer, nullable=True),
        sa.Column("country_code", sa.String(2), nullable=True),
        sa.Column("admin1", sa.Text, nullable=True),
        sa.Column("lat", sa.Float, nullable=True),
        sa.Column("lon", sa.Float, nullable=True),
        sa.Column("precision", sa.String(16), nullable=True),
        sa.Column("date_start", sa.String(10), nullable=True),
        sa.Column("date_end", sa.String(10), nullable=True),
        sa.Column("fatalities", sa.Integer, nullable=True),
        sa.Column("stance", sa.String(16), nullable=False),
        sa.Column("claimant", sa.Text, nullable=True),
        sa.Column("confidence", sa.Float, nullable=True),
    )
    op.create_index("ix_events_type_date", "events", ["sub_event_type", "date_start"])
    _owned(
        "claims",
        sa.Column("kind", sa.String(32), nullable=False),
        sa.Column("stance", sa.String(16), nullable=False),
        sa.Column("claimant", sa.Text, nullable=True),
    )


def downgrade() -> None:
    for table in ("claims", "events", "places", "documents"):
        op.drop_table(table)
