"""The in-process ticker: a run that finds the previous one still going is skipped quietly."""

from __future__ import annotations

import logging
import threading
import time

from workflows import ticker


def test_a_tick_skipped_while_the_last_run_goes_on_is_not_logged(caplog):
    """A first `make run` relays the demo's backlog for a few seconds: the ticks that find
    it busy are skipped by design (max_instances=1) and must not fill the console."""
    release, started = threading.Event(), threading.Event()

    def slow() -> bool:
        started.set()
        release.wait(timeout=5)
        return False

    with caplog.at_level(logging.WARNING, logger="apscheduler"):
        running = ticker.background(slow, seconds=0.05, name="slow")
        try:
            assert started.wait(timeout=5)
            time.sleep(0.4)  # several ticks come while the first run is still going
        finally:
            release.set()
            running.shutdown()
    assert [r.getMessage() for r in caplog.records if r.name.startswith("apscheduler")] == []
