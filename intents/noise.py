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
_CONSONANTS = re.compile(r"[^aeiouy\d]+")
LONGEST_RUN = 5  # consonants in a row an English word has at most ("strengths": 4)
_KEYBOARD_RUNS = ("qwert", "asdf", "zxcv", "hjkl", "uiop", "yxcv")


def is_insult(words: Sequence[str]) -> bool:
    return not INSULTS.isdisjoint(words) or " ".join(words[:2]) == "shut up"


def is_gibberish(word: str, longest_run: int = LONGEST_RUN) -> bool:
    """A typed word no language has: no vowel, a long consonant run, a row of the keyboard.

    `longest_run`: the most consonants in a row a word of the language may have (German
    joins words: "Geschichtsschreibung" has eight)."""
    if not word.isalpha() or len(word) < 4:
        return False
    runs = _CONSONANTS.findall(word)
    return (
        not _VOWELS.search(word)
        or max(map(len, runs), default=0) > longest_run
        or any(run in word for run in _KEYBOARD_RUNS)
    )
