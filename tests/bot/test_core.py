import asyncio
import json
import sqlite3
import threading

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.conversation import Conversations
from bot.core import Core, Question, Reply, ReplyKind
from bot.journal import Journal
from bot.knowledge import Knowledge


def ask(text: str, chat: str = "c1", platform: str = "test") -> Question:
    return Question(text, user_id="u1", chat_id=chat, platform=platform)


async def test_answer_gives_the_fact_its_source_and_follow_ups(core):
    reply = await core.answer(ask("When did Albania join NATO?"))
    assert reply.kind is ReplyKind.ANSWER
    assert reply.intent == "nato_2009"
    assert "2009" in reply.text and "Croatia" in reply.text
    assert reply.source == "In 2009 Albania became a member of NATO together with Croatia"
    assert 1 <= len(reply.follow_ups) <= 3
    assert all(o.fact_id in {"albania_where", "nato_support", "stoltenberg_who"}
               for o in reply.follow_ups)  # fmt: skip
    assert reply.suggestions == ()


async def test_decline_is_honest_and_suggests(core):
    reply = await core.answer(ask("What do Albanians think of Russia?"))
    assert reply.kind is ReplyKind.DECLINE
    assert reply.intent is None
    assert "doesn't say" in reply.text and "Russia" in reply.text
    assert "I can answer questions about" in reply.text
    assert 1 <= len(reply.suggestions) <= 3


async def test_decline_without_a_proper_noun_stays_generic(core):
    reply = await core.answer(ask("does iran have nuclear weapons"))
    assert reply.kind is ReplyKind.DECLINE
    assert reply.text.startswith("The article doesn't say.")


async def test_clarify_offers_the_closest_facts(core):
    reply = await core.answer(ask("albania"))
    assert reply.kind is ReplyKind.CLARIFY
    assert reply.intent is None
    assert 2 <= len(reply.suggestions) <= 3
    assert {"albania_where", "albania_mek_link"} <= {o.fact_id for o in reply.suggestions}


async def test_bare_name_asks_who_it_is(core):
    for name, fact_id in (("barbero", "barbero_who"), ("Khamenei?", "khamenei_who")):
        assert (await core.answer(ask(name))).intent == fact_id


async def test_an_answer_short_of_certain_offers_the_runner_up(core):
    reply = await core.answer(ask("what did rama say about the mek"))
    assert reply.intent == "unshakable_alliance" and reply.score < 90
    assert "rama_risk" in {o.fact_id for o in reply.suggestions}
    sure = await core.answer(ask("When did Albania join NATO?"))
    assert sure.score >= 90 and sure.suggestions == ()


async def test_smalltalk_is_never_a_fact(core):
    for text in ("hi", "thanks!", "who made you"):
        reply = await core.answer(ask(text))
        assert reply.kind is ReplyKind.SMALLTALK
        assert reply.intent is None and reply.source is None


async def test_help_and_start_explain_the_bot(core):
    for command in ("/start", "/help", "/HELP@FactBot"):
        reply = await core.answer(ask(command))
        assert reply.kind is ReplyKind.INFO
        assert "/topics" in reply.text and "/source" in reply.text and "/about" in reply.text
        assert reply.suggestions


async def test_topics_lists_every_fact_by_topic(core, base):
    reply = await core.answer(ask("/topics"))
    for fact in base.facts:
        assert fact.topic in reply.text
        assert fact.label in reply.text


async def test_about_describes_the_article(core, base):
    reply = await core.answer(ask("/about"))
    assert base.article.title in reply.text
    assert base.article.outlet in reply.text and base.article.date in reply.text
    assert str(len(base.facts)) in reply.text


async def test_source_quotes_the_last_answer_in_this_chat_only(core, base):
    before = await core.answer(ask("/source"))
    assert before.source is None and "Ask me a question first" in before.text
    await core.answer(ask("how far is the camp from tirana", chat="c1"))
    await core.answer(ask("who is edi rama", chat="c2"))
    here = await core.answer(ask("/source", chat="c1"))
    assert here.fact_id == "camp_distance"
    assert here.source == base.fact("camp_distance").quote
    assert base.article.title in here.text and base.article.outlet in here.text
    other_platform = await core.answer(ask("/source", chat="c1", platform="other"))
    assert other_platform.source is None


