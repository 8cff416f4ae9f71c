"""Question limits: a sliding window per user, one notice when it is hit, then silence.

In a group one person may use only a share of it: Telegram lets a bot send 20 messages a
minute to a group, so a user allowed 20 would spend the whole group's minute.
"""

import time
from collections import OrderedDict, deque
from collections.abc import Callable, Hashable
from enum import StrEnum

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
