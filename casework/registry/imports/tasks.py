"""The worker of the imports, on the ticker of `casework serve` and `casework worker`: claim
one job, run its next phase (the dry run, or the import), record the outcome.

Progress is written in short transactions of its own while rows are checked, so the page
that polls sees it. The dry run keeps the rows it checked with the job; the import loads
them and only matches them again (the register may have changed), so it neither reads nor
validates the file a second time. The import's writes are one transaction with the job's
outcome and its audit entry (counts only, never a name): all of it or nothing.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import sessionmaker
from sqlmodel import Session

from casework import bulk
from casework.accounts.auth import actor_of
from casework.accounts.models import User
from casework.audit import service as audit_service
from casework.audit.models import AuditAction
from casework.audit.service import Origin, Record
from casework.clock import Clock
from casework.config import Settings
from casework.db import UnitOfWork
from casework.deadlines.runner import worker_name
from casework.registry.imports import mapping as mappings
from casework.registry.imports import service
from casework.registry.imports.models import ImportJob, ImportMode, ImportStatus
from casework.registry.imports.reader import FileProblem, Table, read

log = logging.getLogger(__name__)
WORKER_ORIGIN = Origin(ip=None, user_agent="casework-worker")
PROGRESS_EVERY = timedelta(seconds=1)


def _update(
    factory: sessionmaker[Session], job_id: int, kept: dict[str, Any] | None = None, **values: Any
) -> None:
    with UnitOfWork(factory) as uow:
        if kept is not None:
            service.keep_checked(uow.session, job_id=job_id, rows=kept)
        job = uow.session.get_one(ImportJob, job_id)
        for name, value in values.items():
            setattr(job, name, value)
        uow.session.add(job)
        uow.commit()


def _fail(
    factory: sessionmaker[Session], job_id: int, now: datetime, code: str, **params: Any
) -> None:
    with UnitOfWork(factory) as uow:
        job = uow.session.get_one(ImportJob, job_id)
        job.problem, job.problem_params = code, {k: str(v) for k, v in params.items()}
        service.end(uow.session, job, ImportStatus.failed, now)
        uow.session.add(job)
        uow.commit()


def run_one(
    factory: sessionmaker[Session],
    *,
    clock: Clock,
    settings: Settings,
    worker: str,
    lease: timedelta,
) -> bool:
    """Claim and run one job's next phase; False when no job was waiting."""
    with UnitOfWork(factory) as uow:
        job_id = service.claim(uow.session, now=clock.now(), worker=worker, lease=lease)
        uow.commit()
    if job_id is None:
        return False
    try:
        with bulk.collector_paused():
            _run(factory, job_id, clock=clock, settings=settings, lease=lease)
    except Exception:
        # Never the exception's text in the job: it could quote a row (children's data).
        log.exception("import job %s failed", job_id)
        _fail(factory, job_id, clock.now(), "import_unexpected")
    return True


def _run(
    factory: sessionmaker[Session],
    job_id: int,
    *,
    clock: Clock,
    settings: Settings,
    lease: timedelta,
) -> None:
    with factory() as session:
        job = session.get_one(ImportJob, job_id)
        session.expunge(job)
    target = service.TARGETS[job.target]
    today = service.today_of(clock.now(), settings.tz)
    if job.status == ImportStatus.importing:
        with factory() as session:
            kept = service.checked_of(session, job_id=job_id)
        if kept is not None:  # the dry run's rows: only the matching is done again
            checked = target.load(kept)
            _import(factory, job, checked, rows_count=job.total_rows, clock=clock, today=today,
                    settings=settings)  # fmt: skip
            return
    if job.file_data is None:
        _fail(factory, job_id, clock.now(), "import_unexpected")
        return
    try:
        table = read(job.file_data, job.file_kind, recognise=target.fields.sighted)
    except FileProblem as problem:
        examples = ", ".join(f"“{spec.label_vi}”" for spec in target.fields.specs[:3])
        _fail(factory, job_id, clock.now(), problem.code, examples=examples, **problem.params)
        return
    mapping = _mapping(factory, job, table)
    missing = target.fields.missing(mapping)
    header = {"header_row": table.header_row, "headings": table.headings, "mapping": mapping}
    if missing:
        _update(factory, job_id, **header, status=ImportStatus.needs_mapping,
                problem="import_missing_columns", problem_params={"columns": ", ".join(missing)},
                total_rows=len(table.rows), claimed_by=None, lease_until=None,
                updated_at=clock.now())  # fmt: skip
        return
    if not table.rows:
        _fail(factory, job_id, clock.now(), "import_no_data")
        return
    _update(factory, job_id, **header, total_rows=len(table.rows), processed_rows=0,
            problem=None, problem_params={})  # fmt: skip
    rows = service.rows_of(table.rows, mapping)
    with factory() as session:
        prepared = target.prepare(session, [raw for _, raw in rows], commune_id=job.commune_id)
    checked = target.validate(
        rows, prepared=prepared, today=today, progress=_progress(factory, job_id, clock, lease)
    )
    if job.status == ImportStatus.checking:
        kept = target.dump(checked)
        with factory() as session:
            target.match(session, checked, commune_id=job.commune_id)
        counts = _counts(checked, len(rows))
        _update(factory, job_id, kept, status=ImportStatus.checked, claimed_by=None,
                lease_until=None, updated_at=clock.now(), **counts)  # fmt: skip
        return
    _import(factory, job, checked, rows_count=len(rows), clock=clock, today=today,
            settings=settings)  # fmt: skip


