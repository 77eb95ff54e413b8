"""A real ``sitrep serve`` process on loopback for the API tests and benchmarks of tests/serve.

``seed`` fills a database with the ten team-written reports of tests/fixtures/fusion
(public) and one user per role with a token: ``viewer``, ``observer``, ``observer2``
(another observer), ``analyst`` (clearance restricted), ``analyst_conf`` (an analyst
with confidential clearance) and ``admin``. ``start_server`` runs ``sitrep serve``
on a free port and waits for /health; ``Api.get/post/delete(path, who=ROLE, ...)``
send that user's token (``who=None``: no token). pytest finds this module through
``pythonpath = ["tests"]`` (pyproject.toml).
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import pytest
import yaml

from sitrep.settings import Settings
from sitrep.store import open_store

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "fusion"
ROLES = {
    "viewer": ("viewer", None),
    "observer": ("observer", None),
    "observer2": ("observer", None),
    "analyst": ("analyst", None),
    "analyst_conf": ("analyst", "confidential"),
    "admin": ("admin", None),
}
START_TIMEOUT = 60


@dataclass
class Api:
    base: str
    db_url: str
    tokens: dict[str, str]
    process: subprocess.Popen[bytes]
    client: httpx.Client = field(default_factory=lambda: httpx.Client(timeout=60))

    def request(self, method: str, path: str, *, who: str | None = None, **kwargs: Any) -> httpx.Response:
        headers = dict(kwargs.pop("headers", {}) or {})
        if who is not None:
            headers["Authorization"] = f"Bearer {self.tokens[who]}"
        return self.client.request(method, self.base + path, headers=headers, **kwargs)

    def get(self, path: str, *, who: str | None = None, **kwargs: Any) -> httpx.Response:
        return self.request("GET", path, who=who, **kwargs)

    def post(self, path: str, *, who: str | None = None, **kwargs: Any) -> httpx.Response:
        return self.request("POST", path, who=who, **kwargs)

    def delete(self, path: str, *, who: str | None = None, **kwargs: Any) -> httpx.Response:
        return self.request("DELETE", path, who=who, **kwargs)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def seed(db_url: str, extractor: Any) -> dict[str, str]:
    """The fixture reports (public) and one user per role; returns role -> token."""
    from sitrep.ingest import document_from_text

    manifest = yaml.safe_load((FIXTURES / "manifest.yaml").read_text(encoding="utf-8"))
    store = open_store(db_url)
    try:
        store.upgrade()
        for item in manifest["reports"]:
            doc = document_from_text(
                (FIXTURES / item["file"]).read_text(encoding="utf-8"),
                published_at=item.get("published_at"),
                outlet=item.get("outlet"),
                url=item.get("url"),
            )
            store.add(extractor.extract(doc))  # type: ignore[attr-defined]
        tokens = {}
        for name, (role, clearance) in ROLES.items():
            store.add_user(name, role, clearance, by="test")
            tokens[name] = store.issue_token(name, by="test")
        return tokens
    finally:
        store.close()


def start_server(
    db_url: str, settings: Settings, env: dict[str, str] | None = None
) -> tuple[str, subprocess.Popen[bytes]]:
    port = free_port()
    environ = {**os.environ, "SITREP_DATA_DIR": settings.data_dir, **(env or {})}
    log = Path(settings.data_dir) / f"serve-{port}.log"  # a file, not a pipe: nothing blocks the server
    with log.open("wb") as out:
        process = subprocess.Popen(
            [sys.executable, "-m", "sitrep", "serve", "--db", db_url, "--host", "127.0.0.1", "--port", str(port)],
            env=environ,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    base = f"http://127.0.0.1:{port}/api/v1"
    deadline = time.monotonic() + START_TIMEOUT
    while time.monotonic() < deadline:
        if process.poll() is not None:
            out = log.read_text(errors="replace")
            pytest.fail(f"sitrep serve exited with {process.returncode}:\n{out}", pytrace=False)
        try:
            if httpx.get(base + "/health", timeout=2).status_code == 200:
                return base, process
        except httpx.TransportError:
            pass
        time.sleep(0.2)
    process.kill()
    pytest.fail(f"sitrep serve did not answer within {START_TIMEOUT} s", pytrace=False)


def stop_server(process: subprocess.Popen[bytes]) -> None:
    process.terminate()
    try:
        process.wait(timeout=20)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()
