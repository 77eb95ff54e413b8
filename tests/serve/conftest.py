"""Fixtures for the API tests: ``api``, a real ``sitrep serve`` on loopback per test module and engine
(SQLite and PostgreSQL), seeded as tests/apiserver.py says; stopped after the module."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest

from apiserver import Api, seed, start_server, stop_server
from sitrep.settings import Settings


@pytest.fixture(scope="module", params=("sqlite", "postgresql"), ids=("sqlite", "postgresql"))
def engine(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.fixture(scope="module")
def api(module_database_url: Callable[[str], str], engine: str, settings: Settings, extractor: Any) -> Iterator[Api]:
    db_url = module_database_url(engine)
    tokens = seed(db_url, extractor)
    base, process = start_server(db_url, settings)
    api = Api(base, db_url, tokens, process)
    try:
        yield api
    finally:
        api.client.close()
        stop_server(process)
