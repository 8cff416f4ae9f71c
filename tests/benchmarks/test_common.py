import math
import os
import time
from math import nan

import pytest

from benchmarks.common import compare, cpu_seconds, figures, questions


def test_questions_cycle_through_the_labelled_set():
    texts = questions(3000, max_chars=40)
    assert len(texts) == 3000 and len(set(texts)) > 1000
    assert max(len(t) for t in texts) <= 40


def test_figures_percentiles():
    result = figures([float(i) for i in range(1, 101)], 2.0, 0, cpu=0.5)
    assert result["per_second"] == 50 and result["p50_ms"] == pytest.approx(50.5)
    assert result["p99_ms"] == 100.0 and result["answered"] == 100
    assert result["cpu_ms"] == 5.0  # per answer


def test_figures_of_a_run_with_no_answer_are_not_a_number():
    result = figures([], 2.0, 0, cpu=0.5)
    assert result["answered"] == 0
    assert all(math.isnan(result[key]) for key in ("per_second", "cpu_ms", "p50_ms", "p99_ms"))


def test_cpu_seconds_counts_what_a_process_spends():
    before = cpu_seconds(os.getpid())
    deadline = time.process_time() + 0.2
    while time.process_time() < deadline:  # busy, not asleep
        pass
    assert cpu_seconds(os.getpid()) - before >= 0.1


def test_compare_alternates_and_prints_each_yardsticks_ratios(capsys):
    order = []

    def measure(name, per_second, cpu_ms, answered=10):
        async def run():
            order.append(name)
            return {"per_second": per_second, "cpu_ms": cpu_ms, "answered": answered}

        return run

    compare(
        2,
        10,
        "answers",
        measure("bot", 50.0, 2.0),
        {"plain": measure("plain", 100.0, 1.0), "dropping": measure("dropping", nan, nan, 0)},
    )
    assert order == ["bot", "plain", "dropping"] * 2
    printed = capsys.readouterr().out
    assert "plain: 100 answers/s, 1.00 ms CPU an answer: ratio 0.50 by throughput, 0.50" in printed
    assert "dropping: nan answers/s" in printed and "only 0 of 10 answered" in printed
    assert "bot: 50 answers/s, 2.00 ms CPU an answer\n" in printed
