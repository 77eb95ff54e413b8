"""The server answers on both engines: health, a page of incidents for an analyst, 401 without a token."""

from __future__ import annotations


def test_health_and_incidents(api) -> None:  # type: ignore[no-untyped-def]
    assert api.get("/health").json()["status"] == "ok"
    page = api.get("/incidents", who="analyst").json()
    assert len(page["items"]) == 3
    assert api.get("/incidents").status_code == 401
