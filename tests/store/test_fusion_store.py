"""Fusion, claims and control inside the store, on SQLite and PostgreSQL, with real extractions.

The ten reports in tests/fixtures/fusion (team-written, about three happenings,
one a verbatim republication of a wire story) are extracted once, then stored
in 20 random orders: every order must give the same three incidents with the
same canonical values, and the figures the manifest states.
"""

from __future__ import annotations

import json
import random
from collections import defaultdict
from pathlib import Path
from typing import Any

import pytest
import yaml
from alembic import command
from sqlalchemy import MetaData, delete, func, select

from sitrep.cli.main import main
from sitrep.errors import StoreError
from sitrep.ingest import document_from_text
from sitrep.model import Extraction
from sitrep.store import Store, open_store
from sitrep.store.queries import IncidentQuery
from sitrep.store.repository import _alembic_config, _document_row, record_rows
from sitrep.store.schema import events, metadata, sightings

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "fusion"
ORDERS = 20
SEED = 20261125

# Team-written: a settlement captured on day 1, claimed retaken on day 5, the retaking denied on day 6.
CONTROL_REPORTS = [
    (
        "Ukrainian troops captured the town of Sudzha in Russia's Kursk region on Thursday.",
        "Border Chronicle",
        "https://example.org/border-chronicle/sudzha-captured",
        "2024-08-16T09:00:00Z",
    ),
    (
        "Russia's defence ministry said on Monday that its forces had retaken the town of Sudzha in the Kursk region.",
        "Steppe Post",
        "https://example.org/steppe-post/sudzha-retaken",
        "2024-08-19T18:00:00Z",
    ),
    (
        "Ukraine's general staff on Tuesday denied that Russian forces had retaken Sudzha, saying its troops still "
        "held the town in the Kursk region.",
        "Kharkiv Daily Ledger",
        "https://example.org/kharkiv-daily-ledger/sudzha-denial",
        "2024-08-20T12:00:00Z",
    ),
]


@pytest.fixture(scope="module")
def manifest() -> list[dict[str, Any]]:
    return list(yaml.safe_load((FIXTURES / "manifest.yaml").read_text(encoding="utf-8"))["reports"])


@pytest.fixture(scope="module")
def fusion_extractions(extractor: Any, manifest: list[dict[str, Any]]) -> list[Extraction]:
    out = []
    for report in manifest:
        doc = document_from_text(
            (FIXTURES / report["file"]).read_text(encoding="utf-8"),
            url=report["url"],
            outlet=report["outlet"],
            published_at=report["published_at"],
            source_id=report["file"],
        )
        out.append(extractor.extract(doc))
    return out


@pytest.fixture(scope="module")
def control_extractions(extractor: Any) -> list[Extraction]:
    return [
        extractor.extract(document_from_text(text, outlet=outlet, url=url, published_at=published))
        for text, outlet, url, published in CONTROL_REPORTS
    ]


def wipe(store: Store) -> None:
    with store.engine.begin() as conn:
        for table in reversed(metadata.sorted_tables):
            conn.execute(delete(table))


def canonical(store: Store) -> list[dict[str, Any]]:
    """Everything about the incidents except when they were written."""
    return [inc.to_dict() for inc in store.incidents()]


@pytest.mark.model
def test_fixture_reports_give_the_same_three_incidents_in_every_order(
    store: Store, fusion_extractions: list[Extraction], manifest: list[dict[str, Any]]
) -> None:
    rnd = random.Random(SEED)
    first: list[dict[str, Any]] | None = None
    for n in range(ORDERS):
        order = list(fusion_extractions)
        rnd.shuffle(order)
        wipe(store)
        outcomes = [store.add(e).outcome for e in order]
        assert outcomes.count("unchanged") == 1, outcomes  # the republished wire story
        assert store.integrity_problems() == []
        got = canonical(store)
        if first is None:
            first = got
        assert got == first, f"order {n} (seed {SEED}) gave other incidents"
    assert first is not None and len(first) == 3

    by_happening: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for report in manifest:
        by_happening[report["happening"]].append(report)
    incidents = {inc["sub_event_type"]: inc for inc in first}
    independent = {h: [r for r in rs if "republished_from" not in r] for h, rs in by_happening.items()}

    shelling = incidents["Shelling/artillery/missile attack"]
    killed = {r["outlet"]: r["killed"] for r in independent["A"]}
    assert shelling["sources"] == len(independent["A"]) == 3  # five outlets' worth of text, one republication
    assert shelling["deaths"]["by_source"] == sorted([list(kv) for kv in killed.items()])
    assert (shelling["deaths"]["low"], shelling["deaths"]["high"]) == (min(killed.values()), max(killed.values()))
    assert shelling["date_start"] == shelling["date_end"] == "2024-03-12"
    assert shelling["location_name"] == "Kupyansk"

    capture = incidents["Settlement captured"]
    assert capture["sources"] == len(independent["B"])
    assert capture["location_name"] == "Robotyne"
    assert "claimed by Ministry of Defence of Russia" in capture["summary"]
    assert "disputed by General Staff of the Armed Forces of Ukraine" in capture["summary"]

    evacuation = incidents["Evacuation"]
    assert evacuation["sources"] == len(independent["C"])
    evacuated = evacuation["figures"]["evacuated"]
    assert {r["evacuated"] for r in independent["C"]} == {evacuated["low"], evacuated["best"], evacuated["high"]}


