"""A field report: an observer's own note, sent from a data-collection tool (KoboToolbox-style)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal, get_args

PersonalKind = Literal["author", "witness", "informant", "contact"]
PERSONAL_KINDS: tuple[str, ...] = get_args(PersonalKind)


@dataclass(frozen=True)
class FieldReport:
    """One submission. ``personal`` (names, contacts) and ``lat``/``lon`` (where it was made) are personal data,
    stored apart from the text and shown only to those cleared for them (model/access.py)."""

    uuid: str  # the tool's submission id: the same submission delivered again is stored once
    text: str
    title: str | None
    form_id: str | None
    submitted_at: str | None  # ISO date-time, as the tool stamped it
    sensitivity: str  # public | restricted | confidential
    lat: float | None
    lon: float | None
    personal: tuple[tuple[str, str], ...]  # (kind, value)
    ignored: tuple[str, ...] = ()  # fields of the submission sitrep does not know, not stored
