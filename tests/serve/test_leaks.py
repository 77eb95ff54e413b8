"""Nothing personal, and nothing confidential, reaches a caller below confidential clearance.

Observers send in field reports (KoboToolbox-style JSON) that carry unique,
fictional names (witnesses, informants, authors, a contact) and exact
coordinates of where each report was made: three CONFIDENTIAL reports and one
RESTRICTED one, all about shelling or an evacuation in Kharkiv region in 2024.
An analyst with confidential clearance verifies the incidents they fall in, so
that viewers see those incidents. Then every response body that a lower caller
can reach is collected: every list followed through all its pages, every object
seen in a list (and the planted reports' documents, field reports and incidents,
asked for directly), every export format (Parquet and XLSX decoded), and the
command line's public export. The callers: ``viewer``, ``observer2`` (an
observer who did not send the reports), ``analyst`` (restricted clearance) and
an anonymous caller of a second server started with SITREP_ALLOW_ANONYMOUS=true.

What must hold (model/access.py, store/views.py):

- personal data (the names, the contact, the exact coordinates, in any of
  their 4-to-6-decimal forms) of every planted report: zero occurrences for all
  four callers;
- a restricted report reaches public callers (viewer, observer2, anonymous)
  only inside its incident, redacted: no text, no names, no document id,
  coordinates rounded to one decimal; the restricted analyst reads its text;
- confidential reports are left out below confidential: not even their
  document ids are named.

Positive controls keep the test from passing on an empty record: the
confidential analyst does read the names, the redacted incident is in the
viewer's list, and the restricted analyst does read the restricted text.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import subprocess
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import quote

import httpx
import pytest

import apiserver as serve
from sitrep.settings import Settings

SITREP = Path(sys.executable).with_name("sitrep")
PAGE = 3  # small pages, so every list is followed through several cursors
EXPORTS = ("acled-csv", "ucdp-csv", "geojson", "hxl-csv", "parquet", "xlsx")
WITHHELD = "[withheld]"
REVIEW_REASON = "checked against the observer's photographs and two public reports"


@dataclass(frozen=True)
class Plant:
    """One planted field report: its submission, and the strings that must not leak from it."""

    uuid: str
    sensitivity: str
    text: str
    personal: dict[str, str]  # form field -> value (names, a contact)
    lat: float
    lon: float
    verify: bool  # verified by the confidential analyst, so that viewers see its incident
    in_text: tuple[str, ...] = ()  # personal values the report's own text repeats
    review_reason: str = REVIEW_REASON

    def submission(self) -> dict[str, Any]:
        return {
            "_uuid": self.uuid,
            "report": self.text,
            **self.personal,
            "_geolocation": [self.lat, self.lon],
            "sensitivity": self.sensitivity,
            "_xform_id_string": "field_observation_v3",
        }

    @property
    def names(self) -> list[str]:
        """Each personal value, and each name's surname on its own (a claimant may be cut to it)."""
        out = []
        for value in self.personal.values():
            out.append(value)
            last = value.split()[-1]
            if last.isalpha() and len(last) >= 6:
                out.append(last)
        return out

    @property
    def coordinates(self) -> list[str]:
        """The exact coordinates as text, to 4, 5 and 6 decimals and as Python/JSON write them."""
        return sorted({form for v in (self.lat, self.lon) for form in (f"{v:.4f}", f"{v:.5f}", f"{v:.6f}", repr(v))})


def _sorting_first(template: str) -> str:
    """``template`` with a number put in so that its document id (``d`` + SHA-256 of the text) sorts before
    every other document id: fusion then names this report's key in its incident's other members' reasons."""
    for n in range(30, 400):
        text = template.format(n=n)
        if hashlib.sha256(text.encode("utf-8")).hexdigest().startswith("0"):
            return text
    raise AssertionError("no wording of the report sorts first")  # pragma: no cover


