"""The Telegram adapter end to end: the real Application against the fake Bot API on loopback."""

import asyncio
import logging
from collections.abc import AsyncIterator

import pytest
from telegram.error import TimedOut

from bot.adapters import telegram_adapter
from bot.adapters.telegram_adapter import MENU, TelegramAdapter, Webhook, question_text
from bot.adapters.telegram_render import render_html
from bot.app import serve
from bot.core import Core, Question
from bot.delivery import Ledger
from bot.locales import lines
from bot.settings import ConfigError
from intents import FactBase
from tests import messages
from tests.conftest import free_port
from tests.fakes.telegram_api import BOT, TOKEN, FakeTelegram
from tests.fakes.telegram_html import parse_html

BOT_NAME = BOT["username"]


@pytest.fixture
async def fake() -> AsyncIterator[FakeTelegram]:
    async with FakeTelegram() as fake:
        yield fake


async def started(core: Core, fake: FakeTelegram, **options: object) -> TelegramAdapter:
    adapter = TelegramAdapter(core, token=TOKEN, api_url=fake.api_url, poll_timeout=1, **options)
    await adapter.start()
    return adapter


@pytest.fixture
async def telegram(core: Core, fake: FakeTelegram) -> AsyncIterator[TelegramAdapter]:
    adapter = await started(core, fake)
    yield adapter
    await adapter.stop()


async def sent_after(fake: FakeTelegram, count: int) -> list[dict]:
    """The parameters of the first `count` sendMessage calls, once they have arrived."""
    return [c.params for c in await fake.wait_for("sendMessage", count)]


def buttons(params: dict) -> list[str]:
    markup = params.get("reply_markup") or {}
    return [b["callback_data"] for row in markup.get("inline_keyboard", []) for b in row]


async def test_start_registers_commands_and_answers_start(telegram, fake):
    fake.push_text("/start")
    (reply,) = await sent_after(fake, 1)
    assert [c["command"] for c in fake.commands] == list(MENU)
    assert "I answer questions about one news article" in reply["text"]
    assert reply["parse_mode"] == "HTML"
    assert reply["link_preview_options"] == {"is_disabled": True}
    assert buttons(reply), "/start offers example questions as buttons"


async def test_private_question_answered_with_quote_and_buttons(telegram, fake):
    fake.push_text("When did Albania join NATO?")
    (reply,) = await sent_after(fake, 1)
    text = reply["text"]
    assert text.startswith("Albania became a member of NATO in 2009")
    assert "<blockquote>In 2009 Albania became a member of NATO" in text
    assert text.endswith("<i>— Deutsche Welle (DW)</i>")
    assert "reply_parameters" not in reply, "no quoting in a private chat"
    assert buttons(reply) and all(b.startswith("fact:") for b in buttons(reply))


async def only_reply_to(fake: FakeTelegram, ignored: list[str], addressed: str, **where) -> dict:
    """Push `ignored` then `addressed`; the one reply, once a later question proves no other."""
    for text in ignored:
        fake.push_text(text, **where)
    asked = fake.push_text(addressed, **where)
    (reply,) = await sent_after(fake, 1)
    fake.push_text(f"@{BOT_NAME} who is Jens Stoltenberg?", **where)  # handled after the rest
    await sent_after(fake, 2)
    assert len(fake.calls_of("sendMessage")) == 2, "an ignored message got a reply"
    reply["asked"] = asked["message"]
    return reply


async def test_group_answers_only_when_addressed(telegram, fake):
    reply = await only_reply_to(
        fake,
        ["When did Albania join NATO?", "gibberish zorblax flimflam"],
        f"@{BOT_NAME} where do the MEK live?",
        chat=fake.group_chat(),
    )
    assert "Durrës" in reply["text"]
    assert reply["reply_parameters"]["message_id"] == reply["asked"]["message_id"]


async def test_group_question_deleted_before_the_answer_still_answered(telegram, fake):
    group = fake.group_chat()
    message = fake.message(f"@{BOT_NAME} when did Albania join NATO?", chat=group)
    fake.delete(message)
    fake.push("message", message)
    (reply,) = await sent_after(fake, 1)
    assert "2009" in reply["text"]


