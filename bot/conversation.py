"""Conversation memory: what each person in each chat was last told, for follow-ups and /source.

Per (platform, chat, user), so two people talking in one group do not mix; bounded
(the least recently heard from is forgotten first) and forgotten after a quiet while.
With Redis (bot/shared.py), each message's memory is pulled before it is answered and
pushed after, so a follow-up answered by another process leans on the same conversation.
"""

import json
import time
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass, replace

from bot.shared import Shared
from bot.shared import key as shared_key
from intents.followup import Context

REMEMBERED = 10_000  # conversations kept at once
FORGET_AFTER = 30 * 60.0  # seconds of silence after which a conversation starts afresh
MAX_FACTS = 20  # facts remembered per conversation, most recent first

Key = tuple[str, str, str]  # platform, chat id, user id


@dataclass(frozen=True, slots=True)
class Memory:
    context: Context  # what the next message may lean on: terms, names, facts given
    shown: str | None  # the fact last answered: what /source shows
    at: float  # when it was last updated (monotonic seconds)
    lang: str | None = None  # the language it is in: a follow-up keeps it


class Conversations:
    """The context of each live conversation."""

    def __init__(
        self,
        *,
        size: int = REMEMBERED,
        forget_after: float = FORGET_AFTER,
        clock: Callable[[], float] = time.monotonic,
        shared: Shared | None = None,
    ) -> None:
        self._memories: OrderedDict[Key, Memory] = OrderedDict()
        self._shared = shared
        self._size = size
        self._forget_after = forget_after
        self._clock = clock

    def context(self, key: Key) -> Context | None:
        """What this conversation may lean on; None when new or forgotten."""
        memory = self._memory(key)
        return memory.context if memory else None

    def language(self, key: Key) -> str | None:
        """The language this conversation is in; None when new or forgotten."""
        memory = self._memory(key)
        return memory.lang if memory else None

    def last_fact(self, key: Key) -> str | None:
        """The fact last answered here: what /source shows."""
        memory = self._memory(key)
        return memory.shown if memory else None

    def remember(
        self,
        key: Key,
        terms: tuple[str, ...],
        names: tuple[str, ...],
        fact_id: str | None = None,
        lang: str | None = None,
    ) -> None:
        """The conversation is now about `terms`, in `lang`; `fact_id`: the fact just
        answered, if any."""
        before = self._memory(key)
        facts = before.context.facts if before else ()
        shown = before.shown if before else None
        if fact_id is not None:
            facts = (fact_id, *(f for f in facts if f != fact_id))[:MAX_FACTS]
            shown = fact_id
        lang = lang or (before.lang if before else None)
        self._store(key, Memory(Context(terms, names, facts), shown, self._clock(), lang))

    def speaks(self, key: Key, lang: str) -> None:
        """Small talk in `lang` ("danke"): the conversation is in it, its context unchanged."""
        before = self._memory(key)
        if before is None:
            self._store(key, Memory(Context((), (), ()), None, self._clock(), lang))
        else:
            self._store(key, replace(before, at=self._clock(), lang=lang))

    def new_topic(self, key: Key, lang: str | None = None) -> None:
        """Asked something the article lacks: the next message leans on nothing said before
        (/source still shows the last answer; the language stays)."""
        before = self._memory(key)
        shown = before.shown if before else None
        lang = lang or (before.lang if before else None)
        self._store(key, Memory(Context((), (), ()), shown, self._clock(), lang))

    async def pull(self, key: Key) -> None:
        """This conversation as Redis has it, if it has it: another process may have
        answered its last message. Kept as it is here when Redis has none or is away."""
        if self._shared is None:
            return
        raw = await self._shared.call(lambda r: r.get(shared_key("conversation", *key)))
        if raw is not None:
            self._store(key, _decoded(raw, self._clock()))

    async def push(self, key: Key) -> None:
        """This conversation to Redis, expiring when it would be forgotten here."""
        memory = self._memory(key)
        if self._shared is None or memory is None:
            return
        ttl = max(1, round(self._forget_after))
        await self._shared.call(
            lambda r: r.set(shared_key("conversation", *key), _encoded(memory), ex=ttl)
        )

    def _memory(self, key: Key) -> Memory | None:
        memory = self._memories.get(key)
        if memory is not None and self._clock() - memory.at > self._forget_after:
            del self._memories[key]
            return None
        return memory

    def _store(self, key: Key, memory: Memory) -> None:
        self._memories[key] = memory
        self._memories.move_to_end(key)
        while len(self._memories) > self._size:
            self._memories.popitem(last=False)

    def __len__(self) -> int:
        return len(self._memories)


def _encoded(memory: Memory) -> str:
    context = memory.context
    return json.dumps(
        [list(context.terms), list(context.names), list(context.facts), memory.shown, memory.lang]
    )


def _decoded(raw: str, now: float) -> Memory:
    terms, names, facts, shown, lang = json.loads(raw)
    return Memory(Context(tuple(terms), tuple(names), tuple(facts)), shown, now, lang)
