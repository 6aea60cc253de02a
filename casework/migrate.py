"""Run Alembic from Python: the CLI's ``migrate`` step and the test harness use this."""

from __future__ import annotations

from pathlib import Path

import sqlalchemy as sa
from alembic import command
from alembic.config import Config

ROOT = Path(__file__).resolve().parent.parent


def alembic_config(*, url: str | None = None, connection: sa.Connection | None = None) -> Config:
    config = Config(str(ROOT / "alembic.ini"))
    config.set_main_option("script_location", str(ROOT / "migrations"))
    if url is not None:
        config.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    if connection is not None:
        config.attributes["connection"] = connection
    return config


def upgrade(*, url: str | None = None, connection: sa.Connection | None = None) -> None:
    """Bring the database to the newest schema."""
    command.upgrade(alembic_config(url=url, connection=connection), "head")
