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
     ("LOG_LEVEL", "LOUD"), ("QUESTIONS_PER_MINUTE", "-5"), ("TELEGRAM_MODE", "carrier-pigeon"),
     ("TELEGRAM_API_URL", "api.telegram.org"), ("PORT", "70000"), ("TELEGRAM_MAX_RATE", "fast"),
     ("DISCORD_MESSAGE_CONTENT", "maybe"), ("DISCORD_GUILD_ID", "general"),
     ("DISCORD_GATEWAY_URL", "https://gateway.discord.gg"), ("DISCORD_SHARDED", "lots")],
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


def test_telegram_defaults_poll_the_official_api():
    settings = load_settings()
    assert settings.telegram_token is None
    assert settings.telegram_mode == "polling"
    assert settings.telegram_api_url == "https://api.telegram.org/bot"
    assert settings.questions_per_minute == 20
    assert settings.secrets == ()


def test_blank_token_in_dotenv_means_unset(tmp_path):
    (tmp_path / ".env").write_text("TELEGRAM_TOKEN=\n")
    assert load_settings().telegram_token is None


@pytest.mark.parametrize(
    "secret_name", ["TELEGRAM_TOKEN", "TELEGRAM_WEBHOOK_SECRET", "DISCORD_TOKEN"]
)
def test_bad_secret_is_named_never_echoed(monkeypatch, secret_name):
    monkeypatch.setenv(secret_name, "has spaces and : secret-value!")
    with pytest.raises(ConfigError) as caught:
        load_settings()
    assert str(caught.value).startswith(f"{secret_name}: ")
    assert "secret-value" not in str(caught.value)


def test_redis_url_must_be_redis_and_its_password_is_a_secret(monkeypatch):
    monkeypatch.setenv("REDIS_URL", "http://cache:6379")
    with pytest.raises(ConfigError) as caught:
        load_settings()
    assert str(caught.value).startswith("REDIS_URL: must start with redis://")
    monkeypatch.setenv("REDIS_URL", "redis://:hunter2-long-pass@cache:6379/0")
    settings = load_settings()
    assert "hunter2-long-pass" in settings.secrets and "hunter2" not in repr(settings)


def test_token_is_secret_in_repr(monkeypatch):
    token = "123456:AAsecretTokenValue_xyz"
    monkeypatch.setenv("TELEGRAM_TOKEN", f"  {token} ")
    settings = load_settings()
    assert token not in repr(settings) and token not in str(settings)
    assert settings.telegram_token.get_secret_value() == token
    assert token in settings.secrets


@pytest.mark.parametrize(
    ("env", "needed"),
    [
        ({"TELEGRAM_MODE": "webhook"}, "TELEGRAM_WEBHOOK_URL is needed"),
        (
            {"TELEGRAM_MODE": "Webhook", "TELEGRAM_WEBHOOK_URL": "https://bot.example/hook"},
            "TELEGRAM_WEBHOOK_SECRET is needed",
        ),
        (
            {"TELEGRAM_WEBHOOK_URL": "http://bot.example/hook"},
            "TELEGRAM_WEBHOOK_URL: Telegram sends webhooks only to an https:// URL",
        ),
    ],
)
def test_webhook_mode_needs_url_and_secret(monkeypatch, env, needed):
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    with pytest.raises(ConfigError, match=needed):
        load_settings()


def test_discord_defaults_and_values(monkeypatch):
    settings = load_settings()
    assert settings.discord_token is None and not settings.discord_message_content
    assert settings.discord_guild_id is None and not settings.discord_sharded
    token = "MTEwMDAwMDAwMDAwMDAwMDAwMQ.GfAkEt.signature-part_0123456789"
    monkeypatch.setenv("DISCORD_TOKEN", f"Bot {token}")
    monkeypatch.setenv("DISCORD_MESSAGE_CONTENT", "true")
    monkeypatch.setenv("DISCORD_GUILD_ID", "1200000000000000001")
    settings = load_settings()
    assert settings.discord_token.get_secret_value() == token, "a pasted 'Bot ' prefix is dropped"
    assert settings.discord_message_content and settings.discord_guild_id == 1200000000000000001
    assert token in settings.secrets


def test_admin_ids_per_platform(monkeypatch):
    monkeypatch.setenv("ADMIN_IDS", "telegram:123, discord:456789 telegram:7")
    assert load_settings().admins == {("telegram", "123"), ("discord", "456789"), ("telegram", "7")}
    for bad in ("tg:5", "telegram", "discord:@ana"):
        monkeypatch.setenv("ADMIN_IDS", bad)
        with pytest.raises(ConfigError, match=r"ADMIN_IDS: .* is not platform:user-id"):
            load_settings()


def test_operations_defaults_and_blanks(monkeypatch):
    settings = load_settings()
    assert settings.health_port is None and settings.admins == frozenset()
    assert settings.record_user_ids is False
    monkeypatch.setenv("DATABASE_PATH", "")
    assert load_settings().database_path is None  # recording off


def test_health_port_must_not_be_the_webhook_port(monkeypatch):
    env = {
        "TELEGRAM_TOKEN": "123456:AAsecretTokenValue_xyz",
        "TELEGRAM_MODE": "webhook",
        "TELEGRAM_WEBHOOK_URL": "https://bot.example.com/telegram",
        "TELEGRAM_WEBHOOK_SECRET": "s3cret_value",
        "PORT": "8443",
        "HEALTH_PORT": "8443",
    }
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    with pytest.raises(ConfigError, match="HEALTH_PORT must differ from PORT"):
        load_settings()
