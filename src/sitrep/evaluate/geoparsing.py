"""Geoparsing evaluation on the LGL, TR-News and GeoVirus corpora.

Readers for the two XML layouts ("lgl": ``<toponyms>`` of ``<toponym>`` with a
``<gaztag>``, used by LGL and TR-News; "geovirus": ``<locations>`` of
``<location>`` with coordinates but no GeoNames ids), the field's standard
measures, and a driver that runs an extractor over a corpus.

Measures:

- recognition: precision, recall and F1 of predicted place spans against gold
  toponym spans. A prediction matches a gold toponym when their spans overlap;
  matching is one-to-one (largest overlap first), so each gold toponym and each
  prediction is matched at most once.
- resolution, over recognised gold toponyms that have gold coordinates: the
  share whose predicted GeoNames id equals the gold id (only where gold has an
  id), the share within 161 km (a prediction without coordinates counts as
  wrong), and the median and mean great-circle error in km over predictions
  with coordinates (those without are counted as ``unresolved``).

Corpus quirks are counted, never fatal: offsets that miss their phrase (all
GeoVirus offsets are one-based; some TR-News articles drift by up to ten
characters) are moved to the nearest occurrence of the phrase, and a toponym
whose phrase is not in the text is dropped; toponyms without a gazetteer entry
count for recognition but not for resolution.
"""

from __future__ import annotations

import math
import statistics
import sys
import time
import xml.etree.ElementTree as ET
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, fields, replace
from pathlib import Path
from typing import Literal, Protocol, Self

from sitrep.errors import EvaluationError
from sitrep.model import Document, Extraction, PlaceMention

CorpusFormat = Literal["lgl", "geovirus"]

EARTH_RADIUS_KM = 6371.0088
ACCURACY_KM = 161.0
WORST_COUNT = 10
TOP_COUNT = 10


@dataclass(frozen=True)
class GoldToponym:
    """One gold toponym: its span in the article text and, if known, where it is."""

    phrase: str
    start: int
    end: int
    lat: float | None = None
    lon: float | None = None
    geonames_id: int | None = None
    name: str | None = None
    country: str | None = None
    admin1: str | None = None
    feature_code: str | None = None
    page: str | None = None


@dataclass(frozen=True)
class CorpusQuirks:
    """Counts of rows the reader (or the driver) had to repair or skip."""

    offsets_realigned: int = 0
    offsets_unaligned: int = 0
    bad_offsets: int = 0
    missing_phrase: int = 0
    no_gazetteer_entry: int = 0
    bad_coordinates: int = 0
    nested_locations: int = 0
    articles_without_text: int = 0
    document_text_changed: int = 0
    extraction_missing: int = 0

    def __add__(self, other: CorpusQuirks) -> CorpusQuirks:
        return CorpusQuirks(**{f.name: getattr(self, f.name) + getattr(other, f.name) for f in fields(self)})

    def nonzero(self) -> tuple[tuple[str, int], ...]:
        return tuple((f.name, getattr(self, f.name)) for f in fields(self) if getattr(self, f.name))


@dataclass(frozen=True)
class GoldArticle:
    id: str
    text: str
    toponyms: tuple[GoldToponym, ...]
    title: str | None = None
    url: str | None = None
    quirks: CorpusQuirks = CorpusQuirks()


@dataclass(frozen=True)
class GoldCorpus:
    name: str
    format: CorpusFormat
    articles: tuple[GoldArticle, ...]
    quirks: CorpusQuirks


@dataclass(frozen=True)
class Recognition:
    gold: int
    predicted: int
    matched: int
    exact_spans: int
    precision: float | None
    recall: float | None
    f1: float | None


@dataclass(frozen=True)
class Resolution:
    """Resolution over recognised gold toponyms with gold coordinates."""

    evaluated: int
    with_gold_id: int
    exact_id: int
    within_161km: int
    unresolved: int
    exact_id_rate: float | None
    accuracy_161km: float | None
    median_km: float | None
    mean_km: float | None


