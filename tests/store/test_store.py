"""The store on SQLite and PostgreSQL: schema, idempotent ingest, updates, errors that change nothing.

Tests taking the ``store`` or ``store_url`` fixture (tests/conftest.py) run
on both engines; the others are about SQLite files or about no engine at all.
"""

from __future__ import annotations

import contextlib
import sqlite3
from pathlib import Path
from typing import Any

import pytest
from alembic.config import Config
from alembic.script import ScriptDirectory
from sqlalchemy import inspect

from sitrep.errors import StoreError
from sitrep.ingest import document_from_text
from sitrep.store import Store, canonical_url, database_url, open_store
from sitrep.store.repository import MIGRATIONS
from sitrep.store.schema import metadata

REPORT = "Russian forces shelled Kupiansk in the Kharkiv region on Tuesday, killing two civilians, the governor said."


def _sqlite_store(tmp_path: Path) -> Store:
    store = open_store(database_url(str(tmp_path / "record.sqlite3"), str(tmp_path)))
    store.upgrade()
    return store


def _head_revision() -> str | None:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    return ScriptDirectory.from_config(config).get_current_head()


def test_migrated_schema_matches_metadata(store: Store) -> None:
    inspector = inspect(store.engine)
    for table in metadata.sorted_tables:
        migrated = {c["name"] for c in inspector.get_columns(table.name)}
        assert migrated == {c.name for c in table.columns}, table.name


def test_upgrade_is_idempotent_and_reports_revision(store_url: str) -> None:
    store = open_store(store_url)
    try:
        assert store.revision() is None
        assert store.upgrade() == (None, _head_revision())
        before, after = store.upgrade()
        assert before == after == store.revision() == _head_revision()
    finally:
        store.close()


@pytest.mark.model
def test_same_text_twice_is_stored_once(store: Store, extractor: Any) -> None:
    doc = document_from_text(REPORT, published_at="2024-03-13")
    first = store.add(extractor.extract(doc))
    second = store.add(extractor.extract(doc))
    assert (first.outcome, second.outcome) == ("new", "unchanged")
    assert first.events >= 1
    counts = store.counts()
    assert counts["documents"] == 1 and counts["events"] == first.events
    assert store.integrity_problems() == []


@pytest.mark.model
def test_new_text_at_same_url_is_an_update_and_keeps_the_old(store: Store, extractor: Any) -> None:
    old = document_from_text(REPORT, published_at="2024-03-13", url="https://www.example.org/a?utm_source=x")
    new = document_from_text(
        REPORT.replace("two civilians", "three civilians"), published_at="2024-03-13", url="https://example.org/a/"
    )
    assert store.add(extractor.extract(old)).outcome == "new"
    stored = store.add(extractor.extract(new))
    assert stored.outcome == "updated" and stored.superseded == old.id
    assert sorted(store.document_ids()) == sorted([old.id, new.id])


def test_empty_store_counts_nothing_and_is_sound(store: Store) -> None:
    assert set(store.counts().values()) == {0}
    assert store.document_ids() == []
    assert store.integrity_problems() == []


@pytest.mark.model
def test_orphan_rows_are_reported(store: Store, extractor: Any) -> None:
    """integrity_problems() finds rows whose document is gone (here removed behind the foreign keys' back)."""
    stored = store.add(extractor.extract(document_from_text(REPORT, published_at="2024-03-13")))
    assert stored.events >= 1 and store.integrity_problems() == []
    if store.dialect == "sqlite":
        # A plain sqlite3 connection: foreign keys are off unless a connection turns them on
        with contextlib.closing(sqlite3.connect(str(store.engine.url.database))) as raw, raw:
            raw.execute("DELETE FROM documents")
    else:
        with store.engine.begin() as conn:
            # The test database's owner may drop constraints; disabling FK triggers needs a superuser
            for table in ("places", "events", "claims"):
                for fk in inspect(conn).get_foreign_keys(table):
                    conn.exec_driver_sql(f'ALTER TABLE {table} DROP CONSTRAINT "{fk["name"]}"')
            conn.exec_driver_sql("DELETE FROM documents")
    assert f"{stored.events} orphan rows in events" in store.integrity_problems()


def test_canonical_url_drops_tracking_and_fragment() -> None:
    assert canonical_url("HTTP://WWW.Example.org/path/?utm_medium=a&b=2#top") == "https://example.org/path?b=2"
    assert canonical_url(None) is None


def test_corrupt_file_is_a_coded_error_and_left_alone(tmp_path: Path) -> None:
    path = tmp_path / "bad.sqlite3"
    path.write_bytes(b"this is not a database at all" * 100)
    before = path.read_bytes()
    with pytest.raises(StoreError) as caught:
        open_store(database_url(str(path), str(tmp_path)))
    assert caught.value.code == "store.corrupt"
    assert path.read_bytes() == before


def test_newer_schema_is_refused(tmp_path: Path) -> None:
    store = _sqlite_store(tmp_path)
    store.close()
    with sqlite3.connect(tmp_path / "record.sqlite3") as conn:
        conn.execute("UPDATE alembic_version SET version_num = '9999'")
    store = open_store(database_url(str(tmp_path / "record.sqlite3"), str(tmp_path)))
    for action in (store.check_schema, store.upgrade):
        with pytest.raises(StoreError) as caught:
            action()
        assert caught.value.code == "store.schema_newer"
    store.close()


def test_unsupported_url_and_unreachable_server() -> None:
    with pytest.raises(StoreError) as caught:
        database_url("mysql://x/y", "/tmp")
    assert caught.value.code == "store.bad_url"
    with pytest.raises(StoreError) as caught:
        open_store("postgresql+psycopg://nobody@127.0.0.1:1/none?connect_timeout=2")
    assert caught.value.code == "store.unreachable"


def test_sqlite_uses_wal_and_foreign_keys(tmp_path: Path) -> None:
    store = _sqlite_store(tmp_path)
    with store.engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
    store.close()
