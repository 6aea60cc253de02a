"""Setting up a province (issue 13: 100 communes × 12 villages × 12 agencies × 15 people in
≤ 60 s on PostgreSQL), through the services the pages and the CLI call, one transaction
per commune as an administrator's session would make them:

- the commune from the official list with its 12 standard agencies (``communes.setup``),
- 12 villages, each with its head's board (``communes.villages``),
- 15 people without passwords, each with an activation link queued for e-mail and SMS
  (``accounts.service.create_user``, ``accounts.activation.issue``).

Baseline in the same run: the same rows (communes, villages, agencies, users) inserted
bare with SQLAlchemy Core in one transaction, no checks, no links.

    .venv/bin/python bench/province_setup.py [--communes 100] [--backend postgresql|sqlite]
"""

from __future__ import annotations

import argparse
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

import sqlalchemy as sa
from sqlmodel import SQLModel

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.intake import database  # noqa: E402
from casework import crypto, models  # noqa: E402, F401
from casework.accounts import activation  # noqa: E402
from casework.accounts.models import Role  # noqa: E402
from casework.accounts.service import create_user  # noqa: E402
from casework.communes import official, setup, villages  # noqa: E402
from casework.config import Settings  # noqa: E402
from casework.db import UnitOfWork, make_engine, make_sessionmaker  # noqa: E402
from casework.keys import load_keys  # noqa: E402
from casework.migrate import upgrade  # noqa: E402

NOW = datetime(2026, 3, 2, 2, 0, tzinfo=UTC)
PROVINCE = "01"  # Hà Nội: 126 communes and wards
VILLAGES, PEOPLE = 12, 15


def the_services(factory, codes: list[str], settings: Settings) -> float:  # type: ignore[no-untyped-def]
    started = time.perf_counter()
    for number, code in enumerate(codes):
        with UnitOfWork(factory) as uow:
            session = uow.session
            commune = setup.add_commune(session, code=code, now=NOW)
            assert commune.id is not None
            for v in range(VILLAGES):
                villages.add_village(session, commune_id=commune.id, name=f"Thôn {v + 1}")
            for p in range(PEOPLE):
                role = Role.collaborator if p % 5 == 4 else Role.caseworker
                user = create_user(
                    session, settings=settings, commune_code=commune.code,
                    username=f"u{number}.{p}", full_name=f"Người Thứ {p}", role=role,
                    password=None, now=NOW, email=f"u{number}.{p}@example.org",
                    phone=f"+8491{number:04d}{p:03d}",
                )  # fmt: skip
                activation.issue(session, user=user, settings=settings, now=NOW, by=None)
            uow.commit()
    return time.perf_counter() - started


def baseline(engine: sa.Engine, codes: list[str]) -> float:
    tables = SQLModel.metadata.tables
    started = time.perf_counter()
    with engine.begin() as conn:
        for number, code in enumerate(codes):
            commune_id = conn.execute(
                tables["commune"].insert().returning(tables["commune"].c.id),
                {"code": f"B{code}", "name": "Xã", "province": "Hà Nội",
                 "case_prefix": f"B{number}", "created_at": NOW},
            ).scalar_one()  # fmt: skip
            conn.execute(tables["village"].insert(), [
                {"commune_id": commune_id, "name": f"Thôn {v}", "name_key": f"thon {v}"}
                for v in range(VILLAGES)])  # fmt: skip
            conn.execute(tables["agency"].insert(), [
                {"commune_id": commune_id, "kind": "police", "name": f"Cơ quan {a}",
                 "is_active": True} for a in range(2 * VILLAGES)])  # fmt: skip
            conn.execute(tables["app_user"].insert(), [
                {"commune_id": commune_id, "username": f"b{number}.{p}", "full_name": "Người",
                 "role": "caseworker", "is_active": True, "created_at": NOW,
                 "notify_via": "both", "language": "vi", "session_epoch": 0}
                for p in range(PEOPLE)])  # fmt: skip
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--communes", type=int, default=100)
    parser.add_argument("--backend", choices=("postgresql", "sqlite"), default="postgresql")
    args = parser.parse_args()
    codes = [unit.code for unit in official.units_of(PROVINCE)][: args.communes]
    with database(args.backend) as url:
        settings = Settings(_env_file=None, database_url=url, timers_in_serve=False)
        upgrade(url=url)
        crypto.install(load_keys(settings))
        engine = make_engine(settings)
        factory = make_sessionmaker(engine)
        bare = baseline(engine, codes)
        spent = the_services(factory, codes, settings)
        with engine.connect() as conn:
            counts = {
                name: conn.execute(
                    sa.select(sa.func.count()).select_from(SQLModel.metadata.tables[name])
                ).scalar_one()  # fmt: skip
                for name in ("commune", "village", "agency", "app_user", "outbox_message")
            }
        engine.dispose()
    print(f"{args.backend}: {len(codes)} communes; rows now {counts}")
    print(f"baseline (bare Core inserts, one transaction): {bare:.1f} s")
    print(f"through the services, one transaction per commune: {spent:.1f} s "
          f"({spent / len(codes) * 1000:.0f} ms per commune)")  # fmt: skip


if __name__ == "__main__":
    main()
