"""``sitrep watch``: a feed that changes, fails and comes back; a folder; restarts store nothing twice."""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest

from sitrep.cli.main import main
from sitrep.ingest.watch import Watcher
from sitrep.settings import Settings
from sitrep.store import Store, open_store
from sitrep.store.watch import mark_pending, watch_items_of

pytestmark = pytest.mark.model

# Fictional reports, long enough (over 400 characters) to be stored without fetching their links.
KUPIANSK = (
    "Artillery shelling hit the centre of Kupiansk in the Kharkiv region on Tuesday, 14 May 2024, "
    "killing two civilians and injuring five others, the regional governor said. The strikes damaged "
    "a school, a bakery and several apartment blocks near the railway station. Emergency crews worked "
    "through the night to clear the rubble. Local officials said the town had come under fire almost "
    "every day that week and urged the remaining residents to leave while the roads were still open."
)
VOVCHANSK = (
    "About 300 residents were evacuated from Vovchansk on Monday, 13 May 2024, as fighting moved closer "
    "to the town, the regional military administration said. Volunteers drove elderly people and families "
    "with children to Kharkiv in buses and private cars. Officials said more than 4,000 people had left "
    "the border area since the weekend. Humanitarian groups set up a reception point in Kharkiv where the "
    "evacuees were given food, water, medicine and a place to sleep for the first nights."
)
LYPTSI_PAGE = """<!doctype html><html><head><title>Aid convoy reaches Lyptsi</title></head><body>
<nav><a href="/">Home</a></nav><article><h1>Aid convoy reaches Lyptsi</h1>
<p>An aid convoy of six trucks reached Lyptsi in the Kharkiv region on Wednesday, 15 May 2024, the
regional administration said. The trucks carried food, drinking water, medicine and building materials
for residents whose houses had been damaged by shelling during the previous week.</p>
<p>Humanitarian workers said about 200 people still lived in the village, most of them elderly. The
convoy left before dark, and officials said another delivery was planned for the following week if
the road from Kharkiv remained passable.</p></article></body></html>"""
SUMY = (
    "Russian forces shelled the border community of Krasnopillia in the Sumy region on Thursday, 16 May "
    "2024, the regional military administration said. Three people were injured and a power line was "
    "damaged, leaving several villages without electricity. Repair crews restored the supply by evening. "
    "Officials said the community had been shelled 18 times during the day, with mortars, artillery and "
    "drones, and called on residents to stay in shelters while the attacks went on."
)


def _item(guid: str, title: str, *, description: str, link: str) -> str:
    return (
        f"<item><guid>{guid}</guid><title>{title}</title><link>{link}</link>"
        f"<pubDate>Thu, 16 May 2024 09:00:00 +0000</pubDate><description><![CDATA[{description}]]></description></item>"
    )


class FeedServer:
    """A loopback server whose feed changes with ``phase``: 1 two items, 2 three, 3 HTTP 500, 4 garbage, 5 four."""

    def __init__(self) -> None:
        self.phase = 1
        server = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                status, content_type, body = server.respond(self.path)
                self.send_response(status)
                self.send_header("Content-Type", content_type)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args: Any) -> None:
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.base = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    @property
    def feed_url(self) -> str:
        return f"{self.base}/feed.xml"

    def respond(self, path: str) -> tuple[int, str, bytes]:
        if path == "/articles/lyptsi.html":
            return 200, "text/html; charset=utf-8", LYPTSI_PAGE.encode()
        if path != "/feed.xml":
            return 404, "text/plain", b"not found"
        if self.phase == 3:
            return 500, "text/plain", b"internal error"
        if self.phase == 4:
            return 200, "application/rss+xml", b"\x89PNG\r\n\x1a\n garbage \x00\xff"
        items = [
            _item("kupiansk-1", "Shelling in Kupiansk", description=KUPIANSK, link=f"{self.base}/articles/kupiansk"),
            _item("vovchansk-1", "Evacuation of Vovchansk", description=VOVCHANSK, link=f"{self.base}/articles/vov"),
        ]
        if self.phase >= 2:
            items.append(
                _item(
                    "lyptsi-1",
                    "Aid convoy",
                    description="Convoy reaches Lyptsi.",
                    link=f"{self.base}/articles/lyptsi.html",
                )
            )
        if self.phase >= 5:
            items.append(
                _item("sumy-1", "Shelling in Sumy region", description=SUMY, link=f"{self.base}/articles/sumy")
            )
        feed = (
            f'<?xml version="1.0"?><rss version="2.0"><channel><title>Test wire</title>{"".join(items)}</channel></rss>'
        )
        return 200, "application/rss+xml", feed.encode()


