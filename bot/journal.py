"""What the bot was asked, in SQLite: the questions it could not answer, and daily counts.

Whoever keeps facts.yaml reads it with `python -m bot unanswered` and `python -m bot stats`.
Writes happen on one background thread so the event loop never waits on the disk; a full
disk or a locked database is logged once and the bot goes on answering.
"""

import json
import logging
import queue
import sqlite3
import threading
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from pathlib import Path

log = logging.getLogger(__name__)

BACKLOG = 10_000  # events waiting for the writer; past it new ones are dropped, not queued
BATCH = 500  # events written in one transaction at most
BUSY_TIMEOUT_MS = 2_000  # how long a write waits for a lock held by someone else
RETRY_SECONDS = 1.0  # pause before writing again after a failure
# Events gathered this long into one transaction: one wake of the writer and one commit a
# batch, not one an answer (each costs the event loop the GIL and the disk a write)
GATHER_SECONDS = 0.25
MAX_TEXT = 500  # characters of a question kept
SCHEMA = """
CREATE TABLE IF NOT EXISTS unanswered (
    id INTEGER PRIMARY KEY,
    at TEXT NOT NULL,          -- UTC, ISO 8601
    platform TEXT NOT NULL,
    kind TEXT NOT NULL,        -- decline or clarify
    text TEXT NOT NULL,        -- the question, normalised
    candidates TEXT NOT NULL,  -- JSON [[fact_id, score], ...], best first
    user_id TEXT               -- only with RECORD_USER_IDS=true
);
CREATE INDEX IF NOT EXISTS unanswered_at ON unanswered (at);
CREATE TABLE IF NOT EXISTS daily (
    day TEXT NOT NULL,         -- UTC date
    platform TEXT NOT NULL,
    kind TEXT NOT NULL,        -- answer, clarify or decline
    fact_id TEXT NOT NULL,     -- the fact answered; '' for clarify and decline
    count INTEGER NOT NULL,
    PRIMARY KEY (day, platform, kind, fact_id)
);
"""
_STOP = object()


@dataclass(frozen=True, slots=True)
class Event:
    """One question's outcome; `text` and `candidates` are kept only when it was not answered."""

    platform: str
    kind: str  # answer, clarify or decline
    fact_id: str = ""
    text: str = ""
    candidates: tuple[tuple[str, float], ...] = ()
    user_id: str | None = None
    at: datetime = field(default_factory=lambda: datetime.now(UTC))


