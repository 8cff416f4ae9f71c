"""The core on Discord: discord.py's commands.Bot, slash commands first, started by hand.

Slash commands work in servers and DMs. Plain messages: every DM, and in servers only those
that mention the bot or reply to it, which Discord delivers with their content even without
the privileged message_content intent. Buttons carry fact ids and outlive restarts.
"""

import asyncio
import logging
import re
import time
from collections.abc import Awaitable, Callable

import aiohttp
import discord
import yarl
from discord import app_commands
from discord.ext import commands

from bot.adapters import AdapterError
from bot.adapters.discord_render import (
    FACT_BUTTON,
    attachment,
    button_label,
    button_options,
    clip,
    custom_id,
    render_embeds,
)
from bot.core import Core, Question, Reply
from bot.locales import DEFAULT, lines, spoken
from bot.settings import ConfigError
from intents.languages import language

log = logging.getLogger(__name__)

PLATFORM = "discord"
START_TIMEOUT = 60.0  # seconds to log in and get READY before giving up
DEFER_AFTER = 2.0  # seconds: a slower answer is deferred, inside Discord's 3-second window
# seconds: an interaction this old when its turn comes cannot be answered in Discord's
# window (the first response must arrive within 3 s of its creation): drop it unanswered
# rather than spend requests that are sure to fail and slow every other answer
RESPOND_WITHIN = 2.5
RESPONDING = 16
STOP_GRACE = 5.0  # seconds a stop waits for answers in flight before closing the session
UNKNOWN_INTERACTION = 10062  # Discord's code for an interaction past its window
MAX_CHOICES = 25  # autocomplete choices Discord shows
MAX_CHOICE = 100  # characters in a choice's name and value
MAX_QUESTION = 300
_MENTION = re.compile(r"<@!?(\d+)>")
_NO_MENTIONS = discord.AllowedMentions.none()
_QUIET = {"allowed_mentions": _NO_MENTIONS}  # on every send: "@everyone" in a question never pings
# The slash commands besides /ask, and the line (bot/locales) that describes each.
COMMANDS = {
    "timeline": "commands.timeline",
    "people": "commands.people",
    "topics": "commands.topics",
    "source": "commands.source_here",
    "about": "commands.about",
    "help": "commands.help_private",
    "reload": "commands.reload",
}
PRIVATE = frozenset({"help", "reload"})  # answered so that only the user who asked sees it
REJECTED = "DISCORD_TOKEN was rejected by Discord: check it in the Developer Portal (Bot page)"
UNREADABLE_REPLY = (
    "I can't read replies that don't mention me. Mention me (@{name}) with your question, "
    "or use /ask."
)
# Why Discord closed the gateway for good, by close code (Discord's gateway docs).
CLOSE_CODES = {
    4004: "authentication failed: DISCORD_TOKEN was rejected (revoked or reset?)",
    4010: "invalid shard", 4011: "sharding required: set DISCORD_SHARDED=true",
    4012: "invalid API version", 4013: "invalid intents",
    4014: "disallowed intents: " + "turn on MESSAGE CONTENT INTENT in the Developer Portal",
}  # fmt: skip
PORTAL_SWITCH = (
    "Discord refused the message content intent: turn on MESSAGE CONTENT INTENT under "
    "Bot > Privileged Gateway Intents in the Developer Portal, or set DISCORD_MESSAGE_CONTENT=false"
)

ButtonHandler = Callable[[discord.Interaction, str], Awaitable[None]]