@pytest.mark.model
def test_republished_wire_story_is_kept_as_a_sighting_not_a_source(
    store: Store, fusion_extractions: list[Extraction], manifest: list[dict[str, Any]]
) -> None:
    files = [r["file"] for r in manifest]
    wire, copy = fusion_extractions[files.index("a3.txt")], fusion_extractions[files.index("a4.txt")]
    assert wire.document.id == copy.document.id  # same text, same document
    assert store.add(copy).outcome == "new"
    again = store.add(wire)
    assert (again.outcome, again.sighting) == ("unchanged", True)
    assert store.add(wire).sighting is False  # the same outlet and URL once more: nothing new
    with store.engine.connect() as conn:
        outlets = conn.execute(
            select(sightings.c.outlet).where(sightings.c.document_id == wire.document.id).order_by(sightings.c.outlet)
        ).scalars()
        assert list(outlets) == ["Dnipro Evening Courier", "Wire Agency"]
    (inc,) = store.incidents()
    # The earliest publisher is the source, whichever copy arrived first
    assert inc.sources == 1 and inc.origins == ("Wire Agency",)


@pytest.mark.model
def test_control_history_captured_retaken_disputed(store: Store, control_extractions: list[Extraction]) -> None:
    for extraction in reversed(control_extractions):  # arrival order does not matter
        store.add(extraction)
    states = store.control("sudzha")
    assert [(s.valid_from, s.valid_to, s.controller_side, s.status) for s in states] == [
        ("2024-08-15", "2024-08-18", "UA", "controlled"),
        ("2024-08-19", "2024-08-19", "RU", "claimed"),
        ("2024-08-20", None, "RU", "contested"),
    ]
    assert all(s.admin1 == "Kursk Oblast" for s in states)
    assert [r.claimant for r in states[1].supporting] == ["Ministry of Defence of Russia"]
    assert [r.claimant for r in states[2].disputing] == ["General Staff of the Armed Forces of Ukraine"]
    assert "denied that Russian forces had retaken Sudzha" in states[2].disputing[0].quote
    on_day = store.control_on("2024-08-17", region="kursk oblast")
    assert [(s.settlement, s.controller_side, s.status) for s in on_day] == [("Sudzha", "UA", "controlled")]
    assert store.control_on("2024-08-14", region="Kursk Oblast") == []


@pytest.mark.model
def test_split_and_merge_keep_history_and_survive_new_reports(
    store: Store, fusion_extractions: list[Extraction], manifest: list[dict[str, Any]]
) -> None:
    files = [r["file"] for r in manifest]
    for name in ("a1.txt", "a2.txt", "a3.txt"):
        store.add(fusion_extractions[files.index(name)])
    (inc,) = store.incidents()
    keys = [m.key for m in inc.members]
    with pytest.raises(StoreError) as caught:
        store.split(inc.id, keys)
    assert caught.value.code == "store.bad_regroup"
    one, rest = store.split(inc.id, keys[:1], analyst="analyst-1", note="two different strikes")
    assert sorted(len(store.incident(i).members) for i in (one, rest)) == [1, 2]
    assert store.history(inc.id)[0]["action"] == "split"
    assert store.history(one)[0]["detail"]["before"] == {inc.id: keys}
    # The republished copy arrives later: the analyst's split stands (its text is already stored: a sighting)
    store.add(fusion_extractions[files.index("a4.txt")])
    assert sorted(len(i.members) for i in store.incidents()) == [1, 2]
    merged = store.merge([one, rest], analyst="analyst-2")
    assert len(store.incident(merged).members) == 3 and store.incident(merged).pinned
    actions = [h["action"] for h in store.history(merged)]
    assert actions == ["merge"]
    assert [h["action"] for h in store.history(one)] == ["split", "merge"]
    assert store.integrity_problems() == []


