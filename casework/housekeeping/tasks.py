"""The housekeeping tick: one purge per run, in its own unit of work."""

from __future__ import annotations

import logging
from collections.abc import Callable

from sqlalchemy.orm import sessionmaker
from sqlmodel import Session

from casework.clock import Clock
from casework.config import Settings
from casework.db import UnitOfWork
from casework.housekeeping.service import purge

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
        return False

    return tick
