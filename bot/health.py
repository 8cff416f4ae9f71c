"""GET /healthz for platform hosts and containers: 200 while every adapter is up, else 503.

A few lines of HTTP/1.1 on asyncio's own server: the probe needs nothing more, and the
bot's event loop already runs.
"""

import asyncio
import json
import logging
from collections.abc import Callable, Sequence
from typing import Protocol

log = logging.getLogger(__name__)

READ_TIMEOUT = 5.0  # seconds a client has to send its request line and headers
MAX_HEADER_BYTES = 8192
# Connections waiting to send their request: past this the oldest is closed, so idle
# clients cannot use up the process's file descriptors (and a new probe is still served).
MAX_WAITING = 64
UP = "up"
HEALTHY = frozenset({UP, "standby"})  # a standby poller is ready to take over: healthy


class Observed(Protocol):
    """What the health check reads of an adapter."""

    name: str

    @property
    def state(self) -> str: ...  # "up" when serving; anything else is down


class HealthServer:
    """Answers GET /healthz with each adapter's state and the number of facts serving."""

    name = "health"

    def __init__(
        self,
        adapters: Sequence[Observed],
        facts: Callable[[], int],
        *,
        host: str = "0.0.0.0",
        port: int = 8081,
    ) -> None:
        self.adapters = adapters
        self.facts = facts
        self.host = host
        self.port = port
        self._server: asyncio.Server | None = None
        self._waiting: dict[asyncio.StreamWriter, None] = {}  # oldest first
        self._shed = False

    async def start(self) -> None:
        self._server = await asyncio.start_server(self._serve, self.host, self.port)
        self.port = self._server.sockets[0].getsockname()[1]  # the real one when 0 was asked
        log.info("health: http://%s:%d/healthz", self.host, self.port)

    async def stop(self) -> None:
        if self._server is not None:
            self._server.close()
            await self._server.wait_closed()

    def report(self) -> tuple[int, dict[str, object]]:
        """The status code and body: 503 unless every adapter is up."""
        states = {a.name: a.state for a in self.adapters}
        healthy = all(state in HEALTHY for state in states.values())
        body = {"status": "ok" if healthy else "down", "adapters": states, "facts": self.facts()}
        return (200 if healthy else 503), body

    async def _serve(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self._make_room()
        self._waiting[writer] = None
        try:
            try:
                head = await asyncio.wait_for(reader.readuntil(b"\r\n\r\n"), READ_TIMEOUT)
            finally:
                self._waiting.pop(writer, None)
            method, path = _request_line(head)
            if path.split("?", 1)[0] != "/healthz":
                status, body = 404, {"error": "not found; try /healthz"}
            elif method not in ("GET", "HEAD"):
                status, body = 405, {"error": "GET /healthz"}
            else:
                status, body = self.report()
            await _respond(writer, status, body, head_only=method == "HEAD")
        except (TimeoutError, asyncio.IncompleteReadError, asyncio.LimitOverrunError, ValueError):
            await _respond(writer, 400, {"error": "bad request"})
        except ConnectionError:
            pass  # the client went away
        finally:
            writer.close()

    def _make_room(self) -> None:
        """Close the longest-waiting idle connection once too many wait (said once)."""
        if len(self._waiting) < MAX_WAITING:
            self._shed = False
            return
        if not self._shed:
            self._shed = True
            log.warning("health: over %d idle connections; closing the oldest", MAX_WAITING)
        oldest = next(iter(self._waiting))
        del self._waiting[oldest]
        oldest.close()


def _request_line(head: bytes) -> tuple[str, str]:
    if len(head) > MAX_HEADER_BYTES:
        raise ValueError("request head too large")
    method, path, _ = head.split(b"\r\n", 1)[0].decode("latin-1").split(" ", 2)
    return method, path


async def _respond(
    writer: asyncio.StreamWriter, status: int, body: dict[str, object], *, head_only: bool = False
) -> None:
    payload = json.dumps(body).encode()
    reason = {200: "OK", 400: "Bad Request", 404: "Not Found", 405: "Method Not Allowed"}
    head = (
        f"HTTP/1.1 {status} {reason.get(status, 'Service Unavailable')}\r\n"
        "Content-Type: application/json\r\n"
        f"Content-Length: {len(payload)}\r\n"
        "Cache-Control: no-store\r\n"
        "Connection: close\r\n\r\n"
    )
    try:
        writer.write(head.encode() + (b"" if head_only else payload))
        await writer.drain()
    except ConnectionError:
        pass