@dataclass(frozen=True)
class WorstCase:
    article_id: str
    phrase: str
    km: float
    gold_name: str | None
    gold_lat: float
    gold_lon: float
    predicted_name: str | None
    predicted_country: str | None
    predicted_lat: float
    predicted_lon: float
    predicted_status: str


@dataclass(frozen=True)
class GeoparsingReport:
    corpus: str
    format: CorpusFormat | None
    articles: int
    gold_with_coordinates: int
    gold_with_ids: int
    recognition: Recognition
    resolution: Resolution
    statuses: tuple[tuple[str, int], ...]
    worst: tuple[WorstCase, ...]
    top_missed: tuple[tuple[str, int], ...]
    top_spurious: tuple[tuple[str, int], ...]
    top_unresolved: tuple[tuple[str, int], ...]
    quirks: CorpusQuirks = CorpusQuirks()
    seconds: float | None = None


class PlaceExtractor(Protocol):
    """What the driver needs: ``sitrep.extract.Extractor`` satisfies it."""

    def extract_many(self, documents: list[Document]) -> Iterable[Extraction]: ...


# ---------------------------------------------------------------- readers


def read_corpus(path: str | Path) -> GoldCorpus:
    """Read a geoparsing corpus, detecting its layout from the XML."""

    path = Path(path)
    try:
        root = ET.parse(path).getroot()
    except FileNotFoundError as exc:
        raise EvaluationError(
            f"{path}: no such file (the evaluation corpora live outside the project, in ../shared/eval/geoparsing/)",
            code="eval.bad_file",
        ) from exc
    except (ET.ParseError, OSError) as exc:
        raise EvaluationError(f"{path}: not readable XML ({exc})", code="eval.bad_file") from exc
    corpus_format = detect_format(root, source=str(path))
    articles: list[GoldArticle] = []
    quirks = CorpusQuirks()
    for index, element in enumerate(root.findall("article")):
        text = element.findtext("text")
        if text is None or not text.strip():
            quirks += CorpusQuirks(articles_without_text=1)
            continue
        article_id = element.get("docid") or f"#{index}"
        if corpus_format == "lgl":
            toponyms, found = _read_lgl_toponyms(element, text)
        else:
            toponyms, found = _read_geovirus_locations(element, text)
        quirks += found
        url = _clean(element.findtext("url")) or _clean(element.findtext("source"))
        title = _clean(element.findtext("title"))
        articles.append(GoldArticle(article_id, text, toponyms, title, url, found))
    return GoldCorpus(path.stem, corpus_format, tuple(articles), quirks)


def detect_format(root: ET.Element, *, source: str = "<xml>") -> CorpusFormat:
    """``lgl`` for ``<toponyms>`` articles (LGL, TR-News), ``geovirus`` for ``<locations>``."""

    if root.tag == "articles":
        for article in root.findall("article"):
            if article.find("toponyms") is not None:
                return "lgl"
            if article.find("locations") is not None:
                return "geovirus"
    raise EvaluationError(
        f"{source}: not a geoparsing corpus (expected <articles> of <article> with <toponyms> or <locations>)",
        code="eval.bad_file",
    )


def _read_lgl_toponyms(article: ET.Element, text: str) -> tuple[tuple[GoldToponym, ...], CorpusQuirks]:
    toponyms: list[GoldToponym] = []
    quirks = CorpusQuirks()
    for element in article.iterfind("toponyms/toponym"):
        span = _read_span(element, "phrase", text)
        quirks += span[1]
        if span[0] is None:
            continue
        gold = span[0]
        gaztag = element.find("gaztag")
        if gaztag is None:
            quirks += CorpusQuirks(no_gazetteer_entry=1)
        else:
            lat, lon = _float(gaztag.findtext("lat")), _float(gaztag.findtext("lon"))
            if not _valid_coordinates(lat, lon):
                quirks += CorpusQuirks(bad_coordinates=1)
                lat = lon = None
            gold = replace(
                gold,
                lat=lat,
                lon=lon,
                geonames_id=_int(gaztag.get("geonameid")),
                name=_clean(gaztag.findtext("name")),
                country=_clean(gaztag.findtext("country")),
                admin1=_clean(gaztag.findtext("admin1")),
                feature_code=_clean(gaztag.findtext("fcode")),
            )
        toponyms.append(gold)
    return tuple(toponyms), quirks