async def test_group_decline_only_when_addressed(telegram, fake):
    reply = await only_reply_to(
        fake,
        ["What do Albanians think of Russia?"],
        f"What do Albanians think of Russia, @{BOT_NAME}?",
        chat=fake.group_chat(),
    )
    assert "never mentions Russia" in reply["text"]


async def test_group_reply_to_the_bot_is_a_question(telegram, fake):
    group = fake.group_chat()
    fake.push_text(f"@{BOT_NAME} when did Albania join NATO?", chat=group)
    await sent_after(fake, 1)
    fake.push_text("and where do the MEK live?", chat=group, reply_to=fake.sent[0])
    replies = await sent_after(fake, 2)
    assert "Durrës" in replies[1]["text"]


async def test_ask_command_for_this_bot_and_not_for_another(telegram, fake):
    reply = await only_reply_to(
        fake,
        ["/ask@OtherFactBot when did Albania join NATO?"],
        f"/ask@{BOT_NAME} where do the MEK live?",
        chat=fake.group_chat(),
    )
    assert "Durrës" in reply["text"]


async def test_plain_ask_command_in_a_group(telegram, fake):
    fake.push_text("/ask when did Albania join NATO?", chat=fake.group_chat())
    (reply,) = await sent_after(fake, 1)
    assert "2009" in reply["text"]


async def test_unknown_command_answered_only_when_addressed(telegram, fake):
    reply = await only_reply_to(fake, ["/weather"], f"/weather@{BOT_NAME}", chat=fake.group_chat())
    assert "I don't know the command /weather" in reply["text"]


async def test_edited_message_not_answered_again(telegram, fake):
    message = fake.message("When did Albania join NATO?")
    fake.push("edited_message", dict(message, edit_date=message["date"] + 1))
    reply = await only_reply_to(fake, [], "where do the MEK live?")
    assert "Durrës" in reply["text"]


async def test_button_press_answers_that_fact(telegram, fake, base):
    fake.push_text("When did Albania join NATO?")
    (reply,) = await sent_after(fake, 1)
    data = buttons(reply)[0]
    query_id = fake.push_button(data, fake.sent[0])
    replies = await sent_after(fake, 2)
    (answered,) = await fake.wait_for("answerCallbackQuery")
    assert answered.params["callback_query_id"] == query_id
    fact = next(f for f in base.facts if f.id == data.removeprefix("fact:"))
    assert parse_html(replies[1]["text"]).startswith(fact.answer)


async def test_stale_button_gets_a_notice_not_an_error(telegram, fake):
    message = fake.message("an old answer", user=BOT, chat=fake.private_chat(fake.user()))
    fake.push_button("fact:no_such_fact", message)
    (reply,) = await sent_after(fake, 1)
    assert "no longer in my list" in reply["text"]


async def test_inline_query_offers_matching_facts(telegram, fake):
    fake.push_inline("when did albania join nato")
    (call,) = await fake.wait_for("answerInlineQuery")
    results = call.params["results"]
    assert 1 <= len(results) <= 10
    assert results[0]["id"] == "nato_2009"
    content = results[0]["input_message_content"]
    assert content["parse_mode"] == "HTML"
    assert "2009" in parse_html(content["message_text"])


async def test_inline_query_empty_offers_examples(telegram, fake):
    fake.push_inline("")
    (call,) = await fake.wait_for("answerInlineQuery")
    assert len(call.params["results"]) >= 3


