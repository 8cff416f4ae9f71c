"""A fake Discord on 127.0.0.1, port 0: REST under /api/v10 and a gateway websocket.

Strict where discord.py can tell: JSON answers carry Content-Type exactly
`application/json` (discord.py decodes nothing else); a 429 carries a `Via` header (without
one discord.py takes it for a Cloudflare ban); interaction callbacks are posted with
`?with_response=1` and get a JSON body back; the gateway speaks HELLO, heartbeat ACK,
IDENTIFY answered with READY and GUILD_CREATE, then the dispatches tests push. A session
outlives its connection: after a disconnect, RESUME replays what was dispatched meanwhile
(or, when tests ask, is refused with INVALID_SESSION and the bot must IDENTIFY again).
"""

import asyncio
import itertools
import json
import time
from collections import defaultdict, deque
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

from aiohttp import WSCloseCode, WSMsgType, web

TOKEN = "MTEwMDAwMDAwMDAwMDAwMDAwMQ.GfAkEt.fake-discord-token-for-tests_0123456789"
APP_ID = 1100000000000000001
GUILD_ID = 1200000000000000001
CHANNEL_ID = 1300000000000000001
MAX_CONTENT = 2000
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
EMBED_LIMITS = {"title": 256, "description": 4096, "footer": 2048, "field_name": 256}
EMBED_FIELD_VALUE = 1024
EMBED_TOTAL = 6000
OP_DISPATCH, OP_HEARTBEAT, OP_IDENTIFY, OP_RESUME = 0, 1, 2, 6
OP_RECONNECT, OP_INVALID_SESSION, OP_HELLO, OP_HEARTBEAT_ACK = 7, 9, 10, 11
MESSAGE_CONTENT_INTENT = 1 << 15
RESPONSE_WINDOW = 3.0  # seconds an interaction waits for its first response
DISCORD_EPOCH_MS = 1420070400000
CLOSE_DISALLOWED_INTENTS = 4014
CLOSE_AUTHENTICATION_FAILED = 4004


@dataclass
class Call:
    method: str
    path: str
    body: dict[str, Any] | list[Any] | None
    query: dict[str, str]
    at: float = field(default_factory=time.perf_counter)


