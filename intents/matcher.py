"""Matcher(fact_base).match(text): facts ranked by how well they answer the text.

Fuzzy similarity alone fails on a fact base like this one: WRatio or
token_set_ratio give near-100 scores to unrelated short texts that share one
word ("who is rama" vs "rama risk"). So a score combines lexical evidence with
a fuzzy part:

- coverage: the share of the question's content words, weighted by BM25 IDF,
  that the fact knows at all (its questions, answer and key terms). A word the
  article never uses ("Russia") weighs the most and pulls every fact down;
- phrasing: the best weighted overlap (Dice) with one of the fact's phrasings;
- fuzzy: rapidfuzz token_sort_ratio against those phrasings' content words;
- key terms: a fact with keys loses confidence when none of them is asked for.

Everything about the fact base is precomputed in __init__; match() only
analyses the incoming text.
"""

import math
import re
from collections import defaultdict
from dataclasses import dataclass
from enum import StrEnum
from functools import lru_cache

from rapidfuzz import fuzz, process
from rapidfuzz.distance import OSA

from intents.facts import FactBase
from intents.normalize import INTERROGATIVES, QUESTION_WORDS, Analyzer, normalize

COVERAGE_WEIGHT = 0.5
PHRASING_WEIGHT = 0.2
FUZZY_WEIGHT = 0.3
MISSING_KEY_FACTOR = 0.8
# "Where was Soleimani killed?" is not "When was Soleimani killed?": a fact none
# of whose phrasings asks this kind of question is a weaker answer to it; and a
# fact most of whose phrasings ask "who" is a weaker answer to a "what" question.
QUESTION_WORD_MISMATCH_FACTOR = 0.8
TYPICAL_QUESTION_WORD_SHARE = 0.5
TYPICAL_QUESTION_WORD_FACTOR = 0.9
# Names (MEK, Rama, NATO) are in many facts, so IDF weighs them little; yet a fact
# that never mentions a name the question asks about is about something else.
MISSING_NAME_FACTOR = 0.9
# At or above this score a narrow lead is enough to answer (the runner-up is offered too).
CONFIDENT_SCORE = 85.0
CONFIDENT_MARGIN = 1.0
YES_NO_OPENERS = frozenset(
    "is are was were do does did can could will would has have had should".split()
)
MIN_TERM_WEIGHT = 1.0  # even a word most facts use says something about the question
UNKNOWN_TERM_WEIGHT = 1.5  # a word the fact base never uses: likely what the article lacks
UNKNOWN_TERM_FACTOR = 0.8  # and each such word makes any answer less certain
CORRECTED_TERM_WEIGHT = 0.85  # a typo-corrected word is weaker evidence than an exact one
PHRASING_CANDIDATES = 12  # facts whose phrasings are compared, by coverage
FUZZY_CANDIDATES = 8  # facts rescored with rapidfuzz after the lexical pass
CANDIDATE_MIN_FACTS = 50
MAX_CANDIDATES = 500  # facts considered for a question of only common words
MAX_QUERY_CHARS = 600  # a question longer than this is matched on its start
SMALLTALK_CUTOFF = 88.0


@dataclass(frozen=True, slots=True)
class Match:
    fact_id: str
    score: float  # 0-100


@dataclass(frozen=True, slots=True)
class _Query:
    """A message as the matcher sees it."""

    weights: dict[str, float]  # content terms (typos corrected) and their weights
    asked: frozenset[str]  # question words opening or closing it: what kind of answer
    interrogative: bool  # phrased as a question at all (what, which, how, who...)
    unknown: tuple[str, ...]  # content words the fact base never uses


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


