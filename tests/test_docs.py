"""The operator's documents stay true to the code: every setting documented, the README's
promises kept (the Procfile and Dockerfile: tests/test_deployment.py)."""

import pytest

from bot.settings import Settings
from tests.conftest import ROOT

SETTINGS = sorted(name.upper() for name in Settings.model_fields)


@pytest.mark.parametrize("name", SETTINGS)
def test_every_setting_is_documented(name):
    assert f"# {name}=" in (ROOT / ".env.example").read_text(encoding="utf-8")
    assert f"`{name}`" in (ROOT / "README.md").read_text(encoding="utf-8")


def test_readme_opens_with_the_two_commands():
    opening = (ROOT / "README.md").read_text(encoding="utf-8").split("```")[1]
    assert [line.split()[:2] for line in opening.strip().splitlines()[1:]] == [
        ["make", "run"],
        ["make", "test"],
    ]


def test_readme_documents_the_ask_json_protocol():
    from bot.cli import MESSAGE, as_json
    from bot.core import Reply, ReplyKind

    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    for key in as_json(Reply(ReplyKind.INFO, "")):
        assert f"- `{key}`" in readme, f"{key} has no entry in the ask --json list"
    for key in MESSAGE:
        assert f'"{key}":' in readme, f"the input key {key} is not documented"
    for kind in ReplyKind:
        assert f"`{kind}`" in readme, f"the reply kind {kind} is not in the ask --json list"


def test_readme_shows_the_timeline_as_the_project_draws_it(base):
    from io import BytesIO

    from PIL import Image

    from bot import showcase
    from bot.knowledge import Knowledge

    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert 'src="docs/timeline.png"' in readme
    shown = (ROOT / "docs" / "timeline.png").read_bytes()
    drawn = showcase._draw(Knowledge.of(base, None).english)
    assert Image.open(BytesIO(shown)).size == Image.open(BytesIO(drawn)).size, (
        "docs/timeline.png is out of date: python -m benchmarks.timeline --out docs/timeline.png"
    )
    assert len(shown) < 100_000
