"""Question, Reply and the async core that answers: no platform words here.

Adapters turn a platform event into a Question and render the Reply; the core
never raises for user input: "no match" is a reply, not an exception.
"""

import asyncio
import logging
import math
import re
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path

from bot import wording
from bot.conversation import Conversations, Key
from bot.journal import Event, Journal
from bot.ratelimit import ChatLimits, Verdict
from intents import Fact, FactBase, FactBaseError, Matcher, Outcome, Thresholds, load_facts
from intents.matcher import MAX_QUERY_CHARS, Resolution
from intents.noise import is_gibberish, is_insult, other_language
from intents.normalize import INTERROGATIVES, normalize
from intents.shorthand import expand

log = logging.getLogger(__name__)

MAX_FOLLOW_UPS = 3
MAX_SUGGESTIONS = 3
_PICK = re.compile(r"[0-9]{1,2}")  # a bare small number is a pick from options, not a question
_LONE_SURROGATE = re.compile("[\ud800-\udfff]")  # JSON can carry one; UTF-8 cannot


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


@dataclass(frozen=True)
class _Knowledge:
    """Everything the core derives from one fact base: replaced whole on reload."""

    base: FactBase
    matcher: Matcher
    facts: dict[str, Fact]
    smalltalk: dict[str, str]
    topics: dict[str, list[Fact]]
    examples: tuple[Option, ...]
    scope: str

    @classmethod
    def of(cls, base: FactBase, thresholds: Thresholds | None) -> "_Knowledge":
        topics: dict[str, list[Fact]] = {}
        for fact in base.facts:
            topics.setdefault(fact.topic, []).append(fact)
        return cls(
            base=base,
            matcher=Matcher(base, thresholds),
            facts={f.id: f for f in base.facts},
            smalltalk={s.id: s.reply for s in base.smalltalk},
            topics=topics,
            examples=tuple(_option(facts[0]) for facts in topics.values()),
            scope=f"I can answer questions about: {'; '.join(topics)}.",
        )

    @classmethod
    def load(cls, path: Path, thresholds: Thresholds | None) -> "_Knowledge":
        """Read, validate and index a fact base; FactBaseError listing every problem."""
        return cls.of(load_facts(path), thresholds)


@dataclass(frozen=True, slots=True)
class Reload:
    """The outcome of a reload: the facts serving now, and what was wrong if it failed."""

    ok: bool
    facts: int
    problems: tuple[str, ...] = ()
    before: int = 0


