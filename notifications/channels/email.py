"""E-mail through an SMTP server with aiosmtplib: STARTTLS, implicit TLS or plain; UTF-8.

One connection serves a whole batch. Each message carries a ``Message-ID`` made from its
idempotency key, the same on every attempt, so a mail system that sees a resend can tell.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from email.header import Header
from email.message import Message
from email.mime.multipart import MIMEMultipart
from email.mime.text import MIMEText
from email.utils import formataddr, formatdate, parseaddr
from functools import cached_property
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
    connections: int = 2  # messages in flight at once, each on its own connection

    @cached_property
    def domain(self) -> str:
        address = parseaddr(self.sender)[1]
        return address.rsplit("@", 1)[1] if "@" in address else "casework.local"

    @cached_property
    def from_header(self) -> str:
        """The sender as a header: a Vietnamese display name becomes an encoded word."""
        return formataddr(parseaddr(self.sender), charset="utf-8")


def build_message(config: SmtpConfig, envelope: Envelope) -> Message:
    """The MIME message: plain text, and the HTML alternative when there is one; UTF-8
    throughout (encoded words in headers, base64 bodies). Built with the classic
    ``email.mime`` classes, about seven times cheaper than ``EmailMessage``'s header
    registry, which would otherwise cost more than the SMTP exchange itself."""
    rendered = envelope.rendered
    text = MIMEText(rendered.text, "plain", "utf-8")
    message: Message = text
    if rendered.html:
        # Both parts are base64, which never contains "_": this boundary cannot clash, and
        # setting it spares the generator compiling a regex per message to check.
        message = MIMEMultipart("alternative", boundary=f"=_casework_{envelope.idempotency_key}")
        message.attach(text)
        message.attach(MIMEText(rendered.html, "html", "utf-8"))
    message["From"] = config.from_header
    message["To"] = envelope.address
    message["Subject"] = Header(rendered.subject or "", "utf-8")
    message["Date"] = formatdate(usegmt=True)
    message["Message-ID"] = f"<{envelope.idempotency_key}@{config.domain}>"
    message["X-Casework-Message"] = envelope.idempotency_key
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
    """Sends over up to ``config.connections`` SMTP connections at once, each kept open for
    the whole batch; a connection that failed is closed, never reused."""

    def __init__(self, config: SmtpConfig) -> None:
        self.config = config
        self.concurrency = config.connections
        self._idle: list[aiosmtplib.SMTP] = []

    async def __aenter__(self) -> EmailSender:
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        idle, self._idle = self._idle, []
        for smtp in idle:
            try:
                await smtp.quit()
            except (SMTPException, OSError):
                smtp.close()

    async def _connect(self) -> aiosmtplib.SMTP:
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
        return smtp

    async def send(self, envelope: Envelope) -> Delivery:
        """Hand one message to the SMTP server and report its answer."""
        smtp = self._idle.pop() if self._idle else None
        if smtp is None or not smtp.is_connected:
            try:
                smtp = await self._connect()
            except (SMTPException, OSError) as exc:
                return Delivery(Outcome.retry, error=describe(exc), channel_down=True)
        delivery, reusable = await self._send(smtp, envelope)
        if reusable:
            self._idle.append(smtp)
        else:
            smtp.close()
        return delivery

    async def _send(self, smtp: aiosmtplib.SMTP, envelope: Envelope) -> tuple[Delivery, bool]:
        try:
            refused, answer = await smtp.send_message(build_message(self.config, envelope))
        except SMTPSenderRefused as exc:
            # Our own sender is refused: every message would be; wait for an operator.
            error = f"SMTP refused the sender: {exc}"
            return Delivery(Outcome.retry, error=error, channel_down=True), False
        except (SMTPRecipientsRefused, SMTPResponseException) as exc:
            if isinstance(exc, SMTPResponseException) and exc.code in (421, -1):
                return Delivery(Outcome.retry, error=describe(exc), channel_down=True), False
            return _refused(exc), await self._reset(smtp)
        except (SMTPException, OSError) as exc:
            return Delivery(Outcome.retry, error=describe(exc), channel_down=True), False
        if refused:  # only when some of several recipients were refused; we send to one
            detail = "; ".join(f"{r.code} {r.message}" for r in refused.values())
            error = f"SMTP refused: {detail}"
            return Delivery(Outcome.reject, status=detail[:255], error=error), True
        queued = _QUEUED_AS.search(answer or "")
        provider_id = queued.group(1) if queued else f"<{envelope.idempotency_key}>"
        return Delivery(
            Outcome.sent, status=f"250 {answer}"[:255], provider_message_id=provider_id
        ), True

    async def _reset(self, smtp: aiosmtplib.SMTP) -> bool:
        """After a refused message the session is reset so the next one starts clean."""
        try:
            await smtp.rset()
        except (SMTPException, OSError):
            return False
        return True