# The same shelling of Kupiansk as the public fixture reports of 2024-03-12: it joins their incident.
CONFIDENTIAL_JOINS_PUBLIC = Plant(
    uuid="leak-conf-kupiansk-0312",
    sensitivity="confidential",
    text=(
        "Russian artillery shelled a residential street in Kupiansk on 12 March 2024, killing two civilians, "
        "said witness Zorawitness Quillfeather, who saw the strike from a nearby shop."
    ),
    personal={
        "witness_name": "Zorawitness Quillfeather",
        "informant_name": "Informant Bexley Oakhurst",
        "author_name": "Author Marisol Vantreeck",
        "contact": "+380 67 555 0143",
    },
    lat=49.712345,
    lon=37.615432,
    verify=True,
    in_text=("Zorawitness Quillfeather",),
)
# Its own incident, with confidential sources only: invisible below confidential even once verified. The
# reviewer's reason names the witness, as a reviewer's note may.
CONFIDENTIAL_ALONE = Plant(
    uuid="leak-conf-kupiansk-0819",
    sensitivity="confidential",
    text=(
        "Russian artillery shelled the railway station in Kupiansk on 19 August 2024, killing one civilian, "
        "said witness Yarrowby Ketterling."
    ),
    personal={
        "witness_name": "Yarrowby Ketterling",
        "informant_name": "Informant Odalys Fenwright",
        "author_name": "Author Pemberton Skrivane",
    },
    lat=49.723412,
    lon=37.598721,
    verify=True,
    in_text=("Yarrowby Ketterling",),
    review_reason="confirmed by telephone with the witness Yarrowby Ketterling",
)
# Its own incident, restricted: public callers see it redacted once verified; the restricted analyst sees
# its text (which names the witness) but not its personal data.
RESTRICTED = Plant(
    uuid="leak-restr-kupiansk-1007",
    sensitivity="restricted",
    text=(
        "Russian artillery shelled a fuel depot on Glimmerforge Street in Kupiansk on 7 October 2024, killing "
        "one worker, said witness Quenby Thistlewaite."
    ),
    personal={
        "witness_name": "Quenby Thistlewaite",
        "informant_name": "Informant Halloran Wexcombe",
        "author_name": "Author Ysolde Brackenridge",
        "phone": "+380 50 555 0178",
    },
    lat=49.687613,
    lon=37.576521,
    verify=True,
    in_text=("Quenby Thistlewaite",),
)
# Joins the public evacuation near Vovchansk and stays provisional; worded so that its key is the incident's
# smallest, the one the other members' fusion reasons refer to.
CONFIDENTIAL_PROVISIONAL = Plant(
    uuid="leak-conf-vovchansk-0603",
    sensitivity="confidential",
    text=_sorting_first(
        "About {n} civilians were evacuated from villages near Vovchansk in the Kharkiv region on 3 June 2024, "
        "said informant Wendeline Corrigash."
    ),
    personal={"informant_name": "Wendeline Corrigash", "author_name": "Author Tamsin Hollowbrook"},
    lat=50.291234,
    lon=36.941187,
    verify=False,
    in_text=("Wendeline Corrigash",),
)
PLANTS = (CONFIDENTIAL_JOINS_PUBLIC, CONFIDENTIAL_ALONE, RESTRICTED, CONFIDENTIAL_PROVISIONAL)
CONFIDENTIAL = tuple(p for p in PLANTS if p.sensitivity == "confidential")
RESTRICTED_WORDS = ("Glimmerforge",)  # words of the restricted text that are no one's name
LOWER = ("viewer", "observer2", "analyst", "anonymous")
PUBLIC_CALLERS = ("viewer", "observer2", "anonymous")


@dataclass
class Planted:
    documents: dict[str, str] = field(default_factory=dict)  # uuid -> document id
    incidents: dict[str, list[str]] = field(default_factory=dict)  # uuid -> incident ids, before and after review
    current: dict[str, str] = field(default_factory=dict)  # uuid -> the incident's id now


@dataclass
class Received:
    """Everything one caller was sent: (what was asked, the body as text)."""

    caller: str
    bodies: list[tuple[str, str]] = field(default_factory=list)
    refusals: set[str] = field(default_factory=set)  # requests answered with an error
    server_errors: list[str] = field(default_factory=list)

    def find(self, needles: list[str]) -> list[str]:
        hits = []
        for needle in dict.fromkeys(needles):
            for asked, text in self.bodies:
                if asked in self.refusals and needle.casefold() in asked.casefold():
                    continue  # "no document 'd...'": the refusal repeats what the caller named, and tells nothing
                at = text.casefold().find(needle.casefold())
                if at >= 0:
                    hits.append(f"{needle!r} in {asked}: ...{text[max(0, at - 80) : at + 80]}...")
        return hits


