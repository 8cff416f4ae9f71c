"""Follow-ups: what a message that leans on the conversation looks like, and what it adds.

"who is he?", "when?", "and Saffari?", "tell me more" say little on their own; read with
the terms of the question before they say enough. A message that stands on its own is
matched on its own (the matcher decides which reading to trust).
"""

from collections.abc import Sequence
from dataclasses import dataclass

from intents.normalize import QUESTION_WORDS

# Words that point back at something said before ("the camp?" is caught as too short).
REFERENCES = frozenset(
    "he him his she her hers they them their theirs it its that this those these there then".split()
)
# What a pronoun can stand for, by the kinds of intents/entities.py: "he" is a person.
PRONOUN_KINDS = {
    **dict.fromkeys(("he", "him", "his", "she", "her", "hers"), frozenset({"person"})),
    **dict.fromkeys(
        ("they", "them", "their", "theirs"), frozenset({"group", "force", "country", "alliance"})
    ),
    "there": frozenset({"city", "country"}),
}
MORE_REQUESTS = frozenset(
    {
        "more", "tell me more", "more please", "go on", "continue", "what else", "anything else",
        "and then", "else", "keep going", "more info", "more information", "tell me more please",
        "say more", "and", "more about it", "more about that", "what more",
    }
)  # fmt: skip
OPENERS = ("and", "what about", "how about", "also", "plus")
SHORT = 3  # content terms: a question this short may need the conversation


@dataclass(frozen=True, slots=True)
class Context:
    """What one person in one chat was last told: the terms their last question was read
    with, and the facts given them."""

    terms: tuple[str, ...]
    names: tuple[str, ...]  # the names among them ("rama"), replaced by "and Saffari?"
    facts: tuple[str, ...]  # facts answered, most recent first


def asks_for_more(words: Sequence[str]) -> bool:
    """ "tell me more", "go on", "more?": the next related fact, not a new question."""
    return " ".join(words) in MORE_REQUESTS


def leans_on_context(words: Sequence[str], terms: Sequence[str]) -> bool:
    """The message refers back, is elliptical, or is too short to stand alone."""
    if not words:
        return False
    if refers_back(words) or replaces_subject(words):
        return True
    return len([t for t in terms if t not in QUESTION_WORDS]) < SHORT


def pronoun_kinds(words: Sequence[str]) -> frozenset[str]:
    """The kinds of entity the message's pronouns can stand for ("he": a person)."""
    return frozenset(k for w in words for k in PRONOUN_KINDS.get(w, ()))


def refers_back(words: Sequence[str]) -> bool:
    """ "what did he tell DW?": a pronoun that only the conversation can fill."""
    return not REFERENCES.isdisjoint(words)


def replaces_subject(words: Sequence[str]) -> bool:
    """ "and Saffari?", "what about the Quds force?": the same question of someone else."""
    return bool(words) and (words[0] in OPENERS or " ".join(words[:2]) in OPENERS)
