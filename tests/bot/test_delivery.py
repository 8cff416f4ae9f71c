import asyncio
import logging
import sqlite3

from bot.delivery import Delivery, Ledger, delivery_path


async def test_the_ledger_remembers_across_a_restart(tmp_path):
    path = tmp_path / "bot.sqlite3"
    first = Ledger(path, "telegram")
    await first.open()
    await asyncio.gather(*(first.record(i) for i in (5, 6, 7)))
    await first.close()
    again = Ledger(path, "telegram")
    await again.open()
    assert [again.done(i) for i in (5, 6, 7, 8)] == [True, True, True, False]
    other = Ledger(path, "discord")  # each platform's ids are its own
    await other.open()
    assert not other.done(5)
    for ledger in (again, other):
        await ledger.close()


async def test_many_records_at_once_share_few_transactions(tmp_path, monkeypatch):
    ledger = Ledger(tmp_path / "bot.sqlite3", "telegram")
    await ledger.open()
    writes = []
    insert = ledger._insert
    monkeypatch.setattr(ledger, "_insert", lambda ids: (writes.append(len(ids)), insert(ids)))
    await asyncio.gather(*(ledger.record(i) for i in range(200)))
    await ledger.close()
    assert sum(writes) == 200 and len(writes) <= 3  # group commit, not 200 transactions


async def test_a_database_that_fails_is_said_once_and_answering_goes_on(tmp_path, caplog):
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where the database folder should be")
    ledger = Ledger(blocker / "bot.sqlite3", "telegram")
    with caplog.at_level(logging.WARNING, logger="bot.delivery"):
        await ledger.open()
        await asyncio.wait_for(asyncio.gather(*(ledger.record(i) for i in range(3))), 5)
        assert ledger.done(2)  # kept in memory: no update answered twice while running
        left = await ledger.close()
    assert left == 3
    messages = [r.getMessage() for r in caplog.records]
    assert len(messages) == 2 and "may answer some twice" in messages[0]
    assert "3 answered updates could not be recorded" in messages[1]


async def test_delivery_answers_each_update_once_even_when_delivered_twice(tmp_path):
    handled = []

    async def handle(update: int) -> None:
        handled.append(update)
        await asyncio.sleep(0.05)

    ledger = Ledger(tmp_path / "bot.sqlite3", "telegram")
    await ledger.open()
    delivery = Delivery(ledger, handle, key=lambda u: u)
    await asyncio.gather(delivery.deliver(1), delivery.deliver(1), delivery.deliver(2))
    await delivery.deliver(1)  # after it was answered and recorded
    await ledger.close()
    assert handled == [1, 2]
    rows = sqlite3.connect(tmp_path / "bot.sqlite3").execute("SELECT update_id FROM delivered")
    assert sorted(r[0] for r in rows) == [1, 2]


async def test_a_failing_handler_still_counts_as_done_and_a_cancelled_one_does_not(caplog):
    async def handle(update: int) -> None:
        if update == 1:
            raise RuntimeError("a bug")
        await asyncio.sleep(10)

    ledger = Ledger(None, "telegram")
    delivery = Delivery(ledger, handle, key=lambda u: u)
    await delivery.deliver(1)
    delivery.start(2)
    assert await delivery.drain(0.05) == [2]
    assert ledger.done(1) and not ledger.done(2)  # 2 comes again after a restart
    assert "error while handling update 1" in caplog.text


async def test_updates_kept_before_a_crash_come_back_and_answered_ones_leave(tmp_path):
    path = delivery_path(tmp_path / "bot.sqlite3")
    assert path == tmp_path / "bot.delivery.sqlite3"  # apart from the journal's file
    first = Ledger(path, "telegram")
    await first.open()
    assert await first.keep([(1, '{"update_id": 1}'), (2, '{"update_id": 2}')])
    await first.record(1)  # answered; 2 was taken and the process died
    again = Ledger(path, "telegram")
    await again.open()
    assert again.kept == [(2, '{"update_id": 2}')] and again.done(1)
    assert not await Ledger(None, "telegram").keep([(3, "{}")]), "no database: not kept"
    for ledger in (first, again):
        await ledger.close()
