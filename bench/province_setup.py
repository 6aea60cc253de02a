"""Setting up a province (issue 13: 100 communes × 12 villages × 12 agencies × 15 people in
≤ 60 s on PostgreSQL), through the services the pages and the CLI call, one transaction
per commune as an administrator's session would make them:

- the commune from the official list with its 12 standard agencies (``communes.setup``),
- 12 villages, each with its head's board (``communes.villages``),
- 15 people without passwords, each with an activation link queued for e-mail and SMS
  (``accounts.service.create_user``, ``accounts.activation.issue``).

And the same province from spreadsheets, as a province administrator would set it up:
all its communes added at once (``communes.setup.add_province``), then for each commune
three files through the import pipeline (upload, dry run by the worker, "all or
nothing", import by the worker): its 12 villages, its agencies' contacts (9 agencies
and 3 new schools: 12 agencies), its 15 people, each with an activation link.

Baseline in the same run: the same rows (communes, villages, agencies, users) inserted
bare with SQLAlchemy Core in one transaction, no checks, no links.

    .venv/bin/python bench/province_setup.py [--communes 100] [--backend postgresql|sqlite]
"""

from __future__ import annotations

import argparse
import io
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import sqlalchemy as sa
import xlsxwriter
from sqlmodel import SQLModel

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.intake import database  # noqa: E402
from casework import crypto, models  # noqa: E402, F401
from casework.accounts import activation  # noqa: E402
from casework.accounts.models import Role  # noqa: E402
from casework.accounts.service import create_user  # noqa: E402
from casework.clock import FixedClock  # noqa: E402
from casework.communes import official, setup, villages  # noqa: E402
from casework.config import Settings  # noqa: E402
from casework.db import UnitOfWork, make_engine, make_sessionmaker  # noqa: E402
from casework.keys import load_keys  # noqa: E402
from casework.migrate import upgrade  # noqa: E402
from casework.registry.imports import service  # noqa: E402
from casework.registry.imports.models import ImportJob, ImportMode, ImportStatus  # noqa: E402
from casework.registry.imports.tasks import run_one  # noqa: E402

NOW = datetime(2026, 3, 2, 2, 0, tzinfo=UTC)
PROVINCE = "01"  # Hà Nội: 126 communes and wards
FROM_FILES = "79"  # Hồ Chí Minh City: 168, for the spreadsheets (another province's codes)
VILLAGES, PEOPLE = 12, 15
AGENCIES = ("Phòng Văn hóa - Xã hội", "Công an", "Trạm Y tế", "Văn phòng HĐND và UBND",
            "Hội Liên hiệp Phụ nữ", "Đoàn Thanh niên", "Hội Chữ thập đỏ", "Phòng Kinh tế",
            "Trung tâm Dịch vụ công ích")  # fmt: skip
SCHOOLS = ("Trường Mầm non", "Trường Tiểu học", "Trường THCS")


def workbook(headings: list[str], rows: list[list[object]]) -> bytes:
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True})
    sheet = book.add_worksheet()
    sheet.write_row(0, 0, ["STT", *headings])
    for number, row in enumerate(rows, start=1):
        sheet.write_row(number, 0, [number, *row])
    book.close()
    return buffer.getvalue()


def files_of(number: int) -> list[tuple[str, bytes]]:
    """A commune's three lists, as its office would type them."""
    villages_file = workbook(["Tên thôn"], [[f"Thôn {v + 1}"] for v in range(VILLAGES)])
    contacts = [[name, None, f"cq{number}.{a}@example.org", f"0283{number:03d}{a:04d}"]
                for a, name in enumerate(AGENCIES)]  # fmt: skip
    contacts += [[f"{school} số {number}", "Trường học", f"truong{number}.{s}@example.edu.vn",
                  None] for s, school in enumerate(SCHOOLS)]  # fmt: skip
    agencies_file = workbook(["Cơ quan", "Loại", "Email", "Điện thoại"], contacts)
    roles = ("Người làm công tác bảo vệ trẻ em", "Cán bộ đầu mối", "Lãnh đạo cơ quan",
             "Cán bộ đầu mối", "Cộng tác viên")  # fmt: skip
    people = [
        [f"Người Thứ {p}", f"f{number}.{p}", roles[p % 5],
         "Công an" if p % 5 in (1, 2) else ("Trạm Y tế" if p % 5 == 3 else None),
         f"Thôn {p % VILLAGES + 1}" if p % 5 == 4 else None,
         f"+8492{number:04d}{p:03d}", f"f{number}.{p}@example.org"]
        for p in range(PEOPLE)
    ]  # fmt: skip
    people_file = workbook(
        ["Họ và tên", "Tên đăng nhập", "Vai trò", "Cơ quan", "Thôn", "Số điện thoại", "Email"],
        people,
    )
    return [("villages", villages_file), ("agencies", agencies_file), ("people", people_file)]


