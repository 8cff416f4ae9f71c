import json
import logging
import sqlite3
import threading
import time

import pytest

from bot import journal as journal_module
from bot.journal import Event, Journal


@pytest.fixture
def path(tmp_path):
    return tmp_path / "data" / "bot.sqlite3"


def rows(path, query):
    with sqlite3.connect(path) as connection:
        return connection.execute(query).fetchall()


def test_records_what_was_not_answered_and_counts_every_outcome(path):
    journal = Journal(path)
    journal.record(Event("telegram", "answer", "nato_2009", user_id="42"))
    journal.record(Event("telegram", "answer", "nato_2009"))
    journal.record(Event("discord", "decline", "", "what about russia", (("nato_2009", 31.5),)))
    journal.record(Event("discord", "clarify", "", "albania", (("a", 60.0), ("b", 55.0))))
    journal.close()
    unanswered = rows(path, "SELECT platform, kind, text, candidates, user_id FROM unanswered")
    assert unanswered == [
        ("discord", "decline", "what about russia", json.dumps([["nato_2009", 31.5]]), None),
        ("discord", "clarify", "albania", json.dumps([["a", 60.0], ["b", 55.0]]), None),
    ]
    daily = rows(path, "SELECT platform, kind, fact_id, count FROM daily ORDER BY count DESC")
    assert daily[0] == ("telegram", "answer", "nato_2009", 2)
    assert sorted(daily[1:]) == [("discord", "clarify", "", 1), ("discord", "decline", "", 1)]
    assert rows(path, "PRAGMA journal_mode") == [("wal",)]


def test_user_ids_only_when_allowed(path):
    for keep in (False, True):
        journal = Journal(path, keep_user_ids=keep)
        journal.record(Event("telegram", "decline", "", "who won", user_id="42"))
        journal.close()
    assert [r[0] for r in rows(path, "SELECT user_id FROM unanswered ORDER BY id")] == [None, "42"]


def test_long_text_is_cut(path):
    journal = Journal(path)
    journal.record(Event("telegram", "decline", "", "x" * 100_000))
    journal.close()
    assert rows(path, "SELECT length(text) FROM unanswered") == [(journal_module.MAX_TEXT,)]


def test_writes_happen_on_the_writer_thread(path, monkeypatch):
    threads = []
    insert = journal_module._insert
    monkeypatch.setattr(
        journal_module,
        "_insert",
        lambda *a: threads.append(threading.current_thread().name) or insert(*a),
    )
    journal = Journal(path)
    journal.record(Event("telegram", "answer", "nato_2009"))
    journal.close()
    assert threads == ["journal"]


def test_a_locked_database_is_logged_once_and_nothing_is_lost(path, monkeypatch, caplog):
    monkeypatch.setattr(journal_module, "BUSY_TIMEOUT_MS", 50)
    monkeypatch.setattr(journal_module, "RETRY_SECONDS", 0.05)
    journal_module.connect(path, create=True).close()
    locker = sqlite3.connect(path, isolation_level=None)
    locker.execute("BEGIN EXCLUSIVE")
    journal = Journal(path)
    with caplog.at_level(logging.INFO, logger="bot.journal"):
        for i in range(3):
            journal.record(Event("telegram", "decline", "", f"question {i}"))
            assert journal.flush()
        locker.execute("COMMIT")
        locker.close()
        journal.record(Event("telegram", "decline", "", "question 3"))
        journal.close()
    warnings = [r for r in caplog.records if r.levelno == logging.WARNING]
    assert len(warnings) == 1 and "database is locked" in warnings[0].getMessage()
    assert any("again" in r.getMessage() for r in caplog.records if r.levelno == logging.INFO)
    assert rows(path, "SELECT count(*) FROM unanswered") == [(4,)]
    assert journal.dropped == 0


def test_an_unwritable_place_is_logged_once_and_record_never_raises(tmp_path, caplog):
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where the database folder should be")
    journal = Journal(blocker / "bot.sqlite3")
    with caplog.at_level(logging.WARNING, logger="bot.journal"):
        for _ in range(3):
            journal.record(Event("telegram", "decline", "", "anything"))
            journal.flush()
        left = journal.close()
    lost = f"journal: 3 events could not be written to {blocker / 'bot.sqlite3'} at shutdown"
    assert [r.getMessage().split(" in ")[0] for r in caplog.records] == [
        "journal: cannot record questions",
        lost,
    ]
    assert left == 3  # and a stop says what it could not keep


def test_a_full_backlog_drops_events_instead_of_waiting(path, monkeypatch):
    monkeypatch.setattr(journal_module, "BACKLOG", 2)
    journal_module.connect(path, create=True).close()
    locker = sqlite3.connect(path, isolation_level=None)
    locker.execute("BEGIN EXCLUSIVE")  # the writer is stuck in its first write
    journal = Journal(path)
    journal.record(Event("telegram", "decline", "", "first"))
    for i in range(10):
        journal.record(Event("telegram", "decline", "", f"more {i}"))
    assert journal.dropped >= 7  # at most the first and two queued got through
    locker.execute("COMMIT")
    locker.close()
    journal.close()


def test_events_close_together_share_one_transaction(path, monkeypatch):
    batches = []
    insert = journal_module._insert
    monkeypatch.setattr(
        journal_module,
        "_insert",
        lambda c, events: (batches.append(len(events)), insert(c, events)),
    )
    monkeypatch.setattr(journal_module, "GATHER_SECONDS", 30.0)  # longer than any wait here
    journal = Journal(path)
    for n in range(20):  # answers a few milliseconds apart, as a busy bot gives them
        journal.record(Event("discord", "answer", f"fact{n % 7}"))
        time.sleep(0.003)
    assert journal.flush(timeout=5)  # a flush cuts the gathering short
    assert sum(batches) == 20 and len(batches) <= 3  # not a transaction an answer
    journal.record(Event("discord", "answer", "fact0"))
    assert journal.flush(timeout=5) and sum(batches) == 21  # and again, each time
    journal.record(Event("discord", "answer", "fact0"))
    assert journal.close(timeout=5) == 0  # so does a close
    assert rows(path, "SELECT sum(count) FROM daily") == [(22,)]
