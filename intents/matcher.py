"""Matcher(fact_base).resolve(text): answer, ask "did you mean", say what is missing, or decline.

Fuzzy similarity alone fails on a fact base like this one: WRatio or
token_set_ratio give near-100 scores to unrelated short texts that share one
word ("who is rama" vs "rama risk"). So matching has two steps:

- retrieval: facts sharing terms with the question are ranked by coverage (the
  share of the question's BM25-weighted terms the fact knows), the best overlap
  with one of its phrasings, rapidfuzz token_sort_ratio, and a fit factor (key
  terms, question word, names);
- decision: for the best few, a logistic model (intents/calibration.py) turns
  those measures, plus words the fact base never uses, typo corrections, the
  kind of answer asked for and the lead over the runner-up, into the
  probability that the fact is the answer. The score is that probability, 0-100.

When the best fact is about what is asked but gives a different kind of answer
than the one asked for ("the diplomats' names"), the outcome is PARTIAL: the
article does not say that, here is what it says.
"""

import heapq
import math
from collections.abc import Callable
from dataclasses import dataclass, replace
from enum import StrEnum

from rapidfuzz import fuzz, process

from intents.answer_kinds import HONEST, asked_kinds, asks_beyond, counted
from intents.calibration import Calibration
from intents.entities import EntityResolver
from intents.facts import FactBase
from intents.followup import (
    Context,
    asks_for_more,
    leans_on_context,
    pronoun_kinds,
    refers_back,
    replaces_subject,
)
from intents.index import FactIndex
from intents.languages import ENGLISH, Language
from intents.names import name_forms
from intents.normalize import INTERROGATIVES, QUESTION_WORDS, Analyzer, normalize
from intents.places import place_names, place_terms
from intents.spelling import Speller

COVERAGE_WEIGHT = 0.55
PHRASING_WEIGHT = 0.2
FUZZY_WEIGHT = 0.25
# Retrieval only: the fitted model decides. A fact none of whose key terms is asked,
# whose phrasings never ask this question word, or that lacks a name asked about is
# less likely the one meant.
MISSING_KEY_FACTOR = 0.8
QUESTION_WORD_MISMATCH_FACTOR = 0.8
TYPICAL_QUESTION_WORD_FACTOR = 0.9
MISSING_NAME_FACTOR = 0.9
UNKNOWN_TERM_WEIGHT = 1.5  # a word the fact base never uses: likely what the article lacks
CONTEXT_TERM_WEIGHT = 0.6  # terms carried from the question before weigh less than new ones
FOCUSED_REST = 0.25  # and less again when a pronoun ("he") has found its entity among them
FUZZY_CANDIDATES = 8  # facts rescored with rapidfuzz and the model
TRAINED_CANDIDATES = 3  # the model is fitted on the best few by retrieval: the likely answers
SURE = 90.0  # an answer this likely offers no runner-up
FULLY_COVERED = 0.99  # a question whose every word the fact knows is worth a "did you mean"
MAX_QUERY_CHARS = 600  # a longer message is matched on its start
SMALLTALK_CUTOFF = 88.0
YES_NO_OPENERS = frozenset(
    "is are was were do does did can could will would has have should".split()
)


@dataclass(frozen=True, slots=True)
class Match:
    fact_id: str
    score: float  # 0-100: the probability, in percent, that this fact is the answer


@dataclass(frozen=True, slots=True)
class Thresholds:
    """When to answer, when to ask "did you mean", and when to decline (probabilities, %)."""

    answer: float = 60.0  # top score at or above: answer, if clear of the runner-up
    suggest: float = 20.0  # top score at or above (but not answered): did you mean
    margin: float = 0.0  # the top must lead the runner-up by this much to answer

    def __post_init__(self) -> None:
        if not 0 <= self.suggest <= self.answer <= 100:
            raise ValueError("thresholds need 0 <= suggest <= answer <= 100")
        if not 0 <= self.margin <= 100:
            raise ValueError("margin must be between 0 and 100")


class Outcome(StrEnum):
    ANSWER = "answer"
    PARTIAL = "partial"  # the article covers the subject, not what is asked about it
    CLARIFY = "clarify"
    DECLINE = "decline"
    MORE = "more"  # "tell me more": the next related fact of the conversation


