"""Settings from the environment (prefix ``CASEWORK_``) or a ``.env`` file."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Literal
from zoneinfo import ZoneInfo

from pydantic import Field, SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict


class Settings(BaseSettings):
    """Everything an operator may change without touching code."""

    model_config = SettingsConfigDict(env_prefix="CASEWORK_", env_file=".env", extra="ignore")

    database_url: str = Field(
        default="sqlite:///var/casework.db",
        description="SQLAlchemy URL: sqlite:///path or postgresql+psycopg://user@host/db",
    )
    host: str = "127.0.0.1"
    port: int = 8000
    workers: int = Field(default=1, ge=1)
    timezone: str = "Asia/Ho_Chi_Minh"
    sqlite_busy_timeout_ms: int = Field(default=5000, ge=0)
    db_pool_size: int = Field(default=5, ge=1)
    db_max_overflow: int = Field(default=10, ge=0)
    page_size_max: int = Field(default=100, ge=1)
    timers_in_serve: bool = Field(
        default=True, description="Run the deadline ticker inside `casework serve` too"
    )
    tick_seconds: float = Field(default=0.5, gt=0, description="How often due timers are claimed")
    timer_lease_seconds: float = Field(default=60, gt=0)
    timer_batch: int = Field(default=200, ge=1)
    timer_max_attempts: int = Field(default=5, ge=1, description="Then a timer is parked")
    log_level: str = "info"
    sql_echo: bool = False

    # Accounts, sessions and confidentiality (see casework/secrets.py and the README).
    env: Literal["development", "production"] = Field(
        default="development",
        description="production: refuse to start without an explicit secret key and data keys",
    )
    secret_key: SecretStr | None = Field(default=None, description="Signs session cookies")
    data_keys: SecretStr | None = Field(
        default=None,
        description="Narrative encryption keys 'id:base64,id:base64'; the first encrypts",
    )
    secrets_file: Path = Field(
        default=Path("var/secrets.json"),
        description="development only: keys generated on first start when none are set",
    )
    session_idle_minutes: int = Field(default=30, ge=1)
    cookie_secure: Literal["auto", "always", "never"] = Field(
        default="auto", description="auto: Secure cookies when the request came over HTTPS"
    )
    password_min_length: int = Field(default=10, ge=8)
    argon2_time_cost: int = Field(default=3, ge=1)
    argon2_memory_kib: int = Field(default=65536, ge=8)
    argon2_parallelism: int = Field(default=4, ge=1)
    login_max_failures: int = Field(default=5, ge=1, description="per account, then a lockout")
    login_ip_max_failures: int = Field(default=20, ge=1, description="per address, then a lockout")
    login_lockout_minutes: int = Field(default=15, ge=1)

    @property
    def tz(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)

    @property
    def is_sqlite(self) -> bool:
        return self.database_url.startswith("sqlite")


@lru_cache
def get_settings() -> Settings:
    """The process-wide settings, read once."""
    return Settings()
