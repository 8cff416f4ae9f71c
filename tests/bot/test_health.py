import asyncio
from dataclasses import dataclass

import httpx
import pytest

from bot.health import HealthServer


@dataclass
class Part:
    """What the health check reads of an adapter: a name and a state."""

    name: str
    state: str = "up"


@pytest.fixture
async def health():
    parts = [Part("telegram"), Part("discord")]
    server = HealthServer(parts, lambda: 47, host="127.0.0.1", port=0)
    await server.start()
    yield server
    await server.stop()


async def get(server: HealthServer, path: str = "/healthz", method: str = "GET") -> httpx.Response:
    async with httpx.AsyncClient(trust_env=False) as client:
        return await client.request(method, f"http://127.0.0.1:{server.port}{path}")


async def test_all_up_is_200_with_states_and_fact_count(health):
    response = await get(health)
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/json"
    assert response.json() == {
        "status": "ok",
        "adapters": {"telegram": "up", "discord": "up"},
        "facts": 47,
    }


async def test_an_adapter_down_is_503_naming_it(health):
    health.adapters[1].state = "down"
    response = await get(health)
    assert response.status_code == 503
    assert response.json()["adapters"] == {"telegram": "up", "discord": "down"}
    health.adapters[1].state = "up"
    assert (await get(health)).status_code == 200


async def test_starting_is_not_healthy_yet(health):
    health.adapters[0].state = "starting"
    assert (await get(health)).status_code == 503


async def test_other_paths_and_methods(health):
    assert (await get(health, "/")).status_code == 404
    assert (await get(health, "/healthz?verbose=1")).status_code == 200
    assert (await get(health, method="POST")).status_code == 405
    head = await get(health, method="HEAD")
    assert head.status_code == 200 and head.content == b""


async def test_garbage_gets_400_and_the_server_goes_on(health):
    reader, writer = await asyncio.open_connection("127.0.0.1", health.port)
    writer.write(b"\x00\x01nonsense\r\n\r\n")
    await writer.drain()
    assert (await reader.read()).startswith(b"HTTP/1.1 400 ")
    writer.close()
    _, silent = await asyncio.open_connection("127.0.0.1", health.port)  # sends nothing, leaves
    silent.close()
    assert (await get(health)).status_code == 200


async def test_idle_connections_cannot_use_up_the_process_or_block_a_probe(health, caplog):
    idle = [await asyncio.open_connection("127.0.0.1", health.port) for _ in range(300)]
    await asyncio.sleep(0.2)
    assert (await get(health)).status_code == 200
    for _, writer in idle:
        writer.close()
    assert len(health._waiting) <= 64
    assert [r.levelname for r in caplog.records] == ["WARNING"]  # said once, no tracebacks
