"""The store: open a database, migrate it, and put extractions into it.

SQLite (one file, WAL, foreign keys on) by default; PostgreSQL with a
``postgresql+psycopg://`` URL. One transaction per document: a crash leaves
either the whole document with its places, events and claims, or nothing.
"""

from __future__ import annotations

import hashlib
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Literal
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from alembic.script.revision import ResolutionError
from alembic.util import CommandError
from sqlalchemy import Connection, Engine, create_engine, event, func, select
from sqlalchemy.exc import DatabaseError, SQLAlchemyError

from sitrep.errors import StoreError
from sitrep.model import Extraction
from sitrep.store.schema import claims, documents, events, places

MIGRATIONS = Path(__file__).parent / "migrations"
TRACKING_PARAMS = ("utm_", "fbclid", "gclid", "mc_cid", "mc_eid")

Outcome = Literal["new", "updated", "unchanged"]


@dataclass(frozen=True)
class Stored:
    """What ingesting one document did."""

    document_id: str
    outcome: Outcome
    events: int
    claims: int
    superseded: str | None = None  # the earlier version of the same report, kept


def database_url(db: str | None, data_dir: str) -> str:
    """``--db`` (a path or an SQLAlchemy URL) or the default file in the data directory."""
    if db is None:
        return f"sqlite:///{Path(data_dir) / 'record.sqlite3'}"
    if "://" in db:
        if not db.startswith(("sqlite:///", "postgresql://", "postgresql+psycopg://")):
            raise StoreError(
                f"{db.split('://')[0]}:// is not supported: use a file path, sqlite:/// or postgresql://",
                code="store.bad_url",
            )
        return db.replace("postgresql://", "postgresql+psycopg://", 1)
    return f"sqlite:///{Path(db).expanduser().resolve()}"


