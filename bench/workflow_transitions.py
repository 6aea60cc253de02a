"""Workflow transitions per second through the real service path, against bare SQL doing
the same kind of writes, on SQLite and PostgreSQL; and memory over a long run.

Real: ``flow.lock`` + ``flow.fire_event`` inside ``run_in_transaction``, one transaction per
event, rounds of one event across many cases (opened by the real intake service). Each case
goes through the same ten events: start_assessment, complete_assessment, submit_plan (one
activity), approve_plan, start_monitoring, record_followup x 4, start_review. They arm, meet
and cancel clocks (each clock a deadline row and four timer rows), create tasks and enqueue
messages.

Baseline: SQLAlchemy Core, one transaction per transition doing a typical transition's
writes and nothing else: lock the case row, update its status and version, insert the
history entry, meet the running clock and cancel its pending timers, arm the next clock
(a deadline and four timers), insert one outbox row. No payload validation, no engine,
no facts, no ORM.

Memory: the process's resident set (VmRSS) before and after ``--memory-transitions``
transitions over ``--memory-cases`` cases, on SQLite.

    .venv/bin/python bench/workflow_transitions.py [--cases 300] [--backend sqlite|postgresql|both]
        [--memory [--memory-cases 10000] [--memory-transitions 100000]] [--quick]
        [--profile N] [--skip-throughput]
"""

from __future__ import annotations

import argparse
import cProfile
import gc
import io
import json
import pstats
import sys
import time
from collections import Counter, defaultdict
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from sqlalchemy.orm import sessionmaker
from sqlmodel import Session, SQLModel, select

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.intake import database  # noqa: E402
from casework import models  # noqa: E402, F401
from casework.accounts.models import Role, User  # noqa: E402
from casework.actors import Actor  # noqa: E402
from casework.agencies.models import Agency, AgencyKind  # noqa: E402
from casework.cases import flow  # noqa: E402
from casework.cases.events import (  # noqa: E402
    CompleteAssessment,
    EventPayload,
    Followup,
    PlanTask,
    StartReview,
    SubmitPlan,
)
from casework.config import Settings  # noqa: E402
from casework.db import UnitOfWork, make_engine, make_sessionmaker, run_in_transaction  # noqa: E402
from casework.intake.schemas import IntakeCreate  # noqa: E402
from casework.intake.service import record_intake  # noqa: E402
from casework.migrate import upgrade  # noqa: E402
from tests.factories.communes import create_commune  # noqa: E402
from tests.factories.intakes import intake_payload  # noqa: E402

EVENTS = (
    "start_assessment",
    "complete_assessment",
    "submit_plan",
    "approve_plan",
    "start_monitoring",
    "record_followup",
    "record_followup",
    "record_followup",
    "record_followup",
    "start_review",
)
STATUSES = (
    "assessing",
    "planning",
    "awaiting_approval",
    "intervention",
    "monitoring",
    "monitoring",
    "monitoring",
    "monitoring",
    "monitoring",
    "review",
)
SUPERVISOR_EVENTS = {"approve_plan"}


def rss_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    raise RuntimeError("no VmRSS in /proc/self/status")


