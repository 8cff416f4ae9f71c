"""Are the translations complete and faithful? Every fact in every language, saying no more.

A translated answer is written by hand from the English one; it must name the same people,
places and groups and give the same figures, so that it says neither more nor other than
the English answer (whose support in the article intents/support.py checks).
"""

import re
from collections import Counter

from intents.facts import FactBase
from intents.languages import LANGUAGES, SOURCE_LANGUAGE
from intents.names import name_forms
from intents.normalize import Analyzer, normalize
from intents.places import place_terms

_NUMBER = re.compile(r"\d+")


def translation_problems(base: FactBase, name: str) -> list[str]:
    """One line per missing translation, and per translated answer whose names or figures
    differ from the English answer's. A language counts once the fact base declares it
    (`languages`) or translates anything into it: an English-only fact base is complete."""
    written = {code for f in base.facts for code in f.translations} | set(base.languages)
    codes = [c for c in LANGUAGES if c != SOURCE_LANGUAGE and c in written]
    english = Analyzer(base.synonyms)
    named = _names(base, english) | place_terms()  # "Frankreich" where the English has none
    problems = []
    for code in codes:
        language = LANGUAGES[code]
        texts = base.languages.get(code)
        if texts is None:
            problems.append(f"{name}: languages.{code}: missing (topics, synonyms, names)")
        else:
            problems += [
                f"{name}: languages.{code}.topics: no label for topic {topic!r}"
                for topic in dict.fromkeys(f.topic for f in base.facts)
                if topic not in texts.topics
            ]
        analyzer = Analyzer(texts.synonyms if texts else {}, language, name_forms(base, language))
        for i, fact in enumerate(base.facts):
            place = f"{name}: facts[{i}] ({fact.id})"
            translated = fact.translations.get(code)
            if translated is None:
                problems.append(f"{place}: no {language.name} ({code}) translation")
                continue
            want = set(english.word_terms(fact.answer)) & named
            got = set(analyzer.word_terms(translated.answer)) & named
            if want != got:
                problems.append(
                    f"{place}.translations.{code}.answer: names differ from the English answer"
                    f"{_difference(want, got)}"
                )
            if fact.event and not translated.event:
                problems.append(f"{place}.translations.{code}.event: no label for the timeline")
            figures, written = _numbers(fact.answer), _numbers(translated.answer)
            if figures != written:
                problems.append(
                    f"{place}.translations.{code}.answer: figures differ from the English answer"
                    f" (English {sorted(figures.elements())}, here {sorted(written.elements())})"
                )
        problems += _shown_problems(base, code, name)
        problems += [
            f"{name}: smalltalk[{i}] ({talk.id}): no {language.name} ({code}) translation"
            for i, talk in enumerate(base.smalltalk)
            if code not in talk.translations
        ]
    return problems


def _shown_problems(base: FactBase, code: str, name: str) -> list[str]:
    """The timeline's dates written in the language (a bare year needs nothing), and every
    who's-who card's role."""
    dates = base.languages[code].dates if code in base.languages else {}
    wanted = dict.fromkeys(f.date for f in base.facts if f.date and not f.date.isdigit())
    problems = [
        f"{name}: languages.{code}.dates: no form for the date {date!r}"
        for date in wanted
        if date not in dates
    ]
    problems += [
        f"{name}: people[{i}] ({person.entity}): no {LANGUAGES[code].name} ({code}) role"
        for i, person in enumerate(base.people)
        if code not in person.translations
    ]
    return problems


def _names(base: FactBase, english: Analyzer) -> set[str]:
    """The terms of the article's named people, places and groups (entities and the names
    any language lists forms for)."""
    words = list(base.entities)
    words += [meaning for texts in base.languages.values() for meaning in texts.names]
    return {term for word in words for term in english.terms(word)}


def _numbers(text: str) -> Counter[str]:
    return Counter(_NUMBER.findall(normalize(text)))


def _difference(want: set[str], got: set[str]) -> str:
    parts = []
    if want - got:
        parts.append(f"missing {', '.join(sorted(want - got))}")
    if got - want:
        parts.append(f"adds {', '.join(sorted(got - want))}")
    return f" ({'; '.join(parts)})"