class Journal:
    """Records events on a writer thread; `record` never blocks and never raises."""

    def __init__(self, path: Path, *, keep_user_ids: bool = False) -> None:
        self.path = path
        self.keep_user_ids = keep_user_ids
        self.dropped = 0  # events lost: the backlog was full while writing failed or lagged
        self._queue: queue.Queue[object] = queue.Queue(BACKLOG)
        self._failing = False
        self._unwritten = 0  # events the writer still held when it stopped
        self._markers = 0  # flushes and stops queued and not yet reached: no gathering then
        self._marked = threading.Condition()
        self._thread = threading.Thread(target=self._write_all, name="journal", daemon=True)
        self._thread.start()

    def record(self, event: Event) -> None:
        """Queue `event` for the writer; when the backlog is full it is dropped (logged once)."""
        if not self.keep_user_ids:
            event = replace(event, user_id=None)
        try:
            self._queue.put_nowait(event)
        except queue.Full:
            self.dropped += 1
            self._trouble("the writer is behind; events are dropped")

    def flush(self, timeout: float = 5.0) -> bool:
        """Wait until the writer has tried every event queued so far; False on timeout."""
        written = threading.Event()
        self._mark(written)
        return written.wait(timeout)

    def close(self, timeout: float = 2.0) -> int:
        """Write what is queued, then stop the writer; how many events were not written
        (logged: a stop must not lose them without a word)."""
        self._mark(_STOP)
        self._thread.join(timeout)
        left = self._queue.qsize() + self._unwritten
        if self._thread.is_alive():
            log.warning(
                "journal: still writing after %gs at shutdown; %d events or more are not recorded",
                timeout,
                left,
            )
        elif left:
            log.warning(
                "journal: %d events could not be written to %s at shutdown", left, self.path
            )
        return left

    def _mark(self, marker: object) -> None:
        """Queue a flush or stop marker; the writer stops gathering until it reaches them all."""
        with self._marked:  # counted first: the writer may not wait once it is queued
            self._markers += 1
            self._marked.notify()
        self._queue.put(marker)

    def _write_all(self) -> None:
        """The writer thread: batches of events, kept and retried while the database fails."""
        connection: sqlite3.Connection | None = None
        pending: list[Event] = []
        while True:
            try:
                batch = [self._queue.get(timeout=RETRY_SECONDS if pending else None)]
            except queue.Empty:
                batch = []
            if batch and isinstance(batch[0], Event) and self._queue.qsize() < BATCH:
                with self._marked:  # let more arrive first, unless someone waits for them
                    self._marked.wait_for(lambda: self._markers, GATHER_SECONDS)
            while len(batch) < BATCH and not self._queue.empty():
                batch.append(self._queue.get_nowait())
            pending += [item for item in batch if isinstance(item, Event)]
            if pending:
                connection = self._write(connection, pending)
                if connection is not None:
                    pending = []
                elif len(pending) > BACKLOG:  # still failing: keep the newest
                    self.dropped += len(pending) - BACKLOG
                    del pending[:-BACKLOG]
            for item in batch:
                if isinstance(item, threading.Event):
                    with self._marked:
                        self._markers -= 1
                    item.set()
            if _STOP in batch:
                self._unwritten = len(pending)
                if connection is not None:
                    connection.close()
                return

    def _write(
        self, connection: sqlite3.Connection | None, events: list[Event]
    ) -> sqlite3.Connection | None:
        """Write `events` in one transaction: the open connection, or None if it failed."""
        try:
            connection = connection or connect(self.path, create=True)
            with connection:
                _insert(connection, events)
        except Exception as exc:  # sqlite3.Error, OSError, or anything else: the thread lives
            self._trouble(str(exc))
            if connection is not None:
                connection.close()
            return None
        if self._failing:
            self._failing = False
            log.info("journal: recording in %s again", self.path)
        return connection

    def _trouble(self, why: str) -> None:
        if not self._failing:
            self._failing = True
            log.warning(
                "journal: cannot record questions in %s (%s); the bot answers on, and says "
                "so again only once recording works",
                self.path,
                why,
            )


def connect(path: Path, *, create: bool = False) -> sqlite3.Connection:
    """A connection in WAL mode with the schema in place; `create` makes the file and folder."""
    if create:
        path.parent.mkdir(parents=True, exist_ok=True)
    elif not path.exists():
        raise FileNotFoundError(path)
    connection = sqlite3.connect(path, timeout=BUSY_TIMEOUT_MS / 1000, check_same_thread=False)
    try:
        connection.execute("PRAGMA journal_mode=WAL")
        connection.executescript(SCHEMA)
    except sqlite3.Error:
        connection.close()
        raise
    return connection


def _insert(connection: sqlite3.Connection, events: list[Event]) -> None:
    connection.executemany(
        "INSERT INTO unanswered (at, platform, kind, text, candidates, user_id) "
        "VALUES (?, ?, ?, ?, ?, ?)",
        [
            (
                e.at.isoformat(timespec="seconds"),
                e.platform,
                e.kind,
                e.text[:MAX_TEXT],
                json.dumps([[f, round(s, 1)] for f, s in e.candidates]),
                e.user_id,
            )
            for e in events
            if e.kind != "answer"
        ],
    )
    connection.executemany(
        "INSERT INTO daily (day, platform, kind, fact_id, count) VALUES (?, ?, ?, ?, 1) "
        "ON CONFLICT (day, platform, kind, fact_id) DO UPDATE SET count = count + 1",
        [(e.at.date().isoformat(), e.platform, e.kind, e.fact_id) for e in events],
    )
