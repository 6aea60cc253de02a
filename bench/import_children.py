"""Importing a province's list: a 50,000-row XLSX through the real pipeline against a bare
baseline, on SQLite and PostgreSQL, in one run.

The baseline reads the same file with the same reader (calamine) and bulk-inserts the
children with SQLAlchemy Core: no validation, no village lookup, no matching, no report.
The import is the worker's import phase as it runs after the person's choice (load the
rows the dry run checked, match them against the register again, write children,
caregivers and groups, the job and its audit entry); its dry run (read, map, validate
every row, resolve villages, match, keep the checked rows) is timed too, and the two
together against the baseline. The baseline runs with the garbage collector paused, as
the worker does. Also timed:
reading the file with calamine and with openpyxl's read-only mode (why calamine).

    .venv/bin/python bench/import_children.py [--rows 50000] [--backend sqlite|postgresql|both]
"""

from __future__ import annotations

import argparse
import io
import sys
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import openpyxl
import sqlalchemy as sa
import xlsxwriter

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from intake import database  # noqa: E402  (bench/intake.py: a throwaway database)

from casework import bulk, models  # noqa: E402
from casework.clock import FixedClock  # noqa: E402
from casework.config import Settings  # noqa: E402
from casework.db import UnitOfWork, make_engine, make_sessionmaker  # noqa: E402
from casework.migrate import upgrade  # noqa: E402
from casework.registry.imports import service  # noqa: E402
from casework.registry.imports.children import FIELDS  # noqa: E402
from casework.registry.imports.models import ImportJob, ImportMode, ImportStatus  # noqa: E402
from casework.registry.imports.reader import read  # noqa: E402
from casework.registry.imports.tasks import run_one  # noqa: E402
from tests.factories.communes import create_commune  # noqa: E402

NOW = datetime(2026, 3, 2, 2, 0, tzinfo=UTC)
VILLAGES = ("Thôn Đồng Tâm", "Thôn Bản Chắt", "Xóm Nà Pàn")
FAMILY = ("Nguyễn", "Lò", "Hoàng", "Vi", "Nông", "Triệu", "Lý", "Mã", "Đinh", "Lương")
MIDDLE = ("Văn", "Thị", "Đức", "Minh", "Thu", "Ngọc")
SECOND = ("Hồng", "Quang", "Hải", "Kim", "Bảo", "Xuân", "Thanh", "Phương")
GIVEN = ("An", "Bình", "Cúc", "Dũng", "Én", "Giang", "Hoa", "Khánh", "Lan", "Mai", "Ngân")


