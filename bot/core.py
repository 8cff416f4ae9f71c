"""The async core that answers: no platform words here (bot/messages has what it exchanges).

Adapters turn a platform event into a Question and render the Reply; the core
never raises for user input: "no match" is a reply, not an exception.
"""

import asyncio
import logging
import math
import re
from dataclasses import dataclass
from pathlib import Path

from bot import wording
from bot.conversation import Conversations, Key
from bot.journal import Event, Journal
from bot.knowledge import Knowledge, Tongue
from bot.messages import Option, Question, Reply, ReplyKind
from bot.ratelimit import SharedLimits, Verdict
from bot.shared import Shared
from bot.showcase import Showcase, card_options
from intents import Fact, FactBase, FactBaseError, Matcher, Outcome, Thresholds
from intents.matcher import MAX_QUERY_CHARS, Resolution
from intents.noise import is_gibberish, is_insult
from intents.normalize import INTERROGATIVES, normalize

log = logging.getLogger(__name__)

MAX_FOLLOW_UPS = 3
MAX_SUGGESTIONS = 3
_PICK = re.compile(r"[0-9]{1,2}")  # a bare small number is a pick from options, not a question
_LONE_SURROGATE = re.compile("[\ud800-\udfff]")  # JSON can carry one; UTF-8 cannot


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
        shared: Shared | None = None,
    ) -> None:
        """`questions_per_minute`: each user's limit on chat platforms; 0 for none (console);
        `group_share`: a user's limit within one group chat, so one cannot silence it.

        `journal` records outcomes; `facts_path` is what a reload reads; `admins`:
        (platform, user id) pairs allowed to /reload; `shared`: Redis, where several
        processes keep the conversations they all answer.
        """
        self._thresholds = thresholds
        self._known = Knowledge.of(base, thresholds)
        self._limit = (
            SharedLimits(questions_per_minute, group_share, shared)
            if questions_per_minute
            else None
        )
        self._journal = journal
        self.facts_path = facts_path
        self._admins = admins
        self._reloading = asyncio.Lock()
        self.shared = shared
        self.conversations = Conversations(shared=shared)
        self._showcase = Showcase()
        self._commands = {
            "start": self._help,
            "help": self._help,
            "topics": self._list_topics,
            "source": self._source,
            "about": self._about,
            "people": lambda question, tongue: self._showcase.people(tongue),
        }

    @property
    def base(self) -> FactBase:
        """The fact base serving now; a reload replaces it."""
        return self._known.base

    @property
    def languages(self) -> tuple[str, ...]:
        """The languages the fact base serving now is written in, English first."""
        return tuple(self._known.tongues)

    def matcher_in(self, code: str) -> Matcher:
        """The matcher serving now for a language: for fitting its decision model."""
        return self._known.tongue(code).matcher

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
            return Reload(False, len(self.base.facts), ("no fact file to reload from",))
        async with self._reloading:
            before = len(self.base.facts)
            try:
                known = await asyncio.to_thread(Knowledge.load, self.facts_path, self._thresholds)
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
            facts = len(known.base.facts)
            log.info("reload: %s: %d facts (%d before)", self.facts_path, facts, before)
            return Reload(True, facts, (), before)

    async def answer(self, question: Question) -> Reply:
        """The reply to a message: a command, small talk, a fact, did-you-mean or a decline."""
        await self.conversations.pull(_key(question))  # another process may have the last turn
        reply = await self._answer(question)
        await self.conversations.push(_key(question))
        return reply

    async def _answer(self, question: Question) -> Reply:
        limited = await self._over_limit(question, self._tongue(question, ""))  # before reading
        if limited:
            return limited
        text = _LONE_SURROGATE.sub("\ufffd", question.text).strip()
        tongue = self._tongue(question, "" if text.startswith("/") else text)
        if _command_name(text) == "reload":
            return await self._reload_command(question, tongue)
        if _command_name(text) == "timeline":  # drawn off the loop: an await
            return await self._showcase.timeline(tongue)
        if text.startswith("/"):
            return self._command(text, question, tongue)
        return self._reply_to_text(text, question, tongue)

    async def answer_fact(self, fact_id: str, question: Question) -> Reply:
        """The reply for a fact picked by id, as from a suggestion button."""
        await self.conversations.pull(_key(question))
        reply = await self._answer_fact(fact_id, question)
        await self.conversations.push(_key(question))
        return reply

    async def _answer_fact(self, fact_id: str, question: Question) -> Reply:
        tongue = self._tongue(question, "")
        limited = await self._over_limit(question, tongue)
        if limited:
            return limited
        fact = tongue.facts.get(fact_id)
        if fact is None:
            return Reply(ReplyKind.INFO, tongue.lines("gone"), lang=tongue.code)
        self._record(question, "answer", fact.id)
        self._remember_fact(tongue, _key(question), fact.id)
        return self._fact_reply(tongue, fact, 100.0)

    async def best_answers(
        self, text: str, limit: int = 10, hint: str | None = None
    ) -> tuple[Reply, ...]:
        """Fact answers worth offering for a partly typed question, best first (inline search).

        An empty text offers one example per topic; nothing counts toward the rate limit,
        since a platform sends these as the user types. `hint`: the user's platform language.
        """
        tongue = self._known.language_of(text, None, hint)
        if not normalize(text[:MAX_QUERY_CHARS]):
            return tuple(self._fact_reply(tongue, f, 0.0) for f in tongue.examples[:limit])
        floor = tongue.matcher.thresholds.suggest
        matches = [m for m in tongue.matcher.match(text, limit) if m.score >= floor]
        return tuple(self._fact_reply(tongue, tongue.facts[m.fact_id], m.score) for m in matches)

    def cards(self, text: str, hint: str | None = None) -> tuple[Reply, ...]:
        """The who's-who cards of the people a partly typed text names (inline search)."""
        return self._showcase.cards(self._known.language_of(text, None, hint), text)

    def _tongue(self, question: Question, text: str) -> Tongue:
        """The language to answer in: the message's own, else its conversation's, else the
        platform's hint, else English."""
        previous = self.conversations.language(_key(question))
        return self._known.language_of(text, previous, question.lang)

    async def _over_limit(self, question: Question, tongue: Tongue) -> Reply | None:
        """None when the user may ask; else a notice the first time, then a silent reply."""
        if self._limit is None or not question.user_id:
            return None
        user = (question.platform, question.user_id)
        chat = None if question.private else (question.platform, question.chat_id)
        decision = await self._limit.hit(user, chat)
        if decision.verdict is Verdict.ALLOW:
            return None
        if decision.verdict is Verdict.SILENT:
            return Reply(ReplyKind.LIMITED, "", lang=tongue.code)
        log.info("%s: a user is over the rate limit; told once, then silence", question.platform)
        said = tongue.lines
        line = "too_fast_here" if decision.in_group else "too_fast"
        allowed = said.count("questions", decision.limit)
        wait = said.count("seconds", math.ceil(decision.wait))
        return Reply(ReplyKind.LIMITED, said(line, allowed=allowed, wait=wait), lang=tongue.code)

    def _reply_to_text(self, text: str, question: Question, tongue: Tongue) -> Reply:
        # one fact base and one language for the whole answer, even if a reload lands
        normalized = normalize(text[:MAX_QUERY_CHARS])
        key = _key(question)
        early = self._not_a_question(text, normalized, tongue, key)
        if early is not None:
            return early
        resolution = tongue.matcher.resolve(text, self.conversations.context(key))
        log.debug(
            "%s %r -> %s %s %s",
            question.platform,
            text[:200],
            tongue.code,
            resolution.outcome,
            resolution.matches,
        )
        words = tongue.matcher.language.expand(normalized.split())
        unclear = self._unclear(resolution, words, tongue)
        if unclear is not None:
            return unclear
        if resolution.outcome is Outcome.MORE:
            return self._more(question, key, tongue)
        options = tuple(_option(tongue.facts[m.fact_id]) for m in resolution.matches)
        remember = self.conversations.remember
        if resolution.outcome is Outcome.ANSWER:
            top = resolution.matches[0]
            self._record(question, "answer", top.fact_id)
            remember(key, resolution.terms, resolution.names, top.fact_id, tongue.code)
            return self._fact_reply(tongue, tongue.facts[top.fact_id], top.score, options[1:])
        candidates = tuple((m.fact_id, m.score) for m in resolution.matches)
        kind = "clarify" if resolution.outcome is Outcome.CLARIFY else "decline"
        self._record(question, kind, "", normalized, candidates)
        score = resolution.top.score if resolution.top else 0.0
        if resolution.outcome is Outcome.DECLINE:
            if not resolution.followed:  # a new topic the article lacks: lean on nothing after
                self.conversations.new_topic(key, tongue.code)
            lead = wording.decline_lead(
                text,
                resolution.unknown_terms,
                tongue.lines,
                tongue.matcher.terms,
                tongue.matcher.language.capitalises_nouns,
            )
            suggestions = (options or tuple(map(_option, tongue.examples)))[:MAX_SUGGESTIONS]
            return Reply(
                ReplyKind.DECLINE,
                f"{lead} {tongue.scope}",
                score=score,
                suggestions=suggestions,
                lang=tongue.code,
            )
        shown = resolution.matches[0].fact_id if resolution.outcome is Outcome.PARTIAL else None
        remember(key, resolution.terms, resolution.names, shown, tongue.code)
        if resolution.outcome is Outcome.PARTIAL:
            return self._partial(resolution, score, options, tongue)
        return Reply(
            ReplyKind.CLARIFY,
            tongue.lines("clarify"),
            score=score,
            suggestions=options,
            lang=tongue.code,
        )

    def _not_a_question(self, text: str, normalized: str, tongue: Tongue, key: Key) -> Reply | None:
        """The reply to a message that is no question about the article, or None."""
        if not normalized:
            return self._not_understood(tongue)
        if _PICK.fullmatch(normalized):
            return self._info(tongue, "no_options")
        talk = self._known.smalltalk(text, tongue)
        if talk is not None:
            self.conversations.speaks(key, tongue.code)
            return Reply(ReplyKind.SMALLTALK, tongue.smalltalk[talk], lang=tongue.code)
        return None

    def _unclear(self, resolution: Resolution, words: list[str], tongue: Tongue) -> Reply | None:
        """The reply to an insult, a bare "why?", or a message with no word the fact base
        knows and only filler or gibberish besides; None for a question."""
        if resolution.outcome is not Outcome.ANSWER and is_insult(words):
            return Reply(ReplyKind.SMALLTALK, tongue.lines("insult"), lang=tongue.code)
        if resolution.outcome is Outcome.MORE:
            return None
        unknown = resolution.unknown_terms
        known = [t for t in resolution.terms if t not in unknown]
        if known and not unknown and set(known) <= INTERROGATIVES and not resolution.matches:
            return self._info(tongue, "bare_question")  # "why?" with nothing before
        longest = tongue.matcher.language.longest_run
        if not known and all(is_gibberish(t, longest) for t in unknown):
            return self._not_understood(tongue)
        return None

    def _remember_fact(self, tongue: Tongue, key: Key, fact_id: str) -> None:
        """A fact given by button or "more": the conversation is now about its question."""
        terms, names = tongue.matcher.terms_of(fact_id)
        self.conversations.remember(key, terms, names, fact_id, tongue.code)

    def _not_understood(self, tongue: Tongue) -> Reply:
        return Reply(
            ReplyKind.DECLINE,
            tongue.lines("not_understood"),
            suggestions=tuple(map(_option, tongue.examples))[:MAX_SUGGESTIONS],
            lang=tongue.code,
        )

    def _partial(
        self, resolution: Resolution, score: float, options: tuple[Option, ...], tongue: Tongue
    ) -> Reply:
        """What the article lacks, then what it does say, with that fact's source and button."""
        fact = tongue.facts[resolution.matches[0].fact_id]
        date = tongue.base.article.date
        return Reply(
            ReplyKind.DECLINE,
            wording.partial(resolution.asked, fact.answer, date, tongue.lines),
            score=score,
            source=fact.quote,
            suggestions=options[:1],
            lang=tongue.code,
        )

    def _more(self, question: Question, key: Key, tongue: Tongue) -> Reply:
        """ "Tell me more": the first related fact of the conversation's facts not yet given."""
        context = self.conversations.context(key)
        if context is None or not context.facts:
            return self._info(tongue, "no_conversation")
        given = set(context.facts)
        facts = tongue.facts
        for fact_id in context.facts:
            fact = facts.get(fact_id)
            for related in fact.related if fact else ():
                if related not in given and related in facts:
                    self._record(question, "answer", related)
                    self._remember_fact(tongue, key, related)
                    return self._fact_reply(tongue, facts[related], 100.0)
        return self._info(tongue, "nothing_more")

    def _info(self, tongue: Tongue, line: str, **values: object) -> Reply:
        """One of the bot's own lines, in the reply's language."""
        return Reply(ReplyKind.INFO, tongue.lines(line, **values), lang=tongue.code)

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

    def _fact_reply(
        self, tongue: Tongue, fact: Fact, score: float, alternatives: tuple[Option, ...] = ()
    ) -> Reply:
        """A fact answer; `alternatives`: facts nearly as close, offered in case they were meant.

        A "who is" answer ends with that person's card: their facts."""
        facts = tongue.facts
        person = tongue.card(fact.id)
        card = card_options(tongue, person, without=fact.id) if person else ()
        related = (_option(facts[r]) for r in fact.related if r in facts)
        follow_ups = (card + tuple(o for o in related if o not in card))[
            : max(MAX_FOLLOW_UPS, len(card))
        ]
        return Reply(
            ReplyKind.ANSWER,
            fact.answer,
            fact_id=fact.id,
            title=fact.label,
            score=score,
            source=fact.quote,
            suggestions=alternatives,
            follow_ups=follow_ups,
            lang=tongue.code,
        )

    async def _reload_command(self, question: Question, tongue: Tongue) -> Reply:
        """/reload, for the admins named in ADMIN_IDS: the outcome, every problem listed."""
        if (question.platform, question.user_id) not in self._admins:
            log.info("%s: /reload refused to a user who is not an admin", question.platform)
            return self._info(tongue, "admins_only")
        result = await self.reload()
        name = self.facts_path.name if self.facts_path else "facts.yaml"
        tongue = self._known.tongue(tongue.code)  # the reloaded file may lack the language
        said = tongue.lines
        if result.ok:
            text = said("reloaded", name=name, facts=result.facts, before=result.before)
        else:
            listed = "\n".join(f"- {p}" for p in result.problems)
            count = len(result.problems)
            text = f"{said('not_reloaded', name=name, count=count, facts=result.facts)}\n{listed}"
        return Reply(ReplyKind.INFO, text, lang=tongue.code)

    def _command(self, text: str, question: Question, tongue: Tongue) -> Reply:
        name = _command_name(text)
        if name == "ask":
            rest = text.partition(" ")[2].strip()
            if rest:
                return self._reply_to_text(rest, question, self._tongue(question, rest))
            return self._info(tongue, "ask_usage")
        handler = self._commands.get(name)
        if handler is None:
            return self._info(tongue, "unknown_command", name=name[:32])
        return handler(question, tongue)

    def _help(self, question: Question, tongue: Tongue) -> Reply:
        article = tongue.base.article
        text = tongue.lines("help", outlet=article.outlet, date=article.date, title=article.title)
        examples = tuple(map(_option, tongue.examples))[:MAX_SUGGESTIONS]
        return Reply(ReplyKind.INFO, text, suggestions=examples, lang=tongue.code)

    def _list_topics(self, question: Question, tongue: Tongue) -> Reply:
        parts = [tongue.lines("topics_head")]
        for topic, facts in tongue.topics.items():
            lines = "\n".join(f"- {f.label}" for f in facts)
            parts.append(f"{topic}\n{lines}")
        return Reply(ReplyKind.INFO, "\n\n".join(parts), lang=tongue.code)

    def _source(self, question: Question, tongue: Tongue) -> Reply:
        fact_id = self.conversations.last_fact(_key(question))
        fact = tongue.facts.get(fact_id) if fact_id else None
        if fact is None:
            return self._info(tongue, "no_source_yet")
        article = tongue.base.article
        return Reply(
            ReplyKind.INFO,
            tongue.lines(
                "source_intro", title=article.title, outlet=article.outlet, date=article.date
            ),
            fact_id=fact.id,
            source=fact.quote,
            lang=tongue.code,
        )

    def _about(self, question: Question, tongue: Tongue) -> Reply:
        article = tongue.base.article
        tail = tongue.lines("about_tail", facts=len(tongue.facts))
        text = f"{article.title}\n{article.outlet}, {article.date}\n\n{article.summary}\n\n{tail}"
        return Reply(ReplyKind.INFO, text, lang=tongue.code)


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
