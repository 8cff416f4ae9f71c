"""How likely a candidate fact is the right answer: a logistic model over match features.

The weights are data, fitted on the tuning part of the labelled questions by
`python -m bot fit` and kept beside this module in calibration.json, so a score
reads as a probability (0-100) and thresholds are probabilities too.
"""

import json
import math
from collections.abc import Mapping
from dataclasses import dataclass
from itertools import repeat
from operator import mul
from pathlib import Path

from intents.facts import FactBaseError

WEIGHTS_FILE = Path(__file__).with_name("calibration.json")  # English: the fact base's own


def weights_file(code: str) -> Path:
    """Where a language's model is kept: each language is fitted on its own questions, so
    its phrasings (fewer, paraphrased) weigh as they should, and English stays as it is."""
    return WEIGHTS_FILE if code == "en" else WEIGHTS_FILE.with_name(f"calibration.{code}.json")


# What the matcher measures of a (question, fact) pair; see Matcher._candidates.
FEATURES = (
    "retrieval",  # log of the retrieval score (0-1) that shortlisted the fact
    "coverage",  # share of the question's weighted terms the fact knows
    "said",  # share of them in what the fact says (answer and source), not only its phrasings
    "phrasing",  # best weighted overlap with one phrasing
    "fuzzy",  # rapidfuzz token_sort_ratio with the closest phrasing, 0-1
    "key_missing",  # none of the fact's key terms asked
    "question_word_mismatch",  # asks "where", the fact answers "when"
    "missing_names",  # names asked that the fact never mentions
    "typical_mismatch",  # a "who" fact for a question that does not ask who
    "unknown_share",  # share of the question's weight in words the fact base never uses
    "unknown_count",
    "unknown_names",  # of those, the ones that look like names: "Russia", "eu"
    "corrected",  # words read as typos of known words
    "kind_mismatch",  # asks for a kind of answer (a number, a name) the fact does not give
    "kind_match",  # asks for a kind of answer the fact gives
    "beyond",  # asks past what a report holds: "still", "actually", "what specific"
    "lead",  # lexical lead over the best other candidate
    "context",  # the question was read with the conversation's earlier terms
    "same_fact",  # a follow-up, and this is the fact the conversation was last answered
    "related_fact",  # a follow-up, and this fact is related to that one
    "short",  # 1 / number of content terms: one-word questions carry less evidence
)


@dataclass(frozen=True, slots=True)
class Calibration:
    """Logistic weights per feature and a bias; `probability` turns features into 0-1."""

    weights: Mapping[str, float]
    bias: float

    def probability(self, features: Mapping[str, float]) -> float:
        # weight times value, feature by feature, in C: this runs for every candidate
        weights = map(self.weights.get, features, repeat(0.0))
        z = self.bias + sum(map(mul, weights, features.values()))
        return 1 / (1 + math.exp(-max(-60.0, min(60.0, z))))

    @classmethod
    def load(cls, path: Path = WEIGHTS_FILE) -> "Calibration":
        """The fitted weights; FactBaseError naming the file when it is missing or broken."""
        try:
            raw = json.loads(path.read_text(encoding="utf-8"))
            weights = {str(k): float(v) for k, v in raw["weights"].items()}
            return cls(weights, float(raw["bias"]))
        except (OSError, ValueError, KeyError, TypeError, AttributeError) as exc:
            raise FactBaseError(
                [f"{path}: not a decision model ({exc!r}); re-fit it with `python -m bot fit`"]
            ) from None

    @classmethod
    def for_language(cls, code: str) -> "Calibration":
        """The language's own model, or English's when it has none fitted yet."""
        path = weights_file(code)
        return cls.load(path if path.is_file() else WEIGHTS_FILE)

    def save(self, path: Path = WEIGHTS_FILE, **about: object) -> None:
        """Write the weights whole: to a file beside, then renamed over the old one."""
        data = {"bias": self.bias, "weights": dict(self.weights), **about}
        partial = path.with_suffix(".json.tmp")
        partial.write_text(json.dumps(data, indent=2) + "\n", encoding="utf-8")
        partial.replace(path)
