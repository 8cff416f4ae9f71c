"""The article's dated events in order, each dated exactly as the article dates it.

A fact may carry a `date` ("2009", "June 2019", "early January 2020": never a day the
article does not give) and a short `event` label. Events sort by date; events of the same
date keep the article's order, except where a fact says it came `after` another.
"""

import heapq
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Protocol

MONTHS = (
    "January February March April May June July August September October November December"
).split()
PARTS = {"early": 0, "mid": 1, "late": 2}  # of a month or a year
_DATE = re.compile(
    rf"(?:(?P<part>{'|'.join(PARTS)}) )?(?:(?P<month>{'|'.join(MONTHS)}) )?(?P<year>\d{{4}})"
)
DATE_FORMS = '"2009", "June 2019" or "early January 2020"'


class Dated(Protocol):
    """What the timeline needs of a fact (intents.facts.Fact)."""

    id: str
    date: str | None
    event: str | None
    after: str | None

    @property
    def sources(self) -> list[str]: ...


@dataclass(frozen=True, slots=True)
class Event:
    """One point of the timeline: the fact it rests on, its date and label as shown."""

    fact_id: str
    date: str
    label: str


def date_key(date: str) -> tuple[int, int, int] | None:
    """(year, month, part) for sorting, None for a date not in one of `DATE_FORMS`.

    A month alone sorts in its middle; a year alone, before its months.
    """
    found = _DATE.fullmatch(date.strip())
    if found is None:
        return None
    month = MONTHS.index(found["month"]) + 1 if found["month"] else 0
    part = PARTS[found["part"]] if found["part"] else PARTS["mid"]
    return int(found["year"]), month, part


def events(facts: Iterable[Dated], article: str, dates: Mapping[str, str]) -> list[Event]:
    """The dated facts as events in order; `dates`: how this language writes each date.

    Assumes the facts passed `date_problems` (no cycle, every date readable).
    """
    dated = {f.id: f for f in facts if f.date and f.event}
    waiting: dict[str, list[str]] = {}  # fact id -> the events that come after it
    for fact in dated.values():
        if fact.after in dated:
            waiting.setdefault(fact.after, []).append(fact.id)
    ready = [_place(f, article) for f in dated.values() if f.after not in dated]
    heapq.heapify(ready)
    ordered = []
    while ready:
        *_, fact_id = heapq.heappop(ready)
        fact = dated[fact_id]
        ordered.append(Event(fact.id, dates.get(fact.date, fact.date), fact.event))
        for later in waiting.get(fact_id, ()):
            heapq.heappush(ready, _place(dated[later], article))
    return ordered


def _place(fact: Dated, article: str) -> tuple[tuple[int, int, int], int, str]:
    """Where a fact's event sorts: by its date, then where the article tells it."""
    found = article.find(fact.sources[0]) if article else -1
    return date_key(fact.date or "") or (0, 0, 0), found if found >= 0 else len(article), fact.id


def date_problems(facts: list[tuple[int, Dated]], article: str, name: str) -> list[str]:
    """Dates in a readable form and in the article's own words, labels beside them, and
    `after` naming a dated event no later, without a cycle."""
    problems = []
    dated = {f.id: f for _, f in facts if f.date}
    for i, fact in facts:
        place = f"{name}: facts[{i}]"
        if fact.date is None:
            if fact.event is not None or fact.after is not None:
                problems.append(f"{place}: an event or after needs a date")
            continue
        if fact.event is None:
            problems.append(f"{place}.event: a dated fact needs a short event label")
        if date_key(fact.date) is None:
            problems.append(f"{place}.date: {fact.date!r} is not a date like {DATE_FORMS}")
        elif article and fact.date not in article:
            problems.append(
                f"{place}.date: {fact.date!r} is not in the article: date events as it does"
            )
        if fact.after is None:
            continue
        before = dated.get(fact.after)
        if before is None:
            problems.append(f"{place}.after: {fact.after!r} is not a dated fact")
        elif (date_key(before.date or "") or (0,)) > (date_key(fact.date) or (0,)):
            problems.append(f"{place}.after: {fact.after!r} is dated later ({before.date})")
        elif _cycles(fact.id, dated):
            problems.append(f"{place}.after: {fact.after!r} leads back to {fact.id!r}")
    return problems


def _cycles(start: str, dated: Mapping[str, Dated]) -> bool:
    seen, fact_id = {start}, dated[start].after
    while fact_id in dated:
        if fact_id in seen:  # a loop: one through `start` is its own
            return fact_id == start
        seen.add(fact_id)
        fact_id = dated[fact_id].after
    return False
