"""Entry points for the ticker: the outbox relay and the morning digest, wired to settings."""

from __future__ import annotations

import random
from collections.abc import Callable, Mapping
from datetime import datetime, time, timedelta
from functools import partial
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from sqlalchemy.orm import sessionmaker
from sqlmodel import Session

from casework.clock import Clock
from casework.config import Settings
from casework.db import UnitOfWork
from casework.deadlines.runner import worker_name
from casework.messaging import channels, digest, words
from casework.messaging import service as messaging_service
from casework.web.templating import make_environment
from notifications.channels import Sender
from notifications.models import OutboxMessage
from notifications.relay import Backoff
from notifications.render import Renderer
from notifications.tasks import Relay, RelayConfig

DIGEST_UNTIL = time(12, 0)  # a process started in the afternoon sends no "morning" digest


def in_span(span: tuple[time, time] | None, tz: ZoneInfo) -> Callable[[datetime], bool]:
    """Whether a moment falls in a daily local span such as 21:00-06:00 (over midnight)."""

    def inside(moment: datetime) -> bool:
        if span is None:
            return False
        start, end = span
        local = moment.astimezone(tz).time()
        return start <= local < end if start <= end else local >= start or local < end

    return inside


def renderer(settings: Settings) -> Renderer:
    env = make_environment()
    env.auto_reload = False  # templates are read once per process, not checked per message
    return Renderer(
        env=env,
        enrich=words.enrich_for(public_url=settings.public_url, tz=settings.tz),
        sms_kinds=words.sms_kinds(settings.sms_kinds),
    )


def relay(
    factory: sessionmaker[Session],
    settings: Settings,
    clock: Clock,
    *,
    senders: Mapping[str, Sender] | None = None,
    worker: str | None = None,
    rng: random.Random | None = None,
) -> Relay:
    """The relay for these settings (tests and benchmarks pass their own senders)."""
    return Relay(
        lambda: UnitOfWork(factory),
        clock=clock,
        senders=(
            channels.senders(settings, sms_backlog_until=_queued_so_far(factory, settings))
            if senders is None
            else senders
        ),
        renderer=renderer(settings),
        config=RelayConfig(
            worker=worker or worker_name(),
            lease=timedelta(seconds=settings.outbox_lease_seconds),
            batch=settings.outbox_batch,
            max_attempts=settings.outbox_max_attempts,
            backoff=Backoff(
                base=timedelta(seconds=settings.outbox_backoff_seconds),
                cap=timedelta(seconds=settings.outbox_backoff_max_seconds),
            ),
            key_prefix=settings.outbox_key_prefix,
            quiet=in_span(settings.quiet_span, settings.tz),
        ),
        on_dead=partial(messaging_service.on_dead, tz=settings.tz),
        rng=rng,
    )


def _queued_so_far(factory: sessionmaker[Session], settings: Settings) -> int:
    """The newest message queued before this process started (0: none, or not asked)."""
    if settings.sms_provider != "console" or not settings.sms_console_file:
        return 0
    with factory() as session:
        return session.execute(sa.select(sa.func.max(OutboxMessage.id))).scalar() or 0


def relay_job(
    factory: sessionmaker[Session], settings: Settings, clock: Clock
) -> Callable[[], bool]:
    """One tick: send one batch; True if it was full (more may be waiting)."""
    return relay(factory, settings, clock).tick


def send_digest(factory: sessionmaker[Session], *, now: datetime, tz: ZoneInfo) -> int:
    """Queue today's digests (idempotent per agency and day)."""
    with UnitOfWork(factory) as uow:
        queued = digest.enqueue(uow.session, now=now, tz=tz)
        uow.commit()
    return queued


def digest_job(
    factory: sessionmaker[Session], settings: Settings, clock: Clock
) -> Callable[[], bool]:
    """Once a working morning, from ``digest_at`` until noon, queue the daily digests."""
    done: set[str] = set()
    tz = settings.tz

    def tick() -> bool:
        at = settings.digest_time
        now = clock.now()
        local = now.astimezone(tz)
        if at is None or not at <= local.time() < DIGEST_UNTIL:
            return False
        day = local.date().isoformat()
        if day not in done:
            send_digest(factory, now=now, tz=tz)
            done.add(day)
        return False

    return tick
