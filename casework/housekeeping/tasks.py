"""The housekeeping tick: one purge per run, in its own unit of work; then the day's
clean-records figure of each commune not yet counted today, one commune per unit of work."""

from __future__ import annotations

import logging
from collections.abc import Callable

from sqlalchemy.orm import sessionmaker
from sqlmodel import Session

from casework.clock import Clock
from casework.config import Settings
from casework.db import UnitOfWork
from casework.housekeeping.service import purge
from casework.registry import snapshots
from casework.timefmt import local_date

log = logging.getLogger(__name__)


def housekeeping_job(
    factory: sessionmaker[Session], settings: Settings, clock: Clock
) -> Callable[[], bool]:
    def tick() -> bool:
        with UnitOfWork(factory) as uow:
            purged = purge(uow.session, settings=settings, now=clock.now())
            uow.commit()
        if purged.throttles or purged.idempotency_records or purged.ended_sessions:
            log.info(
                "housekeeping: %s login throttles, %s stored intake answers, "
                "%s ended sessions deleted",
                purged.throttles,
                purged.idempotency_records,
                purged.ended_sessions,
            )
        snapshot_due(factory, settings, clock)
        return False

    return tick


def snapshot_due(factory: sessionmaker[Session], settings: Settings, clock: Clock) -> int:
    """Take today's data-quality snapshot of every commune that has none yet (at most once
    per commune and local day, whatever the number of processes); the rows written."""
    day = local_date(clock.now(), settings.tz)
    with UnitOfWork(factory) as uow:
        due = snapshots.due_communes(uow.session, day=day)
    written = 0
    for commune_id in due:
        with UnitOfWork(factory) as uow:
            written += snapshots.take(uow.session, commune_id=commune_id, day=day, now=clock.now())
            uow.commit()
    return written
