"""The channels the settings ask for, and one line per channel saying where messages go."""

from __future__ import annotations

from pathlib import Path
from typing import TextIO

from casework.config import Settings
from notifications.channels import Sender
from notifications.channels.email import EmailSender, SmtpConfig
from notifications.channels.sms import (
    ConsoleSender,
    EsmsConfig,
    EsmsSender,
    WebhookConfig,
    WebhookSender,
)
from notifications.models import Channel


def smtp_config(settings: Settings) -> SmtpConfig:
    return SmtpConfig(
        host=settings.smtp_host,
        port=settings.smtp_port,
        security=settings.smtp_security,
        username=settings.smtp_username or None,
        password=settings.smtp_password.get_secret_value() or None,
        sender=settings.smtp_from,
        timeout=settings.smtp_timeout_seconds,
        connections=settings.smtp_connections,
        validate_certs=settings.smtp_validate_certs,
    )


def senders(
    settings: Settings, *, console: TextIO | None = None, sms_backlog_until: int = 0
) -> dict[str, Sender]:
    """E-mail when an SMTP server is configured; SMS by the chosen provider. A channel left
    out is not claimed by the relay: its messages wait in the outbox until it exists.
    ``sms_backlog_until``: the last message queued before this process started (the console
    writes those to its file instead of printing them)."""
    out: dict[str, Sender] = {}
    if settings.smtp_host:
        out[Channel.email] = EmailSender(smtp_config(settings))
    if settings.sms_provider == "console":
        file = Path(settings.sms_console_file) if settings.sms_console_file else None
        out[Channel.sms] = ConsoleSender(console, file=file, backlog_until=sms_backlog_until)
    elif settings.sms_provider == "esms":
        out[Channel.sms] = EsmsSender(
            EsmsConfig(
                api_key=settings.esms_api_key,
                secret_key=settings.esms_secret_key.get_secret_value(),
                brandname=settings.esms_brandname,
                sms_type=settings.esms_sms_type,
                url=settings.esms_url,
                sandbox=settings.esms_sandbox,
                timeout=settings.sms_timeout_seconds,
                concurrency=settings.sms_concurrency,
            )
        )
    elif settings.sms_provider == "webhook":
        out[Channel.sms] = WebhookSender(
            WebhookConfig(
                url=settings.sms_webhook_url,
                token=settings.sms_webhook_token.get_secret_value() or None,
                timeout=settings.sms_timeout_seconds,
                concurrency=settings.sms_concurrency,
            )
        )
    return out


def describe(settings: Settings) -> list[str]:
    """What an operator reads at start-up: where e-mail and SMS go (or that they wait)."""
    if settings.smtp_host:
        email = (
            f"E-mail: SMTP {settings.smtp_host}:{settings.smtp_port} ({settings.smtp_security}),"
            f" from {settings.smtp_from}"
        )
    else:
        email = (
            "E-mail: OFF - no SMTP server configured (set CASEWORK_SMTP_HOST); e-mails wait in"
            " the outbox and go once one is configured."
        )
    sms = {
        "console": "SMS: printed on this console (CASEWORK_SMS_PROVIDER=console, development)"
        + (
            f"; also kept in {settings.sms_console_file}, where those queued before this start"
            " go instead"
            if settings.sms_console_file
            else ""
        ),
        "esms": f"SMS: eSMS brandname {settings.esms_brandname or '(none set)'}",
        "webhook": f"SMS: webhook {settings.sms_webhook_url or '(no URL set)'}",
        "none": "SMS: OFF (CASEWORK_SMS_PROVIDER=none); SMS wait in the outbox.",
    }[settings.sms_provider]
    return [email, sms]
