"""Server time of the pages people wait on, with 100,000 cases: Trang của tôi, the case page,
Việc cần lãnh đạo xử lý (the escalation queue) and Nhiệm vụ của tôi, through the real app
(session cookie, policy, audit entry, template).

The demo commune is seeded through the real services (cases in every step, with their
tasks, clocks, history and escalations), then copied with SQL until the database holds
``--cases`` cases, spread over ``--communes`` communes, the demo's among them: the pages
are asked for as the demo's people, so they show a commune holding ``cases / communes``
of them. ``--communes 1`` is the degenerate case of all 100,000 in one commune (a third
of them in its queue). Each page is asked for ``--requests`` times, one at a time,
through FastAPI's TestClient. Two baselines in the same run: the login page (a template,
no database) and a bare FastAPI endpoint reading one case by code and its clocks with
SQLAlchemy Core, answering JSON (no session, policy, audit or template).

    .venv/bin/python bench/queues.py [--cases 100000] [--communes 100] [--closed]
        [--requests 200]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import sqlalchemy as sa
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlmodel import SQLModel, select

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.intake import database  # noqa: E402
from casework import crypto, models  # noqa: E402, F401
from casework.accounts.models import User  # noqa: E402
from casework.app import create_app  # noqa: E402
from casework.cases.models import ProtectionCase  # noqa: E402
from casework.clock import FixedClock  # noqa: E402
from casework.config import Settings  # noqa: E402
from casework.db import UnitOfWork, make_engine, make_sessionmaker  # noqa: E402
from casework.demo.seed import seed_demo  # noqa: E402
from casework.keys import load_keys  # noqa: E402
from casework.migrate import upgrade  # noqa: E402
from casework.web import sessions  # noqa: E402

START = datetime(2026, 3, 2, 2, 0, tzinfo=UTC)  # Monday 09:00 in Hà Nội
OFFSET = 100_000  # copy g of a row gets id + g * OFFSET
SECRET = "bench-secret-key-that-is-long-enough-for-signing"
PAGES = (
    ("baseline: login page", None, "/dang-nhap"),
    ("dashboard, supervisor", "pct.lan", "/trang-cua-toi"),
    ("dashboard, overdue list", "pct.lan", "/trang-cua-toi?show=overdue"),
    ("dashboard, caseworker", "canbo.hoa", "/trang-cua-toi?show=mine"),
    ("case page, caseworker", "canbo.hoa", "/ho-so/{case}"),
    ("case page, police officer", "congan.hung", "/ho-so/{police_case}"),
    ("escalation queue", "pct.lan", "/leo-thang"),
    ("queue, last page", "pct.lan", "/leo-thang?page=LAST"),
    ("queue, filtered by reason", "pct.lan", "/leo-thang?reason=task_overdue"),
    ("agency tasks", "congan.hung", "/nhiem-vu"),
)
# What a closed case's rows say (``--closed``).
PAST = {
    "protection_case": "closed",
    "task": "done",
    "case_deadline": "met",
    "escalation": "resolved",
}
# Tables copied with the cases, and their columns that point at copied rows.
COPIED = {
    "child": ("id",),
    "workflow_instance": ("id", "subject_id"),
    "protection_case": ("id", "child_id", "instance_id"),
    "task": ("id", "case_id"),
    "case_deadline": ("id", "instance_id", "case_id", "task_id"),
    "case_event": ("id", "case_id"),
    "escalation": ("id", "instance_id", "case_id", "deadline_id", "task_id"),
}


def copy_cases(
    conn: sa.Connection, *, copies: int, communes: int, demo_id: int, closed: bool
) -> None:
    """``copies`` more of every case of the demo (with its child, tasks, clocks, history
    and escalations), in one statement per table; copy ``g`` goes to the demo commune when
    ``g % communes`` is 0, else to a commune of its own number. ``closed``: the copies are
    past cases (closed, their clocks stopped, their tasks done, their escalations dealt
    with), as most of a commune's cases are after a few years."""
    tables = SQLModel.metadata.tables
    g = sa.select(sa.func.generate_series(1, copies).label("g")).subquery("copy")
    n = sa.select(sa.func.generate_series(1, communes - 1).label("n")).subquery("n")
    conn.execute(
        tables["commune"]
        .insert()
        .from_select(
            ["id", "code", "name", "province", "case_prefix", "created_at"],
            sa.select(
                n.c.n + 1000,
                sa.literal("BENCH-") + sa.cast(n.c.n, sa.String),
                sa.literal("Xã ") + sa.cast(n.c.n, sa.String),
                sa.literal("Lạng Sơn"),
                sa.literal("B") + sa.cast(n.c.n, sa.String),
                sa.literal(START),
            ),
        )
    )
    agencies = tables["agency"]
    conn.execute(  # each new commune has the demo's agencies (ids shifted by n * 1000)
        agencies.insert().from_select(
            [c.name for c in agencies.columns],
            sa.select(
                *(
                    {
                        "id": agencies.c.id + n.c.n * 1000,
                        "commune_id": n.c.n + 1000,
                        "village_id": sa.null(),
                    }.get(c.name, c)
                    for c in agencies.columns
                )
            ).join(n, sa.true()),
        )
    )
    conn.exec_driver_sql(
        "SELECT setval(pg_get_serial_sequence('agency', 'id'), (SELECT max(id) FROM agency))"
    )
    bucket = g.c.g % communes
    commune = sa.case((bucket == 0, demo_id), else_=bucket + 1000)
    dropped = {("child", "personal_id"), ("escalation", "message_id")}
    for name, shifted in COPIED.items():
        table = tables[name]
        columns = []
        for column in table.columns:
            value: sa.ColumnElement = column
            if column.name in shifted:
                value = column + g.c.g * OFFSET
            elif column.name == "commune_id":
                value = commune
            elif (name, column.name) == ("child", "village_id"):  # the others have none
                value = sa.case((bucket == 0, column), else_=sa.null())
            elif (name, column.name) == ("task", "agency_id"):
                value = sa.case((bucket == 0, column), else_=column + bucket * 1000)
            elif closed and column.name == "status" and name in PAST:
                value = sa.literal(PAST[name])
            elif (name, column.name) == ("protection_case", "code"):
                value = column + "-" + sa.cast(g.c.g, sa.String)
            elif (name, column.name) == ("protection_case", "seq"):
                value = column + g.c.g * 1000
            elif (name, column.name) in dropped:
                value = sa.null()
            columns.append(value)
        source = sa.select(*columns).select_from(table).join(g, sa.true())
        if "id" in table.c:
            source = source.where(table.c.id < OFFSET)
        conn.execute(table.insert().from_select([c.name for c in table.columns], source))
        conn.exec_driver_sql(
            f"SELECT setval(pg_get_serial_sequence('{name}', 'id'), (SELECT max(id) FROM {name}))"
        )
    conn.exec_driver_sql("ANALYZE")


