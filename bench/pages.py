"""Server time of the pages people wait on, with 100,000 cases in PostgreSQL.

Data: the demo commune seeded by the real services (cases in every step, with their tasks,
clocks, history, messages and escalations), then its cases, children, reports, tasks,
clocks and open escalations copied in SQL until the commune holds ``--cases`` cases (each
copy a new child with its own case code; the people and agencies stay the demo's).

Measured: each page ``--requests`` times as the person who uses it, logged in through the
real form: the dashboard (caseworker, supervisor, police officer), a case page (caseworker,
a different case each time, and the police officer on a case of theirs), the escalation
queue (supervisor), the agency task list (police officer) and the case list (caseworker).
Server time is the time inside the application (an ASGI wrapper around it), so the test
client's own work is not counted. Each page's SQL statements are counted too. Baseline, same
run and database: a bare FastAPI endpoint reading one case by code and its clocks with
SQLAlchemy Core and answering JSON.

    .venv/bin/python bench/pages.py [--cases 100000] [--requests 200]
"""

from __future__ import annotations

import argparse
import random
import re
import statistics
import sys
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

import sqlalchemy as sa
from fastapi import FastAPI
from fastapi.testclient import TestClient

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.intake import database  # noqa: E402
from casework import crypto  # noqa: E402
from casework.app import create_app  # noqa: E402
from casework.clock import FixedClock  # noqa: E402
from casework.config import Settings  # noqa: E402
from casework.db import UnitOfWork, make_engine, make_sessionmaker  # noqa: E402
from casework.demo.seed import DEMO_PASSWORD, seed_demo  # noqa: E402
from casework.keys import load_keys  # noqa: E402
from casework.migrate import upgrade  # noqa: E402

# Copied per clone: (table, {column: SQL over the source row "s" and the clone number "k"}).
# Ids are shifted by k times a stride per table (larger than any original id), and so are
# the foreign keys to copied tables; unique columns get the clone's number.
COPIED = ("child", "protection_case", "report", "task", "case_deadline", "escalation")
CLONES = (
    ("child", {"personal_id": "NULL", "full_name": "s.full_name || ' ' || k",
               "name_key": "s.name_key || ' ' || k"}),
    ("caregiver", {}),
    ("child_circumstance", {}),
    ("protection_case", {"code": "s.code || '-' || k", "seq": "s.seq + k * {stride}"}),
    ("report", {}),
    ("report_harm_form", {}),
    ("case_event", {}),
    ("task", {}),
    ("case_deadline", {}),
    ("escalation", {"message_id": "NULL"}),
)  # fmt: skip
FOREIGN = {
    "child_id": "child",
    "case_id": "protection_case",
    "report_id": "report",
    "task_id": "task",
    "deadline_id": "case_deadline",
}


