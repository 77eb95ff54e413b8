"""Fixtures for ingest tests: input options and a local HTTP server (no network)."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from sitrep.ingest import InputOptions
from sitrep.settings import load_settings

PAGE_HTML = """<!doctype html>
<html lang="en"><head>
<title>Shelling hits Vostokgrad market | Frontier Times</title>
<meta property="og:site_name" content="Frontier Times">
<meta property="og:title" content="Shelling hits Vostokgrad market">
<meta name="author" content="Anna Testova">
<meta property="article:published_time" content="2024-03-05T10:07:00+02:00">
</head><body>
<nav><a href="/">Home</a> | <a href="/world">World</a> | <a href="/opinion">Opinion</a></nav>
<article>
<h1>Shelling hits Vostokgrad market</h1>
<p>Shelling hit the central market in the fictional town of Vostokgrad on Tuesday morning, killing four
people and injuring eleven, the regional governor said.</p>
<p>Emergency crews worked through the afternoon to clear the debris, and the hospital in Ridgeford asked
residents to donate blood for the injured.</p>
<p>The governor said two of the injured were in a serious condition and that the market would stay closed
for the rest of the week.</p>
<p>Reporting by Iryna Testenko; Editing by Susan Hale</p>
</article>
<footer>Copyright 2024 Frontier Times. All rights reserved.</footer>
</body></html>
"""

REPORT_TEXT = (
    "Aid agencies in the fictional Marren district said on Monday they had registered another 600 people who "
    "left villages near the border over the weekend.\n\nShare this article\n"
)


@pytest.fixture
def input_options() -> InputOptions:
    """Input options as the CLI builds them from the default settings."""
    defaults = load_settings(environ={})
    return InputOptions(max_bytes=defaults.max_input_bytes, timeout=defaults.http_timeout)


class _Handler(BaseHTTPRequestHandler):
    """Routes for the fetch tests; ``server.release`` ends the slow route early."""

    server: _Server

    def log_message(self, format: str, *args: object) -> None:  # silence the access log
        return

    def _send(self, status: int, body: bytes, content_type: str | None, *, length: bool = True) -> None:
        self.send_response(status)
        if content_type:
            self.send_header("Content-Type", content_type)
        if length:
            self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self) -> None:
        route = self.path
        if route == "/page.html":
            self._send(200, PAGE_HTML.encode(), "text/html; charset=utf-8")
        elif route == "/report.txt":
            self._send(200, REPORT_TEXT.encode(), "text/plain; charset=utf-8")
        elif route == "/untyped":
            self._send(200, PAGE_HTML.encode(), None)
        elif route == "/moved":
            self.send_response(302)
            self.send_header("Location", "/report.txt")
            self.send_header("Content-Length", "0")
            self.end_headers()
        elif route == "/loop":
            self.send_response(302)
            self.send_header("Location", "/loop")
            self.send_header("Content-Length", "0")
            self.end_headers()
        elif route == "/big":
            self._send(200, b"x" * 5000, "text/plain")
        elif route == "/big-undeclared":
            # No Content-Length: the size cap must hold while streaming.
            self._send(200, b"Shelling continued overnight. " * 200, "text/plain", length=False)
        elif route == "/slow":
            self.server.release.wait(5)
            self._send(200, REPORT_TEXT.encode(), "text/plain")
        elif route == "/image.png":
            self._send(200, b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "image/png")
        elif route == "/empty-page.html":
            self._send(200, b"<html><head><title>Nothing here</title></head><body></body></html>", "text/html")
        else:
            self._send(404, b"not found", "text/plain")


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    release: threading.Event


@pytest.fixture(scope="module")
def http_base() -> Iterator[str]:
    """Base URL of a local HTTP server on 127.0.0.1 and a free port."""
    server = _Server(("127.0.0.1", 0), _Handler)
    server.release = threading.Event()
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.release.set()
        server.shutdown()
        server.server_close()
        thread.join(5)
