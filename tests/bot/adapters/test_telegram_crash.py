"""Exactly once through crashes: a real `python -m bot telegram` process, killed and
restarted against the fake Bot API, which keeps what was not confirmed as Telegram does.

The one case allowed a second answer: the process dies after an answer went out and before
its record was written (milliseconds: records are written in small group commits), or a
stop cancels a send already on the wire. Each test bounds it.
"""

import asyncio
import signal
from asyncio.subprocess import Process
from collections import Counter
from collections.abc import AsyncIterator
from contextlib import AbstractAsyncContextManager
from pathlib import Path

import pytest

from tests.conftest import bot_process
from tests.fakes.telegram_api import TOKEN, FakeTelegram

RATE = "30"  # Telegram's pace: answers leave slower than questions come, so a backlog builds
AT_MOST_TWICE = 40  # answers that may go out twice after one hard kill (sent, not yet recorded);
# measured 0-32 over runs on a slow machine, a999752 0-18: the record lags the sends there


@pytest.fixture
async def fake() -> AsyncIterator[FakeTelegram]:
    async with FakeTelegram() as fake:
        yield fake


def bot(fake: FakeTelegram, log: Path, **env: str) -> AbstractAsyncContextManager[Process]:
    """`python -m bot telegram` against the fake, its log appended to `log`."""
    settings = {
        "TELEGRAM_TOKEN": TOKEN,
        "TELEGRAM_API_URL": fake.api_url,
        "TELEGRAM_MAX_RATE": RATE,
        "QUESTIONS_PER_MINUTE": "0",
        "LOG_LEVEL": "WARNING",
        **env,
    }
    return bot_process("telegram", output=log, **settings)


def ask(fake: FakeTelegram, count: int) -> list[int]:
    """`count` questions, each from a user of its own: answers are counted per chat."""
    users = [fake.user(9000 + i, f"U{i}") for i in range(count)]
    for i, user in enumerate(users):
        fake.push_text(f"When did Albania join NATO? ({i})", user=user)
    return [u["id"] for u in users]


async def all_answered(fake: FakeTelegram, chats: list[int], timeout: float = 60) -> Counter:
    await fake.wait_until(lambda: set(chats) <= set(fake.answers()), timeout)
    await asyncio.sleep(0.5)  # room for a late duplicate to show
    return fake.answers()


async def test_sigkill_mid_burst_then_restart_answers_every_question(fake, tmp_path):
    chats = ask(fake, 300)
    async with bot(fake, tmp_path / "bot.log") as child:
        await fake.wait_until(lambda: len(fake.sent) >= 60, 30)
        child.send_signal(signal.SIGKILL)
        await child.wait()
    taken_before = len(fake.sent)
    async with bot(fake, tmp_path / "bot.log"):
        counts = await all_answered(fake, chats)
    assert taken_before < 300, "the kill came mid-burst"
    assert set(counts) == set(chats)  # none lost
    assert max(counts.values()) <= 2 and sum(counts.values()) - 300 <= AT_MOST_TWICE


async def test_sigterm_with_a_short_grace_then_sigkill_loses_nothing(fake, tmp_path):
    chats = ask(fake, 600)
    log = tmp_path / "bot.log"
    async with bot(fake, log, STOP_TIMEOUT="2") as child:
        await fake.wait_until(lambda: len(fake.sent) >= 30, 30)
        child.send_signal(signal.SIGTERM)
        try:
            await asyncio.wait_for(child.wait(), 2.5)
        except TimeoutError:
            child.send_signal(signal.SIGKILL)
            await child.wait()
    async with bot(fake, log):
        counts = await all_answered(fake, chats)
    assert set(counts) == set(chats)
    assert max(counts.values()) <= 2 and sum(counts.values()) - 600 <= AT_MOST_TWICE
    assert "updates unanswered; Telegram keeps them" in log.read_text()


async def test_a_failed_confirming_poll_then_a_restart_answers_nothing_twice(fake, tmp_path):
    chats = ask(fake, 100)
    async with bot(fake, tmp_path / "bot.log") as child:
        await fake.wait_until(lambda: len(fake.delivered) == 100, 30)  # the batch is taken
        fake.drop("getUpdates", times=1000)  # from now on every poll, the confirming one too, fails
        await fake.wait_until(lambda: len(fake.sent) == 100, 30)
        failed = len(fake.faulted)
        await fake.wait_until(lambda: len(fake.faulted) > failed, 20)  # one after the last answer
        child.send_signal(signal.SIGKILL)  # dies with nothing confirmed
        await child.wait()
    fake.heal("getUpdates")
    async with bot(fake, tmp_path / "bot.log"):
        await fake.wait_until(lambda: fake.polling, 20)  # the batch was handed out again...
        await asyncio.sleep(1)
        counts = fake.answers()
    assert counts == Counter({chat: 1 for chat in chats})  # ...and none answered twice


async def test_signals_during_the_drain_lose_nothing(fake, tmp_path):
    chats = ask(fake, 300)
    log = tmp_path / "bot.log"
    async with bot(fake, log) as child:
        await fake.wait_until(lambda: len(fake.sent) >= 30, 30)
        child.send_signal(signal.SIGTERM)
        await asyncio.sleep(0.1)
        child.send_signal(signal.SIGHUP)  # log rotation during the drain
        child.send_signal(signal.SIGTERM)  # an impatient second stop
        assert await asyncio.wait_for(child.wait(), 15) == 0
    async with bot(fake, log):
        counts = await all_answered(fake, chats)
    assert set(counts) == set(chats)
    assert max(counts.values()) <= 2 and sum(counts.values()) - 300 <= AT_MOST_TWICE


async def test_a_revoked_token_ends_the_process_with_one_clear_line(fake, tmp_path):
    log = tmp_path / "bot.log"
    async with bot(fake, log) as child:
        await fake.wait_until(lambda: fake.polling, 20)
        fake.token = "123456789:AAanotherTokenThanTheBotHas_0123456789"  # revoked meanwhile
        fake.push_text("anyone there?")  # ends the long poll
        code = await asyncio.wait_for(child.wait(), 15)
    errors = [line for line in log.read_text().splitlines() if " ERROR " in line]
    assert code == 3
    assert len(errors) == 1 and "telegram" in errors[0] and "rejected the token" in errors[0]
    assert TOKEN.split(":")[1] not in log.read_text()


async def test_a_hanging_bot_api_cannot_hold_the_stop(fake, tmp_path):
    fake.slow("sendMessage", 60, times=10)  # Telegram takes the request and never answers
    chats = ask(fake, 3)
    log = tmp_path / "bot.log"
    async with bot(fake, log, STOP_TIMEOUT="2") as child:
        await fake.wait_until(lambda: len(fake.delivered) == 3, 20)
        await asyncio.sleep(0.5)  # the answers are on the wire
        started = asyncio.get_running_loop().time()
        child.send_signal(signal.SIGTERM)
        code = await asyncio.wait_for(child.wait(), 20)
        took = asyncio.get_running_loop().time() - started
    assert code == 0 and took < 2 + 3  # STOP_TIMEOUT, the journal's 2 s, and a margin
    fake.heal("sendMessage")
    async with bot(fake, log):
        counts = await all_answered(fake, chats)
    assert set(counts) == set(chats)  # what hung was kept for the next start
