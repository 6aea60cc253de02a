"""Channels: what carries a rendered message to an address, and what the provider said.

A sender is an async context manager (it may hold a connection for a whole batch) with one
method, ``send``. It never raises for a delivery problem: it answers with a ``Delivery``
whose outcome says what the relay should do — ``sent`` (the provider took it), ``retry``
(the provider or the network failed: try again after a backoff) or ``reject`` (this
message can never go, e.g. a malformed phone number: dead at once, a supervisor is told).
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from types import TracebackType
from typing import Protocol

from notifications.render import Rendered


class Outcome(StrEnum):
    sent = "sent"
    retry = "retry"
    reject = "reject"


@dataclass(frozen=True)
class Delivery:
    outcome: Outcome
    status: str | None = None  # the provider's own answer, e.g. "250 2.0.0 Ok" or "CodeResult 100"
    provider_message_id: str | None = None
    error: str | None = None
    # The channel itself is unreachable (server down, bad credentials): the rest of the
    # batch on this channel is not tried now; it fails with the same error and waits.
    channel_down: bool = False


@dataclass(frozen=True)
class Envelope:
    """One message ready to go. ``idempotency_key`` is derived from the outbox id and is the
    same on every attempt, so a provider that honours it never delivers twice."""

    message_id: int
    idempotency_key: str
    kind: str
    address: str
    rendered: Rendered


class Sender(Protocol):
    concurrency: int  # how many messages it may have in flight at once

    async def __aenter__(self) -> Sender: ...

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None: ...

    async def send(self, envelope: Envelope) -> Delivery: ...


def describe(exc: BaseException) -> str:
    """An exception as one line for ``last_error`` (never a traceback)."""
    text = str(exc).strip().splitlines()[0] if str(exc).strip() else ""
    return f"{type(exc).__name__}: {text}" if text else type(exc).__name__
