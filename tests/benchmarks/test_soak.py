from benchmarks.soak import soak


async def test_soak_answers_every_question_once_and_reports_memory():
    result = await soak(count=120, users=12, pace=0)
    assert result["answered_once"] == 120 and result["lost"] == result["duplicated"] == 0
    assert result["exit_code"] == 0
    assert 0 < result["p50_ms"] <= result["p99_ms"]
    assert result["rss_start_mb"] > 0 and result["rss_end_mb"] <= result["rss_peak_mb"]
