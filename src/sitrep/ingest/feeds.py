"""RSS 2.0, RSS 1.0 (RDF) and Atom 1.0 feeds to :class:`FeedItem` values.

The XML parser is a safe one: no entity expansion, no DTD loading, no network,
no huge trees. A feed that declares entities gets them left unexpanded (or
refused by lxml), never expanded into billions of characters. Anything that is
not a feed (not XML, an HTML page, another XML vocabulary) raises
``InputError(code="input.feed_malformed")``.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime

import httpx
from lxml import etree

from sitrep.errors import InputError
from sitrep.ingest.fetch import fetch_url

ATOM = "http://www.w3.org/2005/Atom"
RSS1 = "http://purl.org/rss/1.0/"
RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
CONTENT = "http://purl.org/rss/1.0/modules/content/"
DC = "http://purl.org/dc/elements/1.1/"
ACCEPT = "application/rss+xml, application/atom+xml, application/rdf+xml, application/xml, text/xml;q=0.9, */*;q=0.1"


@dataclass(frozen=True)
class FeedItem:
    """One entry of a feed: its id, link, title, publication time and body (HTML or text)."""

    item_id: str
    link: str | None
    title: str | None
    published_at: str | None  # ISO 8601, or None when the feed gives no readable date
    content: str | None  # the longest of content:encoded, content, description, summary


def fetch_feed(url: str, *, timeout: float, max_bytes: int, transport: httpx.BaseTransport | None = None) -> bytes:
    """GET a feed's bytes (any content type: servers label feeds many ways); errors as in ``fetch_url``."""
    page = fetch_url(url, timeout=timeout, max_bytes=max_bytes, transport=transport, content_types=None, accept=ACCEPT)
    return page.content


def _parser() -> etree.XMLParser:
    return etree.XMLParser(
        resolve_entities=False,
        no_network=True,
        huge_tree=False,
        load_dtd=False,
        dtd_validation=False,
        remove_comments=True,
        remove_pis=True,
    )


def parse_feed(data: bytes, *, url: str) -> list[FeedItem]:
    """The items of an RSS or Atom feed, in the feed's order."""

    try:
        root = etree.fromstring(data, parser=_parser())
    except etree.XMLSyntaxError as exc:
        raise InputError(f"{url}: not a feed (not well-formed XML: {exc})", code="input.feed_malformed") from exc
    if root is None or not isinstance(root.tag, str):
        raise InputError(f"{url}: not a feed (no root element)", code="input.feed_malformed")
    tag = etree.QName(root)
    if tag.localname == "rss" and tag.namespace is None:
        channel = root.find("channel")
        if channel is None:
            raise InputError(f"{url}: an RSS document without a channel", code="input.feed_malformed")
        return [_rss_item(item) for item in channel.findall("item")]
    if tag.localname == "feed" and tag.namespace == ATOM:
        return [_atom_entry(entry) for entry in root.findall(f"{{{ATOM}}}entry")]
    if tag.localname == "RDF" and tag.namespace == RDF:
        return [_rss_item(item, ns=RSS1) for item in root.findall(f"{{{RSS1}}}item")]
    raise InputError(f"{url}: not an RSS or Atom feed (root element <{tag.localname}>)", code="input.feed_malformed")


def _text(element: etree._Element | None) -> str | None:
    if element is None:
        return None
    value = "".join(element.itertext()).strip()
    return value or None


def _rss_item(item: etree._Element, *, ns: str | None = None) -> FeedItem:
    def child(name: str) -> str | None:
        return _text(item.find(name if ns is None else f"{{{ns}}}{name}"))

    link = child("link")
    title = child("title")
    guid = child("guid") or (item.get(f"{{{RDF}}}about") if ns is not None else None)
    content = _longest(_text(item.find(f"{{{CONTENT}}}encoded")), child("description"))
    published = _rfc822(child("pubDate")) or _iso(_text(item.find(f"{{{DC}}}date")))
    return FeedItem(_item_id(guid, link, title, content), link, title, published, content)


def _atom_entry(entry: etree._Element) -> FeedItem:
    def child(name: str) -> str | None:
        return _text(entry.find(f"{{{ATOM}}}{name}"))

    link = None
    for element in entry.findall(f"{{{ATOM}}}link"):
        if element.get("rel", "alternate") == "alternate" and element.get("href"):
            link = element.get("href", "").strip() or None
            break
    title = child("title")
    content = _longest(child("content"), child("summary"))
    published = _iso(child("published")) or _iso(child("updated"))
    return FeedItem(_item_id(child("id"), link, title, content), link, title, published, content)


def _longest(*values: str | None) -> str | None:
    present = [v for v in values if v]
    return max(present, key=len) if present else None


def _item_id(guid: str | None, link: str | None, title: str | None, content: str | None) -> str:
    if guid:
        return guid
    if link:
        return link
    digest = hashlib.sha256(f"{title or ''}\n{content or ''}".encode()).hexdigest()
    return f"sha256:{digest}"


def _rfc822(value: str | None) -> str | None:
    """RSS's ``pubDate`` (RFC 822) as ISO 8601; None when unreadable."""
    if not value:
        return None
    try:
        parsed = parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return _iso(value)  # some feeds write ISO dates in pubDate
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=UTC)
    return parsed.isoformat()


def _iso(value: str | None) -> str | None:
    """An ISO 8601 date or date-time as written (normalised); None when unreadable."""
    if not value:
        return None
    try:
        parsed = datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
    except ValueError:
        return None
    if len(value.strip()) == 10:
        return parsed.date().isoformat()
    return parsed.isoformat()