class Core:
    """Answers questions about one article from its fact base."""

    def __init__(
        self,
        base: FactBase,
        *,
        thresholds: Thresholds | None = None,
        questions_per_minute: int = 0,
        group_share: int = 0,
        journal: Journal | None = None,
        facts_path: Path | None = None,
        admins: frozenset[tuple[str, str]] = frozenset(),
    ) -> None:
        """`questions_per_minute`: each user's limit on chat platforms; 0 for none (console);
        `group_share`: a user's limit within one group chat, so one cannot silence it.

        `journal` records outcomes; `facts_path` is what a reload reads; `admins`:
        (platform, user id) pairs allowed to /reload.
        """
        self._thresholds = thresholds
        self._known = _Knowledge.of(base, thresholds)
        self._limit = (
            ChatLimits(questions_per_minute, group_share) if questions_per_minute else None
        )
        self._journal = journal
        self.facts_path = facts_path
        self._admins = admins
        self._reloading = asyncio.Lock()
        self.conversations = Conversations()
        self._commands = {
            "start": self._help,
            "help": self._help,
            "topics": self._list_topics,
            "source": self._source,
            "about": self._about,
        }

    @property
    def base(self) -> FactBase:
        """The fact base serving now; a reload replaces it."""
        return self._known.base

    @property
    def matcher(self) -> Matcher:
        """The matcher serving now: for fitting the decision model on what the bot sees."""
        return self._known.matcher

    def close(self) -> None:
        """Write what the journal still holds; call once no more questions come."""
        if self._journal is not None:
            self._journal.close()

    async def reload(self) -> Reload:
        """Re-read `facts_path` off the event loop and swap it in whole, or keep the old one.

        Questions keep being answered from the old fact base until the new one is ready;
        a broken file changes nothing and every problem is logged and returned.
        """
        if self.facts_path is None:
            return Reload(False, len(self._known.facts), ("no fact file to reload from",))
        async with self._reloading:
            before = len(self._known.facts)
            try:
                known = await asyncio.to_thread(_Knowledge.load, self.facts_path, self._thresholds)
            except FactBaseError as exc:
                log.error(
                    "reload: %s has %d problem(s); still serving the %d facts loaded before",
                    self.facts_path,
                    len(exc.problems),
                    before,
                )
                for problem in exc.problems:
                    log.error("reload: %s", problem)
                return Reload(False, before, tuple(exc.problems), before)
            self._known = known
            log.info("reload: %s: %d facts (%d before)", self.facts_path, len(known.facts), before)
            return Reload(True, len(known.facts), (), before)

    async def answer(self, question: Question) -> Reply:
        """The reply to a message: a command, small talk, a fact, did-you-mean or a decline."""
        limited = self._over_limit(question)
        if limited:
            return limited
        text = _LONE_SURROGATE.sub("\ufffd", question.text).strip()
        if _command_name(text) == "reload":
            return await self._reload_command(question)
        if text.startswith("/"):
            return self._command(text, question)
        return self._reply_to_text(text, question)

    async def answer_fact(self, fact_id: str, question: Question) -> Reply:
        """The reply for a fact picked by id, as from a suggestion button."""
        limited = self._over_limit(question)
        if limited:
            return limited
        fact = self._known.facts.get(fact_id)
        if fact is None:
            return Reply(ReplyKind.INFO, "That question is no longer in my list. Try /topics.")
        self._record(question, "answer", fact.id)
        self._remember_fact(_key(question), fact.id)
        return self._fact_reply(fact, 100.0)

    async def best_answers(self, text: str, limit: int = 10) -> tuple[Reply, ...]:
        """Fact answers worth offering for a partly typed question, best first (inline search).

        An empty text offers one example per topic; nothing counts toward the rate limit,
        since a platform sends these as the user types.
        """
        known = self._known
        if not normalize(text[:MAX_QUERY_CHARS]):
            facts = [known.facts[o.fact_id] for o in known.examples[:limit]]
            return tuple(self._fact_reply(f, 0.0) for f in facts)
        floor = known.matcher.thresholds.suggest
        matches = [m for m in known.matcher.match(text, limit) if m.score >= floor]
        return tuple(self._fact_reply(known.facts[m.fact_id], m.score) for m in matches)

    def _over_limit(self, question: Question) -> Reply | None:
        """None when the user may ask; else a notice the first time, then a silent reply."""
        if self._limit is None or not question.user_id:
            return None
        user = (question.platform, question.user_id)
        chat = None if question.private else (question.platform, question.chat_id)
        verdict, limit, key = self._limit.hit(user, chat)
        if verdict is Verdict.ALLOW:
            return None
        if verdict is Verdict.SILENT:
            return Reply(ReplyKind.LIMITED, "")
        log.info("%s: a user is over the rate limit; told once, then silence", question.platform)
        allowed = _count(limit.limit, "question")
        wait = _count(math.ceil(limit.wait(key)), "second")
        where = " here" if limit is self._limit.in_group else ""
        return Reply(
            ReplyKind.LIMITED,
            f"You're asking faster than I can answer{where}: at most {allowed} a minute. "
            f"Please try again in {wait}.",
        )

    def _reply_to_text(self, text: str, question: Question) -> Reply:
        known = self._known  # one fact base for the whole answer, even if a reload lands
        normalized = normalize(text[:MAX_QUERY_CHARS])
        early = self._not_a_question(text, normalized)
        if early is not None:
            return early
        key = _key(question)
        resolution = known.matcher.resolve(text, self.conversations.context(key))
        log.debug(
            "%s %r -> %s %s", question.platform, text[:200], resolution.outcome, resolution.matches
        )
        unclear = self._unclear(resolution, expand(normalized.split()))
        if unclear is not None:
            return unclear
        if resolution.outcome is Outcome.MORE:
            return self._more(question, key)
        options = tuple(_option(known.facts[m.fact_id]) for m in resolution.matches)
        if resolution.outcome is Outcome.ANSWER:
            top = resolution.matches[0]
            self._record(question, "answer", top.fact_id)
            self.conversations.remember(key, resolution.terms, resolution.names, top.fact_id)
            return self._fact_reply(known.facts[top.fact_id], top.score, options[1:])
        candidates = tuple((m.fact_id, m.score) for m in resolution.matches)
        kind = "clarify" if resolution.outcome is Outcome.CLARIFY else "decline"
        self._record(question, kind, "", normalized, candidates)
        score = resolution.top.score if resolution.top else 0.0
        if resolution.outcome is Outcome.DECLINE:
            if not resolution.followed:  # a new topic the article lacks: lean on nothing after
                self.conversations.new_topic(key)
            lead = wording.decline_lead(text, resolution.unknown_terms)
            suggestions = (options or known.examples)[:MAX_SUGGESTIONS]
            return Reply(
                ReplyKind.DECLINE, f"{lead} {known.scope}", score=score, suggestions=suggestions
            )
        shown = resolution.matches[0].fact_id if resolution.outcome is Outcome.PARTIAL else None
        self.conversations.remember(key, resolution.terms, resolution.names, shown)
        if resolution.outcome is Outcome.PARTIAL:
            return self._partial(resolution, score, options)
        return Reply(ReplyKind.CLARIFY, wording.CLARIFY, score=score, suggestions=options)

    def _not_a_question(self, text: str, normalized: str) -> Reply | None:
        """The reply to a message that is no question about the article, or None."""
        if not normalized:
            return self._not_understood()
        if _PICK.fullmatch(normalized):
            return Reply(ReplyKind.INFO, wording.NO_OPTIONS)
        talk = self._known.matcher.smalltalk(text)
        if talk is not None:
            return Reply(ReplyKind.SMALLTALK, self._known.smalltalk[talk])
        language = other_language(normalized.split())
        if language is not None:
            return Reply(ReplyKind.DECLINE, wording.OTHER_LANGUAGE[language])
        return None

    def _unclear(self, resolution: Resolution, words: list[str]) -> Reply | None:
        """The reply to an insult, a bare "why?", or a message with no word the fact base
        knows and only filler or gibberish besides; None for a question."""
        if resolution.outcome is not Outcome.ANSWER and is_insult(words):
            return Reply(ReplyKind.SMALLTALK, wording.INSULT)
        if resolution.outcome is Outcome.MORE:
            return None
        unknown = resolution.unknown_terms
        known = [t for t in resolution.terms if t not in unknown]
        if known and not unknown and set(known) <= INTERROGATIVES and not resolution.matches:
            return Reply(ReplyKind.INFO, wording.BARE_QUESTION)  # "why?" with nothing before
        if not known and all(is_gibberish(t) for t in unknown):
            return self._not_understood()
        return None

    def _remember_fact(self, key: Key, fact_id: str) -> None:
        """A fact given by button or "more": the conversation is now about its question."""
        terms, names = self._known.matcher.terms_of(fact_id)
        self.conversations.remember(key, terms, names, fact_id)

    def _not_understood(self) -> Reply:
        return Reply(
            ReplyKind.DECLINE,
            wording.NOT_UNDERSTOOD,
            suggestions=self._known.examples[:MAX_SUGGESTIONS],
        )

    def _partial(self, resolution: Resolution, score: float, options: tuple[Option, ...]) -> Reply:
        """What the article lacks, then what it does say, with that fact's source and button."""
        fact = self._known.facts[resolution.matches[0].fact_id]
        return Reply(
            ReplyKind.DECLINE,
            wording.partial(resolution.asked, fact.answer, self.base.article.date),
            score=score,
            source=fact.quote,
            suggestions=options[:1],
        )

    def _more(self, question: Question, key: Key) -> Reply:
        """ "Tell me more": the first related fact of the conversation's facts not yet given."""
        context = self.conversations.context(key)
        if context is None or not context.facts:
            return Reply(ReplyKind.INFO, wording.NO_CONVERSATION)
        given = set(context.facts)
        facts = self._known.facts
        for fact_id in context.facts:
            fact = facts.get(fact_id)
            for related in fact.related if fact else ():
                if related not in given and related in facts:
                    self._record(question, "answer", related)
                    self._remember_fact(key, related)
                    return self._fact_reply(facts[related], 100.0)
        return Reply(ReplyKind.INFO, wording.NOTHING_MORE)

    def _record(
        self,
        question: Question,
        kind: str,
        fact_id: str,
        text: str = "",
        candidates: tuple[tuple[str, float], ...] = (),
    ) -> None:
        if self._journal is not None:
            self._journal.record(
                Event(question.platform, kind, fact_id, text, candidates, question.user_id or None)
            )

    def _fact_reply(self, fact: Fact, score: float, alternatives: tuple[Option, ...] = ()) -> Reply:
        """A fact answer; `alternatives`: facts nearly as close, offered in case they were meant."""
        facts = self._known.facts
        related = (facts[r] for r in fact.related if r in facts)
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

    async def _reload_command(self, question: Question) -> Reply:
        """/reload, for the admins named in ADMIN_IDS: the outcome, every problem listed."""
        if (question.platform, question.user_id) not in self._admins:
            log.info("%s: /reload refused to a user who is not an admin", question.platform)
            return Reply(ReplyKind.INFO, "Only the bot's admins can use /reload.")
        result = await self.reload()
        name = self.facts_path.name if self.facts_path else "the fact base"
        if result.ok:
            text = f"Reloaded {name}: {result.facts} facts (before: {result.before})."
        else:
            listed = "\n".join(f"- {p}" for p in result.problems)
            text = (
                f"{name} was not reloaded: {len(result.problems)} problem(s). Still serving "
                f"the {result.facts} facts loaded before.\n{listed}"
            )
        return Reply(ReplyKind.INFO, text)

    def _command(self, text: str, question: Question) -> Reply:
        name = _command_name(text)
        if name == "ask":
            rest = text.partition(" ")[2].strip()
            if rest:
                return self._reply_to_text(rest, question)
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
        return Reply(ReplyKind.INFO, text, suggestions=self._known.examples[:MAX_SUGGESTIONS])

    def _list_topics(self, question: Question) -> Reply:
        parts = ["What I can answer, by topic:"]
        for topic, facts in self._known.topics.items():
            lines = "\n".join(f"- {f.label}" for f in facts)
            parts.append(f"{topic}\n{lines}")
        return Reply(ReplyKind.INFO, "\n\n".join(parts))

    def _source(self, question: Question) -> Reply:
        fact_id = self.conversations.last_fact(_key(question))
        fact = self._known.facts.get(fact_id) if fact_id else None
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
            f"I know {len(self._known.facts)} facts from it; /topics lists them."
        )
        return Reply(ReplyKind.INFO, text)


def _count(number: int, noun: str) -> str:
    return f"{number} {noun}" if number == 1 else f"{number} {noun}s"


def _command_name(text: str) -> str | None:
    """ "/ask@ThisBot rest" -> "ask"; None when the text is not a command."""
    if not text.startswith("/"):
        return None
    return text[1:].partition(" ")[0].split("@", 1)[0].casefold()


def _key(question: Question) -> Key:
    """Whose conversation a message continues: each person's own, in each chat."""
    return (question.platform, question.chat_id, question.user_id)


def _option(fact: Fact) -> Option:
    return Option(fact.id, fact.label)
