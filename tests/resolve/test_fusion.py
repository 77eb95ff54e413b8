"""Incident fusion on hand-built mentions (fictional places and outlets): no model, no database."""

from __future__ import annotations

import random
from dataclasses import replace
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from sitrep.model.incidents import ClaimRef, Figure, Mention
from sitrep.resolve.fusion import IncidentFuser, link_reason, pin_group_id, place_key


def mention(key: str, **fields: Any) -> Mention:
    """A precise shelling mention at the fictional town of Veldor (GeoNames id 1), 2030-01-05."""
    base: dict[str, Any] = {
        "key": key,
        "document_id": key.split(":")[0],
        "ordinal": int(key.split(":")[1]),
        "origin": f"Outlet {key[0]}",
        "outlet": f"Outlet {key[0]}",
        "published_at": "2030-01-06T08:00:00Z",
        "event_type": "Explosions/Remote violence",
        "sub_event_type": "Shelling/artillery/missile attack",
        "place_key": "gn:1",
        "place_name": "Veldor",
        "geonames_id": 1,
        "country_code": "XA",
        "admin1": "North Province",
        "lat": 50.0,
        "lon": 30.0,
        "precision": "point",
        "date_start": "2030-01-05",
        "date_end": "2030-01-05",
        "date_precision": "day",
        "actors": (("actor1", "Army of Avalia"), ("actor2", "Civilians (Borinia)")),
        "fatalities": None,
        "figures": (),
        "stance": "asserted",
        "claimant": None,
        "claimant_kind": None,
        "verb": None,
        "quote": f"Sentence of {key}.",
        "start": 0,
        "end": 12,
        "confidence": 1.0,
    }
    base.update(fields)
    return Mention(**base)


def killed(n: int) -> tuple[Figure, ...]:
    return (Figure("killed", n, n, n),)


def fuse(mentions: list[Mention], pins: dict[str, str] | None = None) -> list[Any]:
    return IncidentFuser().fuse(mentions, pins)


def shape(incidents: list[Any]) -> list[tuple[Any, ...]]:
    return [(i.id, tuple(m.key for m in i.members), i.sources, i.deaths, i.date_start, i.date_end) for i in incidents]


def test_same_place_time_and_kind_is_one_incident_with_ranges_per_source() -> None:
    found = fuse(
        [
            mention("a:0", fatalities=2, figures=killed(2)),
            mention("b:0", fatalities=4, figures=killed(4), sub_event_type="Air/drone strike"),
            mention("c:0", fatalities=3, figures=killed(3)),
            mention("c:1", fatalities=5, figures=killed(5)),  # the same outlet again: still one source
        ]
    )
    assert len(found) == 1
    inc = found[0]
    assert inc.sources == 3 and len(inc.members) == 4
    assert (inc.deaths.low, inc.deaths.best, inc.deaths.high) == (2, 4, 5)
    assert dict(inc.deaths.by_source) == {"Outlet a": 2, "Outlet b": 4, "Outlet c": 5}
    assert inc.sub_event_type == "Shelling/artillery/missile attack"  # two sources against one
    assert inc.members[0].reason.startswith("first mention")
    assert all("same place (Veldor)" in m.reason for m in inc.members[1:])


def test_different_place_day_kind_or_actors_stay_apart() -> None:
    base = mention("a:0")
    others = [
        mention("b:0", place_key="gn:2", place_name="Ostrel", geonames_id=2),
        mention("c:0", date_start="2030-01-07", date_end="2030-01-07"),
        mention("d:0", event_type="Battles", sub_event_type="Armed clash"),
        mention("e:0", actors=(("actor1", "Army of Borinia"),)),
    ]
    for other in others:
        assert link_reason(base, other) is None, other.key
    assert len(fuse([base, *others])) == 5


