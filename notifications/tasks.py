"""The relay's entry point: one round claims a batch, sends it, records the answers.

Three kinds of transaction, none open while a provider is talking: the claim (commits
before the first send), then one per few answers (``record_every``), written from a
worker thread while the next messages are being sent. A crash loses at most the answers
not yet written: those messages go again, with the same idempotency key, once their lease
runs out (at-least-once delivery; see ``notifications.relay``).
"""

from __future__ import annotations

import asyncio
import logging
import random
import threading
import time
from collections.abc import Callable, Mapping
from concurrent.futures import ThreadPoolExecutor
from contextlib import AbstractContextManager
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any, Protocol

from sqlmodel import Session

from notifications.channels import Sender
from notifications.dispatch import deliver
from notifications.relay import Backoff, DeadMessage, Recorded, Result, Verdict, claim, record
from notifications.render import Renderer

log = logging.getLogger(__name__)


class Clock(Protocol):
    def now(self) -> datetime: ...


class UnitOfWork(Protocol):
    session: Session

    def commit(self) -> None: ...


OnDead = Callable[[Session, list[DeadMessage], datetime], None]


@dataclass(frozen=True)
class RelayConfig:
    worker: str
    lease: timedelta = timedelta(seconds=120)
    batch: int = 200
    max_attempts: int = 8
    backoff: Backoff = field(default_factory=Backoff)
    key_prefix: str = "casework"
    record_every: int = 10
    quiet: Callable[[datetime], bool] = lambda _now: False


@dataclass
class RoundResult:
    claimed: int = 0
    counts: dict[Verdict, int] = field(default_factory=lambda: dict.fromkeys(Verdict, 0))

    def add(self, recorded: Recorded) -> None:
        for verdict, n in recorded.counts.items():
            self.counts[verdict] += n


class Relay:
    """Everything one relay needs; ``run_once`` is one round (the ticker calls it)."""

    def __init__(
        self,
        unit_of_work: Callable[[], AbstractContextManager[Any]],
        *,
        clock: Clock,
        senders: Mapping[str, Sender],
        renderer: Renderer,
        config: RelayConfig,
        on_dead: OnDead | None = None,
        rng: random.Random | None = None,
    ) -> None:
        self.unit_of_work = unit_of_work
        self.clock = clock
        self.senders = senders
        self.renderer = renderer
        self.config = config
        self.on_dead = on_dead
        self.rng = rng or random.Random()
        # Set by the ticker when the process stops: messages not yet started are released.
        self.stopping: threading.Event | None = None
        # One long-lived thread writes the answers, in order, while the next ones are sent.
        self._writer = ThreadPoolExecutor(max_workers=1, thread_name_prefix="outbox-record")

    def run_once(self) -> RoundResult:
        """Claim one batch, send it, record every answer."""
        config = self.config
        now = self.clock.now()
        with self.unit_of_work() as uow:
            messages = claim(
                uow.session,
                now=now,
                worker=config.worker,
                lease=config.lease,
                limit=config.batch,
                channels=list(self.senders),
                urgent_only=config.quiet(now),
            )
            uow.commit()
        result = RoundResult(claimed=len(messages))
        if messages:
            asyncio.run(self._deliver(messages, result))
        return result

    def tick(self) -> bool:
        """One round; True when the batch was full (more may be due at once)."""
        return self.run_once().claimed >= self.config.batch

    def _record(self, results: list[Result]) -> Recorded:
        with self.unit_of_work() as uow:
            recorded = record(
                uow.session,
                results,
                worker=self.config.worker,
                now=self.clock.now(),
                max_attempts=self.config.max_attempts,
                backoff=self.config.backoff,
                rng=self.rng,
                on_dead=self.on_dead,
            )
            uow.commit()
        return recorded

    async def _deliver(self, messages: list[Any], result: RoundResult) -> None:
        pending: list[Result] = []
        writing = asyncio.Lock()  # one writer at a time, in answer order
        writes: list[asyncio.Task[None]] = []

        async def flush() -> None:
            async with writing:
                chunk = pending[:]
                del pending[:]
                if not chunk:
                    return
                try:
                    loop = asyncio.get_running_loop()
                    result.add(await loop.run_in_executor(self._writer, self._record, chunk))
                except Exception:
                    # Left `sending`: after the lease they go again with the same key.
                    log.exception("could not record %s delivery answers", len(chunk))

        async def report(answer: Result) -> None:
            pending.append(answer)
            if len(pending) >= self.config.record_every and not writing.locked():
                # Written in a worker thread while the next messages are being sent.
                writes.append(asyncio.create_task(flush()))

        deadline = time.monotonic() + self.config.lease.total_seconds() * 0.8

        def expired() -> bool:
            stopping = self.stopping is not None and self.stopping.is_set()
            return stopping or time.monotonic() > deadline

        try:
            await deliver(
                messages,
                senders=self.senders,
                renderer=self.renderer,
                key_prefix=self.config.key_prefix,
                expired=expired,
                report=report,
            )
        finally:
            await asyncio.gather(*writes)
            await flush()