class Commune:
    """A commune with its people and ``count`` cases opened through the real intake."""

    def __init__(self, factory: sessionmaker[Session], tz: ZoneInfo) -> None:
        now = datetime.now(UTC)
        with UnitOfWork(factory) as uow:
            commune = create_commune(uow.session, now=now)
            uow.commit()
        with factory() as session:
            users = {u.role: u for u in session.exec(select(User)).all()}
            health = session.exec(
                select(Agency).where(Agency.kind == AgencyKind.health_station)
            ).one()
        self.factory, self.tz = factory, tz
        self.caseworker = Actor(
            user_id=users[Role.caseworker].id, role=Role.caseworker, commune_id=commune.id
        )
        self.supervisor = Actor(
            user_id=users[Role.supervisor].id, role=Role.supervisor, commune_id=commune.id
        )
        self.health_id = health.id
        self.opened = 0

    def open_cases(self, count: int) -> list[str]:
        codes = []
        for _ in range(count):
            self.opened += 1
            payload = intake_payload(
                first_received_at=datetime.now(UTC).isoformat(),
                **{"child.full_name": f"Trẻ thử {self.opened}"},
            )
            data = IntakeCreate.model_validate_json(json.dumps(payload))
            with UnitOfWork(self.factory) as uow:
                result = record_intake(uow.session, data=data, now=datetime.now(UTC), tz=self.tz)
                uow.commit()
            codes.append(result.case_code)
        return codes

    def payload(self, event: str, now: datetime) -> EventPayload:
        if event == "complete_assessment":
            return CompleteAssessment(risk_level="low", emergency=False, substantiated=True)
        if event == "submit_plan":
            task = PlanTask(
                agency_id=self.health_id,
                title="Khám sức khỏe định kỳ cho trẻ",
                starts_at=now + timedelta(days=1),
                due_at=now + timedelta(days=8),
            )
            return SubmitPlan(tasks=[task])
        if event == "record_followup":
            return Followup()
        if event == "start_review":
            return StartReview(stable=True)
        return EventPayload()

    def fire(self, code: str, event: str) -> None:
        """One event through the service path, in its own transaction."""
        actor = self.supervisor if event in SUPERVISOR_EVENTS else self.caseworker

        def work(session: Session) -> None:
            now = datetime.now(UTC)
            case = flow.lock(session, code=code)
            payload = self.payload(event, now)
            flow.fire_event(
                session, actor, case=case, event=event, payload=payload, now=now, tz=self.tz
            )

        run_in_transaction(self.factory, work)


class Baseline:
    """The same kind of writes per transition with SQLAlchemy Core and nothing else."""

    KIND = "bench_clock"

    def __init__(self, engine: sa.Engine, case_ids: list[int]) -> None:
        self.engine = engine
        self.t = SQLModel.metadata.tables
        now = datetime.now(UTC)
        with engine.begin() as conn:
            for case_id in case_ids:
                self._arm(conn, case_id, now)

    def _arm(self, conn: sa.Connection, case_id: int, now: datetime) -> None:
        deadline, timer = self.t["case_deadline"], self.t["deadline_timer"]
        due = now + timedelta(days=30)
        deadline_id = conn.execute(
            deadline.insert().returning(deadline.c.id),
            {
                "case_id": case_id,
                "kind": self.KIND,
                "clock": "days",
                "ladder": "standard",
                "starts_at": now,
                "due_at": due,
                "status": "running",
            },
        ).scalar_one()
        conn.execute(
            timer.insert(),
            [
                {
                    "deadline_id": deadline_id,
                    "step": step,
                    "fires_at": now + (due - now) * share,
                    "status": "pending",
                    "attempts": 0,
                }
                for step, share in (("remind", 0.5), ("warn", 0.75), ("overdue", 1), ("x", 1.1))
            ],
        )

    def fire(self, case_id: int, event: str, status: str, n: int) -> None:
        t = self.t
        case, deadline, timer = t["protection_case"], t["case_deadline"], t["deadline_timer"]
        now = datetime.now(UTC)
        with self.engine.begin() as conn:
            row = conn.execute(
                sa.select(case.c.status, case.c.version)
                .where(case.c.id == case_id)
                .with_for_update()
            ).one()
            conn.execute(
                case.update()
                .where(case.c.id == case_id, case.c.version == row.version)
                .values(status=status, version=row.version + 1, updated_at=now)
            )
            conn.execute(
                t["case_event"].insert(),
                {
                    "case_id": case_id,
                    "at": now,
                    "event": event,
                    "from_status": row.status,
                    "to_status": status,
                    "payload": {},
                },
            )
            met = (
                conn.execute(
                    deadline.update()
                    .where(
                        deadline.c.case_id == case_id,
                        deadline.c.kind == self.KIND,
                        deadline.c.status == "running",
                    )
                    .values(status="met", closed_at=now)
                    .returning(deadline.c.id)
                )
                .scalars()
                .all()
            )
            conn.execute(
                timer.update()
                .where(timer.c.deadline_id.in_(met), timer.c.status == "pending")
                .values(status="cancelled")
            )
            self._arm(conn, case_id, now)
            conn.execute(
                t["outbox_message"].insert(),
                {
                    "kind": "task.new",
                    "recipient": "user:1",
                    "subject_ref": f"case:{case_id}",
                    "context": {"case_id": case_id},
                    "dedupe_key": f"bench:{case_id}:{n}",
                    "state": "pending",
                    "attempts": 0,
                    "next_attempt_at": now,
                    "created_at": now,
                },
            )


