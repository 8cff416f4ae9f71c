"""Soak: one `python -m bot run` serving both fakes for a long, mixed load; does it hold up?

python -m benchmarks.soak [--questions N] [--users U] [--pace Q]

Half the users are on Telegram (private chats), half on Discord (DMs and /ask in turn).
Questions come from the labelled set (in scope and not) and a few commands, Q a second in
all. Printed: every question answered exactly once (none lost, none twice), answers a
second, latency percentiles, and the bot's memory: resident set (RSS) after warm-up, at the
end and at its peak. Exit code 1 unless every question was answered once and RSS stayed
within 10% of its size after warm-up.

The per-user rate limit is off (QUESTIONS_PER_MINUTE=0) and so is Telegram's flood cap:
this measures the bot, not the limits, which their own tests cover. The journal is on.
"""

import argparse
import asyncio
import contextlib
import statistics
import sys
import time
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from benchmarks.common import bot_process, paced, questions
from tests.fakes.discord_api import TOKEN as DISCORD_TOKEN
from tests.fakes.discord_api import FakeDiscord
from tests.fakes.telegram_api import TOKEN as TELEGRAM_TOKEN
from tests.fakes.telegram_api import FakeTelegram

WARM_UP = 0.2  # the share of questions after which memory should stop growing
FLAT = 0.10  # allowed RSS growth after warm-up
COMMANDS = ("/help", "/about", "/source")  # short replies: one message each
MAX_QUESTION = 300  # Discord's /ask option limit
SAMPLE_EVERY = 0.25  # seconds between RSS readings


@dataclass
class Load:
    """What was asked where, and when, to match answers against."""

    expected: Counter[str] = field(default_factory=Counter)  # answer key -> questions
    asked_at: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))


def memory(pid: int) -> dict[str, int]:
    """VmRSS and VmHWM (peak) of a process, in kB."""
    values = {}
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        name, _, rest = line.partition(":")
        if name in ("VmRSS", "VmHWM"):
            values[name] = int(rest.split()[0])
    return values


