"""Entry points that run the deadline timers: the ticker in `serve` and `casework worker`."""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from zoneinfo import ZoneInfo

from sqlalchemy.orm import sessionmaker
from sqlmodel import Session

from casework.clock import Clock
from casework.config import Settings
from casework.db import UnitOfWork
from casework.deadlines.runner import claim, fire, fire_batch, park_if_exhausted, worker_name

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class RunResult:
    claimed: int
    fired: int


def run_due(
    factory: sessionmaker[Session],
    *,
    clock: Clock,
    tz: ZoneInfo,
    worker: str,
    lease: timedelta,
    batch: int,
    max_attempts: int = 5,
) -> RunResult:
    """Claim one batch and fire it in one transaction; if that fails, fire each timer in
    its own transaction so that one failing timer holds back no other."""
    with UnitOfWork(factory) as uow:
        ids = claim(uow.session, now=clock.now(), worker=worker, lease=lease, limit=batch)
        uow.commit()
    if not ids:
        return RunResult(claimed=0, fired=0)
    try:
        with UnitOfWork(factory) as uow:
            fired = fire_batch(uow.session, timer_ids=ids, worker=worker, now=clock.now(), tz=tz)
            uow.commit()
        return RunResult(claimed=len(ids), fired=fired)
    except Exception:
        log.exception("a batch of %s timers failed; firing them one by one", len(ids))
    fired = 0
    for timer_id in ids:
        try:
            with UnitOfWork(factory) as uow:
                if fire(uow.session, timer_id=timer_id, worker=worker, now=clock.now(), tz=tz):
                    fired += 1
                uow.commit()
        except Exception:
            # Left claimed: after the lease another worker (or this one) tries again,
            # up to max_attempts; then it is parked as failed instead of retried forever.
            log.exception("timer %s failed; it will be retried after its lease", timer_id)
            with UnitOfWork(factory) as uow:
                park_if_exhausted(uow.session, timer_id=timer_id, max_attempts=max_attempts)
                uow.commit()
    return RunResult(claimed=len(ids), fired=fired)


def timer_job(
    factory: sessionmaker[Session], settings: Settings, clock: Clock
) -> Callable[[], bool]:
    """One tick: fire a batch of due timers; True if the batch was full (more may be due)."""
    worker = worker_name()
    lease = timedelta(seconds=settings.timer_lease_seconds)

    def tick() -> bool:
        result = run_due(
            factory,
            clock=clock,
            tz=settings.tz,
            worker=worker,
            lease=lease,
            batch=settings.timer_batch,
            max_attempts=settings.timer_max_attempts,
        )
        return result.claimed >= settings.timer_batch

    return tick
