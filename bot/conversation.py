"""Conversation memory: what each person in each chat was last told, for follow-ups and /source.

Per (platform, chat, user), so two people talking in one group do not mix; bounded
(the least recently heard from is forgotten first) and forgotten after a quiet while.
"""

import time
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass, replace

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
    ) -> None:
        self._memories: OrderedDict[Key, Memory] = OrderedDict()
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
