"""How likely a candidate fact is the right answer: a logistic model over match features.

The weights are data, fitted on the tuning part of the labelled questions by
`python -m bot fit` and kept beside this module in calibration.json, so a score
reads as a probability (0-100) and thresholds are probabilities too.
"""

import json
import math
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

WEIGHTS_FILE = Path(__file__).with_name("calibration.json")

# What the matcher measures of a (question, fact) pair; see Matcher._features.
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
        z = self.bias + sum(self.weights.get(k, 0.0) * v for k, v in features.items())
        return 1 / (1 + math.exp(-max(-60.0, min(60.0, z))))

    @classmethod
    def load(cls, path: Path = WEIGHTS_FILE) -> "Calibration":
        raw = json.loads(path.read_text(encoding="utf-8"))
        return cls(dict(raw["weights"]), float(raw["bias"]))

    def save(self, path: Path = WEIGHTS_FILE, **about: object) -> None:
        data = {"bias": self.bias, "weights": dict(self.weights), **about}
        path.write_text(json.dumps(data, indent=2) + "\n", encoding="utf-8")
