"""HTML pages to documents through trafilatura.

trafilatura drops navigation, footers and most boxes; its output is the
document's ``raw_text`` and then goes through sitrep's own furniture rules,
which catch appeals and credits that sit inside the article body. ``removed``
offsets therefore point into trafilatura's text, not into the HTML.

Stage id: ``ingest.html.trafilatura.v1``.
"""

from __future__ import annotations

import logging
import re

from sitrep.errors import InputError
from sitrep.ingest.documents import build_document, parse_published
from sitrep.model import Document

STAGE_ID = "ingest.html.trafilatura.v1"

_HTML_SNIFF = re.compile(r"^\s*(<!doctype html|<html\b|<head\b|<body\b|<\?xml[^>]*>\s*<html\b)", re.I)


def looks_like_html(text: str) -> bool:
    head = text[:2048]
    return bool(_HTML_SNIFF.search(head)) or ("<p>" in head.lower() and "</" in head)


def document_from_html(
    html: str,
    *,
    url: str | None = None,
    published_at: str | None = None,
    outlet: str | None = None,
    title: str | None = None,
    source_id: str | None = None,
    source: str = "<html>",
) -> Document:
    """Extract the article from an HTML page; ``published_at`` overrides the page's date."""

    import trafilatura

    logging.getLogger("trafilatura").setLevel(logging.ERROR)
    logging.getLogger("htmldate").setLevel(logging.ERROR)
    try:
        result = trafilatura.bare_extraction(
            html,
            url=url,
            with_metadata=True,
            include_comments=False,
            include_tables=True,
            date_extraction_params={"extensive_search": True, "original_date": True},
        )
    except (ValueError, TypeError) as exc:  # trafilatura's own parse failures
        raise InputError(f"{source}: HTML could not be parsed ({exc})", code="input.html_no_body") from exc
    body = getattr(result, "text", None) if result is not None else None
    if not body or not body.strip():
        raise InputError(
            f"{source}: HTML page has no article body that could be extracted",
            code="input.html_no_body",
        )
    page_title = getattr(result, "title", None) or None
    page_date = getattr(result, "date", None) or None
    published = parse_published(published_at, source=source)
    published_source: str | None = "option" if published else None
    if published is None and page_date:
        try:
            published = parse_published(page_date, source=source)
            published_source = "page"
        except InputError:
            published = None
    return build_document(
        body,
        source=source,
        content_type="html",
        published_at=published,
        published_source="page" if published_source == "page" else ("option" if published else None),
        url=url or getattr(result, "url", None) or None,
        title=title or page_title,
        outlet=outlet or getattr(result, "sitename", None) or getattr(result, "hostname", None) or None,
        author=getattr(result, "author", None) or None,
        source_id=source_id,
    )

