"""Showing, not only telling: the timeline picture and the who's-who cards.

The timeline is drawn once per fact base and language, on a worker thread (never on the
event loop), and kept: a reload's new fact base is drawn anew, and the oldest pictures make
way for it.
"""

import asyncio
import logging
from collections import OrderedDict

from bot.knowledge import Tongue
from bot.messages import Option, Picture, Reply, ReplyKind
from intents.facts import Person
from intents.normalize import normalize

log = logging.getLogger(__name__)

KEPT = 6  # pictures kept: every language of the serving fact base and a reload's
PICTURE_NAME = "timeline.png"
MIN_PREFIX = 3  # letters of a name typed before its card is offered ("ram" for Rama)


class Showcase:
    """Replies that show: /timeline with its picture, /people and each person's card."""

    def __init__(self) -> None:
        # id(tongue) -> (the tongue, kept so its id stays its own; its drawing)
        self._drawn: OrderedDict[int, tuple[Tongue, asyncio.Task[bytes]]] = OrderedDict()

    async def timeline(self, tongue: Tongue) -> Reply:
        """The dated events as a picture, and as options ("June 2019: ..."), one per event,
        each leading to its fact."""
        said, article = tongue.lines, tongue.base.article
        if not tongue.events:
            return Reply(ReplyKind.INFO, said("timeline_none"), lang=tongue.code)
        rows = [f"{e.date}: {e.label}" for e in tongue.events]
        caption = said(
            "timeline_caption", title=article.title, outlet=article.outlet, date=article.date
        )
        try:
            picture = Picture(await self._picture(tongue), PICTURE_NAME, caption)
        except Exception:  # the text timeline still answers; the next ask draws again
            log.exception("timeline: drawing the %s picture failed", tongue.code)
            picture = None
        return Reply(
            ReplyKind.SHOW,
            said("timeline_intro"),
            suggestions=tuple(
                Option(e.fact_id, row) for e, row in zip(tongue.events, rows, strict=True)
            ),
            lang=tongue.code,
            picture=picture,
        )

    def people(self, tongue: Tongue) -> Reply:
        """Everyone the article names, with the role it gives them; a button each opens
        their card (the "who is" answer with their facts)."""
        if not tongue.people:
            return Reply(ReplyKind.INFO, tongue.lines("people_none"), lang=tongue.code)
        rows = [f"{p.name}: {p.role}" for p in tongue.people if p.facts[0] in tongue.facts]
        return Reply(
            ReplyKind.SHOW,
            "\n".join([tongue.lines("people_head"), *rows]),
            suggestions=tuple(
                Option(p.facts[0], p.name) for p in tongue.people if p.facts[0] in tongue.facts
            ),
            lang=tongue.code,
        )

    def cards(self, tongue: Tongue, text: str) -> tuple[Reply, ...]:
        """The cards of the people `text` names or starts to name; every card for no text."""
        words = [w for w in normalize(text).split() if len(w) >= MIN_PREFIX]
        return tuple(
            card(tongue, p)
            for p in tongue.people
            if p.facts[0] in tongue.facts and (not text.strip() or _named(p, words))
        )

    async def _picture(self, tongue: Tongue) -> bytes:
        """The timeline PNG of this language's view; drawn at most once, however many ask."""
        kept = self._drawn.get(id(tongue))
        if kept is None or kept[0] is not tongue:
            task = asyncio.create_task(asyncio.to_thread(_draw, tongue))
            task.add_done_callback(lambda done: self._forget_failed(id(tongue), done))
            kept = self._drawn[id(tongue)] = (tongue, task)
            while len(self._drawn) > KEPT:
                self._drawn.popitem(last=False)
        return await asyncio.shield(kept[1])  # one asker giving up does not stop the drawing

    def _forget_failed(self, key: int, task: "asyncio.Task[bytes]") -> None:
        """A drawing that failed is not kept: the next /timeline tries again."""
        failed = task.cancelled() or task.exception() is not None
        if failed and self._drawn.get(key, (None, None))[1] is task:
            del self._drawn[key]


def card(tongue: Tongue, person: Person) -> Reply:
    """A person's card: name, the article's words for their role, and their facts."""
    who = tongue.facts[person.facts[0]]
    return Reply(
        ReplyKind.INFO,
        f"{person.name}: {person.role}",
        fact_id=who.id,
        title=person.name,
        follow_ups=card_options(tongue, person),
        lang=tongue.code,
    )


def card_options(tongue: Tongue, person: Person, without: str | None = None) -> tuple[Option, ...]:
    """A person's facts as options, but `without` (the one just given)."""
    facts = (tongue.facts[f] for f in person.facts if f in tongue.facts and f != without)
    return tuple(Option(f.id, f.label) for f in facts)


def _named(person: Person, words: list[str]) -> bool:
    names = normalize(f"{person.name} {person.entity}").split()
    return any(name.startswith(word) for word in words for name in names)


def _draw(tongue: Tongue) -> bytes:
    # matplotlib takes about half a second to import: only a drawing pays for it
    from bot.drawing import png, timeline_figure

    said, article = tongue.lines, tongue.base.article
    foot = said("timeline_foot", outlet=article.outlet, date=article.date)
    figure = timeline_figure(tongue.events, said("timeline_heading"), article.title, foot)
    return png(figure)
