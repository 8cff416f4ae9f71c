import subprocess
import sys

from tests.conftest import ROOT

PROBE = """
import sys
import intents, bot.core
loaded = sorted(m for m in sys.modules if m.split(".")[0] in {"telegram", "discord", "bot"})
print(" ".join(loaded))
"""


def test_engine_and_core_load_no_platform_library():
    result = subprocess.run(
        [sys.executable, "-c", PROBE], capture_output=True, text=True, cwd=ROOT, check=True
    )
    loaded = result.stdout.split()
    assert not [m for m in loaded if m.startswith(("telegram", "discord"))]
    assert not [m for m in loaded if m.startswith("bot.adapters")]


def test_intents_imports_nothing_of_bot():
    probe = "import sys, intents; print(any(m.split('.')[0] == 'bot' for m in sys.modules))"
    result = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, cwd=ROOT, check=True
    )
    assert result.stdout.strip() == "False"