def from_spreadsheets(factory, settings: Settings, count: int) -> tuple[float, list[str]]:  # type: ignore[no-untyped-def]
    """The province's communes at once, then each commune's three lists through the
    import pipeline, the worker running each phase as the ticker would."""
    clock, lease = FixedClock(NOW), timedelta(minutes=5)
    problems: list[str] = []
    started = time.perf_counter()
    with UnitOfWork(factory) as uow:
        added = setup.add_province(uow.session, province_code=FROM_FILES, now=NOW)[:count]
        communes = [
            (commune.id, commune.code, create_user(
                uow.session, settings=settings, commune_code=commune.code,
                username=f"quantri.{commune.code}", full_name="Quản trị", role=Role.admin,
                password=None, now=NOW).id)
            for commune in added
        ]  # fmt: skip
        uow.commit()
    for number, (commune_id, code, admin_id) in enumerate(communes):
        for target, data in files_of(number):
            with UnitOfWork(factory) as uow:
                job = service.start(
                    uow.session, commune_id=commune_id, user_id=admin_id, target=target,
                    file_name=f"{target}.xlsx", data=data, max_bytes=10**7, now=NOW,
                )  # fmt: skip
                uow.commit()
                job_id = job.id
            run_one(factory, clock=clock, settings=settings, worker="bench", lease=lease)
            with UnitOfWork(factory) as uow:
                stored = uow.session.get_one(ImportJob, job_id)
                service.choose(uow.session, job=stored, mode=ImportMode.all_or_nothing, now=NOW)
                uow.commit()
            run_one(factory, clock=clock, settings=settings, worker="bench", lease=lease)
            with factory() as session:
                done = session.get_one(ImportJob, job_id)
                if done.status != ImportStatus.done:
                    problems.append(f"{code} {target}: {done.status} {done.report[:2]}")
    return time.perf_counter() - started, problems


def the_services(factory, codes: list[str], settings: Settings) -> float:  # type: ignore[no-untyped-def]
    started = time.perf_counter()
    for number, code in enumerate(codes):
        with UnitOfWork(factory) as uow:
            session = uow.session
            commune = setup.add_commune(session, code=code, now=NOW)
            assert commune.id is not None
            for v in range(VILLAGES):
                villages.add_village(session, commune_id=commune.id, name=f"Thôn {v + 1}")
            for p in range(PEOPLE):
                role = Role.collaborator if p % 5 == 4 else Role.caseworker
                user = create_user(
                    session, settings=settings, commune_code=commune.code,
                    username=f"u{number}.{p}", full_name=f"Người Thứ {p}", role=role,
                    password=None, now=NOW, email=f"u{number}.{p}@example.org",
                    phone=f"+8491{number:04d}{p:03d}",
                )  # fmt: skip
                activation.issue(session, user=user, settings=settings, now=NOW, by=None)
            uow.commit()
    return time.perf_counter() - started


def baseline(engine: sa.Engine, codes: list[str]) -> float:
    tables = SQLModel.metadata.tables
    started = time.perf_counter()
    with engine.begin() as conn:
        for number, code in enumerate(codes):
            commune_id = conn.execute(
                tables["commune"].insert().returning(tables["commune"].c.id),
                {"code": f"B{code}", "name": "Xã", "province": "Hà Nội",
                 "case_prefix": f"B{number}", "created_at": NOW},
            ).scalar_one()  # fmt: skip
            conn.execute(tables["village"].insert(), [
                {"commune_id": commune_id, "name": f"Thôn {v}", "name_key": f"thon {v}"}
                for v in range(VILLAGES)])  # fmt: skip
            conn.execute(tables["agency"].insert(), [
                {"commune_id": commune_id, "kind": "police", "name": f"Cơ quan {a}",
                 "is_active": True} for a in range(2 * VILLAGES)])  # fmt: skip
            conn.execute(tables["app_user"].insert(), [
                {"commune_id": commune_id, "username": f"b{number}.{p}", "full_name": "Người",
                 "role": "caseworker", "is_active": True, "created_at": NOW,
                 "notify_via": "both", "language": "vi", "session_epoch": 0}
                for p in range(PEOPLE)])  # fmt: skip
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--communes", type=int, default=100)
    parser.add_argument("--backend", choices=("postgresql", "sqlite"), default="postgresql")
    args = parser.parse_args()
    codes = [unit.code for unit in official.units_of(PROVINCE)][: args.communes]
    with database(args.backend) as url:
        settings = Settings(_env_file=None, database_url=url, timers_in_serve=False)
        upgrade(url=url)
        crypto.install(load_keys(settings))
        engine = make_engine(settings)
        factory = make_sessionmaker(engine)
        bare = baseline(engine, codes)
        spent = the_services(factory, codes, settings)
        files, problems = from_spreadsheets(factory, settings, len(codes))
        with engine.connect() as conn:
            counts = {
                name: conn.execute(
                    sa.select(sa.func.count()).select_from(SQLModel.metadata.tables[name])
                ).scalar_one()  # fmt: skip
                for name in ("commune", "village", "agency", "app_user", "outbox_message")
            }
        engine.dispose()
    print(f"{args.backend}: {len(codes)} communes; rows now {counts}")
    print(f"baseline (bare Core inserts, one transaction): {bare:.1f} s")
    print(f"through the services, one transaction per commune: {spent:.1f} s "
          f"({spent / len(codes) * 1000:.0f} ms per commune)")  # fmt: skip
    print(
        f"from spreadsheets, 3 imports per commune: {files:.1f} s "
        f"({files / len(codes) * 1000:.0f} ms per commune); imports not done: {problems}"
    )


if __name__ == "__main__":
    main()
