"""A fake Telegram Bot API on 127.0.0.1, port 0, as strict as the real one where a bot can tell.

Methods take form-encoded, multipart or JSON parameters, nested fields JSON-encoded; answers
are {"ok": ..., "result": ...} envelopes. getUpdates long-polls with offsets. Faults (429 with
retry_after, 5xx, slow answers, dropped connections) are injected per method. Unknown methods
get 400, never 401 or 404, which python-telegram-bot reads as a bad token.
"""

import asyncio
import itertools
import json
import re
import time
from collections import Counter, defaultdict, deque
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import httpx
import tornado.httpserver
import tornado.netutil
import tornado.web

from tests.fakes.telegram_html import EntityError, parse_html, utf16_len

TOKEN = "123456789:AAFakeTokenForTests_only-0123456789ab"
BOT = {"id": 123456789, "is_bot": True, "first_name": "Fact Bot", "username": "ArticleFactBot"}
MAX_MESSAGE = 4096
MAX_CAPTION = 1024
MAX_PHOTO_BYTES = 10 * 1024 * 1024
MAX_INLINE_QUERY = 256
BUTTON_ACTIONS = frozenset(
    {"callback_data", "url", "switch_inline_query", "switch_inline_query_current_chat"}
)  # a button does exactly one of these (the ones this bot could use)
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
MAX_CALLBACK_BYTES = 64
_MENTION = re.compile(r"@[A-Za-z0-9_]{5,32}")
_COMMAND = re.compile(r"/[A-Za-z0-9_]{1,32}(?:@[A-Za-z0-9_]{5,32})?")
_BOT_COMMAND_NAME = re.compile(r"[a-z0-9_]{1,32}")
_FAULT_DESCRIPTIONS = {
    400: "Bad Request: chat not found",
    403: "Forbidden: bot was blocked by the user",
}
_JSON_FIELDS = frozenset(
    {
        "allowed_updates",
        "commands",
        "entities",
        "link_preview_options",
        "reply_markup",
        "reply_parameters",
        "results",
        "scope",
        "button",
    }
)


class ApiError(Exception):
    """An error answer: status, description and optional parameters, as Telegram sends them."""

    def __init__(self, status: int, description: str, **parameters: Any) -> None:
        super().__init__(description)
        self.status = status
        self.description = description
        self.parameters = parameters


@dataclass
class Fault:
    """What the next call of a method meets: a delay, then an error status or a normal answer."""

    status: int | None = None  # None: answer normally after the delay
    retry_after: int = 1
    delay: float = 0.0
    drop: str = ""  # "before": close the connection unanswered; "after": do the work, then close


@dataclass
class Call:
    method: str
    params: dict[str, Any]
    at: float = field(default_factory=time.perf_counter)


