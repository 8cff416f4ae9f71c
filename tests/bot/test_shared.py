"""State shared through a real Redis: conversations across processes, claims on updates,
and a Redis that goes away and comes back."""

import asyncio
import logging

import pytest

from bot.core import Core, Question
from bot.delivery import Busy, Claims, Delivery, Ledger
from bot.shared import Shared


def asked(text: str, platform: str = "telegram") -> Question:
    return Question(text, user_id="7", chat_id="-100", platform=platform, private=False)


@pytest.fixture
async def shared(redis_server):
    shared = Shared(redis_server.url, retry_after=0.2)
    yield shared
    await shared.close()


async def test_a_follow_up_answered_by_another_process_leans_on_the_same_conversation(base, shared):
    first, second = Core(base, shared=shared), Core(base, shared=shared)
    await first.answer(asked("who is michael barbero"))
    reply = await second.answer(asked("what did he say"))
    assert reply.fact_id == "barbero_warning"
    alone = await Core(base).answer(asked("what did he say"))  # without the conversation
    assert alone.fact_id != "barbero_warning"
    source = await first.answer(asked("/source"))  # and /source knows the last answer too
    assert source.fact_id == "barbero_warning"


async def test_redis_away_costs_one_warning_answers_go_on_and_sharing_resumes(
    base, shared, redis_server, caplog
):
    first, second = Core(base, shared=shared), Core(base, shared=shared)
    redis_server.stop()
    with caplog.at_level(logging.INFO, logger="bot.shared"):
        for text in ("who is michael barbero", "what did he say", "When did Albania join NATO?"):
            assert (await first.answer(asked(text))).fact_id is not None
        warnings = [r for r in caplog.records if r.levelno == logging.WARNING]
        assert len(warnings) == 1 and "unreachable" in warnings[0].getMessage()
        assert not shared.up
        redis_server.start()
        await asyncio.sleep(0.3)  # past retry_after: the next call tries Redis again
        await first.answer(asked("who is michael barbero"))
        assert shared.up and "back after" in caplog.text
    assert (await second.answer(asked("what did he say"))).fact_id == "barbero_warning"


async def test_an_update_claimed_by_two_processes_is_answered_once(shared):
    answered: list[int] = []

    async def handle(update: object) -> None:
        await asyncio.sleep(0.2)
        answered.append(update)  # type: ignore[arg-type]

    workers = [
        Delivery(Ledger(None, "telegram"), handle, lambda u: u, Claims(shared, "telegram"))
        for _ in range(2)
    ]
    outcomes = await asyncio.gather(*(w.deliver(41) for w in workers), return_exceptions=True)
    assert answered == [41]
    assert sum(isinstance(o, Busy) for o in outcomes) == 1, "the other is told to retry later"
    await workers[1].deliver(41)  # the platform's retry reaches the other worker: done already
    assert answered == [41] and workers[1].ledger.done(41)


async def test_a_claim_whose_process_died_lapses_and_another_answers(shared):
    answered: list[int] = []

    async def handle(update: object) -> None:
        answered.append(update)  # type: ignore[arg-type]

    dead = Claims(shared, "telegram", lease=1)
    assert await dead.take(9)  # claimed, then the process was killed before answering
    alive = Delivery(Ledger(None, "telegram"), handle, lambda u: u, Claims(shared, "telegram"))
    with pytest.raises(Busy):
        await alive.deliver(9)
    await asyncio.sleep(1.2)
    await alive.deliver(9)
    assert answered == [9]


async def test_shared_limits_decide_as_one_process_would_across_processes(shared):
    """The same questions from users in a group and in private, spread over two processes:
    Redis gives every verdict the single-process limits give."""
    import random

    from bot.ratelimit import ChatLimits, SharedLimits

    alone = ChatLimits(5, 2)
    processes = [SharedLimits(5, 2, shared), SharedLimits(5, 2, shared)]
    picks = random.Random(4)
    for n in range(60):
        user = ("telegram", str(picks.randrange(3)))
        chat = picks.choice([None, ("telegram", "-1"), ("telegram", "-2")])
        verdict, limit, _ = alone.hit(user, chat)
        decision = await processes[n % 2].hit(user, chat)
        assert (decision.verdict, decision.in_group) == (verdict, limit is alone.in_group), n
        assert decision.limit == limit.limit


async def test_a_user_over_the_limit_is_told_once_whichever_process_answers(base, shared):
    cores = [Core(base, shared=shared, questions_per_minute=2) for _ in range(2)]
    question = Question("When did Albania join NATO?", user_id="5", chat_id="5", platform="discord")
    replies = [await cores[n % 2].answer(question) for n in range(4)]
    assert [r.kind for r in replies[:2]] == ["answer", "answer"]
    assert replies[2].kind == "limited" and "at most 2 questions a minute" in replies[2].text
    assert replies[3].silent
