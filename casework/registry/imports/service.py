"""The import pipeline, the same for every target: upload → read → map columns → check
each row (the dry run) → import all or nothing, or the valid rows only.

The request only stores the file and a job row; a worker of the ticker (``tasks.py``)
claims the job (``FOR UPDATE SKIP LOCKED`` and a lease, as the timers do, so any number
of processes share the work) and runs its next phase, writing its progress as it goes.
The dry run keeps the rows it found valid (``ImportChecked``): the import matches and
writes them without reading the file again. File and rows are deleted when the job ends:
they hold children's data. A file whose import
ended in "done" for the commune is refused the second time (its SHA-256 is kept), and
every row's effect is idempotent anyway (a matched child is linked, not added).
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

import sqlalchemy as sa
from sqlmodel import Session, select

from casework.admin import people_import
from casework.agencies import contact_import
from casework.communes import village_import
from casework.registry.imports import children, children_writes
from casework.registry.imports.mapping import Fields
from casework.registry.imports.models import (
    ENDED,
    RUNNING,
    WAITING,
    ImportChecked,
    ImportJob,
    ImportMode,
    ImportStatus,
)
from casework.registry.imports.reader import FileProblem, kind_of


@dataclass(frozen=True)
class Target:
    """What the rows of a file become: its fields, and the three steps of a check
    (``prepare`` reads what validation needs, ``validate`` is pure, ``match`` reads what
    is there already), the ``write`` of an import, and ``dump``/``load`` of what
    ``validate`` found, kept between the dry run and the import (JSON). What ``match``
    plans carries ``existing_id`` (None: a record to make), which the counts read. The
    children, a commune's people, villages and agencies' contacts share this pipeline."""

    name: str
    fields: Fields
    prepare: Callable[..., Any]
    validate: Callable[..., Any]
    match: Callable[..., None]
    write: Callable[..., Any]
    dump: Callable[[Any], dict[str, Any]]
    load: Callable[[dict[str, Any]], Any]


TARGETS = {
    children.TARGET: Target(
        children.TARGET,
        children.FIELDS,
        children.villages,
        children.validate,
        children.match,
        children_writes.write,
        children.dump,
        children.load,
    ),
    village_import.TARGET: Target(
        village_import.TARGET,
        village_import.FIELDS,
        village_import.prepare,
        village_import.validate,
        village_import.match,
        village_import.write,
        village_import.dump,
        village_import.load,
    ),
    contact_import.TARGET: Target(
        contact_import.TARGET,
        contact_import.FIELDS,
        contact_import.prepare,
        contact_import.validate,
        contact_import.match,
        contact_import.write,
        contact_import.dump,
        contact_import.load,
    ),
    people_import.TARGET: Target(
        people_import.TARGET,
        people_import.FIELDS,
        people_import.prepare,
        people_import.validate,
        people_import.match,
        people_import.write,
        people_import.dump,
        people_import.load,
    ),
}


def size_text(count: int) -> str:
    return f"{count / 1_048_576:.0f} MB" if count >= 1_048_576 else f"{count // 1024} KB"


def start(
    session: Session,
    *,
    commune_id: int,
    user_id: int,
    target: str,
    file_name: str,
    data: bytes,
    max_bytes: int,
    now: datetime,
) -> ImportJob:
    """Keep the uploaded file as a job waiting for its dry run; a file too large, of
    another kind, protected by a password, or already imported is refused here."""
    if len(data) > max_bytes:
        raise FileProblem("import_file_too_large", limit=size_text(max_bytes))
    kind = kind_of(data, file_name)
    digest = hashlib.sha256(data).hexdigest()
    done = session.exec(
        select(ImportJob).where(
            ImportJob.commune_id == commune_id,
            ImportJob.target == target,
            ImportJob.file_sha256 == digest,
            ImportJob.status == ImportStatus.done,
        )
    ).first()
    if done is not None:
        raise FileProblem("import_already_done", job=done.id, when=done.finished_at)
    job = ImportJob(
        commune_id=commune_id,
        target=target,
        created_by_id=user_id,
        created_at=now,
        updated_at=now,
        file_name=file_name[-200:] or "tep",
        file_kind=kind,
        file_size=len(data),
        file_sha256=digest,
        file_data=data,
    )
    session.add(job)
    session.flush()
    return job


def get_in_commune(
    session: Session, *, job_id: int, commune_id: int | None, target: str
) -> ImportJob | None:
    """The commune's job of this target (a list of people is not on the children's pages)."""
    job = session.get(ImportJob, job_id)
    if job is None or job.commune_id != commune_id or job.target != target:
        return None
    return job


class NotNow(Exception):
    """The job is not in a state that allows this (someone else moved it on)."""


def choose(session: Session, *, job: ImportJob, mode: ImportMode, now: datetime) -> None:
    """The person's choice after the dry run: the import waits for a worker."""
    if job.status != ImportStatus.checked:
        raise NotNow()
    job.mode, job.status, job.updated_at = mode, ImportStatus.queued_import, now
    job.processed_rows = 0
    session.add(job)
    session.flush()


