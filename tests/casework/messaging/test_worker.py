"""`casework worker`, as an operator runs it, delivers the demo commune's queued e-mail to an
SMTP server and its SMS to the console's file: every message once, then it stops cleanly."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

import sqlalchemy as sa

from tests.conftest import TEST_KEYS

CASEWORK = str(Path(sys.executable).with_name("casework"))


def run(*args: str, env: dict[str, str]) -> str:
    done = subprocess.run(
        [CASEWORK, *args], env=env, capture_output=True, text=True, timeout=120, check=False
    )
    assert done.returncode == 0, done.stderr
    return done.stdout


def test_worker_sends_the_backlog_once_and_stops_cleanly(databases, backend, smtp_server, tmp_path):
    url = databases.url_for(backend, name="worker-outbox")
    env = {
        **os.environ,
        "CASEWORK_DATABASE_URL": url,
        "CASEWORK_SECRET_KEY": TEST_KEYS["secret_key"],  # the suite's keys, not var/secrets
        "CASEWORK_DATA_KEYS": TEST_KEYS["data_keys"],
        "CASEWORK_SMTP_HOST": "127.0.0.1",
        "CASEWORK_SMTP_PORT": str(smtp_server.port),
        "CASEWORK_SMTP_SECURITY": "none",
        "CASEWORK_SMS_PROVIDER": "console",
        "CASEWORK_SMS_CONSOLE_FILE": str(tmp_path / "sms-console.log"),
        "CASEWORK_QUIET_HOURS": "",  # whatever the hour in Hà Nội while the test runs
        "CASEWORK_OUTBOX_TICK_SECONDS": "0.2",
        "PYTHONUNBUFFERED": "1",
    }
    run("migrate", env=env)
    run("seed-demo", env=env)
    engine = sa.create_engine(url)

    def states() -> Counter[tuple[str, str]]:
        with engine.connect() as conn:
            rows = conn.execute(sa.text("SELECT channel, state FROM outbox_message")).all()
        return Counter((channel, state) for channel, state in rows)

    queued = states()
    emails = sum(n for (channel, _), n in queued.items() if channel == "email")
    texts = sum(n for (channel, _), n in queued.items() if channel == "sms")
    assert emails > 50
    assert texts > 50
    log = tmp_path / "worker.log"
    with log.open("w") as out:
        worker = subprocess.Popen(
            [CASEWORK, "worker", "--no-timers"], env=env, stdout=out, stderr=subprocess.STDOUT
        )
    try:
        for _ in range(300):
            if states() == Counter({("email", "sent"): emails, ("sms", "sent"): texts}):
                break
            time.sleep(0.1)
        worker.send_signal(signal.SIGTERM)
        assert worker.wait(timeout=30) == 0
    finally:
        if worker.poll() is None:
            worker.kill()
        engine.dispose()
    output = log.read_text()
    assert "Traceback" not in output, output
    assert "Worker sending messages every 0.2s." in output
    assert states() == Counter({("email", "sent"): emails, ("sms", "sent"): texts})
    ids = Counter(smtp_server.message_ids())
    assert len(ids) == emails
    assert set(ids.values()) == {1}
    # Queued before the worker started, the texts went to the console's file, each once,
    # and the console says how many went there instead of printing them.
    kept = (tmp_path / "sms-console.log").read_text(encoding="utf-8")
    assert kept.count("SMS -> +849") == texts
    assert output.count("SMS -> ") == 0
    held = re.findall(r"SMS: (\d+) queued before this start written to \S+sms-console.log", output)
    assert sum(int(n) for n in held) == texts