def _read_geovirus_locations(article: ET.Element, text: str) -> tuple[tuple[GoldToponym, ...], CorpusQuirks]:
    toponyms: list[GoldToponym] = []
    quirks = CorpusQuirks()
    # iter() also yields <location> elements wrongly nested in another one.
    for element in article.iterfind("locations"):
        for location in element.iter("location"):
            quirks += CorpusQuirks(nested_locations=len(location.findall("location")))
            span = _read_span(location, "name", text)
            quirks += span[1]
            if span[0] is None:
                continue
            lat, lon = _float(location.findtext("lat")), _float(location.findtext("lon"))
            if not _valid_coordinates(lat, lon):
                quirks += CorpusQuirks(bad_coordinates=1)
                lat = lon = None
            page = _clean(location.findtext("page"))
            toponyms.append(replace(span[0], lat=lat, lon=lon, name=span[0].phrase, page=page))
    return tuple(toponyms), quirks


def _read_span(element: ET.Element, phrase_tag: str, text: str) -> tuple[GoldToponym | None, CorpusQuirks]:
    start, end = _int(element.findtext("start")), _int(element.findtext("end"))
    if start is None or end is None or end <= start:
        return None, CorpusQuirks(bad_offsets=1)
    phrase = _clean(element.findtext(phrase_tag))
    if phrase is None:
        if end > len(text):
            return None, CorpusQuirks(bad_offsets=1, missing_phrase=1)
        return GoldToponym(text[start:end], start, end), CorpusQuirks(missing_phrase=1)
    span = align_span(text, phrase, start, end)
    if span is None:
        return None, CorpusQuirks(offsets_unaligned=1)
    quirks = CorpusQuirks(offsets_realigned=int(span != (start, end)))
    return GoldToponym(phrase, *span), quirks


def align_span(text: str, phrase: str, start: int, end: int) -> tuple[int, int] | None:
    """Offsets of ``phrase`` in ``text``: as given, else its occurrence nearest to them.

    None when the phrase does not occur in the text at all.
    """

    if 0 <= start < end and text[start:end] == phrase:
        return start, end
    best: int | None = None
    found = text.find(phrase) if phrase else -1
    while found != -1:
        if best is None or abs(found - start) < abs(best - start):
            best = found
        found = text.find(phrase, found + 1)
    return None if best is None else (best, best + len(phrase))


def _clean(value: str | None) -> str | None:
    if value is None:
        return None
    value = " ".join(value.split())
    return value or None


def _int(value: str | None) -> int | None:
    try:
        return int(value.strip()) if value is not None else None
    except ValueError:
        return None


def _float(value: str | None) -> float | None:
    try:
        number = float(value.strip()) if value is not None else None
    except ValueError:
        return None
    return number if number is not None and math.isfinite(number) else None


def _valid_coordinates(lat: float | None, lon: float | None) -> bool:
    return lat is not None and lon is not None and -90 <= lat <= 90 and -180 <= lon <= 180


# ---------------------------------------------------------------- scoring


def haversine_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance in km on a sphere of the Earth's mean radius."""

    phi1, phi2 = math.radians(lat1), math.radians(lat2)
    dphi, dlambda = phi2 - phi1, math.radians(lon2 - lon1)
    a = math.sin(dphi / 2) ** 2 + math.cos(phi1) * math.cos(phi2) * math.sin(dlambda / 2) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(min(1.0, math.sqrt(a)))


