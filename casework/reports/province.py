"""The province's communes side by side: for each, the period's main figures and where its
own report stands, counts only (small ones shown as "< 5" by the page), each figure counted
for all communes at once (a GROUP BY per figure, not a query per commune)."""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from sqlmodel import Session

from casework.cases.models import ProtectionCase
from casework.children.models import Child
from casework.communes.models import Commune
from casework.deadlines.models import Deadline, DeadlineStatus
from casework.processes.models import WorkflowInstance
from casework.reports.indicators import (
    Where,
    abuse_counts,
    children_in_groups,
    supported_in,
)
from casework.reports.models import PeriodicReport, ReportKind
from casework.reports.periods import Period


@dataclass
class Row:
    """One commune's line."""

    code: str
    name: str
    abused: int = 0
    special: int = 0
    supported: int = 0
    clocks_kept: int = 0
    clocks_ended: int = 0
    report: str | None = None  # its own latest report's state, None if none is owed


def side_by_side(
    session: Session, commune_ids: tuple[int, ...], period: Period, tz: ZoneInfo, *, now: datetime
) -> list[Row]:
    communes = session.execute(
        sa.select(Commune.id, Commune.code, Commune.name)
        .where(Commune.id.in_(commune_ids))
        .order_by(Commune.name)
    ).all()
    rows = {c.id: Row(c.code, c.name) for c in communes}
    where = Where(commune_ids)
    for group in abuse_counts(session, where, period, tz).groups:
        rows[group.commune_id].abused += group.children
    for supported in (False, True):
        chosen = children_in_groups(where, period.last)
        if supported:
            chosen = chosen.where(supported_in(period))
        found = session.execute(
            sa.select(Child.commune_id, sa.func.count())
            .where(Child.id.in_(chosen))
            .group_by(Child.commune_id)
        ).all()
        for commune_id, n in found:
            if supported:
                rows[commune_id].supported = n
            else:
                rows[commune_id].special = n
    start, end = period.bounds(tz)
    kept: Counter[int] = Counter()
    ended: Counter[int] = Counter()
    past_due = Deadline.due_at < now  # one expression, so GROUP BY names the same
    for commune_id, status, late, n in session.execute(
        sa.select(ProtectionCase.commune_id, Deadline.status, past_due, sa.func.count())
        .join(ProtectionCase, ProtectionCase.id == Deadline.case_id)
        .where(
            ProtectionCase.commune_id.in_(commune_ids),
            Deadline.task_id.is_(None),
            Deadline.kind.in_(("emergency_measures", "plan_draft", "plan_approval")),
            Deadline.starts_at >= start,
            Deadline.starts_at < end,
            Deadline.status != DeadlineStatus.cancelled,
        )
        .group_by(ProtectionCase.commune_id, Deadline.status, past_due)
    ):
        if status == DeadlineStatus.met:
            kept[commune_id] += n
        if status != DeadlineStatus.running or late:
            ended[commune_id] += n
    latest: dict[int, str | None] = defaultdict(lambda: None)
    for commune_id, state in session.execute(
        sa.select(PeriodicReport.commune_id, WorkflowInstance.state)
        .join(WorkflowInstance, WorkflowInstance.id == PeriodicReport.instance_id)
        .where(
            PeriodicReport.commune_id.in_(commune_ids), PeriodicReport.kind == ReportKind.commune
        )
        .order_by(PeriodicReport.due_at)
    ):
        latest[commune_id] = state
    for commune_id, row in rows.items():
        row.clocks_kept, row.clocks_ended = kept[commune_id], ended[commune_id]
        row.report = latest[commune_id]
    return list(rows.values())
