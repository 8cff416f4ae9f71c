"""One active process among several: a lease in Redis, held by renewing it.

Telegram lets one process poll a token at a time. With REDIS_URL, Telegram polling runs
in the process holding the lease; the others wait as standbys, and one takes over when
the lease lapses (its holder died or lost Redis): within `ttl` seconds and a try.
"""

import asyncio
import logging
import os
import socket
import uuid

from bot.shared import Shared, key, was_set

log = logging.getLogger(__name__)

TTL = 5.0  # seconds a lease holds unless renewed: how long a dead holder blocks a standby
RENEW_EVERY = 1.0  # seconds between renewals (and a standby's tries)
# Renew or give up, atomically: only the holder may extend its lease.
_RENEW = """
if redis.call('GET', KEYS[1]) == ARGV[1] then
  return redis.call('PEXPIRE', KEYS[1], ARGV[2])
end
return 0
"""


class Lease:
    """The right to be the one process doing `role` ("telegram-polling")."""

    def __init__(self, shared: Shared, role: str, *, ttl: float = TTL) -> None:
        self._shared = shared
        self._key = key("lease", role)
        self._ttl_ms = round(ttl * 1000)
        self.holder = f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:8]}"

    async def acquire(self) -> None:
        """Return once this process holds the lease (at once if no one does)."""
        while True:
            taken = await self._shared.call(
                lambda r: was_set(r.set(self._key, self.holder, nx=True, px=self._ttl_ms))
            )
            if taken:
                return
            await asyncio.sleep(RENEW_EVERY)

    async def hold(self) -> None:
        """Renew the lease until another process holds it: then return (the caller must
        stop). While Redis is away the lease is kept: no standby can take it either."""
        while True:
            await asyncio.sleep(RENEW_EVERY)
            renewed = await self._shared.call(
                lambda r: r.eval(_RENEW, 1, self._key, self.holder, self._ttl_ms)
            )
            if renewed == 0:
                return

    async def release(self) -> None:
        """Let a standby take over at once (a clean stop), if the lease is still ours."""
        await self._shared.call(lambda r: r.eval(_RENEW, 1, self._key, self.holder, 1))