class DiscordAdapter:
    """Carries the core to Discord; start() and stop() share the caller's event loop."""

    name = PLATFORM

    def __init__(
        self,
        core: Core,
        *,
        token: str,
        message_content: bool = False,
        sharded: bool = False,
        shard_count: int | None = None,
        shard_ids: tuple[int, ...] | None = None,
        api_url: str | None = None,
        gateway_url: str | None = None,
        guild_ready_timeout: float = 2.0,
        defer_after: float = DEFER_AFTER,
        start_timeout: float = START_TIMEOUT,
    ) -> None:
        """`api_url`, `gateway_url`: another Discord (a proxy, a fake); they apply process-wide."""
        if api_url:
            discord.http.Route.BASE = api_url
        if gateway_url:
            discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY = yarl.URL(gateway_url)
        discord.VoiceClient.warn_nacl = discord.VoiceClient.warn_dave = False  # no voice here
        self.core = core
        self.defer_after = defer_after
        self.start_timeout = start_timeout
        self._token = token
        self.message_content = message_content
        self._ready = asyncio.Event()
        self._closing = False
        self._failure: asyncio.Future[str] | None = None
        self._answering: set[asyncio.Task[object]] = set()  # handlers in flight, for a stop
        self._shed = 0  # interactions dropped since the last one answered
        # First responses in flight at once: under a flood, a few fast requests answer in
        # time, where a thousand at once would all queue past the window
        self._responding = asyncio.Semaphore(RESPONDING)
        self._connected = False  # the gateway session is live; False while discord.py reconnects
        self._runner: asyncio.Task[None] | None = None
        # A shard group (SHARD_COUNT, SHARD_IDS): this process runs some of the shards, and
        # Discord sends it only their servers' events (DMs go to shard 0)
        ids = list(shard_ids) if shard_ids else None
        sharding = {"shard_count": shard_count, "shard_ids": ids} if shard_count else {}
        self.bot = (commands.AutoShardedBot if sharded or sharding else commands.Bot)(
            **sharding,
            command_prefix=commands.when_mentioned,  # unused: plain messages never run commands
            help_command=None,
            intents=discord.Intents(
                guilds=True, guild_messages=True, dm_messages=True, message_content=message_content
            ),
            allowed_mentions=_NO_MENTIONS,
            allowed_contexts=app_commands.AppCommandContext(
                guild=True, dm_channel=True, private_channel=True
            ),
            allowed_installs=app_commands.AppInstallationType(guild=True, user=True),
            guild_ready_timeout=guild_ready_timeout,
            max_messages=None,  # no message cache: replies carry what they refer to
        )
        self.bot.on_message = self._on_message  # replaces prefix-command processing
        self.bot.on_ready = self.bot.on_resumed = self._on_connected
        self.bot.on_disconnect = self._on_disconnect
        self.bot.on_error = self._on_event_error
        self.bot.tree.on_error = self._on_app_command_error
        self._button = _button_type(self._on_button)
        self.bot.add_dynamic_items(self._button, _stale_button_type(self._on_stale_button))
        self._add_commands()

    def _add_commands(self) -> None:
        tree = self.bot.tree

        @tree.command(name="ask", description=_described("commands.ask"))
        @app_commands.describe(question=_described("commands.ask_question"))
        async def ask(
            interaction: discord.Interaction, question: app_commands.Range[str, 1, MAX_QUESTION]
        ) -> None:
            await self._answer_interaction(interaction, f"/ask {question}")

        @ask.autocomplete("question")
        async def suggest(
            interaction: discord.Interaction, current: str
        ) -> list[app_commands.Choice[str]]:
            replies = await self.core.best_answers(current, MAX_CHOICES, interaction.locale.value)
            labels = dict.fromkeys(clip(r.title, MAX_CHOICE) for r in replies if r.title)
            return [app_commands.Choice(name=label, value=label) for label in labels]

        for name, line in COMMANDS.items():
            command = tree.command(name=name, description=_described(line))(self._command(name))
            if name == "reload":  # offered to server admins; ADMIN_IDS decides who may use it
                command.default_permissions = discord.Permissions(administrator=True)

    def _command(self, name: str) -> Callable[[discord.Interaction], Awaitable[None]]:
        async def command(interaction: discord.Interaction) -> None:
            await self._answer_interaction(interaction, f"/{name}", ephemeral=name in PRIVATE)

        command.__name__ = name
        return command

    @property
    def _outlet(self) -> str:
        return self.core.base.article.outlet  # read each time: a reload may change it

    async def start(self) -> None:
        """Log in, connect to the gateway, return once ready; ConfigError or AdapterError if not."""
        self._runner = asyncio.create_task(self._run(), name="discord")
        ready = asyncio.create_task(self._ready.wait())
        await asyncio.wait(
            {self._runner, ready}, timeout=self.start_timeout, return_when=asyncio.FIRST_COMPLETED
        )
        ready.cancel()
        if not self._ready.is_set() and not self._runner.done():
            await self.stop()
            raise AdapterError(f"Discord was not ready within {self.start_timeout:g} seconds")
        if self._runner.done():
            self._runner.result()  # its exception, already translated
            raise AdapterError("the Discord connection ended before it was ready")
        self._failure = asyncio.get_running_loop().create_future()
        self._runner.add_done_callback(self._ended)
        log.info("discord: %s serving %d server(s)", self.bot.user, len(self.bot.guilds))

    async def failed(self) -> str:
        """Returns, with the cause, once the connection has ended for good while serving
        (a revoked token: close code 4004); discord.py itself retries what it can."""
        assert self._failure is not None, "start() first"
        return await asyncio.shield(self._failure)

    def _ended(self, runner: asyncio.Task[None]) -> None:
        if self._closing or self._failure is None or self._failure.done():
            return
        self._failure.set_result(_cause(runner))

    async def _run(self) -> None:
        """`async with bot` and `bot.start()`, Discord's errors turned into ours."""
        try:
            async with self.bot:
                await self.bot.start(self._token)
        except discord.LoginFailure:
            raise ConfigError(REJECTED) from None
        except discord.PrivilegedIntentsRequired:
            raise ConfigError(PORTAL_SWITCH) from None
        except (discord.HTTPException, discord.GatewayNotFound, OSError) as exc:
            raise AdapterError(f"cannot reach Discord: {exc}") from None
        except discord.ConnectionClosed as exc:  # a close code discord.py will not retry
            raise AdapterError(
                f"Discord closed the connection (code {exc.code}): "
                + CLOSE_CODES.get(exc.code, exc.reason or "no reason given")
            ) from None

    async def stop(self, grace: float = STOP_GRACE) -> None:
        """Let answers in flight finish (within `grace` seconds), then close the gateway and
        the HTTP session; the runner then ends."""
        self._closing = True
        loop = asyncio.get_running_loop()
        deadline = loop.time() + grace
        while self._answering and loop.time() < deadline:  # what arrives meanwhile, too
            await asyncio.wait(set(self._answering), timeout=deadline - loop.time())
        if self._answering:
            log.warning("discord: stopping with %d answers unsent", len(self._answering))
        await self.bot.close()
        if self._runner is not None:
            await asyncio.gather(self._runner, return_exceptions=True)

    def _track(self) -> None:
        """Count the running handler as in flight until it returns: a stop waits for it."""
        task = asyncio.current_task()
        if task is not None:
            self._answering.add(task)
            task.add_done_callback(self._answering.discard)

    async def sync_commands(self, guild_id: int | None = None) -> int:
        """Register the slash commands with Discord (globally, or in one server); how many.

        ConfigError for a rejected token; AdapterError, one line, when Discord cannot be
        reached within `start_timeout` seconds or does not take the commands: a person reads it.
        """
        try:
            async with asyncio.timeout(self.start_timeout), self.bot:
                await self.bot.login(self._token)
                # German descriptions too: each language the fact base is in that Discord has
                await self.bot.tree.set_translator(Localizer(self.core.languages))
                if guild_id is None:
                    return len(await self.bot.tree.sync())
                guild = discord.Object(guild_id)
                self.bot.tree.copy_global_to(guild=guild)
                return len(await self.bot.tree.sync(guild=guild))
        except discord.LoginFailure:
            raise ConfigError(REJECTED) from None
        except discord.HTTPException as exc:  # a 403 for a server the bot is not in, a 5xx
            raise AdapterError(f"Discord did not take the slash commands: {exc}") from None
        except TimeoutError:
            raise AdapterError(
                f"cannot reach Discord: no answer within {self.start_timeout:g} s"
            ) from None
        except (aiohttp.ClientError, OSError) as exc:  # DNS, refused, reset, TLS
            raise AdapterError(f"cannot reach Discord: {exc}") from None

    @property
    def state(self) -> str:
        """up, starting, down (reconnecting, or the connection gave up) or stopped."""
        if self._runner is None or not self._ready.is_set():
            return "starting"
        if self.bot.is_closed():
            return "stopped" if self._runner.done() and not _failed(self._runner) else "down"
        if self._runner.done() or not self._connected:
            return "down"
        return "up"

    async def _on_connected(self) -> None:
        """READY or RESUMED: serving (again)."""
        if self._ready.is_set() and not self._connected:
            log.info("discord: connected again")
        self._connected = True
        self._ready.set()

    async def _on_disconnect(self) -> None:
        """The gateway connection dropped; discord.py reconnects (and resumes) by itself."""
        if self._connected and not self.bot.is_closed():  # not our own stop
            log.warning("discord: gateway connection lost; reconnecting")
        self._connected = False

    async def _on_message(self, message: discord.Message) -> None:
        """A DM, or a server message that mentions or replies to the bot: a question."""
        if message.author.bot or self.bot.user is None:
            return
        text = question_text(message, self.bot.user.id)
        if text is None:
            return
        self._track()
        if not text and not message.content and not self.message_content:
            # a reply that does not ping the bot comes without its text: say so honestly
            name = self.bot.user.name
            await message.reply(UNREADABLE_REPLY.format(name=name), mention_author=False, **_QUIET)
            return
        started = time.perf_counter()
        reply = await self.core.answer(to_question(message, text))
        if not reply.silent:
            await self._post(message, reply)
        _log_reply(message.channel.id, reply, started)

    async def _post(self, message: discord.Message, reply: Reply) -> None:
        """Answer in the channel: the first embed replies to the question, buttons go last."""
        embeds = render_embeds(reply, self._outlet)
        view = self._view(reply)
        for i, embed in enumerate(embeds):
            extra = {"view": view} if view and i == len(embeds) - 1 else {}
            if i == 0:
                extra |= attachment(reply)
                await message.reply(embed=embed, mention_author=False, **_QUIET, **extra)
            else:
                await message.channel.send(embed=embed, **_QUIET, **extra)

    async def _answer_interaction(
        self, interaction: discord.Interaction, text: str, *, ephemeral: bool = False
    ) -> None:
        """Answer a slash command, deferring first when the answer would miss Discord's window.

        Discord wants a response within 3 seconds of the interaction's creation: one that
        arrives late (a busy loop) or whose answer takes too long is deferred, then followed up.
        """
        self._track()
        async with self._responding:
            if self._expired(interaction):
                return
            started = time.perf_counter()
            question = interaction_question(interaction, text)
            answering = asyncio.ensure_future(self.core.answer(question))
            try:
                left = self.defer_after - _age(interaction)
                if left <= 0 or not (await asyncio.wait({answering}, timeout=left))[0]:
                    await interaction.response.defer(thinking=True, ephemeral=ephemeral)
                reply = await answering
            finally:  # a defer that failed leaves no answer running for nobody
                answering.cancel()
            await self._respond(interaction, reply, started, ephemeral=ephemeral)

    async def _on_button(self, interaction: discord.Interaction, fact_id: str) -> None:
        """A suggestion or follow-up button, even one sent before a restart: that fact."""
        self._track()
        async with self._responding:
            if self._expired(interaction):
                return
            started = time.perf_counter()
            question = interaction_question(interaction, "")
            reply = await self.core.answer_fact(fact_id, question)
            await self._respond(interaction, reply, started)

    def _expired(self, interaction: discord.Interaction) -> bool:
        """Too old to answer in Discord's window (an overloaded loop): drop it without a
        request, said once when shedding starts and counted when it ends."""
        if _age(interaction) <= RESPOND_WITHIN:
            if self._shed:
                log.info("discord: answering in time again; %d interactions dropped", self._shed)
                self._shed = 0
            return False
        if not self._shed:
            log.warning(
                "discord: overloaded: dropping interactions already past Discord's 3-second "
                "window (each would cost requests sure to fail)"
            )
        self._shed += 1
        return True

    async def _on_stale_button(self, interaction: discord.Interaction) -> None:
        """A button whose id is none of ours (an old message, a forged id): say it no longer
        works, instead of leaving Discord to show "This interaction failed"."""
        if not self._expired(interaction):
            await _tell(interaction, "stale")

    async def _respond(
        self,
        interaction: discord.Interaction,
        reply: Reply,
        started: float,
        *,
        ephemeral: bool = False,
    ) -> None:
        if reply.silent:  # an interaction must be answered: tell only this user
            notice = lines(reply.lang)("too_fast_wait")
            reply_embeds, view, ephemeral = [discord.Embed(description=notice)], None, True
        else:
            reply_embeds, view = render_embeds(reply, self._outlet), self._view(reply)
        for i, embed in enumerate(reply_embeds):
            extra = {"view": view} if view and i == len(reply_embeds) - 1 else {}
            if i == 0:
                extra |= attachment(reply)
            if i == 0 and not interaction.response.is_done():
                await interaction.response.send_message(
                    embed=embed, ephemeral=ephemeral, **_QUIET, **extra
                )
            else:
                await interaction.followup.send(embed=embed, ephemeral=ephemeral, **_QUIET, **extra)
        _log_reply(interaction.channel_id, reply, started)

    def _view(self, reply: Reply) -> discord.ui.View | None:
        options = button_options(reply)
        if not options:
            return None
        view = discord.ui.View(timeout=None)
        for option in options:
            view.add_item(self._button(option.fact_id, button_label(option)))
        return view

    async def _on_app_command_error(
        self, interaction: discord.Interaction, error: app_commands.AppCommandError
    ) -> None:
        """Log and answer politely, only to the user who asked; never a traceback in chat.

        A command Discord still shows but this bot no longer has gets a pointer to /ask; an
        interaction that expired meanwhile gets nothing (a request sure to fail)."""
        cause = getattr(error, "original", error)
        if isinstance(cause, discord.NotFound) and cause.code == UNKNOWN_INTERACTION:
            log.info("discord: an interaction expired before its answer went out")
            return
        if isinstance(error, (app_commands.CommandNotFound, app_commands.CommandSignatureMismatch)):
            log.info("discord: a stale command (%s); run discord-sync", error)
            await _tell(interaction, "stale")
            return
        log.error("discord: error in a slash command", exc_info=error)
        await _tell(interaction, "sorry")

    async def _on_event_error(self, event: str, *args: object, **kwargs: object) -> None:
        """An error in an event listener (a message, a button): logged; serving goes on."""
        log.exception("discord: error while handling %s", event)


