"""The article's names as another language writes them: one term in every language.

"Albanien", "Shqipërisë" and "Albania" must meet, and "Durrës" must stay itself however
German stems it, so that names weigh alike in every language and a follow-up's "he" finds
the same person. The article's own capitalised words, the forms facts.yaml lists per
language (`languages.<code>.names`) and the language's places all map to English terms.
"""

from intents.facts import FactBase
from intents.index import capitalised_words
from intents.languages import SOURCE_LANGUAGE, Language
from intents.normalize import Analyzer, normalize


def name_forms(base: FactBase, language: Language) -> dict[str, str]:
    """Word (as the language spells it, and its stem) -> the English term it names."""
    if language.code == SOURCE_LANGUAGE:
        return {}
    english = Analyzer(base.synonyms)
    forms: dict[str, str] = {}

    def add(word: str, meaning: str) -> None:
        spelt = language.expand(normalize(word).split())
        terms = english.terms(meaning)
        if len(spelt) == 1 and len(terms) == 1:
            forms.setdefault(spelt[0], terms[0])
            forms.setdefault(language.stem(spelt[0]), terms[0])

    texts = base.languages.get(language.code)
    for meaning, written in (texts.names if texts else {}).items():
        for word in written:
            add(word, meaning)
    for word, meaning in language.places.items():
        add(word, meaning)
    for word in capitalised_words(base.article_text):
        add(word, word)
    return forms
