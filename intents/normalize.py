"""Text normalisation shared by the fact base and incoming messages (pure)."""

import re
import unicodedata
from collections.abc import Callable, Iterable, Mapping
from functools import lru_cache
from typing import TYPE_CHECKING

import snowballstemmer

from intents.shorthand import expand

if TYPE_CHECKING:  # the languages build on this module's English rules
    from intents.languages import Language

APOSTROPHES = "'\u2019\u2018`\u00b4\u02bc\u2032"
_STEMMER = snowballstemmer.stemmer("english")
# The kind of answer a question asks for; kept whole ("why" would stem to "whi").
QUESTION_WORDS = frozenset({"who", "when", "where", "why"})
INTERROGATIVES = QUESTION_WORDS | {"what", "which", "how"}
_DIGIT_GROUP = re.compile(r"(?<=\d)[,.](?=\d{3}\b)")
_POSSESSIVE = re.compile(r"'s\b")
# "According to the article, ..." frames a question without saying what it asks.
_FRAMING = re.compile(
    r"\b(?:(?:according to|in|from|by) (?:the|this) (?:article|story|piece|text)"
    r"|(?:does|did) (?:the|this) (?:article|story|piece|text) (?:say|mention|tell))\b"
)

# Function words that say nothing about which fact is meant. Question words
# (who, when, where, why, how, many) are kept: they tell "who is Rama" from
# "what did Rama say".
STOPWORDS = frozenset(
    """
    a an the is are was were be been being am do does did doing done of in on at to
    for from by with about as and or but if it its this that these those there
    their theirs they them he she his her him i me my we our you your yours what
    which whom whose please tell know can would should will shall
    any some so than then also just really very anything something thing things
    into onto over under up down out off again still ever one ones s t d ll re ve m
    let lets give show explain ok okay well according
    here now got get gets getting used exactly actually basically currently suddenly
    even like guys hmm um uh pls plz u ur im ive dont doesnt didnt isnt wasnt cant
    wont arent werent havent hasnt couldnt wouldnt shouldnt official officially serious
    has have had having true truly same going go goes anyone anybody someone somebody
    everyone right such heard hear read saw seen toward towards itself themselves
    himself herself retired former make makes made put puts hold holds held name names
    named top much mention mentions mentioned mentioning officials better strong another
    other else change changed phrase use uses using quoted bring brings
    severe kind sort worth
    """.split()
)


class _Folding(dict[int, str | None]):
    """What each character becomes (str.translate's table), worked out once per character:
    a combining accent goes, an apostrophe is one, letters, digits, "," and "." stay, and
    everything else is a space."""

    def __missing__(self, code: int) -> str | None:
        ch = chr(code)
        category = unicodedata.category(ch)
        if category == "Mn":  # combining accent: Durrës -> Durres
            value = None
        elif ch in APOSTROPHES:
            value = "'"
        elif category[0] in "LN" or ch in ",.":
            value = ch
        else:
            value = " "
        self[code] = value
        return value


_FOLDING = _Folding()


@lru_cache(maxsize=4096)  # the core and the matcher each normalise the same message
def normalize(text: str) -> str:
    """Fold case, accents, apostrophes, punctuation, emoji and control characters.

    Returns lower-case words separated by single spaces; "Durrës" and "Durres"
    come out the same, and text of only symbols comes out empty.
    """
    chars = unicodedata.normalize("NFKD", text).translate(_FOLDING)
    folded = _DIGIT_GROUP.sub("", chars.casefold())  # 3,000 -> 3000
    folded = _POSSESSIVE.sub("", folded).replace("'", "")
    return " ".join(folded.replace(",", " ").replace(".", " ").split())


@lru_cache(maxsize=65_536)
def stem(word: str) -> str:
    """The Snowball (Porter2) stem, so "killed", "kills" and "killing" agree.

    Both sides of every comparison pass through it, so it only has to be
    consistent; numbers and mixed tokens are left as they are.
    """
    if not word.isalpha() or word in QUESTION_WORDS:
        return word
    return _STEMMER.stemWord(word)


