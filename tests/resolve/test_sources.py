"""Source independence helpers: dateline credits and near-duplicate texts (team-written examples)."""

from __future__ import annotations

from sitrep.resolve.sources import NEAR_DUPLICATE, similarity, text_sketch, wire_credit

STORY = (
    "Rescue crews in the town of Veldor worked through the night after a strike on a grain depot, the mayor said. "
    "Four workers were hurt and a warehouse burned down, according to the regional emergency service. "
    "The depot had supplied bakeries across the province since the spring, and its loss will be felt within weeks, "
    "a local trader told reporters on Friday."
)


def test_wire_credit_in_a_dateline() -> None:
    assert wire_credit("KYIV (Wire Agency) - Shelling hit the town.") == "Wire Agency"
    assert wire_credit("Kharkiv, Ukraine (Steppe Newswire) \u2014 Crews worked.") == "Steppe Newswire"
    assert wire_credit("VELDOR, March 3 (Agency One) - Crews worked.") == "Agency One"
    assert wire_credit("The (big) depot burned - crews said.") is None
    assert wire_credit("Crews worked (Agency One) - all night.") is None  # not at the start


def test_near_duplicates_and_different_reports() -> None:
    republished = "Depot strike in Veldor\n\n" + STORY
    trimmed = STORY.rsplit(" The depot", 1)[0]
    other = (
        "A grain depot in Veldor was hit overnight and four people were injured, officials said, "
        "as firefighters fought the blaze until morning."
    )
    base = text_sketch(STORY)
    assert similarity(base, text_sketch(STORY)) == 1.0
    assert similarity(base, text_sketch(republished)) >= NEAR_DUPLICATE
    assert similarity(base, text_sketch(trimmed)) >= NEAR_DUPLICATE
    assert similarity(base, text_sketch(other)) < 0.2
    assert similarity([], base) == 0.0
    assert text_sketch(STORY) == sorted(text_sketch(STORY)) and len(text_sketch(STORY)) <= 64
