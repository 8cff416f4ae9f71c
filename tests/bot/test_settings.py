import pytest

from bot.settings import DEFAULT_FACTS_PATH, ConfigError, load_settings
from intents import Thresholds


@pytest.fixture(autouse=True)
def no_dotenv(tmp_path, monkeypatch):
    """Run where no .env lies, unless a test writes one."""
    monkeypatch.chdir(tmp_path)


def test_defaults_need_no_environment():
    settings = load_settings()
    assert settings.facts_path == DEFAULT_FACTS_PATH
    assert settings.log_level == "INFO"
    assert settings.thresholds == Thresholds()


def test_environment_overrides_defaults(monkeypatch):
    monkeypatch.setenv("ANSWER_THRESHOLD", "80")
    monkeypatch.setenv("SUGGEST_THRESHOLD", "30.5")
    monkeypatch.setenv("CLARIFY_MARGIN", "0")
    monkeypatch.setenv("LOG_LEVEL", "debug")
    settings = load_settings()
    assert settings.thresholds == Thresholds(answer=80, suggest=30.5, margin=0)
    assert settings.log_level == "DEBUG"


def test_dotenv_file_is_read(tmp_path):
    (tmp_path / ".env").write_text("FACTS_PATH=other.yaml\nANSWER_THRESHOLD=75\n")
    settings = load_settings()
    assert str(settings.facts_path) == "other.yaml"
    assert settings.answer_threshold == 75


@pytest.mark.parametrize(
    ("name", "value"),
    [("ANSWER_THRESHOLD", "high"), ("SUGGEST_THRESHOLD", "-1"), ("CLARIFY_MARGIN", "101"),
     ("LOG_LEVEL", "LOUD")],
)  # fmt: skip
def test_bad_value_names_the_variable(monkeypatch, name, value):
    monkeypatch.setenv(name, value)
    with pytest.raises(ConfigError) as caught:
        load_settings()
    message = str(caught.value)
    assert message.startswith(f"{name}: ")
    assert "\n" not in message


def test_thresholds_out_of_order_are_refused(monkeypatch):
    monkeypatch.setenv("ANSWER_THRESHOLD", "30")
    monkeypatch.setenv("SUGGEST_THRESHOLD", "60")
    with pytest.raises(ConfigError, match="SUGGEST_THRESHOLD must not exceed ANSWER_THRESHOLD"):
        load_settings()