def question_text(message: discord.Message, bot_id: int) -> str | None:
    """What the message asks, or None when it is not for this bot.

    DMs: everything. Servers: a message that mentions the bot or replies to one of its
    messages; mentions of the bot are removed from the text.
    """
    if message.guild is not None:
        mentioned = any(user.id == bot_id for user in message.mentions)
        resolved = message.reference.resolved if message.reference else None
        replied = isinstance(resolved, discord.Message) and resolved.author.id == bot_id
        if not (mentioned or replied):
            return None
    cleaned = _MENTION.sub(
        lambda m: " " if int(m.group(1)) == bot_id else m.group(0), message.content
    )
    return " ".join(cleaned.split())


def to_question(message: discord.Message, text: str) -> Question:
    return Question(
        text=text,
        user_id=str(message.author.id),
        chat_id=str(message.channel.id),
        platform=PLATFORM,
        private=message.guild is None,
    )


def interaction_question(interaction: discord.Interaction, text: str) -> Question:
    return Question(
        text=text,
        user_id=str(interaction.user.id),
        chat_id=str(interaction.channel_id),
        platform=PLATFORM,
        private=interaction.guild_id is None,
        lang=interaction.locale.value,  # the user's Discord language: "de", "en-US"
    )


def _described(line: str) -> app_commands.locale_str:
    """A command's description in English, translated for Discord per locale (Localizer)."""
    return app_commands.locale_str(lines(DEFAULT)(line), line=line)