class StatementCount:
    """Counts statements by their first word while attached to an engine."""

    def __init__(self, engine: sa.Engine) -> None:
        self.engine = engine
        self.counts: Counter[str] = Counter()

    def _count(self, conn, cursor, statement, parameters, context, executemany):
        self.counts[statement.split(None, 1)[0].upper()] += 1

    def __enter__(self) -> StatementCount:
        sa.event.listen(self.engine, "before_cursor_execute", self._count)
        return self

    def __exit__(self, *exc: object) -> None:
        sa.event.remove(self.engine, "before_cursor_execute", self._count)


def timed(work: Callable[[], None]) -> float:
    started = time.perf_counter()
    work()
    return time.perf_counter() - started


def case_ids(engine: sa.Engine, codes: list[str]) -> list[int]:
    table = SQLModel.metadata.tables["protection_case"]
    with engine.connect() as conn:
        ids = dict(conn.execute(sa.select(table.c.code, table.c.id)).all())
    return [ids[code] for code in codes]


def throughput(backend: str, cases: int) -> None:
    with database(backend) as url:
        settings = Settings(_env_file=None, database_url=url)
        upgrade(url=url)
        engine = make_engine(settings)
        commune = Commune(make_sessionmaker(engine), settings.tz)
        real_codes = commune.open_cases(cases)
        base_codes = commune.open_cases(cases)
        base_ids = case_ids(engine, base_codes)
        baseline = Baseline(engine, base_ids)
        transitions = cases * len(EVENTS)
        per_event: dict[str, float] = defaultdict(float)

        def run_real() -> None:
            for event in EVENTS:
                per_event[event] += timed(
                    lambda event=event: [commune.fire(code, event) for code in real_codes]
                )

        def run_bare() -> None:
            n = 0
            for event, status in zip(EVENTS, STATUSES, strict=True):
                for case_id in base_ids:
                    n += 1
                    baseline.fire(case_id, event, status, n)

        with StatementCount(engine) as bare_sql:
            bare = transitions / timed(run_bare)
        with StatementCount(engine) as real_sql:
            ours = transitions / timed(run_real)
        engine.dispose()
    print(
        f"\n{backend}: {transitions} transitions ({cases} cases x {len(EVENTS)} events),"
        " one transaction each"
    )
    print(f"  {'':<40}{'per s':>8}{'ms each':>9}  statements per transition")
    for name, rate, sql in (
        ("baseline (Core, same kind of writes)", bare, bare_sql),
        ("flow.fire_event (real service path)", ours, real_sql),
    ):
        shape = ", ".join(f"{verb} {n / transitions:.1f}" for verb, n in sql.counts.most_common())
        print(f"  {name:<40}{rate:>8.0f}{1000 / rate:>9.2f}  {shape}")
    print(f"  ratio (ours / baseline): {ours / bare:.2f}")
    print(
        "  real path by event, ms each: "
        + ", ".join(
            f"{event} {seconds / (cases * EVENTS.count(event)) * 1000:.1f}"
            for event, seconds in per_event.items()
        )
    )


