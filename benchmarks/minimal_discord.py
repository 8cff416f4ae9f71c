"""The yardstick for the Discord benchmark: a minimal discord.py bot whose /ask answers
with an embed, and nothing else (no core, no buttons). Run by benchmarks.discord_bench.

Settings from the environment: DISCORD_TOKEN, DISCORD_API_URL, DISCORD_GATEWAY_URL.
"""

import asyncio
import os

import discord
import yarl
from discord import app_commands


def main() -> None:
    discord.http.Route.BASE = os.environ["DISCORD_API_URL"]
    discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY = yarl.URL(os.environ["DISCORD_GATEWAY_URL"])
    client = discord.Client(intents=discord.Intents(guilds=True))
    tree = app_commands.CommandTree(client)

    @tree.command(name="ask", description="Ask a question about the article")
    async def ask(interaction: discord.Interaction, question: str) -> None:
        embed = discord.Embed(title=question[:256], description="An answer from the article.")
        await interaction.response.send_message(embed=embed)

    asyncio.run(client.start(os.environ["DISCORD_TOKEN"]))


if __name__ == "__main__":
    main()
