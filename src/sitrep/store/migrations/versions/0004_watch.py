"""What ``sitrep watch`` has seen in each feed or folder, and how long each item took to be stored.

No re-fuse: the record itself does not change.

Revision ID: 0004
Revises: 0003
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "watch_items",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("source", sa.Text, nullable=False),
        sa.Column("item_id", sa.Text, nullable=False),
        sa.Column("link", sa.Text, nullable=True),
        sa.Column("discovered_at", sa.String(40), nullable=False),
        sa.Column("stored_at", sa.String(40), nullable=True),
        sa.Column("latency_s", sa.Float, nullable=True),
        sa.Column("document_id", sa.String(64), nullable=True),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("attempts", sa.Integer, nullable=False),
        sa.Column("error", sa.Text, nullable=True),
        sa.UniqueConstraint("source", "item_id", name="uq_watch_items_source_item"),
    )


def downgrade() -> None:
    op.drop_table("watch_items")
