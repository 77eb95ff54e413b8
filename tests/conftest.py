"""Shared fixtures. Model-backed fixtures build the gazetteer once per session."""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from sqlalchemy import Engine, create_engine, text
from sqlalchemy.engine import make_url

from sitrep.settings import Settings, load_settings
from sitrep.store import Store, database_url, open_store


@pytest.fixture(scope="session")
def data_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("sitrep-data")


@pytest.fixture(scope="session")
def settings(data_dir: Path) -> Settings:
    return load_settings(environ={}, data_dir=str(data_dir))


@pytest.fixture(scope="session")
def gazetteer(settings: Settings) -> Iterator[object]:
    from sitrep.resolve.gazetteer import Gazetteer

    gaz = Gazetteer.open(settings.gazetteer_path)
    yield gaz


@pytest.fixture(scope="session")
def extractor(settings: Settings, gazetteer: object) -> object:
    from sitrep.extract import Extractor

    return Extractor.load(settings)


# PostgreSQL and the store ------------------------------------------------------------------
# Store fixtures (for tests/store and tests/serve): the same repository tests on SQLite and on a real PostgreSQL server.
#
# ``store_url`` and ``store`` are parametrized over both engines (test ids
# ``[sqlite]`` and ``[postgresql]``), so a test written once runs twice. Each
# test gets a new, empty database: an SQLite file in its ``tmp_path``, or a
# uniquely named PostgreSQL database that is dropped afterwards.
#
# PostgreSQL is a real server. With ``TEST_POSTGRES_URL`` set (a
# ``postgresql://`` or ``postgresql+psycopg://`` URL of a database whose user
# may create databases) that server is used; otherwise
# ``scripts/pg-test-server.sh`` installs PostgreSQL if needed (Debian package)
# and starts a throwaway cluster on a loopback port in a temporary directory,
# stopped and deleted when the session ends. When it cannot start, every
# PostgreSQL test fails with the script's message: nothing is skipped.
# ``pytest -m "not postgres"`` leaves the PostgreSQL cases out on purpose.
#
# The variable is not named ``SITREP_*``: that prefix belongs to the settings
# (``sitrep.settings``), and the docs test allows no other ``SITREP_`` name.

POSTGRES_URL_ENV = "TEST_POSTGRES_URL"
SERVER_SCRIPT = Path(__file__).resolve().parents[1] / "scripts" / "pg-test-server.sh"
SERVER_START_TIMEOUT = 300  # seconds; the first start may install the Debian package

ENGINES = ("sqlite", "postgresql")


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "postgres: runs against a real PostgreSQL server (tests/conftest.py)")


