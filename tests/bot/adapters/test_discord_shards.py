"""Discord shard groups in separate processes: two real `python -m bot discord` processes
run two shards each of four, against the fake Discord that routes each server's events to
its shard, (server id >> 22) % 4, and DMs to shard 0."""

import asyncio

from tests.conftest import bot_process
from tests.fakes.discord_api import TOKEN, FakeDiscord

COUNT = 4
GROUPS = ("0,1", "2,3")
GUILDS = tuple((1_300_000 + n) << 22 for n in range(COUNT))  # one server on each shard


async def test_two_shard_groups_each_answer_only_their_servers_once(tmp_path):
    async with FakeDiscord(guilds=GUILDS) as fake:
        env = {
            "DISCORD_TOKEN": TOKEN, "DISCORD_API_URL": fake.api_base,
            "DISCORD_GATEWAY_URL": fake.gateway_url, "DISCORD_SHARD_COUNT": str(COUNT),
            "LOG_LEVEL": "WARNING",
        }  # fmt: skip
        log = tmp_path / "shards.log"
        async with (
            bot_process("discord", output=log, DISCORD_SHARD_IDS=GROUPS[0], **env),
            bot_process("discord", output=log, DISCORD_SHARD_IDS=GROUPS[1], **env),
        ):
            await fake.wait_until(lambda: len(fake.identified) >= COUNT, 60)
            await asyncio.sleep(1)  # the last shard's servers arrived too
            asked = [
                await fake.push_command("ask", {"question": "Who is Edi Rama?"}, guild=g)
                for g in GUILDS
            ]
            asked.append(await fake.push_command("ask", {"question": "Who is Edi Rama?"}, dm=True))
            await fake.wait_until(lambda: len(fake.calls_to("POST", "/interactions/")) >= 5, 30)
            await asyncio.sleep(0.5)  # room for a second answer to show
    shards = sorted(tuple(d["shard"]) for d in fake.identified)
    assert shards == [(n, COUNT) for n in range(COUNT)], "each shard opened once, by its group"
    answered = [c.path.split("/")[2] for c in fake.calls_to("POST", "/interactions/")]
    assert sorted(answered) == sorted(i["id"] for i in asked), "each question answered once"
    for guild, interaction in zip(GUILDS, asked, strict=False):
        assert fake.routed[interaction["id"]] == ((guild >> 22) % COUNT, COUNT)
    assert fake.routed[asked[-1]["id"]] == (0, COUNT), "a DM goes to shard 0"
