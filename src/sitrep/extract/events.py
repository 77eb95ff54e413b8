"""Sentences to typed events with actors, place, time, figures and the claimant.

A first, rule-based cascade (precise lexicons over the dependency parse):

1. triggers: words and phrases that name a happening, typed with ACLED's
   event/sub-event types or sitrep's Territory/Humanitarian extensions;
2. modality: negated, planned, threatened or hypothetical happenings are not
   events (a denied one is kept with ``stance="denied"`` and its claimant);
3. claimant: reported speech ("X said", "according to X") gives the speaker,
   the verb and a stance;
4. arguments: the sentence's place (not the speaker's), time, figures, a
   conservative ``fatalities``, actors with roles, and tags.

Stage id: ``extract.events.rules.v1``.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import replace
from datetime import date, timedelta

from spacy.tokens import Doc, Span, Token

from sitrep.extract.event_lexicon import (
    ABSTRACT_HEADS,
    ABSTRACT_TARGETS,
    ACCUSE,
    ACCUSING,
    AID_WORKERS,
    ATTACK,
    BATTLE_TERRITORY,
    BT,
    CAPTIVES,
    CASUALTY,
    CIVILIANS,
    CROSSING_PEOPLE,
    CUMULATIVE,
    DAMAGE,
    DATELINE,
    EB,
    FALSE,
    FIGURE_OWNERS,
    FORCE_NOUNS,
    GENERIC_SPEAKERS,
    HARM_KINDS,
    HISTORICAL,
    HUM,
    HYPHEN_PREFIX,
    IHL,
    INCLUDING,
    INTERVENTION,
    MODAL,
    NATIONALITY,
    NEGATIVE_TRIGGER,
    NO_ONE,
    NON_STATE,
    OBSERVERS,
    PERSON_SINGULAR,
    PLAN,
    PROTEST_INTERVENTION,
    RELATIVE,
    RIOT,
    RIOT_TRIGGER,
    SD,
    SELF_HARM,
    SINGLE_VICTIM,
    SPEAKER_NOUNS,
    SPEECH_VERBS,
    SUPERSEDES,
    SUPPLY,
    TERR,
    TRIGGERS,
    VAC,
    WEAPON_SUBTYPES,
    Trigger,
)
from sitrep.model import DateMention, Evidence, PlaceMention, Quantity
from sitrep.model.events import ActorRole, Claim, Claimant, ClaimKind, Event, EventActor, EventDate, EventLocation
from sitrep.resolve.actors import STAGE_ID as ACTORS_ID
from sitrep.resolve.actors import Actor, ActorMention, ActorTable

STAGE_ID = "extract.events.rules.v1"
HISTORY_DAYS = 3 * 365
CONTEXT_SENTENCES = 2  # a follow-up sentence this close to an anchored event shares its anchor
CONTEXT_BONUS = 0.2
HEADLINE_TOKENS = 16
DISPLACEMENT = next(t for t in TRIGGERS if t.sub_event_type == "Displacement")


class EventExtractor:
    def __init__(self, actors: ActorTable, *, min_confidence: float = 0.0) -> None:
        self.actors = actors
        self.min_confidence = min_confidence

    def extract(
        self,
        doc: Doc,
        *,
        document_id: str,
        places: Sequence[PlaceMention],
        dates: Sequence[DateMention],
        quantities: Sequence[Quantity],
        published: date | None = None,
    ) -> tuple[list[Event], list[Claim]]:
        """The document's events, then its claims, in one pass over its sentences.

        The actor aliases are matched once per document, and each sentence's
        triggers and speaker are found once, for both the events and the claims.
        """
        text = doc.text
        mentions = list(self.actors.find(text))
        sentences = list(doc.sents)
        analysed = [(_triggers(sent, text), self._claimant(sent, mentions, document_id, text)) for sent in sentences]
        events: list[Event] = []
        last_anchored = -10  # the last sentence with an event anchored on its own
        for index, (sent, (found, (claimant, stance, speech_verb))) in enumerate(zip(sentences, analysed, strict=True)):
            if not found:
                continue
            used: set[tuple[str, str]] = set()
            firsts: dict[str, int] = {}
            for _, trig, start, _ in found:
                firsts.setdefault(trig.sub_event_type, start)
            positions = firsts  # one position per happening, for sharing out the figures
            for token, trigger, t_start, t_end in found:
                if (trigger.event_type, trigger.sub_event_type) in used:
                    continue
                if speech_verb is not None and token.i == speech_verb.i:
                    continue
                negated = _negated(token) and not NEGATIVE_TRIGGER.search(text[t_start:t_end])
                if negated and stance != "denied":
                    continue
                if _irrealis(token) or _cumulative(token, trigger, text[sent.start_char : sent.end_char]):
                    continue
                if _reported_as_false(token, text[sent.start_char : sent.end_char]):
                    continue
                if token.pos_ == "PROPN" or SELF_HARM.search(text[t_start : min(len(text), t_end + 12)]):
                    continue  # "Main Battle Tanks", "killed himself"
                used.add((trigger.event_type, trigger.sub_event_type))
                event = self._event(
                    sent,
                    token,
                    trigger,
                    (t_start, t_end),
                    text,
                    document_id,
                    places,
                    dates,
                    quantities,
                    mentions,
                    claimant,
                    "denied" if negated else stance,
                    speech_verb,
                    positions,
                )
                if event.confidence is not None and event.confidence >= self.min_confidence:
                    last_anchored = index
                elif event.confidence is not None and index - last_anchored <= CONTEXT_SENTENCES:
                    # "Two missiles were shot down.": the sentences before say where and when
                    event = replace(event, confidence=round(min(1.0, event.confidence + CONTEXT_BONUS), 2))
                events.append(event)
        # Unanchored mentions ("Russia and Ukraine are both fighting") are commentary more often than reports
        events = [e for e in events if e.confidence is None or e.confidence >= self.min_confidence]
        if published is not None:
            # History told as background ("in 2003", "in 1941") is not a report of a happening,
            # and what is dated after the report ("a barrage expected next week") has not happened yet
            horizon = published - timedelta(days=HISTORY_DAYS)
            events = [
                e
                for e in events
                if e.date is None
                or e.date.end is None
                or e.date.start is None
                or (horizon <= date.fromisoformat(e.date.end) and date.fromisoformat(e.date.start) <= published)
            ]
        return events, self._claims(text, sentences, analysed, mentions, document_id, events)

    def _claims(
        self,
        text: str,
        sentences: list[Span],
        analysed: list[tuple[list[tuple[Token, Trigger, int, int]], tuple[Claimant | None, str, Token | None]]],
        mentions: list[ActorMention],
        document_id: str,
        events: Sequence[Event],
    ) -> list[Claim]:
        """Statements of their own: accusations, denials, IHL compliance, disputing statements."""
        claims: list[Claim] = []
        for index, (sent, (found, (claimant, stance, verb))) in enumerate(zip(sentences, analysed, strict=True)):
            sentence_span = _bounds(sent, text)
            if claimant is None:
                claimant = self._subject_actor(sent, mentions, document_id, text)
                if claimant is not None and ACCUSE.search(text[sentence_span[0] : sentence_span[1]]):
                    claims.append(self._claim("accusation", claimant, "claimed", sent, text, document_id, ()))
                continue
            if verb is None:
                continue
            if ACCUSE.search(text[sentence_span[0] : sentence_span[1]]) and verb.lemma_.lower() not in (
                "accuse",
                "denounce",
                "condemn",
                "blame",
            ):
                claims.append(self._claim("accusation", claimant, "claimed", sent, text, document_id, ()))
            negated = [t for t, trig, a, b in found if _negated(t) and not NEGATIVE_TRIGGER.search(text[a:b])]
            if negated:  # "Russian forces have not captured Chasiv Yar, a spokesman said"
                claims.append(self._claim("denial", claimant, "denied", sent, text, document_id, ()))
                continue
            previous_events = []
            if index > 0:
                previous = sentences[index - 1]
                previous_events = [
                    i for i, e in enumerate(events) if previous.start_char <= e.evidence.start < previous.end_char
                ]
            own_country = _country_of(self.actors, claimant.name)
            rival = [
                i
                for i in previous_events
                if own_country is not None and _claimant_country(self.actors, events[i]) not in (None, own_country)
            ]
            if rival:  # the other side answers the previous sentence's claim
                answer_kind = _claim_kind(verb, text[sentence_span[0] : sentence_span[1]])
                if answer_kind == "denial":
                    claims.append(self._claim("denial", claimant, "denied", sent, text, document_id, tuple(rival)))
                else:
                    claims.append(self._claim(answer_kind, claimant, "disputed", sent, text, document_id, tuple(rival)))
                continue
            s_start, s_end = _bounds(sent, text)
            sentence_text = text[s_start:s_end]
            kind = _claim_kind(verb, sentence_text)
            if _negated(verb) and verb.lemma_.lower() in ("confirm", "acknowledge"):
                stance, kind = "disputed", "denial"
            elif any(c.dep_ == "neg" for t in sent if t.lemma_.lower() in ("confirm",) for c in t.children):
                stance = "disputed"
            here = [i for i, e in enumerate(events) if sent.start_char <= e.evidence.start < sent.end_char]
            if here and kind == "statement" and stance in ("claimed", "confirmed"):
                continue  # the statement is the event's own claimant, already recorded there
            about = here
            if not about and index > 0:
                previous = sentences[index - 1]
                about = [i for i, e in enumerate(events) if previous.start_char <= e.evidence.start < previous.end_char]
            claims.append(
                Claim(
                    kind=kind,
                    claimant=claimant,
                    stance=stance,  # type: ignore[arg-type]
                    evidence=Evidence(document_id, s_start, s_end, sentence_text),
                    about_events=tuple(about),
                    about_places=(),
                    extractor=(STAGE_ID, ACTORS_ID),
                )
            )
        return claims

    def _claim(
        self,
        kind: ClaimKind,
        claimant: Claimant,
        stance: str,
        sent: Span,
        text: str,
        document_id: str,
        about: tuple[int, ...],
    ) -> Claim:
        start, end = _bounds(sent, text)
        return Claim(
            kind=kind,
            claimant=claimant,
            stance=stance,  # type: ignore[arg-type]
            evidence=Evidence(document_id, start, end, text[start:end]),
            about_events=about,
            about_places=(),
            extractor=(STAGE_ID, ACTORS_ID),
        )

    def _subject_actor(self, sent: Span, mentions: list[ActorMention], document_id: str, text: str) -> Claimant | None:
        """The actor that is the subject of the sentence's main verb ("X called on Y to ...")."""
        root = sent.root
        subject = next((c for c in root.children if c.dep_ == "nsubj"), None)
        if subject is None:
            return None
        return self._speaker(subject, root.text, "claimed", mentions, document_id, text)

    def _claimant(
        self, sent: Span, mentions: list[ActorMention], document_id: str, text: str
    ) -> tuple[Claimant | None, str, Token | None]:
        """Who says so: the subject of a speech verb, or the object of "according to"."""
        for token in sent:
            if token.lower_ == "according" and token.i + 1 < len(sent.doc) and sent.doc[token.i + 1].lower_ == "to":
                obj = next((c for c in sent.doc[token.i + 1].children if c.dep_ == "pobj"), None)
                if obj is not None and (obj.pos_ == "PROPN" or obj.lemma_.lower() in SPEAKER_NOUNS):
                    return self._speaker(obj, "according to", "claimed", mentions, document_id, text), "claimed", None
        for token in sent:
            stance = SPEECH_VERBS.get(token.lemma_.lower())
            if stance is None or token.pos_ not in ("VERB", "AUX"):
                continue
            subject = next((c for c in token.children if c.dep_ in ("nsubj", "nsubjpass")), None)
            if subject is None:
                subject = _trailing_speaker(sent, token)
            if subject is None:
                continue
            return self._speaker(subject, token.text, stance, mentions, document_id, text), stance, token
        return None, "asserted", None

    def _speaker(
        self, head: Token, verb: str, stance: str, mentions: list[ActorMention], document_id: str, text: str
    ) -> Claimant:
        subtree = list(head.subtree)
        start, end = subtree[0].idx, subtree[-1].idx + len(subtree[-1].text)
        # "fighters of armed groups based in Ukraine": a place in a clause describing the speaker is not them
        described = [(t.idx, t.idx + len(t.text)) for c in subtree if c.dep_ in ("acl", "relcl") for t in c.subtree]
        actor = next(
            (
                m
                for m in mentions
                if m.start < end
                and start < m.end
                and not any(a <= m.start < b for a, b in described)
                and not _qualified_at(text, m.start)
            ),
            None,
        )
        if actor is None and text[start:end].lower() in GENERIC_SPEAKERS:
            # "the organisation said": the organisation named nearby (this or the previous sentence)
            sentence = head.sent
            window_start = (
                sentence.doc[sentence.start - 1].sent.start_char if sentence.start > 0 else sentence.start_char
            )
            actor = next(
                (
                    m
                    for m in mentions
                    if window_start <= m.start < sentence.end_char and m.actor.kind in ("humanitarian", "international")
                ),
                None,
            )
        evidence = Evidence(document_id, start, end, text[start:end])
        if actor is not None:
            return Claimant(actor.actor.name, actor.actor.kind, verb, evidence)  # type: ignore[arg-type]
        return Claimant(text[start:end], "other", verb, evidence)

    def _event(
        self,
        sent: Span,
        token: Token,
        trigger: Trigger,
        span: tuple[int, int],
        text: str,
        document_id: str,
        places: Sequence[PlaceMention],
        dates: Sequence[DateMention],
        quantities: Sequence[Quantity],
        mentions: list[ActorMention],
        claimant: Claimant | None,
        stance: str,
        speech_verb: Token | None,
        positions: dict[str, int],
    ) -> Event:
        s_start, s_end = _bounds(sent, text)
        speaker_span = (claimant.evidence.start, claimant.evidence.end) if claimant else (-1, -1)
        dateline = DATELINE.match(text)
        dateline_end = dateline.end() if dateline else -1
        in_sentence = [p for p in places if s_start <= p.start < s_end and p.start >= dateline_end]
        event_places = [
            p for p in in_sentence if not (speaker_span[0] <= p.start < speaker_span[1]) and not _acting(sent.doc, p)
        ]
        if not event_places:  # "Residents of Borodianka said ...": the speaker's place is the only one
            event_places = [p for p in in_sentence if not _acting(sent.doc, p)]
        specific = [p for p in event_places if p.precision not in ("country", None)]
        areas = {p.admin1_code for p in specific if p.precision == "admin1" and p.admin1_code}
        # "a village near Izium in the Kharkiv region": the settlement inside the named area is the place
        inside = [
            p
            for p in specific
            if p.precision == "point"
            and p.admin1_code in areas
            and not RELATIVE.search(text[max(0, p.start - 40) : p.start])
        ]
        place = _nearest_place(inside or specific or event_places, span[0])
        sentence_dates = [d for d in dates if s_start <= d.start < s_end and d.status == "resolved"]
        own_dates = [d for d in sentence_dates if not _dates_the_speech(sent.doc, d, speech_verb)]
        date = _nearest_date(own_dates or sentence_dates, span[0])
        # Each figure belongs to the nearest trigger: "shelling killed two ..., while a drone injured a woman".
        figures = tuple(
            q for q in quantities if s_start <= q.start < s_end and _owner(q, positions) == trigger.sub_event_type
        )
        actors = self._actors(sent, token, mentions, speaker_span, document_id)
        if claimant is None and trigger.sub_event_type == "Request to observers":
            requester = next((a for a in actors if a.role == "actor1"), None)
            if requester is not None:  # a request is a statement: its maker is the claimant
                claimant = Claimant(requester.name, requester.kind, token.text, requester.evidence)
                stance = "claimed"
        if claimant is not None and not any(a.role == "actor1" for a in actors):
            own = self._own_forces(
                token,
                claimant,
                document_id,
                reported_by_military=trigger.event_type in (TERR, BT)
                or trigger.sub_event_type in ("Disrupted weapons use", "Headquarters or base established"),
            )
            if own is not None:
                actors.insert(0, own)
        tags = set(trigger.tags)
        sentence_text = text[s_start:s_end]
        harmed = [q for q in figures if q.kind in HARM_KINDS]
        if harmed or trigger.event_type in (EB, BT, VAC):
            if AID_WORKERS.search(sentence_text) and (
                harmed or re.search(r"\bkill|wound|injur|dead\b", sentence_text, re.I)
            ):
                tags.add("aid_worker_harm")
            if CIVILIANS.search(sentence_text) and (
                harmed or re.search(r"\b(?:kill(?:ed|ing)|wound(?:ed|ing)|injur(?:ed|ing)|died)\b", sentence_text, re.I)
            ):
                tags.add("civilian_harm")
        if "civilian_harm" in tags and place is not None and place.country_code in ("UA", "RU"):
            civilians = self.actors.by_name(f"Civilians ({'Ukraine' if place.country_code == 'UA' else 'Russia'})")
            if civilians is not None and civilians.name not in [a.name for a in actors]:
                victims = CIVILIANS.search(sentence_text)
                if victims is not None:
                    v_start = s_start + victims.start()
                    actors.append(_named(civilians, "actor2", document_id, v_start, victims.group(0)))
        sub_event_type = trigger.sub_event_type
        actor1 = next((a for a in actors if a.role == "actor1"), None)
        if (
            sub_event_type == "Non-state actor overtakes territory"
            and actor1 is not None
            and actor1.kind
            in (
                "state_forces",
                "government",
            )
        ):
            sub_event_type = "Government regains territory"  # state forces taking a town back from armed groups
        if sub_event_type == "Non-violent transfer of territory":
            tags.add("territory_change")
        return Event(
            event_type=trigger.event_type,
            sub_event_type=sub_event_type,
            actors=tuple(actors),
            location=_location(place, document_id),
            date=EventDate(
                date.date_start, date.date_end, date.precision, Evidence(document_id, date.start, date.end, date.text)
            )
            if date
            else None,
            quantities=figures,
            fatalities=None
            if trigger.event_type in (SD, HUM, TERR)
            else _fatalities(figures, sentence_text, sent.doc, s_start, s_end),
            claimant=claimant,
            stance=stance,  # type: ignore[arg-type]
            tags=tuple(sorted(tags)),
            evidence=Evidence(document_id, s_start, s_end, sentence_text),
            trigger=Evidence(document_id, span[0], span[1], text[span[0] : span[1]]),
            confidence=_confidence(token, sent, sentence_text, place, date, figures, claimant),
            extractor=(STAGE_ID, ACTORS_ID),
        )

    def _actors(
        self,
        sent: Span,
        trigger: Token,
        mentions: list[ActorMention],
        speaker_span: tuple[int, int],
        document_id: str,
    ) -> list[EventActor]:
        """Actors named in the sentence outside the speaker: actor1 is the trigger's subject."""
        subject_tokens = {
            t.i for c in trigger.children if c.dep_ in ("nsubj", "agent", "amod", "compound", "poss") for t in c.subtree
        }
        subject_heads = {c.i for c in trigger.children if c.dep_ in ("nsubj", "agent")}
        if not subject_heads and trigger.pos_ != "VERB" and trigger.head.pos_ == "VERB":
            # "Ukrainian troops entered Kherson without a fight": the subject of the verb the trigger modifies
            for child in trigger.head.children:
                if child.dep_ in ("nsubj", "agent"):
                    subject_heads.add(child.i)
                    subject_tokens |= {t.i for t in child.subtree}
        accused = _accused(trigger)
        if accused is not None:  # "prosecutors charged two servicemen with raping": the accused acted
            subject_heads.add(accused.i)
            subject_tokens |= {t.i for t in accused.subtree}
        object_tokens = {
            t.i
            for c in trigger.children
            if c.dep_ in ("dobj", "nsubjpass") or (c.dep_ == "prep" and c.lower_ in ("on", "against"))
            for t in c.subtree
        }
        result: list[EventActor] = []
        seen: set[str] = set()
        for m in mentions:
            if not (sent.start_char <= m.start < sent.end_char) or speaker_span[0] <= m.start < speaker_span[1]:
                continue
            span = sent.doc.char_span(m.start, m.end, alignment_mode="expand")
            if span is None:
                continue
            is_subject = any(t.i in subject_tokens for t in span) or (
                span.root.dep_ == "conj" and span.root.head.i in subject_heads
            )
            is_object = not is_subject and any(t.i in object_tokens for t in span)
            root = span.root
            if (
                m.speaker_only
                and root.i not in subject_heads
                and not (root.dep_ == "conj" and root.head.i in subject_heads)
            ):
                continue  # "Moscow" as a place ("police in Moscow"), not the government
            if m.actor.name in seen:
                continue
            seen.add(m.actor.name)
            role: ActorRole = "actor1" if is_subject else ("actor2" if is_object else "associated")
            result.append(
                EventActor(
                    m.actor.name,
                    m.text,
                    role,
                    m.actor.kind,  # type: ignore[arg-type]
                    Evidence(document_id, m.start, m.end, m.text),
                )
            )
        if not any(a.role == "actor1" for a in result):
            subjects = []
            for index, actor in enumerate(result):
                span = sent.doc.char_span(actor.evidence.start, actor.evidence.end, alignment_mode="expand")
                if actor.role == "associated" and span is not None and span.root.dep_ == "nsubj":
                    subjects.append((abs(span.root.i - trigger.i), index))
            if subjects:  # the subject nearest the trigger acted
                index = min(subjects)[1]
                actor = result[index]
                result[index] = EventActor(actor.name, actor.text, "actor1", actor.kind, actor.evidence)
        if not any(a.role == "actor1" for a in result):
            nationality = self._nationality(trigger, document_id)
            if nationality is not None and nationality.name not in seen:
                result.insert(0, nationality)
                seen.add(nationality.name)
        # "repelled a Russian infantry assault": the other side, named by an adjective
        for child in trigger.children:
            if child.dep_ != "dobj":
                continue
            for token in child.subtree:
                if token.dep_ == "amod" and token.lower_ in NATIONALITY and token.head.lemma_.lower() in FORCE_NOUNS:
                    other = self.actors.by_name(NATIONALITY[token.lower_])
                    if other is not None and other.name not in seen:
                        seen.add(other.name)
                        result.append(_named(other, "actor2", document_id, token.idx, token.text))
        return result

    def _own_forces(
        self, trigger: Token, claimant: Claimant, document_id: str, *, reported_by_military: bool = False
    ) -> EventActor | None:
        """ "X's defence ministry said its forces captured ...": the claimant's own side acted."""
        subject = next((c for c in trigger.children if c.dep_ == "nsubj"), None)
        if subject is None and trigger.pos_ == "NOUN" and trigger.dep_ == "nsubj":
            subject = trigger  # "its drones had hit": the trigger noun is the subject
        interception = any(
            t.lower_ in ("shot", "downed", "intercepted", "destroyed") for t in [trigger, *trigger.children]
        )
        speaker_actor = self.actors.by_name(claimant.name)
        # A ministry, general staff or army reporting territory, battles or interceptions reports its own side's.
        military_report = (
            reported_by_military
            and speaker_actor is not None
            and speaker_actor.kind
            in (
                "state_forces",
                "government",
            )
            and "Ministry of Foreign" not in speaker_actor.name
        )
        if subject is None and not (interception or military_report):
            return None
        words = {t.lower_ for t in subject.subtree} if subject is not None else set()
        if not words & {"it", "its", "they", "their", "we", "our", "his", "her"} and not (
            interception or military_report
        ):
            return None
        speaker = self.actors.by_name(claimant.name)
        if speaker is None or speaker.country is None:
            return None
        forces = next(
            (a for a in self.actors.actors if a.country == speaker.country and a.name.startswith("Military Forces of")),
            None,
        )
        if forces is None:
            return None
        anchor = subject if subject is not None else trigger
        first, last = min(anchor.subtree, key=lambda t: t.i), max(anchor.subtree, key=lambda t: t.i)
        return _named(forces, "actor1", document_id, first.idx, trigger.doc[first.i : last.i + 1].text)

    def _nationality(self, trigger: Token, document_id: str) -> EventActor | None:
        """ "A Russian glide bomb hit ...": the adjective names the forces behind the weapon."""
        agents = [
            t
            for c in trigger.children
            if c.dep_ in ("agent", "prep") and c.lower_ == "by"
            for p in c.children
            if p.dep_ == "pobj"
            for t in p.children
        ]
        accused = _accused(trigger)
        candidates = [*trigger.children, trigger.head, *trigger.head.children, *agents]
        if accused is not None:
            candidates += [accused, *accused.children]
        for token in candidates:
            if _qualified(token):
                continue  # "pro-Russian separatists" are not Russia's forces
            if (
                token.dep_ in ("amod", "compound", "nsubj")
                and token.lower_ in NATIONALITY
                and (token.head.lemma_.lower() in FORCE_NOUNS or token.head.i == trigger.i)
            ):
                actor = self.actors.by_name(NATIONALITY[token.lower_])
                if actor is not None:
                    return _named(actor, "actor1", document_id, token.idx, token.text)
            for child in token.children if token is not trigger else ():
                if (
                    child.dep_ in ("amod", "compound")
                    and child.lower_ in NATIONALITY
                    and token.dep_ == "nsubj"
                    and token.lemma_.lower() in FORCE_NOUNS
                    and not _qualified(child)
                ):
                    actor = self.actors.by_name(NATIONALITY[child.lower_])
                    if actor is not None:
                        return _named(actor, "actor1", document_id, child.idx, child.text)
        return None


