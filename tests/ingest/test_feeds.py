"""RSS and Atom feeds: items, ids, dates, content; garbage and hostile XML refused or left inert."""

from __future__ import annotations

import httpx
import pytest

from sitrep.errors import FetchError, InputError
from sitrep.ingest.feeds import fetch_feed, parse_feed

URL = "https://feeds.example.org/news.xml"

RSS = b"""<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/">
  <channel>
    <title>Borova Daily</title>
    <item>
      <title>Shelling in Zelenodolsk</title>
      <link>https://news.example.org/a1</link>
      <guid isPermaLink="false">borova-1</guid>
      <pubDate>Tue, 10 Sep 2024 08:30:00 +0000</pubDate>
      <description>Short summary.</description>
      <content:encoded><![CDATA[<p>Shelling hit Zelenodolsk on Monday, officials said.</p>]]></content:encoded>
    </item>
    <item>
      <title>No guid here</title>
      <link>https://news.example.org/a2</link>
      <description>Evacuations continued from Stepove.</description>
    </item>
    <item>
      <title>Neither guid nor link</title>
      <description>Aid convoy reached Lisne.</description>
    </item>
  </channel>
</rss>
"""

ATOM = b"""<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom">
  <title>Field notes</title>
  <id>urn:uuid:feed</id>
  <entry>
    <title>Evacuation from Lisne</title>
    <id>urn:uuid:entry-1</id>
    <link rel="alternate" href="https://notes.example.org/1"/>
    <link rel="enclosure" href="https://notes.example.org/1.mp3"/>
    <published>2024-09-11T06:00:00Z</published>
    <summary>Buses left.</summary>
    <content type="html">&lt;p&gt;Buses left Lisne at dawn with 40 residents.&lt;/p&gt;</content>
  </entry>
  <entry>
    <title>Undated</title>
    <id>urn:uuid:entry-2</id>
    <updated>2024-09-12</updated>
  </entry>
</feed>
"""

RDF = b"""<?xml version="1.0"?>
<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns="http://purl.org/rss/1.0/"
         xmlns:dc="http://purl.org/dc/elements/1.1/">
  <channel rdf:about="https://old.example.org/"><title>Old</title></channel>
  <item rdf:about="https://old.example.org/7">
    <title>Convoy</title><link>https://old.example.org/7</link>
    <description>A convoy reached Stepove.</description><dc:date>2024-09-13T10:00:00+03:00</dc:date>
  </item>
</rdf:RDF>
"""


def test_rss_items() -> None:
    first, second, third = parse_feed(RSS, url=URL)
    assert first.item_id == "borova-1"
    assert first.link == "https://news.example.org/a1"
    assert first.title == "Shelling in Zelenodolsk"
    assert first.published_at == "2024-09-10T08:30:00+00:00"
    assert first.content == "<p>Shelling hit Zelenodolsk on Monday, officials said.</p>"  # the longest
    assert second.item_id == "https://news.example.org/a2"  # no guid: the link
    assert second.published_at is None
    assert third.item_id.startswith("sha256:") and third.link is None  # neither: a hash
    assert parse_feed(RSS, url=URL)[2].item_id == third.item_id  # stable


def test_atom_entries() -> None:
    first, second = parse_feed(ATOM, url=URL)
    assert first.item_id == "urn:uuid:entry-1"
    assert first.link == "https://notes.example.org/1"  # the alternate link, not the enclosure
    assert first.published_at == "2024-09-11T06:00:00+00:00"
    assert first.content == "<p>Buses left Lisne at dawn with 40 residents.</p>"
    assert second.published_at == "2024-09-12"  # only <updated>
    assert second.content is None and second.link is None


def test_rss_1_rdf() -> None:
    (item,) = parse_feed(RDF, url=URL)
    assert item.item_id == "https://old.example.org/7"
    assert item.published_at == "2024-09-13T10:00:00+03:00"
    assert item.content == "A convoy reached Stepove."


@pytest.mark.parametrize(
    "data",
    [
        b"",
        b"\x00\x01\x02 garbage \xff\xfe",
        b"Just some text, no XML at all.",
        b"<!doctype html><html><head><title>News</title></head><body><p>Hello</body></html>",
        b"<html><body><p>An HTML page</p></body></html>",
        b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg"/>',
        b'<rss version="2.0"><nochannel/></rss>',
        b"<rss><channel><item><title>unclosed",
    ],
)
def test_garbage_is_not_a_feed(data: bytes) -> None:
    with pytest.raises(InputError) as caught:
        parse_feed(data, url=URL)
    assert caught.value.code == "input.feed_malformed"


BILLION_LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE rss [
  <!ENTITY lol "lol">
  <!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
  <!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;">
  <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
  <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
  <!ENTITY lol5 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">
  <!ENTITY lol6 "&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;">
  <!ENTITY lol7 "&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;">
  <!ENTITY lol8 "&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;">
  <!ENTITY lol9 "&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;">
]>
<rss version="2.0"><channel><item><guid>x</guid><title>&lol9;</title><description>&lol9;</description></item>
</channel></rss>
"""

EXTERNAL_ENTITY = b"""<?xml version="1.0"?>
<!DOCTYPE rss [<!ENTITY secret SYSTEM "file:///etc/passwd">]>
<rss version="2.0"><channel><item><guid>y</guid><title>&secret;</title></item></channel></rss>
"""


def test_billion_laughs_is_refused_or_not_expanded() -> None:
    try:
        items = parse_feed(BILLION_LAUGHS, url=URL)
    except InputError as exc:
        assert exc.code == "input.feed_malformed"
        return
    for item in items:
        for value in (item.title, item.content):
            assert value is None or len(value) < 1000


def test_external_entities_are_not_read() -> None:
    try:
        items = parse_feed(EXTERNAL_ENTITY, url=URL)
    except InputError as exc:
        assert exc.code == "input.feed_malformed"
        return
    assert all("root:" not in (item.title or "") for item in items)


def test_hostile_titles_stay_text() -> None:
    feed = b"""<rss version="2.0"><channel><item>
      <guid>&lt;script&gt;alert(1)&lt;/script&gt;</guid>
      <title><![CDATA[<script>alert("x")</script> '; DROP TABLE documents; -- \xe2\x80\xae]]></title>
      <link>javascript:alert(1)</link>
      <description>  </description>
    </item></channel></rss>"""
    (item,) = parse_feed(feed, url=URL)
    assert item.item_id == "<script>alert(1)</script>"
    assert item.title == '<script>alert("x")</script> \'; DROP TABLE documents; -- \u202e'
    assert item.link == "javascript:alert(1)"  # kept as data; the watcher only fetches http(s)
    assert item.content is None


def test_fetch_feed_accepts_feed_types_and_reports_errors() -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        if request.url.path == "/feed":
            return httpx.Response(200, content=RSS, headers={"content-type": "application/rss+xml"})
        return httpx.Response(500)

    transport = httpx.MockTransport(handler)
    assert fetch_feed("https://x.example/feed", timeout=5, max_bytes=10_000, transport=transport) == RSS
    with pytest.raises(FetchError) as caught:
        fetch_feed("https://x.example/down", timeout=5, max_bytes=10_000, transport=transport)
    assert caught.value.code == "fetch.http_status"
    with pytest.raises(FetchError) as caught:
        fetch_feed("https://x.example/feed", timeout=5, max_bytes=100, transport=transport)
    assert caught.value.code == "fetch.too_large"