def clone(engine: sa.Engine, cases: int) -> int:
    """Copy the seeded cases until there are ``cases``; returns how many there are."""
    meta = sa.MetaData()
    meta.reflect(engine)
    with engine.begin() as conn:
        originals = conn.execute(sa.text("SELECT count(*) FROM protection_case")).scalar_one()
        strides = {
            table: conn.execute(sa.text(f"SELECT max(id) + 1 FROM {table}")).scalar_one() or 1
            for table, _ in CLONES
            if "id" in meta.tables[table].columns
        }
        copies = max(0, -(-cases // originals) - 1)
        for table, special in CLONES:
            columns = [c.name for c in meta.tables[table].columns]
            values = []
            for column in columns:
                if column in special:
                    values.append(special[column].format(stride=strides[table]))
                elif column == "id":
                    values.append(f"s.id + k * {strides[table]}")
                elif column in FOREIGN and FOREIGN[column] in strides:
                    values.append(f"s.{column} + k * {strides[FOREIGN[column]]}")
                else:
                    values.append(f's."{column}"')
            quoted = ", ".join(f'"{c}"' for c in columns)
            if table in strides:
                source = f"SELECT * FROM {table} WHERE id < {strides[table]}"
            else:  # a table without its own id: its rows of the original parents
                parent = next(c for c in columns if c in FOREIGN)
                source = f"SELECT * FROM {table} WHERE {parent} < {strides[FOREIGN[parent]]}"
            if table == "escalation":
                source += " AND status != 'resolved'"
            conn.execute(
                sa.text(
                    f"INSERT INTO {table} ({quoted})"
                    f" SELECT {', '.join(values)}"
                    f" FROM ({source}) AS s, generate_series(1, {copies}) AS k"
                )
            )
            if table in strides:
                conn.execute(
                    sa.text(
                        f"SELECT setval(pg_get_serial_sequence('{table}', 'id'),"
                        f" (SELECT max(id) FROM {table}))"
                    )
                )
        total = conn.execute(sa.text("SELECT count(*) FROM protection_case")).scalar_one()
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        conn.exec_driver_sql("VACUUM ANALYZE")
    return total


class ServerTime:
    """An ASGI wrapper timing the application itself, request by request."""

    def __init__(self, app) -> None:  # type: ignore[no-untyped-def]
        self.app = app
        self.last = 0.0

    async def __call__(self, scope, receive, send):  # type: ignore[no-untyped-def]
        started = time.perf_counter()
        try:
            await self.app(scope, receive, send)
        finally:
            self.last = time.perf_counter() - started


class Statements:
    def __init__(self, engine: sa.Engine) -> None:
        self.count = 0
        sa.event.listen(engine, "before_cursor_execute", self._seen)

    def _seen(self, *_args: object) -> None:
        self.count += 1


def log_in(client: TestClient, username: str) -> None:
    page = client.get("/dang-nhap").text
    token = re.search(r'name="csrf_token" value="([^"]+)"', page)[1]  # type: ignore[index]
    answer = client.post(
        "/dang-nhap",
        data={"username": username, "password": DEMO_PASSWORD, "csrf_token": token},
        follow_redirects=False,
    )
    assert answer.status_code == 303, answer.text


def baseline_app(engine: sa.Engine) -> FastAPI:
    app = FastAPI()
    case, deadline = sa.table("protection_case", sa.column("id"), sa.column("code"),
                              sa.column("status"), sa.column("is_emergency")), sa.table(
        "case_deadline", sa.column("case_id"), sa.column("kind"), sa.column("due_at"),
        sa.column("status"))  # fmt: skip

    @app.get("/baseline/{code}")
    def read(code: str) -> dict:
        with engine.connect() as conn:
            row = conn.execute(sa.select(case).where(case.c.code == code)).one()
            clocks = conn.execute(sa.select(deadline).where(deadline.c.case_id == row.id)).all()
        return {"code": row.code, "status": row.status, "deadlines": [c.kind for c in clocks]}

    return app


def measure(
    name: str,
    call: Callable[[int], object],
    timer: ServerTime,
    statements: Statements,
    requests: int,
    results: dict[str, tuple[float, float, float, float]],
) -> None:
    call(0)  # warm: first compilation of its statements and templates
    times, counts = [], []
    for n in range(requests):
        before = statements.count
        answer = call(n)
        assert getattr(answer, "status_code", 200) == 200, (name, answer)
        times.append(timer.last * 1000)
        counts.append(statements.count - before)
    times.sort()
    results[name] = (
        statistics.median(times),
        times[int(len(times) * 0.95) - 1],
        max(times),
        statistics.mean(counts),
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=int, default=100_000)
    parser.add_argument("--requests", type=int, default=200)
    args = parser.parse_args()
    now = datetime.now(UTC)
    with database("postgresql") as url:
        settings = Settings(_env_file=None, database_url=url, timers_in_serve=False,
                            outbox_in_serve=False)  # fmt: skip
        crypto.install(load_keys(settings))
        upgrade(url=url)
        engine = make_engine(settings)
        factory = make_sessionmaker(engine)
        started = time.perf_counter()
        with UnitOfWork(factory) as uow:
            seed_demo(uow.session, now=now, tz=settings.tz, settings=settings)
            uow.commit()
        total = clone(engine, args.cases)
        print(f"{total} cases in the commune ({time.perf_counter() - started:.0f} s to make)")
        with engine.connect() as conn:
            codes = list(conn.execute(sa.text(
                "SELECT code FROM protection_case ORDER BY random() LIMIT :n"),
                {"n": args.requests + 1}).scalars())  # fmt: skip
            police_codes = list(conn.execute(sa.text(
                "SELECT DISTINCT c.code FROM protection_case c JOIN task t ON t.case_id = c.id"
                " JOIN agency a ON a.id = t.agency_id WHERE a.kind = 'police'"
                " AND t.status != 'planned' AND c.id < 1000")).scalars())  # fmt: skip
        timer = ServerTime(create_app(settings, session_factory=factory, clock=FixedClock(now)))
        statements = Statements(engine)
        people = {}
        for username in ("canbo.hoa", "pct.lan", "congan.hung"):
            client = TestClient(timer, base_url="http://testserver")
            log_in(client, username)
            people[username] = client
        bare = ServerTime(baseline_app(engine))
        bare_client = TestClient(bare)
        results: dict[str, tuple[float, float, float, float]] = {}
        pick = random.Random(7).choice
        pages = [
            ("baseline: one case and its clocks (JSON)", bare_client,
             lambda n: bare_client.get(f"/baseline/{codes[n]}"), bare),
            ("dashboard, caseworker", people["canbo.hoa"], None, timer),
            ("dashboard, supervisor", people["pct.lan"], None, timer),
            ("dashboard, police officer", people["congan.hung"], None, timer),
        ]  # fmt: skip
        for name, client, call, clock in pages:
            get = call or (lambda n, c=client: c.get("/trang-cua-toi"))
            measure(name, get, clock, statements, args.requests, results)
        hoa, lan, hung = people["canbo.hoa"], people["pct.lan"], people["congan.hung"]
        for name, get in (
            ("case page, caseworker", lambda n: hoa.get(f"/ho-so/{codes[n]}")),
            ("case page, police officer", lambda n: hung.get(f"/ho-so/{pick(police_codes)}")),
            ("escalation queue, supervisor", lambda n: lan.get("/leo-thang")),
            ("agency tasks, police officer", lambda n: hung.get("/nhiem-vu")),
            ("case list, caseworker", lambda n: hoa.get("/ho-so")),
        ):
            measure(name, get, timer, statements, args.requests, results)
        engine.dispose()
    print(f"\nserver time over {args.requests} requests each, PostgreSQL, {total} cases")
    print(f"  {'':<42}{'p50 ms':>8}{'p95 ms':>8}{'max ms':>8}{'SQL':>6}")
    for name, (p50, p95, worst, sql) in results.items():
        print(f"  {name:<42}{p50:>8.1f}{p95:>8.1f}{worst:>8.1f}{sql:>6.1f}")


if __name__ == "__main__":
    main()