def _named(actor: Actor, role: ActorRole, document_id: str, start: int, quote: str) -> EventActor:
    """An actor of the table named by ``quote`` at ``start``."""
    evidence = Evidence(document_id, start, start + len(quote), quote)
    return EventActor(actor.name, quote, role, actor.kind, evidence)  # type: ignore[arg-type]


def _qualified(token: Token) -> bool:
    """ "pro-Russian", "anti-Kremlin": an adjective qualified away from the side it names."""
    return token.i > 0 and token.doc[token.i - 1].text in ("-", "pro", "anti")


def _qualified_at(text: str, start: int) -> bool:
    """ "anti-Kremlin": a name the words before it turn against its bearer."""
    return bool(re.search(r"\b(?:anti|pro)-?\s*$", text[max(0, start - 6) : start], re.I))


def _accused(trigger: Token) -> Token | None:
    """ "charged two servicemen with raping", "accused Russia of shelling": the object of the charge."""
    prep = trigger.head
    if trigger.dep_ not in ("pcomp", "pobj") or prep.dep_ != "prep" or prep.lower_ not in ("with", "of", "for"):
        return None
    verb = prep.head
    if verb.lemma_.lower() not in ACCUSING:
        return None
    return next((c for c in verb.children if c.dep_ == "dobj"), None)


