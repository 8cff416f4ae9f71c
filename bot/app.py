"""Composition: settings -> fact base -> matcher -> core -> adapters; run them.

SIGTERM and SIGINT stop; SIGHUP reloads the fact base.
"""

import asyncio
import logging
import signal
from typing import TYPE_CHECKING, Protocol

from bot.core import Core
from bot.health import HealthServer
from bot.journal import Journal
from bot.settings import DISCORD_API_URL, DISCORD_GATEWAY_URL, ConfigError, Settings
from intents import load_facts

if TYPE_CHECKING:
    from bot.adapters.discord_adapter import DiscordAdapter

log = logging.getLogger(__name__)

PLATFORM_TOKENS = {"telegram": "TELEGRAM_TOKEN", "discord": "DISCORD_TOKEN"}
STOP_SIGNALS = (signal.SIGTERM, signal.SIGINT)


class Adapter(Protocol):
    """What `serve` needs of a platform adapter."""

    name: str

    @property
    def state(self) -> str: ...  # "up" while serving; what /healthz reports

    async def start(self) -> None: ...

    async def stop(self) -> None: ...


def build_core(settings: Settings, *, chat: bool = False) -> Core:
    """The core for these settings; `chat`: serving chat platforms, where each user's rate
    limit holds, admins may /reload and outcomes are recorded in DATABASE_PATH.

    FactBaseError if the fact base is unusable.
    """
    journal = None
    if chat and settings.database_path is not None:
        journal = Journal(settings.database_path, keep_user_ids=settings.record_user_ids)
    return Core(
        load_facts(settings.facts_path),
        thresholds=settings.thresholds,
        questions_per_minute=settings.questions_per_minute if chat else 0,
        journal=journal,
        facts_path=settings.facts_path,
        admins=settings.admins if chat else frozenset(),
    )


def health_server(settings: Settings, core: Core, adapters: list[Adapter]) -> HealthServer | None:
    """The /healthz server when HEALTH_PORT is set."""
    if settings.health_port is None:
        return None
    return HealthServer(
        adapters, lambda: len(core.base.facts), host=settings.health_host, port=settings.health_port
    )


def build_adapters(settings: Settings, core: Core, only: str | None = None) -> list[Adapter]:
    """The adapters to run: `only` that platform, or every one whose token is set.

    ConfigError naming the variables when there is nothing to run.
    """
    candidates = [only] if only else list(PLATFORM_TOKENS)
    wanted = [p for p in candidates if _token(settings, p)]
    if not wanted:
        raise ConfigError(
            f"set {' or '.join(PLATFORM_TOKENS[p] for p in candidates)} to run the bot on a chat "
            "platform (`python -m bot` alone runs the console chat, which needs no token)"
        )
    return [_ADAPTERS[platform](settings, core) for platform in wanted]


def _token(settings: Settings, platform: str) -> str | None:
    secret = getattr(settings, f"{platform}_token")
    return secret.get_secret_value() if secret else None


def _telegram(settings: Settings, core: Core) -> Adapter:
    from bot.adapters.telegram_adapter import TelegramAdapter, Webhook

    webhook = None
    if settings.telegram_mode == "webhook":
        webhook = Webhook(
            url=settings.telegram_webhook_url or "",
            secret=settings.telegram_webhook_secret.get_secret_value(),
            listen=settings.telegram_webhook_listen,
            port=settings.port,
        )
    return TelegramAdapter(
        core,
        token=_token(settings, "telegram") or "",
        api_url=settings.telegram_api_url,
        max_rate=settings.telegram_max_rate,
        webhook=webhook,
    )


def discord_adapter(settings: Settings, core: Core) -> "DiscordAdapter":
    """The Discord adapter for these settings (also what `discord-sync` logs in with)."""
    from bot.adapters.discord_adapter import DiscordAdapter

    token = _token(settings, "discord")
    if token is None:
        raise ConfigError("set DISCORD_TOKEN to use Discord")
    return DiscordAdapter(
        core,
        token=token,
        message_content=settings.discord_message_content,
        sharded=settings.discord_sharded,
        api_url=_unless_default(settings.discord_api_url, DISCORD_API_URL),
        gateway_url=_unless_default(settings.discord_gateway_url, DISCORD_GATEWAY_URL),
    )


def _unless_default(value: str, default: str) -> str | None:
    return None if value == default else value


_ADAPTERS = {"telegram": _telegram, "discord": discord_adapter}


async def serve(
    adapters: list[Adapter],
    stop: asyncio.Event | None = None,
    *,
    core: Core | None = None,
    health: HealthServer | None = None,
) -> None:
    """Start every adapter on this loop, serve until SIGTERM or SIGINT (or `stop`), then stop.

    SIGHUP reloads `core`'s fact base. `health` starts first (reporting "starting") and stops
    last. Adapters stop in reverse order, each even if another fails to, so none is left running.
    """
    stop = stop or asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in STOP_SIGNALS:
        loop.add_signal_handler(sig, stop.set)
    reloads: set[asyncio.Task] = set()
    if core is not None:
        loop.add_signal_handler(signal.SIGHUP, _reload_in_background, core, reloads)
    started: list[Adapter | HealthServer] = []
    try:
        for part in [health, *adapters]:
            if part is not None:
                await part.start()
                started.append(part)
        log.info("serving on %s; SIGTERM or Ctrl-C stops", ", ".join(a.name for a in adapters))
        await stop.wait()
        log.info("stopping")
    finally:
        for sig in (*STOP_SIGNALS, signal.SIGHUP):
            loop.remove_signal_handler(sig)
        for part in reversed(started):
            try:
                await part.stop()
            except Exception:  # stop the others regardless; the cause is logged
                log.exception("%s: error while stopping", part.name)
        if reloads:
            await asyncio.gather(*reloads, return_exceptions=True)
        log.info("stopped")


def _reload_in_background(core: Core, reloads: set[asyncio.Task]) -> None:
    """SIGHUP: reload without holding up the signal handler; the outcome is logged."""
    log.info("SIGHUP: reloading %s", core.facts_path)
    task = asyncio.ensure_future(core.reload())
    reloads.add(task)
    task.add_done_callback(reloads.discard)
