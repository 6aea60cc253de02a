"""Server time of the register with many children (issue 12: 500,000 in a large province,
≤ 50 ms at p95): Sổ theo dõi (first page, filtered pages, a search), a child's page and
the data-quality list (whole commune and one village), through the real app (session
cookie, policy, audit entry, template), beside a bare baseline measured in the same run: a FastAPI
endpoint selecting the same first page with SQLAlchemy Core, answering JSON.

The demo commune is seeded through the real services, then children are added with SQL
until the database holds ``--children``, spread over ``--communes`` communes, the demo's
among them (so it holds ``children / communes``): names drawn from common Vietnamese
family, middle and given names (their ``sort_key`` computed by the application), every
village of the demo, 8 % in a group of Đ10, 3 % at risk, 5 % with support going on, a
few with ended memberships, one in seven without a date of birth; then their data-quality
flags, as the daily tick gives them. ``--communes 1`` puts them all in the demo commune.

    .venv/bin/python bench/registry.py [--children 500000] [--communes 100]
        [--requests 200]
"""

from __future__ import annotations

import argparse
import itertools
import statistics
import sys
import time
from datetime import timedelta
from pathlib import Path

import sqlalchemy as sa
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlmodel import Session, SQLModel, select

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.intake import database  # noqa: E402
from bench.queues import START, cookie, demo_database  # noqa: E402
from casework import crypto, models, text  # noqa: E402, F401
from casework.accounts.models import User  # noqa: E402
from casework.app import create_app  # noqa: E402
from casework.children.models import Child  # noqa: E402
from casework.clock import FixedClock  # noqa: E402
from casework.communes.models import Commune, Village  # noqa: E402
from casework.registry import quality_flags  # noqa: E402

FAMILY = ("Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Vũ", "Đặng", "Bùi", "Đỗ", "Hồ", "Ngô",
          "Dương", "Lý", "Nông", "Lò", "Hà", "Lương", "Triệu", "Bàn", "Vi")  # fmt: skip
MIDDLE = ("Văn", "Thị", "Minh", "Ngọc", "Đức", "Thu", "Hữu", "Thanh", "Quốc", "Kim")
GIVEN = ("An", "Ân", "Anh", "Bình", "Chi", "Cường", "Dũng", "Đạt", "Giang", "Hà", "Hải",
         "Hạnh", "Hoa", "Hùng", "Huyền", "Khánh", "Lan", "Linh", "Long", "Mai", "Minh",
         "Nam", "Ngọc", "Nhung", "Phúc", "Quân", "Sơn", "Thảo", "Trang", "Tú", "Vy",
         "Xuân", "Yến")  # fmt: skip
GROUPS = ("a", "b", "c", "d", "dd", "e", "g", "h", "i", "k", "l", "m", "n", "o")
KINDS = ("social_allowance", "health_insurance", "tuition_exemption", "psychological")
PAGES = (
    ("reference: login page", "/dang-nhap"),
    ("reference: /tre-em (existing)", "/tre-em"),
    ("register, first page", "/dang-ky"),
    ("register, API first page", "/api/v1/registry/children"),
    ("register, village + group", "/dang-ky?village={village}&group=d"),
    ("register, at risk", "/dang-ky?group=at_risk"),
    ("register, age 6-10, support", "/dang-ky?age_min=6&age_max=10&support=any"),
    ("register, page 40", "/dang-ky?page=40"),
    ("register, search no marks", "/dang-ky?q=nguyen+thi+mai"),
    ("child page", "/tre-em/{child}"),
    ("data-quality list", "/dang-ky/chat-luong-du-lieu"),
    ("data-quality, one village", "/dang-ky/chat-luong-du-lieu?village={village}"),
)


def sql(conn: sa.Connection, statement: str) -> None:
    """A statement with no parameters, its ``%`` operators kept from the driver's format."""
    conn.exec_driver_sql(statement.replace("%", "%%"))


