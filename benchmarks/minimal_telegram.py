"""The yardstick for the Telegram benchmark: a minimal python-telegram-bot bot that answers
each text message with an HTML reply, and nothing else (no core, no buttons), on PTB's
defaults. (With `concurrent_updates(True)` it is slower here: each send then queues in
httpx's 256-connection pool, whose cost grows with the queue.) Run by
benchmarks.telegram_bench.

Settings from the environment: TELEGRAM_TOKEN, TELEGRAM_API_URL.
"""

import html
import os

from telegram import Update
from telegram.constants import ParseMode
from telegram.ext import Application, ContextTypes, MessageHandler, filters


async def answer(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    question = html.escape(update.message.text[:100])
    await update.message.reply_text(
        f"<b>{question}</b>\nAn answer from the article.", parse_mode=ParseMode.HTML
    )


def main() -> None:
    application = (
        Application.builder()
        .token(os.environ["TELEGRAM_TOKEN"])
        .base_url(os.environ["TELEGRAM_API_URL"])
        .build()
    )
    application.add_handler(MessageHandler(filters.TEXT, answer))
    application.run_polling(allowed_updates=["message"])


if __name__ == "__main__":
    main()