class FakeTelegram:
    """The Bot API for one bot; tests push updates in and read the calls the bot made."""

    def __init__(self, token: str = TOKEN, bot: dict[str, Any] | None = None) -> None:
        self.token = token
        self.bot = bot or dict(BOT)
        self.calls: list[Call] = []
        self.faulted: list[Call] = []
        self.webhook: dict[str, Any] | None = None
        self.commands: list[dict[str, Any]] = []  # the default list (no language_code)
        self.commands_by_language: dict[str, list[dict[str, Any]]] = {}  # "" is the default
        self.sent: list[dict[str, Any]] = []  # the messages the bot sent, as Telegram stored them
        self.photos: list[bytes] = []  # the photos it uploaded, as sent
        self._faults: dict[str, deque[Fault]] = defaultdict(deque)
        self._updates: list[dict[str, Any]] = []
        self._update_ids = itertools.count(1)
        self._message_ids = itertools.count(1)
        self._query_ids = itertools.count(1)
        self._chats: dict[int, dict[str, Any]] = {}
        self._messages: set[tuple[int, int]] = set()
        self._open_queries: set[str] = set()
        self._changed = asyncio.Condition()
        self._stopped = False
        self.polling = 0  # getUpdates calls now waiting
        self.in_flight = 0  # requests not yet answered
        self._server: tornado.httpserver.HTTPServer | None = None
        self.port = 0
        self.delivered: dict[int, float] = {}  # update_id -> when getUpdates handed it out

    @property
    def api_url(self) -> str:
        """The base URL for python-telegram-bot, which appends the token."""
        return f"http://127.0.0.1:{self.port}/bot"

    async def start(self) -> "FakeTelegram":
        app = tornado.web.Application(
            [(r"/bot([^/]+)/([A-Za-z0-9_]+)", _Endpoint, {"fake": self})],
            log_function=lambda handler: None,  # access lines would carry the token
        )
        sockets = tornado.netutil.bind_sockets(0, "127.0.0.1")
        self.port = sockets[0].getsockname()[1]
        self._server = tornado.httpserver.HTTPServer(app)
        self._server.add_sockets(sockets)
        return self

    async def stop(self) -> None:
        """Release every waiting getUpdates, let answers go out, then close the connections."""
        self._stopped = True
        async with self._changed:
            self._changed.notify_all()
            await asyncio.wait_for(self._changed.wait_for(lambda: not self.in_flight), 5)
        if self._server:
            self._server.stop()
            await self._server.close_all_connections()

    async def __aenter__(self) -> "FakeTelegram":
        return await self.start()

    async def __aexit__(self, *exc: object) -> None:
        await self.stop()

    # What tests do: inject faults, push updates, wait for the bot's calls.

    def fail(self, method: str, status: int, *, times: int = 1, retry_after: int = 1) -> None:
        """The next `times` calls of `method` are answered with `status` (429, 502, ...)."""
        self._faults[method].extend(Fault(status, retry_after) for _ in range(times))

    def slow(self, method: str, seconds: float, *, times: int = 1) -> None:
        """The next `times` calls of `method` are answered normally, after `seconds`."""
        self._faults[method].extend(Fault(delay=seconds) for _ in range(times))

    def drop(self, method: str, *, times: int = 1, after: bool = False) -> None:
        """The next `times` calls of `method` lose their connection with no answer: before the
        call takes effect, or `after` it (getUpdates then hands the same updates out again,
        since the offset confirms only what the bot has received).
        """
        self._faults[method].extend(
            Fault(drop="after" if after else "before") for _ in range(times)
        )

    def heal(self, method: str) -> None:
        """The faults still waiting for `method` are forgotten: it works again."""
        self._faults[method].clear()

    def user(self, user_id: int = 1001, name: str = "Ana", language: str = "en") -> dict[str, Any]:
        """A user as Telegram describes one; `language`: the IETF tag of their app's language."""
        return {"id": user_id, "is_bot": False, "first_name": name, "language_code": language}

    def private_chat(self, user: dict[str, Any]) -> dict[str, Any]:
        return {"id": user["id"], "type": "private", "first_name": user["first_name"]}

    def group_chat(self, chat_id: int = -1001234567890, title: str = "Readers") -> dict[str, Any]:
        return {"id": chat_id, "type": "supergroup", "title": title}

    def message(
        self,
        text: str,
        *,
        user: dict[str, Any] | None = None,
        chat: dict[str, Any] | None = None,
        reply_to: dict[str, Any] | None = None,
    ) -> dict[str, Any]:
        """A message as Telegram builds it, with the entities it adds (commands, mentions)."""
        user = user or self.user()
        chat = chat or self.private_chat(user)
        message = self._new_message(chat, user, text)
        entities = _entities(text)
        if entities:
            message["entities"] = entities
        if reply_to is not None:
            message["reply_to_message"] = reply_to
        return message

    def push(self, kind: str, payload: dict[str, Any]) -> dict[str, Any]:
        """Queue an update of `kind` ("message", "callback_query", ...) for getUpdates."""
        update = {"update_id": next(self._update_ids), kind: payload}
        self._updates.append(update)
        self._notify()
        return update

    def push_text(self, text: str, **where: Any) -> dict[str, Any]:
        return self.push("message", self.message(text, **where))

    def push_button(
        self, data: str, message: dict[str, Any], user: dict[str, Any] | None = None
    ) -> str:
        """A press of a button with `data` under the bot's `message`; returns the query id."""
        query_id = str(next(self._query_ids))
        self._open_queries.add(query_id)
        query = {
            "id": query_id,
            "from": user or self.user(),
            "message": message,
            "chat_instance": str(message["chat"]["id"]),
            "data": data,
        }
        self.push("callback_query", query)
        return query_id

    def push_inline(self, query: str, user: dict[str, Any] | None = None) -> str:
        query_id = str(next(self._query_ids))
        self._open_queries.add(query_id)
        payload = {"id": query_id, "from": user or self.user(), "query": query, "offset": ""}
        self.push("inline_query", payload)
        return query_id

    def delete(self, message: dict[str, Any]) -> None:
        """A user deletes a message: replies to it then need allow_sending_without_reply."""
        self._messages.discard((message["chat"]["id"], message["message_id"]))

    def answers(self) -> Counter[int]:
        """The messages the bot sent, per chat: a chat answered twice counts 2."""
        return Counter(m["chat"]["id"] for m in self.sent)

    def calls_of(self, method: str) -> list[Call]:
        return [c for c in self.calls if c.method == method]

    async def wait_until(self, condition: Callable[[], object], timeout: float = 10) -> None:
        """Return once `condition()` holds; it is checked after every request the fake serves."""
        async with self._changed:
            await asyncio.wait_for(self._changed.wait_for(condition), timeout)

    async def wait_for(self, method: str, count: int = 1, timeout: float = 10) -> list[Call]:
        """The first `count` successful calls of `method`, waiting for them to arrive."""
        await self.wait_until(lambda: len(self.calls_of(method)) >= count, timeout)
        return self.calls_of(method)[:count]

    async def wait_polling(self, timeout: float = 10) -> None:
        """Return once the bot is waiting in getUpdates: it has started and takes updates."""
        await self.wait_until(lambda: self.polling > 0, timeout)

    async def deliver(self, url: str, update: dict[str, Any], secret: str | None) -> int:
        """POST an update to a webhook as Telegram does; the HTTP status the bot answered."""
        headers = {"X-Telegram-Bot-Api-Secret-Token": secret} if secret is not None else {}
        async with httpx.AsyncClient(trust_env=False) as client:
            response = await client.post(url, json=update, headers=headers)
        return response.status_code

    def _notify(self) -> None:
        async def notify() -> None:
            async with self._changed:
                self._changed.notify_all()

        asyncio.get_running_loop().create_task(notify())

    def _new_message(self, chat: dict[str, Any], user: dict[str, Any], text: str) -> dict:
        self._chats[chat["id"]] = chat
        message_id = next(self._message_ids)
        self._messages.add((chat["id"], message_id))
        return {
            "message_id": message_id,
            "date": int(time.time()),
            "chat": chat,
            "from": user,
            "text": text,
        }

    # The API methods, each taking decoded parameters and returning a result or ApiError.

    async def call(self, method: str, params: dict[str, Any]) -> Any:
        handler = getattr(self, f"_api_{method.lower()}", None)
        if handler is None:
            raise ApiError(400, "Bad Request: method not found")
        result = await handler(params)
        self.calls.append(Call(method, params))
        self._notify()
        return result

    async def _api_getme(self, params: dict) -> dict:
        return dict(self.bot, can_join_groups=True, supports_inline_queries=True)

    async def _api_setmycommands(self, params: dict) -> bool:
        commands = _required(params, "commands")
        language = params.get("language_code", "")
        if language and not re.fullmatch(r"[a-z]{2}", language):  # a two-letter ISO 639-1 code
            raise ApiError(400, "Bad Request: invalid language code specified")
        for command in commands:
            if not _BOT_COMMAND_NAME.fullmatch(command.get("command", "")):
                raise ApiError(400, "Bad Request: BOT_COMMAND_INVALID")
            if not 1 <= len(command.get("description", "")) <= 256:
                raise ApiError(400, "Bad Request: BOT_COMMAND_DESCRIPTION_INVALID")
        self.commands_by_language[language] = commands
        if not language:
            self.commands = commands
        return True

    async def _api_deletewebhook(self, params: dict) -> bool:
        self.webhook = None
        return True

    async def _api_setwebhook(self, params: dict) -> bool:
        url = _required(params, "url")
        if not url.startswith("https://"):
            raise ApiError(400, "Bad Request: bad webhook: An HTTPS URL must be provided")
        self.webhook = {"url": url, "secret_token": params.get("secret_token")}
        return True

    async def _api_getupdates(self, params: dict) -> list[dict]:
        if self.webhook is not None:
            raise ApiError(409, "Conflict: can't use getUpdates method while webhook is active")
        offset = int(params.get("offset") or 0)
        limit = int(params.get("limit") or 100)
        allowed = params.get("allowed_updates") or None
        if offset:
            self._updates = [u for u in self._updates if u["update_id"] >= offset]
        deadline = time.monotonic() + float(params.get("timeout") or 0)

        def ready() -> list[dict]:
            return [u for u in self._updates if allowed is None or _kind(u) in allowed][:limit]

        async with self._changed:
            self.polling += 1
            self._changed.notify_all()
            try:
                while not ready() and not self._stopped:
                    remaining = deadline - time.monotonic()
                    if remaining <= 0:
                        break
                    try:
                        await asyncio.wait_for(self._changed.wait(), remaining)
                    except TimeoutError:
                        break
            finally:
                self.polling -= 1
        updates = ready()
        now = time.perf_counter()
        for update in updates:
            self.delivered.setdefault(update["update_id"], now)
        return updates

    async def _api_sendmessage(self, params: dict) -> dict:
        chat = self._chats.get(_int(_required(params, "chat_id")))
        if chat is None:
            raise ApiError(400, "Bad Request: chat not found")
        text = _visible_text(_required(params, "text"), params.get("parse_mode"))
        _check_markup(params.get("reply_markup"))
        reply = params.get("reply_parameters") or {}
        missing = reply and (chat["id"], reply["message_id"]) not in self._messages
        if missing and not reply.get("allow_sending_without_reply"):
            raise ApiError(400, "Bad Request: message to be replied not found")
        message = self._new_message(chat, self.bot, text)
        if params.get("reply_markup"):
            message["reply_markup"] = params["reply_markup"]
        self.sent.append(message)
        return message

    async def _api_sendphoto(self, params: dict) -> dict:
        """A photo upload (multipart): a real PNG within Telegram's photo limits, a caption
        of at most 1024 visible characters."""
        chat = self._chats.get(_int(_required(params, "chat_id")))
        if chat is None:
            raise ApiError(400, "Bad Request: chat not found")
        photo = _required(params, "photo")
        if isinstance(photo, str) and photo.startswith("attach://"):
            photo = params.get(photo.removeprefix("attach://"))
        if not isinstance(photo, bytes):
            raise ApiError(400, "Bad Request: wrong file identifier/HTTP URL specified")
        width, height = _png_size(photo)
        caption = params.get("caption", "")
        visible = _visible_text(caption, params.get("parse_mode")) if caption else ""
        if utf16_len(visible) > MAX_CAPTION:
            raise ApiError(400, "Bad Request: message caption is too long")
        _check_markup(params.get("reply_markup"))
        message = self._new_message(chat, self.bot, "")
        del message["text"]
        message["caption"] = visible
        message["photo"] = [
            {"file_id": f"photo{message['message_id']}", "file_unique_id": "u", "width": width,
             "height": height, "file_size": len(photo)}
        ]  # fmt: skip
        self.photos.append(photo)
        if params.get("reply_markup"):
            message["reply_markup"] = params["reply_markup"]
        self.sent.append(message)
        return message

    async def _api_answercallbackquery(self, params: dict) -> bool:
        self._close_query(_required(params, "callback_query_id"))
        return True

    async def _api_answerinlinequery(self, params: dict) -> bool:
        self._close_query(_required(params, "inline_query_id"))
        results = _required(params, "results")
        if len(results) > 50:
            raise ApiError(400, "Bad Request: RESULTS_TOO_MUCH")
        ids = [r.get("id", "") for r in results]
        if len(set(ids)) != len(ids) or any(not 1 <= len(i.encode()) <= 64 for i in ids):
            raise ApiError(400, "Bad Request: RESULT_ID_INVALID")
        for result in results:
            if not result.get("title"):
                raise ApiError(400, "Bad Request: RESULT_TITLE_EMPTY")
            content = result.get("input_message_content") or {}
            _visible_text(content.get("message_text", ""), content.get("parse_mode"))
            _check_markup(result.get("reply_markup"))
        return True

    def _close_query(self, query_id: str) -> None:
        if query_id not in self._open_queries:
            raise ApiError(
                400,
                "Bad Request: query is too old and response timeout expired or query ID is invalid",
            )
        self._open_queries.discard(query_id)


