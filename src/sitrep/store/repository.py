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
from sqlalchemy import Connection, Engine, Table, create_engine, event, func, select
from sqlalchemy.exc import DatabaseError, SQLAlchemyError

from sitrep.errors import StoreError
from sitrep.model import Extraction
from sitrep.model.access import LEVELS, Caller, rank
from sitrep.model.fieldreports import FieldReport
from sitrep.model.incidents import ControlState, Incident
from sitrep.resolve.fusion import place_key
from sitrep.resolve.sources import text_sketch, wire_credit
from sitrep.store import fieldreports, queries, review, users
from sitrep.store.incidents import CLOSURE_LIMIT, SideOf, now, refuse, refuse_all, regroup
from sitrep.store.queries import IncidentQuery
from sitrep.store.schema import (
    claims,
    documents,
    events,
    incident_history,
    incident_members,
    incidents,
    places,
    sightings,
)
from sitrep.store.users import audit

MIGRATIONS = Path(__file__).parent / "migrations"
TRACKING_PARAMS = ("utm_", "fbclid", "gclid", "mc_cid", "mc_eid")

Outcome = Literal["new", "updated", "unchanged", "duplicate"]
PG_WRITE_LOCK = 0x5175_7265_7000  # pg_advisory_xact_lock key: one writer fuses at a time


