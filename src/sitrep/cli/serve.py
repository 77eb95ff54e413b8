"""``sitrep serve``, ``sitrep users`` and ``sitrep export``: the API, its users, and files for other tools."""

from __future__ import annotations

import argparse
import sys
from typing import Any

from sitrep.cli.store import cli_actor, db_options, existing_store
from sitrep.settings import load_settings


def register(commands: Any) -> None:
    serve = commands.add_parser(
        "serve",
        help="serve the HTTP API",
        description="Serve the HTTP API (OpenAPI at /api/v1/openapi.json) on HOST:PORT. Callers send "
        "'Authorization: Bearer TOKEN' (sitrep users token NAME); anonymous read-only access to verified, public "
        "data only with SITREP_ALLOW_ANONYMOUS=true. Creates the database when it does not exist.",
    )
    serve.add_argument(
        "--host", default="127.0.0.1", help="address to listen on (default 127.0.0.1: this machine only)"
    )
    serve.add_argument("--port", type=int, default=8000, help="port (default 8000)")
    db_options(serve)
    serve.set_defaults(handler=run_serve)

    users = commands.add_parser("users", help="manage API users and tokens", description="Manage API users and tokens.")
    actions = users.add_subparsers(dest="users_command", metavar="ACTION", required=True)
    add = actions.add_parser("add", help="add a user", description="Add a user with a role.")
    add.add_argument("name")
    add.add_argument("--role", required=True, choices=("viewer", "observer", "analyst", "admin"))
    add.add_argument(
        "--clearance",
        choices=("public", "restricted", "confidential"),
        help="the most sensitive level the user may see (default by role: viewer and observer public, analyst "
        "restricted, admin confidential; an analyst may be given confidential)",
    )
    db_options(add)
    add.set_defaults(handler=run_users_add)
    remove = actions.add_parser("remove", help="remove a user and their tokens", description="Remove a user.")
    remove.add_argument("name")
    db_options(remove)
    remove.set_defaults(handler=run_users_remove)
    token = actions.add_parser(
        "token",
        help="issue an API token",
        description="Issue a new API token for a user and print it. It is shown this once: only its hash is kept.",
    )
    token.add_argument("name")
    token.add_argument("--label", help="what the token is for")
    db_options(token)
    token.set_defaults(handler=run_users_token)
    listing = actions.add_parser("list", help="list users", description="List users, roles and token counts.")
    db_options(listing)
    listing.set_defaults(handler=run_users_list)

    export = commands.add_parser(
        "export",
        help="write incidents for other tools",
        description="Write incidents as ACLED-shaped CSV, a UCDP-shaped CSV, GeoJSON, HXL-tagged CSV, Parquet or "
        "XLSX (docs/exports.md). The output holds what a caller of the given level may see: by default public, "
        "with restricted sources redacted and confidential ones left out; personal data is never exported.",
    )
    export.add_argument("format", choices=("acled-csv", "ucdp-csv", "geojson", "hxl-csv", "parquet", "xlsx"))
    export.add_argument("--output", "-o", required=True, help="file to write ('-' for standard output)")
    export.add_argument("--level", choices=("public", "restricted", "confidential"), default="public")
    export.add_argument(
        "--status",
        action="append",
        choices=("provisional", "verified", "unverifiable", "rejected"),
        help="only incidents of this status (repeatable; default: all)",
    )
    export.add_argument("--since", help="dates reach this day or later (YYYY-MM-DD)")
    export.add_argument("--until", help="dates begin this day or earlier (YYYY-MM-DD)")
    export.add_argument("--region", help="admin1 name")
    export.add_argument("--type", dest="event_type", help="event type or sub-event type")
    db_options(export)
    export.set_defaults(handler=run_export)


def run_serve(args: argparse.Namespace) -> int:
    import uvicorn

    from sitrep.serve.app import create_app
    from sitrep.store import database_url, open_store

    settings = load_settings(data_dir=args.data_dir)
    store = open_store(database_url(args.db, settings.data_dir))
    if store.revision() is None:
        store.upgrade()
    store.check_schema()
    if settings.retention_days is not None:
        store.purge_personal_data(older_than_days=settings.retention_days, caller="system")
    app = create_app(store, settings)
    print(f"sitrep API on http://{args.host}:{args.port}/api/v1 (OpenAPI: /api/v1/openapi.json)", file=sys.stderr)
    uvicorn.run(app, host=args.host, port=args.port, log_level="warning")
    store.close()
    return 0


def run_users_add(args: argparse.Namespace) -> int:
    with existing_store(args) as store:
        user = store.add_user(args.name, args.role, args.clearance, by=cli_actor())
    print(f"added {user.name}: {user.role}, clearance {user.clearance}")
    return 0


def run_users_remove(args: argparse.Namespace) -> int:
    with existing_store(args) as store:
        store.remove_user(args.name, by=cli_actor())
    print(f"removed {args.name} and their tokens")
    return 0


def run_users_token(args: argparse.Namespace) -> int:
    with existing_store(args) as store:
        token = store.issue_token(args.name, label=args.label, by=cli_actor())
    print(token)
    print("shown once: only its hash is kept", file=sys.stderr)
    return 0


def run_users_list(args: argparse.Namespace) -> int:
    from sitrep.store import users

    with existing_store(args) as store, store.connect() as conn:
        rows = users.list_users(conn)
    for r in rows:
        print(f"{r['name']}\t{r['role']}\t{r['clearance']}\t{r['tokens']} token(s)")
    return 0


def run_export(args: argparse.Namespace) -> int:
    from sitrep.cli.record import _day
    from sitrep.export import write_export
    from sitrep.model.access import Caller
    from sitrep.store import views
    from sitrep.store.queries import IncidentQuery

    caller = Caller(cli_actor(), "analyst", args.level)
    query = IncidentQuery(
        since=_day(args.since) if args.since else None,
        until=_day(args.until) if args.until else None,
        region=args.region,
        event_type=args.event_type,
        statuses=tuple(args.status) if args.status else None,
    )
    with existing_store(args) as store, store.connect() as conn:
        found = views.incidents_for(conn, caller, query)
    if args.output == "-":
        count = write_export(args.format, found, sys.stdout.buffer)
    else:
        with open(args.output, "wb") as out:
            count = write_export(args.format, found, out)
    print(f"{count} incident(s) written", file=sys.stderr)
    return 0