# fixtures -------------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def planted(api: Any) -> Planted:
    out = Planted()
    for plant in PLANTS:
        response = api.post("/field-reports", who="observer", json=plant.submission())
        assert response.status_code == 200, response.text
        stored = response.json()
        assert stored["outcome"] == "new" and stored["events"] >= 1, stored
        assert stored["incidents"], f"{plant.uuid}: no incident; the extractor found no event in the report"
        out.documents[plant.uuid] = stored["document_id"]
        out.incidents[plant.uuid] = list(stored["incidents"])
    for plant in PLANTS:
        (incident,) = out.incidents[plant.uuid]
        if plant.verify:
            review = {"status": "verified", "reason": plant.review_reason}
            response = api.post(f"/incidents/{incident}/review", who="analyst_conf", json=review)
            assert response.status_code == 200, response.text
            incident = response.json()["id"]  # reviewing pins the incident, under a new id
            out.incidents[plant.uuid].append(incident)
        out.current[plant.uuid] = incident
    return out


@pytest.fixture(scope="module")
def anonymous_base(api: Any, settings: Settings) -> Iterator[str]:
    """A second server on the same database that lets callers without a token read."""
    base, process = serve.start_server(api.db_url, settings, env={"SITREP_ALLOW_ANONYMOUS": "true"})
    try:
        yield base
    finally:
        serve.stop_server(process)


@pytest.fixture(scope="module")
def received(api: Any, planted: Planted, anonymous_base: str) -> dict[str, Received]:
    out = {}
    with httpx.Client(timeout=60) as anonymous:
        for caller in (*LOWER, "analyst_conf"):
            if caller == "anonymous":

                def fetch(path: str, params: dict[str, Any] | None = None) -> httpx.Response:
                    return anonymous.get(anonymous_base + path, params=params)

            else:

                def fetch(path: str, params: dict[str, Any] | None = None, who: str = caller) -> httpx.Response:
                    return api.get(path, who=who, params=params)

            out[caller] = collect(caller, fetch, planted)
    return out


# collecting everything a caller can reach ---------------------------------------------------------------

Fetch = Callable[..., httpx.Response]
LISTS = ("/incidents", "/review-queue", "/documents", "/events", "/claims", "/places", "/field-reports", "/audit")


def collect(caller: str, fetch: Fetch, planted: Planted) -> Received:
    seen = Received(caller)

    def get(path: str, params: dict[str, Any] | None = None) -> Any:
        response = fetch(path, params)
        asked = path + (f"?{'&'.join(f'{k}={v}' for k, v in params.items())}" if params else "")
        if response.status_code >= 500:
            seen.server_errors.append(f"GET {asked} -> {response.status_code}: {response.text}")
        seen.bodies.append((f"GET {asked}", body_text(path, response)))
        if response.status_code >= 400:
            seen.refusals.add(f"GET {asked}")
        is_json = response.headers.get("content-type", "").startswith("application/json")
        return response.json() if response.status_code == 200 and is_json else None

    def pages(path: str, params: dict[str, Any] | None = None) -> list[dict[str, Any]]:
        items: list[dict[str, Any]] = []
        cursor = None
        for _ in range(1000):
            page = get(path, {**(params or {}), "limit": PAGE, **({"cursor": cursor} if cursor else {})})
            if page is None:
                return items
            items.extend(page["items"])
            cursor = page["next_cursor"]
            if not cursor:
                return items
        raise AssertionError(f"{path}: more than 1000 pages")

    get("/me")
    listed = {path: pages(path) for path in LISTS}
    for status in ("provisional", "verified", "unverifiable", "rejected"):
        listed["/incidents"] += pages("/incidents", {"status": status})
    get("/users")

    incidents = listed["/incidents"] + listed["/review-queue"]
    incident_ids = {i["id"] for i in incidents} | {e["incident_id"] for e in listed["/events"] if e["incident_id"]}
    incident_ids |= {i for ids in planted.incidents.values() for i in ids}
    document_ids = {d["id"] for d in listed["/documents"]} | set(planted.documents.values())
    for name in ("/events", "/claims", "/places"):
        document_ids |= {r["document_id"] for r in listed[name]}
    for inc in incidents:
        document_ids |= {m["document_id"] for m in inc["members"]}
        document_ids |= {r["document_id"] for r in inc["supporting"] + inc["disputing"]}
    uuids = {r["uuid"] for r in listed["/field-reports"]} | set(planted.documents)
    places = {p[k] for p in listed["/places"] for k in ("name", "text") if p.get(k)}
    places |= {i["location_name"] for i in incidents if i["location_name"]} | {"Kupiansk", "Kupyansk", "Vovchansk"}
    days = {i[k] for i in incidents for k in ("date_start", "date_end") if i[k]}
    days |= {"2024-03-12", "2024-06-03", "2024-08-19", "2024-10-07"}

    for incident_id in sorted(incident_ids):
        get(f"/incidents/{quote(incident_id, safe='')}")
        get(f"/incidents/{quote(incident_id, safe='')}/history")
    for document_id in sorted(document_ids):
        get(f"/documents/{quote(document_id, safe='')}")
        pages("/events", {"document_id": document_id})
        pages("/claims", {"document_id": document_id})
    for uuid in sorted(uuids):
        get(f"/field-reports/{quote(uuid, safe='')}")
    for place in sorted(places):
        get(f"/control/{quote(place, safe='')}")
    for day in sorted(days):
        get("/control", {"on": day[:10]})
    for fmt in EXPORTS:
        get(f"/export/{fmt}")
    return seen


