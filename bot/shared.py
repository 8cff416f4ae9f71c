"""State several processes must see alike, kept in Redis (REDIS_URL); while Redis is away,
each process answers from its own state.

What is shared: the conversation memory behind follow-ups and /source, and the claims on
Telegram updates that make two workers answer one update once. Every key expires. A Redis
that stops answering costs one WARNING; answering goes on from local state, Redis is tried
again every few seconds, and one INFO line says when it is back.
"""

import logging
import time
from collections.abc import Awaitable, Callable
from typing import TypeVar

import redis.asyncio as redis
from redis.exceptions import RedisError

log = logging.getLogger(__name__)

PREFIX = "factbot:"
TIMEOUT = 0.5  # seconds a Redis call may take before this process answers without it
RETRY_AFTER = 5.0  # seconds between tries while Redis is away
_T = TypeVar("_T")


class Shared:
    """One Redis connection pool; `call` runs an operation, or returns None while away."""

    def __init__(self, url: str, *, timeout: float = TIMEOUT, retry_after: float = RETRY_AFTER):
        self._client = redis.from_url(
            url, socket_timeout=timeout, socket_connect_timeout=timeout, decode_responses=True
        )
        self._retry_after = retry_after
        self._away_since: float | None = None  # monotonic time of the failure, while away
        self._tried = 0.0

    @property
    def up(self) -> bool:
        return self._away_since is None

    async def call(self, operation: Callable[[redis.Redis], Awaitable[_T]]) -> _T | None:
        """`operation`'s result; None while Redis is away (and not yet due for a try)."""
        now = time.monotonic()
        if self._away_since is not None and now - self._tried < self._retry_after:
            return None
        self._tried = now
        try:
            result = await operation(self._client)
        except (RedisError, OSError) as exc:
            if self._away_since is None:
                self._away_since = now
                log.warning(
                    "redis: unreachable (%s); answering from this process's own state, "
                    "retrying every %.0f s",
                    exc,
                    self._retry_after,
                )
            return None
        if self._away_since is not None:
            log.info("redis: back after %.0f s; state is shared again", now - self._away_since)
            self._away_since = None
        return result

    async def close(self) -> None:
        await self._client.aclose()


async def was_set(setting: Awaitable[object]) -> bool:
    """SET NX answers OK or nothing: whether the key was set."""
    return bool(await setting)


def key(*parts: object) -> str:
    """ "factbot:conversation:telegram:1:2": every key of the bot under one prefix."""
    return PREFIX + ":".join(str(p) for p in parts)
