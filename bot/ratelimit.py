"""Question limits: a sliding window per user, one notice when it is hit, then silence.

In a group one person may use only a share of it: Telegram lets a bot send 20 messages a
minute to a group, so a user allowed 20 would spend the whole group's minute.

With Redis (bot/shared.py), `SharedLimits` counts every process's questions in one window
per user, atomically, in a script run by Redis; while Redis is away each process counts
its own.
"""

import time
import uuid
from collections import OrderedDict, deque
from collections.abc import Callable, Hashable
from dataclasses import dataclass
from enum import StrEnum

from bot.shared import Shared, key

MAX_TRACKED_USERS = 100_000  # beyond this, the least recently seen user is forgotten


class Verdict(StrEnum):
    ALLOW = "allow"  # answer the question
    NOTIFY = "notify"  # over the limit: say so, once
    SILENT = "silent"  # still over the limit and already told: say nothing


class RateLimit:
    """At most `limit` questions per `window` seconds for each user."""

    def __init__(
        self, limit: int, window: float = 60.0, clock: Callable[[], float] = time.monotonic
    ) -> None:
        self.limit = limit
        self.window = window
        self._clock = clock
        self._hits: OrderedDict[Hashable, deque[float]] = OrderedDict()
        self._told: set[Hashable] = set()

    def allows(self, user: Hashable) -> bool:
        """Whether `user` may ask now, without counting it."""
        return len(self._recent(user)) < self.limit

    def hit(self, user: Hashable) -> Verdict:
        """Count a question from `user`; a refused one does not count, so silence ends in time."""
        now = self._clock()
        hits = self._recent(user)
        if len(self._hits) > MAX_TRACKED_USERS:
            forgotten, _ = self._hits.popitem(last=False)
            self._told.discard(forgotten)
        if len(hits) < self.limit:
            hits.append(now)
            self._told.discard(user)
            return Verdict.ALLOW
        if user in self._told:
            return Verdict.SILENT
        self._told.add(user)
        return Verdict.NOTIFY

    def _recent(self, user: Hashable) -> deque[float]:
        """`user`'s hits within the window, the user marked most recently seen."""
        now = self._clock()
        hits = self._hits.pop(user, None) or deque()
        self._hits[user] = hits  # most recently seen last
        while hits and hits[0] <= now - self.window:
            hits.popleft()
        return hits

    def wait(self, user: Hashable) -> float:
        """Seconds until `user` may ask again (0 when they may now)."""
        hits = self._hits.get(user)
        if not hits or len(hits) < self.limit:
            return 0.0
        return max(0.0, hits[0] + self.window - self._clock())


class ChatLimits:
    """Each user's limit everywhere, and in a group chat a smaller one per user and chat."""

    def __init__(
        self, per_user: int, in_group: int, clock: Callable[[], float] = time.monotonic
    ) -> None:
        self.per_user = RateLimit(per_user, clock=clock)
        self.in_group = RateLimit(min(per_user, in_group), clock=clock) if in_group else None

    def hit(self, user: Hashable, chat: Hashable | None) -> tuple[Verdict, RateLimit, Hashable]:
        """Count a question from `user` (in group `chat`, None in private): the verdict, the
        limit that decided and its key (for the notice's figures). A question one limit
        refuses counts against neither."""
        group = (chat, user)
        if chat is not None and self.in_group is not None:
            if not self.in_group.allows(group):
                return self.in_group.hit(group), self.in_group, group
            if self.per_user.allows(user):
                self.in_group.hit(group)
        return self.per_user.hit(user), self.per_user, user


@dataclass(frozen=True, slots=True)
class Decision:
    """A rate limit's answer: the verdict, and for a notice the limit and the wait."""

    verdict: Verdict
    limit: int
    wait: float  # seconds until the user may ask again
    in_group: bool  # the group share decided, not the user's own limit


class SharedLimits:
    """`ChatLimits` counted across processes in Redis, with the same rules; the local
    `ChatLimits` while Redis is away."""

    def __init__(self, per_user: int, in_group: int, shared: Shared | None = None) -> None:
        self.local = ChatLimits(per_user, in_group)
        self._shared = shared
        self._per_user = per_user
        self._in_group = min(per_user, in_group) if in_group else 0

    async def hit(self, user: tuple[str, str], chat: tuple[str, str] | None) -> Decision:
        """Count a question from `user` (in group `chat`, None in private)."""
        if self._shared is not None:
            names = [key("limit", *user), key("told", *user)]
            group = (*chat, *user) if chat and self._in_group else None
            names += [key("limit", *group), key("told", *group)] if group else ["", ""]
            args = [time.time(), self.local.per_user.window, self._per_user, self._in_group]
            found = await self._shared.call(
                lambda r: r.eval(_HIT, 4, *names, *args, uuid.uuid4().hex)
            )
            if found is not None:
                verdict, which, wait = found
                in_group = which == "group"
                limit = self._in_group if in_group else self._per_user
                return Decision(Verdict(verdict), limit, float(wait), in_group)
        verdict, limit, held = self.local.hit(user, chat)
        return Decision(verdict, limit.limit, limit.wait(held), limit is self.local.in_group)


# KEYS: the user's hits (a sorted set of times), whether they were told, the same two for
# the user in a group ("" in private). ARGV: now, window, per-user limit, group share (0:
# none), a unique member. Returns {verdict, "user" or "group", seconds to wait}.
_HIT = """
local now, window = tonumber(ARGV[1]), tonumber(ARGV[2])
local function recent(hits)
  redis.call('ZREMRANGEBYSCORE', hits, '-inf', now - window)
  return redis.call('ZCARD', hits)
end
local function wait(hits)
  local first = redis.call('ZRANGE', hits, 0, 0, 'WITHSCORES')
  if #first == 0 then return '0' end
  return tostring(math.max(0, tonumber(first[2]) + window - now))
end
local function hit(hits, told, limit, which)
  if recent(hits) < limit then
    redis.call('ZADD', hits, now, ARGV[5])
    redis.call('PEXPIRE', hits, math.ceil(window * 1000))
    redis.call('DEL', told)
    return {'allow', which, '0'}
  end
  if redis.call('SET', told, '1', 'NX', 'PX', math.ceil(window * 1000)) then
    return {'notify', which, wait(hits)}
  end
  return {'silent', which, wait(hits)}
end
local share = tonumber(ARGV[4])
if KEYS[3] ~= '' and share > 0 then
  if recent(KEYS[3]) >= share then return hit(KEYS[3], KEYS[4], share, 'group') end
  if recent(KEYS[1]) < tonumber(ARGV[3]) then
    redis.call('ZADD', KEYS[3], now, ARGV[5])
    redis.call('PEXPIRE', KEYS[3], math.ceil(window * 1000))
  end
end
return hit(KEYS[1], KEYS[2], tonumber(ARGV[3]), 'user')
"""
