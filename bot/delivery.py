"""Exactly once: which platform updates were taken and answered, kept in SQLite.

A platform that redelivers what it was not told is done (Telegram: every update past the
confirmed offset, every webhook POST not answered 200) needs the bot to remember what it
already answered, or a restart answers it twice. `Delivery` hands each update to the
handlers once, records it in the `Ledger` when they are done, and skips a recorded one.
An update can also be *kept* (its body written) before it is answered: the platform may
then be told it is done, and a restart answers what was kept and not yet answered.

The record is written on a thread of its own, many updates in one transaction. If the
database fails, answering goes on and the ids are kept in memory (one WARNING): a restart
before writing works again may answer those twice, which is logged, not silent.
"""

import asyncio
import logging
import sqlite3
import time
from collections.abc import Awaitable, Callable, Hashable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import TypeVar

from bot.journal import connect
from bot.shared import Shared, key, was_set

log = logging.getLogger(__name__)

KEEP_SECONDS = 48 * 3600  # Telegram keeps an unconfirmed update for 24 hours
MAX_REMEMBERED = 200_000  # ids kept in memory; the oldest go first
RETRY_SECONDS = 1.0
BUSY_TIMEOUT_MS = 15_000  # a write waits this long for a lock the journal holds
_T = TypeVar("_T")
SCHEMA = """
CREATE TABLE IF NOT EXISTS delivered (
    platform TEXT NOT NULL,
    update_id INTEGER NOT NULL,
    at REAL NOT NULL,          -- Unix time it was answered
    PRIMARY KEY (platform, update_id)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS taken (
    platform TEXT NOT NULL,
    update_id INTEGER NOT NULL,
    body TEXT NOT NULL,        -- the update as the platform sent it (JSON)
    at REAL NOT NULL,
    PRIMARY KEY (platform, update_id)
) WITHOUT ROWID;
"""
PRUNE_EVERY = 3600.0  # seconds between deletions of records past KEEP_SECONDS
LEASE = 10  # seconds a process's claim on an update holds: longer than any answer takes
BUSY_PAUSE = 0.5  # seconds between looks at a claim another process holds


class Busy(Exception):
    """Another process is answering this update now: the platform should send it again."""


class Claims:
    """Which of several processes answers an update (webhook workers behind one address,
    Telegram retrying a slow POST): the first to claim it in Redis. A claim lapses after
    `lease` seconds, so an update whose process died is answered by whichever process the
    platform's next try reaches; an answered one stays marked for KEEP_SECONDS. With Redis
    away, each process decides alone, by its own Ledger."""

    def __init__(
        self, shared: Shared, platform: str, lease: int = LEASE, *, patient: bool = False
    ) -> None:
        """`patient`: wait out another process's claim instead of raising Busy (a poller
        taking over from one that died: no platform will send the update again)."""
        self._shared = shared
        self._platform = platform
        self._lease = lease
        self._patient = patient

    async def take(self, update_id: int) -> bool:
        """True: this process answers it. False: another process answered it already.
        Busy: another process is answering it now (a patient one waits for its claim to be
        done or to lapse)."""
        while True:
            try:
                return await self._take(update_id)
            except Busy:
                if not self._patient:
                    raise
            await asyncio.sleep(BUSY_PAUSE)

    async def _take(self, update_id: int) -> bool:
        name = key("update", self._platform, update_id)
        taken = await self._shared.call(
            lambda r: was_set(r.set(name, "busy", nx=True, ex=self._lease))
        )
        if taken is not False:  # claimed, or Redis away: this process's own record decides
            return True
        state = await self._shared.call(lambda r: r.get(name))
        if state == "done":
            return False
        if state is None:  # the claim lapsed meanwhile, or Redis went away: take it
            return True
        raise Busy(update_id)

    async def done(self, update_id: int) -> None:
        name = key("update", self._platform, update_id)
        await self._shared.call(lambda r: r.set(name, "done", ex=KEEP_SECONDS))


def delivery_path(database: Path | None) -> Path | None:
    """The record's own file beside DATABASE_PATH ("bot.sqlite3" -> "bot.delivery.sqlite3"):
    apart from the journal, so neither ever waits for the other's lock."""
    return database.with_name(f"{database.stem}.delivery{database.suffix}") if database else None


