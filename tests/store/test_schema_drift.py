"""The migrations build exactly the schema that ``sitrep.store.schema.metadata`` describes, on both engines.

Alembic's autogenerate comparison (the same one ``alembic revision
--autogenerate`` uses) is run against a freshly migrated database: any table,
column, type, nullability, server default, index, unique constraint or foreign
key that the migrations and the metadata disagree on is a difference. A new
table in ``schema.py`` without a migration fails here.
"""

from __future__ import annotations

import pprint
from typing import Any

from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import Column, Index, Integer, MetaData, Table, Text

from sitrep.store import Store
from sitrep.store.schema import metadata


def _differences(store: Store, target: MetaData) -> list[Any]:
    """What autogenerate would write into a new migration to make the database match ``target``."""
    with store.engine.connect() as conn:
        # compare_type is on by default; server defaults are compared too (off by default)
        context = MigrationContext.configure(conn, opts={"compare_type": True, "compare_server_default": True})
        return list(compare_metadata(context, target))


def test_migrated_schema_has_no_drift_from_metadata(store: Store) -> None:
    differences = _differences(store, metadata)
    assert differences == [], (
        f"the migrated {store.dialect} schema differs from sitrep.store.schema.metadata "
        f"(write a migration, or fix schema.py):\n{pprint.pformat(differences)}"
    )


def test_drift_check_sees_a_missing_table_column_and_index(store: Store) -> None:
    """The check above is not vacuous: metadata with more than the migrations made is reported."""
    target = MetaData()
    for table in metadata.sorted_tables:
        table.to_metadata(target)
    target.tables["documents"].append_column(Column("drift_probe", Text, nullable=True))
    Index("ix_drift_probe", target.tables["documents"].c.drift_probe)
    Table("drift_probe", target, Column("id", Integer, primary_key=True))

    found = {(diff[0], _name(diff[-1])) for diff in _differences(store, target)}
    assert found == {
        ("add_column", "drift_probe"),
        ("add_index", "ix_drift_probe"),
        ("add_table", "drift_probe"),
    }, found


def _name(item: Any) -> str:
    return str(getattr(item, "name", item))
