from benchmarks.telegram_bench import measure


async def test_bench_answers_every_question_once_through_a_real_bot_process():
    figures = await measure(20, max_rate=0)
    assert figures["answered"] == 20
    assert figures["exit_code"] == 0
    assert 0 < figures["p50_ms"] <= figures["p99_ms"]