def _spoken(locale: discord.Locale) -> str | None:
    """The bot's language for a Discord locale ("de" for "de"), None for one it has no
    lines in. Discord has no Albanian locale: Albanian users get Albanian answers from
    their questions' words, and English command descriptions."""
    found = language(locale.value)
    return found.code if found and found.code in spoken() else None


class Localizer(app_commands.Translator):
    """Command and option descriptions in each Discord locale of the bot's languages."""

    def __init__(self, codes: tuple[str, ...]) -> None:
        self._codes = frozenset(codes) - {DEFAULT}

    async def translate(
        self,
        string: app_commands.locale_str,
        locale: discord.Locale,
        context: app_commands.TranslationContextTypes,
    ) -> str | None:
        code = _spoken(locale)
        line = string.extras.get("line")
        if code not in self._codes or line is None:
            return None
        return lines(code)(line)


def _button_type(on_press: ButtonHandler) -> type[discord.ui.DynamicItem]:
    """A button class whose custom_id carries a fact id; registered, it works after a restart."""

    class FactButton(discord.ui.DynamicItem[discord.ui.Button], template=FACT_BUTTON):
        def __init__(self, fact_id: str, label: str = "") -> None:
            button = discord.ui.Button(
                label=label or fact_id,
                custom_id=custom_id(fact_id),
                style=discord.ButtonStyle.secondary,
            )
            super().__init__(button)
            self.fact_id = fact_id

        @classmethod
        async def from_custom_id(
            cls, interaction: discord.Interaction, item: discord.ui.Item, match: re.Match[str]
        ) -> "FactButton":
            return cls(match["fact_id"])

        async def callback(self, interaction: discord.Interaction) -> None:
            await on_press(interaction, self.fact_id)

    return FactButton


