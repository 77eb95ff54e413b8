"""Every type the event rules can produce is in the documented taxonomy (no model needed)."""

from __future__ import annotations

from sitrep.extract import events
from sitrep.model.taxonomy import lookup


def test_every_rule_type_is_in_the_taxonomy() -> None:
    triggers = [
        *events.TRIGGERS,
        *events.BATTLE_TERRITORY.values(),
        events.RIOT_TRIGGER,
        events.PROTEST_INTERVENTION,
    ]
    for trigger in triggers:
        row = lookup(trigger.event_type, trigger.sub_event_type)
        assert row.sub_event_type == trigger.sub_event_type


def test_supersede_table_names_known_sub_types() -> None:
    known = {t.sub_event_type for t in events.TRIGGERS} | {"Protest with intervention", "Violent demonstration"}
    for present, dropped in events.SUPERSEDES:
        assert present in known, present
        assert dropped <= known, dropped - known
