"""The tick that opens the month's village reviews: one commune per unit of work."""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import date

from sqlalchemy.orm import sessionmaker
from sqlmodel import Session

from casework.clock import Clock
from casework.config import Settings
from casework.db import once_each
from casework.registry.review import flow

log = logging.getLogger(__name__)


def review_job(
    factory: sessionmaker[Session], settings: Settings, clock: Clock
) -> Callable[[], bool]:
    def tick() -> bool:
        now = clock.now()
        with factory() as session:
            due = flow.communes_due(session, now=now, tz=settings.tz)

        def open_one(session: Session, item: tuple[int, date]) -> int:
            commune_id, month = item
            opened = flow.open_month(session, commune_id=commune_id, month=month, now=now,
                                     tz=settings.tz, days=settings.review_days)  # fmt: skip
            return len(opened)

        for (commune_id, _), opened in once_each(factory, due, open_one):
            if opened:
                log.info("village reviews: %s opened in commune %s", opened, commune_id)
        return False

    return tick
