"""Docs that a test keeps honest (STYLE.md, "Tooling").

Fails when a setting, a command or option, a record field, an enum value, an
error code or a stage id is missing from the docs, when README.md stops
starting with `make demo` and `make test`, or when a curated public surface
(``__all__``) lists a name that does not exist. Needs no model and no
gazetteer.
"""

from __future__ import annotations

import ast
import dataclasses
import difflib
import importlib
import importlib.util
import re
import typing
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

import sitrep
from sitrep.model import records
from sitrep.model.extraction import Extraction
from sitrep.model.incidents import ClaimRef, ControlState, Figure, Incident, Member, Range
from sitrep.settings import SETTINGS

ROOT = Path(__file__).resolve().parent.parent
DOCS = ROOT / "docs"
SRC = Path(sitrep.__file__).resolve().parent
GENERATOR = ROOT / "scripts" / "gen_cli_docs.py"
REGENERATE = ".venv/bin/python scripts/gen_cli_docs.py"


def _read(path: Path) -> str:
    return path.read_text(encoding="utf-8")


def _load_generator() -> ModuleType:
    spec = importlib.util.spec_from_file_location("gen_cli_docs", GENERATOR)
    assert spec is not None and spec.loader is not None, f"cannot load {GENERATOR}"
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _table_rows(markdown: str) -> Iterator[list[str]]:
    """The cells of every Markdown table row (header rows included, separator rows not)."""
    for line in markdown.splitlines():
        line = line.strip()
        if not line.startswith("|") or re.fullmatch(r"\|[\s|:-]+\|", line):
            continue
        yield [cell.strip() for cell in re.split(r"(?<!\\)\|", line.strip("|"))]


def _backticked(markdown: str) -> set[str]:
    return set(re.findall(r"`([^`\n]+)`", markdown))


def _sections(markdown: str) -> dict[str, str]:
    """Heading line -> the text up to the next heading of any level."""
    parts = re.split(r"^(#{1,6} .*)$", markdown, flags=re.MULTILINE)
    return {parts[i].strip(): parts[i + 1] for i in range(1, len(parts) - 1, 2)}


def _source_trees() -> Iterator[tuple[Path, ast.Module]]:
    for path in sorted(SRC.rglob("*.py")):
        yield path, ast.parse(_read(path), filename=str(path))


def _string_constants(tree: ast.AST) -> Iterator[str]:
    for node in ast.walk(tree):
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            yield node.value


# ---------------------------------------------------------------- settings


def test_every_setting_is_in_settings_md() -> None:
    rows = {row[0]: row for row in _table_rows(_read(DOCS / "settings.md")) if len(row) >= 4}
    missing = [
        f"{spec.name} ({spec.env_var})"
        for spec in SETTINGS
        if (row := rows.get(f"`{spec.name}`")) is None or row[1] != f"`{spec.env_var}`" or not row[3]
    ]
    assert not missing, (
        "settings missing from docs/settings.md (add a row | `name` | `SITREP_NAME` | default | help |): "
        + ", ".join(missing)
    )


def test_docs_name_only_real_settings() -> None:
    names = {spec.name for spec in SETTINGS}
    documented = {row[0].strip("`") for row in _table_rows(_read(DOCS / "settings.md")) if row[0].startswith("`")}
    assert documented <= names, f"docs/settings.md documents unknown settings: {sorted(documented - names)}"
    env_vars = {spec.env_var for spec in SETTINGS}
    for path in [ROOT / "README.md", *sorted(DOCS.glob("*.md"))]:
        mentioned = set(re.findall(r"\bSITREP_[A-Z0-9_]+", _read(path)))
        assert mentioned <= env_vars, f"{path.name} names unknown environment variables: {sorted(mentioned - env_vars)}"


# ---------------------------------------------------------------- CLI reference


