"""Plain-text furniture removal: reasons, offsets into ``raw_text``, and properties.

Body sentences are invented reporting about fictional places (Vostokgrad,
Ridgeford, Lake Marren); furniture lines are typical of copied web pages.
"""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sitrep.errors import InputError
from sitrep.ingest import document_from_text
from sitrep.ingest.furniture import find_furniture, remove_furniture
from sitrep.model import Document, Removed

BODY = [
    "Shelling hit the central market in Vostokgrad on Tuesday morning, killing four people and injuring eleven.",
    "The regional governor said two of the injured were in a serious condition.",
    "Aid agencies said they had registered another 600 people who left villages near Ridgeford over the weekend.",
    "The district administration told residents without cars to sign up for evacuation buses by noon.",
    "The refugee agency said it would continue to support displaced families with cash grants until December.",
    "Police urged residents to share information about any suspicious objects near the bridge.",
    "Volunteers handed out tea, bread and cookies to about 300 evacuees at the railway station.",
    "A local reporter who contributed to the joint investigation said the documents were genuine.",
    "The defence ministry said its forces had recaptured about a dozen settlements around Lake Marren.",
    "Engineers restored electricity to most of the 80,000 households in the district by Thursday evening.",
    "Schools in two districts will teach online until further notice, the education department said.",
    "The hospital in Ridgeford asked residents to donate blood after the strike on the market.",
    '"We are paying for the repairs ourselves," the mayor of Ridgeford told reporters.',
    '"We need your support to get through the winter," a volunteer at the shelter said.',
    "The council said residents could sign up for text alerts about air raids on its website.",
]

# Each entry is one block of furniture lines and the reason every line must get.
FURNITURE = [
    (
        [
            "Support independent reporting",
            "If you value what we do, please consider a contribution today.",
            "Continue",
            "Remind me later",
        ],
        "donation_appeal",
    ),
    (["We rely on readers like you to keep our newsroom independent.", "Donate now"], "donation_appeal"),
    (
        ["Sign up for our Morning Briefing newsletter and get the day's top stories in your inbox."],
        "subscription_prompt",
    ),
    (
        [
            "We use cookies to personalise content and ads and to analyse our traffic.",
            "Accept all",
            "Manage preferences",
        ],
        "cookie_notice",
    ),
    (["Share this article"], "share_prompt"),
    (["Follow us on Telegram"], "share_prompt"),
    (["Facebook | Twitter | WhatsApp"], "share_prompt"),
    (["Reporting by Iryna Testenko; Editing by Susan Hale"], "reporting_credit"),
    (["Reuters and AFP contributed reporting."], "reporting_credit"),
    (
        ["Read more:", "Drone debris damages warehouse in Ridgeford", "Families return to frontline town"],
        "related_links",
    ),
    (["Related: Aid convoy turned back at checkpoint near Vostokgrad"], "related_links"),
]

REPORT = "\n".join(
    [
        "Shelling hit the central market in Vostokgrad on Tuesday morning, killing four people and injuring eleven.",
        "",
        "Sign up for our Morning Briefing newsletter and get the day's top stories in your inbox.",
        "",
        "The district administration told residents without cars to sign up for evacuation buses by noon.",
        "Share this article",
        "Follow us on Telegram",
        "",
        "Reporting by Iryna Testenko; Editing by Susan Hale",
        "",
        "Read more:",
        "Drone debris damages warehouse in Ridgeford",
        "Families return to frontline town",
        "",
        "Support independent reporting",
        "Our journalists work in dangerous places to bring you the facts. If you value what we do, please "
        "consider a contribution of any size today.",
        "Continue",
        "Remind me later",
        "",
    ]
)


def assert_removed_consistent(document: Document) -> None:
    """Every removed part quotes ``raw_text`` exactly and none overlap."""
    previous_end = 0
    for part in document.removed:
        assert isinstance(part, Removed)
        assert 0 <= part.start < part.end <= len(document.raw_text)
        assert document.raw_text[part.start : part.end] == part.quote
        assert part.start >= previous_end, f"overlap at {part}"
        previous_end = part.end


def test_every_kind_of_furniture_is_removed_with_reason_and_offsets() -> None:
    document = document_from_text(REPORT)

    assert_removed_consistent(document)
    assert [(part.reason, part.quote) for part in document.removed] == [
        ("subscription_prompt", REPORT.splitlines()[2]),
        ("share_prompt", "Share this article"),
        ("share_prompt", "Follow us on Telegram"),
        ("reporting_credit", "Reporting by Iryna Testenko; Editing by Susan Hale"),
        ("related_links", "Read more:"),
        ("related_links", "Drone debris damages warehouse in Ridgeford"),
        ("related_links", "Families return to frontline town"),
        ("donation_appeal", "Support independent reporting"),
        ("donation_appeal", REPORT.splitlines()[15]),
        ("donation_appeal", "Continue"),
        ("donation_appeal", "Remind me later"),
    ]
    assert REPORT.splitlines()[2].startswith("Sign up for our Morning Briefing newsletter")
    assert REPORT.splitlines()[15].startswith("Our journalists work in dangerous places")
    assert document.text == (
        "Shelling hit the central market in Vostokgrad on Tuesday morning, killing four people and injuring eleven."
        "\n\nThe district administration told residents without cars to sign up for evacuation buses by noon."
    )
    for word in ("newsletter", "Telegram", "Testenko", "Read more", "Drone debris", "Remind me", "journalists"):
        assert word not in document.text