@pytest.mark.model
def test_update_of_a_report_replaces_its_mentions_in_the_incident(
    store: Store, fusion_extractions: list[Extraction], extractor: Any, manifest: list[dict[str, Any]]
) -> None:
    files = [r["file"] for r in manifest]
    a1 = fusion_extractions[files.index("a1.txt")]
    store.add(a1)
    store.add(fusion_extractions[files.index("a2.txt")])
    doc = a1.document
    corrected = document_from_text(
        doc.text.replace("killed two civilians", "killed four civilians"),
        url=doc.url,
        outlet=doc.outlet,
        published_at=doc.published_at,
    )
    assert store.add(extractor.extract(corrected)).outcome == "updated"
    (inc,) = store.incidents()
    assert dict(inc.deaths.by_source)["Kharkiv Daily Ledger"] == 4  # the old version no longer counts
    assert len(inc.members) == 2 and store.integrity_problems() == []


@pytest.mark.model
def test_incident_queries_filter_by_date_region_type_box_and_sources(
    store: Store, fusion_extractions: list[Extraction]
) -> None:
    for e in fusion_extractions:
        store.add(e)
    assert len(store.incidents()) == 3
    assert [i.sub_event_type for i in store.incidents(IncidentQuery(since="2024-05-01", until="2024-05-31"))] == [
        "Settlement captured"
    ]
    kharkiv = store.incidents(IncidentQuery(region="kharkiv oblast"))
    assert sorted(i.sub_event_type for i in kharkiv) == ["Evacuation", "Shelling/artillery/missile attack"]
    assert [i.location_name for i in store.incidents(IncidentQuery(event_type="Humanitarian"))] == ["Vovchansk"]
    box = (37.0, 49.0, 38.0, 50.0)  # around Kupiansk, not Vovchansk (36.9 E)
    assert [i.location_name for i in store.incidents(IncidentQuery(bbox=box))] == ["Kupyansk"]
    assert len(store.incidents(IncidentQuery(min_sources=3))) == 3
    assert store.incidents(IncidentQuery(min_sources=4)) == []
    assert len(store.incidents(IncidentQuery(limit=2))) == 2


@pytest.mark.model
def test_upgrade_from_schema_0001_fuses_what_was_stored(store_url: str, fusion_extractions: list[Extraction]) -> None:
    store = open_store(store_url)
    with store.engine.begin() as conn:
        config = _alembic_config()
        config.attributes["connection"] = conn
        command.upgrade(config, "0001")
        old = MetaData()
        old.reflect(conn)  # the tables as schema 0001 made them: rows lose the columns 0002 added

        def insert(table: str, rows: list[dict[str, Any]]) -> None:
            columns = set(old.tables[table].columns.keys())
            conn.execute(old.tables[table].insert(), [{k: v for k, v in r.items() if k in columns} for r in rows])

        for e in fusion_extractions[:3]:
            insert("documents", [_document_row(e, e.document.url)])
            for table, rows in record_rows(e).items():
                if rows:
                    insert(table.name, rows)
    assert store.revision() == "0001"
    store.upgrade()
    assert store.counts()["sightings"] == 3
    with store.engine.connect() as conn:
        keys = set(conn.execute(select(events.c.place_key)).scalars())
        assert keys == {"gn:703656"}  # backfilled: Kupiansk in all three
    (inc,) = store.incidents()
    assert inc.sources == 3 and store.integrity_problems() == []
    store.close()


@pytest.mark.model
def test_cli_incidents_show_control(
    store_url: str, control_extractions: list[Extraction], capsys: pytest.CaptureFixture[str]
) -> None:
    store = open_store(store_url)
    store.upgrade()
    for e in control_extractions:
        store.add(e)
    store.close()

    def run(*args: str) -> tuple[int, str, str]:
        capsys.readouterr()
        code = main([*args, "--db", store_url])
        out = capsys.readouterr()
        return code, out.out, out.err

    code, out, _ = run("incidents", "--format", "jsonl", "--region", "Kursk Oblast")
    rows = [json.loads(line) for line in out.splitlines()]
    assert code == 0 and {r["sub_event_type"] for r in rows} == {"Settlement captured", "Settlement retaken"}
    code, out, _ = run("incidents", "--format", "csv", "--type", "Settlement captured")
    lines = out.splitlines()
    assert code == 0 and lines[0].startswith("id,event_type,sub_event_type") and len(lines) == 2
    code, out, err = run("incidents", "--since", "2024-08-19")
    assert code == 0 and "Settlement retaken" in out and "Settlement captured" not in out
    ident = rows[0]["id"]
    code, out, _ = run("show", ident)
    assert code == 0 and f"incident {ident}" in out and "evidence" in out and "Sudzha" in out
    code, out, _ = run("control", "Sudzha")
    assert code == 0 and out.count("Sudzha (Kursk Oblast)") == 3 and "contested" in out
    code, out, _ = run("control", "--region", "Kursk Oblast", "--on", "2024-08-19")
    assert code == 0 and "claimed" in out and "Military Forces of Russia (RU)" in out
    code, _, err = run("show", "Inothere")
    assert code == 2 and "error [store.unknown_incident]" in err


