"""Is every answer supported by its sources? Names and numbers an answer states must be quoted.

A fact's answer is written by hand; its sources are the article's own sentences. An
answer that names someone or gives a figure its sources do not contain says more than
the article: `python -m bot check` reports it.
"""

import re

from intents.facts import Fact, FactBase
from intents.normalize import Analyzer

_TOKEN = re.compile(r"[A-Za-zÀ-ÿ][\w'\u2019-]*|\d[\d,.]*\d|\d")
_SENTENCE_END = re.compile(r"[.!?:;]\s*$|^\s*$")
NUMBER_WORDS = frozenset(
    "one two three four five six seven eight nine ten eleven twelve hundred thousand "
    "million billion first second third".split()
)


_PLAIN = Analyzer()


def unsupported(fact: Fact, analyzer: Analyzer, date: str = "") -> list[str]:
    """The names and numbers in `fact.answer` that none of its sources contain.

    A word counts as quoted when its stem is, or what it means through the synonyms
    ("People's Mujahedin" in the answer is the MEK its source names); `date` (the
    article's) may date an answer without a source.
    """
    texts = [*fact.sources, date]
    plain = {t for text in texts for t in _PLAIN.terms(text)}
    meant = {t for text in texts for t in analyzer.terms(text)}
    missing = []
    answer = fact.answer
    for match in _TOKEN.finditer(answer):
        token = match.group()
        if not _stated(token, answer[: match.start()]) or token in missing:
            continue
        if not (set(_PLAIN.terms(token)) <= plain or set(analyzer.terms(token)) <= meant):
            missing.append(token)
    return missing


def _stated(token: str, before: str) -> bool:
    """A figure, or a capitalised word that is not merely opening a sentence."""
    if token[0].isdigit():
        return True
    if token.lower() in NUMBER_WORDS:
        return True
    return token[0].isupper() and not _SENTENCE_END.search(before)


def support_problems(base: FactBase, name: str) -> list[str]:
    """One line per fact whose answer states what its sources do not."""
    analyzer = Analyzer(base.synonyms)
    problems = []
    for i, fact in enumerate(base.facts):
        missing = unsupported(fact, analyzer, base.article.date)
        if missing:
            problems.append(
                f"{name}: facts[{i}] ({fact.id}).answer: not in its source: {', '.join(missing)}"
            )
    return problems
