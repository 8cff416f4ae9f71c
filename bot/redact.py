"""Keeps secrets out of log output: every formatted line, tracebacks included, is scrubbed."""

import logging
from collections.abc import Iterable

MASK = "[REDACTED]"


class RedactingFormatter(logging.Formatter):
    """A Formatter that replaces each secret (and a bot token's secret half) with a mask.

    Scrubbing the finished line rather than the record catches what libraries put in their
    own messages and in exception text: httpx logs request URLs, which carry the Telegram
    token, and python-telegram-bot's errors can quote it.
    """

    def __init__(self, fmt: str, secrets: Iterable[str] = ()) -> None:
        super().__init__(fmt)
        self.secrets = secret_parts(secrets)  # idempotent: parts of parts are the same parts

    def format(self, record: logging.LogRecord) -> str:
        return redact(super().format(record), self.secrets)


def secret_parts(secrets: Iterable[str]) -> tuple[str, ...]:
    """The strings to mask, longest first: each secret and the part of a token after its colon."""
    parts = set()
    for secret in secrets:
        if secret:
            parts.add(secret)
            _, _, tail = secret.partition(":")
            if len(tail) >= 8:
                parts.add(tail)
    return tuple(sorted(parts, key=len, reverse=True))


def redact(text: str, secrets: Iterable[str]) -> str:
    """`text` with every occurrence of each secret replaced by the mask."""
    for secret in secrets:
        text = text.replace(secret, MASK)
    return text
