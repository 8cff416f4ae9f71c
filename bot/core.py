"""Question, Reply and the async core that answers: no platform words here.

Adapters turn a platform event into a Question and render the Reply; the core
never raises for user input: "no match" is a reply, not an exception.
"""

import logging
import math
import re
from collections import OrderedDict
from dataclasses import dataclass
from enum import StrEnum

from bot.ratelimit import RateLimit, Verdict
from intents import Fact, FactBase, Matcher, Outcome, Thresholds
from intents.matcher import MAX_QUERY_CHARS
from intents.normalize import normalize, stem

log = logging.getLogger(__name__)

MAX_FOLLOW_UPS = 3
MAX_SUGGESTIONS = 3
REMEMBERED_CHATS = 10_000  # chats whose last answer /source can show; oldest forgotten first
_WORD = re.compile(r"[^\W\d_]+")


@dataclass(frozen=True, slots=True)
class Question:
    """A message as every platform can describe it."""

    text: str
    user_id: str = ""
    chat_id: str = ""
    platform: str = "console"
    private: bool = True


class ReplyKind(StrEnum):
    ANSWER = "answer"  # a fact from the article
    CLARIFY = "clarify"  # "did you mean" with suggestions
    DECLINE = "decline"  # the article does not say; suggestions
    SMALLTALK = "smalltalk"  # greetings, thanks: never a fact
    INFO = "info"  # commands: help, topics, source, about
    LIMITED = "limited"  # the user asks too fast: one notice, then empty (send nothing)


@dataclass(frozen=True, slots=True)
class Option:
    """A fact a user can pick: adapters make buttons of these."""

    fact_id: str
    label: str


@dataclass(frozen=True, slots=True)
class Reply:
    """What to say, platform-neutral: adapters escape, split and add buttons."""

    kind: ReplyKind
    text: str
    fact_id: str | None = None
    title: str | None = None  # for a fact: the question it answers (its label)
    score: float = 0.0
    source: str | None = None
    suggestions: tuple[Option, ...] = ()
    follow_ups: tuple[Option, ...] = ()

    @property
    def options(self) -> tuple[Option, ...]:
        """Everything to offer as a pick: suggestions, then follow-ups not already suggested."""
        offered = {o.fact_id for o in self.suggestions}
        return self.suggestions + tuple(o for o in self.follow_ups if o.fact_id not in offered)

    @property
    def silent(self) -> bool:
        """Nothing to send: a user over the rate limit who was already told."""
        return not self.text

    @property
    def intent(self) -> str | None:
        """The fact this reply answers; None for anything that is not a fact answer."""
        return self.fact_id if self.kind is ReplyKind.ANSWER else None


