"""Settings from the environment and .env; nothing is read at import time."""

from pathlib import Path
from typing import Literal

from pydantic import Field, ValidationError, field_validator, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from intents import Thresholds

DEFAULT_FACTS_PATH = Path(__file__).resolve().parent.parent / "facts.yaml"
_DEFAULTS = Thresholds()


class ConfigError(Exception):
    """A setting with a bad value; the message names the variable."""


class Settings(BaseSettings):
    """Every setting the bot reads; .env.example documents each one."""

    model_config = SettingsConfigDict(env_file=".env", env_file_encoding="utf-8", extra="ignore")

    facts_path: Path = DEFAULT_FACTS_PATH
    log_level: Literal["DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"] = "INFO"
    answer_threshold: float = Field(default=_DEFAULTS.answer, ge=0, le=100)
    suggest_threshold: float = Field(default=_DEFAULTS.suggest, ge=0, le=100)
    clarify_margin: float = Field(default=_DEFAULTS.margin, ge=0, le=100)

    @field_validator("log_level", mode="before")
    @classmethod
    def _upper(cls, value: object) -> object:
        return value.strip().upper() if isinstance(value, str) else value

    @model_validator(mode="after")
    def _ordered(self) -> "Settings":
        if self.suggest_threshold > self.answer_threshold:
            raise ValueError("SUGGEST_THRESHOLD must not exceed ANSWER_THRESHOLD")
        return self

    @property
    def thresholds(self) -> Thresholds:
        return Thresholds(self.answer_threshold, self.suggest_threshold, self.clarify_margin)


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
