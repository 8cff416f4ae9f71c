"""The timeline as a picture, drawn with matplotlib's Agg canvas: no screen, no pyplot.

Each drawing builds its own Figure, so it is safe on a worker thread. The picture is
portrait, 1080 pixels wide, with type large enough to read on a phone.
"""

import textwrap
from collections.abc import Sequence
from io import BytesIO

from matplotlib.figure import Figure
from PIL import Image

from intents.timeline import Event

WIDTH = 1080  # pixels: phones show it full width without scaling text below legibility
DPI = 100
MARGIN = 48
AXIS_X = 330  # the line the events hang on; dates to its left, labels to its right
LABEL_X = AXIS_X + 36
DATE_CHARS, LABEL_CHARS, HEADING_CHARS, TITLE_CHARS, CAPTION_CHARS = 13, 32, 44, 58, 72
COLOURS = 32  # a palette this small keeps the anti-aliased type and thirds the file
HEADING_PT, TITLE_PT, DATE_PT, LABEL_PT, CAPTION_PT = 34, 22, 23, 26, 19
LINE = DPI / 72 * 1.35  # pixels per point of type, one line with its leading
EVENT_GAP = 34
INK, MUTED, ACCENT = "#1b1f24", "#5b6470", "#1f5fa8"


def timeline_figure(events: Sequence[Event], heading: str, title: str, caption: str) -> Figure:
    """The events top to bottom, each date once beside its first event; `title`: the
    article's, under the heading; `caption`: the article and outlet, at the foot."""
    blocks = [
        (_wrap(heading, HEADING_CHARS), HEADING_PT),
        (_wrap(title, TITLE_CHARS), TITLE_PT),
    ]
    rows = [_wrap(e.label, LABEL_CHARS) for e in events]
    foot = _wrap(caption, CAPTION_CHARS)
    height = MARGIN * 2 + sum(_height(text, pt) + 12 for text, pt in blocks) + 2 * EVENT_GAP
    height += sum(_height(row, LABEL_PT) + EVENT_GAP for row in rows) + _height(foot, CAPTION_PT)
    figure = Figure(figsize=(WIDTH / DPI, height / DPI), dpi=DPI, facecolor="white")
    axes = figure.add_axes((0, 0, 1, 1))
    axes.set_xlim(0, WIDTH)
    axes.set_ylim(height, 0)  # y grows downwards, as text is read
    axes.axis("off")
    y = MARGIN
    for (text, pt), weight in zip(blocks, ("bold", "normal"), strict=True):
        axes.text(MARGIN, y, text, fontsize=pt, weight=weight, color=INK, va="top")
        y += _height(text, pt) + 12
    y += EVENT_GAP
    first = y
    dots = []
    shown = None
    for event, row in zip(events, rows, strict=True):
        dot = y + LINE * LABEL_PT / 2
        dots.append(dot)
        if event.date != shown:
            date = _wrap(event.date, DATE_CHARS)
            axes.text(AXIS_X - 30, y, date, fontsize=DATE_PT, weight="bold", color=ACCENT,
                      ha="right", va="top")  # fmt: skip
            shown = event.date
        axes.text(LABEL_X, y, row, fontsize=LABEL_PT, color=INK, va="top")
        y += _height(row, LABEL_PT) + EVENT_GAP
    if dots:
        axes.plot([AXIS_X, AXIS_X], [first, dots[-1]], color=ACCENT, linewidth=4, alpha=0.35)
        axes.scatter([AXIS_X] * len(dots), dots, s=260, color=ACCENT, zorder=3)
    axes.text(MARGIN, y + EVENT_GAP / 2, foot, fontsize=CAPTION_PT, color=MUTED, va="top")
    return figure


def png(figure: Figure) -> bytes:
    """The figure as a small PNG: a palette of `COLOURS`, and no metadata, so the same
    drawing gives the same bytes."""
    drawn = BytesIO()
    figure.savefig(drawn, format="png", dpi=DPI, metadata={"Software": None})
    out = BytesIO()
    Image.open(drawn).convert("RGB").quantize(COLOURS).save(out, format="PNG", optimize=True)
    return out.getvalue()


def _wrap(text: str, width: int) -> str:
    """Lines at word boundaries; a long word stays whole."""
    return "\n".join(textwrap.wrap(text, width, break_long_words=False, break_on_hyphens=False))


def _height(text: str, pt: int) -> float:
    return (text.count("\n") + 1) * LINE * pt