def add_children(conn: sa.Connection, *, children: int, communes: int, demo_id: int) -> None:
    """``children`` more children, one statement per table; child ``g`` is in the demo
    commune when ``g % communes`` is 0, else in a commune of its own number."""
    tables = SQLModel.metadata.tables
    names = [" ".join(parts) for parts in itertools.product(FAMILY, MIDDLE, GIVEN)]
    conn.exec_driver_sql(
        "CREATE TEMP TABLE bench_name (n int, full_name text, name_key text, sort_key text)"
    )
    conn.execute(
        sa.text("INSERT INTO bench_name VALUES (:n, :f, :k, :s)"),
        [
            {"n": n, "f": name, "k": text.fold(name), "s": text.sort_key(name)}
            for n, name in enumerate(names)
        ],
    )
    villages = [
        v for (v,) in conn.execute(sa.select(Village.id).where(Village.commune_id == demo_id))
    ]
    if communes > 1:
        conn.execute(
            tables["commune"]
            .insert()
            .from_select(
                ["id", "code", "name", "province", "case_prefix", "created_at"],
                sa.select(
                    sa.text("n + 1000"),
                    sa.text("'BENCH-' || n"),
                    sa.text("'Xã ' || n"),
                    sa.literal("Lạng Sơn"),
                    sa.text("'B' || n"),
                    sa.literal(START),
                ).select_from(sa.text(f"generate_series(1, {communes - 1}) AS n")),
            )
        )
    sql(
        conn,
        f"""
        INSERT INTO child (commune_id, full_name, name_key, sort_key, date_of_birth, birth_year,
                           sex, ethnicity, village_id, disability_level, poverty_status,
                           created_at, updated_at, version)
        SELECT CASE WHEN g % {communes} = 0 THEN {demo_id} ELSE g % {communes} + 1000 END,
               b.full_name, b.name_key, b.sort_key,
               CASE WHEN g % 7 = 0 THEN NULL ELSE DATE '2008-01-01' + (g * 37 % 6500) END,
               EXTRACT(YEAR FROM DATE '2008-01-01' + (g * 37 % 6500))::int,
               CASE WHEN b.full_name LIKE '% Thị %' THEN 'female' ELSE 'male' END, 'Tày',
               CASE WHEN g % {communes} = 0
                    THEN (ARRAY[{",".join(map(str, villages))}])[1 + g % {len(villages)}]
               END,
               'none', 'none', TIMESTAMPTZ '{START.isoformat()}',
               TIMESTAMPTZ '{START.isoformat()}', 1
        FROM generate_series(1, {children}) AS g
        JOIN bench_name b ON b.n = (g::bigint * 7919 % {len(names)})::int
        """,
    )
    groups = "ARRAY[" + ",".join(f"'{g}'" for g in GROUPS) + "]"
    kinds = "ARRAY[" + ",".join(f"'{k}'" for k in KINDS) + "]"
    sql(
        conn,
        f"""
        INSERT INTO child_circumstance (child_id, "group", at_risk, since, until, ended_reason)
        SELECT id, ({groups})[1 + id % 14], id % 100 >= 8, DATE '2024-01-01',
               CASE WHEN id % 100 = 99 THEN DATE '2025-06-01' END,
               CASE WHEN id % 100 = 99 THEN 'circumstance_ended' END
        FROM child WHERE id % 100 < 11 OR id % 100 = 99
        """,
    )
    user = conn.execute(sa.select(User.id).where(User.commune_id == demo_id).limit(1)).scalar_one()
    sql(
        conn,
        f"""
        INSERT INTO child_support (child_id, kind, since, recorded_by_id, recorded_at)
        SELECT id, ({kinds})[1 + id % 4], DATE '2025-09-01', {user},
               TIMESTAMPTZ '{START.isoformat()}'
        FROM child WHERE id % 20 = 3
        """,
    )
    # The daily tick gives children written around the ORM their data-quality flags.
    with Session(bind=conn) as session:
        quality_flags.refresh_missing(session, limit=children + 10_000)
        session.flush()
    conn.exec_driver_sql("ANALYZE")


