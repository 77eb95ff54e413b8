"""A cheap first pass for archive-scale runs: does a text use conflict or humanitarian vocabulary at all?

Texts without any of these stems go no further than this (a regular expression over the text), which costs a
fraction of the full pipeline. It is a recall-first filter: bench/batch_scaling.py measures what it loses
against the full pipeline (documents with events that it would have dropped).
"""

from __future__ import annotations

import re

STEMS = (
    # violence and its means
    r"attack", r"strike", r"struck", r"shell", r"bomb", r"missile", r"rocket", r"drone", r"artiller", r"mortar",
    r"explo", r"blast", r"shot", r"shoot", r"fir(?:e|ed|ing) (?:on|at)", r"gunfire", r"clash", r"fight", r"battle",
    r"raid", r"ambush", r"offensive", r"assault", r"airstrike", r"air strike", r"grenade", r"landmine", r"mine",
    r"sniper", r"siege", r"invasion", r"incursion", r"occup", r"captur", r"seiz", r"recaptur", r"liberat",
    r"withdr", r"retreat", r"advance", r"front ?line", r"troops", r"soldier", r"militar", r"army", r"forces",
    r"militia", r"rebel", r"insurgent", r"armed", r"war\b", r"wartime", r"conflict", r"ceasefire", r"truce",
    # harm
    r"kill", r"dead", r"death", r"die[ds]?\b", r"casualt", r"wound", r"injur", r"hurt", r"victim", r"massacre",
    r"execut", r"tortur", r"abduct", r"kidnap", r"hostage", r"detain", r"detention", r"arrest", r"missing",
    r"prisoner", r"captive",
    # humanitarian
    r"evacuat", r"displac", r"refugee", r"flee", r"fled", r"shelter", r"humanitarian", r"aid\b", r"relief",
    r"red cross", r"red crescent", r"icrc", r"unhcr", r"ocha", r"\bun\b", r"united nations", r"observer",
    r"civilian", r"protest", r"demonstrat", r"riot", r"curfew", r"martial law",
)  # fmt: skip
PATTERN = re.compile("|".join(STEMS), re.IGNORECASE)


def looks_relevant(text: str) -> bool:
    """True when the text has any conflict or humanitarian vocabulary (and should go through the pipeline)."""
    return PATTERN.search(text) is not None