def test_raw_text_keeps_everything_and_to_dict_drops_it() -> None:
    document = document_from_text(REPORT)

    assert document.raw_text == REPORT
    data = document.to_dict()
    assert "raw_text" not in data
    assert data["removed"][0] == {
        "start": document.removed[0].start,
        "end": document.removed[0].end,
        "reason": "subscription_prompt",
        "quote": document.removed[0].quote,
    }


def test_offsets_point_into_normalised_raw_text() -> None:
    """CRLF and indentation shift offsets; they must still quote ``raw_text``."""
    raw = "  Shelling hit the market in Vostokgrad on Tuesday.\r\n\r\n   Share this article   \r\nThe mayor spoke.\r\n"
    document = document_from_text(raw)

    assert document.raw_text == raw.replace("\r\n", "\n")
    assert [(r.quote, r.reason) for r in document.removed] == [("Share this article", "share_prompt")]
    assert_removed_consistent(document)
    assert document.text == "Shelling hit the market in Vostokgrad on Tuesday.\n\nThe mayor spoke."


@pytest.mark.parametrize("sentence", BODY)
def test_body_sentences_that_resemble_furniture_stay(sentence: str) -> None:
    text, removed = remove_furniture(sentence + "\n")
    assert removed == ()
    assert text == sentence


def test_removal_can_be_turned_off() -> None:
    document = document_from_text(REPORT, remove_furniture=False)
    assert document.removed == ()
    assert "Share this article" in document.text


def test_no_furniture_means_no_removed_parts() -> None:
    text = "\n\n".join(BODY)
    assert find_furniture(text) == []
    assert remove_furniture(text) == (text, ())


# --- properties -------------------------------------------------------------

_PIECES = [
    "\n",
    "\r\n",
    "\r",
    " ",
    "\t",
    "\u2028",
    "\x85",
    "\x0c",
    "\x00",
    "Share this article",
    "Donate now",
    "Read more:",
    "Accept all",
    "Continue",
    "Support independent reporting",
    "Reporting by Jane Roe",
    "Sign up for our newsletter",
    BODY[0],
]
_texts = st.lists(
    st.one_of(st.text(max_size=30), st.sampled_from(_PIECES)),
    max_size=30,
).map("".join)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(raw=_texts)
def test_property_removed_parts_quote_raw_text_for_any_text(raw: str) -> None:
    if not raw.strip():
        return
    try:
        document = document_from_text(raw)
    except InputError as exc:  # only "nothing left" is an acceptable outcome
        assert exc.code == "input.empty", exc
        return
    assert_removed_consistent(document)
    # Whatever was not removed is kept: every line outside a removed part
    # appears, stripped, in the canonical text.
    position = 0
    for line in document.raw_text.splitlines(keepends=True):
        start, end = position, position + len(line)
        position = end
        if line.strip() and not any(r.start < end and start < r.end for r in document.removed):
            assert line.strip() in document.text


@settings(max_examples=200, deadline=None)
@given(
    plan=st.lists(
        st.one_of(
            st.tuples(st.just("body"), st.integers(0, len(BODY) - 1)),
            st.tuples(st.just("furniture"), st.integers(0, len(FURNITURE) - 1)),
        ),
        min_size=1,
        max_size=12,
    ),
    gap=st.sampled_from(["\n", "\n\n", "\n\n\n"]),
)
def test_property_interleaved_body_survives_and_furniture_goes(plan: list[tuple[str, int]], gap: str) -> None:
    blocks: list[str] = []
    body: list[str] = []
    furniture: list[tuple[str, str]] = []
    for kind, index in plan:
        if kind == "body":
            blocks.append(BODY[index])
            body.append(BODY[index])
        else:
            lines, reason = FURNITURE[index]
            blocks.append("\n".join(lines))
            furniture.extend((line, reason) for line in lines)
    # A body sentence always closes the report, as it would on a real page
    # before the footer; it also gives "input.empty" no chance.
    blocks.append(BODY[0])
    body.append(BODY[0])
    raw = gap.join(blocks) + "\n"

    document = document_from_text(raw)

    assert_removed_consistent(document)
    for sentence in body:
        assert sentence in document.text, f"body sentence lost: {sentence!r}"
    removed_lines = {(r.quote, r.reason) for r in document.removed}
    for line, reason in furniture:
        assert (line, reason) in removed_lines, f"furniture kept: {line!r} ({reason})"