def match_spans(gold: Sequence[tuple[int, int]], predicted: Sequence[tuple[int, int]]) -> list[tuple[int, int]]:
    """One-to-one (gold index, predicted index) pairs of overlapping spans.

    Pairs are taken greedily by largest overlap, then by closest boundaries.
    """

    pairs: list[tuple[int, int, int, int]] = []
    for g, (g_start, g_end) in enumerate(gold):
        for p, (p_start, p_end) in enumerate(predicted):
            overlap = min(g_end, p_end) - max(g_start, p_start)
            if overlap > 0:
                distance = abs(g_start - p_start) + abs(g_end - p_end)
                pairs.append((-overlap, distance, g, p))
    pairs.sort()
    used_gold: set[int] = set()
    used_predicted: set[int] = set()
    matches: list[tuple[int, int]] = []
    for _, _, g, p in pairs:
        if g not in used_gold and p not in used_predicted:
            used_gold.add(g)
            used_predicted.add(p)
            matches.append((g, p))
    return sorted(matches)


def score(
    articles: Sequence[GoldArticle],
    predictions: Sequence[Sequence[PlaceMention]],
    *,
    corpus: str = "",
    corpus_format: CorpusFormat | None = None,
) -> GeoparsingReport:
    """Score predicted places (one sequence per article, same order) against gold."""

    if len(articles) != len(predictions):
        raise ValueError(f"{len(articles)} articles but {len(predictions)} prediction lists")
    tally = _Tally()
    for article, places in zip(articles, predictions, strict=True):
        tally.add(article, places)
    return tally.report(corpus=corpus, corpus_format=corpus_format, articles=len(articles))


class _Tally:
    """Running counts for :func:`score`."""

    def __init__(self) -> None:
        self.gold = self.predicted = self.matched = self.exact_spans = 0
        self.gold_with_coordinates = self.gold_with_ids = 0
        self.evaluated = self.with_gold_id = self.exact_id = self.within = self.unresolved = 0
        self.errors_km: list[float] = []
        self.cases: list[WorstCase] = []
        self.statuses: Counter[str] = Counter()
        self.missed: Counter[str] = Counter()
        self.spurious: Counter[str] = Counter()
        self.unresolved_texts: Counter[str] = Counter()

    def add(self, article: GoldArticle, places: Sequence[PlaceMention]) -> None:
        gold = article.toponyms
        self.gold += len(gold)
        self.predicted += len(places)
        self.gold_with_coordinates += sum(t.lat is not None for t in gold)
        self.gold_with_ids += sum(t.geonames_id is not None for t in gold)
        for place in places:
            self.statuses[place.status] += 1
            if place.lat is None or place.lon is None:
                self.unresolved_texts[place.text] += 1
        matches = match_spans([(t.start, t.end) for t in gold], [(p.start, p.end) for p in places])
        matched_gold = {g for g, _ in matches}
        matched_predicted = {p for _, p in matches}
        self.missed.update(t.phrase for i, t in enumerate(gold) if i not in matched_gold)
        self.spurious.update(p.text for i, p in enumerate(places) if i not in matched_predicted)
        self.matched += len(matches)
        for g, p in matches:
            self._resolve(article.id, gold[g], places[p])

    def _resolve(self, article_id: str, gold: GoldToponym, place: PlaceMention) -> None:
        self.exact_spans += (gold.start, gold.end) == (place.start, place.end)
        if gold.lat is None or gold.lon is None:
            return
        self.evaluated += 1
        if gold.geonames_id is not None:
            self.with_gold_id += 1
            self.exact_id += place.geonames_id == gold.geonames_id
        if place.lat is None or place.lon is None:
            self.unresolved += 1
            return
        km = haversine_km(gold.lat, gold.lon, place.lat, place.lon)
        self.errors_km.append(km)
        self.within += km <= ACCURACY_KM
        self.cases.append(
            WorstCase(
                article_id=article_id,
                phrase=gold.phrase,
                km=km,
                gold_name=gold.name,
                gold_lat=gold.lat,
                gold_lon=gold.lon,
                predicted_name=place.name,
                predicted_country=place.country_code,
                predicted_lat=place.lat,
                predicted_lon=place.lon,
                predicted_status=place.status,
            )
        )
        if len(self.cases) > 4 * WORST_COUNT:
            self.cases = sorted(self.cases, key=lambda c: -c.km)[:WORST_COUNT]

    def report(self, *, corpus: str, corpus_format: CorpusFormat | None, articles: int) -> GeoparsingReport:
        precision = _ratio(self.matched, self.predicted)
        recall = _ratio(self.matched, self.gold)
        f1 = (
            2 * precision * recall / (precision + recall)
            if precision is not None and recall is not None and precision + recall > 0
            else None
        )
        recognition = Recognition(self.gold, self.predicted, self.matched, self.exact_spans, precision, recall, f1)
        resolution = Resolution(
            evaluated=self.evaluated,
            with_gold_id=self.with_gold_id,
            exact_id=self.exact_id,
            within_161km=self.within,
            unresolved=self.unresolved,
            exact_id_rate=_ratio(self.exact_id, self.with_gold_id),
            accuracy_161km=_ratio(self.within, self.evaluated),
            median_km=statistics.median(self.errors_km) if self.errors_km else None,
            mean_km=statistics.fmean(self.errors_km) if self.errors_km else None,
        )
        return GeoparsingReport(
            corpus=corpus,
            format=corpus_format,
            articles=articles,
            gold_with_coordinates=self.gold_with_coordinates,
            gold_with_ids=self.gold_with_ids,
            recognition=recognition,
            resolution=resolution,
            statuses=tuple(sorted(self.statuses.items())),
            worst=tuple(sorted(self.cases, key=lambda c: -c.km)[:WORST_COUNT]),
            top_missed=tuple(self.missed.most_common(TOP_COUNT)),
            top_spurious=tuple(self.spurious.most_common(TOP_COUNT)),
            top_unresolved=tuple(self.unresolved_texts.most_common(TOP_COUNT)),
        )


