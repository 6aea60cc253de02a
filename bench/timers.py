"""Deadline timers: real `casework worker` processes draining a burst and keeping up with a
steady stream, on PostgreSQL, against bare SQL doing the same writes.

burst   ``--timers`` due timers on running deadlines spread over ``--cases`` real cases,
        drained by ``--workers`` `casework worker` processes running the real handler.
        ``--steps ladder`` (the default) gives each deadline its whole standard ladder due
        at once, as after an outage: the reminder and the warning are superseded, the
        overdue notice goes to the agency head and the caseworker, and the escalation
        lands in the supervisor's queue and tells the supervisor; ``--steps remind``
        gives each deadline one reminder. Two baselines, one process each, same run and
        database, no ORM, claiming batches with ``FOR UPDATE SKIP LOCKED``:
        *per timer*: each timer in its own transaction (flip pending -> fired, one outbox
        row); *per batch*: one transaction per claimed batch doing the writes the real
        handler does (flip, ladder step, one history entry per timer, one outbox row per
        timer) with none of its reads or decisions.
steady  timers inserted at ``--rate`` per second for ``--seconds``, each due the moment it
        is inserted, while the workers tick every ``--tick`` s: how late each fires.
profile one in-process worker firing ``--profile`` timers, first with every SQL statement
        counted and timed, then under cProfile: where a timer's time goes.

Every phase checks that every timer fired, none twice (one history entry per timer) and
none early (``fired_at >= fires_at``).

    .venv/bin/python bench/timers.py [--timers 100000] [--steps ladder|remind]
        [--cases 2000] [--rate 500] [--seconds 30] [--workers 2] [--batch 200]
        [--tick 0.1] [--profile 2000] [--skip-burst] [--skip-steady]
"""

from __future__ import annotations

import argparse
import cProfile
import io
import json
import os
import pstats
import signal
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from datetime import UTC, datetime, timedelta
from pathlib import Path

import sqlalchemy as sa
from sqlalchemy.orm import sessionmaker
from sqlmodel import Session

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.intake import database  # noqa: E402
from casework import crypto  # noqa: E402
from casework.clock import SystemClock  # noqa: E402
from casework.config import Settings  # noqa: E402
from casework.db import UnitOfWork, make_engine, make_sessionmaker  # noqa: E402
from casework.deadlines.tasks import run_due  # noqa: E402
from casework.intake.schemas import IntakeCreate  # noqa: E402
from casework.intake.service import record_intake  # noqa: E402
from casework.keys import load_keys  # noqa: E402
from casework.migrate import upgrade  # noqa: E402
from tests.factories.communes import create_commune  # noqa: E402
from tests.factories.intakes import intake_payload  # noqa: E402

CASEWORK = str(Path(sys.executable).with_name("casework"))
STEPS = {"ladder": ("remind", "warn", "overdue", "escalate"), "remind": ("remind",)}
TICKS = os.sysconf("SC_CLK_TCK")


def utcnow() -> datetime:
    return datetime.now(UTC)


def open_cases(engine: sa.Engine, settings: Settings, count: int) -> list[int]:
    """A commune and ``count`` cases through the real intake service."""
    factory = make_sessionmaker(engine)
    now = utcnow()
    with UnitOfWork(factory) as uow:
        create_commune(uow.session, now=now)
        uow.commit()
    for n in range(count):
        payload = intake_payload(
            first_received_at=(now - timedelta(minutes=1)).isoformat(),
            **{"child.full_name": f"Trẻ thử {n}"},
        )
        with UnitOfWork(factory) as uow:
            data = IntakeCreate.model_validate_json(json.dumps(payload))
            record_intake(uow.session, data=data, now=now, tz=settings.tz)
            uow.commit()
    with engine.connect() as conn:
        return list(conn.execute(sa.text("SELECT id FROM protection_case ORDER BY id")).scalars())


def add_timers(
    conn: sa.Connection,
    case_ids: list[int],
    *,
    prefix: str,
    first: int,
    count: int,
    steps: tuple[str, ...] = ("remind",),
) -> None:
    """Running deadlines ``<prefix>_<n>`` (n = first, first + 1, ...) spread over the cases,
    with ``count`` timers in all: each deadline gets ``steps``, due at the transaction's
    start."""
    deadlines = count // len(steps)
    conn.execute(
        sa.text(
            "WITH d AS (INSERT INTO case_deadline"
            " (instance_id, case_id, kind, clock, ladder, starts_at, due_at, status)"
            " SELECT p.instance_id, p.id, :prefix || '_' || s.g, 'hours',"
            " 'standard', now() - interval '2 hours', now() - interval '1 hour', 'running'"
            " FROM (SELECT (:cases)[1 + g % cardinality(:cases)] AS case_id, g"
            " FROM generate_series(CAST(:first AS int), CAST(:last AS int)) AS g) AS s"
            " JOIN protection_case p ON p.id = s.case_id RETURNING id)"
            " INSERT INTO deadline_timer (deadline_id, step, fires_at, status, attempts)"
            " SELECT id, step, now(), 'pending', 0 FROM d, unnest(CAST(:steps AS text[])) AS step"
        ),
        {
            "cases": case_ids,
            "prefix": prefix,
            "first": first,
            "last": first + deadlines - 1,
            "steps": list(steps),
        },
    )


