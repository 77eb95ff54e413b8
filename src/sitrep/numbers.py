"""English number words, shared by the figure and date rules (no I/O)."""

from __future__ import annotations

UNITS: dict[str, int] = {
    word: value
    for value, word in enumerate(
        [
            "zero",
            "one",
            "two",
            "three",
            "four",
            "five",
            "six",
            "seven",
            "eight",
            "nine",
            "ten",
            "eleven",
            "twelve",
            "thirteen",
            "fourteen",
            "fifteen",
            "sixteen",
            "seventeen",
            "eighteen",
            "nineteen",
        ]
    )
}
TENS: dict[str, int] = {
    word: 10 * (index + 2)
    for index, word in enumerate(["twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety"])
}
SCALES: dict[str, int] = {"hundred": 100, "thousand": 1_000, "million": 1_000_000, "billion": 1_000_000_000}


def small_number(word: str) -> int | None:
    """``"3"``, ``"three"``, ``"a"`` -> 3, 3, 1; anything else None."""
    if word.isdigit():
        return int(word)
    if word in ("a", "an"):
        return 1
    return UNITS.get(word)
