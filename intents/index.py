"""FactIndex: everything about a fact base that matching needs, computed once at load."""

import math
import re
from collections import defaultdict

from intents.facts import FactBase
from intents.normalize import QUESTION_WORDS, Analyzer

MIN_TERM_WEIGHT = 1.0  # even a word most facts use says something about the question
TYPICAL_QUESTION_WORD_SHARE = 0.5  # "who" in half a fact's phrasings: a "who" fact
COMMON_MIN_FACTS = 50  # below this many facts per term, no term counts as common
MAX_CANDIDATES = 500  # facts considered for a question made only of common words


class FactIndex:
    """Per fact: its vocabulary, phrasings, key terms and kind; per term: IDF and postings."""

    def __init__(self, base: FactBase, analyzer: Analyzer) -> None:
        terms = analyzer.terms
        self.fact_ids = [f.id for f in base.facts]
        self.vocab: list[frozenset[str]] = []  # every term of a fact's questions, answer, keys
        self.said: list[frozenset[str]] = []  # the terms of what it says: answer and source
        self.keys: list[frozenset[str]] = []
        self.phrasings: list[list[frozenset[str]]] = []  # content terms of each question
        self.phrasing_texts: list[list[str]] = []  # the same as sorted text, for rapidfuzz
        for fact in base.facts:
            phrasings = [frozenset(terms(q)) for q in fact.questions]
            keys = frozenset(t for key in fact.keys for t in terms(key))
            said = frozenset(terms(fact.answer)) | frozenset(terms(fact.quote))
            self.said.append(said)
            self.vocab.append(said.union(keys, *phrasings))
            self.keys.append(keys)
            self.phrasings.append(phrasings)
            self.phrasing_texts.append([" ".join(sorted(p)) for p in phrasings])

        n = len(base.facts)
        self.facts_with: dict[str, list[int]] = defaultdict(list)
        for i, vocab in enumerate(self.vocab):
            for term in vocab:
                self.facts_with[term].append(i)
        self.idf = {
            t: max(MIN_TERM_WEIGHT, _bm25_idf(n, len(facts)))
            for t, facts in self.facts_with.items()
        }
        self._phrasings_using = [_postings(phrasings) for phrasings in self.phrasings]
        self._phrasing_weights = [
            [sum(self.idf[t] for t in sorted(p)) for p in phrasings] for phrasings in self.phrasings
        ]
        self.question_words = [QUESTION_WORDS & vocab for vocab in self.vocab]
        self.typical_question_word = [_typical_question_word(p) for p in self.phrasings]
        self.names = _names_in(base.article_text, analyzer) & self.idf.keys()
        # A term used by more facts than this is "common": it still scores, but its
        # postings are not walked, so matching stays fast on large fact bases.
        # Never above MAX_CANDIDATES: a distinctive term's postings are walked whole, so a
        # fact's coverage counts every query term it has (the matcher's pruning relies on it)
        self._common_df = min(MAX_CANDIDATES, max(COMMON_MIN_FACTS, n // 20))

    def coverage(self, weights: dict[str, float]) -> dict[int, float]:
        """Per candidate fact, the query weight its vocabulary covers.

        Candidates come from the postings of distinctive terms (or, failing any, the
        rarest term's, capped); common terms are then checked on those candidates only.
        """
        known = [t for t in weights if t in self.facts_with]
        rare = [t for t in known if len(self.facts_with[t]) <= self._common_df]
        if not rare and known:
            rare = [min(known, key=lambda t: len(self.facts_with[t]))]
        common = [t for t in known if t not in rare]
        covered: dict[int, float] = defaultdict(float)
        for term in rare:
            for i in self.facts_with[term][:MAX_CANDIDATES]:
                covered[i] += weights[term]
        if common:  # on a small base every term is distinctive: nothing to add
            for i in covered:
                vocab = self.vocab[i]
                covered[i] += sum(weights[t] for t in common if t in vocab)
        return covered

    def best_phrasing(self, i: int, weights: dict[str, float], total: float) -> float:
        """The best weighted Dice overlap between the query and one of fact i's phrasings."""
        shared: dict[int, float] = {}
        using = self._phrasings_using[i]
        for term, w in weights.items():
            for k in using.get(term, ()):
                shared[k] = shared.get(k, 0.0) + w
        sizes = self._phrasing_weights[i]
        return max([2 * s / (total + sizes[k]) for k, s in shared.items()], default=0.0)


def _postings(phrasings: list[frozenset[str]]) -> dict[str, list[int]]:
    """Term -> the phrasings (by position) that use it."""
    using: dict[str, list[int]] = defaultdict(list)
    for k, phrasing in enumerate(phrasings):
        for term in phrasing:
            using[term].append(k)
    return dict(using)


def capitalised_words(article: str) -> list[str]:
    """The words the article capitalises mid-sentence: its people, places, groups."""
    words = []
    for sentence in re.split(r"(?<=[.!?:])\s+|\n+", article):
        for word in sentence.split()[1:]:
            word = word.strip("\"'(),.;:!?")
            if word[:1].isupper():
                words.append(word)
    return words


def _names_in(article: str, analyzer: Analyzer) -> frozenset[str]:
    """Terms of the article's capitalised words."""
    return frozenset(t for word in capitalised_words(article) for t in analyzer.terms(word))


def _typical_question_word(phrasings: list[frozenset[str]]) -> str | None:
    """The question word most of a fact's phrasings use ("who" for "who is X" facts), if any."""
    for word in sorted(QUESTION_WORDS):
        if sum(word in p for p in phrasings) >= TYPICAL_QUESTION_WORD_SHARE * len(phrasings):
            return word
    return None


def _bm25_idf(n: int, df: int) -> float:
    return math.log(1 + (n - df + 0.5) / (df + 0.5))
