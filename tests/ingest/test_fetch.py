"""URLs through httpx against a local HTTP server: pages, errors, caps, timeouts, redirects."""

from __future__ import annotations

from dataclasses import replace

import httpx
import pytest

from sitrep.errors import FetchError
from sitrep.ingest import InputOptions, read_inputs
from sitrep.ingest.fetch import USER_AGENT, fetch_url
from sitrep.model import Document, Failure


def one(url: str, options: InputOptions) -> Document | Failure:
    items = list(read_inputs([url], options=options))
    assert len(items) == 1, items
    return items[0]


def failure_code(url: str, options: InputOptions) -> str:
    item = one(url, options)
    assert isinstance(item, Failure), item
    assert item.source == url
    assert item.stage == "ingest"
    assert url in item.message
    return str(item.code)


def test_html_page(http_base: str, input_options: InputOptions) -> None:
    document = one(f"{http_base}/page.html", input_options)

    assert isinstance(document, Document)
    assert document.content_type == "html"
    assert document.url == f"{http_base}/page.html"
    assert document.title == "Shelling hits Vostokgrad market"
    assert document.outlet == "Frontier Times"
    assert document.author == "Anna Testova"
    assert (document.published_at, document.published_source) == ("2024-03-05T10:07:00+02:00", "page")
    assert "killing four people and injuring eleven" in " ".join(document.text.split())
    assert "Copyright" not in document.text
    assert [r.reason for r in document.removed] == ["reporting_credit"]


def test_html_page_with_published_option(http_base: str, input_options: InputOptions) -> None:
    document = one(f"{http_base}/page.html", replace(input_options, published_at="2024-03-06"))
    assert isinstance(document, Document)
    assert (document.published_at, document.published_source) == ("2024-03-06", "option")


def test_plain_text_page(http_base: str, input_options: InputOptions) -> None:
    document = one(f"{http_base}/report.txt", input_options)

    assert isinstance(document, Document)
    assert document.content_type == "text"
    assert document.url == f"{http_base}/report.txt"
    assert document.text.startswith("Aid agencies in the fictional Marren district")
    assert [(r.quote, r.reason) for r in document.removed] == [("Share this article", "share_prompt")]


def test_page_without_content_type_is_sniffed(http_base: str, input_options: InputOptions) -> None:
    document = one(f"{http_base}/untyped", input_options)
    assert isinstance(document, Document)
    assert document.content_type == "html"


def test_redirect_is_followed_and_the_final_url_kept(http_base: str, input_options: InputOptions) -> None:
    document = one(f"{http_base}/moved", input_options)
    assert isinstance(document, Document)
    assert document.url == f"{http_base}/report.txt"
    assert document.text.startswith("Aid agencies")


def test_same_report_by_url_and_by_text_has_one_id(http_base: str, input_options: InputOptions) -> None:
    direct, redirected = read_inputs([f"{http_base}/report.txt", f"{http_base}/moved"], options=input_options)
    assert isinstance(direct, Document) and isinstance(redirected, Document)
    assert direct.id == redirected.id


def test_not_found(http_base: str, input_options: InputOptions) -> None:
    assert failure_code(f"{http_base}/missing", input_options) == "fetch.http_status"


def test_status_is_in_the_message(http_base: str, input_options: InputOptions) -> None:
    with pytest.raises(FetchError, match="HTTP 404"):
        fetch_url(f"{http_base}/missing", timeout=5, max_bytes=1000)


def test_declared_body_over_the_cap(http_base: str, input_options: InputOptions) -> None:
    assert failure_code(f"{http_base}/big", replace(input_options, max_bytes=1000)) == "fetch.too_large"


def test_streamed_body_over_the_cap(http_base: str, input_options: InputOptions) -> None:
    assert failure_code(f"{http_base}/big-undeclared", replace(input_options, max_bytes=1000)) == "fetch.too_large"


def test_body_under_the_cap_is_read(http_base: str, input_options: InputOptions) -> None:
    assert isinstance(one(f"{http_base}/big-undeclared", replace(input_options, max_bytes=10_000)), Document)


def test_slow_server_times_out(http_base: str, input_options: InputOptions) -> None:
    options = replace(input_options, timeout=0.2)
    assert failure_code(f"{http_base}/slow", options) == "fetch.timeout"
    with pytest.raises(FetchError, match=r"timed out after 0\.2 s"):
        fetch_url(f"{http_base}/slow", timeout=0.2, max_bytes=1000)


def test_non_text_content_type(http_base: str, input_options: InputOptions) -> None:
    assert failure_code(f"{http_base}/image.png", input_options) == "fetch.content_type"


def test_page_without_body(http_base: str, input_options: InputOptions) -> None:
    assert failure_code(f"{http_base}/empty-page.html", input_options) == "input.html_no_body"


def test_redirect_loop(http_base: str, input_options: InputOptions) -> None:
    assert failure_code(f"{http_base}/loop", input_options) == "fetch.network"


def test_connection_refused(input_options: InputOptions) -> None:
    # Port 9 (discard) on loopback: nothing listens there in the test environment.
    assert failure_code("http://127.0.0.1:9/report.txt", replace(input_options, timeout=2.0)) == "fetch.network"


@pytest.mark.parametrize("url", ["http://[::1", "http://[zz]/report"])
def test_malformed_url(url: str, input_options: InputOptions) -> None:
    assert failure_code(url, input_options) == "fetch.bad_url"


def test_only_http_urls_are_fetched() -> None:
    with pytest.raises(FetchError) as caught:
        fetch_url("ftp://files.example.org/report.txt", timeout=1, max_bytes=1000)
    assert caught.value.code == "fetch.bad_url"


def test_injected_transport_sees_timeouts_and_user_agent() -> None:
    seen: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        headers = {"Content-Type": "text/plain"}
        return httpx.Response(200, text="Four people were killed in Vostokgrad.", headers=headers)

    page = fetch_url("https://news.example.org/a", timeout=3, max_bytes=1000, transport=httpx.MockTransport(handler))

    assert page.content == b"Four people were killed in Vostokgrad."
    assert page.content_type == "text/plain"
    (request,) = seen
    assert request.headers["User-Agent"] == USER_AGENT
    assert request.extensions["timeout"] == {"connect": 3, "read": 3, "write": 3, "pool": 3}
