"""Who may see and do what: roles, clearance levels and the caller of a request.

Levels (the sensitivity of a document or field report, the clearance of a user)
are ordered ``public < restricted < confidential``. A caller sees a record whose
level is at or below their clearance; a restricted record reaches public-level
outputs only inside incidents, redacted (no text, no names, rounded
coordinates); a confidential one is withheld below confidential. Personal data
(the names of witnesses, informants and authors of field reports, and where a
report was made) is shown only at confidential clearance, or to the observer
who submitted the report. docs/data-protection.md has the whole table.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal, get_args

Level = Literal["public", "restricted", "confidential"]
Role = Literal["viewer", "observer", "analyst", "admin"]
Permission = Literal[
    "read",  # incidents, events, documents, claims, places, control, exports (within clearance)
    "read_unverified",  # incidents not (yet) verified, and the review queue
    "submit_report",  # field reports (the observer's form, the webhook)
    "ingest",  # reports by POST: text, HTML or a URL
    "review",  # status, corrections, split, merge
    "manage",  # users, tokens, settings, the audit log, retention
]

LEVELS: tuple[Level, ...] = get_args(Level)
ROLES: tuple[Role, ...] = get_args(Role)
PERMISSIONS: tuple[Permission, ...] = get_args(Permission)

GRANTS: dict[Role, frozenset[Permission]] = {
    "viewer": frozenset({"read"}),
    "observer": frozenset({"read", "submit_report"}),
    "analyst": frozenset({"read", "read_unverified", "submit_report", "ingest", "review"}),
    "admin": frozenset(PERMISSIONS),
}
# The clearance each role gets by default, and the ones it may be given
DEFAULT_CLEARANCE: dict[Role, Level] = {
    "viewer": "public",
    "observer": "public",
    "analyst": "restricted",
    "admin": "confidential",
}
ALLOWED_CLEARANCE: dict[Role, tuple[Level, ...]] = {
    "viewer": ("public",),
    "observer": ("public",),
    "analyst": ("restricted", "confidential"),
    "admin": ("confidential",),
}


def rank(level: str) -> int:
    """0 for public, 1 restricted, 2 confidential."""
    return LEVELS.index(level)


@dataclass(frozen=True)
class Caller:
    """Whoever asks: a user of the API, anonymous public access, or the local command line."""

    name: str  # the user name; "anonymous"; "cli:<login>" for the command line
    role: Role | None  # None: anonymous, read-only public access
    clearance: Level

    @property
    def level(self) -> int:
        return rank(self.clearance)

    def can(self, permission: Permission) -> bool:
        if self.role is None:
            return permission == "read"
        return permission in GRANTS[self.role]

    @property
    def verified_only(self) -> bool:
        """Viewers, observers and anonymous callers see verified incidents only."""
        return not self.can("read_unverified")

    @property
    def sees_personal_data(self) -> bool:
        return self.clearance == "confidential"

    def owns(self, submitted_by: str | None) -> bool:
        return submitted_by is not None and self.role is not None and submitted_by == self.name


ANONYMOUS = Caller("anonymous", None, "public")


def local_operator(login: str, *, clearance: Level = "confidential") -> Caller:
    """The command line: whoever holds the database file, with the clearance asked for (``--level``)."""
    return Caller(f"cli:{login}", "admin", clearance)


__all__ = [
    "ALLOWED_CLEARANCE",
    "ANONYMOUS",
    "DEFAULT_CLEARANCE",
    "GRANTS",
    "LEVELS",
    "PERMISSIONS",
    "ROLES",
    "Caller",
    "Level",
    "Permission",
    "Role",
    "local_operator",
    "rank",
]