def remap(
    session: Session,
    *,
    job: ImportJob,
    mapping: Sequence[str | None],
    user_id: int,
    now: datetime,
) -> None:
    """A corrected mapping: remembered for the commune, and the dry run runs again."""
    from casework.registry.imports.mapping import remember

    if job.status not in (ImportStatus.checked, ImportStatus.needs_mapping):
        raise NotNow()
    fields = TARGETS[job.target].fields
    job.mapping = fields.clean(mapping, len(job.headings))
    remember(
        session,
        commune_id=job.commune_id,
        target=job.target,
        headings=job.headings,
        mapping=job.mapping,
        user_id=user_id,
        now=now,
    )
    job.status, job.updated_at, job.processed_rows = ImportStatus.queued_check, now, 0
    job.problem, job.problem_params, job.report = None, {}, []
    session.add(job)
    session.flush()


def discard(session: Session, *, job: ImportJob, now: datetime) -> None:
    if job.status in ENDED or job.status in RUNNING:
        raise NotNow()
    end(session, job, ImportStatus.discarded, now)
    session.add(job)
    session.flush()


def end(session: Session, job: ImportJob, status: ImportStatus, now: datetime) -> None:
    """The job is over: its file and checked rows go (children's data is kept only as
    long as needed)."""
    job.status, job.file_data = status, None
    job.finished_at = job.updated_at = now
    job.claimed_by = job.lease_until = None
    session.execute(sa.delete(ImportChecked).where(ImportChecked.job_id == job.id))


def keep_checked(session: Session, *, job_id: int, rows: dict[str, Any]) -> None:
    """What the dry run found, kept for the import (replacing an earlier dry run's)."""
    kept = session.get(ImportChecked, job_id)
    if kept is None:
        session.add(ImportChecked(job_id=job_id, rows=rows))
    else:
        kept.rows = rows
        session.add(kept)


def checked_of(session: Session, *, job_id: int) -> dict[str, Any] | None:
    kept = session.get(ImportChecked, job_id)
    return None if kept is None else kept.rows


def expire(session: Session, *, now: datetime, after: timedelta) -> int:
    """Jobs left waiting for a person's choice longer than ``after`` are discarded."""
    stale = session.exec(
        select(ImportJob).where(
            ImportJob.status.in_([ImportStatus.checked, ImportStatus.needs_mapping]),
            ImportJob.updated_at < now - after,
        )
    ).all()
    for job in stale:
        end(session, job, ImportStatus.discarded, now)
        session.add(job)
    session.flush()
    return len(stale)


_J = ImportJob.__table__
_CLAIMABLE = (
    sa.select(_J.c.id)
    .where(
        sa.or_(
            _J.c.status.in_([s.value for s in WAITING]),
            sa.and_(
                _J.c.status.in_([s.value for s in RUNNING]), _J.c.lease_until < sa.bindparam("now")
            ),
        )
    )
    .order_by(_J.c.id)
    .limit(1)
    .with_for_update(skip_locked=True)
)
_PHASE = {
    ImportStatus.queued_check: ImportStatus.checking,
    ImportStatus.checking: ImportStatus.checking,
    ImportStatus.queued_import: ImportStatus.importing,
    ImportStatus.importing: ImportStatus.importing,
}


def claim(session: Session, *, now: datetime, worker: str, lease: timedelta) -> int | None:
    """One waiting job (or one whose worker's lease ran out) for this worker."""
    job_id = session.execute(_CLAIMABLE, {"now": now}).scalar()
    if job_id is None:
        return None
    job = session.get_one(ImportJob, job_id)
    job.status = _PHASE[job.status]
    job.claimed_by, job.lease_until, job.updated_at = worker, now + lease, now
    session.add(job)
    session.flush()
    return job_id


def rows_of(
    table_rows: Sequence[tuple[int, list[Any]]], mapping: Sequence[str | None]
) -> list[tuple[int, dict[str, Any]]]:
    """Each row as {field: cell} through the mapping (unmapped columns are left out)."""
    columns = [(index, name) for index, name in enumerate(mapping) if name]
    return [
        (number, {name: row[index] for index, name in columns if index < len(row)})
        for number, row in table_rows
    ]


def today_of(now: datetime, tz: Any) -> date:
    return now.astimezone(tz).date()