class _Endpoint(tornado.web.RequestHandler):
    """POST /bot<token>/<method>: the envelope, the token check and the injected faults."""

    def initialize(self, fake: FakeTelegram) -> None:
        self.fake = fake

    def prepare(self) -> None:
        self.fake.in_flight += 1
        self._counted = True

    def on_finish(self) -> None:
        self._done()

    def on_connection_close(self) -> None:  # the client gave up (a poll cancelled at a stop)
        self._done()

    def _done(self) -> None:
        if getattr(self, "_counted", False):
            self._counted = False
            self.fake.in_flight -= 1
            self.fake._notify()

    async def get(self, token: str, method: str) -> None:
        await self.post(token, method)

    async def post(self, token: str, method: str) -> None:
        fake = self.fake
        if token != fake.token:
            return self._answer(
                401, {"ok": False, "error_code": 401, "description": "Unauthorized"}
            )
        try:
            params = self._params()
        except ApiError as exc:
            return self._error(exc)
        fault = fake._faults[method].popleft() if fake._faults[method] else None
        if fault is not None:
            await asyncio.sleep(fault.delay)
            if fault.delay:
                fake.faulted.append(Call(method, params))
            if fault.drop == "before":
                return self._drop(method, params)
            if fault.status is not None:
                fake.faulted.append(Call(method, params))
                return self._fault(fault)
        try:
            result = await fake.call(method, params)
        except ApiError as exc:
            return self._error(exc)
        if fault is not None and fault.drop == "after":
            return self._drop(method, params)
        self._answer(200, {"ok": True, "result": result})

    def _drop(self, method: str, params: dict[str, Any]) -> None:
        """Close the connection without a word, as a broken network does."""
        self.fake.faulted.append(Call(method, params))
        self.request.connection.stream.close()
        self._finished = True  # nothing will be sent: tornado must not try
        self.on_finish()

    def _params(self) -> dict[str, Any]:
        if self.request.headers.get("Content-Type", "").startswith("application/json"):
            try:
                return json.loads(self.request.body or b"{}")
            except ValueError:
                raise ApiError(400, "Bad Request: can't parse JSON body") from None
        params: dict[str, Any] = {}
        arguments = {**self.request.query_arguments, **self.request.body_arguments}
        for name, values in arguments.items():
            value = values[-1].decode()
            if name in _JSON_FIELDS:
                try:
                    value = json.loads(value)
                except ValueError:
                    raise ApiError(400, f"Bad Request: can't parse {name} JSON object") from None
            params[name] = value
        for name, files in self.request.files.items():  # multipart uploads: the bytes
            params[name] = files[-1].body
        return params

    def _fault(self, fault: Fault) -> None:
        if fault.status == 429:
            description = f"Too Many Requests: retry after {fault.retry_after}"
            body = {
                "ok": False,
                "error_code": 429,
                "description": description,
                "parameters": {"retry_after": fault.retry_after},
            }
            return self._answer(429, body)
        if fault.status < 500:
            description = _FAULT_DESCRIPTIONS.get(fault.status, "Bad Request")
            body = {"ok": False, "error_code": fault.status, "description": description}
            return self._answer(fault.status, body)
        self.set_status(fault.status)  # the proxy in front of the API answers 5xx in HTML
        self.set_header("Content-Type", "text/html")
        self.finish(f"<html><body><h1>{fault.status}</h1></body></html>")

    def _error(self, exc: ApiError) -> None:
        body = {"ok": False, "error_code": exc.status, "description": exc.description}
        if exc.parameters:
            body["parameters"] = exc.parameters
        self._answer(exc.status, body)

    def _answer(self, status: int, body: dict[str, Any]) -> None:
        self.set_status(status)
        self.set_header("Content-Type", "application/json")
        self.finish(json.dumps(body))


