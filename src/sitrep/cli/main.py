"""The ``sitrep`` command: a thin layer over the library.

Library code raises :class:`~sitrep.errors.SitrepError`; this is the one
place that turns it into ``error [code]: message`` and a non-zero exit.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from sitrep import __version__
from sitrep.cli import batch as batch_cmd
from sitrep.cli import eval as eval_cmd
from sitrep.cli import extract as extract_cmd
from sitrep.cli import gazetteer as gazetteer_cmd
from sitrep.cli import record as record_cmd
from sitrep.cli import serve as serve_cmd
from sitrep.cli import store as store_cmd
from sitrep.cli import watch as watch_cmd
from sitrep.errors import SitrepError

EXIT_OK = 0
EXIT_FAILURES = 1  # some inputs failed; the others were processed
EXIT_ERROR = 2  # the command could not run at all


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="sitrep",
        description=(
            "sitrep turns reporting on an armed conflict into source-attributed records: "
            "clean text, places, dates and figures, each with the exact words it came from."
        ),
    )
    parser.add_argument("--version", action="version", version=f"sitrep {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    extract_cmd.register(commands)
    eval_cmd.register(commands)
    gazetteer_cmd.register(commands)
    store_cmd.register(commands)
    watch_cmd.register(commands)
    record_cmd.register(commands)
    serve_cmd.register(commands)
    batch_cmd.register(commands)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return int(args.handler(args))
    except SitrepError as exc:
        print(f"error [{exc.code}]: {exc.message}", file=sys.stderr)
        return EXIT_ERROR
    except KeyboardInterrupt:
        print("error [cli.interrupted]: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return EXIT_OK


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
