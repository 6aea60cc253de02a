"""Cases, clocks and tasks as straight rows, dated at will: the statistics' known answers
are built from what a test writes here, counted by hand in the test."""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from datetime import datetime

from sqlmodel import Session

from casework.agencies.models import Agency, AgencyKind
from casework.cases.models import CaseStatus, ProtectionCase, Task, TaskStatus
from casework.children.models import Child
from casework.deadlines.models import Deadline, DeadlineStatus
from casework.intake.models import Channel, PerpetratorRelation, Report, ReportHarmForm

_SEQ = itertools.count(90_001)  # clear of the numbers intake gives


def reported_case(
    session: Session,
    child: Child,
    *,
    received: datetime,
    forms: Sequence[str],
    setting: str = "family",
    substantiated: bool | None = True,
    closed: bool = False,
) -> ProtectionCase:
    """A case about ``child`` with one report received at ``received`` naming ``forms``."""
    seq = next(_SEQ)
    case = ProtectionCase(
        commune_id=child.commune_id,
        code=f"ST-{received.year}-{seq:05d}",
        year=received.year,
        seq=seq,
        child_id=child.id,
        status=CaseStatus.closed if closed else CaseStatus.assessing,
        workflow_name="child_protection",
        workflow_version=1,
        opened_at=received,
        updated_at=received,
        closed_at=received if closed else None,
        substantiated=substantiated,
    )
    session.add(case)
    session.flush()
    report = Report(
        commune_id=child.commune_id,
        case_id=case.id,
        child_id=child.id,
        channel=Channel.phone,
        first_received_at=received,
        recorded_at=received,
        description="Mô tả",
        setting=setting,
        perpetrator_relation=PerpetratorRelation.unknown,
        immediate_danger=False,
    )
    session.add(report)
    session.flush()
    for form in forms:
        session.add(ReportHarmForm(report_id=report.id, form=form))
    session.flush()
    return case


def clock(
    session: Session,
    case: ProtectionCase,
    kind: str,
    *,
    starts_at: datetime,
    due_at: datetime,
    status: DeadlineStatus,
) -> Deadline:
    deadline = Deadline(
        instance_id=case.instance_id,
        case_id=case.id,
        kind=kind,
        clock="hours",
        starts_at=starts_at,
        due_at=due_at,
        status=status,
        closed_at=None if status == DeadlineStatus.running else due_at,
    )
    session.add(deadline)
    session.flush()
    return deadline


def task(
    session: Session,
    case: ProtectionCase,
    agency: Agency,
    *,
    starts_at: datetime,
    answered_at: datetime | None,
    status: TaskStatus,
) -> Task:
    row = Task(
        case_id=case.id,
        agency_id=agency.id,
        kind="police.verify" if agency.kind == AgencyKind.police else "health.examine",
        title="Xác minh",
        starts_at=starts_at,
        due_at=starts_at,
        status=status,
        acknowledged_at=answered_at,
        created_at=starts_at,
    )
    session.add(row)
    session.flush()
    return row
