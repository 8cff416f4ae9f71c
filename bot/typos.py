"""Seeded keyboard slips, to measure how the bot copes with people who type fast."""

import random
import re

from intents.spelling import NEIGHBOURING_KEYS

MIN_LENGTH = 5  # shorter words are left alone
SHARE = 0.5  # about this share of the longer words gets one slip
_WORD = re.compile(r"[A-Za-z]+")


def slip(word: str, rng: random.Random) -> str:
    """One slip: a letter dropped, doubled, swapped with the next, or replaced by a neighbour."""
    i = rng.randrange(len(word) - 1)
    kind = rng.choice(("drop", "double", "swap", "replace"))
    if kind == "drop":
        return word[:i] + word[i + 1 :]
    if kind == "double":
        return word[: i + 1] + word[i] + word[i + 1 :]
    if kind == "swap":
        return word[:i] + word[i + 1] + word[i] + word[i + 2 :]
    return word[:i] + rng.choice(NEIGHBOURING_KEYS[word[i].lower()]) + word[i + 1 :]


def add_typos(text: str, rng: random.Random) -> str:
    """`text` with one slip in about half its words of MIN_LENGTH letters or more."""

    def maybe(match: re.Match[str]) -> str:
        word = match.group()
        return slip(word, rng) if len(word) >= MIN_LENGTH and rng.random() < SHARE else word

    return _WORD.sub(maybe, text)
