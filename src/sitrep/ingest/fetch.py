"""Fetching one URL with httpx: timeouts, a size cap, clear errors.

Tests pass an ``httpx.MockTransport`` or point at a local server; nothing else
in sitrep touches the network.
"""

from __future__ import annotations

from dataclasses import dataclass

import httpx

from sitrep.errors import FetchError

USER_AGENT = "sitrep/0.1 (+https://example.org/sitrep; humanitarian monitoring)"
_TEXT_TYPES = ("text/html", "application/xhtml+xml", "text/plain")


@dataclass(frozen=True)
class FetchedPage:
    url: str
    content: bytes
    content_type: str


def fetch_url(
    url: str,
    *,
    timeout: float,
    max_bytes: int,
    transport: httpx.BaseTransport | None = None,
    content_types: tuple[str, ...] | None = _TEXT_TYPES,
    accept: str | None = None,
) -> FetchedPage:
    """GET ``url`` following redirects; refuse bodies over ``max_bytes`` and, unless ``content_types`` is
    None (any type: feeds are labelled many ways), bodies of other declared types."""

    if not url.startswith(("http://", "https://")):
        raise FetchError(f"{url}: only http:// and https:// URLs can be fetched", code="fetch.bad_url")
    try:
        with (
            httpx.Client(
                transport=transport,
                timeout=httpx.Timeout(timeout),
                follow_redirects=True,
                max_redirects=5,
                headers={"User-Agent": USER_AGENT, **({"Accept": accept} if accept else {})},
            ) as client,
            client.stream("GET", url) as response,
        ):
            if response.status_code >= 400:
                raise FetchError(
                    f"{url}: the server answered HTTP {response.status_code}",
                    code="fetch.http_status",
                )
            declared = response.headers.get("content-length")
            if declared is not None and declared.isdigit() and int(declared) > max_bytes:
                raise FetchError(
                    f"{url}: body of {int(declared):,} bytes is over the limit of {max_bytes:,}",
                    code="fetch.too_large",
                )
            content_type = response.headers.get("content-type", "").split(";")[0].strip().lower()
            if content_type and content_types is not None and not content_type.startswith(content_types):
                raise FetchError(
                    f"{url}: content type {content_type!r} is not a web page or text",
                    code="fetch.content_type",
                )
            chunks: list[bytes] = []
            size = 0
            for chunk in response.iter_bytes():
                size += len(chunk)
                if size > max_bytes:
                    raise FetchError(
                        f"{url}: body is over the limit of {max_bytes:,} bytes",
                        code="fetch.too_large",
                    )
                chunks.append(chunk)
            return FetchedPage(str(response.url), b"".join(chunks), content_type)
    except httpx.TimeoutException as exc:
        raise FetchError(f"{url}: timed out after {timeout:g} s", code="fetch.timeout") from exc
    except httpx.InvalidURL as exc:
        raise FetchError(f"{url}: not a valid URL ({exc})", code="fetch.bad_url") from exc
    except httpx.TooManyRedirects as exc:
        raise FetchError(f"{url}: too many redirects", code="fetch.network") from exc
    except httpx.HTTPError as exc:
        raise FetchError(f"{url}: {exc.__class__.__name__}: {exc}", code="fetch.network") from exc