def _trailing_speaker(sent: Span, verb: Token) -> Token | None:
    """ "..., Ukraine's border guard service said.": the noun phrase just before a subjectless speech verb."""
    if verb.i + 1 < sent.end and not sent.doc[verb.i + 1].is_punct:
        return None
    chunk = next((c for c in sent.noun_chunks if c.end == verb.i), None)
    if chunk is None or chunk.start == sent.start or sent.doc[chunk.start - 1].text != ",":
        return None
    return chunk.root


def _bounds(sent: Span, text: str) -> tuple[int, int]:
    """A sentence's characters without the white space spaCy leaves at its end."""
    start, end = sent.start_char, sent.end_char
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


def _triggers(sent: Span, text: str) -> list[tuple[Token, Trigger, int, int]]:
    sentence = text[sent.start_char : sent.end_char]
    found: list[tuple[Token, Trigger, int, int]] = []
    taken: list[tuple[int, int]] = []
    for trigger in TRIGGERS:
        for m in trigger.pattern.finditer(sentence):
            start, end = sent.start_char + m.start(), sent.start_char + m.end()
            if any(s < end and start < e for s, e in taken):
                continue
            if text[start - 1 : start] == "-" and HYPHEN_PREFIX.search(text[max(0, start - 8) : start - 1]):
                continue  # "hard-fought", "anti-aircraft": the end of another word
            span = sent.doc.char_span(start, end, alignment_mode="expand")
            if span is None:
                continue
            taken.append((start, end))
            found.append((span.root, trigger, start, end))
    found.sort(key=lambda item: TRIGGERS.index(item[1]))
    if any(t.sub_event_type == "Disrupted weapons use" for _, t, _, _ in found) and not DAMAGE.search(
        text[sent.start_char : sent.end_char]
    ):  # "air defences shot down 12 drones": the interception, not a strike
        found = [f for f in found if f[1].event_type != EB]
    sentence = text[sent.start_char : sent.end_char]
    previous_start = sent[0].sent.start_char
    if sent.start > 0:
        previous_start = sent.doc[sent.start - 1].sent.start_char  # the previous sentence names who visits
    context = text[previous_start : sent.end_char]
    found = [f for f in found if _reported_happening(f[0], f[1], sentence, context)]
    if any(t.sub_event_type == "Peaceful protest" for _, t, _, _ in found) and INTERVENTION.search(sentence):
        found = [
            (tok, PROTEST_INTERVENTION if t.sub_event_type == "Peaceful protest" else t, a, b)
            for tok, t, a, b in found
            if t.sub_event_type != "Arrests"
        ]
    if any(t.sub_event_type == "Air/drone strike" for _, t, _, _ in found):
        # "a drone struck": the verb is the drone's, not a second, artillery attack
        found = [
            f
            for f in found
            if not (
                f[1].sub_event_type == "Shelling/artillery/missile attack"
                and f[0].pos_ == "VERB"
                and f[0].lemma_.lower() in ("strike", "hit")
            )
        ]
    if HISTORICAL.search(sentence):
        return []  # "during the Second World War": background, not a report
    found = _resolve_conflicts(found, sentence)
    found = [
        (tok, DISPLACEMENT, a, b)
        if t.sub_event_type == "Cross-border incursion" and CROSSING_PEOPLE.search(text[sent.start_char : a])
        else (tok, t, a, b)
        for tok, t, a, b in found
    ]
    violent = any(t.event_type in (EB, BT) for _, t, _, _ in found)
    if violent:  # "killed when shelling hit": the killing is the shelling's outcome, not another event
        found = [f for f in found if f[1] is not TRIGGERS[-1]]
    return [f for f in found if not _generic_reference(f[0])]


