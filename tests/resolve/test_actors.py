"""The actor table and its matcher (no model needed)."""

from __future__ import annotations

from pathlib import Path

import pytest

from sitrep.errors import ConfigError
from sitrep.resolve.actors import ActorTable


def test_aliases_match_longest_first() -> None:
    table = ActorTable.load()
    found = [(m.actor.name, m.text) for m in table.find("Russia's defence ministry said Russian forces advanced.")]
    assert found == [
        ("Ministry of Defence of Russia", "Russia's defence ministry"),
        ("Military Forces of Russia", "Russian forces"),
    ]


def test_short_acronyms_are_case_sensitive() -> None:
    table = ActorTable.load()
    assert [m.actor.name for m in table.find("The UN said it was unusual.")] == ["United Nations"]
    assert list(table.find("an unknown number")) == []


def test_metonymic_names_are_marked_speaker_only() -> None:
    table = ActorTable.load()
    (moscow,) = [m for m in table.find("Moscow denied it.") if m.text == "Moscow"]
    assert moscow.actor.name == "Government of Russia" and moscow.speaker_only


def test_user_file_adds_and_replaces(tmp_path: Path) -> None:
    extra = tmp_path / "actors.yaml"
    extra.write_text(
        "- {name: Northern Volunteer Brigade, kind: militia, country: UA, aliases: [Northern Volunteers]}\n"
        "- {name: ICRC, kind: humanitarian, aliases: [Committee of the Red Cross in Geneva]}\n",
        encoding="utf-8",
    )
    table = ActorTable.load(extra)
    names = [m.actor.name for m in table.find("The Northern Volunteers met the Committee of the Red Cross in Geneva.")]
    assert names == ["Northern Volunteer Brigade", "ICRC"]
    icrc = table.by_name("ICRC")
    assert icrc is not None and icrc.aliases == ("Committee of the Red Cross in Geneva",)


@pytest.mark.parametrize(
    "body",
    ["- {name: X}\n", "- {name: X, kind: wizards}\n", "{not: a list}\n", "- [unclosed\n"],
)
def test_bad_user_file_is_a_coded_error(tmp_path: Path, body: str) -> None:
    extra = tmp_path / "actors.yaml"
    extra.write_text(body, encoding="utf-8")
    with pytest.raises(ConfigError) as info:
        ActorTable.load(extra)
    assert info.value.code == "config.actors_file"