def bare_app(engine: sa.Engine, commune_id: int) -> FastAPI:
    """The baseline: the register's first page (the same columns), one Core query, JSON."""
    app = FastAPI()
    child, village = SQLModel.metadata.tables["child"], SQLModel.metadata.tables["village"]

    @app.get("/bare")
    def first_page() -> list[dict]:
        with engine.connect() as conn:
            rows = conn.execute(
                sa.select(child.c.id, child.c.full_name, child.c.birth_year, village.c.name)
                .outerjoin(village, village.c.id == child.c.village_id)
                .where(child.c.commune_id == commune_id, child.c.merged_into_id.is_(None))
                .order_by(child.c.sort_key, child.c.id)
                .limit(20)
            ).all()
        return [dict(row._mapping) for row in rows]

    return app


def measure(client: TestClient, path: str, headers: dict[str, str], requests: int) -> list[float]:
    for _ in range(10):  # warm up: templates compiled, plans cached
        assert client.get(path, headers=headers).status_code == 200, path
    timings = []
    for _ in range(requests):
        began = time.perf_counter()
        response = client.get(path, headers=headers)
        timings.append((time.perf_counter() - began) * 1000)
        assert response.status_code == 200, (path, response.status_code)
    return sorted(timings)


def line(label: str, timings: list[float], statements: int | None = None) -> str:
    p95 = timings[int(len(timings) * 0.95) - 1]
    sql = f"{statements:>6}" if statements is not None else ""
    return f"{label:<32}{statistics.median(timings):>8.1f}{p95:>8.1f}{timings[-1]:>8.1f}{sql}"


def run(children: int, requests: int, communes: int) -> None:
    with database("postgresql") as url:
        settings, engine, factory = demo_database(url)
        with engine.begin() as conn:
            demo_id = conn.execute(sa.select(Commune.id).limit(1)).scalar_one()
            demo = conn.execute(sa.select(sa.func.count()).select_from(Child)).scalar_one()
            started = time.perf_counter()
            add_children(conn, children=max(0, children - demo), communes=communes, demo_id=demo_id)
            total = conn.execute(sa.select(sa.func.count()).select_from(Child)).scalar_one()
            here = conn.execute(
                sa.select(sa.func.count()).where(Child.commune_id == demo_id)
            ).scalar_one()
            village = conn.execute(
                sa.select(Village.id).where(Village.commune_id == demo_id).limit(1)
            ).scalar_one()
            child_id = conn.execute(
                sa.text("SELECT child_id FROM protection_case ORDER BY id LIMIT 1")
            ).scalar_one()
        print(
            f"{total} children in {communes} communes, {here} of them in the demo commune; "
            f"added in {time.perf_counter() - started:.1f} s"
        )
        app = create_app(
            settings, session_factory=factory, clock=FixedClock(START + timedelta(hours=1))
        )
        with factory() as session:
            supervisor = session.exec(select(User).where(User.username == "pct.lan")).one()
        headers = cookie(supervisor)
        statements: list[str] = []
        sa.event.listen(engine, "before_cursor_execute", lambda *a: statements.append(a[2]))
        print(f"{'page':<32}{'p50 ms':>8}{'p95 ms':>8}{'max ms':>8}{'SQL':>6}")
        with TestClient(bare_app(engine, demo_id)) as bare:
            print(line("baseline: first page, bare", measure(bare, "/bare", {}, requests)))
        with TestClient(app) as client:
            for label, path in PAGES:
                path = path.format(village=village, child=child_id)
                asked = {} if path == "/dang-nhap" else headers  # a template, no database
                timings = measure(client, path, asked, requests)
                statements.clear()
                client.get(path, headers=asked)
                print(line(label, timings, len(statements)))
        engine.dispose()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--children", type=int, default=500_000)
    parser.add_argument("--requests", type=int, default=200)
    parser.add_argument("--communes", type=int, default=100)
    args = parser.parse_args()
    run(args.children, args.requests, args.communes)


if __name__ == "__main__":
    main()
