"""Run labelled question sets through the core and report accuracy, per split, language and batch.

A set is YAML: {dev: [...], holdout: [...]}, and `lang: de` when its questions are not in
English; an item is [question, fact id or ~], or a conversation: a list of such pairs asked
in order in one chat, so later turns may lean on earlier ones. `~` means the article does
not answer it and the bot should decline. Groups without a language prefix are English.
"""

import random
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from bot.core import Core, Question
from bot.typos import add_typos

SPLITS = ("dev", "holdout")
MORE = "more"  # the label of "tell me more": any related fact not yet given in the chat
TESTS = Path(__file__).resolve().parent.parent / "tests"
DEFAULT_QUESTIONS = TESTS / "questions.yaml"
BATCHES = TESTS / "batches"  # fresh batches written from the article alone, one style each


def default_sets() -> list[Path]:
    """The labelled sets `eval` reads when given none: questions.yaml and every batch."""
    return [DEFAULT_QUESTIONS, *sorted(BATCHES.glob("*.yaml"))]


class QuestionSetError(Exception):
    """A labelled question set that cannot be read; the message says where."""


@dataclass(frozen=True, slots=True)
class Case:
    question: str
    intent: str | None  # None: the article does not answer it
    split: str
    batch: str = ""  # the file it came from
    chat: str = ""  # conversation id; "" for a question that stands alone
    turn: int = 0  # position in its conversation
    lang: str = "en"  # the language it is written in (the bot is not told: it must tell)


@dataclass
class Score:
    """Counts for one group of cases."""

    in_scope: int = 0
    correct: int = 0
    out_of_scope: int = 0
    declined: int = 0
    confident_wrong: int = 0  # answered with a fact other than the right one

    @property
    def accuracy(self) -> float:
        return self.correct / self.in_scope if self.in_scope else 1.0

    @property
    def rejection(self) -> float:
        return self.declined / self.out_of_scope if self.out_of_scope else 1.0

    @property
    def wrong(self) -> float:
        """Answered with a fact other than the right one: confidently wrong, in scope or not."""
        total = self.in_scope + self.out_of_scope
        return self.confident_wrong / total if total else 0.0


@dataclass
class Report:
    scores: dict[str, Score] = field(default_factory=dict)
    misses: list[tuple[Case, str | None]] = field(default_factory=list)
    confused: Counter[tuple[str, str]] = field(default_factory=Counter)
    confused_holdout: Counter[tuple[str, str]] = field(default_factory=Counter)
    languages: Counter[tuple[str, str]] = field(default_factory=Counter)  # (asked, replied)

    def in_language(self, lang: str) -> float:
        """The share of questions asked in `lang` that were answered in it."""
        asked = sum(n for (a, _), n in self.languages.items() if a == lang)
        return self.languages[(lang, lang)] / asked if asked else 1.0


def load_cases(path: str | Path) -> list[Case]:
    """Cases from one YAML set; QuestionSetError naming the file and item when malformed."""
    path = Path(path)
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as exc:
        raise QuestionSetError(f"{path}: cannot read: {exc}") from None
    if not isinstance(raw, dict) or not set(raw) <= {*SPLITS, "lang"}:
        raise QuestionSetError(f"{path}: expected top-level keys {', '.join(SPLITS)} (and lang)")
    lang = raw.pop("lang", "en")
    if not isinstance(lang, str) or not lang:
        raise QuestionSetError(f"{path}: lang: expected a language code such as de")
    cases = []
    for split, items in raw.items():
        for i, item in enumerate(items or []):
            if _is_pair(item):
                cases.append(Case(item[0], item[1], split, path.stem, lang=lang))
            elif isinstance(item, list) and item and all(_is_pair(t) for t in item):
                chat = f"{path.stem}:{split}:{i}"
                cases += [
                    Case(q, a, split, path.stem, chat, n, lang) for n, (q, a) in enumerate(item)
                ]
            else:
                raise QuestionSetError(
                    f"{path}: {split}[{i}]: expected [question, fact id or ~] "
                    "or a list of them (a conversation)"
                )
    return cases


def _is_pair(item: object) -> bool:
    return (
        isinstance(item, list)
        and len(item) == 2
        and isinstance(item[0], str)
        and (item[1] is None or isinstance(item[1], str))
    )


