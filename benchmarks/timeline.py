"""What the /timeline picture costs: the first drawing (matplotlib imported, fonts loaded),
then a warm one per language, the size of each PNG, and one answer while it is drawn.

Run: python -m benchmarks.timeline [--out docs/timeline.png]
--out writes the English picture there: the one README.md shows.
"""

import argparse
import asyncio
import statistics
import time
from io import BytesIO
from pathlib import Path

from PIL import Image

from bot import showcase
from bot.core import Core, Question
from bot.knowledge import Knowledge
from bot.settings import DEFAULT_FACTS_PATH
from intents import FactBase, load_facts

ROUNDS = 5


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.timeline")
    parser.add_argument("--out", type=Path, help="write the English timeline PNG here")
    args = parser.parse_args()
    base = load_facts(DEFAULT_FACTS_PATH)
    known = Knowledge.of(base, None)
    started = time.perf_counter()
    first = showcase._draw(known.english)  # the cold start: what the first /timeline pays
    print(f"first drawing (imports matplotlib): {(time.perf_counter() - started) * 1000:.0f} ms")
    for code, tongue in known.tongues.items():
        times = []
        for _ in range(ROUNDS):
            started = time.perf_counter()
            data = showcase._draw(tongue)
            times.append((time.perf_counter() - started) * 1000)
        width, height = Image.open(BytesIO(data)).size
        print(
            f"{code}: drawing median {statistics.median(times):.0f} ms (of {ROUNDS}), "
            f"{width}x{height} px, {len(data) / 1024:.0f} KB"
        )
    print(f"answer latency while a picture is drawn: {asyncio.run(_latency(base)):.1f} ms p50")
    if args.out:
        args.out.write_bytes(first)
        print(f"wrote {args.out}")


async def _latency(base: FactBase) -> float:
    """Questions answered back to back while /timeline draws on its worker thread."""
    core = Core(base)
    drawing = asyncio.ensure_future(core.answer(Question("/timeline")))
    await asyncio.sleep(0.05)  # the drawing under way on its thread
    times = []
    while not drawing.done():
        started = time.perf_counter()
        await core.answer(Question("When did Albania join NATO?"))
        times.append((time.perf_counter() - started) * 1000)
        await asyncio.sleep(0)
    await drawing
    return statistics.median(times)


if __name__ == "__main__":
    main()