async def test_source_memory_is_bounded(core):
    core.conversations = Conversations(size=2)
    for chat in ("a", "b", "c"):
        await core.answer(ask("mek camp", chat=chat))
    assert (await core.answer(ask("/source", chat="a"))).source is None
    assert (await core.answer(ask("/source", chat="c"))).source is not None


async def test_ask_command_answers_its_argument(core):
    reply = await core.answer(ask("/ask@FactBot When did Albania join NATO?"))
    assert reply.intent == "nato_2009"
    empty = await core.answer(ask("/ask"))
    assert empty.kind is ReplyKind.INFO and "/ask When did Albania join NATO?" in empty.text


async def test_unknown_command_points_to_help(core):
    reply = await core.answer(ask("/launch_missiles now"))
    assert reply.kind is ReplyKind.INFO
    assert "/launch_missiles" in reply.text and "/help" in reply.text


async def test_answer_fact_by_id_as_from_a_button(core):
    reply = await core.answer_fact("quds_meaning", ask(""))
    assert reply.intent == "quds_meaning" and "Jerusalem" in reply.text
    gone = await core.answer_fact("no_such_fact", ask(""))
    assert gone.kind is ReplyKind.INFO and gone.intent is None


RIGHT_TO_LEFT = "\u202e\u05e9\u05dc\u05d5\u05dd \u0645\u0631\u062d\u0628\u0627"


@pytest.mark.parametrize(
    "text",
    ["", " ", "\U0001f642" * 50, "\x00\x01\x1b[31m", RIGHT_TO_LEFT, "x" * 100_000,
     "when did albania join nato? " * 4000, "/", "/ask@", "\u200b\u200d\ufeff",
     "\u1369", "/ask \U00010a40", "\u00b2"],
)  # fmt: skip
async def test_answer_survives_hostile_text(core, text):
    reply = await core.answer(ask(text))
    assert isinstance(reply, Reply) and reply.text