async def test_long_answer_split_under_the_limit(base: FactBase, fake):
    paragraphs = [f"Paragraph {i}: " + " ".join(["words & <more>"] * 60) for i in range(8)]
    long_fact = base.facts[0].model_copy(update={"answer": "\n\n".join(paragraphs)})
    long_core = Core(base.model_copy(update={"facts": [long_fact, *base.facts[1:]]}))
    expected = render_html(await long_core.answer_fact(long_fact.id, Question("")), "DW")
    adapter = await started(long_core, fake)
    try:
        fake.push_text(long_fact.questions[0])
        sent = await sent_after(fake, len(expected))
    finally:
        await adapter.stop()
    assert len(sent) == len(expected) >= 2
    parts = [parse_html(m["text"]) for m in sent]
    assert all(len(p.encode("utf-16-le")) // 2 <= 4096 for p in parts)
    assert "\n\n".join(parts).startswith("\n\n".join(paragraphs))
    assert not sent[0].get("reply_markup") and sent[-1].get("reply_markup")


async def test_html_special_characters_in_a_question(telegram, fake):
    fake.push_text("Albania & NATO -> when did it join? <b>")
    fake.push_text("What does Putin <i>think</i> of Tirana & Moscow?")
    replies = await sent_after(fake, 2)
    assert any("2009" in r["text"] for r in replies)
    decline = next(r for r in replies if "2009" not in r["text"])
    assert "Putin" in parse_html(decline["text"])


async def test_too_many_requests_then_success(telegram, fake):
    fake.fail("sendMessage", 429, retry_after=1)
    fake.push_text("When did Albania join NATO?")
    (reply,) = await sent_after(fake, 1)
    assert "2009" in reply["text"]
    assert [c.method for c in fake.faulted] == ["sendMessage"]


async def test_a_slow_chat_does_not_hold_up_another(telegram, fake):
    fake.slow("sendMessage", 1.0)
    fake.push_text("When did Albania join NATO?")
    fake.push_text("where do the MEK live?", user=fake.user(2002, "Ben"))
    (first,) = await sent_after(fake, 1)
    assert "Durrës" in first["text"], "Ben's answer went out while Ana's was stuck"
    second = (await sent_after(fake, 2))[1]
    assert "2009" in second["text"]


async def test_bad_gateway_while_polling_then_serving_goes_on(telegram, fake, caplog):
    fake.fail("getUpdates", 502)  # the poll after the one now waiting
    fake.push_text("where do the MEK live?")
    await sent_after(fake, 1)
    await fake.wait_until(lambda: fake.faulted)
    fake.push_text("When did Albania join NATO?")
    reply = (await sent_after(fake, 2))[1]
    assert "2009" in reply["text"]
    assert [c.method for c in fake.faulted] == ["getUpdates"]
    warned = [r for r in caplog.records if "fetching updates failed" in r.getMessage()]
    assert warned and warned[0].levelno == logging.WARNING and not warned[0].exc_info


async def test_blocked_by_user_is_info_and_serving_goes_on(telegram, fake, caplog):
    caplog.set_level(logging.INFO, logger="bot")
    fake.fail("sendMessage", 403)
    fake.push_text("When did Albania join NATO?")
    fake.push_text("where do the MEK live?", user=fake.user(2002, "Ben"))
    (reply,) = await sent_after(fake, 1)
    assert "Durrës" in reply["text"]
    blocked = [r for r in caplog.records if "blocked" in r.getMessage()]
    assert blocked and all(r.levelno == logging.INFO for r in blocked)
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR]


async def test_rate_limit_notice_once_then_silence(base, fake):
    adapter = await started(Core(base, questions_per_minute=2), fake)
    try:
        for _ in range(4):
            fake.push_text("When did Albania join NATO?")
        fake.push_text("where do the MEK live?", user=fake.user(2002, "Ben"))
        replies = await sent_after(fake, 4)
        fake.push_text("where do the MEK live?", user=fake.user(2002, "Ben"))
        await sent_after(fake, 5)
    finally:
        await adapter.stop()
    texts = [c.params["text"] for c in fake.calls_of("sendMessage")]
    assert sum("at most 2 questions a minute" in t for t in texts) == 1
    assert sum("2009" in t for t in texts) == 2
    assert sum("Durrës" in t for t in texts) == 2, "another user is still answered"
    assert replies


