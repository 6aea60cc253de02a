"""The in-process ticker: APScheduler 3 runs a claim function every few moments.

APScheduler's own job stores must never be shared between processes, so it keeps no state
here: the timers are rows, and any number of tickers in any number of processes claim them
through the database. One run at a time per process (``max_instances=1``); a run that falls
behind is merged, not queued (``coalesce``). A run that filled its batch goes again at once.
"""

from __future__ import annotations

import logging
import signal
from collections.abc import Callable

from apscheduler.schedulers.background import BackgroundScheduler
from apscheduler.schedulers.blocking import BlockingScheduler

log = logging.getLogger(__name__)


def drain(job: Callable[[], bool], *, max_rounds: int = 1000) -> None:
    """Call ``job`` until it says there is no more work (or a bound is reached)."""
    for _ in range(max_rounds):
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
) -> None:
    scheduler.add_job(
        drain,
        "interval",
        args=[job],
        seconds=seconds,
        max_instances=1,
        coalesce=True,
        id=name,
        name=name,
    )


def background(job: Callable[[], bool], *, seconds: float, name: str) -> BackgroundScheduler:
    """A started background ticker (for `casework serve`); call ``shutdown()`` to stop it."""
    scheduler = BackgroundScheduler(daemon=True)
    schedule(scheduler, job, seconds=seconds, name=name)
    scheduler.start()
    return scheduler


def blocking(job: Callable[[], bool], *, seconds: float, name: str) -> None:
    """Run the ticker in the foreground until interrupted (for `casework worker`)."""
    scheduler = BlockingScheduler()
    schedule(scheduler, job, seconds=seconds, name=name)

    def stop(_signum: int, _frame: object) -> None:
        # Finish the timer in hand (its transaction commits or rolls back), then leave.
        scheduler.shutdown(wait=False)

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    scheduler.start()