def _resolve_conflicts(
    found: list[tuple[Token, Trigger, int, int]], sentence: str
) -> list[tuple[Token, Trigger, int, int]]:
    """One reading per sentence where triggers overlap in meaning."""
    present = {t.sub_event_type for _, t, _, _ in found}
    dropped: set[str] = set()
    for sub, supersedes in SUPERSEDES:
        if sub in present:
            dropped |= supersedes - {sub}
    result: list[tuple[Token, Trigger, int, int]] = []
    for token, trigger, start, end in found:
        if trigger.sub_event_type in dropped:
            continue
        if trigger.sub_event_type in BATTLE_TERRITORY and NON_STATE.search(sentence):
            trigger = BATTLE_TERRITORY[trigger.sub_event_type]  # government vs armed groups: ACLED's own types
        if trigger.event_type == "Protests" and trigger.sub_event_type == "Peaceful protest" and RIOT.search(sentence):
            trigger = RIOT_TRIGGER
        result.append((token, trigger, start, end))
    return result


def _reported_happening(token: Token, trigger: Trigger, sentence: str, context: str) -> bool:
    """Drop triggers that name a thing, not a happening: "missile batteries", "occupied territories"."""
    if token.pos_ in ("NOUN", "VERB") and token.dep_ in ("pobj", "pcomp"):
        prep = token.head
        if prep.lower_ in ("of", "on", "about", "in") and prep.head.lemma_.lower() in ABSTRACT_HEADS:
            return False  # "survivors of torture", "reporting on displacement", "warning of arrests"
        if prep.lower_ in ("at", "of") and prep.head.lemma_.lower() in PLAN:
            return False  # "an offensive aimed at seizing Kharkiv", "capable of liberating"
    if token.dep_ == "attr" and any(
        c.dep_ == "nsubj" and c.lemma_.lower() in ABSTRACT_HEADS for c in token.head.children
    ):
        return False  # "its main goal was the liberation of Donbas"
    if trigger.sub_event_type == "Displacement" and token.lower_ == "displaced" and token.pos_ in ("ADJ", "NOUN"):
        return False  # "the needs of the displaced": people, not a happening
    if trigger.sub_event_type == "Request to observers" and not OBSERVERS.search(sentence):
        return False  # "invited a governor to visit": not an observer
    if trigger.sub_event_type in ("Settlement captured", "Settlement retaken") and any(
        a.lemma_.lower() in ("try", "attempt", "fail") for a in list(token.ancestors)[:2]
    ):
        return False  # "attempting to capture": the town was not taken
        if prep.lower_ == "in" and token.lower_.startswith("protest"):
            return False  # "closed their offices in protest"
    if (
        trigger.event_type == EB
        and token.pos_ in ("NOUN", "PROPN")
        and any(a.lemma_.lower() in SUPPLY for a in list(token.ancestors)[:4])
    ):
        return False  # "supplying Ukraine with artillery", "a delivery of grenades"
    if any(c.lower_ == "on" and any(o.lemma_.lower() in ABSTRACT_TARGETS for o in c.children) for c in token.children):
        return False  # "an assault on Ukraine's sovereignty"
    if trigger.sub_event_type in WEAPON_SUBTYPES and token.pos_ in ("NOUN", "PROPN", "ADJ"):
        others = [m for m in ATTACK.finditer(sentence) if m.group(0).lower() != token.lower_]
        return bool(others) and token.dep_ != "amod"
    if trigger.sub_event_type in ("Settlement captured", "Settlement retaken"):
        return token.dep_ not in ("amod", "acl") and token.pos_ != "ADJ"  # "areas occupied by Russia" is a state
    if trigger.sub_event_type == "Observer or aid-agency visit":
        return bool(OBSERVERS.search(context))
    if (
        trigger.sub_event_type == "Peaceful protest"
        and token.lemma_.lower() == "rally"
        and any(c.dep_ == "dobj" for c in token.children)
    ):
        return False  # "rallied the troops", "rallied support"
    if trigger.sub_event_type == "Arrests":
        after = token.doc[token.i + 1].lower_ if token.i + 1 < len(token.doc) else ""
        return "house arrest" not in sentence.lower() and after not in ("warrant", "warrants")
    if trigger.sub_event_type == "Settlement captured" and any(
        c.dep_ == "dobj" and c.lemma_.lower() in CAPTIVES for c in token.children
    ):
        return False  # "captured 5,000 troops": prisoners, not a settlement
    return True