class FakeDiscord:
    """One bot application, its servers (one by default) with a text channel each, and the
    users who talk to it. A sharded bot gets each server's events on the shard Discord
    assigns it, (server id >> 22) % shard count, and DMs on shard 0."""

    def __init__(self, token: str = TOKEN, guilds: tuple[int, ...] = (GUILD_ID,)) -> None:
        self.token = token
        self.guilds = guilds
        self.routed: dict[str, tuple[int, int]] = {}  # interaction id -> the shard it went to
        self._shard_of: dict[web.WebSocketResponse, tuple[int, int]] = {}
        self.bot_user = _user(APP_ID, "FactBot", bot=True)
        self.calls: list[Call] = []
        self.files: list[tuple[str, bytes]] = []  # (file name, bytes) the bot uploaded
        self.faulted: list[Call] = []
        self.identified: list[dict[str, Any]] = []
        self.refuse_message_content = False
        self.mute = False  # True: IDENTIFY and RESUME are never answered (a stuck gateway)
        self.refuse_resume = False  # True: RESUME gets INVALID_SESSION; events meanwhile are lost
        self.resumed = 0  # sessions resumed
        self.attempts = 0  # IDENTIFYs and RESUMEs received, answered or not
        self._connections: list[web.WebSocketResponse] = []  # every open gateway socket
        self._session = 0
        self._backlog: list[dict[str, Any]] = []  # this session's dispatches, for RESUME
        self._gateway_lock = asyncio.Lock()  # a replay and new dispatches never interleave
        self.commands: dict[str, list[dict[str, Any]]] = {}  # "global" or guild id -> commands
        self._faults: dict[str, deque[tuple[int, float]]] = defaultdict(deque)
        self._ids = _snowflakes()
        self._sockets: list[web.WebSocketResponse] = []
        self._sequence = itertools.count(1)
        self._changed = asyncio.Condition()
        self._interactions: dict[str, dict[str, Any]] = {}  # token -> interaction
        self._created: dict[str, float] = {}  # token -> when Discord created it (Unix time)
        self.dispatched: dict[str, float] = {}  # interaction id -> when the gateway sent it
        self.expired_calls = 0  # first responses that came after the 3-second window
        self._runner: web.AppRunner | None = None
        self.port = 0

    @property
    def api_base(self) -> str:
        """What Route.BASE becomes."""
        return f"http://127.0.0.1:{self.port}/api/v10"

    @property
    def gateway_url(self) -> str:
        """What DiscordWebSocket.DEFAULT_GATEWAY becomes."""
        return f"ws://127.0.0.1:{self.port}/"

    async def start(self) -> "FakeDiscord":
        app = web.Application()
        app.router.add_get("/", self._gateway)
        app.router.add_route("*", "/api/v10/{path:.*}", self._rest)
        self._runner = web.AppRunner(app, access_log=None)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        self.port = site._server.sockets[0].getsockname()[1]
        return self

    async def stop(self) -> None:
        for socket in list(self._sockets):
            await socket.close(code=WSCloseCode.GOING_AWAY)
        if self._runner:
            await self._runner.cleanup()

    async def __aenter__(self) -> "FakeDiscord":
        return await self.start()

    async def __aexit__(self, *exc: object) -> None:
        await self.stop()

    # What tests do.

    def fail(self, route: str, status: int, *, times: int = 1, retry_after: float = 0.2) -> None:
        """The next `times` requests to `route` ("POST /channels/{id}/messages") get `status`."""
        self._faults[route].extend((status, retry_after) for _ in range(times))

    def user(self, user_id: int = 1500000000000000001, name: str = "ana") -> dict[str, Any]:
        return _user(user_id, name)

    def message(
        self,
        content: str,
        *,
        author: dict[str, Any] | None = None,
        dm: bool = False,
        mentions: list[dict[str, Any]] = (),
        reply_to: dict[str, Any] | None = None,
        ping: bool = True,
    ) -> dict[str, Any]:
        """A MESSAGE_CREATE payload as Discord builds it for a bot without message_content.

        Without the intent Discord blanks content unless the bot is mentioned, the message is
        a DM, or it replies to the bot with a ping (`ping`, Discord's default for a reply);
        the fake does the same.
        """
        author = author or self.user()
        mentioned = [*mentions]
        pinged = reply_to is not None and ping
        if pinged and reply_to["author"]["id"] not in {m["id"] for m in mentioned}:
            mentioned.append(reply_to["author"])
        addressed = dm or any(m["id"] == self.bot_user["id"] for m in mentioned)
        message = {
            "id": str(next(self._ids)),
            "channel_id": str(self.dm_channel(author)["id"] if dm else CHANNEL_ID),
            "author": author,
            "content": content if addressed or self._content_intent else "",
            "timestamp": _now(),
            "edited_timestamp": None,
            "tts": False,
            "mention_everyone": "@everyone" in content,
            "mentions": mentioned,
            "mention_roles": [],
            "attachments": [],
            "embeds": [],
            "pinned": False,
            "type": 19 if reply_to else 0,
            "flags": 0,
        }
        if not dm:
            message["guild_id"] = str(GUILD_ID)
            message["member"] = _member(author)
        if reply_to is not None:
            message["message_reference"] = {
                "message_id": reply_to["id"],
                "channel_id": reply_to["channel_id"],
                "guild_id": reply_to.get("guild_id"),
            }
            message["referenced_message"] = reply_to
        return message

    def dm_channel(self, user: dict[str, Any]) -> dict[str, Any]:
        return {"id": str(int(user["id"]) + 1), "type": 1, "recipients": [user]}

    async def push_message(self, content: str, **options: Any) -> dict[str, Any]:
        message = self.message(content, **options)
        await self.dispatch("MESSAGE_CREATE", message)
        return message

    async def push_command(
        self, name: str, options: dict[str, str] | None = None, *, dm: bool = False, **extra: Any
    ) -> dict[str, Any]:
        """A slash command as INTERACTION_CREATE (type 2); `options` are string options;
        `extra`: `user`, `age` (see _interact)."""
        data = {
            "id": str(next(self._ids)),
            "name": name,
            "type": 1,
            "options": [{"name": k, "type": 3, "value": v} for k, v in (options or {}).items()],
        }
        return await self._interact(2, data, dm=dm, **extra)

    async def push_autocomplete(self, name: str, option: str, typed: str) -> dict[str, Any]:
        data = {
            "id": str(next(self._ids)),
            "name": name,
            "type": 1,
            "options": [{"name": option, "type": 3, "value": typed, "focused": True}],
        }
        return await self._interact(4, data)

    async def push_button(self, custom_id: str, message: dict[str, Any] | None = None) -> dict:
        """A button press (component interaction, type 3) on `message` (a bot message)."""
        data = {"custom_id": custom_id, "component_type": 2}
        button = {"type": 2, "style": 2, "label": "A question", "custom_id": custom_id}
        message = message or {
            **self.message("an old answer", author=self.bot_user),
            "components": [{"type": 1, "components": [button]}],
        }
        return await self._interact(3, data, message=message)

    async def dispatch(self, event: str, data: dict[str, Any]) -> None:
        """Send a DISPATCH to the shard its server is on (a DM: shard 0); while the session
        is disconnected, RESUME will replay it."""
        async with self._gateway_lock:
            payload = {"op": OP_DISPATCH, "t": event, "s": next(self._sequence), "d": data}
            self._backlog.append(payload)
            guild = data.get("guild_id")
            for socket in list(self._sockets):
                shard, count = self._shard_of.get(socket, (0, 1))
                if (int(guild) >> 22) % count == shard if guild else shard == 0:
                    if event == "INTERACTION_CREATE":
                        self.routed[data["id"]] = (shard, count)
                    await socket.send_str(json.dumps(payload))

    async def disconnect(self, code: int = 4000) -> None:
        """Drop every gateway connection with a close code discord.py resumes after."""
        self._sockets.clear()
        for socket in list(self._connections):
            await socket.close(code=code, message=b"fake disconnect")
        await self._notify()

    def calls_to(self, method: str, prefix: str) -> list[Call]:
        return [c for c in self.calls if c.method == method and c.path.startswith(prefix)]

    @property
    def sent(self) -> list[dict[str, Any]]:
        """Every message body the bot sent: channel messages, interaction replies, follow-ups."""
        bodies = []
        for call in self.calls:
            body = call.body if isinstance(call.body, dict) else {}
            channel = call.method == "POST" and call.path.startswith("/channels/")
            webhook = call.method in ("POST", "PATCH") and call.path.startswith("/webhooks/")
            if call.path.endswith("/callback") and body.get("type") in (4, 7):
                bodies.append(body["data"])
            elif channel or webhook:
                bodies.append(body)
        return bodies

    def answers(self) -> dict[str, list[Call]]:
        """The answers the bot sent, by where they went: a channel id for a message, an
        interaction token for a slash command (its reply, or a follow-up after deferring).
        """
        answers: dict[str, list[Call]] = defaultdict(list)
        for call in self.calls:
            parts = call.path.strip("/").split("/")
            body = call.body if isinstance(call.body, dict) else {}
            if call.method != "POST":
                continue
            if parts[0] == "channels":
                answers[parts[1]].append(call)
            elif (parts[0] == "interactions" and body.get("type") == 4) or parts[0] == "webhooks":
                answers[parts[2]].append(call)
        return answers

    async def wait_until(self, condition: Callable[[], object], timeout: float = 10) -> None:
        async with self._changed:
            await asyncio.wait_for(self._changed.wait_for(condition), timeout)

    async def wait_until_calls(
        self, method: str, prefix: str, count: int = 1, timeout: float = 10
    ) -> list[Call]:
        """The first `count` successful `method` calls to paths starting with `prefix`."""
        await self.wait_until(lambda: len(self.calls_to(method, prefix)) >= count, timeout)
        return self.calls_to(method, prefix)[:count]

    async def wait_sent(self, count: int = 1, timeout: float = 10) -> list[dict[str, Any]]:
        await self.wait_until(lambda: len(self.sent) >= count, timeout)
        return self.sent[:count]

    async def wait_connected(self, timeout: float = 10) -> None:
        """Return once a gateway session has identified and had its READY."""
        await self.wait_until(lambda: self._sockets and self.identified, timeout)

    async def _interact(
        self,
        kind: int,
        data: dict[str, Any],
        *,
        dm: bool = False,
        message: dict[str, Any] | None = None,
        user: dict[str, Any] | None = None,
        age: float = 0.0,
        locale: str = "en-US",
        guild: int = GUILD_ID,
    ) -> dict[str, Any]:
        """`age`: seconds since Discord created it (it reached the bot late); `locale`: the
        language the user's Discord client is set to."""
        user = user or self.user()
        created = time.time() - age
        interaction = {
            "id": str(_snowflake_at(created)),
            "application_id": str(APP_ID),
            "type": kind,
            "data": data,
            "token": f"interaction-token-{next(self._ids)}",
            "version": 1,
            "locale": locale,
            "app_permissions": "2248473465835073",
            "entitlements": [],
            "attachment_size_limit": 10485760,
            "authorizing_integration_owners": {"0": str(guild)},
        }
        if dm:
            channel = self.dm_channel(user)
            interaction.update(channel_id=channel["id"], channel=channel, user=user, context=1)
        else:
            interaction.update(
                guild_id=str(guild),
                channel_id=str(channel_of(guild)),
                channel=_text_channel(guild),
                member=_member(user),
                guild_locale="en-US",
                context=0,
                guild={"id": str(guild), "locale": "en-US", "features": []},
            )
        if message is not None:
            interaction["message"] = message
        self._interactions[interaction["token"]] = interaction
        self._created[interaction["token"]] = created
        self.dispatched[interaction["id"]] = time.perf_counter()
        await self.dispatch("INTERACTION_CREATE", interaction)
        return interaction

    @property
    def _content_intent(self) -> bool:
        return bool(self.identified) and bool(
            self.identified[-1].get("intents", 0) & MESSAGE_CONTENT_INTENT
        )

    async def _notify(self) -> None:
        async with self._changed:
            self._changed.notify_all()

    # The gateway.

    async def _gateway(self, request: web.Request) -> web.WebSocketResponse:
        socket = web.WebSocketResponse()
        await socket.prepare(request)
        await socket.send_str(json.dumps({"op": OP_HELLO, "d": {"heartbeat_interval": 41250}}))
        self._connections.append(socket)
        try:
            async for frame in socket:
                if frame.type != WSMsgType.TEXT:
                    continue
                await self._on_gateway(socket, json.loads(frame.data))
        finally:
            self._connections.remove(socket)
            self._shard_of.pop(socket, None)
            if socket in self._sockets:
                self._sockets.remove(socket)
            await self._notify()
        return socket

    async def _on_gateway(self, socket: web.WebSocketResponse, payload: dict[str, Any]) -> None:
        op, data = payload.get("op"), payload.get("d")
        if op == OP_HEARTBEAT:
            await socket.send_str(json.dumps({"op": OP_HEARTBEAT_ACK}))
        elif op in (OP_IDENTIFY, OP_RESUME):
            self.attempts += 1
            await self._notify()
            if self.mute:
                return
            if op == OP_IDENTIFY:
                await self._identify(socket, data)
            else:
                await self._resume(socket, data)

    async def _identify(self, socket: web.WebSocketResponse, data: dict[str, Any]) -> None:
        """Check the token and intents; then a new session: READY and GUILD_CREATE."""
        if data.get("token") != self.token:
            await socket.close(code=CLOSE_AUTHENTICATION_FAILED, message=b"Auth failed.")
            return
        if self.refuse_message_content and data.get("intents", 0) & MESSAGE_CONTENT_INTENT:
            await socket.close(code=CLOSE_DISALLOWED_INTENTS, message=b"Disallowed intent(s).")
            return
        async with self._gateway_lock:
            self._session += 1
            self._sequence = itertools.count(1)
            self._backlog = []
            self.identified.append(data)
            self._sockets.append(socket)
            self._shard_of[socket] = tuple(data.get("shard") or (0, 1))
            await self._ready(socket, data.get("shard"))
        await self._notify()

    async def _resume(self, socket: web.WebSocketResponse, data: dict[str, Any]) -> None:
        """Replay what the session missed since `seq`, then RESUMED; or INVALID_SESSION."""
        current = data.get("session_id") == self._session_id and data.get("token") == self.token
        if self.refuse_resume or not current:
            await socket.send_str(json.dumps({"op": OP_INVALID_SESSION, "d": False}))
            return
        async with self._gateway_lock:
            self._sockets.append(socket)
            for payload in self._backlog:
                if payload["s"] > (data.get("seq") or 0):
                    await socket.send_str(json.dumps(payload))
            resumed = {"op": OP_DISPATCH, "t": "RESUMED", "s": next(self._sequence), "d": {}}
            await socket.send_str(json.dumps(resumed))
            self.resumed += 1
        await self._notify()

    @property
    def _session_id(self) -> str:
        return f"fake-session-{self._session}"

    async def _ready(self, socket: web.WebSocketResponse, shard: list[int] | None) -> None:
        ready = {
            "v": 10,
            "user": self.bot_user,
            "guilds": [{"id": str(GUILD_ID), "unavailable": True}],
            "session_id": self._session_id,
            "resume_gateway_url": self.gateway_url,
            "application": {"id": str(APP_ID), "flags": 0},
        }
        number, count = shard or (0, 1)
        mine = [g for g in self.guilds if (g >> 22) % count == number]
        ready["guilds"] = [{"id": str(g), "unavailable": True} for g in mine]
        if shard is not None:
            ready["shard"] = shard
        events = [("READY", ready), *(("GUILD_CREATE", self._guild(g)) for g in mine)]
        for event, data in events:
            payload = {"op": OP_DISPATCH, "t": event, "s": next(self._sequence), "d": data}
            await socket.send_str(json.dumps(payload))

    def _guild(self, guild_id: int = GUILD_ID) -> dict[str, Any]:
        return {
            "id": str(guild_id),
            "name": "Readers",
            "icon": None,
            "owner_id": "1500000000000000099",
            "roles": [_everyone_role(guild_id)],
            "emojis": [],
            "stickers": [],
            "features": [],
            "channels": [_text_channel(guild_id)],
            "threads": [],
            "members": [_member(self.bot_user)],
            "member_count": 3,
            "joined_at": _now(),
            "large": False,
            "unavailable": False,
            "voice_states": [],
            "presences": [],
            "stage_instances": [],
            "guild_scheduled_events": [],
            "premium_tier": 0,
            "mfa_level": 0,
            "verification_level": 0,
            "explicit_content_filter": 0,
            "default_message_notifications": 0,
            "system_channel_flags": 0,
            "preferred_locale": "en-US",
            "nsfw_level": 0,
            "premium_progress_bar_enabled": False,
        }

    # REST.

    async def _rest(self, request: web.Request) -> web.Response:
        path = "/" + request.match_info["path"]
        body = await _body(request)
        call = Call(request.method, path, body, dict(request.query))
        if request.headers.get("Authorization") != f"Bot {self.token}" and not path.startswith(
            ("/interactions/", "/webhooks/")
        ):
            return _json({"message": "401: Unauthorized", "code": 0}, 401)
        route = f"{request.method} {_template(path)}"
        if self._faults[route]:
            status, retry_after = self._faults[route].popleft()
            self.faulted.append(call)
            await self._notify()
            return _fault(status, retry_after)
        try:
            result = self._handle(request.method, path, body, request.query)
        except _ApiError as exc:
            return _json({"message": exc.message, "code": exc.code}, exc.status)
        self.calls.append(call)
        await self._notify()
        if result is None:
            return web.Response(status=204)
        return _json(result)

    def _handle(self, method: str, path: str, body: Any, query: Any) -> Any:
        parts = path.strip("/").split("/")
        if method == "GET" and path == "/users/@me":
            return self.bot_user
        if method == "GET" and path == "/oauth2/applications/@me":
            return _application(self.bot_user)
        if method == "GET" and path in ("/gateway", "/gateway/bot"):
            limit = {"total": 1000, "remaining": 999, "reset_after": 0, "max_concurrency": 1}
            return {"url": self.gateway_url, "shards": 1, "session_start_limit": limit}
        if method == "POST" and parts[0] == "channels" and parts[2:] == ["messages"]:
            _check_message(body)
            return self._stored(body, parts[1])
        if method == "POST" and parts[0] == "interactions" and parts[3:] == ["callback"]:
            return self._callback(parts[1], parts[2], body, query)
        if parts[0] == "webhooks" and len(parts) >= 3:
            return self._webhook(method, parts[2], body)
        if method == "PUT" and parts[0] == "applications" and parts[-1] == "commands":
            scope = parts[3] if parts[2] == "guilds" else "global"
            self.commands[scope] = [dict(c, id=str(next(self._ids))) for c in body]
            return [dict(c, application_id=str(APP_ID), version="1") for c in self.commands[scope]]
        raise _ApiError(404, "404: Not Found", 0)

    def _callback(self, interaction_id: str, token: str, body: dict, query: Any) -> dict:
        interaction = self._interactions.get(token)
        if interaction is None or interaction["id"] != interaction_id:
            raise _ApiError(404, "Unknown interaction", 10062)
        if interaction.get("answered"):
            raise _ApiError(400, "Interaction has already been acknowledged.", 40060)
        if time.time() - self._created[token] > RESPONSE_WINDOW:  # as Discord: gone
            self.expired_calls += 1
            raise _ApiError(404, "Unknown interaction", 10062)
        if query.get("with_response") != "1":
            raise _ApiError(400, "the fake expects ?with_response=1 as discord.py 2.7 sends", 0)
        interaction["answered"] = True
        kind = body.get("type")
        response = {
            "interaction": {
                "id": interaction_id,
                "type": interaction["type"],
                "response_message_loading": kind == 5,
                "response_message_ephemeral": bool((body.get("data") or {}).get("flags", 0) & 64),
            }
        }
        if kind in (4, 7):
            data = {**(body.get("data") or {}), "_uploads": body.get("_uploads", {})}
            _check_message(data)
            message = self._stored(data, interaction["channel_id"])
            response["interaction"]["response_message_id"] = message["id"]
            response["resource"] = {"type": kind, "message": message}
        elif kind == 8:
            choices = (body.get("data") or {}).get("choices", [])
            if len(choices) > 25 or any(not 1 <= len(c["name"]) <= 100 for c in choices):
                raise _ApiError(400, "Invalid Form Body: choices", 50035)
        return response

    def _webhook(self, method: str, token: str, body: Any) -> dict:
        interaction = self._interactions.get(token)
        if interaction is None or not interaction.get("answered"):
            raise _ApiError(404, "Unknown Webhook", 10015)
        _check_message(body or {})
        return self._stored(body or {}, interaction["channel_id"])

    def _stored(self, body: dict[str, Any], channel_id: str) -> dict[str, Any]:
        """The message Discord stores and returns for a body the bot sent."""
        uploads = body.get("_uploads") or {}
        attachments = [
            {"id": str(next(self._ids)), "filename": name, "size": len(data),
             "url": f"https://cdn.invalid/{name}", "proxy_url": f"https://cdn.invalid/{name}"}
            for name, data in uploads.items()
        ]  # fmt: skip
        self.files += uploads.items()
        return {
            **self.message("", author=self.bot_user, dm=True),
            "attachments": attachments,
            "channel_id": channel_id,
            "content": body.get("content") or "",
            "embeds": body.get("embeds") or [],
            "components": body.get("components") or [],
            "flags": body.get("flags", 0),
        }


