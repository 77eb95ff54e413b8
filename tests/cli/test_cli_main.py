"""The ``sitrep`` command itself: help for every command, fatal errors, the console script."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from sitrep import __version__
from sitrep.cli.main import EXIT_ERROR, main

Run = Callable[..., Any]

COMMANDS = [
    ["extract"],
    ["demo"],
    ["eval"],
    ["eval", "geoparsing"],
    ["gazetteer"],
    ["gazetteer", "build"],
    ["gazetteer", "info"],
    ["gazetteer", "lookup"],
]


@pytest.mark.parametrize("command", COMMANDS, ids=" ".join)
def test_help_for_every_command(command: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exited:
        main([*command, "--help"])
    assert exited.value.code == 0
    out = capsys.readouterr().out
    assert out.startswith(f"usage: sitrep {' '.join(command)}")
    assert "--data-dir" in out or "ACTION" in out or "CORPUS" in out


def test_version(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exited:
        main(["--version"])
    assert exited.value.code == 0
    assert capsys.readouterr().out.strip() == f"sitrep {__version__}"


def test_unknown_command_is_a_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exited:
        main(["ingest-everything"])
    assert exited.value.code == 2
    assert "invalid choice" in capsys.readouterr().err


def test_unparseable_published_is_fatal_and_coded(sitrep: Run, tmp_path: Path) -> None:
    """Checked before any input is read or the model is loaded."""
    path = tmp_path / "report.txt"
    path.write_text("Four people were killed in Vostokgrad.", encoding="utf-8")

    result = sitrep("extract", str(path), "--published", "Sept 16th")

    assert result.code == EXIT_ERROR
    assert result.out == ""
    assert result.err.splitlines() == [
        "error [input.published_invalid]: --published: 'Sept 16th' is not an ISO 8601 date or date-time "
        "(e.g. 2024-09-16 or 2024-09-16T08:30:00+00:00)"
    ]


def test_invalid_setting_in_the_environment_is_fatal_and_coded(
    sitrep: Run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SITREP_MAX_INPUT_BYTES", "lots")
    result = sitrep("extract", str(tmp_path / "x.txt"), "--data-dir", str(tmp_path))
    assert result.code == EXIT_ERROR
    assert result.err.startswith("error [config.invalid_value]: SITREP_MAX_INPUT_BYTES='lots'")
    assert "Traceback" not in result.err


def _console_script() -> list[str]:
    script = Path(sys.executable).with_name("sitrep")
    if script.exists():
        return [str(script)]
    found = shutil.which("sitrep")
    return [found] if found else [sys.executable, "-m", "sitrep"]


def test_console_script_runs_help_for_every_command_and_reports_errors(tmp_path: Path) -> None:
    """The installed entry point, as a user runs it (a separate process)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("SITREP_")}
    command = _console_script()
    for args in [[], *COMMANDS]:
        done = subprocess.run([*command, *args, "--help"], capture_output=True, text=True, env=env, timeout=60)
        assert done.returncode == 0, (args, done.stderr)
        assert done.stdout.startswith(f"usage: sitrep {' '.join(args)}".rstrip()), done.stdout

    done = subprocess.run(
        [*command, "extract", str(tmp_path / "x.txt"), "--published", "yesterday"],
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
    )
    assert done.returncode == EXIT_ERROR
    assert done.stderr.startswith("error [input.published_invalid]: ")
    assert "Traceback" not in done.stderr


def test_when_every_input_fails_the_model_is_not_loaded(
    sitrep: Run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from sitrep.extract import Extractor

    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("the model was loaded although no document was read")

    monkeypatch.setattr(Extractor, "load", refuse)
    (tmp_path / "empty.txt").write_bytes(b"")

    result = sitrep("extract", str(tmp_path / "empty.txt"), str(tmp_path / "nowhere.txt"), "--data-dir", str(tmp_path))

    assert result.code == 1
    assert result.out == ""
    assert [line.split("]")[0] for line in result.err.splitlines()[:2]] == [
        "error [input.empty",
        "error [input.not_found",
    ]
    assert "2 input(s) failed" in result.err
