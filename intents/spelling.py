"""Typo correction against the fact base's vocabulary ("albnia" -> "albania")."""

from collections import defaultdict
from collections.abc import Iterable
from functools import lru_cache

from rapidfuzz import process
from rapidfuzz.distance import OSA, Indel

CACHED_WORDS = 8192
SHORT_WORD = 5  # up to this length, a swapped letter in a known word is another word


def _slip(typo: str, word: str) -> bool:
    """A letter dropped, doubled or two letters swapped: "tirna", "naot"; not "plane"."""
    return Indel.distance(typo, word) <= 1 or sorted(typo) == sorted(word)


class Speller:
    """Finds the known word a misspelt one most likely means; built once per fact base."""

    def __init__(self, vocabulary: Iterable[str]) -> None:
        # Candidates by (length, position, letter) for the first two letters: a typo
        # rarely changes both, and this keeps a 100x vocabulary fast to search.
        self._by_shape: dict[tuple[int, int, str], list[str]] = defaultdict(list)
        for word in sorted(vocabulary):
            for position in (0, 1):
                if len(word) > position:
                    self._by_shape[(len(word), position, word[position])].append(word)
        self.correct = lru_cache(maxsize=CACHED_WORDS)(self._correct)

    def _correct(self, word: str) -> str | None:
        """The closest known word within the edits allowed, or None.

        Edits allowed grow with length (1 up to 7 letters, 2 up to 11, then 3);
        a swap of two letters counts as one edit ("jion" -> "join").
        """
        if len(word) < 4 or not word.isalpha():
            return None
        max_edits = 1 if len(word) <= 7 else 2 if len(word) <= 11 else 3
        choices = {
            known
            for length in range(len(word) - max_edits, len(word) + max_edits + 1)
            for position in (0, 1)
            for known in self._by_shape.get((length, position, word[position]), ())
        }
        best = process.extractOne(
            word, sorted(choices), scorer=OSA.distance, processor=None, score_cutoff=max_edits
        )
        if best is None:
            return None
        known = best[0]
        if len(word) <= SHORT_WORD and not _slip(word, known):
            return None  # "plane" is a word of its own, not a typo of "place"
        return known