def _stale_button_type(
    on_press: Callable[[discord.Interaction], Awaitable[None]],
) -> type[discord.ui.DynamicItem]:
    """A button class for every custom_id that is not a FactButton's: discord.py routes each
    press to the one item whose template matches, so no listener sees every interaction.
    (It routes only presses of a component on the message they come with, which is how
    Discord sends every press.)"""

    class StaleButton(
        discord.ui.DynamicItem[discord.ui.Button], template=rf"(?!{FACT_BUTTON}\Z)[\s\S]+"
    ):
        def __init__(self) -> None:
            super().__init__(discord.ui.Button(custom_id="stale"))

        @classmethod
        async def from_custom_id(
            cls, interaction: discord.Interaction, item: discord.ui.Item, match: re.Match[str]
        ) -> "StaleButton":
            return cls()

        async def callback(self, interaction: discord.Interaction) -> None:
            await on_press(interaction)

    return StaleButton


def _age(interaction: discord.Interaction) -> float:
    """Seconds since Discord created the interaction (its id carries the time)."""
    return (discord.utils.utcnow() - interaction.created_at).total_seconds()


def _log_reply(channel_id: int | None, reply: Reply, started: float) -> None:
    log.info(
        "discord channel=%s kind=%s fact=%s score=%.0f ms=%.1f",
        channel_id,
        reply.kind,
        reply.fact_id,
        reply.score,
        (time.perf_counter() - started) * 1000,
    )


def _failed(runner: asyncio.Task[None]) -> bool:
    return not runner.cancelled() and runner.exception() is not None


def _cause(runner: asyncio.Task[None]) -> str:
    """Why the connection ended while serving, in words an operator can act on."""
    if runner.cancelled():
        return "the connection was cancelled"
    error = runner.exception()
    if error is not None:
        return str(error) or type(error).__name__
    return "the connection ended"


async def _tell(interaction: discord.Interaction, line: str) -> None:
    """A short note only the user sees, in their language; nothing if Discord no longer
    takes it."""
    text = lines(_spoken(interaction.locale) or DEFAULT)(line)
    try:
        if interaction.response.is_done():
            await interaction.followup.send(text, ephemeral=True)
        else:
            await interaction.response.send_message(text, ephemeral=True)
    except discord.HTTPException as exc:
        log.info("discord: could not answer an interaction: %s", exc)
