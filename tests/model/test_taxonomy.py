"""The event taxonomy: ACLED's types exactly, sitrep's extensions, and docs/taxonomy.md kept equal to the data."""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

import pytest

from sitrep.errors import ConfigError
from sitrep.model.events import EVENT_TAGS
from sitrep.model.taxonomy import (
    ACLED_EVENT_TYPES,
    ACLED_TAG_PREFIX,
    EVENT_TYPES,
    EXTENSION_EVENT_TYPES,
    PLOVER_CONTEXTS,
    PLOVER_EVENTS,
    PLOVER_MODES,
    TAXONOMY,
    SubEventType,
    acled_export,
    lookup,
)

DOC = Path(__file__).resolve().parents[2] / "docs" / "taxonomy.md"

ACLED = {
    "Battles": ["Armed clash", "Government regains territory", "Non-state actor overtakes territory"],
    "Explosions/Remote violence": [
        "Chemical weapon",
        "Air/drone strike",
        "Suicide bomb",
        "Shelling/artillery/missile attack",
        "Remote explosive/landmine/IED",
        "Grenade",
    ],
    "Violence against civilians": ["Sexual violence", "Attack", "Abduction/forced disappearance"],
    "Protests": ["Peaceful protest", "Protest with intervention", "Excessive force against protesters"],
    "Riots": ["Violent demonstration", "Mob violence"],
    "Strategic developments": [
        "Agreement",
        "Arrests",
        "Change to group/activity",
        "Disrupted weapons use",
        "Headquarters or base established",
        "Looting/property destruction",
        "Non-violent transfer of territory",
        "Other",
    ],
}
EXTENSIONS = {
    "Territory": ["Cross-border incursion", "Settlement captured", "Settlement retaken", "Control contested"],
    "Humanitarian": [
        "Evacuation",
        "Displacement",
        "Humanitarian access granted",
        "Humanitarian access denied",
        "Request to observers",
        "Observer or aid-agency visit",
        "Aid delivery",
    ],
    "Statements": ["Accusation", "Denial", "Claim of IHL compliance"],
}


def _pairs(namespace: str) -> list[tuple[str, str]]:
    return [(s.event_type, s.sub_event_type) for s in TAXONOMY if s.namespace == namespace]


# ---------------------------------------------------------------- the data


def test_acled_has_exactly_25_sub_types_in_6_types_spelled_as_acled() -> None:
    pairs = _pairs("acled")
    assert len(pairs) == 25
    assert len({event_type for event_type, _ in pairs}) == 6
    assert pairs == [(t, s) for t, subs in ACLED.items() for s in subs]
    assert tuple(ACLED) == ACLED_EVENT_TYPES


def test_every_extension_type_is_present() -> None:
    assert _pairs("sitrep") == [(t, s) for t, subs in EXTENSIONS.items() for s in subs]
    assert tuple(EXTENSIONS) == EXTENSION_EVENT_TYPES
    assert EVENT_TYPES == ACLED_EVENT_TYPES + EXTENSION_EVENT_TYPES


def test_pairs_and_sub_type_names_are_unique() -> None:
    # The ACLED export identifies an extension row by its sub-type alone.
    names = Counter(s.sub_event_type for s in TAXONOMY)
    assert [name for name, n in names.items() if n > 1] == []


def test_namespace_follows_event_type() -> None:
    for sub in TAXONOMY:
        expected = "acled" if sub.event_type in ACLED_EVENT_TYPES else "sitrep"
        assert sub.namespace == expected, sub


def test_definitions_are_one_plain_line() -> None:
    for sub in TAXONOMY:
        assert sub.definition.strip() == sub.definition and sub.definition, sub
        assert "\n" not in sub.definition and "|" not in sub.definition, sub
        assert sub.definition.endswith("."), sub


def test_records_are_frozen() -> None:
    sub = TAXONOMY[0]
    with pytest.raises(AttributeError):
        sub.definition = "changed"  # type: ignore[misc]


# ---------------------------------------------------------------- PLOVER


def test_plover_names_are_from_the_codebook_vocabulary() -> None:
    for sub in TAXONOMY:
        assert sub.plover_event is None or sub.plover_event in PLOVER_EVENTS, sub
        assert sub.plover_context is None or sub.plover_context in PLOVER_CONTEXTS, sub
        if sub.plover_mode is not None:
            assert sub.plover_event is not None, sub
            assert sub.plover_mode in PLOVER_MODES[sub.plover_event], f"{sub.plover_mode} is not a mode of {sub}"


def test_no_plover_event_means_no_mode_or_context() -> None:
    for sub in TAXONOMY:
        if sub.plover_event is None:
            assert (sub.plover_mode, sub.plover_context) == (None, None), sub


def test_plover_vocabulary_is_version_0_8() -> None:
    assert len(PLOVER_EVENTS) == 16
    assert "FIGHT" not in PLOVER_EVENTS  # merged into ASSAULT in 0.8
    assert PLOVER_MODES["AGREE"] == PLOVER_MODES["AID"] == ()
    assert {"sideAB", "heavy-weapons", "unconventional"} <= set(PLOVER_MODES["ASSAULT"])


