"""Run a labelled question set through the core and report accuracy and confusions."""

from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from bot.core import Core, Question

SPLITS = ("dev", "holdout")
DEFAULT_QUESTIONS = Path(__file__).resolve().parent.parent / "tests" / "questions.yaml"


class QuestionSetError(Exception):
    """A labelled question set that cannot be read; the message says where."""


@dataclass(frozen=True, slots=True)
class Case:
    question: str
    intent: str | None  # None: the article does not answer it
    split: str


@dataclass
class Score:
    """Counts for one split (or all of them)."""

    in_scope: int = 0
    correct: int = 0
    out_of_scope: int = 0
    declined: int = 0

    @property
    def accuracy(self) -> float:
        return self.correct / self.in_scope if self.in_scope else 1.0

    @property
    def rejection(self) -> float:
        return self.declined / self.out_of_scope if self.out_of_scope else 1.0


@dataclass
class Report:
    scores: dict[str, Score] = field(default_factory=dict)
    misses: list[tuple[Case, str | None]] = field(default_factory=list)
    confused: Counter[tuple[str, str]] = field(default_factory=Counter)


def load_cases(path: str | Path) -> list[Case]:
    """Cases from YAML: {dev: [[question, fact id or ~], ...], holdout: [...]}."""
    try:
        raw = yaml.safe_load(Path(path).read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as exc:
        raise QuestionSetError(f"{path}: cannot read: {exc}") from None
    if not isinstance(raw, dict) or not set(raw) <= set(SPLITS):
        raise QuestionSetError(f"{path}: expected top-level keys {', '.join(SPLITS)}")
    cases = []
    for split, items in raw.items():
        for i, item in enumerate(items or []):
            if not (isinstance(item, list) and len(item) == 2 and isinstance(item[0], str)):
                raise QuestionSetError(f"{path}: {split}[{i}]: expected [question, fact id or ~]")
            cases.append(Case(item[0], item[1], split))
    return cases


async def evaluate(core: Core, cases: list[Case]) -> Report:
    """Ask every case; a case is right when the intent matches (None: not answered as a fact)."""
    report = Report()
    for case in cases:
        reply = await core.answer(Question(case.question, platform="eval"))
        got = reply.intent
        for name in (case.split, "all"):
            score = report.scores.setdefault(name, Score())
            if case.intent is None:
                score.out_of_scope += 1
                score.declined += got is None
            else:
                score.in_scope += 1
                score.correct += got == case.intent
        if got != case.intent:
            report.misses.append((case, got))
            if case.intent and got:
                report.confused[(case.intent, got)] += 1
    return report


def format_report(report: Report, *, details: bool = True) -> str:
    """Accuracy per split; with details, the confused pairs and every miss."""
    lines = []
    for name in (*SPLITS, "all"):
        s = report.scores.get(name)
        if s is None:
            continue
        lines.append(
            f"{name:8} in scope {s.correct}/{s.in_scope} = {s.accuracy:.1%}   "
            f"out of scope declined {s.declined}/{s.out_of_scope} = {s.rejection:.1%}"
        )
    if not details:
        return "\n".join(lines)
    if report.confused:
        lines.append("\nmost confused (expected -> answered):")
        lines += [f"  {a} -> {b}: {n}" for (a, b), n in report.confused.most_common(10)]
    if report.misses:
        lines.append(f"\nmisses ({len(report.misses)}):")
        for case, got in report.misses:
            lines.append(f"  [{case.split}] {case.question!r}: expected {case.intent}, got {got}")
    return "\n".join(lines)