@pytest.hookimpl(tryfirst=True)  # before -m deselects by marker
def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Mark the PostgreSQL cases ``postgres``. (Not with ``pytest.param(marks=...)``: under
    ``--strict-markers`` that would need the marker registered before this file is imported.)"""
    for item in items:
        callspec = getattr(item, "callspec", None)
        if (callspec is not None and callspec.params.get("store_url") == "postgresql") or (
            callspec is not None and callspec.params.get("engine") == "postgresql"
        ):
            item.add_marker(pytest.mark.postgres)


@pytest.fixture(scope="session")
def postgres_url() -> Iterator[str]:
    """The URL of the base database of a PostgreSQL server for this session (create databases in it, not tables)."""
    given = os.environ.get(POSTGRES_URL_ENV, "").strip()
    if given:
        yield database_url(given, data_dir=".")  # postgresql:// -> postgresql+psycopg://
        return
    # Not under pytest's basetemp: that is mode 0700 under /tmp/pytest-of-USER, which the
    # server's own OS user (sitrep-pg, when we are root) cannot traverse.
    server_dir = tempfile.mkdtemp(prefix="sitrep-pg-test.")
    try:
        started = subprocess.run(
            ["bash", str(SERVER_SCRIPT), "start", server_dir],
            capture_output=True,
            text=True,
            timeout=SERVER_START_TIMEOUT,
            check=False,
        )
    except (OSError, subprocess.TimeoutExpired) as exc:
        shutil.rmtree(server_dir, ignore_errors=True)
        pytest.fail(f"could not run {SERVER_SCRIPT.name} start: {exc}", pytrace=False)
    lines = started.stdout.strip().splitlines()
    if started.returncode != 0 or len(lines) != 1:
        _stop_server(server_dir)
        pytest.fail(
            f"PostgreSQL test server did not start ({SERVER_SCRIPT.name} exit {started.returncode}); "
            f"set {POSTGRES_URL_ENV} to use another server, or deselect with -m 'not postgres'.\n"
            f"stdout: {started.stdout.strip()}\nstderr:\n{started.stderr.strip()}",
            pytrace=False,
        )
    try:
        yield lines[0]
    finally:
        _stop_server(server_dir)


def _stop_server(server_dir: str) -> None:
    # The script refuses to delete a directory without its marker (a failed first step):
    # remove what is left ourselves.
    subprocess.run(["bash", str(SERVER_SCRIPT), "stop", server_dir], capture_output=True, timeout=60, check=False)
    shutil.rmtree(server_dir, ignore_errors=True)


@pytest.fixture(scope="session")
def postgres_admin(postgres_url: str) -> Iterator[Engine]:
    """An AUTOCOMMIT engine on the server's base database, for CREATE/DROP DATABASE."""
    engine = create_engine(postgres_url, isolation_level="AUTOCOMMIT", pool_pre_ping=True)
    try:
        yield engine
    finally:
        engine.dispose()


@contextmanager
def _database_factory(request: pytest.FixtureRequest, folder: Callable[[], Path]) -> Iterator[Callable[[str], str]]:
    """``make(engine)``: the URL of a new, empty database on ``"sqlite"`` (a file in ``folder()``) or
    ``"postgresql"``; every PostgreSQL database made is dropped when the block ends."""
    made: list[str] = []
    admin: Engine | None = None

    def make(engine: str) -> str:
        nonlocal admin
        if engine == "sqlite":
            return database_url(str(folder() / f"record-{uuid.uuid4().hex[:8]}.sqlite3"), str(folder()))
        if engine != "postgresql":
            raise ValueError(f"unknown engine {engine!r}")
        admin = request.getfixturevalue("postgres_admin")  # starts the server on first use only
        name = f"sitrep_t_{uuid.uuid4().hex[:16]}"  # letters, digits, _: safe to quote as is
        with admin.connect() as conn:
            conn.execute(text(f'CREATE DATABASE "{name}"'))
        made.append(name)
        return make_url(str(admin.url)).set(database=name).render_as_string(hide_password=False)

    try:
        yield make
    finally:
        if admin is not None:
            for name in made:
                _drop_database(admin, name)


@pytest.fixture
def new_database_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Callable[[str], str]]:
    """``new_database_url(engine)``: a new, empty database for this test, removed after it."""
    with _database_factory(request, lambda: tmp_path) as make:
        yield make


@pytest.fixture(scope="module")
def module_database_url(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Callable[[str], str]]:
    """``module_database_url(engine)``: a new, empty database for this module, removed after it."""
    folder = tmp_path_factory.mktemp("module-db")
    with _database_factory(request, lambda: folder) as make:
        yield make


def _drop_database(admin: Engine, name: str) -> None:
    """Drop a test database, first ending connections left open (by a killed process, say)."""
    with admin.connect() as conn:
        conn.execute(
            text(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = :name AND pid <> pg_backend_pid()"
            ),
            {"name": name},
        )
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}"'))


@pytest.fixture(params=ENGINES, ids=ENGINES)
def store_url(request: pytest.FixtureRequest, new_database_url: Callable[[str], str]) -> str:
    """The URL of a new, empty database; the test runs once on SQLite and once on PostgreSQL."""
    return new_database_url(request.param)


@pytest.fixture
def store(store_url: str) -> Iterator[Store]:
    """``open_store(store_url)``, migrated to the newest schema; closed after the test."""
    opened = open_store(store_url)
    try:
        opened.upgrade()
        yield opened
    finally:
        opened.close()
