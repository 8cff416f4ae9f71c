import math

import pytest

from benchmarks.common import bot_process
from benchmarks.telegram_bench import main, measure
from tests.fakes.telegram_api import TOKEN, FakeTelegram


@pytest.mark.parametrize(
    "yardstick",
    [None, (), ("--core",)],
    ids=["bot", "minimal python-telegram-bot bot", "the same asking the core"],
)
async def test_bench_answers_every_question_once_through_a_real_bot_process(yardstick):
    figures = await measure(20, max_rate=0, yardstick=yardstick)
    assert figures["answered"] == 20
    assert yardstick is not None or figures["exit_code"] == 0  # the yardstick bots just get SIGTERM
    assert 0 < figures["p50_ms"] <= figures["p99_ms"]
    assert math.isfinite(figures["cpu_ms"]) and figures["cpu_ms"] >= 0


async def test_the_core_yardstick_answers_with_the_cores_reply():
    async with (
        FakeTelegram() as fake,
        bot_process(
            "--core",
            module="benchmarks.minimal_telegram",
            TELEGRAM_TOKEN=TOKEN,
            TELEGRAM_API_URL=fake.api_url,
        ),
    ):
        await fake.wait_polling(timeout=30)
        fake.push_text("when did albania join nato")
        (answer,) = await fake.wait_for("sendMessage", timeout=30)
    assert "2009" in answer.params["text"]


def test_the_benchmark_runs_whole_and_prints_both_ratios(capsys):
    assert main(["--questions", "3", "--pace", "50", "--rounds", "1"]) == 0
    printed = capsys.readouterr().out
    assert "a minimal python-telegram-bot bot" in printed and "the same asking this core" in printed
    assert printed.count("by throughput") == 2