async def soak(count: int, users: int, pace: float) -> dict[str, Any]:
    texts = [t if i % 10 else COMMANDS[i // 10 % 3] for i, t in enumerate(questions(count))]
    load = Load()
    async with FakeTelegram() as telegram, FakeDiscord() as discord:
        env = {
            "TELEGRAM_TOKEN": TELEGRAM_TOKEN,
            "TELEGRAM_API_URL": telegram.api_url,
            "TELEGRAM_MAX_RATE": "0",
            "DISCORD_TOKEN": DISCORD_TOKEN,
            "DISCORD_API_URL": discord.api_base,
            "DISCORD_GATEWAY_URL": discord.gateway_url,
            "QUESTIONS_PER_MINUTE": "0",
        }
        async with bot_process("run", **env) as child:
            await telegram.wait_polling(timeout=30)
            await discord.wait_connected(timeout=30)
            samples: list[tuple[int, int]] = []  # (questions pushed, RSS kB)
            pushed = 0

            async def sample() -> None:
                while True:
                    samples.append((pushed, memory(child.pid)["VmRSS"]))
                    await asyncio.sleep(SAMPLE_EVERY)

            sampler = asyncio.create_task(sample())
            started, clock = time.perf_counter(), asyncio.get_running_loop().time()
            for i, text in enumerate(texts):
                await ask(telegram, discord, load, i % users, users, i, text)
                pushed = i + 1
                await paced(clock, i, pace)
            total = sum(load.expected.values())
            with contextlib.suppress(TimeoutError):  # reported below as lost
                await wait_answered(telegram, discord, total, timeout=max(60, count / 20))
            elapsed = time.perf_counter() - started
            await asyncio.sleep(1.0)  # room for a duplicate to show up
            sampler.cancel()
            final = memory(child.pid)
            child.terminate()
            await child.wait()
    got = answered(telegram, discord)
    return summarise(load, got, samples, final, count, elapsed, child.returncode)


async def ask(
    telegram: FakeTelegram,
    discord: FakeDiscord,
    load: Load,
    user: int,
    users: int,
    index: int,
    text: str,
) -> None:
    """Question `index` from `user`: the first half of the users are on Telegram."""
    now = time.perf_counter()
    if user < users // 2:
        chat = telegram.user(20_000 + user, f"user{user}")
        telegram.push_text(text, user=chat)
        key = f"telegram:{chat['id']}"
    else:
        person = discord.user(1_800_000_000_000_000_000 + user, f"user{user}")
        if index % 2 or text.startswith("/"):
            await discord.push_message(text, author=person, dm=True)
            key = f"dm:{discord.dm_channel(person)['id']}"
        else:
            options = {"question": text[:MAX_QUESTION]}
            interaction = await discord.push_command("ask", options, user=person)
            key = f"ask:{interaction['token']}"
    load.expected[key] += 1
    load.asked_at[key].append(now)


def answered(telegram: FakeTelegram, discord: FakeDiscord) -> dict[str, list[float]]:
    """When each answer was sent, by the same keys `ask` uses."""
    times: dict[str, list[float]] = defaultdict(list)
    for call in telegram.calls_of("sendMessage"):
        times[f"telegram:{call.params['chat_id']}"].append(call.at)
    for key, calls in discord.answers().items():
        kind = "dm" if key.isdigit() else "ask"
        times[f"{kind}:{key}"] += [c.at for c in calls]
    return times


async def wait_answered(
    telegram: FakeTelegram, discord: FakeDiscord, total: int, timeout: float
) -> None:
    deadline = time.monotonic() + timeout
    while sum(len(v) for v in answered(telegram, discord).values()) < total:
        if time.monotonic() > deadline:
            raise TimeoutError
        await asyncio.sleep(0.2)


def summarise(
    load: Load,
    got: dict[str, list[float]],
    samples: list[tuple[int, int]],
    final: dict[str, int],
    count: int,
    elapsed: float,
    exit_code: int | None,
) -> dict[str, Any]:
    lost = sum(max(0, n - len(got.get(k, []))) for k, n in load.expected.items())
    doubled = sum(max(0, len(got.get(k, [])) - n) for k, n in load.expected.items())
    latencies = sorted(
        (answer - asked) * 1000
        for key, asked_times in load.asked_at.items()
        for asked, answer in zip(asked_times, sorted(got.get(key, [])), strict=False)
    )
    warm = rss_at(samples, count * WARM_UP)
    return {
        "questions": count,
        "answered_once": count - lost - doubled,
        "lost": lost,
        "duplicated": doubled,
        "seconds": elapsed,
        "per_second": (count - lost) / elapsed,
        "p50_ms": statistics.median(latencies) if latencies else float("nan"),
        "p99_ms": latencies[int(len(latencies) * 0.99)] if latencies else float("nan"),
        "rss_start_mb": samples[0][1] / 1024,
        "rss_warm_mb": warm / 1024,
        "rss_end_mb": final["VmRSS"] / 1024,
        "rss_peak_mb": final["VmHWM"] / 1024,
        "growth": final["VmRSS"] / warm - 1,
        "timeline": " ".join(
            f"{share:.0%} {rss_at(samples, count * share) / 1024:.1f}"
            for share in (0.2, 0.4, 0.6, 0.8, 1.0)
        ),
        "exit_code": exit_code if exit_code is not None else -1,
    }


def rss_at(samples: list[tuple[int, int]], pushed: float) -> int:
    """The first RSS reading taken once `pushed` questions had been asked."""
    return next((rss for done, rss in samples if done >= pushed), samples[-1][1])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.soak")
    parser.add_argument("--questions", type=int, default=10_000)
    parser.add_argument("--users", type=int, default=500)
    parser.add_argument("--pace", type=float, default=150, help="questions a second, in all")
    args = parser.parse_args(argv)
    print(
        f"soak: {args.questions} mixed questions from {args.users} users (half Telegram, "
        f"half Discord), {args.pace:g}/s, one bot process serving both:"
    )
    result = asyncio.run(soak(args.questions, args.users, args.pace))
    flat = result["growth"] <= FLAT
    print(
        f"  answered exactly once: {result['answered_once']}/{result['questions']} "
        f"(lost {result['lost']}, duplicated {result['duplicated']}) in "
        f"{result['seconds']:.1f} s = {result['per_second']:.0f} answers/s\n"
        f"  latency: p50 {result['p50_ms']:.1f} ms, p99 {result['p99_ms']:.1f} ms\n"
        f"  RSS: {result['rss_start_mb']:.1f} MB at start, {result['rss_warm_mb']:.1f} MB after "
        f"warm-up ({WARM_UP:.0%}), {result['rss_end_mb']:.1f} MB at the end, peak "
        f"{result['rss_peak_mb']:.1f} MB; growth after warm-up {result['growth']:+.1%} "
        f"({'flat' if flat else 'GREW'}: target within {FLAT:.0%})\n"
        f"  RSS (MB) as questions were asked: {result['timeline']}\n"
        f"  bot exit code {result['exit_code']}"
    )
    ok = result["answered_once"] == result["questions"] and flat and result["exit_code"] == 0
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
