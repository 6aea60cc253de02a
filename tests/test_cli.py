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
