"""The Discord adapter end to end: the real commands.Bot against the fake Discord on loopback."""

import asyncio
import logging
from collections import Counter
from collections.abc import AsyncIterator

import discord
import pytest
import yarl

from bot.adapters import AdapterError
from bot.adapters.discord_adapter import PORTAL_SWITCH, DiscordAdapter
from bot.app import serve
from bot.core import Core
from bot.locales import lines
from bot.settings import ConfigError
from tests import messages
from tests.fakes.discord_api import APP_ID, GUILD_ID, TOKEN, FakeDiscord

EPHEMERAL = 64


@pytest.fixture
async def fake(monkeypatch: pytest.MonkeyPatch) -> AsyncIterator[FakeDiscord]:
    async with FakeDiscord() as fake:
        monkeypatch.setattr(discord.http.Route, "BASE", fake.api_base)
        monkeypatch.setattr(
            discord.gateway.DiscordWebSocket, "DEFAULT_GATEWAY", yarl.URL(fake.gateway_url)
        )
        yield fake


async def started(core: Core, **options: object) -> DiscordAdapter:
    adapter = DiscordAdapter(core, token=TOKEN, guild_ready_timeout=0.05, **options)
    await adapter.start()
    return adapter


@pytest.fixture
async def bot(core: Core, fake: FakeDiscord) -> AsyncIterator[DiscordAdapter]:
    adapter = await started(core)
    yield adapter
    await adapter.stop()


def mention(fake: FakeDiscord) -> str:
    return f"<@{fake.bot_user['id']}>"


def texts(body: dict) -> str:
    """Everything a user reads in a sent message: content and embed text."""
    parts = [body.get("content") or ""]
    for embed in body.get("embeds") or []:
        parts += [embed.get("title") or "", embed.get("description") or ""]
        parts += [f["value"] for f in embed.get("fields") or []]
    return "\n".join(parts)


def buttons(body: dict) -> list[str]:
    return [c["custom_id"] for row in body.get("components") or [] for c in row["components"]]


async def only_reply_to(fake: FakeDiscord, ignored: list[dict], addressed: dict) -> dict:
    """Push `ignored` then `addressed` messages; the one reply, once a later one proves no other."""
    for options in ignored:
        await fake.push_message(**options)
    await fake.push_message(**addressed)
    (reply,) = await fake.wait_sent(1)
    await fake.push_message("who is Jens Stoltenberg?", dm=True)
    await fake.wait_sent(2)
    assert len(fake.sent) == 2, "an ignored message got a reply"
    return reply


async def test_startup_calls_canary(bot, fake):
    """discord.py's start-up, as this fake serves it: a library change should fail here."""
    assert [(c.method, c.path) for c in fake.calls] == [
        ("GET", "/users/@me"),
        ("GET", "/oauth2/applications/@me"),
    ]
    (identify,) = fake.identified
    intents = discord.Intents(identify["intents"])
    assert intents.guilds and intents.guild_messages and intents.dm_messages
    assert not intents.message_content and not intents.members and not intents.presences
    assert bot.bot.application_id == APP_ID and [g.id for g in bot.bot.guilds] == [GUILD_ID]


async def test_server_mention_answered_as_a_quiet_reply(bot, fake):
    asked = await fake.push_message(
        f"{mention(fake)} When did Albania join NATO?", mentions=[fake.bot_user]
    )
    (reply,) = await fake.wait_sent(1)
    (embed,) = reply["embeds"]
    assert embed["title"] == "When did Albania join NATO?"
    assert embed["description"].startswith("Albania became a member of NATO in 2009")
    assert embed["fields"][0]["name"] == "Source" and "In 2009" in embed["fields"][0]["value"]
    assert embed["footer"]["text"] == "Deutsche Welle (DW)"
    assert reply["message_reference"]["message_id"] == int(asked["id"])
    assert reply["allowed_mentions"] == {"parse": [], "replied_user": False}
    assert buttons(reply) and all(b.startswith("fact:") for b in buttons(reply))