MINE = "JOIN case_deadline d ON d.id = t.deadline_id WHERE d.kind LIKE :prefix || '\\_%'"


def any_due(conn: sa.Connection) -> bool:
    """Whether a due timer is still pending (cheap: the partial index on pending timers)."""
    return conn.execute(
        sa.text(
            "SELECT EXISTS (SELECT 1 FROM deadline_timer"
            " WHERE status = 'pending' AND fires_at <= now())"
        )
    ).scalar_one()


def verify(conn: sa.Connection, prefix: str, count: int) -> dict[str, int]:
    """Every timer fired, none early, and one history entry per timer (none twice)."""
    timers = conn.execute(
        sa.text(
            "SELECT count(*) FILTER (WHERE t.status = 'fired'),"
            " count(*) FILTER (WHERE t.fired_at < t.fires_at),"
            " count(DISTINCT t.claimed_by) FROM deadline_timer t " + MINE
        ),
        {"prefix": prefix},
    ).one()
    events = conn.execute(
        sa.text(
            "SELECT count(*), count(DISTINCT (e.payload->>'deadline_id', e.payload->>'step'))"
            " FROM case_event e JOIN case_deadline d ON d.id = (e.payload->>'deadline_id')::int"
            " WHERE e.event = 'deadline_step' AND d.kind LIKE :prefix || '\\_%'"
        ),
        {"prefix": prefix},
    ).one()
    extra = conn.execute(
        sa.text(
            "SELECT (SELECT count(*) FROM outbox_message o JOIN case_deadline d"
            " ON d.id = CAST(split_part(o.dedupe_key, ':', 2) AS int)"
            " WHERE o.dedupe_key LIKE 'deadline:%' AND d.kind LIKE :prefix || '\\_%'),"
            " (SELECT count(*) FROM escalation x JOIN case_deadline d ON d.id = x.deadline_id"
            " WHERE d.kind LIKE :prefix || '\\_%')"
        ),
        {"prefix": prefix},
    ).one()
    result = {
        "timers": count,
        "fired": timers[0],
        "early": timers[1],
        "workers": timers[2],
        "events": events[0],
        "fired twice": events[0] - events[1],
        "messages": extra[0],
        "escalations": extra[1],
    }
    ok = result["fired"] == result["events"] == count and not result["early"]
    if not ok or result["fired twice"]:
        raise SystemExit(f"exactly-once violated for {prefix}: {result}")
    return result


def cpu_seconds(pids: list[int]) -> float:
    """User + system CPU of these processes so far (from /proc)."""
    total = 0
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except FileNotFoundError:
            continue
        total += int(fields[11]) + int(fields[12])
    return total / TICKS


def postgres_pids() -> list[int]:
    pids = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                if (entry / "comm").read_text().strip() == "postgres":
                    pids.append(int(entry.name))
            except OSError:
                continue
    return pids


class Workers:
    """``count`` `casework worker` processes, output in files under ``logs``."""

    def __init__(self, url: str, count: int, logs: Path, **settings: object) -> None:
        env = {
            **os.environ,
            "PYTHONUNBUFFERED": "1",
            "CASEWORK_DATABASE_URL": url,
            "CASEWORK_LOG_LEVEL": "warning",
        } | {f"CASEWORK_{key.upper()}": str(value) for key, value in settings.items()}
        self.logs = [logs / f"worker-{n}.log" for n in range(count)]
        self.processes = []
        for log in self.logs:
            with log.open("w") as out:
                self.processes.append(
                    subprocess.Popen(
                        [CASEWORK, "worker"], env=env, stdout=out, stderr=subprocess.STDOUT
                    )
                )
        deadline = time.monotonic() + 60
        while not all("Worker firing timers" in log.read_text() for log in self.logs):
            if time.monotonic() > deadline:
                self.stop()
                raise SystemExit("workers did not start:\n" + self.output())
            time.sleep(0.1)

    @property
    def pids(self) -> list[int]:
        return [p.pid for p in self.processes]

    def output(self) -> str:
        return "\n".join(log.read_text() for log in self.logs)

    def stop(self) -> None:
        for process in self.processes:
            process.send_signal(signal.SIGTERM)
        for process in self.processes:
            try:
                process.wait(timeout=60)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
        if "Traceback" in self.output():
            raise SystemExit("a worker failed:\n" + self.output())


