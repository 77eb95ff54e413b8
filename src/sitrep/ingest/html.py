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
from typing import Literal

from sitrep.errors import InputError
from sitrep.ingest.documents import build_document, parse_published
from sitrep.model import Document

STAGE_ID = "ingest.html.trafilatura.v1"

_HTML_SNIFF = re.compile(r"^\s*(<!doctype html|<html\b|<head\b|<body\b|<\?xml[^>]*>\s*<html\b)", re.I)


# Publication time by htmldate: the day and, where the page states it, the time
# (htmldate's default output is the day only). Metadata and dated elements come
# before a date in the URL, which has no time. No "extensive search": it turns
# a footer's "Copyright 2024" into 2024-01-01; an unknown date is better.
_DATE_PARAMS = {
    "original_date": True,
    "extensive_search": False,
    "deferred_url_extractor": True,
    "outputformat": "%Y-%m-%dT%H:%M:%S%z",
}


def _page_date(value: str | None) -> str | None:
    """The page's publication time; a bare midnight means htmldate only found the day."""
    if not value:
        return None
    return value.removesuffix("T00:00:00")


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
    published_source: Literal["option", "input"] = "option",
) -> Document:
    """Extract the article from an HTML page; ``published_at`` overrides the page's date.

    ``published_source`` says where a given ``published_at`` came from: the
    ``--published`` option (the default) or the input itself (a JSON line).
    """

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
            date_extraction_params=dict(_DATE_PARAMS),
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
    page_date = _page_date(getattr(result, "date", None))
    published = parse_published(published_at, source=source)
    where: Literal["page", "option", "input"] | None = published_source if published else None
    if published is None and page_date:
        try:
            published = parse_published(page_date, source=source)
            where = "page"
        except InputError:
            published = None
    return build_document(
        body,
        source=source,
        content_type="html",
        published_at=published,
        published_source=where,
        url=url or getattr(result, "url", None) or None,
        title=title or page_title,
        outlet=outlet or getattr(result, "sitename", None) or getattr(result, "hostname", None) or None,
        author=getattr(result, "author", None) or None,
        source_id=source_id,
    )