class _ApiError(Exception):
    def __init__(self, status: int, message: str, code: int) -> None:
        super().__init__(message)
        self.status, self.message, self.code = status, message, code


def _check_message(body: dict[str, Any]) -> None:
    """Discord's limits on what a bot sends, answered 400 "Invalid Form Body" as Discord does."""
    if len(body.get("content") or "") > MAX_CONTENT:
        raise _ApiError(400, "Invalid Form Body: content: Must be 2000 or fewer in length.", 50035)
    embeds = body.get("embeds") or []
    if len(embeds) > 10:
        raise _ApiError(400, "Invalid Form Body: embeds: Must be 10 or fewer in length.", 50035)
    total = 0
    for embed in embeds:
        texts = {
            "title": embed.get("title") or "",
            "description": embed.get("description") or "",
            "footer": (embed.get("footer") or {}).get("text") or "",
        }
        for name, text in texts.items():
            if len(text) > EMBED_LIMITS[name]:
                raise _ApiError(400, f"Invalid Form Body: embeds.{name}: too long", 50035)
        for embed_field in embed.get("fields") or []:
            if len(embed_field["name"]) > 256 or len(embed_field["value"]) > EMBED_FIELD_VALUE:
                raise _ApiError(400, "Invalid Form Body: embeds.fields: too long", 50035)
            total += len(embed_field["name"]) + len(embed_field["value"])
        total += sum(len(t) for t in texts.values())
    if total > EMBED_TOTAL:
        raise _ApiError(400, "Invalid Form Body: embeds: Embed size exceeds maximum size", 50035)
    uploads = body.get("_uploads") or {}
    for name, data in uploads.items():
        if name.endswith(".png") and not data.startswith(PNG_SIGNATURE):
            raise _ApiError(400, f"Invalid Form Body: files: {name} is not a PNG", 50035)
    for embed in embeds:  # an embed may show only a file the message carries
        image = (embed.get("image") or {}).get("url", "")
        if image.startswith("attachment://") and image.removeprefix("attachment://") not in uploads:
            raise _ApiError(400, "Invalid Form Body: embeds.image: unknown attachment", 50035)
    filled = body.get("content") or embeds or body.get("components") or uploads
    if not filled and body.get("type") != 5:
        raise _ApiError(400, "Cannot send an empty message", 50006)
    for row in body.get("components") or []:
        for component in row.get("components", []):
            if len(component.get("custom_id", "")) > 100 or len(component.get("label", "")) > 80:
                raise _ApiError(400, "Invalid Form Body: components", 50035)