def test_cli_md_is_generated_from_current_help() -> None:
    expected = _load_generator().render()
    path = DOCS / "cli.md"
    current = _read(path) if path.exists() else ""
    if current != expected:
        diff = "".join(
            difflib.unified_diff(
                current.splitlines(keepends=True),
                expected.splitlines(keepends=True),
                "docs/cli.md",
                "fresh --help",
                n=1,
            )
        )
        pytest.fail(f"docs/cli.md is stale; regenerate it with `{REGENERATE}`\n{diff[:4000]}")


def test_cli_md_covers_every_command() -> None:
    generator = _load_generator()
    from sitrep.cli.main import build_parser

    progs = [parser.prog for parser in generator.walk(build_parser())]
    assert {"sitrep", "sitrep extract", "sitrep demo", "sitrep gazetteer lookup"} <= set(progs)
    headings = re.findall(r"^## `([^`]+)`$", _read(DOCS / "cli.md"), flags=re.MULTILINE)
    assert headings == progs


# ---------------------------------------------------------------- records


def _sample_extraction() -> Extraction:
    """One of each record, built by hand, to read the keys ``to_dict()`` writes."""
    document = records.Document(
        id="d0",
        text="Shelling hit Velmora.",
        text_sha256="0" * 64,
        raw_text="Shelling hit Velmora.",
        removed=(records.Removed(start=0, end=1, reason="navigation", quote="x"),),
    )
    candidate = records.PlaceCandidate(
        geonames_id=1,
        name="Velmora",
        country_code="UA",
        admin1=None,
        feature_code="PPL",
        lat=1.0,
        lon=2.0,
        population=10,
        score=1.0,
    )
    place = records.PlaceMention(text="Velmora", start=13, end=20, status="ambiguous", candidates=(candidate,))
    date = records.DateMention(
        text="x", start=0, end=1, date_start=None, date_end=None, precision=None, status="unresolved", rule="r"
    )
    quantity = records.Quantity(
        text="x", start=0, end=1, kind="other", value=1.0, qualifier="exact", low=1.0, high=1.0, unit=None
    )
    return Extraction(document=document, places=(place,), dates=(date,), quantities=(quantity,))


def _sample_incident() -> Incident:
    ref = ClaimRef("supporting", None, None, "asserted", None, "Outlet", "d0", 0, 5, "Shell", "2030-01-01")
    figure = Figure("killed", 2, 2, 2)
    member = Member(
        "d0:0", "d0", "Outlet", "Outlet", "Air/drone strike", "asserted", None, None, None, None, 2, (figure,),
        "Shell", 0, 5, "first mention",
    )  # fmt: skip
    return Incident(
        "I0", "Explosions/Remote violence", "Air/drone strike", None, None, None, None, None, None, None, None,
        None, None, Range(2, 2, 2, (("Outlet", 2),)), (("killed", Range(2, 2, 2, (("Outlet", 2),))),), 1,
        ("Outlet",), (), (ref,), (), (member,),
    )  # fmt: skip


def _json_keys() -> dict[type, set[str]]:
    """Record class -> the keys of its objects in ``sitrep extract --format jsonl`` and the incident commands."""
    data = _sample_extraction().to_dict()
    incident = _sample_incident().to_dict()
    state = ControlState(
        "gn:1", "Veldor", 1, "XA", None, 1.0, 2.0, None, None, "claimed", "2030-01-01", None, (), (), ()
    )
    return {
        Incident: set(incident),
        ClaimRef: set(incident["supporting"][0]),
        Member: set(incident["members"][0]),
        Figure: set(incident["members"][0]["figures"][0]),
        Range: set(incident["deaths"]),
        ControlState: set(state.to_dict()),
        Extraction: set(data),
        records.Document: set(data["document"]),
        records.Removed: set(data["document"]["removed"][0]),
        records.PlaceMention: set(data["places"][0]),
        records.PlaceCandidate: set(data["places"][0]["candidates"][0]),
        records.DateMention: set(data["dates"][0]),
        records.Quantity: set(data["quantities"][0]),
    }


