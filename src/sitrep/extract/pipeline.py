"""The extraction cascade: one document in, places, dates and figures out.

Stages, in order (each records its versioned id in ``Extraction.extractor``):

1. ``extract.nlp.ruler.v1`` + the spaCy model: sentences, entities, parse.
2. ``resolve.places.gazetteer.v1``: GPE/LOC entities to gazetteer entries.
3. ``resolve.dates.rules.v1`` (dateparser fallback): DATE/TIME entities and
   sitrep's own time words to intervals.
4. ``extract.quantities.rules.v1``: figures with kind, qualifier and bounds.
5. Evidence check: every quote must equal ``text[start:end]``; a mismatch
   raises :class:`~sitrep.errors.EvidenceMismatch` (a bug, never hidden).

Every offset comes from the component that found the span; nothing is
searched for again afterwards.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import replace
from datetime import date, datetime
from pathlib import Path

from spacy.language import Language
from spacy.tokens import Doc, Span

from sitrep.errors import EvidenceMismatch
from sitrep.extract.events import STAGE_ID as EVENTS_ID
from sitrep.extract.events import EventExtractor
from sitrep.extract.nlp import STAGE_ID as RULER_ID
from sitrep.extract.nlp import load_pipeline, model_id
from sitrep.extract.quantities import STAGE_ID as QUANTITIES_ID
from sitrep.extract.quantities import QuantityExtractor
from sitrep.ingest.furniture import STAGE_ID as FURNITURE_ID
from sitrep.model import DateMention, Document, Extraction, PlaceMention, Quantity, Sentence
from sitrep.resolve.actors import STAGE_ID as ACTORS_ID
from sitrep.resolve.actors import ActorTable
from sitrep.resolve.dates import RULES_ID as DATES_ID
from sitrep.resolve.dates import DateResolver, Interval, Unresolved
from sitrep.resolve.gazetteer import Gazetteer
from sitrep.resolve.places import STAGE_ID as PLACES_ID
from sitrep.resolve.places import GazetteerGeocoder, PlaceSpan
from sitrep.settings import Settings

DIRECTIONS = frozenset(
    [
        "northern",
        "southern",
        "eastern",
        "western",
        "central",
        "northeastern",
        "northwestern",
        "southeastern",
        "southwestern",
        "north-eastern",
        "north-western",
        "south-eastern",
        "south-western",
        "east",
        "west",
        "north",
        "south",
    ]
)
_PLACE_LABELS = frozenset({"GPE", "LOC"})
_DATE_LABELS = frozenset({"DATE", "TIME"})
# Time words the NER often leaves unlabelled.
_EXTRA_TIME = re.compile(
    r"\b(?:(?:since|on|in) )?(?:overnight|last night|(?:a few|several) days ago|in recent days|earlier this (?:week|month|year)"
    r"|(?:early|mid|late)[- ](?:last|this) month|since the (?:start|beginning) of the (?:month|year|week)"
    r"|(?:last|this past) (?:week|weekend|month|year)"
    r"|(?:on |last )?(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)(?: (?:morning|afternoon|evening|night))?)\b"
)
_SETTLEMENT_CUE = re.compile(
    r"\b(?:village|town|settlement|hamlet|city|township|urban-type settlement|community) of "
    r"(?P<name>[A-ZА-ЯІЇЄҐ][\w’'-]+(?: [A-ZА-ЯІЇЄҐ][\w’'-]+)?)"
)
_WEAPON_NOUNS = frozenset(
    "rocket rockets missile missiles launcher launchers drone drones system systems howitzer howitzers tank tanks nuclear".split()
)
_DATE_TAIL = re.compile(r"\s(?:after|before|following)\s")
_DEMONYM = re.compile(r"[A-Z][a-z]+(?:ian|ese|ish)")
_LEADING_PREPOSITION = re.compile(r"^(?:on|in|during|at|by|over|from) ", re.IGNORECASE)


class Extractor:
    """Runs the cascade; build one with :meth:`load` and reuse it."""

    def __init__(self, *, nlp: Language, gazetteer: Gazetteer, settings: Settings, actors: ActorTable) -> None:
        self.nlp = nlp
        self.gazetteer = gazetteer
        self.settings = settings
        self.geocoder = GazetteerGeocoder(gazetteer, focus_countries=settings.focus_countries)
        self.dates = DateResolver()
        self.quantities = QuantityExtractor()
        self.events = EventExtractor(actors, min_confidence=settings.event_min_confidence)
        self.stage_ids = (
            FURNITURE_ID,
            model_id(nlp),
            RULER_ID,
            PLACES_ID,
            DATES_ID,
            QUANTITIES_ID,
            EVENTS_ID,
            ACTORS_ID,
        )

    @classmethod
    def load(cls, settings: Settings) -> Extractor:
        """Open (building if needed) the gazetteer and load the language pipeline."""
        gazetteer = Gazetteer.open(settings.gazetteer_path)
        actors = ActorTable.load(Path(settings.actors_file) if settings.actors_file else None)
        return cls(nlp=load_pipeline(settings, gazetteer), gazetteer=gazetteer, settings=settings, actors=actors)

    def extract(self, document: Document) -> Extraction:
        return self._from_doc(document, self.nlp(document.text))

    def extract_many(self, documents: Iterable[Document], *, batch_size: int = 16) -> Iterator[Extraction]:
        """Extract a stream of documents with ``nlp.pipe`` batching."""
        pairs = ((d.text, d) for d in documents)
        for doc, document in self.nlp.pipe(pairs, batch_size=batch_size, as_tuples=True):
            yield self._from_doc(document, doc)

    def _from_doc(self, document: Document, doc: Doc) -> Extraction:
        published = _published_day(document.published_at)
        places = tuple(self.geocoder.resolve(place_spans(doc)))
        dates = tuple(self._dates(doc, published))
        quantities = tuple(self.quantities.extract(doc))
        events, claims = self.events.extract(
            doc, document_id=document.id, places=places, dates=dates, quantities=quantities, published=published
        )
        extraction = Extraction(
            document=document,
            sentences=tuple(Sentence(s.start_char, s.end_char) for s in doc.sents),
            places=places,
            dates=dates,
            quantities=quantities,
            events=tuple(events),
            claims=tuple(claims),
            extractor=self.stage_ids,
        )
        verify_evidence(extraction)
        return extraction

    def _dates(self, doc: Doc, published: date | None) -> list[DateMention]:
        mentions: list[DateMention] = []
        text = doc.text
        for start, end in date_spans(doc):
            quote = text[start:end]
            result = self.dates.resolve(quote, published)
            if result is None:
                continue
            if isinstance(result, Interval):
                mentions.append(
                    DateMention(
                        text=quote,
                        start=start,
                        end=end,
                        date_start=result.start.isoformat(),
                        date_end=result.end.isoformat(),
                        precision=result.precision,  # type: ignore[arg-type]
                        status="resolved",
                        rule=result.rule,
                        extractor=DATES_ID,
                    )
                )
            elif isinstance(result, Unresolved):
                mentions.append(
                    DateMention(
                        text=quote,
                        start=start,
                        end=end,
                        date_start=None,
                        date_end=None,
                        precision=None,
                        status="unresolved",
                        rule=result.reason,
                        extractor=DATES_ID,
                    )
                )
        return mentions


def _published_day(published_at: str | None) -> date | None:
    if not published_at:
        return None
    if len(published_at) == 10:
        return date.fromisoformat(published_at)
    return datetime.fromisoformat(published_at).date()


def _trim(span: Span) -> tuple[int, int]:
    """Character bounds of an entity without a leading "the" or a trailing "'s"."""
    start, end = span.start, span.end
    while start < end - 1 and span.doc[start].lower_ in ("the",):
        start += 1
    while end - 1 > start and span.doc[end - 1].lower_ in ("'s", "’s", "'", "’"):
        end -= 1
    first, last = span.doc[start], span.doc[end - 1]
    return first.idx, last.idx + len(last.text)


def place_spans(doc: Doc) -> list[PlaceSpan]:
    """Every GPE/LOC entity as a place span, with a direction word if one precedes it."""
    text = doc.text
    spans: list[PlaceSpan] = []
    # Surnames the NER also tags GPE elsewhere ("Scholz", "Blinken") are people.
    person_words = {t.text for e in doc.ents if e.label_ == "PERSON" and len(e) > 1 for t in e}
    for ent in doc.ents:
        if ent.label_ not in _PLACE_LABELS:
            continue
        following = doc[ent.end] if ent.end < len(doc) else None
        if following is not None and following.lower_ in _WEAPON_NOUNS:
            continue  # "Grad rockets", "Iskander missiles": a weapon's name, not a place
        if len(ent) == 1 and (
            ent.text in person_words or _DEMONYM.fullmatch(ent.text) or ent.text.lower() in DIRECTIONS
        ):
            continue  # a surname, a demonym, or a bare direction ("the West") is no place
        start, end = _trim(ent)
        name = text[start:end]
        direction = None
        before = doc[ent.start - 1] if ent.start > 0 else None
        if before is not None and before.lower_ in DIRECTIONS and before.i >= 0:
            direction = before.lower_
            start = before.idx
        elif ent.label_ == "LOC" and doc[ent.start].lower_ in DIRECTIONS and len(ent) > 1:
            direction = doc[ent.start].lower_
            name = text[doc[ent.start + 1].idx : end]
        spans.append(PlaceSpan(text[start:end], start, end, name, direction, ent.label_))
    # Settlements the NER does not know, named by a cue: "the village of Chornoluzhka".
    for m in _SETTLEMENT_CUE.finditer(text):
        start, end = m.start("name"), m.end("name")
        if any(s.start < end and start < s.end for s in spans):
            continue
        spans.append(PlaceSpan(text[start:end], start, end, m.group("name"), None, "GPE"))
    spans.sort(key=lambda s: s.start)
    return _link_containers(spans, text)


def _link_containers(spans: list[PlaceSpan], text: str) -> list[PlaceSpan]:
    """Mark "Alexandria, La." and "Sudzha, Kursk region": the second place contains the first."""
    linked: list[PlaceSpan] = []
    for i, span in enumerate(spans):
        following = spans[i + 1] if i + 1 < len(spans) else None
        if following is not None and text[span.end : following.start] in (", ", ","):
            span = replace(span, within=i + 1)
        linked.append(span)
    return linked


def date_spans(doc: Doc) -> list[tuple[int, int]]:
    """Character spans of time expressions: DATE/TIME entities plus sitrep's time words."""
    text = doc.text
    found: list[tuple[int, int]] = []
    for ent in doc.ents:
        if ent.label_ in _DATE_LABELS:
            end = ent.end_char
            cut = _DATE_TAIL.search(text[ent.start_char : ent.end_char])
            if cut is not None and cut.start() > 0:  # "Monday after days of shelling": the day, not the tail
                end = ent.start_char + cut.start()
            found.append((ent.start_char, end))
    for m in _EXTRA_TIME.finditer(text):
        start, end = m.start(), m.end()
        lead = _LEADING_PREPOSITION.match(m.group(0))
        if lead:
            start += lead.end()
        if not any(s <= start and end <= e for s, e in found):
            found = [(s, e) for s, e in found if not (start <= s and e <= end)]
            found.append((start, end))
    found = [_strip_edges(text, s, e) for s, e in found]
    found = [(s, e) for s, e in found if e > s]
    found.sort()
    merged: list[tuple[int, int]] = []
    for start, end in found:
        if merged and start < merged[-1][1]:
            continue
        merged.append((start, end))
    return merged


