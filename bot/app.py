"""Composition: settings -> fact base -> matcher -> core -> adapters; run them.

SIGTERM and SIGINT stop, within STOP_TIMEOUT; SIGHUP reloads the fact base. Signals that
come while stopping are logged, never fatal. A platform that can no longer be served (a
revoked token) stops everything: `serve` returns its cause and the process exits non-zero.
"""

import asyncio
import logging
import signal
from typing import TYPE_CHECKING, Protocol

from bot.core import Core
from bot.delivery import Claims, Ledger, delivery_path
from bot.health import HealthServer
from bot.journal import Journal
from bot.leader import Lease
from bot.settings import DISCORD_API_URL, DISCORD_GATEWAY_URL, ConfigError, Settings
from bot.shared import Shared
from intents import load_facts

if TYPE_CHECKING:
    from bot.adapters.discord_adapter import DiscordAdapter

log = logging.getLogger(__name__)

PLATFORM_TOKENS = {"telegram": "TELEGRAM_TOKEN", "discord": "DISCORD_TOKEN"}
STOP_SIGNALS = (signal.SIGTERM, signal.SIGINT)
STOP_TIMEOUT = 7.0  # seconds adapters may take to stop; the journal gets 2 more (Docker: 10)
STOP_SHARE = 0.8  # of a part's time, for answers in flight; the rest closes connections


class Adapter(Protocol):
    """What `serve` needs of a platform adapter."""

    name: str

    @property
    def state(self) -> str: ...  # "up" while serving; what /healthz reports

    async def start(self) -> None: ...

    async def failed(self) -> str: ...  # returns, with the cause, once it cannot serve again

    async def stop(self, grace: float) -> None: ...  # answers in flight get `grace` seconds


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
        group_share=settings.questions_per_minute_in_groups,
        journal=journal,
        facts_path=settings.facts_path,
        admins=settings.admins if chat else frozenset(),
        shared=_shared(settings) if chat else None,
    )


def _shared(settings: Settings) -> Shared | None:
    """Redis for the state several processes share, when REDIS_URL is set."""
    url = settings.redis_url
    return Shared(url.get_secret_value()) if url is not None else None


def _claims(settings: Settings, core: Core, webhook: object) -> Claims | None:
    """Processes sharing Redis claim each update: several webhook workers may serve one
    PORT, and a standby poller that takes over skips what the last one answered."""
    if core.shared is None:
        return None
    lease = settings.telegram_claim_seconds
    return Claims(core.shared, "telegram", lease=lease, patient=webhook is None)


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
        ledger=Ledger(delivery_path(settings.database_path), "telegram"),
        claims=_claims(settings, core, webhook),
        lease=Lease(core.shared, "telegram-polling") if core.shared and not webhook else None,
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
        shard_count=settings.discord_shard_count,
        shard_ids=settings.shard_ids,
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
    stop_timeout: float = STOP_TIMEOUT,
) -> str | None:
    """Start every adapter on this loop, serve until SIGTERM or SIGINT (or `stop`), then stop.

    Returns None after a stop asked for, or "platform: cause" when a platform could no longer
    be served. SIGHUP reloads `core`'s fact base. `health` starts first (reporting "starting")
    and stops last. Stopping takes at most `stop_timeout` seconds: adapters stop together
    (each even if another fails to), their answers in flight sharing that deadline.
    """
    stop = stop or asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in STOP_SIGNALS:
        loop.add_signal_handler(sig, _on_stop_signal, sig, stop)
    reloads: set[asyncio.Task] = set()
    loop.add_signal_handler(signal.SIGHUP, _on_hangup, core, stop, reloads)
    started: list[Adapter | HealthServer] = []
    failure = None
    try:
        for part in [health, *adapters]:
            if part is not None:
                await part.start()
                started.append(part)
        log.info("serving on %s; SIGTERM or Ctrl-C stops", ", ".join(a.name for a in adapters))
        failure = await _until_stopped(stop, adapters)
        if failure:
            log.error("%s; stopping", failure)
        else:
            log.info("stopping")
    finally:
        stop.set()  # a signal from here on is "already stopping"
        deadline = loop.time() + stop_timeout
        # every platform stops taking updates at once, and all drain by the same deadline
        platforms = [p for p in reversed(started) if p is not health]
        await asyncio.gather(*(_stop_part(p, stop_timeout) for p in platforms))
        if health is not None and health in started:
            await _stop_part(health, max(0.0, deadline - loop.time()))
        if reloads:
            await asyncio.gather(*reloads, return_exceptions=True)
        for sig in (*STOP_SIGNALS, signal.SIGHUP):
            loop.remove_signal_handler(sig)
        if core is not None and core.shared is not None:
            await core.shared.close()
        log.info("stopped")
    return failure


async def _until_stopped(stop: asyncio.Event, adapters: list[Adapter]) -> str | None:
    """Wait for a stop, or for an adapter to fail for good: then its "platform: cause"."""
    stopping = asyncio.ensure_future(stop.wait())
    failing = {asyncio.ensure_future(a.failed()): a for a in adapters}
    try:
        done, _ = await asyncio.wait({stopping, *failing}, return_when=asyncio.FIRST_COMPLETED)
    finally:
        for task in (stopping, *failing):
            task.cancel()
    for task in done:
        if task in failing:
            return f"{failing[task].name}: {task.result()}"
    return None


async def _stop_part(part: "Adapter | HealthServer", seconds: float) -> None:
    """Stop one part within `seconds` (a hung connection cannot hold the process); a part
    that fails to stop is logged, and the others still stop."""
    try:
        if isinstance(part, HealthServer):
            await asyncio.wait_for(part.stop(), max(seconds, 1.0))
        else:
            await asyncio.wait_for(part.stop(grace=seconds * STOP_SHARE), max(seconds, 1.0))
    except TimeoutError:
        log.warning("%s: not stopped within %.1fs; leaving it", part.name, seconds)
    except Exception:  # the cause is logged; the others stop regardless
        log.exception("%s: error while stopping", part.name)


def _on_stop_signal(sig: signal.Signals, stop: asyncio.Event) -> None:
    if stop.is_set():
        log.info("%s: already stopping", sig.name)
    stop.set()


def _on_hangup(core: Core | None, stop: asyncio.Event, reloads: set[asyncio.Task]) -> None:
    """SIGHUP (log rotation, `systemctl reload`): reload, unless stopping; never fatal."""
    if stop.is_set() or core is None:
        log.info("SIGHUP: nothing to reload%s", " while stopping" if stop.is_set() else "")
        return
    _reload_in_background(core, reloads)


def _reload_in_background(core: Core, reloads: set[asyncio.Task]) -> None:
    """SIGHUP: reload without holding up the signal handler; the outcome is logged."""
    log.info("SIGHUP: reloading %s", core.facts_path)
    task = asyncio.ensure_future(core.reload())
    reloads.add(task)
    task.add_done_callback(reloads.discard)