async def test_unaddressed_server_messages_are_ignored(bot, fake):
    reply = await only_reply_to(
        fake,
        [{"content": "When did Albania join NATO?"}, {"content": "what do they think of Russia"}],
        {"content": f"{mention(fake)} where do the MEK live?", "mentions": [fake.bot_user]},
    )
    assert "Durrës" in texts(reply)


async def test_reply_to_the_bot_is_a_question(bot, fake):
    answer = fake.message("an earlier answer", author=fake.bot_user)
    await fake.push_message("and where do the MEK live?", reply_to=answer)
    (reply,) = await fake.wait_sent(1)
    assert "Durrës" in texts(reply)


async def test_dm_question_answered(bot, fake):
    await fake.push_message("What do Albanians think of Russia?", dm=True)
    (reply,) = await fake.wait_sent(1)
    assert "never mentions Russia" in texts(reply)


async def test_own_and_other_bots_messages_ignored(bot, fake):
    other_bot = dict(fake.user(1600000000000000001, "otherbot"), bot=True)
    reply = await only_reply_to(
        fake,
        [
            {
                "content": f"{mention(fake)} echo",
                "author": fake.bot_user,
                "mentions": [fake.bot_user],
            },
            {"content": f"{mention(fake)} hi", "author": other_bot, "mentions": [fake.bot_user]},
        ],
        {"content": "When did Albania join NATO?", "dm": True},
    )
    assert "2009" in texts(reply)


async def test_everyone_and_role_mentions_never_ping(bot, fake):
    await fake.push_message(
        f"{mention(fake)} @everyone <@&{GUILD_ID}> @here when did Albania join NATO?",
        mentions=[fake.bot_user],
    )
    (reply,) = await fake.wait_sent(1)
    assert reply["allowed_mentions"]["parse"] == []
    assert not reply.get("content")


@pytest.mark.parametrize("dm", [False, True])
async def test_ask_slash_command(bot, fake, dm):
    await fake.push_command("ask", {"question": "When did Albania join NATO?"}, dm=dm)
    (call,) = await fake.wait_until_calls("POST", "/interactions/", 1)
    assert call.query == {"with_response": "1"} and call.body["type"] == 4
    assert "2009" in texts(call.body["data"])
    assert call.body["data"]["allowed_mentions"] == {"parse": []}


async def test_help_is_ephemeral(bot, fake):
    await fake.push_command("help")
    (call,) = await fake.wait_until_calls("POST", "/interactions/", 1)
    assert call.body["data"]["flags"] & EPHEMERAL
    assert "I answer questions about one news article" in texts(call.body["data"])


async def test_topics_source_about(bot, fake):
    for name in ("topics", "about", "source"):
        await fake.push_command(name)
    calls = await fake.wait_until_calls("POST", "/interactions/", 3)
    bodies = [texts(c.body["data"]) for c in calls]
    assert any("What I can answer, by topic" in b for b in bodies)
    assert any("Ask me a question first" in b for b in bodies)


async def test_autocomplete_offers_matching_questions(bot, fake):
    await fake.push_autocomplete("ask", "question", "when did albania join")
    (call,) = await fake.wait_until_calls("POST", "/interactions/", 1)
    choices = call.body["data"]["choices"]
    assert call.body["type"] == 8 and 1 <= len(choices) <= 25
    assert choices[0] == {
        "name": "When did Albania join NATO?",
        "value": "When did Albania join NATO?",
    }


async def test_button_press_answers_that_fact_even_after_a_restart(bot, fake):
    await fake.push_button("fact:nato_2009")  # a message sent before this bot started
    (call,) = await fake.wait_until_calls("POST", "/interactions/", 1)
    assert call.body["type"] == 4 and "2009" in texts(call.body["data"])


