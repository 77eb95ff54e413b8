"""``sitrep incidents``, ``show``, ``control``, ``split``, ``merge``: reading and correcting the record."""

from __future__ import annotations

import argparse
import csv
import json
import re
import sys
from datetime import date
from typing import Any

from sitrep.cli.store import db_options, existing_store

CSV_COLUMNS = (
    "id",
    "event_type",
    "sub_event_type",
    "date_start",
    "date_end",
    "location_name",
    "admin1",
    "country_code",
    "lat",
    "lon",
    "deaths_low",
    "deaths_best",
    "deaths_high",
    "sources",
    "mentions",
    "status",
    "summary",
)
UNPRINTABLE = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u200b-\u200f\u202a-\u202e\u2066-\u2069]")


def register(commands: Any) -> None:
    incidents = commands.add_parser(
        "incidents",
        help="list incidents, filtered",
        description=(
            "List the incidents in the record, newest first: one per happening, fused from every report of it. "
            "Dates are inclusive ISO days; an incident matches --since/--until when its dates overlap them."
        ),
    )
    incidents.add_argument("--since", metavar="DAY", type=_day, help="incidents on or after this day (YYYY-MM-DD)")
    incidents.add_argument("--until", metavar="DAY", type=_day, help="incidents on or before this day (YYYY-MM-DD)")
    incidents.add_argument("--region", help='admin-1 region as sitrep names it, e.g. "Kharkiv Oblast"')
    incidents.add_argument("--type", dest="event_type", help="an event type or sub-event type (see docs/taxonomy.md)")
    incidents.add_argument(
        "--bbox", type=_bbox, metavar="W,S,E,N", help="bounding box: min lon, min lat, max lon, max lat (degrees)"
    )
    incidents.add_argument("--min-sources", type=int, metavar="N", help="only incidents reported by N or more outlets")
    incidents.add_argument("--limit", type=int, metavar="N", help="at most N incidents")
    incidents.add_argument("--format", choices=("table", "jsonl", "csv"), default="table", help="output format")
    db_options(incidents)
    incidents.set_defaults(handler=run_incidents)

    show = commands.add_parser(
        "show",
        help="one incident with its sources and evidence",
        description="Show one incident: canonical values, every source's own figures, claims side by side, "
        "each mention's evidence quote and why it was merged, and analysts' changes.",
    )
    show.add_argument("incident_id", metavar="INCIDENT_ID", help="an incident id, or a mention key DOCUMENT_ID:N")
    show.add_argument("--format", choices=("text", "json"), default="text", help="output format")
    db_options(show)
    show.set_defaults(handler=run_show)

    control = commands.add_parser(
        "control",
        help="who controls a settlement over time",
        description=(
            "Print the control history of a settlement (controller, status controlled/contested/claimed, "
            "valid from/to, the claims behind each state), or with --region and --on, every settlement's "
            "state on one day."
        ),
    )
    control.add_argument("settlement", nargs="?", help="settlement name (as resolved) or GeoNames id")
    control.add_argument("--region", help='admin-1 region, e.g. "Kursk Oblast" (with --on)')
    control.add_argument("--on", metavar="DAY", type=_day, help="the day to list states for (YYYY-MM-DD)")
    control.add_argument("--format", choices=("table", "jsonl"), default="table", help="output format")
    db_options(control)
    control.set_defaults(handler=run_control, parser=control)

    split = commands.add_parser(
        "split",
        help="split mentions out of an incident (analyst)",
        description="Move the given mentions out of an incident into an incident of their own. Both groups stay "
        "as the analyst left them when more reports arrive; the change is kept in the incidents' history.",
    )
    split.add_argument("incident_id", metavar="INCIDENT_ID")
    split.add_argument("keys", nargs="+", metavar="MENTION_KEY", help="mention keys DOCUMENT_ID:N (see 'sitrep show')")
    _analyst_options(split)
    split.set_defaults(handler=run_split)

    merge = commands.add_parser(
        "merge",
        help="merge incidents into one (analyst)",
        description="Make one incident of several. It stays together when more reports arrive; the change is "
        "kept in the incidents' history.",
    )
    merge.add_argument("incident_ids", nargs="+", metavar="INCIDENT_ID")
    _analyst_options(merge)
    merge.set_defaults(handler=run_merge)


