"""The languages the bot reads and answers in: how each is normalised, stemmed and spelt out.

English is the fact base's own language. German and Albanian questions keep their
content words (stemmed by the language's own rules, matched against that language's
phrasings) while their function words are read as the English ones the question-kind,
follow-up and framing rules understand: "wer" is "who", "kur" is "when", "und er?" is
"and he?". Adding a language is a module here with one `Language`, plus its texts in
facts.yaml and bot/locales.
"""

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field

from intents.languages import albanian, english, german


@dataclass(frozen=True)
class Language:
    """One language: its code (ISO 639-1), and how its words become matching terms."""

    code: str
    name: str  # in the language itself: "Deutsch"
    stopwords: frozenset[str]
    stemmer: Callable[[str], str]
    # normalised words or phrases -> what they mean, in English cue words ("" drops them)
    lexicon: Mapping[str, str] = field(default_factory=dict)
    fold: Callable[[str], str] = str  # spelling variants to one form ("ueber" -> "uber")
    compounds: bool = False  # long words may join two known ones ("natobeitritt")
    capitalises_nouns: bool = False  # a capital letter marks a noun, not only a name
    places: Mapping[str, str] = field(default_factory=dict)  # "russland" -> "russia"
    longest_run: int = 5  # consonants in a row a word may have before it reads as gibberish
    # words that point back only when they end the message: "wer ist das?" but "das lager"
    at_end: Mapping[str, str] = field(default_factory=dict)
    spell_out: Callable[[Iterable[str]], list[str]] | None = None  # the language's own pass

    def __post_init__(self) -> None:
        cues = frozenset(w for meaning in self.lexicon.values() for w in meaning.split())
        object.__setattr__(self, "_cues", cues)
        longest: dict[str, int] = {}  # first word of an entry -> its longest entry, in words
        for entry in self.lexicon:
            first, *rest = entry.split()
            longest[first] = max(longest.get(first, 1), 1 + len(rest))
        object.__setattr__(self, "_longest", longest)

    def stem(self, word: str) -> str:
        """The language's stem of a word; the English cue words its lexicon gives ("calls",
        "called") are stemmed as English, so they meet whichever word they came from."""
        return english.stem(word) if word in self._cues else self.stemmer(word)

    def expand(self, words: Iterable[str]) -> list[str]:
        """Normalised words with shorthand spelt out, filler dropped and function words read
        as English ones; phrases first, longest first."""
        if self.spell_out is not None:
            return self.spell_out(words)
        folded = [self.fold(w) for w in words]
        out: list[str] = []
        i = 0
        while i < len(folded):
            for length in range(min(self._longest.get(folded[i], 1), len(folded) - i), 0, -1):
                meaning = self.lexicon.get(" ".join(folded[i : i + length]))
                if meaning is not None:
                    out.extend(meaning.split())
                    i += length
                    break
            else:
                word = folded[i]
                last = word in self.at_end and all(map(self._says_nothing, folded[i + 1 :]))
                out.append(self.at_end[word] if last else word)
                i += 1
        return out

    def _says_nothing(self, word: str) -> bool:
        """Filler or a stopword: "wer ist das überhaupt?" still ends, in effect, on "das"."""
        return self.lexicon.get(word) == "" or word in self.stopwords


ENGLISH = Language("en", "English", english.STOPWORDS, english.stem, spell_out=english.expand)
GERMAN = Language(
    "de",
    "Deutsch",
    german.STOPWORDS,
    german.stem,
    german.LEXICON,
    german.fold,
    compounds=True,
    capitalises_nouns=True,
    places=german.PLACES,
    longest_run=8,
    at_end=german.AT_END,
)
ALBANIAN = Language(
    "sq",
    "Shqip",
    albanian.STOPWORDS,
    albanian.stem,
    albanian.LEXICON,
    places=albanian.PLACES,
    at_end=albanian.AT_END,
)
LANGUAGES = {language.code: language for language in (ENGLISH, GERMAN, ALBANIAN)}
SOURCE_LANGUAGE = "en"  # the article's, and the fact base's own


def language(code: str | None) -> Language | None:
    """The language of an ISO code or a platform locale ("de", "de-AT", "sq_AL"); else None."""
    if not isinstance(code, str) or not code:
        return None
    return LANGUAGES.get(code.replace("_", "-").split("-")[0].casefold())
