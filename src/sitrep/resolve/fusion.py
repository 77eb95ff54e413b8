"""Incident fusion: event mentions from many documents into one incident per happening.

:class:`IncidentFuser` is pure (no database): the store hands it every mention
that could belong with the ones just ingested and replaces the incidents they
formed. The result depends only on the set of mentions, never on the order
they arrived in:

1. **Precise mentions** (a settlement-level or unresolved-but-named place and a
   day or a few days) are linked when they are the same kind of thing
   (:func:`same_kind`), at the same place, in overlapping time and with
   compatible actors (:func:`link_reason`). Incidents are the connected
   groups of that relation (a union-find keyed by the smallest mention key).
2. **Coarse mentions** (a whole region, or a week or month) join the one
   incident of step 1 they fit ("Kharkiv region, last week" into "Kupiansk,
   Tuesday"); fitting none or several, they are grouped among themselves at
   the same coarse place, so one vague report cannot chain two incidents.
3. **Analysts' pins** (a split or a merge) fix a group's membership; new
   mentions that fit exactly one pinned group join it.

Every member keeps the reason it was linked; every source keeps its own
figures, and figures across sources become low/best/high (UCDP-style: the
lowest, the median, the highest of the independent sources' values).
"""

from __future__ import annotations

import hashlib
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import replace
from statistics import median_low

from sitrep.model.incidents import (
    DISPUTING_STANCES,
    ClaimRef,
    Figure,
    Incident,
    Member,
    Mention,
    Range,
)
from sitrep.resolve.sources import NEAR_DUPLICATE, similarity

# Sub-types that different outlets use for the same happening: a missile strike is
# "shelling" to one and an "air strike" to another.
COMPATIBLE_SUB_TYPES: tuple[frozenset[str], ...] = (
    frozenset({"Shelling/artillery/missile attack", "Air/drone strike"}),
)
PRECISE_DATES = frozenset({"day", "days"})
PRECISION_RANK = {"point": 0, "near": 1, "admin2": 2, "admin1": 3, "country": 4, "region": 5}
LINKED_ROLES = ("actor1", "actor2")


def place_key(location: Mapping[str, object] | None) -> str | None:
    """The key fusion compares places by; None when the event has no place at all.

    Settlements and districts resolved to GeoNames: ``gn:<id>``; a place named
    but not resolved (a village missing from the gazetteer): ``name:<text>``;
    a whole region: ``adm1:<country>:<admin1>``; a country: ``cc:<country>``.
    """
    if not location:
        return None
    precision = location.get("precision")
    geonames_id = location.get("geonames_id")
    country = location.get("country_code")
    if precision == "admin1" and location.get("admin1"):
        return f"adm1:{country}:{location['admin1']}"
    if precision in ("country", "region"):
        return f"cc:{country}" if country else None
    if geonames_id is not None:
        return f"gn:{geonames_id}"
    evidence = location.get("evidence")
    text = location.get("name") or (evidence.get("quote") if isinstance(evidence, Mapping) else None)
    return f"name:{' '.join(str(text).casefold().split())}" if text else None


def is_precise(m: Mention) -> bool:
    return (
        m.place_key is not None
        and m.place_key.startswith(("gn:", "name:"))
        and m.date_start is not None
        and m.date_precision in PRECISE_DATES
    )


def same_kind(a: Mention, b: Mention) -> bool:
    if a.event_type != b.event_type:
        return False
    if a.sub_event_type == b.sub_event_type:
        return True
    return any(a.sub_event_type in group and b.sub_event_type in group for group in COMPATIBLE_SUB_TYPES)


def link_reason(a: Mention, b: Mention, *, nested: bool = False) -> str | None:
    """Why ``a`` and ``b`` report the same happening, or None when they may not.

    ``nested`` also accepts a region-level place containing the other place.
    """
    if not same_kind(a, b) or a.date_start is None or b.date_start is None:
        return None
    if a.place_key is None or b.place_key is None:
        return None
    if a.place_key == b.place_key:
        place = f"same place ({a.place_name or a.place_key})"
    elif nested and (inner := _contains(a, b) or _contains(b, a)):
        place = inner
    else:
        return None
    start, end = max(a.date_start, b.date_start), min(a.date_end or a.date_start, b.date_end or b.date_start)
    if start > end:
        return None
    for role in LINKED_ROLES:
        names_a = {name for r, name in a.actors if r == role}
        names_b = {name for r, name in b.actors if r == role}
        if names_a and names_b and not names_a & names_b:
            return None
    kind = a.sub_event_type if a.sub_event_type == b.sub_event_type else f"{a.sub_event_type} ~ {b.sub_event_type}"
    when = start if start == end else f"{start}..{end}"
    return f"{kind}; {place}; dates overlap ({when}); actors agree"


