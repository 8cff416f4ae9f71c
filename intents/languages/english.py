"""English, the fact base's own language: the rules intents/normalize and shorthand define."""

from intents.normalize import STOPWORDS, stem
from intents.shorthand import expand

__all__ = ["STOPWORDS", "expand", "stem"]
