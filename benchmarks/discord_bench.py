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
QUIET = 1.0  # grace, once every interaction left is past the window, for answers under way
YARDSTICK = "benchmarks.minimal_discord"


async def measure(
    count: int, pace: float = 0, *, yardstick: tuple[str, ...] | None = None
) -> Figures:
    """Answer `count` /ask interactions through the fake, `pace` a second (0: all at once);
    `yardstick`: by the minimal discord.py bot with these arguments instead of this bot."""
    module, command = ("bot", ("discord",)) if yardstick is None else (YARDSTICK, yardstick)
    async with (
        FakeDiscord() as fake,
        bot_process(
            *command,
            module=module,
            DISCORD_TOKEN=TOKEN,
            DISCORD_API_URL=fake.api_base,
            DISCORD_GATEWAY_URL=fake.gateway_url,
        ) as child,
    ):
        await fake.wait_connected(timeout=30)
        cpu = cpu_seconds(child.pid)
        started, clock = time.perf_counter(), asyncio.get_running_loop().time()
        ids = {}  # interaction token -> id
        for i, text in enumerate(questions(count, MAX_QUESTION)):
            user = fake.user(1500000000000000001 + i, f"user{i}")
            interaction = await fake.push_command("ask", {"question": text}, user=user)
            ids[interaction["token"]] = interaction["id"]
            await paced(clock, i, pace)
        answers = await _answered(fake, count)
        cpu = cpu_seconds(child.pid) - cpu
    elapsed = max((c.at for c in answers.values()), default=started) - started
    latencies = [(c.at - fake.dispatched[ids[token]]) * 1000 for token, c in answers.items()]
    return figures(latencies, elapsed, child.returncode, cpu)


async def _answered(fake: FakeDiscord, count: int) -> dict[str, Call]:
    """Each interaction's answer by its token: the reply, or the follow-up after a deferral.
    Returned once all `count` came, or once every one left is past Discord's window (the bot
    drops those) and QUIET seconds more brought none."""
    seen, progress = -1, time.perf_counter()
    while True:
        answers = {token: calls[0] for token, calls in fake.answers().items()}
        now = time.perf_counter()
        if len(answers) != seen:
            seen, progress = len(answers), now
        late = now - max(fake.dispatched.values(), default=0.0) > WINDOW
        if seen >= count or (late and now - progress > QUIET):
            return answers
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
        args.interactions,
        "interactions",
        lambda: measure(args.interactions),
        {
            "a minimal discord.py bot": lambda: measure(args.interactions, yardstick=()),
            "the same asking this core": lambda: measure(args.interactions, yardstick=("--core",)),
        },
    )
    return code


if __name__ == "__main__":
    sys.exit(main())
