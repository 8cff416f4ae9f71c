"""The core on Telegram: python-telegram-bot's Application, driven by a manual lifecycle.

Private chats: every text (or photo caption) is a question. Groups: commands, @mentions
and replies to the bot only. Buttons carry fact ids; inline mode offers facts in any chat.

Exactly once: every update goes through `Delivery`, recorded when answered. Polling
confirms to Telegram only what is answered (telegram_polling); a webhook POST is answered
200 only once its update is answered and recorded, so Telegram retries any other.
"""

import asyncio
import logging
import os
import re
import socket
import time
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

import httpx
import tornado.web
from telegram import (
    BotCommand,
    CallbackQuery,
    Chat,
    InlineQueryResultArticle,
    InputTextMessageContent,
    LinkPreviewOptions,
    Message,
    MessageEntity,
    Update,
    User,
)
from telegram.constants import ChatType, ParseMode
from telegram.error import (
    BadRequest,
    Forbidden,
    InvalidToken,
    NetworkError,
    TelegramError,
    TimedOut,
)
from telegram.ext import (
    AIORateLimiter,
    Application,
    CallbackQueryHandler,
    CommandHandler,
    ContextTypes,
    Defaults,
    InlineQueryHandler,
    MessageHandler,
    filters,
)

from bot.adapters import AdapterError
from bot.adapters.telegram_polling import Poller
from bot.adapters.telegram_render import (
    caption_html,
    card_keyboard,
    fact_id_of,
    keyboard,
    render_html,
)
from bot.core import Core, Question, Reply
from bot.delivery import Busy, Claims, Delivery, Ledger
from bot.leader import Lease
from bot.locales import DEFAULT, lines
from bot.settings import TELEGRAM_API_URL, ConfigError

log = logging.getLogger(__name__)

PLATFORM = "telegram"
# the command menu, in order
MENU = ("ask", "timeline", "people", "topics", "source", "about", "help", "start")


def commands(code: str) -> list[BotCommand]:
    """The command menu in one language (bot/locales), as Telegram shows it to its users."""
    said = lines(code)
    return [BotCommand(name, said(f"commands.{name}")) for name in MENU]


OWN_COMMANDS = frozenset(MENU) | {"reload"}  # /reload: admins, unlisted
ALLOWED_UPDATES = (Update.MESSAGE, Update.CALLBACK_QUERY, Update.INLINE_QUERY)
INLINE_RESULTS = 10
MAX_INLINE_RESULTS = 50  # Telegram's limit: the people cards come first, then facts
INLINE_CACHE_SECONDS = 300
BOOTSTRAP_RETRIES = 5  # deleteWebhook / setWebhook at start-up, before giving up
SEND_RETRIES = 3  # a 429 or a failed connection is retried this many times before giving up
RETRY_PAUSE = 0.5  # seconds before the first retry after a failed connection; doubles each time
STOP_GRACE = 8.0  # seconds a stop waits for answers in flight (Docker kills after 10)
# Connections to the Bot API: httpcore's pool costs (queued requests x connections) per
# request, so PTB's 256 slows a burst to a third; 8 carry Telegram's 30 messages a second.
CONNECTIONS = 8
POOL_TIMEOUT = 10  # seconds a send may wait for a free connection in a burst (PTB: 1)
BACKLOG = 1024  # connections a worker's socket queues while it is busy
_COMMAND = re.compile(r"/(\w+)(?:@(\w+))?")


@dataclass(frozen=True)
class Webhook:
    """Where Telegram posts updates; the local server listens on `listen`:`port`."""

    url: str
    secret: str
    listen: str
    port: int


