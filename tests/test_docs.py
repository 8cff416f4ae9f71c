"""The operator's documents stay true to the code: every setting documented, Procfile runnable."""

import pytest

from bot.settings import Settings
from tests.conftest import ROOT

SETTINGS = sorted(name.upper() for name in Settings.model_fields)


@pytest.mark.parametrize("name", SETTINGS)
def test_every_setting_is_documented(name):
    assert f"# {name}=" in (ROOT / ".env.example").read_text(encoding="utf-8")
    assert f"`{name}`" in (ROOT / "README.md").read_text(encoding="utf-8")


def test_procfile_runs_every_configured_platform():
    assert (ROOT / "Procfile").read_text().strip() == "worker: python -m bot run"


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
