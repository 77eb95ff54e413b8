"""Users, their API tokens (kept only as SHA-256 hashes) and the audit log."""

from __future__ import annotations

import hashlib
import re
import secrets
from typing import Any, cast

from sqlalchemy import Connection, delete, select

from sitrep.errors import StoreError
from sitrep.model.access import ALLOWED_CLEARANCE, DEFAULT_CLEARANCE, ROLES, Caller, Level, Role
from sitrep.store.incidents import now
from sitrep.store.schema import api_tokens, audit_log, users

USER_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.@-]{0,63}$")
TOKEN_PREFIX = "srp_"


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def audit(
    conn: Connection,
    actor: Caller | str,
    action: str,
    object_type: str,
    object_id: str | None,
    *,
    before: Any = None,
    after: Any = None,
    reason: str | None = None,
) -> None:
    """One audit row: who, when, what, before and after."""
    conn.execute(
        audit_log.insert().values(
            at=now(),
            actor=actor.name if isinstance(actor, Caller) else actor,
            action=action,
            object_type=object_type,
            object_id=object_id,
            before=before,
            after=after,
            reason=reason,
        )
    )


def add_user(conn: Connection, name: str, role: str, clearance: str | None, *, by: Caller | str) -> Caller:
    if not USER_NAME.match(name) or name == "anonymous" or name.startswith("cli:"):
        raise StoreError(
            f"{name!r} is not a valid user name (letters, digits, _ . @ -; up to 64)", code="store.bad_user"
        )
    if role not in ROLES:
        raise StoreError(f"role {role!r} is not one of {', '.join(ROLES)}", code="store.bad_user")
    level = cast(Level, clearance or DEFAULT_CLEARANCE[role])
    if level not in ALLOWED_CLEARANCE[role]:
        raise StoreError(
            f"a {role} may have clearance {', '.join(ALLOWED_CLEARANCE[role])}, not {level!r}",
            code="store.bad_user",
        )
    if conn.execute(select(users.c.name).where(users.c.name == name)).first() is not None:
        raise StoreError(f"user {name!r} exists already", code="store.bad_user")
    conn.execute(users.insert().values(name=name, role=role, clearance=level, created_at=now()))
    audit(conn, by, "user.add", "user", name, after={"role": role, "clearance": level})
    return Caller(name, role, level)


def remove_user(conn: Connection, name: str, *, by: Caller | str) -> None:
    row = conn.execute(select(users).where(users.c.name == name)).first()
    if row is None:
        raise StoreError(f"no user {name!r}", code="store.unknown_user")
    conn.execute(delete(api_tokens).where(api_tokens.c.user_name == name))
    conn.execute(delete(users).where(users.c.name == name))
    audit(conn, by, "user.remove", "user", name, before={"role": row.role, "clearance": row.clearance})


def issue_token(conn: Connection, name: str, *, label: str | None, by: Caller | str) -> str:
    """A new token for ``name``; the only time it is seen in clear."""
    if conn.execute(select(users.c.name).where(users.c.name == name)).first() is None:
        raise StoreError(f"no user {name!r}", code="store.unknown_user")
    token = TOKEN_PREFIX + secrets.token_urlsafe(32)
    conn.execute(
        api_tokens.insert().values(user_name=name, token_hash=hash_token(token), label=label, created_at=now())
    )
    audit(conn, by, "token.issue", "user", name, after={"label": label})
    return token


def list_users(conn: Connection) -> list[dict[str, Any]]:
    tokens: dict[str, int] = {}
    for user_name in conn.execute(select(api_tokens.c.user_name)).scalars():
        tokens[user_name] = tokens.get(user_name, 0) + 1
    return [
        {
            "name": r.name,
            "role": r.role,
            "clearance": r.clearance,
            "created_at": r.created_at,
            "tokens": tokens.get(r.name, 0),
        }
        for r in conn.execute(select(users).order_by(users.c.name))
    ]


def caller_for_token(conn: Connection, token: str) -> Caller | None:
    row = conn.execute(
        select(users.c.name, users.c.role, users.c.clearance)
        .select_from(api_tokens.join(users, users.c.name == api_tokens.c.user_name))
        .where(api_tokens.c.token_hash == hash_token(token))
    ).first()
    if row is None:
        return None
    role: Role = row.role
    return Caller(row.name, role, row.clearance)


def audit_rows(
    conn: Connection,
    *,
    object_type: str | None = None,
    object_id: str | None = None,
    after_id: int = 0,
    limit: int = 100,
) -> list[dict[str, Any]]:
    stmt = select(audit_log).where(audit_log.c.id > after_id).order_by(audit_log.c.id).limit(limit)
    if object_type:
        stmt = stmt.where(audit_log.c.object_type == object_type)
    if object_id:
        stmt = stmt.where(audit_log.c.object_id == object_id)
    return [dict(r._mapping) for r in conn.execute(stmt)]