class Analyzer:
    """Turns text into content terms: normalised, stemmed, synonyms mapped, in one language."""

    def __init__(
        self,
        synonyms: Mapping[str, str] | None = None,
        language: "Language | None" = None,
        names: Mapping[str, str] | None = None,
    ) -> None:
        """`synonyms` maps a word or phrase people use to the fact base's word(s);
        `language`: how its words are spelt out, dropped and stemmed (English if None);
        `names`: words kept as these terms whatever the language ("durres" as English has it).
        """
        self.language = language
        self.expand: Callable[[Iterable[str]], list[str]] = language.expand if language else expand
        self._stopwords = language.stopwords | STOPWORDS if language else STOPWORDS
        native = language.stem if language else stem
        named = dict(names or {})
        self.stem: Callable[[str], str] = native
        if named:  # by the word or by its stem: "Albaniens" is "albanien", which is "albania"
            self.stem = lambda w: named.get(w) or named.get(native(w)) or native(w)
        self._synonyms: dict[str, tuple[str, ...]] = {}
        self._phrases: dict[tuple[str, ...], tuple[str, ...]] = {}
        phrases: dict[str, str] = {}
        stems: dict[str, tuple[str, ...]] = {}
        # other languages' synonyms are spelt like their questions: folded, function words read
        spelt = self.expand if language else list
        for word, meaning in (synonyms or {}).items():
            key = " ".join(spelt(normalize(word).split()))
            if not key:
                continue
            if " " in key:
                phrases[key] = meaning
                continue
            target = tuple(self.stem(w) for w in spelt(normalize(meaning).split()))
            self._synonyms[key] = target
            stems[self.stem(key)] = target
        # a stem never overrides a word listed as itself ("commentator" stems to "comment")
        for form, target in stems.items():
            self._synonyms.setdefault(form, target)
        # Phrases are matched on terms, after single words are mapped, so that
        # "peoples mujahideen" meets "people's mujahedin" -> "mek".
        joined = {tuple(self.terms(key)): tuple(self.terms(v)) for key, v in phrases.items()}
        self._phrases = {key: meaning for key, meaning in joined.items() if key}
        self._phrase_lengths = sorted({len(k) for k in self._phrases}, reverse=True)

    def terms(self, text: str) -> list[str]:
        """Content terms of `text` in order, stopwords dropped, repeats kept."""
        return self.terms_of_normalized(normalize(text))

    def terms_of_normalized(self, words: str) -> list[str]:
        """Content terms of text already normalised; framing like "in the article" dropped."""
        return self.terms_of_expanded(" ".join(self.expand(words.split())))

    def terms_of_expanded(self, words: str) -> list[str]:
        """The same for words already normalised and spelt out (`self.expand`), as the matcher
        has; framing like "in the article" dropped."""
        framed = self.terms_of_words(_FRAMING.sub(" ", words).split())
        return framed or self.terms_of_words(words.split())

    def word_terms(self, text: str) -> list[str]:
        """Content terms word by word, no phrase joined: "legal advisor" stays two terms."""
        return self.terms_of_words(self.expand(normalize(text).split()), phrases=False)

    def terms_of_words(self, words: Iterable[str], *, phrases: bool = True) -> list[str]:
        """Content terms of already normalised words."""
        out: list[str] = []
        for word in words:
            if word in self._stopwords:
                continue
            mapped = self._synonyms.get(word)
            if mapped is None:
                stemmed = self.stem(word)
                mapped = self._synonyms.get(stemmed, (stemmed,))
            out.extend(t for t in mapped if t not in self._stopwords)
        return self._join_phrases(out) if self._phrases and phrases else out

    def _join_phrases(self, terms: list[str]) -> list[str]:
        """Replace runs of terms that form a known phrase by what the phrase means."""
        out: list[str] = []
        i = 0
        while i < len(terms):
            for length in self._phrase_lengths:
                meaning = self._phrases.get(tuple(terms[i : i + length]))
                if meaning is not None:
                    out.extend(meaning)
                    i += length
                    break
            else:
                out.append(terms[i])
                i += 1
        return out
