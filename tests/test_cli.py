"""The commands `make run` uses, run as a user runs them: a real process, a real database."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import sqlalchemy as sa

CASEWORK = str(Path(sys.executable).with_name("casework"))


def run(*args: str, url: str) -> str:
    env = {**os.environ, "CASEWORK_DATABASE_URL": url}
    result = subprocess.run(
        [CASEWORK, *args], env=env, capture_output=True, text=True, timeout=120, check=False
    )
    assert result.returncode == 0, result.stderr
    return result.stdout


def test_migrate_then_seed_demo_twice_changes_nothing_the_second_time(databases, backend):
    url = databases.url_for(backend, name="cli")
    assert "up to date" in run("migrate", url=url)
    first = run("seed-demo", url=url)
    assert first.startswith("Demo commune CHAUSON-DEMO created:")
    engine = sa.create_engine(url)
    try:
        with engine.connect() as conn:
            counts = {
                table: conn.exec_driver_sql(f'SELECT count(*) FROM "{table}"').scalar_one()
                for table in ("child", "protection_case", "report", "task", "app_user")
            }
        assert "already present; nothing changed" in run("seed-demo", url=url)
        assert "up to date" in run("migrate", url=url)
        with engine.connect() as conn:
            again = {
                table: conn.exec_driver_sql(f'SELECT count(*) FROM "{table}"').scalar_one()
                for table in counts
            }
    finally:
        engine.dispose()
    assert again == counts
    assert counts["child"] >= 30


def _free_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_served_app_records_an_intake_and_shows_the_case(databases, backend):
    import time

    import httpx2 as httpx

    url = databases.url_for(backend, name="serve")
    run("migrate", url=url)
    run("seed-demo", url=url)
    port = _free_port()
    env = {**os.environ, "CASEWORK_DATABASE_URL": url, "CASEWORK_PORT": str(port)}
    server = subprocess.Popen(
        [CASEWORK, "serve"], env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True
    )
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(100):
            try:
                if httpx.get(f"{base}/healthz", timeout=1).status_code == 200:
                    break
            except httpx.TransportError:
                time.sleep(0.1)
        intake = {
            "commune_code": "CHAUSON-DEMO",
            "channel": "hotline_111",
            "first_received_at": "2026-11-20T08:15:00+07:00",
            "reporter": {"anonymous": True},
            "child": {
                "full_name": "Hoàng Thị Thử",
                "birth_year_estimate": 2015,
                "sex": "female",
                "village": "thon na pan",
            },
            "description": "Trẻ bị đánh.",
            "harm_forms": ["violence"],
            "setting": "family",
            "perpetrator_relation": "parent",
            "immediate_danger": False,
        }
        created = httpx.post(f"{base}/api/v1/intakes", json=intake, timeout=10)
        assert created.status_code == 201, created.text
        code = created.json()["case_code"]
        case = httpx.get(f"{base}/api/v1/cases/{code}", timeout=10).json()
        assert case["is_emergency"] is True
        assert case["child"]["village"] == "Thôn Nà Pàn"
        assert "server" not in created.headers
        # The relay in `serve` prints the emergency's SMS on the console (the default SMS
        # channel); with no SMTP server configured the e-mails wait in the outbox.
        for _ in range(150):
            messages = httpx.get(f"{base}/api/v1/cases/{code}", timeout=10).json()["messages"]
            if any(m["kind"] == "case.emergency" and m["state"] == "sent" for m in messages):
                break
            time.sleep(0.1)
        states = {(m["kind"], m["channel"], m["state"]) for m in messages}
        assert ("case.emergency", "sms", "sent") in states
        assert ("case.emergency", "email", "pending") in states
    finally:
        server.terminate()
        output = server.communicate(timeout=10)[0]
    assert "Traceback" not in output, output
    assert "E-mail: OFF - no SMTP server configured (set CASEWORK_SMTP_HOST)" in output
    assert f"KHAN: ho so {code} la truong hop khan cap" in output