def test_a_region_level_report_joins_the_one_incident_it_fits_and_only_that() -> None:
    coarse = mention(
        "z:0", place_key="adm1:XA:North Province", place_name="North Province", geonames_id=None, precision="admin1"
    )
    one = fuse([mention("a:0"), mention("b:0"), coarse])
    assert len(one) == 1 and "Veldor lies in North Province" in one[0].members[-1].reason
    # Two incidents in the same province that day: the vague report cannot choose, and joins neither
    two_towns = [mention("a:0"), mention("b:0", place_key="gn:2", place_name="Ostrel", geonames_id=2), coarse]
    found = fuse(two_towns)
    assert len(found) == 3
    assert [len(i.members) for i in found if i.place_key == "adm1:XA:North Province"] == [1]


def test_claims_are_kept_side_by_side() -> None:
    claim = mention(
        "a:0",
        event_type="Territory",
        sub_event_type="Settlement captured",
        stance="claimed",
        claimant="Defence Ministry of Avalia",
    )
    denial_ref = ClaimRef(
        side="disputing",
        claimant="General Staff of Borinia",
        claimant_kind="state_forces",
        stance="denied",
        verb="denied",
        outlet="Outlet a",
        document_id="a",
        start=40,
        end=80,
        quote="Borinia's general staff denied it.",
        date="2030-01-06",
    )
    claim = replace(claim, claims=(denial_ref,))
    other = replace(claim, key="b:0", document_id="b", origin="Outlet b", outlet="Outlet b", claims=())
    (inc,) = fuse([claim, other])
    assert inc.summary == "claimed by Defence Ministry of Avalia; disputed by General Staff of Borinia"
    assert [r.claimant for r in inc.disputing] == ["General Staff of Borinia"]


def test_analyst_pins_override_and_new_mentions_join_the_fitting_group() -> None:
    a, b, c = mention("a:0"), mention("b:0"), mention("c:0")
    assert len(fuse([a, b, c])) == 1
    pins = {"a:0": pin_group_id(["a:0"]), "b:0": pin_group_id(["b:0", "c:0"]), "c:0": pin_group_id(["b:0", "c:0"])}
    split = fuse([a, b, c], pins)
    assert sorted(tuple(m.key for m in i.members) for i in split) == [("a:0",), ("b:0", "c:0")]
    assert all(i.pinned for i in split)
    # A new report fitting both pinned groups joins neither: the analyst's split stands
    assert len(fuse([a, b, c, mention("d:0")], pins)) == 3


def test_place_keys() -> None:
    assert place_key({"geonames_id": 7, "precision": "point"}) == "gn:7"
    assert place_key({"precision": "admin1", "admin1": "North Province", "country_code": "XA"}) == (
        "adm1:XA:North Province"
    )
    assert place_key({"status": "unresolved", "evidence": {"quote": "Little  Veldor"}}) == "name:little veldor"
    assert place_key(None) is None


MENTIONS = st.lists(
    st.builds(
        lambda doc, n, place, day, dead, kind: mention(
            f"{doc}:{n}",
            place_key=f"gn:{place}",
            geonames_id=place,
            date_start=f"2030-01-0{day}",
            date_end=f"2030-01-0{day + (n % 2)}",
            fatalities=dead,
            sub_event_type=kind,
        ),
        st.sampled_from("abcdefgh"),
        st.integers(0, 3),
        st.integers(1, 3),
        st.integers(1, 4),
        st.one_of(st.none(), st.integers(0, 20)),
        st.sampled_from(["Shelling/artillery/missile attack", "Air/drone strike", "Remote explosive/landmine/IED"]),
    ),
    max_size=25,
    unique_by=lambda m: m.key,
)


@settings(max_examples=60, deadline=None)
@given(MENTIONS, st.randoms(use_true_random=False))
def test_fusion_is_order_independent_and_idempotent(mentions: list[Mention], rnd: random.Random) -> None:
    first = fuse(mentions)
    shuffled = list(mentions)
    rnd.shuffle(shuffled)
    assert shape(fuse(shuffled)) == shape(first)
    # Every mention is in exactly one incident
    keys = [m.key for i in first for m in i.members]
    assert sorted(keys) == sorted(m.key for m in mentions)
