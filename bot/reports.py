"""Reading the journal back: unanswered questions grouped by similar text, and answer counts.

Pure reading: the database is opened read-only, so a report never disturbs a running bot.
Several processes each write a journal of their own; a report reads any number of them
as one, in time order.
"""

import json
import sqlite3
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path

from rapidfuzz import fuzz, process

KIND_NAMES = {"answer": "answered", "clarify": "did you mean", "decline": "declined"}
SIMILAR = 80  # token_sort_ratio at which two questions count as the same question


class NoJournal(Exception):
    """There is no database to report on yet; the message names the path and the setting."""


@dataclass
class Group:
    """Questions people asked in nearly the same words."""

    text: str  # the most asked wording
    count: int = 0
    kinds: Counter[str] = field(default_factory=Counter)
    closest: tuple[str, float] | None = None  # the best candidate fact seen, with its score
    wordings: Counter[str] = field(default_factory=Counter)


@dataclass(frozen=True)
class Stats:
    days: dict[str, Counter[str]]  # day -> kind -> count
    facts: dict[str, Counter[str]]  # fact id -> day -> answers

    @property
    def totals(self) -> Counter[str]:
        return sum(self.days.values(), Counter())

    @property
    def answers(self) -> Counter[str]:
        """Fact id -> answers in the whole period."""
        return Counter({fact_id: sum(days.values()) for fact_id, days in self.facts.items()})


def unanswered(paths: Sequence[Path], since_days: float | None = None) -> list[Group]:
    """The unanswered questions in these journals since `since_days` ago, grouped, most
    asked first."""
    query = "SELECT at, text, kind, candidates FROM unanswered"
    rows = sorted(
        row for path in paths for row in _read(path, query, "at", since_days, _since_time)
    )
    return group_questions((text, kind, json.loads(c)) for _, text, kind, c in rows)


def group_questions(rows: Iterable[tuple[str, str, list]]) -> list[Group]:
    """Group (text, kind, candidates) rows by similar text: each text joins the first group
    whose wording it resembles, so "what about russia" and "and what about russia" count once.
    """
    groups: list[Group] = []
    heads: list[str] = []
    for text, kind, candidates in rows:
        found = process.extractOne(text, heads, scorer=fuzz.token_sort_ratio, score_cutoff=SIMILAR)
        if found is None:
            groups.append(Group(text))
            heads.append(text)
            group = groups[-1]
        else:
            group = groups[found[2]]
        group.count += 1
        group.kinds[kind] += 1
        group.wordings[text] += 1
        if candidates and (group.closest is None or candidates[0][1] > group.closest[1]):
            group.closest = (candidates[0][0], candidates[0][1])
    for group in groups:
        group.text = group.wordings.most_common(1)[0][0]
    return sorted(groups, key=lambda g: -g.count)


def stats(paths: Sequence[Path], since_days: float | None = None) -> Stats:
    """Answers per fact, did-you-means and declines per day in these journals, since
    `since_days` ago."""
    query = "SELECT day, kind, fact_id, count FROM daily"
    rows = [row for path in paths for row in _read(path, query, "day", since_days, _since_day)]
    days: dict[str, Counter[str]] = {}
    facts: dict[str, Counter[str]] = {}
    for day, kind, fact_id, count in sorted(rows):
        days.setdefault(day, Counter())[kind] += count
        if kind == "answer":
            facts.setdefault(fact_id, Counter())[day] += count
    return Stats(days, facts)


def _read(
    path: Path,
    query: str,
    column: str,
    since_days: float | None,
    since: Callable[[float], str],
) -> list[tuple]:
    if not path.exists():
        raise NoJournal(
            f"no database at {path} yet: the bot creates it when it first records a question "
            "(DATABASE_PATH)"
        )
    where, params = "", ()
    if since_days is not None:
        where, params = f" WHERE {column} >= ?", (since(since_days),)
    try:
        connection = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
        try:
            return connection.execute(query + where, params).fetchall()
        finally:
            connection.close()
    except sqlite3.Error as exc:
        raise NoJournal(f"cannot read {path} (DATABASE_PATH): {exc}") from None


def _since_time(days: float) -> str:
    return (datetime.now(UTC) - timedelta(days=days)).isoformat(timespec="seconds")


def _since_day(days: float) -> str:
    return (datetime.now(UTC) - timedelta(days=days)).date().isoformat()


def format_unanswered(groups: list[Group], labels: dict[str, str], since_days: float | None) -> str:
    """The report `python -m bot unanswered` prints; `labels`: fact id -> its question."""
    if not groups:
        return f"No unanswered questions{_period(since_days)}."
    total = sum(g.count for g in groups)
    lines = [
        f"{total} unanswered question(s){_period(since_days)}, {len(groups)} group(s), "
        "most asked first:"
    ]
    for group in groups:
        kinds = ", ".join(f"{n} {KIND_NAMES[k]}" for k, n in group.kinds.most_common())
        lines.append(f"\n{group.count:5}  {group.text}  ({kinds})")
        others = [w for w, _ in group.wordings.most_common(4) if w != group.text][:3]
        if others:
            lines.append(f"       also: {'; '.join(others)}")
        if group.closest:
            fact_id, score = group.closest
            label = labels.get(fact_id, "no longer in the fact base")
            lines.append(f"       closest fact: {fact_id} ({score:.0f}): {label}")
        else:
            lines.append("       closest fact: none")
    return "\n".join(lines)


def format_stats(report: Stats, labels: dict[str, str], since_days: float | None) -> str:
    """The report `python -m bot stats` prints."""
    totals = report.totals
    asked = sum(totals.values())
    if not asked:
        return f"No questions recorded{_period(since_days)}."
    lines = [
        f"{asked} question(s){_period(since_days)}: "
        + ", ".join(f"{totals[k]} {KIND_NAMES[k]} ({totals[k] / asked:.0%})" for k in KIND_NAMES)
    ]
    lines.append("\nPer day:")
    for day, counts in report.days.items():
        lines.append(f"  {day}  " + "  ".join(f"{KIND_NAMES[k]} {counts[k]}" for k in KIND_NAMES))
    lines.append("\nAnswers per fact (per day):")
    for fact_id, count in report.answers.most_common():
        label = labels.get(fact_id, "no longer in the fact base")
        per_day = ", ".join(f"{day} {n}" for day, n in report.facts[fact_id].items())
        lines.append(f"  {count:6}  {fact_id}: {label}\n          ({per_day})")
    return "\n".join(lines)


def _period(since_days: float | None) -> str:
    return "" if since_days is None else f" in the last {since_days:g} day(s)"