async def test_webhook_checks_the_secret(core, fake):
    port = free_port()
    hook = Webhook("https://bot.example.test/tg-hook", "right-secret", "127.0.0.1", port)
    adapter = await started(core, fake, webhook=hook)
    local = f"http://127.0.0.1:{port}/tg-hook"
    try:
        assert fake.webhook == {"url": hook.url, "secret_token": "right-secret"}
        update = {"update_id": 1, "message": fake.message("When did Albania join NATO?")}
        assert await fake.deliver(local, dict(update, update_id=2), "wrong-secret") == 403
        assert await fake.deliver(local, dict(update, update_id=3), None) == 403
        assert await fake.deliver(local, update, "right-secret") == 200
        (reply,) = await sent_after(fake, 1)
    finally:
        await adapter.stop()
    assert "2009" in reply["text"]
    assert len(fake.calls_of("sendMessage")) == 1
    assert not fake.calls_of("getUpdates"), "webhook mode never polls"


async def test_webhook_answers_200_only_once_answered_and_a_retry_is_not_answered_again(
    core, fake, tmp_path
):
    port = free_port()
    hook = Webhook("https://bot.example.test/tg-hook", "s3cret", "127.0.0.1", port)
    local = f"http://127.0.0.1:{port}/tg-hook"
    update = {"update_id": 7, "message": fake.message("When did Albania join NATO?")}
    adapter = await started(core, fake, webhook=hook, ledger=Ledger(tmp_path / "db", "telegram"))
    try:
        fake.slow("sendMessage", 0.5)
        both = await asyncio.gather(  # Telegram retried while the first was being answered
            fake.deliver(local, update, "s3cret"), fake.deliver(local, update, "s3cret")
        )
        assert both == [200, 200] and len(fake.sent) == 1  # 200 came after the answer
    finally:
        await adapter.stop()
    again = await started(core, fake, webhook=hook, ledger=Ledger(tmp_path / "db", "telegram"))
    try:  # after a restart the ledger still knows it
        assert await fake.deliver(local, update, "s3cret") == 200
    finally:
        await again.stop()
    assert len(fake.calls_of("sendMessage")) == 1


async def test_rejected_token_is_a_config_error_without_the_token(core):
    async with FakeTelegram(token="42:AnotherTokenEntirely_abcdefgh") as fake:
        adapter = TelegramAdapter(core, token=TOKEN, api_url=fake.api_url)
        with pytest.raises(ConfigError, match="TELEGRAM_TOKEN was rejected") as caught:
            await adapter.start()
    assert TOKEN not in str(caught.value) and caught.value.__cause__ is None


async def test_serve_stops_cleanly_on_request(core, fake):
    adapter = TelegramAdapter(core, token=TOKEN, api_url=fake.api_url, poll_timeout=5)
    stop = asyncio.Event()
    serving = asyncio.create_task(serve([adapter], stop))
    fake.push_text("When did Albania join NATO?")
    await sent_after(fake, 1)
    stop.set()
    await asyncio.wait_for(serving, 5)
    assert not adapter.application.running
    last_poll = fake.calls_of("getUpdates")[-1]
    assert int(last_poll.params["offset"]) == 2, "the answered update is confirmed on stop"


def test_question_text_strips_the_mention_in_groups(fake):
    from telegram import Message

    group = fake.group_chat()
    payload = fake.message(f"@{BOT_NAME}   where do the MEK live?", chat=group)
    message = Message.de_json(payload, None)
    assert question_text(message, BOT_NAME, BOT["id"]) == "where do the MEK live?"
    payload = fake.message("where do the MEK live?", chat=group)
    assert question_text(Message.de_json(payload, None), BOT_NAME, BOT["id"]) is None


# Faults: every question answered exactly once, none lost, none sent twice.

FAULTS = {
    "429": lambda fake, method: fake.fail(method, 429, times=2, retry_after=1),
    "502": lambda fake, method: fake.fail(method, 502, times=3),
    "slow": lambda fake, method: fake.slow(method, 1.5, times=3),
    "dropped": lambda fake, method: fake.drop(method, times=3),
    "dropped after": lambda fake, method: fake.drop(method, times=2, after=True),
}
FAULT_CASES = [
    (method, fault)
    for method in ("getUpdates", "sendMessage")
    for fault in FAULTS
    # a send dropped after Telegram acted: see test_only_sends_that_cannot_have_acted_are_resent
    if not (method == "sendMessage" and fault == "dropped after")
]


