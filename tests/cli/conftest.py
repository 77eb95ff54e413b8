"""Fixtures for CLI tests: an in-process runner with a clean environment, a local HTTP server."""

from __future__ import annotations

import io
import os
import sys
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from sitrep.cli.main import main

PAGE_HTML = """<!doctype html>
<html lang="en"><head>
<title>Convoy reaches Ridgeford | Marren Courier</title>
<meta property="og:site_name" content="Marren Courier">
<meta property="og:title" content="Aid convoy reaches besieged Ridgeford">
<meta property="article:published_time" content="2024-06-13T16:45:00+03:00">
</head><body>
<nav><a href="/">Home</a> | <a href="/war">War</a> | <a href="/about">About us</a></nav>
<article>
<p>A convoy of eight trucks carrying food and medicine reached the town of Kupiansk on Thursday,
the first delivery in three weeks, the regional administration said.</p>
<p>Volunteers unloaded flour and insulin at the town hall while shelling continued on the outskirts.</p>
<p>Share this article</p>
</article>
<footer>Copyright 2024 Marren Courier</footer>
</body></html>
"""


@dataclass(frozen=True)
class CliResult:
    code: int
    out: str
    err: str


@pytest.fixture(autouse=True)
def _clean_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    """No SITREP_* variable of the caller's shell leaks into a test."""
    for name in list(os.environ):
        if name.startswith("SITREP_"):
            monkeypatch.delenv(name)


@pytest.fixture
def sitrep(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> Callable[..., CliResult]:
    """Run ``sitrep ARGS`` in-process; ``stdin`` bytes become standard input."""

    def run(*args: str, stdin: bytes | None = None) -> CliResult:
        if stdin is not None:
            monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(stdin), encoding="utf-8"))
        capsys.readouterr()
        code = main(list(args))
        captured = capsys.readouterr()
        return CliResult(code, captured.out, captured.err)

    return run


class _Handler(BaseHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        return

    def do_GET(self) -> None:
        if self.path == "/page.html":
            status, body, kind = 200, PAGE_HTML.encode(), "text/html; charset=utf-8"
        elif self.path == "/big.txt":
            status, body, kind = 200, b"Shelling continued overnight in Kupiansk. " * 100, "text/plain"
        else:
            status, body, kind = 404, b"not found", "text/plain"
        self.send_response(status)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


@pytest.fixture(scope="module")
def http_base() -> Iterator[str]:
    """Base URL of a local HTTP server on 127.0.0.1 and a free port."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(5)
