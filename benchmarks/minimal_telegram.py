"""The yardsticks for the Telegram benchmark: a minimal python-telegram-bot bot that answers
each text message with an HTML reply, and nothing else (no buttons, no delivery record), on
PTB's defaults; with `--core`, the reply is this bot's core's. Run by
benchmarks.telegram_bench: the first shows what python-telegram-bot costs, the second what
the core adds to it. (With `concurrent_updates(True)` both are slower here: each send then
queues in httpx's 256-connection pool, whose cost grows with the queue.)

Settings from the environment: TELEGRAM_TOKEN, TELEGRAM_API_URL (and, with --core, the
bot's own settings).
"""

import html
import os
import sys

from telegram import Update
from telegram.constants import ParseMode
from telegram.ext import Application, ContextTypes, MessageHandler, filters

from bot.adapters.telegram_adapter import to_question
from bot.app import build_core
from bot.core import Core
from bot.settings import Settings


async def answer(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    question = html.escape(update.message.text[:100])
    await update.message.reply_text(
        f"<b>{question}</b>\nAn answer from the article.", parse_mode=ParseMode.HTML
    )


def answer_with(core: Core):
    """A handler replying with the core's answer, its title in bold."""

    async def answer_from_core(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        message = update.message
        # the question as the bot's adapter puts it to the core
        reply = await core.answer(to_question(message.chat, message.from_user, message.text))
        if reply.silent:  # over the rate limit
            return
        title = f"<b>{html.escape(reply.title)}</b>\n" if reply.title else ""
        await message.reply_text(title + html.escape(reply.text), parse_mode=ParseMode.HTML)

    return answer_from_core


def main(argv: list[str]) -> None:
    application = (
        Application.builder()
        .token(os.environ["TELEGRAM_TOKEN"])
        .base_url(os.environ["TELEGRAM_API_URL"])
        .build()
    )
    handler = answer_with(build_core(Settings(), chat=True)) if "--core" in argv else answer
    application.add_handler(MessageHandler(filters.TEXT, handler))
    application.run_polling(allowed_updates=["message"])


if __name__ == "__main__":
    main(sys.argv[1:])
