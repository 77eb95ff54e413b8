"""``sitrep gazetteer``: build and inspect the place index."""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any

from sitrep.resolve.gazetteer import Gazetteer, GazetteerBuilder
from sitrep.settings import load_settings


def register(commands: Any) -> None:
    parser = commands.add_parser(
        "gazetteer",
        help="build or inspect the offline place index",
        description="Build or inspect the offline place index (GeoNames cities500, ISO 3166).",
    )
    sub = parser.add_subparsers(dest="action", metavar="ACTION", required=True)
    build = sub.add_parser(
        "build", help="(re)build the index in the data directory", description="(Re)build the index."
    )
    build.add_argument("--data-dir", help="folder for the index (default: setting data_dir)")
    build.set_defaults(handler=_build)
    info = sub.add_parser("info", help="print where the index is and what it holds", description="Describe the index.")
    info.add_argument("--data-dir", help="folder for the index (default: setting data_dir)")
    info.set_defaults(handler=_info)
    lookup = sub.add_parser("lookup", help="list the entries a name can denote", description="Look a name up.")
    lookup.add_argument("name", help="a place name in any spelling, e.g. Kiev or Київ")
    lookup.add_argument("--data-dir", help="folder for the index (default: setting data_dir)")
    lookup.set_defaults(handler=_lookup)


def _build(args: argparse.Namespace) -> int:
    settings = load_settings(data_dir=args.data_dir)
    path = GazetteerBuilder(settings.gazetteer_path).build()
    print(f"built {path}", file=sys.stderr)
    return 0


def _info(args: argparse.Namespace) -> int:
    settings = load_settings(data_dir=args.data_dir)
    gazetteer = Gazetteer.open(settings.gazetteer_path)
    print(json.dumps({"path": str(gazetteer.path), **gazetteer.stats()}, indent=2))
    return 0


def _lookup(args: argparse.Namespace) -> int:
    settings = load_settings(data_dir=args.data_dir)
    gazetteer = Gazetteer.open(settings.gazetteer_path)
    for entry in gazetteer.lookup(args.name)[:20]:
        print(
            f"{entry.kind:8} {entry.name:30} {entry.country_code or '-':3} {entry.admin1_name or '-':28} "
            f"pop={entry.population:<9} geonames={entry.geonames_id}"
        )
    return 0
