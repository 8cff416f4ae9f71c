"""Which way of telling a message's language is right more often, above all on short ones.

Compares, on every labelled question (each set's `lang`; English for the rest):
- vocabulary: the bot's guesser (intents/detection.py): words only one language's side of
  the fact base, function words or shorthand knows; undecided when none is distinctive;
- best match: the language whose matcher is surest of its best fact;
- the bot: vocabulary, then, for the undecided, the language with the most evidence or
  English (what bot/knowledge.py does when neither a conversation nor the platform says);
- lingua: lingua-language-detector restricted to English, German and Albanian, when it is
  installed (`pip install lingua-language-detector`; not a dependency of the bot).

Run: python -m benchmarks.language_detection
"""

import time
from collections import Counter

from bot.evaluation import default_sets, load_cases
from bot.knowledge import Knowledge
from intents import load_facts
from intents.normalize import normalize

SHORT = 3  # words: "rama nato", "wer ist rama"


def main() -> None:
    known = Knowledge.of(load_facts("facts.yaml"), None)
    cases = [c for path in default_sets() for c in load_cases(path)]
    methods = {
        "vocabulary": lambda text: known.guesser.guess(normalize(text).split()),
        "best match": lambda text: max(known.tongues, key=lambda c: _surest(known, c, text)),
        "the bot": lambda text: known.language_of(text, None, None).code,
    }
    lingua = _lingua()
    if lingua is not None:
        methods["lingua"] = lingua
    else:
        print("lingua-language-detector is not installed: its column is left out")
    print(f"{len(cases)} labelled questions; short = at most {SHORT} words\n")
    print(f"{'method':12} {'all right':>10} {'undecided':>10} {'short right':>12} {'µs/msg':>8}")
    for name, method in methods.items():
        right, undecided, short, short_right = Counter(), 0, 0, 0
        started = time.perf_counter()
        for case in cases:
            got = method(case.question)
            right[case.lang] += got == case.lang
            undecided += got is None
            if len(case.question.split()) <= SHORT:
                short += 1
                short_right += got == case.lang
        spent = (time.perf_counter() - started) / len(cases) * 1e6
        print(
            f"{name:12} {sum(right.values()) / len(cases):10.1%} {undecided:10} "
            f"{short_right / short:12.1%} {spent:8.0f}"
        )
        per = Counter(c.lang for c in cases)
        print(
            "             " + "  ".join(f"{k} {right[k] / n:.1%}" for k, n in sorted(per.items()))
        )


def _surest(known: Knowledge, code: str, text: str) -> float:
    """How sure a language's matcher is of its best fact for `text` (0-100)."""
    found = known.tongues[code].matcher.match(text, 1)
    return found[0].score if found else 0.0


def _lingua():
    try:
        from lingua import Language, LanguageDetectorBuilder
    except ImportError:
        return None
    detector = LanguageDetectorBuilder.from_languages(
        Language.ENGLISH, Language.GERMAN, Language.ALBANIAN
    ).build()
    codes = {Language.ENGLISH: "en", Language.GERMAN: "de", Language.ALBANIAN: "sq"}

    def detect(text: str) -> str | None:
        found = detector.detect_language_of(text)
        return codes.get(found) if found else None

    return detect


if __name__ == "__main__":
    main()