def wait_drained(engine: sa.Engine, *, timeout: float) -> float:
    """Poll until no due timer is pending; the monotonic time it was seen so."""
    deadline = time.monotonic() + timeout
    while True:
        with engine.connect() as conn:
            busy = any_due(conn)
        now = time.monotonic()
        if not busy:
            return now
        if now > deadline:
            raise SystemExit(f"due timers still pending after {timeout:.0f} s")
        time.sleep(0.1)


CLAIM = sa.text(
    "UPDATE deadline_timer SET claimed_by = :worker, lease_until = now() + interval '60 s',"
    " attempts = attempts + 1 WHERE id IN (SELECT id FROM deadline_timer"
    " WHERE status = 'pending' AND fires_at <= now()"
    " AND (lease_until IS NULL OR lease_until < now()) ORDER BY fires_at"
    " LIMIT :batch FOR UPDATE SKIP LOCKED) RETURNING id"
)
OUTBOX = sa.text(
    "INSERT INTO outbox_message (kind, recipient, channel, address, language, urgent,"
    " subject_ref, context, dedupe_key, state, attempts, next_attempt_at, created_at)"
    " VALUES ('deadline.' || :step, 'user:1', 'email', 'person@example.org', 'vi', false,"
    " 'case:X', '{}', :key, 'pending', 0, now(), now()) ON CONFLICT (dedupe_key) DO NOTHING"
)


def baseline(engine: sa.Engine, prefix: str, count: int, batch: int) -> float:
    """Timers/s for the bare loop: claim a batch, then per timer, in its own transaction,
    flip + one outbox insert."""
    worker = f"baseline:{os.getpid()}"
    flip = sa.text(
        "UPDATE deadline_timer SET status = 'fired', fired_at = now() WHERE id = :id"
        " AND status = 'pending' AND claimed_by = :worker RETURNING deadline_id, step"
    )
    fired = 0
    started = time.perf_counter()
    while True:
        with engine.begin() as conn:
            ids = sorted(conn.execute(CLAIM, {"worker": worker, "batch": batch}).scalars())
        if not ids:
            break
        for timer_id in ids:
            with engine.begin() as conn:
                row = conn.execute(flip, {"id": timer_id, "worker": worker}).first()
                if row is not None:
                    key = f"deadline:{row.deadline_id}:{row.step}:user:1"
                    conn.execute(OUTBOX, {"key": key, "step": row.step})
                    fired += 1
    elapsed = time.perf_counter() - started
    if fired != count:
        raise SystemExit(f"baseline fired {fired} of {count}")
    return count / elapsed


def batch_baseline(engine: sa.Engine, prefix: str, count: int, batch: int) -> float:
    """Timers/s for bare set-based firing: claim a batch, then in one transaction flip it,
    set each deadline's ladder step, and insert one history entry and one outbox row per
    timer (what the real handler writes, without its reads and decisions)."""
    worker = f"batch-baseline:{os.getpid()}"
    flip = sa.text(
        "UPDATE deadline_timer t SET status = 'fired', fired_at = now() FROM case_deadline d"
        " WHERE t.id = ANY(:ids) AND t.status = 'pending' AND t.claimed_by = :worker"
        " AND d.id = t.deadline_id RETURNING t.deadline_id, d.case_id, t.step"
    )
    step = sa.text("UPDATE case_deadline SET ladder_step = :step WHERE id = ANY(:ids)")
    history = sa.text(
        "INSERT INTO case_event (case_id, at, event, payload) VALUES (:case_id, now(),"
        " 'deadline_step', CAST(:payload AS json))"
    )
    fired = 0
    started = time.perf_counter()
    while True:
        with engine.begin() as conn:
            ids = sorted(conn.execute(CLAIM, {"worker": worker, "batch": batch}).scalars())
        if not ids:
            break
        with engine.begin() as conn:
            rows = conn.execute(flip, {"ids": ids, "worker": worker}).all()
            by_step: dict[str, list[int]] = defaultdict(list)
            for row in rows:
                by_step[row.step].append(row.deadline_id)
            for name, deadline_ids in by_step.items():
                conn.execute(step, {"step": name, "ids": deadline_ids})
            conn.execute(
                history,
                [
                    {
                        "case_id": row.case_id,
                        "payload": json.dumps({"deadline_id": row.deadline_id, "step": row.step}),
                    }
                    for row in rows
                ],
            )
            conn.execute(
                OUTBOX,
                [
                    {"key": f"deadline:{row.deadline_id}:{row.step}:user:1", "step": row.step}
                    for row in rows
                ],
            )
            fired += len(rows)
    elapsed = time.perf_counter() - started
    if fired != count:
        raise SystemExit(f"batch baseline fired {fired} of {count}")
    return count / elapsed