@pytest.mark.parametrize("cls", list(_json_keys()), ids=lambda cls: cls.__name__)
def test_every_record_field_is_in_records_md(cls: type) -> None:
    markdown = _read(DOCS / "records.md")
    sections = [body for heading, body in _sections(markdown).items() if f"({cls.__name__})" in heading]
    assert len(sections) == 1, f"docs/records.md needs one heading that contains '({cls.__name__})'"
    documented = {row[0].strip("`") for row in _table_rows(sections[0]) if row[0].startswith("`")}
    json_keys = _json_keys()[cls]
    missing = sorted(json_keys - documented)
    assert not missing, f"docs/records.md, section ({cls.__name__}): no table row for {missing}"
    extra = sorted(documented - json_keys)
    assert not extra, f"docs/records.md, section ({cls.__name__}): rows for fields not in the JSON: {extra}"
    # Dataclass fields left out of the JSON (Document.raw_text, Extraction.sentences) must still be explained.
    hidden = sorted({f.name for f in dataclasses.fields(cls)} - json_keys - _backticked(markdown))
    assert not hidden, f"docs/records.md does not say that {cls.__name__} fields {hidden} are not in the JSON"


def _literal_values(annotation: Any) -> set[str]:
    if typing.get_origin(annotation) is typing.Literal:
        return {value for value in typing.get_args(annotation) if isinstance(value, str)}
    return {value for arg in typing.get_args(annotation) for value in _literal_values(arg)}


def _furniture_reasons() -> set[str]:
    """The reasons furniture.py can give: strings it returns and block reasons it marks."""
    tree = ast.parse(_read(SRC / "ingest" / "furniture.py"))
    reasons: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Return) and isinstance(node.value, ast.Constant) and isinstance(node.value.value, str):
            reasons.add(node.value.value)
        if isinstance(node, ast.Call) and getattr(node.func, "id", None) == "_mark_block" and len(node.args) >= 4:
            reason = node.args[3]
            if isinstance(reason, ast.Constant) and isinstance(reason.value, str):
                reasons.add(reason.value)
    return reasons


def _date_rules() -> set[str]:
    """The ``rule`` names dates.py gives resolved dates (the 4th argument of ``Interval``)."""
    tree = ast.parse(_read(SRC / "resolve" / "dates.py"))
    rules: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and getattr(node.func, "id", None) == "Interval" and len(node.args) >= 4:
            rule = node.args[3]
            if isinstance(rule, ast.Constant) and isinstance(rule.value, str):
                rules.add(rule.value)
    from sitrep.resolve.dates import DATEPARSER_ID

    return rules | {DATEPARSER_ID}


def _enum_values() -> dict[str, set[str]]:
    values: dict[str, set[str]] = {
        "PLACE_PRECISIONS": set(records.PLACE_PRECISIONS),
        "PLACE_STATUSES": set(records.PLACE_STATUSES),
        "DATE_PRECISIONS": set(records.DATE_PRECISIONS),
        "QUANTITY_KINDS": set(records.QUANTITY_KINDS),
        "QUALIFIERS": set(records.QUALIFIERS),
        "removed reasons (ingest/furniture.py)": _furniture_reasons(),
        "date rules (resolve/dates.py)": _date_rules(),
    }
    for cls in _json_keys():
        hints = typing.get_type_hints(cls)
        for field in dataclasses.fields(cls):
            literal = _literal_values(hints[field.name])
            if literal:
                values[f"{cls.__name__}.{field.name}"] = literal
    return values


def test_enum_sources_are_found() -> None:
    values = _enum_values()
    assert {
        "donation_appeal",
        "subscription_prompt",
        "cookie_notice",
        "share_prompt",
        "reporting_credit",
        "related_links",
        "navigation",
    } <= values["removed reasons (ingest/furniture.py)"]
    assert {"weekday", "last_week", "month_day", "iso"} <= values["date rules (resolve/dates.py)"]


def test_enum_tuples_match_their_literal_types() -> None:
    pairs = [
        (records.PLACE_PRECISIONS, records.PlacePrecision),
        (records.PLACE_STATUSES, records.PlaceStatus),
        (records.DATE_PRECISIONS, records.DatePrecision),
        (records.QUANTITY_KINDS, records.QuantityKind),
        (records.QUALIFIERS, records.Qualifier),
    ]
    for values, literal in pairs:
        assert tuple(values) == typing.get_args(literal)


