"""``sitrep eval``: measure sitrep against evaluation corpora."""

from __future__ import annotations

import argparse
import sys
from typing import Any

from sitrep.settings import load_settings


def register(commands: Any) -> None:
    parser = commands.add_parser(
        "eval",
        help="measure sitrep on an evaluation corpus",
        description="Measure sitrep on an evaluation corpus and print the figures.",
    )
    sub = parser.add_subparsers(dest="corpus", metavar="CORPUS", required=True)
    geo = sub.add_parser(
        "geoparsing",
        help="toponym recognition and resolution (LGL, TR-News, GeoVirus XML)",
        description=(
            "Score toponym recognition (precision/recall/F1 by span overlap) and resolution "
            "(exact GeoNames id, accuracy within 161 km, median and mean error in km) on an "
            "LGL, TR-News or GeoVirus XML file."
        ),
    )
    geo.add_argument("file", help="the corpus XML file")
    geo.add_argument("--limit", type=int, help="score only the first N articles")
    geo.add_argument("--data-dir", help="folder for sitrep's own files (default: setting data_dir)")
    geo.add_argument("--no-progress", action="store_true", help="do not show a progress bar")
    geo.set_defaults(handler=_geoparsing)


def _geoparsing(args: argparse.Namespace) -> int:
    from sitrep.evaluate.geoparsing import evaluate_geoparsing, format_report
    from sitrep.extract import Extractor

    settings = load_settings(data_dir=args.data_dir)
    extractor = Extractor.load(settings)
    report = evaluate_geoparsing(
        args.file, extractor, limit=args.limit, progress=not args.no_progress and sys.stderr.isatty()
    )
    print(format_report(report))
    return 0
