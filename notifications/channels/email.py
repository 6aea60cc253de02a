"""E-mail through an SMTP server with aiosmtplib: STARTTLS, implicit TLS or plain; UTF-8.

One connection serves a whole batch. Each message carries a ``Message-ID`` made from its
idempotency key, the same on every attempt, so a mail system that sees a resend can tell.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from email.message import EmailMessage
from email.utils import formatdate, parseaddr
from types import TracebackType
from typing import Literal

import aiosmtplib
from aiosmtplib.errors import (
    SMTPException,
    SMTPRecipientsRefused,
    SMTPResponseException,
    SMTPSenderRefused,
)

from notifications.channels import Delivery, Envelope, Outcome, describe

Security = Literal["starttls", "tls", "none"]
_QUEUED_AS = re.compile(r"queued as (\S+)", re.IGNORECASE)


@dataclass(frozen=True)
class SmtpConfig:
    host: str
    port: int = 587
    security: Security = "starttls"  # tls: implicit TLS from the first byte (usually 465)
    username: str | None = None
    password: str | None = None
    sender: str = "Casework <casework@localhost>"
    timeout: float = 20.0
    validate_certs: bool = True

    @property
    def domain(self) -> str:
        address = parseaddr(self.sender)[1]
        return address.rsplit("@", 1)[1] if "@" in address else "casework.local"


def build_message(config: SmtpConfig, envelope: Envelope) -> EmailMessage:
    """The MIME message: plain text, and the HTML alternative when there is one."""
    rendered = envelope.rendered
    message = EmailMessage()
    message["From"] = config.sender
    message["To"] = envelope.address
    message["Subject"] = rendered.subject or ""
    message["Date"] = formatdate(usegmt=True)
    message["Message-ID"] = f"<{envelope.idempotency_key}@{config.domain}>"
    message["X-Casework-Message"] = envelope.idempotency_key
    message.set_content(rendered.text, charset="utf-8")
    if rendered.html:
        message.add_alternative(rendered.html, subtype="html", charset="utf-8")
    return message


def _refused(exc: SMTPResponseException | SMTPRecipientsRefused) -> Delivery:
    """A permanent (5xx) refusal of this message or its recipient is final; 4xx waits."""
    if isinstance(exc, SMTPRecipientsRefused):
        codes = [refusal.code for refusal in exc.recipients]
        detail = "; ".join(f"{r.code} {r.message}" for r in exc.recipients)
    else:
        codes = [exc.code]
        detail = f"{exc.code} {exc.message}"
    permanent = all(500 <= code < 600 for code in codes)
    return Delivery(
        outcome=Outcome.reject if permanent else Outcome.retry,
        status=detail[:255],
        error=f"SMTP refused: {detail}",
    )


class EmailSender:
    def __init__(self, config: SmtpConfig) -> None:
        self.config = config
        self._smtp: aiosmtplib.SMTP | None = None

    async def __aenter__(self) -> EmailSender:
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self._drop(polite=True)

    async def _drop(self, *, polite: bool) -> None:
        smtp, self._smtp = self._smtp, None
        if smtp is None or not smtp.is_connected:
            return
        try:
            if polite:
                await smtp.quit()
            else:
                smtp.close()
        except (SMTPException, OSError):
            smtp.close()

    async def _connected(self) -> aiosmtplib.SMTP:
        if self._smtp is not None and self._smtp.is_connected:
            return self._smtp
        config = self.config
        smtp = aiosmtplib.SMTP(
            hostname=config.host,
            port=config.port,
            use_tls=config.security == "tls",
            start_tls=config.security == "starttls",
            username=config.username or None,
            password=config.password or None,
            timeout=config.timeout,
            validate_certs=config.validate_certs,
        )
        await smtp.connect()
        self._smtp = smtp
        return smtp

    async def send(self, envelope: Envelope) -> Delivery:
        """Hand one message to the SMTP server and report its answer."""
        try:
            smtp = await self._connected()
        except (SMTPException, OSError) as exc:
            await self._drop(polite=False)
            return Delivery(Outcome.retry, error=describe(exc), channel_down=True)
        try:
            refused, answer = await smtp.send_message(build_message(self.config, envelope))
        except SMTPSenderRefused as exc:
            # Our own sender is refused: every message would be; wait for an operator.
            return Delivery(
                Outcome.retry, error=f"SMTP refused the sender: {exc}", channel_down=True
            )
        except (SMTPRecipientsRefused, SMTPResponseException) as exc:
            if isinstance(exc, SMTPResponseException) and exc.code in (421, -1):
                await self._drop(polite=False)
                return Delivery(Outcome.retry, error=describe(exc), channel_down=True)
            await self._reset(smtp)
            return _refused(exc)
        except (SMTPException, OSError) as exc:
            await self._drop(polite=False)
            return Delivery(Outcome.retry, error=describe(exc), channel_down=True)
        if refused:  # only when some of several recipients were refused; we send to one
            detail = "; ".join(f"{r.code} {r.message}" for r in refused.values())
            return Delivery(Outcome.reject, status=detail[:255], error=f"SMTP refused: {detail}")
        queued = _QUEUED_AS.search(answer or "")
        return Delivery(
            Outcome.sent,
            status=f"250 {answer}"[:255],
            provider_message_id=queued.group(1) if queued else f"<{envelope.idempotency_key}>",
        )

    async def _reset(self, smtp: aiosmtplib.SMTP) -> None:
        """After a refused message the session is reset so the next one starts clean."""
        try:
            await smtp.rset()
        except (SMTPException, OSError):
            await self._drop(polite=False)
