"""The event rules' vocabulary: triggers typed with the taxonomy, and the word lists
and patterns the cascade in :mod:`sitrep.extract.events` reads.

Everything here is data (compiled patterns, sets, tables); the logic that uses
it lives in ``events.py``. Trigger order matters: the most specific first.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

EB = "Explosions/Remote violence"
BT = "Battles"
VAC = "Violence against civilians"
SD = "Strategic developments"
TERR = "Territory"
HUM = "Humanitarian"


@dataclass(frozen=True)
class Trigger:
    pattern: re.Pattern[str]
    event_type: str
    sub_event_type: str
    tags: tuple[str, ...] = ()


def trigger(pattern: str, event_type: str, sub: str, *tags: str) -> Trigger:
    return Trigger(re.compile(r"\b(?:" + pattern + r")\b", re.IGNORECASE), event_type, sub, tags)


# Most specific first: the first trigger found in a clause types it.
TRIGGERS: tuple[Trigger, ...] = (
    trigger(
        r"invit\w*[^.]{0,80}?\b(?:observe|observers?|monitor|visit)"
        r"|(?:called on|asked|appealed to|urged)[^.]{0,90}?\bto send (?:a |an |its )?(?:\w+ )?(?:mission|monitors|observers|inspectors|experts|team)",
        HUM,
        "Request to observers",
    ),
    trigger(
        r"without a fight|unopposed|without a shot being fired|handed over control",
        SD,
        "Non-violent transfer of territory",
    ),
    trigger(
        r"cross-border (?:incursion|offensive|raid|attack)|incursion|pushed (?:across the border )?into"
        r"|crossed (?:the border )?into|crossed the border",
        TERR,
        "Cross-border incursion",
        "territory_change",
        "cross_border",
    ),
    trigger(
        r"contested|divided by the front ?line|neither side (?:fully )?controls|fighting for control",
        TERR,
        "Control contested",
        "territory_change",
    ),
    trigger(
        r"recaptur\w+|retook|retaken|retake|regain\w* control|liberat\w+|won back|restored control",
        TERR,
        "Settlement retaken",
        "territory_change",
    ),
    trigger(
        r"captur\w+|seiz\w+|took (?:full )?control|taken (?:full )?control|occupied|overran|overrun"
        r"|raised (?:their|the \w+|its) flag over|(?:took|taken) (?:the )?(?:village|town|city|settlement) of",
        TERR,
        "Settlement captured",
        "territory_change",
    ),
    trigger(
        r"evacuat\w+|taking (?:\w+ ){0,3}out of|bus(?:s)?ed out|(?:was|were|been) brought out\b", HUM, "Evacuation"
    ),
    trigger(
        r"displac\w+|fled their homes|forced to flee|fled|fleeing|leave (?:on foot|their homes)|left their homes",
        HUM,
        "Displacement",
    ),
    trigger(
        r"(?:denied|blocked|refused|no|without) (?:\w+ ){0,3}access|refused to let|not (?:been )?(?:granted|given) access"
        r"|turned back at",
        HUM,
        "Humanitarian access denied",
    ),
    trigger(
        r"(?:granted|allowed|gained|given) (?:\w+ ){0,3}access|let (?:\w+ ){0,4}(?:teams?|convoys?|aid|delegates|inspectors) into"
        r"|opened a (?:humanitarian )?corridor|humanitarian corridor",
        HUM,
        "Humanitarian access granted",
    ),
    trigger(
        r"(?:aid|humanitarian) (?:convoy|delivery|deliveries|cargo|shipment)|delivered (?:\w+ ){0,3}(?:aid|supplies|food|water|medicine)"
        r"|handed (?:over|out) (?:\w+ ){0,3}(?:generators|food|parcels|aid|supplies|medicines?|equipment|blankets|water|kits)",
        HUM,
        "Aid delivery",
    ),
    trigger(
        r"shot down|intercept\w*|downed|destroyed (?:\w+ ){0,3}(?:drones|missiles|rockets)|air defen[cs]e"
        r"|defus\w+|demin\w+|neutrali[sz]\w+ (?:a |an |the )?(?:bomb|explosive|device)",
        SD,
        "Disrupted weapons use",
    ),
    trigger(
        r"(?:commandant's office|headquarters|base|camp|command post)[^.]{0,40}(?:set up|established)"
        r"|(?:set up|established)[^.]{0,30}(?:commandant's office|headquarters|base|camp|command post)"
        r"|turned (?:\w+ ){0,4}into a (?:military )?base",
        SD,
        "Headquarters or base established",
    ),
    trigger(
        r"in (?:direct )?command of|replac\w+ the (?:general|commander)|decree creating|creat\w+ a (?:separate )?branch"
        r"|handing over (?:its|their) [^.]{0,60}?weapons|ordered (?:a )?(?:partial )?mobili[sz]ation|mobili[sz]ation of|mobili[sz]ation (?:order|decree)|announced (?:a )?(?:partial )?mobili[sz]ation",
        SD,
        "Change to group/activity",
    ),
    trigger(
        r"exhum\w+|mass graves?|fire broke out|lost (?:its )?(?:last )?(?:external )?power",
        SD,
        "Other",
    ),
    trigger(
        r"opened fire on (?:a |the )?(?:peaceful )?(?:[\w-]+ )?(?:rally|protest|protesters|demonstrators|demonstration)",
        "Protests",
        "Excessive force against protesters",
    ),
    trigger(
        r"air ?strikes?|air raids?|drones?|uavs?|glide bombs?|guided (?:aerial )?bombs?|aerial bombs?|shahed"
        r"|bombed|bombing raids?|dropped (?:\w+ ){0,2}bombs?",
        EB,
        "Air/drone strike",
    ),
    trigger(
        r"shell\w*|artillery|missiles?|rockets?|mortars?|multiple rocket|grad|iskander|ballistic|cruise missile|struck",
        EB,
        "Shelling/artillery/missile attack",
    ),
    trigger(
        r"land ?mines?|mines?\b|explosive device|ied|tripwire|booby[- ]trap|car bomb|bomb planted",
        EB,
        "Remote explosive/landmine/IED",
    ),
    trigger(r"grenades?", EB, "Grenade"),
    trigger(
        r"abduct\w+|kidnapp?\w+|forcibly disappeared|taken hostage|forcibly deported|whereabouts|where (?:he|she|they) (?:is|are|was|were) being held"
        r"|bag over (?:his|her|their) heads?|drove (?:him|her|them) away|to an unknown location",
        VAC,
        "Abduction/forced disappearance",
    ),
    trigger(r"rap(?:e|ed|es|ing)|sexual violence|sexual assault", VAC, "Sexual violence"),
    trigger(
        r"executed|shot dead|tortur\w+|summarily killed|beaten|beat (?:him|her|them)", VAC, "Attack", "civilian_harm"
    ),
    trigger(
        r"clash\w*|fighting(?! vehicles?)|battles?(?! tanks?)|firefights?|exchange of fire|exchanged [^.]{0,40}?fire|repelled|repulsed|assault on|storm(?:ed|ing)?(?! shadow)|attacked (?:\w+ ){0,2}positions"
        r"|skirmish\w*|attacked positions|counter-?attack\w*|counter-?offensive|gun battle|fought",
        BT,
        "Armed clash",
    ),
    trigger(
        r"protest\w*|rall(?:y|ies|ied)|demonstrat(?:ion|ions|ors|ed)|took to the streets|marched through|picket\w*"
        r"|laid flowers(?= [^.;]{0,80}\bto (?:demand|protest|call for))",
        "Protests",
        "Peaceful protest",
    ),
    trigger(r"arrest\w*|detain\w*", SD, "Arrests"),
    trigger(
        r"prisoners? (?:of war )?(?:exchange|swap)|exchang\w+ (?:\w+ ){0,2}prisoners|swap\w* (?:\w+ ){0,2}prisoners"
        r"|handed over (?:\w+ ){0,2}prisoners|signed (?:\w+ ){0,2}agreements?|repatriation agreement|agreed|agreement|ceasefire deal",
        SD,
        "Agreement",
    ),
    trigger(
        r"loot\w*|pillag\w*|set fire to|burn(?:ed|t) (?:down )?(?:\w+ ){0,2}(?:houses|homes|buildings)"
        r"|(?:took|taken|stole|stolen|carried off) (?:\w+ ){0,4}(?:paintings|artworks|grain|equipment|fire engines|ambulances)",
        SD,
        "Looting/property destruction",
    ),
    trigger(
        r"visit\w*|arrived in|reached|travel\w* to|(?:was|were) in \w+(?: on \w+)? for talks",
        HUM,
        "Observer or aid-agency visit",
    ),
    trigger(r"kill\w*|dead|died", VAC, "Attack", "civilian_harm"),
)

SPEECH_VERBS: dict[str, str] = {
    "say": "claimed",
    "claim": "claimed",
    "report": "claimed",
    "announce": "claimed",
    "state": "claimed",
    "tell": "claimed",
    "add": "claimed",
    "write": "claimed",
    "post": "claimed",
    "allege": "claimed",
    "insist": "disputed",
    "confirm": "confirmed",
    "acknowledge": "confirmed",
    "admit": "confirmed",
    "deny": "denied",
    "reject": "denied",
    "refute": "denied",
    "dismiss": "denied",
    "accuse": "claimed",
    "denounce": "claimed",
    "condemn": "claimed",
    "warn": "claimed",
    "charge": "claimed",
    "indict": "claimed",
}

# Verbs whose object is the one said to have done what follows "with"/"of"/"for".
ACCUSING = frozenset({"charge", "accuse", "convict", "sentence", "indict", "suspect"})

# "according to officials" names a source; "according to plan" does not.
SPEAKER_NOUNS = frozenset(
    "official officials ministry source sources report reports statement police military governor authority "
    "authorities agency army spokesman spokeswoman spokesperson witness witnesses resident residents monitor "
    "monitors administration office service command staff mayor head chief president minister data".split()
)

MODAL = frozenset({"could", "may", "might", "would", "should", "will", "shall"})

PLAN = frozenset(
    {
        "expect",
        "schedule",
        "plan",
        "threaten",
        "intend",
        "vow",
        "prepare",
        "aim",
        "seek",
        "want",
        "hope",
        "propose",
        "consider",
        "pledge",
        "promise",
        "ask",
        "urge",
        "offer",
        "prefer",
        "necessary",
        "capable",
        "ready",
        "possible",
        "determined",
        "effort",
    }
)

AID_WORKERS = re.compile(
    r"\b(?:aid workers?|humanitarian workers?|medics?|paramedics?|doctors?|nurses?|rescuers?|deminers?)\b"
    r"|\b(?:icrc|red cross|unicef|unhcr|wfp|msf|un|aid|humanitarian|relief)\b[^.]{0,40}?\b(?:staff|workers?|drivers?|volunteers?|employees|team|members|personnel|convoy)\b"
    r"|\b(?:staff|workers?|drivers?|volunteers?|employees|members?|personnel)\b of (?:the |its )?(?:\w+ )?(?:icrc|red cross|un|aid|medecins sans frontieres|doctors without borders)"
    r"|\bvolunteers? (?:who were )?(?:delivering|distributing|evacuating|handing out)\b|\bambulance crews?\b",
    re.IGNORECASE,
)

CIVILIANS = re.compile(
    r"\b(?:civilians?|residents?|children|child|women|woman|man|men|people|passengers?|pensioners?|families|driver|"
    r"teachers?|boy|girl|students?|mother|father|daughter|son|family)\b",
    re.IGNORECASE,
)

HARM_KINDS = frozenset({"killed", "injured"})

ATTACK = re.compile(
    r"\b(?:hit|hits|struck|strike|strikes|fired|firing|launched|launch|attack\w*|shell\w*|pounded|bombard\w*|"
    r"landed|kill\w*|injur\w*|wound\w*|damag\w*|destroy\w*|explod\w*|targeted|barrage|rained)\b",
    re.I,
)

OBSERVERS = re.compile(
    r"\b(?:icrc|red cross|united nations|un|observers?|mission|delegation|monitors?|aid agenc\w*|humanitarian|"
    r"unhcr|ocha|iaea|osce|who|unicef|envoy|rapporteur)\b",
    re.I,
)

WEAPON_SUBTYPES = frozenset({"Shelling/artillery/missile attack", "Air/drone strike"})

NON_STATE = re.compile(
    r"\b(?:separatists?|militants?|rebels?|armed groups?|saboteurs?|raiders?|wagner|insurgents?|"
    r"self-defen[cs]e units|volunteer corps|legion)\b",
    re.I,
)

RIOT = re.compile(
    r"\b(?:threw stones|hurled|set fire to|smashed|clashed with (?:riot )?police|torched|overturned)\b", re.I
)

BATTLE_TERRITORY = {
    "Settlement captured": Trigger(re.compile("x"), BT, "Non-state actor overtakes territory", ("territory_change",)),
    "Settlement retaken": Trigger(re.compile("x"), BT, "Government regains territory", ("territory_change",)),
}

RIOT_TRIGGER = Trigger(re.compile("x"), "Riots", "Violent demonstration", ())

# (present sub-type, sub-types it makes redundant in the same sentence)
SUPERSEDES: tuple[tuple[str, frozenset[str]], ...] = (
    ("Non-violent transfer of territory", frozenset({"Settlement captured", "Settlement retaken", "Armed clash"})),
    (
        "Excessive force against protesters",
        frozenset({"Peaceful protest", "Attack", "Shelling/artillery/missile attack"}),
    ),
    ("Protest with intervention", frozenset({"Grenade", "Arrests", "Attack"})),
    ("Peaceful protest", frozenset({"Grenade"})),
    ("Air/drone strike", frozenset({"Grenade"})),
    ("Abduction/forced disappearance", frozenset({"Arrests", "Settlement captured"})),
    ("Humanitarian access denied", frozenset({"Aid delivery", "Humanitarian access granted"})),
    ("Other", frozenset({"Attack"})),
    ("Agreement", frozenset({"Attack", "Armed clash"})),
    ("Request to observers", frozenset({"Observer or aid-agency visit"})),
    ("Control contested", frozenset({"Armed clash"})),
)

FIGURE_OWNERS = {
    "evacuated": {"Evacuation"},
    "displaced": {"Displacement"},
    "settlements": {
        "Settlement captured",
        "Settlement retaken",
        "Control contested",
        "Government regains territory",
        "Non-state actor overtakes territory",
        "Non-violent transfer of territory",
    },
    "area_km2": {"Cross-border incursion", "Settlement captured", "Settlement retaken", "Control contested"},
}

FORCE_NOUNS = frozenset(
    "missile rocket drone bomb strike attack shelling artillery troop force soldier army unit assault aircraft jet "
    "warplane shell bomber helicopter tank column brigade battalion infantry serviceman marine paratrooper group".split()
)

NATIONALITY = {
    "russian": "Military Forces of Russia",
    "ukrainian": "Military Forces of Ukraine",
    "belarusian": "Military Forces of Belarus",
}

# "KYIV, Sept 16 (Reuters) -": where the report was filed, not where anything happened.
DATELINE = re.compile(
    r"^\s*[A-Z][A-Za-z.' -]{1,40}?(?:,\s*[A-Z][a-z]{2,4}\.? \d{1,2})?\s*(?:\([^)]{1,30}\))?\s*[-–—]\s"
)

GENERIC_SPEAKERS = frozenset(
    {"the organisation", "the organization", "the agency", "the committee", "the group", "the charity", "it"}
)

NEGATIVE_TRIGGER = re.compile(r"\b(?:not|no|without|refused|denied|blocked)\b", re.I)

INTERVENTION = re.compile(r"\b(?:detain\w*|arrest\w*|dispers\w*|tear gas|rubber bullets|broke up|beat\w*)\b", re.I)

PROTEST_INTERVENTION = Trigger(re.compile(r"protest", re.I), "Protests", "Protest with intervention", ())

DAMAGE = re.compile(r"\b(?:kill\w*|injur\w*|wound\w*|damag\w*|destroy\w*|hit|struck|debris)\b", re.I)

# "killing the driver", "a man was killed": one death stated without a number.
SINGLE_VICTIM = re.compile(
    r"\b(?:kill(?:ed|ing)|shot dead)\s+(?:a|an|the|one)\s+(?:\w+\s+)?(?:man|woman|boy|girl|child|driver|civilian|"
    r"resident|soldier|volunteer|medic|journalist|farmer|pensioner|teenager|worker|police officer|officer|person)\b"
    r"|\b(?:a|an|one)\s+(?:\w+\s+)?(?:man|woman|boy|girl|child|driver|civilian|resident|soldier|volunteer|medic|journalist|"
    r"farmer|pensioner|teenager|worker|police officer|officer|person)\s+(?:was|has been)\s+killed\b"
    r"|\bone of (?:its|their|the|his|her) \w+ (?:had been|has been|was) killed\b"
    r"|\b(?:later )?died of (?:his|her) (?:injuries|wounds)\b",
    re.I,
)

ACCUSE = re.compile(r"\b(?:accus\w+|what (?:it|he|she|they) called)\b", re.I)

IHL = re.compile(
    r"\b(?:international humanitarian law|humanitarian law|laws of war|geneva conventions?|international law)\b", re.I
)

# "north of the city of Kharkiv": a reference point, not where it happened
RELATIVE = re.compile(
    r"\b(?:north|south|east|west|northeast|northwest|southeast|southwest|outside|towards?|toward)(?:-\w+)?"
    r"(?: of)?(?: the (?:city|town|village) of)?\s+$",
    re.I,
)

SELF_HARM = re.compile(r"^kill\w*\s+(?:himself|herself|themselves)\b", re.I)

# Weapons handed over, not fired: "supplying Ukraine with artillery".
SUPPLY = frozenset(
    "supply provide send deliver give receive buy purchase produce manufacture transfer pledge donate equip "
    "acquire export import demand need shortage production stock".split()
)

# Nouns that name a happening only as a topic: "survivors of torture", "reporting on displacement".
ABSTRACT_HEADS = frozenset(
    "survivor victim aim goal risk threat fear danger history year decade report reporting data study prospect "
    "possibility scale memory anniversary museum film book documentary law crime definition tactic strategy "
    "experience lesson image video photo footage symbol issue question topic warn warning demand need "
    "shortage production stock fear assistance help support role expertise interest involvement".split()
)

# What only a figure of speech attacks: "an assault on Ukraine's sovereignty".
ABSTRACT_TARGETS = frozenset(
    "sovereignty integrity democracy freedom freedoms values rights truth independence order principles law "
    "economy press memory identity disinformation propaganda corruption warming climate poverty inflation crime "
    "institution imagination attention heart market headline".split()
)

# Taken prisoner, not a place taken: "captured 5,000 troops".
CAPTIVES = frozenset(
    "troop soldier serviceman fighter prisoner man woman civilian people person crew pilot sailor marine mercenary "
    "officer commander".split()
)

# People killed or wounded: an anchor of a reported happening (events.py, confidence).
CASUALTY = re.compile(r"\b(?:kill(?:s|ed|ing)?|dead|wound(?:s|ed|ing)?|injur(?:es|ed|ing))\b", re.I)

# Words that make a trigger after a hyphen part of another word: "hard-fought", "anti-aircraft".
HYPHEN_PREFIX = re.compile(r"\b(?:hard|anti|long|well|war|battle|self|so)$", re.I)

# Background from wars long past: "during the Second World War".
HISTORICAL = re.compile(
    r"(?<!since )(?<!since the )\b(?:(?:first|second) world war|world war (?:i|ii|one|two)|wwii|great patriotic war|holodomor|"
    r"soviet times|soviet era|cold war|red army|in the (?:19|18)\d0s)\b",
    re.I,
)

# People crossing a border flee; forces crossing it invade.
CROSSING_PEOPLE = re.compile(
    r"\b(?:people|refugees|civilians|residents|women|children|families|ukrainians|evacuees|migrants|citizens)\b", re.I
)

CUMULATIVE = re.compile(
    r"\b(?:since (?:the (?:start|beginning)|february|the full-scale|\d{4})|so far|in total|to date"
    r"|every day|each day|daily|per day|a day)\b",
    re.I,
)

FALSE = re.compile(r"\b(?:false|untrue|fake|not true|baseless|groundless)\b", re.I)

INCLUDING = re.compile(r"\b(?:including|among them|of whom|of them|toll|rose to|risen to|of the wounded)\b", re.I)

NO_ONE = re.compile(
    r"\b(?:no one|nobody|no-one)\b[^.;]{0,20}\b(?:killed|hurt|injured|died)\b|\bno (?:casualties|deaths)\b", re.I
)

PERSON_SINGULAR = frozenset(
    "man woman boy girl child mother father wife husband son daughter grandmother grandfather driver teacher "
    "doctor nurse medic volunteer soldier civilian resident pensioner teenager baby".split()
)
