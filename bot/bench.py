"""`python -m bot bench`: matching latency and throughput, printed as figures.

Runs the labelled questions (English, and the German and Albanian sets) through the core
on the real fact base, all three languages loaded, and on synthetic bases 10x and 100x
larger (each fact cloned with its distinctive words renamed, in every language, so the
vocabulary grows with it), then times `ask --json` answering 5,000 questions from stdin
in a fresh process, start-up included.
"""

import asyncio
import random
import statistics
import subprocess
import sys
import time
from collections import Counter

from bot.core import Core, Question
from bot.evaluation import BATCHES, DEFAULT_QUESTIONS, load_cases
from bot.settings import Settings
from intents import FactBase, load_facts
from intents.normalize import normalize

ASK_QUESTIONS = 5_000
LANGUAGE_SETS = (BATCHES / "german.yaml", BATCHES / "albanian.yaml")


def run_bench(settings: Settings, *, quick: bool = False) -> None:
    base = load_facts(settings.facts_path)
    cases = [c for path in (DEFAULT_QUESTIONS, *LANGUAGE_SETS) for c in load_cases(path)]
    questions = [c.question for c in cases]
    rounds = 2 if quick else 10
    counts = ", ".join(f"{n} {lang}" for lang, n in Counter(c.lang for c in cases).items())
    print(f"{len(questions)} questions ({counts}) x {rounds} rounds per fact base")
    for scale in (1, 10) if quick else (1, 10, 100):  # --quick: a smoke run
        scaled = base if scale == 1 else synthetic_base(base, scale)
        started = time.perf_counter()
        core = Core(scaled, thresholds=settings.thresholds)
        build_ms = (time.perf_counter() - started) * 1000
        times = asyncio.run(_time_answers(core, questions, rounds if scale < 100 else 2))
        cold = times[: len(questions)]  # first round: nothing cached yet
        print(
            f"{scale:>4}x: {len(scaled.facts):>5} facts  build {build_ms:7.1f} ms  "
            f"p50 {_percentile(times, 50):6.3f} ms  p99 {_percentile(times, 99):6.3f} ms  "
            f"(first round p99 {_percentile(cold, 99):6.3f} ms)  "
            f"{1000 / statistics.mean(times):6.0f} q/s"
        )
        for lang in sorted({c.lang for c in cases}):  # each round asks the cases in order
            mine = [t for n, t in enumerate(times) if cases[n % len(cases)].lang == lang]
            print(
                f"       {lang}: p50 {_percentile(mine, 50):6.3f} ms  "
                f"p99 {_percentile(mine, 99):6.3f} ms"
            )
    count = 1_000 if quick else ASK_QUESTIONS
    seconds = time_ask_json(questions, count)
    print(f"ask --json: {count} questions from stdin in {seconds:.2f} s, start-up included")


async def _time_answers(core: Core, questions: list[str], rounds: int) -> list[float]:
    """Milliseconds per answer; each round pads the texts differently, so no round
    finds a whole message already normalised by the last."""
    times = []
    for padding in range(rounds):
        for text in questions:
            message = text + " " * padding
            started = time.perf_counter()
            chat = f"bench{len(times)}"  # every question a conversation of its own
            await core.answer(Question(message, user_id=chat, chat_id=chat))
            times.append((time.perf_counter() - started) * 1000)
    return times


def _percentile(values: list[float], pct: int) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, len(ordered) * pct // 100)]


def synthetic_base(base: FactBase, scale: int, seed: int = 7) -> FactBase:
    """A base `scale` times larger: clone k renames each fact's words w -> w + suffix_k.

    Common words stay shared across clones, as they would in a real larger base.
    """
    rng = random.Random(seed)
    common = {"who", "when", "where", "why", "what", "how", "the", "is", "did", "albania", "iran"}
    facts = []
    for k in range(scale):
        suffix = "" if k == 0 else "".join(rng.choice("bcdfghklmnprstvz") for _ in range(3))

        def rename(text: str, suffix: str = suffix) -> str:
            words = normalize(text).split()
            return " ".join(w if w in common or not suffix else w + suffix for w in words)

        for fact in base.facts:
            data = fact.model_dump()
            data["id"] = fact.id if k == 0 else f"{fact.id}_{k}"
            data["answer"] = rename(fact.answer)
            data["questions"] = [rename(q) for q in fact.questions]
            data["keys"] = [rename(key) for key in fact.keys]
            data["related"] = [r if k == 0 else f"{r}_{k}" for r in fact.related]
            for t in data["translations"].values():
                t["answer"] = rename(t["answer"])
                t["questions"] = [rename(q) for q in t["questions"]]
                t["keys"] = [rename(key) for key in t["keys"]]
            facts.append(data)
    return FactBase.model_validate({**base.model_dump(), "facts": facts})


def time_ask_json(questions: list[str], count: int) -> float:
    """Seconds for a fresh `python -m bot ask --json` to answer `count` stdin lines."""
    lines = "".join(questions[i % len(questions)] + "\n" for i in range(count))
    started = time.perf_counter()
    result = subprocess.run(
        [sys.executable, "-m", "bot", "ask", "--json"],
        input=lines,
        capture_output=True,
        text=True,
        check=True,
    )
    seconds = time.perf_counter() - started
    answered = result.stdout.count("\n")
    if answered != count:
        raise RuntimeError(f"ask --json answered {answered} of {count} questions")
    return seconds
