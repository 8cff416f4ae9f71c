from benchmarks.discord_bench import measure


async def test_bench_answers_every_interaction_once_through_a_real_bot_process():
    figures = await measure(20)
    assert figures["answered"] == 20
    assert figures["exit_code"] == 0
    assert 0 < figures["p50_ms"] <= figures["p99_ms"]
