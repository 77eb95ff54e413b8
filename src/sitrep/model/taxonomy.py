"""The event taxonomy (DESIGN.md "Taxonomy") as data.

Every ``(event_type, sub_event_type)`` pair an :class:`~sitrep.model.events.Event`
may carry is one :class:`SubEventType` in :data:`TAXONOMY`:

- ``namespace="acled"``: ACLED's six event types and 25 sub-event types,
  spelled exactly as ACLED spells them;
- ``namespace="sitrep"``: sitrep's extension types under ``Territory``,
  ``Humanitarian`` and ``Statements``, for what ACLED has no sub-type for.

Each row also says how the ACLED-shaped export writes it (extension types go
under ``Strategic developments`` / ``Other`` with the sitrep sub-type as a tag,
see :func:`acled_export`) and how it maps to PLOVER (event, mode, context).
The PLOVER names are those of the PLOVER codebook, draft version 0.8
(``openeventdata/PLOVER``, ``PLOVER_MANUAL.tex``); ``None`` means PLOVER has
no category, no mode or no context that fits the sub-type as a whole.
``docs/taxonomy.md`` explains each row and each ``None``; a test keeps that
table and this module equal.

No I/O. Besides the standard library this module imports only
:mod:`sitrep.errors` (which imports nothing from sitrep), for the coded error
that :func:`lookup` raises.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal, get_args

from sitrep.errors import ConfigError

Namespace = Literal["acled", "sitrep"]
NAMESPACES: tuple[str, ...] = get_args(Namespace)

ACLED_EVENT_TYPES: tuple[str, ...] = (
    "Battles",
    "Explosions/Remote violence",
    "Violence against civilians",
    "Protests",
    "Riots",
    "Strategic developments",
)
EXTENSION_EVENT_TYPES: tuple[str, ...] = ("Territory", "Humanitarian", "Statements")
EVENT_TYPES: tuple[str, ...] = ACLED_EVENT_TYPES + EXTENSION_EVENT_TYPES

# Where the ACLED-shaped export puts every extension sub-type.
ACLED_FALLBACK: tuple[str, str] = ("Strategic developments", "Other")
# The extension sub-type travels in ACLED's ``tags`` column as "sitrep: <sub_event_type>".
ACLED_TAG_PREFIX = "sitrep: "

# PLOVER vocabulary (codebook draft 0.8): event categories, the modes each
# category defines (empty: the category has none), and the general contexts.
PLOVER_VERSION = "0.8"
PLOVER_MODES: dict[str, tuple[str, ...]] = {
    "AGREE": (),
    "CONSULT": ("visit", "third-party", "multilateral", "phone"),
    "SUPPORT": (),
    "CONCEDE": (),
    "COOPERATE": (),
    "AID": (),
    "RETREAT": ("withdraw", "release", "return", "disarm", "ceasefire", "access", "resign"),
    "DEMAND": ("assist", "change", "yield", "meet"),
    "ACCUSE": ("disapprove", "investigate", "allege"),
    "REJECT": ("assist", "change", "yield", "meet"),
    "THREATEN": ("restrict", "ban", "arrest", "relations", "expel", "territory", "violence"),
    "PROTEST": ("demo", "riot", "general", "strike", "hunger", "boycott", "obstruct"),
    "SANCTION": ("convict", "expel", "withdraw", "discontinue"),
    "MOBILIZE": ("troops", "weapons", "police", "militia"),
    "COERCE": (
        "confiscate",
        "restrict",
        "ban",
        "censor",
        "curfew",
        "martial-law",
        "arrest",
        "deport",
        "withhold",
    ),
    "ASSAULT": (
        "abduct",
        "beat",
        "torture",
        "execute",
        "sexual",
        "assassinate",
        "destroy",
        "primitive",
        "firearms",
        "explosives",
        "suicide-attack",
        "heavy-weapons",
        "cleansing",
        "massacre",
        "unconventional",
        "sideAB",
    ),
}
PLOVER_EVENTS: tuple[str, ...] = tuple(PLOVER_MODES)
PLOVER_CONTEXTS: tuple[str, ...] = (
    "military",
    "intelligence",
    "peacekeeping",
    "economic",
    "diplomatic",
    "resource",
    "disease",
    "enviro_disaster",
    "migration",
    "humanitarian",
    "asylum",
    "legal",
    "human_rights",
    "rights_freedoms",
    "gender",
    "lgbt",
    "terrorism",
    "human_security",
    "religion_ethnicity",
    "executive",
    "election",
    "legislative",
    "cbrn",
    "cyber",
    "political_institutions",
    "corruption",
    "crime",
    "illegal_drugs",
)


@dataclass(frozen=True)
class SubEventType:
    """One sub-event type: its place in the taxonomy and its ACLED and PLOVER mappings."""

    event_type: str
    sub_event_type: str
    namespace: Namespace
    definition: str  # one line: what it covers and when to prefer a neighbour
    acled_event_type: str  # as the ACLED-shaped export writes it
    acled_sub_event_type: str
    plover_event: str | None  # None: PLOVER codes no event for it
    plover_mode: str | None  # None: no PLOVER mode fits the sub-type as a whole
    plover_context: str | None  # None: the context depends on the report


def _acled(
    event_type: str,
    sub_event_type: str,
    definition: str,
    plover: tuple[str | None, str | None, str | None],
) -> SubEventType:
    return SubEventType(event_type, sub_event_type, "acled", definition, event_type, sub_event_type, *plover)


def _sitrep(
    event_type: str,
    sub_event_type: str,
    definition: str,
    plover: tuple[str | None, str | None, str | None],
) -> SubEventType:
    return SubEventType(event_type, sub_event_type, "sitrep", definition, *ACLED_FALLBACK, *plover)


TAXONOMY: tuple[SubEventType, ...] = (
    # ---------------------------------------------------------------- ACLED: Battles
    _acled(
        "Battles",
        "Armed clash",
        "Two organized armed groups fight and no side is reported to have taken ground; the default for fighting between forces.",
        ("ASSAULT", "sideAB", "military"),
    ),
    _acled(
        "Battles",
        "Government regains territory",
        "Forces of the state that governs a place, or their allies, win it back through fighting from an armed group or a foreign state's forces.",
        ("ASSAULT", "sideAB", "resource"),
    ),
    _acled(
        "Battles",
        "Non-state actor overtakes territory",
        "A non-state armed group takes control of a place through fighting, from state forces or from another group.",
        ("ASSAULT", "sideAB", "resource"),
    ),
    # ---------------------------------------------------------------- ACLED: Explosions/Remote violence
    _acled(
        "Explosions/Remote violence",
        "Chemical weapon",
        "A toxic chemical is used as a weapon; tear gas or other riot-control agents used on a crowd are a Protests or Riots matter instead.",
        ("ASSAULT", "unconventional", "cbrn"),
    ),
    _acled(
        "Explosions/Remote violence",
        "Air/drone strike",
        "Munitions dropped or fired from a manned aircraft or a drone, one-way attack drones included; the delivery platform decides, not the target.",
        ("ASSAULT", None, "military"),
    ),
    _acled(
        "Explosions/Remote violence",
        "Suicide bomb",
        "An explosive attack in which the attacker means to die in the blast (a vest, a vehicle); a device set off from afar is Remote explosive/landmine/IED.",
        ("ASSAULT", "suicide-attack", None),
    ),
    _acled(
        "Explosions/Remote violence",
        "Shelling/artillery/missile attack",
        "Fire from guns, mortars, rocket launchers or missiles; prefer it to Air/drone strike when the report names a shell, rocket or missile and no aircraft or drone.",
        ("ASSAULT", "heavy-weapons", "military"),
    ),
    _acled(
        "Explosions/Remote violence",
        "Remote explosive/landmine/IED",
        "A device laid in advance and set off by a trigger, timer, remote control or the victim: landmines, roadside bombs, car bombs without a suicide attacker.",
        ("ASSAULT", "explosives", None),
    ),
    _acled(
        "Explosions/Remote violence",
        "Grenade",
        "A hand grenade or similar small explosive thrown by an attacker on the spot; grenades dropped from a drone are Air/drone strike.",
        ("ASSAULT", "explosives", None),
    ),
    # ---------------------------------------------------------------- ACLED: Violence against civilians
    _acled(
        "Violence against civilians",
        "Sexual violence",
        "Rape or other sexual violence against civilians by an armed or organized group, whatever else happened in the same incident.",
        ("ASSAULT", "sexual", None),
    ),
    _acled(
        "Violence against civilians",
        "Attack",
        "An armed group harms unarmed civilians directly (shooting, stabbing, beating, burning); civilians hit by shelling, strikes or mines stay under Explosions/Remote violence.",
        ("ASSAULT", None, None),
    ),
    _acled(
        "Violence against civilians",
        "Abduction/forced disappearance",
        "Civilians are kidnapped, taken hostage or made to disappear by an armed group or state agents; a detention of named people by the authorities is Arrests.",
        ("ASSAULT", "abduct", None),
    ),
    # ---------------------------------------------------------------- ACLED: Protests
    _acled(
        "Protests",
        "Peaceful protest",
        "People demonstrate without violence and nobody tries to stop them.",
        ("PROTEST", "demo", None),
    ),
    _acled(
        "Protests",
        "Protest with intervention",
        "A peaceful demonstration that authorities or others try to break up or suppress (dispersal, detentions, tear gas) without deaths or serious injuries.",
        ("PROTEST", "demo", None),
    ),
    _acled(
        "Protests",
        "Excessive force against protesters",
        "Peaceful demonstrators are met with lethal force or force that seriously injures them; the demonstrators themselves used no violence.",
        ("ASSAULT", None, None),
    ),
    # ---------------------------------------------------------------- ACLED: Riots
    _acled(
        "Riots",
        "Violent demonstration",
        "Demonstrators themselves use violence or damage property (stone-throwing, arson, vandalism) in the course of a demonstration.",
        ("PROTEST", "riot", None),
    ),
    _acled(
        "Riots",
        "Mob violence",
        "A crowd that is not demonstrating attacks people or property: lynching, vigilante attacks, communal brawls.",
        ("PROTEST", "riot", None),
    ),
    # ---------------------------------------------------------------- ACLED: Strategic developments
    _acled(
        "Strategic developments",
        "Agreement",
        "Parties reach an agreement that matters for the conflict: a ceasefire, a local truce, a peace deal, a prisoner exchange.",
        ("AGREE", None, None),
    ),
    _acled(
        "Strategic developments",
        "Arrests",
        "Authorities detain specific people or groups of note outside a demonstration (detentions at a protest are Protest with intervention).",
        ("COERCE", "arrest", None),
    ),
    _acled(
        "Strategic developments",
        "Change to group/activity",
        "An armed or political group changes its organization or activity without violence: formation, merger, new leadership, relocation, recruitment, deployment.",
        (None, None, None),
    ),
    _acled(
        "Strategic developments",
        "Disrupted weapons use",
        "An attack is prevented or cut short: a device defused, a drone or missile intercepted, a weapons cache seized.",
        (None, None, None),
    ),
    _acled(
        "Strategic developments",
        "Headquarters or base established",
        "A non-state armed group sets up a permanent or semi-permanent base or headquarters without fighting for the place.",
        ("MOBILIZE", "militia", "military"),
    ),
    _acled(
        "Strategic developments",
        "Looting/property destruction",
        "Property is looted or destroyed by an armed group, rioters or others without a clash and without people being harmed.",
        ("ASSAULT", "destroy", None),
    ),
    _acled(
        "Strategic developments",
        "Non-violent transfer of territory",
        "Control of a place passes from one party to another without fighting: a withdrawal, a handover under a deal.",
        ("RETREAT", "withdraw", "resource"),
    ),
    _acled(
        "Strategic developments",
        "Other",
        "A development that matters for the conflict and fits no other sub-type; also where the ACLED-shaped export puts sitrep's extension types.",
        (None, None, None),
    ),
    # ---------------------------------------------------------------- sitrep: Territory
    _sitrep(
        "Territory",
        "Cross-border incursion",
        "One state's forces cross an international border and take or hold ground in another state's territory; the fights along the way stay Battles.",
        ("ASSAULT", None, "resource"),
    ),
    _sitrep(
        "Territory",
        "Settlement captured",
        "A settlement is reported to have passed to a party that did not hold it, the fighting not described; described fighting is Battles.",
        ("ASSAULT", None, "resource"),
    ),
    _sitrep(
        "Territory",
        "Settlement retaken",
        "A settlement is reported back under the party that held it before, the fighting not described (a ministry's list of recaptured villages).",
        ("ASSAULT", None, "resource"),
    ),
    _sitrep(
        "Territory",
        "Control contested",
        "No party firmly holds a settlement: fighting for it goes on, or the parties' claims of control contradict each other.",
        ("ASSAULT", None, "resource"),
    ),
    # ---------------------------------------------------------------- sitrep: Humanitarian
    _sitrep(
        "Humanitarian",
        "Evacuation",
        "Authorities or agencies organize moving civilians out of a danger area; people leaving on their own are Displacement.",
        ("AID", None, "migration"),
    ),
    _sitrep(
        "Humanitarian",
        "Displacement",
        "Civilians leave their homes because of fighting or fear of it, with no organized evacuation; the numbers go in quantities as displaced.",
        (None, None, None),
    ),
    _sitrep(
        "Humanitarian",
        "Humanitarian access granted",
        "A party lets aid agencies, observers or relief convoys into an area it controls, or opens a corridor for them.",
        ("RETREAT", "access", "humanitarian"),
    ),
    _sitrep(
        "Humanitarian",
        "Humanitarian access denied",
        "A party refuses, blocks or obstructs the entry of aid agencies, observers or relief convoys into an area it controls.",
        ("REJECT", None, "humanitarian"),
    ),
    _sitrep(
        "Humanitarian",
        "Request to observers",
        "A party invites or asks the UN, the ICRC or another neutral body to observe, monitor or assess the situation in an area.",
        ("AGREE", None, "humanitarian"),
    ),
    _sitrep(
        "Humanitarian",
        "Observer or aid-agency visit",
        "Representatives of the UN, the ICRC, an aid agency or a monitoring mission visit a place or meet a party's officials.",
        ("CONSULT", "visit", "humanitarian"),
    ),
    _sitrep(
        "Humanitarian",
        "Aid delivery",
        "Relief (food, water, medicine, shelter, fuel) reaches people in need: a convoy arrives, a distribution takes place.",
        ("AID", None, "humanitarian"),
    ),
    # ---------------------------------------------------------------- sitrep: Statements
    _sitrep(
        "Statements",
        "Accusation",
        "A party blames another for an attack, a violation or harm to civilians; the record is the statement, not the act alleged.",
        ("ACCUSE", "allege", None),
    ),
    _sitrep(
        "Statements",
        "Denial",
        "A party denies an act, a responsibility or a claim attributed to it or made by another party.",
        ("REJECT", None, None),
    ),
    _sitrep(
        "Statements",
        "Claim of IHL compliance",
        "A party asserts that its own operations respect humanitarian law: only military targets struck, civilians spared or evacuated.",
        (None, None, None),
    ),
)

_BY_PAIR: dict[tuple[str, str], SubEventType] = {(s.event_type, s.sub_event_type): s for s in TAXONOMY}


def lookup(event_type: str, sub_event_type: str) -> SubEventType:
    """The taxonomy row for a pair; ``ConfigError`` (``config.unknown_event_type``) when there is none."""
    found = _BY_PAIR.get((event_type, sub_event_type))
    if found is None:
        if event_type not in EVENT_TYPES:
            reason = f"unknown event type {event_type!r} (known: {', '.join(EVENT_TYPES)})"
        else:
            known = ", ".join(s.sub_event_type for s in TAXONOMY if s.event_type == event_type)
            reason = f"{event_type!r} has no sub-event type {sub_event_type!r} (known: {known})"
        raise ConfigError(reason, code="config.unknown_event_type")
    return found


def acled_export(sub: SubEventType) -> tuple[str, str, tuple[str, ...]]:
    """``(event_type, sub_event_type, extra tags)`` as the ACLED-shaped export writes ``sub``.

    ACLED rows are written as they are; extension rows go under
    ``Strategic developments`` / ``Other`` with ``"sitrep: <sub_event_type>"``
    as an extra tag, so nothing is lost on the way out.
    """
    if sub.namespace == "acled":
        return sub.acled_event_type, sub.acled_sub_event_type, ()
    return sub.acled_event_type, sub.acled_sub_event_type, (f"{ACLED_TAG_PREFIX}{sub.sub_event_type}",)


__all__ = [
    "ACLED_EVENT_TYPES",
    "ACLED_FALLBACK",
    "ACLED_TAG_PREFIX",
    "EVENT_TYPES",
    "EXTENSION_EVENT_TYPES",
    "NAMESPACES",
    "PLOVER_CONTEXTS",
    "PLOVER_EVENTS",
    "PLOVER_MODES",
    "PLOVER_VERSION",
    "TAXONOMY",
    "Namespace",
    "SubEventType",
    "acled_export",
    "lookup",
]
