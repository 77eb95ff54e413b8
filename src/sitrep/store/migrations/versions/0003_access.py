"""Users and API tokens, the audit log, analysts' corrections, field reports and their personal data;
sensitivity on documents and incidents; the review queue's priority.

Existing documents become ``public`` (they came from open sources); existing incidents get their
priority when the store re-fuses them right after this migration (``Store.upgrade``).

Revision ID: 0003
Revises: 0002
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("documents") as batch:
        batch.add_column(sa.Column("sensitivity", sa.String(16), nullable=False, server_default="public"))
        batch.add_column(sa.Column("submitted_by", sa.Text, nullable=True))
    op.create_index("ix_documents_submitted_by", "documents", ["submitted_by"])
    op.create_index("ix_documents_ingested", "documents", ["ingested_at", "id"])
    with op.batch_alter_table("incidents") as batch:
        batch.add_column(sa.Column("sensitivity", sa.Integer, nullable=False, server_default="0"))
        batch.add_column(sa.Column("min_sensitivity", sa.Integer, nullable=False, server_default="0"))
        batch.add_column(sa.Column("priority", sa.Integer, nullable=False, server_default="0"))
        batch.add_column(sa.Column("date_sort", sa.String(10), nullable=False, server_default="-"))
    op.create_index("ix_incidents_queue", "incidents", ["status", sa.text("priority DESC"), "id"])
    op.create_index("ix_incidents_newest", "incidents", [sa.text("date_sort DESC"), "id"])
    op.create_table(
        "users",
        sa.Column("name", sa.String(64), primary_key=True),
        sa.Column("role", sa.String(16), nullable=False),
        sa.Column("clearance", sa.String(16), nullable=False),
        sa.Column("created_at", sa.String(40), nullable=False),
    )
    op.create_table(
        "api_tokens",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("user_name", sa.String(64), sa.ForeignKey("users.name", ondelete="CASCADE"), nullable=False),
        sa.Column("token_hash", sa.String(64), nullable=False, unique=True),
        sa.Column("label", sa.Text, nullable=True),
        sa.Column("created_at", sa.String(40), nullable=False),
    )
    op.create_index("ix_api_tokens_user_name", "api_tokens", ["user_name"])
    op.create_table(
        "audit_log",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("at", sa.String(40), nullable=False),
        sa.Column("actor", sa.Text, nullable=False),
        sa.Column("action", sa.String(32), nullable=False),
        sa.Column("object_type", sa.String(32), nullable=False),
        sa.Column("object_id", sa.Text, nullable=True),
        sa.Column("before", sa.JSON, nullable=True),
        sa.Column("after", sa.JSON, nullable=True),
        sa.Column("reason", sa.Text, nullable=True),
    )
    op.create_index("ix_audit_log_object", "audit_log", ["object_type", "object_id"])
    op.create_table(
        "incident_corrections",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("incident_id", sa.String(16), nullable=False),
        sa.Column("field", sa.String(32), nullable=False),
        sa.Column("machine", sa.JSON, nullable=True),
        sa.Column("value", sa.JSON, nullable=True),
        sa.Column("analyst", sa.Text, nullable=False),
        sa.Column("reason", sa.Text, nullable=False),
        sa.Column("at", sa.String(40), nullable=False),
    )
    op.create_index("ix_incident_corrections_incident_id", "incident_corrections", ["incident_id"])
    op.create_table(
        "field_reports",
        sa.Column("uuid", sa.String(64), primary_key=True),
        sa.Column("document_id", sa.String(64), sa.ForeignKey("documents.id", ondelete="CASCADE"), nullable=False),
        sa.Column("form_id", sa.Text, nullable=True),
        sa.Column("submitted_by", sa.Text, nullable=True),
        sa.Column("submitted_at", sa.String(40), nullable=True),
        sa.Column("received_at", sa.String(40), nullable=False),
        sa.Column("lat", sa.Float, nullable=True),
        sa.Column("lon", sa.Float, nullable=True),
        sa.Column("purged_at", sa.String(40), nullable=True),
    )
    op.create_index("ix_field_reports_document_id", "field_reports", ["document_id"])
    op.create_index("ix_field_reports_submitted_by", "field_reports", ["submitted_by"])
    op.create_table(
        "personal_data",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column(
            "report_uuid", sa.String(64), sa.ForeignKey("field_reports.uuid", ondelete="CASCADE"), nullable=False
        ),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("value", sa.Text, nullable=False),
    )
    op.create_index("ix_personal_data_report_uuid", "personal_data", ["report_uuid"])


def downgrade() -> None:
    for table in ("personal_data", "field_reports", "incident_corrections", "audit_log", "api_tokens", "users"):
        op.drop_table(table)
    op.drop_index("ix_incidents_newest", "incidents")
    op.drop_index("ix_incidents_queue", "incidents")
    op.drop_index("ix_documents_ingested", "documents")
    op.drop_index("ix_documents_submitted_by", "documents")
    with op.batch_alter_table("incidents") as batch:
        for column in ("date_sort", "priority", "min_sensitivity", "sensitivity"):
            batch.drop_column(column)
    with op.batch_alter_table("documents") as batch:
        batch.drop_column("submitted_by")
        batch.drop_column("sensitivity")