@dataclass(frozen=True)
class Stored:
    """What ingesting one document did."""

    document_id: str
    outcome: Outcome
    events: int
    claims: int
    superseded: str | None = None  # the earlier version of the same report, kept
    sighting: bool = False  # the same text seen at a new outlet or address: recorded, not a new source
    bounded: bool = False  # fusion hit its neighbourhood limit (see store.incidents.refuse): run 'sitrep db fuse'


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

    def __init__(self, engine: Engine, *, side_of: SideOf | None = None) -> None:
        self.engine = engine
        self.dialect = engine.dialect.name
        self._side_of = side_of
        self.closure_limit: int | None = CLOSURE_LIMIT  # see store.incidents.refuse

    def side_of(self, actor: str) -> str | None:
        """The country (ISO code) an actor belongs to, from the actor table."""
        if self._side_of is None:
            from sitrep.resolve.actors import ActorTable

            table = ActorTable.load()
            self._side_of = lambda name: getattr(table.by_name(name), "country", None)
        return self._side_of(actor)

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
        with self._write() as conn:
            config = _alembic_config()
            config.attributes["connection"] = conn
            command.upgrade(config, "head")
            if before is not None and before < "0003":  # fused before fusion existed or without priorities
                refuse_all(conn, side_of=self.side_of)
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

    def add(
        self,
        extraction: Extraction,
        *,
        sensitivity: str = "public",
        submitted_by: str | None = None,
        field_report: FieldReport | None = None,
        actor: Caller | str = "system",
    ) -> Stored:
        """Store one document's extraction and re-fuse its incidents, in one transaction.

        The same text again changes nothing but records where it was seen (a
        sighting: a republished wire story is kept, and stays one source). With
        ``field_report``, the submission is stored once by its uuid: delivered again,
        nothing changes (outcome ``duplicate``). A document's sensitivity only rises:
        the same text sent in at a higher level raises it, never lowers it.
        """
        doc = extraction.document
        canonical = canonical_url(doc.url)
        if sensitivity not in LEVELS:
            raise StoreError(f"sensitivity {sensitivity!r} is not one of {', '.join(LEVELS)}", code="store.bad_level")
        with self._write() as conn:
            if field_report is not None:
                if (earlier_report := fieldreports.document_of(conn, field_report.uuid)) is not None:
                    return Stored(earlier_report, "duplicate", 0, 0)
            row = conn.execute(select(documents.c.id, documents.c.sensitivity).where(documents.c.id == doc.id)).first()
            if row is not None:
                raised = rank(sensitivity) > rank(row.sensitivity)
                if raised:
                    conn.execute(documents.update().where(documents.c.id == doc.id).values(sensitivity=sensitivity))
                    audit(conn, actor, "document.sensitivity", "document", doc.id,
                          before={"sensitivity": row.sensitivity}, after={"sensitivity": sensitivity})  # fmt: skip
                if field_report is not None:
                    fieldreports.insert(conn, field_report, doc.id, submitted_by=submitted_by)
                    audit(
                        conn,
                        actor,
                        "field_report.add",
                        "field_report",
                        field_report.uuid,
                        after={"document_id": doc.id},
                    )
                if not _add_sighting(conn, doc, canonical) and not raised and field_report is None:
                    return Stored(doc.id, "unchanged", 0, 0)
                fused = refuse(conn, _event_ids(conn, doc.id), side_of=self.side_of, limit=self.closure_limit)
                return Stored(doc.id, "unchanged", 0, 0, sighting=True, bounded=fused.bounded)
            earlier = None
            if canonical is not None:
                earlier = conn.execute(
                    select(documents.c.id).where(
                        documents.c.canonical_url == canonical, documents.c.superseded_by.is_(None)
                    )
                ).scalar()
            values = _document_row(extraction, canonical) | {"sensitivity": sensitivity, "submitted_by": submitted_by}
            if field_report is not None:
                values["author"] = None  # a field report's author is personal data: kept in personal_data only
            conn.execute(documents.insert().values(**values))
            _add_sighting(conn, doc, canonical)
            if earlier is not None:  # an updated version of the report: the old one stays, marked
                conn.execute(documents.update().where(documents.c.id == earlier).values(superseded_by=doc.id))
            _insert_records(conn, extraction)
            if field_report is not None:
                fieldreports.insert(conn, field_report, doc.id, submitted_by=submitted_by)
                audit(conn, actor, "field_report.add", "field_report", field_report.uuid, after={"document_id": doc.id})
            audit(conn, actor, "document.add", "document", doc.id,
                  after={"sensitivity": sensitivity, "events": len(extraction.events), "supersedes": earlier})  # fmt: skip
            seeds = _event_ids(conn, doc.id) + (_event_ids(conn, earlier) if earlier else [])
            bounded = bool(seeds) and refuse(conn, seeds, side_of=self.side_of, limit=self.closure_limit).bounded
        outcome: Outcome = "updated" if earlier else "new"
        return Stored(doc.id, outcome, len(extraction.events), len(extraction.claims), earlier, bounded=bounded)

    def refuse_all(self) -> int:
        """Fuse every stored mention afresh; returns the number of incidents."""
        with self._write() as conn:
            return refuse_all(conn, side_of=self.side_of)

    # review, users, personal data ----------------------------------------------------------

    def review(self, incident_id: str, status: str, reason: str | None, *, caller: Caller) -> Incident:
        """Set an incident's status with a reason (pinning its membership); audited."""
        with self._write() as conn:
            return review.set_status(conn, incident_id, status, reason, caller=caller, side_of=self.side_of)

    def correct(self, incident_id: str, field: str, value: Any, reason: str | None, *, caller: Caller) -> Incident:
        """Correct one canonical field (the machine's value is kept); audited."""
        with self._write() as conn:
            return review.correct(conn, incident_id, field, value, reason, caller=caller, side_of=self.side_of)

    def add_user(self, name: str, role: str, clearance: str | None = None, *, by: Caller | str) -> Caller:
        with self._write() as conn:
            return users.add_user(conn, name, role, clearance, by=by)

    def remove_user(self, name: str, *, by: Caller | str) -> None:
        with self._write() as conn:
            users.remove_user(conn, name, by=by)

    def issue_token(self, name: str, *, label: str | None = None, by: Caller | str) -> str:
        with self._write() as conn:
            return users.issue_token(conn, name, label=label, by=by)

    def field_report_document(self, uuid: str) -> str | None:
        """The document a stored submission became; None when its uuid is new."""
        with self._connect() as conn:
            return fieldreports.document_of(conn, uuid)

    def purge_personal_data(self, *, older_than_days: int, caller: Caller | str) -> list[str]:
        """Remove field reports' personal data received more than ``older_than_days`` ago; audited."""
        with self._write() as conn:
            purged = fieldreports.purge(conn, older_than_days=older_than_days)
            if purged:
                users.audit(conn, caller, "personal_data.purge", "field_report", None,
                            after={"reports": purged, "older_than_days": older_than_days})  # fmt: skip
        return purged

    def audit_personal_reads(self, caller: Caller, uuids: list[str]) -> None:
        """One audit row per field report whose personal data ``caller`` is about to be shown."""
        if uuids:
            with self._write() as conn:
                for uuid in uuids:
                    users.audit(conn, caller, "personal_data.read", "field_report", uuid)

    @contextmanager
    def connect(self) -> Iterator[Connection]:
        """A read connection (store/views.py and store/users.py take one)."""
        with self._connect() as conn:
            yield conn

    def split(
        self,
        incident_id: str,
        keys: list[str],
        *,
        analyst: str | None = None,
        note: str | None = None,
        caller: Caller | None = None,
    ) -> list[str]:
        """Take the mentions ``keys`` out of an incident into one of their own; both stay pinned. Returns both ids."""
        with self._write() as conn:
            before = queries.get_incident(conn, incident_id)
            members = [m.key for m in before.members]
            unknown = sorted(set(keys) - set(members))
            if unknown:
                raise StoreError(
                    f"{', '.join(unknown)} not in incident {incident_id}; its mentions are {', '.join(members)}",
                    code="store.bad_regroup",
                )
            rest = [k for k in members if k not in set(keys)]
            if not keys or not rest:
                raise StoreError(
                    "a split needs some of the incident's mentions, not none or all", code="store.bad_regroup"
                )
            after = regroup(conn, [sorted(set(keys)), rest], analyst=analyst, side_of=self.side_of)
            detail = {"before": {incident_id: members}, "after": self._members(conn, after)}
            self._log(conn, [incident_id, *after], "split", analyst, note, detail)
            actor = caller or f"cli:{analyst}" if analyst else caller or "cli"
            users.audit(conn, actor, "incident.split", "incident", incident_id,
                        before=detail["before"], after=detail["after"], reason=note)  # fmt: skip
        return after

    def merge(
        self,
        incident_ids: list[str],
        *,
        analyst: str | None = None,
        note: str | None = None,
        caller: Caller | None = None,
    ) -> str:
        """Make one incident of several; it stays pinned together. Returns its id."""
        if len(set(incident_ids)) < 2:
            raise StoreError("a merge needs at least two different incidents", code="store.bad_regroup")
        with self._write() as conn:
            before = {i: [m.key for m in queries.get_incident(conn, i).members] for i in dict.fromkeys(incident_ids)}
            keys = sorted(k for members in before.values() for k in members)
            after = regroup(conn, [keys], analyst=analyst, side_of=self.side_of)
            detail = {"before": before, "after": self._members(conn, after)}
            self._log(conn, [*before, *after], "merge", analyst, note, detail)
            actor = caller or f"cli:{analyst}" if analyst else caller or "cli"
            users.audit(conn, actor, "incident.merge", "incident", after[0],
                        before=detail["before"], after=detail["after"], reason=note)  # fmt: skip
        return after[0]

    @staticmethod
    def _members(conn: Connection, incident_ids: list[str]) -> dict[str, list[str]]:
        return {i: [m.key for m in queries.get_incident(conn, i).members] for i in incident_ids}

    @staticmethod
    def _log(
        conn: Connection, ids: list[str], action: str, analyst: str | None, note: str | None, detail: dict[str, Any]
    ) -> None:
        stamp = now()
        conn.execute(
            incident_history.insert(),
            [
                {"incident_id": i, "action": action, "analyst": analyst, "note": note, "at": stamp, "detail": detail}
                for i in dict.fromkeys(ids)
            ],
        )

    # reading --------------------------------------------------------------------------------

    def counts(self) -> dict[str, int]:
        with self._connect() as conn:
            return {
                t.name: int(conn.execute(select(func.count()).select_from(t)).scalar_one())
                for t in (documents, sightings, places, events, claims, incidents)
            }

    def document_ids(self) -> list[str]:
        with self._connect() as conn:
            return list(conn.execute(select(documents.c.id).order_by(documents.c.id)).scalars())

    def incidents(self, query: IncidentQuery | None = None) -> list[Incident]:
        with self._connect() as conn:
            return queries.find_incidents(conn, query or IncidentQuery())

    def incident(self, incident_id: str) -> Incident:
        """One incident by id (or by the key of one of its mentions); ``store.unknown_incident`` if none."""
        with self._connect() as conn:
            if ":" in incident_id:
                incident_id = queries.incident_of_event(conn, incident_id) or incident_id
            return queries.get_incident(conn, incident_id)

    def history(self, incident_id: str) -> list[dict[str, Any]]:
        with self._connect() as conn:
            return queries.history(conn, incident_id)

    def sightings(self, document_ids: list[str]) -> dict[str, list[dict[str, Any]]]:
        with self._connect() as conn:
            return queries.sightings_of(conn, document_ids)

    def control(self, settlement: str) -> list[ControlState]:
        with self._connect() as conn:
            return queries.control_history(conn, settlement)

    def control_on(self, day: str, *, region: str | None = None) -> list[ControlState]:
        with self._connect() as conn:
            return queries.control_on(conn, region=region, day=day)

    def integrity_problems(self) -> list[str]:
        """Rows whose document is missing, and (SQLite) what ``PRAGMA integrity_check`` reports."""
        problems: list[str] = []
        with self._connect() as conn:
            for table in (sightings, places, events, claims):
                orphans = conn.execute(
                    select(func.count()).select_from(table).where(~table.c.document_id.in_(select(documents.c.id)))
                ).scalar_one()
                if orphans:
                    problems.append(f"{orphans} orphan rows in {table.name}")
            loose = conn.execute(
                select(func.count())
                .select_from(incident_members)
                .where(~incident_members.c.incident_id.in_(select(incidents.c.id)))
            ).scalar_one()
            if loose:
                problems.append(f"{loose} incident members without their incident")
            empty = conn.execute(
                select(func.count())
                .select_from(incidents)
                .where(~incidents.c.id.in_(select(incident_members.c.incident_id)))
            ).scalar_one()
            if empty:
                problems.append(f"{empty} incidents without members")
            unfused = conn.execute(
                select(func.count())
                .select_from(events.join(documents, documents.c.id == events.c.document_id))
                .where(documents.c.superseded_by.is_(None), ~events.c.id.in_(select(incident_members.c.event_id)))
            ).scalar_one()
            if unfused:
                problems.append(f"{unfused} events of current documents in no incident")
            if self.dialect == "sqlite":
                result = [row[0] for row in conn.exec_driver_sql("PRAGMA integrity_check")]
                if result != ["ok"]:
                    problems.extend(result)
        return problems

    @contextmanager
    def _write(self) -> Iterator[Connection]:
        """A write transaction: SQLite takes the write lock at BEGIN, PostgreSQL an advisory lock."""
        with self._connect() as conn:
            conn.execution_options(sitrep_write=True)
            with conn.begin():
                if self.dialect == "postgresql":
                    conn.execute(select(func.pg_advisory_xact_lock(PG_WRITE_LOCK)))
                yield conn

    @contextmanager
    def _connect(self) -> Iterator[Connection]:
        try:
            with self.engine.connect() as conn:
                yield conn
        except DatabaseError as exc:  # OperationalError included
            raise _store_error(exc, self.engine) from exc