def vacuum(url: str) -> None:
    engine = sa.create_engine(url, isolation_level="AUTOCOMMIT")
    with engine.connect() as conn:
        conn.exec_driver_sql("VACUUM ANALYZE")
    engine.dispose()


def burst(url: str, engine: sa.Engine, case_ids: list[int], args: argparse.Namespace) -> None:
    count, steps = args.timers, STEPS[args.steps]
    bare = {}
    for name, run in (("base", baseline), ("batchbase", batch_baseline)):
        with engine.begin() as conn:
            add_timers(conn, case_ids, prefix=name, first=1, count=count, steps=steps)
        vacuum(url)
        bare[name] = run(engine, name, count, args.batch)
    vacuum(url)

    with tempfile.TemporaryDirectory() as logs:
        workers = Workers(url, args.workers, Path(logs), tick_seconds=0.2, timer_batch=args.batch)
        time.sleep(1)  # their first ticks open their connections
        cpu_before = cpu_seconds(workers.pids)
        pg = postgres_pids()
        pg_before = cpu_seconds(pg)
        with engine.begin() as conn:
            add_timers(conn, case_ids, prefix="burst", first=1, count=count, steps=steps)
        started = time.monotonic()
        done = wait_drained(engine, timeout=args.max_seconds)
        worker_cpu = cpu_seconds(workers.pids) - cpu_before
        pg_cpu = cpu_seconds(pg) - pg_before
        workers.stop()
    elapsed = done - started
    with engine.connect() as conn:
        checks = verify(conn, "burst", count)
    ours = count / elapsed
    print(
        f"\nburst: {count} due timers ({'/'.join(steps)} on {count // len(steps)} deadlines"
        f" over {len(case_ids)} cases), PostgreSQL, batch {args.batch}"
    )
    print(f"  {'':<50}{'timers/s':>10}")
    print(f"  {'baseline, 1 process, one transaction per timer':<50}{bare['base']:>10.0f}")
    print(f"  {'baseline, 1 process, one transaction per batch':<50}{bare['batchbase']:>10.0f}")
    print(f"  {f'{args.workers} x casework worker (real handler)':<50}{ours:>10.0f}")
    print(
        f"  ratio (ours / baseline): {ours / bare['base']:.2f} per timer,"
        f" {ours / bare['batchbase']:.2f} per batch"
    )
    print(
        f"  drained in {elapsed:.1f} s; CPU per timer: workers {worker_cpu / count * 1000:.2f} ms,"
        f" PostgreSQL {pg_cpu / count * 1000:.2f} ms"
    )
    print(f"  checks: {checks}")


def steady(url: str, engine: sa.Engine, case_ids: list[int], args: argparse.Namespace) -> None:
    per_slice = max(1, round(args.rate / 10))
    slices = round(args.seconds * 10)
    with tempfile.TemporaryDirectory() as logs:
        workers = Workers(
            url, args.workers, Path(logs), tick_seconds=args.tick, timer_batch=args.batch
        )
        started = time.monotonic()
        inserted = 0
        for n in range(slices):
            pause = started + n / 10 - time.monotonic()
            if pause > 0:
                time.sleep(pause)
            with engine.begin() as conn:
                add_timers(conn, case_ids, prefix="steady", first=inserted + 1, count=per_slice)
            inserted += per_slice
        insert_seconds = time.monotonic() - started
        wait_drained(engine, timeout=args.max_seconds)
        workers.stop()
    with engine.connect() as conn:
        checks = verify(conn, "steady", inserted)
        lateness = conn.execute(
            sa.text(
                "SELECT percentile_cont(ARRAY[0.5, 0.99]) WITHIN GROUP (ORDER BY late),"
                " max(late) FROM (SELECT extract(epoch FROM t.fired_at - t.fires_at) AS late"
                f" FROM deadline_timer t {MINE}) AS x"
            ),
            {"prefix": "steady"},
        ).one()
    (p50, p99), worst = lateness
    print(
        f"\nsteady: {inserted} timers inserted at {inserted / insert_seconds:.0f}/s"
        f" for {insert_seconds:.1f} s, each due on insert; {args.workers} workers,"
        f" tick {args.tick} s, batch {args.batch}"
    )
    print(f"  lateness (fired_at - fires_at): p50 {p50:.3f} s, p99 {p99:.3f} s, max {worst:.3f} s")
    print(f"  checks: {checks}")


