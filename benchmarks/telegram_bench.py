"""Telegram throughput: `python -m bot telegram` in its own process against the fake Bot API.

python -m benchmarks.telegram_bench [--questions N] [--max-rate R] [--pace Q]

Each question comes from its own private chat. Two runs: a burst (all queued at once: the
throughput) and a paced one (Q questions a second: the latency of a bot keeping up).
Latency runs from the getUpdates answer that hands an update to the bot to the sendMessage
that answers it. --max-rate is TELEGRAM_MAX_RATE: 0 takes the flood limiter's overall cap
off and measures the bot itself; Telegram's own 30 messages a second cap the real thing.
"""

import argparse
import asyncio
import itertools
import os
import statistics
import sys
import time
from pathlib import Path

from bot.evaluation import DEFAULT_QUESTIONS, load_cases
from tests.fakes.telegram_api import TOKEN, FakeTelegram

ROOT = Path(__file__).resolve().parent.parent


def questions(count: int) -> list[str]:
    """`count` questions from the labelled set, in scope and not, cycled."""
    texts = [case.question for case in load_cases(DEFAULT_QUESTIONS)]
    return list(itertools.islice(itertools.cycle(texts), count))


async def measure(count: int, max_rate: float, pace: float = 0) -> dict[str, float]:
    """Answer `count` questions through the fake, `pace` a second (0: all at once)."""
    async with FakeTelegram() as fake:
        env = dict(
            os.environ,
            TELEGRAM_TOKEN=TOKEN,
            TELEGRAM_API_URL=fake.api_url,
            TELEGRAM_MAX_RATE=str(max_rate),
            LOG_LEVEL="WARNING",
            NO_PROXY="127.0.0.1,localhost",
        )
        child = await asyncio.create_subprocess_exec(
            sys.executable, "-m", "bot", "telegram", cwd=ROOT, env=env
        )
        try:
            await fake.wait_polling(timeout=30)
            started = time.perf_counter()
            updates = []
            for i, text in enumerate(questions(count)):
                updates.append(fake.push_text(text, user=fake.user(10_000 + i, f"user{i}")))
                if pace:
                    await asyncio.sleep(max(0, started + (i + 1) / pace - time.perf_counter()))
            sent = await fake.wait_for("sendMessage", count, timeout=max(60, count / 10))
            elapsed = time.perf_counter() - started
        finally:
            child.terminate()
            await child.wait()
    answered_at = {int(c.params["chat_id"]): c.at for c in sent}
    latencies = sorted(
        (answered_at[u["message"]["chat"]["id"]] - fake.delivered[u["update_id"]]) * 1000
        for u in updates
    )
    return {
        "answered": len(answered_at),
        "seconds": elapsed,
        "per_second": count / elapsed,
        "p50_ms": statistics.median(latencies),
        "p99_ms": latencies[min(len(latencies) - 1, int(len(latencies) * 0.99))],
        "exit_code": child.returncode,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.telegram_bench")
    parser.add_argument("--questions", type=int, default=1000)
    parser.add_argument("--max-rate", type=float, default=0, help="TELEGRAM_MAX_RATE; 0: off")
    parser.add_argument("--pace", type=float, default=100, help="questions a second, paced run")
    args = parser.parse_args(argv)
    cap = f"{args.max_rate:g}/s" if args.max_rate else "off"
    print(f"telegram, {args.questions} questions from as many private chats, flood cap {cap}:")
    complete = True
    for label, pace in (("burst", 0), (f"paced {args.pace:g}/s", args.pace)):
        figures = asyncio.run(measure(args.questions, args.max_rate, pace))
        complete = complete and figures["answered"] == args.questions
        print(
            f"  {label}: {figures['answered']} answered in {figures['seconds']:.2f} s = "
            f"{figures['per_second']:.0f} answers/s; latency p50 {figures['p50_ms']:.1f} ms, "
            f"p99 {figures['p99_ms']:.1f} ms; bot exit code {figures['exit_code']}"
        )
    return 0 if complete else 1


if __name__ == "__main__":
    sys.exit(main())
