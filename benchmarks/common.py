"""What the platform benchmarks share: the questions, the figures, the two runs."""

import asyncio
import itertools
import math
import os
import statistics
import sys
import tempfile
from collections.abc import AsyncIterator, Callable, Coroutine
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

from bot.evaluation import DEFAULT_QUESTIONS, load_cases

ROOT = Path(__file__).resolve().parent.parent
LOOPBACK = "127.0.0.1,localhost"  # NO_PROXY for the bot process: httpx honours proxy variables

Figures = dict[str, float]


def questions(count: int, max_chars: int = 600) -> list[str]:
    """`count` questions from the labelled set, in scope and not, cycled."""
    texts = [case.question[:max_chars] for case in load_cases(DEFAULT_QUESTIONS)]
    return list(itertools.islice(itertools.cycle(texts), count))


@asynccontextmanager
async def bot_process(
    *command: str, module: str = "bot", **env: str
) -> AsyncIterator[asyncio.subprocess.Process]:
    """`python -m MODULE COMMAND` (the bot, or a yardstick bot) with `env`, logging only
    warnings; terminated on exit. Its database is a scratch file unless `env` names one.
    """
    with tempfile.TemporaryDirectory(prefix="factbot-bench-") as scratch:
        environment = {
            **os.environ,
            "LOG_LEVEL": "WARNING",
            "NO_PROXY": LOOPBACK,
            "DATABASE_PATH": f"{scratch}/bot.sqlite3",
            **env,
        }
        child = await asyncio.create_subprocess_exec(
            sys.executable, "-m", module, *command, cwd=ROOT, env=environment
        )
        try:
            yield child
        finally:
            if child.returncode is None:
                child.terminate()
            await child.wait()


def cpu_seconds(pid: int) -> float:
    """CPU time (user and system) a process has used so far, from Linux's /proc: the cost of
    answering, steadier than throughput on a machine whose other tenants come and go. NaN
    where there is no /proc."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rpartition(")")[2].split()
    except OSError:
        return float("nan")
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")  # utime, stime


def figures(
    latencies_ms: list[float], seconds: float, exit_code: int | None, cpu: float = float("nan")
) -> Figures:
    """Throughput, latency percentiles and `cpu` seconds spent, per answer, of one run whose
    answers took `latencies_ms`."""
    latencies = sorted(latencies_ms)
    answered = len(latencies) or float("nan")
    return {
        "answered": len(latencies),
        "seconds": seconds,
        "per_second": answered / seconds,
        "cpu_ms": cpu * 1000 / answered,
        "p50_ms": statistics.median(latencies) if latencies else float("nan"),
        "p99_ms": latencies[min(len(latencies) - 1, int(len(latencies) * 0.99))]
        if latencies
        else float("nan"),
        "exit_code": exit_code,
    }


def report(
    count: int, pace: float, unit: str, measure: Callable[[float], Coroutine[Any, Any, Figures]]
) -> int:
    """A burst run (throughput) and a paced one (latency); exit code 1 unless all answered."""
    complete = True
    for label, run_pace in (("burst", 0), (f"paced {pace:g}/s", pace)):
        result = asyncio.run(measure(run_pace))
        complete = complete and result["answered"] == count
        print(
            f"  {label}: {result['answered']} answered in {result['seconds']:.2f} s = "
            f"{result['per_second']:.0f} {unit}/s; latency p50 {result['p50_ms']:.1f} ms, "
            f"p99 {result['p99_ms']:.1f} ms; bot exit code {result['exit_code']}"
        )
    return 0 if complete else 1


def compare(
    rounds: int,
    count: int,
    unit: str,
    ours: Callable[[], Coroutine[Any, Any, Figures]],
    yardsticks: dict[str, Callable[[], Coroutine[Any, Any, Figures]]],
) -> None:
    """Bursts of `count` through the bot and through each yardstick bot, alternated so the
    machine's moods fall on all alike: each one's median throughput and CPU time per
    answer, and the bot's ratios to each (above 1: the bot is the faster)."""
    measures = {"the bot": ours, **yardsticks}
    runs: dict[str, list[Figures]] = {name: [] for name in measures}
    for _ in range(rounds):
        for name, measure in measures.items():
            runs[name].append(asyncio.run(measure()))
    medians = {
        name: {key: _median([r[key] for r in done]) for key in ("per_second", "cpu_ms")}
        for name, done in runs.items()
    }
    bot = medians["the bot"]
    print(f"  {rounds} bursts each, alternated (medians; ratio above 1: the bot is faster):")
    for name, figure in medians.items():
        ratios = (
            ""
            if name == "the bot"
            else f": ratio {_ratio(bot['per_second'], figure['per_second']):.2f} by "
            f"throughput, {_ratio(figure['cpu_ms'], bot['cpu_ms']):.2f} by CPU time"
        )
        fewest = min(r["answered"] for r in runs[name])
        short = f" (a burst had only {fewest} of {count} answered)" if fewest < count else ""
        print(
            f"    {name}: {figure['per_second']:.0f} {unit}/s, "
            f"{figure['cpu_ms']:.2f} ms CPU an answer{ratios}{short}"
        )


def _median(values: list[float]) -> float:
    """The median of the figures there are (NaN: a burst with no answer, or no /proc)."""
    known = [v for v in values if math.isfinite(v)]
    return statistics.median(known) if known else float("nan")


def _ratio(numerator: float, denominator: float) -> float:
    return numerator / denominator if denominator else float("nan")


async def paced(started: float, index: int, pace: float) -> None:
    """Sleep until the `index`-th item is due at `pace` a second (not at all for a burst)."""
    if pace:
        loop = asyncio.get_running_loop()
        await asyncio.sleep(max(0.0, started + (index + 1) / pace - loop.time()))
