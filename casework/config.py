"""Settings from the environment (prefix ``CASEWORK_``) or a ``.env`` file."""

from __future__ import annotations

from datetime import time
from functools import lru_cache
from pathlib import Path
from typing import Any, Literal
from zoneinfo import ZoneInfo

from pydantic import Field, SecretStr, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

# A first receipt older than this must be confirmed as passed on late (the intake's
# ``late_report_confirmed``): a paper report forwarded weeks later, not a mistyped year.
DEFAULT_LATE_REPORT_DAYS = 30
DEFAULT_ADHOC_REPORT_HOURS = 24


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
    activation_hours: int = Field(
        default=72, ge=1, le=24 * 14, description="How long an account's activation link works"
    )
    argon2_time_cost: int = Field(default=3, ge=1)
    argon2_memory_kib: int = Field(default=65536, ge=8)
    argon2_parallelism: int = Field(default=4, ge=1)
    login_max_failures: int = Field(default=5, ge=1, description="per account, then a lockout")
    login_ip_max_failures: int = Field(default=20, ge=1, description="per address, then a lockout")
    login_lockout_minutes: int = Field(default=15, ge=1)
    forwarded_allow_ips: str = Field(
        default="",
        description="Reverse proxies (addresses or networks, comma-separated) whose "
        "X-Forwarded-For and X-Forwarded-Proto are believed; empty: none, so a client cannot "
        "pose as another address to dodge the per-address lockout",
    )
    idempotency_hours: int = Field(
        default=24, ge=1, description="How long a retried intake gets the stored answer"
    )
    late_report_days: int = Field(
        default=DEFAULT_LATE_REPORT_DAYS,
        ge=1,
        description="A first receipt more than this many days ago must be confirmed as "
        "passed on late (late_report_confirmed; the form's “Báo cáo được chuyển muộn”)",
    )
    housekeeping_seconds: float = Field(default=300, gt=0, description="How often old rows go")
    max_body_bytes: int = Field(
        default=1_048_576, ge=1024, description="Largest request body; larger ones get 413"
    )
    import_max_bytes: int = Field(
        default=20_971_520, ge=1024, description="Largest spreadsheet a person may import"
    )
    import_tick_seconds: float = Field(default=1.0, gt=0, description="How often imports run")
    import_lease_seconds: float = Field(
        default=300, gt=0, description="Then a stuck import is retried"
    )
    import_keep_hours: int = Field(
        default=72, ge=1, description="A checked file waiting for a choice is deleted after this"
    )
    max_json_depth: int = Field(
        default=32, ge=2, description="Deepest nesting of a JSON body (our payloads use 4)"
    )
    extension_max_days: int = Field(
        default=30,
        ge=1,
        description="How far past its current due time a supervisor may extend a deadline",
    )
    review_days: int = Field(
        default=5,
        ge=1,
        le=20,
        description="Working days a village has for its monthly review of the register",
    )
    review_tick_seconds: float = Field(
        default=300, gt=0, description="How often the month's village reviews are looked for"
    )
    report_tick_seconds: float = Field(
        default=600, gt=0, description="How often the reporting calendar's obligations are opened"
    )
    adhoc_report_hours: int = Field(
        default=DEFAULT_ADHOC_REPORT_HOURS,
        ge=1,
        le=168,
        description="Hours the supervisor has to send an ad-hoc report (a child sexually "
        "abused, trafficked, dead; a disaster)",
    )

    # Notifications: the outbox relay, its channels, quiet hours and the daily digest.
    public_url: str = Field(
        default="http://127.0.0.1:8000",
        description="Where people open Casework; messages link to <public_url>/cases/<code>",
    )
    outbox_in_serve: bool = Field(default=True, description="Run the relay in `serve` too")
    outbox_tick_seconds: float = Field(default=0.5, gt=0)
    outbox_batch: int = Field(default=200, ge=1, description="Messages claimed per round")
    outbox_lease_seconds: float = Field(default=120, gt=0)
    outbox_max_attempts: int = Field(default=8, ge=1, description="Then the message is dead")
    outbox_backoff_seconds: float = Field(default=30, gt=0, description="First retry's wait")
    outbox_backoff_max_seconds: float = Field(default=3600, gt=0)
    outbox_key_prefix: str = Field(
        default="casework", max_length=30, description="Idempotency keys: <prefix>-<outbox id>"
    )
    quiet_hours: str = Field(
        default="21:00-06:00", description="Local HH:MM-HH:MM; routine messages wait; empty: none"
    )
    digest_at: str = Field(default="07:30", description="Daily digest, local HH:MM; empty: none")
    smtp_host: str = Field(default="", description="Empty: e-mail is off (messages wait)")
    smtp_port: int = 587
    smtp_security: Literal["starttls", "tls", "none"] = "starttls"
    smtp_username: str = ""
    smtp_password: SecretStr = SecretStr("")
    smtp_from: str = "Casework <casework@localhost>"
    smtp_timeout_seconds: float = Field(default=20, gt=0)
    smtp_connections: int = Field(default=2, ge=1, description="E-mails in flight at once")
    smtp_validate_certs: bool = Field(
        default=True, description="Check the SMTP server's TLS certificate (off: self-signed)"
    )
    sms_provider: Literal["console", "esms", "webhook", "none"] = "console"
    sms_console_file: str = Field(
        default="var/sms-console.log",
        description="console SMS provider: every SMS is also written here, and those queued "
        "before the process started (the demo's) only here; empty: all printed",
    )
    sms_timeout_seconds: float = Field(default=15, gt=0)
    sms_concurrency: int = Field(default=4, ge=1, description="SMS requests in flight at once")
    esms_url: str = "https://rest.esms.vn/MainService.svc/json/SendMultipleMessage_V4_post_json/"
    esms_api_key: str = ""
    esms_secret_key: SecretStr = SecretStr("")
    esms_brandname: str = ""
    esms_sms_type: str = "2"
    esms_sandbox: bool = False
    sms_webhook_url: str = ""
    sms_webhook_token: SecretStr = SecretStr("")
    sms_kinds: dict[str, dict[str, Any]] = Field(
        default_factory=dict,
        description='Per SMS kind, JSON: {"task.new": {"template_id": "…", "max_segments": 2,'
        ' "unaccented": true}}; overrides the built-in table',
    )

    @field_validator("quiet_hours")
    @classmethod
    def _span(cls, value: str) -> str:
        if value.strip():
            start, end = value.split("-")
            _clock_time(start), _clock_time(end)
        return value.strip()

    @field_validator("digest_at")
    @classmethod
    def _clock(cls, value: str) -> str:
        if value.strip():
            _clock_time(value)
        return value.strip()

    @property
    def quiet_span(self) -> tuple[time, time] | None:
        if not self.quiet_hours:
            return None
        start, end = self.quiet_hours.split("-")
        return _clock_time(start), _clock_time(end)

    @property
    def digest_time(self) -> time | None:
        return _clock_time(self.digest_at) if self.digest_at else None

    @property
    def tz(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)

    @property
    def is_sqlite(self) -> bool:
        return self.database_url.startswith("sqlite")


def _clock_time(value: str) -> time:
    """ "21:00" -> time(21, 0); a ValueError says what is wrong."""
    hours, minutes = value.strip().split(":")
    return time(int(hours), int(minutes))


@lru_cache
def get_settings() -> Settings:
    """The process-wide settings, read once."""
    return Settings()
