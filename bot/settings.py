"""Settings from the environment and .env; nothing is read at import time."""

import re
from pathlib import Path
from typing import Literal
from urllib.parse import urlsplit

from pydantic import (
    Field,
    SecretStr,
    ValidationError,
    ValidationInfo,
    field_validator,
    model_validator,
)
from pydantic_settings import BaseSettings, SettingsConfigDict

from intents import Thresholds

DEFAULT_FACTS_PATH = Path(__file__).resolve().parent.parent / "facts.yaml"
_DEFAULTS = Thresholds()
TELEGRAM_API_URL = "https://api.telegram.org/bot"
DISCORD_API_URL = "https://discord.com/api/v10"
DISCORD_GATEWAY_URL = "wss://gateway.discord.gg/"
_TOKEN_SHAPES = {
    "telegram_token": (
        re.compile(r"\d+:[A-Za-z0-9_-]+"),
        "@BotFather gives digits, a colon, then letters",
    ),
    "discord_token": (
        re.compile(r"[\w-]{18,}\.[\w-]{4,}\.[\w-]{20,}"),  # id, time, signature
        "the Developer Portal gives three parts joined by dots",
    ),
}
_URL_SCHEMES = {
    "telegram_api_url": ("http://", "https://"),
    "discord_api_url": ("http://", "https://"),
    "discord_gateway_url": ("ws://", "wss://"),
}
REDIS_SCHEMES = ("redis://", "rediss://", "unix://")
ADMIN_PLATFORMS = ("telegram", "discord")
_WEBHOOK_SECRET = re.compile(r"[A-Za-z0-9_-]{1,256}")  # what Telegram accepts as secret_token


class ConfigError(Exception):
    """A setting with a bad value; the message names the variable."""