def _analyst_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--by", dest="analyst", help="who made the change (kept in the history)")
    parser.add_argument("--note", help="why (kept in the history)")
    db_options(parser)


def run_incidents(args: argparse.Namespace) -> int:
    from sitrep.store.queries import IncidentQuery

    query = IncidentQuery(
        since=args.since,
        until=args.until,
        region=args.region,
        event_type=args.event_type,
        bbox=args.bbox,
        min_sources=args.min_sources,
        limit=args.limit,
    )
    with existing_store(args) as store:
        found = store.incidents(query)
    out = sys.stdout
    if args.format == "jsonl":
        for inc in found:
            out.write(json.dumps(inc.to_dict(), ensure_ascii=False) + "\n")
    elif args.format == "csv":
        writer = csv.writer(out)
        writer.writerow(CSV_COLUMNS)
        for inc in found:
            writer.writerow([_cell(v) for v in _flat(inc)])
    else:
        out.write(f"{'id':17} {'dates':23} {'type':34} {'place':26} {'deaths':11} {'src':>3} {'status':11} claims\n")
        for inc in found:
            dates = inc.date_start or "?"
            if inc.date_end and inc.date_end != inc.date_start:
                dates += f"..{inc.date_end}"
            deaths = f"{inc.deaths.low}/{inc.deaths.best}/{inc.deaths.high}" if inc.deaths else "-"
            place = safe(inc.location_name or "-")[:26]
            out.write(
                f"{inc.id:17} {dates:23} {inc.sub_event_type[:34]:34} {place:26} {deaths:11} {inc.sources:>3} "
                f"{inc.status:11} {safe(inc.summary)[:80]}\n"
            )
        print(f"{len(found)} incident(s)", file=sys.stderr)
    return 0


def run_show(args: argparse.Namespace) -> int:
    with existing_store(args) as store:
        inc = store.incident(args.incident_id)
        seen = store.sightings(sorted({m.document_id for m in inc.members}))
        changes = store.history(inc.id)
    if args.format == "json":
        data = inc.to_dict()
        data["sightings"] = seen
        data["history"] = changes
        print(json.dumps(data, ensure_ascii=False, indent=2))
        return 0
    lines = [
        f"incident {inc.id}  [{inc.status}{', pinned by an analyst' if inc.pinned else ''}]",
        f"  type      {inc.event_type} / {inc.sub_event_type}",
        f"  place     {safe(inc.location_name or '-')} ({inc.admin1 or '-'}, {inc.country_code or '-'})"
        f"  {'' if inc.lat is None else f'{inc.lat:.4f}, {inc.lon:.4f}'}",
        f"  dates     {inc.date_start or '?'} .. {inc.date_end or '?'}",
        f"  sources   {inc.sources} independent ({', '.join(safe(o) for o in inc.origins)}); {len(inc.members)} mention(s)",
    ]
    if inc.deaths:
        lines.append(f"  deaths    low {inc.deaths.low}, best {inc.deaths.best}, high {inc.deaths.high}")
    for kind, r in inc.figures:
        per_source = "; ".join(f"{safe(o)}: {v}" for o, v in r.by_source)
        lines.append(f"  {kind:9} low {r.low}, best {r.best}, high {r.high}  ({per_source})")
    lines.append(f"  claims    {safe(inc.summary) or '-'}")
    for title, refs in (("supporting", inc.supporting), ("disputing", inc.disputing)):
        for ref in refs:
            lines.append(f"    {title:10} {safe(ref.who)} ({ref.stance}, {ref.date or 'undated'}): {safe(ref.quote)!r}")
    lines.append("  mentions")
    for m in inc.members:
        where = "; ".join(f"{safe(s['outlet'] or '-')} {safe(s['url'] or '')}".strip() for s in seen[m.document_id])
        lines.append(f"    {m.key}  {m.sub_event_type}, {m.stance}{f' by {safe(m.claimant)}' if m.claimant else ''}")
        lines.append(f"      seen at   {where or '-'}")
        lines.append(f"      evidence  [{m.start}:{m.end}] {safe(m.quote)!r}")
        lines.append(f"      why here  {safe(m.reason)}")
    if changes:
        lines.append("  history")
        for change in changes:
            lines.append(
                f"    {change['at']} {change['action']} by {safe(change['analyst'] or 'unknown')}"
                f"{': ' + safe(change['note']) if change['note'] else ''}  {json.dumps(change['detail'])}"
            )
    print("\n".join(lines))
    return 0


