"""The commune's own figures on time, the ones its plans care about ("tuyệt đối không đùn
đẩy trách nhiệm, gây chậm trễ"): how often the legal clocks were kept, how long agencies
took to act on a task, and how many tasks they declined.

A clock belongs to the period in which it started (the local day of its ``starts_at``); a
task to the period in which it was given. A clock still running past its due time counts
as missed (it is, already); one still running in time is left out of the share until it
ends.
"""

from __future__ import annotations

import statistics
from collections import Counter, defaultdict
from datetime import datetime
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from sqlmodel import Session

from casework.agencies.models import Agency, AgencyKind
from casework.cases import workflow
from casework.cases.models import ProtectionCase, Task, TaskStatus
from casework.children.models import Child
from casework.deadlines.models import Deadline, DeadlineStatus
from casework.reports.figures import Breakdown, Cell, Figure, Median, cell_of
from casework.reports.indicators import Where
from casework.reports.periods import Period

# The legal clocks of a case (NĐ56 Đ22–25): emergency protection within 12 hours of the
# first report, the plan within 5 working days, its approval within 2.
LEGAL_CLOCKS = ("emergency_measures", "plan_draft", "plan_approval")
_D = Deadline.__table__
_C = ProtectionCase.__table__
_K = Child.__table__
_T = Task.__table__
_A = Agency.__table__
_KEPT = (
    ("met", ("Đúng hạn", "On time")),
    ("missed", ("Trễ hạn", "Late")),
    ("overdue", ("Đang quá hạn", "Running, past due")),
    ("running", ("Đang trong hạn", "Running, in time")),
)


def _cases_in(where: Where) -> list[sa.ColumnElement[bool]]:
    found = [_C.c.commune_id.in_(where.commune_ids)]
    if where.village_id is not None:
        found.append(_K.c.village_id == where.village_id)
    return found


def legal_clocks(
    session: Session, where: Where, period: Period, tz: ZoneInfo, *, now: datetime
) -> tuple[Figure, ...]:
    """Per legal clock: the share kept (met before due) of those that ended or are past
    due; broken down by how each stands."""
    start, end = period.bounds(tz)
    state = sa.case(
        (_D.c.status == DeadlineStatus.met, "met"),
        (_D.c.status == DeadlineStatus.missed, "missed"),
        (_D.c.due_at < now, "overdue"),
        else_="running",
    )
    rows = session.execute(
        sa.select(_D.c.kind, state, sa.func.count())
        .select_from(_D.join(_C, _C.c.id == _D.c.case_id).join(_K, _K.c.id == _C.c.child_id))
        .where(
            _D.c.task_id.is_(None),
            _D.c.kind.in_(LEGAL_CLOCKS),
            _D.c.status != DeadlineStatus.cancelled,
            _D.c.starts_at >= start,
            _D.c.starts_at < end,
            *_cases_in(where),
        )
        .group_by(_D.c.kind, state)
    ).all()
    counts: dict[str, Counter[str]] = defaultdict(Counter)
    for kind, how, n in rows:
        counts[kind][how] += n
    specs = workflow.latest("child_protection").deadlines
    figures = []
    for kind in LEGAL_CLOCKS:
        found = counts[kind]
        label = specs[kind].label
        figures.append(
            Figure(
                f"clock_{kind}",
                None,
                (label.vi, label.en),
                found["met"],
                denominator=(found["met"] + found["missed"] + found["overdue"]) or None,
                per=100,
                breakdowns=(
                    Breakdown(
                        "state",
                        ("Kết quả", "Outcome"),
                        tuple(Cell(key, words, found[key]) for key, words in _KEPT),
                    ),
                ),
            )
        )
    return tuple(figures)


def _tasks(where: Where, period: Period, tz: ZoneInfo) -> sa.Select[tuple[()]]:
    start, end = period.bounds(tz)
    agency = [] if where.agency_id is None else [_T.c.agency_id == where.agency_id]
    return (
        sa.select()
        .select_from(
            _T.join(_C, _C.c.id == _T.c.case_id)
            .join(_K, _K.c.id == _C.c.child_id)
            .join(_A, _A.c.id == _T.c.agency_id)
        )
        .where(
            _T.c.status.not_in([TaskStatus.planned, TaskStatus.cancelled]),
            _T.c.starts_at >= start,
            _T.c.starts_at < end,
            *_cases_in(where),
            *agency,
        )
    )


def first_action(session: Session, where: Where, period: Period, tz: ZoneInfo) -> Median:
    """The median time from a task being given to its agency's first answer (accepted,
    declined or done), in hours; overall and per kind of agency."""
    hours = _hours(session.get_bind().dialect.name)
    rows = session.execute(
        _tasks(where, period, tz)
        .add_columns(_A.c.kind, hours)
        .where(_T.c.acknowledged_at.is_not(None))
    ).all()
    by_kind: dict[str, list[float]] = defaultdict(list)
    for kind, value in rows:
        by_kind[kind].append(float(value))
    every = [h for values in by_kind.values() for h in values]
    return Median(
        "first_action",
        (
            "Thời gian trung vị từ khi giao đến khi cơ quan phản hồi nhiệm vụ (giờ)",
            "Median hours from a task given to the agency's first answer",
        ),
        statistics.median(every) if every else None,
        len(every),
        tuple(
            (cell_of(AgencyKind(kind), len(values)), statistics.median(values))
            for kind, values in sorted(by_kind.items(), key=lambda item: -len(item[1]))
        ),
    )


def _hours(dialect: str) -> sa.ColumnElement[float]:
    """Hours between a task's start and its first answer, in the database's own terms."""
    if dialect == "postgresql":
        return sa.extract("epoch", _T.c.acknowledged_at - _T.c.starts_at) / 3600.0
    return (sa.func.julianday(_T.c.acknowledged_at) - sa.func.julianday(_T.c.starts_at)) * 24.0


def declined_tasks(session: Session, where: Where, period: Period, tz: ZoneInfo) -> Figure:
    """Tasks an agency declined ("không thực hiện được"), of all tasks given in the period;
    by kind of agency."""
    declined = sa.func.sum(sa.case((_T.c.status == TaskStatus.declined, 1), else_=0))
    rows = session.execute(
        _tasks(where, period, tz)
        .add_columns(_A.c.kind, sa.func.count(), declined)
        .group_by(_A.c.kind)
    ).all()
    given = sum(n for _, n, _ in rows)
    refused = sum(int(d or 0) for _, _, d in rows)
    return Figure(
        "declined_tasks",
        None,
        ("Nhiệm vụ cơ quan không thực hiện được", "Tasks declined by agencies"),
        refused,
        denominator=given or None,
        per=100,
        breakdowns=(
            Breakdown(
                "agency",
                ("Cơ quan", "Agency"),
                tuple(cell_of(AgencyKind(kind), int(d or 0)) for kind, _, d in rows),
            ),
        ),
    )