@dataclass(frozen=True, slots=True)
class Resolution:
    """What to do with a question: the outcome and the facts it concerns."""

    outcome: Outcome
    matches: tuple[Match, ...]  # ANSWER: the fact, then close runners-up; else suggestions
    unknown_terms: tuple[str, ...] = ()  # content words the article never uses
    asked: frozenset[str] = frozenset()  # the kinds of answer asked for (answer_kinds)
    terms: tuple[str, ...] = ()  # the terms it was read with: the next turn's context
    names: tuple[str, ...] = ()  # the names among them
    followed: bool = False  # read as a follow-up: a decline of it keeps the conversation

    @property
    def top(self) -> Match | None:
        return self.matches[0] if self.matches else None


@dataclass(frozen=True, slots=True)
class _Query:
    """A message as the matcher sees it."""

    weights: dict[str, float]  # content terms (typos corrected) and their weights
    asked: frozenset[str]  # question words opening or closing it
    kinds: frozenset[str]  # the kinds of answer it asks for
    interrogative: bool  # phrased as a question at all (what, is, did...)
    unknown: tuple[str, ...]  # content words the fact base never uses
    corrected: int  # words read as typos of known words
    words: tuple[str, ...]  # normalised words, shorthand spelt out
    counts: str | None  # what "how many ..." counts ("diplomat"), if it asks
    unknown_names: int  # unknown words that are names: capitalised, places, acronyms ("eu")
    context: bool = False  # read with the conversation's earlier terms
    recent: str | None = None  # the fact the conversation was last answered


@dataclass(frozen=True, slots=True)
class _Candidate:
    index: int
    raw: float  # retrieval score, 0-1
    features: dict[str, float]
    probability: float = 0.0