class Ledger:
    """The ids of one platform's answered updates: in memory, and in `path` when given."""

    def __init__(self, path: Path | None, platform: str) -> None:
        self.path = path
        self.platform = platform
        self._done: dict[int, None] = {}  # insertion-ordered: the oldest first
        self._unwritten: list[int] = []
        self._writer: asyncio.Task[None] | None = None
        self._retrying: asyncio.Task[None] | None = None
        self._failing = False
        self._thread = ThreadPoolExecutor(1, thread_name_prefix=f"ledger-{platform}")
        self._connection: sqlite3.Connection | None = None
        self._pruned = 0.0
        self._closed = False
        self.kept: list[tuple[int, str]] = []  # taken before a restart, not yet answered

    async def open(self) -> None:
        """Read what was answered lately and what was taken but not answered (before a
        restart), off the event loop."""
        if self.path is not None:
            try:
                ids, self.kept = await self._run(self._load)
            except (sqlite3.Error, OSError) as exc:
                self._trouble(exc)
            else:
                self._done.update(dict.fromkeys(ids))

    async def keep(self, updates: list[tuple[int, str]]) -> bool:
        """Write (id, body) of updates taken but not yet answered; whether they are safely
        kept (False without a database, or when it fails: then they must stay unconfirmed)."""
        if self.path is None or not updates:
            return False
        try:
            await self._run(self._insert_taken, updates)
        except (sqlite3.Error, OSError) as exc:
            self._trouble(exc)
            return False
        return True

    def done(self, update_id: int) -> bool:
        return update_id in self._done

    async def record(self, update_id: int) -> None:
        """Remember `update_id` as answered; returns once written (or kept, if writing fails)."""
        self._remember(update_id)
        if self.path is None:
            return
        self._unwritten.append(update_id)
        if self._writer is None or self._writer.done():
            self._writer = asyncio.create_task(self._write_all())
        await asyncio.shield(self._writer)

    async def close(self) -> int:
        """Write what is left; the number of ids that could not be written."""
        self._closed = True
        if self._retrying is not None:
            self._retrying.cancel()
        if self._writer is not None:
            await asyncio.gather(self._writer, return_exceptions=True)
        left = len(self._unwritten)
        if self.path is not None and left:
            log.warning(
                "%s: %d answered updates could not be recorded in %s; a restart may answer "
                "them again",
                self.platform,
                left,
                self.path,
            )
        if self._connection is not None:
            await self._run(self._connection.close)
        self._thread.shutdown(wait=False)
        return left

    def _remember(self, update_id: int) -> None:
        self._done[update_id] = None
        if len(self._done) > MAX_REMEMBERED:
            del self._done[next(iter(self._done))]

    async def _write_all(self) -> None:
        """Group commit: everything recorded while the last write ran goes in the next one.

        A failing write is retried in the background; the callers waiting on it go on.
        """
        while self._unwritten:
            batch, self._unwritten = self._unwritten, []
            try:
                await self._run(self._insert, batch)
            except (sqlite3.Error, OSError) as exc:
                self._unwritten = batch + self._unwritten
                self._trouble(exc)
                if self._retrying is None or self._retrying.done():  # one retry at a time
                    self._retrying = asyncio.get_running_loop().create_task(self._retry())
                return
            if self._failing:
                self._failing = False
                log.info("%s: recording answered updates in %s again", self.platform, self.path)

    async def _retry(self) -> None:
        await asyncio.sleep(RETRY_SECONDS)
        if self._closed:
            return
        if self._unwritten and (self._writer is None or self._writer.done()):
            self._writer = asyncio.create_task(self._write_all())

    def _trouble(self, exc: Exception) -> None:
        if not self._failing:
            self._failing = True
            log.warning(
                "%s: cannot record answered updates in %s (%s); answering goes on, but a "
                "restart before this works again may answer some twice",
                self.platform,
                self.path,
                exc,
            )

    async def _run(self, function: Callable[..., _T], *args: object) -> _T:
        return await asyncio.get_running_loop().run_in_executor(self._thread, function, *args)

    def _db(self) -> sqlite3.Connection:
        if self._connection is None:
            assert self.path is not None
            self._connection = connect(self.path, create=True)
            # WAL with NORMAL: a commit survives the process being killed (what the record
            # is for), just not a power cut; it skips an fsync per commit, so answers wait
            # less for their record and fewer are at risk when a crash comes
            self._connection.execute("PRAGMA synchronous=NORMAL")
            # the journal writes to the same file: wait out its transactions rather than
            # fall back to memory, where a crash would answer these updates again
            self._connection.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
            self._connection.executescript(SCHEMA)
        return self._connection

    def _load(self) -> tuple[list[int], list[tuple[int, str]]]:
        db = self._db()
        self._prune(db)
        rows = db.execute(
            "SELECT update_id FROM delivered WHERE platform = ? ORDER BY update_id DESC LIMIT ?",
            (self.platform, MAX_REMEMBERED),
        )
        done = sorted(row[0] for row in rows)
        kept = db.execute(
            "SELECT update_id, body FROM taken WHERE platform = ? ORDER BY update_id",
            (self.platform,),
        ).fetchall()
        return done, kept

    def _prune(self, db: sqlite3.Connection) -> None:
        """Forget records past KEEP_SECONDS: Telegram never sends those updates again."""
        self._pruned = time.time()
        with db:
            for table in ("delivered", "taken"):
                db.execute(f"DELETE FROM {table} WHERE at < ?", (self._pruned - KEEP_SECONDS,))

    def _insert_taken(self, updates: list[tuple[int, str]]) -> None:
        now = time.time()
        self._write(
            "INSERT OR IGNORE INTO taken (platform, update_id, body, at) VALUES (?, ?, ?, ?)",
            [(self.platform, i, body, now) for i, body in updates],
        )

    def _insert(self, ids: list[int]) -> None:
        rows = [(self.platform, i) for i in ids]
        now = time.time()
        self._write(
            "INSERT OR IGNORE INTO delivered (platform, update_id, at) VALUES (?, ?, ?)",
            [(*row, now) for row in rows],
            "DELETE FROM taken WHERE platform = ? AND update_id = ?",
            rows,
        )
        if now - self._pruned > PRUNE_EVERY:
            self._prune(self._db())

    def _write(self, *statements: object) -> None:
        """(sql, rows) pairs in one transaction; a failure drops the connection (a locked or
        vanished file gets a fresh one next time) and raises."""
        try:
            db = self._db()
            with db:
                for sql, rows in zip(statements[::2], statements[1::2], strict=True):
                    db.executemany(sql, rows)  # type: ignore[arg-type]
        except (sqlite3.Error, OSError):
            if self._connection is not None:
                self._connection.close()
                self._connection = None
            raise


