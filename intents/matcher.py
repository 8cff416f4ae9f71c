"""Matcher(fact_base).resolve(text): answer, ask "did you mean", or decline.

Fuzzy similarity alone fails on a fact base like this one: WRatio or
token_set_ratio give near-100 scores to unrelated short texts that share one
word ("who is rama" vs "rama risk"). So a fact's score (0-100) combines:

- coverage: the share of the question's content words, weighted by BM25 IDF,
  that the fact knows at all (its questions, answer and key terms);
- phrasing: the best weighted overlap (Dice) with one of the fact's phrasings;
- fuzzy: rapidfuzz token_sort_ratio against those phrasings' content words;
- fit: lower when none of the fact's key terms is asked for, when the question
  asks "where" and the fact answers "when", or when it names someone the fact
  never mentions.

A word the fact base never uses ("Russia") weighs in the question, so every
fact covers less of it, and it makes any answer less certain. Everything about
the fact base is computed once (FactIndex); a message is analysed once.
"""

from dataclasses import dataclass
from enum import StrEnum

from rapidfuzz import fuzz, process

from intents.facts import FactBase
from intents.index import FactIndex
from intents.normalize import INTERROGATIVES, QUESTION_WORDS, Analyzer, normalize
from intents.spelling import Speller

COVERAGE_WEIGHT = 0.55
PHRASING_WEIGHT = 0.2
FUZZY_WEIGHT = 0.25
MISSING_KEY_FACTOR = 0.8
# "Where was Soleimani killed?" is not "When was Soleimani killed?": a fact none
# of whose phrasings asks this kind of question is a weaker answer to it; and a
# fact most of whose phrasings ask "who" is a weaker answer to a "what" question.
QUESTION_WORD_MISMATCH_FACTOR = 0.8
TYPICAL_QUESTION_WORD_FACTOR = 0.9
# Names (MEK, Rama, NATO) are in many facts, so IDF weighs them little; yet a fact
# that never mentions a name the question asks about is about something else.
MISSING_NAME_FACTOR = 0.9
UNKNOWN_TERM_WEIGHT = 1.5  # a word the fact base never uses: likely what the article lacks
UNKNOWN_TERM_FACTOR = 0.8  # and each such word makes any answer less certain
CORRECTED_TERM_WEIGHT = 0.85  # a typo-corrected word is weaker evidence than an exact one
# At or above this score a narrow lead is enough to answer (the runner-up is offered too).
CONFIDENT_SCORE = 85.0
CONFIDENT_MARGIN = 1.0
PHRASING_CANDIDATES = 12  # facts whose phrasings are compared, best coverage first
FUZZY_CANDIDATES = 8  # facts rescored with rapidfuzz after the lexical pass
MAX_QUERY_CHARS = 600  # a longer message is matched on its start
SMALLTALK_CUTOFF = 88.0
YES_NO_OPENERS = frozenset(
    "is are was were do does did can could will would has have should".split()
)


@dataclass(frozen=True, slots=True)
class Match:
    fact_id: str
    score: float  # 0-100


@dataclass(frozen=True, slots=True)
class Thresholds:
    """When to answer, when to ask "did you mean", and when to decline."""

    answer: float = 70.0  # top score at or above: answer, if clear of the runner-up
    suggest: float = 40.0  # top score at or above (but not answered): did you mean
    margin: float = 5.0  # the top must lead the runner-up by this much to answer

    def __post_init__(self) -> None:
        if not 0 <= self.suggest <= self.answer <= 100:
            raise ValueError("thresholds need 0 <= suggest <= answer <= 100")
        if not 0 <= self.margin <= 100:
            raise ValueError("margin must be between 0 and 100")


class Outcome(StrEnum):
    ANSWER = "answer"
    CLARIFY = "clarify"
    DECLINE = "decline"


@dataclass(frozen=True, slots=True)
class Resolution:
    """What to do with a question: the outcome and the facts it concerns."""

    outcome: Outcome
    matches: tuple[Match, ...]  # ANSWER: the fact, then close runners-up; else suggestions
    unknown_terms: tuple[str, ...] = ()  # content words the article never uses

    @property
    def top(self) -> Match | None:
        return self.matches[0] if self.matches else None


@dataclass(frozen=True, slots=True)
class _Query:
    """A message as the matcher sees it."""

    weights: dict[str, float]  # content terms (typos corrected) and their weights
    asked: frozenset[str]  # question words opening or closing it: what kind of answer
    interrogative: bool  # phrased as a question at all (what, is, did...)
    unknown: tuple[str, ...]  # content words the fact base never uses


