"""HTML pages through trafilatura: body, title, author, outlet and publication time."""

from __future__ import annotations

from pathlib import Path

import pytest

from sitrep.ingest import InputOptions, document_from_html, read_inputs
from sitrep.model import Document

HEAD = """<!doctype html>
<html lang="en"><head>
<title>Convoy reaches Ridgeford | Marren Courier</title>
<meta property="og:site_name" content="Marren Courier">
<meta property="og:title" content="Aid convoy reaches besieged Ridgeford">
<meta name="author" content="Olena Testenko">
{date_meta}
</head>"""

BODY = """<body>
<header><nav><a href="/">Home</a> | <a href="/war">War</a> | <a href="/about">About us</a></nav></header>
<div class="cookie-banner">We use cookies to improve your experience. <button>Accept all</button></div>
<article>
<h1>Aid convoy reaches besieged Ridgeford</h1>
<p>A convoy of eight trucks carrying food and medicine reached the fictional town of Ridgeford on Thursday,
the first delivery in three weeks, the regional administration said.</p>
<p>Volunteers unloaded flour, baby formula and insulin at the town hall while shelling continued on the
outskirts, according to a local official.</p>
<p>The administration said the route would remain open for another delivery later this month if the
fighting allowed.</p>
<p>Share this article</p>
<p>Additional reporting by Dmytro Testchuk</p>
</article>
<aside><h2>Most read</h2><ul><li><a href="/a">Grid operator warns of outages</a></li></ul></aside>
<footer><p>Copyright 2024 Marren Courier. All rights reserved.</p></footer>
</body></html>
"""

TIME_META = '<meta property="article:published_time" content="2024-06-13T16:45:00+03:00">'


def page(date_meta: str = TIME_META) -> str:
    return HEAD.format(date_meta=date_meta) + BODY


def test_body_and_metadata_come_from_the_page() -> None:
    document = document_from_html(page(), url="https://marren-courier.example.org/2024/06/13/convoy")

    assert document.content_type == "html"
    assert document.title == "Aid convoy reaches besieged Ridgeford"
    assert document.outlet == "Marren Courier"
    assert document.author == "Olena Testenko"
    assert document.url == "https://marren-courier.example.org/2024/06/13/convoy"
    assert document.published_at == "2024-06-13T16:45:00+03:00"
    assert document.published_source == "page"
    assert document.language == "en"
    assert "A convoy of eight trucks carrying food and medicine reached the fictional town of Ridgeford" in (
        document.text
    )
    assert "the route would remain open for another delivery" in document.text
    for furniture in ("About us", "We use cookies", "Copyright 2024", "Grid operator warns"):
        assert furniture not in document.text


def test_furniture_inside_the_article_is_removed_with_offsets_into_raw_text() -> None:
    document = document_from_html(page())

    reasons = {r.quote: r.reason for r in document.removed}
    assert reasons["Share this article"] == "share_prompt"
    assert reasons["Additional reporting by Dmytro Testchuk"] == "reporting_credit"
    for part in document.removed:
        assert document.raw_text[part.start : part.end] == part.quote
        assert part.quote not in document.text
    assert "Additional reporting" in document.raw_text


def test_published_option_overrides_the_page_date() -> None:
    document = document_from_html(page(), published_at="2024-06-14")
    assert document.published_at == "2024-06-14"
    assert document.published_source == "option"


def test_date_only_page_gives_a_day_not_midnight() -> None:
    document = document_from_html(page('<meta name="date" content="2024-06-13">'))
    assert document.published_at == "2024-06-13"
    assert document.published_source == "page"


def test_page_without_a_date_has_unknown_publication_time() -> None:
    document = document_from_html(page(""))
    assert document.published_at is None
    assert document.published_source is None


def test_caller_title_and_outlet_win_over_the_page() -> None:
    document = document_from_html(page(), title="Convoy arrives", outlet="Wire copy")
    assert (document.title, document.outlet) == ("Convoy arrives", "Wire copy")


def test_same_page_with_other_furniture_has_the_same_id() -> None:
    other = page().replace("Grid operator warns of outages", "Something else entirely")
    assert document_from_html(other).id == document_from_html(page()).id


@pytest.mark.parametrize("name", ["page.html", "page.htm", "page.xhtml"])
def test_html_files_go_through_trafilatura(tmp_path: Path, input_options: InputOptions, name: str) -> None:
    path = tmp_path / name
    path.write_text(page(), encoding="utf-8")

    (document,) = read_inputs([str(path)], options=input_options)

    assert isinstance(document, Document)
    assert document.content_type == "html"
    assert document.outlet == "Marren Courier"
    assert "<p>" not in document.text


def test_published_option_through_read_inputs(tmp_path: Path, input_options: InputOptions) -> None:
    path = tmp_path / "page.html"
    path.write_text(page(), encoding="utf-8")
    options = InputOptions(max_bytes=input_options.max_bytes, timeout=1.0, published_at="2024-06-15")

    (document,) = read_inputs([str(path)], options=options)

    assert isinstance(document, Document)
    assert (document.published_at, document.published_source) == ("2024-06-15", "option")
