"""DiscordAdapter.sync_commands when Discord does not answer: one AdapterError, in time.

(Refused connections and refusals are tested through `python -m bot discord-sync` in
tests/bot/test_cli.py; a silence needs a short timeout, which only the adapter takes.)
"""

import asyncio
from collections.abc import AsyncIterator

import discord
import pytest

from bot.adapters import AdapterError
from bot.adapters.discord_adapter import DiscordAdapter
from bot.core import Core
from tests.fakes.discord_api import TOKEN


@pytest.fixture
async def silent(monkeypatch: pytest.MonkeyPatch) -> AsyncIterator[str]:
    """A REST base on 127.0.0.1 that accepts connections and never answers."""
    held: list[asyncio.StreamWriter] = []

    async def hold(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        held.append(writer)

    server = await asyncio.start_server(hold, "127.0.0.1", 0)
    base = f"http://127.0.0.1:{server.sockets[0].getsockname()[1]}/api"
    monkeypatch.setattr(discord.http.Route, "BASE", base)
    yield base
    for writer in held:
        writer.close()
    server.close()
    await server.wait_closed()


async def test_sync_gives_up_on_a_silent_discord_within_its_timeout(core: Core, silent: str):
    adapter = DiscordAdapter(core, token=TOKEN, start_timeout=0.5)
    with pytest.raises(AdapterError, match=r"^cannot reach Discord: no answer within 0.5 s$"):
        await asyncio.wait_for(adapter.sync_commands(), 10)