async def test_slow_answer_defers_then_follows_up(core, fake):
    adapter = await started(core, defer_after=0)
    try:
        await fake.push_command("ask", {"question": "When did Albania join NATO?"})
        (reply,) = await fake.wait_sent(1)
    finally:
        await adapter.stop()
    (callback,) = fake.calls_to("POST", "/interactions/")
    assert callback.body["type"] == 5, "deferred (thinking)"
    assert fake.calls_to("POST", "/webhooks/") and "2009" in texts(reply)


async def test_rate_limited_then_success(bot, fake):
    fake.fail("POST /channels/{id}/messages", 429, retry_after=0.2)
    await fake.push_message(
        f"{mention(fake)} When did Albania join NATO?", mentions=[fake.bot_user]
    )
    (reply,) = await fake.wait_sent(1)
    assert "2009" in texts(reply)
    (faulted,) = fake.faulted
    assert faulted.method == "POST" and faulted.path.endswith("/messages")


async def test_command_error_answers_politely_and_serving_goes_on(bot, fake, caplog):
    fake.fail("POST /interactions/{id}/{id}/callback", 404)  # as when answering too late
    await fake.push_command("ask", {"question": "When did Albania join NATO?"})
    (apology,) = await fake.wait_until_calls("POST", "/interactions/", 1)
    assert apology.body["data"]["content"].startswith("Sorry, something went wrong")
    assert apology.body["data"]["flags"] & EPHEMERAL
    await fake.push_command("ask", {"question": "where do the MEK live?"})
    calls = await fake.wait_until_calls("POST", "/interactions/", 2)
    assert "Durrës" in texts(calls[1].body["data"])
    assert any(
        r.name == "bot.adapters.discord_adapter" and r.levelno == logging.ERROR
        for r in caplog.records
    )


async def test_message_content_refused_names_the_portal_switch(core, fake):
    fake.refuse_message_content = True
    with pytest.raises(ConfigError) as caught:
        await started(core, message_content=True)
    assert str(caught.value) == PORTAL_SWITCH


async def test_rejected_token_is_a_config_error_without_the_token(core, fake):
    fake.token = "OTHER" + TOKEN[5:]
    with pytest.raises(ConfigError, match="DISCORD_TOKEN was rejected") as caught:
        await started(core)
    assert TOKEN not in str(caught.value)


async def test_gateway_that_never_gets_ready_is_an_error_not_a_hang(core, fake):
    fake.mute = True
    with pytest.raises(AdapterError, match=r"not ready within 0\.5 seconds"):
        await started(core, start_timeout=0.5)


async def test_sharded_bot_asks_for_the_gateway_and_answers(core, fake):
    adapter = await started(core, sharded=True)
    try:
        await fake.push_message("When did Albania join NATO?", dm=True)
        (reply,) = await fake.wait_sent(1)
    finally:
        await adapter.stop()
    assert ("GET", "/gateway/bot") in [(c.method, c.path) for c in fake.calls]
    assert "2009" in texts(reply)


async def test_sync_registers_the_commands_for_servers_and_dms(core, fake):
    count = await DiscordAdapter(core, token=TOKEN).sync_commands()
    commands = fake.commands["global"]
    assert count == len(commands) == 8
    names = {"ask", "timeline", "people", "topics", "source", "about", "help", "reload"}
    assert {c["name"] for c in commands} == names
    reload = next(c for c in commands if c["name"] == "reload")
    assert int(reload["default_member_permissions"]) == discord.Permissions.administrator.flag
    assert all(c["contexts"] == [0, 1, 2] and c["integration_types"] == [0, 1] for c in commands)
    ask = next(c for c in commands if c["name"] == "ask")
    assert ask["options"][0]["name"] == "question" and ask["options"][0]["autocomplete"]
    assert not fake.identified, "syncing never opens the gateway"


async def test_sync_to_one_server(core, fake):
    await DiscordAdapter(core, token=TOKEN).sync_commands(GUILD_ID)
    assert len(fake.commands[str(GUILD_ID)]) == 8 and "global" not in fake.commands