class Settings(BaseSettings):
    """Every setting the bot reads; .env.example documents each one."""

    model_config = SettingsConfigDict(env_file=".env", env_file_encoding="utf-8", extra="ignore")

    facts_path: Path = DEFAULT_FACTS_PATH
    log_level: Literal["DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"] = "INFO"
    log_format: Literal["text", "json"] = "text"  # json: one object a line, for a collector
    answer_threshold: float = Field(default=_DEFAULTS.answer, ge=0, le=100)
    suggest_threshold: float = Field(default=_DEFAULTS.suggest, ge=0, le=100)
    clarify_margin: float = Field(default=_DEFAULTS.margin, ge=0, le=100)
    questions_per_minute: int = Field(default=20, ge=0)
    questions_per_minute_in_groups: int = Field(default=5, ge=0)  # one user's share of a group
    database_path: Path | None = Path("data/bot.sqlite3")
    record_user_ids: bool = False
    admin_ids: str = ""  # "telegram:123 discord:456"; read through `admins`
    stop_timeout: float = Field(default=7.0, gt=0, le=300)  # seconds to stop, answers in flight
    health_port: int | None = Field(default=None, ge=1, le=65535)
    health_host: str = "0.0.0.0"
    redis_url: SecretStr | None = None  # state shared by several processes; unset: this one's

    telegram_token: SecretStr | None = None
    telegram_api_url: str = TELEGRAM_API_URL
    telegram_mode: Literal["polling", "webhook"] = "polling"
    telegram_webhook_url: str | None = None
    telegram_webhook_secret: SecretStr | None = None
    telegram_webhook_listen: str = "0.0.0.0"
    port: int = Field(default=8080, ge=1, le=65535)
    telegram_max_rate: float = Field(default=30, ge=0)
    telegram_claim_seconds: int = Field(default=10, ge=1, le=3600)  # REDIS_URL: a claim's hold

    discord_token: SecretStr | None = None
    discord_message_content: bool = False
    discord_guild_id: int | None = Field(default=None, gt=0)
    discord_sharded: bool = False
    discord_shard_count: int | None = Field(default=None, ge=1, le=10_000)  # all processes'
    discord_shard_ids: str = ""  # "0,1": the shards this process runs; read via `shard_ids`
    discord_api_url: str = DISCORD_API_URL
    discord_gateway_url: str = DISCORD_GATEWAY_URL

    @field_validator("log_level", mode="before")
    @classmethod
    def _upper(cls, value: object) -> object:
        return value.strip().upper() if isinstance(value, str) else value

    @field_validator("telegram_mode", "log_format", mode="before")
    @classmethod
    def _lower(cls, value: object) -> object:
        return value.strip().casefold() if isinstance(value, str) else value

    @field_validator(
        "telegram_token",
        "telegram_webhook_secret",
        "telegram_webhook_url",
        "discord_token",
        "discord_guild_id",
        "database_path",
        "health_port",
        "redis_url",
        "discord_shard_count",
        mode="before",
    )
    @classmethod
    def _unset_if_blank(cls, value: object) -> object:
        """An empty line in .env (TELEGRAM_TOKEN=) means not set."""
        return None if isinstance(value, str) and not value.strip() else value

    @field_validator("admin_ids")
    @classmethod
    def _admin_pairs(cls, value: str) -> str:
        for platform, user_id in _admin_pairs(value):
            if platform not in ADMIN_PLATFORMS or not user_id.isdigit():
                raise ValueError(
                    f"'{platform}:{user_id}' is not platform:user-id (platform one of "
                    f"{', '.join(ADMIN_PLATFORMS)}; the id is the user's number)"
                )
        return value

    @field_validator("telegram_token", "discord_token")
    @classmethod
    def _token_shape(cls, value: SecretStr | None, info: ValidationInfo) -> SecretStr | None:
        """Catch a token pasted wrong (or a pasted "Bot " prefix) before a platform refuses it."""
        if value is None:
            return None
        shape, hint = _TOKEN_SHAPES[info.field_name]
        token = value.get_secret_value().strip().removeprefix("Bot ")
        if not shape.fullmatch(token):
            raise ValueError(f"not a bot token: {hint}")
        return SecretStr(token)

    @field_validator("telegram_api_url", "discord_api_url", "discord_gateway_url")
    @classmethod
    def _url_scheme(cls, value: str, info: ValidationInfo) -> str:
        schemes = _URL_SCHEMES[info.field_name]
        if not value.startswith(schemes):
            raise ValueError(f"must start with {' or '.join(schemes)}")
        return value

    @field_validator("telegram_webhook_url")
    @classmethod
    def _https_url(cls, value: str | None) -> str | None:
        if value is not None and not value.startswith("https://"):
            raise ValueError("Telegram sends webhooks only to an https:// URL")
        return value

    @field_validator("telegram_webhook_secret")
    @classmethod
    def _secret_alphabet(cls, value: SecretStr | None) -> SecretStr | None:
        if value is not None and not _WEBHOOK_SECRET.fullmatch(value.get_secret_value()):
            raise ValueError("must be 1-256 characters of A-Z, a-z, 0-9, _ and -")
        return value

    @field_validator("discord_shard_ids")
    @classmethod
    def _shard_list(cls, value: str) -> str:
        if any(not part.strip().isdigit() for part in value.split(",") if value.strip()):
            raise ValueError('a comma-separated list of shard numbers, like "0,1"')
        return value

    @property
    def shard_ids(self) -> tuple[int, ...] | None:
        """DISCORD_SHARD_IDS as numbers; None when unset (every shard of the count)."""
        parts = [p for p in self.discord_shard_ids.split(",") if p.strip()]
        return tuple(int(p) for p in parts) if parts else None

    @model_validator(mode="after")
    def _consistent(self) -> "Settings":
        count, ids = self.discord_shard_count, self.shard_ids
        if ids is not None and count is None:
            raise ValueError("DISCORD_SHARD_IDS needs DISCORD_SHARD_COUNT, the shards in all")
        if ids is not None and count is not None and max(ids) >= count:
            raise ValueError(f"DISCORD_SHARD_IDS: shards are numbered 0 to {count - 1}")
        if self.suggest_threshold > self.answer_threshold:
            raise ValueError("SUGGEST_THRESHOLD must not exceed ANSWER_THRESHOLD")
        webhook_port = self.telegram_mode == "webhook" and self.telegram_token is not None
        if webhook_port and self.health_port == self.port:
            raise ValueError("HEALTH_PORT must differ from PORT, where the webhook listens")
        if self.telegram_mode == "webhook" and self.telegram_webhook_url is None:
            raise ValueError("TELEGRAM_WEBHOOK_URL is needed when TELEGRAM_MODE=webhook")
        if self.telegram_mode == "webhook" and self.telegram_webhook_secret is None:
            raise ValueError(
                "TELEGRAM_WEBHOOK_SECRET is needed when TELEGRAM_MODE=webhook; make one with "
                "python -c 'import secrets; print(secrets.token_urlsafe(32))'"
            )
        return self

    @field_validator("redis_url")
    @classmethod
    def _redis_scheme(cls, value: SecretStr | None) -> SecretStr | None:
        if value is not None and not value.get_secret_value().startswith(REDIS_SCHEMES):
            raise ValueError(f"must start with {' or '.join(REDIS_SCHEMES)}")
        return value

    @property
    def secrets(self) -> tuple[str, ...]:
        """Every secret value set, for scrubbing from logs and errors (REDIS_URL's password)."""
        values = (self.telegram_token, self.telegram_webhook_secret, self.discord_token)
        found = [v.get_secret_value() for v in values if v is not None]
        if self.redis_url is not None:
            password = urlsplit(self.redis_url.get_secret_value()).password
            found += [password] if password else []
        return tuple(found)

    @property
    def admins(self) -> frozenset[tuple[str, str]]:
        """ADMIN_IDS as (platform, user id) pairs: "telegram:123, discord:456"."""
        return frozenset(_admin_pairs(self.admin_ids))

    @property
    def thresholds(self) -> Thresholds:
        return Thresholds(self.answer_threshold, self.suggest_threshold, self.clarify_margin)


def _admin_pairs(text: str) -> list[tuple[str, str]]:
    """ "telegram:123, discord:456" -> [("telegram", "123"), ("discord", "456")]."""
    pairs = []
    for item in text.replace(",", " ").split():
        platform, _, user_id = item.partition(":")
        pairs.append((platform, user_id))
    return pairs


def load_settings(**overrides: object) -> Settings:
    """Settings from the environment and .env, or ConfigError naming the bad variable."""
    try:
        return Settings(**overrides)
    except ValidationError as exc:
        raise ConfigError("; ".join(_describe(err) for err in exc.errors())) from None


def _describe(err: dict) -> str:
    name = "_".join(str(part) for part in err["loc"]).upper()
    message = err["msg"].removeprefix("Value error, ")
    if not name:
        return message
    if "TOKEN" in name or "SECRET" in name:  # never echo a secret back
        return f"{name}: {message}"
    return f"{name}: {message} (got {err['input']!r})"
