"""Workflow transitions per second through the real service path, against bare SQL doing
the same kind of writes, on SQLite and PostgreSQL; and memory over a long run.

Real: ``flow.lock`` + ``flow.fire_event`` inside ``run_in_transaction``, one transaction per
event, rounds of one event across many cases (opened by the real intake service). Each case
goes through the same ten events: start_assessment, complete_assessment, submit_plan (one
activity), approve_plan, start_monitoring, record_followup x 4, start_review. They arm, meet
and cancel clocks (each clock a deadline row and four timer rows), create tasks and enqueue
messages.

Baseline: SQLAlchemy Core, one transaction per transition doing the same writes as the real
path makes for that event (``WRITES``: the case row and its history entry, the clocks met
and their timers cancelled, the clocks armed with their four timers, the plan's task, the
approved task opened with its two clocks and its agency's message) and nothing else: no
payload validation, no engine, no facts or directory reads, no ORM.

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
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from sqlalchemy.orm import sessionmaker
from sqlmodel import Session, SQLModel, select

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.intake import database  # noqa: E402
from casework import crypto, models  # noqa: E402, F401
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
from casework.keys import load_keys  # noqa: E402
from casework.migrate import upgrade  # noqa: E402
from tests.factories.communes import create_commune  # noqa: E402
from tests.factories.events import mau_02  # noqa: E402
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


def session_users(factory: sessionmaker[Session]) -> list[User]:
    with factory() as session:
        return list(session.exec(select(User)).all())


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
        self.health_officers = sum(
            u.agency_id == health.id and u.role == Role.agency_officer
            for u in session_users(factory)
        )
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
            return CompleteAssessment.model_validate(mau_02(risk_level="low"))
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


@dataclass(frozen=True)
class Writes:
    """What the real path writes for one event, besides the case row and its history."""

    close: tuple[str, ...] = ()  # case clocks met (deadline updated, its timers cancelled)
    arm: tuple[str, ...] = ()  # case clocks armed (a deadline and its four timers)
    plan: bool = False  # the planned tasks replaced by the submitted plan (one activity)
    activate: bool = False  # the planned task opened, its two clocks armed, its agency told


# The same writes as the real path makes for each event (see `--statements`).
WRITES = {
    "start_assessment": Writes(),
    "complete_assessment": Writes(close=("initial_assessment",)),
    "submit_plan": Writes(close=("plan_draft",), arm=("plan_approval",), plan=True),
    # The approval sets the first visit and the review; monitoring then finds the visit's
    # clock already running and leaves it.
    "approve_plan": Writes(
        close=("plan_approval",), arm=("monitoring_visit", "plan_review"), activate=True
    ),
    "start_monitoring": Writes(),
    "record_followup": Writes(close=("monitoring_visit",), arm=("monitoring_visit",)),
    "start_review": Writes(close=("monitoring_visit", "plan_review")),
}
LADDER = (("remind", 0.5), ("warn", 0.75), ("overdue", 1.0), ("escalate", 1.1))


class Baseline:
    """The same writes per event as the real path, with SQLAlchemy Core and nothing else:
    no payload validation, no engine, no facts or directory reads, no ORM."""

    def __init__(self, engine: sa.Engine, health_id: int, recipients: int) -> None:
        self.engine = engine
        self.t = SQLModel.metadata.tables
        self.health_id = health_id
        self.recipients = recipients

    def _arm(self, conn, row, kinds, now: datetime, task_id=None) -> None:  # noqa: ANN001
        deadline, timer = self.t["case_deadline"], self.t["deadline_timer"]
        due = now + timedelta(days=30)
        ids = conn.execute(
            deadline.insert().returning(deadline.c.id, sort_by_parameter_order=True),
            [
                {
                    "instance_id": row.instance_id,
                    "case_id": row.id,
                    "task_id": task_id,
                    "kind": kind,
                    "clock": "days",
                    "ladder": "standard",
                    "starts_at": now,
                    "due_at": due,
                    "status": "running",
                }
                for kind in kinds
            ],
        ).scalars()
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
                for deadline_id in ids
                for step, share in LADDER
            ],
        )

    def fire(self, case_id: int, event: str, status: str, n: int) -> None:
        t = self.t
        case, deadline, timer, task = (
            t["protection_case"],
            t["case_deadline"],
            t["deadline_timer"],
            t["task"],
        )
        writes = WRITES[event]
        now = datetime.now(UTC)
        with self.engine.begin() as conn:
            row = conn.execute(
                sa.select(case.c.id, case.c.instance_id, case.c.status, case.c.version)
                .where(case.c.id == case_id)
                .with_for_update()
            ).one()
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
            if writes.plan:
                conn.execute(
                    task.delete().where(task.c.case_id == case_id, task.c.status == "planned")
                )
                conn.execute(
                    task.insert(),
                    {
                        "case_id": case_id,
                        "agency_id": self.health_id,
                        "kind": "plan.activity",
                        "title": "Khám sức khỏe định kỳ cho trẻ",
                        "starts_at": now + timedelta(days=1),
                        "due_at": now + timedelta(days=8),
                        "status": "planned",
                        "created_at": now,
                        "version": 1,
                    },
                )
            for kind in writes.close:
                met = (
                    conn.execute(
                        deadline.update()
                        .where(
                            deadline.c.instance_id == row.instance_id,
                            deadline.c.kind == kind,
                            deadline.c.status == "running",
                            deadline.c.task_id.is_(None),
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
            if writes.arm:
                self._arm(conn, row, writes.arm, now)
            if writes.activate:
                opened = conn.execute(
                    task.update()
                    .where(task.c.case_id == case_id, task.c.status == "planned")
                    .values(status="open", version=task.c.version + 1)
                    .returning(task.c.id)
                ).scalar_one()
                self._arm(conn, row, ("task_ack", "task_due"), now, task_id=opened)
                conn.execute(
                    t["outbox_message"].insert(),
                    [
                        {
                            "kind": "task.new",
                            "recipient": f"user:{r}",
                            "channel": "email",
                            "address": f"person{r}@example.org",
                            "language": "vi",
                            "urgent": False,
                            "subject_ref": f"case:{case_id}",
                            "context": {"case_id": case_id, "task_id": opened},
                            "dedupe_key": f"bench:{case_id}:{n}:{r}",
                            "state": "pending",
                            "attempts": 0,
                            "next_attempt_at": now,
                            "created_at": now,
                        }
                        for r in range(self.recipients)
                    ],
                )
            conn.execute(
                case.update()
                .where(case.c.id == case_id, case.c.version == row.version)
                .values(status=status, version=row.version + 1, updated_at=now)
            )


class StatementCount:
    """Counts statements by their first word, per side (set ``side`` before each run)."""

    def __init__(self, engine: sa.Engine) -> None:
        self.engine = engine
        self.side = ""
        self.counts: defaultdict[str, Counter[str]] = defaultdict(Counter)

    def _count(self, conn, cursor, statement, parameters, context, executemany):
        self.counts[self.side][statement.split(None, 1)[0].upper()] += 1

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
        baseline = Baseline(engine, commune.health_id, commune.health_officers)
        transitions = cases * len(EVENTS)
        per_event: dict[str, float] = defaultdict(float)
        wall = {"baseline": 0.0, "real": 0.0}
        cpu = {"baseline": 0.0, "real": 0.0}
        # Rounds alternate (one event across all cases, baseline then real), so a machine
        # busy with other work slows both sides alike.
        with StatementCount(engine) as sql:
            for n, (event, status) in enumerate(zip(EVENTS, STATUSES, strict=True)):
                for side, work in (
                    ("baseline", lambda e=event, st=status, n=n: [
                        baseline.fire(i, e, st, n * cases + k) for k, i in enumerate(base_ids)
                    ]),
                    ("real", lambda e=event: [commune.fire(code, e) for code in real_codes]),
                ):  # fmt: skip
                    sql.side = side
                    started, cpu_started = time.perf_counter(), time.process_time()
                    work()
                    wall[side] += time.perf_counter() - started
                    cpu[side] += time.process_time() - cpu_started
                    if side == "real":
                        per_event[event] += time.perf_counter() - started
        engine.dispose()
    bare, ours = transitions / wall["baseline"], transitions / wall["real"]
    print(
        f"\n{backend}: {transitions} transitions ({cases} cases x {len(EVENTS)} events),"
        " one transaction each"
    )
    print(f"  {'':<40}{'per s':>8}{'ms each':>9}{'CPU ms':>8}  statements per transition")
    for name, side, rate in (
        ("baseline (Core, same writes)", "baseline", bare),
        ("flow.fire_event (real service path)", "real", ours),
    ):
        shape = ", ".join(
            f"{verb} {n / transitions:.1f}" for verb, n in sql.counts[side].most_common()
        )
        print(
            f"  {name:<40}{rate:>8.0f}{1000 / rate:>9.2f}"
            f"{cpu[side] / transitions * 1000:>8.2f}  {shape}"
        )
    print(
        f"  ratio (ours / baseline): {ours / bare:.2f} wall clock,"
        f" {cpu['baseline'] / cpu['real']:.2f} CPU in this process"
    )
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
    crypto.install(load_keys(Settings(_env_file=None)))
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