def _contains(outer: Mention, inner: Mention) -> str | None:
    """'X lies in Y' when ``outer`` is a region-level mention of the region holding ``inner``."""
    if outer.place_key and outer.place_key.startswith("adm1:") and inner.admin1:
        if outer.country_code == inner.country_code and outer.admin1 == inner.admin1:
            return f"{inner.place_name or inner.place_key} lies in {outer.admin1}"
    return None


class _Groups:
    """Union-find whose group name is its smallest mention key (so the same whatever the order)."""

    def __init__(self, keys: Iterable[str]) -> None:
        self.parent = {k: k for k in keys}

    def find(self, key: str) -> str:
        while self.parent[key] != key:
            self.parent[key] = self.parent[self.parent[key]]
            key = self.parent[key]
        return key

    def union(self, a: str, b: str) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            low, high = sorted((ra, rb))
            self.parent[high] = low

    def groups(self) -> dict[str, list[str]]:
        out: dict[str, list[str]] = defaultdict(list)
        for key in sorted(self.parent):
            out[self.find(key)].append(key)
        return dict(out)


def pin_group_id(keys: Iterable[str]) -> str:
    """The id of an analyst's group: fixed by its members when it was made."""
    return "P" + hashlib.sha256("\n".join(sorted(keys)).encode()).hexdigest()[:15]


def incident_id(first_key: str) -> str:
    return "I" + hashlib.sha256(first_key.encode()).hexdigest()[:15]


class IncidentFuser:
    """Fuse mentions into incidents. Pure: same mentions and pins in, same incidents out."""

    def fuse(self, mentions: Iterable[Mention], pins: Mapping[str, str] | None = None) -> list[Incident]:
        pins = pins or {}
        by_key = {m.key: m for m in mentions}
        links: dict[str, dict[str, str]] = {}  # mention key -> linked mention key -> why
        decisions: dict[str, str] = {}  # analysts' groups
        ordered = [by_key[k] for k in sorted(by_key)]
        pinned = [m for m in ordered if m.key in pins]
        free = [m for m in ordered if m.key not in pins]

        # Step 1: precise mentions, linked by same kind, place, time and actors
        precise = [m for m in free if is_precise(m)]
        groups = _Groups(m.key for m in precise)
        blocks: dict[tuple[str, str | None], list[Mention]] = defaultdict(list)
        for m in precise:
            blocks[(m.event_type, m.place_key)].append(m)
        for block in blocks.values():
            for i, a in enumerate(block):
                for b in block[i + 1 :]:
                    if (why := link_reason(a, b)) is not None:
                        groups.union(a.key, b.key)
                        _note(links, a, b, why)
        clusters: dict[str, list[Mention]] = {root: [by_key[k] for k in keys] for root, keys in groups.groups().items()}

        # Step 3 (before 2, so coarse mentions see the final groups): pinned groups, and the
        # automatic groups that fit exactly one of them
        fixed: dict[str, list[Mention]] = defaultdict(list)
        for m in pinned:
            fixed[pins[m.key]].append(m)
            decisions[m.key] = "placed here by an analyst"
        pinned_groups = {g: tuple(ms) for g, ms in fixed.items()}
        for root in sorted(clusters):
            targets = {g for g, ms in pinned_groups.items() if _fits(clusters[root], list(ms), nested=False)}
            if len(targets) == 1:
                target = targets.pop()
                for m in clusters.pop(root):
                    decisions.setdefault(m.key, f"fits the analyst's group {target}")
                    fixed[target].append(m)

        # Step 2: coarse mentions join the one group they fit, or group among themselves
        candidates = {**{incident_id(r): ms for r, ms in clusters.items()}, **fixed}
        settled = {g: tuple(ms) for g, ms in candidates.items()}  # coarse mentions fit these, not each other
        leftovers: list[Mention] = []
        for m in free:
            if is_precise(m):
                continue
            fitting = sorted(g for g, ms in settled.items() if _fits([m], list(ms), nested=True))
            if len(fitting) == 1:
                partner = min((x for x in settled[fitting[0]] if link_reason(m, x, nested=True)), key=lambda x: x.key)
                _note(links, partner, m, link_reason(m, partner, nested=True) or "")
                candidates[fitting[0]].append(m)
            else:
                leftovers.append(m)
        loose = _Groups(m.key for m in leftovers)
        for i, a in enumerate(leftovers):
            for b in leftovers[i + 1 :]:
                if a.place_key == b.place_key and (why := link_reason(a, b)) is not None:
                    loose.union(a.key, b.key)
                    _note(links, a, b, why)
        for root, keys in loose.groups().items():
            candidates[incident_id(root)] = [by_key[k] for k in keys]

        incidents = []
        for gid, members in candidates.items():
            members = sorted(members, key=lambda m: m.key)
            ident = gid if gid in fixed else incident_id(members[0].key)
            incidents.append(build_incident(ident, members, _reasons(members, links, decisions), pinned=gid in fixed))
        return sorted(incidents, key=lambda i: i.id)