def _owner(figure: Quantity, positions: dict[str, int]) -> str | None:
    """The happening a figure belongs to: one of a fitting kind if any, else the nearest."""
    fitting = {sub: pos for sub, pos in positions.items() if sub in FIGURE_OWNERS.get(figure.kind, set())}
    pool = fitting or positions
    if not pool:
        return None
    return min(pool, key=lambda sub: abs(pool[sub] - figure.start))


def _dates_the_speech(doc: Doc, date: DateMention, speech_verb: Token | None) -> bool:
    """ "said on Friday that ...": the date of the statement, not of the happening."""
    if speech_verb is None:
        return False
    span = doc.char_span(date.start, date.end, alignment_mode="expand")
    if span is None:
        return False
    head = span.root.head
    return head.i == speech_verb.i or (head.dep_ == "prep" and head.head.i == speech_verb.i)


def _generic_reference(token: Token) -> bool:
    """ "affected by the fighting", "The visit came days after": a happening referred to, not reported."""
    if token.pos_ != "NOUN":
        return False
    definite = any(c.dep_ == "det" and c.lower_ in ("the", "this", "that") for c in token.children)
    if token.dep_ == "pobj":
        return definite
    return definite and token.dep_ == "nsubj" and token.lemma_.lower() in ("visit", "trip", "fighting")