def drain_in_process(factory: sessionmaker[Session], settings: Settings) -> int:
    fired = 0
    while True:
        result = run_due(
            factory,
            clock=SystemClock(),
            tz=settings.tz,
            worker="profiler",
            lease=timedelta(seconds=60),
            batch=200,
        )
        fired += result.fired
        if result.claimed == 0:
            return fired


def profile(engine: sa.Engine, settings: Settings, case_ids: list[int], count: int) -> None:
    """One in-process worker: first with every SQL statement timed, then under cProfile."""
    factory = make_sessionmaker(engine)
    with engine.begin() as conn:
        add_timers(conn, case_ids, prefix="prof", first=1, count=count)
    timings: dict[str, list[float]] = defaultdict(list)

    def before(conn, cursor, statement, parameters, context, executemany):
        conn.info["t0"] = time.perf_counter()

    def after(conn, cursor, statement, parameters, context, executemany):
        timings[" ".join(statement.split())[:80]].append(time.perf_counter() - conn.info["t0"])

    sa.event.listen(engine, "before_cursor_execute", before)
    sa.event.listen(engine, "after_cursor_execute", after)
    cpu = time.process_time()
    started = time.perf_counter()
    fired = drain_in_process(factory, settings)
    elapsed = time.perf_counter() - started
    cpu = time.process_time() - cpu
    sa.event.remove(engine, "before_cursor_execute", before)
    sa.event.remove(engine, "after_cursor_execute", after)
    with engine.connect() as conn:
        verify(conn, "prof", count)
    sql = sum(sum(v) for v in timings.values())
    statements = sum(len(v) for v in timings.values())
    print(
        f"\nprofile: one in-process worker fired {fired} timers in {elapsed:.1f} s"
        f" ({fired / elapsed:.0f}/s): {elapsed / fired * 1000:.2f} ms each,"
        f" of which {cpu / fired * 1000:.2f} ms CPU in this process"
    )
    print(
        f"  SQL: {statements / fired:.1f} statements per timer (plus BEGIN/COMMIT),"
        f" {sql / fired * 1000:.2f} ms per timer from cursor.execute to its return"
    )
    print("  per timer: count, ms, statement")
    for statement, took in sorted(timings.items(), key=lambda kv: -sum(kv[1]))[:10]:
        print(f"    {len(took) / fired:5.2f} {sum(took) / fired * 1000:6.3f}  {statement}")

    with engine.begin() as conn:
        add_timers(conn, case_ids, prefix="cprof", first=1, count=count)
    profiler = cProfile.Profile()
    profiler.enable()
    drain_in_process(factory, settings)
    profiler.disable()
    with engine.connect() as conn:
        verify(conn, "cprof", count)
    out = io.StringIO()
    pstats.Stats(profiler, stream=out).sort_stats("cumulative").print_stats(45)
    print("\n".join(out.getvalue().splitlines()[:60]))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--timers", type=int, default=100_000, help="burst size")
    parser.add_argument("--steps", choices=sorted(STEPS), default="ladder", help="per deadline")
    parser.add_argument("--cases", type=int, default=2000, help="cases the deadlines are on")
    parser.add_argument("--rate", type=float, default=500, help="steady inserts per second")
    parser.add_argument("--seconds", type=float, default=30, help="steady duration")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--batch", type=int, default=200, help="CASEWORK_TIMER_BATCH")
    parser.add_argument("--tick", type=float, default=0.1, help="steady CASEWORK_TICK_SECONDS")
    parser.add_argument("--profile", type=int, default=0, help="profile N timers in-process")
    parser.add_argument("--max-seconds", type=float, default=900, help="give up draining after")
    parser.add_argument("--skip-burst", action="store_true")
    parser.add_argument("--skip-steady", action="store_true")
    args = parser.parse_args()
    settings = Settings(_env_file=None)
    crypto.install(load_keys(settings))
    with database("postgresql") as url:
        upgrade(url=url)
        engine = make_engine(settings, url=url)
        try:
            case_ids = open_cases(engine, settings, args.cases)
            if args.profile:
                profile(engine, settings, case_ids, args.profile)
            if not args.skip_burst:
                burst(url, engine, case_ids, args)
            if not args.skip_steady:
                steady(url, engine, case_ids, args)
        finally:
            engine.dispose()


if __name__ == "__main__":
    main()