def _fits(group: list[Mention], other: list[Mention], *, nested: bool) -> bool:
    return any(link_reason(a, b, nested=nested) is not None for a in group for b in other)


def _note(links: dict[str, dict[str, str]], a: Mention, b: Mention, why: str) -> None:
    """Record that ``a`` and ``b`` were linked, and why."""
    links.setdefault(a.key, {})[b.key] = why
    links.setdefault(b.key, {})[a.key] = why


def _reasons(members: list[Mention], links: Mapping[str, Mapping[str, str]], fixed: Mapping[str, str]) -> list[str]:
    """Why each member is in the incident: an analyst's decision, or its link to the earliest partner."""
    keys = {m.key for m in members}
    out = []
    for n, m in enumerate(members):
        partners = sorted(k for k in links.get(m.key, {}) if k in keys)
        earlier = [k for k in partners if k < m.key] or partners
        if m.key in fixed:
            out.append(fixed[m.key])
        elif n == 0:
            out.append("first mention of the incident (smallest key)")
        elif earlier:
            out.append(f"with {earlier[0]}: {links[m.key][earlier[0]]}")
        else:
            out.append("linked to the incident through its other mentions")
    return out


def independent_origins(members: list[Mention]) -> dict[str, str]:
    """Document id -> its source. Near-duplicate texts (a republication with a new first line or a
    trimmed paragraph) are one source: the origin of the one published first."""
    firsts: dict[str, Mention] = {}
    for m in members:
        firsts.setdefault(m.document_id, m)
    docs = sorted(firsts)
    groups = _Groups(docs)
    for i, a in enumerate(docs):
        for b in docs[i + 1 :]:
            if (
                firsts[a].origin != firsts[b].origin
                and similarity(firsts[a].sketch, firsts[b].sketch) >= NEAR_DUPLICATE
            ):
                groups.union(a, b)
    out: dict[str, str] = {}
    for group in groups.groups().values():
        earliest = min((firsts[d] for d in group), key=lambda m: (m.published_at or "~", m.origin))
        out.update({d: earliest.origin for d in group})
    return out