def open_store(url: str, *, create: bool = True, side_of: SideOf | None = None) -> Store:
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
        event.listen(engine, "begin", _sqlite_begin)
    store = Store(engine, side_of=side_of)
    store.revision()  # fail now, with a clear code, on a corrupt file or an unreachable server
    return store


def _sqlite_pragmas(dbapi_connection: sqlite3.Connection, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=10000")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()
    # sitrep issues BEGIN itself (_sqlite_begin): the driver's own implicit transactions are off
    dbapi_connection.isolation_level = None


def _sqlite_begin(conn: Connection) -> None:
    """BEGIN IMMEDIATE for writes, so two writers queue on the busy timeout instead of deadlocking."""
    conn.exec_driver_sql("BEGIN IMMEDIATE" if conn.get_execution_options().get("sitrep_write") else "BEGIN")


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
        "wire_credit": wire_credit(doc.text),
        "sketch": text_sketch(doc.text),
    }


def _insert_records(conn: Connection, extraction: Extraction) -> None:
    for table, rows in record_rows(extraction).items():
        if rows:
            conn.execute(table.insert(), rows)


def record_rows(extraction: Extraction) -> dict[Table, list[dict[str, Any]]]:
    """The rows of one document's places, events and claims, by table."""
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
        record = e.to_dict()
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
                "place_key": place_key(record["location"]),
                "record": record,
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
    return {places: place_rows, events: event_rows, claims: claim_rows}


def _add_sighting(conn: Connection, doc: Any, canonical: str | None) -> bool:
    """Record where this text was seen; False when that place was already known."""
    key = canonical or (f"outlet:{doc.outlet}" if doc.outlet else f"input:{doc.source_id or doc.source_path or doc.id}")
    exists = conn.execute(
        select(sightings.c.id).where(sightings.c.document_id == doc.id, sightings.c.sighting_key == key)
    ).first()
    if exists is not None:
        return False
    conn.execute(
        sightings.insert().values(
            document_id=doc.id,
            sighting_key=key,
            outlet=doc.outlet,
            url=doc.url,
            published_at=doc.published_at,
            source_id=doc.source_id,
            seen_at=now(),
        )
    )
    return True


def _event_ids(conn: Connection, document_id: str) -> list[int]:
    return list(conn.execute(select(events.c.id).where(events.c.document_id == document_id)).scalars())
