"""The data-quality list at province scale: server time of one page (counts + 20 rows).

Builds a throwaway PostgreSQL database (or SQLite file) with ``--children`` children
(default 500,000) spread over ``--communes`` communes, about 1 in 6 with a problem and
1 in 12 without a caregiver, then times ``quality.listing`` for one commune: no filter,
a village filter, a problem filter. Prints p50/p95 in milliseconds.

    .venv/bin/python bench/data_quality.py --communes 1     # worst case: one huge commune
    .venv/bin/python bench/data_quality.py --communes 100   # a province of 5,000-child communes
"""

from __future__ import annotations

import argparse
import random
import statistics
import time
import uuid
from datetime import UTC, date, datetime

import sqlalchemy as sa
from sqlalchemy.engine import make_url
from sqlmodel import Session

from casework.children.models import Child
from casework.migrate import upgrade
from casework.pagination import PageParams
from casework.registry import quality, quality_flags
from casework.registry.quality import Filters, Problem

ADMIN = "postgresql+psycopg://postgres@127.0.0.1:5432/test"


def build(url: str, *, children: int, communes: int) -> None:
    engine = sa.create_engine(url)
    now = datetime.now(UTC)
    rng = random.Random(12)
    with engine.begin() as conn:
        for c in range(communes):
            conn.execute(
                sa.text(
                    "INSERT INTO commune (code, name, province, case_prefix, created_at) "
                    "VALUES (:code, :name, 'Lạng Sơn', :prefix, :now)"
                ),
                {"code": f"B{c}", "name": f"Xã {c}", "prefix": f"B{c}", "now": now},
            )
            for v in range(10):
                conn.execute(
                    sa.text("INSERT INTO village (commune_id, name, name_key) VALUES (:c, :n, :k)"),
                    {"c": c + 1, "n": f"Thôn {v}", "k": f"thon {v}"},
                )
    per = children // communes
    child_rows, carer_rows = [], []
    for i in range(children):
        commune = i // per % communes + 1
        year = rng.randint(2009, 2025)
        female = rng.random() < 0.5
        pid = f"020{3 if female else 2}{year % 100:02d}{i:06d}"
        roll = rng.random()
        if roll < 0.06:
            pid = None
        elif roll < 0.08:
            pid = "999" + pid[3:]
        elif roll < 0.09:
            pid = "A" + pid[1:]  # a letter: malformed
        name = f"Nguyễn Văn {i}"
        child_rows.append(
            {
                "commune_id": commune,
                "full_name": name,
                "name_key": name.lower(),
                "sort_key": f"{i:07d}",
                "personal_id": pid,
                "date_of_birth": None if rng.random() < 0.05 else date(year, 1, 1),
                "birth_year": year,
                "sex": "female" if female else "male",
                "ethnicity": "" if rng.random() < 0.01 else "Tày",
                "village_id": (commune - 1) * 10 + rng.randint(1, 10),
                "disability_level": "none",
                "poverty_status": "none",
                "created_at": now,
                "updated_at": now,
                "version": 1,
            }
        )
        if rng.random() > 0.08:
            carer_rows.append({"child_id": i + 1, "full_name": "Mẹ", "relation": "mẹ"})
    child = Child.__table__
    with engine.begin() as conn:
        for start in range(0, len(child_rows), 20_000):
            conn.execute(child.insert(), child_rows[start : start + 20_000])
        carer = sa.table(
            "caregiver", sa.column("child_id"), sa.column("full_name"), sa.column("relation")
        )
        for start in range(0, len(carer_rows), 20_000):
            conn.execute(carer.insert(), carer_rows[start : start + 20_000])
    start = time.perf_counter()
    with Session(engine) as session:  # what the daily tick does for each commune
        for c in range(communes):
            quality_flags.refresh_commune(session, commune_id=c + 1)
        session.commit()
    print(f"stored flags of {children} children in {time.perf_counter() - start:.0f} s")
    with engine.connect() as conn:
        conn.execution_options(isolation_level="AUTOCOMMIT").exec_driver_sql("ANALYZE")
    engine.dispose()


def timed(url: str, runs: int, commune: int = 1) -> None:
    engine = sa.create_engine(url)
    scope = Child.commune_id == commune
    cases = {
        "no filter": Filters(),
        "one village": Filters(village_id=(commune - 1) * 10 + 3),
        "no personal id": Filters(problem=Problem.no_personal_id),
        "page 50": Filters(),
    }
    for name, filters in cases.items():
        params = PageParams(page=50 if name == "page 50" else 1, page_size=20)
        spent = []
        for _ in range(runs):
            with Session(engine) as session:
                start = time.perf_counter()
                quality.listing(session, scope=scope, filters=filters, params=params, commune_id=1)
                spent.append((time.perf_counter() - start) * 1000)
        spent.sort()
        p95 = spent[int(len(spent) * 0.95) - 1]
        print(f"{name:>15}: p50 {statistics.median(spent):7.1f} ms   p95 {p95:7.1f} ms")
    engine.dispose()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--children", type=int, default=500_000)
    parser.add_argument("--communes", type=int, default=1)
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--url", help="time an existing database built before (with --keep)")
    parser.add_argument("--commune", type=int, default=1, help="with --url: which commune")
    parser.add_argument("--keep", action="store_true", help="keep the database, print its URL")
    args = parser.parse_args()
    if args.url:
        timed(args.url, args.runs, args.commune)
        return
    name = f"bench_quality_{uuid.uuid4().hex[:8]}"
    admin = sa.create_engine(ADMIN, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.exec_driver_sql(f'CREATE DATABASE "{name}"')
    url = make_url(ADMIN).set(database=name).render_as_string(hide_password=False)
    try:
        upgrade(url=url)
        start = time.perf_counter()
        build(url, children=args.children, communes=args.communes)
        print(
            f"built {args.children} children in {args.communes} communes "
            f"in {time.perf_counter() - start:.0f} s; commune 1 has "
            f"{args.children // args.communes}"
        )
        timed(url, args.runs)
    finally:
        if args.keep:
            print("kept:", url)
        else:
            with admin.connect() as conn:
                conn.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.dispose()


if __name__ == "__main__":
    main()
