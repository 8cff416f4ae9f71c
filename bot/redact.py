"""Keeps secrets out of log output: every formatted line, tracebacks included, is scrubbed."""

import json
import logging
import re
from collections.abc import Iterable
from datetime import UTC, datetime

MASK = "[REDACTED]"
MIN_TAIL = 8  # a shorter remainder is too common a string to mask
_SEPARATOR = re.compile(r"[:.]")
# Secrets no setting names: a Discord interaction's token (valid 15 minutes) in the URLs
# that answer it and in the gateway payloads discord.py logs at DEBUG.
_TOKEN_PATTERNS = (
    re.compile(r"(/interactions/\d+/)[^/\s'\"]+"),
    re.compile(r"(/webhooks/\d+/)[^/\s?'\"]+"),
    re.compile(r"""(['"]token['"]\s*:\s*['"])[^'"]+"""),
)


class RedactingFormatter(logging.Formatter):
    """A Formatter that replaces each secret (and a token's secret part) with a mask.

    Scrubbing the finished line rather than the record catches what libraries put in their
    own messages and in exception text: httpx logs request URLs, which carry the Telegram
    token, and python-telegram-bot's errors can quote it.
    """

    def __init__(self, fmt: str | None = None, secrets: Iterable[str] = ()) -> None:
        super().__init__(fmt)
        self.secrets = secret_parts(secrets)  # idempotent: parts of parts are the same parts

    def format(self, record: logging.LogRecord) -> str:
        return self.scrub(super().format(record))

    def scrub(self, text: str) -> str:
        """`text` with the secrets masked: the one place every log format is scrubbed."""
        return redact(text, self.secrets)


class JsonFormatter(RedactingFormatter):
    """One JSON object a line, for log collectors: time (UTC), level, logger, message, and
    the traceback (or stack) when there is one; scrubbed like the text format.

    Each field is scrubbed before it is encoded: JSON escapes quotes and newlines, which would
    hide an interaction token's `"token": "..."` from the pattern that finds it. The encoding
    is ASCII, so no character in a message can split the line, however the reader splits.
    """

    def format(self, record: logging.LogRecord) -> str:
        created = datetime.fromtimestamp(record.created, UTC)
        fields = {
            "time": created.isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        if record.exc_info:
            fields["traceback"] = self.formatException(record.exc_info)
        if record.stack_info:
            fields["stack"] = self.formatStack(record.stack_info)
        return json.dumps({name: self.scrub(value) for name, value in fields.items()})


def secret_parts(secrets: Iterable[str]) -> tuple[str, ...]:
    """The strings to mask, longest first: each secret, and a token's part after its bot id.

    A Telegram token is "<bot id>:<secret>", a Discord one "<bot id>.<time>.<signature>";
    the id is public, what follows it is the secret.
    """
    parts = set()
    for secret in secrets:
        if secret:
            parts.add(secret)
            tail = _SEPARATOR.split(secret, maxsplit=1)[-1]
            if len(tail) >= MIN_TAIL:
                parts.add(tail)
    return tuple(sorted(parts, key=len, reverse=True))


def redact(text: str, secrets: Iterable[str]) -> str:
    """`text` with every occurrence of each secret, and of any interaction token, masked."""
    for secret in secrets:
        text = text.replace(secret, MASK)
    for pattern in _TOKEN_PATTERNS:
        text = pattern.sub(rf"\g<1>{MASK}", text)
    return text
