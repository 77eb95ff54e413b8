"""Place mentions to gazetteer entries, or an explicit ambiguous/unresolved.

:class:`GazetteerGeocoder` scores every entry a mention's name can denote by
population, by whether the name is the entry's main name, by the kind of
entry, and by the document's context: the countries and admin-1 areas that
the document's other places resolve to. It resolves in two passes so that
"Pokrovsk" in a story that also names Donetsk Oblast goes to the Ukrainian
town. It never drops a mention: no entry gives ``unresolved``; two far-apart
entries with close scores give ``ambiguous`` with ranked candidates (the top
one filling the fields).

Stage id: ``resolve.places.gazetteer.v1``.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace

from sitrep.model import PlaceCandidate, PlaceMention
from sitrep.resolve.gazetteer import Gazetteer, GazetteerEntry, haversine_km

STAGE_ID = "resolve.places.gazetteer.v1"
AMBIGUITY_MARGIN = 1.0
AMBIGUITY_KM = 100.0
MAX_CANDIDATES = 5
BIG_CITY = 500_000
# (distance in km to the nearest other confidently placed settlement, bonus)
NEAR_BONUS = ((50.0, 1.5), (150.0, 1.0), (400.0, 0.5))

_PRECISION = {"city": "point", "admin1": "admin1", "country": "country", "region": "region"}


@dataclass(frozen=True)
class PlaceSpan:
    """A place name found in the text, before resolution."""

    text: str
    start: int
    end: int
    name: str  # the part to look up (without a direction word)
    direction: str | None = None  # "eastern" in "eastern Ukraine"
    label: str = "GPE"
    within: int | None = None  # index of the span that contains this one ("Alexandria, La.")


@dataclass
class _Scored:
    entry: GazetteerEntry
    score: float


class GazetteerGeocoder:
    def __init__(self, gazetteer: Gazetteer, *, focus_countries: Sequence[str] = ()) -> None:
        self.gazetteer = gazetteer
        self.focus_countries = frozenset(focus_countries)
        self.neighbours = gazetteer.neighbours()

    def resolve(self, spans: Sequence[PlaceSpan]) -> list[PlaceMention]:
        # "West Bank", "South Ossetia": a direction word that is part of the name.
        spans = [
            replace(span, name=span.text, direction=None)
            if span.direction and self.gazetteer.lookup(span.text)
            else span
            for span in spans
        ]
        candidates = [self._candidates(span) for span in spans]
        empty: dict[str, float] = {}
        first = [self._rank(span, cands, empty, empty) for span, cands in zip(spans, candidates, strict=True)]
        countries: dict[str, float] = defaultdict(float)
        admins: dict[str, float] = defaultdict(float)
        evidence = [_evidence(ranked) for ranked in first]
        for country, admin, weight in evidence:
            if country:
                countries[country] += weight
            if admin:
                admins[admin] += weight
        points = [_anchor_point(ranked) for ranked in first]
        results: list[PlaceMention] = []
        for span, cands, (country, admin, weight) in zip(spans, candidates, evidence, strict=True):
            # The mention's own first guess must not vote for itself.
            own_countries = {**countries, country: countries[country] - weight} if country else countries
            own_admins = {**admins, admin: admins[admin] - weight} if admin else admins
            ranked = self._rank(span, cands, own_countries, own_admins)
            anchors = [point for j, point in enumerate(points) if point is not None and spans[j].name != span.name]
            if anchors and len(ranked) > 1:
                ranked = _near(ranked, anchors)
            if span.within is not None and first[span.within]:
                ranked = _inside(ranked, first[span.within][0].entry)
            results.append(self._mention(span, ranked))
        return results

    def _candidates(self, span: PlaceSpan) -> tuple[GazetteerEntry, ...]:
        entries = self.gazetteer.lookup(span.name)
        if not entries and span.name.endswith("s") and " " in span.name:
            entries = self.gazetteer.lookup(span.name[:-1])  # "Kharkiv and Sumy regions"
        if not entries and span.name.lower().startswith("the "):
            entries = self.gazetteer.lookup(span.name[4:])
        if not entries and span.name.lower().endswith(" city"):
            entries = tuple(e for e in self.gazetteer.lookup(span.name[:-5]) if e.kind == "city")
        # "Kyiv" is both the city and the city-as-admin-area: the city is meant.
        city_names = {e.name for e in entries if e.kind == "city"}
        return tuple(
            e for e in entries if not (e.kind == "admin1" and e.name.endswith(" City") and e.name[:-5] in city_names)
        )

    def _rank(
        self,
        span: PlaceSpan,
        entries: Sequence[GazetteerEntry],
        countries: Mapping[str, float],
        admins: Mapping[str, float],
    ) -> list[_Scored]:
        scored = [_Scored(e, self._score(span, e, countries, admins)) for e in entries]
        # A bare name shared by a state and its big city ("Washington") means the city in news writing.
        states = {(e.country_code, e.name) for e in entries if e.kind == "admin1"}
        for item in scored:
            entry = item.entry
            if entry.kind == "city" and entry.population >= BIG_CITY and (entry.country_code, entry.name) in states:
                item.score += 2.5
        scored.sort(key=lambda s: (-s.score, -(s.entry.population), s.entry.place_id))
        return scored

    def _score(
        self, span: PlaceSpan, entry: GazetteerEntry, countries: Mapping[str, float], admins: Mapping[str, float]
    ) -> float:
        score = math.log10(entry.population + 1)
        if entry.primary:
            score += 1.0
        score += {"country": 4.0, "admin1": 1.0, "region": 6.0, "city": 0.0}[entry.kind]
        country_weight = countries.get(entry.country_code or "", 0.0)
        admin_weight = admins.get(entry.admin1_code or "", 0.0)
        if country_weight > 0:
            score += 1.0 + min(1.5, 0.75 * country_weight)
        if admin_weight > 0:
            score += 1.0 + min(1.0, 0.5 * admin_weight)
        elif entry.country_code and any(n in countries for n in self.neighbours.get(entry.country_code, ())):
            score += 0.5
        if entry.country_code in self.focus_countries:
            score += 0.75
        if span.label == "LOC" and entry.kind == "city":
            score -= 1.0
        return score

    def _mention(self, span: PlaceSpan, ranked: list[_Scored]) -> PlaceMention:
        if not ranked:
            return PlaceMention(text=span.text, start=span.start, end=span.end, status="unresolved", extractor=STAGE_ID)
        top = ranked[0]
        status = "resolved"
        if len(ranked) > 1:
            second = ranked[1]
            if top.score - second.score < AMBIGUITY_MARGIN and _far_apart(top.entry, second.entry):
                status = "ambiguous"
        candidates = (
            tuple(_candidate(s) for s in ranked[:MAX_CANDIDATES]) if status == "ambiguous" or len(ranked) > 1 else ()
        )
        entry = top.entry
        if span.direction and entry.kind in ("country", "admin1", "region"):
            return PlaceMention(
                text=span.text,
                start=span.start,
                end=span.end,
                status=status,  # type: ignore[arg-type]
                precision="region",
                name=f"{span.direction} {entry.name}",
                country_code=entry.country_code,
                admin1=entry.admin1_name if entry.kind == "admin1" else None,
                admin1_code=entry.admin1_code if entry.kind == "admin1" else None,
                feature_code="RGN",
                candidates=candidates,
                extractor=STAGE_ID,
            )
        return PlaceMention(
            text=span.text,
            start=span.start,
            end=span.end,
            status=status,  # type: ignore[arg-type]
            precision=_PRECISION[entry.kind],  # type: ignore[arg-type]
            name=entry.name,
            geonames_id=entry.geonames_id,
            lat=entry.lat,
            lon=entry.lon,
            country_code=entry.country_code,
            admin1=entry.admin1_name,
            admin1_code=entry.admin1_code,
            feature_code=entry.feature_code,
            candidates=candidates,
            extractor=STAGE_ID,
        )


def _evidence(ranked: list[_Scored]) -> tuple[str | None, str | None, float]:
    """What a mention's first guess says about the document: country, admin-1, weight.

    A named country or area is strong evidence (1.0); a settlement weaker (0.5),
    since a small town's name often exists in several countries. An ambiguous
    guess says nothing.
    """
    if not ranked:
        return None, None, 0.0
    if len(ranked) > 1 and ranked[0].score - ranked[1].score < AMBIGUITY_MARGIN:
        return None, None, 0.0
    top = ranked[0].entry
    weight = 0.5 if top.kind == "city" else 1.0
    admin = top.admin1_code if top.kind in ("city", "admin1") else None
    return top.country_code, admin, weight


def _anchor_point(ranked: list[_Scored]) -> tuple[float, float] | None:
    """A settlement the first pass placed with confidence: evidence of where the story is."""
    if not ranked or ranked[0].entry.kind != "city" or ranked[0].entry.lat is None or ranked[0].entry.lon is None:
        return None
    if len(ranked) > 1 and ranked[0].score - ranked[1].score < AMBIGUITY_MARGIN:
        return None
    return ranked[0].entry.lat, ranked[0].entry.lon


def _near(ranked: list[_Scored], anchors: list[tuple[float, float]]) -> list[_Scored]:
    """Favour settlements near the story's other confidently placed settlements."""
    rescored: list[_Scored] = []
    for scored in ranked:
        entry = scored.entry
        bonus = 0.0
        if entry.kind == "city" and entry.lat is not None and entry.lon is not None:
            nearest = min(haversine_km(entry.lat, entry.lon, lat, lon) for lat, lon in anchors)
            bonus = next((b for km, b in NEAR_BONUS if nearest <= km), 0.0)
        rescored.append(_Scored(entry, scored.score + bonus))
    rescored.sort(key=lambda s: (-s.score, -(s.entry.population), s.entry.place_id))
    return rescored


