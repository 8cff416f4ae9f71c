"""Which of the bot's lines a decline or partial answer says, and the names it puts in.

The words are in bot/locales, one file per language; this picks among them.
"""

import re
from collections.abc import Callable

from bot.locales import Lines
from intents.answer_kinds import CUE_WORDS
from intents.places import place_names, place_terms

# Most telling first: a question asking "how big" and "where" lacks the figure.
MISSING_ORDER = (
    "opinion",
    "future",
    "money",
    "size",
    "age",
    "number",
    "day",
    "month",
    "name",
    "role",
    "person",
    "date",
    "place",
    "reason",
    "method",
    "quote",
    "view",
    "event",
)
_WORD = re.compile(r"[^\W\d_]+")
_INFLECTED = ("ly", "ing", "ed", "est", "ful")
# Words a name follows: "who is putin", "think of russia", "and merkel".
_NAME_LEADS = frozenset(
    "is was are about of in from with to does did do at and by for on against visit "
    "visited meet met like".split()
)


def partial(asked: frozenset[str], answer: str, date: str, said: Lines) -> str:
    """The article covers the subject but not what is asked: say so, then what it says."""
    kind = next((k for k in MISSING_ORDER if k in asked), "event")
    return said("partial", missing=said(f"missing.{kind}", date=date), answer=answer)


def decline_lead(
    text: str,
    unknown_terms: tuple[str, ...],
    said: Lines,
    terms: Callable[[str], list[str]],
    capitalised_nouns: bool = False,
) -> str:
    """The article does not say; and which word it never mentions, if the question has one.

    `terms` reads a word as the matcher did; where every noun is capitalised (German), a
    capital letter alone does not make a name.
    """
    unknown = set(unknown_terms)
    words = _WORD.findall(text)
    names: list[str] = []
    for i, word in enumerate(words):
        read = terms(word)
        if not read or read[0] not in unknown or _as_name(word) in names:
            continue
        place = word.lower() in place_names() or read[0] in place_terms()
        lone = len(unknown) == 1 and _could_be_name(word, words[i - 1].lower() if i else "")
        capital = word[:1].isupper() and i > 0 and not capitalised_nouns
        if capital or place or (lone and not capitalised_nouns):
            names.append(_as_name(word))
    if names:
        return said("never_mentions", names=f" {said('or')} ".join(names[:2]))
    return said("doesnt_say")


def _could_be_name(word: str, before: str) -> bool:
    """A lone unknown word that reads as a name ("who is putin"), not an inflected word
    ("tall") or one qualifying another ("the more common name")."""
    lower = word.lower()
    return (
        len(word) >= 2
        and lower not in CUE_WORDS
        and not lower.endswith(_INFLECTED)
        and (not before or before in _NAME_LEADS)
    )


def _as_name(word: str) -> str:
    if word[:1].isupper():
        return word
    return word.upper() if len(word) <= 3 else word.capitalize()
