from benchmarks.telegram_bench import measure, questions


def test_questions_cycle_through_the_labelled_set():
    texts = questions(3000)
    assert len(texts) == 3000 and len(set(texts)) > 1000


async def test_bench_answers_every_question_once_through_a_real_bot_process():
    figures = await measure(20, max_rate=0)
    assert figures["answered"] == 20
    assert figures["exit_code"] == 0
    assert 0 < figures["p50_ms"] <= figures["p99_ms"]