class Matcher:
    """Ranks the facts of a FactBase for a message; built once, used for every message."""

    def __init__(self, base: FactBase, thresholds: Thresholds | None = None) -> None:
        self.thresholds = thresholds or Thresholds()
        self._analyzer = Analyzer(base.synonyms)
        self._fact_ids = [f.id for f in base.facts]
        terms = self._analyzer.terms
        vocab_of_fact: list[frozenset[str]] = []
        self._keys: list[frozenset[str]] = []
        self._phrasings: list[list[frozenset[str]]] = []  # per fact: content terms of each question
        self._phrasing_texts: list[
            list[str]
        ] = []  # per fact: the same, as sorted text for rapidfuzz
        for fact in base.facts:
            phrasings = [frozenset(terms(q)) for q in fact.questions]
            keys = frozenset(t for key in fact.keys for t in terms(key))
            vocab_of_fact.append(frozenset(terms(fact.answer)).union(keys, *phrasings))
            self._keys.append(keys)
            self._phrasings.append(phrasings)
            self._phrasing_texts.append([" ".join(sorted(p)) for p in phrasings])
        self._vocab_of_fact = vocab_of_fact

        n = len(base.facts)
        self._facts_with: dict[str, list[int]] = defaultdict(list)
        for i, vocab in enumerate(vocab_of_fact):
            for term in vocab:
                self._facts_with[term].append(i)
        self._idf = {
            t: max(MIN_TERM_WEIGHT, _bm25_idf(n, len(facts)))
            for t, facts in self._facts_with.items()
        }
        self._phrasings_using: list[dict[str, list[int]]] = []  # per fact: term -> phrasings
        for phrasings in self._phrasings:
            using: dict[str, list[int]] = defaultdict(list)
            for k, phrasing in enumerate(phrasings):
                for term in phrasing:
                    using[term].append(k)
            self._phrasings_using.append(dict(using))
        self._phrasing_weights = [
            [sum(self._idf[t] for t in p) for p in phrasings] for phrasings in self._phrasings
        ]
        self._question_words = [QUESTION_WORDS & vocab for vocab in vocab_of_fact]
        self._names = _names_in(base.article_text, self._analyzer) & self._idf.keys()
        self._typical_question_word = [_typical_question_word(p) for p in self._phrasings]
        self._vocabulary = sorted(self._idf)
        # Spelling candidates by (length, first letter) and (length, second letter):
        # a typo rarely changes both of the first two letters.
        self._spellings: dict[tuple[int, int, str], list[str]] = defaultdict(list)
        for word in self._vocabulary:
            for position in (0, 1):
                if len(word) > position:
                    self._spellings[(len(word), position, word[position])].append(word)
        # A term used by more facts than this is "common": it still scores, but its
        # postings are not walked, so matching stays fast on large fact bases.
        self._common_df = max(CANDIDATE_MIN_FACTS, n // 20)
        self._smalltalk = {normalize(p): s.id for s in base.smalltalk for p in s.phrasings}
        self._smalltalk_keys = list(self._smalltalk)
        self._correct = lru_cache(maxsize=8192)(self._correct_uncached)

    @property
    def vocabulary(self) -> list[str]:
        return self._vocabulary

    def smalltalk(self, text: str) -> str | None:
        """The small-talk id the text is, if any: "thanks" is; "thanks, who is Rama?" is not."""
        key = normalize(text[:MAX_QUERY_CHARS])
        if not key:
            return None
        if key in self._smalltalk:
            return self._smalltalk[key]
        best = process.extractOne(
            key,
            self._smalltalk_keys,
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
        unknown = query.unknown
        ranked = self._rank(query, limit=3)
        if unknown:
            factor = UNKNOWN_TERM_FACTOR ** len(unknown)
            ranked = [Match(m.fact_id, round(m.score * factor, 1)) for m in ranked]
        th = self.thresholds
        if ranked and ranked[0].score >= th.answer:
            top = ranked[0].score
            close = [m for m in ranked[1:] if top - m.score < th.margin]
            lead = top - (ranked[1].score if len(ranked) > 1 else 0.0)
            if not close or (top >= CONFIDENT_SCORE and lead >= CONFIDENT_MARGIN):
                # a narrow win still answers, offering the close runners-up alongside
                return Resolution(Outcome.ANSWER, (ranked[0], *close))
        if ranked and ranked[0].score >= th.suggest and not unknown:
            close = [m for m in ranked if m.score >= th.suggest or m is ranked[1]]
            return Resolution(Outcome.CLARIFY, tuple(close[:3]))
        floor = th.suggest / 2
        return Resolution(
            Outcome.DECLINE, tuple(m for m in ranked if m.score >= floor), tuple(unknown)
        )

    def _query(self, text: str) -> _Query:
        """The message's weighted content terms (typos corrected) and what kind of question."""
        weights: dict[str, float] = {}
        unknown: list[str] = []
        words = normalize(text[:MAX_QUERY_CHARS])
        terms = self._analyzer.terms_of_normalized(words)
        # "when" opening or closing a question asks for a time; mid-sentence it is a conjunction
        asked = frozenset(t for t in terms[:1] + terms[-1:] if t in QUESTION_WORDS)
        for term in terms:
            if term in self._idf:
                weights[term] = self._idf[term]
                continue
            corrected = self._correct(term)
            if corrected is not None:
                weights.setdefault(corrected, self._idf[corrected] * CORRECTED_TERM_WEIGHT)
            elif len(term) > 1:
                weights[term] = UNKNOWN_TERM_WEIGHT
                unknown.append(term)
        split = words.split()
        interrogative = bool(split) and (
            split[0] in YES_NO_OPENERS or not INTERROGATIVES.isdisjoint(split)
        )
        return _Query(weights, asked, interrogative, tuple(unknown))

    def _correct_uncached(self, term: str) -> str | None:
        """The vocabulary word a misspelt term most likely means, if any is close enough.

        Edits allowed grow with length (1 up to 7 letters, 2 up to 11, then 3);
        a swap of two letters counts as one edit ("jion" -> "join").
        """
        if len(term) < 4 or not term.isalpha():
            return None
        max_edits = 1 if len(term) <= 7 else 2 if len(term) <= 11 else 3
        choices = {
            word
            for length in range(len(term) - max_edits, len(term) + max_edits + 1)
            for position in (0, 1)
            for word in self._spellings.get((length, position, term[position]), ())
        }
        best = process.extractOne(
            term, sorted(choices), scorer=OSA.distance, processor=None, score_cutoff=max_edits
        )
        if best is None or (len(term) <= 5 and best[0][0] != term[0]):
            return None  # short words: "marry" is not a typo of "carry"
        return best[0]

    def _rank(self, query: _Query, limit: int) -> list[Match]:
        """Score the facts sharing a term with the query."""
        weights = query.weights
        total = sum(weights.values())
        if total <= 0 or weights.keys() <= QUESTION_WORDS:  # "where?" alone asks nothing yet
            return []
        covered = self._coverage(weights)
        # phrasings are compared only for the facts covering the question best
        best_covered = sorted(covered, key=covered.__getitem__, reverse=True)[:PHRASING_CANDIDATES]
        lexical = {
            i: COVERAGE_WEIGHT * covered[i] / total
            + PHRASING_WEIGHT * self._best_phrasing(i, weights, total)
            for i in best_covered
        }
        shortlist = sorted(lexical, key=lexical.__getitem__, reverse=True)[:FUZZY_CANDIDATES]
        query_text = " ".join(sorted(weights))
        scored = []
        for i in shortlist:
            best = process.extractOne(
                query_text,
                self._phrasing_texts[i],
                scorer=fuzz.token_sort_ratio,
                processor=None,
                score_cutoff=0,
            )
            score = lexical[i] + FUZZY_WEIGHT * (best[1] / 100 if best else 0.0)
            score *= self._fit(i, query)
            scored.append(Match(self._fact_ids[i], round(100 * score, 1)))
        scored.sort(key=lambda m: m.score, reverse=True)
        return scored[:limit]

    def _fit(self, i: int, query: _Query) -> float:
        """How well fact i suits the kind of question: 1, or less for each mismatch."""
        terms = query.weights.keys()
        factor = 1.0
        if self._keys[i] and self._keys[i].isdisjoint(terms):
            factor *= MISSING_KEY_FACTOR
        if query.asked and not query.asked <= self._question_words[i]:
            factor *= QUESTION_WORD_MISMATCH_FACTOR
        factor *= MISSING_NAME_FACTOR ** len(terms & self._names - self._vocab_of_fact[i])
        typical = self._typical_question_word[i]
        if not query.asked and terms <= self._names:  # a bare name ("barbero") asks who it is
            if typical != "who":
                factor *= TYPICAL_QUESTION_WORD_FACTOR
        elif typical and query.interrogative and typical not in terms:
            factor *= TYPICAL_QUESTION_WORD_FACTOR
        return factor

    def _coverage(self, weights: dict[str, float]) -> dict[int, float]:
        """Per candidate fact, the query weight its vocabulary covers.

        Candidates come from the postings of distinctive terms (or, failing any, the
        rarest term's, capped); common terms are then checked on those candidates only.
        """
        known = [t for t in weights if t in self._facts_with]
        rare = [t for t in known if len(self._facts_with[t]) <= self._common_df]
        if not rare and known:
            rare = [min(known, key=lambda t: len(self._facts_with[t]))]
        common = [t for t in known if t not in rare]
        covered: dict[int, float] = defaultdict(float)
        for term in rare:
            for i in self._facts_with[term][:MAX_CANDIDATES]:
                covered[i] += weights[term]
        for i in covered:
            vocab = self._vocab_of_fact[i]
            covered[i] += sum(weights[t] for t in common if t in vocab)
        return covered

    def _best_phrasing(self, i: int, weights: dict[str, float], total: float) -> float:
        """The best weighted Dice overlap between the query and one of fact i's phrasings."""
        index = self._phrasings_using[i]
        shared: dict[int, float] = defaultdict(float)
        for term, w in weights.items():
            for k in index.get(term, ()):
                shared[k] += w
        sizes = self._phrasing_weights[i]
        return max((2 * s / (total + sizes[k]) for k, s in shared.items()), default=0.0)


def _names_in(article: str, analyzer: Analyzer) -> frozenset[str]:
    """Terms of the words the article capitalises mid-sentence: its people, places, groups."""
    names = set()
    for sentence in re.split(r"(?<=[.!?:])\s+|\n+", article):
        for word in sentence.split()[1:]:
            word = word.strip("\"'(),.;:!?")
            if word[:1].isupper():
                names.update(analyzer.terms(word))
    return frozenset(names)


def _typical_question_word(phrasings: list[frozenset[str]]) -> str | None:
    """The question word most of a fact's phrasings use ("who" for "who is X" facts), if any."""
    for word in QUESTION_WORDS:
        if sum(word in p for p in phrasings) >= TYPICAL_QUESTION_WORD_SHARE * len(phrasings):
            return word
    return None


def _bm25_idf(n: int, df: int) -> float:
    return math.log(1 + (n - df + 0.5) / (df + 0.5))
