"""The web pages in a real browser: Debian's Chromium driven by Playwright.

A live server (uvicorn in a thread) serves the real app on a fresh migrated SQLite file
with the demo commune seeded, and a clock the test moves (no sleeping: the test fires the
timers that fell due itself, as the ticker would). Never ``playwright install``: the
browser is ``/usr/bin/chromium`` (``apt-get install chromium``; ``.ci/run`` does it).
Without it the browser tests skip with the reason shown; on CI (``CI`` set) they fail.
"""

from __future__ import annotations

import os
import shutil
import socket
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
import uvicorn
from sqlalchemy.orm import sessionmaker
from sqlmodel import Session

from casework import crypto
from casework.app import create_app
from casework.clock import FixedClock
from casework.config import Settings
from casework.db import UnitOfWork, make_engine, make_sessionmaker
from casework.deadlines.tasks import run_due
from casework.demo.seed import DEMO_PASSWORD, seed_demo
from casework.keys import load_keys
from casework.migrate import upgrade
from tests.conftest import make_test_settings

SCREENSHOTS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
# Monday 2 March 2026, 09:00 in Hà Nội: a working morning.
START = datetime(2026, 3, 2, 2, 0, tzinfo=UTC)


def chromium() -> str:
    found = os.environ.get("CASEWORK_CHROMIUM") or shutil.which("chromium")
    if found and Path(found).exists():
        return found
    reason = "no Chromium: apt-get install chromium (or set CASEWORK_CHROMIUM)"
    if os.environ.get("CI"):
        pytest.fail(reason + " (CI requires the browser tests)", pytrace=False)
    pytest.skip(reason)


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):  # type: ignore[no-untyped-def]
    """pytest-playwright's launch options: Debian's Chromium, headless, no network chatter."""
    return {
        **browser_type_launch_args,
        "executable_path": chromium(),
        "args": CHROMIUM_ARGS,
        "headless": True,
    }


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args):  # type: ignore[no-untyped-def]
    return {**browser_context_args, "locale": "vi-VN", "timezone_id": "Asia/Ho_Chi_Minh"}


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@dataclass
class LiveServer:
    url: str
    clock: FixedClock
    factory: sessionmaker[Session]
    settings: Settings
    password: str = DEMO_PASSWORD

    def move(self, by: timedelta) -> None:
        """Let time pass, and fire what fell due (as the ticker would have)."""
        self.clock.set(self.clock.now() + by)
        while run_due(
            self.factory,
            clock=self.clock,
            tz=self.settings.tz,
            worker="e2e",
            lease=timedelta(minutes=5),
            batch=500,
        ).claimed:
            pass


@pytest.fixture(scope="module")
def live_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    """The app on a real port, the demo commune seeded at ``START``."""
    url = f"sqlite:///{tmp_path_factory.mktemp('e2e') / 'e2e.db'}"
    settings = make_test_settings(database_url=url)
    crypto.install(load_keys(settings))
    upgrade(url=url)
    engine = make_engine(settings)
    factory = make_sessionmaker(engine)
    clock = FixedClock(START)
    with UnitOfWork(factory) as uow:
        seed_demo(uow.session, now=START, tz=settings.tz, settings=settings)
        uow.commit()
    app = create_app(settings, session_factory=factory, clock=clock)
    port = _free_port()
    server = uvicorn.Server(
        uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning", lifespan="on")
    )
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            raise RuntimeError("the live server did not start")
        time.sleep(0.05)
    try:
        yield LiveServer(f"http://127.0.0.1:{port}", clock, factory, settings)
    finally:
        server.should_exit = True
        thread.join(timeout=10)
        engine.dispose()


def log_in(page, server: LiveServer, username: str) -> None:  # type: ignore[no-untyped-def]
    """Log in through the real form, as a person would."""
    page.goto(f"{server.url}/dang-nhap")
    page.get_by_label("Tên đăng nhập").fill(username)
    page.get_by_label("Mật khẩu").fill(server.password)
    page.get_by_role("button", name="Đăng nhập").click()
    # The boosted form swaps the page in place: wait until the login answer has moved on.
    page.wait_for_url(lambda url: "/dang-nhap" not in url)