class TelegramAdapter:
    """Carries the core to Telegram; start() and stop() share the caller's event loop."""

    name = PLATFORM

    def __init__(
        self,
        core: Core,
        *,
        token: str,
        api_url: str = TELEGRAM_API_URL,
        max_rate: float = 30,
        webhook: Webhook | None = None,
        poll_timeout: float = 10,
        ledger: Ledger | None = None,
        claims: Claims | None = None,
        lease: Lease | None = None,
    ) -> None:
        """`ledger`: where answered updates are recorded (default: in memory only);
        `claims`: where processes sharing the bot's updates claim each one; `lease`: in
        polling mode, only its holder polls (the others are standbys)."""
        # Opt in to v23's timedelta periods: otherwise PTB warns from inside its own RetryAfter.
        os.environ.setdefault("PTB_TIMEDELTA", "true")
        self.core = core
        self.webhook = webhook
        self.lease = lease
        self._leading: asyncio.Task[None] | None = None
        self._started = self._stopped = False
        self._failure: asyncio.Future[str] | None = None
        builder = (
            Application.builder()
            .token(token)
            .base_url(api_url)
            .defaults(
                Defaults(
                    parse_mode=ParseMode.HTML,
                    link_preview_options=LinkPreviewOptions(is_disabled=True),
                    allow_sending_without_reply=True,  # the question may be deleted meanwhile
                )
            )
            .rate_limiter(_Resending(overall_max_rate=max_rate, max_retries=SEND_RETRIES))
            .connection_pool_size(CONNECTIONS)
            .pool_timeout(POOL_TIMEOUT)
        )
        if webhook is None:
            builder = builder.updater(None)  # the Poller takes updates instead
        else:  # PTB's webhook server answers a POST once put() returns: once it is recorded
            builder = builder.update_queue(_Delivering(self._deliver))
        self.application = builder.build()
        self.delivery = Delivery(
            ledger or Ledger(None, PLATFORM), self.application.process_update, _update_id, claims
        )
        self.poller = Poller(
            self.application.bot,
            self.delivery,
            timeout=poll_timeout,
            allowed_updates=ALLOWED_UPDATES,
            on_fatal=self._fail,
            keep=lease is None,  # another process may take over: Telegram keeps the rest
        )
        self._add_handlers()

    def _add_handlers(self) -> None:
        app = self.application
        fresh = filters.UpdateType.MESSAGE  # an edited message is not answered again
        app.add_handler(CommandHandler(sorted(OWN_COMMANDS), self._on_command, filters=fresh))
        app.add_handler(MessageHandler(fresh & (filters.TEXT | filters.CAPTION), self._on_text))
        app.add_handler(CallbackQueryHandler(self._on_button))
        app.add_handler(InlineQueryHandler(self._on_inline_query))
        app.add_error_handler(self._on_error)

    @property
    def _outlet(self) -> str:
        return self.core.base.article.outlet  # read each time: a reload may change it

    async def start(self) -> None:
        """Check the token, register the commands, then take updates by polling or webhook.

        On failure nothing is left open: ConfigError for a rejected token, AdapterError when
        the Bot API cannot be reached.
        """
        app = self.application
        self._failure = asyncio.get_running_loop().create_future()
        try:
            await app.initialize()
        except InvalidToken:  # its message quotes the token: never chain it
            await app.bot.shutdown()
            raise ConfigError(
                "TELEGRAM_TOKEN was rejected by Telegram: check it with @BotFather"
            ) from None
        except NetworkError as exc:
            await app.bot.shutdown()
            raise AdapterError(f"cannot reach the Telegram Bot API: {exc}") from None
        try:
            await self.delivery.ledger.open()
            await self._set_commands()
            await app.start()
            await self._start_updates()
        except BaseException:
            await self.stop()
            raise
        self._started = True
        mode = "webhook" if self.webhook else "polling"
        log.info("telegram: @%s serving by %s", app.bot.username, mode)

    @property
    def state(self) -> str:
        """up, starting, down (getUpdates failing: the poller keeps retrying) or stopped."""
        app = self.application
        if self._stopped:
            return "stopped"
        if not self._started:
            return "starting"
        if not app.running or (self._failure is not None and self._failure.done()):
            return "down"
        if self._leading is not None and not self.poller.running:
            return "standby"
        if self.webhook is None and self.poller.failing:
            return "down"
        if self.webhook is not None and not (app.updater and app.updater.running):
            return "down"
        return "up"

    async def failed(self) -> str:
        """Returns, with the cause, once Telegram cannot be served any more (a revoked token)."""
        assert self._failure is not None, "start() first"
        return await asyncio.shield(self._failure)

    def _fail(self, cause: str) -> None:
        if self._failure is not None and not self._failure.done():
            self._failure.set_result(cause)

    async def _start_updates(self) -> None:
        if self.webhook is None and self.lease is not None:
            self._leading = asyncio.create_task(self._lead(self.lease), name="telegram-lease")
            return
        if self.webhook is None:
            await _bootstrap(self.application.bot.delete_webhook)  # polling needs no webhook
            self.poller.start()
            return
        where: dict[str, Any] = {"listen": self.webhook.listen, "port": self.webhook.port}
        if self.delivery.claims is not None:  # workers claiming updates in Redis share PORT
            where = {"unix": shared_socket(self.webhook.listen, self.webhook.port)}
        await self.application.updater.start_webhook(
            **where,
            url_path=urlsplit(self.webhook.url).path.lstrip("/"),
            webhook_url=self.webhook.url,
            secret_token=self.webhook.secret,
            allowed_updates=list(ALLOWED_UPDATES),
            bootstrap_retries=BOOTSTRAP_RETRIES,
        )

    async def _lead(self, lease: Lease) -> None:
        """Wait as a standby until this process holds the polling lease, then poll while
        it holds it. Another process holding it meanwhile (this one was cut off from
        Redis for longer than the lease) ends serving: two pollers must never run."""
        await lease.acquire()
        log.info("telegram: polling lease taken (%s); polling", lease.holder)
        await _bootstrap(self.application.bot.delete_webhook)
        self.poller.start()
        await lease.hold()
        self._fail("another process took the polling lease; this one stops polling")

    async def stop(self, grace: float = STOP_GRACE) -> None:
        """Stop taking updates, answer those in flight within `grace` seconds (the rest are
        left to Telegram to send again), close the connections."""
        app = self.application
        self._stopped = True
        try:
            if self._leading is not None:
                self._leading.cancel()
                await asyncio.gather(self._leading, return_exceptions=True)
            if self.webhook is None and self.poller.running:
                await self.poller.stop(grace)
            else:
                if app.updater and app.updater.running:
                    await app.updater.stop()
                left = await self.delivery.drain(grace)
                if left:
                    log.warning(
                        "telegram: stopped with %d updates unanswered; Telegram sends them again",
                        len(left),
                    )
        finally:  # the connections close and the record is written even if the drain is cut
            if self.lease is not None and self.poller.running:
                await self.lease.release()  # a standby takes over at once
            if app.running:
                await app.stop()
            await app.shutdown()
            await self.delivery.ledger.close()

    async def _set_commands(self) -> None:
        """The menu in English for everyone, and in each other language the fact base is
        written in for users whose Telegram is set to it."""
        for code in self.core.languages:
            language = {} if code == DEFAULT else {"language_code": code}
            try:
                await self.application.bot.set_my_commands(commands(code), **language)
            except TelegramError as exc:  # the menu is a convenience: serve without it
                log.warning("telegram: could not register the %s command menu: %s", code, exc)

    async def _deliver(self, update: Update) -> None:
        await self.delivery.deliver(update)

    async def _on_command(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """One of our commands, /ask or /ask@ThisBot; CommandHandler skips /ask@OtherBot."""
        await self._answer(update.message, update.message.text)

    async def _on_text(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """Any other text: a question in private; in groups only when the bot is addressed."""
        message = update.message
        text = question_text(message, context.bot.username, context.bot.id)
        if text is not None:
            await self._answer(message, text)

    async def _answer(self, message: Message, text: str) -> None:
        started = time.perf_counter()
        reply = await self.core.answer(to_question(message.chat, message.from_user, text))
        await self._send(message, reply, started)

    async def _on_button(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """A suggestion or follow-up button: the fact it names, as a new message."""
        query: CallbackQuery = update.callback_query
        fact_id = fact_id_of(query.data)
        message = query.message if isinstance(query.message, Message) else None
        if fact_id is None or message is None:
            await query.answer("That button no longer works. Ask me again.")
            return
        started = time.perf_counter()
        await query.answer()
        question = to_question(message.chat, query.from_user, "")
        reply = await self.core.answer_fact(fact_id, question)
        await self._send(message, reply, started, quote=False)

    async def _on_inline_query(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """Inline mode ("@ThisBot question" in any chat): the best facts, each ready to send."""
        query = update.inline_query
        hint = query.from_user.language_code if query.from_user else None
        replies = await self.core.best_answers(query.query, INLINE_RESULTS, hint)
        cards = [
            InlineQueryResultArticle(
                id=f"person:{card.fact_id}",
                title=card.title or card.text,
                description=card.text,
                input_message_content=InputTextMessageContent(render_html(card, self._outlet)[0]),
                reply_markup=card_keyboard(card),
            )
            for card in self.core.cards(query.query, hint)
        ]
        results = cards + [
            InlineQueryResultArticle(
                id=reply.fact_id,
                title=reply.title or reply.fact_id,
                description=reply.text,
                input_message_content=InputTextMessageContent(render_html(reply, self._outlet)[0]),
            )
            for reply in replies
            if reply.fact_id
        ]
        results = results[:MAX_INLINE_RESULTS]
        await query.answer(results, cache_time=INLINE_CACHE_SECONDS)
        log.info("telegram inline user=%s results=%d", query.from_user.id, len(results))

    async def _send(self, to: Message, reply: Reply, started: float, *, quote: bool = True) -> None:
        """Send the reply's messages, buttons under the last; one INFO line, never the text."""
        in_group = to.chat.type != ChatType.PRIVATE
        sent = False
        if reply.picture is not None:  # the timeline: a photo, captioned, buttons under it
            try:
                await to.reply_photo(
                    reply.picture.png,
                    caption=caption_html(reply.picture.caption),
                    filename=reply.picture.name,
                    do_quote=quote and in_group,
                    reply_markup=keyboard(reply),
                )
                sent = True
            except BadRequest as exc:  # refused (too large, say): the text and buttons remain
                log.warning("telegram: the picture was refused (%s); sending text", exc)
        if not (sent or reply.silent):
            chunks = render_html(reply, self._outlet)
            markup = keyboard(reply)
            for i, chunk in enumerate(chunks):
                last = i == len(chunks) - 1
                await to.reply_text(
                    chunk,
                    do_quote=quote and in_group and i == 0,
                    reply_markup=markup if last else None,
                )
        log.info(
            "telegram chat=%s kind=%s fact=%s score=%.0f ms=%.1f",
            to.chat.id,
            reply.kind,
            reply.fact_id,
            reply.score,
            (time.perf_counter() - started) * 1000,
        )

    async def _on_error(self, update: object, context: ContextTypes.DEFAULT_TYPE) -> None:
        """Log and keep serving; a blocked bot is routine, and a user never sees a traceback."""
        error = context.error
        if isinstance(error, InvalidToken):  # revoked while serving: nothing more can be sent
            self._fail(f"Telegram rejected the token ({error.message})")
            return
        if isinstance(error, Forbidden):
            log.info("telegram: not allowed to write to a chat (blocked or removed): %s", error)
            return
        if isinstance(error, NetworkError) and not isinstance(error, BadRequest):
            log.warning("telegram: network trouble while handling an update: %s", error)
            return
        log.error("telegram: error while handling an update", exc_info=error)
        if isinstance(update, Update) and update.effective_chat:
            try:
                await update.effective_chat.send_message(
                    "Sorry, something went wrong on my side. Please ask again."
                )
            except TelegramError as exc:
                log.warning("telegram: could not apologise either: %s", exc)


def question_text(message: Message, username: str, bot_id: int) -> str | None:
    """What the message asks, or None when it is not for this bot.

    Private: everything but commands meant for another bot. Groups: an @mention of the bot
    (removed from the text), a reply to one of its messages, or /command@ThisBot.
    """
    text = message.text or message.caption or ""  # a photo's caption may ask too
    command = _COMMAND.match(text)
    if command and command.group(2):
        return text if command.group(2).casefold() == username.casefold() else None
    if message.chat.type == ChatType.PRIVATE:
        return text
    mentioned = _mentions(message, username, bot_id)
    replied = message.reply_to_message is not None and _from_bot(message.reply_to_message, bot_id)
    if not (mentioned or replied):
        return None
    cleaned = re.sub(rf"@{re.escape(username)}\b", " ", text, flags=re.IGNORECASE)
    return " ".join(cleaned.split())


def _mentions(message: Message, username: str, bot_id: int) -> bool:
    kinds = [MessageEntity.MENTION, MessageEntity.TEXT_MENTION]
    parse = message.parse_entities if message.text else message.parse_caption_entities
    entities = parse(kinds)
    for entity, text in entities.items():
        if entity.type == MessageEntity.TEXT_MENTION and entity.user and entity.user.id == bot_id:
            return True
        if entity.type == MessageEntity.MENTION and text[1:].casefold() == username.casefold():
            return True
    return False


def _from_bot(message: Message, bot_id: int) -> bool:
    return message.from_user is not None and message.from_user.id == bot_id


def to_question(chat: Chat, user: User | None, text: str) -> Question:
    """The platform-neutral question: `text` from `user` (None in anonymous admin posts)."""
    return Question(
        text=text,
        user_id=str(user.id) if user else "",
        chat_id=str(chat.id),
        platform=PLATFORM,
        private=chat.type == ChatType.PRIVATE,
        lang=user.language_code if user else None,
    )


class _Resending(AIORateLimiter):
    """PTB's limiter, which retries a 429, also resending after a failed connection or a 5xx.

    Only failures where Telegram cannot have acted are retried: the request never got an
    answer because the connection broke, or a proxy answered 5xx. A read timeout is not
    retried: Telegram may have sent the message, and twice is worse than a logged failure.
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Requests on the wire at once: one per pooled connection. A burst queued inside
        # httpx's pool instead costs it a scan of the whole queue for every request it frees
        self._sending = asyncio.Semaphore(CONNECTIONS)

    async def process_request(self, callback: Any, *args: Any, **kwargs: Any) -> Any:
        async def send(*request: Any, **options: Any) -> Any:
            # held while sending only, not while a 429 waits; as long a wait as httpx's pool
            # would allow, and then the same error, which is retried (nothing was sent)
            try:
                async with asyncio.timeout(POOL_TIMEOUT):
                    await self._sending.acquire()
            except TimeoutError:
                cause = httpx.PoolTimeout("no connection to the Bot API came free")
                raise TimedOut("Pool timeout: all connections are busy") from cause
            try:
                return await callback(*request, **options)
            finally:
                self._sending.release()

        for attempt in range(SEND_RETRIES):
            try:
                return await super().process_request(send, *args, **kwargs)
            except NetworkError as exc:
                if not _unsent(exc):
                    raise
                pause = RETRY_PAUSE * 2**attempt
                log.warning("telegram: sending failed (%s); retrying in %.1fs", exc, pause)
            await asyncio.sleep(pause)
        return await super().process_request(send, *args, **kwargs)


def _unsent(error: NetworkError) -> bool:
    """True when the request cannot have taken effect, so sending it again is safe."""
    if isinstance(error, BadRequest):
        return False
    if isinstance(error, TimedOut):
        return isinstance(error.__cause__, (httpx.PoolTimeout, httpx.ConnectTimeout))
    return True


class _Delivering(asyncio.Queue):
    """The webhook's update queue: put() answers and records the update before it returns,
    so PTB's webhook handler answers Telegram 200 only then (or 500, and Telegram retries).
    PTB's own items (its stop signal) pass through to the queue."""

    def __init__(self, deliver: Any) -> None:
        super().__init__()
        self._deliver = deliver

    async def put(self, item: object) -> None:
        if not isinstance(item, Update):
            await super().put(item)
            return
        try:
            await self._deliver(item)
        except Busy:  # another worker is answering it: 503, and Telegram sends it again
            raise tornado.web.HTTPError(503) from None


def shared_socket(host: str, port: int) -> socket.socket:
    """A listening socket several processes bind at once (SO_REUSEPORT): the kernel spreads
    connections among them and stops sending any to one that has died. PTB takes a bound
    socket as its `unix` argument, whatever its family."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    listener = socket.socket(family, socket.SOCK_STREAM)
    try:
        listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEPORT, 1)
        listener.bind((host, port))
        listener.listen(BACKLOG)
        listener.setblocking(False)
    except OSError as exc:
        listener.close()
        raise AdapterError(f"cannot listen on {host}:{port} for the webhook: {exc}") from None
    return listener


def _update_id(update: object) -> int:
    return update.update_id  # type: ignore[attr-defined]


async def _bootstrap(call: Any) -> None:
    """A start-up call, retried a few times while the Bot API is unreachable."""
    for attempt in range(BOOTSTRAP_RETRIES):
        try:
            await call()
            return
        except (TimedOut, NetworkError) as exc:
            if isinstance(exc, BadRequest) or attempt == BOOTSTRAP_RETRIES - 1:
                raise AdapterError(f"cannot reach the Telegram Bot API: {exc}") from None
            await asyncio.sleep(RETRY_PAUSE * 2**attempt)