def test_cli_bad_arguments(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    for args in (
        ["incidents", "--bbox", "40,50,30,45"],
        ["incidents", "--since", "yesterday"],
        ["control"],
        ["control", "Sudzha", "--on", "2024-08-19"],
    ):
        with pytest.raises(SystemExit) as exited:
            main([*args, "--db", str(tmp_path / "x.sqlite3")])
        assert exited.value.code == 2, args
    assert main(["incidents", "--db", str(tmp_path / "missing.sqlite3")]) == 2
    assert "error [store.not_found]" in capsys.readouterr().err
    assert not (tmp_path / "missing.sqlite3").exists()


def test_terminal_and_csv_output_are_defused() -> None:
    from sitrep.cli.record import _cell, safe

    assert safe("Kyiv\x1b[31m\u202e") == "Kyiv\\u001b[31m\\u202e"
    assert _cell("=HYPERLINK(1)") == "'=HYPERLINK(1)" and _cell("Kyiv") == "Kyiv" and _cell(3) == 3


def test_counts_on_an_empty_store(store: Store) -> None:
    with store.engine.connect() as conn:
        assert conn.execute(select(func.count()).select_from(sightings)).scalar_one() == 0
    assert store.incidents() == [] and store.control("anything") == []


@pytest.mark.model
def test_edited_republication_and_credited_story_are_not_new_sources(
    store: Store, fusion_extractions: list[Extraction], extractor: Any, manifest: list[dict[str, Any]]
) -> None:
    files = [r["file"] for r in manifest]
    for name in ("a1.txt", "a2.txt", "a3.txt"):
        store.add(fusion_extractions[files.index(name)])
    wire = fusion_extractions[files.index("a3.txt")].document.text
    edited = document_from_text(  # a new first line, and the last paragraph cut
        "Three killed as shells hit Kupiansk bus stop\n\n" + wire.rsplit("\n\n", 1)[0],
        outlet="Prairie Evening News",
        url="https://example.org/prairie-evening-news/kupiansk",
        published_at="2024-03-13T15:00:00Z",
    )
    credited = document_from_text(  # the outlet's own words, but the dateline credits the agency
        "KYIV (Wire Agency) - Three people died when Russian artillery hit Kupiansk in the Kharkiv region on "
        "Tuesday, the regional governor said.",
        outlet="Lowland Times",
        url="https://example.org/lowland-times/kupiansk",
        published_at="2024-03-13T16:00:00Z",
    )
    for doc in (edited, credited):
        assert store.add(extractor.extract(doc)).outcome == "new"
    (inc,) = store.incidents()
    assert len({m.document_id for m in inc.members}) == 5
    assert inc.sources == 3 and inc.origins == ("Eastern Oblasts Monitor", "Kharkiv Daily Ledger", "Wire Agency")


@pytest.mark.model
def test_a_closure_past_its_limit_is_flagged_and_db_fuse_is_exact(
    store: Store, fusion_extractions: list[Extraction]
) -> None:
    store.closure_limit = 1  # every closure is "dense": region-level links are not followed
    results = [store.add(e) for e in fusion_extractions]
    assert any(r.bounded for r in results)
    bounded = canonical(store)
    store.refuse_all()
    exact = canonical(store)
    # The fixture has no region-level reports, so the settlement-level incidents are the same either way
    assert bounded == exact and len(exact) == 3
    assert store.integrity_problems() == []


@pytest.mark.model
def test_date_filters_find_long_and_short_incidents(store: Store, extractor: Any) -> None:
    year = document_from_text(  # a year-long interval: found through the long-span branch of the query
        "Russian shelling killed 40 civilians in Kupiansk in 2023, the regional governor said in a year-end report.",
        published_at="2024-01-05",
    )
    day = document_from_text(
        "Russian shelling killed two civilians in Vovchansk on Tuesday, officials said.", published_at="2023-12-13"
    )
    for doc in (year, day):
        store.add(extractor.extract(doc))

    def places(**filters: Any) -> list[str | None]:
        return sorted(i.location_name for i in store.incidents(IncidentQuery(**filters)))

    assert places(since="2023-12-01", until="2023-12-31") == ["Kupyansk", "Vovchansk"]
    assert places(since="2023-12-12") == ["Kupyansk", "Vovchansk"]  # "on Tuesday": 12 December
    assert places(since="2023-12-13") == ["Kupyansk"]
    assert places(since="2024-01-01") == []
    assert places(until="2022-12-31") == []