class Delivery:
    """Hands each update to `handle` once: skipped if already answered, shared if in flight."""

    def __init__(
        self,
        ledger: Ledger,
        handle: Callable[[object], Awaitable[None]],
        key: Callable[[object], Hashable],
        claims: Claims | None = None,
    ) -> None:
        """`claims`: where processes that share the platform's updates claim each one."""
        self.ledger = ledger
        self.claims = claims
        self._handle = handle
        self._key = key
        self._running: dict[Hashable, asyncio.Task[None]] = {}

    @property
    def in_flight(self) -> int:
        return len(self._running)

    def in_flight_ids(self) -> list[Hashable]:
        return list(self._running)

    async def deliver(self, update: object) -> None:
        """Answer `update` and record it; returns when both are done (or it was already)."""
        task = self.start(update)
        if task is not None:
            await asyncio.shield(task)

    def start(self, update: object) -> asyncio.Task[None] | None:
        """Begin delivering `update`, or join its delivery in flight; None when it was done."""
        update_id = self._key(update)
        if self.ledger.done(update_id):  # type: ignore[arg-type]
            log.info("%s: update %s was answered before; skipped", self.ledger.platform, update_id)
            return None
        task = self._running.get(update_id)
        if task is None:  # a second delivery while the first is in flight waits for it
            task = asyncio.create_task(self._answer(update, update_id))
            self._running[update_id] = task
        return task

    async def drain(self, timeout: float) -> list[Hashable]:
        """Wait up to `timeout` for updates in flight; cancel the rest: their ids, unanswered."""
        running = dict(self._running)
        if running:
            await asyncio.wait(running.values(), timeout=timeout)
        left = {key: task for key, task in running.items() if not task.done()}
        for task in left.values():
            task.cancel()
        if left:
            await asyncio.wait(left.values(), timeout=0.5)
        return list(left)

    async def _answer(self, update: object, update_id: Hashable) -> None:
        """Handle, then record; a handler that fails still counts as done (it was logged), so
        one bad update cannot hold every later one back. Cancelled (a stop): not recorded."""
        platform = self.ledger.platform
        try:
            if self.claims is not None and not await self.claims.take(update_id):  # type: ignore[arg-type]
                log.info("%s: update %s was answered by another process", platform, update_id)
                await self.ledger.record(update_id)  # type: ignore[arg-type]
                return
            try:
                await self._handle(update)
            except Exception:
                log.exception("%s: error while handling update %s", platform, update_id)
            if self.claims is not None:  # first: the quickest record every process sees
                await self.claims.done(update_id)  # type: ignore[arg-type]
            await self.ledger.record(update_id)  # type: ignore[arg-type]
        finally:
            self._running.pop(update_id, None)