def bare_app(engine: sa.Engine) -> FastAPI:
    """The baseline: one case by code and its clocks, two Core queries, JSON."""
    app = FastAPI()
    case, clock = (
        SQLModel.metadata.tables["protection_case"],
        SQLModel.metadata.tables["case_deadline"],
    )

    @app.get("/bare/{code}")
    def read(code: str) -> dict:
        with engine.connect() as conn:
            row = conn.execute(sa.select(case).where(case.c.code == code)).one()
            clocks = conn.execute(sa.select(clock).where(clock.c.case_id == row.id)).all()
        return {"code": row.code, "status": row.status, "clocks": [c.kind for c in clocks]}

    return app


def cookie(user: User) -> dict[str, str]:
    data = {"uid": user.id, "epoch": user.session_epoch, "sid": "bench", "csrf": "x"}
    token = sessions.encode(SECRET, data)
    return {"Cookie": f"{sessions.COOKIE}={token}", "Accept": "text/html"}


def run(cases: int, requests: int, communes: int, closed: bool) -> None:
    with database("postgresql") as url:
        settings = Settings(
            _env_file=None,
            database_url=url,
            secret_key=SECRET,
            data_keys="b1:" + "C" * 43 + "=",
            timers_in_serve=False,
            outbox_in_serve=False,
            argon2_time_cost=1,
            argon2_memory_kib=8,
            argon2_parallelism=1,
        )
        crypto.install(load_keys(settings))
        upgrade(url=url)
        engine = make_engine(settings)
        factory = make_sessionmaker(engine)
        with UnitOfWork(factory) as uow:
            seed_demo(uow.session, now=START, tz=settings.tz, settings=settings)
            uow.commit()
        with engine.begin() as conn:
            demo = conn.execute(sa.select(sa.func.count()).select_from(ProtectionCase)).scalar_one()
            demo_id = conn.execute(sa.select(ProtectionCase.commune_id).limit(1)).scalar_one()
            started = time.perf_counter()
            copies = max(0, cases // demo - 1)
            copy_cases(conn, copies=copies, communes=communes, demo_id=demo_id, closed=closed)
            here = conn.execute(
                sa.select(sa.func.count()).where(ProtectionCase.commune_id == demo_id)
            ).scalar_one()
            total = conn.execute(
                sa.select(sa.func.count()).select_from(ProtectionCase)
            ).scalar_one()
            waiting = conn.execute(
                sa.text(
                    "SELECT count(*) FROM escalation JOIN protection_case c ON c.id = case_id "
                    f"WHERE escalation.status != 'resolved' AND c.commune_id = {demo_id}"
                )
            ).scalar_one()
        print(
            f"{total} cases in {communes} communes, {here} of them in the demo commune with "
            f"{waiting} escalations waiting; copied in {time.perf_counter() - started:.1f} s"
        )
        with engine.connect() as conn:  # the demo's case with the longest history, and one
            # of the police's (the pages' heaviest and an agency's view)
            case_code = conn.exec_driver_sql(
                "SELECT c.code FROM protection_case c JOIN case_event e ON e.case_id = c.id"
                f" WHERE c.id < {OFFSET} GROUP BY c.code ORDER BY count(*) DESC LIMIT 1"
            ).scalar_one()
            police_code = conn.exec_driver_sql(
                "SELECT c.code FROM protection_case c JOIN task t ON t.case_id = c.id"
                " JOIN agency a ON a.id = t.agency_id WHERE a.kind = 'police'"
                f" AND t.status != 'planned' AND c.id < {OFFSET} ORDER BY c.id LIMIT 1"
            ).scalar_one()
        app = create_app(
            settings, session_factory=factory, clock=FixedClock(START + timedelta(hours=1))
        )
        with factory() as session:
            people = {u.username: u for u in session.exec(select(User)).all()}
        statements: list[str] = []
        sa.event.listen(engine, "before_cursor_execute", lambda *a: statements.append(a[2]))
        print(f"{'page':<28}{'p50 ms':>8}{'p95 ms':>8}{'max ms':>8}{'SQL':>6}")
        with TestClient(bare_app(engine)) as bare:
            timings = []
            for _n in range(requests + 10):
                began = time.perf_counter()
                assert bare.get(f"/bare/{case_code}").status_code == 200
                timings.append((time.perf_counter() - began) * 1000)
            timings = sorted(timings[10:])
            p95 = timings[int(len(timings) * 0.95) - 1]
            label = "baseline: one case, bare"
            print(f"{label:<28}{statistics.median(timings):>8.1f}{p95:>8.1f}{timings[-1]:>8.1f}")
        with TestClient(app) as client:
            last = client.get("/leo-thang", headers=cookie(people["pct.lan"])).text
            pages_ = last.rsplit("Trang 1 trên ", 1)[-1].split("<", 1)[0]
            for label, who, path in PAGES:
                path = path.replace("LAST", pages_ if pages_.isdigit() else "1").format(
                    case=case_code, police_case=police_code
                )
                headers = cookie(people[who]) if who else {}
                for _ in range(10):  # warm up: templates compiled, plans cached
                    assert client.get(path, headers=headers).status_code == 200, path
                timings = []
                for _ in range(requests):
                    statements.clear()
                    began = time.perf_counter()
                    response = client.get(path, headers=headers)
                    timings.append((time.perf_counter() - began) * 1000)
                    assert response.status_code == 200, (path, response.status_code)
                timings.sort()
                p95 = timings[int(len(timings) * 0.95) - 1]
                print(
                    f"{label:<28}{statistics.median(timings):>8.1f}{p95:>8.1f}"
                    f"{timings[-1]:>8.1f}{len(statements):>6}"
                )
        engine.dispose()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=int, default=100_000)
    parser.add_argument("--requests", type=int, default=200)
    parser.add_argument("--communes", type=int, default=100)
    parser.add_argument("--closed", action="store_true", help="the copies are closed cases")
    args = parser.parse_args()
    run(args.cases, args.requests, args.communes, args.closed)


if __name__ == "__main__":
    main()