def body_text(path: str, response: httpx.Response) -> str:
    """A response body as text; Parquet and XLSX exports decoded to the text of their cells."""
    ok = response.status_code == 200
    if ok and path.endswith("/export/parquet"):
        import pyarrow.parquet as pq

        table = pq.read_table(io.BytesIO(response.content))
        return json.dumps(table.to_pylist(), default=str)
    if ok and path.endswith("/export/xlsx"):
        from openpyxl import load_workbook

        book = load_workbook(io.BytesIO(response.content), read_only=True)
        cells = [str(c) for sheet in book.worksheets for row in sheet.iter_rows(values_only=True) for c in row]
        book.close()
        return "\n".join(cells)
    return response.text


def forbidden_for(caller: str) -> list[str]:
    """The personal data no caller below confidential may be sent."""
    out = []
    for plant in PLANTS:
        out += plant.coordinates
        names = plant.names
        if caller == "analyst" and plant.sensitivity == "restricted":
            # the analyst reads the restricted text, and with it the names the text itself gives
            names = [n for n in names if not any(n in given for given in plant.in_text)]
        out += names
    return out


# the tests ----------------------------------------------------------------------------------------------


def test_the_planted_reports_are_there_for_those_who_may_see_them(
    api: Any, planted: Planted, received: dict[str, Received]
) -> None:
    """Positive controls: without them, a server that lost the reports would pass the tests below."""
    conf = api.get(f"/field-reports/{CONFIDENTIAL_JOINS_PUBLIC.uuid}", who="analyst_conf").json()
    assert {p["value"] for p in conf["personal"]} == set(CONFIDENTIAL_JOINS_PUBLIC.personal.values())
    assert (conf["lat"], conf["lon"]) == (CONFIDENTIAL_JOINS_PUBLIC.lat, CONFIDENTIAL_JOINS_PUBLIC.lon)
    assert "Zorawitness Quillfeather" in conf["text"]
    assert received["analyst_conf"].find(["Zorawitness Quillfeather", "49.712345", "Corrigash"])

    restricted = api.get(f"/field-reports/{RESTRICTED.uuid}", who="analyst").json()
    assert "Quenby Thistlewaite" in restricted["text"] and restricted["personal"] is None
    assert (restricted["lat"], restricted["lon"], restricted["location_rounded"]) == (49.7, 37.6, True)

    for caller in PUBLIC_CALLERS:
        listed = [b for asked, b in received[caller].bodies if asked.startswith("GET /incidents?")]
        shown = {i["id"]: i for body in listed for i in json.loads(body)["items"]}
        redacted = shown.get(planted.current[RESTRICTED.uuid])
        assert redacted is not None, f"{caller}: the verified restricted incident is not in the list"
        assert redacted["sources"] == 1 and redacted["status"] == "verified"
        assert {m["quote"] for m in redacted["members"]} == {WITHHELD}
        assert redacted["event_type"] and redacted["date_start"] == "2024-10-07"
        assert planted.current[CONFIDENTIAL_JOINS_PUBLIC.uuid] in shown, f"{caller}: the public incident is gone"
        assert planted.current[CONFIDENTIAL_ALONE.uuid] not in shown


