"""The tick that opens the reports the calendar says are owed: one commune and obligation
per unit of work."""

from __future__ import annotations

import logging
from collections.abc import Callable

from sqlalchemy.orm import sessionmaker
from sqlmodel import Session

from casework.clock import Clock
from casework.config import Settings
from casework.db import once_each
from casework.reports import obligations
from casework.reports.schedule import Obligation
from casework.timefmt import local_date

log = logging.getLogger(__name__)


def report_job(
    factory: sessionmaker[Session], settings: Settings, clock: Clock
) -> Callable[[], bool]:
    def tick() -> bool:
        now = clock.now()
        with factory() as session:
            due = obligations.due_now(session, now=now, tz=settings.tz)
        year = local_date(now, settings.tz).year

        def open_one(session: Session, item: tuple[int, Obligation]) -> int:
            commune_id, obligation = item
            return len(
                obligations.open_obligation(session, commune_id=commune_id, obligation=obligation,
                                            year=year, now=now, tz=settings.tz)
            )  # fmt: skip

        for (commune_id, _), opened in once_each(factory, due, open_one):
            if opened:
                log.info("reports owed: %s opened in commune %s", opened, commune_id)
        return False

    return tick
