"""Polling with a standby: two real `python -m bot telegram` processes share a Redis; the
one holding the lease polls, the active one is killed mid-burst, and the standby takes over
from what Telegram still holds, answering each question once."""

import asyncio
import signal
import time
from pathlib import Path

from tests.conftest import bot_process
from tests.fakes.telegram_api import TOKEN, FakeTelegram

QUESTIONS = 600
AT_MOST_TWICE = 40  # answers the killed process sent and had not yet marked done
TAKEN = "polling lease taken"


def polling(log: Path) -> bool:
    return log.exists() and TAKEN in log.read_text(errors="replace")


async def test_the_standby_takes_over_when_the_active_poller_dies(tmp_path, redis_server):
    async with FakeTelegram() as fake:
        env = {
            "TELEGRAM_TOKEN": TOKEN, "TELEGRAM_API_URL": fake.api_url, "TELEGRAM_MAX_RATE": "0",
            "REDIS_URL": redis_server.url, "TELEGRAM_CLAIM_SECONDS": "2",
            "QUESTIONS_PER_MINUTE": "0", "LOG_LEVEL": "INFO",
        }  # fmt: skip
        logs = [tmp_path / "first.log", tmp_path / "second.log"]
        async with (
            bot_process("telegram", output=logs[0], DATABASE_PATH=str(tmp_path / "1.db"), **env)
            as first,
            bot_process("telegram", output=logs[1], DATABASE_PATH=str(tmp_path / "2.db"), **env)
            as second,
        ):  # fmt: skip
            await fake.wait_until(lambda: any(map(polling, logs)), 60)
            await asyncio.sleep(2)  # both started: the other one is waiting as a standby
            active, standby = (first, second) if polling(logs[0]) else (second, first)
            assert not polling(logs[1] if active is first else logs[0]), "one poller at a time"
            users = [fake.user(30_000 + n, f"F{n}") for n in range(QUESTIONS)]
            for n, user in enumerate(users):
                fake.push_text(f"When did Albania join NATO? ({n})", user=user)
            await fake.wait_until(lambda: len(fake.sent) >= QUESTIONS // 4, 60)
            active.send_signal(signal.SIGKILL)
            killed = time.perf_counter()
            await active.wait()
            answered_at_kill = len(fake.sent)
            await fake.wait_until(
                lambda: {u["id"] for u in users} <= {m["chat"]["id"] for m in fake.sent}, 90
            )
            await asyncio.sleep(0.5)  # room for a late duplicate to show
            assert standby.returncode is None, "the standby is serving"
    polls = [c.at for c in fake.calls_of("getUpdates") if c.at > killed]
    counts = fake.answers()
    doubled = counts.total() - len(counts)
    print(
        f"\nstandby polling {polls[0] - killed:.1f} s after the kill; "
        f"{QUESTIONS} questions, {doubled} answered twice"
    )
    assert answered_at_kill < QUESTIONS, "the kill came mid-burst"
    assert max(counts.values()) <= 2 and doubled <= AT_MOST_TWICE