def _inside(ranked: list[_Scored], container: GazetteerEntry) -> list[_Scored]:
    """Keep the candidates that lie in the named container, when any do."""
    if container.kind == "admin1":
        kept = [s for s in ranked if s.entry.admin1_code == container.admin1_code and s.entry.kind == "city"]
    elif container.kind == "country":
        kept = [s for s in ranked if s.entry.country_code == container.country_code and s.entry.kind != "country"]
    elif container.kind == "city" and container.admin1_name and container.admin1_name.startswith(container.name):
        # "Havrylivka, Kherson": the oblast named after its capital, not the city itself
        kept = [s for s in ranked if s.entry.admin1_code == container.admin1_code and s.entry.kind == "city"]
    else:
        kept = []
    if not kept:
        return ranked
    return [_Scored(s.entry, s.score + 3.0) for s in kept]


def _far_apart(a: GazetteerEntry, b: GazetteerEntry) -> bool:
    if a.country_code != b.country_code:
        return True
    if a.lat is None or a.lon is None or b.lat is None or b.lon is None:
        return a.kind != b.kind
    return haversine_km(a.lat, a.lon, b.lat, b.lon) > AMBIGUITY_KM


def _candidate(scored: _Scored) -> PlaceCandidate:
    e = scored.entry
    return PlaceCandidate(
        geonames_id=e.geonames_id,
        name=e.name,
        country_code=e.country_code,
        admin1=e.admin1_name,
        feature_code=e.feature_code,
        lat=e.lat,
        lon=e.lon,
        population=e.population,
        score=round(scored.score, 3),
    )
