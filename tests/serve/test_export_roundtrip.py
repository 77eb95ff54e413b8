"""Exports from the live API read back into the same incidents the API lists (ACLED-shaped CSV and GeoJSON),
and the HXL export of the stored record passes the HXL rules; the CLI export gives the same file."""

from __future__ import annotations

import io
import os
import subprocess
import sys
from typing import Any

import pytest

from sitrep.export import exported, read_acled_csv, read_geojson, validate_hxl
from sitrep.model.incidents import incident_from_dict


def listed(api: Any, who: str) -> list[Any]:
    items: list[dict[str, Any]] = []
    cursor = None
    while True:
        params = {"limit": 2, **({"cursor": cursor} if cursor else {})}
        page = api.get("/incidents", who=who, params=params).json()
        items.extend(page["items"])
        cursor = page["next_cursor"]
        if cursor is None:
            return [incident_from_dict(i) for i in items]


@pytest.mark.parametrize(
    ("fmt", "reader", "decimals"), [("acled-csv", read_acled_csv, 4), ("geojson", read_geojson, 6)]
)
def test_export_reads_back_into_the_listed_incidents(api: Any, fmt: str, reader: Any, decimals: int) -> None:
    incidents = listed(api, "analyst_conf")
    assert len(incidents) == 3  # the three happenings of tests/fixtures/fusion
    response = api.get(f"/export/{fmt}", who="analyst_conf")
    assert response.status_code == 200
    back = reader(io.BytesIO(response.content))
    assert sorted(back, key=lambda e: e.id) == sorted(
        (exported(i, decimals=decimals) for i in incidents), key=lambda e: e.id
    )


def test_hxl_export_of_the_record_is_valid(api: Any) -> None:
    response = api.get("/export/hxl-csv", who="analyst")
    assert response.status_code == 200
    assert validate_hxl(io.BytesIO(response.content)) == []
    assert response.content.count(b"\n") >= 2 + 3  # header, hashtags, three incidents


def test_cli_export_matches_the_api(api: Any, settings: Any, tmp_path: Any) -> None:
    out = tmp_path / "incidents.csv"
    env = {**os.environ, "SITREP_DATA_DIR": settings.data_dir}
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "sitrep",
            "export",
            "acled-csv",
            "--level",
            "confidential",
            "--db",
            api.db_url,
            "-o",
            str(out),
        ],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    from_cli = read_acled_csv(io.BytesIO(out.read_bytes()))
    from_api = read_acled_csv(io.BytesIO(api.get("/export/acled-csv", who="analyst_conf").content))
    assert sorted(from_cli, key=lambda e: e.id) == sorted(from_api, key=lambda e: e.id)
