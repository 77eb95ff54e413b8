"""Shared fixtures. Model-backed fixtures build the gazetteer once per session."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from sitrep.settings import Settings, load_settings


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
