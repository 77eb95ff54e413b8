"""The spaCy pipeline with sitrep's gazetteer-fed entity ruler before the NER.

The statistical NER of ``en_core_web_sm`` mislabels places it has not seen
("Kursk" as PRODUCT, "Kyiv" as PERSON). The ruler marks the names the
gazetteer knows as GPE/LOC before the NER runs; the NER keeps preset entities
and labels the rest. The pipeline is loaded once per process and settings.

Stage id: ``extract.nlp.ruler.v1`` (plus the model's own name and version).
"""

from __future__ import annotations

import threading
from collections.abc import Iterable
from typing import Any

from spacy.language import Language
from spacy.tokens import Doc, Span

from sitrep.errors import ConfigError
from sitrep.resolve.gazetteer import ADMIN1_SUFFIXES, Gazetteer, normalize_name
from sitrep.settings import Settings

STAGE_ID = "extract.nlp.ruler.v1"
RULER_NAME = "sitrep_gazetteer_ruler"
MAX_NAME_TOKENS = 6
BIG_PLACE = 100_000

_CALENDAR = frozenset(
    [
        "january",
        "february",
        "march",
        "april",
        "may",
        "june",
        "july",
        "august",
        "september",
        "october",
        "november",
        "december",
        "monday",
        "tuesday",
        "wednesday",
        "thursday",
        "friday",
        "saturday",
        "sunday",
        "today",
        "tomorrow",
        "yesterday",
    ]
)


class GazetteerRuler:
    """Marks gazetteer names as GPE (LOC for regions) before the statistical NER."""

    def __init__(self, names: dict[str, tuple[str, int]], english_words: frozenset[str]) -> None:
        self.names = names
        self.english_words = english_words

    def __call__(self, doc: Doc) -> Doc:
        spans: list[Span] = []
        taken = -1
        # Token.is_sent_start scans the whole doc on every call: read sentence starts once.
        starts = frozenset(sent.start for sent in doc.sents) if doc.has_annotation("SENT_START") else frozenset({0})
        text = doc.text  # Doc.text joins every token on each access: read it once
        for token in doc:
            if token.i <= taken or not _capitalised(token.text):
                continue
            found = self._longest_match(doc, text, token.i, starts)
            if found is None:
                continue
            end, kind, population = found
            if not self._accept(doc, token.i, end, kind, population, starts):
                continue
            spans.append(Span(doc, token.i, end, label="LOC" if kind == "region" else "GPE"))
            taken = end - 1
        if spans:
            doc.set_ents(spans, default="unmodified")
        return doc

    def _longest_match(self, doc: Doc, text: str, start: int, starts: frozenset[int]) -> tuple[int, str, int] | None:
        best: tuple[int, str, int] | None = None
        first = doc[start]
        limit = min(len(doc), start + MAX_NAME_TOKENS)
        for end in range(start + 1, limit + 1):
            last = doc[end - 1]
            if end - 1 > start and (end - 1) in starts:
                break
            if last.is_punct and last.text not in ("-", "'", "’", "."):
                break
            norm = normalize_name(text[first.idx : last.idx + len(last.text)])
            hit = self.names.get(norm)
            if hit is None and last.lower_ in ("regions", "oblasts", "provinces"):
                hit = self.names.get(norm[:-1])
            if hit is not None and (
                end - 1 == start or _capitalised(last.text) or last.lower_.rstrip("s") in ADMIN1_SUFFIXES
            ):
                best = (end, hit[0], hit[1])
        return best

    def _accept(self, doc: Doc, start: int, end: int, kind: str, population: int, starts: frozenset[int]) -> bool:
        first = doc[start]
        single = end - start == 1
        if single and first.lower_ in _CALENDAR:
            return False
        big = kind != "city" or population >= BIG_PLACE
        if single and first.lower_ in self.english_words and not big:
            return False
        if single and len(first.text) < 3:
            return False
        following = doc[end] if end < len(doc) else None
        if following is not None and _capitalised(following.text) and following.i not in starts:
            if kind == "city" and following.lower_ not in ("oblast", "region", "province"):
                return False  # part of a longer name: "Vladimir Putin", "Kursk Nuclear Power Plant"
        if start > 0:
            previous = doc[start - 1]
            if _capitalised(previous.text) and previous.i not in starts and not previous.is_punct:
                if previous.lower_ not in ("the", "in", "of") and not big:
                    return False
        return True


def _capitalised(text: str) -> bool:
    return bool(text) and text[0].isupper()


@Language.factory(
    RULER_NAME,
    assigns=["doc.ents"],
    requires=["token.is_sent_start"],
    default_config={},
)
def make_gazetteer_ruler(nlp: Language, name: str) -> GazetteerRuler:
    """Created empty; :func:`load_pipeline` fills it from the gazetteer."""
    return GazetteerRuler({}, frozenset())


_LOCK = threading.Lock()
_PIPELINES: dict[tuple[Any, ...], Language] = {}


def english_words(nlp: Language) -> frozenset[str]:
    """Common English words, from the model's own lemmatizer tables (WordNet's index)."""
    words: set[str] = set()
    if "lemmatizer" in nlp.pipe_names:
        lookups = nlp.get_pipe("lemmatizer").lookups  # type: ignore[attr-defined]
        if lookups.has_table("lemma_index"):
            for values in lookups.get_table("lemma_index").values():
                words.update(values)
    from spacy.lang.en.stop_words import STOP_WORDS

    words.update(STOP_WORDS)
    return frozenset(words)


def ruler_names(gazetteer: Gazetteer, settings: Settings, words: frozenset[str]) -> dict[str, tuple[str, int]]:
    names: dict[str, tuple[str, int]] = {}
    rank = {"country": 3, "admin1": 2, "region": 1, "city": 0}
    for norm, kind, population, primary in gazetteer.ruler_names(
        focus_countries=settings.focus_countries, min_population=settings.ruler_min_population
    ):
        if not primary and kind == "city" and " " in norm and all(w in words for w in norm.split()):
            continue  # an alternate that is plain English ("White House" for Casablanca)
        current = names.get(norm)
        if current is None or (rank[kind], population) > (rank[current[0]], current[1]):
            names[norm] = (kind, population)
    return names


def load_pipeline(settings: Settings, gazetteer: Gazetteer) -> Language:
    """The spaCy pipeline for these settings, loaded once per process."""

    key = (settings.spacy_model, str(gazetteer.path), settings.focus_countries, settings.ruler_min_population)
    with _LOCK:
        cached = _PIPELINES.get(key)
        if cached is not None:
            return cached
        import spacy

        try:
            nlp = spacy.load(settings.spacy_model)
        except OSError as exc:
            raise ConfigError(
                f"spaCy model {settings.spacy_model!r} is not installed (setting spacy_model): {exc}",
                code="config.model_missing",
            ) from exc
        ruler = nlp.add_pipe(RULER_NAME, before="ner" if "ner" in nlp.pipe_names else None)
        if not isinstance(ruler, GazetteerRuler):
            raise ConfigError("the gazetteer ruler factory is shadowed by another package", code="config.invalid_value")
        ruler.english_words = english_words(nlp)
        ruler.names = ruler_names(gazetteer, settings, ruler.english_words)
        _PIPELINES[key] = nlp
        return nlp


def model_id(nlp: Language) -> str:
    return f"spacy.{nlp.meta.get('name', 'model')}.{nlp.meta.get('version', '0')}"


def pipe_texts(nlp: Language, texts: Iterable[str], *, batch_size: int = 32) -> Iterable[Doc]:
    return nlp.pipe(texts, batch_size=batch_size)
