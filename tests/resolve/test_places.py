"""Gazetteer index and geocoder: spellings, context, abstention."""

from __future__ import annotations

from typing import Any

import pytest

from sitrep.resolve.gazetteer import normalize_name
from sitrep.resolve.places import GazetteerGeocoder, PlaceSpan

pytestmark = pytest.mark.model


def _span(text: str, start: int = 0, *, direction: str | None = None) -> PlaceSpan:
    name = text.split(" ", 1)[1] if direction else text
    return PlaceSpan(text, start, start + len(text), name, direction)


@pytest.fixture(scope="module")
def geocoder(gazetteer: Any, settings: Any) -> GazetteerGeocoder:
    return GazetteerGeocoder(gazetteer, focus_countries=settings.focus_countries)


def test_normalize_name() -> None:
    assert normalize_name("Kurs'k") == normalize_name("KURSK") == "kursk"
    assert normalize_name("Ivano-Frankivsk") == "ivano frankivsk"
    assert normalize_name("Sudža") == "sudza"


@pytest.mark.parametrize("spelling", ["Kyiv", "Kiev", "Київ", "Киев"])
def test_kyiv_spellings_resolve_to_one_city(geocoder: GazetteerGeocoder, spelling: str) -> None:
    (place,) = geocoder.resolve([_span(spelling)])
    assert (place.geonames_id, place.precision, place.country_code) == (703448, "point", "UA")


def test_kharkov_is_kharkiv(geocoder: GazetteerGeocoder) -> None:
    (place,) = geocoder.resolve([_span("Kharkov")])
    assert place.country_code == "UA" and place.name == "Kharkiv"


def test_moscow_is_not_idaho(geocoder: GazetteerGeocoder) -> None:
    (place,) = geocoder.resolve([_span("Moscow")])
    assert place.country_code == "RU" and place.status == "resolved"


def test_moscow_idaho_in_a_us_story(geocoder: GazetteerGeocoder) -> None:
    spans = [_span("Idaho"), _span("Moscow", 10), _span("Boise", 20)]
    idaho, moscow, _ = geocoder.resolve(spans)
    assert idaho.precision == "admin1" and idaho.country_code == "US"
    assert moscow.country_code == "US"


def test_pokrovsk_in_a_donetsk_story(geocoder: GazetteerGeocoder) -> None:
    _, pokrovsk = geocoder.resolve([_span("Donetsk Oblast"), _span("Pokrovsk", 20)])
    assert pokrovsk.geonames_id == 704422 and pokrovsk.status == "resolved"


def test_admin1_forms(geocoder: GazetteerGeocoder) -> None:
    for text in ("Kursk region", "Kursk Oblast", "Kurskaya oblast'"):
        (place,) = geocoder.resolve([_span(text)])
        assert (place.precision, place.name, place.country_code, place.feature_code) == (
            "admin1",
            "Kursk Oblast",
            "RU",
            "ADM1",
        ), text


def test_direction_gives_region_without_invented_coordinates(geocoder: GazetteerGeocoder) -> None:
    (place,) = geocoder.resolve([_span("eastern Ukraine", direction="eastern")])
    assert place.precision == "region" and place.country_code == "UA"
    assert place.lat is None and place.lon is None


def test_unknown_name_is_unresolved_not_dropped(geocoder: GazetteerGeocoder) -> None:
    (place,) = geocoder.resolve([_span("Zzyxobrod")])
    assert place.status == "unresolved" and place.lat is None and place.text == "Zzyxobrod"


def test_common_village_name_without_context_is_ambiguous(geocoder: GazetteerGeocoder) -> None:
    (place,) = geocoder.resolve([_span("Mykolaivka")])
    assert place.status == "ambiguous"
    assert len(place.candidates) >= 2
    assert place.candidates[0].score >= place.candidates[1].score