def _claimant_country(table: ActorTable, event: Event) -> str | None:
    return _country_of(table, event.claimant.name) if event.claimant is not None else None


def _country_of(table: ActorTable, name: str) -> str | None:
    actor = table.by_name(name)
    return actor.country if actor is not None else None


def _claim_kind(verb: Token, sentence: str) -> ClaimKind:
    lemma = verb.lemma_.lower()
    if lemma in ("accuse", "denounce", "condemn", "blame"):
        return "accusation"
    if lemma in ("deny", "reject", "refute", "dismiss"):
        return "denial"
    if IHL.search(sentence) and re.search(
        r"\b(?:within|comply|complies|complied|respect|abide|in line with|in accordance with|acting)\b", sentence, re.I
    ):
        return "ihl_compliance"
    return "statement"


def _cumulative(token: Token, trigger: Trigger, sentence: str) -> bool:
    """ "11,000 civilians have been killed since February 2022": a running total, not a happening."""
    return trigger is TRIGGERS[-1] and bool(CUMULATIVE.search(sentence))


def _reported_as_false(token: Token, sentence: str) -> bool:
    """ "reports that the city was being evacuated were false": a rumour denied, not a happening."""
    if not FALSE.search(sentence):
        return False
    return any(a.lemma_.lower() in ("report", "rumour", "rumor", "claim", "allegation") for a in token.ancestors)


