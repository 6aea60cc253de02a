"""The tick that opens the month's village reviews: one commune per unit of work."""

from __future__ import annotations

import logging
from collections.abc import Callable

from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import sessionmaker
from sqlmodel import Session

from casework.clock import Clock
from casework.config import Settings
from casework.db import UnitOfWork
from casework.registry.review import flow

log = logging.getLogger(__name__)


def review_job(
    factory: sessionmaker[Session], settings: Settings, clock: Clock
) -> Callable[[], bool]:
    def tick() -> bool:
        now = clock.now()
        with factory() as session:
            due = flow.communes_due(session, now=now, tz=settings.tz)
        for commune_id, month in due:
            try:
                with UnitOfWork(factory) as uow:
                    opened = flow.open_month(
                        uow.session,
                        commune_id=commune_id,
                        month=month,
                        now=now,
                        tz=settings.tz,
                        days=settings.review_days,
                    )
                    uow.commit()
            except IntegrityError:  # another process opened them first: nothing to do
                continue
            if opened:
                log.info("village reviews: %s opened in commune %s", len(opened), commune_id)
        return False

    return tick