class Matcher:
    """Ranks the facts of a FactBase for a message; built once, used for every message."""

    def __init__(self, base: FactBase, thresholds: Thresholds | None = None) -> None:
        self.thresholds = thresholds or Thresholds()
        self._analyzer = Analyzer(base.synonyms)
        self._index = FactIndex(base, self._analyzer)
        self._speller = Speller(self._index.idf)
        self._smalltalk = {normalize(p): s.id for s in base.smalltalk for p in s.phrasings}
        self._smalltalk_phrasings = list(self._smalltalk)

    def smalltalk(self, text: str) -> str | None:
        """The small-talk id the text is, if any: "thanks" is; "thanks, who is Rama?" is not."""
        key = normalize(text[:MAX_QUERY_CHARS])
        if not key:
            return None
        if key in self._smalltalk:
            return self._smalltalk[key]
        best = process.extractOne(
            key,
            self._smalltalk_phrasings,
            scorer=fuzz.ratio,
            processor=None,
            score_cutoff=SMALLTALK_CUTOFF,
        )
        return self._smalltalk[best[0]] if best else None

    def match(self, text: str, limit: int = 5) -> list[Match]:
        """The facts best matching `text`, best first; empty when nothing relates."""
        return self._rank(self._query(text), limit)

    def resolve(self, text: str) -> Resolution:
        """Match and decide: answer, ask "did you mean", or decline."""
        query = self._query(text)
        ranked = self._rank(query, limit=3)
        if query.unknown:
            factor = UNKNOWN_TERM_FACTOR ** len(query.unknown)
            ranked = [Match(m.fact_id, round(m.score * factor, 1)) for m in ranked]
        th = self.thresholds
        if ranked and ranked[0].score >= th.answer:
            top = ranked[0].score
            close = [m for m in ranked[1:] if top - m.score < th.margin]
            lead = top - (ranked[1].score if len(ranked) > 1 else 0.0)
            if not close or (top >= CONFIDENT_SCORE and lead >= CONFIDENT_MARGIN):
                return Resolution(Outcome.ANSWER, (ranked[0], *close))
        if ranked and ranked[0].score >= th.suggest and not query.unknown:
            close = [m for m in ranked if m.score >= th.suggest or m is ranked[1]]
            return Resolution(Outcome.CLARIFY, tuple(close[:3]))
        floor = th.suggest / 2
        return Resolution(
            Outcome.DECLINE, tuple(m for m in ranked if m.score >= floor), query.unknown
        )

    def _query(self, text: str) -> _Query:
        """The message's weighted content terms (typos corrected) and what kind of question."""
        idf = self._index.idf
        weights: dict[str, float] = {}
        unknown: list[str] = []
        words = normalize(text[:MAX_QUERY_CHARS])
        terms = self._analyzer.terms_of_normalized(words)
        for term in terms:
            if term in idf:
                weights[term] = idf[term]
            elif (corrected := self._speller.correct(term)) is not None:
                weights.setdefault(corrected, idf[corrected] * CORRECTED_TERM_WEIGHT)
            elif len(term) > 1:
                weights[term] = UNKNOWN_TERM_WEIGHT
                unknown.append(term)
        # "when" opening or closing a question asks for a time; mid-sentence it is a conjunction
        asked = frozenset(t for t in terms[:1] + terms[-1:] if t in QUESTION_WORDS)
        split = words.split()
        interrogative = bool(split) and (
            split[0] in YES_NO_OPENERS or not INTERROGATIVES.isdisjoint(split)
        )
        return _Query(weights, asked, interrogative, tuple(unknown))

    def _rank(self, query: _Query, limit: int) -> list[Match]:
        """Score the facts sharing a term with the query, best first."""
        index, weights = self._index, query.weights
        total = sum(weights.values())
        if total <= 0 or weights.keys() <= QUESTION_WORDS:  # "where?" alone asks nothing yet
            return []
        covered = index.coverage(weights)
        best_covered = sorted(covered, key=covered.__getitem__, reverse=True)
        lexical = {
            i: COVERAGE_WEIGHT * covered[i] / total
            + PHRASING_WEIGHT * index.best_phrasing(i, weights, total)
            for i in best_covered[:PHRASING_CANDIDATES]
        }
        shortlist = sorted(lexical, key=lexical.__getitem__, reverse=True)[:FUZZY_CANDIDATES]
        query_text = " ".join(sorted(weights))
        scored = []
        for i in shortlist:
            best = process.extractOne(
                query_text,
                index.phrasing_texts[i],
                scorer=fuzz.token_sort_ratio,
                processor=None,
                score_cutoff=0,
            )
            score = lexical[i] + FUZZY_WEIGHT * (best[1] / 100 if best else 0.0)
            scored.append(Match(index.fact_ids[i], round(100 * score * self._fit(i, query), 1)))
        scored.sort(key=lambda m: m.score, reverse=True)
        return scored[:limit]

    def _fit(self, i: int, query: _Query) -> float:
        """How well fact i suits the kind of question: 1, or less for each mismatch."""
        index, terms = self._index, query.weights.keys()
        factor = 1.0
        if index.keys[i] and index.keys[i].isdisjoint(terms):
            factor *= MISSING_KEY_FACTOR
        if query.asked and not query.asked <= index.question_words[i]:
            factor *= QUESTION_WORD_MISMATCH_FACTOR
        factor *= MISSING_NAME_FACTOR ** len(terms & index.names - index.vocab[i])
        typical = index.typical_question_word[i]
        if not query.asked and terms <= index.names:  # a bare name ("barbero") asks who it is
            if typical != "who":
                factor *= TYPICAL_QUESTION_WORD_FACTOR
        elif typical and query.interrogative and typical not in terms:
            factor *= TYPICAL_QUESTION_WORD_FACTOR
        return factor
