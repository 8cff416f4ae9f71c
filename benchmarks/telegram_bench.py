"""Telegram throughput: `python -m bot telegram` in its own process against the fake Bot API.

python -m benchmarks.telegram_bench [--questions N] [--max-rate R] [--pace Q] [--rounds R]

Each question comes from its own private chat. Two runs: a burst (all queued at once: the
throughput) and a paced one (Q questions a second: the latency of a bot keeping up).
Latency runs from the getUpdates answer that hands an update to the bot to the sendMessage
that answers it. --max-rate is TELEGRAM_MAX_RATE: 0 takes the flood limiter's overall cap
off and measures the bot itself; Telegram's own 30 messages a second cap the real thing.
Then R bursts each through the bot and through two minimal python-telegram-bot bots
(benchmarks/minimal_telegram.py: an HTML reply to each message; and the same asking this
bot's core), alternated: the ratios.
"""

import argparse
import asyncio
import sys
import time

from benchmarks.common import (
    Figures,
    bot_process,
    compare,
    cpu_seconds,
    figures,
    paced,
    questions,
    report,
)
from tests.fakes.telegram_api import TOKEN, FakeTelegram

YARDSTICK = "benchmarks.minimal_telegram"


async def measure(
    count: int, max_rate: float, pace: float = 0, *, yardstick: tuple[str, ...] | None = None
) -> Figures:
    """Answer `count` questions through the fake, `pace` a second (0: all at once);
    `yardstick`: by the minimal python-telegram-bot bot with these arguments instead."""
    module, command = ("bot", ("telegram",)) if yardstick is None else (YARDSTICK, yardstick)
    async with (
        FakeTelegram() as fake,
        bot_process(
            *command,
            module=module,
            TELEGRAM_TOKEN=TOKEN,
            TELEGRAM_API_URL=fake.api_url,
            TELEGRAM_MAX_RATE=str(max_rate),
        ) as child,
    ):
        await fake.wait_polling(timeout=30)
        cpu = cpu_seconds(child.pid)
        started, clock = time.perf_counter(), asyncio.get_running_loop().time()
        updates = []
        for i, text in enumerate(questions(count)):
            updates.append(fake.push_text(text, user=fake.user(10_000 + i, f"user{i}")))
            await paced(clock, i, pace)
        sent = await fake.wait_for("sendMessage", count, timeout=max(60, count / 10))
        elapsed = max(c.at for c in sent) - started
        cpu = cpu_seconds(child.pid) - cpu
    answered_at = {int(c.params["chat_id"]): c.at for c in sent}
    latencies = [
        (answered_at[u["message"]["chat"]["id"]] - fake.delivered[u["update_id"]]) * 1000
        for u in updates
        if u["message"]["chat"]["id"] in answered_at
    ]
    return figures(latencies, elapsed, child.returncode, cpu)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.telegram_bench")
    parser.add_argument("--questions", type=int, default=1000)
    parser.add_argument("--max-rate", type=float, default=0, help="TELEGRAM_MAX_RATE; 0: off")
    parser.add_argument("--pace", type=float, default=100, help="questions a second, paced run")
    parser.add_argument("--rounds", type=int, default=3, help="bursts each, in the comparison")
    args = parser.parse_args(argv)
    cap = f"{args.max_rate:g}/s" if args.max_rate else "off"
    print(f"telegram, {args.questions} questions from as many private chats, flood cap {cap}:")
    code = report(
        args.questions, args.pace, "answers", lambda p: measure(args.questions, args.max_rate, p)
    )
    compare(
        args.rounds,
        args.questions,
        "answers",
        lambda: measure(args.questions, args.max_rate),
        {
            "a minimal python-telegram-bot bot": lambda: measure(
                args.questions, args.max_rate, yardstick=()
            ),
            "the same asking this core": lambda: measure(
                args.questions, args.max_rate, yardstick=("--core",)
            ),
        },
    )
    return code


if __name__ == "__main__":
    sys.exit(main())
