"""Telegram long polling that confirms only what is answered or safely kept.

Telegram keeps every update past the offset that a getUpdates call confirms. PTB's Updater
confirms a batch as soon as it has fetched it, so a crash loses what was fetched and not
yet answered. This poller writes each update it takes to the ledger first (`keep`), and
only then lets Telegram forget it; a restart answers what was kept and not answered. If
it cannot be kept (no database, or the database fails), the poller confirms only up to
the oldest update still in flight, and Telegram sends the rest again after a crash.
Either way `Delivery` records each update when answered and skips one answered before.
At most `window` updates are in flight: past that the poller waits for room.
"""

import asyncio
import contextlib
import json
import logging
from collections.abc import Callable, Sequence

from telegram import Bot, Update
from telegram.error import InvalidToken, TelegramError

from bot.delivery import Delivery

log = logging.getLogger(__name__)

WINDOW = 250  # updates taken but not yet answered, at most
BATCH = 100  # updates one getUpdates returns at most (Telegram's own maximum)
POLL_PAUSE = 0.5  # seconds: with updates in flight and none new, wait for one to finish
BACKOFF = (1.0, 2.0, 4.0, 8.0, 16.0, 30.0)  # seconds between failing polls
CONFIRM_TIMEOUT = 1.0  # the last poll at a stop, which tells Telegram what was answered
CLOSING = CONFIRM_TIMEOUT + 0.5  # of a stop's grace: that poll and cancelling what is left


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
        keep: bool = True,
    ) -> None:
        """`keep`: confirm updates once kept in the ledger; False when another process may
        take over polling (its ledger is not this one's): confirm only what is answered."""
        self.bot = bot
        self.delivery = delivery
        self.timeout = timeout
        self.allowed_updates = list(allowed_updates)
        self.window = window
        self.keep = keep
        self.failing = False  # the last poll did not reach Telegram (for /healthz)
        self._on_fatal = on_fatal
        self._next: int | None = None  # one past the newest update seen
        self._kept: set[int] = set()  # in flight and written to the ledger: safe to confirm
        self._progress = asyncio.Event()
        self._stopping = asyncio.Event()
        self._task: asyncio.Task[None] | None = None

    def start(self) -> None:
        """Answer what a crash left kept and unanswered, then poll."""
        for _, body in self.delivery.ledger.kept:
            update = Update.de_json(json.loads(body), self.bot)
            if update is not None:
                self._start(update, kept=True)
        self.delivery.ledger.kept.clear()  # in flight now: the ledger's copy is spent
        self._task = asyncio.create_task(self._run(), name="telegram-polling")
        self._task.add_done_callback(self._ended)

    @property
    def running(self) -> bool:
        """Started (and not yet stopped): this process is the one polling."""
        return self._task is not None

    @property
    def offset(self) -> int | None:
        """What a poll confirms: everything before the oldest update in flight that is not
        kept in the ledger (one that is kept comes back from there after a crash)."""
        unkept = [i for i in self.delivery.in_flight_ids() if i not in self._kept]
        return min(unkept) if unkept else self._next

    def _ended(self, task: asyncio.Task[None]) -> None:
        """The loop ended by itself with an error no retry handles: serving is over."""
        if not task.cancelled() and task.exception() is not None:
            self._on_fatal(f"polling stopped: {task.exception()!r}")

    async def stop(self, grace: float) -> int:
        """Stop polling, let updates in flight finish within `grace` seconds, confirm what
        was answered; the number left unanswered (Telegram sends them again next start)."""
        self._stopping.set()
        self._progress.set()  # a poller waiting for room stops waiting
        if self._task is not None:
            await asyncio.gather(self._task, return_exceptions=True)
        left = await self.delivery.drain(max(0.0, grace - CLOSING))
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
            room = min(BATCH, self.window - self.delivery.in_flight)
            if room <= 0:
                await self._wait_for_room()
                continue
            unconfirmed = self.offset != self._next  # Telegram sends those again at once
            try:
                updates = await self._poll(timeout=0 if unconfirmed else self.timeout, limit=room)
                if updates is None:
                    return  # stopping
            except InvalidToken as exc:  # revoked: polling again cannot help
                self.failing = True
                self._on_fatal(f"Telegram rejected the token ({exc.message})")
                return
            except Exception as exc:  # TelegramError, or a surprise: retried, never silent
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
            if not await self._take(updates) and unconfirmed:
                await self._wait_for_room()  # nothing new: wait for an answer, not spin

    async def _wait_for_room(self) -> None:
        if not self._stopping.is_set():
            self._progress.clear()
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._progress.wait(), POLL_PAUSE)

    async def _poll(self, timeout: float, limit: int) -> tuple[Update, ...] | None:
        """One getUpdates, abandoned (None) when a stop comes first: a long poll is not
        waited for, and what it would bring is not confirmed, so Telegram sends it again.
        (Cancelling the request itself is not enough: httpcore may hold on to the read.)"""
        poll = asyncio.ensure_future(
            self.bot.get_updates(
                offset=self.offset,
                limit=limit,
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

    async def _take(self, updates: Sequence[Update]) -> bool:
        """Keep and start the updates not seen before; whether there was any."""
        new = [u for u in updates if self._next is None or u.update_id >= self._next]
        if not new:
            return False
        self._next = new[-1].update_id + 1
        fresh = [u for u in new if not self.delivery.ledger.done(u.update_id)]
        bodies = [(u.update_id, json.dumps(u.to_dict())) for u in fresh]
        kept = self.keep and await self.delivery.ledger.keep(bodies)
        for update in new:
            self._start(update, kept=kept)
        return True

    def _start(self, update: Update, *, kept: bool) -> None:
        task = self.delivery.start(update)
        if task is None:
            return
        if kept:
            self._kept.add(update.update_id)
        task.add_done_callback(lambda _: self._finished(update.update_id))

    def _finished(self, update_id: int) -> None:
        self._kept.discard(update_id)
        self._progress.set()


def _consume(task: asyncio.Future) -> None:
    """An abandoned poll's outcome, retrieved so asyncio does not log it as never seen."""
    if not task.cancelled():
        task.exception()