@pytest.mark.parametrize("caller", (*LOWER, "analyst_conf"))
def test_every_request_is_answered_without_a_server_error(caller: str, received: dict[str, Received]) -> None:
    assert not received[caller].server_errors, "\n".join(received[caller].server_errors)


@pytest.mark.parametrize("caller", LOWER)
def test_no_personal_data_below_confidential(caller: str, received: dict[str, Received]) -> None:
    hits = received[caller].find(forbidden_for(caller))
    assert not hits, f"{caller} was sent personal data:\n" + "\n".join(hits)


@pytest.mark.parametrize("caller", PUBLIC_CALLERS)
def test_restricted_reports_reach_public_callers_redacted(
    caller: str, planted: Planted, received: dict[str, Received]
) -> None:
    needles = [*RESTRICTED.in_text, *RESTRICTED_WORDS, planted.documents[RESTRICTED.uuid]]
    hits = received[caller].find(needles)
    assert not hits, f"{caller} was sent restricted text or ids:\n" + "\n".join(hits)
    incident = planted.current[RESTRICTED.uuid]
    for asked, body in received[caller].bodies:
        if asked.startswith(("GET /incidents?", f"GET /incidents/{incident}")) and not asked.endswith("/history"):
            data = json.loads(body)
            for item in data.get("items", [data]):
                if item.get("id") == incident:
                    assert (item["lat"], item["lon"]) == (round(item["lat"], 1), round(item["lon"], 1)), asked
                    assert {r["quote"] for r in item["supporting"] + item["disputing"]} <= {WITHHELD}, asked
                    assert all(r["outlet"] is None for r in item["supporting"] + item["disputing"]), asked
        if asked == "GET /export/geojson":
            features = {f["id"]: f for f in json.loads(body)["features"]}
            point = features[incident]["geometry"]["coordinates"]
            assert point == [round(v, 1) for v in point], f"{caller}: geojson gives {point}"


@pytest.mark.parametrize("caller", LOWER)
def test_confidential_reports_are_left_out_below_confidential(
    caller: str, planted: Planted, received: dict[str, Received]
) -> None:
    """Not even a confidential document's id (a hash of its text) is named to a caller who may not see it."""
    hits = received[caller].find([planted.documents[p.uuid] for p in CONFIDENTIAL])
    assert not hits, f"{caller} was sent the ids of confidential documents:\n" + "\n".join(hits)


def test_the_cli_public_export_holds_no_personal_data(
    api: Any, planted: Planted, settings: Settings, tmp_path: Path
) -> None:
    out = tmp_path / "public.geojson"
    env = {**os.environ, "SITREP_DATA_DIR": settings.data_dir}
    done = subprocess.run(
        [str(SITREP), "export", "geojson", "--level", "public", "--db", api.db_url, "-o", str(out)],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    exported = Received("cli", [("sitrep export geojson --level public", out.read_text(encoding="utf-8"))])
    features = json.loads(exported.bodies[0][1])["features"]
    assert planted.current[RESTRICTED.uuid] in {f["id"] for f in features}  # positive control: redacted, not lost
    needles = [*forbidden_for("viewer"), *RESTRICTED_WORDS]
    needles += [planted.documents[p.uuid] for p in PLANTS]
    hits = exported.find(needles)
    assert not hits, "the public export holds personal or withheld data:\n" + "\n".join(hits)


def test_a_document_url_is_never_read_from_the_servers_disk(api: Any, tmp_path: Path) -> None:
    """POST /documents fetches ``url`` over HTTP(S); a path on the server's disk is refused, never read."""
    secret = tmp_path / "not-for-callers.txt"
    marker = "Ostrava Plumtree keeps the server's private notes here"
    secret.write_text(f"Russian artillery shelled Kupiansk on 2 May 2024. {marker}.", encoding="utf-8")
    wrong = []
    for url in (str(secret), "file://" + str(secret), str(tmp_path)):  # the file, as a URL, its folder
        response = api.post("/documents", who="analyst", json={"url": url})
        if response.status_code != 422 or set(response.json().get("error", ())) != {"code", "message", "status"}:
            wrong.append(f"POST /documents {{'url': {url!r}}} -> {response.status_code} {response.text}")
    assert not wrong, "expected 422 and the error shape:\n" + "\n".join(wrong)
    assert marker not in api.get("/documents", who="admin", params={"limit": 500}).text
