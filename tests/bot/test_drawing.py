from io import BytesIO

import pytest
from PIL import Image

from bot.drawing import WIDTH, png, timeline_figure
from bot.knowledge import Knowledge


@pytest.fixture(scope="module")
def knowledge(base) -> Knowledge:
    return Knowledge.of(base, None)


@pytest.mark.parametrize("code", ["en", "de", "sq"])
def test_every_event_and_its_date_is_drawn_as_text(knowledge, code):
    tongue = knowledge.tongue(code)
    figure = timeline_figure(tongue.events, "Timeline", tongue.base.article.title, "DW, 2020")
    drawn = [" ".join(t.get_text().split()) for t in figure.axes[0].texts]
    for event in tongue.events:
        assert any(event.label in text for text in drawn), event.label
        assert any(event.date == text for text in drawn), event.date
    dates = [e.date for e in tongue.events]
    assert sum(t in dates for t in drawn) == len(set(dates)), "each date once, by its first event"


def test_the_picture_is_a_phone_sized_png(knowledge):
    tongue = knowledge.tongue("en")
    data = png(timeline_figure(tongue.events, "Timeline", "A title", "DW, January 2020"))
    image = Image.open(BytesIO(data))
    image.verify()  # a complete, uncorrupted PNG
    assert image.format == "PNG"
    width, height = image.size
    assert width == WIDTH <= 1200
    assert 1000 <= height <= 2400, "nine events in large type, one screen and a scroll"
    assert len(data) < 150_000, "small enough to send at once on a slow phone connection"


def test_the_same_drawing_gives_the_same_bytes(knowledge):
    tongue = knowledge.tongue("sq")
    first = png(timeline_figure(tongue.events, "K", "T", "C"))
    assert png(timeline_figure(tongue.events, "K", "T", "C")) == first
