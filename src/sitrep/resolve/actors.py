"""Actor names to canonical actors, from a curated, documented table.

The table (``resolve/data/actors.yaml``, docs/actors.md) names the parties of
the Russia-Ukraine war and its neighbours with their kind and aliases. A user
file (setting ``actors_file``) adds actors or replaces one of the same name.
Metonymy: ``speaker_aliases`` ("Moscow", "Kyiv") denote a government only
where the text makes them speak or act; elsewhere they stay places.

Stage id: ``resolve.actors.table.v1``.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import yaml

from sitrep.errors import ConfigError
from sitrep.model.events import ACTOR_KINDS

STAGE_ID = "resolve.actors.table.v1"
BUILT_IN_TABLE = Path(__file__).parent / "data" / "actors.yaml"


@dataclass(frozen=True)
class Actor:
    name: str
    kind: str
    country: str | None
    aliases: tuple[str, ...]
    speaker_aliases: tuple[str, ...] = ()


@dataclass(frozen=True)
class ActorMention:
    actor: Actor
    text: str
    start: int
    end: int
    speaker_only: bool  # a metonymic name: an actor only as a speaker or agent


class ActorTable:
    """Canonical actors and a matcher over their aliases."""

    def __init__(self, actors: list[Actor]) -> None:
        by_name: dict[str, Actor] = {}
        for actor in actors:
            by_name[actor.name] = actor  # later entries replace earlier ones
        self.actors = tuple(by_name.values())
        self._pattern, self._lookup = _compile(self.actors)

    @classmethod
    def load(cls, extra: Path | None = None) -> ActorTable:
        text = BUILT_IN_TABLE.read_text(encoding="utf-8")
        actors = _parse(yaml.safe_load(text), source="built-in actor table")
        if extra is not None:
            try:
                user = yaml.safe_load(extra.read_text(encoding="utf-8"))
            except (OSError, yaml.YAMLError) as exc:
                raise ConfigError(f"{extra}: cannot read the actor table: {exc}", code="config.actors_file") from exc
            actors.extend(_parse(user, source=str(extra)))
        return cls(actors)

    def by_name(self, name: str) -> Actor | None:
        return next((a for a in self.actors if a.name == name), None)

    def find(self, text: str) -> Iterator[ActorMention]:
        """Every alias occurrence in ``text``, longest first, left to right, not overlapping."""
        for m in self._pattern.finditer(text):
            key = m.group(0)
            hit = self._lookup.get(key) or self._lookup.get(key.casefold())
            if hit is None:
                continue
            actor, speaker_only = hit
            yield ActorMention(actor, key, m.start(), m.end(), speaker_only)


def _parse(data: object, *, source: str) -> list[Actor]:
    if not isinstance(data, list):
        raise ConfigError(f"{source}: the actor table must be a YAML list", code="config.actors_file")
    actors: list[Actor] = []
    for number, row in enumerate(data, start=1):
        if not isinstance(row, dict) or not row.get("name") or not row.get("kind"):
            raise ConfigError(f"{source}: entry {number} needs a name and a kind", code="config.actors_file")
        if row["kind"] not in ACTOR_KINDS:
            raise ConfigError(
                f"{source}: entry {number} ({row['name']}): kind {row['kind']!r} is not one of {', '.join(ACTOR_KINDS)}",
                code="config.actors_file",
            )
        actors.append(
            Actor(
                name=str(row["name"]),
                kind=str(row["kind"]),
                country=row.get("country"),
                aliases=tuple(str(a) for a in row.get("aliases") or ()),
                speaker_aliases=tuple(str(a) for a in row.get("speaker_aliases") or ()),
            )
        )
    return actors


def _case_sensitive(alias: str) -> bool:
    """Short capitalised aliases ("UN", "U.N.") must match as written, not "un" in a word."""
    return len(alias.replace(".", "")) <= 3 and alias.replace(".", "").isupper()


def _compile(actors: tuple[Actor, ...]) -> tuple[re.Pattern[str], dict[str, tuple[Actor, bool]]]:
    lookup: dict[str, tuple[Actor, bool]] = {}
    sensitive: list[str] = []
    insensitive: list[str] = []
    for actor in actors:
        for alias, speaker_only in [(a, False) for a in actor.aliases] + [(a, True) for a in actor.speaker_aliases]:
            if _case_sensitive(alias) or speaker_only:
                lookup[alias] = (actor, speaker_only)
                sensitive.append(alias)
            else:
                lookup[alias.casefold()] = (actor, speaker_only)
                insensitive.append(alias)
    parts = [re.escape(a) for a in sorted(sensitive, key=len, reverse=True)]
    parts += ["(?i:" + re.escape(a) + ")" for a in sorted(insensitive, key=len, reverse=True)]
    parts.sort(key=len, reverse=True)
    pattern = re.compile(r"(?<![\w-])(?:" + "|".join(parts) + r")(?![\w-])")
    return pattern, lookup