@pytest.mark.parametrize(
    ("event_type", "sub_event_type", "plover"),
    [
        ("Battles", "Armed clash", ("ASSAULT", "sideAB", "military")),
        ("Explosions/Remote violence", "Chemical weapon", ("ASSAULT", "unconventional", "cbrn")),
        ("Explosions/Remote violence", "Shelling/artillery/missile attack", ("ASSAULT", "heavy-weapons", "military")),
        ("Protests", "Peaceful protest", ("PROTEST", "demo", None)),
        ("Riots", "Violent demonstration", ("PROTEST", "riot", None)),
        ("Strategic developments", "Arrests", ("COERCE", "arrest", None)),
        ("Humanitarian", "Humanitarian access granted", ("RETREAT", "access", "humanitarian")),
        ("Humanitarian", "Observer or aid-agency visit", ("CONSULT", "visit", "humanitarian")),
        ("Statements", "Accusation", ("ACCUSE", "allege", None)),
    ],
)
def test_key_plover_mappings(event_type: str, sub_event_type: str, plover: tuple[str | None, ...]) -> None:
    sub = lookup(event_type, sub_event_type)
    assert (sub.plover_event, sub.plover_mode, sub.plover_context) == plover


# ---------------------------------------------------------------- lookup


def test_lookup_finds_every_row() -> None:
    for sub in TAXONOMY:
        assert lookup(sub.event_type, sub.sub_event_type) is sub


@pytest.mark.parametrize(
    ("event_type", "sub_event_type", "hint"),
    [
        ("Explosions", "Air/drone strike", "unknown event type 'Explosions'"),
        ("Battles", "Armed Clash", "has no sub-event type 'Armed Clash'"),  # ACLED's spelling is exact
        ("Territory", "Attack", "Cross-border incursion"),  # a real sub-type under the wrong type
        ("", "", "unknown event type"),
    ],
)
def test_lookup_of_an_unknown_pair_raises_a_coded_error(event_type: str, sub_event_type: str, hint: str) -> None:
    with pytest.raises(ConfigError) as caught:
        lookup(event_type, sub_event_type)
    assert caught.value.code == "config.unknown_event_type"
    assert hint in caught.value.message
    assert str(caught.value).startswith("[config.unknown_event_type] ")


# ---------------------------------------------------------------- ACLED export


def test_acled_rows_export_unchanged() -> None:
    for sub in TAXONOMY:
        if sub.namespace == "acled":
            assert acled_export(sub) == (sub.event_type, sub.sub_event_type, ())
            assert (sub.acled_event_type, sub.acled_sub_event_type) == (sub.event_type, sub.sub_event_type)


@pytest.mark.parametrize("sub", [s for s in TAXONOMY if s.namespace == "sitrep"], ids=lambda s: s.sub_event_type)
def test_extension_rows_export_as_strategic_developments_other_with_a_tag(sub: SubEventType) -> None:
    event_type, sub_event_type, tags = acled_export(sub)
    assert (event_type, sub_event_type) == ("Strategic developments", "Other")
    assert tags == (f"sitrep: {sub.sub_event_type}",)
    assert ACLED_TAG_PREFIX == "sitrep: "
    # The row can be recovered from the exported tag.
    recovered = [s for s in TAXONOMY if tags[0] == f"{ACLED_TAG_PREFIX}{s.sub_event_type}"]
    assert recovered == [sub]


# ---------------------------------------------------------------- docs/taxonomy.md


def _section(markdown: str, heading: str) -> str:
    parts = re.split(r"^(#{1,6} .*)$", markdown, flags=re.MULTILINE)
    bodies = [parts[i + 1] for i in range(1, len(parts) - 1, 2) if parts[i].strip() == heading]
    assert len(bodies) == 1, f"docs/taxonomy.md needs exactly one '{heading}' section"
    return bodies[0]


def _table(section: str) -> list[list[str]]:
    """Body rows of the first Markdown table in ``section`` (header and separator dropped)."""
    rows = []
    for line in section.splitlines():
        line = line.strip()
        if line.startswith("|") and not re.fullmatch(r"\|[\s|:-]+\|", line):
            rows.append([cell.strip() for cell in line.strip("|").split("|")])
    assert rows, "no table found"
    return rows[1:]


def _plover_cell(value: str | None) -> str:
    return f"`{value}`" if value else "—"


def _doc_row(sub: SubEventType) -> list[str]:
    event_type, sub_event_type, tags = acled_export(sub)
    export = f"{event_type} / {sub_event_type}" + "".join(f" + tag `{tag}`" for tag in tags)
    return [
        sub.event_type,
        sub.sub_event_type,
        sub.definition,
        export,
        _plover_cell(sub.plover_event),
        _plover_cell(sub.plover_mode),
        _plover_cell(sub.plover_context),
    ]


def test_docs_table_matches_the_module_row_for_row() -> None:
    documented = _table(_section(DOC.read_text(encoding="utf-8"), "## Sub-event types"))
    expected = [_doc_row(sub) for sub in TAXONOMY]
    doc_keys = [tuple(row[:2]) for row in documented]
    module_keys = [tuple(row[:2]) for row in expected]
    assert sorted(set(doc_keys) - set(module_keys)) == [], "docs/taxonomy.md has rows the module lacks"
    assert sorted(set(module_keys) - set(doc_keys)) == [], "docs/taxonomy.md lacks rows for these sub-types"
    for doc_row, row in zip(documented, expected, strict=True):
        assert doc_row == row, f"docs/taxonomy.md row differs from the module:\n  doc:    {doc_row}\n  module: {row}"


def test_docs_list_every_event_tag() -> None:
    documented = [row[0].strip("`") for row in _table(_section(DOC.read_text(encoding="utf-8"), "## Tags"))]
    assert documented == list(EVENT_TAGS)
