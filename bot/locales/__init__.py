"""The bot's own lines in each language it speaks, one YAML file per language beside this one.

The code names a line by key ("missing.person") and fills its {placeholders}; the words
live here, so a language is added by translating en.yaml (tests check nothing is missing).
"""

from functools import cache
from pathlib import Path
from typing import Any

import yaml

LOCALES = Path(__file__).resolve().parent
DEFAULT = "en"


class Lines:
    """One language's lines: `lines("scope", topics=...)` is the line with its values in."""

    def __init__(self, code: str, texts: dict[str, Any]) -> None:
        self.code = code
        self._texts = texts

    def __call__(self, key: str, **values: object) -> str:
        text: Any = self._texts
        for part in key.split("."):
            text = text[part]
        return text.format(**values) if values else text

    def count(self, key: str, n: int) -> str:
        """ "1 second", "5 seconds": the line for `n` of something, singular or plural."""
        return self(f"{key}.{'one' if n == 1 else 'other'}", n=n)


@cache
def lines(code: str) -> Lines:
    """The lines of a language (bot/locales/<code>.yaml); English for one without a file."""
    path = LOCALES / f"{code}.yaml"
    if not path.is_file():
        code, path = DEFAULT, LOCALES / f"{DEFAULT}.yaml"
    return Lines(code, yaml.safe_load(path.read_text(encoding="utf-8")))


def spoken() -> list[str]:
    """The codes of every language with lines here, English first."""
    others = sorted(p.stem for p in LOCALES.glob("*.yaml") if p.stem != DEFAULT)
    return [DEFAULT, *others]