@pytest.mark.parametrize("enum", list(_enum_values()))
def test_every_enum_value_is_in_records_md(enum: str) -> None:
    documented = _backticked(_read(DOCS / "records.md"))
    missing = sorted(_enum_values()[enum] - documented)
    assert not missing, f"docs/records.md does not list these {enum} values (as `value`): {missing}"


# ---------------------------------------------------------------- errors

_CODE = re.compile(r"[a-z][a-z0-9]*\.[a-z][a-z0-9_]*")


def _error_families() -> set[str]:
    from sitrep import errors

    families = {"cli"}
    for obj in vars(errors).values():
        if isinstance(obj, type) and issubclass(obj, errors.SitrepError):
            families.add(typing.cast(type[errors.SitrepError], obj).code.split(".")[0])
    return families


def _error_codes_in_src() -> dict[str, str]:
    """Every error code sitrep can print -> where it was found."""
    families = _error_families()
    found: dict[str, str] = {}
    for path, tree in _source_trees():
        where = str(path.relative_to(SRC.parent))
        for node in ast.walk(tree):
            # code="..." in a raise, and class-level defaults (code = "...").
            if isinstance(node, ast.keyword) and node.arg == "code" and isinstance(node.value, ast.Constant):
                found.setdefault(str(node.value.value), where)
            if (
                isinstance(node, ast.Assign)
                and isinstance(node.value, ast.Constant)
                and any(getattr(t, "id", None) == "code" for t in node.targets)
            ):
                found.setdefault(str(node.value.value), where)
        for text in _string_constants(tree):
            # A code passed positionally, e.g. Failure(path, "ingest", "input.not_found", ...).
            if _CODE.fullmatch(text) and text.split(".")[0] in families:
                found.setdefault(text, where)
            # A code printed directly, e.g. "error [cli.interrupted]: interrupted".
            for code in re.findall(r"error \[([a-z0-9_.]+)\]", text):
                if code != "code":
                    found.setdefault(code, where)
    from sitrep import errors

    for code in _CODE.findall(errors.__doc__ or ""):
        if code.split(".")[0] in families:
            found.setdefault(code, "sitrep/errors.py docstring")
    return found


def test_error_codes_are_found() -> None:
    codes = _error_codes_in_src()
    assert {"input.not_found", "fetch.timeout", "config.model_missing", "cli.interrupted"} <= set(codes)


def test_every_error_code_is_in_errors_md() -> None:
    documented = {row[0].strip("`") for row in _table_rows(_read(DOCS / "errors.md")) if row[0].startswith("`")}
    missing = sorted(f"{code} ({where})" for code, where in _error_codes_in_src().items() if code not in documented)
    assert not missing, f"error codes used in src/sitrep but without a row in docs/errors.md: {missing}"


def test_errors_md_lists_only_real_codes() -> None:
    documented = {row[0].strip("`") for row in _table_rows(_read(DOCS / "errors.md")) if row[0].startswith("`")}
    stale = sorted(documented - set(_error_codes_in_src()))
    assert not stale, f"docs/errors.md documents codes that src/sitrep no longer uses: {stale}"


# ---------------------------------------------------------------- stage ids


def _stage_ids() -> dict[str, str]:
    ids: dict[str, str] = {}
    for path, tree in _source_trees():
        for node in tree.body:
            if not isinstance(node, ast.Assign) or not isinstance(node.value, ast.Constant):
                continue
            names = [getattr(target, "id", "") for target in node.targets]
            value = node.value.value
            if any(name.endswith("_ID") for name in names) and isinstance(value, str) and re.search(r"\.v\d+$", value):
                ids[value] = str(path.relative_to(SRC.parent))
    return ids


