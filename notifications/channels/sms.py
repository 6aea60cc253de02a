"""SMS: a Vietnamese brandname gateway (eSMS's JSON API), a generic webhook, the console.

Every SMS sender takes an ``Envelope`` whose rendered text was measured (GSM-7 or UCS-2,
segments) and answers with a ``Delivery``. The idempotency key goes with every request
(eSMS ``RequestId``; the webhook's ``Idempotency-Key`` header), so a resend after a crash
is recognised by a gateway that honours it.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType
from typing import Any, TextIO

import httpx2 as httpx

from notifications.channels import Delivery, Envelope, Outcome, describe

ESMS_URL = "https://rest.esms.vn/MainService.svc/json/SendMultipleMessage_V4_post_json/"
# eSMS answers (its "table of error codes"): 100 accepted; 124 duplicate RequestId, i.e.
# this very message was accepted on an earlier attempt. These are about the recipient and
# never get better by retrying: 99 number blocked, 108 malformed number, 177 network not
# registered for the brandname. Anything else (credentials, balance, brandname, template,
# IP whitelist) is the operator's to fix: retried with backoff, then dead.
ESMS_ACCEPTED = "100"
ESMS_DUPLICATE = "124"
ESMS_RECIPIENT_ERRORS = frozenset({"99", "108", "177"})


def is_unicode(envelope: Envelope) -> bool:
    size = envelope.rendered.size
    return size is not None and size.encoding == "UCS-2"


def national(phone: str) -> str:
    """+84912345678 -> 0912345678, as Vietnamese gateways document their examples."""
    return "0" + phone[3:] if phone.startswith("+84") else phone.lstrip("+")


class _HttpSender:
    def __init__(
        self, *, timeout: float, concurrency: int, transport: httpx.AsyncBaseTransport | None
    ) -> None:
        self.concurrency = concurrency
        self._timeout = timeout
        self._transport = transport
        self._client: httpx.AsyncClient | None = None

    async def __aenter__(self) -> _HttpSender:
        self._client = httpx.AsyncClient(timeout=self._timeout, transport=self._transport)
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        if self._client is not None:
            await self._client.aclose()
            self._client = None

    async def _post(self, url: str, **kwargs: Any) -> httpx.Response | Delivery:
        """The response, or a retry Delivery when the gateway could not be reached."""
        assert self._client is not None, "use the sender as an async context manager"
        try:
            response = await self._client.post(url, **kwargs)
        except httpx.TimeoutException as exc:
            return Delivery(Outcome.retry, error=f"timeout: {describe(exc)}")
        except httpx.HTTPError as exc:
            return Delivery(Outcome.retry, error=describe(exc))
        if response.status_code >= 500 or response.status_code in (408, 429):
            return Delivery(
                Outcome.retry,
                status=f"HTTP {response.status_code}",
                error=f"HTTP {response.status_code}: {response.text[:200]}",
            )
        return response


@dataclass(frozen=True)
class EsmsConfig:
    api_key: str
    secret_key: str
    brandname: str
    sms_type: str = "2"  # 2: customer-care brandname SMS (must match a registered template)
    url: str = ESMS_URL
    sandbox: bool = False
    timeout: float = 15.0
    concurrency: int = 4


class EsmsSender(_HttpSender):
    """eSMS ``SendMultipleMessage_V4_post_json``: one request per SMS."""

    def __init__(self, config: EsmsConfig, *, transport: httpx.AsyncBaseTransport | None = None):
        super().__init__(
            timeout=config.timeout, concurrency=config.concurrency, transport=transport
        )
        self.config = config

    def payload(self, envelope: Envelope) -> dict[str, str]:
        return {
            "ApiKey": self.config.api_key,
            "SecretKey": self.config.secret_key,
            "Phone": national(envelope.address),
            "Content": envelope.rendered.text,
            "Brandname": self.config.brandname,
            "SmsType": self.config.sms_type,
            "IsUnicode": "1" if is_unicode(envelope) else "0",
            "Sandbox": "1" if self.config.sandbox else "0",
            "RequestId": envelope.idempotency_key[:50],
        }

    async def send(self, envelope: Envelope) -> Delivery:
        answer = await self._post(self.config.url, json=self.payload(envelope))
        if isinstance(answer, Delivery):
            return answer
        try:
            body = answer.json()
            code = str(body["CodeResult"])
        except (ValueError, KeyError, TypeError):
            return Delivery(
                Outcome.retry,
                status=f"HTTP {answer.status_code}",
                error=f"unexpected answer: {answer.text[:200]}",
            )
        message = str(body.get("ErrorMessage") or "")
        status = f"CodeResult {code}" + (f": {message}" if message else "")
        if code == ESMS_ACCEPTED:
            return Delivery(Outcome.sent, status=status, provider_message_id=body.get("SMSID"))
        if code == ESMS_DUPLICATE:
            return Delivery(
                Outcome.sent,
                status=f"{status} (accepted on an earlier attempt)",
                provider_message_id=body.get("SMSID"),
            )
        outcome = Outcome.reject if code in ESMS_RECIPIENT_ERRORS else Outcome.retry
        return Delivery(outcome, status=status[:255], error=f"eSMS refused: {status}")


@dataclass(frozen=True)
class WebhookConfig:
    url: str
    token: str | None = None
    timeout: float = 15.0
    concurrency: int = 4


class WebhookSender(_HttpSender):
    """POST ``{id, to, text, kind, template_id, unicode, segments}`` as JSON to any URL (a
    gateway of one's own, a relay to another provider). 2xx: sent (``id`` or
    ``message_id`` of the answer, if any, is the provider's id); 4xx: the message is
    refused for good; 408, 429, 5xx and timeouts: retried."""

    def __init__(self, config: WebhookConfig, *, transport: httpx.AsyncBaseTransport | None = None):
        super().__init__(
            timeout=config.timeout, concurrency=config.concurrency, transport=transport
        )
        self.config = config

    async def send(self, envelope: Envelope) -> Delivery:
        size = envelope.rendered.size
        headers = {"Idempotency-Key": envelope.idempotency_key}
        if self.config.token:
            headers["Authorization"] = f"Bearer {self.config.token}"
        answer = await self._post(
            self.config.url,
            headers=headers,
            json={
                "id": envelope.idempotency_key,
                "to": envelope.address,
                "text": envelope.rendered.text,
                "kind": envelope.kind,
                "template_id": envelope.rendered.template_id,
                "unicode": is_unicode(envelope),
                "segments": size.segments if size else 1,
            },
        )
        if isinstance(answer, Delivery):
            return answer
        status = f"HTTP {answer.status_code}"
        if answer.status_code >= 400:
            return Delivery(Outcome.reject, status=status, error=f"{status}: {answer.text[:200]}")
        try:
            body = answer.json()
        except ValueError:
            body = {}
        provider_id = (body.get("message_id") or body.get("id")) if isinstance(body, dict) else None
        return Delivery(Outcome.sent, status=status, provider_message_id=provider_id)


class ConsoleSender:
    """Development: print each SMS on the console instead of sending it.

    With a ``file``, every SMS is also written there, and those queued before this process
    started (ids up to ``backlog_until``, e.g. the demo commune's history) are written
    there only: a batch of them ends with one line saying how many and where, so a first
    start is not buried under them. New messages print as before.
    """

    concurrency = 1

    def __init__(
        self, stream: TextIO | None = None, *, file: Path | None = None, backlog_until: int = 0
    ) -> None:
        self.stream = stream
        self.file = file
        self.backlog_until = backlog_until if file is not None else 0
        self._held = 0

    async def __aenter__(self) -> ConsoleSender:
        self._held = 0
        return self

    async def __aexit__(self, *exc: object) -> None:
        if self._held:
            stream = self.stream or sys.stdout
            stream.write(
                f"SMS: {self._held} queued before this start written to {self.file}, not "
                "printed here; new ones print below.\n"
            )
            stream.flush()
            self._held = 0

    async def send(self, envelope: Envelope) -> Delivery:
        size = envelope.rendered.size
        cost = f"{size.segments} SMS {size.encoding}, {size.units} units" if size else "SMS"
        text = f"SMS -> {envelope.address} [{envelope.kind}; {cost}]\n   {envelope.rendered.text}\n"
        if self.file is not None:
            self.file.parent.mkdir(parents=True, exist_ok=True)
            with self.file.open("a", encoding="utf-8") as out:
                out.write(text)
            if envelope.message_id <= self.backlog_until:
                self._held += 1
                return Delivery(Outcome.sent, status=f"written to {self.file}")
        stream = self.stream or sys.stdout
        stream.write(text)
        stream.flush()
        return Delivery(Outcome.sent, status="printed on the console", provider_message_id=None)
