import asyncio
import math
import time

import pytest

from benchmarks.common import bot_process
from benchmarks.discord_bench import QUIET, WINDOW, _answered, main, measure
from bot.adapters.discord_adapter import DEFER_AFTER, RESPOND_WITHIN
from tests.fakes.discord_api import TOKEN, FakeDiscord


@pytest.mark.parametrize(
    "yardstick",
    [None, (), ("--core",)],
    ids=["bot", "minimal discord.py bot", "the same asking the core"],
)
async def test_bench_answers_every_interaction_once_through_a_real_bot_process(yardstick):
    figures = await measure(20, yardstick=yardstick)
    assert figures["answered"] == 20
    assert yardstick is not None or figures["exit_code"] == 0  # the yardstick bots just get SIGTERM
    assert 0 < figures["p50_ms"] <= figures["p99_ms"]
    assert math.isfinite(figures["cpu_ms"]) and figures["cpu_ms"] >= 0


async def test_the_core_yardstick_answers_with_the_cores_reply():
    async with (
        FakeDiscord() as fake,
        bot_process(
            "--core",
            module="benchmarks.minimal_discord",
            DISCORD_TOKEN=TOKEN,
            DISCORD_API_URL=fake.api_base,
            DISCORD_GATEWAY_URL=fake.gateway_url,
        ),
    ):
        await fake.wait_connected(timeout=30)
        await fake.push_command("ask", {"question": "when did albania join nato"})
        (answer,) = await fake.wait_until_calls("POST", "/interactions/", timeout=30)
    assert "2009" in answer.body["data"]["embeds"][0]["description"]


async def test_interactions_past_discords_window_are_not_waited_for():
    async with FakeDiscord() as fake:
        fake.dispatched["1"] = time.perf_counter() - WINDOW  # dropped by a bot behind
        started = time.perf_counter()
        assert await asyncio.wait_for(_answered(fake, 1), QUIET + 5) == {}
        assert QUIET <= time.perf_counter() - started < QUIET + 5
        fake.dispatched["2"] = time.perf_counter()  # still in its window: waited for
        with pytest.raises(TimeoutError):
            await asyncio.wait_for(_answered(fake, 2), QUIET * 1.5)


async def test_a_deferred_interaction_is_answered_by_its_follow_up_and_a_dropped_one_never():
    async with (
        FakeDiscord() as fake,
        bot_process(
            "discord",
            DISCORD_TOKEN=TOKEN,
            DISCORD_API_URL=fake.api_base,
            DISCORD_GATEWAY_URL=fake.gateway_url,
        ),
    ):
        await fake.wait_connected(timeout=30)
        ask = {"question": "when did albania join nato"}
        deferred = await fake.push_command("ask", ask, age=DEFER_AFTER + 0.1)
        await fake.push_command("ask", ask, age=RESPOND_WITHIN + 0.2)  # dropped
        answers = await asyncio.wait_for(_answered(fake, 2), 30)
    assert list(answers) == [deferred["token"]]
    assert answers[deferred["token"]].path.startswith("/webhooks/")  # not the deferral


def test_the_benchmark_runs_whole_and_prints_both_ratios(capsys):
    assert main(["--interactions", "3", "--pace", "50", "--rounds", "1"]) == 0
    printed = capsys.readouterr().out
    assert "a minimal discord.py bot" in printed and "the same asking this core" in printed
    assert printed.count("by throughput") == 2