class Core:
    """Answers questions about one article from its fact base."""

    def __init__(
        self,
        base: FactBase,
        *,
        thresholds: Thresholds | None = None,
        questions_per_minute: int = 0,
    ) -> None:
        """`questions_per_minute`: each user's limit on chat platforms; 0 for none (console)."""
        self.base = base
        self._limit = RateLimit(questions_per_minute) if questions_per_minute else None
        self.matcher = Matcher(base, thresholds)
        self._facts = {f.id: f for f in base.facts}
        self._smalltalk = {s.id: s.reply for s in base.smalltalk}
        self._topics: dict[str, list[Fact]] = {}
        for fact in base.facts:
            self._topics.setdefault(fact.topic, []).append(fact)
        self._examples = tuple(_option(facts[0]) for facts in self._topics.values())
        self._scope = f"I can answer questions about: {'; '.join(self._topics)}."
        self._last_fact: OrderedDict[tuple[str, str], str] = OrderedDict()
        self._commands = {
            "start": self._help,
            "help": self._help,
            "topics": self._list_topics,
            "source": self._source,
            "about": self._about,
        }

    async def answer(self, question: Question) -> Reply:
        """The reply to a message: a command, small talk, a fact, did-you-mean or a decline."""
        limited = self._over_limit(question)
        if limited:
            return limited
        text = question.text.strip()
        if text.startswith("/"):
            return self._command(text, question)
        return self._reply_to_text(text, question)

    async def answer_fact(self, fact_id: str, question: Question) -> Reply:
        """The reply for a fact picked by id, as from a suggestion button."""
        limited = self._over_limit(question)
        if limited:
            return limited
        fact = self._facts.get(fact_id)
        if fact is None:
            return Reply(ReplyKind.INFO, "That question is no longer in my list. Try /topics.")
        return self._fact_reply(fact, 100.0, question)

    async def best_answers(self, text: str, limit: int = 10) -> tuple[Reply, ...]:
        """Fact answers worth offering for a partly typed question, best first (inline search).

        An empty text offers one example per topic; nothing counts toward the rate limit,
        since a platform sends these as the user types.
        """
        if not normalize(text[:MAX_QUERY_CHARS]):
            facts = [self._facts[o.fact_id] for o in self._examples[:limit]]
            return tuple(self._fact_reply(f, 0.0) for f in facts)
        floor = self.matcher.thresholds.suggest
        matches = [m for m in self.matcher.match(text, limit) if m.score >= floor]
        return tuple(self._fact_reply(self._facts[m.fact_id], m.score) for m in matches)

    def _over_limit(self, question: Question) -> Reply | None:
        """None when the user may ask; else a notice the first time, then a silent reply."""
        if self._limit is None or not question.user_id:
            return None
        user = (question.platform, question.user_id)
        verdict = self._limit.hit(user)
        if verdict is Verdict.ALLOW:
            return None
        if verdict is Verdict.SILENT:
            return Reply(ReplyKind.LIMITED, "")
        log.info("%s: a user is over the rate limit; told once, then silence", question.platform)
        allowed = _count(self._limit.limit, "question")
        wait = _count(math.ceil(self._limit.wait(user)), "second")
        return Reply(
            ReplyKind.LIMITED,
            f"You're asking faster than I can answer: at most {allowed} a minute. "
            f"Please try again in {wait}.",
        )

    def _reply_to_text(self, text: str, question: Question) -> Reply:
        if not normalize(text[:MAX_QUERY_CHARS]):
            return Reply(
                ReplyKind.DECLINE,
                "I couldn't find a question in that. Ask me about the article in plain words.",
                suggestions=self._examples[:MAX_SUGGESTIONS],
            )
        talk = self.matcher.smalltalk(text)
        if talk is not None:
            return Reply(ReplyKind.SMALLTALK, self._smalltalk[talk])
        resolution = self.matcher.resolve(text)
        log.debug(
            "%s %r -> %s %s", question.platform, text[:200], resolution.outcome, resolution.matches
        )
        options = tuple(_option(self._facts[m.fact_id]) for m in resolution.matches)
        if resolution.outcome is Outcome.ANSWER:
            top = resolution.matches[0]
            return self._fact_reply(self._facts[top.fact_id], top.score, question, options[1:])
        score = resolution.top.score if resolution.top else 0.0
        if resolution.outcome is Outcome.CLARIFY:
            return Reply(
                ReplyKind.CLARIFY,
                "I'm not sure what you mean. Did you mean:",
                score=score,
                suggestions=options,
            )
        return Reply(
            ReplyKind.DECLINE,
            f"{_decline_lead(text, resolution.unknown_terms)} {self._scope}",
            score=score,
            suggestions=(options or self._examples)[:MAX_SUGGESTIONS],
        )

    def _fact_reply(
        self,
        fact: Fact,
        score: float,
        question: Question | None = None,
        alternatives: tuple[Option, ...] = (),
    ) -> Reply:
        """A fact answer; `alternatives`: facts nearly as close, offered in case they were meant.

        With a question, /source in its chat will show this fact.
        """
        if question is not None:
            self._remember(question, fact.id)
        related = (self._facts[r] for r in fact.related if r in self._facts)
        return Reply(
            ReplyKind.ANSWER,
            fact.answer,
            fact_id=fact.id,
            title=fact.label,
            score=score,
            source=fact.quote,
            suggestions=alternatives,
            follow_ups=tuple(_option(f) for f in related)[:MAX_FOLLOW_UPS],
        )

    def _remember(self, question: Question, fact_id: str) -> None:
        key = (question.platform, question.chat_id)
        self._last_fact[key] = fact_id
        self._last_fact.move_to_end(key)
        if len(self._last_fact) > REMEMBERED_CHATS:
            self._last_fact.popitem(last=False)

    def _command(self, text: str, question: Question) -> Reply:
        head, _, rest = text[1:].partition(" ")
        name = head.split("@", 1)[0].casefold()  # /ask@ThisBot -> ask
        if name == "ask":
            if rest.strip():
                return self._reply_to_text(rest.strip(), question)
            return Reply(
                ReplyKind.INFO,
                "Put your question after /ask, for example: /ask When did Albania join NATO?",
            )
        handler = self._commands.get(name)
        if handler is None:
            return Reply(ReplyKind.INFO, f"I don't know the command /{name[:32]}. Try /help.")
        return handler(question)

    def _help(self, question: Question) -> Reply:
        article = self.base.article
        text = (
            f"I answer questions about one news article: {article.outlet}, {article.date}: "
            f"{article.title}.\n\n"
            'Ask in plain words, for example "When did Albania join NATO?" or just "mek camp". '
            "Each answer comes with the article sentence it rests on; when the article "
            "does not say, I tell you so.\n\n"
            "Commands:\n"
            "/ask <question> - ask a question\n"
            "/topics - what I can answer, by topic\n"
            "/source - the article sentence behind my last answer\n"
            "/about - the article itself\n"
            "/help - this message"
        )
        return Reply(ReplyKind.INFO, text, suggestions=self._examples[:MAX_SUGGESTIONS])

    def _list_topics(self, question: Question) -> Reply:
        parts = ["What I can answer, by topic:"]
        for topic, facts in self._topics.items():
            lines = "\n".join(f"- {f.label}" for f in facts)
            parts.append(f"{topic}\n{lines}")
        return Reply(ReplyKind.INFO, "\n\n".join(parts))

    def _source(self, question: Question) -> Reply:
        fact_id = self._last_fact.get((question.platform, question.chat_id))
        fact = self._facts.get(fact_id) if fact_id else None
        if fact is None:
            return Reply(
                ReplyKind.INFO,
                "Ask me a question first; then /source shows the article sentence "
                "behind my answer.",
            )
        article = self.base.article
        return Reply(
            ReplyKind.INFO,
            f"My last answer rests on this passage of the article {article.title} "
            f"({article.outlet}, {article.date}):",
            fact_id=fact.id,
            source=fact.quote,
        )

    def _about(self, question: Question) -> Reply:
        article = self.base.article
        text = (
            f"{article.title}\n{article.outlet}, {article.date}\n\n{article.summary}\n\n"
            f"I know {len(self._facts)} facts from it; /topics lists them."
        )
        return Reply(ReplyKind.INFO, text)


def _count(number: int, noun: str) -> str:
    return f"{number} {noun}" if number == 1 else f"{number} {noun}s"


def _option(fact: Fact) -> Option:
    return Option(fact.id, fact.label)


def _decline_lead(text: str, unknown_terms: tuple[str, ...]) -> str:
    """The article does not say; and which proper noun it never mentions, if one was asked about."""
    unknown = set(unknown_terms)
    words = _WORD.findall(text)
    names = []
    for word in words[1:] if len(words) > 1 else words:
        if word[:1].isupper() and stem(normalize(word)) in unknown and word not in names:
            names.append(word)
    if names:
        return f"The article doesn't say: it never mentions {' or '.join(names[:2])}."
    return "The article doesn't say."
