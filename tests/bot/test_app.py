import asyncio
import logging
import os
import signal

import httpx
import pytest

from bot.app import build_adapters, build_core, health_server, serve
from bot.settings import ConfigError, load_settings
from tests.fakes.discord_api import TOKEN as DISCORD_TOKEN


@pytest.fixture(autouse=True)
def no_dotenv(tmp_path, monkeypatch):
    """Run where no .env lies."""
    monkeypatch.chdir(tmp_path)


NEW_FACT = """
  - id: zebra_probe
    topic: Albania, the US and NATO
    answer: A fact added while the bot was running.
    source: In 2009 Albania became a member of NATO together with Croatia
    questions:
      - what about the zebra probe
      - zebra probe
      - tell me about the zebra probe
      - what is the zebra probe
      - zebra probe facts
      - explain the zebra probe
      - the zebra probe please
      - zebra probe details
"""


class Recorder:
    """An adapter that only records its lifecycle: what serve() must drive."""

    def __init__(
        self, name: str, events: list[str], fail_start: bool = False, stopping: float = 0.0
    ) -> None:
        self.name = name
        self.events = events
        self.fail_start = fail_start
        self.stopping = stopping  # seconds its stop takes: answers in flight, a hung API
        self.state = "starting"
        self.failure: asyncio.Future[str] | None = None

    async def start(self) -> None:
        if self.fail_start:
            raise RuntimeError(f"{self.name} cannot start")
        self.failure = asyncio.get_running_loop().create_future()
        self.events.append(f"start {self.name}")
        self.state = "up"

    async def failed(self) -> str:
        return await asyncio.shield(self.failure)

    async def stop(self, grace: float) -> None:
        self.events.append(f"stop {self.name}")
        await asyncio.sleep(self.stopping)
        self.events.append(f"stopped {self.name}")
        self.state = "stopped"


def test_no_token_names_the_variables():
    core = build_core(load_settings())
    with pytest.raises(ConfigError, match="set TELEGRAM_TOKEN or DISCORD_TOKEN"):
        build_adapters(load_settings(), core)
    with pytest.raises(ConfigError, match="set TELEGRAM_TOKEN to"):
        build_adapters(load_settings(), core, only="telegram")
    with pytest.raises(ConfigError, match="set DISCORD_TOKEN to"):
        build_adapters(load_settings(), core, only="discord")


def test_both_tokens_build_both_adapters(monkeypatch):
    monkeypatch.setenv("TELEGRAM_TOKEN", "123456:AAsecretTokenValue_xyz")
    monkeypatch.setenv("DISCORD_TOKEN", DISCORD_TOKEN)
    monkeypatch.setenv("DISCORD_SHARDED", "true")
    settings = load_settings()
    telegram, discord_adapter = build_adapters(settings, build_core(settings, chat=True))
    assert (telegram.name, discord_adapter.name) == ("telegram", "discord")
    assert type(discord_adapter.bot).__name__ == "AutoShardedBot"


def test_token_set_builds_the_telegram_adapter(monkeypatch):
    monkeypatch.setenv("TELEGRAM_TOKEN", "123456:AAsecretTokenValue_xyz")
    settings = load_settings()
    (adapter,) = build_adapters(settings, build_core(settings, chat=True))
    assert adapter.name == "telegram"


async def test_core_for_chat_platforms_limits_each_user(monkeypatch):
    from bot.core import Question, ReplyKind

    monkeypatch.setenv("QUESTIONS_PER_MINUTE", "1")
    settings = load_settings()
    chat, local = build_core(settings, chat=True), build_core(settings)
    question = Question("When did Albania join NATO?", user_id="ana")
    kinds = [(await chat.answer(question)).kind for _ in range(2)]
    assert kinds == [ReplyKind.ANSWER, ReplyKind.LIMITED]
    assert (await local.answer(question)).kind is ReplyKind.ANSWER
    assert (await local.answer(question)).kind is ReplyKind.ANSWER


async def test_serve_starts_in_order_and_stops_in_reverse():
    events: list[str] = []
    stop = asyncio.Event()
    serving = asyncio.create_task(serve([Recorder("a", events), Recorder("b", events)], stop))
    while len(events) < 2:
        await asyncio.sleep(0)
    stop.set()
    await serving
    assert events[:2] == ["start a", "start b"]
    assert events[2:4] == ["stop b", "stop a"], "both stop taking updates at once, newest first"
    assert sorted(events[4:]) == ["stopped a", "stopped b"]


async def test_serve_stops_on_sigterm():
    events: list[str] = []
    serving = asyncio.create_task(serve([Recorder("a", events)]))
    while not events:
        await asyncio.sleep(0)
    os.kill(os.getpid(), signal.SIGTERM)
    assert await asyncio.wait_for(serving, 5) is None  # asked to stop: no failure
    assert events == ["start a", "stop a", "stopped a"]


