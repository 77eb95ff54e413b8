"""Time expressions to inclusive date intervals, relative to the publication day.

sitrep's own rules come first, for what news writing uses most and dateparser
does not model as intervals: weekdays, "last week", "early last month",
"mid-August", "a few days ago", "overnight", "since the start of the month".
dateparser (``languages=['en']``) is the fallback, only for the text of a span
the NER labelled DATE. Without a publication day, relative expressions stay
unresolved (their text kept); absolute ones (with a year) still resolve.

Stage ids: ``resolve.dates.rules.v1`` and ``resolve.dates.dateparser.v1``.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from sitrep.numbers import small_number

RULES_ID = "resolve.dates.rules.v1"
DATEPARSER_ID = "resolve.dates.dateparser.v1"

MONTHS = {
    "january": 1,
    "jan": 1,
    "february": 2,
    "feb": 2,
    "march": 3,
    "mar": 3,
    "april": 4,
    "apr": 4,
    "may": 5,
    "june": 6,
    "jun": 6,
    "july": 7,
    "jul": 7,
    "august": 8,
    "aug": 8,
    "september": 9,
    "sept": 9,
    "sep": 9,
    "october": 10,
    "oct": 10,
    "november": 11,
    "nov": 11,
    "december": 12,
    "dec": 12,
}
WEEKDAYS = {"monday": 0, "tuesday": 1, "wednesday": 2, "thursday": 3, "friday": 4, "saturday": 5, "sunday": 6}
FUTURE_SLACK_DAYS = 60

_MONTH = r"(?P<month>" + "|".join(sorted(MONTHS, key=len, reverse=True)) + r")\.?"
_DAY = r"(?P<day>\d{1,2})(?:st|nd|rd|th)?"
_YEAR = r"(?P<year>(?:19|20)\d\d)"
_PART = r"(?P<part>early|mid|middle of|late|end of|the end of|beginning of|the beginning of|start of|the start of)"


@dataclass(frozen=True)
class Interval:
    start: date
    end: date
    precision: str  # day | days | week | month | year
    rule: str


@dataclass(frozen=True)
class Unresolved:
    reason: str
    rule: str


def _month_end(year: int, month: int) -> date:
    return date(year, month, calendar.monthrange(year, month)[1])


def _shift_month(year: int, month: int, delta: int) -> tuple[int, int]:
    index = year * 12 + (month - 1) + delta
    return index // 12, index % 12 + 1


def _part_of_month(year: int, month: int, part: str | None) -> Interval:
    last = calendar.monthrange(year, month)[1]
    if part is None:
        return Interval(date(year, month, 1), date(year, month, last), "month", "month")
    part = part.replace("the ", "")
    if part in ("early", "beginning of", "start of"):
        return Interval(date(year, month, 1), date(year, month, 10), "days", "early_month")
    if part in ("mid", "middle of"):
        return Interval(date(year, month, 11), date(year, month, 20), "days", "mid_month")
    return Interval(date(year, month, 21), date(year, month, last), "days", "late_month")


def _infer_year(month: int, day: int | None, published: date) -> int:
    """The year that puts the date at most FUTURE_SLACK_DAYS after publication."""
    year = published.year
    probe = date(year, month, min(day or 1, calendar.monthrange(year, month)[1]))
    if probe > published + timedelta(days=FUTURE_SLACK_DAYS):
        year -= 1
    return year


class DateResolver:
    """Resolve one time expression; stateless and cheap to share."""

    def resolve(self, text: str, published: date | None) -> Interval | Unresolved | None:
        """An interval, an explicit unresolved, or None when ``text`` is no point in time."""

        phrase = _clean(text)
        if not phrase or _NOT_A_DATE.search(phrase):
            return None
        since = False
        if phrase.startswith("since "):
            since, phrase = True, phrase[6:]
        result = self._absolute(phrase)
        if result is None:
            if _DURATION.fullmatch(phrase):
                return None
            if published is None:
                if _looks_temporal(phrase):
                    return Unresolved("relative expression without a publication time", RULES_ID)
                return None
            result = self._relative(phrase, published)
        if result is None and published is not None:
            result = _dateparser(phrase, published)
        if result is None:
            return Unresolved("expression not understood", RULES_ID) if _looks_temporal(phrase) else None
        if since and published is not None and result.start <= published:
            return Interval(result.start, published, "days", result.rule + "+since")
        return result

    def _absolute(self, phrase: str) -> Interval | None:
        m = _ISO.fullmatch(phrase)
        if m:
            d = _safe_date(int(m["year"]), int(m["month"]), int(m["day"]))
            return Interval(d, d, "day", "iso") if d else None
        m = _DMY_NUMERIC.fullmatch(phrase)
        if m:
            d = _safe_date(int(m["year"]), int(m["month"]), int(m["day"]))
            return Interval(d, d, "day", "numeric_dmy") if d else None
        for pattern in (_DAY_MONTH_YEAR, _MONTH_DAY_YEAR):
            m = pattern.fullmatch(phrase)
            if m:
                d = _safe_date(int(m["year"]), MONTHS[m["month"]], int(m["day"]))
                return Interval(d, d, "day", "day_month_year") if d else None
        m = _MONTH_RANGE_YEAR.fullmatch(phrase)
        if m:
            return _day_range(int(m["year"]), MONTHS[m["month"]], int(m["d1"]), int(m["d2"]))
        m = _PART_MONTH_YEAR.fullmatch(phrase)
        if m:
            return _part_of_month(int(m["year"]), MONTHS[m["month"]], m["part"])
        m = _YEAR_ONLY.fullmatch(phrase)
        if m:
            year = int(m["year"])
            return Interval(date(year, 1, 1), date(year, 12, 31), "year", "year")
        return None

    def _relative(self, phrase: str, pub: date) -> Interval | None:
        if phrase in ("today", "this morning", "this afternoon", "this evening", "tonight", "earlier today", "now"):
            return Interval(pub, pub, "day", "today")
        if phrase in ("yesterday", "last night", "yesterday morning", "yesterday evening", "yesterday afternoon"):
            d = pub - timedelta(days=1)
            return Interval(d, d, "day", "yesterday")
        if phrase in ("the day before yesterday",):
            d = pub - timedelta(days=2)
            return Interval(d, d, "day", "day_before_yesterday")
        if phrase in ("overnight", "during the night", "in the night", "last night and this morning"):
            return Interval(pub - timedelta(days=1), pub, "days", "overnight")
        if phrase in ("tomorrow",):
            d = pub + timedelta(days=1)
            return Interval(d, d, "day", "tomorrow")
        m = _WEEKDAY.fullmatch(phrase)
        if m:
            target = WEEKDAYS[m["weekday"]]
            back = (pub.weekday() - target) % 7
            if m["last"] and back == 0:
                back = 7
            if m["next"]:
                ahead = (target - pub.weekday()) % 7 or 7
                d = pub + timedelta(days=ahead)
            else:
                d = pub - timedelta(days=back)
            return Interval(d, d, "day", "weekday")
        monday = pub - timedelta(days=pub.weekday())
        if phrase in ("last week", "the previous week", "the week before"):
            start = monday - timedelta(days=7)
            return Interval(start, start + timedelta(days=6), "week", "last_week")
        if phrase in ("this week", "earlier this week", "this past week"):
            return Interval(monday, pub, "week", "this_week")
        if phrase in ("next week",):
            start = monday + timedelta(days=7)
            return Interval(start, start + timedelta(days=6), "week", "next_week")
        if phrase in ("last weekend", "the weekend", "this weekend", "this past weekend", "the past weekend"):
            saturday = pub - timedelta(days=(pub.weekday() - 5) % 7)
            if saturday == pub and phrase == "last weekend":
                saturday -= timedelta(days=7)
            return Interval(saturday, min(saturday + timedelta(days=1), pub), "days", "weekend")
        if phrase in ("in recent days", "recent days", "the past few days", "the last few days", "the past days"):
            return Interval(pub - timedelta(days=6), pub, "days", "recent_days")
        if phrase in ("the past week", "the last week", "the past seven days", "the last seven days"):
            return Interval(pub - timedelta(days=7), pub, "days", "past_week")
        if phrase in ("the past 24 hours", "the last 24 hours", "past 24 hours", "the previous 24 hours"):
            return Interval(pub - timedelta(days=1), pub, "days", "past_day")
        if phrase in ("a few days ago", "several days ago", "days ago", "a few days earlier", "days earlier"):
            return Interval(pub - timedelta(days=4), pub - timedelta(days=2), "days", "few_days_ago")
        m = _AGO.fullmatch(phrase)
        if m:
            n = small_number(m["n"])
            if n is not None:
                return _ago(n, m["unit"], pub)
        m = _THIS_LAST_MONTH.fullmatch(phrase)
        if m:
            delta = -1 if m["which"] in ("last", "previous") else 0
            year, month = _shift_month(pub.year, pub.month, delta)
            part = m["part"]
            if delta == 0 and (
                part in (None, "earlier") or (part and "start" in part) or (part and "beginning" in part)
            ):
                if part is None and m["which"] == "this":
                    return Interval(date(year, month, 1), _month_end(year, month), "month", "this_month")
                return Interval(date(year, month, 1), pub, "days", "month_to_date")
            if part == "earlier":
                part = None
            return _part_of_month(year, month, part)
        if phrase in ("this year", "earlier this year"):
            if phrase == "this year":
                return Interval(date(pub.year, 1, 1), date(pub.year, 12, 31), "year", "this_year")
            return Interval(date(pub.year, 1, 1), pub, "days", "year_to_date")
        if phrase in ("last year", "the previous year", "a year ago"):
            return Interval(date(pub.year - 1, 1, 1), date(pub.year - 1, 12, 31), "year", "last_year")
        m = _MONTH_DAY.fullmatch(phrase) or _DAY_MONTH.fullmatch(phrase)
        if m:
            month, day = MONTHS[m["month"]], int(m["day"])
            year = _infer_year(month, day, pub)
            found = _safe_date(year, month, day)
            return Interval(found, found, "day", "month_day") if found else None
        m = _MONTH_RANGE.fullmatch(phrase)
        if m:
            month = MONTHS[m["month"]]
            return _day_range(_infer_year(month, int(m["d1"]), pub), month, int(m["d1"]), int(m["d2"]))
        m = _PART_MONTH.fullmatch(phrase)
        if m:
            month = MONTHS[m["month"]]
            return _part_of_month(_infer_year(month, None, pub), month, m["part"])
        return None


def _ago(n: int, unit: str, pub: date) -> Interval:
    unit = unit.rstrip("s")
    if unit == "day":
        d = pub - timedelta(days=n)
        return Interval(d, d, "day", "n_days_ago")
    if unit == "week":
        d = pub - timedelta(days=7 * n)
        monday = d - timedelta(days=d.weekday())
        return Interval(monday, monday + timedelta(days=6), "week", "n_weeks_ago")
    if unit == "month":
        year, month = _shift_month(pub.year, pub.month, -n)
        return Interval(date(year, month, 1), _month_end(year, month), "month", "n_months_ago")
    return Interval(date(pub.year - n, 1, 1), date(pub.year - n, 12, 31), "year", "n_years_ago")


def _day_range(year: int, month: int, d1: int, d2: int) -> Interval | None:
    a, b = _safe_date(year, month, d1), _safe_date(year, month, d2)
    if a is None or b is None or b < a:
        return None
    return Interval(a, b, "days", "day_range")


def _safe_date(year: int, month: int, day: int) -> date | None:
    try:
        return date(year, month, day)
    except ValueError:
        return None


def _clean(text: str) -> str:
    phrase = re.sub(r"\s+", " ", text.strip().lower())
    phrase = phrase.replace("’", "'").rstrip(".,;:")
    phrase = re.sub(r"^(on|in|during|by|from|at|over|of|as of|until|till|until|before|after|around) ", "", phrase)
    if phrase.startswith("since "):
        rest = re.sub(r"^the ", "", phrase[6:])
        return "since " + rest
    phrase = re.sub(r"^the (?=(start|beginning|end|middle|past|last|previous|weekend|day before))", "the ", phrase)
    phrase = re.sub(r" (morning|afternoon|evening|night)$", "", phrase) if _WEEKDAY_PREFIX.match(phrase) else phrase
    return phrase


def _looks_temporal(phrase: str) -> bool:
    return bool(_TEMPORAL_WORD.search(phrase))


def _dateparser(phrase: str, pub: date) -> Interval | None:
    """dateparser on the text of a DATE span, English only, relative to publication."""
    from datetime import datetime

    data = _parser(pub).get_date_data(phrase)
    if data is None or data.date_obj is None:
        return None
    parsed: datetime = data.date_obj
    day = parsed.date()
    period = data.period or "day"
    if day.year < 1900 or day > pub + timedelta(days=FUTURE_SLACK_DAYS):
        return None
    if period == "year":
        return Interval(date(day.year, 1, 1), date(day.year, 12, 31), "year", DATEPARSER_ID)
    if period == "month":
        return Interval(date(day.year, day.month, 1), _month_end(day.year, day.month), "month", DATEPARSER_ID)
    if period == "week":
        monday = day - timedelta(days=day.weekday())
        return Interval(monday, monday + timedelta(days=6), "week", DATEPARSER_ID)
    return Interval(day, day, "day", DATEPARSER_ID)


_PARSERS: dict[date, Any] = {}


def _parser(pub: date) -> Any:
    """A dateparser instance whose relative base is the publication day (cached)."""
    from datetime import datetime

    from dateparser.date import DateDataParser

    parser = _PARSERS.get(pub)
    if parser is None:
        if len(_PARSERS) > 256:
            _PARSERS.clear()
        parser = DateDataParser(
            languages=["en"],
            settings={
                "PREFER_DATES_FROM": "past",
                "RELATIVE_BASE": datetime(pub.year, pub.month, pub.day, 12, 0),
            },
        )
        _PARSERS[pub] = parser
    return parser


_ISO = re.compile(r"(?P<year>(?:19|20)\d\d)-(?P<month>\d\d)-(?P<day>\d\d)")
_DMY_NUMERIC = re.compile(r"(?P<day>\d{1,2})[./](?P<month>\d{1,2})[./](?P<year>(?:19|20)\d\d)")
_DAY_MONTH_YEAR = re.compile(_DAY + r" (?:of )?" + _MONTH + r",? " + _YEAR)
_MONTH_DAY_YEAR = re.compile(_MONTH + r" " + _DAY + r",? " + _YEAR)
_MONTH_RANGE_YEAR = re.compile(_MONTH + r" (?P<d1>\d{1,2}) ?(?:-|–|to|and) ?(?P<d2>\d{1,2}),? " + _YEAR)
_PART_MONTH_YEAR = re.compile(r"(?:" + _PART + r"[ -])?" + _MONTH + r",? (?:of )?" + _YEAR)
_YEAR_ONLY = re.compile(r"(?:the year )?" + _YEAR)
_MONTH_DAY = re.compile(_MONTH + r" " + _DAY)
_DAY_MONTH = re.compile(_DAY + r" (?:of )?" + _MONTH)
_MONTH_RANGE = re.compile(_MONTH + r" (?P<d1>\d{1,2}) ?(?:-|–|to|and) ?(?P<d2>\d{1,2})")
_PART_MONTH = re.compile(r"(?:" + _PART + r"[ -])?" + _MONTH)
_WEEKDAY = re.compile(
    r"(?:(?P<last>last|this past|past) |(?P<next>next|this coming|coming) |this )?(?P<weekday>monday|tuesday|wednesday|thursday|friday|saturday|sunday)"
)
_WEEKDAY_PREFIX = re.compile(
    r"((last|next|this) )?(monday|tuesday|wednesday|thursday|friday|saturday|sunday|yesterday|tomorrow)\b"
)
_THIS_LAST_MONTH = re.compile(
    r"(?:(?P<part>early|earlier|mid|middle of|late|later|end of|the end of|beginning of|the beginning of|start of|the start of)[ -])?"
    r"(?P<which>this|last|previous|the) month"
)
_AGO = re.compile(
    r"(?P<n>\d+|a|an|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve) (?P<unit>days?|weeks?|months?|years?) (?:ago|earlier|before)"
)
_DURATION = re.compile(
    r"(?:(?:for|within|about|nearly|almost|more than|over|some|at least|the|a|an|\d+|one|two|three|four|five|six|seven|eight|nine|ten|several|a few|many|\d+-)\s?)*"
    r"(?:hours?|days?|weeks?|months?|years?|decades?)(?: long| old)?"
)
_NOT_A_DATE = re.compile(r"\b(year-old|years? old|-year|aged?)\b")
_TEMPORAL_WORD = re.compile(
    r"\b(today|tonight|yesterday|tomorrow|overnight|night|morning|week|weekend|month|year|ago|earlier|"
    r"monday|tuesday|wednesday|thursday|friday|saturday|sunday|days|" + "|".join(MONTHS) + r")\b"
)
