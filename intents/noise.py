"""Messages that are not questions about the article: gibberish and insults.

Each gets its own honest reply: "I couldn't make that out" is not "the article
doesn't say".
"""

import re
from collections.abc import Sequence

INSULTS = frozenset(
    """
    stupid idiot idiots idiotic dumb dumbass useless moron moronic trash garbage suck sucks
    sucky crap crappy shit shitty fuck fucking fuckin fck stfu retard retarded pathetic lame
    worthless loser clown brainless rubbish
    """.split()
)
_VOWELS = re.compile(r"[aeiouy]")
_CONSONANT_RUN = re.compile(r"[^aeiouy\d]{6,}")
_KEYBOARD_RUNS = ("qwert", "asdf", "zxcv", "hjkl", "uiop", "yxcv")


def is_insult(words: Sequence[str]) -> bool:
    return not INSULTS.isdisjoint(words) or " ".join(words[:2]) == "shut up"


def is_gibberish(word: str) -> bool:
    """A typed word no language has: no vowel, a long consonant run, a row of the keyboard."""
    if not word.isalpha() or len(word) < 4:
        return False
    return (
        not _VOWELS.search(word)
        or bool(_CONSONANT_RUN.search(word))
        or any(run in word for run in _KEYBOARD_RUNS)
    )
