"""Send a claimed batch: render each message, hand it to its channel, collect the answers.

Runs with no database transaction open. Each channel has a few messages in flight at once
(its sender's ``concurrency``: SMTP connections, concurrent HTTP requests). When a channel
is down (the SMTP server refuses connections, bad credentials) the rest of that channel's
batch is not tried: it fails with the same error and waits for its backoff. A message is
never started after the batch's deadline (a margin before the lease runs out): it is
released untried instead, so a slow provider cannot make two relays send it at once.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable, Mapping, Sequence
from contextlib import AsyncExitStack

from notifications.channels import Delivery, Envelope, Outcome, Sender, describe
from notifications.models import Channel
from notifications.relay import Claimed, Result
from notifications.render import Rendered, RenderedSms, Renderer
from notifications.sms_text import measure

log = logging.getLogger(__name__)

Report = Callable[[Result], Awaitable[None]]
NO_ADDRESS = {Channel.email: "no e-mail address", Channel.sms: "no phone number"}


def idempotency_key(prefix: str, message_id: int) -> str:
    """The key a provider sees on every attempt of one message (eSMS allows 50 chars)."""
    return f"{prefix}-{message_id}"


def render(renderer: Renderer, message: Claimed) -> Rendered:
    """The words to send: those stored at the first attempt, or freshly rendered."""
    if message.body is not None:
        if message.channel == Channel.sms:
            spec_budget = renderer.sms_kinds.get(message.kind)
            return RenderedSms(
                template_id=message.template_id or message.kind,
                subject=None,
                text=message.body,
                size=measure(message.body),
                budget=spec_budget.max_segments if spec_budget else 1,
            )
        return Rendered(
            template_id=message.template_id or message.kind,
            subject=message.subject,
            text=message.body,
            html=renderer.html(subject=message.subject or "", text=message.body),
        )
    return renderer.render(
        channel=message.channel,
        kind=message.kind,
        language=message.language,
        context=message.context,
    )


class Batch:
    def __init__(
        self,
        *,
        senders: Mapping[str, Sender],
        renderer: Renderer,
        key_prefix: str,
        expired: Callable[[], bool],
        report: Report,
    ) -> None:
        self.senders = senders
        self.renderer = renderer
        self.key_prefix = key_prefix
        self.expired = expired
        self.report = report
        self.down: dict[str, Delivery] = {}

    async def one(self, sender: Sender, message: Claimed) -> None:
        rendered: Rendered | None = None
        if not message.address:
            delivery: Delivery | None = Delivery(
                Outcome.reject, error=NO_ADDRESS.get(message.channel, "no address")
            )
        else:
            try:
                rendered = render(self.renderer, message)
            except Exception as exc:  # a template that cannot render never will
                log.exception("message %s (%s) could not be rendered", message.id, message.kind)
                delivery = Delivery(Outcome.reject, error=f"rendering failed: {describe(exc)}")
            else:
                delivery = await self._send(sender, message, rendered)
        await self.report(Result(message=message, delivery=delivery, rendered=rendered))

    async def _send(self, sender: Sender, message: Claimed, rendered: Rendered) -> Delivery | None:
        if message.channel in self.down:
            down = self.down[message.channel]
            return Delivery(Outcome.retry, status=down.status, error=down.error)
        if self.expired():
            return None
        if rendered.over_budget:
            log.warning(
                "message %s (%s): %s segments, over its budget",
                message.id,
                message.kind,
                rendered.size.segments if rendered.size else "?",
            )
        envelope = Envelope(
            message_id=message.id,
            idempotency_key=idempotency_key(self.key_prefix, message.id),
            kind=message.kind,
            address=message.address or "",
            rendered=rendered,
        )
        try:
            delivery = await sender.send(envelope)
        except Exception as exc:  # a sender bug must not lose the batch's other answers
            log.exception("sender failed on message %s", message.id)
            delivery = Delivery(Outcome.retry, error=describe(exc))
        if delivery.channel_down:
            self.down[message.channel] = delivery
        return delivery

    async def channel(self, name: str, messages: Sequence[Claimed]) -> None:
        sender = self.senders[name]
        limit = asyncio.Semaphore(max(1, getattr(sender, "concurrency", 1)))

        async def guarded(message: Claimed) -> None:
            async with limit:
                await self.one(sender, message)

        await asyncio.gather(*(guarded(m) for m in messages))


async def deliver(
    messages: Sequence[Claimed],
    *,
    senders: Mapping[str, Sender],
    renderer: Renderer,
    key_prefix: str,
    expired: Callable[[], bool],
    report: Report,
) -> None:
    """Send every message of the batch on its channel; ``report`` gets each answer as it
    comes (or a release, once ``expired`` says the batch's time is up)."""
    batch = Batch(
        senders=senders,
        renderer=renderer,
        key_prefix=key_prefix,
        expired=expired,
        report=report,
    )
    by_channel: dict[str, list[Claimed]] = {}
    for message in messages:
        by_channel.setdefault(message.channel, []).append(message)
    async with AsyncExitStack() as stack:
        for name in by_channel:
            await stack.enter_async_context(senders[name])
        await asyncio.gather(*(batch.channel(name, group) for name, group in by_channel.items()))
