"""Which language a message is in: from its own words, else the conversation, else a hint.

Each language's vocabulary is what the fact base writes in it (phrasings, answers,
synonyms) plus its function words and shorthand. A word known to one language only is
evidence for it; one known to several ("rama", "nato") is shared evidence and decides
nothing. Short or mixed messages ("rama nato") stay undecided, and then the conversation's
language, the platform's hint (Telegram's language_code, Discord's locale), the language
with the most evidence if one alone has it, and finally English decide, in that order.
"""

from collections.abc import Callable, Iterable, Mapping, Sequence

from intents.facts import FactBase
from intents.languages import SOURCE_LANGUAGE, Language
from intents.normalize import normalize
from intents.shorthand import FILLER, SHORTHAND

DECISIVE = 0.75  # evidence the best language must lead by: most of one distinctive word


class LanguageGuesser:
    """Guesses a message's language from words each language's vocabulary knows."""

    def __init__(
        self,
        vocabularies: Mapping[str, Iterable[str]],
        folds: Mapping[str, Callable[[str], str]] | None = None,
    ) -> None:
        """`vocabularies`: code -> the words of that language (normalised, folded as it
        folds them); `folds`: code -> how that language folds a typed word ("ueber")."""
        self._vocabularies = {code: frozenset(words) for code, words in vocabularies.items()}
        self._folds = dict(folds or {})

    def knowers(self, word: str) -> list[str]:
        """The languages whose vocabulary has `word`."""
        return [
            code
            for code, vocabulary in self._vocabularies.items()
            if self._folds.get(code, str)(word) in vocabulary
        ]

    def evidence(self, words: Sequence[str]) -> dict[str, float]:
        """Per language, the share of `words` it can claim: 1 for a word only it knows,
        1/k for a word k languages know."""
        scores = dict.fromkeys(self._vocabularies, 0.0)
        for word in words:
            knowers = self.knowers(word)
            for code in knowers:
                scores[code] += 1 / len(knowers)
        return scores

    def guess(self, words: Sequence[str]) -> str | None:
        """The language `words` are clearly in, or None when they do not say."""
        return self.read(words)[0]

    def read(
        self, words: Sequence[str], default: str = SOURCE_LANGUAGE
    ) -> tuple[str | None, str | None]:
        """The language `words` are clearly in (or None), and the one they lean to: the
        language with the most evidence when it is one alone, `default` when it ties for
        the most ("is tirana in albania": "is" and "in" are German words too), None when
        no word is known."""
        scores = self.evidence(words)
        ranked = sorted(scores.values(), reverse=True)
        top = ranked[0] if ranked else 0.0
        if top == 0:
            return None, None
        leaders = [code for code, score in scores.items() if score == top]
        runner = ranked[1] if len(ranked) > 1 else 0.0
        clear = leaders[0] if top - runner >= DECISIVE else None
        if default in leaders:
            return clear, default
        return clear, leaders[0] if len(leaders) == 1 else None


def choose(
    guessed: str | None,
    previous: str | None,
    hint: str | None,
    leaning: str | None,
    known: Iterable[str],
) -> str:
    """The reply's language: the message's own, else the conversation's, else the platform's
    hint, else the one the message leans to, else English; only languages the bot `known`s."""
    known = set(known)
    for code in (guessed, previous, hint, leaning):
        if code in known:
            return code
    return SOURCE_LANGUAGE


def vocabulary(base: FactBase, language: Language) -> frozenset[str]:
    """The words a language's side of the fact base writes, as typed (folded, not read as
    English), with the language's function words, shorthand and places."""
    texts = [f.answer for f in base.facts] + [q for f in base.facts for q in f.questions]
    texts += [p for s in base.smalltalk for p in s.phrasings] + list(base.synonyms)
    texts += [*language.lexicon, *language.stopwords, *language.places]
    if language.spell_out is not None:  # English: its shorthand and filler too
        texts += [*SHORTHAND, *FILLER]
    return frozenset(language.fold(w) for text in texts for w in normalize(text).split())
