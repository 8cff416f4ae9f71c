import asyncio
import threading

import pytest

from bot import showcase
from bot.core import Core, Question
from bot.messages import ReplyKind


@pytest.fixture
def drawings(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The threads the timeline is drawn on, one entry per drawing."""
    threads: list[str] = []
    draw = showcase._draw

    def counted(tongue):
        threads.append(threading.current_thread().name)
        return draw(tongue)

    monkeypatch.setattr(showcase, "_draw", counted)
    return threads


async def test_timeline_is_drawn_once_off_the_loop_and_kept(core, base, drawings):
    first, second = await asyncio.gather(
        core.answer(Question("/timeline")), core.answer(Question("/timeline"))
    )
    again = await core.answer(Question("/timeline"))
    assert len(drawings) == 1 and drawings[0] != threading.current_thread().name
    assert first.picture is not None and first.picture.png.startswith(b"\x89PNG")
    assert second.picture.png is first.picture.png is again.picture.png
    assert first.kind is ReplyKind.SHOW and base.article.outlet in first.picture.caption
    assert [o.fact_id for o in first.options] == [
        "nato_2009", "humanitarian_contract_2013", "stoltenberg_who", "terror_cell_2019",
        "soleimani_killing", "khamenei_quote", "albania_welcomed_killing",
        "diplomats_expelled", "barbero_warning",
    ]  # fmt: skip
    assert first.options[0].label == "2009: Albania joins NATO, with Croatia"


async def test_the_loop_keeps_answering_while_the_timeline_is_drawn(core, monkeypatch):
    """The drawing is held half-way until a question has been answered: drawn on the loop,
    it would hold the loop too, and the question would wait for it."""
    started, release = threading.Event(), threading.Event()
    draw = showcase._draw

    def held(tongue):
        started.set()
        release.wait(timeout=10)  # bounded: a test that fails must not hang
        return draw(tongue)

    monkeypatch.setattr(showcase, "_draw", held)
    drawing = asyncio.ensure_future(core.answer(Question("/timeline")))
    for _ in range(1000):  # until the worker thread is in the drawing
        if started.is_set():
            break
        await asyncio.sleep(0.01)
    reply = await core.answer(Question("When did Albania join NATO?"))
    assert reply.fact_id == "nato_2009"
    assert not drawing.done(), "the question was answered while the picture was being drawn"
    release.set()
    assert (await drawing).picture is not None


async def test_a_reload_draws_the_timeline_again(base, facts_copy, drawings):
    core = Core(base, facts_path=facts_copy)
    await core.answer(Question("/timeline"))
    text = facts_copy.read_text(encoding="utf-8")
    facts_copy.write_text(text.replace("Police uncover", "The police uncover"), encoding="utf-8")
    assert (await core.reload()).ok
    reply = await core.answer(Question("/timeline"))
    assert len(drawings) == 2
    assert any(
        o.label == "October 2019: The police uncover an Iranian terror cell" for o in reply.options
    )


async def test_a_failed_drawing_still_gives_the_text_timeline_and_is_tried_again(
    core, monkeypatch, caplog
):
    calls = []

    def broken(tongue):
        calls.append(tongue)
        raise RuntimeError("no fonts")

    monkeypatch.setattr(showcase, "_draw", broken)
    reply = await core.answer(Question("/timeline"))
    assert reply.picture is None and len(reply.options) == 9
    assert "drawing the en picture failed" in caplog.text
    await core.answer(Question("/timeline"))
    assert len(calls) == 2


async def test_the_timeline_speaks_the_conversation_s_language(core):
    await core.answer(Question("Wann ist Albanien der NATO beigetreten?"))
    reply = await core.answer(Question("/timeline"))
    assert reply.lang == "de" and "Juni 2019: " in reply.options[2].label
    assert "Zeitleiste" in reply.picture.caption


async def test_people_lists_each_card_and_who_is_answers_end_with_its_facts(core, base):
    listing = await core.answer(Question("/people"))
    assert listing.kind is ReplyKind.SHOW
    assert [o.label for o in listing.options] == [p.name for p in base.people]
    assert all(f"{p.name}: {p.role}" in listing.text for p in base.people)
    saffari = next(p for p in base.people if p.entity == "saffari")
    who = await core.answer(Question("who is saffari"))
    assert who.fact_id == saffari.facts[0]
    assert [o.fact_id for o in who.follow_ups] == saffari.facts[1:]
    other = await core.answer(Question("When did Albania join NATO?"))
    assert [o.fact_id for o in other.follow_ups] == base.fact("nato_2009").related[:3]


async def test_people_in_albanian_give_the_roles_in_albanian(core):
    listing = await core.answer(Question("/people", lang="sq"))
    assert "Edi Rama: kryeministri i Shqipërisë" in listing.text


def test_cards_are_offered_for_the_names_being_typed(core, base):
    assert [c.title for c in core.cards("who is ram")] == ["Edi Rama"]
    assert len(core.cards("")) == len(base.people)
    assert core.cards("when did albania join nato") == ()
