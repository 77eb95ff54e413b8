"""Which reports are independent sources: wire credits and near-duplicate texts.

A wire story republished by ten outlets is one source. Identical texts are
already one document (the id is a content hash); this module catches the
rest: a dateline crediting an agency ("KYIV (Wire Agency) - ...") names the
origin, and texts that share most of their word sequences (a republication
with a new first line or a trimmed paragraph) are the same source. Pure
functions; the store computes both when a document is added.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Sequence

SKETCH_SIZE = 64  # bottom-k sketch of the text's word 5-grams
SHINGLE = 5
NEAR_DUPLICATE = 0.7  # share of the shorter text's 5-grams also in the other, at or above which they are one source
_MASK = (1 << 52) - 1  # hashes stay exact as JSON numbers everywhere
_WORD = re.compile(r"\w+", re.UNICODE)
# "KYIV (Wire Agency) -", "Kharkiv, Ukraine (Agency) —": a dateline of capitals or a place, then the credit
_DATELINE = re.compile(
    r"^\s*(?:[A-Z][A-Z'.\-]+(?: [A-Z][A-Z'.\-]+)*"  # KYIV, NEW YORK
    r"|[A-Z][a-z'\-]+(?: [A-Z][a-z'\-]+)*, [A-Z][a-z]+(?: [A-Z][a-z]+)*)"  # Kharkiv, Ukraine
    r"(?:,\s*[A-Z][a-z]{2,8}\.?\s+\d{1,2})?\s*"  # , March 3
    r"\((?P<agency>[A-Z][\w&.' -]{1,40})\)\s*[-\u2013\u2014:]"
)


def wire_credit(text: str) -> str | None:
    """The agency a dateline at the start of the text credits, or None."""
    match = _DATELINE.match(text)
    return " ".join(match.group("agency").split()) if match else None


def text_sketch(text: str) -> list[int]:
    """The ``SKETCH_SIZE`` smallest hashes of the text's word 5-grams (case-folded), sorted."""
    words = [w.casefold() for w in _WORD.findall(text)]
    grams = {" ".join(words[i : i + SHINGLE]) for i in range(max(1, len(words) - SHINGLE + 1))}
    hashes = {int.from_bytes(hashlib.blake2b(g.encode(), digest_size=8).digest(), "big") & _MASK for g in grams}
    return sorted(hashes)[:SKETCH_SIZE]


def similarity(a: Sequence[int], b: Sequence[int]) -> float:
    """Estimated share of the shorter text's 5-grams that the other text also has (containment).

    A republication trimmed or given a new first line keeps most of its 5-grams
    (near 1.0); two reports written separately share few (below 0.2). Both
    sketches hold every hash up to the smaller of their largest, so the
    estimate compares the hashes up to that bound.
    """
    if not a or not b:
        return 0.0
    bound = min(a[-1], b[-1])
    set_a = {h for h in a if h <= bound}
    set_b = {h for h in b if h <= bound}
    return len(set_a & set_b) / min(len(set_a), len(set_b))


__all__ = ["NEAR_DUPLICATE", "similarity", "text_sketch", "wire_credit"]
