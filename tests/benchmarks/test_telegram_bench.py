import math

import pytest

from benchmarks.telegram_bench import measure


@pytest.mark.parametrize("plain", [False, True], ids=["bot", "minimal python-telegram-bot bot"])
async def test_bench_answers_every_question_once_through_a_real_bot_process(plain):
    figures = await measure(20, max_rate=0, plain=plain)
    assert figures["answered"] == 20
    assert plain or figures["exit_code"] == 0  # the yardstick bots just get SIGTERM
    assert 0 < figures["p50_ms"] <= figures["p99_ms"]
    assert math.isfinite(figures["cpu_ms"]) and figures["cpu_ms"] >= 0