async def ask_many(fake: FakeTelegram, first_user: int, count: int) -> list[int]:
    """`count` questions, each from its own private chat; the chat ids."""
    chats = []
    for i in range(count):
        user = fake.user(first_user + i, f"user{i}")
        fake.push_text(messages.QUESTIONS[i % len(messages.QUESTIONS)], user=user)
        chats.append(user["id"])
    return chats


def answers_per_chat(fake: FakeTelegram) -> dict[int, int]:
    counts: dict[int, int] = {}
    for message in fake.sent:
        counts[message["chat"]["id"]] = counts.get(message["chat"]["id"], 0) + 1
    return counts


@pytest.mark.parametrize(("method", "fault"), FAULT_CASES)
async def test_every_question_answered_once_through_faults(core, fake, method, fault):
    adapter = await started(core, fake)
    try:
        chats = await ask_many(fake, 3000, 10)
        await sent_after(fake, 3)
        FAULTS[fault](fake, method)  # faults strike in the middle of the traffic
        chats += await ask_many(fake, 4000, 10)
        await fake.wait_until(lambda: len(fake.faulted) >= 2, timeout=20)
        chats += await ask_many(fake, 5000, 10)
        await fake.wait_until(lambda: len(fake.sent) >= len(chats), timeout=30)
    finally:
        await adapter.stop()  # lets every handler and retry in flight finish
    assert answers_per_chat(fake) == dict.fromkeys(chats, 1)
    assert {c.method for c in fake.faulted} == {method}


def test_only_sends_that_cannot_have_acted_are_resent():
    """A send dropped *after* Telegram acted looks like one dropped before (a connection
    closed with no answer), so it is resent and would arrive twice: resending is chosen over
    losing the answer. A read timeout, where Telegram may well have acted, is not resent.
    """
    from telegram.error import BadRequest, NetworkError, TimedOut

    from bot.adapters.telegram_adapter import _unsent

    assert _unsent(NetworkError("httpx.RemoteProtocolError: Server disconnected"))
    assert not _unsent(TimedOut())
    assert not _unsent(BadRequest("chat not found"))


# Abuse: whatever people send, one well-formed reply or silence; never an error in chat.

NASTY = {**messages.NASTY, "mentions": "@everyone @here @ArticleFactBot_fake What about Putin?"}


@pytest.mark.parametrize("name", NASTY)
async def test_nasty_messages_get_one_well_formed_reply(telegram, fake, caplog, name):
    fake.push_text(NASTY[name])
    fake.push_text("where do the MEK live?", user=fake.user(2002, "Ben"))  # still served
    replies = await sent_after(fake, 2)
    await telegram.stop()
    assert len(fake.sent) == 2
    if name == "zero-width":  # invisible characters do not hide the question
        assert any("2009" in r["text"] for r in replies)
    for reply in replies:
        visible = parse_html(reply["text"])  # the fake accepted it: it parses and fits
        assert "Sorry, something went wrong" not in visible
        assert "<script>" not in reply["text"]
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR]


async def test_a_flood_from_one_user_does_not_hold_up_others(base, fake):
    adapter = await started(Core(base, questions_per_minute=5), fake)
    flooder = fake.user(6001, "Flood")
    try:
        for i in range(200):
            fake.push_text(f"When did Albania join NATO? {i}", user=flooder)
            if i % 50 == 25:
                fake.push_text("where do the MEK live?", user=fake.user(6100 + i, "Calm"))
        await fake.wait_until(lambda: len(fake.sent) >= 5 + 1 + 4)
    finally:
        await adapter.stop()
    per_chat = answers_per_chat(fake)
    assert per_chat.pop(flooder["id"]) == 6  # five answers, then one notice, then silence
    assert per_chat == {6100 + i: 1 for i in range(200) if i % 50 == 25}


