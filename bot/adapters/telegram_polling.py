"""Telegram long polling that confirms only what is answered: nothing lost in a crash.

Telegram keeps every update past the offset that a getUpdates call confirms. PTB's Updater
confirms a batch as soon as it has fetched it, so a crash loses what was fetched and not
yet answered. This poller asks for at most `window` updates past the oldest one still in
flight, confirms only up to that one, and hands each new update to `Delivery`, which
records it when answered and skips one a restart brings back that was answered before.
"""

import asyncio
import contextlib
import logging
from collections.abc import Callable, Sequence

from telegram import Bot, Update
from telegram.error import InvalidToken, TelegramError

from bot.delivery import Delivery

log = logging.getLogger(__name__)

WINDOW = 100  # updates taken but not yet answered, at most (getUpdates' own maximum)
POLL_PAUSE = 0.5  # seconds: with updates in flight and none new, wait for one to finish
BACKOFF = (1.0, 2.0, 4.0, 8.0, 16.0, 30.0)  # seconds between failing polls
CONFIRM_TIMEOUT = 2.0  # the last poll at a stop, which tells Telegram what was answered


class Poller:
    """getUpdates in a loop: a bounded window ahead, confirmed only up to what is done."""

    def __init__(
        self,
        bot: Bot,
        delivery: Delivery,
        *,
        timeout: float,
        allowed_updates: Sequence[str],
        on_fatal: Callable[[str], None],
        window: int = WINDOW,
    ) -> None:
        self.bot = bot
        self.delivery = delivery
        self.timeout = timeout
        self.allowed_updates = list(allowed_updates)
        self.window = window
        self.failing = False  # the last poll did not reach Telegram (for /healthz)
        self._on_fatal = on_fatal
        self._next: int | None = None  # one past the newest update seen
        self._progress = asyncio.Event()
        self._stopping = asyncio.Event()
        self._task: asyncio.Task[None] | None = None

    def start(self) -> None:
        self._task = asyncio.create_task(self._run(), name="telegram-polling")

    @property
    def offset(self) -> int | None:
        """What a poll confirms: everything before the oldest update still in flight."""
        running = self.delivery.in_flight_ids()
        return min(running) if running else self._next

    async def stop(self, grace: float) -> int:
        """Stop polling, let updates in flight finish within `grace` seconds, confirm what
        was answered; the number left unanswered (Telegram sends them again next start)."""
        self._stopping.set()
        self._progress.set()  # a poller waiting for room stops waiting
        if self._task is not None:
            await asyncio.gather(self._task, return_exceptions=True)
        left = await self.delivery.drain(grace)
        offset = min(left) if left else self._next  # the oldest unanswered stays unconfirmed
        if offset is not None and not self.failing:
            with contextlib.suppress(TelegramError, TimeoutError):
                await asyncio.wait_for(
                    self.bot.get_updates(offset=offset, limit=1, timeout=0), CONFIRM_TIMEOUT
                )
        if left:
            log.warning(
                "telegram: stopped with %d updates unanswered; Telegram keeps them, and they "
                "are answered at the next start",
                len(left),
            )
        return len(left)

    async def _run(self) -> None:
        failures = 0
        while not self._stopping.is_set():
            busy = self.delivery.in_flight > 0
            try:
                updates = await self._poll(timeout=0 if busy else self.timeout)
                if updates is None:
                    return  # stopping
            except InvalidToken as exc:  # revoked: polling again cannot help
                self.failing = True
                self._on_fatal(f"Telegram rejected the token ({exc.message})")
                return
            except TelegramError as exc:
                self.failing = True
                pause = BACKOFF[min(failures, len(BACKOFF) - 1)]
                failures += 1
                log.warning("telegram: fetching updates failed (%s); retrying in %gs", exc, pause)
                with contextlib.suppress(TimeoutError):  # a stop ends the pause
                    await asyncio.wait_for(self._stopping.wait(), pause)
                continue
            if self.failing:
                log.info("telegram: fetching updates again")
            self.failing, failures = False, 0
            if not self._take(updates) and self.delivery.in_flight and not self._stopping.is_set():
                self._progress.clear()  # nothing new: wait for room rather than spin
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(self._progress.wait(), POLL_PAUSE)

    async def _poll(self, timeout: float) -> tuple[Update, ...] | None:
        """One getUpdates, abandoned (None) when a stop comes first: a long poll is not
        waited for, and what it would bring is not confirmed, so Telegram sends it again.
        (Cancelling the request itself is not enough: httpcore may hold on to the read.)"""
        poll = asyncio.ensure_future(
            self.bot.get_updates(
                offset=self.offset,
                limit=self.window,
                timeout=timeout,
                allowed_updates=self.allowed_updates,
            )
        )
        stopping = asyncio.ensure_future(self._stopping.wait())
        await asyncio.wait({poll, stopping}, return_when=asyncio.FIRST_COMPLETED)
        stopping.cancel()
        if poll.done():
            return poll.result()
        poll.cancel()
        poll.add_done_callback(_consume)
        return None

    def _take(self, updates: Sequence[Update]) -> bool:
        """Start the updates not seen before; whether there was any."""
        new = [u for u in updates if self._next is None or u.update_id >= self._next]
        for update in new:
            self._next = update.update_id + 1
            task = self.delivery.start(update)
            if task is not None:
                task.add_done_callback(lambda _: self._progress.set())
        return bool(new)


def _consume(task: asyncio.Future) -> None:
    """An abandoned poll's outcome, retrieved so asyncio does not log it as never seen."""
    if not task.cancelled():
        task.exception()