def workbook(rows: int) -> bytes:
    """A province's list: unique names, dates typed several ways, villages, groups, mothers."""
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True, "constant_memory": True})
    sheet = book.add_worksheet("Danh sách")
    day = book.add_format({"num_format": "dd/mm/yyyy"})
    sheet.write_row(0, 0, ("STT", "Họ và tên", "Ngày sinh", "Giới tính", "Dân tộc",
                           "Thôn/bản", "Nhóm hoàn cảnh", "Họ tên mẹ"))  # fmt: skip
    for n in range(rows):
        r = n + 1
        # real names (their words repeat), each name and birth year once in the list
        name = (f"{FAMILY[(n // 11) % 10]} {MIDDLE[(n // 110) % 6]} {SECOND[(n // 660) % 8]} "
                f"{GIVEN[n % 11]}")  # fmt: skip
        born = date(2009 + (n // 5280) % 16, 1 + n % 12, 1 + n % 28)
        sheet.write_number(r, 0, r)
        sheet.write_string(r, 1, name)
        if n % 2:
            sheet.write_datetime(r, 2, born, day)
        else:
            sheet.write_string(r, 2, born.strftime("%d/%m/%Y"))
        sheet.write_string(r, 3, "Nữ" if n % 2 else "Nam")
        sheet.write_string(r, 4, "Tày")
        sheet.write_string(r, 5, VILLAGES[n % 3].split(" ", 1)[1])
        sheet.write_string(r, 6, "abcdikl"[n % 7])
        sheet.write_string(r, 7, f"Lò Thị Mẹ {n:05d}")
    book.close()
    return buffer.getvalue()


def timed(work) -> float:  # type: ignore[no-untyped-def]
    started = time.perf_counter()
    work()
    return time.perf_counter() - started


def readers(data: bytes) -> tuple[float, float]:
    calamine = timed(lambda: read(data, "xlsx", recognise=FIELDS.sighted))

    def with_openpyxl() -> None:
        book = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        for _ in book.worksheets[0].iter_rows(values_only=True):
            pass
        book.close()

    return calamine, timed(with_openpyxl)


def baseline(factory, data: bytes, commune_id: int) -> float:  # type: ignore[no-untyped-def]
    """The same file, the same reader, a Core bulk insert of the children: nothing else."""
    child = models.Child.__table__

    def work() -> None:
        table = read(data, "xlsx", recognise=FIELDS.sighted)
        values = [
            {"commune_id": commune_id, "full_name": row[1], "name_key": row[1],
             "sort_key": row[1], "birth_year": 2015, "sex": "male", "ethnicity": row[4],
             "disability_level": "none", "poverty_status": "none", "created_at": NOW,
             "updated_at": NOW, "version": 1}
            for _, row in table.rows
        ]  # fmt: skip
        with UnitOfWork(factory) as uow:
            for start in range(0, len(values), 500):
                uow.session.execute(child.insert(), values[start : start + 500])
            uow.commit()

    with bulk.collector_paused():  # as the import's worker runs: a fair comparison
        spent = timed(work)
    with UnitOfWork(factory) as uow:  # the import starts from the same empty register
        uow.session.execute(child.delete().where(child.c.commune_id == commune_id))
        uow.commit()
    return spent


def run(backend: str, rows: int, data: bytes) -> dict[str, float]:
    with database(backend) as url:
        settings = Settings(_env_file=None, database_url=url, timers_in_serve=False)
        upgrade(url=url)
        engine = make_engine(settings)
        factory = make_sessionmaker(engine)
        clock = FixedClock(NOW)
        with UnitOfWork(factory) as uow:
            commune = create_commune(uow.session, now=NOW, code="BENCH", prefix="BE",
                                     name="Xã Thử", villages=VILLAGES)  # fmt: skip
            user = uow.session.exec(
                sa.select(models.User).where(models.User.commune_id == commune.id)
            ).scalars().first()  # fmt: skip
            uow.commit()
        bare = baseline(factory, data, commune.id)
        with UnitOfWork(factory) as uow:
            job = service.start(uow.session, commune_id=commune.id, user_id=user.id,
                                target="children", file_name="tinh.xlsx", data=data,
                                max_bytes=10**9, now=NOW)  # fmt: skip
            uow.commit()
        lease = timedelta(minutes=5)

        def once() -> None:
            run_one(factory, clock=clock, settings=settings, worker="bench", lease=lease)

        dry = timed(once)
        with UnitOfWork(factory) as uow:
            stored = uow.session.get_one(ImportJob, job.id)
            service.choose(uow.session, job=stored, mode=ImportMode.all_or_nothing, now=NOW)
            uow.commit()
        imported = timed(once)
        with factory() as session:
            stored = session.get_one(ImportJob, job.id)
            assert stored.status == ImportStatus.done, (stored.status, stored.problem)
            assert stored.created_records == rows, stored.created_records
            count = session.execute(sa.select(sa.func.count()).select_from(models.Child)).scalar()
        engine.dispose()
        assert count >= rows
        return {"baseline": bare, "dry_run": dry, "import": imported}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=50_000)
    parser.add_argument("--backend", choices=("sqlite", "postgresql", "both"), default="both")
    args = parser.parse_args()
    data = workbook(args.rows)
    print(f"{args.rows:,} rows, {len(data) / 1_048_576:.1f} MB")
    calamine, openpyxl_ro = readers(data)
    print(f"read the sheet: calamine {calamine:.2f} s, openpyxl read-only {openpyxl_ro:.2f} s")
    backends = ("sqlite", "postgresql") if args.backend == "both" else (args.backend,)
    print("| backend | baseline s | dry run s | import s | import ÷ baseline speed "
          "| dry run + import ÷ baseline speed |")  # fmt: skip
    print("|---|---:|---:|---:|---:|---:|")
    for backend in backends:
        found = run(backend, args.rows, data)
        ratio = found["baseline"] / found["import"]
        both = found["baseline"] / (found["dry_run"] + found["import"])
        print(f"| {backend} | {found['baseline']:.1f} | {found['dry_run']:.1f} | "
              f"{found['import']:.1f} | {ratio:.2f}× | {both:.2f}× |")  # fmt: skip


if __name__ == "__main__":
    main()