def _negated(token: Token) -> bool:
    if any(c.dep_ == "det" and c.lower_ == "no" for c in token.children):
        return True  # "No shelling was reported"
    if any(c.dep_ == "neg" for c in token.children):
        return True
    head = token.head
    # "did not carry out strikes": a noun trigger under a negated verb
    return (
        token.pos_ == "NOUN"
        and head is not token
        and token.dep_ in ("dobj", "nsubjpass")
        and any(c.dep_ == "neg" for c in head.children)
    )


def _irrealis(token: Token) -> bool:
    """Planned, threatened, possible or conditional: not (yet) a happening."""
    node = token
    for _ in range(3):
        if any(c.dep_ == "aux" and c.lower_ in MODAL for c in node.children):
            return True
        if any(c.dep_ == "mark" and c.lower_ in ("if", "unless") for c in node.children):
            return True
        if node.dep_ in ("xcomp", "dobj") and node.head.lemma_.lower() in PLAN:
            return True  # "plans to storm", "threatened an incursion"
        if node.dep_ == "xcomp" and any(c.dep_ == "acomp" and c.lemma_.lower() in PLAN for c in node.head.children):
            return True  # "it is necessary to liberate Crimea"
        if node.dep_ == "xcomp" and node.head.lemma_.lower() == "be" and node.head.pos_ == "AUX":
            return True  # "a convoy which was to evacuate civilians"
        if (
            node.pos_ == "VERB"
            and node.dep_ == "acl"
            and node.head.pos_ == "NOUN"
            and any(c.dep_ == "aux" and c.tag_ == "TO" for c in node.children)
        ):
            return True  # "a reward to the first soldier to capture one"
        if node.head is node:
            break
        node = node.head
    return False


