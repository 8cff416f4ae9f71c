"""Several Telegram webhook workers on one port (SO_REUSEPORT), sharing a real Redis:
every update answered once though Telegram delivers some twice and one worker is killed
mid-burst. Real `python -m bot telegram` processes against the fake Bot API on loopback."""

import asyncio
import signal

import httpx

from tests.conftest import bot_process, free_port
from tests.fakes.telegram_api import TOKEN, FakeTelegram

WORKERS = 3
QUESTIONS = 1000
TWICE_EVERY = 10  # every tenth update is delivered twice at once, as a retried POST is
SECRET = "workers-s3cret"
AT_MOST_TWICE = 40  # answers the killed worker sent and had not yet marked done
RETRY_PAUSE = 0.2  # seconds before Telegram's next try of an update not answered 200


async def push(client: httpx.AsyncClient, url: str, update: dict, deadline: float) -> int:
    """Deliver one update as Telegram does: again after any answer but 200; the tries taken."""
    loop = asyncio.get_running_loop()
    tries = 0
    while loop.time() < deadline:
        tries += 1
        try:
            response = await client.post(
                url, json=update, headers={"X-Telegram-Bot-Api-Secret-Token": SECRET}
            )
            if response.status_code == 200:
                return tries
        except httpx.HTTPError:  # the worker died with the connection open
            pass
        await asyncio.sleep(RETRY_PAUSE)
    raise AssertionError(f"update {update['update_id']} never answered 200")


async def test_three_workers_answer_every_update_once_through_duplicates_and_a_kill(
    tmp_path, redis_server
):
    port = free_port()
    url = f"http://127.0.0.1:{port}/tg"
    async with FakeTelegram() as fake:
        env = {
            "TELEGRAM_TOKEN": TOKEN, "TELEGRAM_API_URL": fake.api_url, "TELEGRAM_MAX_RATE": "0",
            "TELEGRAM_MODE": "webhook", "TELEGRAM_WEBHOOK_URL": "https://bot.example.test/tg",
            "TELEGRAM_WEBHOOK_SECRET": SECRET, "TELEGRAM_WEBHOOK_LISTEN": "127.0.0.1",
            "PORT": str(port), "REDIS_URL": redis_server.url, "TELEGRAM_CLAIM_SECONDS": "2",
            "QUESTIONS_PER_MINUTE": "0", "LOG_LEVEL": "WARNING",
        }  # fmt: skip
        log = tmp_path / "workers.log"
        async with (
            bot_process("telegram", output=log, DATABASE_PATH=str(tmp_path / "a.db"), **env) as a,
            bot_process("telegram", output=log, DATABASE_PATH=str(tmp_path / "b.db"), **env),
            bot_process("telegram", output=log, DATABASE_PATH=str(tmp_path / "c.db"), **env),
        ):
            await fake.wait_until(lambda: len(fake.calls_of("setWebhook")) >= WORKERS, 60)
            await asyncio.sleep(0.5)  # the last worker's socket listening too
            updates = [
                {"update_id": n + 1,
                 "message": fake.message(f"When did Albania join NATO? ({n})",
                                         user=fake.user(20_000 + n, f"W{n}"))}
                for n in range(QUESTIONS)
            ]  # fmt: skip
            loop = asyncio.get_running_loop()
            deadline = loop.time() + 120
            gate = asyncio.Semaphore(32)

            async def deliver(client: httpx.AsyncClient, update: dict) -> None:
                async with gate:
                    copies = 2 if update["update_id"] % TWICE_EVERY == 0 else 1
                    await asyncio.gather(
                        *(push(client, url, update, deadline) for _ in range(copies))
                    )

            async with httpx.AsyncClient(trust_env=False, timeout=10) as client:
                began = loop.time()
                burst = asyncio.gather(*(deliver(client, u) for u in updates))
                await fake.wait_until(lambda: len(fake.sent) >= QUESTIONS // 3, 60)
                a.send_signal(signal.SIGKILL)  # mid-burst, with answers in flight
                await a.wait()
                answered_at_kill = len(fake.sent)
                await burst
                took = loop.time() - began
            await asyncio.sleep(0.5)  # room for a late duplicate to show
    counts = fake.answers()
    doubled = counts.total() - len(counts)
    print(
        f"\n{QUESTIONS} updates, {WORKERS} workers, one SIGKILLed: all 200 in {took:.1f} s, "
        f"{doubled} answered twice"
    )
    assert answered_at_kill < QUESTIONS, "the kill came mid-burst"
    assert set(counts) == {20_000 + n for n in range(QUESTIONS)}, "none lost"
    assert max(counts.values()) <= 2 and doubled <= AT_MOST_TWICE