def profile(backend: str, cases: int) -> None:
    """The real path under cProfile, with every statement timed: where a transition goes."""
    with database(backend) as url:
        settings = Settings(_env_file=None, database_url=url)
        upgrade(url=url)
        engine = make_engine(settings)
        commune = Commune(make_sessionmaker(engine), settings.tz)
        codes = commune.open_cases(cases)
        timings: dict[str, list[float]] = defaultdict(list)

        def before(conn, cursor, statement, parameters, context, executemany):
            conn.info["t0"] = time.perf_counter()

        def after(conn, cursor, statement, parameters, context, executemany):
            took = time.perf_counter() - conn.info["t0"]
            timings[" ".join(statement.split())[:80]].append(took)

        sa.event.listen(engine, "before_cursor_execute", before)
        sa.event.listen(engine, "after_cursor_execute", after)
        cpu = time.process_time()
        elapsed = timed(lambda: [commune.fire(c, e) for e in EVENTS for c in codes[: cases // 2]])
        cpu = time.process_time() - cpu
        sa.event.remove(engine, "before_cursor_execute", before)
        sa.event.remove(engine, "after_cursor_execute", after)
        transitions = cases // 2 * len(EVENTS)
        sql = sum(sum(v) for v in timings.values())
        print(
            f"\nprofile ({backend}): {transitions} transitions, {elapsed / transitions * 1000:.2f}"
            f" ms each: {cpu / transitions * 1000:.2f} ms CPU in this process,"
            f" {sql / transitions * 1000:.2f} ms inside cursor.execute"
            f" ({sum(len(v) for v in timings.values()) / transitions:.1f} statements)"
        )
        print("  per transition: count, ms, statement")
        for statement, took in sorted(timings.items(), key=lambda kv: -sum(kv[1]))[:16]:
            print(
                f"    {len(took) / transitions:5.2f} {sum(took) / transitions * 1000:6.3f}"
                f"  {statement}"
            )
        profiler = cProfile.Profile()
        profiler.enable()
        for event in EVENTS:
            for code in codes[cases // 2 :]:
                commune.fire(code, event)
        profiler.disable()
        engine.dispose()
    out = io.StringIO()
    pstats.Stats(profiler, stream=out).sort_stats("cumulative").print_stats(50)
    print("\n".join(out.getvalue().splitlines()[:66]))


def memory(cases: int, transitions: int) -> None:
    rounds = max(1, transitions // cases)
    with database("sqlite") as url:
        settings = Settings(_env_file=None, database_url=url)
        upgrade(url=url)
        engine = make_engine(settings)
        commune = Commune(make_sessionmaker(engine), settings.tz)
        started = time.perf_counter()
        codes = commune.open_cases(cases + 20)
        print(f"\nmemory: {cases + 20} cases opened in {time.perf_counter() - started:.0f} s")
        for code in codes[:20]:  # warm every code path once before the first reading
            for event in EVENTS:
                commune.fire(code, event)
        gc.collect()
        before = rss_mb()
        print(f"  after warm-up: VmRSS {before:.1f} MB")
        fired = 0
        started = time.perf_counter()
        sample = max(1, transitions // 10)
        for event in EVENTS[:rounds]:
            for code in codes[20:]:
                commune.fire(code, event)
                fired += 1
                if fired % sample == 0:
                    print(f"  {fired:>7} transitions: VmRSS {rss_mb():.1f} MB")
        elapsed = time.perf_counter() - started
        gc.collect()
        after = rss_mb()
        engine.dispose()
    print(
        f"  {fired} transitions over {cases} cases in {elapsed:.0f} s"
        f" ({fired / elapsed:.0f}/s); VmRSS {before:.1f} -> {after:.1f} MB,"
        f" growth {after - before:+.1f} MB"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=int, default=300, help="cases per throughput run")
    parser.add_argument("--backend", choices=["sqlite", "postgresql", "both"], default="both")
    parser.add_argument("--memory-cases", type=int, default=10_000)
    parser.add_argument("--memory-transitions", type=int, default=100_000)
    parser.add_argument("--memory", action="store_true", help="also run the memory check")
    parser.add_argument("--profile", type=int, default=0, help="profile N cases' events")
    parser.add_argument("--skip-throughput", action="store_true")
    parser.add_argument(
        "--quick", action="store_true", help="50 cases; memory (if asked) 1,000 x 10,000"
    )
    args = parser.parse_args()
    if args.quick:
        args.cases, args.memory_cases, args.memory_transitions = 50, 1000, 10_000
    if not args.skip_throughput:
        for backend in ("sqlite", "postgresql") if args.backend == "both" else (args.backend,):
            throughput(backend, args.cases)
    if args.profile:
        for backend in ("sqlite", "postgresql") if args.backend == "both" else (args.backend,):
            profile(backend, args.profile)
    if args.memory:
        memory(args.memory_cases, args.memory_transitions)


if __name__ == "__main__":
    main()