async def test_serve_stops_cleanly(core, fake):
    adapter = DiscordAdapter(core, token=TOKEN, guild_ready_timeout=0.05)
    stop = asyncio.Event()
    serving = asyncio.create_task(serve([adapter], stop))
    await fake.wait_connected()
    await fake.push_message("When did Albania join NATO?", dm=True)
    await fake.wait_sent(1)
    stop.set()
    await asyncio.wait_for(serving, 5)
    assert adapter.bot.is_closed()


async def test_rate_limit_on_slash_commands_tells_only_that_user(base, fake):
    adapter = await started(Core(base, questions_per_minute=1))
    try:
        for _ in range(3):
            await fake.push_command("ask", {"question": "When did Albania join NATO?"})
        calls = await fake.wait_until_calls("POST", "/interactions/", 3)
    finally:
        await adapter.stop()
    bodies = [c.body["data"] for c in calls]
    assert sum("2009" in texts(b) for b in bodies) == 1
    assert sum("at most 1 question a minute" in texts(b) for b in bodies) == 1
    assert sum(b.get("flags", 0) & EPHEMERAL and "wait a minute" in texts(b) for b in bodies) == 1


# Faults: every question answered exactly once, none lost, none sent twice.


async def ask_many(fake: FakeDiscord, first_user: int, count: int) -> list[str]:
    """`count` questions from as many users, DMs and /ask in turn; the key of each answer."""
    keys = []
    for i in range(count):
        user = fake.user(first_user + i, f"user{i}")
        question = messages.QUESTIONS[i % len(messages.QUESTIONS)]
        if i % 2:
            await fake.push_message(question, author=user, dm=True)
            keys.append(fake.dm_channel(user)["id"])
        else:
            interaction = await fake.push_command("ask", {"question": question}, user=user)
            keys.append(interaction["token"])
    return keys


def answers(fake: FakeDiscord) -> Counter[str]:
    """How many answers went to each DM channel or interaction."""
    return Counter({key: len(calls) for key, calls in fake.answers().items()})


async def all_answered(fake: FakeDiscord, keys: list[str], timeout: float = 30) -> None:
    await fake.wait_until(lambda: set(keys) <= set(answers(fake)), timeout)


async def test_a_dropped_gateway_resumes_and_misses_nothing(bot, fake):
    keys = await ask_many(fake, 1600000000000000000, 6)
    await all_answered(fake, keys)
    await fake.disconnect()
    keys += await ask_many(fake, 1610000000000000000, 6)  # meanwhile: RESUME replays them
    await fake.wait_until(lambda: fake.resumed == 1)
    keys += await ask_many(fake, 1620000000000000000, 6)
    await all_answered(fake, keys)
    await bot.stop()
    assert answers(fake) == dict.fromkeys(keys, 1)
    assert len(fake.identified) == 1, "resumed, not identified again"


async def test_an_invalid_session_identifies_again_and_serving_goes_on(bot, fake):
    keys = await ask_many(fake, 1630000000000000000, 6)
    await all_answered(fake, keys)
    fake.refuse_resume = True
    await fake.disconnect()
    await fake.wait_until(lambda: len(fake.identified) == 2)
    keys += await ask_many(fake, 1640000000000000000, 6)
    await all_answered(fake, keys)
    await bot.stop()
    assert answers(fake) == dict.fromkeys(keys, 1)
    assert fake.resumed == 0


async def test_rest_server_errors_are_retried_and_answered_once(bot, fake):
    fake.fail("POST /channels/{id}/messages", 502)
    fake.fail("POST /interactions/{id}/{id}/callback", 500)
    keys = await ask_many(fake, 1650000000000000000, 6)
    await all_answered(fake, keys)
    await bot.stop()
    assert answers(fake) == dict.fromkeys(keys, 1)
    assert len(fake.faulted) == 2