def _required(params: dict[str, Any], name: str) -> Any:
    value = params.get(name)
    if value in (None, ""):
        raise ApiError(400, f"Bad Request: parameter {name} is required")
    return value


def _int(value: Any) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        raise ApiError(400, "Bad Request: chat not found") from None


def _visible_text(text: str, parse_mode: str | None) -> str:
    if parse_mode not in (None, "HTML"):
        raise ApiError(400, f"Bad Request: unsupported parse_mode {parse_mode}")
    visible = text
    if parse_mode == "HTML":
        try:
            visible = parse_html(text)
        except EntityError as exc:
            raise ApiError(400, f"Bad Request: can't parse entities: {exc}") from None
    if not visible.strip():
        raise ApiError(400, "Bad Request: message text is empty")
    if utf16_len(visible) > MAX_MESSAGE:
        raise ApiError(400, "Bad Request: message is too long")
    return visible


def _png_size(data: bytes) -> tuple[int, int]:
    """(width, height) of a PNG, from its header; Telegram refuses what it cannot process."""
    if not data.startswith(PNG_SIGNATURE) or data[12:16] != b"IHDR":
        raise ApiError(400, "Bad Request: IMAGE_PROCESS_FAILED")
    if len(data) > MAX_PHOTO_BYTES:
        raise ApiError(400, "Bad Request: PHOTO_SAVE_FILE_INVALID")
    width, height = int.from_bytes(data[16:20], "big"), int.from_bytes(data[20:24], "big")
    if width + height > 10_000 or max(width, height) > 20 * min(width, height):
        raise ApiError(400, "Bad Request: PHOTO_INVALID_DIMENSIONS")
    return width, height


