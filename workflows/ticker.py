"""The in-process ticker: APScheduler 3 runs a claim function every few moments.

APScheduler's own job stores must never be shared between processes, so it keeps no state
here: the timers are rows, and any number of tickers in any number of processes claim them
through the database. One run at a time per process (``max_instances=1``); a run that falls
behind is merged, not queued (``coalesce``). A run that filled its batch goes again at once.
"""

from __future__ import annotations

import logging
import signal
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from apscheduler.schedulers.background import BackgroundScheduler
from apscheduler.schedulers.blocking import BlockingScheduler

log = logging.getLogger(__name__)


class _BusyRunSkipped(logging.Filter):
    """APScheduler warns each time a tick finds the previous run still going (a relay
    sending a backlog): with ``max_instances=1`` and ``coalesce`` that is the design, not a
    problem, and a first start printed a screenful of it."""

    def filter(self, record: logging.LogRecord) -> bool:
        return "maximum number of running instances reached" not in record.getMessage()


logging.getLogger("apscheduler.scheduler").addFilter(_BusyRunSkipped())


def drain(
    job: Callable[[], bool], *, stopping: threading.Event | None = None, max_rounds: int = 1000
) -> None:
    """Call ``job`` until it says there is no more work, a stop is asked, or a bound."""
    for _ in range(max_rounds):
        if stopping is not None and stopping.is_set():
            return
        try:
            if not job():
                return
        except Exception:
            log.exception("ticker job failed; trying again next tick")
            return


def schedule(
    scheduler: BackgroundScheduler | BlockingScheduler,
    job: Callable[[], bool],
    *,
    seconds: float,
    name: str,
    stopping: threading.Event,
) -> None:
    scheduler.add_job(
        drain,
        "interval",
        args=[job],
        kwargs={"stopping": stopping},
        seconds=seconds,
        max_instances=1,
        coalesce=True,
        id=name,
        name=name,
    )


@dataclass(frozen=True)
class Tick:
    """One job the ticker runs every ``seconds`` (timers, the outbox relay, the digest)."""

    job: Callable[[], bool]
    seconds: float
    name: str


class Background:
    """A started background ticker (for `casework serve`)."""

    def __init__(self, ticks: Sequence[Tick]) -> None:
        self.stopping = threading.Event()
        self.scheduler = BackgroundScheduler(daemon=True)
        for tick in ticks:
            schedule(
                self.scheduler,
                tick.job,
                seconds=tick.seconds,
                name=tick.name,
                stopping=self.stopping,
            )
        self.scheduler.start()

    def shutdown(self) -> None:
        """Stop after the timer in hand; a backlog is left for the next process."""
        self.stopping.set()
        self.scheduler.shutdown(wait=True)


def background(job: Callable[[], bool], *, seconds: float, name: str) -> Background:
    return Background([Tick(job, seconds, name)])


def blocking(job: Callable[[], bool], *, seconds: float, name: str) -> None:
    """Run one job in the foreground until interrupted."""
    blocking_all([Tick(job, seconds, name)])


def blocking_all(ticks: Sequence[Tick], *, stopping: threading.Event | None = None) -> None:
    """Run the ticker in the foreground until interrupted (for `casework worker`); jobs may
    watch ``stopping`` to cut a long round short."""
    scheduler = BlockingScheduler()
    stopping = stopping or threading.Event()
    for tick in ticks:
        schedule(scheduler, tick.job, seconds=tick.seconds, name=tick.name, stopping=stopping)

    def stop(_signum: int, _frame: object) -> None:
        # Finish the batch in hand (each timer commits or rolls back alone), then leave;
        # the backlog stays in the database for the other workers.
        stopping.set()
        scheduler.shutdown(wait=False)

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    scheduler.start()
