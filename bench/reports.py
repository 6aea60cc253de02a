"""The statistics of a province (issue 14: 100 communes, 100,000 cases, 50,000 children on
the register, PostgreSQL): the statistics page for one commune and for the whole province
through the real app (session cookie, policy, audit entry, template; p95 ≤ 1 s), beside a
baseline measured in the same run: a bare FastAPI endpoint computing the same numbers with
hand-written GROUP BY queries, answering JSON (ratio ≥ 0.5). Then the DOCX of one commune's
six-monthly report (≤ 3 s) and the province's XLSX (≤ 10 s).

The demo commune is seeded through the real services, then its cases (child, reports and
forms of harm, tasks, clocks, history) are copied with SQL until the database holds
``--cases``, spread over ``--communes`` communes; half of the children are put in a group of
Đ10 (most of them supported) and every commune gets its population figures.

    .venv/bin/python bench/reports.py [--cases 100000] [--communes 100] [--requests 30]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

import sqlalchemy as sa
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlmodel import SQLModel, select

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.intake import database  # noqa: E402
from bench.queues import OFFSET, START, cookie, copy_cases, demo_database  # noqa: E402
from casework.accounts.models import Role, User  # noqa: E402
from casework.app import create_app  # noqa: E402
from casework.cases.models import ProtectionCase  # noqa: E402
from casework.clock import FixedClock  # noqa: E402
from casework.reports import document, periods, workbook  # noqa: E402
from casework.reports.indicators import ABUSE_FORMS, Where  # noqa: E402
from casework.reports.statistics import statistics as count_statistics  # noqa: E402
from casework.timefmt import local_date  # noqa: E402

NOW = START


def copy_reports(conn: sa.Connection, *, copies: int) -> None:
    """The demo's reports and their forms of harm, for every copy of its cases (the same
    id shifts as ``copy_cases``)."""
    t = SQLModel.metadata.tables
    g = sa.select(sa.func.generate_series(1, copies).label("g")).subquery("copy")
    report, forms = t["report"], t["report_harm_form"]
    shifted = {"id", "case_id", "child_id"}
    commune = sa.select(t["protection_case"].c.commune_id).where(
        t["protection_case"].c.id == report.c.case_id + g.c.g * OFFSET
    )
    columns = [
        (c + g.c.g * OFFSET) if c.name in shifted
        else commune.scalar_subquery() if c.name == "commune_id"
        else c
        for c in report.columns
    ]  # fmt: skip
    conn.execute(
        report.insert().from_select(
            [c.name for c in report.columns],
            sa.select(*columns).select_from(report).join(g, sa.true()).where(report.c.id < OFFSET),
        )
    )
    conn.execute(
        forms.insert().from_select(
            ["report_id", "form"],
            sa.select(forms.c.report_id + g.c.g * OFFSET, forms.c.form)
            .select_from(forms)
            .join(g, sa.true())
            .where(forms.c.report_id < OFFSET),
        )
    )


def register(conn: sa.Connection, *, children: int) -> None:
    """``children`` of the children in a group of Đ10 since 2024 (one in nine at risk as
    well), four in five of them with support going on; population figures for every
    commune (this year and last)."""
    conn.exec_driver_sql(
        f"""
        INSERT INTO child_circumstance ("group", child_id, at_risk, since)
        SELECT (ARRAY['a','b','c','d','dd','e','g','h','i','k','l','m','n','o'])[1 + id %% 14],
               id, false, DATE '2024-01-01'
        FROM child WHERE NOT EXISTS (SELECT 1 FROM child_circumstance m WHERE m.child_id = child.id)
        ORDER BY id LIMIT {children}
        """
    )
    user = conn.exec_driver_sql("SELECT min(id) FROM app_user").scalar_one()
    conn.exec_driver_sql(
        f"""
        INSERT INTO child_support (child_id, kind, since, recorded_by_id, recorded_at)
        SELECT child_id, 'social_allowance', DATE '2025-06-01', {user}, now()
        FROM child_circumstance WHERE child_id %% 5 != 0
        """
    )
    conn.exec_driver_sql(
        """
        INSERT INTO child_population (commune_id, year, sex, age_group, children, recorded_at)
        SELECT c.id, y, s, a, 180, now()
        FROM commune c, (VALUES (2025), (2026)) AS yy(y), (VALUES ('male'), ('female')) AS ss(s),
             (VALUES ('0-5'), ('6-10'), ('11-15')) AS aa(a)
        """
    )
    conn.exec_driver_sql("ANALYZE")


def bare_app(engine: sa.Engine) -> FastAPI:
    """The baseline: the page's numbers (0101 by sex, setting and form; the register by
    group and supported; the legal clocks by outcome; tasks declined by agency) with one
    hand-written GROUP BY each, for the same period, answering JSON."""
    app = FastAPI()
    forms = ", ".join(f"'{f.value}'" for f in ABUSE_FORMS)
    queries = {
        "abused": f"""
            WITH first AS (SELECT case_id, min(first_received_at) AS received FROM report
                           WHERE commune_id = ANY(:communes) GROUP BY case_id)
            SELECT k.sex, r.setting, count(DISTINCT c.child_id) FROM protection_case c
            JOIN first f ON f.case_id = c.id JOIN child k ON k.id = c.child_id
            JOIN report r ON r.case_id = c.id AND r.first_received_at = f.received
            WHERE f.received >= :start AND f.received < :end AND c.substantiated
              AND EXISTS (SELECT 1 FROM report r2 JOIN report_harm_form h ON h.report_id = r2.id
                          WHERE r2.case_id = c.id AND h.form IN ({forms}))
            GROUP BY k.sex, r.setting""",
        "forms": f"""
            SELECT h.form, count(DISTINCT c.child_id) FROM protection_case c
            JOIN report r ON r.case_id = c.id JOIN report_harm_form h ON h.report_id = r.id
            WHERE c.commune_id = ANY(:communes) AND c.substantiated AND h.form IN ({forms})
              AND r.first_received_at >= :start AND r.first_received_at < :end
            GROUP BY h.form""",
        "register": """
            SELECT m."group", count(DISTINCT m.child_id),
                   count(DISTINCT m.child_id) FILTER (WHERE EXISTS (
                       SELECT 1 FROM child_support s WHERE s.child_id = m.child_id
                       AND s.since <= :last AND (s.until IS NULL OR s.until >= :first)))
            FROM child_circumstance m JOIN child k ON k.id = m.child_id
            WHERE k.commune_id = ANY(:communes) AND NOT m.at_risk AND m.since <= :last
              AND (m.until IS NULL OR m.until > :last)
            GROUP BY m."group" """,
        "clocks": """
            SELECT d.kind, d.status, count(*) FROM case_deadline d
            JOIN protection_case c ON c.id = d.case_id
            WHERE c.commune_id = ANY(:communes) AND d.task_id IS NULL
              AND d.kind IN ('emergency_measures', 'plan_draft', 'plan_approval')
              AND d.starts_at >= :start AND d.starts_at < :end
            GROUP BY d.kind, d.status""",
        "tasks": """
            SELECT a.kind, count(*), count(*) FILTER (WHERE t.status = 'declined'),
                   percentile_cont(0.5) WITHIN GROUP (
                       ORDER BY extract(epoch FROM t.acknowledged_at - t.starts_at))
            FROM task t JOIN protection_case c ON c.id = t.case_id
            JOIN agency a ON a.id = t.agency_id
            WHERE c.commune_id = ANY(:communes) AND t.status NOT IN ('planned', 'cancelled')
              AND t.starts_at >= :start AND t.starts_at < :end
            GROUP BY a.kind""",
    }

    @app.get("/bare")
    def read(communes: str, first: str, last: str, start: str, end: str) -> dict:
        params = {
            "communes": [int(c) for c in communes.split(",")],
            "first": first,
            "last": last,
            "start": start,
            "end": end,
        }
        with engine.connect() as conn:
            found = {}
            for name, query in queries.items():
                for before in (False, True):  # this period and last year's, as the page
                    found[f"{name}{'_before' if before else ''}"] = [
                        list(map(str, row)) for row in conn.execute(sa.text(query), params)
                    ]
            return found

    return app


def timed(action: Callable[[], object], n: int) -> list[float]:
    timings = []
    for _ in range(n + 3):
        began = time.perf_counter()
        action()
        timings.append((time.perf_counter() - began) * 1000)
    return sorted(timings[3:])


def p95(timings: list[float]) -> float:
    return timings[max(0, int(len(timings) * 0.95) - 1)]


def run(cases: int, communes: int, requests: int) -> None:
    with database("postgresql") as url:
        settings, engine, factory = demo_database(url)
        with engine.begin() as conn:
            demo = conn.execute(sa.select(sa.func.count()).select_from(ProtectionCase)).scalar_one()
            demo_id = conn.execute(sa.select(ProtectionCase.commune_id).limit(1)).scalar_one()
            began = time.perf_counter()
            copies = max(0, cases // demo - 1)
            copy_cases(conn, copies=copies, communes=communes, demo_id=demo_id, closed=False)
            copy_reports(conn, copies=copies)
            register(conn, children=cases // 2)
            total = conn.execute(
                sa.select(sa.func.count()).select_from(ProtectionCase)
            ).scalar_one()
            ids = [i for (i,) in conn.exec_driver_sql("SELECT id FROM commune ORDER BY id")]
        print(f"{total} cases, {cases // 2} register children in {len(ids)} communes; "
              f"made in {time.perf_counter() - began:.1f} s")  # fmt: skip
        half = periods.half_of(local_date(NOW, settings.tz))
        start, end = half.bounds(settings.tz)
        app = create_app(settings, session_factory=factory, clock=FixedClock(NOW))
        with factory() as session:
            people = {u.username: u for u in session.exec(select(User)).all()}
        viewer = next(u for u in people.values() if u.role == Role.province_viewer)
        print(f"{'':<34}{'p50 ms':>8}{'p95 ms':>8}")
        rows = {}
        with TestClient(bare_app(engine)) as bare:
            for label, chosen in (("one commune", [demo_id]), ("whole province", ids)):
                params = {
                    "communes": ",".join(map(str, chosen)),
                    "first": half.first.isoformat(), "last": half.last.isoformat(),
                    "start": start.isoformat(), "end": end.isoformat(),
                }  # fmt: skip
                rows[f"baseline: GROUP BY, {label}"] = timed(
                    lambda params=params: bare.get("/bare", params=params).raise_for_status(),
                    requests,
                )
        with TestClient(app) as client:
            for label, user in (("one commune", people["canbo.hoa"]), ("whole province", viewer)):
                headers = cookie(user)

                def page(headers: dict[str, str] = headers) -> None:
                    assert client.get("/thong-ke", headers=headers).status_code == 200

                rows[f"statistics page, {label}"] = timed(page, requests)
        for label, timings in rows.items():
            print(f"{label:<34}{statistics.median(timings):>8.0f}{p95(timings):>8.0f}")
        for label in ("one commune", "whole province"):
            ratio = p95(rows[f"baseline: GROUP BY, {label}"]) / p95(
                rows[f"statistics page, {label}"]
            )
            print(f"ratio baseline/page p95, {label}: {ratio:.2f}")
        with factory() as session:
            began = time.perf_counter()
            stats = count_statistics(session, Where((demo_id,)), half, settings.tz, now=NOW,
                                     place="Xã Châu Sơn")  # fmt: skip
            body = document.report_document(
                stats, commune="Xã Châu Sơn", province="Lạng Sơn", title="Bench",
                recipient="Sở Y tế", sections={}, day=local_date(NOW, settings.tz),
            )  # fmt: skip
            print(f"DOCX of one commune's report: {time.perf_counter() - began:.2f} s "
                  f"({len(body) // 1024} KB)")  # fmt: skip
            began = time.perf_counter()
            stats = count_statistics(session, Where(tuple(ids)), half, settings.tz, now=NOW,
                                     place="Lạng Sơn")  # fmt: skip
            body = workbook.workbook(stats, made_by="bench", made_at=NOW, scope="tỉnh")
            print(f"XLSX of the province: {time.perf_counter() - began:.2f} s "
                  f"({len(body) // 1024} KB)")  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=int, default=100_000)
    parser.add_argument("--communes", type=int, default=100)
    parser.add_argument("--requests", type=int, default=30)
    args = parser.parse_args()
    run(args.cases, args.communes, args.requests)


if __name__ == "__main__":
    main()
