"""Territorial control: a time series per settlement from territory incidents and their claims.

Pure, like fusion. For one settlement, every incident that says its control
changed hands (a capture, a retaking, an incursion) starts a new state with
that incident's first actor as controller; "Control contested" incidents
start a contested state under the current controller. A state's status:

- ``contested``: someone disputes it (a denial dated on or before that day),
  or the fighting for the place is reported as going on;
- ``controlled``: an outlet reports it in its own voice, or a party confirms it;
- ``claimed``: only a party to the conflict says so.

A dispute reported later than the change it disputes starts a new,
contested state on the day it was reported, as long as no later change has
replaced the disputed state. ``valid_to`` is the day before the next state
begins (inclusive ISO dates, like ``Event.date``); the latest state has
``valid_to = None``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, timedelta

from sitrep.model.incidents import ClaimRef, ControlState, ControlStatus, Incident

GAINS = frozenset(
    {
        "Settlement captured",
        "Settlement retaken",
        "Government regains territory",
        "Non-state actor overtakes territory",
        "Cross-border incursion",
    }
)
CONTESTS = frozenset({"Control contested"})
CONTROL_SUB_TYPES = GAINS | CONTESTS


def is_settlement(place_key: str | None) -> bool:
    return bool(place_key) and str(place_key).startswith(("gn:", "name:"))


class ControlTimeline:
    """Build the control history of one settlement. ``side_of`` maps an actor to its country code."""

    def __init__(self, side_of: Callable[[str], str | None]) -> None:
        self.side_of = side_of

    def states(self, incidents: Iterable[Incident]) -> list[ControlState]:
        relevant = sorted(
            (i for i in incidents if i.sub_event_type in CONTROL_SUB_TYPES and i.date_start and i.place_key),
            key=lambda i: (i.date_start or "", i.id),
        )
        # Change points: each incident on its first day, then each later day someone disputed it
        points: list[tuple[str, int, Incident]] = []
        for inc in relevant:
            start = inc.date_start or ""
            points.append((start, 0, inc))
            for day in sorted({r.date for r in inc.disputing if r.date and r.date > start}):
                points.append((day, 1, inc))
        points.sort(key=lambda p: (p[0], p[1], p[2].id))

        drafts: list[_Draft] = []
        current: Incident | None = None  # the change that made the latest state
        for day, kind, inc in points:
            disputing = tuple(r for r in inc.disputing if (r.date or "") <= day)
            last = drafts[-1] if drafts else None
            if kind == 1:  # a later dispute of a change
                if inc is not current or last is None:
                    continue  # that change has already been replaced by a later one
                if last.status == "contested":  # already contested: one more voice, the same state
                    last.disputing = _merge(last.disputing, disputing)
                else:
                    drafts.append(_Draft(day, inc, last.controller, "contested", last.supporting, disputing))
                continue
            if inc.sub_event_type in GAINS and not inc.supporting and last is not None:
                # Only denials ("X denied that Russia had retaken Y"): the state they deny becomes contested
                if last.status == "contested" and last.day == day:
                    last.disputing = _merge(last.disputing, disputing)
                else:
                    drafts.append(_Draft(day, inc, last.controller, "contested", last.supporting, disputing))
                continue
            current = inc
            if inc.sub_event_type in GAINS:
                status: ControlStatus = "contested" if disputing else _support_status(inc.supporting)
                drafts.append(_Draft(day, inc, _first_actor(inc), status, inc.supporting, disputing))
            else:  # fighting for the place goes on: contested under whoever held it
                who = last.controller if last else None
                drafts.append(_Draft(day, inc, who, "contested", inc.supporting, disputing))

        out: list[ControlState] = []
        for n, draft in enumerate(drafts):
            day, inc = draft.day, draft.incident
            next_day = drafts[n + 1].day if n + 1 < len(drafts) else None
            valid_to = None
            if next_day is not None:
                valid_to = max(day, (date.fromisoformat(next_day) - timedelta(days=1)).isoformat())
            out.append(
                ControlState(
                    place_key=inc.place_key or "",
                    settlement=inc.location_name or (inc.place_key or "").split(":", 1)[-1],
                    geonames_id=inc.geonames_id,
                    country_code=inc.country_code,
                    admin1=inc.admin1,
                    lat=inc.lat,
                    lon=inc.lon,
                    controller=draft.controller,
                    controller_side=self.side_of(draft.controller) if draft.controller else None,
                    status=draft.status,
                    valid_from=day,
                    valid_to=valid_to,
                    supporting=draft.supporting,
                    disputing=draft.disputing,
                    incidents=(inc.id,),
                )
            )
        return out


@dataclass
class _Draft:
    day: str
    incident: Incident
    controller: str | None
    status: ControlStatus
    supporting: tuple[ClaimRef, ...]
    disputing: tuple[ClaimRef, ...]


def _merge(refs: tuple[ClaimRef, ...], more: tuple[ClaimRef, ...]) -> tuple[ClaimRef, ...]:
    return refs + tuple(r for r in more if r not in refs)


def _first_actor(inc: Incident) -> str | None:
    names = sorted(name for role, name in inc.actors if role == "actor1")
    return names[0] if names else None


def _support_status(supporting: tuple[ClaimRef, ...]) -> ControlStatus:
    if any(r.claimant is None or r.stance in ("asserted", "confirmed") for r in supporting):
        return "controlled"
    return "claimed"