def test_every_stage_id_is_in_architecture_md() -> None:
    ids = _stage_ids()
    assert "extract.quantities.rules.v1" in ids
    documented = _backticked(_read(DOCS / "architecture.md"))
    missing = sorted(f"{stage} ({where})" for stage, where in ids.items() if stage not in documented)
    assert not missing, f"stage ids missing from docs/architecture.md: {missing}"


# ---------------------------------------------------------------- README

_COMMAND = re.compile(r"^(?:\$ )?((?:\.venv/bin/|\./)?(?:sitrep|make|pip3?|python3?|pytest|ruff|mypy)(?:\s.*)?)$")


def _readme_commands(readme: str) -> list[str]:
    """Command lines in the README's shell code blocks and inline code, in order of appearance."""
    found: list[tuple[int, str]] = []
    blocks = list(re.finditer(r"^```[^\n]*\n.*?^```", readme, flags=re.MULTILINE | re.DOTALL))
    prose = readme
    for block in blocks:  # blank out code blocks so that inline code is only looked for in prose
        prose = prose[: block.start()] + " " * (block.end() - block.start()) + prose[block.end() :]
    for block in re.finditer(r"^```(?:sh|bash|shell|console)\n(.*?)^```", readme, flags=re.MULTILINE | re.DOTALL):
        offset = block.start(1)
        for line in block.group(1).splitlines(keepends=True):
            command = line.split("#", 1)[0].strip()
            command = re.sub(r"^(?:[A-Z_]+=\S+\s+)+", "", command)  # environment assignments
            command = command.split("|")[-1].strip()  # the command a pipe feeds
            if _COMMAND.match(command):
                found.append((offset, command))
            offset += len(line)
    for span in re.finditer(r"(?<!`)`([^`\n]+)`(?!`)", prose):
        if _COMMAND.match(span.group(1)):
            found.append((span.start(), span.group(1)))
    return [command for _, command in sorted(found)]


def test_readme_starts_with_make_demo_and_make_test() -> None:
    commands = _readme_commands(_read(ROOT / "README.md"))
    assert len(commands) > 2, "README.md shows no commands"
    assert commands[:2] == ["make demo", "make test"], (
        "README.md must show `make demo` and `make test` before any other command; "
        f"its first commands are {commands[:4]}"
    )


def test_readme_commands_are_make_targets() -> None:
    makefile = _read(ROOT / "Makefile")
    for target in ("demo", "test"):
        assert re.search(rf"^{target}:", makefile, flags=re.MULTILINE), f"Makefile has no `{target}` target"


# ---------------------------------------------------------------- public surface

PUBLIC = ("sitrep.ingest", "sitrep.extract", "sitrep.model", "sitrep.errors")


@pytest.mark.parametrize("name", PUBLIC)
def test_public_surface_lists_only_existing_names(name: str) -> None:
    module = importlib.import_module(name)
    exported = getattr(module, "__all__", None)
    assert isinstance(exported, (list, tuple)), f"{name} has no __all__"
    assert all(isinstance(item, str) for item in exported)
    assert len(set(exported)) == len(exported), f"{name}.__all__ has duplicates"
    missing = [item for item in exported if not hasattr(module, item)]
    assert not missing, f"{name}.__all__ lists names that do not exist: {missing}"


@pytest.mark.parametrize("name", PUBLIC)
def test_public_surface_is_in_architecture_md(name: str) -> None:
    module = importlib.import_module(name)
    rows = {row[0]: row for row in _table_rows(_read(DOCS / "architecture.md")) if len(row) >= 2}
    row = rows.get(f"`{name}`")
    assert row is not None, f"docs/architecture.md has no row for `{name}` in its public-surface table"
    assert _backticked(row[1]) == set(module.__all__), (
        f"docs/architecture.md lists {sorted(_backticked(row[1]))} for {name}; __all__ is {sorted(module.__all__)}"
    )


def test_every_actor_is_in_actors_md() -> None:
    from sitrep.resolve.actors import ActorTable

    markdown = _read(DOCS / "actors.md")
    missing = [a.name for a in ActorTable.load().actors if f"| {a.name} |" not in markdown]
    assert not missing, f"docs/actors.md lacks actors {missing}"