def _check_markup(markup: dict[str, Any] | None) -> None:
    if not markup:
        return
    for row in markup.get("inline_keyboard", []):
        for button in row:
            if not button.get("text"):
                raise ApiError(400, "Bad Request: BUTTON_TEXT_EMPTY")
            if len(BUTTON_ACTIONS & set(button)) != 1:
                raise ApiError(400, "Bad Request: BUTTON_TYPE_INVALID")
            inline = button.get("switch_inline_query_current_chat")
            if inline is not None and len(inline) > MAX_INLINE_QUERY:
                raise ApiError(400, "Bad Request: BUTTON_DATA_INVALID")
            data = button.get("callback_data")
            if data is not None and not 1 <= len(data.encode()) <= MAX_CALLBACK_BYTES:
                raise ApiError(400, "Bad Request: BUTTON_DATA_INVALID")


def _kind(update: dict[str, Any]) -> str:
    return next(k for k in update if k != "update_id")


def _entities(text: str) -> list[dict[str, Any]]:
    """The entities Telegram adds: a bot_command at offset 0, a mention for each @username."""
    entities = []
    command = _COMMAND.match(text)
    if command:
        entities.append({"type": "bot_command", "offset": 0, "length": utf16_len(command.group())})
    for mention in _MENTION.finditer(text):
        if command and mention.start() < command.end():
            continue
        entities.append(
            {
                "type": "mention",
                "offset": utf16_len(text[: mention.start()]),
                "length": utf16_len(mention.group()),
            }
        )
    return entities