async def test_state_follows_polling(core, fake):
    adapter = TelegramAdapter(core, token=TOKEN, api_url=fake.api_url, poll_timeout=1)
    assert adapter.state == "starting"
    await adapter.start()
    assert adapter.state == "up"
    fake.fail("getUpdates", 502, times=2)
    await fake.wait_until(lambda: adapter.state == "down")  # within the first failed poll
    await fake.wait_until(lambda: len(fake.faulted) == 2 and fake.polling, timeout=15)
    fake.push_text("When did Albania join NATO?")  # proves polling works again
    await sent_after(fake, 1)
    assert adapter.state == "up"
    await adapter.stop()
    assert adapter.state == "stopped"


async def test_reload_command_for_an_admin_only(base, fake, facts_copy):
    admin = fake.user(4242, "Admin")
    core = Core(base, facts_path=facts_copy, admins=frozenset({("telegram", "4242")}))
    adapter = await started(core, fake)
    try:
        fake.push_text("/reload")  # from the default user, not an admin
        (refused,) = await sent_after(fake, 1)
        fake.push_text("/reload", user=admin)
        reloaded = (await sent_after(fake, 2))[1]
    finally:
        await adapter.stop()
    assert "Only the bot's admins" in refused["text"]
    assert reloaded["text"].startswith("Reloaded facts.yaml: 47 facts")
    assert "reload" not in [c["command"] for c in fake.commands], "not on the menu"


async def test_follow_ups_in_a_group_are_per_person(telegram, fake):
    group = fake.group_chat()
    ana, ben = fake.user(1001, "Ana"), fake.user(1002, "Ben")
    fake.push_text(f"@{BOT_NAME} who is michael barbero", chat=group, user=ana)
    await sent_after(fake, 1)
    fake.push_text(f"@{BOT_NAME} who is edi rama", chat=group, user=ben)
    await sent_after(fake, 2)
    asked = {
        fake.push_text(f"@{BOT_NAME} what did he say", chat=group, user=user)["message"][
            "message_id"
        ]: user
        for user in (ana, ben)
    }
    replies = {r["reply_parameters"]["message_id"]: r for r in (await sent_after(fake, 4))[2:]}
    by_name = {asked[m]["first_name"]: r["text"] for m, r in replies.items()}
    assert "must be vigilant" in by_name["Ana"]
    assert "unshakable alliance" in by_name["Ben"]


async def test_one_user_flooding_a_group_cannot_use_up_its_minute(base, fake):
    """Telegram sends a group at most 20 messages a minute: with the defaults (20 a minute
    per user, 5 of them in one group) the others in the group are answered within seconds."""
    adapter = await started(Core(base, questions_per_minute=20, group_share=5), fake)
    group, flooder = fake.group_chat(), fake.user(6001, "Flood")
    others = [fake.user(6100 + i, f"Calm{i}") for i in range(3)]
    try:
        for i in range(60):
            fake.push_text(f"@{BOT_NAME} When did Albania join NATO? {i}", chat=group, user=flooder)
        for user in others:
            fake.push_text(f"@{BOT_NAME} where do the MEK live?", chat=group, user=user)
        await fake.wait_until(lambda: sum("Durrës" in s["text"] for s in fake.sent) == 3, 10)
    finally:
        await adapter.stop()
    from_flood = [s for s in fake.sent if "Durrës" not in s["text"]]
    assert len(from_flood) == 6  # five answers and one notice: a quarter of the group's minute
    assert "faster than I can answer here" in from_flood[-1]["text"]


async def test_a_photo_with_a_question_as_its_caption_is_answered(telegram, fake):
    message = fake.message("When did Albania join NATO?")
    message["caption"] = message.pop("text")
    message["caption_entities"] = message.pop("entities", [])
    message["photo"] = [{"file_id": "p1", "file_unique_id": "u1", "width": 90, "height": 90}]
    fake.push("message", message)
    (reply,) = await sent_after(fake, 1)
    assert "2009" in reply["text"]


