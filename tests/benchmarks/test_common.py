import math
import os
import time

import pytest

from benchmarks.common import cpu_seconds, figures, questions


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
