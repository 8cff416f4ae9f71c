"""Messages that are not questions about the article: gibberish, insults, other languages.

Each gets its own honest reply: "I couldn't make that out" is not "the article
doesn't say", and neither is "I only read English so far".
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
# Function words common in each language and rare in English (words as normalised).
LANGUAGE_MARKERS = {
    "de": frozenset(
        """
        der das den dem des ist sind waren wer wie warum wann wo welche welcher welches und
        nicht ein eine einen einem mit von fur fuer ueber uber auf auch haben wurde wurden
        nach sich ich du er sie wir ihr nein bitte danke
        """.split()
    ),
    "sq": frozenset(
        """
        eshte jane kush cfare pse kur ku dhe nuk nje nga cili cila cilat kane ishte ishin
        pra edhe faleminderit shqiperia shqiperise shqiperi shqiperine shqiptar shqiptaret
        """.split()
    ),
}
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


def other_language(words: Sequence[str]) -> str | None:
    """The language code when `words` read as German or Albanian rather than English."""
    for code, markers in LANGUAGE_MARKERS.items():
        hits = sum(w in markers for w in words)
        if hits >= 2 and hits * 4 >= len(words):
            return code
    return None