async def test_state_follows_the_gateway(bot, fake):
    assert bot.state == "up"
    fake.mute = True  # the bot cannot get back in
    await fake.disconnect()
    await fake.wait_until(lambda: fake.attempts == 2, timeout=5)  # its RESUME, unanswered
    assert bot.state == "down"
    fake.mute = False
    await fake.disconnect()  # drop the stuck connection: the next RESUME is answered
    await fake.wait_until(lambda: fake.resumed == 1, timeout=5)
    for _ in range(100):
        if bot.state == "up":
            break
        await asyncio.sleep(0.02)
    assert bot.state == "up"
    await bot.stop()
    assert bot.state == "stopped"


# Abuse: whatever people send, one reply within Discord's limits, pinging nobody.

NASTY = {
    **messages.NASTY,
    "mentions": f"@everyone @here <@&{GUILD_ID}> <@1500000000000000009> What does Putin think?",
}


@pytest.mark.parametrize("name", NASTY)
async def test_nasty_messages_get_one_reply_within_limits(bot, fake, caplog, name):
    author = fake.user(1700000000000000001, "nasty")
    await fake.push_message(
        f"{mention(fake)} {NASTY[name]}", author=author, mentions=[fake.bot_user]
    )
    await fake.push_message("where do the MEK live?", dm=True)  # still served
    replies = await fake.wait_sent(2)
    await bot.stop()
    assert len(fake.sent) == 2  # the fake refused nothing over a limit: those would be retried
    for reply in replies:
        assert reply["allowed_mentions"]["parse"] == []
        assert "Sorry, something went wrong" not in texts(reply)
        assert "@everyone" not in (reply.get("content") or "")
    nasty_reply = next(r for r in replies if "Durrës" not in texts(r))
    if name == "markdown":  # nothing the user typed formats the reply
        assert "**" not in texts(nasty_reply) and "](http" not in texts(nasty_reply)
    if name == "zero-width":
        assert "2009" in texts(nasty_reply)
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR]


