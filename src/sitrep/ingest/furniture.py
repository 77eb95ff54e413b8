"""Removal of page furniture from plain text, each removed part with a reason.

Text copied from a web page carries more than the report: donation appeals
with their buttons, newsletter prompts, cookie notices, share prompts,
reporting credits and lists of related links. They are removed line by line;
each removed line is recorded as a :class:`~sitrep.model.Removed` with offsets
into the raw text. The rules are conservative: a line is removed only when it
is unmistakably furniture (a full sentence of reporting that merely mentions
donations or support stays).

Stage id: ``ingest.furniture.rules.v1``.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from sitrep.model import Removed

STAGE_ID = "ingest.furniture.rules.v1"

_FLAGS = re.IGNORECASE


def _rx(pattern: str) -> re.Pattern[str]:
    return re.compile(pattern, _FLAGS)


# Lines that start a donation appeal block.
_DONATION_ANCHOR = _rx(
    r"(\bsupport (us|our|independent|quality|free|trusted|fact-based|public[- ]interest)\b.*"
    r"(journalism|reporting|work|newsroom|media|us)\b"
    r"|\b(donate|donation|contribute|contribution)\b.*\b(today|now|monthly|journalism|reporting"
    r"|independent|newsroom|as little as|one-off|once)\b"
    r"|\breader[- ](funded|supported|powered)\b"
    r"|\bbecome a (member|supporter|patron|subscriber)\b"
    r"|\bif you (value|appreciate|rely on|like) (our|this|what)\b"
    r"|\bwe (rely|depend) on (readers|you|our readers)\b"
    r"|^(please )?(support|donate to|fund) us\b"
    r"|^a (note|message) from (the|our) (editors?|team|newsroom)\b"
    r"|\bcan you chip in\b|\bchip in\b.*\b(today|now|\$|€|£)"
    r"|\breaders'? support (funds|keeps|makes|pays)\b)"
)
# Buttons and short calls to action inside an appeal.
_DONATION_BUTTON = _rx(
    r"^(continue|remind me (later|next time|in \w+( \w+)?)|maybe later|not now|no,? thanks?"
    r"|donate( now| today)?|give( now| today| monthly| once)?|support( us)?( now| today)?"
    r"|contribute( now| today)?|become a (member|supporter)|close|dismiss|x|single|monthly"
    r"|annual|one-off|one time|other amount|[$€£]\s?\d+(\.\d\d)?( (per|a|/) ?(month|year))?)"
    r"[.!]?$"
)
# A paragraph inside an appeal: addressed to the reader, about money or support.
_DONATION_BODY = _rx(
    r"\b(you|your|we|our|us)\b.*\b(support|donat\w*|contribut\w*|fund\w*|pay\w*|journalism"
    r"|subscri\w*|free to read|paywall)\b"
    r"|\b(support|donat\w*|contribut\w*|fund\w*|journalism|paywall)\b.*\b(you|your|we|our|us)\b"
)

_SUBSCRIPTION = _rx(
    r"(\bsign up\b.*\b(newsletter|briefing|updates|alerts|email)"
    r"|^subscribe (to|for) (our|the|my)\b|^subscribe( now| today| here)?[.!]?$"
    r"|\b(get|receive) (our|the|a) [\w\s'-]{0,40}(newsletter|briefing|digest|alerts?)\b"
    r"|\b(straight|directly|delivered) (to|into) your inbox\b"
    r"|^enter your (e-?mail|email address)\b|^(your )?e-?mail( address)?:?$"
    r"|\balready (a subscriber|have an account)\b|^(log|sign) in\b.*\b(continue|read|subscribe)\b"
    r"|^(newsletter|sign up|subscribe now|register now)[.!:]?$|^(after|skip past) newsletter promotion$"
    r"|\bthis article is (for|available to) subscribers\b|\bsubscribers? only\b)"
)

_COOKIE = _rx(
    r"(\bwe use cookies\b|\b(this|our) (site|website) uses cookies\b|\bcookie (policy|settings"
    r"|preferences|notice|consent)\b|\baccept (all )?cookies\b|\bby continuing to (use|browse)\b"
    r"|^(accept|accept all|reject all|manage (preferences|cookies|settings)|i agree|got it)[.!]?$)"
)

_SOCIAL = (
    r"(facebook|twitter|x|whatsapp|telegram|linkedin|reddit|email|e-mail|messenger|viber|print|copy link"
    r"|pinterest|threads|bluesky)"
)
_SHARE = _rx(
    r"(^(share|tweet|email|print)( this| the)?( article| story| page| post)?( on " + _SOCIAL + r")?[:!.]?$"
    r"|^share (on|via) "
    + _SOCIAL
    + r"|^follow (us|\w+) on "
    + _SOCIAL
    + r"|^("
    + _SOCIAL
    + r")([\s|,/·•]+"
    + _SOCIAL
    + r")*$"
    r"|^click (here )?to share\b|^share this with\b)"
)

_CREDIT = _rx(
    r"^[(\[]?("
    r"(additional |further )?reporting by\b.{0,160}"
    r"|[A-Z][\w.&'’ -]{1,80}(,| and)?[\w.&'’ -]{0,80} contributed (reporting|to this report|to this story)"
    r"( (from|in) [\w ,.'-]{1,80})?"
    r"|(editing|edited|writing|written|compiled|reported) by [\w .,&;'’-]{2,160}"
    r")[.)\]]*\s*[)\]]?$"
)

_RELATED_HEADER = _rx(
    r"^(read more|related( articles| stories| coverage| content| reading)?|more on this story"
    r"|more on this( topic)?|see also|also read|read also|recommended( for you)?|you (may|might) also like"
    r"|most read|most popular|latest( news| stories)?|more from [\w\s]{2,40}|further reading"
    r"|what to read next|top stories)\s*[:.]?$"
)
_RELATED_INLINE = _rx(r"^(read more|related|also read|read also|see also|watch)\s*:\s*\S.{0,200}$")

# Attribution marks a line as reporting, even next to a box that uses the same words.
_REPORTED_SPEECH = _rx(r"\b(said|says|told|according to|reported)\b")

_NAV_SEPARATOR = re.compile(r"\s+[|›»>/•·]\s+")


@dataclass(frozen=True)
class _Line:
    start: int
    end: int  # end of the line including its newline, if any
    text: str  # stripped content

    @property
    def blank(self) -> bool:
        return not self.text


def _split_lines(raw: str) -> list[_Line]:
    lines: list[_Line] = []
    pos = 0
    for piece in raw.splitlines(keepends=True):
        lines.append(_Line(pos, pos + len(piece), piece.strip()))
        pos += len(piece)
    return lines


def _is_headline_like(text: str) -> bool:
    """A short line that reads like a linked headline, not a body sentence."""
    if not text or len(text) > 160:
        return False
    if text.endswith((".", ":", ";")) and len(text.split()) > 12:
        return False
    return len(text.split()) <= 22


def _is_navigation(text: str) -> bool:
    parts = _NAV_SEPARATOR.split(text)
    return len(parts) >= 3 and all(0 < len(p.split()) <= 4 for p in parts)


def _classify_single(text: str) -> str | None:
    """Reason for a line that is furniture on its own, else None."""
    if len(text) > 400:
        return None
    if _COOKIE.search(text):
        return "cookie_notice"
    if _SHARE.search(text):
        return "share_prompt"
    if _CREDIT.search(text):
        return "reporting_credit"
    if len(text) <= 250 and _SUBSCRIPTION.search(text) and not _REPORTED_SPEECH.search(text):
        return "subscription_prompt"
    if _RELATED_INLINE.search(text):
        return "related_links"
    if _is_navigation(text):
        return "navigation"
    return None


def find_furniture(raw: str) -> list[Removed]:
    """Return the furniture lines of ``raw`` with reasons, in text order."""

    lines = _split_lines(raw)
    reasons: list[str | None] = [None] * len(lines)
    i = 0
    while i < len(lines):
        line = lines[i]
        if line.blank:
            i += 1
            continue
        if len(line.text) <= 400 and _DONATION_ANCHOR.search(line.text):
            i = _mark_block(lines, reasons, i, "donation_appeal", _continues_appeal)
            continue
        if _RELATED_HEADER.search(line.text):
            i = _mark_block(lines, reasons, i, "related_links", _continues_related)
            continue
        reason = _classify_single(line.text)
        reasons[i] = reason
        if reason == "subscription_prompt":
            i = _mark_block(lines, reasons, i, reason, _continues_subscription)
            continue
        i += 1
    removed: list[Removed] = []
    for line, reason in zip(lines, reasons, strict=True):
        if reason is None:
            continue
        start = line.start + (len(raw[line.start : line.end]) - len(raw[line.start : line.end].lstrip()))
        end = start + len(line.text)
        removed.append(Removed(start=start, end=end, reason=reason, quote=raw[start:end]))
    return removed


def _continues_appeal(text: str) -> bool:
    return bool(
        _DONATION_BUTTON.search(text)
        or _DONATION_ANCHOR.search(text)
        or (len(text) <= 600 and _DONATION_BODY.search(text) and not _REPORTED_SPEECH.search(text))
    )


def _continues_related(text: str) -> bool:
    # A donation appeal right after the links starts its own block.
    return _is_headline_like(text) and _classify_single(text) is None and not _DONATION_ANCHOR.search(text)


_SUBSCRIPTION_PITCH = _rx(
    r"\b(inbox|digest|newsletter|e-?mail|subscribe|sign up|unsubscribe|privacy (policy|notice)|briefing)\b"
)


def _continues_subscription(text: str) -> bool:
    """Lines of a newsletter box: its pitch, its e-mail field, its button."""
    if len(text) > 200 or _REPORTED_SPEECH.search(text):
        return False
    return bool(_SUBSCRIPTION.search(text) or _SUBSCRIPTION_PITCH.search(text) or _DONATION_BUTTON.search(text))


def _mark_block(
    lines: list[_Line],
    reasons: list[str | None],
    first: int,
    reason: str,
    continues: Callable[[str], bool],
) -> int:
    """Mark ``lines[first]`` and the following lines that continue the block."""
    reasons[first] = reason
    j = first + 1
    blanks = 0
    while j < len(lines):
        text = lines[j].text
        if not text:
            blanks += 1
            if blanks > 1 or reason == "subscription_prompt":
                break
            j += 1
            continue
        if not continues(text):
            break
        blanks = 0
        reasons[j] = reason
        j += 1
    return j


def remove_furniture(raw: str) -> tuple[str, tuple[Removed, ...]]:
    """Return the canonical text of ``raw`` and the removed parts."""

    removed = find_furniture(raw)
    if not removed:
        return _tidy(raw), ()
    pieces: list[str] = []
    pos = 0
    for part in removed:
        pieces.append(raw[pos : part.start])
        pos = part.end
    pieces.append(raw[pos:])
    return _tidy("".join(pieces)), tuple(removed)


_TRAILING_SPACE = re.compile(r"[ \t]+\n")
_MANY_NEWLINES = re.compile(r"\n{3,}")


def _tidy(text: str) -> str:
    text = _TRAILING_SPACE.sub("\n", text)
    text = _MANY_NEWLINES.sub("\n\n", text)
    return text.strip()