def _acting(doc: Doc, place: PlaceMention) -> bool:
    """A place name used as an actor ("Ukraine has invited", "held by Ukraine") or the speaker's city."""
    span = doc.char_span(place.start, place.end, alignment_mode="expand")
    if span is None:
        return False
    root = span.root
    node = root
    for _ in range(4):  # "Speaking to reporters in Kyiv, the minister said ..."
        if node.head is node:
            break
        node = node.head
        if node.lemma_.lower() in ("speak", "talk", "address", "brief") and node.pos_ == "VERB":
            return True
    if root.dep_ in ("nsubj", "nsubjpass"):
        return place.precision == "country"  # "Ukraine has invited" acts; "Kyiv came under attack" is where
    return root.dep_ == "pobj" and root.head.lower_ == "by" and place.precision == "country"


def _confidence(
    trigger: Token,
    sent: Span,
    sentence_text: str,
    place: PlaceMention | None,
    date: DateMention | None,
    figures: Sequence[Quantity],
    claimant: Claimant | None,
) -> float:
    """How much the sentence anchors the happening, 0.3 to 1.0 (docs/taxonomy.md, "Confidence").

    A report of a happening usually says where (below country level), when
    (to the month or closer), how many, or who says so with a verb in the past;
    commentary and background ("both sides are fighting to win") do not.
    """
    score = 0.3
    if place is not None and place.precision not in ("country", None):
        score += 0.3 if place.precision != "region" else 0.2
    if date is not None and date.precision in ("day", "days", "week", "month"):
        score += 0.2
    if any(q.kind in HARM_KINDS or q.kind == "settlements" for q in figures) or CASUALTY.search(sentence_text):
        score += 0.2  # a figure, or people killed or wounded ("shelling kills militiaman")
    if claimant is not None:
        score += 0.1
    if trigger.tag_ in ("VBD", "VBN") or (trigger.tag_ == "VBZ" and _headline(sent)):
        score += 0.1  # "shelling killed", "shelling kills LPR militiaman" in a headline
    return round(min(score, 1.0), 2)


def _headline(sent: Span) -> bool:
    """A headline-like sentence (short), where the present tense tells the past: "Shelling kills two"."""
    return len(sent) <= HEADLINE_TOKENS


def _nearest_place(items: Sequence[PlaceMention], position: int) -> PlaceMention | None:
    return min(items, key=lambda item: abs(item.start - position), default=None)


def _nearest_date(items: Sequence[DateMention], position: int) -> DateMention | None:
    return min(items, key=lambda item: abs(item.start - position), default=None)


def _location(place: PlaceMention | None, document_id: str) -> EventLocation | None:
    if place is None:
        return None
    return EventLocation(
        name=place.name,
        geonames_id=place.geonames_id,
        country_code=place.country_code,
        admin1=place.admin1,
        admin2=None,
        lat=place.lat,
        lon=place.lon,
        precision=place.precision,
        status=place.status,
        evidence=Evidence(document_id, place.start, place.end, place.text),
    )


def _fatalities(figures: Sequence[Quantity], sentence: str, doc: Doc, start: int, end: int) -> int | None:
    """ACLED-style conservative count of the killed in one happening.

    The lower bounds of the killed figures: summed when they count different
    groups ("four civilians and two soldiers"), the largest when one includes
    another ("five people, including two children"); one for a single victim
    named without a number ("killing the driver"); 0 for "no one was killed".
    """
    counts = [
        q.low if q.low is not None else (q.value if q.qualifier == "about" else None)
        for q in figures
        if q.kind == "killed"
    ]
    known = [int(c) for c in counts if c is not None]
    if known:
        extra = _conjoined_victims(doc, [q for q in figures if q.kind == "killed"])
        if len(known) > 1 and not INCLUDING.search(sentence):
            return sum(known) + extra
        return max(known) + extra
    if NO_ONE.search(sentence):
        return 0
    if SINGLE_VICTIM.search(sentence) or _single_victim(doc, start, end):
        return 1
    return None


def _conjoined_victims(doc: Doc, killed: Sequence[Quantity]) -> int:
    """ "Two children and their mother were killed": one more for each person added by "and"."""
    extra = 0
    for figure in killed:
        span = doc.char_span(figure.start, figure.end, alignment_mode="expand")
        if span is None:
            continue
        noun = span.root.head if span.root.dep_ == "nummod" else span.root
        for conj in noun.children:
            if conj.dep_ == "conj" and conj.tag_ == "NN" and conj.lemma_.lower() in PERSON_SINGULAR:
                if not any(c.like_num for c in conj.children):
                    extra += 1
    return extra


def _single_victim(doc: Doc, start: int, end: int) -> bool:
    """A killing verb whose victim is one person named without a number."""
    span = doc.char_span(start, end, alignment_mode="expand")
    if span is None:
        return False
    for token in span:
        if token.lemma_.lower() not in ("kill", "die", "shoot") or token.pos_ != "VERB":
            continue
        if token.lemma_.lower() == "shoot" and not any(c.lower_ == "dead" for c in token.children):
            continue
        victims = [c for c in token.children if c.dep_ in ("dobj", "nsubjpass", "nsubj")]
        for victim in victims:
            if victim.tag_ == "NN" and victim.pos_ == "NOUN" and not any(c.like_num for c in victim.children):
                if token.lemma_.lower() != "die" or victim.dep_ == "nsubj":
                    return True
    return False
