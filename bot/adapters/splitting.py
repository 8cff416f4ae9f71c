"""Cutting text to a platform's length limit: between lines, then words, then characters."""

from collections.abc import Callable

SEPARATORS = ("\n", " ")


def cut(text: str, budget: int, measure: Callable[[str], int] = len) -> list[str]:
    """`text` in pieces each measuring at most `budget`, cut at the coarsest boundary that fits.

    `measure` is the platform's count: escaped UTF-16 units for Telegram, characters for
    Discord. Joining the pieces with the separators they were cut at gives `text` back.
    """
    return _cut(text, budget, measure, SEPARATORS)


def _cut(
    text: str, budget: int, measure: Callable[[str], int], separators: tuple[str, ...]
) -> list[str]:
    if measure(text) <= budget:
        return [text]
    if not separators:
        return _cut_chars(text, budget, measure)
    separator, rest = separators[0], separators[1:]
    pieces: list[str] = []
    for part in text.split(separator):
        if pieces and measure(pieces[-1] + separator + part) <= budget:
            pieces[-1] += separator + part
        else:
            pieces.extend(_cut(part, budget, measure, rest))
    return pieces


def _cut_chars(text: str, budget: int, measure: Callable[[str], int]) -> list[str]:
    pieces, current, size = [], "", 0
    for char in text:
        width = measure(char)
        if size + width > budget:
            pieces.append(current)
            current, size = "", 0
        current += char
        size += width
    return [*pieces, current]