def _mapping(factory: sessionmaker[Session], job: ImportJob, table: Table) -> list[str | None]:
    """The person's mapping for this file, else the commune's for these headings, else
    the one the headings suggest."""
    if job.mapping and job.headings == table.headings:
        return list(job.mapping)
    with factory() as session:
        kept = mappings.remembered(
            session, commune_id=job.commune_id, target=job.target, headings=table.headings
        )
    return kept or service.TARGETS[job.target].fields.auto(table.headings)


def _progress(
    factory: sessionmaker[Session], job_id: int, clock: Clock, lease: timedelta
) -> Callable[[int], None]:
    last: list[datetime] = []

    def progress(done: int) -> None:
        now = clock.now()
        if last and now - last[0] < PROGRESS_EVERY:
            return
        last[:] = [now]
        _update(factory, job_id, processed_rows=done, lease_until=now + lease)

    return progress


def _report(checked: Any) -> list[list[object]]:
    problems = sorted(checked.problems, key=lambda p: (p.row, p.note))
    return [[p.row, p.field, p.code, p.params, p.note] for p in problems]


def _counts(checked: Any, total: int) -> dict[str, Any]:
    existing = sum(1 for p in checked.planned if p.existing_id is not None)
    return {
        "processed_rows": total,
        "valid_rows": len(checked.planned),
        "error_rows": len(checked.bad_rows),
        "existing_rows": existing,
        "report": _report(checked),
    }


def _import(
    factory: sessionmaker[Session],
    job: ImportJob,
    checked: Any,
    *,
    rows_count: int,
    clock: Clock,
    today: Any,
    settings: Settings,
) -> None:
    target = service.TARGETS[job.target]
    assert job.id is not None
    now = clock.now()
    try:
        with UnitOfWork(factory) as uow:
            session = uow.session
            target.match(session, checked, commune_id=job.commune_id)
            stored = session.get_one(ImportJob, job.id)
            for name, value in _counts(checked, rows_count).items():
                setattr(stored, name, value)
            if job.mode == ImportMode.all_or_nothing and checked.bad_rows:
                service.end(session, stored, ImportStatus.not_imported, now)
                session.add(stored)
                uow.commit()
                return
            written = target.write(
                session,
                checked.planned,
                commune_id=job.commune_id,
                user_id=job.created_by_id,
                today=today,
                now=now,
                evidence=f"Nhập từ tệp danh sách (lần nhập số {job.id})",
                settings=settings,
            )
            stored.created_records, stored.linked_records = written.created, written.linked
            stored.added_groups = written.groups
            service.end(session, stored, ImportStatus.done, now)
            session.add(stored)
            user = session.get_one(User, job.created_by_id)
            detail = {
                "target": job.target,
                "mode": str(job.mode),
                "rows": rows_count,
                "created": written.created,
                "linked": written.linked,
                "groups": written.groups,
                "skipped": len(checked.bad_rows),
            }
            if written.ids:
                detail["made"] = list(written.ids)
            record = Record(AuditAction.update, "import_job", str(job.id), detail=detail)
            # A province administrator's import is in the audit log of the commune it fed.
            actor = actor_of(user, working_in=job.commune_id)
            audit_service.append(session, actor, record, origin=WORKER_ORIGIN, now=now)
            uow.commit()
    except IntegrityError:
        log.warning("import job %s: the register changed while importing", job.id)
        _fail(factory, job.id, clock.now(), "import_conflict")


def import_job(
    factory: sessionmaker[Session], settings: Settings, clock: Clock
) -> Callable[[], bool]:
    """The ticker's job: one import phase per run; True if one ran (there may be more)."""
    worker = worker_name()
    lease = timedelta(seconds=settings.import_lease_seconds)

    def tick() -> bool:
        return run_one(factory, clock=clock, settings=settings, worker=worker, lease=lease)

    return tick