def _strip_edges(text: str, start: int, end: int) -> tuple[int, int]:
    """Drop punctuation and spaces the NER sometimes leaves at the edges of a span."""
    while end > start and (text[end - 1].isspace() or text[end - 1] in "-–—,;:("):
        end -= 1
    while start < end and (text[start].isspace() or text[start] in "-–—,;:)"):
        start += 1
    return start, end


def verify_evidence(extraction: Extraction) -> None:
    """Fail loudly if any extracted quote differs from the text at its offsets."""
    text = extraction.document.text
    items: list[PlaceMention | DateMention | Quantity] = [*extraction.places, *extraction.dates, *extraction.quantities]
    for claim in extraction.claims:
        for evidence in (claim.evidence, claim.claimant.evidence):
            if evidence.document_id != extraction.document.id or text[evidence.start : evidence.end] != evidence.quote:
                raise EvidenceMismatch(
                    f"document {extraction.document.id}: claim evidence {evidence.quote!r} "
                    f"does not equal text[{evidence.start}:{evidence.end}]",
                    code="extract.evidence_mismatch",
                )
    for event in extraction.events:
        evidences = [event.evidence, event.trigger, *(a.evidence for a in event.actors)]
        if event.location is not None:
            evidences.append(event.location.evidence)
        if event.date is not None:
            evidences.append(event.date.evidence)
        if event.claimant is not None:
            evidences.append(event.claimant.evidence)
        for evidence in evidences:
            if evidence.document_id != extraction.document.id or text[evidence.start : evidence.end] != evidence.quote:
                raise EvidenceMismatch(
                    f"document {extraction.document.id}: event evidence {evidence.quote!r} "
                    f"does not equal text[{evidence.start}:{evidence.end}]",
                    code="extract.evidence_mismatch",
                )
    for item in items:
        if not (0 <= item.start <= item.end <= len(text)) or text[item.start : item.end] != item.text:
            raise EvidenceMismatch(
                f"document {extraction.document.id}: {type(item).__name__} quote {item.text!r} "
                f"does not equal text[{item.start}:{item.end}]",
                code="extract.evidence_mismatch",
            )