async def test_one_slow_answer_does_not_hold_up_the_updates_behind_it(core, fake, tmp_path):
    """Taken updates are kept in the ledger, so Telegram may forget them: one answer held up
    (a throttled group, a 429) does not stop the poller from taking the hundreds behind."""
    ledger = Ledger(tmp_path / "bot.sqlite3", "telegram")
    adapter = await started(core, fake, ledger=ledger, max_rate=0)
    try:
        fake.slow("sendMessage", 5)  # the first answer takes five seconds
        for i in range(250):
            fake.push_text(f"When did Albania join NATO? {i}", user=fake.user(7000 + i, "U"))
        await fake.wait_until(lambda: len(fake.sent) >= 249, 4)
    finally:
        await adapter.stop()


async def test_start_registers_the_menu_in_each_language(telegram, fake):
    fake.push_text("/start")
    await sent_after(fake, 1)
    menus = fake.commands_by_language
    assert set(menus) == {"", "de", "sq"}
    assert [c["command"] for c in menus["de"]] == list(MENU)
    german = {c["command"]: c["description"] for c in menus["de"]}
    albanian = {c["command"]: c["description"] for c in menus["sq"]}
    english = {c["command"]: c["description"] for c in menus[""]}
    assert german["topics"] != english["topics"] != albanian["topics"]
    assert "Frage" in german["ask"] and "pyetje" in albanian["ask"].casefold()


@pytest.mark.parametrize(
    ("language", "question", "answer", "label"),
    [("de", "Wann ist Albanien der NATO beigetreten?", "2009", "Quelle (englischer Originaltext)"),
     ("sq", "kur u anetaresua shqiperia ne nato", "2009", "Burimi (origjinali në anglisht)")],
)  # fmt: skip
async def test_a_question_in_german_or_albanian_is_answered_in_it_with_the_english_quote(
    telegram, fake, base, language, question, answer, label
):
    user = fake.user(language=language)
    fake.push_text(question, user=user)
    (reply,) = await sent_after(fake, 1)
    translated = base.fact("nato_2009").translations[language].answer
    assert reply["text"].startswith(translated.split(",")[0]) and answer in reply["text"]
    assert f"<i>{label}:</i>" in reply["text"]
    assert "<blockquote>In 2009 Albania became a member of NATO" in reply["text"]


async def test_the_users_telegram_language_decides_a_message_that_does_not(telegram, fake):
    fake.push_text("rama nato", user=fake.user(language="de-AT"))
    fake.push_text("rama nato", user=fake.user(user_id=1002, language="sq"))
    german, albanian = await sent_after(fake, 2)
    assert german["text"].startswith(lines("de")("clarify"))
    assert albanian["text"].startswith(lines("sq")("clarify"))


async def test_timeline_arrives_as_a_photo_with_a_button_per_event(telegram, fake, base):
    fake.push_text("/timeline")
    (call,) = await fake.wait_for("sendPhoto")
    (photo,) = fake.photos  # the fake refuses anything but a real PNG
    assert photo.startswith(b"\x89PNG") and fake.sent[0]["photo"][0]["width"] <= 1200
    assert base.article.outlet in fake.sent[0]["caption"]
    dated = [f.id for f in base.facts if f.date]
    assert sorted(buttons(call.params)) == sorted(f"fact:{i}" for i in dated)
    first = buttons(call.params)[0]
    fake.push_button(first, fake.sent[0])
    (answer,) = await sent_after(fake, 1)
    assert parse_html(answer["text"]).startswith(base.fact(first.removeprefix("fact:")).answer)