async def test_signals_while_stopping_are_logged_not_fatal(caplog):
    caplog.set_level(logging.INFO, logger="bot.app")
    events: list[str] = []
    serving = asyncio.create_task(serve([Recorder("a", events, stopping=0.5)]))
    while not events:
        await asyncio.sleep(0)
    os.kill(os.getpid(), signal.SIGTERM)
    while "stop a" not in events:
        await asyncio.sleep(0.01)
    for sig in (signal.SIGHUP, signal.SIGTERM, signal.SIGINT):  # the drain goes on
        os.kill(os.getpid(), sig)
        await asyncio.sleep(0.05)
    await asyncio.wait_for(serving, 5)
    assert events[-1] == "stopped a"
    assert "SIGTERM: already stopping" in caplog.text and "SIGHUP: nothing to reload" in caplog.text


async def test_a_platform_that_fails_for_good_stops_everything_with_its_cause(caplog):
    events: list[str] = []
    a, b = Recorder("a", events), Recorder("b", events)
    serving = asyncio.create_task(serve([a, b], asyncio.Event()))
    while len(events) < 2:
        await asyncio.sleep(0)
    b.failure.set_result("the token was rejected")
    assert await asyncio.wait_for(serving, 5) == "b: the token was rejected"
    assert {"stopped a", "stopped b"} <= set(events)  # the healthy one stops as well
    assert [r.levelname for r in caplog.records if "token was rejected" in r.message] == ["ERROR"]


async def test_stopping_is_bounded_even_when_a_part_hangs():
    events: list[str] = []
    adapters = [Recorder("a", events), Recorder("hung", events, stopping=60)]
    stop = asyncio.Event()
    serving = asyncio.create_task(serve(adapters, stop, stop_timeout=1))
    while len(events) < 2:
        await asyncio.sleep(0)
    stop.set()
    started = asyncio.get_running_loop().time()
    await asyncio.wait_for(serving, 10)
    assert asyncio.get_running_loop().time() - started < 3
    assert "stopped a" in events and "stopped hung" not in events


async def test_serve_stops_started_adapters_when_a_later_one_fails():
    events: list[str] = []
    adapters = [Recorder("a", events), Recorder("b", events, fail_start=True)]
    with pytest.raises(RuntimeError, match="b cannot start"):
        await serve(adapters, asyncio.Event())
    assert events == ["start a", "stop a", "stopped a"]


def test_webhook_settings_reach_the_adapter(monkeypatch):
    env = {
        "TELEGRAM_TOKEN": "123456:AAsecretTokenValue_xyz",
        "TELEGRAM_MODE": "webhook",
        "TELEGRAM_WEBHOOK_URL": "https://bot.example.com/telegram",
        "TELEGRAM_WEBHOOK_SECRET": "s3cret_value",
        "PORT": "8443",
    }
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    settings = load_settings()
    (adapter,) = build_adapters(settings, build_core(settings, chat=True), only="telegram")
    hook = adapter.webhook
    assert (hook.url, hook.secret, hook.listen, hook.port) == (
        "https://bot.example.com/telegram",
        "s3cret_value",
        "0.0.0.0",
        8443,
    )


async def test_sighup_reloads_the_fact_base_and_health_reports_it(facts_copy):
    settings = load_settings(facts_path=facts_copy, health_port=1)
    core = build_core(settings, chat=True)
    events: list[str] = []
    adapters = [Recorder("a", events)]
    health = health_server(settings, core, adapters)
    health.host, health.port = "127.0.0.1", 0
    stop = asyncio.Event()
    serving = asyncio.create_task(serve(adapters, stop, core=core, health=health))
    while not events:
        await asyncio.sleep(0.01)
    async with httpx.AsyncClient(trust_env=False) as client:
        url = f"http://127.0.0.1:{health.port}/healthz"
        before = (await client.get(url)).json()
        with facts_copy.open("a", encoding="utf-8") as facts:
            facts.write(NEW_FACT)
        os.kill(os.getpid(), signal.SIGHUP)
        for _ in range(200):
            if (await client.get(url)).json()["facts"] != before["facts"]:
                break
            await asyncio.sleep(0.05)
        after = (await client.get(url)).json()
    stop.set()
    await asyncio.wait_for(serving, 5)
    core.close()
    assert before == {"status": "ok", "adapters": {"a": "up"}, "facts": 47}
    assert after == {"status": "ok", "adapters": {"a": "up"}, "facts": 48}
    assert core.base.facts[-1].id == "zebra_probe"