async def test_a_flood_from_one_user_does_not_hold_up_others(base, fake):
    adapter = await started(Core(base, questions_per_minute=5))
    flooder = fake.user(1710000000000000001, "flood")
    calm = [fake.user(1720000000000000000 + i, f"calm{i}") for i in range(4)]
    try:
        for i in range(200):
            await fake.push_message(f"When did Albania join NATO? {i}", author=flooder, dm=True)
            if i % 50 == 25:
                await fake.push_message("where do the MEK live?", author=calm[i // 50], dm=True)
        await fake.wait_until(lambda: len(answers(fake)) == 5 and sum(answers(fake).values()) == 9)
    finally:
        await adapter.stop()
    counts = answers(fake)
    assert counts.pop(fake.dm_channel(flooder)["id"]) == 6  # five answers, one notice, silence
    assert counts == {fake.dm_channel(user)["id"]: 1 for user in calm}


async def test_reload_slash_command_is_private_and_for_admins(base, fake, facts_copy):
    admin = fake.user(1730000000000000001, "admin")
    admins = frozenset({("discord", admin["id"])})
    adapter = await started(Core(base, facts_path=facts_copy, admins=admins))
    try:
        await fake.push_command("reload")
        await fake.push_command("reload", user=admin)
        first, second = await fake.wait_until_calls("POST", "/interactions/", 2)
    finally:
        await adapter.stop()
    texts_by_user = sorted(texts(c.body["data"]) for c in (first, second))
    assert any("Only the bot's admins" in t for t in texts_by_user)
    assert any("Reloaded facts.yaml: 47 facts" in t for t in texts_by_user)
    assert all(c.body["data"]["flags"] & 64 for c in (first, second)), "ephemeral"


async def test_follow_ups_in_a_dm_lean_on_the_question_before(bot, fake):
    await fake.push_message("who is michael barbero", dm=True)
    await fake.wait_sent(1)
    await fake.push_message("what did he say", dm=True)
    _, follow_up = await fake.wait_sent(2)
    assert "must be vigilant" in texts(follow_up)


async def test_follow_ups_on_a_server_are_per_person(bot, fake):
    ana, ben = fake.user(1500000000000000001, "ana"), fake.user(1500000000000000002, "ben")
    for author, text in ((ana, "who is michael barbero"), (ben, "who is edi rama")):
        await fake.push_message(f"{mention(fake)} {text}", mentions=[fake.bot_user], author=author)
    await fake.wait_sent(2)
    asked = {}
    for author in (ana, ben):
        message = await fake.push_message(
            f"{mention(fake)} what did he say", mentions=[fake.bot_user], author=author
        )
        asked[int(message["id"])] = author["username"]
    replies = (await fake.wait_sent(4))[2:]
    by_name = {asked[r["message_reference"]["message_id"]]: texts(r) for r in replies}
    assert "must be vigilant" in by_name["ana"]
    assert "unshakable alliance" in by_name["ben"]


async def test_a_reply_without_a_ping_is_told_how_to_ask(bot, fake):
    answer = fake.message("an earlier answer", author=fake.bot_user)
    await fake.push_message("and where do the MEK live?", reply_to=answer, ping=False)
    (reply,) = await fake.wait_sent(1)
    assert "can't read replies that don't mention me" in texts(reply) and "/ask" in texts(reply)


async def test_an_interaction_past_its_window_costs_no_request(bot, fake, caplog):
    await fake.push_command("ask", {"question": "Who is Edi Rama?"}, age=2.8)  # reached us late
    await fake.push_command("ask", {"question": "When did Albania join NATO?"})
    (call,) = await fake.wait_until_calls("POST", "/interactions/", 1)
    await asyncio.sleep(0.3)  # room for a late request, which must not come
    assert len(fake.calls_to("POST", "/interactions/")) == 1 and "2009" in texts(call.body["data"])
    assert fake.expired_calls == 0 and not fake.calls_to("POST", "/webhooks/")
    assert "dropping interactions" in caplog.text


async def test_overload_sheds_expired_interactions_and_answers_the_rest_in_time(core, fake, caplog):
    adapter = await started(core)
    try:
        for i in range(1500):  # enough at once to put this loop past the 3-second window
            await fake.push_command("ask", {"question": f"When did Albania join NATO? {i}"})
        await fake.wait_until(lambda: len(fake.dispatched) == 1500)
        await asyncio.sleep(4)  # every interaction is now answered or past its window
    finally:
        await adapter.stop()
    answered = fake.calls_to("POST", "/interactions/")
    assert answered and fake.expired_calls == 0  # no request on an expired interaction
    assert all(c.at - fake.dispatched[c.path.split("/")[2]] < 3 for c in answered)
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR]


async def test_a_stale_command_or_a_foreign_button_gets_a_pointer_not_silence(bot, fake):
    await fake.push_command("weather")  # a command this bot no longer has
    await fake.push_button("someone-elses-button")
    await fake.push_button("fact:not a fact id!")  # our prefix, but no id we make
    await fake.push_button("fact:nato_2009\n")  # a fact id and then a newline
    sent = await fake.wait_sent(4)
    for body in sent:
        assert "out of date" in texts(body) and body["flags"] & 64  # only the user sees it


async def test_a_fact_button_gets_its_answer_and_no_stale_note(bot, fake, caplog):
    caplog.set_level(logging.INFO)
    await fake.push_button("fact:nato_2009")
    await fake.push_button("someone-elses-button")
    answer, note = await fake.wait_sent(2)
    await asyncio.sleep(0.3)  # a second reply to the first press would be tried by now
    assert "2009" in texts(answer) and "out of date" in texts(note) and len(fake.sent) == 2
    # the fake refuses a second response to one interaction; the bot would log that
    assert not [r for r in caplog.records if "could not answer" in r.getMessage()]


async def test_authentication_failure_while_serving_ends_with_its_cause(core, fake):
    adapter = await started(core)
    try:
        await fake.disconnect(4004)  # the token was reset in the Developer Portal
        cause = await asyncio.wait_for(adapter.failed(), 10)
    finally:
        await adapter.stop()
    assert "4004" in cause and "DISCORD_TOKEN was rejected" in cause


async def test_stop_waits_for_answers_in_flight(core, fake):
    adapter = await started(core, defer_after=0)
    fake.fail("POST /webhooks/{id}/{token}", 429, retry_after=0.5)  # the follow-up waits
    await fake.push_command("ask", {"question": "When did Albania join NATO?"})
    await fake.wait_until_calls("POST", "/interactions/", 1)  # deferred, answer under way
    await adapter.stop()
    assert "2009" in texts(fake.calls_to("POST", "/webhooks/")[0].body)


async def test_sync_describes_the_commands_in_german_too(core, fake):
    await DiscordAdapter(core, token=TOKEN).sync_commands()
    commands = {c["name"]: c for c in fake.commands["global"]}
    german = lines("de")
    assert commands["topics"]["description"] == lines("en")("commands.topics")
    assert commands["topics"]["description_localizations"] == {"de": german("commands.topics")}
    option = commands["ask"]["options"][0]
    assert option["description_localizations"] == {"de": german("commands.ask_question")}
    assert all("sq" not in (c.get("description_localizations") or {}) for c in commands.values())


@pytest.mark.parametrize(
    ("locale", "question", "label"),
    [("de", "Wann ist Albanien der NATO beigetreten?", "Quelle (englischer Originaltext)"),
     ("en-US", "kur u anetaresua shqiperia ne nato", "Burimi (origjinali në anglisht)")],
)  # fmt: skip
async def test_ask_in_german_or_albanian_answers_in_it_with_the_english_quote(
    bot, fake, base, locale, question, label
):
    await fake.push_command("ask", {"question": question}, locale=locale)
    (call,) = await fake.wait_until_calls("POST", "/interactions/", 1)
    embed = call.body["data"]["embeds"][0]
    code = "de" if locale == "de" else "sq"
    assert embed["description"] == base.fact("nato_2009").translations[code].answer
    assert embed["fields"][0]["name"] == label
    assert "In 2009 Albania became a member of NATO" in embed["fields"][0]["value"]


async def test_the_interactions_locale_decides_a_question_that_does_not(bot, fake):
    await fake.push_command("help", locale="de")
    (call,) = await fake.wait_until_calls("POST", "/interactions/", 1)
    assert texts(call.body["data"]).strip().startswith("Ich beantworte Fragen")


@pytest.mark.parametrize("defer_after", [2.0, 0.0], ids=["answered", "deferred"])
async def test_timeline_is_an_embed_showing_its_attached_picture(core, fake, base, defer_after):
    adapter = await started(core, defer_after=defer_after)
    try:
        await fake.push_command("timeline")
        (body,) = await fake.wait_sent(1)
    finally:
        await adapter.stop()
    (embed,) = body["embeds"]
    ((name, png),) = fake.files  # the fake refuses a file that is not a PNG
    assert embed["image"]["url"] == f"attachment://{name}" and png.startswith(b"\x89PNG")
    assert [a["filename"] for a in body["attachments"]] == [name]
    assert base.article.outlet in embed["title"]
    assert sorted(buttons(body)) == sorted(f"fact:{f.id}" for f in base.facts if f.date)


async def test_people_lists_everyone_and_a_name_opens_their_card(bot, fake, base):
    await fake.push_command("people")
    (listing,) = await fake.wait_sent(1)
    assert all(p.name in texts(listing) and p.role in texts(listing) for p in base.people)
    barbero = next(p for p in base.people if p.entity == "barbero")
    assert f"fact:{barbero.facts[0]}" in buttons(listing)
    await fake.push_button(f"fact:{barbero.facts[0]}")
    card = (await fake.wait_sent(2))[1]
    assert base.fact(barbero.facts[0]).answer in texts(card)
    assert buttons(card) == [f"fact:{f}" for f in barbero.facts[1:]]
