"""How fast the audit chain takes appends: each its own transaction, from several threads.

Every append locks the one chain-head row, so appends are serialised by design; this
measures how many a second that allows and how long each waits, against the same number
of transactions that insert a row without the chain (the baseline). Run:

    .venv/bin/python bench/audit.py --appends 2000 --threads 1 4 8
"""

from __future__ import annotations

import argparse
import statistics
import sys
import threading
import time
from datetime import UTC, datetime
from pathlib import Path

import sqlalchemy as sa

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from intake import database  # noqa: E402

from casework import crypto  # noqa: E402
from casework.audit import service as audit_service  # noqa: E402
from casework.audit.models import AuditAction  # noqa: E402
from casework.audit.service import Origin, Record  # noqa: E402
from casework.config import Settings  # noqa: E402
from casework.db import make_engine, make_sessionmaker, run_in_transaction  # noqa: E402
from casework.keys import load_keys  # noqa: E402
from casework.migrate import upgrade  # noqa: E402


def drive(threads: int, total: int, work) -> tuple[float, float, float]:  # type: ignore[no-untyped-def]
    latencies: list[float] = []
    lock = threading.Lock()

    def worker(count: int) -> None:
        mine = []
        for i in range(count):
            t0 = time.perf_counter()
            work(i)
            mine.append(time.perf_counter() - t0)
        with lock:
            latencies.extend(mine)

    started = time.perf_counter()
    pool = [threading.Thread(target=worker, args=(total // threads,)) for _ in range(threads)]
    for thread in pool:
        thread.start()
    for thread in pool:
        thread.join()
    elapsed = time.perf_counter() - started
    latencies.sort()
    return (
        len(latencies) / elapsed,
        statistics.median(latencies) * 1000,
        latencies[int(len(latencies) * 0.95)] * 1000,
    )


def run(backend: str, total: int, thread_counts: list[int]) -> None:
    with database(backend) as url:
        settings = Settings(_env_file=None, database_url=url, db_pool_size=16)
        crypto.install(load_keys(settings))
        upgrade(url=url)
        engine = make_engine(settings)
        factory = make_sessionmaker(engine)
        with engine.begin() as conn:
            conn.exec_driver_sql(
                "CREATE TABLE bench_plain (id serial PRIMARY KEY, x text)"
                if backend == "postgresql"
                else "CREATE TABLE bench_plain (id INTEGER PRIMARY KEY, x text)"
            )
        now = datetime.now(UTC)
        record = Record(AuditAction.view, "case", "CS-2026-00001", detail={"view": "full"})

        def chained(_: int) -> None:
            run_in_transaction(
                factory,
                lambda s: audit_service.append(
                    s, None, record, origin=Origin("127.0.0.1", "bench"), now=now
                ),
            )

        def plain(_: int) -> None:
            run_in_transaction(
                factory, lambda s: s.execute(sa.text("INSERT INTO bench_plain (x) VALUES ('v')"))
            )

        print(f"\n{backend}: {total} appends per row, each its own transaction")
        print(f"  {'':<30}{'/s':>8}{'p50 ms':>9}{'p95 ms':>9}")
        for threads in thread_counts:
            base = drive(threads, total, plain)
            ours = drive(threads, total, chained)
            print(
                f"  {f'plain insert, {threads} thread(s)':<30}{base[0]:>8.0f}{base[1]:>9.2f}"
                f"{base[2]:>9.2f}"
            )
            print(
                f"  {f'audit append, {threads} thread(s)':<30}{ours[0]:>8.0f}{ours[1]:>9.2f}"
                f"{ours[2]:>9.2f}"
            )
        with factory() as session:
            result = audit_service.verify(session)
        assert result.ok, result.problems
        print(f"  chain verified: {result.checked} entries")
        engine.dispose()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--appends", type=int, default=2000)
    parser.add_argument("--threads", type=int, nargs="+", default=[1, 4, 8])
    parser.add_argument("--backend", choices=["sqlite", "postgresql", "both"], default="both")
    args = parser.parse_args()
    backends = ["sqlite", "postgresql"] if args.backend == "both" else [args.backend]
    for backend in backends:
        run(backend, args.appends, args.threads)


if __name__ == "__main__":
    main()
