"""Settings from the environment (prefix ALERTBOT_), read once at start-up.

The names are a contract with operators' scripts: do not rename them.
"""

from pathlib import Path
from typing import Annotated
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import Field, SecretStr, ValidationError, field_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

ENV_PREFIX = "ALERTBOT_"


class Settings(BaseSettings):
    model_config = SettingsConfigDict(
        env_prefix=ENV_PREFIX, env_file=".env", env_file_encoding="utf-8", extra="ignore"
    )

    telegram_token: SecretStr | None = None
    telegram_api_url: str = "https://api.telegram.org/bot"
    database_url: str = "sqlite:///data/alertbot.db"
    admin_ids: Annotated[frozenset[int], NoDecode] = frozenset()
    sources_file: Path = Path("sources.toml")
    allow_private_sources: bool = False
    poll_interval: int = Field(default=900, ge=1, le=86400)  # for sources that set no interval
    default_timezone: str = "UTC"
    send_rate: float = Field(default=30.0, gt=0, le=1000)  # messages per second, all chats
    reliefweb_appname: str | None = None
    acled_email: str | None = None
    acled_password: SecretStr | None = None
    log_level: str = "INFO"
    project_url: str | None = None  # in the User-Agent, so source operators can reach us

    @field_validator("admin_ids", mode="before")
    @classmethod
    def _split_ids(cls, value: object) -> object:
        if isinstance(value, str):
            parts = [p.strip() for p in value.split(",") if p.strip()]
            try:
                return frozenset(int(p) for p in parts)
            except ValueError:
                raise ValueError("must be comma-separated numeric Telegram user ids") from None
        return value

    @field_validator("default_timezone")
    @classmethod
    def _known_zone(cls, value: str) -> str:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError):
            raise ValueError("must be an IANA time zone such as Europe/Zurich") from None
        return value

    @field_validator("telegram_api_url")
    @classmethod
    def _http_url(cls, value: str) -> str:
        if not value.startswith(("http://", "https://")):
            raise ValueError("must start with http:// or https://, e.g. http://127.0.0.1:8081/bot")
        return value

    def token(self) -> str:
        """The token, or a SettingsError naming the variable to set."""
        if self.telegram_token is None or not self.telegram_token.get_secret_value().strip():
            raise SettingsError(
                f"{ENV_PREFIX}TELEGRAM_TOKEN is not set: get a token from @BotFather and "
                f"export {ENV_PREFIX}TELEGRAM_TOKEN=123456:ABC... (or put it in .env)"
            )
        return self.telegram_token.get_secret_value().strip()


class SettingsError(Exception):
    """A setting is missing or malformed; the message is one line saying which and how to fix."""


def load_settings() -> Settings:
    try:
        return Settings()
    except ValidationError as exc:
        err = exc.errors()[0]
        name = ENV_PREFIX + str(err["loc"][0]).upper() if err["loc"] else "a setting"
        reason = err["msg"].removeprefix("Value error, ")
        raise SettingsError(f"{name} is invalid: {reason}") from None