async def test_people_buttons_open_a_card_whose_buttons_answer_that_persons_facts(
    telegram, fake, base
):
    fake.push_text("/people")
    (listing,) = await sent_after(fake, 1)
    cards = {p.facts[0]: p for p in base.people}
    assert buttons(listing) == [f"fact:{p.facts[0]}" for p in base.people]
    assert all(p.role in listing["text"] for p in base.people)
    rama = next(p for p in base.people if p.entity == "rama")
    fake.push_button(f"fact:{rama.facts[0]}", fake.sent[0])
    card = (await sent_after(fake, 2))[1]
    assert parse_html(card["text"]).startswith(base.fact(rama.facts[0]).answer)
    assert buttons(card) == [f"fact:{f}" for f in cards[rama.facts[0]].facts[1:]]
    fake.push_button(buttons(card)[-1], fake.sent[1])
    fact = (await sent_after(fake, 3))[2]
    assert parse_html(fact["text"]).startswith(base.fact(rama.facts[-1]).answer)


async def test_inline_mode_offers_the_card_of_a_person_being_typed(telegram, fake, base):
    fake.push_inline("who is saff")
    (call,) = await fake.wait_for("answerInlineQuery")
    card = call.params["results"][0]
    saffari = next(p for p in base.people if p.entity == "saffari")
    assert card["title"] == saffari.name and saffari.role in card["description"]
    pressed = [
        b["switch_inline_query_current_chat"]
        for row in card["reply_markup"]["inline_keyboard"]
        for b in row
    ]
    assert pressed == [base.fact(f).label for f in saffari.facts]


async def test_a_refused_timeline_photo_still_sends_the_events_as_buttons(telegram, fake, caplog):
    fake.fail("sendPhoto", 400)
    fake.push_text("/timeline")
    (reply,) = await sent_after(fake, 1)
    assert "dated as it dates them" in reply["text"] and len(buttons(reply)) == 9
    assert "the picture was refused" in caplog.text


async def test_two_webhook_workers_sharing_redis_answer_an_update_delivered_to_both_once(
    base, fake, redis_server
):
    from bot.delivery import Claims
    from bot.shared import Shared

    shared = Shared(redis_server.url)
    ports = [free_port(), free_port()]
    workers = []
    for port in ports:
        hook = Webhook("https://bot.example.test/tg-hook", "s3cret", "127.0.0.1", port)
        core = Core(base, shared=shared)
        workers.append(await started(core, fake, webhook=hook, claims=Claims(shared, "telegram")))
    update = {"update_id": 70, "message": fake.message("When did Albania join NATO?")}
    try:
        fake.slow("sendMessage", 0.5)
        statuses = await asyncio.gather(
            *(fake.deliver(f"http://127.0.0.1:{p}/tg-hook", update, "s3cret") for p in ports)
        )
        assert sorted(statuses) == [200, 503], "the second worker asks Telegram to retry"
        retried = ports[statuses.index(503)]
        assert await fake.deliver(f"http://127.0.0.1:{retried}/tg-hook", update, "s3cret") == 200
    finally:
        for worker in workers:
            await worker.stop()
        await shared.close()
    assert len(fake.calls_of("sendMessage")) == 1


async def test_sends_on_the_wire_at_once_are_held_to_the_pooled_connections(monkeypatch):
    monkeypatch.setattr(telegram_adapter, "POOL_TIMEOUT", 0.2)
    monkeypatch.setattr(telegram_adapter, "RETRY_PAUSE", 0.01)
    limiter = telegram_adapter._Resending(overall_max_rate=0, max_retries=0)
    await limiter.initialize()
    on_the_wire, most, release = 0, 0, asyncio.Event()

    async def request(*args: object) -> dict:
        nonlocal on_the_wire, most
        on_the_wire += 1
        most = max(most, on_the_wire)
        await release.wait()
        on_the_wire -= 1
        return {"ok": True}

    def send(chat: int) -> asyncio.Task:
        data = {"chat_id": chat, "text": "hi"}
        return asyncio.create_task(
            limiter.process_request(request, (), {}, "sendMessage", data, None)
        )

    sends = [send(chat) for chat in range(1, telegram_adapter.CONNECTIONS + 1)]
    with pytest.raises(TimedOut):  # none came free in time: the same error as httpx's pool
        await asyncio.wait_for(send(999), 5)
    assert most == telegram_adapter.CONNECTIONS
    release.set()
    assert all(r == {"ok": True} for r in await asyncio.gather(*sends))
