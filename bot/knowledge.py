"""What the core knows, per language: built whole from one fact base, replaced whole on reload.

Each language the fact base is written in gets its own view (answers, labels, topics,
small talk), its own matcher and its own lines; the guesser tells which a message is in.
"""

import threading
from collections import OrderedDict
from dataclasses import dataclass
from pathlib import Path

from bot.locales import Lines, lines
from intents import Fact, FactBase, Matcher, Thresholds, load_facts
from intents.detection import LanguageGuesser, choose, vocabulary
from intents.facts import Person
from intents.languages import LANGUAGES, SOURCE_LANGUAGE, language
from intents.matcher import MAX_QUERY_CHARS
from intents.normalize import normalize
from intents.timeline import Event, events

KEPT = 2  # fact bases whose knowledge is kept built (the serving one and a reload's)


@dataclass(frozen=True)
class Tongue:
    """The fact base in one language: what to match against and what to say."""

    code: str
    base: FactBase  # its answers, phrasings, topics; sources stay the article's English
    matcher: Matcher
    facts: dict[str, Fact]
    smalltalk: dict[str, str]
    topics: dict[str, list[Fact]]
    examples: tuple[Fact, ...]  # one per topic
    lines: Lines
    scope: str  # "I can answer questions about: ..."
    events: tuple[Event, ...]  # the timeline, in order
    people: tuple[Person, ...]  # the who's-who cards

    @classmethod
    def of(cls, base: FactBase, code: str, thresholds: Thresholds | None) -> "Tongue":
        matcher = Matcher(base, thresholds, language=LANGUAGES[code])
        view = matcher.base
        topics: dict[str, list[Fact]] = {}
        for fact in view.facts:
            topics.setdefault(fact.topic, []).append(fact)
        said = lines(code)
        texts = view.languages.get(code)
        dates = texts.dates if texts else {}
        return cls(
            code=code,
            base=view,
            matcher=matcher,
            facts={f.id: f for f in view.facts},
            smalltalk={s.id: s.reply for s in view.smalltalk},
            topics=topics,
            examples=tuple(facts[0] for facts in topics.values()),
            lines=said,
            scope=said("scope", topics="; ".join(topics)),
            events=tuple(events(view.facts, view.article_text, dates)),
            people=tuple(view.people),
        )

    def card(self, fact_id: str) -> Person | None:
        """The who's-who card whose "who is" fact this is (its first), if any."""
        return next((p for p in self.people if p.facts[0] == fact_id), None)


@dataclass(frozen=True)
class Knowledge:
    """Every language's view of one fact base, and how to tell which one a message is in."""

    base: FactBase
    tongues: dict[str, Tongue]
    guesser: LanguageGuesser

    @classmethod
    def of(cls, base: FactBase, thresholds: Thresholds | None) -> "Knowledge":
        """A language is spoken when the fact base translates at least one fact into it.

        Built once per fact base (it is immutable): cores sharing one share the indexes.
        """
        key = (id(base), thresholds)
        with _BUILDING:  # a reload builds on a worker thread
            built = _BUILT.get(key)
            if built is None or built.base is not base:
                built = cls._build(base, thresholds)
                _BUILT[key] = built
            _BUILT.move_to_end(key)
            while len(_BUILT) > KEPT:
                _BUILT.popitem(last=False)
            return built

    @classmethod
    def _build(cls, base: FactBase, thresholds: Thresholds | None) -> "Knowledge":
        written = {code for fact in base.facts for code in fact.translations}
        codes = [c for c in LANGUAGES if c == SOURCE_LANGUAGE or c in written]
        tongues = {code: Tongue.of(base, code, thresholds) for code in codes}
        guesser = LanguageGuesser(
            {c: vocabulary(t.base, LANGUAGES[c]) for c, t in tongues.items()},
            {c: LANGUAGES[c].fold for c in tongues},
        )
        return cls(base, tongues, guesser)

    @classmethod
    def load(cls, path: Path, thresholds: Thresholds | None) -> "Knowledge":
        """Read, validate and index a fact base; FactBaseError listing every problem."""
        return cls.of(load_facts(path), thresholds)

    @property
    def english(self) -> Tongue:
        return self.tongues[SOURCE_LANGUAGE]

    def tongue(self, code: str | None) -> Tongue:
        """The language of that code, or English when the bot does not speak it."""
        return self.tongues.get(code or "", self.english)

    def smalltalk(self, text: str, tongue: Tongue) -> str | None:
        """The small-talk id `text` is, in its own language (slips allowed) or as another
        language lists it ("hi" from a user whose app is Albanian), to be answered in `tongue`."""
        talk = tongue.matcher.smalltalk(text)
        others = (t for t in self.tongues.values() if t is not tongue)
        return talk or next(
            filter(None, (t.matcher.smalltalk(text, fuzzy=False) for t in others)), None
        )

    def language_of(self, text: str, previous: str | None, hint: str | None) -> Tongue:
        """The language to read and answer `text` in: its own words decide, else the
        conversation's language, else the platform's hint, else the language its words
        lean to, else English."""
        guessed, leaning = self.guesser.read(normalize(text[:MAX_QUERY_CHARS]).split())
        hinted = language(hint)
        code = choose(guessed, previous, hinted.code if hinted else None, leaning, self.tongues)
        return self.tongues[code]


_BUILT: OrderedDict[tuple[int, Thresholds | None], Knowledge] = OrderedDict()
_BUILDING = threading.Lock()
