"""Intake throughput: the real POST /api/v1/intakes against a bare FastAPI + SQLAlchemy baseline.

Both sides run in this process through the same TestClient, on the same freshly migrated
database, one request at a time. The baseline endpoint does the same writes as an intake
(child, case counter, case, report, harm form, case event) in one transaction with plain
SQLAlchemy Core and no validation, matching or idempotency. The ratio says what our
validation, duplicate search and service layer cost on top of the database work.

    .venv/bin/python bench/intake.py [--requests 2000] [--backend sqlite|postgresql|both]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path

import sqlalchemy as sa
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlmodel import SQLModel, select

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from casework import models  # noqa: E402
from casework.accounts import tokens  # noqa: E402
from casework.app import create_app  # noqa: E402
from casework.config import Settings  # noqa: E402
from casework.db import make_engine, make_sessionmaker  # noqa: E402
from casework.migrate import upgrade  # noqa: E402
from tests.factories.communes import create_commune  # noqa: E402
from tests.factories.intakes import intake_payload  # noqa: E402

POSTGRES_ADMIN = "postgresql+psycopg://postgres@127.0.0.1:5432/test"


@contextmanager
def database(backend: str) -> Iterator[str]:
    if backend == "sqlite":
        with tempfile.TemporaryDirectory() as tmp:
            yield f"sqlite:///{tmp}/bench.db"
        return
    name = f"casework_bench_{uuid.uuid4().hex[:8]}"
    admin = sa.create_engine(POSTGRES_ADMIN, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.exec_driver_sql(f'CREATE DATABASE "{name}"')
    try:
        yield sa.engine.make_url(POSTGRES_ADMIN).set(database=name).render_as_string(False)
    finally:
        with admin.connect() as conn:
            conn.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.dispose()


def baseline_app(engine: sa.Engine, commune_id: int) -> FastAPI:
    """The same rows an intake writes, with nothing else."""
    app = FastAPI()
    t = SQLModel.metadata.tables

    @app.post("/baseline", status_code=201)
    def create(body: dict) -> dict:
        now = datetime.now(UTC)
        with engine.begin() as conn:
            child_id = conn.execute(
                t["child"].insert().returning(t["child"].c.id),
                {
                    "commune_id": commune_id,
                    "full_name": body["child"]["full_name"],
                    "name_key": body["child"]["full_name"].lower(),
                    "birth_year": 2016,
                    "sex": "female",
                    "ethnicity": "Tày",
                    "disability_level": "none",
                    "poverty_status": "none",
                    "created_at": now,
                    "updated_at": now,
                    "version": 1,
                },
            ).scalar_one()
            counter = t["case_counter"]
            conn.execute(
                counter.update()
                .where(counter.c.commune_id == commune_id)
                .values(last_seq=counter.c.last_seq + 1)
            )
            seq = conn.execute(
                sa.select(counter.c.last_seq).where(counter.c.commune_id == commune_id)
            ).scalar_one()
            case_id = conn.execute(
                t["protection_case"].insert().returning(t["protection_case"].c.id),
                {
                    "commune_id": commune_id,
                    "code": f"BL-2026-{seq:05d}",
                    "year": 2026,
                    "seq": seq,
                    "child_id": child_id,
                    "status": "received",
                    "is_emergency": False,
                    "workflow_name": "child_protection",
                    "workflow_version": 1,
                    "opened_at": now,
                    "updated_at": now,
                    "version": 1,
                },
            ).scalar_one()
            report_id = conn.execute(
                t["report"].insert().returning(t["report"].c.id),
                {
                    "commune_id": commune_id,
                    "case_id": case_id,
                    "child_id": child_id,
                    "channel": body["channel"],
                    "first_received_at": now,
                    "recorded_at": now,
                    "reporter_anonymous": False,
                    "description": body["description"],
                    "setting": body["setting"],
                    "perpetrator_relation": "relative",
                    "immediate_danger": False,
                },
            ).scalar_one()
            conn.execute(
                t["report_harm_form"].insert(), {"report_id": report_id, "form": "violence"}
            )
            conn.execute(
                t["case_event"].insert(),
                {
                    "case_id": case_id,
                    "at": now,
                    "event": "receive",
                    "to_status": "received",
                    "payload": {},
                },
            )
        return {"case_id": case_id}

    return app


def measure(post: Callable[[int], None], requests: int) -> tuple[float, float, float]:
    for n in range(min(50, requests // 10)):  # warm-up
        post(-n - 1)
    latencies = []
    started = time.perf_counter()
    for n in range(requests):
        t0 = time.perf_counter()
        post(n)
        latencies.append(time.perf_counter() - t0)
    elapsed = time.perf_counter() - started
    latencies.sort()
    p95 = latencies[int(len(latencies) * 0.95)]
    return requests / elapsed, statistics.median(latencies) * 1000, p95 * 1000


def run(backend: str, requests: int) -> None:
    with database(backend) as url:
        settings = Settings(_env_file=None, database_url=url)
        upgrade(url=url)
        engine = make_engine(settings)
        factory = make_sessionmaker(engine)
        with factory() as session:
            commune = create_commune(session, now=datetime.now(UTC))
            session.add(models.CaseCounter(commune_id=commune.id, year=2026, last_seq=0))
            caseworker = session.exec(
                select(models.User).where(models.User.username == "td.caseworker")
            ).one()
            _, token = tokens.create(
                session,
                user=caseworker,
                name="bench",
                scopes=["intake:write"],
                expires_at=datetime.now(UTC) + timedelta(days=1),
                now=datetime.now(UTC),
            )
            session.commit()
            commune_id = commune.id
        # as the 111 hotline posts: an API token (authentication and audit included)
        real = TestClient(
            create_app(settings, session_factory=factory),
            headers={"Authorization": f"Bearer {token}"},
        )
        bare = TestClient(baseline_app(engine, commune_id))
        now = datetime.now(UTC).isoformat()

        def payload(n: int) -> dict:
            return intake_payload(first_received_at=now, **{"child.full_name": f"Trẻ thử {n}"})

        def post_real(n: int) -> None:
            response = real.post("/api/v1/intakes", json=payload(n))
            assert response.status_code == 201, response.text

        def post_bare(n: int) -> None:
            response = bare.post("/baseline", json=payload(n))
            assert response.status_code == 201, response.text

        base = measure(post_bare, requests)
        ours = measure(post_real, requests)
        engine.dispose()
    print(f"\n{backend}: {requests} sequential intakes, one transaction each")
    print(f"  {'':<28}{'req/s':>8}{'p50 ms':>9}{'p95 ms':>9}")
    print(f"  {'baseline (bare FastAPI+SQL)':<28}{base[0]:>8.0f}{base[1]:>9.2f}{base[2]:>9.2f}")
    print(f"  {'POST /api/v1/intakes':<28}{ours[0]:>8.0f}{ours[1]:>9.2f}{ours[2]:>9.2f}")
    print(f"  ratio (ours / baseline throughput): {ours[0] / base[0]:.2f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=2000)
    parser.add_argument("--backend", choices=["sqlite", "postgresql", "both"], default="both")
    args = parser.parse_args()
    for backend in ("sqlite", "postgresql") if args.backend == "both" else (args.backend,):
        run(backend, args.requests)


if __name__ == "__main__":
    main()
