"""The yardsticks for the Discord benchmark: a minimal discord.py bot whose /ask answers
with an embed, and nothing else (no buttons, no deferral, no escaping); with `--core`, the
embed holds this bot's core's reply to the question. Run by benchmarks.discord_bench: the
first shows what discord.py costs, the second what the core adds to it.

Settings from the environment: DISCORD_TOKEN, DISCORD_API_URL, DISCORD_GATEWAY_URL (and,
with --core, the bot's own settings).
"""

import asyncio
import os
import sys

import discord
import yarl
from discord import app_commands

from bot.adapters.discord_adapter import interaction_question
from bot.app import build_core
from bot.settings import Settings


def main(argv: list[str]) -> None:
    discord.http.Route.BASE = os.environ["DISCORD_API_URL"]
    discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY = yarl.URL(os.environ["DISCORD_GATEWAY_URL"])
    client = discord.Client(intents=discord.Intents(guilds=True))
    tree = app_commands.CommandTree(client)
    core = build_core(Settings(), chat=True) if "--core" in argv else None

    @tree.command(name="ask", description="Ask a question about the article")
    async def ask(interaction: discord.Interaction, question: str) -> None:
        if core is None:
            embed = discord.Embed(title=question[:256], description="An answer from the article.")
        else:
            # the question as the bot's adapter puts it to the core
            reply = await core.answer(interaction_question(interaction, f"/ask {question}"))
            text = reply.text or "Too many questions: wait a little."  # over the rate limit
            embed = discord.Embed(title=(reply.title or "")[:256], description=text[:4096])
        await interaction.response.send_message(embed=embed)

    asyncio.run(client.start(os.environ["DISCORD_TOKEN"]))


if __name__ == "__main__":
    main(sys.argv[1:])