def _ratio(part: int, whole: int) -> float | None:
    return part / whole if whole else None


# ---------------------------------------------------------------- driver


def evaluate_geoparsing(
    path: str | Path,
    extractor: PlaceExtractor,
    *,
    limit: int | None = None,
    progress: bool = True,
) -> GeoparsingReport:
    """Run ``extractor`` over a corpus (the first ``limit`` articles) and score it."""

    from sitrep.ingest import document_from_text

    corpus = read_corpus(path)
    articles = corpus.articles if limit is None else corpus.articles[:limit]
    documents = [
        document_from_text(article.text, source_id=article.id, url=article.url, remove_furniture=False)
        for article in articles
    ]
    started = time.perf_counter()
    extractions: dict[str, Extraction] = {}
    with _progress_bar(len(documents), corpus.name, enabled=progress) as bar:
        for extraction in extractor.extract_many(documents):
            if extraction.document.source_id is not None:
                extractions[extraction.document.source_id] = extraction
            bar.update(1)
    seconds = time.perf_counter() - started
    scored_articles: list[GoldArticle] = []
    predictions: list[tuple[PlaceMention, ...]] = []
    quirks = corpus.quirks
    if limit is not None:
        quirks = sum((article.quirks for article in articles), CorpusQuirks())
    for article in articles:
        found = extractions.get(article.id)
        if found is None:
            quirks += CorpusQuirks(extraction_missing=1)
            scored_articles.append(article)
            predictions.append(())
            continue
        if found.document.text != article.text:
            quirks += CorpusQuirks(document_text_changed=1)
            article = _realign(article, found.document.text)
        scored_articles.append(article)
        predictions.append(found.places)
    report = score(scored_articles, predictions, corpus=corpus.name, corpus_format=corpus.format)
    return replace(report, quirks=quirks, seconds=seconds)


def _realign(article: GoldArticle, text: str) -> GoldArticle:
    """The article with its gold offsets moved onto a changed document text."""

    toponyms = []
    for toponym in article.toponyms:
        span = align_span(text, toponym.phrase, toponym.start, toponym.end)
        if span is not None:
            toponyms.append(replace(toponym, start=span[0], end=span[1]))
    return replace(article, text=text, toponyms=tuple(toponyms))


class _Bar(Protocol):
    def update(self, n: int = 1) -> object: ...
    def __enter__(self) -> Self: ...
    def __exit__(self, *args: object) -> object: ...