def build_incident(ident: str, members: list[Mention], reasons: list[str], *, pinned: bool) -> Incident:
    """One incident of these mentions (sorted by key), each with the reason it is there."""
    source = independent_origins(members)
    members = [replace(m, origin=source[m.document_id]) for m in members]
    origins = sorted({m.origin for m in members})
    # The kind most independent sources give
    kinds = Counter(kind for kind, _ in {((m.event_type, m.sub_event_type), m.origin) for m in members})
    event_type, sub_event_type = min(kinds, key=lambda k: (-kinds[k], k))

    placed = [m for m in members if m.place_key is not None]
    place_origins: dict[str, set[str]] = defaultdict(set)
    for m in placed:
        place_origins[m.place_key or ""].add(m.origin)
    where = (
        min(
            placed,
            key=lambda m: (_precision_rank(m), -len(place_origins[m.place_key or ""]), m.key),
        )
        if placed
        else None
    )

    dated = [m for m in members if m.date_start is not None]
    date_start = date_end = None
    if dated:
        date_start = max(m.date_start or "" for m in dated)
        date_end = min(m.date_end or m.date_start or "" for m in dated)
        if date_start > date_end:  # the sources disagree: keep the whole span they cover
            date_start = min(m.date_start or "" for m in dated)
            date_end = max(m.date_end or m.date_start or "" for m in dated)

    deaths = _range({(m.origin, m.fatalities) for m in members if m.fatalities is not None})
    figures = []
    for kind in sorted({f.kind for m in members for f in m.figures}):
        stated = {(m.origin, f.value) for m in members for f in m.figures if f.kind == kind and f.value is not None}
        if (r := _range(stated)) is not None:
            figures.append((kind, r))

    refs: dict[tuple[object, ...], ClaimRef] = {}
    for m in members:
        for ref in (_own_ref(m), *m.claims):
            refs.setdefault((ref.document_id, ref.start, ref.end, ref.claimant, ref.stance), ref)
    ordered_refs = sorted(refs.values(), key=lambda r: (r.date or "", r.document_id, r.start, r.claimant or ""))
    return Incident(
        id=ident,
        event_type=event_type,
        sub_event_type=sub_event_type,
        place_key=where.place_key if where else None,
        location_name=where.place_name if where else None,
        geonames_id=where.geonames_id if where else None,
        country_code=where.country_code if where else None,
        admin1=where.admin1 if where else None,
        lat=where.lat if where else None,
        lon=where.lon if where else None,
        precision=where.precision if where else None,
        date_start=date_start,
        date_end=date_end,
        deaths=deaths,
        figures=tuple(figures),
        sources=len(origins),
        origins=tuple(origins),
        actors=tuple(sorted({a for m in members for a in m.actors})),
        supporting=tuple(r for r in ordered_refs if r.side == "supporting"),
        disputing=tuple(r for r in ordered_refs if r.side == "disputing"),
        members=tuple(_member(m, why) for m, why in zip(members, reasons, strict=True)),
        pinned=pinned,
    )


def _precision_rank(m: Mention) -> int:
    if m.precision in PRECISION_RANK:
        return PRECISION_RANK[m.precision]
    return 2 if (m.place_key or "").startswith("name:") else 3  # named but not in the gazetteer


def _range(values: set[tuple[str, int]]) -> Range | None:
    """Per independent source its highest stated value; then lowest, median and highest across sources."""
    per_source: dict[str, int] = {}
    for origin, value in values:
        per_source[origin] = max(value, per_source.get(origin, value))
    if not per_source:
        return None
    numbers = sorted(per_source.values())
    return Range(numbers[0], median_low(numbers), numbers[-1], tuple(sorted(per_source.items())))


def _own_ref(m: Mention) -> ClaimRef:
    """The mention itself as a claim: its claimant (or the outlet's own voice) and stance."""
    return ClaimRef(
        side="disputing" if m.stance in DISPUTING_STANCES else "supporting",
        claimant=m.claimant,
        claimant_kind=m.claimant_kind,
        stance=m.stance,
        verb=m.verb,
        outlet=m.outlet,
        document_id=m.document_id,
        start=m.start,
        end=m.end,
        quote=m.quote,
        date=(m.published_at or m.date_start or "")[:10] or None,
    )


def _member(m: Mention, reason: str) -> Member:
    return Member(
        key=m.key,
        document_id=m.document_id,
        origin=m.origin,
        outlet=m.outlet,
        sub_event_type=m.sub_event_type,
        stance=m.stance,
        claimant=m.claimant,
        date_start=m.date_start,
        date_end=m.date_end,
        place_name=m.place_name,
        fatalities=m.fatalities,
        figures=m.figures,
        quote=m.quote,
        start=m.start,
        end=m.end,
        reason=reason,
    )


__all__ = ["Figure", "IncidentFuser", "is_precise", "link_reason", "pin_group_id", "place_key", "same_kind"]