async def _body(request: web.Request) -> Any:
    if not request.can_read_body:
        return None
    if request.content_type == "application/json":
        return await request.json()
    if request.content_type.startswith("multipart/"):  # a message with files, as discord.py
        form = await request.post()  # sends it: payload_json, then files[0], files[1]...
        body = json.loads(form["payload_json"])
        body["_uploads"] = {
            part.filename: part.file.read()
            for name, part in form.items()
            if name.startswith("files[") and isinstance(part, web.FileField)
        }
        return body
    return None


def _json(body: Any, status: int = 200, **headers: str) -> web.Response:
    """Content-Type exactly application/json: discord.py decodes nothing else."""
    return web.Response(
        status=status,
        body=json.dumps(body).encode(),
        headers={"Content-Type": "application/json", **headers},
    )


def _fault(status: int, retry_after: float) -> web.Response:
    if status == 429:
        body = {"message": "You are being rate limited.", "retry_after": retry_after}
        body["global"] = False
        return _json(body, 429, Via="1.1 google", **{"Retry-After": str(retry_after)})
    if status >= 500:
        return web.Response(status=status, text="upstream connect error", content_type="text/plain")
    return _json({"message": "fault", "code": 0}, status)


def _template(path: str) -> str:
    """ "/channels/123/messages" -> "/channels/{id}/messages": the route a fault is set on."""
    return "/".join(
        "{id}" if p.isdigit() or p.startswith("interaction-token") else p for p in path.split("/")
    )