async def evaluate(core: Core, cases: list[Case], *, typos: int | None = None) -> Report:
    """Ask every case; right when the intent matches (None: not answered as a fact).

    A conversation's turns share one chat; every other question gets a chat of its own.
    `typos`: a seed; each question then gets keyboard slips (`add_typos`) first.
    """
    report = Report()
    rng = random.Random(typos)
    given: dict[str, list[str]] = {}
    for n, case in enumerate(cases):
        text = case.question if typos is None else add_typos(case.question, rng)
        chat = case.chat or f"single:{n}"
        reply = await core.answer(Question(text, user_id=chat, chat_id=chat, platform="eval"))
        got = reply.intent
        report.languages[(case.lang, reply.lang)] += 1
        earlier = given.setdefault(chat, [])
        if case.intent == MORE and got is not None and _is_more(core, earlier, got):
            got = MORE
        if reply.intent:
            earlier.append(reply.intent)
        groups = [case.split, "all"]
        if case.chat:
            groups.append("follow-ups" if case.turn else "conversation openers")
        if case.lang != "en":
            groups = [f"{case.lang} {group}" for group in groups]
        groups.append(f"batch {case.batch}")
        for name in groups:
            _count(report.scores.setdefault(name, Score()), case.intent, got)
        if got != case.intent:
            report.misses.append((case, got))
            if case.intent and got:
                held = case.split == "holdout"
                (report.confused_holdout if held else report.confused)[(case.intent, got)] += 1
    return report


def _is_more(core: Core, earlier: list[str], got: str) -> bool:
    """A fresh fact related to one the chat was given: what "tell me more" should bring."""
    related = {r for f in earlier if (fact := core.base.fact(f)) for r in fact.related}
    return got not in earlier and got in related


def _count(score: Score, expected: str | None, got: str | None) -> None:
    if expected is None:
        score.out_of_scope += 1
        score.declined += got is None
    else:
        score.in_scope += 1
        score.correct += got == expected
    score.confident_wrong += got is not None and got != expected


def format_report(report: Report, *, details: bool = True, holdout_misses: bool = True) -> str:
    """Accuracy per group; with details, the confused pairs and the misses.

    `holdout_misses=False` keeps the holdout's questions unseen while tuning.
    """
    lines = []
    for name, s in sorted(report.scores.items(), key=lambda kv: _order(kv[0])):
        lines.append(
            f"{name:28} in scope {s.correct:4}/{s.in_scope:<4} = {s.accuracy:6.1%}   "
            f"declined {s.declined:3}/{s.out_of_scope:<3} = {s.rejection:6.1%}   "
            f"wrong {s.wrong:5.1%}"
        )
    for lang in sorted({asked for asked, _ in report.languages}):
        asked = sum(n for (a, _), n in report.languages.items() if a == lang)
        kept = report.languages[(lang, lang)]
        lines.append(f"{'replied in ' + lang:28} {kept:4}/{asked:<4} = {kept / asked:6.1%}")
    if not details:
        return "\n".join(lines)
    confused = report.confused + (report.confused_holdout if holdout_misses else Counter())
    if confused:
        lines.append("\nmost confused (expected -> answered):")
        lines += [f"  {a} -> {b}: {n}" for (a, b), n in confused.most_common(10)]
    shown = [(c, g) for c, g in report.misses if holdout_misses or c.split != "holdout"]
    if shown:
        lines.append(f"\nmisses ({len(shown)}):")
        for case, got in shown:
            turn = f" turn {case.turn + 1}" if case.chat else ""
            lines.append(
                f"  [{case.split} {case.batch}{turn}] {case.question!r}: "
                f"expected {case.intent}, got {got}"
            )
    return "\n".join(lines)


def _order(name: str) -> tuple[int, int, str]:
    """English groups first, then each language's, batches last; splits in a fixed order."""
    ranks = {"dev": 0, "holdout": 1, "all": 2, "conversation openers": 3, "follow-ups": 4}
    if name.startswith("batch "):
        return (2, 0, name)
    group = name.partition(" ")[2]
    if group in ranks:  # "de dev"
        return (1, ranks[group], name)
    return (0, ranks.get(name, 5), name)
