"""Typo correction against the fact base's vocabulary ("albnia" -> "albania")."""

from collections import defaultdict
from collections.abc import Iterable
from functools import lru_cache

from rapidfuzz import process
from rapidfuzz.distance import OSA, Indel

CACHED_WORDS = 8192
MIN_HEAD, MIN_PART = 3, 4  # letters of a compound's first and last word
SHORT_WORD = 5  # up to this length, a swapped letter in a known word is another word
_ROWS = ("qwertyuiop", "asdfghjkl", "zxcvbnm")
_KEY = {ch: (row, col) for row, keys in enumerate(_ROWS) for col, ch in enumerate(keys)}
# The keys around each key on a QWERTY keyboard: where a finger lands one key off.
NEIGHBOURING_KEYS = {
    ch: "".join(
        other
        for other, (r, c) in _KEY.items()
        if other != ch and abs(r - _KEY[ch][0]) <= 1 and abs(c - _KEY[ch][1]) <= 1
    )
    for ch in _KEY
}


def _neighbours(a: str, b: str) -> bool:
    """Two keys side by side on a QWERTY keyboard (a finger that landed one key off)."""
    return b in NEIGHBOURING_KEYS.get(a, "")


def _slip(typo: str, word: str) -> bool:
    """A letter dropped, doubled, swapped or hit one key off: "tirna", "naot", "lkyal".

    Not "plane" for "place": n and c are not neighbours.
    """
    if Indel.distance(typo, word) <= 1 or sorted(typo) == sorted(word):
        return True
    if len(typo) != len(word):
        return False
    differ = [(a, b) for a, b in zip(typo, word, strict=True) if a != b]
    return len(differ) == 1 and _neighbours(*differ[0])


def _same_start(typo: str, word: str) -> bool:
    """The first letter typed as meant, swapped with the second, dropped, or one key off:
    "busted" is no typo of "ousted" (b and o are far apart)."""
    return (
        typo[0] == word[0]
        or typo[:2] == word[1::-1]
        or typo[0] == word[1]
        or _neighbours(typo[0], word[0])
    )


class Speller:
    """Finds the known word a misspelt one most likely means; built once per fact base."""

    def __init__(self, vocabulary: Iterable[str]) -> None:
        # Candidates by (length, position, letter) for the first two letters: a typo
        # rarely changes both, and this keeps a 100x vocabulary fast to search.
        self._by_shape: dict[tuple[int, int, str], list[str]] = defaultdict(list)
        self.words = frozenset(vocabulary)
        for word in sorted(self.words):
            for position in (0, 1):
                if len(word) > position:
                    self._by_shape[(len(word), position, word[position])].append(word)
        self.correct = lru_cache(maxsize=CACHED_WORDS)(self._correct)
        self.split = lru_cache(maxsize=CACHED_WORDS)(self._split)

    def _split(self, word: str) -> tuple[str, str] | None:
        """Two known words a compound joins, the linking "s" allowed: "natobeitritt" is
        "nato beitritt", "sicherheitskonferenz" "sicherheit konferenz"; the longest head wins."""
        for cut in range(len(word) - MIN_PART, MIN_HEAD - 1, -1):
            head, tail = word[:cut], word[cut:]
            if head not in self.words:
                continue
            if tail in self.words:
                return head, tail
            if tail[0] == "s" and tail[1:] in self.words and len(tail) > MIN_PART:
                return head, tail[1:]
        return None

    def _correct(self, word: str) -> str | None:
        """The closest known word within the edits allowed, or None.

        Edits allowed grow with length (1 up to 7 letters, 2 up to 11, then 3);
        a swap of two letters counts as one edit ("jion" -> "join"). The first two
        letters may be swapped ("adnger") or the first dropped ("lbania").
        """
        if len(word) < 4 or not word.isalpha():
            return None
        max_edits = 1 if len(word) <= 7 else 2 if len(word) <= 11 else 3
        shapes = [(0, word[0]), (1, word[1]), (1, word[0]), (0, word[1])]
        choices = {
            known
            for length in range(len(word) - max_edits, len(word) + max_edits + 1)
            for position, letter in shapes
            for known in self._by_shape.get((length, position, letter), ())
        }
        found = process.extract(
            word, sorted(choices), scorer=OSA.distance, processor=None, score_cutoff=max_edits,
            limit=None,
        )  # fmt: skip
        if not found:
            return None
        best = min(distance for _, distance, _ in found)
        closest = [known for known, distance, _ in found if distance == best]
        if len(word) <= SHORT_WORD:  # "plane" is a word of its own, not a typo of "place"
            closest = [known for known in closest if _slip(word, known)]
        closest = [known for known in closest if _same_start(word, known)]
        return closest[0] if closest else None