@pytest.fixture
def feed_server() -> Iterator[FeedServer]:
    server = FeedServer()
    server.thread.start()
    try:
        yield server
    finally:
        server.httpd.shutdown()
        server.httpd.server_close()


def test_watch_a_feed_that_changes_fails_and_recovers(
    store: Store, extractor: Any, settings: Settings, feed_server: FeedServer
) -> None:
    watcher = Watcher(store, extractor, [feed_server.feed_url], settings=settings)
    expected_stored = {1: 2, 2: 1, 3: 0, 4: 0, 5: 1}
    latencies: list[float] = []
    for phase, stored in expected_stored.items():
        feed_server.phase = phase
        report = watcher.poll_once()
        (source,) = report.sources
        assert (source.stored, source.failed) == (stored, 0), (phase, source)
        assert source.new == stored
        latencies += source.latencies
        if phase == 3:
            assert source.error_code == "fetch.http_status" and "500" in (source.error or "")
            assert report.errors == {feed_server.feed_url: source.error}
        elif phase == 4:
            assert source.error_code == "input.feed_malformed"
        else:
            assert source.error is None

    rows = watch_items_of(store, feed_server.feed_url)
    assert sorted(item_id for _, item_id in rows) == ["kupiansk-1", "lyptsi-1", "sumy-1", "vovchansk-1"]
    assert all(row.status == "stored" and row.attempts == 0 and row.error is None for row in rows.values())
    assert all(row.latency_s is not None and 0 <= row.latency_s < 5 for row in rows.values()), rows
    assert sorted(latencies) == sorted(row.latency_s for row in rows.values())
    document_ids = {row.document_id for row in rows.values()}
    assert len(document_ids) == 4 and None not in document_ids
    assert store.counts()["documents"] == 4
    lyptsi = rows[(feed_server.feed_url, "lyptsi-1")]
    with store.connect() as conn:
        from sqlalchemy import select

        from sitrep.store.schema import documents

        text, url, published = conn.execute(
            select(documents.c.text, documents.c.url, documents.c.published_at).where(
                documents.c.id == lyptsi.document_id
            )
        ).one()
    assert "six trucks" in text and url == f"{feed_server.base}/articles/lyptsi.html"  # the link was fetched
    assert published is not None and published.startswith("2024-05-16")

    # A restart on the same database stores nothing again
    again = Watcher(store, extractor, [feed_server.feed_url], settings=settings).poll_once()
    assert (again.sources[0].new, again.stored, again.failed) == (0, 0, 0)
    assert store.counts()["documents"] == 4
    assert len(watch_items_of(store)) == 4


def test_failed_items_are_retried_up_to_three_times_and_pending_ones_after_a_restart(
    store: Store, extractor: Any, settings: Settings, feed_server: FeedServer
) -> None:
    feed_server.phase = 2  # lyptsi-1's link works; break it
    real = feed_server.respond

    def broken(path: str) -> tuple[int, str, bytes]:
        return (404, "text/plain", b"gone") if path == "/articles/lyptsi.html" else real(path)

    feed_server.respond = broken  # type: ignore[method-assign]
    watcher = Watcher(store, extractor, [feed_server.feed_url], settings=settings)
    reports = [watcher.poll_once().sources[0] for _ in range(4)]
    assert [(r.new, r.stored, r.failed) for r in reports] == [(3, 2, 1), (1, 0, 1), (1, 0, 1), (0, 0, 0)]
    row = watch_items_of(store)[(feed_server.feed_url, "lyptsi-1")]
    assert (row.status, row.attempts) == ("failed", 3)
    assert row.error is not None and row.error.startswith("fetch.http_status")

    feed_server.respond = real  # type: ignore[method-assign]
    late = Watcher(store, extractor, [feed_server.feed_url], settings=settings).poll_once()
    assert late.stored == 0  # three attempts used up: not tried again


def test_pending_items_of_an_earlier_run_are_retried(
    store: Store, extractor: Any, settings: Settings, feed_server: FeedServer
) -> None:
    url = feed_server.feed_url
    mark_pending(store, url, "vovchansk-1", link=None, discovered_at=time.time() - 30)  # a run that stopped
    watcher = Watcher(store, extractor, [url], settings=settings)
    mark_pending(store, url, "kupiansk-1", link=None, discovered_at=time.time() + 1)  # another, running now
    (source,) = watcher.poll_once().sources
    assert (source.new, source.stored) == (1, 1)
    rows = watch_items_of(store, url)
    assert rows[(url, "vovchansk-1")].status == "stored"
    assert rows[(url, "vovchansk-1")].latency_s is not None and rows[(url, "vovchansk-1")].latency_s >= 30
    assert rows[(url, "kupiansk-1")].status == "pending"


