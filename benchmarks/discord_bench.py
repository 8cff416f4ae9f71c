"""Discord throughput: `python -m bot discord` in its own process against the fake Discord.

python -m benchmarks.discord_bench [--interactions N] [--pace Q] [--rounds R]

Each /ask comes from its own user. Two runs: a burst (all dispatched at once: the
throughput) and a paced one (Q a second: the latency of a bot keeping up). Latency runs
from the gateway's INTERACTION_CREATE to the interaction callback that answers it. A bot
that falls so far behind that an interaction is past Discord's window drops it (an answer
would fail): the figures count what was answered. Then R bursts each through the bot and
through two minimal discord.py bots (benchmarks/minimal_discord.py: /ask answered with an
embed; and the same asking this bot's core), alternated: the ratios.
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
from tests.fakes.discord_api import TOKEN, Call, FakeDiscord

MAX_QUESTION = 300  # the /ask option's limit
WINDOW = 3.0  # seconds Discord gives an interaction's first response
QUIET = 1.0  # no answer for this long, and the rest past the window: they were dropped


async def measure(
    count: int, pace: float = 0, *, plain: bool = False, core: bool = False
) -> Figures:
    """Answer `count` /ask interactions through the fake, `pace` a second (0: all at once);
    `plain`: by the minimal discord.py bot instead of this one (`core`: asking the core)."""
    command = ("--core",) if core else ()
    async with (
        FakeDiscord() as fake,
        bot_process(
            *(command if plain else ("discord",)),
            **({"module": "benchmarks.minimal_discord"} if plain else {}),
            DISCORD_TOKEN=TOKEN,
            DISCORD_API_URL=fake.api_base,
            DISCORD_GATEWAY_URL=fake.gateway_url,
        ) as child,
    ):
        await fake.wait_connected(timeout=30)
        cpu = cpu_seconds(child.pid)
        started, clock = time.perf_counter(), asyncio.get_running_loop().time()
        for i, text in enumerate(questions(count, MAX_QUESTION)):
            user = fake.user(1500000000000000001 + i, f"user{i}")
            await fake.push_command("ask", {"question": text}, user=user)
            await paced(clock, i, pace)
        answers = await _answered(fake, count)
        elapsed = max(c.at for c in answers) - started if answers else float("nan")
        cpu = cpu_seconds(child.pid) - cpu
    latencies = [(c.at - fake.dispatched[c.path.split("/")[2]]) * 1000 for c in answers]
    return figures(latencies, elapsed, child.returncode, cpu)


async def _answered(fake: FakeDiscord, count: int) -> list[Call]:
    """The interaction callbacks, once all `count` came, or once none came for QUIET seconds
    and every one left is past Discord's window."""
    loop = asyncio.get_running_loop()
    seen, progress = -1, loop.time()
    while True:
        calls = fake.calls_to("POST", "/interactions/")
        if len(calls) != seen:
            seen, progress = len(calls), loop.time()
        latest = max(fake.dispatched.values(), default=0.0)
        late = time.perf_counter() - latest > WINDOW
        if seen >= count or (late and loop.time() - progress > QUIET):
            return calls[:count]
        await asyncio.sleep(0.05)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.discord_bench")
    parser.add_argument("--interactions", type=int, default=1000)
    parser.add_argument("--pace", type=float, default=100, help="a second, in the paced run")
    parser.add_argument("--rounds", type=int, default=3, help="bursts each, in the comparison")
    args = parser.parse_args(argv)
    print(f"discord, {args.interactions} /ask interactions from as many users:")
    code = report(
        args.interactions, args.pace, "interactions", lambda p: measure(args.interactions, p)
    )
    compare(
        args.rounds,
        "interactions",
        lambda: measure(args.interactions),
        {
            "a minimal discord.py bot": lambda: measure(args.interactions, plain=True),
            "the same asking this core": lambda: measure(args.interactions, plain=True, core=True),
        },
    )
    return code


if __name__ == "__main__":
    sys.exit(main())