@settings(
    max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(text=st.text(max_size=2000))
async def test_answer_never_raises_and_always_replies(core, text):
    reply = await core.answer(ask(text))
    assert reply.text
    assert reply.kind in ReplyKind
    assert reply.intent is None or reply.source
    assert 0 <= reply.score <= 100


async def test_rate_limit_notice_once_then_silent_per_user(base):
    core = Core(base, questions_per_minute=2)
    ana = Question("When did Albania join NATO?", user_id="ana", platform="telegram")
    replies = [await core.answer(ana) for _ in range(4)]
    assert [r.kind for r in replies[:2]] == [ReplyKind.ANSWER, ReplyKind.ANSWER]
    assert replies[2].kind is ReplyKind.LIMITED
    assert "at most 2 questions a minute" in replies[2].text
    assert replies[3].silent
    pressed = await core.answer_fact("nato_2009", ana)
    assert pressed.silent, "a button press counts as a question"
    ben = Question("When did Albania join NATO?", user_id="ana", platform="discord")
    assert (await core.answer(ben)).kind is ReplyKind.ANSWER, "same id, other platform"


async def test_no_rate_limit_by_default_or_without_a_user(base, core):
    limited = Core(base, questions_per_minute=1)
    anonymous = Question("When did Albania join NATO?")
    assert all([(await limited.answer(anonymous)).kind is ReplyKind.ANSWER for _ in range(3)])
    user = Question("When did Albania join NATO?", user_id="ana")
    assert all([(await core.answer(user)).kind is ReplyKind.ANSWER for _ in range(50)])


async def test_best_answers_rank_facts_for_inline_search(core):
    replies = await core.best_answers("when did albania join nato", limit=10)
    assert replies[0].fact_id == "nato_2009" and replies[0].title == "When did Albania join NATO?"
    assert len(replies) <= 10 and all(r.kind is ReplyKind.ANSWER for r in replies)
    assert await core.best_answers("zorblax flimflam quux") == ()
    examples = await core.best_answers("   ", limit=3)
    assert len(examples) == 3 and len({r.fact_id for r in examples}) == 3


async def test_best_answers_do_not_touch_source_memory(core):
    question = Question("/source", chat_id="c1")
    await core.best_answers("when did albania join nato")
    assert "Ask me a question first" in (await core.answer(question)).text


NEW_ANSWER = "Albania joined NATO in 2009 (reloaded)."
OLD_ANSWER = "answer: Albania became a member of NATO in 2009, together with Croatia."


def admin(text: str) -> Question:
    return Question(text, user_id="7", chat_id="c", platform="telegram")


async def test_reload_swaps_in_the_new_fact_base(base, facts_copy):
    core = Core(base, facts_path=facts_copy)
    text = facts_copy.read_text(encoding="utf-8")
    facts_copy.write_text(text.replace(OLD_ANSWER, f"answer: {NEW_ANSWER}"), encoding="utf-8")
    result = await core.reload()
    assert result.ok and result.facts == result.before == len(base.facts)
    assert (await core.answer(ask("When did Albania join NATO?"))).text == NEW_ANSWER


async def test_a_broken_file_keeps_the_old_facts_and_reports_every_problem(
    base, facts_copy, caplog
):
    core = Core(base, facts_path=facts_copy)
    text = facts_copy.read_text(encoding="utf-8")
    broken = text.replace(OLD_ANSWER, "answer: ''").replace("id: mek_camp", "id: nato_2009")
    facts_copy.write_text(broken, encoding="utf-8")
    result = await core.reload()
    assert not result.ok and result.facts == len(base.facts)
    assert len(result.problems) >= 2
    assert any("answer" in p for p in result.problems)
    assert any("mek_camp" in p for p in result.problems)
    logged = [r.getMessage() for r in caplog.records if r.levelname == "ERROR"]
    assert all(any(p in line for line in logged) for p in result.problems)
    assert "2009" in (await core.answer(ask("When did Albania join NATO?"))).text


async def test_reload_command_is_for_admins_and_lists_problems(base, facts_copy):
    core = Core(base, facts_path=facts_copy, admins=frozenset({("telegram", "7")}))
    refused = await core.answer(Question("/reload", user_id="8", platform="telegram"))
    assert "Only the bot's admins" in refused.text
    other_platform = await core.answer(Question("/reload", user_id="7", platform="discord"))
    assert "Only the bot's admins" in other_platform.text
    assert (await core.answer(admin("/reload@ArticleFactBot"))).text.startswith(
        "Reloaded facts.yaml: 47 facts"
    )
    facts_copy.write_text("article: [", encoding="utf-8")
    reply = await core.answer(admin("/reload"))
    assert reply.text.startswith("facts.yaml was not reloaded: 1 problem(s)")
    assert "YAML error" in reply.text and "Still serving the 47 facts" in reply.text


async def test_questions_are_answered_while_a_reload_reads_the_file(base, facts_copy, monkeypatch):
    """The new fact base is built off the event loop: questions go on meanwhile."""
    core = Core(base, facts_path=facts_copy)
    release = threading.Event()
    load = Knowledge.load

    def slow_load(*args):
        release.wait(10)
        return load(*args)

    monkeypatch.setattr(Knowledge, "load", slow_load)
    text = facts_copy.read_text(encoding="utf-8")
    facts_copy.write_text(text.replace(OLD_ANSWER, f"answer: {NEW_ANSWER}"), encoding="utf-8")
    reloading = asyncio.create_task(core.reload())
    await asyncio.sleep(0.05)
    during = [await core.answer(ask("When did Albania join NATO?")) for _ in range(20)]
    assert not reloading.done()
    assert all("Croatia" in r.text for r in during)  # the old facts, whole
    release.set()
    assert (await reloading).ok
    assert (await core.answer(ask("When did Albania join NATO?"))).text == NEW_ANSWER


async def test_outcomes_go_to_the_journal(base, tmp_path):
    path = tmp_path / "bot.sqlite3"
    core = Core(base, journal=Journal(path))
    await core.answer(ask("When did Albania join NATO?"))
    await core.answer(ask("What do Albanians think of RUSSIA??"))
    await core.answer(ask("albania"))
    await core.answer(ask("hi"))  # small talk: not a question about the article
    await core.answer_fact("mek_camp", ask(""))
    core.close()
    with sqlite3.connect(path) as connection:
        missed = connection.execute("SELECT kind, text, candidates FROM unanswered").fetchall()
        daily = connection.execute("SELECT kind, fact_id, count FROM daily").fetchall()
    assert [(k, t) for k, t, _ in missed] == [
        ("decline", "what do albanians think of russia"),
        ("clarify", "albania"),
    ]
    clarify_candidates = json.loads(missed[1][2])
    assert len(clarify_candidates) >= 2 and all(0 < s <= 100 for _, s in clarify_candidates)
    assert sorted(daily) == [
        ("answer", "mek_camp", 1),
        ("answer", "nato_2009", 1),
        ("clarify", "", 1),
        ("decline", "", 1),
    ]


async def test_answers_go_on_when_the_database_cannot_be_written(base, tmp_path, caplog):
    blocker = tmp_path / "full"
    blocker.write_text("a file where the database folder should be")
    core = Core(base, journal=Journal(blocker / "bot.sqlite3"))
    replies = [await core.answer(ask("What do Albanians think of Russia?")) for _ in range(50)]
    core.close()
    assert all(r.kind is ReplyKind.DECLINE for r in replies)
    logged = [r.getMessage() for r in caplog.records if r.name == "bot.journal"]
    assert len(logged) == 2 and "50 events could not be written" in logged[1]  # once, then the loss


async def test_lone_surrogates_are_replaced_before_anything_else_sees_them(base, tmp_path):
    path = tmp_path / "bot.sqlite3"
    core = Core(base, journal=Journal(path))
    unknown = await core.answer(ask("/\ud800x"))
    declined = await core.answer(ask("\udfff who won the world cup?"))
    core.close()
    assert unknown.text == "I don't know the command /\ufffdx. Try /help."
    assert declined.kind is ReplyKind.DECLINE
    with sqlite3.connect(path) as connection:
        assert connection.execute("SELECT count(*) FROM unanswered").fetchone() == (1,)


def in_group(text: str, user: str, chat: str = "group") -> Question:
    return Question(text, user_id=user, chat_id=chat, platform="test", private=False)


async def test_follow_ups_resolve_against_the_conversation(core):
    assert (await core.answer(ask("who is michael barbero"))).intent == "barbero_who"
    assert (await core.answer(ask("what did he say"))).intent == "barbero_warning"
    alone = await core.answer(ask("what did he say", chat="fresh"))
    assert alone.intent != "barbero_warning"


async def test_and_x_asks_the_same_of_someone_else(core):
    assert (await core.answer(ask("who is edi rama"))).intent == "rama_who"
    assert (await core.answer(ask("and stoltenberg?"))).intent == "stoltenberg_who"


async def test_two_people_in_a_group_do_not_mix(core):
    await core.answer(in_group("who is michael barbero", "ana"))
    await core.answer(in_group("who is edi rama", "ben"))
    assert (await core.answer(in_group("what did he say", "ana"))).intent == "barbero_warning"
    assert (await core.answer(in_group("what did he say", "ben"))).intent == "unshakable_alliance"


async def test_a_clear_new_question_is_matched_on_its_own(core):
    await core.answer(ask("who is michael barbero"))
    assert (await core.answer(ask("when did albania join nato?"))).intent == "nato_2009"


async def test_tell_me_more_gives_each_related_fact_once_then_says_so(core, base):
    first = await core.answer(ask("what does quds mean"))
    given = [first.intent]
    for _ in range(len(base.facts)):
        reply = await core.answer(ask("tell me more"))
        if reply.intent is None:
            break
        assert reply.intent not in given
        given.append(reply.intent)
    assert len(given) >= 2
    assert reply.kind is ReplyKind.INFO and "That's all" in reply.text
    fresh = await core.answer(ask("more", chat="new"))
    assert fresh.kind is ReplyKind.INFO and "Ask me a question first" in fresh.text


async def test_a_detail_the_article_lacks_gets_an_honest_partial_answer(core):
    reply = await core.answer(ask("what were the names of the two diplomats?"))
    assert reply.kind is ReplyKind.DECLINE and reply.intent is None
    assert reply.text.startswith("The article gives no name for that. What it does say:")
    assert "two Iranian diplomats" in reply.text and reply.source
    assert [o.fact_id for o in reply.suggestions] == ["diplomats_expelled"]


@pytest.mark.parametrize(
    ("text", "lead"),
    [("is the mek a good organisation or a bad one", "I don't judge"),
     ("will the mek stay in albania", "can't say what will happen"),
     ("how big is the mek camp", "gives no figure")],
)  # fmt: skip
async def test_opinions_the_future_and_missing_figures_have_their_own_lines(core, text, lead):
    reply = await core.answer(ask(text))
    assert reply.intent is None and lead in reply.text


@pytest.mark.parametrize(
    ("text", "expected"),
    [("hmm ok", "couldn't make out a question"), ("asdfgh qwrtz", "couldn't make out"),
     ("lol", "couldn't make out"),
     ("what do albanians think of russia", "it never mentions Russia"),
     ("who is putin", "it never mentions Putin"), ("you are a stupid bot", "I'm only a bot"),
     ("how many mek members live in france", "it never mentions France"),
     ("3", "A number alone isn't a question"), ("\u1369", "couldn't make out"),
     ("why?", "Ask me a whole question"), ("russia russia", "never mentions Russia.")],
)  # fmt: skip
async def test_not_understood_is_not_the_article_does_not_say(core, text, expected):
    reply = await core.answer(ask(text))
    assert reply.intent is None and expected in reply.text


async def test_time_sensitive_answers_are_dated(core):
    for question in ("who is edi rama", "where do the mek live today", "who is stoltenberg"):
        assert "(January 2020)" in (await core.answer(ask(question))).text


async def test_a_partial_answer_is_what_source_and_the_next_turn_are_about(core):
    await core.answer(ask("what does quds mean"))
    partial = await core.answer(ask("what were the names of the two diplomats?"))
    assert partial.intent is None and partial.suggestions[0].fact_id == "diplomats_expelled"
    source = await core.answer(ask("/source"))
    assert source.fact_id == "diplomats_expelled"


async def test_after_tell_me_more_a_pronoun_means_the_fact_just_given(core):
    await core.answer(ask("why did albania expel the iranian diplomats"))
    more = await core.answer(ask("tell me more"))
    assert more.intent == "mek_welcome_expulsion"  # Saffari's words on the expulsion
    assert (await core.answer(ask("who is he?"))).intent == "saffari_who"


async def test_a_question_the_article_lacks_starts_afresh(core):
    await core.answer(ask("who is michael barbero"))
    await core.answer(ask("what do albanians think of russia"))
    more = await core.answer(ask("tell me more"))
    assert more.kind is ReplyKind.INFO and "More about what?" in more.text
    assert (await core.answer(ask("/source"))).fact_id == "barbero_who"


async def test_a_question_understood_alone_but_lacking_a_detail_does_not_lean_on_the_last_topic(
    core,
):
    """After talking about Barbero, asking for the diplomats' names is about the diplomats:
    the article lacks the names, which is no reason to answer about Barbero instead."""
    for text in ("who is michael barbero", "what did he say"):
        await core.answer(Question(text, user_id="u", chat_id="c"))
    reply = await core.answer(
        Question("what were the names of the expelled diplomats?", user_id="u", chat_id="c")
    )
    assert reply.kind is ReplyKind.DECLINE and reply.text.startswith("The article gives no name")
    assert [o.fact_id for o in reply.suggestions] == ["diplomats_expelled"]