def test_watch_a_folder(store: Store, extractor: Any, settings: Settings, tmp_path: Path) -> None:
    folder = tmp_path / "inbox"
    (folder / "sub").mkdir(parents=True)
    (folder / "kupiansk.txt").write_text(KUPIANSK, encoding="utf-8")
    (folder / "sub" / "lyptsi.html").write_text(LYPTSI_PAGE, encoding="utf-8")
    (folder / "scan.pdf").write_bytes(b"%PDF-1.4 not read")
    (folder / ".hidden.txt").write_text(SUMY, encoding="utf-8")
    (folder / "empty.txt").write_text("   \n", encoding="utf-8")
    watcher = Watcher(store, extractor, [str(folder)], settings=settings)

    first = watcher.poll_once().sources[0]
    assert (first.new, first.stored, first.failed, first.error) == (3, 2, 1, None)
    assert first.failures[0].startswith("empty.txt:") and "input.empty" in first.failures[0]
    assert watcher.poll_once().sources[0].stored == 0  # nothing new (the empty file is retried, fails again)

    (folder / "reports.jsonl").write_text(
        json.dumps({"id": "v1", "text": VOVCHANSK, "published_at": "2024-05-13"}) + "\n", encoding="utf-8"
    )
    (folder / "kupiansk.txt").write_text(KUPIANSK + " The governor repeated the call on Wednesday.", encoding="utf-8")
    third = watcher.poll_once().sources[0]
    assert (third.new, third.stored) == (3, 2)  # the changed file, the new one; the empty one's last try
    rows = watch_items_of(store, str(folder))
    assert {item_id.split(":")[0] for _, item_id in rows} == {
        "kupiansk.txt",
        "sub/lyptsi.html",
        "empty.txt",
        "reports.jsonl",
    }
    assert len(rows) == 5 and store.counts()["documents"] == 4

    restarted = Watcher(store, extractor, [str(folder)], settings=settings).poll_once()
    assert restarted.stored == 0 and restarted.failed == 0


def test_a_feed_link_that_is_not_a_url_is_never_read_as_a_file(
    store: Store, extractor: Any, settings: Settings, feed_server: FeedServer, tmp_path: Path
) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text(KUPIANSK, encoding="utf-8")
    feed = f'<rss version="2.0"><channel><item><guid>s</guid><link>{secret}</link></item></channel></rss>'
    feed_server.respond = lambda path: (200, "application/rss+xml", feed.encode())  # type: ignore[method-assign]
    (source,) = Watcher(store, extractor, [feed_server.feed_url], settings=settings).poll_once().sources
    assert (source.stored, source.failed) == (0, 1) and "fetch.bad_url" in source.failures[0]
    assert store.counts()["documents"] == 0


def test_watch_a_missing_folder_is_reported(store: Store, extractor: Any, settings: Settings, tmp_path: Path) -> None:
    report = Watcher(store, extractor, [str(tmp_path / "nope")], settings=settings).poll_once()
    assert report.sources[0].error_code == "input.not_found"


def test_cli_watch_one_poll(
    tmp_path: Path, data_dir: Path, settings: Settings, extractor: Any, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = tmp_path / "inbox"
    folder.mkdir()
    (folder / "kupiansk.txt").write_text(KUPIANSK, encoding="utf-8")
    db = tmp_path / "record.sqlite3"
    common = ["--db", str(db), "--data-dir", str(data_dir)]
    assert main(["watch", str(folder), "--every", "1s", "--polls", "1", *common]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[0].startswith(f"{folder}: 1 new, 1 stored, 0 failed, median latency ")
    assert out[-1] == "1 poll(s): 1 stored, 0 failed"
    assert main(["watch", str(folder), "--polls", "1", *common]) == 0
    assert capsys.readouterr().out.splitlines()[0] == f"{folder}: 0 new, 0 stored, 0 failed, median latency -"
    reopened = open_store(f"sqlite:///{db}")
    try:
        assert reopened.counts()["documents"] == 1
    finally:
        reopened.close()
    assert main(["watch", str(folder), "--every", "soon", *common]) == 2
    assert "error [config.invalid_value]" in capsys.readouterr().err


def test_cli_watch_stops_on_ctrl_c_with_a_summary(
    tmp_path: Path, data_dir: Path, extractor: Any, capsys: pytest.CaptureFixture[str], monkeypatch: Any
) -> None:
    def interrupt(seconds: float) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr("sitrep.cli.watch.time.sleep", interrupt)
    folder = tmp_path / "inbox"
    folder.mkdir()
    db = tmp_path / "record.sqlite3"
    assert main(["watch", str(folder), "--db", str(db), "--data-dir", str(data_dir)]) == 0
    assert capsys.readouterr().out.splitlines()[-1] == "1 poll(s): 0 stored, 0 failed"
