"""Figures: numbers with their qualifier, bounds, the noun they count and a kind.

A regular grammar finds number phrases in the text ("more than 150,000",
"nearly a dozen", "between 10 and 15", "hundreds of"); the parse then ties
each to the noun it counts and reads the kind (killed, evacuated ...) from
the words that govern or modify that noun. Years, ages, times, percentages,
money and ordinals are not figures.

Conventions (docs/figures.md): "a dozen" = 12; "dozens" >= 24; "hundreds"
>= 200; "thousands" >= 2,000; "several" >= 3; "a few" >= 2; ranges carry the
qualifier ``range`` with value = low.

Stage id: ``extract.quantities.rules.v1``.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from spacy.tokens import Doc, Span, Token

from sitrep.model import Quantity
from sitrep.numbers import SCALES, TENS, UNITS

STAGE_ID = "extract.quantities.rules.v1"

# Vague plurals: (value, qualifier) — a conservative lower bound.
_VAGUE = {
    "dozens": 24,
    "scores": 40,
    "hundreds": 200,
    "thousands": 2_000,
    "tens of thousands": 20_000,
    "hundreds of thousands": 200_000,
    "millions": 2_000_000,
    "several": 3,
    "a few": 2,
    "a handful": 2,
    "several dozen": 24,
    "several hundred": 200,
    "several thousand": 2_000,
    "a couple of": 2,
}

_WORD = "|".join(sorted([*UNITS, *TENS], key=len, reverse=True))
_NUMWORD = rf"(?:(?:{_WORD})(?:[- ](?:{_WORD}))?(?: (?:hundred|thousand|million|billion)(?: (?:and )?(?:{_WORD})(?:[- ](?:{_WORD}))?)?)*)"
_DIGITS = r"(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?"
_SCALE = r"(?:\s?(?:hundred|thousand|million|billion|mln|bn|k)\b)?"
_NUMBER = rf"(?:{_DIGITS}{_SCALE}|(?:a|one|half a) (?:dozen|hundred|thousand|million)|dozen|{_NUMWORD})"
_VAGUE_RX = "|".join(sorted((re.escape(v) for v in _VAGUE), key=len, reverse=True))
_QUALIFIER = (
    r"(?P<qual>more than|over|at least|no fewer than|no less than|a minimum of|upwards of|up to|as many as"
    r"|at most|no more than|nearly|almost|close to|just under|fewer than|less than|under|about|around"
    r"|roughly|approximately|some|an estimated|estimated|approx\.|just over|well over)"
)
PHRASE = re.compile(
    rf"(?<![\w.,-])(?:{_QUALIFIER}\s+)?(?:"
    rf"between (?P<b1>{_NUMBER}) and (?P<b2>{_NUMBER})"
    rf"|(?P<r1>{_DIGITS}{_SCALE})\s?(?:-|–|to)\s?(?P<r2>{_DIGITS}{_SCALE})"
    rf"|(?P<vague>{_VAGUE_RX})"
    rf"|(?P<num>{_NUMBER})"
    rf")(?![\w-])(?!,\d)",
    re.IGNORECASE,
)

_QUALIFIER_KIND = {
    "more than": "more_than",
    "over": "more_than",
    "just over": "more_than",
    "well over": "more_than",
    "upwards of": "more_than",
    "at least": "at_least",
    "no fewer than": "at_least",
    "no less than": "at_least",
    "a minimum of": "at_least",
    "up to": "up_to",
    "as many as": "up_to",
    "at most": "up_to",
    "no more than": "up_to",
    "fewer than": "up_to",
    "less than": "up_to",
    "under": "up_to",
    "just under": "nearly",
    "nearly": "nearly",
    "almost": "nearly",
    "close to": "nearly",
    "about": "about",
    "around": "about",
    "roughly": "about",
    "approximately": "about",
    "some": "about",
    "an estimated": "about",
    "estimated": "about",
    "approx.": "about",
}

SETTLEMENT_NOUNS = frozenset(
    [
        "settlement",
        "settlements",
        "town",
        "towns",
        "village",
        "villages",
        "locality",
        "localities",
        "hamlet",
        "hamlets",
        "city",
        "cities",
    ]
)
AREAUNITS = ("square kilometres", "square kilometers", "square km", "sq km", "km2", "km²", "sq. km")
PEOPLE_NOUNS = frozenset(
    [
        "people",
        "person",
        "persons",
        "civilian",
        "civilians",
        "resident",
        "residents",
        "worker",
        "workers",
        "staff",
        "staffer",
        "staffers",
        "employee",
        "employees",
        "child",
        "children",
        "man",
        "men",
        "woman",
        "women",
        "soldier",
        "soldiers",
        "troop",
        "troops",
        "serviceman",
        "servicemen",
        "servicemembers",
        "personnel",
        "fighter",
        "fighters",
        "volunteer",
        "volunteers",
        "journalist",
        "journalists",
        "medic",
        "medics",
        "doctor",
        "doctors",
        "nurse",
        "nurses",
        "patient",
        "patients",
        "refugee",
        "refugees",
        "evacuee",
        "evacuees",
        "prisoner",
        "prisoners",
        "detainee",
        "detainees",
        "body",
        "bodies",
        "other",
        "others",
        "family",
        "families",
        "passenger",
        "passengers",
        "student",
        "students",
        "teenager",
        "teenagers",
        "boy",
        "boys",
        "girl",
        "girls",
        "baby",
        "babies",
        "infant",
        "infants",
        "officer",
        "officers",
        "police",
        "policeman",
        "policemen",
        "guard",
        "guards",
        "inhabitant",
        "inhabitants",
        "victim",
        "victims",
        "casualty",
        "casualties",
        "death",
        "deaths",
        "fatality",
        "fatalities",
        "dead",
        "wounded",
        "injured",
        "hostage",
        "hostages",
        "pensioner",
        "pensioners",
        "miner",
        "miners",
        "member",
        "members",
        "rescuer",
        "rescuers",
        "firefighter",
        "firefighters",
        "citizen",
        "citizens",
        "national",
        "nationals",
        "militant",
        "militants",
        "crew",
        "colleague",
        "colleagues",
        "paramedic",
        "paramedics",
        "teacher",
        "teachers",
        "deminer",
        "deminers",
        "worker",
        "mercenary",
        "mercenaries",
        "conscript",
        "conscripts",
        "recruit",
        "recruits",
        "captive",
        "captives",
    ]
)
_KIND_WORDS: tuple[tuple[str, frozenset[str]], ...] = (
    (
        "killed",
        frozenset(
            [
                "kill",
                "killed",
                "die",
                "died",
                "dead",
                "death",
                "deaths",
                "fatality",
                "fatalities",
                "slay",
                "slain",
                "execute",
                "executed",
                "perish",
                "body",
                "bodies",
                "fatally",
                "lose",
                "life",
                "lives",
            ]
        ),
    ),
    (
        "injured",
        frozenset(
            [
                "injure",
                "injured",
                "injury",
                "injuries",
                "wound",
                "wounded",
                "hurt",
                "hospitalise",
                "hospitalize",
                "hospitalised",
                "hospitalized",
            ]
        ),
    ),
    ("evacuated", frozenset(["evacuate", "evacuated", "evacuation", "evacuee", "evacuees"])),
    (
        "displaced",
        frozenset(
            [
                "displace",
                "displaced",
                "displacement",
                "flee",
                "fled",
                "refugee",
                "refugees",
                "uproot",
                "uprooted",
                "homeless",
            ]
        ),
    ),
    (
        "detained",
        frozenset(
            [
                "detain",
                "detained",
                "arrest",
                "arrested",
                "capture",
                "captured",
                "abduct",
                "abducted",
                "kidnap",
                "kidnapped",
                "prisoner",
                "prisoners",
                "detainee",
                "detainees",
                "hostage",
                "hostages",
                "captive",
                "captives",
                "imprison",
                "imprisoned",
            ]
        ),
    ),
    ("missing", frozenset(["missing", "disappear", "disappeared", "unaccounted"])),
)
_NOUN_KIND = {
    "dead": "killed",
    "deaths": "killed",
    "death": "killed",
    "fatalities": "killed",
    "bodies": "killed",
    "wounded": "injured",
    "injured": "injured",
    "refugees": "displaced",
    "evacuees": "evacuated",
    "prisoners": "detained",
    "detainees": "detained",
    "hostages": "detained",
    "captives": "detained",
}
_SKIP_ENTS = frozenset({"DATE", "TIME", "PERCENT", "MONEY", "ORDINAL"})
_DATELINE = re.compile(r"\b(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?\s$", re.IGNORECASE)
_STREET = re.compile(
    r"\s+(?:[A-Z][\w'’-]+\s+){1,3}(?:Street|St\.?|Avenue|Ave\.?|Road|Rd\.?|Lane|Boulevard|Blvd\.?|Square"
    r"|Prospekt|Prospect|Highway|Drive|Embankment|Alley|Lane)\b"
)
_AGE = re.compile(r"^\s?-?(year|years|yr)[- ]old|^\s?-?(month|week|day)[- ]old", re.IGNORECASE)


@dataclass(frozen=True)
class _Match:
    start: int
    end: int
    value: float
    qualifier: str
    low: float | None
    high: float | None


def parse_number(text: str) -> float | None:
    """The value of a number written in digits or words, or None."""
    t = text.lower().replace("–", "-").strip()
    if t in ("dozen", "a dozen", "one dozen"):
        return 12.0
    if t == "half a dozen":
        return 6.0
    m = re.fullmatch(rf"({_DIGITS})\s?(hundred|thousand|million|billion|mln|bn|k)?", t)
    if m:
        value = float(m.group(1).replace(",", ""))
        scale_word = {"mln": "million", "bn": "billion", "k": "thousand"}.get(m.group(2) or "", m.group(2) or "")
        return value * SCALES.get(scale_word, 1)
    m = re.fullmatch(r"(a|one|half a) (hundred|thousand|million)", t)
    if m:
        return (0.5 if m.group(1) == "half a" else 1.0) * SCALES[m.group(2)]
    total = 0
    current = 0
    seen = False
    for word in re.split(r"[- ]+", t):
        if word == "and":
            continue
        if word in UNITS:
            current += UNITS[word]
        elif word in TENS:
            current += TENS[word]
        elif word in SCALES:
            scale = SCALES[word]
            if scale == 100:
                current = max(current, 1) * 100
            else:
                total += max(current, 1) * scale
                current = 0
        else:
            return None
        seen = True
    return float(total + current) if seen else None


def _bounds(value: float, qualifier: str) -> tuple[float | None, float | None]:
    if qualifier == "exact":
        return value, value
    if qualifier in ("more_than", "at_least"):
        return value, None
    if qualifier in ("up_to", "nearly"):
        return None, value
    return None, None


def find_number_phrases(text: str) -> Iterable[_Match]:
    for m in PHRASE.finditer(text):
        qual_text = (m.group("qual") or "").lower()
        qualifier = _QUALIFIER_KIND.get(qual_text, "exact")
        if m.group("b1") or m.group("r1"):
            a = parse_number(m.group("b1") or m.group("r1"))
            b = parse_number(m.group("b2") or m.group("r2"))
            if a is None or b is None or b <= a:
                continue
            yield _Match(m.start(), m.end(), a, "range", a, b)
            continue
        if m.group("vague"):
            value = float(_VAGUE[m.group("vague").lower()])
            if qualifier == "exact":
                qualifier = "at_least"
            low, high = _bounds(value, qualifier)
            yield _Match(m.start(), m.end(), value, qualifier, low, high)
            continue
        number = parse_number(m.group("num"))
        if number is None:
            continue
        low, high = _bounds(number, qualifier)
        yield _Match(m.start(), m.end(), number, qualifier, low, high)


class QuantityExtractor:
    """Find figures in a parsed document."""

    def extract(self, doc: Doc) -> list[Quantity]:
        results: list[Quantity] = []
        text = doc.text
        for match in find_number_phrases(text):
            span = doc.char_span(match.start, match.end, alignment_mode="expand")
            if span is None or self._excluded(doc, text, span, match):
                continue
            noun = _counted_noun(span)
            unit, kind = self._unit_and_kind(doc, text, span, noun)
            if kind is None:
                continue
            quote = text[match.start : match.end]
            results.append(
                Quantity(
                    text=quote,
                    start=match.start,
                    end=match.end,
                    kind=kind,  # type: ignore[arg-type]
                    value=match.value,
                    qualifier=match.qualifier,  # type: ignore[arg-type]
                    low=match.low,
                    high=match.high,
                    unit=unit,
                    extractor=STAGE_ID,
                )
            )
        return results

    def _excluded(self, doc: Doc, text: str, span: Span, match: _Match) -> bool:
        for token in span:
            if token.ent_type_ in _SKIP_ENTS:
                if token.ent_type_ != "DATE" or not _looks_count(doc, span):
                    return True
        if text[max(0, match.start - 3) : match.start].lower() == "no ":
            return True  # "no one was killed"
        if _DATELINE.search(text[max(0, match.start - 6) : match.start]):
            return True  # "Aug 20", "Sept. 16": a date, not a count
        if _STREET.match(text, match.end):
            return True  # an address: "14 Sadova Street"
        after = text[match.end : match.end + 12]
        if _AGE.search(after) or after.startswith(("%", " percent", " per cent", "th", "st ", "nd ", "rd ")):
            return True
        before = text[max(0, match.start - 2) : match.start]
        if before.endswith(("$", "€", "£", "#", "№")) or before.endswith(("$ ", "€ ")):
            return True
        if (
            match.qualifier == "exact"
            and 1900 <= match.value <= 2100
            and re.fullmatch(r"\d{4}", text[match.start : match.end])
        ):
            return True
        last = span[-1]
        following = doc[last.i + 1] if last.i + 1 < len(doc) else None
        if (
            following is not None
            and following.text in (":", ".")
            and following.i + 1 < len(doc)
            and doc[following.i + 1].like_num
        ):
            return True  # a time like 5:30 or a decimal split oddly
        if following is not None and following.lower_ in ("a.m.", "p.m.", "am", "pm", "o'clock", "hours", "gmt", "utc"):
            return True
        return False

    def _unit_and_kind(self, doc: Doc, text: str, span: Span, noun: Token | None) -> tuple[str | None, str | None]:
        after = text[span.end_char : span.end_char + 24].lower()
        for area in AREAUNITS:
            if after.lstrip().startswith(area):
                return area, "area_km2"
        if noun is None:
            kind = _kind_from_context(doc, span, None)
            return None, kind if kind != "other" else "other"
        unit = _unit_text(noun)
        lower = noun.lower_
        if lower in SETTLEMENT_NOUNS:
            return unit, "settlements"
        if lower in _NOUN_KIND:
            return unit, _NOUN_KIND[lower]
        if lower in PEOPLE_NOUNS or noun.ent_type_ in ("NORP",) or noun.lemma_.lower() in PEOPLE_NOUNS:
            return unit, _kind_from_context(doc, span, noun)
        return unit, "other"


def _looks_count(doc: Doc, span: Span) -> bool:
    noun = _counted_noun(span)
    return noun is not None and noun.lower_ in PEOPLE_NOUNS


def _counted_noun(span: Span) -> Token | None:
    """The noun a number phrase counts: its head, or the object of "of"."""
    last = span[-1]
    doc = span.doc
    # "dozens of civilians", "hundreds of people"
    nxt = doc[last.i + 1] if last.i + 1 < len(doc) else None
    if nxt is not None and nxt.lower_ == "of":
        for child in nxt.children:
            if child.dep_ == "pobj" and child.pos_ in ("NOUN", "PROPN", "ADJ"):
                return child
        # fall through to linear search
        for tok in doc[nxt.i + 1 : min(len(doc), nxt.i + 5)]:
            if tok.pos_ in ("NOUN", "PROPN"):
                return tok
    head = last.head
    if last.dep_ in ("nummod", "quantmod", "amod", "compound") and head.pos_ in ("NOUN", "PROPN") and head.i > last.i:
        return head
    # The parse may attach badly; take the first noun right after the number.
    for tok in doc[last.i + 1 : min(len(doc), last.i + 4)]:
        if tok.pos_ in ("NOUN", "PROPN") or (tok.lower_ in ("dead", "wounded", "injured") and tok.pos_ != "VERB"):
            return tok
        if tok.pos_ not in ("ADJ", "NUM", "PROPN", "NOUN", "PUNCT") or tok.text in (",", ";"):
            break
    if last.pos_ == "NOUN" and last.lower_ in PEOPLE_NOUNS:
        return last
    return None


def _unit_text(noun: Token) -> str:
    return noun.lower_


def _kind_from_context(doc: Doc, span: Span, noun: Token | None) -> str:
    """Read killed/injured/evacuated... from the words around the counted noun."""
    anchor = noun if noun is not None else span[-1]
    # The noun's own modifiers: "three dead soldiers", "civilians killed".
    kind = _kind_of(w for child in anchor.children for w in (child.lower_, child.lemma_.lower()))
    if kind is not None:
        return kind
    # Up the tree, nearest first: the verb that kills/evacuates the noun, then its clausal children.
    node = anchor
    for _ in range(4):
        if node.head is node:
            break
        node = node.head
        kind = _kind_of((node.lower_, node.lemma_.lower()))
        if kind is None:
            kind = _kind_of(
                w
                for child in node.children
                if child.dep_ in ("xcomp", "acomp", "acl", "advcl", "oprd") and child.i != anchor.i
                for w in (child.lower_, child.lemma_.lower())
            )
        if kind is not None:
            return kind
        if node.pos_ == "VERB" and node.dep_ not in ("xcomp", "conj", "acl", "relcl", "advcl"):
            break
    sentence = span.sent
    window = doc[max(sentence.start, span.start - 4) : min(sentence.end, span.end + 6)]
    kind = _kind_of([w for t in window for w in (t.lower_, t.lemma_.lower())])
    return kind or "other"


def _kind_of(words: Iterable[str]) -> str | None:
    seen = set(words)
    for kind, vocabulary in _KIND_WORDS:
        if seen & vocabulary:
            return kind
    return None
