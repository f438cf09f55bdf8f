"""Start-up configuration: a bad setting stops the bot with one clear line."""

import os
import subprocess
import sys

import pytest

from bot.config import Settings, SettingsError, load_settings

ALERTBOT = [sys.executable, "-m", "bot.cli"]


def _env(**values: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("ALERTBOT_")}
    env.update(values)
    return env


def _run(tmp_path, **values: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [*ALERTBOT, "run"], env=_env(**values), cwd=tmp_path, capture_output=True, text=True,
        timeout=60,
    )


def test_missing_token_says_which_variable_and_how(tmp_path):
    result = _run(tmp_path)
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1
    assert "ALERTBOT_TELEGRAM_TOKEN" in lines[0] and "BotFather" in lines[0]


@pytest.mark.parametrize(
    ("name", "value", "hint"),
    [
        ("ALERTBOT_ADMIN_IDS", "alice,bob", "numeric Telegram user ids"),
        ("ALERTBOT_DEFAULT_TIMEZONE", "Mars/Olympus", "IANA time zone"),
        ("ALERTBOT_TELEGRAM_API_URL", "127.0.0.1:8081/bot", "http://"),
        ("ALERTBOT_ALLOW_PRIVATE_SOURCES", "perhaps", "ALERTBOT_ALLOW_PRIVATE_SOURCES"),
    ],
)
def test_malformed_setting_is_named_in_one_line(tmp_path, name, value, hint):
    result = _run(tmp_path, ALERTBOT_TELEGRAM_TOKEN="1:secret-token-value", **{name: value})
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert name in lines[0] and hint in lines[0]
    assert "secret-token-value" not in result.stderr
    assert "Traceback" not in result.stderr


def test_admin_ids_are_comma_separated(monkeypatch):
    monkeypatch.setenv("ALERTBOT_ADMIN_IDS", " 101, 202 ,")
    assert load_settings().admin_ids == {101, 202}


def test_token_is_required_only_when_asked():
    settings = Settings(_env_file=None)
    with pytest.raises(SettingsError, match="ALERTBOT_TELEGRAM_TOKEN"):
        settings.token()
    assert "secret" not in repr(Settings(telegram_token="1:secret", _env_file=None))


def test_unknown_subcommand_gets_usage(tmp_path):
    result = subprocess.run(
        [*ALERTBOT, "frobnicate"], env=_env(), cwd=tmp_path, capture_output=True, text=True
    )
    assert result.returncode == 2
    assert "unknown command" in result.stderr and "alertbot scan" in result.stderr