def run_control(args: argparse.Namespace) -> int:
    if args.settlement and (args.region or args.on):
        args.parser.error("give a settlement, or --on DAY (with --region to narrow it), not both")
    if not args.settlement and not args.on:
        args.parser.error("give a settlement, or --on DAY (with --region to narrow it)")
    with existing_store(args) as store:
        states = store.control(args.settlement) if args.settlement else store.control_on(args.on, region=args.region)
    if args.format == "jsonl":
        for state in states:
            print(json.dumps(state.to_dict(), ensure_ascii=False))
        return 0
    if not states:
        print("no control history for that" if args.settlement else "no settlement with a known state that day")
        return 0
    for state in states:
        span = f"{state.valid_from} .. {state.valid_to or 'now'}"
        who = safe(state.controller or "unknown") + (f" ({state.controller_side})" if state.controller_side else "")
        print(f"{safe(state.settlement)} ({state.admin1 or '-'})  {span:24}  {state.status:10}  {who}")
        for title, refs in (("supported", state.supporting), ("disputed", state.disputing)):
            for ref in refs:
                print(f"    {title:9} {safe(ref.who)} ({ref.stance}, {ref.date or 'undated'}): {safe(ref.quote)!r}")
    return 0


def run_split(args: argparse.Namespace) -> int:
    with existing_store(args) as store:
        ids = store.split(args.incident_id, args.keys, analyst=args.analyst, note=args.note)
    print(f"split {args.incident_id} into {' and '.join(ids)}")
    return 0


def run_merge(args: argparse.Namespace) -> int:
    with existing_store(args) as store:
        merged = store.merge(args.incident_ids, analyst=args.analyst, note=args.note)
    print(f"merged {', '.join(args.incident_ids)} into {merged}")
    return 0


def safe(text: str) -> str:
    """Text from the web, made harmless on a terminal: control and direction characters escaped."""
    return UNPRINTABLE.sub(lambda m: f"\\u{ord(m.group(0)):04x}", text)


def _cell(value: object) -> object:
    """A CSV cell that a spreadsheet will not run as a formula."""
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return value


def _flat(inc: Any) -> list[object]:
    d = inc.deaths
    return [
        inc.id,
        inc.event_type,
        inc.sub_event_type,
        inc.date_start,
        inc.date_end,
        inc.location_name,
        inc.admin1,
        inc.country_code,
        inc.lat,
        inc.lon,
        d.low if d else None,
        d.best if d else None,
        d.high if d else None,
        inc.sources,
        len(inc.members),
        inc.status,
        inc.summary,
    ]


def _day(text: str) -> str:
    try:
        return date.fromisoformat(text).isoformat()
    except ValueError as exc:
        raise argparse.ArgumentTypeError(f"{text!r} is not a day like 2024-09-15") from exc


def _bbox(text: str) -> tuple[float, float, float, float]:
    try:
        w, s, e, n = (float(x) for x in text.split(","))
    except ValueError as exc:
        raise argparse.ArgumentTypeError(f"{text!r} is not W,S,E,N (four numbers)") from exc
    if not (-180 <= w <= e <= 180 and -90 <= s <= n <= 90):
        raise argparse.ArgumentTypeError(f"{text!r}: need -180 <= W <= E <= 180 and -90 <= S <= N <= 90")
    return w, s, e, n