class Matcher:
    """Ranks the facts of a FactBase for a message; built once, used for every message."""

    def __init__(
        self,
        base: FactBase,
        thresholds: Thresholds | None = None,
        calibration: Calibration | None = None,
        language: Language = ENGLISH,
    ) -> None:
        """`base` in the fact base's own language, read in `language` (its translations)."""
        self.thresholds = thresholds or Thresholds()
        self.calibration = calibration or Calibration.for_language(language.code)
        self.language = language
        names = name_forms(base, language)
        self.base = base = base.in_language(language.code)  # what it matches against
        own = language is ENGLISH  # the fact base's own language needs no mapping of names
        self._analyzer = Analyzer(base.synonyms, None if own else language, names)
        self._index = FactIndex(base, self._analyzer)
        self.vocabulary = _surface_words(base, self._analyzer.expand)
        self._speller = Speller(self.vocabulary)
        self._entities = EntityResolver(
            {t: (e.kind, e.described) for t, e in base.entities.items()}, self._analyzer.word_terms
        )
        self._gives = [frozenset(f.gives) for f in base.facts]
        self._kinds = {term: e.kind for term, e in base.entities.items()}
        self._facts = {f.id: f for f in base.facts}
        self._smalltalk = {normalize(p): s.id for s in base.smalltalk for p in s.phrasings}
        self._smalltalk_phrasings = list(self._smalltalk)

    def smalltalk(self, text: str, *, fuzzy: bool = True) -> str | None:
        """The small-talk id the text is, if any: "thanks" is; "thanks, who is Rama?" is not.

        `fuzzy`: a slip ("thnaks") still counts; without, only a phrasing as listed."""
        key = normalize(text[:MAX_QUERY_CHARS])
        if not key:
            return None
        key = " ".join(self._analyzer.expand(key.split())) or key
        if key in self._smalltalk or not fuzzy:
            return self._smalltalk.get(key)
        best = process.extractOne(
            key,
            self._smalltalk_phrasings,
            scorer=fuzz.ratio,
            processor=None,
            score_cutoff=SMALLTALK_CUTOFF,
        )
        return self._smalltalk[best[0]] if best else None

    def terms(self, text: str) -> list[str]:
        """The content terms of `text`, read as this matcher reads a question."""
        return self._analyzer.terms(text)

    def terms_of(self, fact_id: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
        """The terms and names of a fact's question: the context a fact picked by button or
        "tell me more" leaves, as if its question had been asked."""
        fact = self._facts.get(fact_id)
        if fact is None:
            return (), ()
        terms = list(self._query(fact.label).weights)
        # and who it names: "he" may be Saffari
        terms += [t for t in self._analyzer.terms(fact.answer) if t in self._index.names]
        unique = tuple(dict.fromkeys(terms))
        return unique, tuple(t for t in unique if t in self._index.names)

    def match(self, text: str, limit: int = 5) -> list[Match]:
        """The facts best matching `text`, best first; empty when nothing relates."""
        return [self._match(c) for c in self._candidates(self._query(text))[:limit]]

    def features(self, text: str, context: Context | None = None) -> list[tuple[str, dict]]:
        """(fact id, features) of the candidates for `text`, read as `resolve` reads it: for
        fitting."""
        query = self._query(text)
        query = self._follow_up(query, self._decide(query), context) or query
        ranked = sorted(self._candidates(query), key=lambda c: c.raw, reverse=True)
        return [(self._index.fact_ids[c.index], c.features) for c in ranked[:TRAINED_CANDIDATES]]

    def resolve(self, text: str, context: Context | None = None) -> Resolution:
        """Match and decide; `context`: the conversation so far, for follow-ups."""
        query = self._query(text)
        if asks_for_more(query.words):  # with nothing said yet, the core asks what about
            kept = context or Context((), (), ())
            return Resolution(Outcome.MORE, (), terms=kept.terms, names=kept.names)
        alone = self._decide(query)
        reading = self._follow_up(query, alone, context)
        if reading is None:
            return alone
        if alone.outcome is Outcome.PARTIAL and not (
            refers_back(query.words) or replaces_subject(query.words)
        ):  # understood on its own, lacking only a detail: not a question about the last topic
            return alone
        read = replace(self._decide(reading), followed=True)
        # a pronoun leaves the message incomplete on its own: a sure reading with it wins
        if read.outcome is Outcome.ANSWER and (
            alone.outcome is not Outcome.ANSWER
            or read.top.score > alone.top.score
            or refers_back(query.words)
        ):
            return read
        # neither reading is sure: offer what follows the conversation, if it has anything
        if (alone.outcome is Outcome.DECLINE and read.matches) or (
            alone.outcome is Outcome.CLARIFY and read.outcome in (Outcome.PARTIAL, Outcome.CLARIFY)
        ):
            return read
        return alone

    def _follow_up(
        self, query: _Query, alone: Resolution, context: Context | None
    ) -> _Query | None:
        """The message read with the conversation, when it leans on it; None when it stands
        alone or is a sure answer on its own without a pronoun ("when did albania join nato")."""
        if not (context and context.terms and leans_on_context(query.words, list(query.weights))):
            return None
        sure = alone.outcome is Outcome.ANSWER and alone.top and alone.top.score >= SURE
        if sure and not (replaces_subject(query.words) or refers_back(query.words)):
            return None  # clear on its own: the conversation must not make it another answer
        return self._with_context(query, context)

    def _decide(self, query: _Query) -> Resolution:
        ranked = self._candidates(query)
        th = self.thresholds
        terms = tuple(query.weights)
        names = tuple(t for t in terms if t in self._index.names)
        about = {"asked": query.kinds, "terms": terms, "names": names}
        matches = tuple(self._match(c) for c in ranked[:3])
        top = ranked[0] if ranked else None
        if query.unknown_names:  # it asks about someone or something the article never names
            return Resolution(Outcome.DECLINE, matches, query.unknown, **about)
        if top and top.features["kind_mismatch"]:  # never answer with the wrong kind of answer
            if self._partial(query, top):
                return Resolution(Outcome.PARTIAL, matches[:1], query.unknown, **about)
            return Resolution(Outcome.DECLINE, matches, query.unknown, **about)
        if top and top.probability * 100 >= th.answer:
            runner = ranked[1].probability * 100 if len(ranked) > 1 else 0.0
            if top.probability * 100 - runner >= th.margin:
                # an answer short of certain offers the runners-up worth a look
                close = tuple(
                    m for m in matches[1:] if m.score >= th.suggest and matches[0].score < SURE
                )
                return Resolution(Outcome.ANSWER, (matches[0], *close), query.unknown, **about)
        if (
            top
            and not query.unknown
            and (top.probability * 100 >= th.suggest or top.features["coverage"] >= FULLY_COVERED)
        ):  # "albania" alone: every word known, several facts fit: ask which
            close = tuple(
                m
                for m, c in zip(matches, ranked, strict=False)
                if m.score >= th.suggest / 2 or c.features["coverage"] >= FULLY_COVERED
            )
            return Resolution(Outcome.CLARIFY, close or matches[:1], query.unknown, **about)
        floor = th.suggest / 4
        kept = tuple(m for m in matches if m.score >= floor)
        return Resolution(Outcome.DECLINE, kept, query.unknown, **about)

    def _partial(self, query: _Query, top: _Candidate) -> bool:
        """The top fact would answer, were it not for the kind of answer asked for."""
        if query.kinds & HONEST:  # "is the MEK good?": an honest line, with what it says
            return True
        fixed = {**top.features, "kind_mismatch": 0.0}
        return self.calibration.probability(fixed) * 100 >= self.thresholds.suggest

    def _match(self, candidate: _Candidate) -> Match:
        return Match(self._index.fact_ids[candidate.index], round(100 * candidate.probability, 1))

    def _query(self, text: str) -> _Query:
        """The message's weighted content terms (typos corrected) and what kind of question."""
        idf = self._index.idf
        words = self._analyzer.expand(normalize(text[:MAX_QUERY_CHARS]).split())
        spelt = [self._spelt(word) for word in words]
        fixed = [w for word, meant in zip(words, spelt, strict=True) for w in meant or (word,)]
        corrected = sum(meant is not None for meant in spelt)  # a split compound counts once
        terms = self._analyzer.terms_of_expanded(" ".join(fixed))
        described, explained = self._entities.resolve(terms)
        weights: dict[str, float] = {}
        unknown: list[str] = []
        for term in terms:
            if term in idf:
                weights[term] = idf[term]
            elif len(term) > 1 and term not in explained:
                weights[term] = UNKNOWN_TERM_WEIGHT
                unknown.append(term)
        for term in described:
            weights.setdefault(term, idf.get(term, 1.0))
        # "when" opening or closing a question asks for a time; mid-sentence it is a conjunction
        asked = frozenset(t for t in terms[:1] + terms[-1:] if t in QUESTION_WORDS)
        interrogative = bool(words) and (
            words[0] in YES_NO_OPENERS or not INTERROGATIVES.isdisjoint(words)
        )
        counts = self._analyzer.terms_of_words(counted(fixed))
        unknown = list(dict.fromkeys(unknown))
        return _Query(
            weights,
            asked,
            asked_kinds(words),
            interrogative,
            tuple(unknown),
            corrected,
            tuple(words),
            counts[0] if counts else None,
            self._count_names(text, fixed, unknown),
        )

    def _spelt(self, word: str) -> tuple[str, ...] | None:
        """The known word(s) a typed one was meant as; None when it is written as meant.

        A word the fact base never writes may still stem to a known term by chance
        ("dures" and "during"): a close known word is the likelier meaning. In German,
        a long unknown word may join two known ones ("natobeitritt").
        """
        if word in self._speller.words or word in place_names():  # "paris" is no typo
            return None
        if self.language.compounds:
            parts = self._speller.split(word)
            if parts:
                return parts
        corrected = self._speller.correct(word)
        return (corrected,) if corrected else None

    def _count_names(self, text: str, fixed: list[str], unknown: list[str]) -> int:
        """How many unknown terms name something: capitalised, a place, an acronym ("eu")."""
        named = [w for w in fixed if w in place_names()]
        if not self.language.capitalises_nouns:  # in German every noun is capitalised
            named += [w for w in text[:MAX_QUERY_CHARS].split()[1:] if w[:1].isupper()]
        capitalised = {t for w in named for t in self._analyzer.terms(w)}
        places = place_terms()  # "Frankreich" is read as "franc"
        return sum(t in capitalised or t in places or _acronym(t) for t in unknown)

    def _with_context(self, query: _Query, context: Context) -> _Query:
        """The query read with the conversation's terms: "and Saffari?" swaps the names.

        A message with its own question word ("what did he say?") asks that, not what
        the question before asked; names carried ("he" is Barbero) weigh in full.
        """
        idf, names = self._index.idf, self._index.names
        carried = list(context.terms)
        new_names = [t for t in query.weights if t in names]
        if new_names and replaces_subject(query.words):
            carried = [t for t in carried if t not in context.names]
        if not INTERROGATIVES.isdisjoint(query.words):
            carried = [t for t in carried if t not in QUESTION_WORDS]
        # "he" is the person of the question before, not its places and groups
        kinds = pronoun_kinds(query.words)
        focus = {t for t in context.names if self._kinds.get(t) in kinds}
        full = focus or set(context.names)
        rest = CONTEXT_TERM_WEIGHT * (FOCUSED_REST if focus else 1.0)
        weights = dict(query.weights)
        for term in carried:
            if term in idf and term not in weights:
                weights[term] = idf[term] * (1.0 if term in full else rest)
        asked = query.asked or frozenset(t for t in carried if t in QUESTION_WORDS)
        recent = context.facts[0] if context.facts and context.terms else None
        return replace(query, weights=weights, asked=asked, context=True, recent=recent)

    def _candidates(self, query: _Query) -> list[_Candidate]:
        """The facts sharing a term with the query, scored by the model, best first."""
        index, weights = self._index, query.weights
        total = sum(weights.values())
        if total <= 0 or weights.keys() <= INTERROGATIVES:  # "where?" alone asks nothing yet
            return []
        covered = index.coverage(weights)
        phrasing, lexical = self._lexical(covered, weights, total)
        shortlist = sorted(lexical, key=lexical.__getitem__, reverse=True)[:FUZZY_CANDIDATES]
        query_text = " ".join(sorted(weights))
        named = weights.keys() & index.names
        question_features = {  # what the question alone says: the same for every candidate
            "unknown_share": sum(weights[t] for t in query.unknown) / total,
            "unknown_count": float(len(query.unknown)),
            "unknown_names": float(query.unknown_names),
            "corrected": float(query.corrected),
        }
        beyond, followed = float(asks_beyond(query.words)), float(query.context)
        related = self._facts[query.recent].related if query.recent in self._facts else ()
        scored = []
        for i in shortlist:
            # both sides are terms sorted and joined already: token_sort_ratio, sorted once
            best = process.extractOne(
                query_text, index.phrasing_texts[i], scorer=fuzz.ratio, processor=None
            )
            fuzzy = best[1] / 100 if best else 0.0
            factor, mismatch = self._fit(i, query, named)
            raw = (lexical[i] + FUZZY_WEIGHT * fuzzy) * factor
            gives = self._gives[i]
            said = index.said[i]
            # a translated answer paraphrases: what its phrasings count, it counts too
            counted_in = said if self.language is ENGLISH else index.vocab[i]
            if query.counts and query.counts not in counted_in:  # counts something else
                gives = gives - {"number"}
            features = {
                "retrieval": math.log(max(raw, 0.01)),
                "coverage": covered[i] / total,
                "said": sum([w for t, w in weights.items() if t in said]) / total,
                "phrasing": phrasing[i],
                "fuzzy": fuzzy,
                **mismatch,
                **question_features,
                "kind_mismatch": float(_wrong_kind(query.kinds, gives)),
                "kind_match": float(bool(query.kinds & gives)),
                "beyond": beyond,
                "lead": 0.0,
                "context": followed,
                "same_fact": float(query.recent == index.fact_ids[i]),
                "related_fact": float(index.fact_ids[i] in related),
                "short": 1 / len(weights),
            }
            scored.append(_Candidate(i, raw, features))
        scored.sort(key=lambda c: c.raw, reverse=True)
        for n, candidate in enumerate(scored):  # the best other is the first, or the second
            rival = scored[1 if n == 0 else 0].raw if len(scored) > 1 else 0.0
            candidate.features["lead"] = candidate.raw - rival
        probability = self.calibration.probability
        scored = [_Candidate(c.index, c.raw, c.features, probability(c.features)) for c in scored]
        scored.sort(key=lambda c: c.probability, reverse=True)
        return scored

    def _lexical(
        self, covered: dict[int, float], weights: dict[str, float], total: float
    ) -> tuple[dict[int, float], dict[int, float]]:
        """Per covering fact, its best phrasing overlap and its lexical score.

        Every covering fact's phrasings count: facts tied on coverage ("article" is in many
        answers) are told apart by how they are asked, not by their order in the file. Facts
        are weighed by coverage, best first, and the rest skipped once even a perfect
        phrasing could not lift one into the shortlist: the same shortlist, less work.
        """
        phrasing: dict[int, float] = {}
        scores: dict[int, float] = {}
        best: list[float] = []  # the shortlist's scores so far (a min-heap)
        for i in sorted(covered, key=covered.__getitem__, reverse=True):
            share = COVERAGE_WEIGHT * covered[i] / total
            # no phrasing shares more than the fact covers: its Dice is at most 2c / (q + c)
            # (a hair more, for sums taken in another order)
            ceiling = 2 * covered[i] / (total + covered[i]) * (1 + 1e-9)
            if len(best) == FUZZY_CANDIDATES and share + PHRASING_WEIGHT * ceiling < best[0]:
                break
            phrasing[i] = self._index.best_phrasing(i, weights, total)
            scores[i] = share + PHRASING_WEIGHT * phrasing[i]
            if len(best) < FUZZY_CANDIDATES:
                heapq.heappush(best, scores[i])
            else:
                heapq.heappushpop(best, scores[i])
        return phrasing, {i: scores[i] for i in covered if i in scores}  # in the file's order

    def _fit(self, i: int, query: _Query, named: set[str]) -> tuple[float, dict[str, float]]:
        """The retrieval factor for fact i (1 when it suits the question) and its mismatches;
        `named`: the query's terms that are names."""
        index, terms = self._index, query.weights.keys()
        typical = index.typical_question_word[i]
        if not query.asked and len(named) == len(terms):  # a bare name ("barbero"): who is it
            typical_ok = typical == "who"
        else:
            typical_ok = not (typical and query.interrogative and typical not in terms)
        mismatch = {
            "key_missing": float(bool(index.keys[i]) and index.keys[i].isdisjoint(terms)),
            "question_word_mismatch": float(
                bool(query.asked) and not query.asked <= index.question_words[i]
            ),
            "missing_names": float(len(named - index.vocab[i])),
            "typical_mismatch": float(not typical_ok),
        }
        factor = (
            (MISSING_KEY_FACTOR if mismatch["key_missing"] else 1.0)
            * (QUESTION_WORD_MISMATCH_FACTOR if mismatch["question_word_mismatch"] else 1.0)
            * (TYPICAL_QUESTION_WORD_FACTOR if mismatch["typical_mismatch"] else 1.0)
            * MISSING_NAME_FACTOR ** mismatch["missing_names"]
        )
        return factor, mismatch


def _wrong_kind(asked: frozenset[str], gives: frozenset[str]) -> bool:
    """The fact gives none of the kinds asked, or not the opinion or future asked of it:
    "who will replace stoltenberg" asks who, but of the future."""
    return bool(asked) and (gives.isdisjoint(asked) or not asked & HONEST <= gives)


def _acronym(term: str) -> bool:
    """ "eu", "un", "gdp": too short, or too vowel-less, to be an ordinary English word."""
    return term.isalpha() and (len(term) == 2 or (len(term) == 3 and not set(term) & set("aeiouy")))


def _surface_words(base: FactBase, spell: Callable[[list[str]], list[str]]) -> frozenset[str]:
    """Every word the fact base writes, synonyms and descriptions included: what typos mean;
    spelt as the language spells typed words (`spell`: "ueber" is "uber")."""
    texts = [f.answer for f in base.facts]
    texts += [q for f in base.facts for q in f.questions] + [k for f in base.facts for k in f.keys]
    texts += [w for pair in base.synonyms.items() for w in pair]
    texts += [d for e in base.entities.values() for d in e.described] + list(base.entities)
    return frozenset(w for text in texts for w in spell(normalize(text).split()) if w.isalpha())
