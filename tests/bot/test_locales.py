import re

import pytest

from bot.locales import DEFAULT, Lines, lines, spoken

_PLACEHOLDER = re.compile(r"\{(\w+)\}")


def _flat(texts: object, prefix: str = "") -> dict[str, str]:
    if isinstance(texts, dict):
        out: dict[str, str] = {}
        for key, value in texts.items():
            out |= _flat(value, f"{prefix}{key}.")
        return out
    return {prefix.rstrip("."): texts}


def test_every_language_speaks_english_german_and_albanian():
    assert spoken() == ["en", "de", "sq"]


@pytest.mark.parametrize("code", [c for c in spoken() if c != DEFAULT])
def test_every_line_exists_in_every_language_with_the_same_placeholders(code):
    english, other = _flat(lines(DEFAULT)._texts), _flat(lines(code)._texts)
    assert other.keys() == english.keys()
    for key, text in english.items():
        assert set(_PLACEHOLDER.findall(other[key])) == set(_PLACEHOLDER.findall(text)), key
        assert other[key].strip(), key


def test_the_source_label_says_the_quote_is_the_english_original():
    assert lines("de")("source_label") == "Quelle (englischer Originaltext)"
    assert lines("sq")("source_label") == "Burimi (origjinali në anglisht)"


def test_counts_pick_singular_or_plural_and_an_unknown_language_is_english():
    assert lines("en").count("seconds", 1) == "1 second"
    assert lines("en").count("seconds", 5) == "5 seconds"
    assert lines("de").count("seconds", 5) == "5 Sekunden"
    assert isinstance(lines("fr"), Lines) and lines("fr").code == "en"
