"""Text normalisation shared by the fact base and incoming messages (pure)."""

import re
import unicodedata
from collections.abc import Iterable, Mapping

APOSTROPHES = "'\u2019\u2018`\u00b4\u02bc\u2032"
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
    which whom whose please tell know can could would should will shall may might
    any some so than then also just really very anything something thing things
    into onto over under up down out off again still ever one ones s t d ll re ve m
    let lets give show explain describe ok okay well according
    here now got get gets getting used exactly actually basically currently suddenly
    even like guys hmm um uh pls plz u ur im ive dont doesnt didnt isnt wasnt
    """.split()
)


def normalize(text: str) -> str:
    """Fold case, accents, apostrophes, punctuation, emoji and control characters.

    Returns lower-case words separated by single spaces; "Durrës" and "Durres"
    come out the same, and text of only symbols comes out empty.
    """
    decomposed = unicodedata.normalize("NFKD", text)
    chars: list[str] = []
    for ch in decomposed:
        category = unicodedata.category(ch)
        if category == "Mn":  # combining accent: Durrës -> Durres
            continue
        if ch in APOSTROPHES:
            chars.append("'")
        elif category[0] in "LN" or ch in ",.":
            chars.append(ch)
        else:
            chars.append(" ")
    folded = _DIGIT_GROUP.sub("", "".join(chars).casefold())  # 3,000 -> 3000
    folded = _POSSESSIVE.sub("", folded).replace("'", "")
    return " ".join(folded.replace(",", " ").replace(".", " ").split())


def stem(word: str) -> str:
    """Strip common English endings so "killed", "kills" and "killing" agree.

    Deliberately light: both sides of a comparison pass through it, so it only
    has to be consistent, not linguistically right.
    """
    if not word.isalpha() or len(word) <= 3:
        return word
    if word.endswith(("ies", "ied")) and len(word) > 4:
        return word[:-3] + "y"
    if word.endswith("ing") and len(word) > 5:
        return word[:-3]
    if word.endswith("ed") and len(word) > 4:
        return word[:-2]
    if word.endswith("es") and word[-3] in "sxz" and len(word) > 4:
        return word[:-2]
    if word.endswith("s") and not word.endswith(("ss", "us", "is")):
        return word[:-1]
    return word


class Analyzer:
    """Turns text into content terms: normalised, stemmed, synonyms mapped."""

    def __init__(self, synonyms: Mapping[str, str] | None = None) -> None:
        self._synonyms: dict[str, tuple[str, ...]] = {}
        for word, meaning in (synonyms or {}).items():
            target = tuple(stem(w) for w in normalize(meaning).split())
            for key in {normalize(word), stem(normalize(word))}:
                if key:
                    self._synonyms[key] = target

    def terms(self, text: str) -> list[str]:
        """Content terms of `text` in order, stopwords dropped, repeats kept."""
        words = normalize(text)
        unframed = _FRAMING.sub(" ", words)
        terms = self.terms_of_words(unframed.split())
        return terms or self.terms_of_words(words.split())

    def terms_of_words(self, words: Iterable[str]) -> list[str]:
        """Content terms of already normalised words."""
        out: list[str] = []
        for word in words:
            if word in STOPWORDS:
                continue
            mapped = self._synonyms.get(word)
            if mapped is None:
                stemmed = stem(word)
                mapped = self._synonyms.get(stemmed, (stemmed,))
            out.extend(t for t in mapped if t not in STOPWORDS)
        return out
