"""The bot's own lines: declines, partial answers and honest refusals, in one place.

Kept apart from the logic that picks them so that every line can be read (and, later,
translated) together.
"""

import re

from intents.answer_kinds import CUE_WORDS
from intents.normalize import normalize, stem
from intents.places import place_names

# The kind of answer asked for (intents/answer_kinds.py) -> what the article lacks.
MISSING = {
    "person": "The article doesn't say who.",
    "role": "The article doesn't say what their job or role is.",
    "name": "The article gives no name for that.",
    "number": "The article gives no figure for that.",
    "size": "The article gives no figure for that.",
    "age": "The article doesn't say how old.",
    "money": "The article gives no sums of money.",
    "month": "The article doesn't give the month.",
    "day": "The article doesn't give the exact day.",
    "date": "The article doesn't say when.",
    "place": "The article doesn't say where.",
    "reason": "The article doesn't say why.",
    "method": "The article doesn't say how.",
    "quote": "The article quotes no one on that.",
    "view": "The article doesn't say what anyone thought of that.",
    "event": "The article doesn't say what happened.",
    "opinion": "I don't judge: I only report what the article says.",
    "future": "The article can't say what will happen: it reports the situation as of {date}.",
}
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
CLARIFY = "I'm not sure what you mean. Did you mean:"
NOT_UNDERSTOOD = (
    "I couldn't make out a question in that. Ask me about the article in plain words, "
    'for example "Why did Iran call Albania diabolical?"'
)
OTHER_LANGUAGE = {
    "de": "I can only read English for now. Please ask me in English.",
    "sq": "I can only read English for now. Please ask me in English.",
}
INSULT = "Fair enough, I'm only a bot. If you ask me about the article, I'll do my best."
NO_OPTIONS = (
    "A number alone isn't a question I can answer: tap one of my suggestions, "
    "or ask me about the article. /topics lists what I know."
)
BARE_QUESTION = "What would you like to know? Ask me a whole question, or try /topics."
NOTHING_MORE = "That's all the article says on this. /topics lists everything else I know."
NO_CONVERSATION = "More about what? Ask me a question first, or try /topics."
_WORD = re.compile(r"[^\W\d_]+")
_INFLECTED = ("ly", "ing", "ed", "est", "ful")
# Words a name follows: "who is putin", "think of russia", "and merkel".
_NAME_LEADS = frozenset(
    "is was are about of in from with to does did do at and by for on against visit "
    "visited meet met like".split()
)


def partial(asked: frozenset[str], answer: str, date: str) -> str:
    """The article covers the subject but not what is asked: say so, then what it says."""
    kind = next((k for k in MISSING_ORDER if k in asked), "event")
    return f"{MISSING[kind].format(date=date)} What it does say: {answer}"


def decline_lead(text: str, unknown_terms: tuple[str, ...]) -> str:
    """The article does not say; and which word it never mentions, if the question has one."""
    unknown = set(unknown_terms)
    words = _WORD.findall(text)
    names = []
    for i, word in enumerate(words):
        if stem(normalize(word)) not in unknown or _as_name(word) in names:
            continue
        place = word.lower() in place_names()
        lone = len(unknown) == 1 and _could_be_name(word, words[i - 1].lower() if i else "")
        if (word[:1].isupper() and i > 0) or place or lone:
            names.append(_as_name(word))
    if names:
        return f"The article doesn't say: it never mentions {' or '.join(names[:2])}."
    return "The article doesn't say."


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