def _snowflakes() -> Iterator[int]:
    """Ids as Discord makes them: the creation time in the top bits (discord.py reads it)."""
    for counter in itertools.count():
        yield _snowflake_at(time.time(), counter)


_counter = itertools.count()


def _snowflake_at(when: float, counter: int | None = None) -> int:
    millis = int(when * 1000) - DISCORD_EPOCH_MS
    return (millis << 22) | ((next(_counter) if counter is None else counter) & 0x3FFFFF)


def _now() -> str:
    return time.strftime("%Y-%m-%dT%H:%M:%S.000000+00:00", time.gmtime())


def _user(user_id: int, name: str, *, bot: bool = False) -> dict[str, Any]:
    user = {
        "id": str(user_id),
        "username": name,
        "discriminator": "0",
        "global_name": name.title(),
        "avatar": None,
        "public_flags": 0,
    }
    if bot:
        user["bot"] = True
    return user


def _member(user: dict[str, Any]) -> dict[str, Any]:
    return {
        "user": user,
        "roles": [],
        "joined_at": _now(),
        "deaf": False,
        "mute": False,
        "flags": 0,
        "permissions": "2248473465835073",
    }


def channel_of(guild_id: int) -> int:
    """The text channel of a server: CHANNEL_ID for the default one."""
    return CHANNEL_ID if guild_id == GUILD_ID else guild_id + 1


def _everyone_role(guild_id: int = GUILD_ID) -> dict[str, Any]:
    return {
        "id": str(guild_id),
        "name": "@everyone",
        "permissions": "2248473465835073",
        "position": 0,
        "color": 0,
        "hoist": False,
        "managed": False,
        "mentionable": False,
        "flags": 0,
    }


def _text_channel(guild_id: int = GUILD_ID) -> dict[str, Any]:
    return {
        "id": str(channel_of(guild_id)),
        "type": 0,
        "guild_id": str(guild_id),
        "name": "general",
        "position": 0,
        "permission_overwrites": [],
        "nsfw": False,
        "parent_id": None,
        "topic": None,
        "last_message_id": None,
        "rate_limit_per_user": 0,
        "flags": 0,
    }


def _application(bot_user: dict[str, Any]) -> dict[str, Any]:
    return {
        "id": str(APP_ID),
        "name": "FactBot",
        "icon": None,
        "description": "Answers questions about one article",
        "bot_public": True,
        "bot_require_code_grant": False,
        "owner": _user(1500000000000000099, "owner"),
        "verify_key": "0" * 64,
        "flags": 0,
        "bot": bot_user,
        "team": None,
        "summary": "",
        "interactions_endpoint_url": None,
    }