def _progress_bar(total: int, label: str, *, enabled: bool) -> _Bar:
    from tqdm import tqdm  # type: ignore[import-untyped, unused-ignore]

    bar: _Bar = tqdm(total=total, desc=label, unit="article", file=sys.stderr, disable=not enabled)
    return bar


# ---------------------------------------------------------------- text report


def format_report(report: GeoparsingReport) -> str:
    """A compact text table of a report."""

    rec, res = report.recognition, report.resolution
    header = (
        f"geoparsing  {report.corpus or '?'} ({report.format or '?'} layout): "
        f"{report.articles:,} articles, {rec.gold:,} gold toponyms "
        f"({report.gold_with_coordinates:,} with coordinates, "
        f"{report.gold_with_ids:,} with GeoNames ids)"
    )
    recognition = (
        f"recognition  P {_num(rec.precision)}  R {_num(rec.recall)}  F1 {_num(rec.f1)}   "
        f"predicted {rec.predicted:,}, matched {rec.matched:,} "
        f"({rec.exact_spans:,} with exact boundaries)"
    )
    exact_id = (
        f"  exact GeoNames id  {_pct(res.exact_id_rate):>6}  ({res.exact_id:,} / {res.with_gold_id:,} with a gold id)"
    )
    within = (
        f"  within 161 km      {_pct(res.accuracy_161km):>6}  "
        f"({res.within_161km:,} / {res.evaluated:,}; no coordinates count as wrong)"
    )
    error_km = (
        f"  error km           median {_km(res.median_km)}, mean {_km(res.mean_km)} "
        f"(over {res.evaluated - res.unresolved:,}; {res.unresolved:,} unresolved left out)"
    )
    lines = [
        header,
        recognition,
        f"resolution   over {res.evaluated:,} recognised gold toponyms with coordinates",
        exact_id,
        within,
        error_km,
        "statuses     " + (", ".join(f"{k} {v:,}" for k, v in report.statuses) or "-"),
    ]
    if report.seconds is not None:
        rate = report.articles / report.seconds if report.seconds > 0 else float("nan")
        lines.append(f"time         {report.seconds:.1f} s ({rate:.1f} articles/s)")
    quirks = report.quirks.nonzero()
    lines.append("quirks       " + (", ".join(f"{k} {v:,}" for k, v in quirks) or "none"))
    lines.append("missed       " + _counts(report.top_missed))
    lines.append("spurious     " + _counts(report.top_spurious))
    lines.append("unresolved   " + _counts(report.top_unresolved))
    if report.worst:
        lines.append(f"worst {len(report.worst)}:  {'km':>8}  phrase | gold | predicted")
        for case in report.worst:
            lines.append(
                f"  {case.article_id:>10}  {case.km:8.0f}  {case.phrase} | {case.gold_name} "
                f"({case.gold_lat:.2f}, {case.gold_lon:.2f}) | {case.predicted_name}, "
                f"{case.predicted_country} ({case.predicted_lat:.2f}, {case.predicted_lon:.2f}) "
                f"[{case.predicted_status}]"
            )
    return "\n".join(lines)


def _num(value: float | None) -> str:
    return "-" if value is None else f"{value:.3f}"


def _pct(value: float | None) -> str:
    return "-" if value is None else f"{100 * value:.1f}%"


def _km(value: float | None) -> str:
    return "-" if value is None else f"{value:,.1f}"


def _counts(pairs: Sequence[tuple[str, int]]) -> str:
    return ", ".join(f"{text} {count}" for text, count in pairs) or "-"


__all__ = [
    "CorpusQuirks",
    "GeoparsingReport",
    "GoldArticle",
    "GoldCorpus",
    "GoldToponym",
    "PlaceExtractor",
    "Recognition",
    "Resolution",
    "WorstCase",
    "align_span",
    "detect_format",
    "evaluate_geoparsing",
    "format_report",
    "haversine_km",
    "match_spans",
    "read_corpus",
    "score",
]
