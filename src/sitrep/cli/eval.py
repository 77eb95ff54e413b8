"""``sitrep eval``: measure sitrep against evaluation corpora."""

from __future__ import annotations

import argparse
import sys
from typing import Any

from sitrep.errors import EvaluationError
from sitrep.evaluate.acled import PUBLISHED_CHOICES
from sitrep.evaluate.floors import CorpusFloors, check_floors, file_sha256, floors_for, format_floor_check, load_floors
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

    acled = sub.add_parser(
        "acled",
        help="event typing, place, date and fatalities against an ACLED export",
        description=(
            "Feed each row's notes (no publication date) to the extractor and score the main event "
            "(first violent event, else first event) against ACLED's coding: event_type, "
            "sub_event_type, location within 10 km (geo_precision 1, and all rows), admin1, date "
            "(where the note states one) and fatalities (a predicted null counts as 0), over all "
            'rows and separately for notes that say "(coded to ...)"; then a confusion table of '
            "sub-event types and the worst rows. With --check-floors, exit 1 when a figure is "
            "below its floor in src/sitrep/evaluate/floors.json."
        ),
    )
    acled.add_argument("file", help="the ACLED CSV export")
    acled.add_argument(
        "--published",
        choices=PUBLISHED_CHOICES,
        default="none",
        help="publication date given to the extractor: none (default), or the day of the row's upload timestamp",
    )
    _common_options(acled)
    acled.set_defaults(handler=_acled)

    ucdp = sub.add_parser(
        "ucdp",
        help="place and deaths against a UCDP GED export",
        description=(
            "Feed each event's source headlines to the extractor and score the main event's place "
            "(within 10 and 50 km, adm_1) and fatalities (against best, and within [low, high]), "
            "over all rows and separately for headlines that state a number. With --check-floors, "
            "exit 1 when a figure is below its floor in src/sitrep/evaluate/floors.json."
        ),
    )
    ucdp.add_argument("file", help="the UCDP GED CSV export")
    _common_options(ucdp)
    ucdp.set_defaults(handler=_ucdp)


def _common_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--limit", type=int, help="score only the first N rows (not with --check-floors)")
    parser.add_argument(
        "--check-floors",
        action="store_true",
        help="compare the figures with the floors pinned for this file; exit 1 if any is below",
    )
    parser.add_argument("--data-dir", help="folder for sitrep's own files (default: setting data_dir)")
    parser.add_argument("--no-progress", action="store_true", help="do not show a progress bar")


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


def _acled(args: argparse.Namespace) -> int:
    from sitrep.evaluate.acled import evaluate_acled, format_report

    options = f"published={args.published}"
    corpus = _floors(args, "acled", options)
    report = evaluate_acled(
        args.file, _extractor(args), limit=args.limit, published=args.published, progress=_progress(args)
    )
    print(format_report(report))
    return _check(report.figures(), corpus)


def _ucdp(args: argparse.Namespace) -> int:
    from sitrep.evaluate.ucdp import evaluate_ucdp, format_report

    corpus = _floors(args, "ucdp", "")
    report = evaluate_ucdp(args.file, _extractor(args), limit=args.limit, progress=_progress(args))
    print(format_report(report))
    return _check(report.figures(), corpus)


def _extractor(args: argparse.Namespace) -> Any:
    from sitrep.extract import Extractor

    return Extractor.load(load_settings(data_dir=args.data_dir))


def _progress(args: argparse.Namespace) -> bool:
    return not args.no_progress and sys.stderr.isatty()


def _floors(args: argparse.Namespace, kind: str, options: str) -> CorpusFloors | None:
    """The floors to check (looked up before the long run, so a wrong file fails at once), or None."""

    if not args.check_floors:
        return None

    if args.limit is not None:
        raise EvaluationError(
            "--check-floors compares whole files with their pinned floors; drop --limit", code="eval.no_floors"
        )
    try:
        sha256 = file_sha256(args.file)
    except FileNotFoundError as exc:
        raise EvaluationError(f"{args.file}: no such file", code="eval.bad_file") from exc
    except OSError as exc:
        raise EvaluationError(f"{args.file}: cannot be read ({exc.strerror or exc})", code="eval.bad_file") from exc
    return floors_for(sha256, kind, load_floors(), options=options)


def _check(figures: dict[str, float | None], corpus: CorpusFloors | None) -> int:
    if corpus is None:
        return 0

    misses = check_floors(figures, corpus)
    print(format_floor_check(corpus, misses))
    return 1 if misses else 0
