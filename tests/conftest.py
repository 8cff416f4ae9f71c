"""Shared fixtures: the real fact base, a core on it, and a clean environment."""

import os
from pathlib import Path

import pytest

from bot.core import Core
from intents import FactBase, load_facts

ROOT = Path(__file__).resolve().parent.parent
FACTS_PATH = ROOT / "facts.yaml"
SETTING_NAMES = (
    "FACTS_PATH",
    "LOG_LEVEL",
    "ANSWER_THRESHOLD",
    "SUGGEST_THRESHOLD",
    "CLARIFY_MARGIN",
)


@pytest.fixture(autouse=True)
def clean_env(monkeypatch: pytest.MonkeyPatch) -> None:
    """No setting leaks in from the machine running the tests."""
    for name in SETTING_NAMES:
        monkeypatch.delenv(name, raising=False)


@pytest.fixture(scope="session")
def base() -> FactBase:
    return load_facts(FACTS_PATH)


@pytest.fixture
def core(base: FactBase) -> Core:
    return Core(base)


def subprocess_env(**extra: str) -> dict[str, str]:
    """The environment for a `python -m bot` child: ours, less any setting, plus `extra`."""
    env = {k: v for k, v in os.environ.items() if k not in SETTING_NAMES}
    env.update(extra)
    return env