def canonical_url(url: str | None) -> str | None:
    """The same report under the same address: lower-case host, no fragment, no tracking parameters."""
    if not url:
        return None
    parts = urlsplit(url.strip())
    if parts.scheme not in ("http", "https") or not parts.netloc:
        return url.strip()
    query = [
        (k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if not k.lower().startswith(TRACKING_PARAMS)
    ]
    path = parts.path.rstrip("/") or "/"
    return urlunsplit(("https", parts.netloc.lower().removeprefix("www."), path, urlencode(sorted(query)), ""))


class Store:
    """A database holding the record. Use :func:`open_store`."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self.dialect = engine.dialect.name

    def close(self) -> None:
        self.engine.dispose()

    # schema ---------------------------------------------------------------------------------

    def revision(self) -> str | None:
        with self._connect() as conn:
            return MigrationContext.configure(conn).get_current_revision()

    def upgrade(self) -> tuple[str | None, str]:
        """Migrate to the newest schema; returns (before, after)."""
        before = self.revision()
        self._check_known(before)
        with self._connect() as conn, conn.begin():
            config = _alembic_config()
            config.attributes["connection"] = conn
            command.upgrade(config, "head")
        return before, _head()

    def check_schema(self) -> None:
        """Refuse to work on a database of another schema version."""
        current = self.revision()
        self._check_known(current)
        if current != _head():
            raise StoreError(
                f"the database is at schema {current or 'none'}, this sitrep needs {_head()}: run 'sitrep db upgrade'",
                code="store.schema_old",
            )

    def _check_known(self, revision: str | None) -> None:
        if revision is None:
            return
        try:
            known = ScriptDirectory.from_config(_alembic_config()).get_revision(revision) is not None
        except (ResolutionError, CommandError, KeyError):
            known = False
        if not known:
            raise StoreError(
                f"the database has schema {revision}, newer than this sitrep knows ({_head()}): upgrade sitrep",
                code="store.schema_newer",
            )

    # writing --------------------------------------------------------------------------------

    def add(self, extraction: Extraction) -> Stored:
        """Store one document's extraction in one transaction; the same text twice changes nothing."""
        doc = extraction.document
        canonical = canonical_url(doc.url)
        with self._connect() as conn, conn.begin():
            if conn.execute(select(documents.c.id).where(documents.c.id == doc.id)).first() is not None:
                return Stored(doc.id, "unchanged", 0, 0)
            earlier = None
            if canonical is not None:
                earlier = conn.execute(
                    select(documents.c.id).where(
                        documents.c.canonical_url == canonical, documents.c.superseded_by.is_(None)
                    )
                ).scalar()
            conn.execute(documents.insert().values(**_document_row(extraction, canonical)))
            if earlier is not None:  # an updated version of the report: the old one stays, marked
                conn.execute(documents.update().where(documents.c.id == earlier).values(superseded_by=doc.id))
            _insert_records(conn, extraction)
        return Stored(doc.id, "updated" if earlier else "new", len(extraction.events), len(extraction.claims), earlier)

    # reading --------------------------------------------------------------------------------

    def counts(self) -> dict[str, int]:
        with self._connect() as conn:
            return {
                t.name: int(conn.execute(select(func.count()).select_from(t)).scalar_one())
                for t in (documents, places, events, claims)
            }

    def document_ids(self) -> list[str]:
        with self._connect() as conn:
            return list(conn.execute(select(documents.c.id).order_by(documents.c.id)).scalars())

    def integrity_problems(self) -> list[str]:
        """Rows whose document is missing, and (SQLite) what ``PRAGMA integrity_check`` reports."""
        problems: list[str] = []
        with self._connect() as conn:
            for table in (places, events, claims):
                orphans = conn.execute(
                    select(func.count()).select_from(table).where(~table.c.document_id.in_(select(documents.c.id)))
                ).scalar_one()
                if orphans:
                    problems.append(f"{orphans} orphan rows in {table.name}")
            if self.dialect == "sqlite":
                result = [row[0] for row in conn.exec_driver_sql("PRAGMA integrity_check")]
                if result != ["ok"]:
                    problems.extend(result)
        return problems

    @contextmanager
    def _connect(self) -> Iterator[Connection]:
        try:
            with self.engine.connect() as conn:
                yield conn
        except DatabaseError as exc:  # OperationalError included
            raise _store_error(exc, self.engine) from exc


def open_store(url: str, *, create: bool = True) -> Store:
    """Open (and for SQLite, create the folder of) the database at ``url``; checks it can be read."""
    if url.startswith("sqlite:///"):
        path = Path(url.removeprefix("sqlite:///"))
        if not create and not path.exists():
            raise StoreError(f"no database at {path}", code="store.not_found")
        path.parent.mkdir(parents=True, exist_ok=True)
    try:
        engine = create_engine(url, future=True, pool_pre_ping=True)
    except (SQLAlchemyError, ImportError, ValueError) as exc:
        raise StoreError(f"cannot use database URL {_safe(url)}: {exc}", code="store.bad_url") from exc
    if engine.dialect.name == "sqlite":
        event.listen(engine, "connect", _sqlite_pragmas)
    store = Store(engine)
    store.revision()  # fail now, with a clear code, on a corrupt file or an unreachable server
    return store


def _sqlite_pragmas(dbapi_connection: sqlite3.Connection, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=10000")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


def _store_error(exc: SQLAlchemyError, engine: Engine) -> StoreError:
    message = (str(getattr(exc, "orig", exc)).strip().splitlines() or [repr(exc)])[0]
    where = _safe(engine.url.render_as_string(hide_password=True))
    if engine.dialect.name == "sqlite":
        if "not a database" in message or "malformed" in message or "corrupt" in message:
            return StoreError(f"{where} is not a readable sitrep database: {message}", code="store.corrupt")
        return StoreError(f"cannot use {where}: {message}", code="store.unavailable")
    return StoreError(f"cannot reach the database at {where}: {message}", code="store.unreachable")


def _safe(url: str) -> str:
    """A URL without its password, for messages."""
    parts = urlsplit(url)
    if parts.password:
        netloc = parts.netloc.replace(f":{parts.password}@", ":***@")
        return urlunsplit((parts.scheme, netloc, parts.path, parts.query, parts.fragment))
    return url


def _alembic_config() -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    return config


def _head() -> str:
    head = ScriptDirectory.from_config(_alembic_config()).get_current_head()
    assert head is not None
    return head


def _document_row(extraction: Extraction, canonical: str | None) -> dict[str, Any]:
    doc = extraction.document
    data = doc.to_dict()
    return {
        "id": doc.id,
        "canonical_url": canonical,
        "url": doc.url,
        "outlet": doc.outlet,
        "title": doc.title,
        "author": doc.author,
        "published_at": doc.published_at,
        "language": doc.language,
        "content_type": doc.content_type,
        "text": doc.text,
        "text_sha256": hashlib.sha256(doc.text.encode("utf-8")).hexdigest(),
        "removed": data["removed"],
        "source_id": doc.source_id,
        "source_path": doc.source_path,
        "extractor": list(extraction.extractor),
        "ingested_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "superseded_by": None,
    }


def _insert_records(conn: Connection, extraction: Extraction) -> None:
    doc_id = extraction.document.id
    place_rows = [
        {
            "document_id": doc_id,
            "ordinal": i,
            "start": p.start,
            "end": p.end,
            "text": p.text,
            "status": p.status,
            "name": p.name,
            "geonames_id": p.geonames_id,
            "country_code": p.country_code,
            "admin1": p.admin1,
            "lat": p.lat,
            "lon": p.lon,
            "record": p.to_dict(),
        }
        for i, p in enumerate(extraction.places)
    ]
    event_rows = []
    for i, e in enumerate(extraction.events):
        loc = e.location
        event_rows.append(
            {
                "document_id": doc_id,
                "ordinal": i,
                "event_type": e.event_type,
                "sub_event_type": e.sub_event_type,
                "location_name": loc.name if loc else None,
                "geonames_id": loc.geonames_id if loc else None,
                "country_code": loc.country_code if loc else None,
                "admin1": loc.admin1 if loc else None,
                "lat": loc.lat if loc else None,
                "lon": loc.lon if loc else None,
                "precision": loc.precision if loc else None,
                "date_start": e.date.start if e.date else None,
                "date_end": e.date.end if e.date else None,
                "fatalities": e.fatalities,
                "stance": e.stance,
                "claimant": e.claimant.name if e.claimant else None,
                "confidence": e.confidence,
                "record": e.to_dict(),
            }
        )
    claim_rows = [
        {
            "document_id": doc_id,
            "ordinal": i,
            "kind": c.kind,
            "stance": c.stance,
            "claimant": c.claimant.name if c.claimant else None,
            "record": c.to_dict(),
        }
        for i, c in enumerate(extraction.claims)
    ]
    for table, rows in ((places, place_rows), (events, event_rows), (claims, claim_rows)):
        if rows:
            conn.execute(table.insert(), rows)
