"""What runs on the ticker, the same in `casework serve` and `casework worker`: due timers
and spreadsheet imports, the outbox relay and the daily digest, and the housekeeping that
deletes rows past their purpose (``casework.housekeeping``)."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.orm import sessionmaker
from sqlmodel import Session

from casework.clock import Clock
from casework.config import Settings
from casework.deadlines.tasks import timer_job
from casework.housekeeping.tasks import housekeeping_job
from casework.messaging import tasks as messaging_tasks
from casework.registry.imports.tasks import import_job
from casework.registry.review.tasks import review_job
from casework.reports.tasks import report_job
from notifications.tasks import Relay
from workflows.ticker import Tick


@dataclass
class Jobs:
    ticks: list[Tick]
    relay: Relay | None  # its ``stopping`` is set by whoever runs the ticks


def jobs(
    factory: sessionmaker[Session], settings: Settings, clock: Clock, *, timers: bool, outbox: bool
) -> Jobs:
    """The ticks for a process that fires ``timers``, sends the ``outbox``, or both;
    housekeeping rides along with either."""
    ticks = []
    relay = None
    if timers:
        ticks.append(Tick(timer_job(factory, settings, clock), settings.tick_seconds, "timers"))
        ticks.append(
            Tick(import_job(factory, settings, clock), settings.import_tick_seconds, "imports")
        )
        reviews = review_job(factory, settings, clock)
        ticks.append(Tick(reviews, settings.review_tick_seconds, "village reviews"))
        reports = report_job(factory, settings, clock)
        ticks.append(Tick(reports, settings.report_tick_seconds, "reports owed"))
    if outbox:
        relay = messaging_tasks.relay(factory, settings, clock)
        ticks.append(Tick(relay.tick, settings.outbox_tick_seconds, "outbox"))
        digest = messaging_tasks.digest_job(factory, settings, clock)
        ticks.append(Tick(digest, 30.0, "digest"))
    if ticks:
        job = housekeeping_job(factory, settings, clock)
        ticks.append(Tick(job, settings.housekeeping_seconds, "housekeeping"))
    return Jobs(ticks, relay)
